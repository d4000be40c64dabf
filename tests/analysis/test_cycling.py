"""Finn's cycling index against hand-worked cases and published reference models."""

from __future__ import annotations

import pytest

from toiles.analysis import cycling_report, finn_cycling_index
from toiles.errors import AnalysisError

# Oyster reef model of Dame & Patten (1981), flows in kcal m-2 d-1, as distributed with the
# ENA tools (oyster.m of Fath & Borrett's NEA.m, taken from Patten 1985; also the `oyster`
# dataset of enaR, Borrett & Lau 2014). Compartments: filter feeders (FF), deposited
# detritus (DD), microbiota (MI), meiofauna (ME), deposit feeders (DF), predators (PR).
OYSTER_FLOWS = {
    ("FF", "DD"): 15.7915,
    ("FF", "PR"): 0.5135,
    ("DD", "MI"): 8.1721,
    ("DD", "ME"): 7.2745,
    ("DD", "DF"): 0.6431,
    ("MI", "ME"): 1.2060,
    ("MI", "DF"): 1.2060,
    ("ME", "DD"): 4.2403,
    ("ME", "DF"): 0.6609,
    ("DF", "DD"): 1.9076,
    ("DF", "PR"): 0.1721,
    ("PR", "DD"): 0.3262,
}
OYSTER_INPUTS = {"FF": 41.4697}
OYSTER_OUTPUTS = {
    "FF": 25.1646,
    "DD": 6.1759,
    "MI": 5.7600,
    "ME": 3.5794,
    "DF": 0.4303,
    "PR": 0.3594,
}

# Cone Spring model (Tilly 1968), kcal m-2 y-1, enaR's `troModels[[6]]`: flows, imports
# and exports + respiration, as printed by enaR's `unpack()` example.
CONE_FLOWS = {
    ("plants", "detritus"): 8881,
    ("bacteria", "detritus_feeders"): 75,
    ("bacteria", "detritus"): 1600,
    ("detritus_feeders", "carnivores"): 370,
    ("detritus_feeders", "detritus"): 200,
    ("carnivores", "detritus"): 167,
    ("detritus", "bacteria"): 5205,
    ("detritus", "detritus_feeders"): 2309,
}
CONE_INPUTS = {"plants": 11184, "detritus": 635}
CONE_OUTPUTS = {
    "plants": 2303,
    "bacteria": 3530,
    "detritus_feeders": 1814,
    "carnivores": 203,
    "detritus": 3969,
}


def _model(build, flows, inputs, outputs):
    names = sorted({n for pair in flows for n in pair})
    actors = [("ext", "exterieur"), *((n, "entreprise") for n in names)]
    rows = [(u, v, "biomasse", q, "MWh") for (u, v), q in flows.items()]
    rows += [("ext", n, "biomasse", q, "MWh") for n, q in inputs.items()]
    rows += [(n, "ext", "biomasse", q, "MWh") for n, q in outputs.items()]
    return build(actors, rows)


def test_finn_cycling_index_oyster_reef_reference(build):
    # Published: TST = 83.58 and FCI = 0.11 for the oyster reef (Patten 1985; Fath & Borrett
    # 2006; enaR's enaFlow). TST = inputs 41.4697 + internal flows 42.1138 = 83.5835;
    # APL = 83.5835 / 41.4697 = 2.0155.
    r = finn_cycling_index(_model(build, OYSTER_FLOWS, OYSTER_INPUTS, OYSTER_OUTPUTS))
    assert r.tst == pytest.approx(83.5835, abs=1e-4)
    assert r.fci == pytest.approx(0.1102, abs=5e-4)
    assert round(r.fci, 2) == 0.11
    assert r.apl == pytest.approx(2.0155, abs=1e-4)
    assert r.boundary_input == pytest.approx(41.4697)


def test_finn_cycling_index_cone_spring_enar_reference(build):
    # enaR's own example output (R CMD check log of enaR, enaFlow(troModels[[6]])$ns):
    # Boundary 11819, TST 30626, APL 2.591251, FCI 0.09193899.
    r = finn_cycling_index(_model(build, CONE_FLOWS, CONE_INPUTS, CONE_OUTPUTS))
    assert r.boundary_input == pytest.approx(11819)
    assert r.tst == pytest.approx(30626)
    assert r.apl == pytest.approx(2.591251, abs=1e-6)
    assert r.fci == pytest.approx(0.09193899, abs=1e-7)


def _two_actor_loop(build, a_to_b=(8.0, "MWh")):
    # A imports 10; A -> B 8; B -> A 4; B exports 4.
    return build(
        [("ext", "exterieur"), ("a", "entreprise"), ("b", "entreprise")],
        [
            ("ext", "a", "chaleur", 10.0, "MWh"),
            ("a", "b", "chaleur", *a_to_b),
            ("b", "a", "chaleur", 4.0, "MWh"),
            ("b", "ext", "chaleur", 4.0, "MWh"),
        ],
    )


def test_finn_cycling_index_hand_worked_loop(build):
    # T_A = 10 + 4 = 14, T_B = 8, TST = 22. Around the loop f/T gives 8/8 * 4/14 = 2/7,
    # so n_jj = 1 / (1 - 2/7) = 7/5 and each actor cycles (n-1)/n = 2/7 of its throughflow:
    # cycled = 22 * 2/7, FCI = 2/7, APL = 22 / 10.
    r = finn_cycling_index(_two_actor_loop(build))
    assert r.tst == pytest.approx(22.0)
    assert r.cycled_throughflow == pytest.approx(22 * 2 / 7)
    assert r.fci == pytest.approx(2 / 7)
    assert r.apl == pytest.approx(2.2)
    assert r.throughflow == {"a": 14.0, "b": 8.0}
    assert r.cycled_share == {"a": pytest.approx(2 / 7), "b": pytest.approx(2 / 7)}


def test_finn_cycling_index_mixed_units_converted(build):
    # 0.008 GWh is 8 MWh: the same answer as above, never 0.008 summed raw.
    r = finn_cycling_index(_two_actor_loop(build, (0.008, "GWh")))
    assert r.fci == pytest.approx(2 / 7)
    assert r.tst == pytest.approx(22.0)


def test_finn_cycling_index_closed_loop_is_fully_cycled(build):
    # Nothing enters A <-> B from outside: all of its throughflow goes round.
    G = build(
        [("a", "entreprise"), ("b", "entreprise")],
        [("a", "b", "vapeur", 5.0, "MWh"), ("b", "a", "vapeur", 5.0, "MWh")],
    )
    r = finn_cycling_index(G)
    assert r.fci == 1.0
    assert r.closed_components == 1
    assert r.apl is None


def test_finn_cycling_index_supply_chain_has_no_cycling(build):
    G = build(
        [("ext", "exterieur"), ("a", "entreprise"), ("b", "entreprise")],
        [("ext", "a", "electricite", 10.0, "MWh"), ("a", "b", "electricite", 6.0, "MWh")],
    )
    r = finn_cycling_index(G)
    assert (r.fci, r.tst, r.apl) == (0.0, 16.0, 1.6)


def test_finn_cycling_index_potential_flows_only_in_scenario(build):
    G = build(
        [("ext", "exterieur"), ("a", "entreprise"), ("b", "entreprise")],
        [
            ("ext", "a", "chaleur", 10.0, "MWh"),
            ("a", "b", "chaleur", 8.0, "MWh"),
            ("b", "a", "chaleur_fatale", 4.0, "MWh", {"status": "potentiel"}),
        ],
    )
    assert finn_cycling_index(G).fci == 0.0
    assert finn_cycling_index(G, include_potential=True).fci == pytest.approx(2 / 7)


def test_finn_cycling_index_no_quantities_in_family(build):
    G = _two_actor_loop(build)
    with pytest.raises(AnalysisError, match="aucun flux entrant quantifié en volume"):
        finn_cycling_index(G, family="volume")


def test_finn_cycling_index_unknown_family(build):
    with pytest.raises(AnalysisError, match="famille d'unités inconnue"):
        finn_cycling_index(_two_actor_loop(build), family="chaleur")


def test_cycling_report_counts_flows_without_quantity(build):
    G = build(
        [("ext", "exterieur"), ("a", "entreprise"), ("b", "entreprise")],
        [
            ("ext", "a", "chaleur", 10.0, "MWh"),
            ("a", "b", "chaleur"),
            ("a", "b", "dechets", 3.0, "t"),
        ],
    )
    r = cycling_report(G)
    assert r.flows_without_quantity == 1
    assert [f.family for f in r.families] == ["energy", "mass"]
    assert "1 flux sans quantité" in r.explanation


def test_cycling_report_backend_parity(build):
    G = _model(build, OYSTER_FLOWS, OYSTER_INPUTS, OYSTER_OUTPUTS)
    a = cycling_report(G, backend="networkx").model_dump()
    b = cycling_report(G, backend="igraph").model_dump()
    assert a.pop("backend") == "networkx"
    assert b.pop("backend") == "igraph"
    assert a == b


def test_cycling_report_deterministic():
    from toiles.synthetic import synthetic_graph

    G = synthetic_graph(400, 2000, seed=3)
    assert cycling_report(G).model_dump_json() == cycling_report(G).model_dump_json()
