from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_root
from toiles.synthetic import synthetic_graph, synthetic_toile
from toiles.text import format_quantity
from toiles.viz import render
from toiles.viz.aggregate import aggregate_graph
from toiles.viz.balance import family_balances
from toiles.viz.scene import delivered_totals, headline_figures
from toiles.viz.style import VisualError

if TYPE_CHECKING:
    from pathlib import Path


def test_group_by_epci_sums_flows_by_kind_status_family():
    # small toile: usine and reseau in CABBALR, incinerateur in CALL, two exterieur actors.
    H = aggregate_graph(graph_from_toile(small_toile()), by="epci")
    assert sorted(H.nodes) == [
        "groupe:epci:200072460",
        "groupe:epci:246200364",
        "groupe:epci:exterieur",
    ]
    cab = H.nodes["groupe:epci:200072460"]
    assert cab["name"] == "CABBALR"
    assert cab["members"] == ("usine", "reseau")
    assert cab["employees"] == 250
    # inside CABBALR: f1 (waste heat, 1234.5 MWh), f3 (steam, potential, 300 MWh) and f6
    # (electricity, no quantity) stay on the group: counted, the existing quantity summed.
    assert cab["internal_flows"] == 3
    assert sorted(cab["internal_flow_ids"]) == ["f1", "f3", "f6"]
    assert cab["internal_quantities"] == pytest.approx({"energy": 1234.5})
    assert cab["internal"] == "3 flux internes\n1\u202f234 MWh"
    assert cab["description"] == "2 acteurs · 3 flux internes, 1\u202f234 MWh"
    assert not any(u == v for u, v in H.edges())
    edges = {(u, v, d["kind"], d["status"]): d for u, v, d in H.edges(data=True)}
    assert len(edges) == H.number_of_edges() == 3
    for d in edges.values():
        assert d["count"] == len(d["flows"])
        if d["quantity_base"] is not None:
            assert d["label"].endswith(f" {d['unit']}")


def test_group_names_are_real_names():
    G = graph_from_toile(load_toile(reference_root() / "artois-energie-T1"))
    # actors.csv: « zae-alouette,Zone de l'Alouette,zae,... »; its companies point to it.
    H = aggregate_graph(G, by="zae")
    alouette = H.nodes["groupe:zae:zae-alouette"]
    assert alouette["name"] == "Zone de l'Alouette"
    assert "zae-alouette" in alouette["members"]
    assert all(not d["name"].startswith("zae-") for _, d in H.nodes(data=True))
    assert "Hors zone d'activités" in {d["name"] for _, d in H.nodes(data=True)}
    assert H.graph["grouped_by_label"] == "zone d'activités"
    communes = {d["name"] for _, d in aggregate_graph(G, by="commune").nodes(data=True)}
    assert {"Béthune", "Liévin"} <= communes
    epcis = {d["name"] for _, d in aggregate_graph(G, by="epci").nodes(data=True)}
    assert {"CABBALR", "CALL", "CC Ternois Com", "CC des 7 Vallées"} <= epcis
    sectors = {d["name"] for _, d in aggregate_graph(G, by="naf").nodes(data=True)}
    assert any(name.startswith("Industrie manufacturière (NAF ") for name in sectors)


def test_group_keeps_every_flow_and_quantity_of_the_energy_toile():
    G = graph_from_toile(load_toile(reference_root() / "artois-energie-T1"))
    H = aggregate_graph(G, by="zae")
    inside = sum(d["internal_flows"] for _, d in H.nodes(data=True))
    between = sum(d["count"] for _, _, d in H.edges(data=True))
    assert inside + between == G.number_of_edges()
    existing = sum(
        d["quantity_base"] or 0
        for *_, d in G.edges(data=True)
        if d.get("family") == "energy" and d.get("status") == "existant"
    )
    kept = sum(d["internal_quantities"].get("energy", 0) for _, d in H.nodes(data=True)) + sum(
        d["quantity_base"] or 0
        for *_, d in H.edges(data=True)
        if d.get("family") == "energy" and d["status"] == "existant"
    )
    assert kept == pytest.approx(existing)


@pytest.mark.parametrize("by", ["commune", "zae", "kind", "naf"])
def test_every_grouping_keeps_the_totals(by: str):
    G = synthetic_graph(300, 500, seed=3)
    H = aggregate_graph(G, by=by)
    assert sum(d["count"] for _, d in H.nodes(data=True)) == 300
    inside = sum(d["internal_flows"] for _, d in H.nodes(data=True))
    assert inside + sum(d["count"] for _, _, d in H.edges(data=True)) == 500

    def existing(graph: nx.MultiDiGraph[str], family: str) -> float:
        return sum(
            d["quantity_base"] or 0
            for *_, d in graph.edges(data=True)
            if d["family"] == family and d["status"] == "existant"
        )

    for family in ("energy", "mass"):
        internal = sum(d["internal_quantities"].get(family, 0) for _, d in H.nodes(data=True))
        assert existing(H, family) + internal == pytest.approx(existing(G, family))


def test_unknown_grouping():
    with pytest.raises(VisualError, match="regroupement inconnu"):
        aggregate_graph(graph_from_toile(small_toile()), by="region")


def test_grouped_headline_counts_groups_and_keeps_the_actors_totals():
    G = graph_from_toile(load_toile(reference_root() / "artois-energie-T1"))
    H = aggregate_graph(G, by="zae")
    figures = headline_figures(H, analyses=False)
    assert (figures[0].value, figures[0].label) == (str(H.number_of_nodes()), "groupes")
    # Grouping hides the flows inside groups; the volume counted once is still the actors'.
    energy = next(b for b in family_balances(G) if b.family == "energy")
    assert delivered_totals(H)["energy"] == pytest.approx(energy.use)
    assert delivered_totals(H) == pytest.approx(delivered_totals(G))
    assert format_quantity(energy.use, "MWh") in {f.value for f in figures}


def test_grouped_poster_counts_unnamed_groups_as_groups(tmp_path: Path):
    # 600 synthetic actors fall in about 60 communes: too many names for an A4 poster.
    toile = synthetic_toile(600, 900, seed=2)
    out = render(toile, "svg", tmp_path / "communes.svg", group_by="commune", paper="A4")
    text = out.read_text(encoding="utf-8")
    assert "groupes non nommés faute de place" in text
    assert "acteurs non nommés" not in text


def test_grouped_poster_writes_link_quantities_where_they_fit():
    from toiles.viz.static import MAX_QUANTITIES, _touch, poster_figure

    G = graph_from_toile(load_toile(reference_root() / "artois-energie-T1"))
    fig = poster_figure(aggregate_graph(G, by="zae"), paper="A3")
    written = fig.toiles_quantities  # type: ignore[attr-defined]
    report = fig.toiles_labels  # type: ignore[attr-defined]
    assert 3 <= len(written) <= MAX_QUANTITIES
    # measured by the renderer: no figure touches a name, a marker or another figure
    others = list(report.boxes) + list(report.node_boxes)
    assert not any(_touch(q, o) for q in written for o in others)
    assert not any(_touch(a, b) for i, a in enumerate(written) for b in written[i + 1 :])
    texts = {t.get_text() for t in fig.axes[0].texts}
    # national power grid -> the groups outside business parks (fl-001 of flows.csv)
    assert "3\u202f820\u202f000 MWh" in texts
    # an actor-level poster writes no quantity on its links
    assert poster_figure(G, paper="A3").toiles_quantities == ()  # type: ignore[attr-defined]
