"""The agency's method end to end: imports and contacts merged into T0, actor sheets into T1."""

from __future__ import annotations

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
HEAT_NETWORK = "contact-reseau-de-chaleur-exemple-de-bethune-reconstruit"


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    assert info.value.code in (0, None), err
    return out


def test_imports_merge_fiches_give_a_t1_with_exactly_the_corrected_quantity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = []
    for source, name in (
        ("sirene", "sirene_stock_reconstruit.csv"),
        ("reseaux-chaleur", "reseaux_chaleur_reconstruit.csv"),
        ("bnpe", "bnpe_site_export_reconstruit.csv"),
    ):
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
    report = validate_toile(t0_dir)
    assert report.ok
    t0 = load_toile(t0_dir)
    assert (t0.theme.value, t0.version) == ("energie", "T0")
    # The heat network of the contacts and of the heat-network list is one actor with its flows.
    gas = next(f for f in t0.flows if f.target == HEAT_NETWORK and f.source == "ext-gaz-naturel")
    assert (gas.quantity, gas.unit) == (17000, "MWh")

    sheets = tmp_path / "fiches"
    run(capsys, monkeypatch, "fiches", "write", str(t0_dir), "--out", str(sheets), "--no-pdf")
    path = sheets / f"fiche-{HEAT_NETWORK}.xlsx"
    book = openpyxl.load_workbook(path)
    flows = book["Flux"]
    row = next(
        r for r in range(5, flows.max_row + 1) if flows.cell(row=r, column=1).value == gas.id
    )
    flows.cell(row=row, column=6).value = "18 500,5"  # French Excel, typed as text
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
    assert "quantité +1 500 (unité de base)" in out  # the table rounds; the diff is exact
    t1 = load_toile(t1_dir)
    diff = toile_diff(graph_from_toile(t0), graph_from_toile(t1))
    assert (diff.actors_added, diff.actors_removed, diff.actors_changed) == ([], [], [])
    assert (diff.flows_added, diff.flows_removed) == ([], [])
    [change] = diff.flows_changed
    assert (change.flow, change.quantity_delta) == (gas.id, 1500.5)
    assert {c.field for c in change.changes} == {"quantity", "provenance", "confidence"}
    corrected = next(f for f in t1.flows if f.id == gas.id)
    assert corrected.provenance == "réponse de l'acteur (fiche du 02/02/2027)"
