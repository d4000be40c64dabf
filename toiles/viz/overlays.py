"""Analysis overlays for the visuals: what ``--highlight`` brings forward on a drawing.

Each overlay runs one analysis report of :mod:`toiles.analysis` (imported directly: the
visuals never compute an analysis of their own) and turns its result into a
:class:`~toiles.viz.style.Highlight`:

- ``key-actors``: the ten first actors of the centrality ranking (« n° 1 »...), ringed with
  their rank, and the flows whose loss would split the toile (bridges);
- ``loops``: one layer per existing loop, each in its own colour, that the page can isolate;
- ``candidates``: the waste-heat and water-reuse candidates, drawn as dashed proposals from
  supplier to user with the recoverable quantity;
- ``impact:ACTOR``: the actor whose closure is studied and the actors that would lose
  part of their supply, coloured on a ramp of the share lost;
- ``community``: the communities of actors, each in its own colour.

:func:`highlight_from_result` turns a result already computed (by the API's budgeted child
process, say) into the same overlay without running the analysis again.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from toiles.analysis.candidates import CandidatesResult, candidates_report
from toiles.analysis.centrality import CentralityResult, centrality_report
from toiles.analysis.communities import CommunitiesResult, communities_report
from toiles.analysis.impact import closure_impact
from toiles.analysis.loops import LoopsResult, existing_loops
from toiles.errors import ActorNotFound
from toiles.text import format_percent, format_quantity
from toiles.viz.style import LAYER_PALETTE, Highlight, HighlightLayer, Lang, VisualError

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx
    from pydantic import BaseModel

#: Overlay names accepted by :func:`highlight_from_analysis`.
OVERLAYS: tuple[str, ...] = ("key-actors", "loops", "candidates", "impact:ACTOR", "community")

#: How many of a report's items an overlay shows by default.
_KEY_ACTORS_TOP, _LOOPS_TOP, _CANDIDATES_TOP = 10, 12, 15

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


def key_actors_highlight(
    G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = _KEY_ACTORS_TOP
) -> Highlight:
    """The first ``top`` actors of the centrality ranking, and the bridge flows.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = key_actors_highlight(example_graph(), top=3)
    >>> len(h.nodes), h.nodes["scierie"], h.ranks["scierie"]
    (3, 'n° 1', 1)
    """
    return _key_actors(centrality_report(G, top=top), lang=lang, top=top)


def _key_actors(result: CentralityResult, *, lang: Lang, top: int) -> Highlight:
    ranking = result.ranking[:top]
    nodes = {str(a.actor): f"n° {a.rank}" if lang == "fr" else f"#{a.rank}" for a in ranking}
    edges = frozenset(str(b.flow) for b in result.bridges)
    note = (
        "Classement combiné (degré, intermédiarité, PageRank) ; en gras : flux-ponts"
        if lang == "fr"
        else "Combined ranking (degree, betweenness, PageRank); bold: bridge flows"
    )
    ranks = {str(a.actor): int(a.rank) for a in ranking}
    return Highlight(_t("key-actors", lang), nodes, edges, note=note, ranks=ranks)


def loops_highlight(
    G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = _LOOPS_TOP
) -> Highlight:
    """The existing loops (the first ``top`` found), one coloured layer each.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = loops_highlight(example_graph())
    >>> [(layer.label, sorted(layer.edges)) for layer in h.layers]
    [('Boucle 1', ['f06', 'f07', 'f09'])]
    """
    return _loops(existing_loops(G), lang=lang, top=top)


def _loops(result: LoopsResult, *, lang: Lang, top: int) -> Highlight:
    nodes: dict[str, str] = {}
    edges: set[str] = set()
    layers: list[HighlightLayer] = []
    word = "Boucle" if lang == "fr" else "Loop"
    for i, loop in enumerate(result.loops[:top], start=1):
        for actor in loop.actors:
            nodes[str(actor)] = (
                f"{nodes[str(actor)]}, {i}" if str(actor) in nodes else f"{word} {i}"
            )
        flows = frozenset(str(f.flow) for f in loop.flows)
        edges.update(flows)
        names = " → ".join(loop.names[:4]) + (" …" if len(loop.names) > 4 else "")  # noqa: PLR2004
        layers.append(
            HighlightLayer(
                f"{word} {i}",
                LAYER_PALETTE[(i - 1) % len(LAYER_PALETTE)],
                frozenset(str(a) for a in loop.actors),
                flows,
                names,
            )
        )
    count = result.count
    note = (
        f"{count} boucle(s) trouvée(s), {min(count, top)} affichée(s), une couleur chacune"
        if lang == "fr"
        else f"{count} loop(s) found, {min(count, top)} shown, one colour each"
    )
    return Highlight(_t("loops", lang), nodes, frozenset(edges), note=note, layers=tuple(layers))


def candidates_highlight(
    G: nx.MultiDiGraph[str], *, lang: Lang = "fr", top: int = _CANDIDATES_TOP
) -> Highlight:
    """The best candidate synergies, as dashed proposals from supplier to user.

    Each proposal is labelled with the recoverable quantity when the report gives one.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = candidates_highlight(example_graph())
    >>> h.links[0][:2], h.links[0][2].replace("\u202f", " ")
    (('verrerie', 'serres'), '1 500 MWh')
    """
    return _candidates(candidates_report(G), lang=lang, top=top)


def _candidates(result: CandidatesResult, *, lang: Lang, top: int) -> Highlight:
    nodes: dict[str, str] = {}
    links: list[tuple[str, str, str]] = []
    supplier, user = ("fournisseur", "preneur") if lang == "fr" else ("supplier", "user")
    for c in result.candidates[:top]:
        nodes.setdefault(str(c.source), f"{supplier} {c.rank}")
        nodes.setdefault(str(c.target), f"{user} {c.rank}")
        quantity = c.recoverable if c.recoverable is not None else c.supply
        label = format_quantity(quantity, c.unit, lang) if quantity is not None else c.reason
        links.append((str(c.source), str(c.target), label))
    note = (
        f"{len(result.candidates)} candidat(s) ; pointillés : liaisons à étudier"
        if lang == "fr"
        else f"{len(result.candidates)} candidate(s); dashed: links to study"
    )
    return Highlight(_t("candidates", lang), nodes, frozenset(), note=note, links=tuple(links))


def impact_highlight(G: nx.MultiDiGraph[str], actor: str, *, lang: Lang = "fr") -> Highlight:
    """The actor whose closure is studied and the actors that would lose supply.

    Uses the closure-impact report (:func:`toiles.analysis.impact.closure_impact`, which
    follows the cascade of failures); each affected actor gets the share of supply it
    loses, drawn on a colour ramp (:attr:`Highlight.ramp`).

    Raises
    ------
    toiles.errors.ActorNotFound
        When the actor is not in the toile.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = impact_highlight(example_graph(), "scierie")
    >>> h.nodes["scierie"], h.nodes["chaufferie"].startswith("−100"), h.ramp["chaufferie"]
    ('fermeture', True, 1.0)
    """
    if actor not in G:
        msg = f"L'acteur « {actor} » n'existe pas dans cette toile."
        raise ActorNotFound(msg)
    name = str(G.nodes[actor].get("name") or actor)
    title = f"{_t('impact', lang)} {name}"
    result = closure_impact(G, actors=[actor])
    nodes = {actor: "fermeture" if lang == "fr" else "closed"}
    ramp: dict[str, float] = {actor: 1.0}
    failed_word = "défaillant" if lang == "fr" else "fails"
    for item in result.affected:
        ident = str(item.actor)
        if ident == actor:
            continue
        label = "−" + format_percent(float(item.share_lost), lang, digits=0)
        if item.failed:
            label += f", {failed_word}"
        nodes.setdefault(ident, label)
        ramp.setdefault(ident, 1.0 if item.failed else float(item.share_lost))
    edges = frozenset(str(f) for f in result.lost_flows)
    note = textwrap.shorten(str(result.explanation), 240, placeholder=" …")
    return Highlight(title, nodes, edges, note=note, ramp=ramp)


def community_highlight(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", seed: int = 0) -> Highlight:
    """The communities of actors (:func:`toiles.analysis.communities.communities_report`).

    Communities of a single actor are not shown; each community has its own colour.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> h = community_highlight(example_graph())
    >>> h.by_label, len(set(h.nodes.values())) >= 2
    (True, True)
    """
    flows = ((str(u), str(v), str(k)) for u, v, k in G.edges(keys=True))
    return _communities(communities_report(G, seed=seed), flows, lang=lang)


def _communities(
    result: CommunitiesResult, flows: Iterable[tuple[str, str, str]], *, lang: Lang
) -> Highlight:
    word = "Communauté" if lang == "fr" else "Community"
    groups = [
        [str(a) for a in community.actors]
        for community in result.communities
        if len(community.actors) > 1
    ]
    groups.sort(key=lambda members: (-len(members), members))
    nodes = {actor: f"{word} {i}" for i, members in enumerate(groups, start=1) for actor in members}
    edges = frozenset(k for u, v, k in flows if u in nodes and nodes.get(u) == nodes.get(v))
    note = (
        f"{len(groups)} communauté(s) (Leiden, modularité)"
        if lang == "fr"
        else f"{len(groups)} communities"
    )
    return Highlight(_t("community", lang), nodes, edges, by_label=True, note=note)


def highlight_from_result(
    result: BaseModel,
    *,
    lang: Lang = "fr",
    flows: Iterable[tuple[str, str, str]] = (),
) -> Highlight:
    """Turn a report's result into its overlay, without running the analysis again.

    The web application runs its reports in the API's child process, within budget and
    cached; the picture then only draws what came back. Gives the same overlay as
    :func:`highlight_from_analysis` for a result computed with the same options.

    Parameters
    ----------
    result
        A result of ``centrality`` (key actors), ``loops``, ``candidates`` or
        ``communities``.
    lang
        Language of the title and labels.
    flows
        The toile's flows as ``(source, target, id)``: communities bring forward the flows
        inside each community.

    Raises
    ------
    VisualError
        For a result that has no overlay.

    Examples
    --------
    >>> from toiles.synthetic import example_graph
    >>> G = example_graph()
    >>> highlight_from_result(existing_loops(G)) == loops_highlight(G)
    True
    """
    if isinstance(result, CentralityResult):
        return _key_actors(result, lang=lang, top=_KEY_ACTORS_TOP)
    if isinstance(result, LoopsResult):
        return _loops(result, lang=lang, top=_LOOPS_TOP)
    if isinstance(result, CandidatesResult):
        return _candidates(result, lang=lang, top=_CANDIDATES_TOP)
    if isinstance(result, CommunitiesResult):
        return _communities(result, flows, lang=lang)
    msg = f"aucune mise en évidence pour le résultat {type(result).__name__}"
    raise VisualError(msg)
