from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import small_toile
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.deps import get_store
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings


@pytest.fixture
def api_store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "api.db")
    store.save_toile(small_toile("petite", "T0"))
    return store


@pytest.fixture
def keys(api_store: SQLiteStore) -> dict[Role, dict[str, str]]:
    headers: dict[Role, dict[str, str]] = {Role.ANONYME: {}}
    for role in (Role.PARTENAIRE, Role.EDITEUR, Role.ADMIN):
        key, _ = create_api_key(api_store, role=role, name=f"clé {role.value}")
        headers[role] = {"Authorization": f"Bearer {key}"}
    return headers


@pytest.fixture
def client(api_store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    # The app is built on another (empty) store; the override is what routes must use.
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'unused.db'}"))
    app.dependency_overrides[get_store] = lambda: api_store
    with TestClient(app) as test_client:
        yield test_client
