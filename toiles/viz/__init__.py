"""Visuals of a toile: the interactive page, posters, Sankey diagram and map.

One entry point, :func:`render`, draws a toile (or its graph) in any of
:data:`RENDER_FORMATS`; :func:`render_set` writes the set the demonstration shows.
Nothing heavy is imported with this package: matplotlib, igraph and the analyses load
when a visual needs them.

- ``html``: the interactive view (:mod:`toiles.viz.html`), self-contained and offline.
- ``png``, ``svg``, ``pdf``: posters for print and slides (:mod:`toiles.viz.static`).
- ``sankey``: the flows by kind and unit family as an offline HTML page
  (:mod:`toiles.viz.sankey`).
- ``geojson``: actors as points and flows as lines for QGIS and Lizmap (:mod:`toiles.viz.geo`).

In notebooks, :func:`show` displays a toile inline and :func:`to_pyvis` returns it as a
styled ``pyvis`` network (:mod:`toiles.viz.notebook`, loaded on first use).

Options shared by every format: ``lang`` (``fr``/``en``), ``public`` (only what is
``public``: hidden data never reaches the file), ``group_by`` (one node per EPCI, commune,
ZAE, kind or NAF division, with summed flows), ``highlight`` (an analysis overlay).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toiles.viz.style import SIZE_BY as SIZE_BY
from toiles.viz.style import Highlight as Highlight
from toiles.viz.style import VisualError as VisualError
from toiles.viz.style import check_lang

if TYPE_CHECKING:
    import networkx as nx

    from toiles.models.toile import Toile
    from toiles.text import Lang
    from toiles.viz.notebook import ToileView as ToileView
    from toiles.viz.notebook import show as show
    from toiles.viz.notebook import to_pyvis as to_pyvis

#: Notebook helpers, imported on first use (pyvis loads with ``to_pyvis`` only).
_NOTEBOOK = frozenset({"ToileView", "show", "to_pyvis"})


def __getattr__(name: str) -> object:
    """Import the notebook helpers on first access (PEP 562)."""
    if name in _NOTEBOOK:
        from toiles.viz import notebook  # noqa: PLC0415

        return getattr(notebook, name)
    msg = f"module 'toiles.viz' has no attribute '{name}'"
    raise AttributeError(msg)


#: Formats :func:`render` writes (``toiles render --format``).
RENDER_FORMATS: tuple[str, ...] = ("html", "png", "svg", "pdf", "sankey", "geojson")
#: Formats that are posters drawn with matplotlib.
STATIC_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: What a toile can be aggregated by (``--group-by``).
GROUP_BY: tuple[str, ...] = ("epci", "commune", "zae", "kind", "naf")
#: Paper sizes of posters (``--paper``), landscape.
PAPERS: tuple[str, ...] = ("A4", "A3", "A2", "A1", "A0")
#: Analysis overlays (``--highlight``); ``impact:ACTOR`` names the actor whose closure is studied.
HIGHLIGHTS: tuple[str, ...] = ("key-actors", "loops", "candidates", "impact:ACTOR", "community")
#: Layout methods (``--layout``).
LAYOUTS: tuple[str, ...] = ("auto", "structured", "spring", "fr", "geo")
#: Formats written by :func:`render_set` for the demonstration, with their file suffixes.
DEMO_FORMATS: dict[str, str] = {
    "html": ".html",
    "png": ".png",
    "svg": ".svg",
    "sankey": "-sankey.html",
    "geojson": ".geojson",
}


def prepare_graph(G: nx.MultiDiGraph[str] | Toile, *, public: bool = False) -> nx.MultiDiGraph[str]:
    """Return the graph to draw: from a toile or a graph, redacted first when ``public``.

    Redaction (:func:`toiles.access.redact` at ``public``) happens before anything is built,
    so that hidden actors, flows and fields never reach a file.

    Examples
    --------
    >>> from toiles.models import Actor, Toile
    >>> t = Toile(id="t", name="T", theme="energie", actors=[
    ...     Actor(id="a", name="A", kind="entreprise"),
    ...     Actor(id="b", name="B", kind="entreprise", confidentiality="partenaires")])
    >>> list(prepare_graph(t, public=True))
    ['a']
    """
    from toiles.access import redact  # noqa: PLC0415
    from toiles.graph import graph_from_toile, toile_from_graph  # noqa: PLC0415
    from toiles.models.toile import Toile  # noqa: PLC0415
    from toiles.models.vocab import Confidentiality  # noqa: PLC0415

    toile: Toile | None = G if isinstance(G, Toile) else None
    if public:
        if toile is None:
            toile = toile_from_graph(G)  # type: ignore[arg-type]
        toile = redact(toile, Confidentiality.PUBLIC)
    if toile is not None:
        return graph_from_toile(toile)
    return G  # type: ignore[return-value]


def _group_highlight(highlight: Highlight, H: nx.MultiDiGraph[str]) -> Highlight:
    """Carry an actor-level highlight over to the groups of an aggregated view."""
    nodes: dict[str, str] = {}
    for group, data in H.nodes(data=True):
        marked = [m for m in data.get("members", ()) if m in highlight.nodes]
        if marked:
            labels = list(dict.fromkeys(highlight.nodes[m] for m in marked))
            nodes[str(group)] = ", ".join(labels[:3]) + (" …" if len(labels) > 3 else "")  # noqa: PLR2004
    edges = frozenset(
        str(k)
        for _, _, k, d in H.edges(keys=True, data=True)
        if any(f in highlight.edges for f in d.get("flows", ()))
    )
    return Highlight(
        highlight.title,
        nodes,
        edges,
        by_label=highlight.by_label,
        note=highlight.note,
        ramp={
            g: max(highlight.ramp.get(m, 0.0) for m in H.nodes[g].get("members", ()))
            for g in nodes
            if any(m in highlight.ramp for m in H.nodes[g].get("members", ()))
        },
    )


def _check_options(*, layout: str, group_by: str | None) -> None:
    if layout not in LAYOUTS:
        msg = f"disposition inconnue « {layout} » (valeurs possibles : {', '.join(LAYOUTS)})"
        raise VisualError(msg)
    if group_by is not None and group_by not in GROUP_BY:
        msg = f"regroupement inconnu « {group_by} » (valeurs possibles : {', '.join(GROUP_BY)})"
        raise VisualError(msg)


def prepare_view(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str] | Toile,
    *,
    lang: str = "fr",
    group_by: str | None = None,
    highlight: Highlight | str | None = None,
    public: bool = False,
    layout: str = "auto",
) -> tuple[nx.MultiDiGraph[str], Highlight | None, Lang]:
    """Check the options of a view and return what it draws: graph, overlay, language.

    The graph is redacted first when ``public`` (see :func:`prepare_graph`), the overlay
    computed from the analyses when named, then both are grouped when ``group_by`` is set.

    Raises
    ------
    VisualError
        For an unknown layout, grouping, language or overlay.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> graph, overlay, lang = prepare_view(example_toile(), group_by="kind", lang="en")
    >>> graph.graph["grouped_by"], overlay, lang
    ('kind', None, 'en')
    """
    _check_options(layout=layout, group_by=group_by)
    language = check_lang(lang)
    graph = prepare_graph(G, public=public)
    overlay: Highlight | None
    if isinstance(highlight, str):
        from toiles.viz.overlays import highlight_from_analysis  # noqa: PLC0415

        overlay = highlight_from_analysis(graph, highlight, lang=language)
    else:
        overlay = highlight
    if group_by is not None:
        from toiles.viz.aggregate import aggregate_graph  # noqa: PLC0415

        graph = aggregate_graph(graph, by=group_by, lang=language)
        overlay = None if overlay is None else _group_highlight(overlay, graph)
    return graph, overlay, language


def render(  # noqa: PLR0913  # the options of `toiles render`, all keyword-only
    G: nx.MultiDiGraph[str] | Toile,
    fmt: str,
    out: Path | str,
    *,
    lang: str = "fr",
    size_by: str = "throughflow",
    group_by: str | None = None,
    highlight: Highlight | str | None = None,
    public: bool = False,
    paper: str = "A3",
    dpi: int | None = None,
    layout: str = "auto",
    seed: int = 0,
    embed: bool = False,
) -> Path:
    """Draw a toile in one format and write it to ``out``.

    Parameters
    ----------
    G
        A toile, or its graph (:func:`toiles.graph.graph_from_toile`).
    fmt
        One of :data:`RENDER_FORMATS`.
    out
        File to write (its folder must exist).
    lang
        ``fr`` (default) or ``en``: every word the reader sees.
    size_by
        ``employees``, ``centrality`` or ``throughflow``: what sizes the actors.
    group_by
        ``epci``, ``commune``, ``zae``, ``kind`` or ``naf``: draw one node per group with
        summed flows (for toiles too big to draw actor by actor).
    highlight
        An overlay (:class:`Highlight`) or the name of one computed from the analyses:
        ``key-actors``, ``loops``, ``candidates``, ``impact:ACTOR``, ``community``.
    public
        Leave out everything that is not ``public`` (applied before anything is built).
    paper
        Poster size, ``A4`` to ``A0`` (``png``, ``svg``, ``pdf``).
    dpi
        Resolution of PNG posters (default 200).
    layout
        ``auto`` or ``structured`` (bands of the outside, networks and public bodies around
        blocks of companies by business park and sector: deterministic), ``spring``,
        ``fr`` (igraph) or ``geo`` (actors at their coordinates).
    seed
        Seed of the force layouts: the same seed gives the same drawing.
    embed
        ``html`` only: the compact page for an ``<iframe>`` (side panel closed, small
        legend, public mention kept visible).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    VisualError
        For an unknown format or option value.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> folder = Path(tempfile.mkdtemp())
    >>> render(example_toile(), "geojson", folder / "exemple.geojson").name
    'exemple.geojson'
    """
    if fmt not in RENDER_FORMATS:
        msg = f"format inconnu « {fmt} » (valeurs possibles : {', '.join(RENDER_FORMATS)})"
        raise VisualError(msg)
    if fmt == "sankey":
        # The Sankey groups by itself: its totals need the flows inside the groups.
        from toiles.viz.sankey import write_sankey  # noqa: PLC0415

        _check_options(layout=layout, group_by=group_by)
        language = check_lang(lang)
        graph = prepare_graph(G, public=public)
        return write_sankey(graph, Path(out), group_by=group_by, lang=language, public=public)
    graph, overlay, language = prepare_view(
        G, lang=lang, group_by=group_by, highlight=highlight, public=public, layout=layout
    )
    path = Path(out)
    if fmt == "html":
        from toiles.viz.html import write_html  # noqa: PLC0415

        return write_html(
            graph,
            path,
            lang=language,
            size_by=size_by,
            highlight=overlay,
            layout=layout,
            seed=seed,
            public=public,
            embed=embed,
        )
    if fmt in STATIC_FORMATS:
        from toiles.viz.static import write_poster  # noqa: PLC0415

        return write_poster(
            graph,
            path,
            fmt=fmt,
            paper=paper,
            dpi=dpi,
            lang=language,
            size_by=size_by,
            highlight=overlay,
            layout=layout,
            seed=seed,
            public=public,
        )
    from toiles.viz.geo import write_geojson  # noqa: PLC0415

    return write_geojson(graph, path, lang=language)


def render_set(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str] | Toile,
    folder: Path | str,
    *,
    stem: str | None = None,
    formats: tuple[str, ...] = tuple(DEMO_FORMATS),
    lang: str = "fr",
    public: bool = False,
    paper: str = "A3",
    dpi: int | None = 150,
) -> dict[str, Path]:
    """Write the visuals the demonstration shows for one toile: page, posters, Sankey, map.

    Files are named ``<stem>.html``, ``<stem>.png``, ``<stem>.svg``,
    ``<stem>-sankey.html`` and ``<stem>.geojson``; ``stem`` defaults to
    ``<toile id>-<version>``.

    Returns
    -------
    dict
        The file written for each format.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> files = render_set(example_toile(), tempfile.mkdtemp(), formats=("geojson",))
    >>> files["geojson"].name
    'exemple-T0.geojson'
    """
    graph = prepare_graph(G, public=public)
    base = stem or f"{graph.graph.get('id', 'toile')}-{graph.graph.get('version', 'T0')}"
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for fmt in formats:
        suffix = DEMO_FORMATS.get(fmt, f".{fmt}")
        files[fmt] = render(
            graph, fmt, target / f"{base}{suffix}", lang=lang, public=False, paper=paper, dpi=dpi
        )
    return files
