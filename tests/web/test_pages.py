"""The web application's pages through FastAPI's TestClient: roles, sessions, forms, docs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from tests.conftest import small_toile
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor
from toiles.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def web_store(tmp_path: Path) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "web.db")
    store.save_toile(small_toile("petite", "T0"))
    return store


@pytest.fixture
def web(web_store: SQLiteStore, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'web.db'}"), store=web_store)
    with TestClient(app) as client:
        yield client


def token(client: TestClient, path: str = "/connexion") -> str:
    page = client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def sign_in(client: TestClient, store: SQLiteStore, role: Role) -> str:
    key, _ = create_api_key(store, role=role, name=f"clé {role.value}")
    answer = client.post(
        "/connexion", data={"key": key, "csrf": token(client)}, follow_redirects=False
    )
    assert answer.status_code == 303
    return key


def test_docs_pages_load_only_local_assets(web: TestClient):
    for path in ("/api/v1/docs", "/api/v1/redoc"):
        page = web.get(path)
        assert page.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert urls
        assert all(u.startswith("/api/v1/") for u in urls), urls
        for url in urls:
            assert web.get(url).status_code == 200, url
        assert "fonts.googleapis" not in page.text
        assert "cdn.jsdelivr" not in page.text
    assert '"validatorUrl": null' in web.get("/api/v1/docs").text


def test_form_without_matching_token_is_refused(web: TestClient, web_store: SQLiteStore):
    key, _ = create_api_key(web_store, role=Role.EDITEUR, name="éditeur")
    assert web.post("/connexion", data={"key": key}).status_code == 403
    token(web)  # the cookie is set, but the field does not match it
    refused = web.post("/connexion", data={"key": key, "csrf": "autre"})
    assert refused.status_code == 403
    assert "formulaire expiré ou envoyé depuis un autre site" in refused.text
    assert "toiles_session" not in web.cookies


def test_sign_in_cookie_is_httponly_strict_and_secure_behind_https(
    web: TestClient, web_store: SQLiteStore
):
    key, _ = create_api_key(web_store, role=Role.PARTENAIRE, name="partenaire")
    answer = web.post("/connexion", data={"key": key, "csrf": token(web)}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert "toiles_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie
    assert key not in cookie
    behind_proxy = web.post(
        "/connexion",
        data={"key": key, "csrf": token(web)},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in behind_proxy.headers["set-cookie"]


def test_unknown_key_is_refused_with_a_french_message(web: TestClient):
    answer = web.post("/connexion", data={"key": "tk_faux", "csrf": token(web)})
    assert answer.status_code == 401
    assert "Clé inconnue ou révoquée." in answer.text


def test_pages_show_partner_data_only_to_partners(web: TestClient, web_store: SQLiteStore):
    assert web.get("/toiles/petite/acteurs/incinerateur").status_code == 404
    assert "Unité de valorisation" not in web.get("/?q=valorisation").text
    assert "Version publique" in web.get("/").text
    sign_in(web, web_store, Role.PARTENAIRE)
    sheet = web.get("/toiles/petite/acteurs/incinerateur")
    assert sheet.status_code == 200
    assert "Unité de valorisation énergétique" in sheet.text
    assert "Unité de valorisation énergétique" in web.get("/?q=valorisation").text
    assert "« Version publique »" not in web.get("/").text


def test_signing_out_ends_the_session_on_the_server(web: TestClient, web_store: SQLiteStore):
    sign_in(web, web_store, Role.PARTENAIRE)
    session = web.cookies["toiles_session"]
    web.post("/deconnexion", data={"csrf": token(web, "/")})
    web.cookies.set("toiles_session", session)  # replaying the old cookie does not help
    assert web.get("/toiles/petite/acteurs/incinerateur").status_code == 404


def test_revoking_a_key_ends_its_sessions(web: TestClient, web_store: SQLiteStore):
    sign_in(web, web_store, Role.PARTENAIRE)
    assert web.get("/toiles/petite/acteurs/incinerateur").status_code == 200
    record = next(r for r in web_store.list_api_keys() if r.role is Role.PARTENAIRE)
    web_store.revoke_api_key(record.id)
    assert web.get("/toiles/petite/acteurs/incinerateur").status_code == 404


def test_full_poster_needs_a_signed_in_visitor(web: TestClient):
    refused = web.get("/toiles/petite/affiche.png?full=true")
    assert refused.status_code == 401
    assert "connectez-vous" in refused.text


def test_exports_follow_the_visitor_role(web: TestClient, web_store: SQLiteStore):
    public = web.get("/toiles/petite/export.json").json()  # node-link JSON
    assert "incinerateur" not in {a["id"] for a in public["nodes"]}
    sign_in(web, web_store, Role.PARTENAIRE)
    partner = web.get("/toiles/petite/export.json").json()
    assert "incinerateur" in {a["id"] for a in partner["nodes"]}
    assert "f4" not in {f["key"] for f in partner["links"]}  # confidential stays hidden
    assert "f2" in {f["key"] for f in partner["links"]}


def test_language_switch_and_local_redirects_only(web: TestClient):
    answer = web.get("/langue/en?next=//ailleurs.example/x", follow_redirects=False)
    assert answer.headers["location"] == "/"
    web.get("/langue/en?next=/")
    assert "The toiles of the territory" in web.get("/").text
    web.get("/langue/fr?next=/")
    assert "Les toiles du territoire" in web.get("/").text


def test_edit_pages_refuse_partners_and_anonymous(web: TestClient, web_store: SQLiteStore):
    assert web.get("/toiles/petite/acteurs/usine/modifier").status_code == 401
    sign_in(web, web_store, Role.PARTENAIRE)
    assert web.get("/toiles/petite/acteurs/usine/modifier").status_code == 403
    assert web.get("/admin/cles").status_code == 403


def edit_form(web: TestClient, path: str) -> dict[str, str]:
    page = web.get(path).text
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields |= dict(
        re.findall(
            r'<select[^>]*name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected', page, re.DOTALL
        )
    )
    return fields


def test_invalid_edit_lists_french_problems_and_stores_nothing(
    web: TestClient, web_store: SQLiteStore
):
    sign_in(web, web_store, Role.EDITEUR)
    form = edit_form(web, "/toiles/petite/acteurs/usine/modifier")
    answer = web.post("/toiles/petite/acteurs/usine/modifier", data=form | {"employees": "-3"})
    assert answer.status_code == 422
    assert "employees" in answer.text
    assert "rien n&#39;a été enregistré" in answer.text
    assert web_store.get_actor("petite", "usine").employees == 250


def test_flow_change_as_a_new_version_shows_in_the_diff(web: TestClient, web_store: SQLiteStore):
    sign_in(web, web_store, Role.EDITEUR)
    form = edit_form(web, "/toiles/petite/flux/f1/modifier")
    assert form["quantity"] == "1.2345"
    answer = web.post(
        "/toiles/petite/flux/f1/modifier", data=form | {"quantity": "2.5", "new_version": "T1"}
    )
    assert answer.status_code == 200
    assert [s.version for s in web_store.list_versions("petite")] == ["T0", "T1"]
    assert web_store.get_flow("petite", "f1", version="T0").quantity == pytest.approx(1.2345)
    assert web_store.get_flow("petite", "f1", version="T1").quantity == pytest.approx(2.5)
    diff = web.get("/toiles/petite?version=T1&analysis=diff")
    assert diff.status_code == 200
    assert "f1" in diff.text
    history = web.get("/historique").text
    assert "Modification du flux f1 : quantity : 1.2345 → 2.5" in history
    assert "clé editeur (clé " in history  # the key's name and id, as the API records it
    edits = web_store.list_edits("petite", "T1")
    assert [e.action.value for e in edits] == ["modification_flux"]
    assert edits[0].who.startswith("clé editeur (clé ")


def test_data_reaching_pages_is_escaped(web: TestClient, web_store: SQLiteStore):
    toile = small_toile("piege", "T0")
    evil = Actor(id="evil", name="<script>alert(1)</script>", kind="entreprise")
    web_store.save_toile(toile.model_copy(update={"actors": (*toile.actors, evil)}))
    sheet = web.get("/toiles/piege/acteurs/evil").text
    assert "<script>alert(1)</script>" not in sheet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sheet


def test_actor_sheet_shows_the_naf_label_or_the_bare_code(web: TestClient, web_store: SQLiteStore):
    assert "10.81Z — Fabrication de sucre" in web.get("/toiles/petite/acteurs/usine").text
    toile = small_toile("nafs", "T0")
    odd = Actor(id="odd", name="Code sans libellé", kind="entreprise", naf="24.99Q")
    chaleur = Actor(id="vapeur", name="Chaufferie", kind="entreprise", naf="35.30Z")
    web_store.save_toile(toile.model_copy(update={"actors": (*toile.actors, odd, chaleur)}))
    odd_sheet = web.get("/toiles/nafs/acteurs/odd")
    assert odd_sheet.status_code == 200
    assert "<dd>24.99Q</dd>" in odd_sheet.text
    # INSEE's apostrophe reaches the page escaped, like every data value.
    assert (
        "35.30Z — Production et distribution de vapeur et d&#39;air conditionné"
        in web.get("/toiles/nafs/acteurs/vapeur").text
    )


def test_picture_may_be_framed_by_the_app_only(web: TestClient):
    picture = web.get("/toiles/petite/toile.html?analysis=loops")
    assert picture.status_code == 200
    assert picture.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert "Version publique" in picture.text
    page = web.get("/toiles/petite")
    assert "frame-ancestors 'self'" in page.headers["content-security-policy"]


def test_neo4j_guide_holds_every_example_query_of_the_graph_model(web: TestClient):
    from pathlib import Path

    from toiles.web.neo4j_guide import example_queries

    doc = (Path(__file__).parents[2] / "docs" / "graph-model.md").read_text(encoding="utf-8")
    queries = example_queries()
    assert len(queries) == 11
    for query in queries:
        assert query.cypher in doc  # the guide and the documentation say the same
    guide = web.get("/neo4j/guide.html")
    assert guide.headers["access-control-allow-origin"] == "*"
    assert guide.text.count('class="pre-scrollable code runnable"') == 11
    assert "{id: &#x27;artois-energie&#x27;}" in guide.text


def _workbook(flow_rows: list[list[object]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    actors = book.active
    actors.title = "Acteurs"
    for row in (
        ["id", "name", "kind"],
        ["a", "Chaufferie", "equipement"],
        ["b", "Hôpital", "entreprise"],
    ):
        actors.append(row)
    flows = book.create_sheet("Flux")
    for row in [["source", "target", "kind", "quantity", "unit"], *flow_rows]:
        flows.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_one_workbook_uploads_a_toile_and_its_problems_keep_their_lines(
    web: TestClient, web_store: SQLiteStore
):
    sign_in(web, web_store, Role.EDITEUR)
    bad = _workbook(
        [["a", "b", "chaleur", 10, "MWh"], [None] * 5, ["a", "b", "chaleur", -4, "MWh"]]
    )
    answer = web.post(
        "/importer",
        data={"toile_id": "petite", "version": "T2", "csrf": token(web, "/importer")},
        files={"files": ("ma toile.xlsx", bad)},
    )
    assert answer.status_code == 422
    assert "ma toile.xlsx, feuille Flux:4: quantity:" in answer.text
    assert [s.version for s in web_store.list_versions("petite")] == ["T0"]
    good = _workbook([["a", "b", "chaleur", 10, "MWh"], ["a", "b", "chaleur", 4, "MWh"]])
    answer = web.post(
        "/importer",
        data={"toile_id": "petite", "version": "T2", "csrf": token(web, "/importer")},
        files={"files": ("ma toile.xlsx", good)},
    )
    assert answer.status_code == 201
    assert web_store.get_summary("petite", "T2").flows == 2
    missing = web.post(
        "/importer",
        data={"toile_id": "petite", "csrf": token(web, "/importer")},
        files={"files": ("vide.xlsx", _empty_workbook())},
    )
    assert "feuille « acteurs » absente du classeur" in missing.text


def _empty_workbook() -> bytes:
    import io

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def test_version_difference_is_listed_and_highlighted(web: TestClient, web_store: SQLiteStore):
    t1 = small_toile("petite", "T1")
    flows = tuple(f.model_copy(update={"quantity": 3.0}) if f.id == "f1" else f for f in t1.flows)
    web_store.save_toile(t1.model_copy(update={"flows": flows}))
    page = web.get("/toiles/petite?version=T1&analysis=diff")
    assert "Évolution entre deux versions" in page.text
    assert "against=T0" in page.text  # the picture is asked for the same comparison
    picture = web.get("/toiles/petite/toile.html?version=T1&analysis=diff&against=T0").text
    assert '"highlight":{"title":"Évolution"' in picture
    assert '"edges":["f1"]' in picture  # the changed flow stands out
    single = web.get("/toiles/petite?version=T0&analysis=cycling")
    assert single.status_code == 200


def test_edit_of_another_actor_meanwhile_does_not_block_a_save(
    web: TestClient, web_store: SQLiteStore
):
    sign_in(web, web_store, Role.EDITEUR)
    form = edit_form(web, "/toiles/petite/acteurs/usine/modifier")
    toile, rev = web_store.get_toile_and_revision("petite")
    changed = toile.model_copy(
        update={
            "actors": tuple(
                a.model_copy(update={"employees": 12}) if a.id == "reseau" else a
                for a in toile.actors
            )
        }
    )
    web_store.save_toile(changed, expected_revision=rev)  # another editor, another actor
    answer = web.post("/toiles/petite/acteurs/usine/modifier", data=form | {"employees": "300"})
    assert answer.status_code == 200
    assert web_store.get_actor("petite", "usine").employees == 300
    assert web_store.get_actor("petite", "reseau").employees == 12  # not overwritten
    # The same actor changed meanwhile: refused, nothing stored, current values shown.
    form = edit_form(web, "/toiles/petite/acteurs/usine/modifier")
    toile, rev = web_store.get_toile_and_revision("petite")
    renamed = tuple(
        a.model_copy(update={"name": "Autre nom"}) if a.id == "usine" else a for a in toile.actors
    )
    web_store.save_toile(toile.model_copy(update={"actors": renamed}), expected_revision=rev)
    refused = web.post("/toiles/petite/acteurs/usine/modifier", data=form | {"employees": "1"})
    assert refused.status_code == 409
    assert "Conflit" in refused.text
    assert 'value="Autre nom"' in refused.text
    assert web_store.get_actor("petite", "usine").employees == 300


def test_workbook_upload_over_the_import_budget_is_stopped_in_french(
    web_store: SQLiteStore, tmp_path: Path
):
    # The web's uploads (workbook split included) run in the API's child process for imports:
    # past TOILES_IMPORT_TIMEOUT_S the child is killed, the page says so, nothing is stored.
    settings = Settings(store=f"sqlite:///{tmp_path / 'web.db'}", import_timeout_s=0.05)
    with TestClient(create_app(settings, store=web_store)) as client:
        sign_in(client, web_store, Role.EDITEUR)
        answer = client.post(
            "/importer",
            data={"toile_id": "petite", "version": "T2", "csrf": token(client, "/importer")},
            files={"files": ("ma toile.xlsx", _workbook([["a", "b", "chaleur", 10, "MWh"]]))},
        )
    assert answer.status_code == 503
    assert "import arrêté : plus de" in answer.text
    assert [s.version for s in web_store.list_versions("petite")] == ["T0"]


def test_signed_in_role_reads_as_a_french_word(web: TestClient, web_store: SQLiteStore):
    sign_in(web, web_store, Role.EDITEUR)
    home = web.get("/").text
    assert '<span class="badge">éditeur</span>' in home
    assert '<span class="badge">editeur</span>' not in home


def test_actor_sheet_names_the_business_park(web: TestClient, web_store: SQLiteStore):
    toile = small_toile("parc", "T0")
    park = Actor(id="zae-nord", name="Zone d'activités du Nord", kind="zae")
    firm = Actor(id="firm", name="Fonderie", kind="entreprise", zae="zae-nord")
    lost = Actor(id="lost", name="Sans parc connu", kind="entreprise", zae="zae-absente")
    web_store.save_toile(toile.model_copy(update={"actors": (*toile.actors, park, firm, lost)}))
    sheet = web.get("/toiles/parc/acteurs/firm").text
    assert "Zone d&#39;activités du Nord (zae-nord)" in sheet
    assert "<dd>zae-absente</dd>" in web.get("/toiles/parc/acteurs/lost").text


def test_upload_lists_the_blocking_error_before_the_warnings(
    web: TestClient, web_store: SQLiteStore
):
    # Ten flows without quantity (warnings) and one typo in a status (the error): the typo
    # must be the first thing the editor reads, the warnings apart.
    sign_in(web, web_store, Role.EDITEUR)
    rows: list[list[object]] = [["a", "b", "chaleur", None, None] for _ in range(10)]
    rows.append(["a", "b", "chaleur", 4, "MWhh"])
    answer = web.post(
        "/importer",
        data={"toile_id": "petite", "version": "T2", "csrf": token(web, "/importer")},
        files={"files": ("toile.xlsx", _workbook(rows))},
    )
    assert answer.status_code == 422
    text = answer.text
    error = text.index("feuille Flux:12: unit:")
    assert error < text.index("[avertissement]")
    assert "10 avertissement(s), qui n&#39;empêchent pas l&#39;import" in text
    assert text.index("<details") < text.index("[avertissement]")


def test_closure_impact_example_is_an_actor_of_the_toile(web: TestClient, web_store: SQLiteStore):
    # The field's example was « usine-a », an id no toile has: a reader copied it in vain.
    page = web.get("/toiles/petite").text
    match = re.search(r'id="impact-actors"[^>]*placeholder="([^"]*)"', page)
    assert match
    ids = {a.id for a in web_store.get_toile("petite").actors}
    assert match.group(1) in ids
