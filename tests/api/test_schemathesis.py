"""Property-based test of the whole API from its OpenAPI schema: no input gives a 500.

schemathesis generates requests for every operation from the schema (hypothesis); the run is
bounded (a few examples per operation, derandomized) so it stays short and repeatable. Its
pytest plugin does not work with pytest 9, so the strategies are driven here directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import small_toile
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings

EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[schemathesis.BaseSchema, dict[str, str]]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    store = SQLiteStore(folder / "api.db")
    store.save_toile(small_toile("petite"))
    key, _ = create_api_key(store, role=Role.ADMIN, name="schemathesis")
    app = create_app(Settings(store=f"sqlite:///{folder / 'api.db'}"))
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app), {
        "Authorization": f"Bearer {key}"
    }


def test_api_no_server_error(api: tuple[schemathesis.BaseSchema, dict[str, str]]) -> None:
    schema, admin = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            for headers in ({}, admin):  # anonymous, and admin to reach the write routes
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error])

        check()
