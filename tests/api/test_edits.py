"""Edits through the API: revisions (ETag / If-Match), 409 on conflict, history, bounds."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.api._serve import serving
from tests.conftest import small_toile
from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

BASE = "/api/v1/toiles/petite"
NEW_ACTOR = {"id": "nouveau", "name": "Nouvel acteur", "kind": "association"}


def test_create_actor_answers_the_new_revision(client: TestClient, keys) -> None:
    response = client.post(f"{BASE}/actors", json=NEW_ACTOR, headers=keys[Role.EDITEUR])
    assert response.status_code == 201
    assert response.headers["ETag"] == '"2"'


def test_edit_based_on_an_old_revision_is_refused(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    first = client.post(f"{BASE}/actors", json=NEW_ACTOR, headers={**editor, "If-Match": '"1"'})
    assert first.status_code == 201
    late = client.patch(
        f"{BASE}/actors/nouveau", json={"employees": 3}, headers={**editor, "If-Match": '"1"'}
    )
    assert late.status_code == 409
    assert (
        "a changé depuis votre lecture (révision 2, vous partiez de la 1)"
        in (late.json()["detail"])
    )
    assert client.get(f"{BASE}/actors/nouveau").json()["actor"].get("employees") is None
    ok = client.patch(
        f"{BASE}/actors/nouveau", json={"employees": 3}, headers={**editor, "If-Match": '"2"'}
    )
    assert (ok.status_code, ok.headers["ETag"]) == (200, '"3"')


def test_malformed_if_match_is_a_422(client: TestClient, keys) -> None:
    response = client.post(
        f"{BASE}/actors", json=NEW_ACTOR, headers={**keys[Role.EDITEUR], "If-Match": "hier"}
    )
    assert response.status_code == 422
    assert "If-Match" in response.json()["detail"]


def test_every_edit_route_records_history(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    assert client.post(f"{BASE}/actors", json=NEW_ACTOR, headers=editor).status_code == 201
    flow = {"source": "nouveau", "target": "usine", "kind": "service"}
    created = client.post(f"{BASE}/flows", json=flow, headers=editor)
    assert created.status_code == 201, created.text
    flow_id = created.json()["id"]
    patched = client.patch(f"{BASE}/flows/{flow_id}", json={"notes": "vu"}, headers=editor)
    assert patched.status_code == 200
    assert client.delete(f"{BASE}/flows/{flow_id}", headers=editor).status_code == 204
    deleted = client.delete(f"{BASE}/actors/nouveau", headers=editor)
    assert (deleted.status_code, deleted.headers["ETag"]) == (204, '"6"')
    history = client.get(f"{BASE}/history", headers=editor)
    assert history.status_code == 200
    assert history.headers["ETag"] == '"6"'
    body = history.json()
    assert body["revision"] == 6
    assert [e["action"] for e in body["data"]] == [
        "suppression_acteur",
        "suppression_flux",
        "modification_flux",
        "ajout_flux",
        "ajout_acteur",
        "chargement",
    ]
    assert body["data"][2]["before"].get("notes") is None
    assert body["data"][2]["after"]["notes"] == "vu"
    assert body["data"][0]["who"].startswith("clé editeur (clé ")
    assert all(e["at"] for e in body["data"])


def test_history_is_for_editors_only(client: TestClient, keys) -> None:
    assert client.get(f"{BASE}/history").status_code == 401
    assert client.get(f"{BASE}/history", headers=keys[Role.PARTENAIRE]).status_code == 403
    assert client.get(f"{BASE}/history", headers=keys[Role.ADMIN]).status_code == 200


def test_edit_with_overflowing_quantity_is_refused(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    flow = {"source": "usine", "target": "reseau", "kind": "chaleur", "quantity": 1e308}
    response = client.post(f"{BASE}/flows", json={**flow, "unit": "TWh"}, headers=editor)
    assert response.status_code == 422
    assert "hors limites" in response.text
    assert client.get(f"{BASE}/history", headers=editor).json()["revision"] == 1


@pytest.mark.slow
def test_two_workers_two_editors_lose_no_edit(tmp_path: Path) -> None:
    """`toiles serve --workers 2`: 2 x 40 actors added at once, each stored or refused (409)."""
    db = tmp_path / "serve.db"
    store = SQLiteStore(db)
    store.save_toile(small_toile("petite"))
    headers = []
    for name in ("alice", "bob"):
        key, _ = create_api_key(store, role=Role.EDITEUR, name=name)
        headers.append({"Authorization": f"Bearer {key}"})
    store.close()
    with serving(db, "--workers", "2") as (base, _server):

        def add(job: tuple[int, int]) -> tuple[str, int]:
            who, i = job
            actor = {"id": f"a{who}-{i}", "name": f"Acteur {who} {i}", "kind": "association"}
            answer = httpx.post(
                f"{base}{BASE}/actors", json=actor, headers=headers[who], timeout=60
            )
            return actor["id"], answer.status_code

        jobs = [(who, i) for i in range(40) for who in (0, 1)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(add, jobs))
    assert {code for _, code in answers} <= {201, 409}
    stored = {a.id for a in SQLiteStore(db).get_toile("petite").actors}
    for actor_id, code in answers:
        assert (actor_id in stored) == (code == 201), (actor_id, code)
    assert sum(code == 201 for _, code in answers) >= 70  # retries make conflicts rare


def test_get_toile_gives_the_revision_to_edit_from(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    tag = client.get(BASE).headers["ETag"]
    assert tag == '"1"'
    created = client.post(f"{BASE}/actors", json=NEW_ACTOR, headers={**editor, "If-Match": tag})
    assert created.status_code == 201
    assert client.get(BASE).headers["ETag"] == created.headers["ETag"] == '"2"'
