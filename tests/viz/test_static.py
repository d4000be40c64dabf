from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import small_toile
from tests.viz._hostile import SCRIPT_NAME, hostile_toile
from toiles.graph import graph_from_toile
from toiles.synthetic import example_toile
from toiles.viz import render
from toiles.viz.static import PAPER_SIZES, paper_inches, poster_figure, write_poster
from toiles.viz.style import VisualError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()  # noqa: S314  # our own file
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_png_poster_at_a4(tmp_path: Path):
    out = render(example_toile(), "png", tmp_path / "t.png", paper="A4", dpi=50)
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (int(297 / 25.4 * 50), int(210 / 25.4 * 50))


def test_svg_poster_has_title_legend_sources_credits(tmp_path: Path):
    out = render(small_toile(), "svg", tmp_path / "t.svg", paper="A4")
    text = svg_text(out)
    for expected in (
        "Petite toile",
        "Légende",
        "Types d'acteurs",
        "Chaleur fatale",
        "Potentiel",
        "Sources : Test",
        "Toiles©",
        "AGUR",
        "GeoNames",
        "Version T0",
        "Sucrerie des Deux Villes",
    ):
        assert expected in text


def test_svg_poster_in_english(tmp_path: Path):
    text = svg_text(render(small_toile(), "svg", tmp_path / "t.svg", paper="A4", lang="en"))
    assert "Legend" in text
    assert "Waste heat" in text


def test_illustrative_mention_on_poster(tmp_path: Path):
    text = svg_text(render(example_toile(), "svg", tmp_path / "t.svg", paper="A4"))
    assert "Données illustratives" in text


def test_public_poster_leaves_out_hidden_data(tmp_path: Path):
    text = svg_text(
        render(small_toile(), "svg", tmp_path / "t.svg", paper="A4", public=True, dpi=40)
    )
    assert "Unité de valorisation énergétique" not in text
    assert "Version publique" in text


def test_hostile_names_stay_text_in_svg(tmp_path: Path):
    out = render(hostile_toile(), "svg", tmp_path / "t.svg", paper="A4")
    root = ET.parse(out).getroot()  # noqa: S314
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert SCRIPT_NAME.split("<script>")[0][:5] in svg_text(out)


def test_pdf_poster(tmp_path: Path):
    out = render(small_toile(), "pdf", tmp_path / "t.pdf", paper="A4")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"CreationDate" not in data


def test_paper_sizes_scale_the_figure():
    G = graph_from_toile(small_toile())
    for paper in ("A4", "A0"):
        fig = poster_figure(G, paper=paper)
        assert tuple(round(float(v), 2) for v in fig.get_size_inches()) == tuple(
            round(v, 2) for v in paper_inches(paper)
        )
    assert list(PAPER_SIZES) == ["A4", "A3", "A2", "A1", "A0"]
    with pytest.raises(VisualError, match="format de papier inconnu"):
        paper_inches("B5")


def test_unknown_poster_format(tmp_path: Path):
    with pytest.raises(VisualError, match="format d'affiche inconnu"):
        write_poster(graph_from_toile(small_toile()), tmp_path / "t.gif")


def test_highlight_on_poster(tmp_path: Path):
    text = svg_text(
        render(example_toile(), "svg", tmp_path / "t.svg", paper="A4", highlight="key-actors")
    )
    assert "Acteurs clés" in text
    # key actors are ringed with their rank, printed in the marker, and the legend says so
    assert "Anneau : rang de l'acteur clé" in text
    assert " 1 " in f" {text} "


def test_energy_a3_poster_names_every_actor_without_overlap():
    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    G = graph_from_toile(load_toile(reference_dir("artois-energie-T0")))
    report = poster_figure(G, paper="A3").toiles_labels
    parks = sum(1 for n, d in G.nodes(data=True) if d["kind"] == "zae" and G.degree(n) == 0)
    # every drawn actor is named; business parks without flows are named as their areas
    assert (report.named, report.unnamed) == (G.number_of_nodes() - parks, 0)
    assert report.overlaps() == (0, 0)
    assert report.fontsize >= 7.0


def test_a3_poster_of_150_actors_names_them_all():
    from toiles.synthetic import synthetic_graph

    report = poster_figure(synthetic_graph(150, 300, seed=1), paper="A3").toiles_labels
    assert report.unnamed == 0
    assert report.overlaps() == (0, 0)
    assert report.fontsize >= 7.0


def test_poster_says_how_many_actors_are_unnamed(tmp_path: Path):
    from toiles.synthetic import synthetic_toile

    out = render(synthetic_toile(400, 600, seed=2), "svg", tmp_path / "t.svg", paper="A4")
    text = svg_text(out)
    assert "acteurs non nommés faute de place" in text


def test_candidates_poster_writes_each_proposal_with_its_quantity(tmp_path: Path):
    out = render(example_toile(), "svg", tmp_path / "t.svg", paper="A4", highlight="candidates")
    text = svg_text(out).replace("\u202f", " ")
    # the glassworks' waste heat proposed to the greenhouses, with the recoverable quantity
    assert "1 500 MWh" in text
    assert "Propositions (pointillés, quantité valorisable)" in text


def test_area_titles_fit_their_areas_on_the_energy_a3_poster():
    from matplotlib.patches import FancyBboxPatch

    from toiles.loaders import load_toile
    from toiles.reference import reference_dir

    G = graph_from_toile(load_toile(reference_dir("artois-energie-T0")))
    fig = poster_figure(G, paper="A3")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = fig.axes[0]
    areas = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    titles = [t for t in ax.texts if t.get_zorder() == 0.5]  # area titles
    assert len(titles) >= 15
    for title in titles:
        box = title.get_window_extent(renderer)
        area = next(a for a in areas if a.get_window_extent(renderer).contains(box.x0, box.y0 + 1))
        # the whole title inside its area: clipped, it would read as one with its neighbour's
        assert box.x1 <= area.get_window_extent(renderer).x1 + 1, title.get_text()
