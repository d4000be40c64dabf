"""Actor sheets: written from T0, filled in as French Excel would, read back into T1."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

from toiles.analysis.diff import toile_diff
from toiles.cli import main
from toiles.errors import ValidationError
from toiles.graph import graph_from_toile
from toiles.io.fiches import read_fiches, write_fiches
from toiles.loaders import load_toile
from toiles.models import Confidence, FlowKind, Toile
from toiles.reference import reference_dir
from toiles.territory import communes

ASNAES = "kal-asnaes"
GYPROC_FLOW = ("kal-asnaes", "kal-gyproc")  # 200 000 t of gypsum, published
WRITTEN = dt.date(2027, 3, 1)


@pytest.fixture(scope="module")
def t0() -> Toile:
    return load_toile(reference_dir("kalundborg-T0"))


@pytest.fixture
def sheets(t0: Toile, tmp_path: Path) -> Path:
    folder = tmp_path / "fiches"
    write_fiches(t0, folder, actors=[ASNAES, "kal-gyproc"], written=WRITTEN)
    return folder


def flow_row(book: openpyxl.Workbook, flow_id: str) -> int:
    sheet = book["Flux"]
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == flow_id:
            return row
    raise AssertionError(flow_id)


def gyproc_flow(t0: Toile) -> str:
    return next(f.id for f in t0.flows if (f.source, f.target) == GYPROC_FLOW)


def edit(folder: Path, actor: str, change: dict[str, object]) -> None:
    """Fill a sheet as a person does in Excel: ``{"Flux!F7": "180 000", ...}``."""
    path = folder / f"fiche-{actor}.xlsx"
    book = openpyxl.load_workbook(path)
    for where, value in change.items():
        tab, cell = where.split("!")
        book[tab][cell] = value
    book.save(path)


def same_but_version(a: Toile, b: Toile) -> bool:
    return a.model_dump(exclude={"version"}) == b.model_dump(exclude={"version"})


def test_write_fiches_workbook_has_lists_protection_and_t0_values(t0: Toile, sheets: Path) -> None:
    assert sorted(p.name for p in sheets.iterdir()) == [
        "fiche-kal-asnaes.pdf",
        "fiche-kal-asnaes.xlsx",
        "fiche-kal-gyproc.pdf",
        "fiche-kal-gyproc.xlsx",
    ]
    book = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")
    assert book.sheetnames == ["Acteur", "Flux", "Listes", "Infos"]
    actor, flows = book["Acteur"], book["Flux"]
    assert actor["B1"].value == "Fiche acteur — Centrale électrique d'Asnæs"
    assert (actor["A9"].value, actor["C9"].value) == ("kind", "Entreprise")
    assert actor.protection.sheet
    assert flows.protection.sheet
    assert actor["B8"].protection.locked
    assert not actor["C8"].protection.locked
    assert flows["A4"].protection.locked
    assert flows["A5"].protection.locked
    assert not flows["F5"].protection.locked  # a quantity can be corrected in place
    formulas = {v.formula1 for v in flows.data_validations.dataValidation}
    assert {"=Listes!$B$2:$B$30", "=Listes!$C$2:$C$28", "=Listes!$D$2:$D$4"} <= formulas
    lists = book["Listes"]
    assert [lists.cell(row=r, column=2).value for r in (2, 12)] == ["Prélèvement", "Chaleur"]
    assert book["Infos"].sheet_state == "veryHidden"
    row = flow_row(book, gyproc_flow(t0))
    assert [flows.cell(row=row, column=c).value for c in range(2, 11)] == [
        "fournit à",
        "kal-gyproc",
        "Gyproc (plaques de plâtre)",
        "Sous-produit",
        200000,
        "t",
        1995,
        "Existant",
        None,  # no temperature published
    ]
    pdf = (sheets / "fiche-kal-asnaes.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1


def test_read_fiches_untouched_sheets_give_t0(t0: Toile, sheets: Path) -> None:
    t1, answers = read_fiches(t0, sheets, version="T1")
    assert answers.files == 2
    assert t1.version == "T1"
    assert same_but_version(t0, t1)


def test_read_fiches_one_quantity_corrected_diff_shows_exactly_that(
    t0: Toile, sheets: Path
) -> None:
    book = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")
    row = flow_row(book, gyproc_flow(t0))
    # Typed as text in French Excel, with a no-break space; the date of the answer too.
    edit(sheets, ASNAES, {f"Flux!F{row}": "180\u00a0000", "Acteur!C5": "15/03/2027"})
    t1, _ = read_fiches(t0, sheets, version="T1")
    diff = toile_diff(graph_from_toile(t0), graph_from_toile(t1))
    assert (diff.actors_added, diff.actors_removed, diff.actors_changed) == ([], [], [])
    assert (diff.flows_added, diff.flows_removed) == ([], [])
    [change] = diff.flows_changed
    assert change.flow == gyproc_flow(t0)
    assert change.quantity_delta == -20000.0
    assert {c.field: (c.old, c.new) for c in change.changes} == {
        "quantity": (200000.0, 180000.0),
        "provenance": (
            next(f.provenance for f in t0.flows if f.id == change.flow),
            "réponse de l'acteur (fiche du 15/03/2027)",
        ),
        "confidence": ("moyenne", "haute"),
    }


def test_read_fiches_confirm_remove_add_and_correct_an_actor(t0: Toile, sheets: Path) -> None:
    book = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")
    gyproc = flow_row(book, gyproc_flow(t0))
    last = book["Flux"].max_row
    first_empty = next(
        r for r in range(5, last + 1) if book["Flux"].cell(row=r, column=1).value is None
    )
    edit(
        sheets,
        ASNAES,
        {
            f"Flux!K{gyproc}": "Exact",
            "Flux!K5": "n'existe plus",
            f"Flux!B{first_empty}": "fournit à",
            f"Flux!C{first_empty}": "kal-kommune",
            f"Flux!E{first_empty}": "Électricité",
            f"Flux!F{first_empty}": 12.5,
            f"Flux!G{first_empty}": "GWh",
            f"Flux!H{first_empty}": 1996,
            f"Flux!J{first_empty}": "45,5",  # temperature, typed as French text
            "Acteur!C12": 1200,  # employees
            "Acteur!C5": dt.date(2027, 3, 20),  # a date cell, as Excel saves it
        },
    )
    t1, _ = read_fiches(t0, sheets, version="T1")
    first_flow = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")["Flux"]["A5"].value
    flows = {f.id: f for f in t1.flows}
    assert first_flow not in flows
    confirmed = flows[gyproc_flow(t0)]
    assert (confirmed.quantity, confirmed.confidence) == (200000, Confidence.HAUTE)
    assert confirmed.provenance == "réponse de l'acteur (fiche du 20/03/2027)"
    [added] = [f for f in t1.flows if f.id not in {x.id for x in t0.flows}]
    assert (
        added.source,
        added.target,
        added.kind,
        added.quantity,
        added.unit,
        added.year,
        added.temperature,
    ) == (ASNAES, "kal-kommune", FlowKind.ELECTRICITE, 12.5, "GWh", 1996, 45.5)
    asnaes = t1.actor(ASNAES)
    assert asnaes.employees == 1200
    assert asnaes.provenance == "réponse de l'acteur (fiche du 20/03/2027)"
    assert t1.actor("kal-gyproc") == t0.actor("kal-gyproc")  # its sheet came back untouched


def test_read_fiches_every_problem_named_by_file_and_cell(t0: Toile, sheets: Path) -> None:
    book = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")
    row = flow_row(book, gyproc_flow(t0))
    edit(
        sheets,
        ASNAES,
        {
            f"Flux!F{row}": "beaucoup",
            "Flux!E5": "Charbon",
            f"Flux!K{row + 1}": "peut-être",
            "Acteur!C12": "douze",
        },
    )
    with pytest.raises(ValidationError) as info:
        read_fiches(t0, sheets, version="T1")
    path = sheets / "fiche-kal-asnaes.xlsx"
    messages = [str(p) for p in info.value.errors]
    assert f"{path}:Acteur!C12: Effectif salarié : nombre attendu (valeur : « douze »)" in messages
    assert f"{path}:Flux!F{row}: nombre attendu (valeur : « beaucoup »)" in messages
    assert any(m.startswith(f"{path}:Flux!E5: valeur inconnue") for m in messages)
    assert (
        f"{path}:Flux!K{row + 1}: réponse attendue : « exact », « corrigé », « n'existe plus » (valeur : « peut-être »)"
        in messages
    )


def test_read_fiches_two_sheets_disagree_on_one_flow(t0: Toile, sheets: Path) -> None:
    flow = gyproc_flow(t0)
    for actor, value in ((ASNAES, 180000), ("kal-gyproc", 150000)):
        book = openpyxl.load_workbook(sheets / f"fiche-{actor}.xlsx")
        edit(sheets, actor, {f"Flux!F{flow_row(book, flow)}": value})
    with pytest.raises(ValidationError, match="mettre les deux fiches d'accord"):
        read_fiches(t0, sheets, version="T1")


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_cli_fiches_write_then_read_prints_the_change(
    t0: Toile, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    toile = str(reference_dir("kalundborg-T0"))
    folder = tmp_path / "fiches"
    code, out, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "write",
        toile,
        "--out",
        str(folder),
        "--actor",
        ASNAES,
        "--no-pdf",
    )
    assert code == 0, err
    assert [p.name for p in folder.iterdir()] == ["fiche-kal-asnaes.xlsx"]
    book = openpyxl.load_workbook(folder / "fiche-kal-asnaes.xlsx")
    edit(folder, ASNAES, {f"Flux!F{flow_row(book, gyproc_flow(t0))}": "abc"})
    code, out, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "read",
        toile,
        str(folder),
        "--version",
        "T1",
        "--out",
        str(tmp_path / "t1"),
    )
    assert code == 1
    assert "Flux!F" in out
    assert "rien n'a été écrit" in err
    assert not (tmp_path / "t1").exists()
    edit(folder, ASNAES, {f"Flux!F{flow_row(book, gyproc_flow(t0))}": 180000})
    code, out, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "read",
        toile,
        str(folder),
        "--version",
        "T1",
        "--out",
        str(tmp_path / "t1"),
    )
    assert code == 0, err
    assert "T1 écrite" in out
    assert "1 modifié(s)" in " ".join(out.split())
    assert load_toile(tmp_path / "t1").version == "T1"


def test_read_fiches_corrected_flow_must_stay_valid(t0: Toile, sheets: Path) -> None:
    book = openpyxl.load_workbook(sheets / "fiche-kal-asnaes.xlsx")
    row = flow_row(book, gyproc_flow(t0))
    edit(sheets, ASNAES, {f"Flux!G{row}": "kW"})  # a power for a by-product
    with pytest.raises(ValidationError) as info:
        read_fiches(t0, sheets, version="T1")
    [problem] = info.value.errors
    assert str(problem).startswith(
        f"{sheets / 'fiche-kal-asnaes.xlsx'}:Flux!E{row}:J{row}: unité kW"
    )


def test_write_fiches_two_ids_one_file_name_is_refused(tmp_path: Path) -> None:
    from toiles.models import Actor

    toile = Toile(
        id="t",
        name="t",
        theme="energie",
        actors=(
            Actor(id="a:b", name="A", kind="entreprise"),
            Actor(id="a-b", name="B", kind="entreprise"),
        ),
    )
    with pytest.raises(ValidationError, match="même nom de fiche"):
        write_fiches(toile, tmp_path / "f", pdf=False)
    assert not (tmp_path / "f").exists()


def test_cli_fiches_write_kind_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    toile = str(reference_dir("artois-energie-T0"))
    folder = tmp_path / "fiches"
    code, _, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "write",
        toile,
        "--out",
        str(folder),
        "--kind",
        "EPCI",
        "--no-pdf",
    )
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == [
        "fiche-epci-7vallees.xlsx",
        "fiche-epci-cabbalr.xlsx",
        "fiche-epci-call.xlsx",
        "fiche-epci-ternois.xlsx",
    ]
    code, _, err = run(
        capsys, monkeypatch, "fiches", "write", toile, "--out", str(folder), "--kind", "usine"
    )
    assert code == 1
    assert "type d'acteur usine" in err


def test_read_fiches_corrected_actor_must_stay_valid(t0: Toile, sheets: Path) -> None:
    edit(sheets, ASNAES, {"Acteur!C10": "12345678901234"})  # the SIRET row, bad checksum
    with pytest.raises(ValidationError) as info:
        read_fiches(t0, sheets, version="T1")
    [problem] = info.value.errors
    assert str(problem).startswith(f"{sheets / 'fiche-kal-asnaes.xlsx'}:Acteur!C10: ")
    assert "12345678901234" in str(problem)


def test_cli_fiches_read_stored_toile_saves_t1_in_the_store(
    t0: Toile, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toiles.graph_db import open_store

    url = f"sqlite:///{tmp_path / 'fiches.db'}"
    store = open_store(url)
    store.save_toile(t0)
    folder = tmp_path / "fiches"
    code, _, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "write",
        "kalundborg",
        "--store",
        url,
        "--out",
        str(folder),
        "--actor",
        ASNAES,
        "--no-pdf",
    )
    assert code == 0, err
    code, out, err = run(
        capsys,
        monkeypatch,
        "fiches",
        "read",
        "kalundborg",
        str(folder),
        "--version",
        "T1",
        "--store",
        url,
    )
    assert code == 0, err
    assert "Aucun changement de T0 à T1." in out
    stored = open_store(url)  # the store gives actors and flows in its own order
    assert same_but_version(
        stored.get_toile("kalundborg", "T1"), stored.get_toile("kalundborg", "T0")
    )
    # The history names who stored T1 from the command line, not « inconnu ».
    (record,) = stored.list_edits("kalundborg", "T1")
    assert record.who.endswith("ligne de commande)")


def test_fiche_shows_the_naf_label_and_reads_the_code_back(tmp_path: Path) -> None:
    t0 = load_toile(reference_dir("artois-energie-T0"))
    folder = tmp_path / "fiches"
    write_fiches(t0, folder, actors=["ent-acieries-lys", "ent-cogen-mazingarbe"], written=WRITTEN)
    book = openpyxl.load_workbook(folder / "fiche-ent-acieries-lys.xlsx")
    assert (book["Acteur"]["A11"].value, book["Acteur"]["C11"].value) == (
        "naf",
        "24.10Z — Sidérurgie",
    )
    untouched, _ = read_fiches(t0, folder, version="T1")
    assert same_but_version(t0, untouched)  # the label written beside the code is no change
    edit(folder, "ent-cogen-mazingarbe", {"Acteur!C11": "2410z"})
    t1, _ = read_fiches(t0, folder, version="T1")
    assert t1.actor("ent-cogen-mazingarbe").naf == "24.10Z"
    assert t1.actor("ent-acieries-lys").naf == "24.10Z"


def test_fiche_shows_the_commune_name_and_reads_a_name_back(tmp_path: Path) -> None:
    t0 = load_toile(reference_dir("artois-energie-T0"))
    folder = tmp_path / "fiches"
    write_fiches(t0, folder, actors=["ent-acieries-lys", "ent-cogen-mazingarbe"], written=WRITTEN)
    sheet = openpyxl.load_workbook(folder / "fiche-ent-acieries-lys.xlsx")["Acteur"]
    row = next(
        r
        for r in range(5, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "commune_insee"
    )
    insee = t0.actor("ent-acieries-lys").commune_insee
    assert insee is not None
    assert sheet.cell(row=row, column=3).value == f"{insee} — {communes()[insee].name}"
    untouched, _ = read_fiches(t0, folder, version="T1")
    assert same_but_version(t0, untouched)  # the name written beside the code is no change
    edit(folder, "ent-cogen-mazingarbe", {f"Acteur!C{row}": "Béthune"})  # a person writes a name
    t1, _ = read_fiches(t0, folder, version="T1")
    assert t1.actor("ent-cogen-mazingarbe").commune_insee == "62119"


def test_fiche_pdf_prints_a_long_description_whole_and_fits_capitals() -> None:
    from toiles.io.fiches import _short, description_lines  # private helper

    # SIRENE's description of the Marconnelle establishment, cut at 48 characters in the
    # cell: the printed sheet must still carry all of it.
    text = (
        "SIRET 00542012000031 ; effectif : tranche INSEE 03 (6 à 9 salariés), borne basse "
        "retenue ; RTE NATIONALE 62140 MARCONNELLE"
    )
    printed = " ".join(description_lines(text))
    assert printed == f"Description complète : {text}"
    assert description_lines("Aciérie électrique.") == []
    # A name in capitals takes more room than the same letters in lower case.
    name = "SOCIETE DES SUCRERIES DU MARQUENTERRE — Marconnelle"
    assert len(_short(name, 48)) < len(_short(name.title(), 48)) <= 48


def test_fiche_commune_name_of_several_communes_is_refused_with_the_list(tmp_path: Path) -> None:
    # « Beaumont » is eight communes: the sheet must say so, as the contacts loader does,
    # not ask for a five-character code.
    t0 = load_toile(reference_dir("artois-energie-T0"))
    folder = tmp_path / "fiches"
    write_fiches(t0, folder, actors=["ent-acieries-lys"], written=WRITTEN, pdf=False)
    sheet = openpyxl.load_workbook(folder / "fiche-ent-acieries-lys.xlsx")["Acteur"]
    row = next(
        r
        for r in range(5, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == "commune_insee"
    )
    edit(folder, "ent-acieries-lys", {f"Acteur!C{row}": "Beaumont"})
    with pytest.raises(ValidationError) as info:
        read_fiches(t0, folder, version="T1")
    (problem,) = info.value.errors
    text = str(problem)
    assert f"fiche-ent-acieries-lys.xlsx:Acteur!C{row}: Commune" in text
    assert "8 communes portent ce nom : Beaumont (07029)" in text
    assert "« Beaumont (07) »" in text
    edit(folder, "ent-acieries-lys", {f"Acteur!C{row}": "Nulle-Part-sur-Rien"})
    with pytest.raises(ValidationError) as info:
        read_fiches(t0, folder, version="T1")
    assert "commune inconnue" in str(info.value.errors[0])


def test_fiche_workbook_rows_grow_with_long_values(tmp_path: Path) -> None:
    # Excel and LibreOffice keep a row's stored height: a long name or description in a
    # wrapped cell ran over the next row, or was cut, until the row was made taller.
    t0 = load_toile(reference_dir("artois-energie-T0"))
    long_text = "Aciérie électrique et tôles magnétiques, " * 5
    actor = t0.actor("ent-acieries-lys").model_copy(update={"description": long_text})
    toile = t0.model_copy(
        update={"actors": tuple(actor if a.id == actor.id else a for a in t0.actors)}
    )
    write_fiches(toile, tmp_path, actors=["ent-acieries-lys"], written=WRITTEN, pdf=False)
    sheet = openpyxl.load_workbook(tmp_path / "fiche-ent-acieries-lys.xlsx")["Acteur"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(5, sheet.max_row + 1)}
    assert sheet.row_dimensions[rows["description"]].height >= 15 * 4
    assert sheet.row_dimensions[rows["name"]].height is None  # a short name keeps one line


def test_fiche_flow_sheet_headers_wrap_and_long_partner_names_grow_their_row(
    tmp_path: Path,
) -> None:
    t0 = load_toile(reference_dir("artois-energie-T1"))
    write_fiches(t0, tmp_path, actors=["enedis"], written=WRITTEN, pdf=False)
    sheet = openpyxl.load_workbook(tmp_path / "fiche-enedis.xlsx")["Flux"]
    header = next(
        r for r in range(1, 10) if sheet.cell(row=r, column=1).value == "Identifiant du flux"
    )
    assert sheet.cell(row=header, column=1).alignment.wrap_text
    assert sheet.row_dimensions[header].height == 30
    # « Unité de Valorisation Énergétique du Béthunois » is wider than its column.
    row = next(
        r
        for r in range(header + 1, sheet.max_row + 1)
        if str(sheet.cell(row=r, column=4).value).startswith("Unité de Valorisation")
    )
    assert sheet.row_dimensions[row].height == 30
