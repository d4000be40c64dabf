"""Waste-heat and water-reuse candidates, and writing them back as potential flows."""

from __future__ import annotations

import pytest

from toiles.analysis import (
    apply_candidates,
    candidates_report,
    waste_heat_candidates,
    water_reuse_candidates,
)
from toiles.errors import AnalysisError
from toiles.synthetic import example_graph, example_toile, synthetic_graph

# 0.01 degree of latitude is 1.11 km.
HERE = {"lat": 50.50, "lon": 2.60}


def _at(dlat: float, **fields):
    return {"lat": 50.50 + dlat, "lon": 2.60} | fields


def _heat_toile(build):
    return build(
        [
            ("ext", "exterieur"),
            ("usine", "entreprise", HERE | {"zae": "z1"}),
            ("near", "entreprise", _at(0.02)),  # 2.2 km
            ("far", "entreprise", _at(0.10)),  # 11.1 km
            ("zae-mate", "entreprise", {"zae": "z1"}),  # no point, same ZAE
            ("linked", "entreprise", _at(0.01)),  # already takes heat from usine
            ("gas-m3", "entreprise", _at(0.03)),  # buys gas in m3: no common family
        ],
        [
            ("usine", "ext", "chaleur_fatale", 3.0, "GWh"),
            ("ext", "near", "gaz_naturel", 1000.0, "MWh"),
            ("ext", "far", "chaleur", 5000.0, "MWh"),
            ("ext", "zae-mate", "vapeur", 500.0, "MWh"),
            ("ext", "linked", "chaleur", 900.0, "MWh"),
            ("usine", "linked", "chaleur", 100.0, "MWh"),
            ("ext", "gas-m3", "gaz_naturel", 1e5, "Nm3"),
        ],
    )


def test_waste_heat_candidates_hand_worked(build):
    found = waste_heat_candidates(_heat_toile(build))
    # Supply 3 GWh = 3,000 MWh; recoverable = min(supply, demand); m3 of gas last.
    assert [(c.target, c.recoverable) for c in found] == [
        ("near", 1000.0),
        ("zae-mate", 500.0),
        ("gas-m3", None),
    ]
    near = found[0]
    assert near.supply == 3000.0
    assert near.unit == "MWh"
    assert near.distance_km == pytest.approx(2.224, abs=1e-3)
    assert not near.same_zae
    assert found[1].same_zae
    assert found[1].distance_km is None
    assert "chaleur fatale" in near.reason
    assert near.flow_kind == "chaleur_fatale"


def test_waste_heat_candidates_radius(build):
    targets = {c.target for c in waste_heat_candidates(_heat_toile(build), radius_km=12)}
    assert "far" in targets
    assert "linked" not in targets
    only_zae = waste_heat_candidates(_heat_toile(build), radius_km=0)
    assert [c.target for c in only_zae] == ["zae-mate"]


def test_waste_heat_candidates_negative_radius(build):
    with pytest.raises(AnalysisError, match="rayon de recherche doit être un nombre positif"):
        waste_heat_candidates(_heat_toile(build), radius_km=-1)


def test_water_reuse_candidates_hand_worked(build):
    G = build(
        [
            ("ext", "exterieur"),
            ("step", "equipement", HERE | {"naf": "37.00Z"}),
            ("papeterie", "entreprise", _at(0.02)),
            ("mairie", "commune", _at(0.01)),
        ],
        [
            ("step", "ext", "rejet", 2.0, "Mm3"),
            ("ext", "papeterie", "prelevement", 300000.0, "m3"),
            ("ext", "mairie", "eau_potable", 1000.0, "m3"),
        ],
    )
    found = water_reuse_candidates(G)
    assert [(c.source, c.target, c.recoverable) for c in found] == [("step", "papeterie", 300000.0)]
    assert found[0].flow_kind == "reutilisation"
    assert found[0].supply == 2e6


def test_candidates_report_example_toile():
    r = candidates_report(example_graph())
    assert (r.heat_count, r.water_count) == (1, 0)
    assert r.candidates[0].reason.startswith("Verrerie du Nord rejette de la chaleur fatale")
    assert candidates_report(example_graph(), radius_km=10).heat_count == 4


def test_candidates_report_top(build):
    r = candidates_report(_heat_toile(build), top=1)
    assert r.heat_count == 3
    assert len(r.candidates) == 1


def test_candidates_report_top_is_exact_on_large_toile():
    G = synthetic_graph(1200, 6000, seed=4)
    everything = candidates_report(G, top=None)
    best = candidates_report(G, top=10)
    assert best.heat_count == everything.heat_count
    assert [c.model_dump() for c in best.candidates] == [
        c.model_dump() for c in everything.candidates[:10]
    ]


def test_candidates_report_deterministic():
    G = synthetic_graph(1000, 5000, seed=6)
    assert candidates_report(G).model_dump_json() == candidates_report(G).model_dump_json()


def test_apply_candidates_new_version():
    toile = example_toile()
    new = apply_candidates(toile, waste_heat_candidates(example_graph()), version="T1")
    assert new.version == "T1"
    assert len(new.flows) == len(toile.flows) + 1
    flow = new.flows[-1]
    assert (flow.source, flow.target, flow.kind.value, flow.status.value) == (
        "verrerie",
        "serres",
        "chaleur_fatale",
        "potentiel",
    )
    assert (flow.quantity, flow.unit) == (1500.0, "MWh")
    assert flow.notes
    assert "ZAE" in flow.notes


def test_apply_candidates_unique_ids():
    toile = example_toile()
    found = waste_heat_candidates(example_graph())
    twice = apply_candidates(toile, found + found, version="T1")
    assert len({f.id for f in twice.flows}) == len(twice.flows)


def test_apply_candidates_same_version():
    with pytest.raises(AnalysisError, match="autre nom"):
        apply_candidates(example_toile(), [], version="T0")
