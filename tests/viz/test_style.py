from __future__ import annotations

import networkx as nx
import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.models.vocab import ActorKind, FlowKind
from toiles.viz.style import (
    ACTOR_COLORS,
    FLOW_COLORS,
    MAX_WIDTH,
    MIN_WIDTH,
    UNKNOWN_WIDTH,
    Highlight,
    VisualError,
    check_lang,
    credit_line,
    flow_widths,
    highlight_colors,
    legend_entries,
    ui_text,
    ui_texts,
)


def test_palette_covers_every_vocabulary_value():
    assert {k.value for k in ActorKind} <= set(ACTOR_COLORS)
    assert {k.value for k in FlowKind} == set(FLOW_COLORS)


def test_ui_texts_exist_in_both_languages():
    fr, en = ui_texts("fr"), ui_texts("en")
    assert fr.keys() == en.keys()
    assert ui_text("legend") == "Légende"
    assert ui_text("legend", "en") == "Legend"


def test_check_lang_refuses_other_languages():
    with pytest.raises(VisualError, match="langue inconnue"):
        check_lang("de")


def test_flow_widths_log_scale_within_family():
    # Worked by hand: energy 10 and 1000 MWh span the whole range, 100 MWh is the middle
    # (log10 100 is halfway between 1 and 3); a mass flow alone gets the middle width.
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="e1", family="energy", quantity_base=10.0)
    G.add_edge("a", "b", key="e2", family="energy", quantity_base=100.0)
    G.add_edge("a", "b", key="e3", family="energy", quantity_base=1000.0)
    G.add_edge("a", "b", key="m1", family="mass", quantity_base=1.0)
    G.add_edge("a", "b", key="x")
    widths = {k: w for (_, _, k), w in flow_widths(G).items()}
    assert widths == {
        "e1": MIN_WIDTH,
        "e2": (MIN_WIDTH + MAX_WIDTH) / 2,
        "e3": MAX_WIDTH,
        "m1": (MIN_WIDTH + MAX_WIDTH) / 2,
        "x": UNKNOWN_WIDTH,
    }


def test_legend_lists_only_what_the_toile_has():
    G = graph_from_toile(small_toile())
    entries = legend_entries(G)
    kinds = [e.value for e in entries if e.group == "flow_kind"]
    assert kinds == ["electricite", "gaz_naturel", "chaleur", "vapeur", "chaleur_fatale"]
    statuses = [e.label for e in entries if e.group == "status"]
    assert statuses == ["Existant", "Potentiel"]
    actor_kinds = [e.label for e in legend_entries(G, lang="en") if e.group == "actor_kind"]
    assert actor_kinds == ["Company", "Network operator", "Facility", "Outside the territory"]


def test_credit_line_names_the_commune_data_for_artois_actors():
    G = graph_from_toile(small_toile())
    line = credit_line(G)
    assert "Toiles©" in line
    assert "AGUR" in line
    assert "GeoNames" in line


def test_highlight_colors_by_label():
    h = Highlight("C", {"a": "C1", "b": "C2", "c": "C1"}, by_label=True)
    colors = highlight_colors(h)
    assert colors["a"] == colors["c"] != colors["b"]
