from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import small_toile
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.reference import reference_dirs
from toiles.viz import DEMO_FORMATS, RENDER_FORMATS, VisualError, prepare_graph, render, render_set


@pytest.mark.parametrize("fmt", RENDER_FORMATS)
def test_render_every_format_from_toile_or_graph(fmt: str, tmp_path: Path):
    toile = small_toile()
    for source in (toile, graph_from_toile(toile)):
        out = render(source, fmt, tmp_path / f"t.{fmt}", paper="A4", dpi=30)
        assert out.stat().st_size > 0


def test_unknown_format_and_options(tmp_path: Path):
    with pytest.raises(VisualError, match="format inconnu"):
        render(small_toile(), "gif", tmp_path / "t.gif")
    with pytest.raises(VisualError, match="regroupement inconnu"):
        render(small_toile(), "html", tmp_path / "t.html", group_by="region")
    with pytest.raises(VisualError, match="langue inconnue"):
        render(small_toile(), "html", tmp_path / "t.html", lang="de")


def test_public_graph_is_redacted_before_drawing():
    G = prepare_graph(graph_from_toile(small_toile()), public=True)
    assert "incinerateur" not in G
    assert {k for _, _, k in G.edges(keys=True)} == {"f1", "f3", "f5", "f6"}


def test_every_reference_toile_gets_its_demo_set(tmp_path: Path):
    folders = reference_dirs()
    assert folders
    for folder in folders:
        files = render_set(load_toile(folder), tmp_path, paper="A4", dpi=40)
        assert set(files) == set(DEMO_FORMATS)
        for path in files.values():
            assert path.stat().st_size > 0
