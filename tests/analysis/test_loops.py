"""Existing loops: elementary cycles of existing flows between actors of the territory."""

from __future__ import annotations

import pytest

from toiles.analysis import existing_loops
from toiles.errors import AnalysisError
from toiles.synthetic import synthetic_graph


def _loops_toile(build):
    # Triangle a -> b -> c -> a, two-actor loop c <-> d, a loop through the outside
    # (ignored) and a potential flow closing e -> a (ignored).
    return build(
        [("ext", "exterieur"), *((x, "entreprise") for x in "abcde")],
        [
            ("a", "b", "chaleur", 10.0, "MWh"),
            ("b", "c", "vapeur", 4.0, "t"),
            ("c", "a", "sous_produit", 2.0, "t"),
            ("c", "d", "chaleur", 1.0, "MWh"),
            ("d", "c", "dechets", 1.0, "t"),
            ("d", "c", "sous_produit"),
            ("d", "ext", "dechets", 1.0, "t"),
            ("ext", "d", "electricite", 1.0, "MWh"),
            ("a", "e", "chaleur", 1.0, "MWh"),
            ("e", "a", "chaleur", 1.0, "MWh", {"status": "potentiel"}),
        ],
    )


def test_existing_loops_hand_worked(build):
    r = existing_loops(_loops_toile(build))
    assert [loop.actors for loop in r.loops] == [["c", "d"], ["a", "b", "c"]]
    two = r.loops[0]
    # Parallel flows d -> c are both listed on the same step.
    assert [f.flow for f in two.flows] == ["f4", "f5", "f6"]
    assert two.explanation == "C → D → C"
    assert r.count == 2
    assert not r.truncated
    assert [c.actors for c in r.components] == [["a", "b", "c", "d"]]


def test_existing_loops_quantities_along(build):
    triangle = existing_loops(_loops_toile(build)).loops[1]
    assert [(f.kind, f.quantity_base, f.family) for f in triangle.flows] == [
        ("chaleur", 10.0, "energy"),
        ("vapeur", 4.0, "mass"),
        ("sous_produit", 2.0, "mass"),
    ]


def test_existing_loops_max_length(build):
    assert [loop.length for loop in existing_loops(_loops_toile(build), max_length=2).loops] == [2]


def test_existing_loops_count_cap(build):
    r = existing_loops(_loops_toile(build), max_count=1)
    assert r.count == 1
    assert r.truncated
    assert "recherche arrêtée à 1 boucles" in r.explanation


def test_existing_loops_bad_options(build):
    with pytest.raises(AnalysisError, match="au moins 1"):
        existing_loops(_loops_toile(build), max_length=0)


def test_existing_loops_backend_parity():
    G = synthetic_graph(1500, 7500, seed=2)
    a = existing_loops(G, backend="networkx").model_dump()
    b = existing_loops(G, backend="igraph").model_dump()
    assert (a.pop("backend"), b.pop("backend")) == ("networkx", "igraph")
    assert a == b
    assert a["count"] > 0


def test_existing_loops_deterministic():
    G = synthetic_graph(800, 4000, seed=8)
    assert existing_loops(G).model_dump_json() == existing_loops(G).model_dump_json()
