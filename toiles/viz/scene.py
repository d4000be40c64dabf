"""The drawing model of a toile: one scene, computed once, that every output only paints.

A :class:`Scene` holds everything a picture of a toile shows: where each actor goes and how
big, its colour, shape and label; each flow's colour, width, dashes and quantity; the areas
of the structured layout (bands, business parks, sectors); the analysis overlay (rings,
ranks, a colour per loop, an impact ramp, dashed proposals); the legend and the headline
figures. :func:`build_scene` computes it from the graph and the highlight; the interactive
page (:mod:`toiles.viz.html`), the posters (:mod:`toiles.viz.static`) and the embed mode
paint it without going back to the graph. Actors and flows are held as columns (one tuple
per field), which the page writes as they are; records (:class:`SceneNode`,
:class:`SceneEdge`) are built when a painter asks for them.

Sizes are comparable across unit families: an actor's size is its throughflow (the larger
of what it receives and sends) as a share of the largest throughflow of the same unit
family, the best share over its families; so a hub in MWh, one in m³ and one in counts
all read as hubs.
"""

from __future__ import annotations

import functools
import math
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

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
    family_widths,
    flow_color,
    highlight_colors,
    legend_entries,
    subtitle_parts,
    toile_title,
)

if TYPE_CHECKING:
    import networkx as nx
    from numpy.typing import NDArray

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
class SceneActors:
    """The actors of a scene as columns: entry ``i`` of every column is actor ``i``.

    Actors come in the graph's order. The interactive page writes these columns straight
    into its data (20,000 actors are 20,000 entries per column, not 20,000 objects); the
    painters that read one actor at a time get :class:`SceneNode` records from
    :attr:`Scene.nodes`, built on first use.
    """

    id: tuple[str, ...]
    name: tuple[str, ...]
    kind: tuple[str, ...]
    x: tuple[float, ...]
    y: tuple[float, ...]
    radius: tuple[float, ...]
    color: tuple[str, ...]
    shape: tuple[str, ...]
    marker: tuple[str, ...]
    importance: tuple[float, ...]
    area_only: tuple[bool, ...]
    ring: tuple[str | None, ...]
    badge: tuple[str, ...]
    summary: tuple[str, ...]
    rank: tuple[int | None, ...]
    faded: tuple[bool, ...]
    layers: tuple[tuple[int, ...], ...]

    def __len__(self) -> int:
        """Number of actors."""
        return len(self.id)

    def records(self) -> tuple[SceneNode, ...]:
        """One :class:`SceneNode` per actor, in order."""
        return tuple(
            map(
                SceneNode,
                self.id,
                self.name,
                self.name,  # the label is the name (each painter wraps it to its room)
                self.kind,
                self.x,
                self.y,
                self.radius,
                self.color,
                self.shape,
                self.marker,
                self.importance,
                self.area_only,
                self.ring,
                self.badge,
                self.summary,
                self.rank,
                self.faded,
                self.layers,
            )
        )


@dataclass(frozen=True)
class SceneFlows:
    """The flows of a scene as columns: entry ``i`` of every column is flow ``i``.

    Flows come in the graph's order (:func:`toiles.analysis._common.flow_table`'s);
    :attr:`Scene.edges` gives them as :class:`SceneEdge` records.
    """

    id: tuple[str, ...]
    source: tuple[str, ...]
    target: tuple[str, ...]
    kind: tuple[str, ...]
    status: tuple[str, ...]
    color: tuple[str, ...]
    width: tuple[float, ...]
    dashes: tuple[bool | list[int], ...]
    quantity: tuple[str, ...]
    highlighted: tuple[bool, ...]
    faded: tuple[bool, ...]
    layers: tuple[tuple[int, ...], ...]

    def __len__(self) -> int:
        """Number of flows."""
        return len(self.id)

    def records(self) -> tuple[SceneEdge, ...]:
        """One :class:`SceneEdge` per flow, in order."""
        return tuple(
            map(
                SceneEdge,
                self.id,
                self.source,
                self.target,
                self.kind,
                self.status,
                self.color,
                self.width,
                self.dashes,
                self.quantity,
                self.highlighted,
                self.faded,
                self.layers,
            )
        )


@dataclass(frozen=True)
class Scene:
    """Everything a picture of a toile shows, computed once (see :func:`build_scene`).

    Actors and flows are held as columns (:class:`SceneActors`, :class:`SceneFlows`);
    :attr:`nodes` and :attr:`edges` give them as records, built the first time a painter
    asks (the page of a large toile never does).
    """

    title: str
    subtitle: tuple[str, ...]
    actors: SceneActors
    flows: SceneFlows
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

    @functools.cached_property
    def nodes(self) -> tuple[SceneNode, ...]:
        """The actors as records, in the graph's order."""
        return self.actors.records()

    @functools.cached_property
    def edges(self) -> tuple[SceneEdge, ...]:
        """The flows as records, in the graph's order."""
        return self.flows.records()

    def bounds(self) -> tuple[float, float, float, float]:
        """Return the smallest box holding every actor and region: ``(x0, y0, x1, y1)``."""
        xs = [*self.actors.x, *(r.x0 for r in self.regions), *(r.x1 for r in self.regions)]
        ys = [*self.actors.y, *(r.y0 for r in self.regions), *(r.y1 for r in self.regions)]
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
    best = _share_array(ft)
    return {str(node): round(float(best[i]), 6) for i, node in enumerate(ft.nodes)}


def _share_array(ft: FlowTable) -> NDArray[np.float64]:
    """Each actor's best share (see :func:`family_shares`), in ``ft.nodes`` order, unrounded."""
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
    return best


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


def build_scene(  # noqa: PLR0913  # every part of the picture, once
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
    ft: FlowTable | None = None,
    aspect: float = 1.4,
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
    aspect
        Width over height of the box the structured layout fills: about 1.4 for a poster
        (A-series paper), wider for a screen.
    ft
        The flows of ``G`` already read (:func:`toiles.analysis._common.flow_table`), when
        the caller needs them too.

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
    # One walk over the flows (the flow table) and one over the actors feed every column.
    ft = flow_table(G) if ft is None else ft
    ids = [str(node) for node in ft.nodes]
    n = len(ids)
    node_data = [data for _, data in G.nodes(data=True)]
    names = [str(d.get("name") or ident) for ident, d in zip(ids, node_data, strict=True)]
    kinds = [str(d.get("kind")) for d in node_data]
    importance = _importance(G, ft, ids, size_by=size_by)
    regions: list[Region] = []
    if structured:
        positions, regions = structured_layout(
            G,
            importance=dict(zip(ids, importance, strict=True)),
            titles=_titles(lang),
            aspect=aspect,
        )
    else:
        positions = layout_positions(G, method=layout, seed=seed, large=large)
    xs = [float(positions[node][0]) for node in ft.nodes]
    ys = [float(positions[node][1]) for node in ft.nodes]
    area_only = [False] * n
    park_regions = {r.key.removeprefix("zae:"): r for r in regions if r.kind == "zae"}
    if structured and park_regions:
        for i, kind in enumerate(kinds):
            # a business park without flows is drawn as its area: its marker sits in a corner
            if kind == "zae" and ids[i] in park_regions and G.degree(ft.nodes[i]) == 0:
                area_only[i] = True
                xs[i], ys[i] = park_regions[ids[i]].x0, park_regions[ids[i]].y0
    looks = {kind: (actor_color(kind), actor_shape(kind)) for kind in set(kinds)}
    sqrt_shares = np.sqrt(np.maximum(np.asarray(importance, dtype=np.float64), 0.0)).tolist()
    actors = SceneActors(
        id=tuple(ids),
        name=tuple(names),
        kind=tuple(kinds),
        x=tuple(xs),
        y=tuple(ys),
        radius=tuple(round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * r, 2) for r in sqrt_shares),
        color=tuple(looks[k][0] for k in kinds),
        shape=tuple(looks[k][1].vis for k in kinds),
        marker=tuple(looks[k][1].marker for k in kinds),
        importance=tuple(importance),
        area_only=tuple(area_only),
        # a group's own flows, under its name (aggregated views)
        summary=tuple(str(d.get("internal") or "") for d in node_data),
        **_actor_marks(ids, highlight),
    )
    flows = _scene_flows(ft, ids, lang=lang, hl=highlight)
    hl = highlight
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
    legend = legend_entries(
        G, lang=lang, actor_kinds=set(kinds), flow_kinds=set(flows.kind), statuses=set(flows.status)
    )
    return Scene(
        title=toile_title(G, lang=lang),
        subtitle=tuple(subtitle_parts(G, lang=lang)),
        actors=actors,
        flows=flows,
        regions=tuple(regions),
        legend=tuple(legend),
        headline=(
            headline_figures(G, lang=lang, ft=ft if len(flows) else None, flows=len(flows))
            if headline
            else ()
        ),
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


def _importance(
    G: nx.MultiDiGraph[str], ft: FlowTable, ids: list[str], *, size_by: str
) -> list[float]:
    """Each actor's share of the largest, in ``ids`` order (see :func:`build_scene`)."""
    if size_by == "throughflow":
        return [round(v, 6) for v in _share_array(ft).tolist()]
    measure = node_measure(G, size_by=size_by, edges=list(G.edges(keys=True, data=True)))
    top = max(measure.values(), default=0.0)
    shares = {str(node): (v / top if top > 0 else 0.0) for node, v in measure.items()}
    return [shares.get(ident, 0.0) for ident in ids]


def _layer_index(
    highlight: Highlight | None,
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The layers (loops) each actor and each flow belongs to."""
    node_layers: dict[str, list[int]] = {}
    edge_layers: dict[str, list[int]] = {}
    for i, layer in enumerate(highlight.layers if highlight else ()):
        for node in layer.nodes:
            node_layers.setdefault(node, []).append(i)
        for edge in layer.edges:
            edge_layers.setdefault(edge, []).append(i)
    return node_layers, edge_layers


class _ActorMarks(TypedDict):
    ring: tuple[str | None, ...]
    badge: tuple[str, ...]
    rank: tuple[int | None, ...]
    faded: tuple[bool, ...]
    layers: tuple[tuple[int, ...], ...]


def _actor_marks(ids: list[str], hl: Highlight | None) -> _ActorMarks:
    """The overlay's columns for the actors: ring, badge, rank, faded, layers."""
    n = len(ids)
    if hl is None:
        return {
            "ring": (None,) * n,
            "badge": ("",) * n,
            "rank": (None,) * n,
            "faded": (False,) * n,
            "layers": ((),) * n,
        }
    ring_colors = highlight_colors(hl)
    node_layers, _ = _layer_index(hl)
    rings: list[str | None] = []
    badges: list[str] = []
    for ident in ids:
        ring = None
        if ident in hl.nodes:
            ring = ring_colors.get(ident)
            if ident in node_layers:
                ring = hl.layers[node_layers[ident][0]].color
            if ident in hl.ramp:
                ring = ramp_color(float(hl.ramp[ident]))
        rings.append(ring)
        badges.append(hl.nodes.get(ident, ""))
    return {
        "ring": tuple(rings),
        "badge": tuple(badges),
        "rank": tuple(hl.ranks.get(ident) for ident in ids),
        "faded": tuple(ident not in hl.nodes for ident in ids),
        "layers": tuple(tuple(node_layers.get(ident, ())) for ident in ids),
    }


def _scene_flows(ft: FlowTable, ids: list[str], *, lang: Lang, hl: Highlight | None) -> SceneFlows:
    """The flows' columns: ends, kind, status, colour, width, dashes, quantity, overlay."""
    m = len(ft.keys)
    keys = [str(k) for k in ft.keys]
    kinds = ft.kind
    statuses = ft.status
    colors = {kind: flow_color(kind) for kind in set(kinds)}
    # Quantities are written for reading on small toiles; a large page formats them itself
    # when a flow is opened.
    quantities: tuple[str, ...] = ("",) * m
    if m <= QUANTITY_TEXT_UP_TO:
        quantities = tuple(
            ""
            if (q := d.get("quantity")) is None
            else format_quantity(float(q), str(d.get("unit") or ""), lang)
            for d in ft.data
        )
    highlighted: tuple[bool, ...] = (False,) * m
    faded: tuple[bool, ...] = (False,) * m
    layers: tuple[tuple[int, ...], ...] = ((),) * m
    if hl is not None:
        _, edge_layers = _layer_index(hl)
        highlighted = tuple(k in hl.edges or k in edge_layers for k in keys)
        faded = tuple(not on for on in highlighted)
        layers = tuple(tuple(edge_layers.get(k, ())) for k in keys)
    return SceneFlows(
        id=tuple(keys),
        source=tuple(ids[i] for i in ft.src.tolist()),
        target=tuple(ids[i] for i in ft.dst.tolist()),
        kind=tuple(kinds),
        status=tuple(statuses),
        color=tuple(colors[k] for k in kinds),
        width=tuple(family_widths(ft.qty, ft.family)),
        dashes=tuple(STATUS_DASHES.get(status, False) for status in statuses),
        quantity=quantities,
        highlighted=highlighted,
        faded=faded,
        layers=layers,
    )


def legend_size_samples(lang: Lang = "fr") -> list[tuple[float, str]]:
    """Radii and words of the size key: 100 %, 25 % and 1 % of the family's largest.

    Examples
    --------
    >>> [r for r, _ in legend_size_samples()]
    [22.0, 14.0, 7.6]
    """
    return [(_radius(s), format_percent(s, lang, digits=0)) for s in (1.0, 0.25, 0.01)]
