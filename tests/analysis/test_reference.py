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
