"""The command line never stores what it cannot read back, and says so in French."""

import json
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


def test_load_expect_revision_refuses_a_stale_base(capsys, monkeypatch, db) -> None:  # noqa: F811
    folder = str(FIXTURES / "excel_fr_fixed")
    code, out, _ = run(capsys, monkeypatch, "load", folder, "--expect-revision", "0")
    assert code == 0
    assert "(révision 1)" in out
    code, _, err = run(capsys, monkeypatch, "load", folder, "--expect-revision", "0")
    assert code == 1
    assert "a changé depuis votre lecture (révision 1, vous partiez de la 0)" in err
    code, out, _ = run(capsys, monkeypatch, "load", folder, "--expect-revision", "1")
    assert (code, "(révision 2)" in out) == (0, True)


def test_history_lists_loads_with_their_author(capsys, monkeypatch, db) -> None:  # noqa: F811
    folder = str(FIXTURES / "excel_fr_fixed")
    run(capsys, monkeypatch, "load", folder)
    run(capsys, monkeypatch, "load", folder)
    code, out, _ = run(capsys, monkeypatch, "history", "zae-test", "--json")
    assert code == 0
    edits = json.loads(out)
    assert [(e["revision"], e["action"]) for e in edits] == [(2, "chargement"), (1, "chargement")]
    assert edits[0]["who"].endswith("(ligne de commande)")
    assert edits[0]["after"] == {"actors": 5, "flows": 5}
    code, out, _ = run(capsys, monkeypatch, "history", "zae-test")
    assert code == 0
    assert "chargement" in out


def test_backup_then_restore_brings_the_base_back(capsys, monkeypatch, db, tmp_path) -> None:  # noqa: F811
    run(capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_fixed"))
    dest = tmp_path / "sauvegardes" / "toiles.bak"
    code, out, _ = run(capsys, monkeypatch, "backup", str(dest))
    assert code == 0
    assert "Sauvegardée" in out
    assert dest.is_file()
    run(capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_fixed"), "--version", "T9")
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert [v["version"] for v in json.loads(out)] == ["T0", "T9"]
    code, out, _ = run(capsys, monkeypatch, "restore", str(dest), "--yes")
    assert code == 0
    assert "Restaurée : 1 version(s)" in out
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert [v["version"] for v in json.loads(out)] == ["T0"]


def test_restore_of_a_missing_file_changes_nothing(capsys, monkeypatch, db, tmp_path) -> None:  # noqa: F811
    run(capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_fixed"))
    code, _, err = run(capsys, monkeypatch, "restore", str(tmp_path / "absente.bak"), "--yes")
    assert code == 1
    assert "sauvegarde introuvable" in err
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert len(json.loads(out)) == 1
