"""The reports on the bundled reference toiles."""

from __future__ import annotations

import pytest

from toiles import reference
from toiles.analysis import candidates_report, existing_loops
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile


@pytest.fixture(scope="module")
def energy_graph():
    return graph_from_toile(load_toile(reference.reference_dir("artois-energie-T0")))


def test_existing_loops_energy_reference_toile(energy_graph):
    assert existing_loops(energy_graph).count >= 2


def test_candidates_report_energy_reference_toile_zae_waste_heat(energy_graph):
    result = candidates_report(energy_graph, top=None)
    in_zae = [c for c in result.candidates if c.kind == "chaleur" and c.same_zae]
    assert len(in_zae) >= 4


def test_candidates_report_energy_reference_toile_leads_hold_up(energy_graph):
    result = candidates_report(energy_graph, top=None)
    heat = [c for c in result.candidates if c.kind == "chaleur"]
    assert heat
    kinds = {energy_graph.nodes[c.target]["kind"] for c in heat}
    assert "gestionnaire_reseau" not in kinds  # no gas or power grid operator as a sink
    assert not {c.target for c in heat} & {"grtgaz", "grdf", "enedis", "rte"}
    for c in heat:
        assert c.source_temperature is not None
        assert c.sink_temperature is not None
        assert c.temperature_basis in {"déclarées", "typiques", "mixtes"}
        assert c.pipe_length_km is not None
        assert c.investment_eur is not None
        assert c.levelised_cost is not None
        assert c.payback_years is not None or "pas de retour" in c.reason
    zaes = {c.zae for c in heat if c.zae}
    assert zaes <= {n.zae for n in result.networks}
    assert all(n.edges and n.length_km > 0 for n in result.networks)
