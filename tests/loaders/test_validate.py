import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import FIXTURES
from toiles.errors import ValidationError
from toiles.loaders import load_toile, validate_toile

# Every error planted in tests/fixtures/excel_fr_errors, as (file, line, column, words).
PLANTED = [
    ("actors.csv", 7, "Identifiant", "en double"),
    ("actors.csv", 8, "SIRET", "Luhn"),
    ("actors.csv", 9, "Latitude", "inférieur ou égal à 90"),
    ("actors.csv", 10, "Type", "vouliez-vous dire « entreprise »"),
    ("flows.csv", 7, "Origine", "acteur inconnu"),
    ("flows.csv", 8, "Quantité", "supérieur ou égal à 0"),
    ("flows.csv", 9, "Quantité", "nombre attendu"),
    ("flows.csv", 10, "Unité", "unité inconnue"),
    ("flows.csv", 11, "Unité", "famille Énergie impossible"),
    ("flows.csv", 12, "Statut", "vouliez-vous dire « existant »"),
    ("flows.csv", 13, "Confidentialité", "valeur inconnue"),
]


def test_validate_toile_lists_every_planted_error() -> None:
    report = validate_toile(FIXTURES / "excel_fr_errors")
    found = {(Path(p.file).name, p.line, p.column): p.message for p in report.errors}
    for file, line, column, words in PLANTED:
        assert (file, line, column) in found, f"missing {file}:{line} {column}"
        assert words in found[(file, line, column)]
    assert len(report.errors) == len(PLANTED)
    assert not report.ok
    assert report.toile is None


def test_validate_toile_error_line_format() -> None:
    report = validate_toile(FIXTURES / "excel_fr_errors")
    lines = [str(p) for p in report.errors]
    assert any(
        line.endswith("flows.csv:8: Quantité: doit être supérieur ou égal à 0 (valeur : « -12 »)")
        for line in lines
    )


def test_load_toile_fixed_folder_reads_french_numbers() -> None:
    toile = load_toile(FIXTURES / "excel_fr_fixed")
    flows = {(f.source, f.target, f.kind.value): f for f in toile.flows}
    assert flows[("usine-a", "reseau-b", "chaleur_fatale")].quantity == 1234.5
    assert flows[("step-d", "usine-a", "reutilisation")].quantity == 120000.0
    assert flows[("step-d", "usine-a", "reutilisation")].unit == "m3"
    actors = {a.id: a for a in toile.actors}
    assert actors["usine-a"].employees == 1250
    assert actors["usine-a"].lat == pytest.approx(50.5331)
    assert actors["reseau-b"].commune_insee == "62119"  # written as "Béthune"
    assert toile.theme.value == "energie"  # written as "Énergie"
    assert len(toile.actors) == 5
    assert len(toile.flows) == 5


def test_load_toile_errors_raise_with_all_problems() -> None:
    with pytest.raises(ValidationError) as info:
        load_toile(FIXTURES / "excel_fr_errors")
    assert len(info.value.errors) == len(PLANTED)


def test_validate_toile_generated_flow_ids_are_stable() -> None:
    first = load_toile(FIXTURES / "excel_fr_fixed")
    second = load_toile(FIXTURES / "excel_fr_fixed")
    assert [f.id for f in first.flows] == [f.id for f in second.flows]
    assert len({f.id for f in first.flows}) == len(first.flows)


def test_validate_toile_missing_column_and_files(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "excel_fr_fixed", tmp_path / "t")
    flows = tmp_path / "t" / "flows.csv"
    flows.write_text("Origine;Type\nusine-a;chaleur\n", encoding="utf-8")
    report = validate_toile(tmp_path / "t")
    assert [(p.line, p.column) for p in report.errors] == [(1, "target")]
    (tmp_path / "t" / "actors.csv").unlink()
    report = validate_toile(tmp_path / "t")
    assert any("actors.csv" in p.file and "absent" in p.message for p in report.errors)
    assert validate_toile(tmp_path / "nope").errors[0].message == "dossier ou fichier introuvable"


def test_validate_toile_bad_yaml_and_theme(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "excel_fr_fixed", tmp_path / "t")
    info = tmp_path / "t" / "toile.yaml"
    info.write_text("id: x\nname: X\ntheme: énergies renouvelables\n", encoding="utf-8")
    [problem] = validate_toile(tmp_path / "t").errors
    assert (problem.line, problem.column) == (3, "theme")
    info.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    [problem] = validate_toile(tmp_path / "t").errors
    assert "YAML illisible" in problem.message
    assert problem.line is not None


def test_validate_toile_xlsx(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(FIXTURES / "excel_fr_fixed", folder)
    (folder / "flows.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Origine", "Cible", "Type", "Quantité", "Unité", "Année"])
    sheet.append(["usine-a", "reseau-b", "chaleur", 1234.5, "MWh", 2023])
    sheet.append(["usine-a", "inconnu", "chaleur", 1, "MWh", 2023])
    book.save(folder / "flows.xlsx")
    report = validate_toile(folder)
    [problem] = report.errors
    assert (Path(problem.file).name, problem.line, problem.column) == ("flows.xlsx", 3, "Cible")


def test_validate_toile_utf8_bom_comma_file(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(FIXTURES / "excel_fr_fixed", folder)
    text = (
        (folder / "flows.csv")
        .read_bytes()
        .decode("cp1252")
        .replace(";", ",")
        .replace("1\u00a0234,5", '"1 234,5"')
    )
    text = text.replace("2,5;GWh", "2.5;GWh").replace("2,5,GWh", '"2,5",GWh')
    (folder / "flows.csv").write_bytes("\ufeff".encode() + text.encode("utf-8"))
    toile = load_toile(folder)
    assert {f.quantity for f in toile.flows} >= {1234.5, 2.5}
