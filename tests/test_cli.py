import json
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from toiles.cli import main


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["toiles", *args])
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main()
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TOILES_STORE", url)
    from toiles.settings import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_validate_lists_errors_and_exits_1(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "validate", str(FIXTURES / "excel_fr_errors"))
    assert code == 1
    assert "flows.csv:8: Quantité: doit être supérieur ou égal à 0 (valeur : « -12 »)" in out
    assert "actors.csv:10: Type: valeur inconnue (vouliez-vous dire « entreprise » ?)" in out
    assert "11 erreur(s)" in out


def test_validate_clean_exits_0(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "validate", str(FIXTURES / "excel_fr_fixed"))
    assert code == 0
    assert "Toile valide" in out


def test_load_with_errors_stores_nothing(capsys, monkeypatch, db) -> None:
    code, _, err = run(capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_errors"))
    assert code == 1
    assert "rien n'a été enregistré" in err
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_load_then_list_and_show(capsys, monkeypatch, db) -> None:
    code, out, _ = run(capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_fixed"))
    assert code == 0
    assert "5 acteurs, 5 flux" in out
    code, out, _ = run(capsys, monkeypatch, "list", "--json")
    assert json.loads(out) == [
        {
            "id": "zae-test",
            "name": "Toile énergie de la ZAE des Deux Villes",
            "theme": "energie",
            "version": "T0",
            "actors": 5,
            "flows": 5,
            "illustrative": True,
        }
    ]
    code, out, _ = run(capsys, monkeypatch, "show", "zae-test", "--json")
    data = json.loads(out)
    # Energy: 1234.5 MWh + 2.5 GWh = 3734.5 MWh; volume 120 000 m3; steam 800 t.
    assert data["totals"]["energy"] == {"value": pytest.approx(3734.5), "unit": "MWh"}
    assert data["totals"]["volume"]["value"] == pytest.approx(120000.0)
    assert data["totals"]["mass"]["value"] == pytest.approx(800.0)
    assert data["flows_without_quantity"] == 1
    assert data["actors_by_kind"]["entreprise"] == 2
    code, out, _ = run(capsys, monkeypatch, "show", "zae-test")
    assert code == 0
    assert "3\u202f734,5" in out  # French number formatting


def test_show_unknown_toile_one_sentence(capsys, monkeypatch, db) -> None:
    code, out, err = run(capsys, monkeypatch, "show", "absente")
    assert code == 1
    assert "toile introuvable : absente" in err
    assert "Traceback" not in out + err


def test_bad_store_url_one_sentence(capsys, monkeypatch) -> None:
    code, _, err = run(capsys, monkeypatch, "list", "--store", "postgres://x")
    assert code == 1
    assert "type de base inconnu" in err


def test_show_accepts_folder_path(capsys, monkeypatch, db) -> None:
    code, out, _ = run(capsys, monkeypatch, "show", str(FIXTURES / "excel_fr_fixed"), "--json")
    assert code == 0
    assert json.loads(out)["flows"] == 5


def test_show_escapes_markup_in_names(capsys, monkeypatch, db, tmp_path) -> None:
    import shutil

    folder = tmp_path / "t"
    shutil.copytree(FIXTURES / "excel_fr_fixed", folder)
    info = folder / "toile.yaml"
    info.write_text(
        info.read_text(encoding="utf-8").replace(
            "name: Toile énergie de la ZAE des Deux Villes", "name: '[bold]Toile[/bold] [lat, lon]'"
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, monkeypatch, "show", str(folder))
    assert code == 0
    assert "[bold]Toile[/bold] [lat, lon]" in out


@pytest.mark.parametrize(("role", "message"), [("anonyme", "rôle anonyme"), ("chef", "rôle")])
def test_apikey_create_refuses_roles_a_key_may_not_have(
    capsys, monkeypatch, db: str, role: str, message: str
) -> None:
    code, out, err = run(capsys, monkeypatch, "apikey", "create", "--role", role, "--name", "x")
    assert code == 1
    assert message in out + err
    assert "tk_" not in out  # no key printed


def test_apikey_create_accepts_an_accented_role(capsys, monkeypatch, db: str) -> None:
    code, out, _ = run(capsys, monkeypatch, "apikey", "create", "--role", "Éditeur", "--name", "x")
    assert code == 0
    assert "rôle editeur" in out


def test_analyse_centrality_companies_view_names_companies(capsys, monkeypatch) -> None:
    from toiles.reference import reference_dir

    folder = str(reference_dir("artois-energie-T0"))
    args = ("analyse", folder, "--report", "centrality", "--top", "5", "--json")
    code, out, _ = run(capsys, monkeypatch, *args)
    assert code == 0
    everyone = json.loads(out)
    assert everyone["view"] == "all"
    assert "gestionnaire_reseau" in {a["kind"] for a in everyone["ranking"]}
    code, out, _ = run(capsys, monkeypatch, *args, "--view", "companies")
    assert code == 0
    companies = json.loads(out)
    assert companies["view"] == "companies"
    assert {a["kind"] for a in companies["ranking"]} == {"entreprise"}
    assert "Enedis" not in {a["name"] for a in companies["ranking"]}
    assert all(a["reasons"] for a in companies["ranking"])


def test_analyse_unknown_view_is_one_french_sentence(capsys, monkeypatch) -> None:
    from toiles.reference import reference_dir

    folder = str(reference_dir("artois-energie-T0"))
    code, out, err = run(
        capsys, monkeypatch, "analyse", folder, "--report", "centrality", "--view", "usines"
    )
    assert code != 0
    assert "view" in out + err
    assert "companies" in out + err
    assert "Traceback" not in out + err


def test_analyse_candidates_economic_options(capsys, monkeypatch) -> None:
    from toiles.reference import reference_dir

    folder = str(reference_dir("artois-energie-T0"))
    base = ("analyse", folder, "--report", "candidates", "--json")
    code, out, _ = run(capsys, monkeypatch, *base)
    assert code == 0
    default = json.loads(out)
    code, out, _ = run(
        capsys,
        monkeypatch,
        *base,
        "--heat-price",
        "90",
        "--discount-rate",
        "0.08",
        "--max-distance-km",
        "2",
    )
    assert code == 0
    tuned = json.loads(out)
    assert (tuned["heat_price"], tuned["discount_rate"], tuned["max_distance_km"]) == (90, 0.08, 2)
    assert all(c["distance_km"] is None or c["distance_km"] <= 2 for c in tuned["candidates"])
    assert tuned["heat_count"] <= default["heat_count"]
    assert tuned["networks"]
    code, out, _ = run(capsys, monkeypatch, "analyse", folder, "--report", "candidates")
    assert code == 0
    assert "Potentielles boucles énergétiques dans une ZAE" in out
    assert "Hypothèses des pistes" in out
