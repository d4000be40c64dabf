from __future__ import annotations

from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import read_registre_electricite

REAL = OPENDATA / "registre_odre_extrait.csv"
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
