from tests.conftest import canonical, small_toile
from toiles.graph import graph_from_toile, toile_from_graph


def test_graph_from_toile_attributes() -> None:
    G = graph_from_toile(small_toile())
    assert G.number_of_nodes() == 5
    assert G.number_of_edges() == 6
    edge = G.edges["usine", "reseau", "f1"]
    assert edge["quantity_base"] == 1234.5  # 1.2345 GWh in MWh
    assert edge["family"] == "energy"
    assert G.edges["usine", "reseau", "f6"]["quantity_base"] is None
    assert G.nodes["usine"]["kind"] == "entreprise"
    assert G.graph["version"] == "T0"


def test_toile_from_graph_round_trip() -> None:
    toile = small_toile()
    assert canonical(toile_from_graph(graph_from_toile(toile))) == canonical(toile)
