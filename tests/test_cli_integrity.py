"""The command line never stores what it cannot read back, and says so in French."""

import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.test_cli import db, run  # noqa: F401  # the db fixture is used by name

SIRET_WITH_BAD_SIREN = "55270102500025"


def _folder_with(tmp_path: Path, old: str, new: str, name: str = "actors.csv") -> Path:
    folder = tmp_path / "toile"
    shutil.copytree(FIXTURES / "excel_fr_fixed", folder)
    table = folder / name
    text = table.read_text(encoding="cp1252")
    assert old in text
    table.write_text(text.replace(old, new), encoding="cp1252")
    return folder


def test_validate_refuses_siret_whose_siren_fails(capsys, monkeypatch, tmp_path) -> None:
    folder = _folder_with(tmp_path, "73282932000074", SIRET_WITH_BAD_SIREN)
    code, out, _ = run(capsys, monkeypatch, "validate", str(folder))
    assert code == 1
    assert "son SIREN 552701025 a une clé de Luhn fausse" in out
    assert "actors.csv:2" in out


def test_load_refuses_siret_whose_siren_fails(capsys, monkeypatch, db, tmp_path) -> None:  # noqa: F811
    folder = _folder_with(tmp_path, "73282932000074", SIRET_WITH_BAD_SIREN)
    code, _, err = run(capsys, monkeypatch, "load", str(folder))
    assert code == 1
    assert "rien n'a été enregistré" in err
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert (code, out.strip()) == (0, "[]")


def test_load_refuses_quantity_that_overflows(capsys, monkeypatch, db, tmp_path) -> None:  # noqa: F811
    folder = _folder_with(tmp_path, "2,5;GWh", "1e308;TWh", "flows.csv")
    code, out, err = run(capsys, monkeypatch, "load", str(folder))
    assert code == 1
    assert "quantité hors limites" in out
    assert "flows.csv:3" in out
    assert "rien n'a été enregistré" in err
