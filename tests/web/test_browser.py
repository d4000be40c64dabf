"""End-to-end scenarios of the web application in Debian's Chromium, against a real server.

Every page visited is checked with axe-core (no serious or critical violation); the ``guard``
fixture fails a test on any console error or any request leaving 127.0.0.1.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Guard, LiveServer, attach_guard, axe_violations
from toiles.access import Role
from toiles.api.security import role_of_key

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def visit(page: Page, url: str) -> None:
    """Open a page, wait for it to settle, and check it with axe-core."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []


def sign_in(page: Page, live: LiveServer, key: str) -> None:
    visit(page, f"{live.url}/connexion")
    page.get_by_label("Clé d'API").fill(key)
    page.get_by_role("button", name="Se connecter", exact=True).last.click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_anonymous_visitor_browses_and_downloads_a_public_poster(
    page: Page, live: LiveServer, guard: Guard, tmp_path: Path
):
    visit(page, live.url + "/")
    expect(page.get_by_text("« Version publique »")).to_be_visible()
    card = page.get_by_role("link", name="Petite toile")
    expect(card).to_be_visible()
    # Only what is public is counted: 4 actors (the incinerator is for partners), 4 flows.
    expect(page.locator(".card .counts")).to_have_text("4 acteurs · 4 flux")
    card.click()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    frame = page.frame_locator("#picture")
    expect(frame.locator("#network")).to_be_visible()
    page.get_by_role("link", name="Acteurs clés").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".explanation")).to_contain_text("acteur")
    expect(page.locator(".result table").first).to_contain_text("Sucrerie des Deux Villes")
    expect(page.frame_locator("#picture").locator("#hl-title")).to_have_text("Acteurs clés")
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="A3 PNG").first.click()
    download = download_info.value
    assert download.suggested_filename == "petite-T0-A3-publique.png"
    saved = tmp_path / "poster.png"
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The embed snippet is there to copy, and no full poster is offered to anonymous visitors.
    expect(page.get_by_label("Code à copier")).to_have_value(
        f'<iframe src="{live.url}/embed/petite" title="Petite toile" width="100%" height="600"'
        ' loading="lazy"></iframe>'
    )
    expect(page.get_by_text("Affiche (complète)")).to_have_count(0)
    # The framed picture is a page of its own: checked with axe-core too.
    visit(page, f"{live.url}/toiles/petite/toile.html?analysis=centrality")
    expect(page.locator("#network")).to_be_visible()


def test_partner_signs_in_and_sees_partner_flows(page: Page, live: LiveServer, guard: Guard):
    visit(page, f"{live.url}/toiles/petite/acteurs/reseau")
    incoming = page.get_by_role("region", name="Flux entrants")
    expect(incoming).to_contain_text("Sucrerie des Deux Villes")
    expect(incoming).not_to_contain_text("Unité de valorisation énergétique")
    sign_in(page, live, live.keys[Role.PARTENAIRE])
    expect(page.get_by_text("« Version publique »")).to_have_count(0)
    expect(page.locator(".card .counts")).to_have_text("5 acteurs · 5 flux")
    visit(page, f"{live.url}/toiles/petite/acteurs/reseau")
    expect(page.get_by_role("region", name="Flux entrants")).to_contain_text(
        "Unité de valorisation énergétique"
    )
    cookie = next(c for c in page.context.cookies() if c["name"] == "toiles_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert live.keys[Role.PARTENAIRE] not in page.url
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("« Version publique »")).to_be_visible()
    visit(page, f"{live.url}/toiles/petite/acteurs/reseau")
    expect(page.get_by_role("region", name="Flux entrants")).not_to_contain_text(
        "Unité de valorisation énergétique"
    )


def _toile_zip(flows_csv: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "ma-toile/toile.yaml",
            "id: nouvelle\nname: Toile importée\ntheme: energie\nversion: T0\n",
        )
        archive.writestr(
            "ma-toile/actors.csv",
            "id,name,kind\nchaufferie,Chaufferie bois,equipement\nhopital,Hôpital,entreprise\n",
        )
        archive.writestr("ma-toile/flows.csv", flows_csv)
    return buffer.getvalue()


def test_editor_uploads_a_toile_with_an_error_then_fixes_it(
    page: Page, live: LiveServer, guard: Guard, tmp_path: Path
):
    guard.allowed_statuses.add(422)  # the refused upload's page
    sign_in(page, live, live.keys[Role.EDITEUR])
    visit(page, f"{live.url}/toiles/petite/acteurs/usine")  # the editor's sheet, with axe
    expect(page.locator("#identity-title + dl")).to_contain_text("10.81Z — Fabrication de sucre")
    expect(page.get_by_role("link", name="Modifier", exact=True).first).to_be_visible()
    visit(page, f"{live.url}/importer")
    bad = tmp_path / "toile.zip"
    bad.write_bytes(
        _toile_zip(
            "source,target,kind,quantity,unit\n"
            "chaufferie,hopital,chaleur,1200,MWh\n"
            "chaufferie,hopital,chaleurr,5,MWh\n"
        )
    )
    page.get_by_label("Identifiant de la toile").fill("nouvelle")
    page.get_by_label("Fichiers").set_input_files(str(bad))
    page.get_by_role("button", name="Vérifier et importer").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("rien n'a été enregistré")
    expect(problems).to_contain_text("flows.csv:3: kind:")
    assert axe_violations(page) == []
    assert "nouvelle" not in {s.id for s in live.store.list_toiles()}
    good = tmp_path / "toile-corrigee.zip"
    good.write_bytes(
        _toile_zip(
            "source,target,kind,quantity,unit\n"
            "chaufferie,hopital,chaleur,1200,MWh\n"
            "chaufferie,hopital,chaleur,5,MWh\n"
        )
    )
    page.get_by_label("Fichiers").set_input_files(str(good))
    page.get_by_role("button", name="Vérifier et importer").click()
    expect(page.get_by_role("status")).to_contain_text("Version importée")
    page.get_by_role("link", name="Toile importée (T0)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toile importée")
    expect(page.locator(".toile-head .meta")).to_contain_text("2 acteurs · 2 flux")
    visit(page, f"{live.url}/historique")
    expect(page.locator("table")).to_contain_text("Chargement : 2 acteurs, 2 flux")
    expect(page.locator("table")).to_contain_text("clé editeur (clé ")


def test_two_editors_change_the_same_actor_and_the_second_is_told(
    browser: Browser, live: LiveServer
):
    guards = []
    pages = []
    for _ in range(2):
        context = browser.new_context()
        editor_page = context.new_page()
        watched = Guard(allowed_statuses={409})  # the conflict page
        attach_guard(editor_page, watched)
        guards.append(watched)
        sign_in(editor_page, live, live.keys[Role.EDITEUR])
        visit(editor_page, f"{live.url}/toiles/petite/acteurs/usine/modifier")
        pages.append(editor_page)
    first, second = pages
    first.get_by_label("Effectifs").fill("260")
    first.get_by_role("button", name="Enregistrer").click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Sucrerie des Deux Villes")
    expect(first.locator(".facts").first).to_contain_text("260")
    second.get_by_label("Nom", exact=True).fill("Sucrerie renommée")
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_role("alert")).to_contain_text("Conflit")
    expect(second.get_by_role("alert")).to_contain_text("Rien n'a été enregistré")
    expect(second.get_by_label("Effectifs")).to_have_value("260")
    assert axe_violations(second) == []
    actor = live.store.get_actor("petite", "usine")
    assert (actor.name, actor.employees) == ("Sucrerie des Deux Villes", 260)
    # On the values now shown, the second editor's change goes through.
    second.get_by_label("Nom", exact=True).fill("Sucrerie renommée")
    second.get_by_role("button", name="Enregistrer").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Sucrerie renommée")
    assert live.store.get_actor("petite", "usine").employees == 260
    for watched in guards:
        assert watched.console_errors == []
        assert watched.hosts <= {"127.0.0.1"}


def test_admin_creates_and_revokes_a_key(page: Page, live: LiveServer, guard: Guard):
    sign_in(page, live, live.keys[Role.ADMIN])
    visit(page, f"{live.url}/admin/cles")
    page.get_by_label("Nom de la clé").fill("Partenaire CALL")
    page.get_by_label("Rôle").select_option("partenaire")
    page.get_by_role("button", name="Créer la clé").click()
    expect(page.get_by_role("status")).to_contain_text("elle ne sera plus jamais affichée")
    key = page.locator("#new-key").input_value()
    assert key.startswith("tk_")
    assert role_of_key(live.store, key) is Role.PARTENAIRE
    assert axe_violations(page) == []
    visit(page, f"{live.url}/admin/cles")
    assert key not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Révoquer Partenaire CALL").click()
    expect(page.get_by_role("row", name="Partenaire CALL")).to_contain_text("révoquée")
    assert role_of_key(live.store, key) is None


def test_keyboard_alone_reaches_an_analysis(page: Page, live: LiveServer, guard: Guard):
    visit(page, f"{live.url}/toiles/petite")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    for _ in range(40):  # tab through the page until the analysis link has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Acteurs clés":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Acteurs clés", level=2)).to_be_visible()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (820, 1180)])
def test_pages_fit_a_laptop_and_a_tablet(
    page: Page, live: LiveServer, guard: Guard, width: int, height: int
):
    page.set_viewport_size({"width": width, "height": height})
    for path in ("/", "/toiles/petite?analysis=loops", "/toiles/petite/acteurs/usine"):
        visit(page, live.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    picture = page.goto(live.url + "/toiles/petite")
    assert picture is not None
    box = page.locator("#picture").bounding_box()
    assert box is not None
    assert box["width"] >= 0.6 * width - 40
    assert box["height"] >= 400
