"""Whatever validation accepts, the API and the CLI read back without an error of theirs."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings

from tests.conftest import canonical
from tests.properties._strategies import toiles
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.deps import get_store
from toiles.api.security import create_api_key
from toiles.cli import main
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor, Flow, Toile
from toiles.settings import Settings

API = "/api/v1/toiles"


@settings(max_examples=12)
@given(toile=toiles(max_actors=6, max_flows=8))
def test_api_reads_back_what_was_stored(toile: Toile) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "api.db")
        store.save_toile(toile)
        key, _ = create_api_key(store, role=Role.ADMIN, name="propriétés")
        admin = {"Authorization": f"Bearer {key}"}
        app = create_app(Settings(store=f"sqlite:///{Path(folder) / 'unused.db'}"))
        app.dependency_overrides[get_store] = lambda: store
        with TestClient(app) as client:
            base = f"{API}/{toile.id}"
            assert client.get(base, headers=admin).json()["actors"] == len(toile.actors)
            actors = client.get(f"{base}/actors", params={"limit": 1000}, headers=admin).json()
            assert [Actor.model_validate(a) for a in actors["data"]] == list(
                canonical(toile).actors
            )
            flows = client.get(f"{base}/flows", params={"limit": 1000}, headers=admin).json()
            assert [Flow.model_validate(f) for f in flows["data"]] == list(canonical(toile).flows)
            exported = client.get(f"{base}/export.json", headers=admin)
            assert exported.status_code == 200
            for path in (f"{base}/render.html", f"{base}/analysis/gaps", f"{base}/history"):
                answer = client.get(path, headers=admin)
                assert answer.status_code == 200, (path, answer.text[:300])
        store.close()


@settings(max_examples=12)
@given(toile=toiles(max_actors=6, max_flows=8))
def test_cli_show_reads_back_what_was_stored(toile: Toile) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'cli.db'}"
        SQLiteStore(Path(folder) / "cli.db").save_toile(toile)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "argv", ["toiles", "show", toile.id, "--store", url, "--json"])
            out = Path(folder) / "out.json"
            with out.open("w", encoding="utf-8") as handle:
                patch.setattr(sys, "stdout", handle)
                with pytest.raises(SystemExit) as done:
                    main()
        assert done.value.code in {0, None}
        shown = json.loads(out.read_text(encoding="utf-8"))
        assert (shown["actors"], shown["flows"]) == (len(toile.actors), len(toile.flows))
