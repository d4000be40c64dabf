"""The agency's method end to end: five imports and the contacts merged into T0, sheets into T1.

The national files are real excerpts, as published (see ``tests/fixtures/opendata/README.md``):
four have rows in the Hauts-de-France; the BNPE export found is of Martinique, so its import
keeps nothing here and says why (``--allow-empty`` writes the empty toile that the merge
then counts). The contacts spreadsheet is invented.
"""

from __future__ import annotations

import csv
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES
from toiles.analysis.diff import toile_diff
from toiles.cli import main
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile, validate_toile

OPENDATA = FIXTURES / "opendata"
CONTACTS = FIXTURES / "merge" / "contacts_hauts_de_france_invente.csv"
TERRITORY = "Hauts-de-France"
#: One file per national source, as published (the SIRENE files zipped as INSEE ships them).
IMPORTS = (
    ("sirene", "StockEtablissement_utf8.zip"),
    ("reseaux-chaleur", "reseaux_chaleur_arrete_dpe_2026_extrait.csv"),
    ("irve", "irve_longueau_extrait.csv"),
    ("registre-electricite", "registre_odre_api_bouchain.json"),
    ("bnpe", "bnpe_site_export_martinique_extrait.csv"),
)
STATION = "station-athtbe1012061"  # a real ChargePoint station of Longueau, 22 kW


def _insee_zip(folder: Path, source: str, name: str) -> Path:
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(OPENDATA / source, f"{name}.csv")
    return archive


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), err
    return out


def _import_five(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Run ``toiles import`` on each national file; return the toile folders written."""
    stock = _insee_zip(
        tmp_path, "sirene_stock_etablissement_2024_extrait.csv", "StockEtablissement_utf8"
    )
    units = _insee_zip(tmp_path, "sirene_stock_unite_legale_extrait.csv", "StockUniteLegale_utf8")
    folders = []
    for source, name in IMPORTS:
        out = tmp_path / source
        path = stock if source == "sirene" else OPENDATA / name
        extra = ["--unites-legales", str(units)] if source == "sirene" else []
        if source == "bnpe":
            extra = ["--allow-empty"]
        said = run(
            capsys,
            monkeypatch,
            "import",
            source,
            str(path),
            "-t",
            TERRITORY,
            "--out",
            str(out),
            *extra,
        )
        if source == "bnpe":  # nothing of Martinique in the territory, and it says so
            assert "118 hors du territoire « Hauts-de-France » ; toile vide écrite" in " ".join(
                said.split()
            )
        folders.append(str(out))
    return folders


def _answer(doubts: list[list[str]], path: Path) -> None:
    """Answer as a person would in Excel: yes for the plant and the network, no for the
    sugar company's other establishments (same SIREN, other communes)."""
    for row in doubts[1:]:
        row[0] = "oui" if row[1].startswith("un nom") else "non"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(doubts)


def _correct(path: Path, flow: str, quantity: str) -> None:
    """Type a corrected quantity on a flow of a sheet, and the date, as an actor would."""
    book = openpyxl.load_workbook(path)
    flows = book["Flux"]
    row = next(r for r in range(5, flows.max_row + 1) if flows.cell(row=r, column=1).value == flow)
    flows.cell(row=row, column=6).value = quantity  # French Excel, typed as text
    book["Acteur"]["C5"] = "02/02/2027"
    book.save(path)


def test_five_imports_and_contacts_merge_then_sheets_give_exactly_the_corrected_quantity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = _import_five(tmp_path, capsys, monkeypatch)
    t0_dir = tmp_path / "t0"
    merge = ("merge", str(CONTACTS), *folders, "--theme", "energie", "--out", str(t0_dir))
    first = run(capsys, monkeypatch, *merge)
    assert "4 à confirmer" in " ".join(first.split())
    with (t0_dir / "a-confirmer.csv").open(encoding="utf-8-sig", newline="") as handle:
        doubts = list(csv.reader(handle, delimiter=";"))
    reasons = sorted(row[1] for row in doubts[1:])
    assert reasons == [
        "même SIREN, communes différentes",  # the sugar company's other establishments
        "même SIREN, communes différentes",
        "un nom contient l'autre, dans la même commune",  # Bouchain plant, Étouvie network
        "un nom contient l'autre, dans la même commune",
    ]
    _answer(doubts, t0_dir / "a-confirmer.csv")
    second = run(capsys, monkeypatch, *merge)
    assert "0 à confirmer" in " ".join(second.split())

    assert validate_toile(t0_dir).ok
    t0 = load_toile(t0_dir)
    assert (t0.theme.value, t0.version) == ("energie", "T0")
    with (t0_dir / "merge-report.csv").open(encoding="utf-8-sig", newline="") as handle:
        report = list(csv.DictReader(handle, delimiter=";"))
    rows = sum(len(load_toile(f).actors) for f in folders) + 5  # five contacts
    assert len(report) == rows  # every row of every source is accounted for, with its rule
    assert all(r["regle"] for r in report)
    assert {r["acteur_fusionne"] for r in report} == {a.id for a in t0.actors}
    rules = {(r["id_dans_la_source"], r["regle"]) for r in report}
    assert ("etab-00542012000015", "SIREN + commune") in rules
    assert ("etab-00552017600016", "nom normalisé + commune") in rules
    assert ("rcu-8001c", "confirmé à la main") in rules
    assert ("inst-17w000000012843v", "confirmé à la main") in rules
    sugar = next(a for a in t0.actors if a.siret == "00542012000015")
    assert (sugar.name, sugar.employees, sugar.naf) == ("Sucreries du Marquenterre", 45, "10.81Z")
    power = next(f for f in t0.flows if f.target == STATION and f.unit == "kW")
    assert power.quantity == 22

    sheets = tmp_path / "fiches"
    run(capsys, monkeypatch, "fiches", "write", str(t0_dir), "--out", str(sheets), "--no-pdf")
    _correct(sheets / f"fiche-{STATION}.xlsx", power.id, "24,5")

    t1_dir = tmp_path / "t1"
    out = run(
        capsys,
        monkeypatch,
        "fiches",
        "read",
        str(t0_dir),
        str(sheets),
        "--version",
        "T1",
        "--out",
        str(t1_dir),
    )
    assert power.id in out
    t1 = load_toile(t1_dir)
    diff = toile_diff(graph_from_toile(t0), graph_from_toile(t1))
    assert (diff.actors_added, diff.actors_removed, diff.actors_changed) == ([], [], [])
    assert (diff.flows_added, diff.flows_removed) == ([], [])
    [change] = diff.flows_changed
    assert (change.flow, change.quantity_delta) == (power.id, 2.5)
    assert {c.field for c in change.changes} == {"quantity", "provenance", "confidence"}
    corrected = next(f for f in t1.flows if f.id == power.id)
    assert corrected.provenance == "réponse de l'acteur (fiche du 02/02/2027)"
