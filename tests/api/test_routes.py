"""Routes of the API on the SQLite store, role by role.

The small toile (tests/conftest.py) has one `partenaires` actor (incinerateur) with its
`partenaires` flow f2, and one `confidentiel` flow f4: anonymous callers see 4 actors and
flows f1 f3 f5 f6; partners see 5 actors and f1 f2 f3 f5 f6; editors and admins see all 6.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.conftest import FIXTURES
from toiles.access import Role

API = "/api/v1"
VISIBLE_FLOWS = {
    Role.ANONYME: {"f1", "f3", "f5", "f6"},
    Role.PARTENAIRE: {"f1", "f2", "f3", "f5", "f6"},
    Role.EDITEUR: {"f1", "f2", "f3", "f4", "f5", "f6"},
    Role.ADMIN: {"f1", "f2", "f3", "f4", "f5", "f6"},
}
VISIBLE_ACTORS = {Role.ANONYME: 4, Role.PARTENAIRE: 5, Role.EDITEUR: 5, Role.ADMIN: 5}


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_list_toiles_counts_follow_role(client: TestClient, keys, role: Role) -> None:
    body = client.get(f"{API}/toiles", headers=keys[role]).json()
    [summary] = body["data"]
    assert (summary["actors"], summary["flows"]) == (VISIBLE_ACTORS[role], len(VISIBLE_FLOWS[role]))
    one = client.get(f"{API}/toiles/petite", headers=keys[role]).json()
    assert (one["actors"], one["flows"]) == (VISIBLE_ACTORS[role], len(VISIBLE_FLOWS[role]))
    versions = client.get(f"{API}/toiles/petite/versions", headers=keys[role]).json()
    assert versions["data"][0]["flows"] == len(VISIBLE_FLOWS[role])


@pytest.mark.parametrize("role", list(Role))
def test_list_flows_follow_role(client: TestClient, keys, role: Role) -> None:
    body = client.get(f"{API}/toiles/petite/flows", headers=keys[role]).json()
    assert {f["id"] for f in body["data"]} == VISIBLE_FLOWS[role]
    assert body["count"] == len(VISIBLE_FLOWS[role])
    # Counts of a filtered search must not reveal hidden flows either.
    heat = client.get(
        f"{API}/toiles/petite/flows", params={"kind": "chaleur_fatale"}, headers=keys[role]
    ).json()
    assert heat["count"] == len({"f1", "f4"} & VISIBLE_FLOWS[role])


@pytest.mark.parametrize("role", list(Role))
def test_actor_detail_follows_role(client: TestClient, keys, role: Role) -> None:
    body = client.get(f"{API}/toiles/petite/actors/usine", headers=keys[role]).json()
    flows = {f["id"] for f in body["incoming"] + body["outgoing"]}
    assert flows == {"f1", "f3", "f4", "f5", "f6"} & VISIBLE_FLOWS[role]
    hidden = client.get(f"{API}/toiles/petite/actors/incinerateur", headers=keys[role])
    assert hidden.status_code == (404 if role is Role.ANONYME else 200)


@pytest.mark.parametrize("role", list(Role))
def test_get_confidential_flow_follows_role(client: TestClient, keys, role: Role) -> None:
    response = client.get(f"{API}/toiles/petite/flows/f4", headers=keys[role])
    assert response.status_code == (200 if role in {Role.EDITEUR, Role.ADMIN} else 404)
    if role in {Role.ANONYME, Role.PARTENAIRE}:
        assert set(response.json()) == {"detail"}  # nothing of the flow itself


def test_actor_search_filters_and_paging(client: TestClient) -> None:
    body = client.get(f"{API}/toiles/petite/actors", params={"q": "RESEAU", "limit": 10}).json()
    assert [a["id"] for a in body["data"]] == ["ext-gaz", "reseau"]
    assert body["count"] == 2
    page = client.get(f"{API}/toiles/petite/actors", params={"limit": 1, "offset": 1}).json()
    assert (page["count"], len(page["data"]), page["offset"]) == (4, 1, 1)
    assert client.get(f"{API}/toiles/petite/actors", params={"kind": "usine"}).status_code == 422


def test_flow_min_quantity_needs_unit(client: TestClient) -> None:
    ok = client.get(f"{API}/toiles/petite/flows", params={"min_quantity": 1, "unit": "GWh"}).json()
    assert {f["id"] for f in ok["data"]} == {"f1", "f5"}  # 1234.5 MWh and 5000 MWh; f2, f4 hidden
    bad = client.get(f"{API}/toiles/petite/flows", params={"min_quantity": 1})
    assert bad.status_code == 422
    assert "unité" in bad.json()["detail"]


def test_unknown_toile_is_404_json(client: TestClient) -> None:
    response = client.get(f"{API}/toiles/absente/actors")
    assert response.status_code == 404
    assert response.json() == {"detail": "toile introuvable : absente"}


def test_bad_key_is_401(client: TestClient) -> None:
    response = client.get(f"{API}/toiles", headers={"Authorization": "Bearer tk_faux"})
    assert response.status_code == 401
    assert response.json()["detail"] == "clé d'API inconnue ou révoquée"
    assert client.get(f"{API}/toiles", headers={"Authorization": "Basic abc"}).status_code == 401


@pytest.mark.parametrize(("role", "code"), [(Role.ANONYME, 401), (Role.PARTENAIRE, 403)])
def test_writes_need_editor(client: TestClient, keys, role: Role, code: int) -> None:
    actor = {"id": "nouvel-acteur", "name": "Nouvel acteur", "kind": "entreprise"}
    assert (
        client.post(f"{API}/toiles/petite/actors", json=actor, headers=keys[role]).status_code
        == code
    )
    assert client.delete(f"{API}/toiles/petite/flows/f1", headers=keys[role]).status_code == code
    assert (
        client.patch(
            f"{API}/toiles/petite/flows/f1", json={"quantity": 1}, headers=keys[role]
        ).status_code
        == code
    )
    assert client.get(f"{API}/keys", headers=keys[role]).status_code == code


def test_editor_edits_actor_and_flow(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    actor = {
        "id": "chaufferie",
        "name": "Chaufferie biomasse",
        "kind": "equipement",
        "commune_insee": "62119",
    }
    assert client.post(f"{API}/toiles/petite/actors", json=actor, headers=editor).status_code == 201
    assert client.post(f"{API}/toiles/petite/actors", json=actor, headers=editor).status_code == 409
    flow = {
        "source": "chaufferie",
        "target": "reseau",
        "kind": "chaleur",
        "quantity": 4.5,
        "unit": "GWh",
    }
    created = client.post(f"{API}/toiles/petite/flows", json=flow, headers=editor)
    assert created.status_code == 201
    flow_id = created.json()["id"]
    patched = client.patch(
        f"{API}/toiles/petite/flows/{flow_id}", json={"status": "projet"}, headers=editor
    )
    assert (patched.json()["status"], patched.json()["quantity"]) == ("projet", 4.5)
    wrong = client.patch(
        f"{API}/toiles/petite/flows/{flow_id}", json={"unit": "m3"}, headers=editor
    )
    assert wrong.status_code == 422  # a heat flow in m3 would break the toile
    assert (
        client.delete(f"{API}/toiles/petite/actors/chaufferie", headers=editor).status_code == 409
    )
    assert (
        client.delete(
            f"{API}/toiles/petite/actors/chaufferie", params={"cascade": True}, headers=editor
        ).status_code
        == 204
    )
    assert client.get(f"{API}/toiles/petite/flows/{flow_id}", headers=editor).status_code == 404
    renamed = client.patch(
        f"{API}/toiles/petite/actors/usine", json={"employees": 260}, headers=editor
    )
    assert renamed.json()["employees"] == 260
    assert renamed.json()["siret"] == "73282932000074"  # untouched fields stay


def test_import_zip_validates_all_or_nothing(client: TestClient, keys) -> None:
    editor = keys[Role.EDITEUR]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("toile.yaml", "actors.csv", "flows.csv"):
            archive.write(FIXTURES / "excel_fr_errors" / name, f"dossier/{name}")
    response = client.post(
        f"{API}/toiles/zae-test/import",
        files={"files": ("t.zip", buffer.getvalue())},
        headers=editor,
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert len([p for p in problems if p["severity"] == "error"]) == 11
    located = {(p["file"], p["line"], p["column"]) for p in problems}
    assert ("flows.csv", 8, "Quantité") in located  # file names, not the temporary folder
    assert ("actors.csv", 8, "SIRET") in located
    assert client.get(f"{API}/toiles/zae-test").status_code == 404  # nothing stored
    files = [
        ("files", (n, (FIXTURES / "excel_fr_fixed" / n).read_bytes()))
        for n in ("toile.yaml", "actors.csv", "flows.csv")
    ]
    response = client.post(f"{API}/toiles/zae-test/import", files=files, headers=editor)
    assert response.status_code == 201
    assert (response.json()["actors"], response.json()["flows"]) == (5, 5)


def test_import_rejects_zip_slip(client: TestClient, keys) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../evil/actors.csv", "id,name,kind\n")
    response = client.post(
        f"{API}/toiles/x/import",
        files={"files": ("t.zip", buffer.getvalue())},
        headers=keys[Role.ADMIN],
    )
    assert response.status_code == 422
    assert "chemin interdit" in response.json()["detail"]


def test_admin_manages_keys(client: TestClient, keys) -> None:
    admin = keys[Role.ADMIN]
    created = client.post(
        f"{API}/keys", json={"role": "partenaire", "name": "Site CALL"}, headers=admin
    ).json()
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert client.get(f"{API}/toiles/petite/flows/f2", headers=headers).status_code == 200
    listed = client.get(f"{API}/keys", headers=admin).json()
    assert "key" not in listed[0]
    assert "key_hash" not in listed[0]
    assert client.delete(f"{API}/keys/{created['id']}", headers=admin).status_code == 204
    assert client.get(f"{API}/toiles", headers=headers).status_code == 401


@pytest.mark.parametrize("role", list(Role))
def test_export_json_follows_role(client: TestClient, keys, role: Role) -> None:
    response = client.get(f"{API}/toiles/petite/export.json", headers=keys[role])
    assert response.status_code == 200
    data = response.json()
    links = data.get("links", data.get("edges", []))
    assert {link["key"] for link in links} == VISIBLE_FLOWS[role]
    nodes = {node["id"] for node in data["nodes"]}
    assert ("incinerateur" in nodes) is (role is not Role.ANONYME)


@pytest.mark.parametrize("role", [Role.ANONYME, Role.EDITEUR])
def test_render_and_embed_follow_role(client: TestClient, keys, role: Role) -> None:
    for url in (f"{API}/toiles/petite/render.html", "/embed/petite"):
        response = client.get(url, headers=keys[role])
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        # The partner-only actor and the confidential flow never reach an anonymous page.
        assert ('"incinerateur"' in response.text) is (role is Role.EDITEUR)
        assert ('"f4"' in response.text) is (role is Role.EDITEUR)


def test_embed_frame_ancestors(client: TestClient) -> None:
    response = client.get("/embed/petite")
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_export_csv_pair_is_a_zip(client: TestClient) -> None:
    response = client.get(f"{API}/toiles/petite/export.csv", params={"excel": True})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        assert {"actors.csv", "flows.csv"} <= names
        assert archive.read("flows.csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("role", [Role.ANONYME, Role.EDITEUR])
def test_analysis_runs_on_what_the_role_sees(client: TestClient, keys, role: Role) -> None:
    body = client.get(
        f"{API}/toiles/petite/analysis/centrality", params={"top": 10}, headers=keys[role]
    ).json()
    assert ("incinerateur" in str(body)) is (role is Role.EDITEUR)
    gaps = client.get(f"{API}/toiles/petite/analysis/gaps", headers=keys[role]).json()
    assert ("f4" in str(gaps)) is (role is Role.EDITEUR)  # the confidential waste-heat loss
    hidden = client.get(
        f"{API}/toiles/petite/analysis/impact",
        params={"actors": ["incinerateur"]},
        headers=keys[role],
    )
    assert hidden.status_code == (200 if role is Role.EDITEUR else 404)


def test_analysis_bad_options_are_french_422(client: TestClient) -> None:
    response = client.get(f"{API}/toiles/petite/analysis/candidates", params={"radius_km": -1})
    assert response.status_code == 422
    assert (
        response.json()["detail"]
        == "requête invalide : radius_km : doit être supérieur ou égal à 0"
    )
    missing = client.get(f"{API}/toiles/petite/analysis/impact")
    assert missing.json()["detail"] == "requête invalide : actors : valeur obligatoire manquante"
    diff = client.get(f"{API}/toiles/petite/analysis/diff", params={"against": "T9"})
    assert diff.status_code == 404


def test_cypher_on_sqlite_is_400(client: TestClient, keys) -> None:
    response = client.post(f"{API}/cypher", json={"query": "RETURN 1"}, headers=keys[Role.ADMIN])
    assert response.status_code == 400
    assert "Neo4j" in response.json()["detail"]


def test_analysis_centrality_companies_view(client: TestClient, keys) -> None:
    response = client.get(
        f"{API}/toiles/petite/analysis/centrality",
        params={"view": "companies"},
        headers=keys[Role.EDITEUR],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == "companies"
    assert body["ranking"]
    assert {a["kind"] for a in body["ranking"]} == {"entreprise"}
    bad = client.get(f"{API}/toiles/petite/analysis/centrality", params={"view": "usines"})
    assert bad.status_code == 422


def test_analysis_candidates_economic_options(client: TestClient, keys) -> None:
    response = client.get(
        f"{API}/toiles/petite/analysis/candidates",
        params={"heat_price": 90, "discount_rate": 0.08, "max_distance_km": 3},
        headers=keys[Role.EDITEUR],
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["heat_price"], body["discount_rate"], body["max_distance_km"]) == (90, 0.08, 3)
    assert any("Hotmaps" in line for line in body["assumptions"])
    bad = client.get(f"{API}/toiles/petite/analysis/candidates", params={"discount_rate": 2})
    assert bad.status_code == 422
