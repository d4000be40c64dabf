"""The drawing model of a toile: one scene, computed once, that every output only paints.

A :class:`Scene` holds everything a picture of a toile shows: where each actor goes and how
big, its colour, shape and label; each flow's colour, width, dashes and quantity; the areas
of the structured layout (bands, business parks, sectors); the analysis overlay (rings,
ranks, a colour per loop, an impact ramp, dashed proposals); the legend and the headline
figures. :func:`build_scene` computes it from the graph and the highlight; the interactive
page (:mod:`toiles.viz.html`), the posters (:mod:`toiles.viz.static`) and the embed mode
paint it without going back to the graph.

Sizes are comparable across unit families: an actor's size is its throughflow (the larger
of what it receives and sends) as a share of the largest throughflow of the same unit
family, the best share over its families; so a hub in MWh, one in m³ and one in counts
all read as hubs.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from toiles.analysis._common import FlowTable, flow_table, weighted_count
from toiles.models.units import BASE_UNITS
from toiles.models.vocab import UnitFamily
from toiles.text import format_number, format_percent, format_quantity, ui_text
from toiles.viz.layout import (
    LARGE_TOILE,
    Region,
    layout_positions,
    node_measure,
    structured_layout,
)
from toiles.viz.style import (
    HIGHLIGHT_COLOR,
    STATUS_DASHES,
    Highlight,
    HighlightLayer,
    Lang,
    LegendEntry,
    actor_color,
    actor_shape,
    flow_color,
    highlight_colors,
    legend_entries,
    subtitle_parts,
    toile_title,
    widths_of,
)

if TYPE_CHECKING:
    import networkx as nx

#: Layouts of a scene: ``structured`` (bands and blocks, the default), or the force and
#: geographic layouts of :func:`toiles.viz.layout.layout_positions`.
SCENE_LAYOUTS: tuple[str, ...] = ("structured", "auto", "spring", "fr", "geo")

#: Smallest and largest marker radius, in drawing units (pixels on screen at zoom 1).
MIN_RADIUS, MAX_RADIUS = 6.0, 22.0

#: Colours of the impact ramp, from a small loss to a total one (ColorBrewer YlOrRd).
IMPACT_RAMP: tuple[str, ...] = ("#FED976", "#FD8D3C", "#E31A1C", "#800026")

#: Up to this many flows, the scene writes each flow's quantity for reading.
QUANTITY_TEXT_UP_TO = 5000

#: Above this many actors the headline leaves out loops and leads (their search is long).
HEADLINE_ANALYSES_UP_TO = 2000


@dataclass(frozen=True)
class SceneNode:
    """One actor as drawn: position, radius, colour, shape, label and overlay marks."""

    id: str
    name: str
    label: str  # the name as written on the picture (each painter wraps it to its room)
    kind: str
    x: float
    y: float
    radius: float
    color: str
    shape: str
    marker: str
    importance: float
    area_only: bool = False
    ring: str | None = None
    badge: str = ""
    #: A group's flows inside it, « 12 flux internes, 3 400 MWh » (aggregated views).
    summary: str = ""
    rank: int | None = None
    faded: bool = False
    layers: tuple[int, ...] = ()


@dataclass(frozen=True)
class SceneEdge:
    """One flow as drawn: ends, colour, width, dashes, quantity and overlay marks."""

    id: str
    source: str
    target: str
    kind: str
    status: str
    color: str
    width: float
    dashes: bool | list[int]
    quantity: str
    highlighted: bool = False
    faded: bool = False
    layers: tuple[int, ...] = ()


@dataclass(frozen=True)
class SceneLink:
    """A proposal drawn over the toile (a candidate synergy): dashed, with its quantity."""

    source: str
    target: str
    label: str


@dataclass(frozen=True)
class HeadlineFigure:
    """One key figure of the headline box: a number and what it counts."""

    value: str
    label: str


@dataclass(frozen=True)
class Scene:
    """Everything a picture of a toile shows, computed once (see :func:`build_scene`)."""

    title: str
    subtitle: tuple[str, ...]
    nodes: tuple[SceneNode, ...]
    edges: tuple[SceneEdge, ...]
    regions: tuple[Region, ...]
    legend: tuple[LegendEntry, ...]
    headline: tuple[HeadlineFigure, ...]
    size_label: str
    width_label: str
    layout: str
    links: tuple[SceneLink, ...] = ()
    layers: tuple[HighlightLayer, ...] = ()
    highlight_title: str = ""
    highlight_note: str = ""
    highlight_color: str = HIGHLIGHT_COLOR
    ramp: bool = False
    mentions: tuple[str, ...] = field(default_factory=tuple)

    def bounds(self) -> tuple[float, float, float, float]:
        """Return the smallest box holding every actor and region: ``(x0, y0, x1, y1)``."""
        xs = [n.x for n in self.nodes] + [r.x0 for r in self.regions] + [r.x1 for r in self.regions]
        ys = [n.y for n in self.nodes] + [r.y0 for r in self.regions] + [r.y1 for r in self.regions]
        if not xs:
            return (0.0, 0.0, 1.0, 1.0)
        return (min(xs), min(ys), max(xs), max(ys))


def family_shares(G: nx.MultiDiGraph[str]) -> dict[str, float]:
    """Each actor's throughflow as a share of the largest one of its unit family (best family).

    The throughflow of an actor in a family is the larger of what it receives and what it
    sends (quantities in the family's base unit). It is divided by the largest throughflow
    of that family, so the hub of every family gets 1; an actor takes its best share over
    the families it trades in, and 0 without quantified flows.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("grid", "hub", family="energy", quantity_base=1000.0)
    >>> _ = G.add_edge("hub", "car", family="energy", quantity_base=250.0)
    >>> _ = G.add_edge("hub", "car", family="count", quantity_base=4.0)
    >>> family_shares(G)
    {'grid': 1.0, 'hub': 1.0, 'car': 1.0}
    """
    if G.number_of_edges() == 0:
        return dict.fromkeys((str(n) for n in G.nodes), 0.0)
    return _shares(flow_table(G))


def _shares(ft: FlowTable) -> dict[str, float]:
    best = np.zeros(ft.n, dtype=np.float64)
    qty = ft.qty
    for family in sorted({f for f in ft.family if f is not None}):
        mask = ft.family_mask(family) & ~np.isnan(qty)
        if not mask.any():
            continue
        out = weighted_count(ft.src[mask], qty[mask], ft.n)
        inn = weighted_count(ft.dst[mask], qty[mask], ft.n)
        through = np.maximum(out, inn)
        top = float(through.max())
        if top > 0:
            best = np.maximum(best, through / top)
    return {str(node): round(float(best[i]), 6) for i, node in enumerate(ft.nodes)}


def _radius(share: float) -> float:
    """Marker radius whose area is proportional to the share (a floor keeps it visible)."""
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(max(share, 0.0)), 2)


def ramp_color(share: float) -> str:
    """Colour of a share lost on the impact ramp (:data:`IMPACT_RAMP`).

    Examples
    --------
    >>> ramp_color(0.05), ramp_color(0.4), ramp_color(0.7), ramp_color(1.0)
    ('#FED976', '#FD8D3C', '#E31A1C', '#800026')
    """
    steps = (0.25, 0.5, 0.999)
    for limit, color in zip(steps, IMPACT_RAMP, strict=False):
        if share < limit:
            return color
    return IMPACT_RAMP[-1]


def wrap_label(name: str, *, width: int = 18, lines: int = 2) -> str:
    """Break a name over ``lines`` lines of about ``width`` characters, « … » when longer.

    Examples
    --------
    >>> print(wrap_label("Station d'épuration du secteur de Béthune-Bruay", width=16))
    Station
    d'épuration du…
    >>> wrap_label("RTE")
    'RTE'
    """
    if len(name) <= width:
        return name
    # Words are never cut: a word longer than the line gets a line of its own (a label a
    # little wider reads better than « Méthanisatio / n »); hyphenated names break after « - ».
    parts = textwrap.wrap(name, width=width, break_long_words=False) or [name]
    if len(parts) > lines:
        head = parts[: lines - 1]
        rest = textwrap.shorten(" ".join(parts[lines - 1 :]), width=width, placeholder="…")
        if rest == "…":
            rest = parts[lines - 1][: width - 1] + "…"
        parts = [*head, rest]
    return "\n".join(parts)


def delivered_totals(G: nx.MultiDiGraph[str], *, ft: FlowTable | None = None) -> dict[str, float]:
    """Volume of each unit family counted once: what is used inside or leaves the territory.

    The existing flows are balanced actor by actor (:func:`toiles.viz.balance.family_balances`):
    energy that goes grid -> transmission -> distribution -> factory counts once, at the
    factory, and a factory that uses most of what it receives and passes on the rest counts
    for what it uses. An aggregated graph carries the totals of its actors
    (``G.graph["delivered"]``, set by :func:`toiles.viz.aggregate.aggregate_graph`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("grid", "rte", family="energy", quantity_base=100.0)
    >>> _ = G.add_edge("rte", "enedis", family="energy", quantity_base=100.0)
    >>> _ = G.add_edge("enedis", "usine", family="energy", quantity_base=60.0)
    >>> _ = G.add_edge("enedis", "ecole", family="energy", quantity_base=40.0)
    >>> delivered_totals(G)
    {'energy': 100.0}
    """
    from toiles.viz.balance import family_balances  # noqa: PLC0415  # light, on demand

    carried = G.graph.get("delivered")
    if isinstance(carried, dict):
        return {str(family): float(value) for family, value in carried.items()}
    return {b.family: b.use for b in family_balances(G, ft=ft)}


def headline_figures(
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang = "fr",
    analyses: bool = True,
    ft: FlowTable | None = None,
    flows: int | None = None,
) -> tuple[HeadlineFigure, ...]:
    """The 3 to 5 key figures of a toile: actors, flows, volumes counted once, loops, leads.

    Loops and leads come from :func:`toiles.analysis.loops.existing_loops` and
    :func:`toiles.analysis.candidates.candidates_report` (left out when ``analyses`` is
    false, or when an analysis cannot run on this toile).

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> [f.label for f in headline_figures(example_graph())][:2]
    ['acteurs', 'flux']
    """
    figures = [
        HeadlineFigure(
            format_number(G.number_of_nodes(), lang, digits=0),
            ui_text("groups" if G.graph.get("grouped_by") else "actors", lang).lower(),
        ),
        HeadlineFigure(
            # a MultiDiGraph counts its edges by walking them: the caller may know the count
            format_number(G.number_of_edges() if flows is None else flows, lang, digits=0),
            ui_text("flows", lang).lower(),
        ),
    ]
    totals = {f: v for f, v in delivered_totals(G, ft=ft).items() if v > 0}
    # Physical families first (energy, volume, mass), in vocabulary order; never compared.
    order = [f.value for f in UnitFamily]
    for family in sorted(totals, key=lambda f: order.index(f) if f in order else len(order))[:2]:
        unit = BASE_UNITS.get(UnitFamily(family), "") if family in _FAMILIES else ""
        figures.append(
            HeadlineFigure(format_quantity(totals[family], unit, lang), ui_text("delivered", lang))
        )
    if analyses and G.number_of_nodes() <= HEADLINE_ANALYSES_UP_TO:
        figures.extend(_analysis_figures(G, lang))
    return tuple(figures[:5])


_FAMILIES = {f.value for f in UnitFamily}


def _analysis_figures(G: nx.MultiDiGraph[str], lang: Lang) -> list[HeadlineFigure]:
    from toiles.analysis.candidates import candidates_report  # noqa: PLC0415  # on demand
    from toiles.analysis.loops import existing_loops  # noqa: PLC0415
    from toiles.errors import ToilesError  # noqa: PLC0415

    figures: list[HeadlineFigure] = []
    try:
        loops = existing_loops(G).count
        figures.append(
            HeadlineFigure(
                format_number(loops, lang, digits=0), ui_text("loops_word", lang).lower()
            )
        )
    except ToilesError:  # a toile the analysis cannot read: no figure rather than a wrong one
        pass
    try:
        leads = len(candidates_report(G).candidates)
        figures.append(
            HeadlineFigure(format_number(leads, lang, digits=0), ui_text("leads_word", lang))
        )
    except ToilesError:
        pass
    return figures


def _titles(lang: Lang) -> dict[str, str]:
    words = {
        "exterieur": ui_text("band_outside", lang),
        "reseaux": ui_text("band_networks", lang),
        "public": ui_text("band_public", lang),
        "naf:?": ui_text("section_other", lang),
    }
    for letter in "ABCDEFGHIJKLMNOPQRSTU":
        words[f"naf:{letter}"] = ui_text(f"naf_{letter}", lang)
    return words


def build_scene(  # noqa: C901, PLR0912, PLR0913, PLR0915  # every part of the picture, once
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang = "fr",
    size_by: str = "throughflow",
    highlight: Highlight | None = None,
    layout: str = "structured",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    headline: bool = True,
) -> Scene:
    """Compute the scene of a toile: the one drawing model every output paints.

    Parameters
    ----------
    G
        Toile graph (already redacted when it is for the public).
    lang
        Language of every word of the scene.
    size_by
        ``throughflow`` (share of the family's largest throughflow, comparable across unit
        families), ``employees`` or ``centrality``.
    highlight
        Analysis overlay, if any.
    layout
        ``structured`` (default; ``auto`` is the same) or ``spring``, ``fr``, ``geo``.
    seed
        Seed of the force layouts (the structured one needs none).
    large
        Threshold of the force layouts (igraph above it).
    public
        Mention the public version.
    headline
        Compute the headline figures (loops and leads run the analyses).

    Returns
    -------
    Scene
        Positions, sizes, colours, labels, regions, overlay, legend and headline.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> scene = build_scene(example_graph(), headline=False)
    >>> len(scene.nodes) == example_graph().number_of_nodes(), scene.layout
    (True, 'structured')
    >>> build_scene(example_graph(), headline=False) == scene
    True
    """
    structured = layout in {"structured", "auto"}
    edges = list(G.edges(keys=True, data=True))
    ft = flow_table(G) if edges else None
    if size_by == "throughflow":
        shares = _shares(ft) if ft is not None else family_shares(G)
    else:
        measure = node_measure(G, size_by=size_by, edges=edges)
        top = max(measure.values(), default=0.0)
        shares = {str(n): (v / top if top > 0 else 0.0) for n, v in measure.items()}
    names = {str(n): str(d.get("name") or n) for n, d in G.nodes(data=True)}
    regions: list[Region] = []
    if structured:
        positions, regions = structured_layout(G, importance=shares, titles=_titles(lang))
    else:
        positions = layout_positions(G, method=layout, seed=seed, large=large)
    park_regions = {r.key.removeprefix("zae:"): r for r in regions if r.kind == "zae"}
    hl = highlight
    ring_colors = highlight_colors(hl) if hl else {}
    node_layers: dict[str, list[int]] = {}
    edge_layers: dict[str, list[int]] = {}
    for i, layer in enumerate(hl.layers if hl else ()):
        for n in layer.nodes:
            node_layers.setdefault(n, []).append(i)
        for e in layer.edges:
            edge_layers.setdefault(e, []).append(i)
    nodes: list[SceneNode] = []
    for node, data in G.nodes(data=True):
        ident = str(node)
        kind = str(data.get("kind"))
        shape = actor_shape(kind)
        share = shares.get(ident, 0.0)
        area_only = structured and kind == "zae" and ident in park_regions and G.degree(node) == 0
        x, y = positions[node]
        if area_only:
            region = park_regions[ident]
            x, y = region.x0, region.y0
        summary = str(data.get("internal") or "")  # a group's own flows (aggregated views)
        ring = None
        badge = ""
        faded = False
        if hl is not None:
            if ident in hl.nodes:
                badge = hl.nodes[ident]
                ring = ring_colors.get(ident)
                if ident in node_layers:
                    ring = hl.layers[node_layers[ident][0]].color
                if ident in hl.ramp:
                    ring = ramp_color(float(hl.ramp[ident]))
            else:
                faded = True
        nodes.append(
            SceneNode(
                id=ident,
                name=names[ident],
                label=names[ident],
                summary=summary,
                kind=kind,
                x=float(x),
                y=float(y),
                radius=_radius(share),
                color=actor_color(kind),
                shape=shape.vis,
                marker=shape.marker,
                importance=share,
                area_only=area_only,
                ring=ring,
                badge=badge,
                rank=None if hl is None else hl.ranks.get(ident),
                faded=faded,
                layers=tuple(node_layers.get(ident, ())),
            )
        )
    widths = widths_of(edges)
    scene_edges: list[SceneEdge] = []
    # Quantities are written for reading on small toiles; a large page formats them itself
    # when a flow is opened.
    quantities = len(edges) <= QUANTITY_TEXT_UP_TO
    for u, v, k, d in edges:
        status = str(d.get("status") or "existant")
        quantity = d.get("quantity")
        on = hl is not None and (str(k) in hl.edges or str(k) in edge_layers)
        scene_edges.append(
            SceneEdge(
                id=str(k),
                source=str(u),
                target=str(v),
                kind=str(d.get("kind")),
                status=status,
                color=flow_color(str(d.get("kind"))),
                width=widths[u, v, k],
                dashes=STATUS_DASHES.get(status, False),
                quantity=(
                    format_quantity(float(quantity), str(d.get("unit") or ""), lang)
                    if quantity is not None and quantities
                    else ""
                ),
                highlighted=on,
                faded=hl is not None and not on,
                layers=tuple(edge_layers.get(str(k), ())),
            )
        )
    links = tuple(
        SceneLink(a, b, label)
        for a, b, label in (hl.links if hl else ())
        if a in G and b in G and a != b
    )
    mentions: list[str] = []
    if G.graph.get("illustrative"):
        mentions.append(ui_text("illustrative", lang))
    if public:
        mentions.append(ui_text("public_version", lang))
    size_key = "size_share" if size_by == "throughflow" else f"size_{size_by}"
    return Scene(
        title=toile_title(G, lang=lang),
        subtitle=tuple(subtitle_parts(G, lang=lang)),
        nodes=tuple(nodes),
        edges=tuple(scene_edges),
        regions=tuple(regions),
        legend=tuple(legend_entries(G, lang=lang, edges=edges)),
        headline=headline_figures(G, lang=lang, ft=ft, flows=len(edges)) if headline else (),
        size_label=ui_text(size_key, lang),
        width_label=ui_text("width", lang),
        layout="structured" if structured else layout,
        links=links,
        layers=tuple(hl.layers) if hl else (),
        highlight_title=hl.title if hl else "",
        highlight_note=hl.note if hl else "",
        ramp=bool(hl and hl.ramp),
        mentions=tuple(mentions),
    )


def legend_size_samples(lang: Lang = "fr") -> list[tuple[float, str]]:
    """Radii and words of the size key: 100 %, 25 % and 1 % of the family's largest.

    Examples
    --------
    >>> [r for r, _ in legend_size_samples()]
    [22.0, 14.0, 7.6]
    """
    return [(_radius(s), format_percent(s, lang, digits=0)) for s in (1.0, 0.25, 0.01)]
