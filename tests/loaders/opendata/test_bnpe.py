from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import read_bnpe

JSON = OPENDATA / "bnpe_hubeau_chroniques_reconstruit.json"
CSV = OPENDATA / "bnpe_hubeau_chroniques_reconstruit.csv"
SITE = OPENDATA / "bnpe_site_export_reconstruit.csv"


def test_read_bnpe_hubeau_json_latest_year(tmp_path: Path) -> None:
    toile = read_bnpe(JSON, "Artois")
    assert {f.year for f in toile.flows} == {2022}
    # Arras lies outside the four EPCI.
    assert "ouvrage-opr0000900004" not in {a.id for a in toile.actors}
    usine = toile.actor("ouvrage-opr0000900001")
    assert (usine.commune_insee, usine.epci, usine.lat, usine.lon) == (
        "62119",
        "CABBALR",
        50.5331,
        2.6402,
    )
    flows = {f.target: f for f in toile.flows}
    assert flows["ouvrage-opr0000900001"].quantity == 398500.5
    assert flows["ouvrage-opr0000900001"].source == "ressource-eau-souterraine"
    assert flows["ouvrage-opr0000900003"].source == "ressource-eau-surface"
    assert toile.actor("ressource-eau-surface").kind.value == "exterieur"
    assert "enregistrement 2" in (flows["ouvrage-opr0000900001"].provenance or "")
    round_trip(toile, tmp_path)


def test_read_bnpe_year_option() -> None:
    toile = read_bnpe(JSON, "CABBALR", year=2021)
    [flow] = toile.flows
    assert (flow.year, flow.quantity, flow.unit) == (2021, 412000.0, "m3")


def test_read_bnpe_year_absent_is_an_error_saying_why() -> None:
    with pytest.raises(ValidationError) as info:
        read_bnpe(JSON, "CABBALR", year=2010)
    message = str(info.value)
    assert "aucun acteur gardé : 5 enregistrement(s) lu(s), dont 2 hors du territoire" in message
    assert "filtres : année 2010" in message
    # The warning listing the years present comes with the error.
    assert any("aucun prélèvement en 2010" in p.message for p in info.value.problems)


def test_read_bnpe_year_absent_allowed_empty_is_a_warning() -> None:
    report: list[Problem] = []
    toile = read_bnpe(JSON, "CABBALR", year=2010, report=report, allow_empty=True)
    assert toile.flows == ()
    assert any("2010" in p.message and p.severity == "warning" for p in report)


def test_read_bnpe_record_without_annee_is_a_french_sentence(tmp_path: Path) -> None:
    record = {"code_ouvrage": "OPR0000000001", "volume": 1.0, "code_commune_insee": "62119"}
    path = tmp_path / "chroniques.json"
    path.write_text(json.dumps({"data": [record]}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_bnpe(path, "CABBALR")
    [problem] = info.value.errors
    assert problem.message == (
        "l'enregistrement 1 de l'ouvrage OPR0000000001 n'a pas de champ « annee » : chaque "
        "chronique Hub'Eau doit donner l'année, l'ouvrage et le volume (une requête dont le "
        "paramètre « fields » les omet ne suffit pas)"
    )
    assert problem.value == "OPR0000000001"
    assert "{" not in str(info.value)


def test_read_bnpe_real_hubeau_records_without_annee_are_each_named() -> None:
    # Five real Hub'Eau chroniques (Haute-Marne) fetched with a "fields" list without annee.
    with pytest.raises(ValidationError) as info:
        read_bnpe(OPENDATA / "bnpe_hubeau_chroniques_sans_annee_extrait.json", "52")
    errors = info.value.errors
    assert [(p.column, p.value) for p in errors] == [
        ("data[0]", "OPR0000000003"),
        ("data[1]", "OPR0000000003"),
        ("data[2]", "OPR0000000003"),
        ("data[3]", "OPR0000000004"),
        ("data[4]", "OPR0000000004"),
    ]
    assert all("n'a pas de champ « annee »" in p.message for p in errors)
    assert not any("{" in str(p) or "'volume'" in str(p) for p in info.value.problems)


def test_read_bnpe_hubeau_json_lines(tmp_path: Path) -> None:
    records = json.loads(JSON.read_text(encoding="utf-8"))["data"]
    path = tmp_path / "chroniques.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    from_lines = read_bnpe(path, "CABBALR")
    assert [f.quantity for f in from_lines.flows] == [
        f.quantity for f in read_bnpe(JSON, "CABBALR").flows
    ]


def test_read_bnpe_hubeau_csv_without_water_type(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_bnpe(CSV, "CALL, CABBALR", report=report)
    assert {f.source for f in toile.flows} == {"ressource-eau-non-precisee"}
    assert any("sans type d'eau" in p.message for p in report)
    round_trip(toile, tmp_path)


def test_read_bnpe_site_export_french_headers(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_bnpe(SITE, "Artois", report=report)
    # BOM and the trailing space of "Code Sandre de l'ouvrage " are handled.
    ouvrage = toile.actor("ouvrage-opr0000900001")
    assert ouvrage.name == "FORAGE EXEMPLE USINE, PUITS 1 (RECONSTRUIT)"
    assert "IND" in (ouvrage.description or "")
    irrigation = [f for f in toile.flows if f.target == "ouvrage-opr0000900005"]
    assert irrigation[0].quantity is None
    assert any("sans volume" in p.message for p in report)
    assert "ligne 5" in (irrigation[0].provenance or "")
    round_trip(toile, tmp_path)


def test_read_bnpe_truncated_json(tmp_path: Path) -> None:
    path = tmp_path / "chroniques.json"
    path.write_text(JSON.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_bnpe(path, "Artois")
    [problem] = info.value.errors
    assert problem.line is not None
    assert "tronqué" in problem.message


def test_read_bnpe_json_record_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "chroniques.json"
    path.write_text(json.dumps({"data": [{"annee": 2022, "volume": 5}]}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_bnpe(path, "Artois")
    [problem] = info.value.errors
    assert problem.column == "data[0]"
    assert "code_ouvrage" in problem.message


def test_read_bnpe_bad_year_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bnpe.csv"
    path.write_text(
        "annee;code_ouvrage;volume;code_commune_insee\n2022;OPR1;10;62119\n20x2;OPR2;5;62119\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_bnpe(path, "CABBALR")
    [problem] = info.value.errors
    assert (problem.line, problem.column, problem.value) == (3, "annee", "20x2")
