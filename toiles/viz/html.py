"""The interactive view of a toile: one self-contained HTML page built on vis-network.

The page works offline and makes no network request at all: vis-network, our script and
our styles are inlined, and a Content-Security-Policy forbids any connection or any
script but the page's own (by hash). The toile's data goes in as JSON inside a
``<script type="application/json">`` element with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped, and the page's script shows it through ``textContent`` and canvas labels only.

The actors and flows are written as columns straight from the scene, without pyvis's
per-node bookkeeping (quadratic in the number of nodes) nor an object per actor: a
20,000-actor toile is built in about half a second, and the page's script makes the records.
The layout is computed in Python and physics is off, so the page opens still; « Réorganiser »
runs the physics on request. On a screen narrower than :data:`NARROW_PAGE_PX` the page opens
with its side panel closed, its layout in the screen's shape (:data:`PAGE_ASPECT`), so that
the names read without zooming.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import html
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.analysis._common import FlowTable, flow_table
from toiles.viz._assets import (
    PAGE_CSS,
    PAGE_JS,
    inline_safe_script,
    vis_network_css,
    vis_network_js,
)
from toiles.viz.layout import LARGE_TOILE
from toiles.viz.scene import IMPACT_RAMP, Scene, build_scene
from toiles.viz.style import (
    ACTOR_COLORS,
    DEFAULT_ACTOR_COLOR,
    DEFAULT_FLOW_COLOR,
    FLOW_COLORS,
    STATUS_DASHES,
    Highlight,
    Lang,
    credit_line,
    field_labels,
    flow_theme,
    subtitle_parts,
    toile_title,
    ui_text,
    ui_texts,
    vocab_label,
    vocab_labels,
)

if TYPE_CHECKING:
    import networkx as nx

    from toiles.viz.layout import LayoutMethod, SizeMeasure

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]

#: Above this many actors the page opens aggregated by the structured layout's groups.
AGGREGATE_FROM = 500
#: Actors drawn on their own in an aggregated page: the largest, by size.
HUBS_NAMED = 20
#: Width over height of the drawing the page's layout fills: a laptop screen (1366 x 768)
#: less the headline above the toile and the legend line under it, the side panel closed
#: (it opens over the toile on screens narrower than :data:`NARROW_PAGE_PX`).
PAGE_ASPECT = 2.0
#: The same with the side panel open (an analysis page: 1366 x 768 less the panel).
PANEL_PAGE_ASPECT = 1.5
#: Below this window width (CSS pixels) the page opens with its side panel closed.
NARROW_PAGE_PX = 1600
#: Characters per line of the page's labels at 21 px type (whole words: a word up to half as long
#: again keeps its own line; measured in Chromium: 0 to 2 labels touching per reference toile).
PAGE_LABEL_CHARS = 12

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_for_script(data: JSONValue) -> str:
    r"""Serialise data as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``, ``\u003e``, ``\u0026``, so no text from the
    data can close the element or open a comment; U+2028 and U+2029 are escaped too.
    Non-finite numbers are refused.

    Examples
    --------
    >>> json_for_script({"name": "</script><script>alert(1)</script>"})
    '{"name":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"}'
    >>> json.loads(json_for_script({"a": "<&>"}))
    {'a': '<&>'}
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


#: Actor attributes written into the page (the script formats them for reading).
ACTOR_SHOWN: tuple[str, ...] = (
    "count",
    "siret",
    "naf",
    "employees",
    "commune_insee",
    "epci",
    "zae",
    "tags",
    "confidentiality",
    "provenance",
    "description",
)
#: Flow attributes written into the page.
FLOW_SHOWN: tuple[str, ...] = (
    "quantity",
    "unit",
    "count",
    "year",
    "confidentiality",
    "confidence",
    "provenance",
    "notes",
)


#: Attribute values the page leaves out: empty, and the default "public" confidentiality.
_NOT_SHOWN: tuple[object, ...] = ("", "public", [], ())


def attribute_columns(
    records: list[dict[str, object]], keys: tuple[str, ...]
) -> dict[str, JSONValue]:
    """Return the attributes of many actors or flows that the page shows, as columns.

    One list per attribute, ``None`` where a record has no value to show: missing, empty,
    not a finite number, or the default ``public`` confidentiality. A column nobody fills is
    left out.

    Examples
    --------
    >>> attribute_columns([{"employees": 3, "zae": None}, {"employees": None, "tags": []}],
    ...                   ACTOR_SHOWN)
    {'employees': [3, None]}
    """
    columns: dict[str, JSONValue] = {}
    for key in keys:
        values = [record.get(key) for record in records]
        hidden = values.count(None)
        if hidden == len(values):
            continue
        types = set(map(type, values))  # count only the empty values these types can have
        if any(issubclass(t, str) for t in types):
            hidden += values.count("") + values.count("public")
        if any(issubclass(t, list | tuple) for t in types):
            hidden += values.count([]) + values.count(())
        floats = any(issubclass(t, float) for t in types)
        if hidden > values.count(None) or (
            floats and not all(math.isfinite(v) for v in values if isinstance(v, float))
        ):
            values = [
                None
                if v is None or v in _NOT_SHOWN or (isinstance(v, float) and not math.isfinite(v))
                else v
                for v in values
            ]
            if values.count(None) == len(values):
                continue
        columns[key] = values  # type: ignore[assignment]
    return columns


def page_records(table: dict[str, JSONValue]) -> list[dict[str, JSONValue]]:
    """Turn a table of the page's data back into one record per actor or flow.

    The page carries its actors and flows as columns (one list per field, ``None`` where a
    record has no value; attributes in the column group ``a``); its script makes the
    records in the browser, as this function does in Python (for tests and tools).

    Examples
    --------
    >>> page_records({"id": ["a", "b"], "hub": [True, None], "a": {"naf": [None, "20.14Z"]}})
    [{'id': 'a', 'hub': True, 'a': {}}, {'id': 'b', 'a': {'naf': '20.14Z'}}]
    """
    extra = table.get("a") or {}
    assert isinstance(extra, dict)  # noqa: S101  # the page's own format
    fields = [(k, v) for k, v in table.items() if k != "a" and isinstance(v, list)]
    attrs = [(k, v) for k, v in extra.items() if isinstance(v, list)]
    size = len(fields[0][1]) if fields else 0
    out: list[dict[str, JSONValue]] = []
    for i in range(size):
        record: dict[str, JSONValue] = {
            k: column[i] for k, column in fields if column[i] is not None
        }
        record["a"] = {k: column[i] for k, column in attrs if column[i] is not None}
        out.append(record)
    return out


def _actor_columns(
    G: nx.MultiDiGraph[str], scene: Scene, *, aggregated: bool
) -> dict[str, JSONValue]:
    """The actors of the page as columns: the scene's, and the attributes the reader opens.

    Colours and shapes are the kind's (the page's palette), so they are not repeated per
    actor. In an aggregated page, ``g`` is each actor's group (a region of the layout) and
    ``hub`` marks the :data:`HUBS_NAMED` largest actors, drawn on their own.
    """
    actors = scene.actors
    ids = actors.id
    attributes = {str(node): data for node, data in G.nodes(data=True)}
    columns: dict[str, JSONValue] = {
        "id": list[JSONValue](ids),
        "label": list[JSONValue](actors.name),
        "kind": list[JSONValue](actors.kind),
        "x": list[JSONValue](actors.x),
        "y": list[JSONValue](actors.y),
        "size": list[JSONValue](actors.radius),
        "imp": list[JSONValue](actors.importance),
    }
    if any(actors.summary):  # a group's own flows, under its name (aggregated views)
        columns["summary"] = [text or None for text in actors.summary]
    if any(actors.area_only):  # business parks drawn as their area
        columns["hidden"] = [True if hidden else None for hidden in actors.area_only]
    if aggregated:
        group_of = {m: i for i, r in enumerate(scene.regions) for m in r.members}
        columns["g"] = [group_of.get(ident) for ident in ids]
        largest = set(
            heapq.nsmallest(HUBS_NAMED, range(len(ids)), key=lambda i: -actors.importance[i])
        )
        columns["hub"] = [True if i in largest else None for i in range(len(ids))]
    columns["a"] = attribute_columns([attributes[ident] for ident in ids], ACTOR_SHOWN)
    return columns


def _flow_columns(
    G: nx.MultiDiGraph[str], scene: Scene, ft: FlowTable | None
) -> dict[str, JSONValue]:
    """The flows of the page as columns: the scene's, and the attributes the reader opens.

    ``ft`` is the flow table the scene was built from (its flows in the scene's order), or
    ``None`` for a scene built by the caller.
    """
    flows = scene.flows
    if ft is not None:
        data: list[dict[str, object]] = ft.data
    else:
        by_key = {str(k): d for _, _, k, d in G.edges(keys=True, data=True)}
        data = [by_key[key] for key in flows.id]
    columns: dict[str, JSONValue] = {
        "id": list[JSONValue](flows.id),
        "from": list[JSONValue](flows.source),
        "to": list[JSONValue](flows.target),
        "kind": list[JSONValue](flows.kind),
        "status": list[JSONValue](flows.status),
        "width": list[JSONValue](flows.width),
    }
    if any(flows.quantity):  # written for reading on small toiles only
        columns["q"] = [text or None for text in flows.quantity]
    columns["a"] = attribute_columns(data, FLOW_SHOWN)
    return columns


def page_data(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang = "fr",
    size_by: SizeMeasure | str = "throughflow",
    highlight: Highlight | None = None,
    layout: LayoutMethod | str = "structured",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    embed: bool = False,
    scene: Scene | None = None,
    aggregate_from: int = AGGREGATE_FROM,
) -> dict[str, JSONValue]:
    """Build the JSON document the page's script paints: the scene, attributes and words.

    The positions, sizes, colours, labels, regions, overlay and headline all come from the
    toile's scene (:func:`toiles.viz.scene.build_scene`); the page adds what the reader can
    open (attributes of actors and flows) and the words of its interface.

    Parameters
    ----------
    G
        Toile graph (already redacted when it is for the public).
    lang
        ``fr`` or ``en``: every word the reader sees.
    size_by
        Measure that sizes the actors (see :func:`toiles.viz.scene.build_scene`).
    highlight
        Analysis overlay to show, if any.
    layout
        ``structured`` (default), ``spring``, ``fr`` or ``geo``.
    seed
        Seed of the force layouts.
    large
        Above this many actors, edges hide while the view moves.
    public
        Say on the page that it is the public version.
    embed
        The compact variant for embedding (side panel closed, small legend).
    scene
        A scene already built (the drawing options are then ignored).
    aggregate_from
        Above this many actors the page opens aggregated: one node per band, business park
        or sector of the structured layout (with its count), the :data:`HUBS_NAMED` main
        hubs drawn on their own; a click on a group opens it.

    Returns
    -------
    dict
        The page's data (see the module's script for how each part is used). Actors and
        flows are columns, one list per field (:func:`page_records` makes records of
        them, as the page's script does in the browser).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="T")
    >>> G.add_node("a", name="A", kind="entreprise"); G.add_node("b", name="B", kind="commune")
    >>> _ = G.add_edge("a", "b", key="f", kind="chaleur", status="existant")
    >>> data = page_data(G)
    >>> data["actors"]["id"], data["flows"]["from"], data["meta"]["large"]
    (['a', 'b'], ['a'], False)
    >>> page_records(data["actors"])[0]["label"]
    'A'
    """
    ft = None
    if scene is None:
        ft = flow_table(G)  # read once, for the scene and for the flows' attributes
        scene = build_scene(
            G,
            ft=ft,
            # an analysis page keeps its side panel open (its list is what is read)
            aspect=PAGE_ASPECT if highlight is None else PANEL_PAGE_ASPECT,
            lang=lang,
            size_by=size_by,
            highlight=highlight,
            layout=layout,
            seed=seed,
            large=large,
            public=public,
        )
    n = G.number_of_nodes()
    aggregated = n > aggregate_from and scene.layout == "structured" and bool(scene.regions)
    actors = _actor_columns(G, scene, aggregated=aggregated)
    flows = _flow_columns(G, scene, ft)
    communes = {
        str(d["commune_insee"]) for _, d in G.nodes(data=True) if d.get("commune_insee") is not None
    }
    legend = list(scene.legend)
    ui: dict[str, JSONValue] = dict(ui_texts(lang))
    if G.graph.get("grouped_by"):  # an aggregated view counts groups, not actors
        ui["actors"] = ui_text("groups", lang)
    themes = sorted({flow_theme(e.value) or "" for e in legend if e.group == "flow_kind"})
    return {
        "meta": _meta(G, lang=lang, size_by=size_by, large=n > large, public=public)
        | {
            "n_flows": len(scene.flows),
            "embed": embed,
            "size_label": scene.size_label,
            "layout": scene.layout,
            "mentions": list(scene.mentions),
            "aggregated": aggregated,
            "label_chars": PAGE_LABEL_CHARS,
            "narrow_px": NARROW_PAGE_PX,
        },
        "ui": ui,
        "fields": dict(field_labels(lang)),
        "vocab": vocab_labels(lang),  # type: ignore[dict-item]
        "communes": _commune_names(communes),
        "naf": _naf_names({str(d["naf"]) for _, d in G.nodes(data=True) if d.get("naf")}),
        "epci": _epci_names(),
        "palette": {
            "actor": dict(ACTOR_COLORS),
            "actorDefault": DEFAULT_ACTOR_COLOR,
            "shape": {e.value: e.shape for e in legend if e.group == "actor_kind"},
            "flow": dict(FLOW_COLORS),
            "flowDefault": DEFAULT_FLOW_COLOR,
            "dashes": dict(STATUS_DASHES),  # type: ignore[arg-type]
            "themeOf": {
                e.value: flow_theme(e.value) or "" for e in legend if e.group == "flow_kind"
            },
        },
        "legend": [
            {
                "group": e.group,
                "value": e.value,
                "label": e.label,
                "color": e.color,
                "shape": e.shape,
                "dashes": e.dashes,  # type: ignore[dict-item]
            }
            for e in legend
        ],
        "themes": [
            [t, vocab_label("theme", t, lang) if t else ui_text("any_theme", lang)] for t in themes
        ],
        "regions": [
            {
                "kind": r.kind,
                "title": r.title,
                "n": len(r.members),
                "x0": r.x0,
                "y0": r.y0,
                "x1": r.x1,
                "y1": r.y1,
            }
            for r in scene.regions
        ],
        "headline": [[f.value, f.label] for f in scene.headline],
        "actors": actors,
        "flows": flows,
        "highlight": _highlight_data(scene),
    }


def _commune_names(codes: set[str]) -> dict[str, JSONValue]:
    from toiles.territory import communes  # noqa: PLC0415  # reads a file on first use

    known = communes()
    return {code: known[code].name for code in sorted(codes) if code in known}


def _naf_names(codes: set[str]) -> dict[str, JSONValue]:
    from toiles.naf import naf_label  # noqa: PLC0415  # reads a file on first use

    labels = {code: naf_label(code) for code in sorted(codes)}
    return {code: text for code, text in labels.items() if text is not None}


def _epci_names() -> dict[str, JSONValue]:
    from toiles.territory import EPCI_SHORT_NAMES  # noqa: PLC0415

    return dict(EPCI_SHORT_NAMES)


def _meta(
    G: nx.MultiDiGraph[str], *, lang: Lang, size_by: str, large: bool, public: bool
) -> dict[str, JSONValue]:
    grouped = G.graph.get("grouped_by")
    sources: list[JSONValue] = [str(s) for s in G.graph.get("sources") or ()]
    subtitle: list[JSONValue] = list(subtitle_parts(G, lang=lang))
    return {
        "lang": lang,
        "title": toile_title(G, lang=lang),
        "subtitle": subtitle,
        "sources": sources,
        "illustrative": bool(G.graph.get("illustrative")),
        "public": public,
        "credit": credit_line(G, lang=lang),
        "large": large,
        "grouped_by": None if grouped is None else str(G.graph.get("grouped_by_label", grouped)),
        "size_label": ui_text(f"size_{size_by}", lang),
        "n_actors": G.number_of_nodes(),
    }


def _highlight_data(scene: Scene) -> JSONValue:
    if not scene.highlight_title:
        return None
    return {
        "title": scene.highlight_title,
        "note": scene.highlight_note,
        "nodes": [
            [ident, badge, ring or scene.highlight_color]
            for ident, badge, ring in zip(
                scene.actors.id, scene.actors.badge, scene.actors.ring, strict=True
            )
            if badge
        ],
        "edges": [
            ident for ident, on in zip(scene.flows.id, scene.flows.highlighted, strict=True) if on
        ],
        "links": [[link.source, link.target, link.label] for link in scene.links],
        "layers": [
            {
                "label": layer.label,
                "color": layer.color,
                "description": layer.description,
                "nodes": list[JSONValue](sorted(layer.nodes)),
                "edges": list[JSONValue](sorted(layer.edges)),
            }
            for layer in scene.layers
        ],
        "ramp": scene.ramp,
        "rampColors": list(IMPACT_RAMP),
        "color": scene.highlight_color,
    }


def _csp(scripts: list[str]) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
        "worker-src 'none'; base-uri 'none'; form-action 'none'"
    )


def page_document(  # noqa: PLR0913  # keyword-only options of a visual
    title: str, body: str, *, data: JSONValue, scripts: list[str], styles: list[str], lang: Lang
) -> str:
    """Assemble a self-contained page: styles, data, then scripts, under a strict CSP.

    ``title`` is escaped here; ``body`` is our own markup (no data in it); ``data`` goes in
    through :func:`json_for_script`. Every script is allowed by its SHA-256 hash only.

    Examples
    --------
    >>> page = page_document("<T>", "<p>x</p>", data={"a": 1}, scripts=["1;"], styles=[],
    ...                      lang="fr")
    >>> "<title>&lt;T&gt;</title>" in page, "default-src 'none'" in page
    (True, True)
    """
    safe_scripts = [inline_safe_script(s) for s in scripts]
    style_tags = "\n".join(f"<style>{s}</style>" for s in styles)
    script_tags = "\n".join(f"<script>{s}</script>" for s in safe_scripts)
    csp = html.escape(_csp(safe_scripts), quote=False).replace('"', "&quot;")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html.escape(title)}</title>\n{style_tags}\n</head>\n<body>\n{body}\n"
        f'<script type="application/json" id="toile-data">{json_for_script(data)}</script>\n'
        f"{script_tags}\n</body>\n</html>\n"
    )


def _body(lang: Lang, *, embed: bool = False) -> str:
    """The page's markup: only our words (escaped) and empty containers the script fills."""
    t = ui_texts(lang)

    def e(key: str) -> str:
        return html.escape(t[key])

    side = ' class="closed"' if embed else ""
    app = ' class="embed"' if embed else ""
    return f"""<div id="app"{app}>
<aside id="side"{side}>
<header id="title-block"></header>
<h2>{e("search")}</h2>
<input type="search" id="search" placeholder="{e("search_placeholder")}" autocomplete="off">
<div id="results" class="results"></div>
<h2>{e("focus")}</h2>
<div class="note" id="focus-name">–</div>
<div class="row"><label for="focus-steps">{e("focus_steps")}</label>
<input type="number" id="focus-steps" min="1" max="10" value="1">
<button id="focus-go">{e("focus_apply")}</button>
<button id="focus-all">{e("show_all")}</button></div>
<div id="hl-box" style="display:none"><h2>{e("highlight")}</h2>
<div class="row"><label><input type="checkbox" id="hl-on" checked>
<span id="hl-title"></span></label></div>
<div class="note" id="hl-note"></div><div id="hl-list" class="hl-list"></div></div>
<h2>{e("details")}</h2><div id="details"></div>
<h2>{e("filters")}</h2>
<div class="note">{e("themes")}</div><div id="filter-theme" class="checks"></div>
<div class="note">{e("flow_kinds")}</div><div id="filter-kind" class="checks"></div>
<div class="note">{e("statuses")}</div><div id="filter-status" class="checks"></div>
<h2>{e("legend")}</h2><div id="legend" class="legend"></div>
<footer class="note" id="credit-side"></footer>
</aside>
<main id="main"><button id="toggle" title="{e("legend")}">☰</button>
<div id="network"></div><div id="tip"></div><div id="counts"></div>
<div id="headline"></div><div id="mentions"></div><div id="mini-legend"></div>
<button id="rearrange" title="{e("rearrange_hint")}">{e("rearrange")}</button>
<div id="credit"></div></main>
</div>"""


_TITLE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("toile-data").textContent);
  var META = DATA.meta, UI = DATA.ui;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var box = document.getElementById("title-block");
  box.appendChild(el("h1", null, META.title));
  META.subtitle.forEach(function (s) { box.appendChild(el("div", "sub", s)); });
  if (META.grouped_by) {
    box.appendChild(el("div", "sub", UI.grouped_by + " : " + META.grouped_by));
  }
  box.appendChild(el("div", "sub", META.n_actors + " " + UI.actors.toLowerCase() + ", " +
    META.n_flows + " " + UI.flows.toLowerCase()));
  if (META.illustrative) { box.appendChild(el("div", "illustrative", UI.illustrative)); }
  if (META.public) { box.appendChild(el("div", "public", UI.public_version)); }
  if (META.large) { box.appendChild(el("div", "note", UI.large_note)); }
  if (META.sources.length) {
    box.appendChild(el("div", "sub", UI.sources));
    var list = el("ul", "sources");
    META.sources.forEach(function (s) { list.appendChild(el("li", null, s)); });
    box.appendChild(list);
  }
  document.getElementById("credit").textContent = META.credit;
  document.getElementById("credit-side").textContent = META.credit;
})();
"""


def html_page(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    *,
    lang: Lang = "fr",
    size_by: SizeMeasure | str = "throughflow",
    highlight: Highlight | None = None,
    layout: LayoutMethod | str = "structured",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    embed: bool = False,
) -> str:
    r"""Return the interactive page of a toile as one HTML string (see :func:`page_data`).

    This is the function other front ends reuse (the web application's toile page):
    ``embed=True`` gives the compact variant for an ``<iframe>`` (side panel closed,
    small legend, the public mention kept visible).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="<b>T</b>")
    >>> G.add_node("a", name="</script><script>alert(1)</script>", kind="entreprise")
    >>> page = html_page(G)
    >>> "<script>alert(1)" in page, r"\u003cscript\u003ealert(1)" in page
    (False, True)
    """
    data = page_data(
        G,
        lang=lang,
        size_by=size_by,
        highlight=highlight,
        layout=layout,
        seed=seed,
        large=large,
        public=public,
        embed=embed,
    )
    return page_document(
        toile_title(G, lang=lang),
        _body(lang, embed=embed),
        data=data,
        scripts=[vis_network_js(), _TITLE_JS, PAGE_JS],
        styles=[vis_network_css(), PAGE_CSS],
        lang=lang,
    )


def write_html(  # noqa: PLR0913  # keyword-only options of a visual
    G: nx.MultiDiGraph[str],
    out: Path | str,
    *,
    lang: Lang = "fr",
    size_by: SizeMeasure | str = "throughflow",
    highlight: Highlight | None = None,
    layout: LayoutMethod | str = "structured",
    seed: int = 0,
    large: int = LARGE_TOILE,
    public: bool = False,
    embed: bool = False,
) -> Path:
    """Write the interactive page of a toile to ``out`` (UTF-8) and return its path.

    See :func:`page_data` for the parameters.
    """
    path = Path(out)
    page = html_page(
        G,
        lang=lang,
        size_by=size_by,
        highlight=highlight,
        layout=layout,
        seed=seed,
        large=large,
        public=public,
        embed=embed,
    )
    path.write_text(page, encoding="utf-8")
    return path
