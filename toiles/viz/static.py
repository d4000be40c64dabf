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

import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toiles.text import format_number
from toiles.viz.layout import CELL_H, CELL_W, LARGE_TOILE
from toiles.viz.scene import (
    IMPACT_RAMP,
    Scene,
    SceneNode,
    build_scene,
    legend_size_samples,
    wrap_label,
)
from toiles.viz.style import (
    STATUS_LINESTYLES,
    Highlight,
    Lang,
    VisualError,
    credit_line,
    ui_text,
)

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

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
    layout: LayoutMethod | str = "structured",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    labels: int | None = None,
    scene: Scene | None = None,
) -> Figure:
    """Paint a toile's poster on a matplotlib figure (not saved) from its scene.

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
        Layout of the scene (see :func:`toiles.viz.scene.build_scene`).
    seed
        Seed of the force layouts.
    large
        Threshold passed to the force layouts.
    public
        Print the public-version mention.
    labels
        Most actors named (the most important first); default: as many as fit.
    scene
        A scene already built (the other drawing options are then ignored).

    Returns
    -------
    matplotlib.figure.Figure
        The poster, with an Agg canvas attached; ``fig.toiles_labels`` tells how many
        actors are named and how many are not (:class:`LabelReport`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="T")
    >>> G.add_node("a", name="A", kind="entreprise"); G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", key="f", kind="chaleur", status="existant")
    >>> fig = poster_figure(G, paper="A4")
    >>> [round(float(v), 2) for v in fig.get_size_inches()], fig.toiles_labels.unnamed
    ([11.69, 8.27], 0)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415  # heavy
    from matplotlib.figure import Figure  # noqa: PLC0415  # heavy

    if scene is None:
        scene = build_scene(
            G,
            lang=lang,
            size_by=size_by,
            highlight=highlight,
            layout=layout,
            seed=seed,
            large=large,
            public=public,
        )
    width, height = paper_inches(paper)
    scale = width / paper_inches("A4")[0]
    fig = Figure(figsize=(width, height), facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes(_DRAWING_BOX)
    ax.set_axis_off()
    k = _fit(ax, fig, scene)
    drawn = [n for n in scene.nodes if not n.area_only]
    _draw_regions(ax, scene, k=k)
    _draw_flows(ax, scene, k=k)
    pending = _draw_links(ax, scene, k=k, scale=scale)
    _draw_actors(ax, drawn, k=k)
    report = _draw_labels(ax, scene, drawn, k=k, scale=scale, limit=labels)
    link_boxes = _draw_link_labels(ax, pending, report, color=scene.highlight_color)
    quantities: list[tuple[float, float, float, float]] = []
    if G.graph.get("grouped_by"):  # links between groups say how much they carry
        quantities = _draw_quantities(ax, scene, report, avoid=link_boxes)
    _draw_header(fig, scene, lang=lang, scale=scale)
    _draw_side(fig, scene, lang=lang, scale=scale, k_pts=k)
    _draw_footer(fig, G, scene, report, lang=lang, scale=scale, width_in=width)
    fig.toiles_labels = report  # type: ignore[attr-defined]
    fig.toiles_quantities = tuple(quantities)  # type: ignore[attr-defined]
    return fig


#: Where the toile is drawn on the page (figure fractions: left, bottom, width, height).
_DRAWING_BOX = (0.012, 0.075, 0.755, 0.80)
#: Smallest label size at print size, in points.
MIN_LABEL_PT = 7.0
#: Most actors whose label is tried (the most important first): beyond, they could not fit.
MAX_LABEL_TRIES = 3000


@dataclass(frozen=True)
class LabelReport:
    """How a poster's labels came out: named actors, unnamed ones, overlaps, label size."""

    named: int
    unnamed: int
    fontsize: float
    boxes: tuple[tuple[float, float, float, float], ...]
    node_boxes: tuple[tuple[float, float, float, float], ...]
    displaced: int = 0

    def overlaps(self) -> tuple[int, int]:
        """Count label-label and label-node overlaps (a label and its own actor excepted).

        Labels are matched to their actors by order of importance, so a label's own marker
        is the node box it was placed next to; any other contact counts.
        """
        label_label = sum(
            _touch(a, b) for i, a in enumerate(self.boxes) for b in self.boxes[i + 1 :]
        )
        label_node = sum(
            sum(_touch(box, node) for node in self.node_boxes) > 1 for box in self.boxes
        )
        return int(label_label), int(label_node)


def _fit(ax: Axes, fig: Figure, scene: Scene) -> float:
    """Set the axes on the scene's bounds (y down) and return points per drawing unit."""
    x0, y0, x1, y1 = scene.bounds()
    pad = 40.0
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    box = ax.get_position()
    fw, fh = fig.get_size_inches()
    w_pt, h_pt = box.width * fw * 72, box.height * fh * 72
    k = min(w_pt / max(x1 - x0, 1.0), h_pt / max(y1 - y0, 1.0))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = w_pt / k / 2, h_pt / k / 2
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy + half_h, cy - half_h)  # y down, as on screen
    return float(k)


_REGION_STYLE: dict[str, tuple[str, str, str]] = {
    # kind: face, edge, title colour
    "band": ("#F3F4F6", "#F3F4F6", "#4B5563"),
    "zae": ("#F6EFE2", "#B89B6A", "#6B5330"),
    "section": ("#FFFFFF", "#C9D3E0", "#3F5A7A"),
}


#: Mean advance of a bold DejaVu Sans character, in ems (area titles: mostly lower case).
_BOLD_EM = 0.64
#: Usual French abbreviations of business parks' kinds, for titles that do not fit.
_AREA_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("Zone d'activités économiques ", "ZAE "),
    ("Zone d'activités ", "ZA "),
    ("Zone d'activité ", "ZA "),
    ("Zone industrielle ", "ZI "),
    ("Parc d'activités ", "PA "),
)


def fit_title(title: str, room_pt: float, size: float) -> tuple[str, float]:
    """Fit an area's title to its width: smaller type, then « ZA », then « … ».

    A title clipped by its area reads as one with the next area's title. So a title that is
    too wide is first set smaller (down to four fifths of its size), then the kind of park
    is abbreviated as the agencies write it (« ZA de Lillers-Est »), then the type goes down
    to 7 pt, and last the title is shortened at a word with « … ».

    Examples
    --------
    >>> fit_title("Zone d'activités de Lillers-Est", 300.0, 11.0)
    ("Zone d'activités de Lillers-Est", 11.0)
    >>> fit_title("Zone d'activités de Lillers-Est", 140.0, 11.0)
    ('ZA de Lillers-Est', 11.0)
    >>> fit_title("Industrie manufacturière", 80.0, 11.0)
    ('Industrie…', 7.0)
    """

    def width(text: str, points: float) -> float:
        return _BOLD_EM * points * len(text)

    if width(title, size) <= room_pt:
        return title, size
    if width(title, 0.8 * size) <= room_pt:
        return title, round(size * room_pt / width(title, size), 1)
    short = title
    for long_form, abbreviation in _AREA_ABBREVIATIONS:
        if title.startswith(long_form):
            short = abbreviation + title[len(long_form) :]
            break
    smaller = max(MIN_LABEL_PT, min(size, round(size * room_pt / width(short, size), 1)))
    chars = int(room_pt / (_BOLD_EM * smaller))
    if len(short) <= chars:
        return short, smaller
    return textwrap.shorten(short, width=max(chars, 2), placeholder="…"), smaller


def _draw_regions(ax: Axes, scene: Scene, *, k: float) -> None:
    from matplotlib.patches import FancyBboxPatch  # noqa: PLC0415

    size = max(MIN_LABEL_PT, min(11.0, 15.0 * k))
    for region in scene.regions:
        face, edge, color = _REGION_STYLE[region.kind]
        patch = ax.add_patch(
            FancyBboxPatch(
                (region.x0, region.y0),
                region.x1 - region.x0,
                region.y1 - region.y0,
                boxstyle="round,pad=0,rounding_size=14",
                facecolor=face,
                edgecolor=edge,
                linewidth=0.8 if region.kind != "band" else 0,
                linestyle="-" if region.kind != "section" else (0, (3, 2)),
                zorder=0,
            )
        )
        if region.title:
            text, fontsize = fit_title(region.title, (region.x1 - region.x0 - 16) * k, size)
            title = ax.text(
                region.x0 + 8,
                region.y0 + 6,
                text,
                fontsize=fontsize,
                fontweight="bold",
                color=color,
                va="top",
                ha="left",
                zorder=0.5,
            )
            title.set_clip_path(patch)


def _draw_flows(ax: Axes, scene: Scene, *, k: float) -> None:
    from matplotlib.collections import LineCollection  # noqa: PLC0415
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415

    by_id = {n.id: n for n in scene.nodes}
    arrows = len(scene.edges) <= MAX_ARROWS
    factor = max(0.2, min(0.42, 2.4 * k))
    seen: dict[tuple[str, str], int] = {}
    lines: dict[Any, list[Any]] = {}
    for e in scene.edges:
        if e.source == e.target:
            continue
        a, b = by_id[e.source], by_id[e.target]
        color = scene.layers[e.layers[0]].color if e.layers else e.color
        alpha = 0.14 if e.faded else 0.85
        lw = e.width * factor * (1.8 if e.highlighted else 1.0)
        style: Any = STATUS_LINESTYLES.get(e.status, "-")
        if not arrows:
            lines.setdefault(style, []).append(((a.x, a.y), (b.x, b.y), color, lw, alpha))
            continue
        pair = (min(e.source, e.target), max(e.source, e.target))
        rank = seen.get(pair, 0)
        seen[pair] = rank + 1
        ax.add_patch(
            FancyArrowPatch(
                (a.x, a.y),
                (b.x, b.y),
                arrowstyle=f"-|>,head_length={2.4 + lw * 0.9:.2f},head_width={1.3 + lw * 0.5:.2f}",
                connectionstyle=f"arc3,rad={0.14 + 0.1 * rank:.2f}",
                color=color,
                linewidth=lw,
                linestyle=style,
                alpha=alpha,
                shrinkA=a.radius * k + 1,
                shrinkB=b.radius * k + 1.5,
                zorder=2 if e.highlighted else 1,
            )
        )
    for style, items in lines.items():
        ax.add_collection(
            LineCollection(
                [(p, q) for p, q, _, _, _ in items],
                colors=[c for _, _, c, _, _ in items],
                linewidths=[w for _, _, _, w, _ in items],
                linestyles=style,
                alpha=0.6,
                zorder=1,
            )
        )


_LINK_RAD = -0.2
#: A proposal's quantity: its text and its arc's ends and control point, on screen.
_Pending = tuple[str, tuple[float, float], tuple[float, float], tuple[float, float]]


def _draw_links(ax: Axes, scene: Scene, *, k: float, scale: float) -> list[_Pending]:
    """Draw the proposals of a highlight (candidates) as dashed arrows.

    Returns their quantities, placed once the actors are named (:func:`_draw_link_labels`).
    """
    from matplotlib.patches import FancyArrowPatch  # noqa: PLC0415

    by_id = {n.id: n for n in scene.nodes}
    pending: list[_Pending] = []
    for link in scene.links:
        a, b = by_id[link.source], by_id[link.target]
        # where the quantity may go: points of the arc (arc3's quadratic Bezier, on screen)
        (x1, y1), (x2, y2) = ax.transData.transform([(a.x, a.y), (b.x, b.y)])
        cx, cy = (x1 + x2) / 2 + _LINK_RAD * (y2 - y1), (y1 + y2) / 2 - _LINK_RAD * (x2 - x1)
        if link.label:
            pending.append((link.label, (x1, y1), (cx, cy), (x2, y2)))
        ax.add_patch(
            FancyArrowPatch(
                (a.x, a.y),
                (b.x, b.y),
                arrowstyle="-|>,head_length=5,head_width=3",
                connectionstyle=f"arc3,rad={_LINK_RAD}",
                color=scene.highlight_color,
                linewidth=1.6 * scale**0.5,
                linestyle=(0, (4, 2.5)),
                shrinkA=a.radius * k + 1,
                shrinkB=b.radius * k + 1.5,
                zorder=2.5,
            )
        )
    return pending


def _draw_actors(ax: Axes, nodes: list[SceneNode], *, k: float) -> None:
    from matplotlib.colors import to_rgba  # noqa: PLC0415

    groups: dict[str, list[SceneNode]] = {}
    for node in nodes:
        groups.setdefault(node.marker, []).append(node)
    for marker, members in groups.items():
        xs = [n.x for n in members]
        ys = [n.y for n in members]
        sizes = [(2 * n.radius * k) ** 2 * (0.8 if marker in "sD" else 1.0) for n in members]
        colors = [to_rgba(n.color, 0.3 if n.faded else 1.0) for n in members]
        ax.scatter(
            xs, ys, s=sizes, c=colors, marker=marker, edgecolors="#333333", linewidths=0.6, zorder=3
        )
        rings = [i for i, n in enumerate(members) if n.ring]
        if rings:
            ax.scatter(
                [xs[i] for i in rings],
                [ys[i] for i in rings],
                s=[(2 * members[i].radius * k + 6) ** 2 for i in rings],
                marker=marker,
                facecolors="none",
                edgecolors=[str(members[i].ring) for i in rings],
                linewidths=2.4,
                zorder=4,
            )
    for node in nodes:
        if node.rank is not None:
            ax.text(
                node.x,
                node.y,
                str(node.rank),
                fontsize=max(MIN_LABEL_PT, node.radius * k * 0.9),
                fontweight="bold",
                color="white",
                ha="center",
                va="center",
                zorder=4.5,
            )


def _label_font(scene: Scene, *, k: float, scale: float) -> tuple[float, int]:
    """Label size (points) and characters per line so that a label fits its actor's cell."""
    cell_pt = CELL_W * k * 0.94
    fontsize = min(8.0 * scale**0.5, cell_pt / (0.56 * 15))
    fontsize = max(fontsize, MIN_LABEL_PT)
    chars = max(8, int(cell_pt / (0.56 * fontsize)))
    del scene
    return fontsize, chars


def _draw_labels(  # noqa: PLR0913, PLR0915  # tries each label in turn, kept together
    ax: Axes,
    scene: Scene,
    nodes: list[SceneNode],
    *,
    k: float,
    scale: float,
    limit: int | None,
) -> LabelReport:
    """Name the actors, most important first; a label that would touch another is left out.

    Every actor's label is tried under its marker, then above it; its box, measured by the
    renderer (``get_window_extent``), must not touch another label or any marker. An
    actor that cannot be named this way stays unnamed and is counted in the footer.
    """
    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()  # type: ignore[union-attr]
    fontsize, chars = _label_font(scene, k=k, scale=scale)
    line_pt = fontsize * 1.18
    room = CELL_H * k - 2 * max((n.radius for n in nodes), default=10.0) * k
    lines = max(1, min(3, int(room / line_pt)))
    frame = ax.get_window_extent(renderer)
    node_boxes = []
    for n in nodes:
        cx, cy = ax.transData.transform((n.x, n.y))
        r = n.radius * k * fig.dpi / 72 + 1  # type: ignore[union-attr]
        node_boxes.append((cx - r, cy - r, cx + r, cy + r))
    taken = _BoxGrid()
    for i, box in enumerate(node_boxes):
        taken.add(box, i)
    index_of = {n.id: i for i, n in enumerate(nodes)}
    px = renderer.points_to_pixels(1.0)
    order = sorted(nodes, key=lambda n: (n.badge == "", -n.importance, n.name, n.id))
    plate = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}

    def _place_one(text: str, n: SceneNode) -> tuple[Annotation, _Box, bool] | None:
        """Put ``text`` at the first free place around ``n``: its label, box and leader flag."""
        offset = n.radius * k + 1.5
        far = CELL_H * k * 0.55
        cx, cy = ax.transData.transform((n.x, n.y))
        own = index_of[n.id]
        rows = text.split("\n")
        # the label's size, estimated, to reject a crowded place before drawing anything
        est_w = (max(len(r) for r in rows) * 0.5 * fontsize + 0.3 * fontsize) * px
        est_h = (len(rows) * 1.15 * fontsize + 0.3 * fontsize) * px
        for dx, dy, ha, va, leader in (
            (0.0, -offset, "center", "top", False),
            (0.0, offset, "center", "bottom", False),
            (offset, 0.0, "left", "center", False),
            (-offset, 0.0, "right", "center", False),
            (far * 0.8, -far, "left", "top", True),
            (-far * 0.8, -far, "right", "top", True),
            (far * 0.8, far, "left", "bottom", True),
            (-far * 0.8, far, "right", "bottom", True),
        ):
            guess = _guess_box(cx + dx * px, cy + dy * px, est_w, est_h, ha, va)
            if taken.clashes(guess, ignore=own):
                continue
            label = ax.annotate(
                text,
                (n.x, n.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                multialignment="center",
                fontsize=fontsize,
                color="#111111",
                bbox=plate,
                zorder=5,
                annotation_clip=False,
                arrowprops=(
                    {
                        "arrowstyle": "-",
                        "color": "#666666",
                        "linewidth": 0.5,
                        "shrinkA": 0,
                        "shrinkB": n.radius * k + 0.5,
                    }
                    if leader
                    else None
                ),
            )
            box = _text_box(label, renderer)
            inside = frame.x0 <= box[0] and box[2] <= frame.x1 and frame.y0 <= box[1]
            if inside and not taken.clashes(box, ignore=own):
                return label, box, leader
            label.remove()
        return None

    # First pass: every actor, most important first, with its name on ``lines`` lines
    # (« … » when longer), so that as many actors as possible are named.
    kept: dict[str, tuple[Annotation, _Box, bool]] = {}
    for n in order[:MAX_LABEL_TRIES]:
        if limit is not None and len(kept) >= limit:
            break
        found = _place_one(_label_text(n, width=chars, rows=lines), n)
        if found is not None:
            kept[n.id] = found
            taken.add(found[1], LABEL_TAG)
    # Second pass: a shortened name gets its whole name (a little wider, one more line)
    # wherever that fits without touching anything: « … » is the last resort, not the rule.
    for n in order[:MAX_LABEL_TRIES]:
        if n.id not in kept or not wrap_label(n.name, width=chars, lines=lines).endswith("…"):
            continue
        old_label, old_box, _ = kept[n.id]
        taken.remove(old_box, LABEL_TAG)
        found = _place_one(_label_text(n, width=round(chars * 1.3), rows=lines + 1), n)
        if found is None:
            taken.add(old_box, LABEL_TAG)
            continue
        old_label.remove()
        kept[n.id] = found
        taken.add(found[1], LABEL_TAG)
    placed = [box for _, box, _ in kept.values()]
    named = len(kept)
    displaced = sum(leader for _, _, leader in kept.values())
    return LabelReport(
        named,
        len(nodes) - named,
        round(fontsize, 2),
        tuple(placed),
        tuple(node_boxes),
        displaced,
    )


#: Most links whose quantity a grouped poster writes (the widest, one per pair of groups).
MAX_QUANTITIES = 12


def _draw_quantities(
    ax: Axes,
    scene: Scene,
    report: LabelReport,
    *,
    avoid: list[tuple[float, float, float, float]] | None = None,
) -> list[tuple[float, float, float, float]]:
    """Write the quantity of the widest links between groups at their middle, where it fits.

    One figure per pair of groups, at the middle of the arc :func:`_draw_flows` drew (same
    curvature rank); a figure whose box, measured by the renderer, would touch a name, a
    marker or another figure is left out. Returns the boxes of the figures written.
    """
    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()  # type: ignore[union-attr]
    by_id = {n.id: n for n in scene.nodes}
    rank_of: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for e in scene.edges:
        if e.source == e.target:
            continue
        pair = (min(e.source, e.target), max(e.source, e.target))
        rank_of[e.id] = seen.get(pair, 0)
        seen[pair] = rank_of[e.id] + 1
    taken = list(report.boxes) + list(report.node_boxes) + list(avoid or ())
    written: list[tuple[float, float, float, float]] = []
    pairs: set[tuple[str, str]] = set()
    fontsize = max(MIN_LABEL_PT, report.fontsize * 0.85)
    plate = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    for e in sorted(scene.edges, key=lambda e: -e.width):
        pair = (min(e.source, e.target), max(e.source, e.target))
        if len(written) >= MAX_QUANTITIES or not e.quantity or e.id not in rank_of or pair in pairs:
            continue
        a, b = by_id[e.source], by_id[e.target]
        (x1, y1), (x2, y2) = ax.transData.transform([(a.x, a.y), (b.x, b.y)])
        rad = 0.14 + 0.1 * rank_of[e.id]  # matplotlib's arc3: a quadratic Bézier
        mid = ((x1 + x2) / 2 + rad * (y2 - y1) / 2, (y1 + y2) / 2 - rad * (x2 - x1) / 2)
        x, y = ax.transData.inverted().transform(mid)
        text = ax.text(
            x,
            y,
            e.quantity,
            fontsize=fontsize,
            color="#333333",
            ha="center",
            va="center",
            bbox=plate,
            zorder=4,
        )
        ext = text.get_window_extent(renderer)
        pad = float(renderer.points_to_pixels(0.12 * fontsize))  # the plate around the text
        box = (ext.x0 - pad, ext.y0 - pad, ext.x1 + pad, ext.y1 + pad)
        if any(_touch(box, other) for other in taken):
            text.remove()
            continue
        taken.append(box)
        written.append(box)
        pairs.add(pair)
    return written


def _label_text(n: SceneNode, *, width: int, rows: int) -> str:
    """An actor's label: its name wrapped, then its badge and a group's summary if any."""
    text = wrap_label(n.name, width=width, lines=rows)
    if n.badge and n.rank is None and not n.layers:
        text = f"{text}\n({n.badge})"
    return f"{text}\n{n.summary}" if n.summary else text


def _text_box(label: Annotation, renderer: RendererBase) -> tuple[float, float, float, float]:
    """The box of a label's text and its plate, in display units (the renderer's own measure).

    The text's extent comes from matplotlib (``Text.get_window_extent``, without a leader
    line); the plate's padding (0.12 of the font size) is added around it.
    """
    from matplotlib.text import Text  # noqa: PLC0415

    label.update_positions(renderer)
    ext = Text.get_window_extent(label, renderer)
    pad = float(renderer.points_to_pixels(0.12 * float(label.get_fontsize())))  # type: ignore[arg-type]
    return (ext.x0 - pad, ext.y0 - pad, ext.x1 + pad, ext.y1 + pad)


def _draw_link_labels(
    ax: Axes, pending: list[_Pending], report: LabelReport, *, color: str
) -> list[tuple[float, float, float, float]]:
    """Write each proposal's quantity on its arc where it covers no name and no marker.

    Returns the boxes of the quantities written (other figures must keep off them).
    """
    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()  # type: ignore[union-attr]
    taken = list(report.boxes) + list(report.node_boxes)
    plate = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    written: list[tuple[float, float, float, float]] = []
    for text, (x0, y0), (cx, cy), (x2, y2) in pending:
        for t in (0.5, 0.38, 0.62, 0.27, 0.73):
            px = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x2
            py = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y2
            at = ax.transData.inverted().transform((px, py))
            label = ax.annotate(
                text,
                (float(at[0]), float(at[1])),
                fontsize=report.fontsize,
                color=color,
                ha="center",
                va="center",
                fontweight="bold",
                bbox=plate,
                zorder=6,
                annotation_clip=False,
            )
            box = _text_box(label, renderer)
            if not any(_touch(box, other) for other in taken):
                taken.append(box)
                written.append(box)
                break
            label.remove()
    return written


def _guess_box(  # noqa: PLR0913, PLR0917  # a point, a size and two alignments
    x: float, y: float, w: float, h: float, ha: str, va: str
) -> tuple[float, float, float, float]:
    """A label's box on screen from its anchor point, estimated size and alignments."""
    x0 = {"center": x - w / 2, "left": x, "right": x - w}[ha]
    y0 = {"center": y - h / 2, "bottom": y, "top": y - h}[va]  # display y points up
    return (x0, y0, x0 + w, y0 + h)


_Box = tuple[float, float, float, float]
LABEL_TAG = -1  # the tag of a label's box in a _BoxGrid (markers are tagged by their index)


class _BoxGrid:
    """Boxes in buckets of a grid, so that finding the boxes a new one touches is O(1)."""

    def __init__(self, size: float = 48.0) -> None:
        self.size = size
        self.buckets: dict[tuple[int, int], list[tuple[tuple[float, float, float, float], int]]]
        self.buckets = {}

    def _keys(self, box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        s = self.size
        return [
            (i, j)
            for i in range(int(box[0] // s), int(box[2] // s) + 1)
            for j in range(int(box[1] // s), int(box[3] // s) + 1)
        ]

    def add(self, box: tuple[float, float, float, float], tag: int) -> None:
        for key in self._keys(box):
            self.buckets.setdefault(key, []).append((box, tag))

    def remove(self, box: tuple[float, float, float, float], tag: int) -> None:
        for key in self._keys(box):
            self.buckets[key].remove((box, tag))

    def clashes(self, box: tuple[float, float, float, float], *, ignore: int) -> bool:
        for key in self._keys(box):
            for other, tag in self.buckets.get(key, ()):
                if tag != ignore and _touch(box, other):
                    return True
        return False


def _touch(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


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
    return wrap_label(name, width=width, lines=2)


def _draw_header(fig: Figure, scene: Scene, *, lang: Lang, scale: float) -> None:
    title = textwrap.shorten(scene.title, width=int(70 / scale**0.1), placeholder="…")
    fig.text(0.012, 0.975, title, fontsize=19 * scale**0.9, fontweight="bold", va="top")
    size = 9.5 * scale**0.9
    room = int(0.75 * fig.get_size_inches()[0] * 72 / (size * 0.55))  # left of the side column
    fig.text(
        0.012,
        0.925,
        textwrap.shorten("  ·  ".join(scene.subtitle), width=room, placeholder=" …"),
        fontsize=size,
        va="top",
        color="#333333",
    )
    if scene.highlight_title:
        note = f"{ui_text('highlight', lang)} : {scene.highlight_title}"
        if scene.highlight_note:
            note += f" — {scene.highlight_note}"
        fig.text(
            0.012,
            0.895,
            textwrap.shorten(note, int(room * 9.5 / 8.5), placeholder=" …"),
            fontsize=8.5 * scale**0.9,
            va="top",
            color=scene.highlight_color,
        )


def _draw_side(fig: Figure, scene: Scene, *, lang: Lang, scale: float, k_pts: float) -> None:
    """The right column: mentions, headline box, then the legend, fitted to the height."""
    ax = fig.add_axes((0.78, 0.075, 0.21, 0.90))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    rows: list[tuple[str, Any, str]] = [("mention", m, m) for m in scene.mentions]
    if scene.headline:
        rows.append(("title", None, ui_text("headline", lang)))
        rows.extend(("figure", f.value, f.label) for f in scene.headline)
        rows.append(("space", None, ""))
    rows.append(("title", None, ui_text("legend", lang)))
    titles = {
        "actor_kind": ui_text("actor_kinds", lang),
        "shape": ui_text("shapes", lang),
        "flow_kind": ui_text("flow_kinds", lang),
        "status": ui_text("statuses", lang),
    }
    group = None
    for entry in scene.legend:
        if entry.group == "shape":
            continue  # the kinds show their shapes already
        if entry.group != group:
            group = entry.group
            rows.append(("subtitle", None, titles[group]))
        rows.append((entry.group, entry, entry.label))
    if any(r.kind == "zae" for r in scene.regions):
        rows.append(("zae", None, ui_text("zae_area", lang)))
    if scene.layers:
        rows.append(("subtitle", None, scene.highlight_title))
        rows.extend(("layer", layer.color, layer.label) for layer in scene.layers)
    if scene.ramp:
        rows.append(("subtitle", None, ui_text("impact_ramp", lang)))
        for color, words in zip(
            IMPACT_RAMP, ("< 25 %", "25–50 %", "50–99 %", "100 %"), strict=True
        ):
            rows.append(("layer", color, words))
    if scene.links:
        rows.append(("link", scene.highlight_color, ui_text("proposals", lang)))
    if any(n.rank is not None for n in scene.nodes):
        rows.append(("layer", scene.highlight_color, ui_text("rank_ring", lang)))
    rows.append(("sizes", legend_size_samples(lang), ""))
    rows.append(("note", None, scene.size_label))
    rows.append(("note", None, scene.width_label))
    box_h_in = 0.90 * fig.get_size_inches()[1]
    heights = {"note": 3.2, "mention": 1.9, "sizes": 2.0}
    units = sum(heights.get(kind, 1.0) for kind, _, _ in rows)
    fontsize = min(8.5 * scale**0.8, box_h_in * 72 / (units * 1.6))
    # Shrink until the column fits its height (wrapped notes and figures take more lines).
    for _ in range(6):
        ax.clear()
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        bottom = _paint_side(ax, fig, rows, fontsize=fontsize, scale=scale, k_pts=k_pts)
        if bottom >= 0 or fontsize <= MIN_LABEL_PT * 0.8:
            break
        fontsize = max(fontsize * 0.88, MIN_LABEL_PT * 0.8)


def _paint_side(  # noqa: PLR0912, PLR0913, PLR0915  # one branch per kind of row
    ax: Axes,
    fig: Figure,
    rows: list[tuple[str, Any, str]],
    *,
    fontsize: float,
    scale: float,
    k_pts: float,
) -> float:
    """Paint the right column's rows from the top; return where it ended (axes fraction)."""
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    box_h_in = 0.90 * fig.get_size_inches()[1]
    step = fontsize * 1.6 / 72 / box_h_in
    chars = int(0.21 * fig.get_size_inches()[0] * 72 / (fontsize * 0.55))
    y = 1.0
    for kind, payload, text in rows:
        if kind == "mention":
            wrapped = textwrap.fill(text, width=chars - 4)
            face, edge, color = (
                ("#fff3cd", "#e0a800", "#6b4e00")
                if "llustrati" in text
                else ("#e8f4ea", "#6aa874", "#1d4d25")
            )
            ax.text(
                0.02,
                y,
                wrapped,
                fontsize=fontsize,
                fontweight="bold",
                va="top",
                color=color,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": face, "edgecolor": edge},
            )
            y -= step * (wrapped.count("\n") + 1.9)
            continue
        if kind == "title":
            ax.text(0, y, text, fontsize=fontsize * 1.25, fontweight="bold", va="top")
            y -= step * 1.3
            continue
        if kind == "space":
            y -= step * 0.4
            continue
        if kind == "figure":
            value = ax.text(
                0, y, payload, fontsize=fontsize * 1.2, fontweight="bold", va="top", color="#1F3A5F"
            )
            renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
            right = ax.transAxes.inverted().transform(value.get_window_extent(renderer))[1][0]
            wrapped = textwrap.fill(text, width=max(10, int(chars * (0.97 - right))))
            ax.text(
                right + 0.03, y - step * 0.1, wrapped, fontsize=fontsize, va="top", color="#333333"
            )
            y -= step * (1.1 + 0.95 * wrapped.count("\n"))
            continue
        if kind == "subtitle":
            y -= step * 0.3
            ax.text(0, y, text, fontsize=fontsize, fontweight="bold", va="top", color="#333333")
            y -= step
            continue
        if kind == "sizes":
            # three markers at the radius a share of 100 %, 25 % and 1 % gets on this poster
            x = 0.04
            for radius, words in payload:
                ax.add_line(
                    Line2D(
                        [x],
                        [y - step * 0.9],
                        marker="o",
                        markersize=min(2 * radius * k_pts, fontsize * 2.2),
                        markerfacecolor="#2E6DB4",
                        markeredgecolor="#333333",
                        markeredgewidth=0.5,
                        linestyle="none",
                    )
                )
                ax.text(x + 0.05, y - step * 0.9, words, fontsize=fontsize * 0.9, va="center")
                x += 0.32
            y -= step * 2.0
            continue
        if kind == "note":
            wrapped = textwrap.fill(text, width=chars)
            ax.text(0, y, wrapped, fontsize=fontsize * 0.9, va="top", color="#444444")
            y -= step * (wrapped.count("\n") + 1.4)
            continue
        mid = y - step * 0.45
        if kind == "actor_kind":
            ax.add_line(
                Line2D(
                    [0.05],
                    [mid],
                    marker=payload.marker,
                    markersize=fontsize * 0.95,
                    markerfacecolor=payload.color,
                    markeredgecolor="#333333",
                    markeredgewidth=0.5,
                    linestyle="none",
                )
            )
        elif kind == "zae":
            ax.add_patch(
                Rectangle(
                    (0.0, mid - step * 0.3),
                    0.11,
                    step * 0.6,
                    facecolor="#F6EFE2",
                    edgecolor="#B89B6A",
                    linewidth=0.8,
                )
            )
        elif kind == "layer":
            ax.add_line(Line2D([0.0, 0.11], [mid, mid], color=payload, linewidth=3.5 * scale**0.5))
        elif kind == "link":
            ax.add_line(
                Line2D(
                    [0.0, 0.11],
                    [mid, mid],
                    color=payload,
                    linewidth=1.8 * scale**0.5,
                    linestyle=(0, (4, 2.5)),
                )
            )
        else:
            entry = payload
            style: Any = STATUS_LINESTYLES.get(entry.value, "-") if kind == "status" else "-"
            ax.add_line(
                Line2D(
                    [0.0, 0.11],
                    [mid, mid],
                    color=entry.color,
                    linewidth=1.6 * scale**0.5,
                    linestyle=style,
                )
            )
        ax.text(0.15, y, text, fontsize=fontsize, va="top")
        y -= step
    return y


def _draw_footer(  # noqa: PLR0913  # the footer's pieces
    fig: Figure,
    G: nx.MultiDiGraph[str],
    scene: Scene,
    report: LabelReport,
    *,
    lang: Lang,
    scale: float,
    width_in: float,
) -> None:
    fontsize = max(MIN_LABEL_PT * 0.9, 6.3 * scale**0.8)
    chars = int(width_in * 0.76 * 72 / (fontsize * 0.52))
    lines = []
    if report.unnamed:
        unnamed = "unnamed_groups" if G.graph.get("grouped_by") else "unnamed"
        lines.append(f"{format_number(report.unnamed, lang, digits=0)} {ui_text(unnamed, lang)}")
    sources = [str(s) for s in G.graph.get("sources") or ()]
    if sources:
        lines.append(
            textwrap.fill(
                f"{ui_text('sources', lang)} : " + " ; ".join(sources),
                width=chars,
                max_lines=2,
                placeholder=" […]",
            )
        )
    lines.append(textwrap.fill(credit_line(G, lang=lang), width=chars))
    fig.text(0.012, 0.062, "\n".join(lines), fontsize=fontsize, va="top", color="#444444")
    del scene


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
    layout: LayoutMethod | str = "structured",
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
    with mpl.rc_context(rc), warnings.catch_warnings():
        # A name may hold a character the poster's font lacks: it is drawn as a box, and the
        # poster is still written (matplotlib would otherwise warn once per such glyph).
        warnings.filterwarnings(
            "ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning
        )
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
