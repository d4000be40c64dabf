"""Communities of actors, named after their most central actor."""

from __future__ import annotations

import pytest

from toiles.analysis import communities_report
from toiles.errors import AnalysisError
from toiles.synthetic import synthetic_graph


def _two_groups(build):
    # Two dense groups {a, b, c, d} and {w, x, y, z} joined by one flow d -> w; a and w
    # have the most internal flows; the outside is left out.
    left = [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("c", "d"), ("b", "a")]
    right = [("w", "x"), ("w", "y"), ("w", "z"), ("x", "y"), ("y", "z"), ("z", "w")]
    flows = [(u, v, "chaleur", 1.0, "MWh") for u, v in left + right]
    flows += [("d", "w", "materiaux", 5.0, "t"), ("ext", "a", "electricite", 9.0, "MWh")]
    actors = [("ext", "exterieur"), *((x, "entreprise") for x in "abcdwxyz")]
    return build(actors, flows)


@pytest.mark.parametrize(
    ("method", "backend"),
    [("leiden", "auto"), ("louvain", "networkx"), ("louvain", "igraph")],
)
def test_communities_report_two_groups(build, method, backend):
    r = communities_report(_two_groups(build), method=method, backend=backend)
    assert [(c.leader, c.actors) for c in r.communities] == [
        ("a", ["a", "b", "c", "d"]),
        ("w", ["w", "x", "y", "z"]),
    ]
    left = r.communities[0]
    assert left.name == "A"
    assert (left.internal_flows, left.external_flows) == (6, 2)
    assert left.internal == {"energy": 6.0}
    assert left.external == {"energy": 9.0, "mass": 5.0}
    # Modularity: 13 links, 6 inside each group; degrees sum 13 and 13.
    assert r.modularity == pytest.approx(12 / 13 - 2 * (13 / 26) ** 2)


def test_communities_report_deterministic():
    G = synthetic_graph(1000, 4000, seed=2)
    a = communities_report(G, seed=3)
    assert a.model_dump_json() == communities_report(G, seed=3).model_dump_json()


def test_communities_report_bad_resolution(build):
    with pytest.raises(AnalysisError, match="résolution"):
        communities_report(_two_groups(build), resolution=0)


def test_communities_report_no_internal_flow(build):
    G = build([("ext", "exterieur"), ("a", "entreprise")], [("ext", "a", "chaleur", 1.0, "MWh")])
    with pytest.raises(AnalysisError, match="aucun flux entre acteurs du territoire"):
        communities_report(G)
