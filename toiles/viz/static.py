"""Posters of a toile for print and slides: PNG, SVG and PDF drawn with matplotlib.

A poster has a title block (name, theme, version, date, territory, and a visible mention
for illustrative data or a public version), the toile drawn with the same layout and
styling as the interactive page (colour and shape by actor kind, colour by flow kind,
width by quantity, dashes by status, arrows for direction), readable labels for the main
actors, a legend, the sources and a credit line. Paper sizes go from A4 to A0, landscape;
text and lines scale with the paper so that an A0 reads like an A4 from further away.

matplotlib is imported on first use (never at import time) and used without pyplot, so
drawing has no global state. SVG keeps its text as text (``svg.fonttype = none``) for the
marketing team's editing tools; PDF embeds TrueType fonts.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toiles.viz.layout import LARGE_TOILE, layout_positions, node_measure, scale_sizes
from toiles.viz.style import (
    HIGHLIGHT_COLOR,
    STATUS_LINESTYLES,
    Highlight,
    Lang,
    LegendEntry,
    VisualError,
    actor_color,
    actor_shape,
    credit_line,
    flow_color,
    flow_widths,
    highlight_colors,
    legend_entries,
    subtitle_parts,
    toile_title,
    ui_text,
)

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from toiles.viz.layout import LayoutMethod, SizeMeasure

#: Landscape paper sizes in millimetres (ISO 216).
PAPER_SIZES: dict[str, tuple[int, int]] = {
    "A4": (297, 210),
    "A3": (420, 297),
    "A2": (594, 420),
    "A1": (841, 594),
    "A0": (1189, 841),
}
#: Formats matplotlib writes for posters.
STATIC_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: How many actors get a label, by paper size.
LABELS_BY_PAPER: dict[str, int] = {"A4": 22, "A3": 32, "A2": 48, "A1": 70, "A0": 100}
#: Default resolution of PNG posters.
DEFAULT_DPI = 200
#: Above this many flows, arrows give way to plain lines (much faster to draw).
MAX_ARROWS = 2500


def paper_inches(paper: str) -> tuple[float, float]:
    """Return the width and height of a landscape paper size in inches.

    Raises
    ------
    VisualError
        For an unknown paper size.

    Examples
    --------
    >>> [round(v, 2) for v in paper_inches("A4")]
    [11.69, 8.27]
    """
    key = paper.upper()
    if key not in PAPER_SIZES:
        msg = f"format de papier inconnu « {paper} » (valeurs possibles : {', '.join(PAPER_SIZES)})"
        raise VisualError(msg)
    width, height = PAPER_SIZES[key]
    return width / 25.4, height / 25.4


def poster_figure(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    *,
    paper: str = "A3",
    lang: Lang = "fr",
    size_by: SizeMeasure | str = "throughflow",
    highlight: Highlight | None = None,
    layout: LayoutMethod | str = "auto",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    labels: int | None = None,
) -> Figure:
    """Draw a toile's poster on a matplotlib figure (not saved).

    Parameters
    ----------
    G
        Toile graph (already redacted when it is for the public).
    paper
        ``A4`` to ``A0``, landscape.
    lang
        Language of every word on the poster.
    size_by
        Measure that sizes the actors.
    highlight
        Analysis overlay to draw, if any.
    layout
        Layout method (see :func:`toiles.viz.layout.layout_positions`).
    seed
        Seed of the layout.
    large
        Threshold passed to the layout (``auto`` switches to igraph above it).
    public
        Print the public-version mention.
    labels
        Number of actors labelled (the largest by ``size_by``); default by paper size.

    Returns
    -------
    matplotlib.figure.Figure
        The poster, with an Agg canvas attached.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="T")
    >>> G.add_node("a", name="A", kind="entreprise"); G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", key="f", kind="chaleur", status="existant")
    >>> fig = poster_figure(G, paper="A4")
    >>> [round(float(v), 2) for v in fig.get_size_inches()]
    [11.69, 8.27]
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415  # heavy
    from matplotlib.figure import Figure  # noqa: PLC0415  # heavy

    # Business parks without flows are containers, not participants: on paper they would only
    # be unlabelled markers; their actors carry the park in their tooltips and the map.
    parks = [n for n in G if G.nodes[n].get("kind") == "zae" and G.degree(n) == 0]
    if parks and len(parks) < G.number_of_nodes():
        G = G.copy()
        G.remove_nodes_from(parks)
    width, height = paper_inches(paper)
    scale = width / paper_inches("A4")[0]
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.015, 0.085, 0.755, 0.77))
    ax.set_axis_off()
    positions = _fit_landscape(layout_positions(G, method=layout, seed=seed, large=large), ax, fig)
    measures = node_measure(G, size_by=size_by)
    density = min(1.0, math.sqrt(150 / max(G.number_of_nodes(), 1)))
    radii = {n: r * 0.3 * scale * max(density, 0.35) for n, r in scale_sizes(measures).items()}
    hl_nodes = highlight_colors(highlight) if highlight else {}
    hl_edges = highlight.edges if highlight else frozenset()
    _draw_flows(
        ax, G, positions, radii, scale=scale, hl_edges=hl_edges, faded=highlight is not None
    )
    if highlight is not None and highlight.links:
        _draw_links(ax, positions, radii, highlight.links, scale=scale)
    _draw_actors(ax, G, positions, radii, hl_nodes=hl_nodes, faded=highlight is not None)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.margins(0.04)
    ax.apply_aspect()
    count = labels if labels is not None else LABELS_BY_PAPER[paper.upper()]
    _draw_labels(ax, G, positions, measures, radii, count=count, scale=scale, highlight=highlight)
    _draw_header(fig, G, lang=lang, scale=scale, public=public, highlight=highlight)
    _draw_legend(fig, legend_entries(G, lang=lang), lang=lang, scale=scale, size_by=size_by)
    _draw_footer(fig, G, lang=lang, scale=scale, width_in=width)
    return fig


def _fit_landscape(
    positions: dict[str, tuple[float, float]], ax: Axes, fig: Figure
) -> dict[str, tuple[float, float]]:
    """Stretch a layout horizontally (at most 1.6 times) to fill a landscape drawing area."""
    if len(positions) < 3:  # noqa: PLR2004
        return positions
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width <= 0 or height <= 0:
        return positions
    box = ax.get_position()
    fw, fh = fig.get_size_inches()
    target = (box.width * fw) / (box.height * fh)
    stretch = min(max(target / (width / height), 1.0), 1.6)
    return {node: (x * stretch, y) for node, (x, y) in positions.items()}


def _draw_flows(  # noqa: PLR0913  # keyword-only options of a visual
    ax: Axes,
    G: nx.MultiDiGraph[str],
    positions: dict[str, tuple[float, float]],
    radii: dict[str, float],
    *,
    scale: float,
    hl_edges: frozenset[str],
    faded: bool,
) -> None:
    from matplotlib.collections import LineCollection  # noqa: PLC0415
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415

    widths = flow_widths(G)
    factor = 0.42 * scale
    arrows = G.number_of_edges() <= MAX_ARROWS
    seen: dict[tuple[str, str], int] = {}
    lines: dict[Any, list[Any]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        status = str(d.get("status") or "existant")
        color = flow_color(str(d.get("kind")))
        on = str(k) in hl_edges
        alpha = 1.0 if on or not faded else 0.15
        lw = widths[u, v, k] * factor * (1.8 if on else 1.0)
        style: Any = STATUS_LINESTYLES.get(status, "-")
        (x1, y1), (x2, y2) = positions[u], positions[v]
        if u == v:
            continue
        if not arrows:
            lines.setdefault(style, []).append(((x1, -y1), (x2, -y2), color, lw, alpha))
            continue
        pair = (min(u, v, key=str), max(u, v, key=str))
        rank = seen.get(pair, 0)
        seen[pair] = rank + 1
        rad = 0.12 + 0.1 * rank
        patch = FancyArrowPatch(
            (x1, -y1),
            (x2, -y2),
            arrowstyle=f"-|>,head_length={2.2 + lw * 0.9:.2f},head_width={1.2 + lw * 0.5:.2f}",
            connectionstyle=f"arc3,rad={rad:.2f}",
            color=color,
            linewidth=lw,
            linestyle=style,
            alpha=alpha * 0.9,
            shrinkA=radii[u] + 1,
            shrinkB=radii[v] + 1.5,
            zorder=1 if not on else 2,
        )
        ax.add_patch(patch)
    for style, items in lines.items():
        collection = LineCollection(
            [(a, b) for a, b, _, _, _ in items],
            colors=[c for _, _, c, _, _ in items],
            linewidths=[w for _, _, _, w, _ in items],
            linestyles=style,
            alpha=0.7,
            zorder=1,
        )
        ax.add_collection(collection)


def _draw_links(
    ax: Axes,
    positions: dict[str, tuple[float, float]],
    radii: dict[str, float],
    links: tuple[tuple[str, str, str], ...],
    *,
    scale: float,
) -> None:
    """Draw the suggested links of a highlight (candidates) as dashed arrows."""
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415

    for a, b, _ in links:
        if a not in positions or b not in positions or a == b:
            continue
        (x1, y1), (x2, y2) = positions[a], positions[b]
        ax.add_patch(
            FancyArrowPatch(
                (x1, -y1),
                (x2, -y2),
                arrowstyle="-|>,head_length=4,head_width=2.5",
                connectionstyle="arc3,rad=-0.2",
                color=HIGHLIGHT_COLOR,
                linewidth=1.6 * scale,
                linestyle=(0, (3, 2)),
                shrinkA=radii[a] + 1,
                shrinkB=radii[b] + 1.5,
                zorder=2,
            )
        )


def _draw_actors(  # noqa: PLR0913  # keyword-only options of a visual
    ax: Axes,
    G: nx.MultiDiGraph[str],
    positions: dict[str, tuple[float, float]],
    radii: dict[str, float],
    *,
    hl_nodes: dict[str, str],
    faded: bool,
) -> None:
    from matplotlib.colors import to_rgba  # noqa: PLC0415

    groups: dict[str, list[str]] = {}
    for node, d in G.nodes(data=True):
        groups.setdefault(actor_shape(str(d.get("kind"))).marker, []).append(node)
    for marker, nodes in groups.items():
        xs = [positions[n][0] for n in nodes]
        ys = [-positions[n][1] for n in nodes]
        sizes = [(2 * radii[n]) ** 2 * (0.8 if marker in "sD" else 1.0) for n in nodes]
        colors = [
            to_rgba(
                actor_color(str(G.nodes[n].get("kind"))),
                1.0 if (not faded or str(n) in hl_nodes) else 0.3,
            )
            for n in nodes
        ]
        ax.scatter(
            xs,
            ys,
            s=sizes,
            c=colors,
            marker=marker,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=3,
        )
        rings = [i for i, n in enumerate(nodes) if str(n) in hl_nodes]
        if rings:
            ax.scatter(
                [xs[i] for i in rings],
                [ys[i] for i in rings],
                s=[sizes[i] * 1.9 for i in rings],
                marker=marker,
                facecolors="none",
                edgecolors=[hl_nodes[str(nodes[i])] for i in rings],
                linewidths=2.2,
                zorder=4,
            )


def _draw_labels(  # noqa: PLR0913  # the pieces a label needs
    ax: Axes,
    G: nx.MultiDiGraph[str],
    positions: dict[str, tuple[float, float]],
    measures: dict[str, float],
    radii: dict[str, float],
    *,
    count: int,
    scale: float,
    highlight: Highlight | None,
) -> None:
    """Label the largest actors (and highlighted ones), skipping labels that would overlap."""
    fig = ax.get_figure()
    if fig is None:
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    marked = dict(highlight.nodes) if highlight else {}
    order = sorted(G.nodes, key=lambda n: (str(n) not in marked, -measures[n], str(n)))
    placed: list[Any] = []
    frame = ax.get_window_extent(renderer)
    shown = 0
    fontsize = 6.2 * scale
    # A light plate rather than a stroke (path effects would turn SVG text into paths).
    plate = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.72}
    for node in order:
        if shown >= count and str(node) not in marked:
            break
        name = str(G.nodes[node].get("name") or node)
        if str(node) in marked:
            name = f"{name} ({marked[str(node)]})"
        text = poster_label(name)
        x, y = positions[node]
        offset = radii[node] + 1.5
        for dx, dy, ha, va in (
            (0, 1, "center", "bottom"),
            (0, -1, "center", "top"),
            (1, 0, "left", "center"),
            (-1, 0, "right", "center"),
        ):
            label = ax.annotate(
                text,
                (x, -y),
                xytext=(dx * offset, dy * offset),
                textcoords="offset points",
                ha=ha,
                va=va,
                multialignment="center",
                fontsize=fontsize,
                color="#111111",
                bbox=plate,
                zorder=5,
                annotation_clip=False,
            )
            box = label.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                shown += 1
                break
            label.remove()


def poster_label(name: str, *, width: int = 26) -> str:
    """Break an actor's name on two lines at most, ending with « … » when it is longer.

    Examples
    --------
    >>> print(poster_label("Station d'épuration du secteur de Béthune-Bruay"))
    Station d'épuration du
    secteur de Béthune-Bruay
    >>> poster_label("RTE")
    'RTE'
    """
    lines = textwrap.wrap(name, width=width, break_long_words=True)
    if len(lines) > 2:  # noqa: PLR2004  # two lines at most
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder="…")]
    return "\n".join(lines)


def _draw_header(  # noqa: PLR0913  # keyword-only options of a visual
    fig: Figure,
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang,
    scale: float,
    public: bool,
    highlight: Highlight | None,
) -> None:
    title = toile_title(G, lang=lang)
    fig.text(0.015, 0.965, title, fontsize=20 * scale, fontweight="bold", va="top", ha="left")
    fig.text(
        0.015,
        0.905,
        "  ·  ".join(subtitle_parts(G, lang=lang)),
        fontsize=9.5 * scale,
        va="top",
        ha="left",
        color="#333333",
    )
    line = 0.88
    if highlight is not None:
        note = f"{ui_text('highlight', lang)} : {highlight.title}"
        if highlight.note:
            note += f" — {highlight.note}"
        fig.text(0.015, line, note, fontsize=8.5 * scale, va="top", color=HIGHLIGHT_COLOR)
    boxes = []
    if G.graph.get("illustrative"):
        boxes.append((ui_text("illustrative", lang), "#fff3cd", "#e0a800", "#6b4e00"))
    if public:
        boxes.append((ui_text("public_version", lang), "#e8f4ea", "#6aa874", "#1d4d25"))
    y = 0.965
    for text, face, edge, color in boxes:
        fig.text(
            0.985,
            y,
            text,
            fontsize=9 * scale,
            fontweight="bold",
            ha="right",
            va="top",
            color=color,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": face, "edgecolor": edge},
        )
        y -= 0.045


def _draw_legend(
    fig: Figure, entries: list[LegendEntry], *, lang: Lang, scale: float, size_by: str
) -> None:
    from matplotlib.lines import Line2D  # noqa: PLC0415

    ax = fig.add_axes((0.785, 0.085, 0.205, 0.77))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    heights = {"actor_kind": 1.0, "shape": 1.0, "flow_kind": 1.0, "status": 1.0}
    titles = {
        "actor_kind": ui_text("actor_kinds", lang),
        "shape": ui_text("shapes", lang),
        "flow_kind": ui_text("flow_kinds", lang),
        "status": ui_text("statuses", lang),
    }
    lines = len(entries) + 2 * len({e.group for e in entries}) + 6
    box_h_in = 0.77 * fig.get_size_inches()[1]
    fontsize = min(8.0 * scale, box_h_in * 72 / (lines * 1.55))
    step = fontsize * 1.55 / 72 / box_h_in
    y = 1.0
    ax.text(0, y, ui_text("legend", lang), fontsize=fontsize * 1.3, fontweight="bold", va="top")
    y -= step * 1.5
    group = None
    for entry in entries:
        if entry.group != group:
            group = entry.group
            y -= step * 0.4
            ax.text(
                0,
                y,
                titles[group],
                fontsize=fontsize,
                fontweight="bold",
                va="center",
                color="#333333",
            )
            y -= step * heights[group]
        if entry.group in {"actor_kind", "shape"}:
            ax.add_line(
                Line2D(
                    [0.05],
                    [y],
                    marker=entry.marker,
                    markersize=fontsize * 0.95,
                    markerfacecolor=entry.color,
                    markeredgecolor="#333333",
                    markeredgewidth=0.5,
                    linestyle="none",
                )
            )
        else:
            style: Any = STATUS_LINESTYLES.get(entry.value, "-") if entry.group == "status" else "-"
            ax.add_line(
                Line2D(
                    [0.0, 0.11], [y, y], color=entry.color, linewidth=1.6 * scale, linestyle=style
                )
            )
        ax.text(0.15, y, entry.label, fontsize=fontsize, va="center")
        y -= step
    y -= step * 0.4
    for key in (f"size_{size_by}", "width"):
        wrapped = textwrap.fill(ui_text(key, lang), width=40)
        ax.text(0, y, wrapped, fontsize=fontsize * 0.9, va="top", color="#444444")
        y -= step * (wrapped.count("\n") + 1.3)


def _draw_footer(
    fig: Figure, G: nx.MultiDiGraph[str], *, lang: Lang, scale: float, width_in: float
) -> None:
    fontsize = 6.3 * scale
    chars = int(width_in * 72 / (fontsize * 0.52))
    sources = [str(s) for s in G.graph.get("sources") or ()]
    y = 0.068
    if sources:
        text = f"{ui_text('sources', lang)} : " + " ; ".join(sources)
        wrapped = textwrap.fill(text, width=chars, max_lines=3, placeholder=" […]")
        fig.text(0.015, y, wrapped, fontsize=fontsize, va="top", color="#333333")
        y -= 0.014 * (wrapped.count("\n") + 1) * scale * (8.27 / fig.get_size_inches()[1])
    credit = textwrap.fill(credit_line(G, lang=lang), width=chars)
    fig.text(0.015, max(y, 0.008), credit, fontsize=fontsize, va="top", color="#555555")


def write_poster(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    out: Path | str,
    *,
    fmt: str | None = None,
    paper: str = "A3",
    dpi: int | None = None,
    lang: Lang = "fr",
    size_by: SizeMeasure | str = "throughflow",
    highlight: Highlight | None = None,
    layout: LayoutMethod | str = "auto",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    labels: int | None = None,
) -> Path:
    """Draw a toile's poster and save it as PNG, SVG or PDF.

    Parameters
    ----------
    G
        Toile graph (already redacted when it is for the public).
    out
        File to write.
    fmt
        ``png``, ``svg`` or ``pdf``; by default the file's extension.
    paper
        ``A4`` to ``A0``, landscape.
    dpi
        Resolution of a PNG (default 200; 150 is enough for A1 and A0).
    lang, size_by, highlight, layout, seed, large, public, labels
        See :func:`poster_figure`.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    VisualError
        For an unknown format or paper size.

    Notes
    -----
    Outputs are reproducible: no creation date is written into SVG or PDF files.
    """
    path = Path(out)
    kind = (fmt or path.suffix.lstrip(".")).lower()
    if kind not in STATIC_FORMATS:
        msg = (
            f"format d'affiche inconnu « {kind} » (valeurs possibles : {', '.join(STATIC_FORMATS)})"
        )
        raise VisualError(msg)
    import matplotlib as mpl  # noqa: PLC0415  # heavy

    rc: Any = {"svg.fonttype": "none", "svg.hashsalt": "toiles", "pdf.fonttype": 42}
    with mpl.rc_context(rc):
        fig = poster_figure(
            G,
            paper=paper,
            lang=lang,
            size_by=size_by,
            highlight=highlight,
            layout=layout,
            seed=seed,
            large=large,
            public=public,
            labels=labels,
        )
        metadata_by_kind: dict[str, dict[str, Any]] = {
            "png": {"Software": "toiles"},
            "svg": {"Date": None},
            "pdf": {"CreationDate": None, "ModDate": None},
        }
        metadata = metadata_by_kind[kind]
        fig.savefig(path, format=kind, dpi=dpi or DEFAULT_DPI, metadata=metadata)
    return path
