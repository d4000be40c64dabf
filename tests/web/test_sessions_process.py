"""Web sessions live in the key store: they survive a restart and serve `--workers 2`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.api._serve import serving
from tests.conftest import _neo4j_store, small_toile
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

SIGNED_IN = "Éditrice du test</strong>"


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


@pytest.mark.slow
def test_session_serves_two_workers_and_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "serve.db"
    store = SQLiteStore(db)
    store.save_toile(small_toile("petite", "T0"))
    key, _ = create_api_key(store, role=Role.EDITEUR, name="Éditrice du test")
    store.close()
    with serving(db, "--workers", "2") as (base, _server):
        # No kept-alive connection: each request is a new one, that either worker may accept.
        client = httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0))
        signed = client.post(
            "/connexion", data={"key": key, "csrf": _csrf(client.get("/connexion").text)}
        )
        assert signed.status_code == 303
        # Each request may reach either worker: every one knows the session.
        pages = [client.get("/toiles/petite/acteurs/incinerateur") for _ in range(24)]
        assert [p.status_code for p in pages] == [200] * 24  # a partner actor: signed in
        assert all(SIGNED_IN in p.text for p in pages)
        # A form token given by one worker is accepted by the other.
        tokens = {_csrf(client.get("/importer").text) for _ in range(6)}
        assert len(tokens) == 1
    cookies = dict(client.cookies)
    client.close()
    with serving(db) as (base, _server):  # the server restarted: still signed in
        again = httpx.Client(base_url=base, cookies=cookies)
        assert SIGNED_IN in again.get("/").text
        out = again.post("/deconnexion", data={"csrf": _csrf(again.get("/").text)})
        assert out.status_code == 303
        stale = httpx.Client(base_url=base, cookies=cookies)  # the old cookie, replayed
        assert SIGNED_IN not in stale.get("/").text
        stale.close()
        again.close()


@pytest.mark.neo4j
def test_web_session_on_neo4j_survives_a_new_app_and_ends_with_its_key(tmp_path: Path) -> None:
    first = _neo4j_store()
    key, record = create_api_key(first, role=Role.EDITEUR, name="Éditrice du test")
    settings = Settings(store=f"sqlite:///{tmp_path / 'unused.db'}")
    try:
        with TestClient(create_app(settings, store=first)) as client:
            page = client.get("/connexion")
            signed = client.post(
                "/connexion",
                data={"key": key, "csrf": _csrf(page.text)},
                follow_redirects=False,
            )
            assert signed.status_code == 303
            cookies = dict(client.cookies)
        second = _neo4j_store()  # another process's connection: a restart, or a worker
        with TestClient(create_app(settings, store=second), cookies=cookies) as client:
            assert SIGNED_IN in client.get("/").text
            first.revoke_api_key(record.id)
            assert SIGNED_IN not in client.get("/").text
        second.close()
    finally:
        first.close()
