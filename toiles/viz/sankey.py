"""Sankey diagram of a toile's flows: senders -> flow kinds -> receivers, one per unit family.

Quantities of different unit families never add up, so the page has one diagram per
family present (energy in MWh, volume in m3, mass in t...), chosen with tabs. Each
diagram has three columns: the actors that send (left), the kinds of flow (middle) and
the actors that receive (right); an actor that both sends and receives appears on both
sides, so loops need no special drawing. Band widths are proportional to quantities;
potential and planned flows are dashed bands. Beyond ``max_nodes`` actors on a side, the
smallest are gathered into « Autres ». With ``group_by``, groups replace actors.

The diagram is laid out in Python and written as inline SVG in a self-contained page (no
script library, no request), with the same safety rules as the interactive view: every
text from the data is escaped, the page's small script is allowed by its hash only.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.models.units import BASE_UNITS
from toiles.models.vocab import FlowKind, UnitFamily
from toiles.text import Lang, format_number, ui_text, vocab_label
from toiles.viz.aggregate import group_by_label, group_nodes
from toiles.viz.balance import FamilyBalance, family_balances
from toiles.viz.html import page_document
from toiles.viz.style import (
    STATUS_SVG_DASHES,
    actor_color,
    credit_line,
    flow_color,
    subtitle_parts,
    toile_title,
)

if TYPE_CHECKING:
    import networkx as nx

    from toiles.viz.aggregate import GroupBy

#: Most actors (or groups) drawn on each side before the smallest are gathered.
MAX_NODES = 25
_OTHERS = "\x00others"

_WIDTH = 1180
_LABEL_W = 290
_NODE_W = 14
_PAD = 10
_ROW = 30
_MIN_SLOT = 26


@dataclass
class SankeyNode:
    """One bar of a column: an actor, a group, « Autres » or a flow kind."""

    key: str
    label: str
    color: str
    value: float = 0.0
    y: float = 0.0
    h: float = 0.0


@dataclass
class SankeyLink:
    """One band between two bars, for one status."""

    left: str
    right: str
    status: str
    value: float
    color: str


@dataclass
class SankeyPanel:
    """The diagram of one unit family."""

    family: str
    unit: str
    sources: list[SankeyNode] = field(default_factory=list)
    kinds: list[SankeyNode] = field(default_factory=list)
    targets: list[SankeyNode] = field(default_factory=list)
    first: list[SankeyLink] = field(default_factory=list)
    second: list[SankeyLink] = field(default_factory=list)
    missing: int = 0
    balance: FamilyBalance | None = None

    @property
    def total(self) -> float:
        """Sum of the quantities drawn (each hop counted: see :attr:`balance`)."""
        return sum(n.value for n in self.kinds)


def _end(
    G: nx.MultiDiGraph[str], node: str, groups: dict[str, tuple[str, str]] | None
) -> tuple[str, str, str]:
    data = G.nodes[node]
    if groups is not None:
        key, label = groups[str(node)]
        kind = str(data.get("kind"))
        return f"g:{key}", label, actor_color(kind if kind == "exterieur" else "groupe")
    return str(node), str(data.get("name") or node), actor_color(str(data.get("kind")))


def sankey_panels(
    G: nx.MultiDiGraph[str],
    *,
    group_by: GroupBy | str | None = None,
    max_nodes: int = MAX_NODES,
    lang: Lang = "fr",
) -> list[SankeyPanel]:
    """Sum a toile's flows into one Sankey panel per unit family (layout not done yet).

    Parameters
    ----------
    G
        Toile graph.
    group_by
        Draw groups (``epci``, ``commune``, ``zae``, ``kind``, ``naf``) instead of actors.
    max_nodes
        Most bars per side; the smallest senders (receivers) beyond are gathered.
    lang
        Language of labels.

    Returns
    -------
    list of SankeyPanel
        In unit-family order, only families with quantified flows.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="A", kind="entreprise"); G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", key="f1", kind="chaleur", status="existant",
    ...                family="energy", quantity_base=3.0)
    >>> _ = G.add_edge("a", "b", key="f2", kind="chaleur", status="potentiel",
    ...                family="energy", quantity_base=1.0)
    >>> _ = G.add_edge("b", "a", key="f3", kind="dechets", family="mass")
    >>> [(p.family, p.total, p.missing) for p in sankey_panels(G)]
    [('energy', 4.0, 0)]
    """
    by_family: dict[str, list[tuple[str, str, str, str, float]]] = {}
    missing: dict[str, int] = {}
    for u, v, d in G.edges(data=True):
        family = d.get("family")
        quantity = d.get("quantity_base")
        if family is None:
            continue
        if quantity is None or quantity <= 0:
            missing[str(family)] = missing.get(str(family), 0) + 1
            continue
        status = str(d.get("status") or "existant")
        by_family.setdefault(str(family), []).append(
            (u, v, str(d.get("kind")), status, float(quantity))
        )
    # A graph grouped beforehand has lost the flows inside its groups: no honest balance.
    balances = (
        {}
        if G.graph.get("grouped_by")
        else {balance.family: balance for balance in family_balances(G)}
    )
    panels = []
    for family in UnitFamily:
        rows = by_family.get(family.value)
        if not rows:
            continue
        panel = _panel(G, rows, family.value, group_by=group_by, max_nodes=max_nodes, lang=lang)
        panel.missing = missing.get(family.value, 0)
        panel.balance = balances.get(family.value)
        panels.append(panel)
    return panels


def total_notes(panel: SankeyPanel, *, lang: Lang = "fr") -> list[str]:
    r"""Return the sentences that give a panel's totals, each unit counted once.

    The first sentence is the total counted once (or, for a graph grouped beforehand, the
    sum of the flows said plainly to include transit); then the transit the bands count,
    the potential and planned flows left out, the flows without quantity.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("nat", kind="exterieur")
    >>> for n in ("rte", "enedis", "usine"): G.add_node(n, kind="entreprise")
    >>> for u, v in (("nat", "rte"), ("rte", "enedis"), ("enedis", "usine")):
    ...     _ = G.add_edge(u, v, kind="electricite", family="energy", quantity_base=100.0)
    >>> print("\n".join(total_notes(sankey_panels(G)[0])))  # doctest: +NORMALIZE_WHITESPACE
    Total, chaque unité comptée une fois : 100 MWh entrés dans le territoire ou produits sur
    place = 100 MWh livrés aux destinataires finaux (consommés, transformés ou perdus) + 0 MWh
    sortis du territoire.
    Dont 100 MWh entrés et 0 MWh produits sur place.
    Les bandes comptent chaque étape (par exemple réseau national, transport, distribution,
    consommateur) : leur somme, 300 MWh, comprend 200 MWh de transit, reçus puis transmis par
    des acteurs du territoire.
    """
    b = panel.balance
    unit = panel.unit

    def n(value: float) -> str:
        return format_number(value, lang)

    notes = []
    if b is None:
        notes.append(ui_text("sankey_hops_only", lang).format(hops=n(panel.total), unit=unit))
    else:
        figures = {
            "supply": n(b.supply),
            "entered": n(b.entered),
            "produced": n(b.produced),
            "undescribed": n(b.undescribed),
            "consumed": n(b.consumed),
            "left": n(b.left),
            "unit": unit,
        }
        notes.append(ui_text("sankey_once", lang).format(**figures))
        origin = "sankey_origin_undescribed" if b.undescribed else "sankey_origin"
        notes.append(ui_text(origin, lang).format(**figures))
        notes.append(
            ui_text("sankey_hops", lang).format(hops=n(b.hops), transit=n(b.transit), unit=unit)
        )
        if b.planned:
            notes.append(ui_text("sankey_planned", lang).format(planned=n(b.planned), unit=unit))
    if panel.missing:
        notes.append(f"{panel.missing} {ui_text('sankey_missing', lang)}.")
    return notes


def _panel(  # three columns, each summed then capped: one pass each  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    rows: list[tuple[str, str, str, str, float]],
    family: str,
    *,
    group_by: str | None,
    max_nodes: int,
    lang: Lang,
) -> SankeyPanel:
    ends: dict[str, tuple[str, str, str]] = {}
    groups = group_nodes(G, group_by, lang=lang) if group_by else None
    for u, v, *_ in rows:
        for node in (u, v):
            if node not in ends:
                ends[node] = _end(G, node, groups)
    send: dict[str, float] = {}
    receive: dict[str, float] = {}
    for u, v, _, _, q in rows:
        send[ends[u][0]] = send.get(ends[u][0], 0.0) + q
        receive[ends[v][0]] = receive.get(ends[v][0], 0.0) + q
    keep_send = _kept(send, max_nodes)
    keep_receive = _kept(receive, max_nodes)
    names = {key: (label, color) for key, label, color in ends.values()}
    first: dict[tuple[str, str, str], float] = {}
    second: dict[tuple[str, str, str], float] = {}
    kinds: dict[str, float] = {}
    for u, v, kind, status, q in rows:
        s = ends[u][0] if ends[u][0] in keep_send else _OTHERS
        t = ends[v][0] if ends[v][0] in keep_receive else _OTHERS
        first[s, kind, status] = first.get((s, kind, status), 0.0) + q
        second[kind, t, status] = second.get((kind, t, status), 0.0) + q
        kinds[kind] = kinds.get(kind, 0.0) + q
    panel = SankeyPanel(family, BASE_UNITS[UnitFamily(family)])

    def side(values: dict[str, float], kept: set[str]) -> list[SankeyNode]:
        nodes = [
            SankeyNode(key, names[key][0], names[key][1], value)
            for key, value in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            if key in kept
        ]
        rest = [value for key, value in values.items() if key not in kept]
        if rest:
            label = f"{ui_text('sankey_others', lang)} ({len(rest)})"
            nodes.append(SankeyNode(_OTHERS, label, "#9E9E9E", sum(rest)))
        return nodes

    panel.sources = side(send, keep_send)
    panel.targets = side(receive, keep_receive)
    order = {k.value: i for i, k in enumerate(FlowKind)}
    panel.kinds = [
        SankeyNode(kind, vocab_label("flow_kind", kind, lang), flow_color(kind), value)
        for kind, value in sorted(kinds.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    panel.first = [
        SankeyLink(s, k, status, q, flow_color(k)) for (s, k, status), q in first.items()
    ]
    panel.second = [
        SankeyLink(k, t, status, q, flow_color(k)) for (k, t, status), q in second.items()
    ]
    return panel


def _kept(values: dict[str, float], max_nodes: int) -> set[str]:
    ranked = sorted(values, key=lambda key: (-values[key], key))
    if len(ranked) <= max_nodes:
        return set(ranked)
    return set(ranked[: max(max_nodes - 1, 1)])


def _stack(nodes: list[SankeyNode], scale: float, top: float) -> float:
    """Place a column's bars from ``top``; every bar gets room for its two label lines."""
    y = top
    for node in nodes:
        node.h = max(node.value * scale, 1.0)
        slot = max(node.h, _MIN_SLOT)
        node.y = y + (slot - node.h) / 2
        y += slot + _PAD
    return y


def panel_svg(panel: SankeyPanel, *, lang: Lang = "fr", index: int = 0) -> str:
    """Lay out one panel and return it as an SVG element (every text escaped).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", name="<b>A</b>", kind="entreprise")
    >>> G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", kind="chaleur", family="energy", quantity_base=3.0)
    >>> svg = panel_svg(sankey_panels(G)[0])
    >>> "&lt;b&gt;A&lt;/b&gt;" in svg and "<b>" not in svg
    True
    """
    e = html.escape
    rows = max(len(panel.sources), len(panel.kinds), len(panel.targets), 4)
    top = 34
    inner = rows * _ROW
    scale = min(
        (inner - _PAD * (len(column) - 1)) / max(sum(n.value for n in column), 1e-12)
        for column in (panel.sources, panel.kinds, panel.targets)
    )
    height = (
        int(max(_stack(c, scale, top) for c in (panel.sources, panel.kinds, panel.targets))) + 10
    )
    x_left = _LABEL_W
    x_mid = (_WIDTH - _NODE_W) / 2
    x_right = _WIDTH - _LABEL_W - _NODE_W
    out = [
        (
            f'<svg class="sankey" id="panel-{index}" viewBox="0 0 {_WIDTH} {height}" '
            f'width="100%" role="img" aria-label="{e(ui_text("sankey_title", lang))}" '
            f'xmlns="http://www.w3.org/2000/svg">'
        ),
        (
            f'<text class="col" x="{x_left + _NODE_W}" y="18" text-anchor="end">'
            f"{e(ui_text('sankey_sources', lang))}</text>"
        ),
        (
            f'<text class="col" x="{x_mid + _NODE_W / 2}" y="18" text-anchor="middle">'
            f"{e(ui_text('sankey_kinds', lang))}</text>"
        ),
        (
            f'<text class="col" x="{x_right}" y="18" text-anchor="start">'
            f"{e(ui_text('sankey_targets', lang))}</text>"
        ),
    ]
    unit = panel.unit
    index_of = {
        "s": {n.key: i for i, n in enumerate(panel.sources)},
        "k": {n.key: i for i, n in enumerate(panel.kinds)},
        "t": {n.key: i for i, n in enumerate(panel.targets)},
    }
    by_key = {
        "s": {n.key: n for n in panel.sources},
        "k": {n.key: n for n in panel.kinds},
        "t": {n.key: n for n in panel.targets},
    }
    bands: list[str] = []
    bands += _bands(
        panel.first, ("s", "k"), by_key, index_of, scale, x_left + _NODE_W, x_mid, unit, lang
    )
    bands += _bands(
        panel.second, ("k", "t"), by_key, index_of, scale, x_mid + _NODE_W, x_right, unit, lang
    )
    out.append('<g class="bands">' + "".join(bands) + "</g>")
    for column, x, prefix, anchor, dx in (
        (panel.sources, x_left, "s", "end", -6),
        (panel.kinds, x_mid, "k", "start", _NODE_W + 6),
        (panel.targets, x_right, "t", "start", _NODE_W + 6),
    ):
        for i, node in enumerate(column):
            value = f"{format_number(node.value, lang)} {unit}"
            text = f"{node.label} — {value}"
            out.append(
                f'<g class="node" data-node="{prefix}{i}">'
                f'<rect x="{x:.1f}" y="{node.y:.1f}" width="{_NODE_W}" height="{node.h:.1f}" '
                f'fill="{node.color}" stroke="#333" stroke-width="0.5">'
                f"<title>{e(text)}</title></rect>"
                f'<text x="{x + dx:.1f}" y="{node.y + node.h / 2 - 6:.1f}" text-anchor="{anchor}" '
                f'dominant-baseline="middle">{e(_short(node.label))}</text>'
                f'<text class="v" x="{x + dx:.1f}" y="{node.y + node.h / 2 + 8:.1f}" '
                f'text-anchor="{anchor}" dominant-baseline="middle">{e(value)}</text></g>'
            )
    out.append("</svg>")
    return "\n".join(out)


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _bands(  # noqa: PLR0913, PLR0917  # geometry of one stage of bands
    links: list[SankeyLink],
    sides: tuple[str, str],
    by_key: dict[str, dict[str, SankeyNode]],
    index_of: dict[str, dict[str, int]],
    scale: float,
    x0: float,
    x1: float,
    unit: str,
    lang: Lang,
) -> list[str]:
    a, b = sides
    out_offset = dict.fromkeys(by_key[a], 0.0)
    in_offset = dict.fromkeys(by_key[b], 0.0)
    ordered = sorted(
        links,
        key=lambda link: (index_of[a][link.left], index_of[b][link.right], link.status),
    )
    arrival = sorted(
        links,
        key=lambda link: (index_of[b][link.right], index_of[a][link.left], link.status),
    )
    arrive_at: dict[int, float] = {}
    for link in arrival:
        arrive_at[id(link)] = in_offset[link.right]
        in_offset[link.right] += link.value * scale
    out = []
    xm = (x0 + x1) / 2
    for link in ordered:
        width = max(link.value * scale, 0.8)
        left, right = by_key[a][link.left], by_key[b][link.right]
        y0 = left.y + out_offset[link.left] + width / 2
        y1 = right.y + arrive_at[id(link)] + width / 2
        out_offset[link.left] += link.value * scale
        dash = STATUS_SVG_DASHES.get(link.status, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        tip = (
            f"{left.label} → {right.label} : {format_number(link.value, lang)} {unit}"
            f" ({vocab_label('status', link.status, lang)})"
        )
        classes = f"band {a}{index_of[a][link.left]} {b}{index_of[b][link.right]}"
        out.append(
            f'<path class="{classes}" d="M{x0:.1f},{y0:.1f} C{xm:.1f},{y0:.1f} {xm:.1f},{y1:.1f} '
            f'{x1:.1f},{y1:.1f}" stroke="{link.color}" stroke-width="{width:.1f}"{dash_attr}>'
            f"<title>{html.escape(tip)}</title></path>"
        )
    return out


_SANKEY_CSS = """
body { margin: 0; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d1d1d; }
header, footer, nav, .legend { padding: 8px 18px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
.sub { font-size: 13px; color: #444; margin: 2px 0; }
.illustrative { display: inline-block; margin: 6px 0; padding: 5px 8px; background: #fff3cd;
  border: 1px solid #e0a800; color: #6b4e00; font-weight: bold; font-size: 13px;
  border-radius: 4px; }
.public { display: inline-block; margin: 6px 0; padding: 5px 8px; background: #e8f4ea;
  border: 1px solid #6aa874; font-size: 13px; border-radius: 4px; }
nav button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid #aaa;
  background: #fff; border-radius: 4px; cursor: pointer; margin-right: 4px; }
nav button.on { background: #2E6DB4; color: #fff; border-color: #2E6DB4; }
.panel { display: none; padding: 0 18px; }
.panel.on { display: block; }
.note { font-size: 12px; color: #555; margin: 2px 0; max-width: 1100px; }
.total { font-size: 14px; font-weight: bold; margin: 8px 0 2px; max-width: 1100px; }
svg.sankey { max-width: 1400px; font-size: 12px; }
svg.sankey path.band { fill: none; stroke-opacity: .55; }
svg.sankey path.band:hover { stroke-opacity: .85; }
svg.sankey path.band.dim { stroke-opacity: .08; }
svg.sankey text { fill: #1d1d1d; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.sankey text.v { fill: #555; font-size: 10.5px; }
svg.sankey text.col { font-weight: bold; font-size: 13px; }
.legend span { display: inline-flex; align-items: center; gap: 5px; margin: 2px 12px 2px 0;
  font-size: 12.5px; }
.legend i { display: inline-block; width: 22px; height: 8px; }
footer { font-size: 11.5px; color: #555; }
footer li { margin: 2px 0; }
"""

_SANKEY_JS = r"""
(function () {
  "use strict";
  var tabs = document.querySelectorAll("nav button");
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (t) { t.classList.toggle("on", t === tab); });
      document.querySelectorAll(".panel").forEach(function (p) {
        p.classList.toggle("on", p.id === tab.dataset.panel);
      });
    });
  });
  document.querySelectorAll("svg.sankey").forEach(function (svg) {
    svg.querySelectorAll("g.node").forEach(function (g) {
      var key = g.dataset.node;
      g.addEventListener("mouseenter", function () {
        svg.querySelectorAll("path.band").forEach(function (b) {
          b.classList.toggle("dim", !b.classList.contains(key));
        });
      });
      g.addEventListener("mouseleave", function () {
        svg.querySelectorAll("path.band").forEach(function (b) { b.classList.remove("dim"); });
      });
    });
  });
  window.toilesSankey = { panels: document.querySelectorAll("svg.sankey").length,
    bands: document.querySelectorAll("path.band").length };
})();
"""


def sankey_page(
    G: nx.MultiDiGraph[str],
    *,
    group_by: GroupBy | str | None = None,
    max_nodes: int = MAX_NODES,
    lang: Lang = "fr",
    public: bool = False,
) -> str:
    r"""Return the Sankey page of a toile (self-contained HTML, one tab per unit family).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="T")
    >>> G.add_node("a", name="A", kind="entreprise"); G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", kind="chaleur", family="energy", quantity_base=3.0)
    >>> page = sankey_page(G)
    >>> page.count("<svg class=\"sankey\""), "Énergie (MWh)" in page
    (1, True)
    """
    e = html.escape
    panels = sankey_panels(G, group_by=group_by, max_nodes=max_nodes, lang=lang)
    head = [f"<header><h1>{e(ui_text('sankey_title', lang))} — {e(toile_title(G, lang=lang))}</h1>"]
    head += [f'<div class="sub">{e(part)}</div>' for part in subtitle_parts(G, lang=lang)]
    if group_by:
        by = group_by_label(group_by, lang)
        head.append(f'<div class="sub">{e(ui_text("grouped_by", lang))} : {e(by)}</div>')
    if G.graph.get("illustrative"):
        head.append(f'<div class="illustrative">{e(ui_text("illustrative", lang))}</div>')
    if public:
        head.append(f'<div class="public">{e(ui_text("public_version", lang))}</div>')
    head.append("</header>")
    body = ["\n".join(head)]
    if not panels:
        body.append(f'<p class="panel on">{e(ui_text("sankey_empty", lang))}</p>')
    else:
        tabs = "".join(
            f'<button data-panel="p{i}" class="{"on" if i == 0 else ""}">'
            f"{e(vocab_label('family', p.family, lang))} ({e(p.unit)})</button>"
            for i, p in enumerate(panels)
        )
        body.append(f"<nav>{tabs}</nav>")
        for i, panel in enumerate(panels):
            notes = total_notes(panel, lang=lang)
            head_note = f'<p class="total">{e(notes[0])}</p>'
            more = "".join(f'<p class="note">{e(note)}</p>' for note in notes[1:])
            body.append(
                f'<section class="panel{" on" if i == 0 else ""}" id="p{i}">'
                f"{head_note}{more}{panel_svg(panel, lang=lang, index=i)}"
                f"{_panel_legend(panel, lang=lang)}</section>"
            )
    sources = "".join(f"<li>{e(str(s))}</li>" for s in G.graph.get("sources") or ())
    footer = f"<footer>{e(ui_text('sources', lang))} :<ul>{sources}</ul>" if sources else "<footer>"
    body.append(f"{footer}<div>{e(credit_line(G, lang=lang))}</div></footer>")
    return page_document(
        f"{ui_text('sankey_title', lang)} — {toile_title(G, lang=lang)}",
        "\n".join(body),
        data={"panels": len(panels)},
        scripts=[_SANKEY_JS],
        styles=[_SANKEY_CSS],
        lang=lang,
    )


def _panel_legend(panel: SankeyPanel, *, lang: Lang) -> str:
    """The legend of one panel: only the flow kinds it draws, the dashes only if used."""
    e = html.escape
    legend = "".join(
        f'<span><i style="background:{n.color}"></i>{e(n.label)}</span>' for n in panel.kinds
    )
    dashed = any(link.status != "existant" for link in panel.first)
    note = f'<div class="note">{e(ui_text("sankey_dashed", lang))}</div>' if dashed else ""
    return f'<div class="legend"><b>{e(ui_text("flow_kinds", lang))}</b> : {legend}{note}</div>'


def write_sankey(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    out: Path | str,
    *,
    group_by: GroupBy | str | None = None,
    max_nodes: int = MAX_NODES,
    lang: Lang = "fr",
    public: bool = False,
) -> Path:
    """Write the Sankey page of a toile (see :func:`sankey_page`) and return its path."""
    path = Path(out)
    path.write_text(
        sankey_page(G, group_by=group_by, max_nodes=max_nodes, lang=lang, public=public),
        encoding="utf-8",
    )
    return path
