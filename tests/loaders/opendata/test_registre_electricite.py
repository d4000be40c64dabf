from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import read_registre_electricite

REAL = OPENDATA / "registre_odre_extrait.csv"
API_JSON = OPENDATA / "registre_odre_api_extrait.json"
ARTOIS = OPENDATA / "registre_artois_camelcase_reconstruit.csv"


def test_read_registre_electricite_real_excerpt(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_registre_electricite(REAL, "64, 12, 81", report=report)
    miegebat = toile.actor("inst-17w000000012678k")
    assert miegebat.name == "MIEGEH-CENTRALE HYDRAULIQUE DE MIEGEBAT-3"
    assert "74000 kW" in (miegebat.description or "")
    licq = toile.actor("inst-17w000000159390d")
    assert licq.name == "Installation confidentielle — Hydraulique, Licq-Athérey"
    assert "nom-confidentiel" in licq.tags
    flows = {f.source: f for f in toile.flows}
    # 188 386 950 kWh injected over twelve months = 188 386.95 MWh, to RTE.
    assert (flows[miegebat.id].quantity, flows[miegebat.id].unit) == (188386.95, "MWh")
    assert flows[miegebat.id].target == "grd-rte"
    assert toile.actor("grd-oya-energies").kind.value == "gestionnaire_reseau"
    # The Yonne aggregate has no commune: outside these départements, reported.
    assert any("sans commune" in p.message for p in report)
    round_trip(toile, tmp_path)


def _records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads(API_JSON.read_text(encoding="utf-8"))
    return records


def test_read_registre_electricite_api_json_export(tmp_path: Path) -> None:
    toile = read_registre_electricite(API_JSON, "64, 12, 81, 38")
    miegebat = toile.actor("inst-17w000000012678k")
    assert (miegebat.commune_insee, miegebat.epci) == ("64320", "CC de la Vallée d'Ossau")
    assert "registre_odre_api_extrait.json, enregistrement 1" in (miegebat.provenance or "")
    flows = {f.source: f for f in toile.flows}
    assert flows[miegebat.id].quantity == 188386.95
    # Grand-Maison, 1 690 MW of pumped storage, 2 144 066 705 kWh injected.
    assert flows["inst-17w100p100p02756"].quantity == 2144066.705
    round_trip(toile, tmp_path)


@pytest.mark.parametrize("shape", ["jsonl", "results", "records-v1", "zip"])
def test_read_registre_electricite_every_odre_export_form(tmp_path: Path, shape: str) -> None:
    records = _records()
    path = tmp_path / f"registre.{shape}"
    if shape == "jsonl":  # exports/jsonl
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    elif shape == "results":  # API v2.1 /records
        path.write_text(json.dumps({"total_count": 7, "results": records}), encoding="utf-8")
    elif shape == "records-v1":  # API v1 /search: values under "fields"
        wrapped = [{"datasetid": "registre", "fields": r} for r in records]
        path.write_text(json.dumps({"nhits": 7, "records": wrapped}), encoding="utf-8")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.write(API_JSON, "registre.json")
    toile = read_registre_electricite(path, "64, 12, 81, 38")
    expected = read_registre_electricite(API_JSON, "64, 12, 81, 38")
    assert [(f.source, f.target, f.quantity) for f in toile.flows] == [
        (f.source, f.target, f.quantity) for f in expected.flows
    ]


def test_read_registre_electricite_zero_energy_is_undeclared_not_zero() -> None:
    report: list[Problem] = []
    toile = read_registre_electricite(API_JSON, "2A", report=report)
    # Sainte-Lucie-de-Tallano, 55 MW: the register says 0 kWh, meaning « non déclaré ».
    [flow] = toile.flows
    assert (flow.source, flow.quantity, flow.unit) == ("inst-17w0000023413059", None, None)
    assert "non déclarée (0 dans le registre)" in (flow.notes or "")
    [warning] = [p for p in report if "déclarée 0" in p.message]
    assert warning.message.startswith("1 installation(s)")


def test_read_registre_electricite_placed_by_implantation_commune(tmp_path: Path) -> None:
    # A modified copy of the real Monteils record (not real): its operator's commune
    # (codeinseecommune) differs from where it is built (codeinseecommuneimplantation).
    record = dict(_records()[2])
    record["codeinseecommune"] = "81168"
    path = tmp_path / "registre.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    toile = read_registre_electricite(path, "12")
    assert [a.commune_insee for a in toile.actors if a.id.startswith("inst")] == ["12150"]
    with pytest.raises(ValidationError, match="aucun acteur gardé"):
        read_registre_electricite(path, "81")


def test_read_registre_electricite_json_of_another_dataset(tmp_path: Path) -> None:
    path = tmp_path / "autre.json"
    path.write_text(json.dumps([{"station": "x", "debit": 3}]), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_registre_electricite(path, "62")
    message = str(info.value)
    assert "n'a aucun champ du registre" in message
    assert "champs trouvés : station, debit" in message


def test_read_registre_electricite_departement_aggregate_without_commune() -> None:
    toile = read_registre_electricite(REAL, "89")
    aggregate = toile.actor("agregat-dep-89")
    assert "11 installation(s)" in (aggregate.description or "")
    [flow] = toile.flows
    assert (flow.source, flow.target, flow.quantity) == (
        "agregat-dep-89",
        "grd-non-precise",
        4479.555,
    )


def test_read_registre_electricite_min_kw_moves_small_plants_to_aggregates() -> None:
    toile = read_registre_electricite(REAL, "12", min_kw=100)
    assert [a.id for a in toile.actors if a.id.startswith("agregat")] == ["agregat-12150"]


def test_read_registre_electricite_artois_camelcase(tmp_path: Path) -> None:
    toile = read_registre_electricite(ARTOIS, "Artois")
    ids = {a.id for a in toile.actors}
    assert "inst-17w100exemple005" not in ids  # Arras: outside
    assert "inst-17w100exemple003" not in ids  # 20 kW: aggregated
    hernicourt = toile.actor("agregat-62442")
    assert hernicourt.epci == "CC Ternois Com"
    assert "14 installation(s)" in (hernicourt.description or "")
    assert "49.46 kW" in (hernicourt.description or "")  # decimal comma read
    bethune = toile.actor("agregat-62119")
    assert "20 kW" in (bethune.description or "")
    wind = [f for f in toile.flows if f.source == "inst-17w100exemple001"]
    assert wind[0].quantity == 24500.0
    # Empty "gestionnaire": a placeholder operator.
    assert [f.target for f in toile.flows if f.source == "inst-17w100exemple004"] == [
        "grd-non-precise"
    ]
    round_trip(toile, tmp_path)


def test_read_registre_electricite_wrong_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        read_registre_electricite(OPENDATA / "irve_consolide_extrait.csv", "Artois")
    [problem] = info.value.errors
    assert problem.line == 1
    assert "nominstallation" in problem.message
    assert "registre national" in problem.message
