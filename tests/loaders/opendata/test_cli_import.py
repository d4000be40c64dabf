"""``toiles import`` as a user runs it: the real excerpts, exit codes and French messages."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA
from toiles.cli import main
from toiles.loaders import load_toile


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out + err


def test_import_irve_vendee_with_territory_85(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "irve-85"
    code, text = run(
        capsys,
        monkeypatch,
        "import",
        "irve",
        str(OPENDATA / "irve_consolide_extrait.csv"),
        "--territory",
        "85",
        "--out",
        str(out),
    )
    assert code == 0, text
    assert "1 point(s) sans code INSEE placé(s) par le code postal" in text
    assert "Toile écrite" in text
    assert [a.commune_insee for a in load_toile(out).actors if a.id.startswith("station")] == [
        "85019"
    ]


def test_import_that_keeps_nothing_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "irve-59"
    args = ["import", "irve", str(OPENDATA / "irve_longueau_extrait.csv"), "-t", "59"]
    code, text = run(capsys, monkeypatch, *args, "--out", str(out))
    assert code == 1
    assert "aucun acteur gardé : 4 enregistrement(s) lu(s), dont 4 hors du territoire" in text
    assert "rien n'a été écrit" in text
    assert "Toile écrite" not in text
    assert not out.exists()
    code, text = run(capsys, monkeypatch, *args, "--out", str(out), "--allow-empty")
    assert code == 0, text
    assert load_toile(out).actors == ()


def test_import_sirene_zip_as_distributed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.write(OPENDATA / "sirene_stock_reconstruit.csv", "StockEtablissement_utf8.csv")
    code, text = run(
        capsys,
        monkeypatch,
        "import",
        "sirene",
        str(archive),
        "-t",
        "CABBALR",
        "--out",
        str(tmp_path / "sirene"),
    )
    assert code == 0, text
    assert "UTF-16" not in text
    toile = load_toile(tmp_path / "sirene")
    assert "StockEtablissement_utf8.zip (StockEtablissement_utf8.csv)" in toile.sources[0]


def test_import_reseaux_chaleur_arrete_dpe_cabbalr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rcu"
    code, text = run(
        capsys,
        monkeypatch,
        "import",
        "reseaux-chaleur",
        str(OPENDATA / "reseaux_chaleur_arrete_dpe_2026_extrait.csv"),
        "--territory",
        "CABBALR",
        "--out",
        str(out),
    )
    assert code == 0, text
    assert [a.name for a in load_toile(out).actors] == ["RÉSEAU DE CHALEUR DE BÉTHUNE"]


def test_import_bnpe_record_without_annee_has_no_repr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chroniques.json"
    path.write_text(
        '{"data": [{"code_ouvrage": "OPR0000000001", "volume": 1, "code_commune_insee": "62119"}]}',
        encoding="utf-8",
    )
    code, text = run(capsys, monkeypatch, "import", "bnpe", str(path), "-t", "CABBALR")
    assert code == 1
    assert "n'a pas de champ « annee »" in text
    assert "{" not in text


def _irve_v1_with_power(tmp_path: Path, power: str, encoding: str = "utf-8") -> Path:
    text = (OPENDATA / "irve_v1_2020_extrait.csv").read_text(encoding="utf-8")
    path = tmp_path / "irve_v1.csv"
    path.write_text(text.replace("22 kW", power, 1), encoding=encoding)
    return path


@pytest.mark.parametrize(("power", "kw"), [("22kW", 22.0), ("3,7 kVA", 3.7)])
def test_import_irve_v1_power_with_unit_is_read(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    power: str,
    kw: float,
) -> None:
    path, out = _irve_v1_with_power(tmp_path, power), tmp_path / "out"
    code, _ = run(
        capsys, monkeypatch, "import", "irve", str(path), "-t", "62161", "--out", str(out)
    )
    assert code == 0
    (flow,) = [f for f in load_toile(out).flows if f.kind == "recharge"]
    assert flow.quantity == kw


def test_import_irve_v1_unreadable_power_names_line_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = _irve_v1_with_power(tmp_path, "vingt kW"), tmp_path / "out"
    code, text = run(
        capsys, monkeypatch, "import", "irve", str(path), "-t", "62", "--out", str(out)
    )
    assert code == 1
    assert "irve_v1.csv:2: puiss_max: puissance en kW attendue" in text
    assert "« vingt kW »" in text
    assert not out.exists()


def test_import_irve_v1_in_windows_1252_is_read_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = _irve_v1_with_power(tmp_path, "22 kW", "cp1252"), tmp_path / "out"
    code, text = run(
        capsys, monkeypatch, "import", "irve", str(path), "-t", "62", "--out", str(out)
    )
    assert code == 0
    assert "Windows-1252" in text
    names = {a.name for a in load_toile(out).actors}
    assert any("électrique" in n or "Hauts-de-France" in n for n in names)


def test_import_empty_file_says_it_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = tmp_path / "bornes.csv", tmp_path / "out"
    path.write_bytes(b"")
    code, text = run(
        capsys, monkeypatch, "import", "irve", str(path), "-t", "62", "--out", str(out)
    )
    assert code == 1
    assert "bornes.csv" in text
    assert "fichier vide" in text
    assert "colonnes trouvées : )" not in text
    assert not out.exists()
