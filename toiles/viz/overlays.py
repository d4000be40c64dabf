"""Analysis overlays for the visuals: what ``--highlight`` brings forward on a drawing.

Each overlay runs one analysis report of :mod:`toiles.analysis` and turns its result into
a :class:`~toiles.viz.style.Highlight` (actors with a short label, flows, suggested
links, a title and a one-line note):

- ``key-actors``: the ten first actors of the centrality ranking (« n° 1 »...), and the
  flows whose loss would split the toile (bridges);
- ``loops``: the actors and flows of the loops that already exist (« Boucle 1 »...);
- ``candidates``: the waste-heat and water-reuse candidates, drawn as dashed suggested
  links from supplier to user;
- ``impact:ACTOR``: the actor whose closure is studied and the actors that would lose
  part of their supply (with the share lost);
- ``community``: the communities of actors, each in its own colour.

When the analysis package offers ``run_report(name, G, options)``, it is used; otherwise
the report functions are called directly. ``impact`` and ``community`` fall back on a
direct computation (documented on each function) while their reports are not there.
"""

from __future__ import annotations

import importlib
import textwrap
from typing import TYPE_CHECKING, Any

from toiles.errors import ActorNotFound
from toiles.viz.style import Highlight, Lang, VisualError, format_number

if TYPE_CHECKING:
    from collections.abc import Callable

    import networkx as nx

#: Overlay names accepted by :func:`highlight_from_analysis`.
OVERLAYS: tuple[str, ...] = ("key-actors", "loops", "candidates", "impact:ACTOR", "community")

_TITLES: dict[str, tuple[str, str]] = {
    "key-actors": ("Acteurs clés", "Key actors"),
    "loops": ("Boucles existantes", "Existing loops"),
    "candidates": ("Synergies candidates", "Candidate synergies"),
    "impact": ("Impact de la fermeture de", "Impact of the closure of"),
    "community": ("Communautés d'acteurs", "Communities of actors"),
}


def _t(key: str, lang: Lang) -> str:
    fr, en = _TITLES[key]
    return en if lang == "en" else fr


def _report(name: str, module: str, function: str) -> Callable[..., Any] | None:
    """Find a report: ``toiles.analysis.run_report`` first, then the module's function."""
    try:
        analysis = importlib.import_module("toiles.analysis")
    except ImportError:  # pragma: no cover - the package is part of toiles
        return None
    run_report = getattr(analysis, "run_report", None)
    reports = getattr(analysis, "REPORTS", None)
    if callable(run_report) and (reports is None or name in reports):
        return lambda G, **options: run_report(name, G, options)
    try:
        found = importlib.import_module(f"toiles.analysis.{module}")
    except ImportError:
        return None
    candidate = getattr(found, function, None)
    return candidate if callable(candidate) else None


def highlight_from_analysis(G: nx.MultiDiGraph[str], spec: str, *, lang: Lang = "fr") -> Highlight:
    """Compute the overlay named by ``spec`` on a toile graph.

    Parameters
    ----------
    G
        Toile graph (redacted already when the visual is public, so the overlay only
        uses what may be shown).
    spec
        ``key-actors``, ``loops``, ``candidates``, ``impact:ACTOR`` or ``community``.
    lang
        Language of the title and labels.

    Returns
    -------
    Highlight
        The overlay.

    Raises
    ------
    VisualError
        For an unknown overlay or a report that is not available.
    toiles.errors.ActorNotFound
        For ``impact:ACTOR`` with an actor that is not in the toile.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = highlight_from_analysis(example_graph(), "loops")
    >>> h.title, sorted(h.nodes), sorted(h.edges)
    ('Boucles existantes', ['chaufferie', 'reseau-chaleur', 'scierie'], ['f06', 'f07', 'f09'])
    """
    name, _, argument = spec.partition(":")
    if name == "key-actors":
        return key_actors_highlight(G, lang=lang)
    if name == "loops":
        return loops_highlight(G, lang=lang)
    if name == "candidates":
        return candidates_highlight(G, lang=lang)
    if name == "impact":
        if not argument:
            msg = "préciser l'acteur étudié : --highlight impact:IDENTIFIANT"
            raise VisualError(msg)
        return impact_highlight(G, argument, lang=lang)
    if name == "community":
        return community_highlight(G, lang=lang)
    msg = f"mise en évidence inconnue « {spec} » (valeurs possibles : {', '.join(OVERLAYS)})"
    raise VisualError(msg)


def _unavailable(name: str) -> VisualError:
    msg = f"l'analyse « {name} » n'est pas disponible dans cette version"
    return VisualError(msg)


def key_actors_highlight(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = 10) -> Highlight:
    """The first ``top`` actors of the centrality ranking, and the bridge flows.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = key_actors_highlight(example_graph(), top=3)
    >>> len(h.nodes), h.nodes["scierie"]
    (3, 'n° 1')
    """
    report = _report("centrality", "centrality", "centrality_report")
    if report is None:
        raise _unavailable("centrality")  # noqa: EM101  # message built in _unavailable
    result = report(G, top=top)
    nodes = {
        str(a.actor): f"n° {a.rank}" if lang == "fr" else f"#{a.rank}" for a in result.ranking[:top]
    }
    edges = frozenset(str(b.flow) for b in getattr(result, "bridges", []))
    note = (
        "Classement combiné (degré, intermédiarité, PageRank) ; en gras : flux-ponts"
        if lang == "fr"
        else "Combined ranking (degree, betweenness, PageRank); bold: bridge flows"
    )
    return Highlight(_t("key-actors", lang), nodes, edges, note=note)


def loops_highlight(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = 12) -> Highlight:
    """The actors and flows of the existing loops (the first ``top`` found)."""
    report = _report("loops", "loops", "existing_loops")
    if report is None:
        raise _unavailable("loops")  # noqa: EM101  # message built in _unavailable
    result = report(G)
    nodes: dict[str, str] = {}
    edges: set[str] = set()
    word = "Boucle" if lang == "fr" else "Loop"
    for i, loop in enumerate(result.loops[:top], start=1):
        for actor in loop.actors:
            nodes[str(actor)] = (
                f"{nodes[str(actor)]}, {i}" if str(actor) in nodes else f"{word} {i}"
            )
        edges.update(str(f.flow) for f in loop.flows)
    count = getattr(result, "count", len(result.loops))
    note = (
        f"{count} boucle(s) trouvée(s), {min(count, top)} affichée(s)"
        if lang == "fr"
        else f"{count} loop(s) found, {min(count, top)} shown"
    )
    return Highlight(_t("loops", lang), nodes, frozenset(edges), note=note)


def candidates_highlight(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = 15) -> Highlight:
    """The best candidate synergies, as suggested links from supplier to user."""
    report = _report("candidates", "candidates", "candidates_report")
    if report is None:
        raise _unavailable("candidates")  # noqa: EM101  # message built in _unavailable
    result = report(G)
    nodes: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    supplier, user = ("fournisseur", "preneur") if lang == "fr" else ("supplier", "user")
    for c in result.candidates[:top]:
        nodes.setdefault(str(c.source), f"{supplier} {c.rank}")
        nodes.setdefault(str(c.target), f"{user} {c.rank}")
        links.append((str(c.source), str(c.target), str(c.reason)))
    note = (
        f"{len(result.candidates)} candidat(s) ; pointillés : liaisons à étudier"
        if lang == "fr"
        else f"{len(result.candidates)} candidate(s); dashed: links to study"
    )
    return Highlight(_t("candidates", lang), nodes, frozenset(), note=note, links=tuple(links))


def impact_highlight(G: nx.MultiDiGraph[str], actor: str, *, lang: Lang = "fr") -> Highlight:
    """The actor whose closure is studied and the actors that would lose supply.

    Uses the closure-impact report (:func:`toiles.analysis.impact.closure_impact`, which
    follows the cascade of failures) when the analysis package has one. Otherwise each
    direct customer is labelled with the share of its inflow (in each unit family) that
    comes from the closed actor, the largest share shown; flows from and to the actor are
    highlighted.

    Raises
    ------
    toiles.errors.ActorNotFound
        When the actor is not in the toile.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = impact_highlight(example_graph(), "scierie")
    >>> h.nodes["scierie"], h.nodes["chaufferie"].startswith("−100 %")
    ('fermeture', True)
    """
    if actor not in G:
        msg = f"L'acteur « {actor} » n'existe pas dans cette toile."
        raise ActorNotFound(msg)
    name = str(G.nodes[actor].get("name") or actor)
    title = f"{_t('impact', lang)} {name}"
    report = _report("impact", "impact", "closure_impact")
    if report is not None:
        return _impact_from_report(report(G, actors=[actor]), actor, title, lang)
    inflow: dict[tuple[str, str], float] = {}
    lost: dict[tuple[str, str], float] = {}
    for u, v, d in G.edges(data=True):
        q, family = d.get("quantity_base"), d.get("family")
        if q is None or family is None:
            continue
        key = (str(v), str(family))
        inflow[key] = inflow.get(key, 0.0) + float(q)
        if u == actor:
            lost[key] = lost.get(key, 0.0) + float(q)
    shares: dict[str, float] = {}
    for key, amount in lost.items():
        share = amount / inflow[key] if inflow[key] > 0 else 0.0
        shares[key[0]] = max(shares.get(key[0], 0.0), share)
    closed = "fermeture" if lang == "fr" else "closed"
    nodes = {str(actor): closed}
    nodes |= {
        v: f"−{format_number(round(100 * s), lang)} %"
        for v, s in sorted(shares.items(), key=lambda kv: -kv[1])
        if v != str(actor)
    }
    edges = frozenset(str(k) for u, v, k in G.edges(keys=True) if actor in {u, v})
    note = (
        "Part de l'approvisionnement de chaque client direct qui disparaîtrait"
        if lang == "fr"
        else "Share of each direct customer's supply that would disappear"
    )
    return Highlight(title, nodes, edges, note=note)


def _impact_from_report(result: object, actor: str, title: str, lang: Lang) -> Highlight:
    """Read a closure-impact result: affected actors with the share they lose, lost flows."""
    nodes = {actor: "fermeture" if lang == "fr" else "closed"}
    failed_word = "défaillant" if lang == "fr" else "fails"
    for item in getattr(result, "affected", None) or []:
        ident = str(getattr(item, "actor", item))
        share = getattr(item, "share_lost", None)
        label = f"−{format_number(round(100 * float(share)), lang)} %" if share is not None else "?"
        if getattr(item, "failed", False):
            label += f", {failed_word}"
        nodes.setdefault(ident, label)
    edges = frozenset(str(f) for f in getattr(result, "lost_flows", None) or [])
    explanation = str(getattr(result, "explanation", ""))
    return Highlight(title, nodes, edges, note=textwrap.shorten(explanation, 240, placeholder=" …"))


def community_highlight(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", seed: int = 0) -> Highlight:
    """The communities of actors, one colour each (``by_label``).

    Uses the communities report when the analysis package has one; otherwise Leiden
    communities (modularity, seeded) [1]_ on the undirected flow graph, through the
    project's igraph adapter. Communities of a single actor are not shown.

    References
    ----------
    .. [1] Traag, V. A., Waltman, L., van Eck, N. J. (2019). From Louvain to Leiden:
       guaranteeing well-connected communities. Scientific Reports 9, 5233.
       https://doi.org/10.1038/s41598-019-41695-z

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = community_highlight(example_graph())
    >>> h.by_label, len(set(h.nodes.values())) >= 2
    (True, True)
    """
    word = "Communauté" if lang == "fr" else "Community"
    report = _report("communities", "communities", "communities_report")
    membership: dict[str, int] = {}
    if report is not None:
        result = report(G, seed=seed)
        for i, community in enumerate(getattr(result, "communities", []), start=1):
            for actor in getattr(community, "actors", []):
                membership[str(actor)] = i
    else:
        membership = _leiden_membership(G, seed=seed)
    sizes: dict[int, int] = {}
    for label in membership.values():
        sizes[label] = sizes.get(label, 0) + 1
    ranked = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], c)), start=1)}
    nodes = {
        actor: f"{word} {ranked[c]}"
        for actor, c in sorted(membership.items(), key=lambda kv: ranked[kv[1]])
        if sizes[c] > 1
    }
    edges = frozenset(
        str(k)
        for u, v, k in G.edges(keys=True)
        if str(u) in nodes and nodes.get(str(u)) == nodes.get(str(v))
    )
    shown = len(set(nodes.values()))
    note = f"{shown} communauté(s) (Leiden, modularité)" if lang == "fr" else f"{shown} communities"
    return Highlight(_t("community", lang), nodes, edges, by_label=True, note=note)


def _leiden_membership(G: nx.MultiDiGraph[str], *, seed: int) -> dict[str, int]:
    import numpy as np  # noqa: PLC0415

    from toiles.analysis._igraph import igraph_from_pairs, leiden  # noqa: PLC0415

    nodes = list(G.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    src = np.fromiter((index[u] for u, _ in G.edges()), dtype=np.int64)
    dst = np.fromiter((index[v] for _, v in G.edges()), dtype=np.int64)
    membership = leiden(
        igraph_from_pairs(len(nodes), src, dst), weights=None, resolution=1.0, seed=seed
    )
    return {str(node): int(membership[i]) for i, node in enumerate(nodes)}
