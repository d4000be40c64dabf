"""Where actors go and how big they are: seeded layouts and node sizes for every visual.

The same positions feed the interactive page and the posters, so a toile keeps its shape
from screen to paper. Small toiles are laid out by NetworkX's spring layout
(Fruchterman-Reingold [1]_); above :data:`LARGE_TOILE` actors, igraph's grid
Fruchterman-Reingold runs in C, through the project's NetworkX <-> igraph adapter
(:mod:`toiles.analysis._igraph`), in well under a second for 20,000 actors. Both are
seeded: the same toile and seed give the same drawing.

References
----------
.. [1] Fruchterman, T. M. J., Reingold, E. M. (1991). Graph drawing by force-directed
   placement. Software: Practice and Experience 21(11), 1129-1164.
   https://doi.org/10.1002/spe.4380211102
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import numpy as np

from toiles.viz.style import VisualError

if TYPE_CHECKING:
    from numpy.typing import NDArray

#: Above this many actors a toile counts as large: layout by igraph, physics off in pages.
LARGE_TOILE = 300

#: Layout methods: ``auto`` picks ``spring`` for small toiles and ``fr`` for large ones;
#: ``geo`` places actors at their coordinates (others around the centre).
LayoutMethod = Literal["auto", "spring", "fr", "geo"]
LAYOUTS: tuple[str, ...] = ("auto", "spring", "fr", "geo")

#: Components of a large toile up to this size are drawn as circles (no force layout).
_SMALL_PART = 12

#: From this many actors, igraph's Fruchterman-Reingold uses its grid (about O(n) per step).
_GRID_FROM = 1000

#: Average distance between neighbouring actors, in drawing units (pixels on screen).
SPACING = 110.0

Positions = dict[str, tuple[float, float]]


def layout_positions(
    G: nx.MultiDiGraph[str],
    *,
    method: LayoutMethod | str = "auto",
    seed: int = 0,
    large: int = LARGE_TOILE,
) -> Positions:
    """Compute the position of every actor, seeded, in drawing units (y pointing down).

    Parameters
    ----------
    G
        Toile graph.
    method
        ``auto`` (spring up to ``large`` actors, igraph's Fruchterman-Reingold above),
        ``spring``, ``fr`` or ``geo``.
    seed
        Seed of the layout: the same seed gives the same positions.
    large
        Number of actors above which ``auto`` switches to igraph.

    Returns
    -------
    dict
        ``(x, y)`` by actor id, centred on 0, about :data:`SPACING` units between neighbours.

    Raises
    ------
    VisualError
        For an unknown method.

    Notes
    -----
    The spring layout costs O(n²) per iteration (NetworkX's dense version below 500 nodes);
    igraph's grid variant costs about O(n) per iteration, with fewer iterations on large
    graphs (500 up to 2,000 actors, 100 at 20,000).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> pos = layout_positions(G, seed=1)
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout_positions(G, seed=1)
    True
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if method == "auto":
        method = "spring" if n <= large else "fr"
    if method == "geo":
        return _geo(G, seed)
    if method not in {"spring", "fr"}:
        msg = f"disposition inconnue « {method} » (valeurs possibles : {', '.join(LAYOUTS)})"
        raise VisualError(msg)
    if method == "spring":
        parts = _components(G)
        laid = [
            _to_drawing(part, _spring(G.subgraph(part), seed)) for part in parts if len(part) > 1
        ]
    else:
        parts, laid = _igraph_parts(G, seed)
    placed = _pack(laid)
    placed.update(_grid_below(placed, [part[0] for part in parts if len(part) == 1]))
    return {node: placed[node] for node in G.nodes}


def _components(G: nx.MultiDiGraph[str]) -> list[list[str]]:
    """Connected components (flow directions ignored), largest first, nodes in graph order."""
    parent = {node: node for node in G.nodes}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for u, v in G.edges():
        ru, rv = root(u), root(v)
        if ru != rv:
            parent[ru] = rv
    groups: dict[str, list[str]] = {}
    for node in G.nodes:
        groups.setdefault(root(node), []).append(node)
    return sorted(groups.values(), key=lambda part: -len(part))


def _circle(n: int) -> NDArray[np.float64]:
    if n == 2:  # noqa: PLR2004  # a pair: side by side
        return np.asarray([[0.0, 0.0], [1.0, 0.0]])
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.column_stack((np.cos(angles), np.sin(angles)))


def _pack(laid: list[Positions]) -> Positions:
    """Pack laid-out components in rows, largest first, about as wide as they are tall."""
    if not laid:
        return {}
    boxes = []
    for pos in laid:
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        left, bottom = min(xs), min(ys)
        shifted = {node: (x - left, y - bottom) for node, (x, y) in pos.items()}
        boxes.append((shifted, max(xs) - left, max(ys) - bottom))
    row_width = max(
        *(w for _, w, _ in boxes),
        math.sqrt(sum((w + SPACING) * (h + SPACING) for _, w, h in boxes)) * 1.4,
    )
    result: Positions = {}
    x = y = row_height = 0.0
    for pos, w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + SPACING, 0.0
        result.update(
            {node: (round(px + x, 1), round(py + y, 1)) for node, (px, py) in pos.items()}
        )
        x += w + SPACING
        row_height = max(row_height, h)
    return _centred(result)


def _centred(pos: Positions) -> Positions:
    if not pos:
        return pos
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {node: (round(x - cx, 1), round(y - cy, 1)) for node, (x, y) in pos.items()}


def _grid_below(placed: Positions, nodes: list[str]) -> Positions:
    """Put actors without flows in a grid under the drawing (they would fly off otherwise)."""
    if not nodes:
        return {}
    step = SPACING * (1.1 if len(nodes) < 50 else 0.6)  # noqa: PLR2004  # denser when many
    if placed:
        xs = [x for x, _ in placed.values()]
        left, right, top = min(xs), max(xs), max(y for _, y in placed.values()) + step * 1.5
    else:
        left, right, top = 0.0, 0.0, 0.0
    columns = max(int((right - left) // step) + 1, math.ceil(math.sqrt(len(nodes) * 3)))
    width = (min(columns, len(nodes)) - 1) * step
    start = (left + right) / 2 - width / 2
    return {
        node: (round(start + (i % columns) * step, 1), round(top + (i // columns) * step, 1))
        for i, node in enumerate(nodes)
    }


def _spring(G: nx.MultiDiGraph[str], seed: int) -> NDArray[np.float64]:
    simple: nx.Graph[str] = nx.Graph()
    simple.add_nodes_from(G.nodes)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    n = simple.number_of_nodes()
    pos = nx.spring_layout(simple, seed=seed, iterations=300, k=2.2 / math.sqrt(max(n, 1)))
    return np.asarray([pos[node] for node in G.nodes], dtype=np.float64)


def _igraph_parts(G: nx.MultiDiGraph[str], seed: int) -> tuple[list[list[str]], list[Positions]]:
    """Components and their layouts, in C: grid Fruchterman-Reingold for the large ones.

    One igraph graph is built for the whole toile (through the project's adapter); its
    connected components are found by igraph; each component of more than
    :data:`_SMALL_PART` actors gets igraph's Fruchterman-Reingold, the tiny ones a circle.
    """
    import igraph as ig  # noqa: PLC0415  # loaded with the first large layout only

    from toiles.analysis._igraph import igraph_from_pairs  # noqa: PLC0415

    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(index[u], index[v]) for u, v in G.edges() if u != v})
    ends = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    src, dst = ends[:, 0], ends[:, 1]
    g = igraph_from_pairs(len(nodes), src, dst, directed=False)
    members: dict[int, list[int]] = {}
    for vertex, component in enumerate(g.connected_components().membership):
        members.setdefault(component, []).append(vertex)
    ordered = sorted(members.values(), key=lambda part: (-len(part), part[0]))
    parts = [[nodes[i] for i in part] for part in ordered]
    laid: list[Positions] = []
    rng = np.random.default_rng(seed)
    ig.set_random_number_generator(random.Random(seed))  # noqa: S311  # not for security
    try:
        for part, names in zip(ordered, parts, strict=True):
            if len(part) == 1:
                continue
            if len(part) <= _SMALL_PART:  # the many tiny components: a circle each
                laid.append(_to_drawing(names, _circle(len(part))))
                continue
            sub = g.induced_subgraph(part) if len(part) < len(nodes) else g
            n = len(part)
            start = ((rng.random((n, 2)) - 0.5) * math.sqrt(n)).tolist()  # centred: fast grid
            niter = int(min(500, max(100, 2_000_000 // n)))
            layout = sub.layout_fruchterman_reingold(seed=start, niter=niter, grid=n > _GRID_FROM)
            laid.append(_to_drawing(names, np.asarray(layout.coords, dtype=np.float64)))
    finally:
        ig.set_random_number_generator(random)
    return parts, laid


def _to_drawing(nodes: list[str], coords: NDArray[np.float64]) -> Positions:
    """Centre and scale raw coordinates so that the toile fills a square of side ~ sqrt(n)."""
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    low = np.percentile(coords, 2, axis=0)
    high = np.percentile(coords, 98, axis=0)
    span = float(max(np.max(high - low), 1e-9))
    side = SPACING * math.sqrt(n) * 1.3
    scaled = (coords - (low + high) / 2) / span * side
    return {
        node: (round(float(x), 1), round(float(-y), 1))
        for node, (x, y) in zip(nodes, scaled, strict=True)
    }


def _geo(G: nx.MultiDiGraph[str], seed: int) -> Positions:
    """Equirectangular projection around the mean latitude; actors without coordinates in a ring."""
    located = {
        n: (float(d["lon"]), float(d["lat"]))
        for n, d in G.nodes(data=True)
        if d.get("lat") is not None and d.get("lon") is not None
    }
    nodes = list(G.nodes)
    if not located:
        return layout_positions(G, method="spring", seed=seed)
    lat0 = math.radians(sum(lat for _, lat in located.values()) / len(located))
    xy = np.asarray(
        [(lon * math.cos(lat0), lat) for lon, lat in located.values()], dtype=np.float64
    )
    placed = _to_drawing(list(located), xy * np.array([1.0, 1.0]))
    missing = [n for n in nodes if n not in located]
    if missing:
        radius = max((math.hypot(x, y) for x, y in placed.values()), default=SPACING) + SPACING
        for i, node in enumerate(missing):
            angle = 2 * math.pi * i / len(missing)
            placed[node] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return {node: placed[node] for node in nodes}


SizeMeasure = Literal["employees", "centrality", "throughflow"]
SIZE_MEASURES: tuple[str, ...] = ("employees", "centrality", "throughflow")


def node_measure(
    G: nx.MultiDiGraph[str],
    *,
    size_by: SizeMeasure | str = "throughflow",
    edges: list[tuple[str, str, str, dict[str, Any]]] | None = None,
) -> dict[str, float]:
    """Return the measure that sizes each actor.

    Parameters
    ----------
    G
        Toile graph.
    size_by
        ``employees`` (the actor's headcount, 0 when unknown), ``centrality`` (PageRank of
        the flow graph, unweighted [2]_) or ``throughflow`` (the larger of what an actor
        receives and sends, in the unit family that has the most quantified flows [3]_).
    edges
        The flows as ``(source, target, key, data)`` when the caller has listed them
        already (saves a walk over a large graph).

    Returns
    -------
    dict
        Measure by actor id (never negative).

    Raises
    ------
    VisualError
        For an unknown measure.

    References
    ----------
    .. [2] Brin, S., Page, L. (1998). The anatomy of a large-scale hypertextual Web search
       engine. Computer Networks 30, 107-117. https://doi.org/10.1016/S0169-7552(98)00110-X
    .. [3] Finn, J. T. (1976). Measures of ecosystem structure and function derived from
       analysis of flows. J. Theor. Biol. 56, 363-380.
       https://doi.org/10.1016/S0022-5193(76)80080-X

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", employees=10); G.add_node("b")
    >>> _ = G.add_edge("a", "b", key="f", family="energy", quantity_base=5.0)
    >>> node_measure(G, size_by="employees"), node_measure(G)
    ({'a': 10.0, 'b': 0.0}, {'a': 5.0, 'b': 5.0})
    """
    if size_by == "employees":
        return {n: float(d.get("employees") or 0) for n, d in G.nodes(data=True)}
    if size_by == "throughflow":
        return _throughflow(G, edges)
    if size_by == "centrality":
        return _pagerank(G)
    msg = (
        f"mesure de taille inconnue « {size_by} » (valeurs possibles : {', '.join(SIZE_MEASURES)})"
    )
    raise VisualError(msg)


def main_family(G: nx.MultiDiGraph[str]) -> str | None:
    """Return the unit family with the most quantified flows (``None`` when there is none).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", family="mass", quantity_base=1.0)
    >>> main_family(G)
    'mass'
    """
    counts: dict[str, int] = {}
    for _, _, d in G.edges(data=True):
        if d.get("family") is not None and d.get("quantity_base") is not None:
            counts[str(d["family"])] = counts.get(str(d["family"]), 0) + 1
    if not counts:
        return None
    return max(sorted(counts), key=lambda f: counts[f])


def _throughflow(
    G: nx.MultiDiGraph[str], edges: list[tuple[str, str, str, dict[str, Any]]] | None
) -> dict[str, float]:
    inflow: dict[str, dict[str, float]] = {}
    outflow: dict[str, dict[str, float]] = {}
    counts: dict[str, int] = {}
    for u, v, _, d in G.edges(keys=True, data=True) if edges is None else edges:
        q, family = d.get("quantity_base"), d.get("family")
        if q is None or family is None:
            continue
        key = str(family)
        counts[key] = counts.get(key, 0) + 1
        sent, received = outflow.setdefault(key, {}), inflow.setdefault(key, {})
        sent[u] = sent.get(u, 0.0) + float(q)
        received[v] = received.get(v, 0.0) + float(q)
    if not counts:
        return dict.fromkeys(G.nodes, 0.0)
    family = max(sorted(counts), key=lambda f: counts[f])
    sent, received = outflow[family], inflow[family]
    return {n: max(sent.get(n, 0.0), received.get(n, 0.0)) for n in G.nodes}


def _pagerank(G: nx.MultiDiGraph[str]) -> dict[str, float]:
    from toiles.analysis._igraph import igraph_from_pairs, pagerank  # noqa: PLC0415

    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    src = np.fromiter((index[u] for u, _ in G.edges()), dtype=np.int64)
    dst = np.fromiter((index[v] for _, v in G.edges()), dtype=np.int64)
    values = pagerank(igraph_from_pairs(len(nodes), src, dst))
    return {node: float(values[i]) for i, node in enumerate(nodes)}


def scale_sizes(
    values: dict[str, float], *, smallest: float = 10.0, largest: float = 42.0
) -> dict[str, float]:
    """Turn measures into sizes whose areas are proportional to the measures.

    The largest measure gets ``largest``; zero gets ``smallest``.

    Examples
    --------
    >>> scale_sizes({"a": 0.0, "b": 25.0, "c": 100.0})
    {'a': 10.0, 'b': 26.0, 'c': 42.0}
    """
    top = max(values.values(), default=0.0)
    if top <= 0:
        return dict.fromkeys(values, smallest)
    return {
        node: round(smallest + (largest - smallest) * math.sqrt(max(v, 0.0) / top), 2)
        for node, v in values.items()
    }


# ---- the structured layout: bands, blocks and areas ------------------------------------

#: Width and height of one actor's cell in the structured layout (node and its label).
CELL_W, CELL_H = 150.0, 128.0
#: Height of the title row over a block or a band, in cells.
_TITLE_ROWS = 0.26
#: Space between blocks, in cells.
_GAP = 0.12
#: Spacing of band actors, in cells, when their row has room for it.
_BAND_SPACING = 1.25

#: Actor kinds of the bands that frame a toile: the outside on top, then the networks and
#: facilities (the backbone), the public bodies and associations at the bottom.
BAND_KINDS: dict[str, tuple[str, ...]] = {
    "exterieur": ("exterieur",),
    "reseaux": ("gestionnaire_reseau", "equipement"),
    "public": (
        "collectivite",
        "epci",
        "commune",
        "etablissement_public",
        "syndicat",
        "association",
    ),
}

#: Sections of the French activity nomenclature (NAF rév. 2) by their first division.
_NAF_SECTIONS: tuple[tuple[int, str], ...] = (
    (1, "A"),
    (5, "B"),
    (10, "C"),
    (35, "D"),
    (36, "E"),
    (41, "F"),
    (45, "G"),
    (49, "H"),
    (55, "I"),
    (58, "J"),
    (64, "K"),
    (68, "L"),
    (69, "M"),
    (77, "N"),
    (84, "O"),
    (85, "P"),
    (86, "Q"),
    (90, "R"),
    (94, "S"),
    (97, "T"),
    (99, "U"),
)


def naf_section(code: object) -> str | None:
    """Return the NAF rév. 2 section letter of a NAF code (``"20.14Z"`` -> ``"C"``).

    Examples
    --------
    >>> naf_section("20.14Z"), naf_section("35.11Z"), naf_section(None), naf_section("x")
    ('C', 'D', None, None)
    """
    text = str(code or "").strip()
    if len(text) < 2 or not text[:2].isdigit():  # noqa: PLR2004  # two digits of the division
        return None
    division = int(text[:2])
    letter = None
    for first, section in _NAF_SECTIONS:
        if division >= first:
            letter = section
    return letter


@dataclass(frozen=True)
class Region:
    """A rectangle of the structured layout: a band, a business park (ZAE) or a sector.

    Coordinates are drawing units, y pointing down; ``title`` sits in its top-left corner.
    """

    key: str
    kind: Literal["band", "zae", "section"]
    title: str
    x0: float
    y0: float
    x1: float
    y1: float
    members: tuple[str, ...]


@dataclass
class _Block:
    key: str
    kind: Literal["zae", "section"]
    title: str
    members: list[str]
    cols: int = 1
    rows: int = 1
    bary: float = 0.0


def structured_layout(  # noqa: C901, PLR0912, PLR0915  # one pass per band, kept together
    G: nx.MultiDiGraph[str],
    *,
    importance: dict[str, float] | None = None,
    titles: dict[str, str] | None = None,
    aspect: float = 1.4,
) -> tuple[Positions, list[Region]]:
    """Lay a toile out in bands and blocks: deterministic, grouped, with few crossings.

    The outside of the territory forms the top band and the networks and facilities the
    band under it (the backbone the other actors hang from); public bodies and associations
    form the bottom band. Between them, companies are grouped in blocks: one per business
    park (ZAE, drawn as an area around its companies), then one per NAF section for the
    others. Blocks are ordered by the mean position of the backbone actors they exchange
    with (a barycentre heuristic, as in layered drawing [4]_), packed in shelves whose
    width is chosen so that the whole drawing best fills a box ``aspect`` times as wide as
    tall; every band actor is then placed above or below the
    mean position of its partners. Each actor gets a cell of :data:`CELL_W` by
    :data:`CELL_H` units, room for its marker and a label under it.

    Parameters
    ----------
    G
        Toile graph.
    importance
        Order of actors inside a block (largest first); by name when missing.
    titles
        Words for the bands and sections: keys ``exterieur``, ``reseaux``, ``public``,
        ``naf:<letter>``, ``naf:?``; business parks are titled with their actor's name.
    aspect
        Width over height of the packed blocks.

    Returns
    -------
    tuple
        Positions by actor id and the regions (bands, ZAE, sectors) to draw.

    Notes
    -----
    O(n log n + m): a sort per block and one walk over the flows. Business parks without
    flows are placed at the corner of their area (the caller draws them as the area).

    References
    ----------
    .. [4] Sugiyama, K., Tagawa, S., Toda, M. (1981). Methods for visual understanding of
       hierarchical system structures. IEEE Trans. SMC 11(2), 109-125.
       https://doi.org/10.1109/TSMC.1981.4308636

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("grid", kind="exterieur"); G.add_node("op", kind="gestionnaire_reseau")
    >>> G.add_node("a", kind="entreprise", naf="20.14Z"); G.add_node("b", kind="commune")
    >>> _ = G.add_edge("grid", "op"); _ = G.add_edge("op", "a"); _ = G.add_edge("op", "b")
    >>> pos, regions = structured_layout(G)
    >>> pos["grid"][1] < pos["op"][1] < pos["a"][1] < pos["b"][1]
    True
    >>> [r.key for r in regions]
    ['band:exterieur', 'band:reseaux', 'naf:C', 'band:public']
    >>> structured_layout(G) == (pos, regions)
    True
    """
    words = titles or {}
    weight = importance or {}
    kind_of = {n: str(d.get("kind") or "") for n, d in G.nodes(data=True)}
    band_of = {kind: band for band, kinds in BAND_KINDS.items() for kind in kinds}
    name_of = {n: str(d.get("name") or n) for n, d in G.nodes(data=True)}
    neighbours: dict[str, set[str]] = {n: set() for n in G.nodes}
    for u, nbrs in G.adjacency():  # parallel flows count once: no need to walk each
        for v in nbrs:
            if u != v:
                neighbours[u].add(v)
                neighbours[v].add(u)
    sections: dict[object, str | None] = {}  # NAF codes repeat: one look-up each
    bands: dict[str, list[str]] = {band: [] for band in BAND_KINDS}
    parks = {n for n, k in kind_of.items() if k == "zae"}
    blocks: dict[str, _Block] = {}
    for node, data in G.nodes(data=True):
        kind = kind_of[node]
        if kind in band_of:
            bands[band_of[kind]].append(node)
            continue
        park = node if kind == "zae" else data.get("zae")
        if park is not None and (park in parks or kind != "zae"):
            key = f"zae:{park}"
            title = name_of.get(str(park), str(park))
            blocks.setdefault(key, _Block(key, "zae", title, [])).members.append(node)
            continue
        naf = data.get("naf")
        naf = naf if naf is None or isinstance(naf, str) else str(naf)
        if naf not in sections:
            sections[naf] = naf_section(naf)
        section = sections[naf]
        key = f"naf:{section or '?'}"
        title = words.get(key, words.get("naf:?", "")) if section else words.get("naf:?", "")
        blocks.setdefault(key, _Block(key, "section", title, [])).members.append(node)

    def order(members: list[str]) -> list[str]:
        return sorted(
            members, key=lambda n: (kind_of[n] != "zae", -weight.get(n, 0.0), name_of[n], n)
        )

    # Sectors of a single actor join one « other actors » block: a sector title over one
    # cell cannot be read.
    lone = [b for b in blocks.values() if b.kind == "section" and len(b.members) == 1]
    if len(lone) > 1:
        for block in lone:
            del blocks[block.key]
        merged = [m for b in lone for m in b.members]
        other = blocks.setdefault("naf:?", _Block("naf:?", "section", words.get("naf:?", ""), []))
        other.members.extend(merged)
    for block in blocks.values():
        block.members = order(block.members)
    # Provisional backbone positions, as shares of the drawing's width: the busiest operators
    # in the middle. The blocks' order follows from them, whatever the width.
    backbone = sorted(bands["reseaux"], key=lambda n: (-len(neighbours[n]), name_of[n], n))
    provisional: dict[str, float] = {}
    middle_out = sorted(range(len(backbone)), key=lambda i: abs(i - (len(backbone) - 1) / 2))
    for slot, node in zip(middle_out, backbone, strict=True):
        provisional[node] = (slot + 0.5) / max(len(backbone), 1)
    for block in blocks.values():
        xs = [provisional[m] for n in block.members for m in neighbours[n] if m in provisional]
        block.bary = sum(xs) / len(xs) if xs else 0.5
    ordered = sorted(blocks.values(), key=lambda b: (round(b.bary, 6), b.kind, b.key))
    small = sum(len(b.members) for b in ordered) + sum(map(len, bands.values())) <= LARGE_TOILE
    width = _best_width(
        ordered, bands, aspect=aspect, shelf_rows=(0, 1, 2, 3, 4) if small else (0,)
    )
    positions: Positions = {}
    regions: list[Region] = []
    shelves = _shelves(ordered, width)
    top_rows = 0.0
    for band in ("exterieur", "reseaux"):
        if bands[band]:
            top_rows += math.ceil(len(bands[band]) / width) + _TITLE_ROWS + _GAP
    y = top_rows
    block_regions: list[Region] = []
    for shelf in shelves:
        if not shelf:
            continue
        span = sum(b.cols for b in shelf) + _GAP * (len(shelf) - 1)
        x = (width - span) / 2
        height = max(b.rows for b in shelf)
        for block in shelf:
            for i, node in enumerate(block.members):
                col, row = i % block.cols, i // block.cols
                positions[node] = (
                    round((x + col + 0.5) * CELL_W, 1),
                    round((y + _TITLE_ROWS + row + 0.3) * CELL_H, 1),
                )
            block_regions.append(
                Region(
                    block.key,
                    block.kind,
                    block.title,
                    round(x * CELL_W + 4, 1),
                    round(y * CELL_H, 1),
                    round((x + block.cols) * CELL_W - 4, 1),
                    round((y + _TITLE_ROWS + block.rows) * CELL_H, 1),
                    tuple(block.members),
                )
            )
            x += block.cols + _GAP
        y += height + _TITLE_ROWS + _GAP
    body_bottom = y

    def spread(nodes: list[str], row_y: float) -> None:
        """Place band actors near the mean x of their partners, one cell apart or more.

        A band row with room to spare keeps its actors a cell and a quarter apart: band
        actors (networks, public bodies) often have long names.
        """
        step = CELL_W * (_BAND_SPACING if len(nodes) * _BAND_SPACING <= width else 1.0)
        wanted = {}
        for node in nodes:
            xs = [positions[m][0] for m in neighbours[node] if m in positions]
            wanted[node] = sum(xs) / len(xs) if xs else width * CELL_W / 2
        queue = sorted(nodes, key=lambda n: (wanted[n], name_of[n], n))
        for start in range(0, len(queue), width):
            row = queue[start : start + width]
            xs = [wanted[n] for n in row]
            low, high = CELL_W / 2, (width - 0.5) * CELL_W
            for i in range(len(xs)):
                xs[i] = max(xs[i], low + i * step if i == 0 else xs[i - 1] + step)
            for i in range(len(xs) - 1, -1, -1):
                limit = high if i == len(xs) - 1 else xs[i + 1] - step
                xs[i] = min(xs[i], limit)
            line = row_y + (start // width) * CELL_H
            for node, px in zip(row, xs, strict=True):
                positions[node] = (round(px, 1), round(line, 1))

    def band_region(band: str, y0: float) -> float:
        rows = math.ceil(len(bands[band]) / width)
        spread(bands[band], (y0 + _TITLE_ROWS + 0.3) * CELL_H)
        regions.append(
            Region(
                f"band:{band}",
                "band",
                words.get(band, ""),
                0.0,
                round(y0 * CELL_H, 1),
                round(width * CELL_W, 1),
                round((y0 + _TITLE_ROWS + rows) * CELL_H, 1),
                tuple(bands[band]),
            )
        )
        return y0 + rows + _TITLE_ROWS + _GAP

    # Backbone first (placed from the blocks), then the outside (from the backbone too).
    rows_out = math.ceil(len(bands["exterieur"]) / width) + _TITLE_ROWS + _GAP
    y_backbone = rows_out if bands["exterieur"] else 0.0
    if bands["reseaux"]:
        band_region("reseaux", y_backbone)
    if bands["exterieur"]:
        band_region("exterieur", 0.0)
        regions.insert(0, regions.pop())
    regions.extend(block_regions)
    if bands["public"]:
        band_region("public", body_bottom)
    return {node: positions[node] for node in G.nodes}, regions


def _shelves(blocks: list[_Block], width: int) -> list[list[_Block]]:
    """Fill shelves of ``width`` cells with blocks, in order."""
    shelves: list[list[_Block]] = [[]]
    used = 0.0
    for block in blocks:
        if shelves[-1] and used + block.cols > width:
            shelves.append([])
            used = 0.0
        shelves[-1].append(block)
        used += block.cols + _GAP
    return [shelf for shelf in shelves if shelf]


def _shape_blocks(blocks: list[_Block], width: int, shelf_rows: int = 0) -> None:
    """Give each block its columns for shelves ``width`` cells wide.

    With ``shelf_rows`` 0, a block is about 1.6 times as wide as tall, and one that would
    take more than half a shelf takes all of it (fewer, fuller rows). With ``shelf_rows``
    ``h``, every block is at most ``h`` rows tall (as few columns as that allows), so that
    the blocks of a shelf are as tall as each other and the shelf has no holes; a block too
    big for that takes the whole width.
    """
    for block in blocks:
        m = len(block.members)
        if shelf_rows:
            # two columns at least: a block one cell wide cannot show its title
            cols = max(math.ceil(m / shelf_rows), min(m, 2))
        else:
            natural = math.ceil(math.sqrt(m * 1.6))
            cols = min(m, width) if natural > width / 2 else natural
        block.cols = max(1, min(m, width, cols))
        block.rows = math.ceil(m / block.cols)


def _steps(start: int, stop: int) -> list[int]:
    """Widths from ``start`` to ``stop`` about 3 % apart."""
    out: list[int] = []
    width = float(start)
    while width <= stop:
        out.append(round(width))
        width *= 1.03
    return out


def _best_width(
    blocks: list[_Block],
    bands: dict[str, list[str]],
    *,
    aspect: float,
    shelf_rows: tuple[int, ...] = (0,),
) -> int:
    """Choose the shelf width (in cells) and the blocks' shapes that fill ``aspect`` best.

    Every width from 3 cells to twice the square root of the actors is tried with every
    block shape of ``shelf_rows`` (see :func:`_shape_blocks`), the blocks packed in shelves
    in their order and the bands wrapped over several rows; the packing whose drawing,
    fitted into a box of the given aspect, gets the largest cells wins (ties: the shape
    closest to the aspect). The blocks keep the winning shape.
    """
    n = sum(len(b.members) for b in blocks) + sum(len(v) for v in bands.values())
    widest = max(4, math.ceil(2.2 * math.sqrt(max(n, 1) * aspect)))
    best, best_rows, best_score = 3, 0, (math.inf, math.inf)
    # every width up to 40 cells, then steps of about 3 % (a big toile has hundreds)
    widths = sorted({*range(3, min(widest, 40) + 1), *_steps(40, widest)})
    band_rows = [len(members) for members in bands.values() if members]
    for rows in shelf_rows:
        for width in widths:
            _shape_blocks(blocks, width, rows)
            height = sum(
                max(b.rows for b in shelf) + _TITLE_ROWS + _GAP for shelf in _shelves(blocks, width)
            )
            height += sum(math.ceil(m / width) + _TITLE_ROWS + _GAP for m in band_rows)
            side = max(width * CELL_W / aspect, height * CELL_H)
            # Sides within half a cell are equal: then the shape closest to the aspect wins.
            score = (
                round(side / (CELL_H / 2)),
                abs(width * CELL_W / (height * CELL_H) - aspect),
            )
            if score < best_score:
                best, best_rows, best_score = width, rows, score
    _shape_blocks(blocks, best, best_rows)
    return best
