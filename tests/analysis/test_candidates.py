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


def _needs_toile(build):
    """A park (z1) with a hot and a cold reject, grids, a trader, a heat network, an EPCI."""
    return build(
        [
            ("ext", "exterieur"),
            ("grtgaz", "gestionnaire_reseau", _at(0.001, zae="z1")),
            ("grdf", "gestionnaire_reseau", _at(0.002, zae="z1")),
            ("epci", "epci", _at(0.003)),
            ("furnace", "entreprise", _at(0.0, zae="z1", naf="24.10Z")),
            ("datacenter", "entreprise", _at(0.004, zae="z1", naf="63.11Z")),
            ("dairy", "entreprise", _at(0.005, zae="z1", naf="10.51A")),
            ("steel", "entreprise", _at(0.006, zae="z1", naf="24.10Z")),
            ("trader", "entreprise", _at(0.007, zae="z1", naf="46.71Z")),
            ("rcu", "equipement", _at(0.008, zae="z1")),
            ("flats", "entreprise", _at(0.02, naf="68.20A")),
            ("school", "commune", _at(0.021)),
        ],
        [
            ("furnace", "ext", "chaleur_fatale", 10.0, "GWh", {"temperature": 400.0}),
            ("datacenter", "ext", "chaleur_fatale", 5.0, "GWh"),
            ("ext", "grtgaz", "gaz_naturel", 100.0, "GWh"),
            ("grtgaz", "grdf", "gaz_naturel", 90.0, "GWh"),
            ("grdf", "epci", "gaz_naturel", 40.0, "GWh"),
            ("grdf", "dairy", "gaz_naturel", 8.0, "GWh"),
            ("grdf", "steel", "gaz_naturel", 20.0, "GWh"),
            ("ext", "trader", "gaz_naturel", 30.0, "GWh"),
            ("trader", "steel", "gaz_naturel", 30.0, "GWh"),
            ("grdf", "rcu", "gaz_naturel", 12.0, "GWh"),
            ("rcu", "flats", "chaleur", 6.0, "GWh"),
            ("rcu", "school", "chaleur", 4.0, "GWh"),
        ],
    )


def test_waste_heat_sinks_are_real_heat_needs(build):
    found = waste_heat_candidates(_needs_toile(build), top=None)
    sinks = {c.target for c in found}
    # Grids and the EPCI are transit or a whole territory; the trader resells all its gas;
    # the steelworks' furnaces need 500 °C, beyond any reject here and any heat pump. The
    # heat network and its customers (heat bought) are needs.
    assert sinks == {"dairy", "rcu", "flats", "school"}
    rcu = next(c for c in found if c.target == "rcu")
    assert rcu.demand == 10000.0  # the heat it delivers, not the gas it burns
    assert "réseau de chaleur" in rcu.reason


def test_waste_heat_temperatures_declared_typical_and_heat_pump(build):
    found = {(c.source, c.target): c for c in waste_heat_candidates(_needs_toile(build))}
    hot = found["furnace", "dairy"]
    assert (hot.source_temperature, hot.sink_temperature) == (400.0, 90.0)
    assert hot.temperature_basis == "mixtes"
    assert hot.typical_temperatures
    assert not hot.heat_pump
    assert hot.electricity_mwh == 0.0
    cold = found["datacenter", "dairy"]
    assert cold.source_temperature == 30.0  # typical of a data center (ADEME classes)
    assert cold.heat_pump
    # COP = 0.5 x (90 + 273.15) / (90 - 30) = 3.026
    assert cold.cop == pytest.approx(3.03, abs=0.01)
    assert cold.electricity_mwh == pytest.approx(cold.delivered / cold.cop, rel=5e-3)
    assert "avec pompe à chaleur" in cold.reason.lower()
    assert "températures typiques" in cold.reason


def test_waste_heat_leads_costed_and_ranked_by_cost(build):
    found = waste_heat_candidates(_needs_toile(build))
    for c in found:
        assert c.pipe_length_km is not None
        assert c.pipe_length_km > 0
        assert c.investment_eur is not None
        assert c.investment_eur > 0
        assert c.levelised_cost is not None
        assert c.cost_unit == "€/MWh"
        assert c.source_temperature is not None
        assert c.sink_temperature is not None
    costs = [c.levelised_cost for c in found]
    assert costs == sorted(costs)


def test_waste_heat_economic_options_move_costs(build):
    G = _needs_toile(build)
    base = {(c.source, c.target): c for c in waste_heat_candidates(G)}
    dear = {(c.source, c.target): c for c in waste_heat_candidates(G, heat_price=120.0)}
    rate = {(c.source, c.target): c for c in waste_heat_candidates(G, discount_rate=0.10)}
    pair = ("furnace", "dairy")
    assert dear[pair].payback_years < base[pair].payback_years
    assert dear[pair].levelised_cost == base[pair].levelised_cost
    assert rate[pair].levelised_cost > base[pair].levelised_cost
    short = waste_heat_candidates(G, max_distance_km=1.0)
    assert all(c.distance_km is None or c.distance_km <= 1.0 for c in short)
    assert "rcu" in {c.target for c in short}
    assert len(short) < len(base)


def test_candidates_report_zae_network_is_a_tree_with_max_flow(build):
    import networkx as nx

    r = candidates_report(_needs_toile(build), top=None)
    [net] = r.networks
    assert net.zae == "z1"
    assert set(net.sources) == {"furnace", "datacenter"}
    assert set(net.sinks) == {"dairy", "rcu"}
    nodes = set(net.sources) | set(net.sinks)
    T = nx.Graph((e.source, e.target) for e in net.edges)
    assert set(T) == nodes
    assert nx.is_tree(T)
    # The flow's value equals NetworkX's maximum flow on the tree (unbounded lines).
    F = nx.DiGraph()
    for e in net.edges:
        F.add_edge(e.source, e.target)
        F.add_edge(e.target, e.source)
    for s, q in (("furnace", 10000.0), ("datacenter", 5000.0)):
        F.add_edge("SUPER-S", s, capacity=q)
    for t, q in (("dairy", 8000.0), ("rcu", 10000.0)):
        F.add_edge(t, "SUPER-T", capacity=q)
    assert net.recoverable_mwh == pytest.approx(nx.maximum_flow_value(F, "SUPER-S", "SUPER-T"))
    assert net.length_km == pytest.approx(sum(e.length_km for e in net.edges), abs=5e-3)
    assert net.investment_eur > sum(e.investment_eur for e in net.edges)  # plus equipment
    assert net.delivered_mwh == pytest.approx(net.recoverable_mwh - net.losses_mwh, abs=1e-3)
    assert "Potentielle boucle énergétique dans la ZAE" in net.explanation
    assert r.network_count == 1


def test_candidates_report_states_its_assumptions(build):
    r = candidates_report(_needs_toile(build), heat_price=75.0).model_dump(mode="json")
    text = " ".join(r["assumptions"])
    assert "Hotmaps" in text
    assert "ADEME" in text
    assert "75 €/MWh" in text
    assert r["heat_price"] == 75.0
    assert "températures typiques" in r["explanation"]


def test_candidates_report_bad_economics_in_french(build):
    with pytest.raises(AnalysisError, match="taux d'actualisation"):
        candidates_report(_needs_toile(build), discount_rate=1.5)
    with pytest.raises(AnalysisError, match="distance maximale"):
        candidates_report(_needs_toile(build), max_distance_km=0)


def test_water_reuse_costed_per_m3(build):
    G = build(
        [
            ("ext", "exterieur"),
            ("step", "equipement", HERE | {"naf": "37.00Z"}),
            ("papeterie", "entreprise", _at(0.02)),
        ],
        [
            ("step", "ext", "rejet", 2.0, "Mm3"),
            ("ext", "papeterie", "prelevement", 300000.0, "m3"),
        ],
    )
    [c] = water_reuse_candidates(G)
    assert c.cost_unit == "€/m³"
    assert c.delivered == 300000.0
    # 2.224 km x 1.3 x 150 €/m = 433,750 €; annuity 30 y at 4 % + 1 % operation, +0.30 €/m3.
    assert c.investment_eur == pytest.approx(2.224 * 1.3 * 1000 * 150, rel=1e-3)
    assert c.levelised_cost == pytest.approx(
        (c.investment_eur * (0.04 / (1 - 1.04**-30) + 0.01) + 0.3 * 300000) / 300000, abs=5e-3
    )
    assert c.payback_years is not None
    assert "€/m³" in c.reason
