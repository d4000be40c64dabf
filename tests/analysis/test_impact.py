"""Closure impact: lost flows and the cascade of failures."""

from __future__ import annotations

import pytest

from toiles.analysis import closure_impact
from toiles.errors import ActorNotFound, AnalysisError
from toiles.synthetic import example_graph, synthetic_graph


def _chain(build):
    # ext -> a -> b (60 MWh) ; c -> b (40 MWh) ; b -> d (heat, 50 MWh) ; d -> ext.
    return build(
        [
            ("ext", "exterieur"),
            ("a", "entreprise", {"employees": 10}),
            ("b", "entreprise", {"employees": 5}),
            ("c", "entreprise"),
            ("d", "entreprise", {"employees": 7}),
        ],
        [
            ("ext", "a", "electricite", 100.0, "MWh"),
            ("a", "b", "chaleur", 60.0, "MWh"),
            ("c", "b", "chaleur", 40.0, "MWh"),
            ("b", "d", "vapeur", 50.0, "MWh"),
            ("d", "ext", "dechets", 3.0, "t"),
        ],
    )


def test_closure_impact_hand_worked(build):
    # Closing a: b loses 60 of its 100 MWh of inputs (0.6 >= 0.5) and fails in round 1;
    # then d loses its only input and fails in round 2; c loses its only outlet (round 2).
    r = closure_impact(_chain(build), ["a"])
    rounds = {a.actor: a.round for a in r.affected}
    assert rounds == {"a": 0, "b": 1, "c": 2, "d": 2}
    b = next(a for a in r.affected if a.actor == "b")
    assert b.share_lost == pytest.approx(0.6)
    assert (b.direction, b.family) == ("entrées", "energy")
    assert r.flows_lost == 5
    assert r.quantities_lost == {"energy": 250.0, "mass": 3.0}
    assert r.employees_failed == 22
    assert r.rounds == 2


def test_closure_impact_threshold(build):
    # At 0.7, b keeps 40 % of its inputs and holds: nothing else fails.
    r = closure_impact(_chain(build), ["a"], threshold=0.7)
    b = next(a for a in r.affected if a.actor == "b")
    assert not b.failed
    assert b.round is None
    assert "tient" in b.reason
    assert r.failed_count == 1


def test_closure_impact_outside_never_fails(build):
    r = closure_impact(_chain(build), ["d"])
    assert "ext" not in {a.actor for a in r.affected}


def test_closure_impact_network_operator_does_not_fail():
    # The heat network (gestionnaire_reseau) loses its only input but keeps supplying the
    # school: only the sawmill (round 1) and the dairy (round 2) fail with the boiler.
    r = closure_impact(example_graph(), ["chaufferie"])
    assert [a.actor for a in r.affected if a.failed] == ["chaufferie", "scierie", "laiterie"]
    network = next(a for a in r.affected if a.actor == "reseau-chaleur")
    assert (network.failed, network.share_lost) == (False, 1.0)
    assert "sans défaillir" in r.explanation


def test_closure_impact_example_toile():
    r = closure_impact(example_graph(), ["chaufferie"], resilient_kinds=[])
    assert [a.actor for a in r.affected if a.failed] == [
        "chaufferie",
        "reseau-chaleur",
        "scierie",
        "laiterie",
        "lycee",
    ]
    assert r.employees_failed == 195


def test_closure_impact_unquantified_side_counts_flows(build):
    # b's only inputs have no quantity: judged on their number (1 of 2 lost = 0.5).
    G = build(
        [("a", "entreprise"), ("b", "entreprise"), ("c", "entreprise")],
        [("a", "b", "service"), ("c", "b", "service")],
    )
    r = closure_impact(G, ["a"])
    b = next(x for x in r.affected if x.actor == "b")
    assert b.share_lost == 0.5
    assert b.family == "flux"
    assert b.round == 1


def test_closure_impact_unknown_actor(build):
    with pytest.raises(ActorNotFound, match="L'acteur « zz » n'existe pas"):
        closure_impact(_chain(build), ["zz"])


def test_closure_impact_bad_threshold(build):
    with pytest.raises(AnalysisError, match="seuil"):
        closure_impact(_chain(build), ["a"], threshold=1.5)
    with pytest.raises(AnalysisError, match="au moins un acteur"):
        closure_impact(_chain(build), [])


def test_closure_impact_deterministic():
    G = synthetic_graph(1000, 5000, seed=1)
    a = closure_impact(G, ["a-0100", "a-0200"])
    assert a.model_dump_json() == closure_impact(G, ["a-0100", "a-0200"]).model_dump_json()
