"""The palette of every visual: colours, shapes, line styles, widths, legend, credits.

The interactive page (:mod:`toiles.viz.html`), the posters (:mod:`toiles.viz.static`), the
Sankey diagram and the GeoJSON export all read their colours, shapes and words here, so
that a toile looks the same on a website, a slide and a map.

- Actors are **coloured by kind** (:data:`ACTOR_COLORS`) and **shaped by category**
  (companies, public bodies, networks and facilities, business parks, associations, the
  outside: :data:`ACTOR_CATEGORIES`, :data:`SHAPES`).
- Flows are **coloured by kind** (:data:`FLOW_COLORS`, hues grouped by theme: blues for
  water, warm colours for energy...), **dashed** when ``potentiel`` or dotted when ``projet``
  (:data:`STATUS_DASHES`), and their **width** follows the quantity on a log scale within
  its unit family (:func:`flow_widths`).
- Words the reader sees, and number formats, live in :mod:`toiles.text` (shared by the whole
  package); they are re-exported here for the visuals' modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from toiles.errors import ToilesError
from toiles.models.vocab import FLOW_KINDS, ActorKind, FlowKind, Status, Theme
from toiles.text import (
    GROUP_KIND,
    Lang,
    field_labels,
    format_date,
    format_number,
    ui_text,
    ui_texts,
    vocab_label,
    vocab_labels,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray


class VisualError(ToilesError, ValueError):
    """A visual was asked for with an unknown format, option or value."""


#: Colour of each actor kind (hex), plus the groups of an aggregated view.
ACTOR_COLORS: dict[str, str] = {
    ActorKind.ENTREPRISE.value: "#2E6DB4",
    ActorKind.COLLECTIVITE.value: "#6A3D9A",
    ActorKind.EPCI.value: "#8E5FB8",
    ActorKind.COMMUNE.value: "#B995D4",
    ActorKind.ETABLISSEMENT_PUBLIC.value: "#4B2C82",
    ActorKind.SYNDICAT.value: "#A07CC5",
    ActorKind.GESTIONNAIRE_RESEAU.value: "#E08214",
    ActorKind.ASSOCIATION.value: "#1B9E77",
    ActorKind.ZAE.value: "#8C6D31",
    ActorKind.EQUIPEMENT.value: "#C2410C",
    ActorKind.EXTERIEUR.value: "#8A8A8A",
    GROUP_KIND: "#00838F",
}
DEFAULT_ACTOR_COLOR = "#555555"

#: Category of each actor kind: what its shape says.
ACTOR_CATEGORIES: dict[str, str] = {
    ActorKind.ENTREPRISE.value: "entreprise",
    ActorKind.COLLECTIVITE.value: "public",
    ActorKind.EPCI.value: "public",
    ActorKind.COMMUNE.value: "public",
    ActorKind.ETABLISSEMENT_PUBLIC.value: "public",
    ActorKind.SYNDICAT.value: "public",
    ActorKind.GESTIONNAIRE_RESEAU.value: "infrastructure",
    ActorKind.EQUIPEMENT.value: "infrastructure",
    ActorKind.ZAE.value: "zae",
    ActorKind.ASSOCIATION.value: "association",
    ActorKind.EXTERIEUR.value: "exterieur",
    GROUP_KIND: "groupe",
}


@dataclass(frozen=True)
class Shape:
    """How one actor category is drawn: vis-network shape and matplotlib marker."""

    vis: str
    marker: str
    fr: str
    en: str


#: Shape of each actor category.
SHAPES: dict[str, Shape] = {
    "entreprise": Shape("dot", "o", "Entreprises", "Companies"),
    "public": Shape("square", "s", "Acteurs publics", "Public bodies"),
    "infrastructure": Shape("diamond", "D", "Réseaux et équipements", "Networks and facilities"),
    "zae": Shape("hexagon", "h", "Zones d'activités", "Business parks"),
    "association": Shape("triangle", "^", "Associations", "Associations"),
    "exterieur": Shape("triangleDown", "v", "Extérieur du territoire", "Outside the territory"),
    "groupe": Shape("dot", "o", "Groupes d'acteurs", "Groups of actors"),
}

#: Colour of each flow kind: blues for water, warm colours for energy, Dark2 for
#: electromobility, earthy tones for the kinds of any theme.
FLOW_COLORS: dict[str, str] = {
    FlowKind.PRELEVEMENT.value: "#084594",
    FlowKind.EAU_POTABLE.value: "#2171B5",
    FlowKind.EAU_INDUSTRIELLE.value: "#4292C6",
    FlowKind.EAU_REFROIDISSEMENT.value: "#00A6C8",
    FlowKind.REJET.value: "#5E6FAD",
    FlowKind.EAUX_USEES.value: "#7A6A4F",
    FlowKind.REUTILISATION.value: "#2CA6A4",
    FlowKind.ELECTRICITE.value: "#E6AB02",
    FlowKind.GAZ_NATUREL.value: "#7570B3",
    FlowKind.BIOGAZ.value: "#8DBF3F",
    FlowKind.CHALEUR.value: "#C51B1B",
    FlowKind.VAPEUR.value: "#F08A6C",
    FlowKind.CHALEUR_FATALE.value: "#FF5A00",
    FlowKind.FROID.value: "#67A9CF",
    FlowKind.HYDROGENE.value: "#35978F",
    FlowKind.BIOMASSE.value: "#4D8B22",
    FlowKind.COMBUSTIBLE.value: "#6B4226",
    FlowKind.COMPOSANTS.value: "#1B9E77",
    FlowKind.BATTERIES.value: "#D95F02",
    FlowKind.ASSEMBLAGE.value: "#7570B3",
    FlowKind.RECHARGE.value: "#E7298A",
    FlowKind.RECYCLAGE.value: "#66A61E",
    FlowKind.RECHERCHE.value: "#E6AB02",
    FlowKind.FORMATION.value: "#A6761D",
    FlowKind.FINANCEMENT.value: "#666666",
    FlowKind.MATERIAUX.value: "#8C564B",
    FlowKind.SOUS_PRODUIT.value: "#A8A81E",
    FlowKind.DECHETS.value: "#7F7F7F",
    FlowKind.SERVICE.value: "#9467BD",
}
DEFAULT_FLOW_COLOR = "#999999"

#: Dash pattern of each status for vis-network (``False`` is a solid line).
STATUS_DASHES: dict[str, bool | list[int]] = {
    Status.EXISTANT.value: False,
    Status.POTENTIEL.value: [10, 7],
    Status.PROJET.value: [2, 6],
}
#: The same patterns as matplotlib line styles.
STATUS_LINESTYLES: dict[str, str | tuple[int, tuple[int, ...]]] = {
    Status.EXISTANT.value: "-",
    Status.POTENTIEL.value: (0, (5, 3)),
    Status.PROJET.value: (0, (1, 2)),
}
#: The same patterns as SVG ``stroke-dasharray`` values (``""`` is solid).
STATUS_SVG_DASHES: dict[str, str] = {
    Status.EXISTANT.value: "",
    Status.POTENTIEL.value: "10 7",
    Status.PROJET.value: "2 6",
}

#: Thinnest and thickest flow widths (pixels on screen, points on paper).
MIN_WIDTH, MAX_WIDTH = 1.0, 9.0
#: Width of a flow whose quantity is unknown.
UNKNOWN_WIDTH = 1.0

SizeBy = Literal["employees", "centrality", "throughflow"]
SIZE_BY: tuple[str, ...] = ("employees", "centrality", "throughflow")


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if it is ``"fr"`` or ``"en"``.

    Raises
    ------
    VisualError
        For any other language.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang == "fr":
        return "fr"
    if lang == "en":
        return "en"
    msg = f"langue inconnue « {lang} » (valeurs possibles : fr, en)"
    raise VisualError(msg)


def flow_theme(kind: str) -> str | None:
    """Return the theme of a flow kind (``None`` for the kinds of any theme).

    Examples
    --------
    >>> flow_theme("vapeur"), flow_theme("dechets")
    ('energie', None)
    """
    try:
        info = FLOW_KINDS[FlowKind(kind)]
    except ValueError:
        return None
    return None if info.theme is None else info.theme.value


def actor_color(kind: str | None) -> str:
    """Return the colour of an actor kind.

    Examples
    --------
    >>> actor_color("entreprise")
    '#2E6DB4'
    """
    return ACTOR_COLORS.get(str(kind), DEFAULT_ACTOR_COLOR)


def actor_shape(kind: str | None) -> Shape:
    """Return the shape of an actor kind (through its category).

    Examples
    --------
    >>> actor_shape("equipement").vis, actor_shape("exterieur").marker
    ('diamond', 'v')
    """
    return SHAPES[ACTOR_CATEGORIES.get(str(kind), "entreprise")]


def flow_color(kind: str | None) -> str:
    """Return the colour of a flow kind.

    Examples
    --------
    >>> flow_color("chaleur_fatale")
    '#FF5A00'
    """
    return FLOW_COLORS.get(str(kind), DEFAULT_FLOW_COLOR)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """Return the red, green, blue components (0-255) of a ``#RRGGBB`` colour.

    Examples
    --------
    >>> hex_to_rgb("#FF5A00")
    (255, 90, 0)
    """
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def flow_widths(
    G: nx.MultiDiGraph[str], *, quantity: str = "quantity_base"
) -> dict[tuple[object, object, object], float]:
    """Width of every flow: its quantity on a log scale, within its unit family.

    Quantities of different families (MWh, t, m3...) are never compared: in each family
    the smallest quantity gets :data:`MIN_WIDTH` and the largest :data:`MAX_WIDTH`, with
    log-proportional widths between. A flow without quantity gets :data:`UNKNOWN_WIDTH`.

    Parameters
    ----------
    G
        Toile graph.
    quantity
        Edge attribute holding the quantity in the family's base unit.

    Returns
    -------
    dict
        Width by ``(source, target, key)``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("a", "b", key="f1", family="energy", quantity_base=10.0)
    >>> _ = G.add_edge("a", "b", key="f2", family="energy", quantity_base=1000.0)
    >>> _ = G.add_edge("b", "a", key="f3", family="mass", quantity_base=5.0)
    >>> _ = G.add_edge("b", "a", key="f4")
    >>> sorted(flow_widths(G).values())
    [1.0, 1.0, 5.0, 9.0]
    """
    return widths_of(G.edges(keys=True, data=True), quantity=quantity)


def widths_of(
    edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]], *, quantity: str = "quantity_base"
) -> dict[tuple[object, object, object], float]:
    """Compute :func:`flow_widths` from ``(u, v, key, data)`` edges already listed.

    Examples
    --------
    >>> widths_of([("a", "b", "f", {"family": "mass", "quantity_base": 2.0})])
    {('a', 'b', 'f'): 5.0}
    """
    keys: list[tuple[object, object, object]] = []
    values: list[float] = []
    families: list[str | None] = []
    for u, v, k, data in edges:
        keys.append((u, v, k))
        value = data.get(quantity)
        values.append(math.nan if value is None else float(value))
        family = data.get("family")
        families.append(None if family is None else str(family))
    return dict(zip(keys, family_widths(values, families), strict=True))


def family_widths(
    quantities: Sequence[float] | NDArray[np.float64], families: Sequence[str | None]
) -> list[float]:
    """Width of each flow from its quantity and unit family (see :func:`flow_widths`).

    One vectorised pass for any number of flows: logarithms, then the smallest and largest
    per family. A quantity that is missing (NaN), zero or negative, or a flow without a
    family, gets :data:`UNKNOWN_WIDTH`.

    Examples
    --------
    >>> family_widths([10.0, 1000.0, 5.0, float("nan")], ["energy", "energy", "mass", None])
    [1.0, 9.0, 5.0, 1.0]
    """
    import numpy as np  # noqa: PLC0415  # numpy loads with the visuals that need it

    qty = np.asarray(quantities, dtype=np.float64)
    names = sorted({str(f) for f in families if f is not None})
    code = {name: i for i, name in enumerate(names)}
    fam = np.fromiter(
        (-1 if f is None else code[str(f)] for f in families), np.int64, count=len(families)
    )
    known = (fam >= 0) & (qty > 0)  # NaN compares false: unknown
    widths = np.full(len(qty), UNKNOWN_WIDTH, dtype=np.float64)
    if not known.any():
        return widths.tolist()
    logs = np.zeros(len(qty), dtype=np.float64)
    logs[known] = np.log10(qty[known])
    low = np.full(len(names), np.inf)
    high = np.full(len(names), -np.inf)
    np.minimum.at(low, fam[known], logs[known])
    np.maximum.at(high, fam[known], logs[known])
    span = (high - low)[fam[known]]
    flat = span < 1e-12  # noqa: PLR2004  # one quantity in the family: middle width
    scaled = MIN_WIDTH + (logs[known] - low[fam[known]]) / np.where(flat, 1.0, span) * (
        MAX_WIDTH - MIN_WIDTH
    )
    widths[known] = np.where(flat, (MIN_WIDTH + MAX_WIDTH) / 2, scaled)
    return [round(w, 2) for w in widths.tolist()]  # as the reader sees them, exactly


@dataclass(frozen=True)
class HighlightLayer:
    """One part of an overlay that the reader can isolate (a loop): its own colour.

    Examples
    --------
    >>> HighlightLayer("Boucle 1", "#4E79A7", frozenset({"a"}), frozenset({"f1"})).label
    'Boucle 1'
    """

    label: str
    color: str
    nodes: frozenset[str]
    edges: frozenset[str]
    description: str = ""


@dataclass(frozen=True)
class Highlight:
    """An analysis overlay: actors and flows to bring forward, with a title.

    Parameters
    ----------
    title
        What is highlighted, in the reader's language (``"Acteurs clés"``).
    nodes
        Actor id -> short label shown next to it (``"n° 1"``, ``"Boucle 2"``).
    edges
        Keys (flow ids) of the flows to highlight.
    by_label
        Colour the highlighted actors by label (communities), instead of one colour.
    note
        One sentence explaining the overlay (method, threshold), shown under the title.
    links
        Links that are not flows of the toile but suggestions drawn over it, as
        ``(source, target, label)`` (the candidates of a synergy search).
    layers
        Parts the reader can isolate, one colour each (the loops).
    ramp
        Actor id -> a share in [0, 1] drawn on a colour ramp (the supply an impact loses).
    ranks
        Actor id -> rank (key actors), printed in their ring.

    Examples
    --------
    >>> h = Highlight("Acteurs clés", {"usine": "n° 1"}, frozenset({"f1"}))
    >>> h.nodes["usine"], "f1" in h.edges
    ('n° 1', True)
    """

    title: str
    nodes: Mapping[str, str] = field(default_factory=dict)
    edges: frozenset[str] = frozenset()
    by_label: bool = False
    note: str = ""
    links: tuple[tuple[str, str, str], ...] = ()
    layers: tuple[HighlightLayer, ...] = ()
    ramp: Mapping[str, float] = field(default_factory=dict)
    ranks: Mapping[str, int] = field(default_factory=dict)


#: Colours of highlight groups when :attr:`Highlight.by_label` is set (Tableau 10).
GROUP_PALETTE: tuple[str, ...] = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
#: Colours of the layers of an overlay (one per loop): Tableau 10, then four more, so that
#: the twelve loops a poster shows never share a colour.
LAYER_PALETTE: tuple[str, ...] = (*GROUP_PALETTE, "#499894", "#D37295", "#B6992D", "#86BCB6")

#: Colour of highlighted actors and flows when one colour is used.
HIGHLIGHT_COLOR = "#D7191C"


def highlight_colors(highlight: Highlight) -> dict[str, str]:
    """Return the colour of each highlighted actor.

    Examples
    --------
    >>> highlight_colors(Highlight("C", {"a": "C1", "b": "C2", "c": "C1"}, by_label=True))
    {'a': '#4E79A7', 'b': '#F28E2B', 'c': '#4E79A7'}
    """
    if not highlight.by_label:
        return dict.fromkeys(highlight.nodes, HIGHLIGHT_COLOR)
    order = {label: i for i, label in enumerate(dict.fromkeys(highlight.nodes.values()))}
    return {
        node: GROUP_PALETTE[order[label] % len(GROUP_PALETTE)]
        for node, label in highlight.nodes.items()
    }


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: what it stands for, its label and how it is drawn."""

    group: Literal["actor_kind", "shape", "flow_kind", "status"]
    value: str
    label: str
    color: str = DEFAULT_ACTOR_COLOR
    shape: str = "dot"
    marker: str = "o"
    dashes: bool | list[int] = False


def legend_entries(  # noqa: PLR0913  # kinds the caller may know already
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang = "fr",
    edges: list[tuple[str, str, str, dict[str, Any]]] | None = None,
    actor_kinds: Iterable[str] | None = None,
    flow_kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> list[LegendEntry]:
    """Return the legend of a toile: only the kinds, shapes and statuses it contains.

    Entries come in a stable order: actor kinds, shapes, flow kinds (vocabulary order),
    then statuses. ``edges`` may pass the flows as ``(source, target, key, data)`` when
    they are listed already; ``actor_kinds``, ``flow_kinds`` and ``statuses`` may pass
    the kinds present when the caller has read them already (then the graph is not walked
    for them).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="entreprise"); G.add_node("b", kind="exterieur")
    >>> _ = G.add_edge("a", "b", key="f", kind="chaleur_fatale", status="potentiel")
    >>> [e.label for e in legend_entries(G)]  # doctest: +NORMALIZE_WHITESPACE
    ['Entreprise', 'Extérieur du territoire', 'Entreprises', 'Extérieur du territoire',
     'Chaleur fatale', 'Potentiel']
    """
    kinds = (
        {str(d.get("kind")) for _, d in G.nodes(data=True)}
        if actor_kinds is None
        else set(actor_kinds)
    )
    present: set[str] = set()  # flow kinds
    shown: set[str] = set()  # statuses
    if flow_kinds is None or statuses is None:
        for _, _, _, d in G.edges(keys=True, data=True) if edges is None else edges:
            present.add(str(d.get("kind")))
            shown.add(str(d.get("status") or Status.EXISTANT.value))
    else:
        present, shown = set(flow_kinds), set(statuses)
    entries: list[LegendEntry] = []
    for kind in sorted(kinds, key=_actor_order):
        shape = actor_shape(kind)
        entries.append(
            LegendEntry(
                "actor_kind",
                kind,
                vocab_label("actor_kind", kind, lang),
                color=actor_color(kind),
                shape=shape.vis,
                marker=shape.marker,
            )
        )
    categories = {ACTOR_CATEGORIES.get(k, "entreprise") for k in kinds}
    for category, shape in SHAPES.items():
        if category in categories:
            entries.append(
                LegendEntry(
                    "shape",
                    category,
                    shape.en if lang == "en" else shape.fr,
                    color="#444444",
                    shape=shape.vis,
                    marker=shape.marker,
                )
            )
    entries.extend(
        LegendEntry(
            "flow_kind", kind.value, vocab_label("flow_kind", kind.value, lang), flow_color(kind)
        )
        for kind in FlowKind
        if kind.value in present
    )
    entries.extend(
        LegendEntry(
            "status",
            status.value,
            vocab_label("status", status.value, lang),
            color="#444444",
            dashes=STATUS_DASHES[status.value],
        )
        for status in Status
        if status.value in shown
    )
    return entries


def _actor_order(kind: str) -> int:
    order = [k.value for k in ActorKind] + [GROUP_KIND]
    return order.index(kind) if kind in order else len(order)


def toile_title(G: nx.MultiDiGraph[str], *, lang: Lang = "fr") -> str:  # noqa: ARG001  # same word in fr/en
    """Return the title of a toile's visuals: its name, or its id.

    Examples
    --------
    >>> import networkx as nx
    >>> toile_title(nx.MultiDiGraph(name="Énergie de l'Artois"))
    "Énergie de l'Artois"
    """
    name = G.graph.get("name") or G.graph.get("id")
    return str(name) if name else "Toile"  # the same word in both languages


def subtitle_parts(G: nx.MultiDiGraph[str], *, lang: Lang = "fr") -> list[str]:
    """Return the parts of a toile's subtitle: theme, version, date, territory.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(theme="energie", version="T1", updated="2024-06-30",
    ...                     territory={"name": "Artois", "epci": []})
    >>> subtitle_parts(G)
    ['Thème : Énergie', 'Version T1', 'Mise à jour : 30/06/2024', 'Territoire : Artois']
    """
    parts: list[str] = []
    colon = " : " if lang == "fr" else ": "
    theme = G.graph.get("theme")
    if theme:
        parts.append(f"{ui_text('theme', lang)}{colon}{vocab_label('theme', str(theme), lang)}")
    version = G.graph.get("version")
    if version:
        parts.append(f"{ui_text('version', lang)} {version}")
    updated = G.graph.get("updated")
    if updated:
        parts.append(f"{ui_text('updated', lang)}{colon}{format_date(str(updated), lang)}")
    territory = G.graph.get("territory") or {}
    name = territory.get("name") if isinstance(territory, dict) else None
    if name:
        parts.append(f"{ui_text('territory', lang)}{colon}{name}")
    return parts


def credit_line(G: nx.MultiDiGraph[str], *, lang: Lang = "fr", today: date | None = None) -> str:
    """Return the credit line of a visual: the Toiles© mention, data credits, date.

    The commune data's credit (:data:`toiles.territory.CREDIT`) is added when actors sit in
    the bundled communes of the Artois and no source of the toile already credits it.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", commune_insee="62119")
    >>> "GeoNames" in credit_line(G, today=date(2025, 1, 31))
    True
    """
    from toiles.territory import CREDIT, communes  # noqa: PLC0415  # reads a file on first use

    day = today or date.today()  # noqa: DTZ011  # a calendar date for the reader
    parts = [ui_text("concept", lang)]
    sources = " ".join(str(s) for s in G.graph.get("sources") or ())
    known = communes()
    uses_communes = any(d.get("commune_insee") in known for _, d in G.nodes(data=True))
    if uses_communes and "GeoNames" not in sources:
        parts.append(CREDIT)
    drawn = format_date(day.isoformat(), lang)
    parts.append(f"{ui_text('made_with', lang)}, {ui_text('drawn_on', lang)} {drawn}")
    return " · ".join(parts)


def theme_values() -> list[str]:
    """Return the theme values in vocabulary order.

    Examples
    --------
    >>> theme_values()[:2]
    ['eau_industrielle', 'energie']
    """
    return [t.value for t in Theme]


def present_values(values: Iterable[str | None]) -> list[str]:
    """Return the distinct non-empty values, in first-seen order.

    Examples
    --------
    >>> present_values(["b", None, "a", "b"])
    ['b', 'a']
    """
    return [v for v in dict.fromkeys(values) if v]


#: Words and formats re-exported from :mod:`toiles.text` for the visuals' modules.
__all__ = [
    "GROUP_KIND",
    "Lang",
    "field_labels",
    "format_date",
    "format_number",
    "ui_text",
    "ui_texts",
    "vocab_label",
    "vocab_labels",
]
