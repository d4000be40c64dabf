"""Finn's cycling index against hand-worked cases and published reference models."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from toiles.analysis import cycling_report, finn_cycling_index
from toiles.analysis.cycling import _perron_root, ascendency, structural_cyclicity
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


# Cone Spring with enaR's separate export and respiration vectors (``unpack(troModels[[6]])``:
# e and r), each sent to its own outside actor as in enaR's extended matrix.
CONE_EXPORTS = {"plants": 300, "bacteria": 255, "detritus": 860}
CONE_RESPIRATION = {
    "plants": 2003,
    "bacteria": 3275,
    "detritus_feeders": 1814,
    "carnivores": 203,
    "detritus": 3109,
}


def _cone_extended(build):
    names = sorted({n for pair in CONE_FLOWS for n in pair})
    actors = [
        ("ext-import", "exterieur"),
        ("ext-export", "exterieur"),
        ("ext-respiration", "exterieur"),
        *((n, "entreprise") for n in names),
    ]
    rows = [(u, v, "biomasse", q, "MWh") for (u, v), q in CONE_FLOWS.items()]
    rows += [("ext-import", n, "biomasse", q, "MWh") for n, q in CONE_INPUTS.items()]
    rows += [(n, "ext-export", "biomasse", q, "MWh") for n, q in CONE_EXPORTS.items()]
    rows += [(n, "ext-respiration", "biomasse", q, "MWh") for n, q in CONE_RESPIRATION.items()]
    return build(actors, rows)


def test_ascendency_cone_spring_enar_reference(build):
    # enaR's printed example output (R CMD check log, enaAscendency(troModels[[6]]) and
    # enaFlow(troModels[[6]])$ns): TSTp 42445, AMI 1.336447, ASC 56725.49, OH 79139.25,
    # CAP 135864.7, ASC.CAP 0.4175144. Robustness is enaR's -a ln a of that ratio.
    r = ascendency(_cone_extended(build))
    assert r.tstp == pytest.approx(42445)
    assert r.ami == pytest.approx(1.336447, abs=1e-6)
    assert r.ascendency == pytest.approx(56725.49, abs=0.01)
    assert r.overhead == pytest.approx(79139.25, abs=0.01)
    assert r.capacity == pytest.approx(135864.7, abs=0.1)
    assert r.ascendency_ratio == pytest.approx(0.4175144, abs=1e-7)
    assert r.robustness == pytest.approx(-0.4175144 * math.log(0.4175144), abs=1e-7)


def test_structural_cyclicity_cone_spring_enar_reference(build):
    # enaR's printed enaStructure(troModels[[6]])$ns: lam1A = 1.839287.
    assert structural_cyclicity(_cone_extended(build)) == pytest.approx(1.839287, abs=1e-6)


def test_cycling_report_json_has_literature_indicators(build):
    r = cycling_report(_cone_extended(build), family="energy").model_dump(mode="json")
    family = r["families"][0]
    assert family["tstp"] == pytest.approx(42445)
    assert family["cyclicity"] == pytest.approx(1.839287, abs=1e-6)
    assert family["ascendency"] == pytest.approx(56725.49, abs=0.01)
    assert family["capacity"] == pytest.approx(135864.7, abs=0.1)
    assert family["robustness"] == pytest.approx(0.3646722, abs=1e-6)
    assert family["fci"] == pytest.approx(0.09193899, abs=1e-7)  # unchanged by the split
    assert r["cyclicity"] == pytest.approx(1.839287, abs=1e-6)
    assert "λmax = 1,84" in family["explanation"]
    assert any("enaR" in a for a in r["assumptions"])


def test_cycling_report_without_cycle_gives_zeros_not_nan(build):
    G = build(
        [("ext", "exterieur"), ("a", "entreprise"), ("b", "entreprise")],
        [
            ("ext", "a", "electricite", 10.0, "MWh"),
            ("a", "b", "electricite", 6.0, "MWh"),
            ("b", "ext", "electricite", 6.0, "MWh"),
        ],
    )
    r = cycling_report(G)
    f = r.families[0]
    assert (f.fci, f.cyclicity, r.cyclicity) == (0.0, 0.0, 0.0)
    values = r.model_dump(mode="json")
    assert "NaN" not in json.dumps(values)
    assert all(math.isfinite(v) for v in (f.tstp, f.ascendency, f.capacity, f.overhead))


def test_ascendency_single_flow_has_no_capacity(build):
    G = build([("ext", "exterieur"), ("a", "entreprise")], [("ext", "a", "chaleur", 5.0, "MWh")])
    r = ascendency(G)
    assert (r.tstp, r.ascendency, r.capacity) == (5.0, 0.0, 0.0)
    assert r.ascendency_ratio is None
    assert r.robustness is None


def test_structural_cyclicity_single_loop_and_interlocked(build):
    actors = [("a", "entreprise"), ("b", "entreprise"), ("c", "entreprise")]
    loop = [("a", "b", "vapeur"), ("b", "c", "vapeur"), ("c", "a", "vapeur")]
    assert structural_cyclicity(build(actors, loop)) == pytest.approx(1.0)
    # Adding b -> a makes two loops sharing a -> b: λ^3 = λ + 1, the plastic number.
    both = build(actors, [*loop, ("b", "a", "vapeur")])
    assert structural_cyclicity(both) == pytest.approx(1.324718, abs=1e-6)


def test_perron_root_power_iteration_matches_dense():
    rng = np.random.default_rng(0)
    matrix = (rng.random((60, 60)) < 0.08).astype(float)
    matrix[np.arange(60), (np.arange(60) + 1) % 60] = 1.0  # a ring: irreducible
    dense = float(np.max(np.abs(np.linalg.eigvals(matrix))))
    assert _perron_root(matrix) == pytest.approx(dense, rel=1e-8)
