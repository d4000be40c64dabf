"""The agency's method end to end: five imports and the contacts merged into T0, sheets into T1."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES
from toiles.analysis.diff import toile_diff
from toiles.cli import main
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile, validate_toile

OPENDATA = FIXTURES / "opendata"
CONTACTS = FIXTURES / "merge" / "contacts_epci_invente.csv"
# One file per national source, for the Pas-de-Calais; see tests/fixtures/opendata/README.md
# for which are real excerpts (the heat networks) and which are reconstructed.
IMPORTS = (
    ("sirene", "sirene_stock_reconstruit.csv"),
    ("reseaux-chaleur", "reseaux_chaleur_arrete_dpe_2026_extrait.csv"),
    ("irve", "irve_artois_cas_limites.csv"),
    ("registre-electricite", "registre_artois_camelcase_reconstruit.csv"),
    ("bnpe", "bnpe_site_export_reconstruit.csv"),
)
PLANT = "inst-17w100exemple001"  # a wind farm of the register excerpt, 24 500 MWh a year


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), err
    return out


def test_five_imports_and_contacts_merge_then_sheets_give_exactly_the_corrected_quantity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = []
    for source, name in IMPORTS:
        out = tmp_path / source
        run(
            capsys,
            monkeypatch,
            "import",
            source,
            str(OPENDATA / name),
            "-t",
            "62",
            "--out",
            str(out),
        )
        folders.append(str(out))
    t0_dir = tmp_path / "t0"
    run(
        capsys,
        monkeypatch,
        "merge",
        str(CONTACTS),
        *folders,
        "--theme",
        "energie",
        "--out",
        str(t0_dir),
    )
    assert validate_toile(t0_dir).ok
    t0 = load_toile(t0_dir)
    assert (t0.theme.value, t0.version) == ("energie", "T0")
    with (t0_dir / "merge-report.csv").open(encoding="utf-8-sig", newline="") as handle:
        report = list(csv.DictReader(handle, delimiter=";"))
    rows = sum(len(load_toile(f).actors) for f in folders) + 6  # six contacts
    assert len(report) == rows  # every row of every source is accounted for, with its rule
    assert all(r["regle"] for r in report)
    assert {r["acteur_fusionne"] for r in report} == {a.id for a in t0.actors}
    plant = next(f for f in t0.flows if f.source == PLANT)
    assert (plant.quantity, plant.unit) == (24500, "MWh")

    sheets = tmp_path / "fiches"
    run(capsys, monkeypatch, "fiches", "write", str(t0_dir), "--out", str(sheets), "--no-pdf")
    path = sheets / f"fiche-{PLANT}.xlsx"
    book = openpyxl.load_workbook(path)
    flows = book["Flux"]
    row = next(
        r for r in range(5, flows.max_row + 1) if flows.cell(row=r, column=1).value == plant.id
    )
    flows.cell(row=row, column=6).value = "25 000,5"  # French Excel, typed as text
    book["Acteur"]["C5"] = "02/02/2027"
    book.save(path)

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
    assert "quantité +500 (unité de base)" in out  # the table rounds; the diff is exact
    t1 = load_toile(t1_dir)
    diff = toile_diff(graph_from_toile(t0), graph_from_toile(t1))
    assert (diff.actors_added, diff.actors_removed, diff.actors_changed) == ([], [], [])
    assert (diff.flows_added, diff.flows_removed) == ([], [])
    [change] = diff.flows_changed
    assert (change.flow, change.quantity_delta) == (plant.id, 500.5)
    assert {c.field for c in change.changes} == {"quantity", "provenance", "confidence"}
    corrected = next(f for f in t1.flows if f.id == plant.id)
    assert corrected.provenance == "réponse de l'acteur (fiche du 02/02/2027)"
