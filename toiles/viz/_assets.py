"""Scripts and styles inlined into the pages: vis-network (from pyvis's copy) and our own.

vis-network is read from the copy pyvis ships (``pyvis/lib/vis-<version>/``), without
importing pyvis. It is dual licensed Apache-2.0 / MIT, which allows inlining it in the
pages we write; its licence header stays at the top of the script. Its source-map comment
is removed so that no browser tries to fetch a ``.map`` file.

Our own scripts never put data into ``innerHTML``: every text from the toile goes through
``textContent`` or a canvas label, so an actor named ``<img src=x onerror=...>`` is shown
as that text and runs nothing.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from toiles.errors import ToilesError

_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=.*?\*/", re.DOTALL)
_VERSION = re.compile(r"vis-(\d+)\.(\d+)\.(\d+)$")


class AssetError(ToilesError, FileNotFoundError):
    """The vis-network script that pages inline cannot be found."""


@functools.cache
def vis_network_dir() -> Path:
    """Return the folder of the newest vis-network copy shipped by pyvis.

    Raises
    ------
    AssetError
        When pyvis or its copy of vis-network is missing.
    """
    spec = importlib.util.find_spec("pyvis")
    locations = list(spec.submodule_search_locations or []) if spec else []
    candidates: list[tuple[tuple[int, ...], Path]] = []
    for location in locations:
        for folder in (Path(location) / "lib", Path(location) / "templates" / "lib"):
            for sub in folder.glob("vis-*"):
                match = _VERSION.search(sub.name)
                if match and (sub / "vis-network.min.js").is_file():
                    candidates.append((tuple(int(g) for g in match.groups()), sub))
    if not candidates:
        msg = (
            "vis-network introuvable : le paquet pyvis (>= 0.3.2), qui en fournit une copie, "
            "doit être installé"
        )
        raise AssetError(msg)
    return max(candidates)[1]


@functools.cache
def vis_network_js() -> str:
    """Return vis-network's minified script, ready to inline (no source map, no ``</script``).

    Examples
    --------
    >>> js = vis_network_js()
    >>> "sourceMappingURL" in js, "</script" in js.lower(), "vis.js is dual licensed" in js
    (False, False, True)
    """
    text = (vis_network_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)
    return inline_safe_script(text)


@functools.cache
def vis_network_css() -> str:
    """Return vis-network's style sheet, ready to inline (its images are ``data:`` URIs).

    Examples
    --------
    >>> css = vis_network_css()
    >>> "url(http" in css, "</style" in css.lower()
    (False, False)
    """
    text = (vis_network_dir() / "vis-network.css").read_text(encoding="utf-8")
    text = _CSS_SOURCE_MAP.sub("", text)
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.IGNORECASE)


def inline_safe_script(text: str) -> str:
    r"""Make a script safe to put between ``<script>`` tags.

    ``</script`` would close the element early and ``<!--`` would switch the HTML parser
    into its escaped state; both become equivalent JavaScript (``<\/script``, ``<\!--``).

    Examples
    --------
    >>> inline_safe_script('var s = "</script>";')
    'var s = "<\\/script>";'
    """
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\!--")


PAGE_CSS = r"""
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", "Segoe UI", Arial,
  sans-serif; font-size: 14px; color: #1d1d1d; background: #fff; }
#app { display: flex; height: 100vh; width: 100vw; }
#side { width: 350px; min-width: 350px; height: 100vh; overflow-y: auto; border-right: 1px solid
  #d6d6d6; background: #fafafa; padding: 12px 14px 24px; }
#side.closed { display: none; }
#main { position: relative; flex: 1; height: 100vh; }
#network { position: absolute; inset: 0; }
#app.with-headline #network { top: 58px; }
#toggle { position: absolute; top: 8px; left: 8px; z-index: 5; border: 1px solid #bbb;
  background: #fff; border-radius: 4px; padding: 2px 8px; cursor: pointer; font-size: 16px; }
h1 { font-size: 19px; margin: 0 0 6px; line-height: 1.25; }
h2 { font-size: 14px; margin: 16px 0 6px; text-transform: uppercase; letter-spacing: .04em;
  color: #444; border-bottom: 1px solid #ddd; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.sub { color: #444; font-size: 12.5px; margin: 2px 0; }
.sources { font-size: 11.5px; color: #555; margin: 6px 0 0; padding-left: 16px; }
.sources li { margin-bottom: 2px; overflow-wrap: anywhere; }
.illustrative { margin: 8px 0; padding: 6px 8px; background: #fff3cd; border: 1px solid #e0a800;
  color: #6b4e00; font-weight: bold; font-size: 12.5px; border-radius: 4px; }
.public { margin: 8px 0; padding: 5px 8px; background: #e8f4ea; border: 1px solid #6aa874;
  font-size: 12px; border-radius: 4px; }
.note { font-size: 12px; color: #555; margin: 4px 0; }
.row { display: flex; gap: 6px; align-items: center; margin: 4px 0; flex-wrap: wrap; }
input[type=search], input[type=number] { padding: 4px 6px; border: 1px solid #bbb;
  border-radius: 4px; font: inherit; }
input[type=search] { width: 100%; }
input[type=number] { width: 60px; }
button { font: inherit; font-size: 12.5px; padding: 3px 8px; border: 1px solid #aaa;
  background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { background: #eef3fb; }
.results button { display: block; width: 100%; text-align: left; margin: 2px 0;
  border-color: #ddd; overflow-wrap: anywhere; }
.checks label { display: flex; align-items: center; gap: 5px; font-size: 12.5px;
  margin: 2px 0; cursor: pointer; }
.legend .item { display: flex; align-items: center; gap: 8px; font-size: 12.5px; margin: 3px 0; }
.legend svg { flex: none; }
.legend .text { font-size: 12px; color: #444; margin: 6px 0; }
#details table, #tip table { border-collapse: collapse; width: 100%; }
#details td, #tip td { padding: 2px 4px; vertical-align: top; font-size: 12.5px;
  overflow-wrap: anywhere; }
#details td.k, #tip td.k { color: #555; white-space: nowrap; padding-right: 8px; }
#tip { position: absolute; z-index: 10; display: none; max-width: 360px; background: #fff;
  border: 1px solid #999; border-radius: 4px; padding: 6px 8px; pointer-events: none;
  box-shadow: 0 2px 8px rgba(0,0,0,.2); }
#tip .t { font-weight: bold; margin-bottom: 3px; overflow-wrap: anywhere; }
#counts { position: absolute; right: 10px; top: 8px; z-index: 5; font-size: 12px;
  background: rgba(255,255,255,.85); padding: 2px 6px; border-radius: 3px; }
#credit { position: absolute; left: 10px; right: 10px; bottom: 6px; z-index: 5; font-size: 11px;
  color: #444; background: rgba(255,255,255,.8); padding: 2px 6px; pointer-events: none; }
.hl-list button { display: block; width: 100%; text-align: left; margin: 2px 0; }
.hl-layer { display: flex; align-items: center; gap: 6px; margin: 3px 0; font-size: 12.5px; }
.hl-layer .sw { width: 14px; height: 14px; border-radius: 3px; flex: none; }
.hl-layer span.t { flex: 1; overflow-wrap: anywhere; min-width: 0; }
.hl-list .hl-layer button { display: inline-block; width: auto; flex: none; margin: 0; }
.flows-list button { display: block; width: 100%; text-align: left; margin: 2px 0;
  font-size: 12px; border-color: #ddd; overflow-wrap: anywhere; }
#headline { position: absolute; left: 48px; top: 6px; z-index: 5; display: flex; gap: 4px 14px;
  flex-wrap: wrap; background: #fff; border: 1px solid #d6d6d6; max-height: 48px;
  overflow: hidden; border-radius: 6px; padding: 4px 10px; max-width: calc(100% - 360px); }
#headline .fig { display: flex; align-items: baseline; gap: 4px; font-size: 12px; color: #333; }
#headline .fig b { font-size: 15px; color: #1F3A5F; }
#mentions { position: absolute; right: 10px; top: 6px; z-index: 6; display: flex;
  flex-direction: column; gap: 4px; align-items: flex-end; max-width: 300px; }
#mentions div { margin: 0; padding: 3px 8px; font-size: 12px; }
#counts { top: auto; bottom: 26px; }
#rearrange { position: absolute; right: 10px; bottom: 52px; z-index: 5; }
#mini-legend { display: none; }
.embed #mini-legend, .narrow #mini-legend { display: block; position: absolute; left: 8px;
  bottom: 26px; z-index: 5;
  background: rgba(255,255,255,.9); border: 1px solid #d6d6d6; border-radius: 6px;
  padding: 3px 6px; font-size: 10.5px; max-width: 52%; }
.embed #mini-legend .item, .narrow #mini-legend .item { display: inline-flex;
  align-items: center; gap: 4px; margin-right: 8px; }
.embed #headline { left: 44px; max-width: calc(100% - 250px); gap: 2px 10px; padding: 3px 8px; }
.embed #headline .fig { font-size: 11px; }
.embed #headline .fig b { font-size: 13px; }
.embed #mentions { max-width: 190px; font-size: 11px; }
.embed #side { width: 300px; min-width: 300px; position: absolute; z-index: 8; left: 0; top: 0; }
.narrow #side { position: absolute; z-index: 8; left: 0; top: 0;
  box-shadow: 2px 0 10px rgba(0,0,0,.25); }
.narrow #network { bottom: 24px; }
.narrow #mini-legend { bottom: 2px; left: 8px; max-width: 55%; white-space: nowrap;
  overflow: hidden; border: none; background: none; padding: 2px 0; }
.narrow #credit { left: auto; right: 8px; bottom: 4px; max-width: 45%; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; font-size: 10px; background: none; }
#app:not(.embed) #rearrange { bottom: auto; top: 64px; }
.narrow #side.closed + #main #counts { display: none; }
.narrow #toggle { z-index: 9; }
.narrow #side:not(.closed) + #main #toggle { left: 358px; }
#headline .title { font-weight: bold; font-size: 15px; color: #12343B; }
"""

PAGE_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("toile-data").textContent);
  var UI = DATA.ui, META = DATA.meta, PAL = DATA.palette, FIELDS = DATA.fields, VOC = DATA.vocab;
  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  // Actors and flows come as columns (one list per field, null where absent, attributes
  // under "a"): a large page stays small and quick to write; the records are made here.
  function records(table) {
    var attrs = table.a || {}, keys = Object.keys(table).filter(function (k) {
      return k !== "a";
    }), names = Object.keys(attrs), size = table.id.length, out = new Array(size);
    for (var i = 0; i < size; i++) {
      var r = {}, x = {}, j, v;
      for (j = 0; j < keys.length; j++) {
        v = table[keys[j]][i];
        if (v !== null) { r[keys[j]] = v; }
      }
      for (j = 0; j < names.length; j++) {
        v = attrs[names[j]][i];
        if (v !== null) { x[names[j]] = v; }
      }
      r.a = x;
      out[i] = r;
    }
    return out;
  }
  DATA.actors = records(DATA.actors);
  DATA.flows = records(DATA.flows);
  // On a laptop screen the toile takes the whole width, so that its names can be read
  // without zooming: the side panel opens over it on demand (☰, or a click on an actor).
  // An analysis page keeps it open: its list is what the reader came for.
  var NARROW = !META.embed && !DATA.highlight && window.innerWidth < (META.narrow_px || 1600);
  if (NARROW) {
    document.getElementById("app").classList.add("narrow");
    document.getElementById("side").classList.add("closed");
  }
  var LOCALE = META.lang === "en" ? "en-GB" : "fr-FR", formats = {};

  // Numbers the reader's way, at most 4 significant digits (as toiles.viz.style.format_number).
  function num(value) {
    var v = Number(value);
    if (!isFinite(v) || v === 0) { return String(value); }
    var d = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(v))));
    if (!own(formats, d)) {
      formats[d] = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: d });
    }
    return formats[d].format(v);
  }
  function voc(name, value) {
    var table = own(VOC, name) ? VOC[name] : {};
    return own(table, value) ? table[value] : String(value);
  }
  function add(out, key, x, text) {
    if (own(x, key)) { out.push([key, text === undefined ? String(x[key]) : text]); }
  }
  function actorFields(a) {
    if (a.fields) { return a.fields; }
    var x = a.a || {}, out = [["kind", voc("actor_kind", a.kind)], ["id", a.id]];
    if (own(x, "count")) { out.push(["members", num(x.count)]); }
    add(out, "siret", x);
    if (own(x, "naf")) {
      var n = String(x.naf);
      out.push(["naf", own(DATA.naf || {}, n) ? n + " \u2014 " + DATA.naf[n] : n]);
    }
    if (own(x, "employees")) { out.push(["employees", num(x.employees)]); }
    if (own(x, "commune_insee")) {
      var c = String(x.commune_insee);
      out.push(["commune_insee", own(DATA.communes, c) ? DATA.communes[c] + " (" + c + ")" : c]);
    }
    if (own(x, "epci")) {
      out.push(["epci", own(DATA.epci, x.epci) ? DATA.epci[x.epci] : String(x.epci)]);
    }
    add(out, "zae", x);
    if (own(x, "tags")) { out.push(["tags", [].concat(x.tags).join(", ")]); }
    if (own(x, "confidentiality") && x.confidentiality !== "public") {
      out.push(["confidentiality", voc("confidentiality", x.confidentiality)]);
    }
    add(out, "provenance", x); add(out, "description", x);
    a.fields = out;
    return out;
  }
  function flowFields(f) {
    if (f.fields) { return f.fields; }
    var x = f.a || {}, out = [["kind", voc("flow_kind", f.kind)]];
    out.push(["quantity", own(x, "quantity") ?
      (num(x.quantity) + " " + (own(x, "unit") ? x.unit : "")).trim() : UI.no_quantity]);
    if (own(x, "count")) { out.push(["count", num(x.count)]); }
    add(out, "year", x);
    out.push(["status", voc("status", f.status)]);
    if (own(x, "confidentiality") && x.confidentiality !== "public") {
      out.push(["confidentiality", voc("confidentiality", x.confidentiality)]);
    }
    if (own(x, "confidence")) { out.push(["confidence", voc("confidence", x.confidence)]); }
    add(out, "provenance", x); add(out, "notes", x);
    out.push(["id", f.id]);
    f.fields = out;
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function shorten(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + "\u2026" : s; }
  function byId(id) { return document.getElementById(id); }
  // A name on at most `lines` lines of about `width` characters, « … » when longer (as the
  // posters' wrap_label).
  function wrapLabel(name, width, lines) {
    // words, and the parts of hyphenated words (a line may end after a hyphen)
    var words = String(name).replace(/-(?=\S)/g, "-\u0000").split(/\s+/), out = [], line = "";
    if (String(name).length <= width) { return String(name); }
    words.forEach(function (word) {
      word.split("\u0000").forEach(function (w, i) {
        var glue = i > 0 ? "" : " ";
        // a word a little longer than the line keeps its letters together on a line of
        // its own (« Méthanisation », not « Méthanisatio / n »); only a very long one is cut
        while (w.length > Math.round(width * 1.5)) {
          if (line) { out.push(line); line = ""; }
          out.push(w.slice(0, width)); w = w.slice(width);
        }
        if (w.length > width) {
          if (line) { out.push(line); }
          out.push(w); line = ""; return;
        }
        if (!line) { line = w; }
        else if (line.length + glue.length + w.length <= width) { line += glue + w; }
        else { out.push(line); line = w; }
      });
    });
    if (line) { out.push(line); }
    if (out.length > lines) {
      var last = out.slice(lines - 1).join(" ").replace(/- /g, "-");
      out = out.slice(0, lines - 1).concat([shorten(last, width)]);
    }
    return out.join("\n");
  }

  // ---- data -> vis items -------------------------------------------------------------
  var actorById = new Map(), flowById = new Map(), adjacency = new Map();
  var baseNodes = new Map(), baseEdges = new Map();
  var nodeItems = DATA.actors.map(function (a) {
    actorById.set(a.id, a);
    adjacency.set(a.id, []);
    var c = a.color || (own(PAL.actor, a.kind) ? PAL.actor[a.kind] : PAL.actorDefault);
    var item = {
      id: a.id, size: a.size, kind: a.kind,
      label: wrapLabel(a.label, META.label_chars || 13, 3) + (a.summary ? "\n" + a.summary : ""),
      hidden: !!a.hidden,
      shape: a.shape || (own(PAL.shape, a.kind) ? PAL.shape[a.kind] : "dot"),
      color: { background: c, border: "#333333",
        highlight: { background: c, border: "#000000" },
        hover: { background: c, border: "#000000" } },
      borderWidth: 1.5, opacity: 1
    };
    if (a.x !== undefined) { item.x = a.x; item.y = a.y; }
    // In the small embedded view, the main actors' names are written larger so that they
    // stay readable when the whole toile fits 800 x 500 pixels; the others show on zoom.
    if (META.embed && a.imp >= 0.3) { item.font = { size: 30, bold: true }; }
    baseNodes.set(a.id, item);
    return item;
  });
  var outFlows = new Map(), inFlows = new Map();
  // Grouped views write the quantity on the widest links between groups: 12 at most, one per
  // pair of groups (parallel links would print their figures on top of each other).
  var labelled = new Set(), labelledPairs = new Set();
  DATA.flows.slice().sort(function (a, b) { return b.width - a.width; }).forEach(function (f) {
    var pair = f.from < f.to ? f.from + "\u0000" + f.to : f.to + "\u0000" + f.from;
    if (labelled.size < 12 && f.q && !labelledPairs.has(pair)) {
      labelled.add(f.id); labelledPairs.add(pair);
    }
  });
  var edgeItems = DATA.flows.map(function (f) {
    flowById.set(f.id, f);
    adjacency.get(f.from).push(f.to);
    adjacency.get(f.to).push(f.from);
    if (!outFlows.has(f.from)) { outFlows.set(f.from, []); }
    if (!inFlows.has(f.to)) { inFlows.set(f.to, []); }
    outFlows.get(f.from).push(f); inFlows.get(f.to).push(f);
    var c = own(PAL.flow, f.kind) ? PAL.flow[f.kind] : PAL.flowDefault;
    var item = {
      id: f.id, from: f.from, to: f.to, width: f.width, kind: f.kind, status: f.status,
      theme: own(PAL.themeOf, f.kind) ? PAL.themeOf[f.kind] : "",
      dashes: own(PAL.dashes, f.status) ? PAL.dashes[f.status] : false,
      color: { color: c, highlight: c, hover: c, opacity: 0.85 }
    };
    if (META.grouped_by && f.q && labelled.has(f.id)) {
      item.label = f.q;  // "horizontal": vis-network misplaces "middle" labels of leftward edges
      item.font = { size: 11, color: "#333", strokeWidth: 3, align: "horizontal" };
    }
    baseEdges.set(f.id, item);
    return item;
  });

  var H = DATA.highlight, showExtra = true;
  if (H) {
    H.links.forEach(function (l, i) {
      var id = "hl-link:" + i, f = { id: id, from: l[0], to: l[1],
        fields: [["kind", H.title], ["notes", l[2]]] };
      flowById.set(id, f);
      edgeItems.push({ id: id, from: l[0], to: l[1], width: 3, kind: "", status: "", theme: "",
        extra: true, dashes: [6, 5], label: l[2],
        font: { size: 12, color: H.color, strokeWidth: 3, strokeColor: "#ffffff" },
        color: { color: H.color, highlight: H.color, hover: H.color, opacity: 1 } });
    });
  }
  // ---- big toiles open aggregated: one node per group of the layout, the hubs on their own
  var AGG = !!META.aggregated, expanded = new Set(), groupOf = new Map();
  if (AGG) {
    DATA.actors.forEach(function (a) {
      if (a.g !== undefined && !a.hub) { groupOf.set(a.id, a.g); }
    });
  }
  function shownAs(id) {
    var g = groupOf.get(id);
    return (g === undefined || expanded.has(g)) ? id : "group:" + g;
  }
  var groupItems = [];
  if (AGG) {
    var span = 1;
    DATA.regions.forEach(function (r) { span = Math.max(span, r.x1); });
    var big = Math.max(16, span / 70);
    DATA.regions.forEach(function (r, i) {
      var fs = Math.max(14, Math.min(big, (r.x1 - r.x0) / 9, (r.y1 - r.y0) / 4));
      groupItems.push({ id: "group:" + i, groupIndex: i, shape: "box", borderWidth: 2,
        label: r.title + "\n" + r.n + " " + UI.actors.toLowerCase(),
        x: (r.x0 + r.x1) / 2, y: (r.y0 + r.y1) / 2, margin: fs / 2,
        font: { size: fs, color: "#12343B" },
        color: { background: "#E0F2F1", border: "#00838F",
          highlight: { background: "#B2DFDB", border: "#00695C" } } });
    });
    // The hubs' names, written large; a name that would run into a larger hub's is left to
    // the tooltip (greedy, largest first).
    var kept = [];
    nodeItems.filter(function (item) { return actorById.get(item.id).hub; })
      .sort(function (p, q) { return actorById.get(q.id).imp - actorById.get(p.id).imp; })
      .forEach(function (item) {
        var fs = big * 0.45, lines = String(item.label).split("\n");
        var w = Math.max.apply(null, lines.map(function (l) { return l.length; })) * fs * 0.62;
        var h = lines.length * fs * 1.25 + item.size * 2;
        var box = [item.x - w / 2, item.y - item.size, item.x + w / 2, item.y + h];
        var clash = kept.some(function (o) {
          return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3];
        });
        if (clash) { item.label = " "; return; }
        kept.push(box);
        item.font = { size: fs, bold: true };
      });
  }
  // A label that would run into its neighbour's (a long word is never cut) is written just
  // small enough to clear it: measured with the page's own font, before the first drawing.
  var LABEL_PX = 21, LABEL_FACE = "DejaVu Sans, Segoe UI, Arial, sans-serif";
  function clearLabels(items) {
    var ctx = document.createElement("canvas").getContext("2d"), boxes = [];
    if (!ctx || items.length > 400) { return 0; }
    items.forEach(function (it) {
      if (it.hidden || it.x === undefined || !it.label) { return; }
      // the embed's main names are larger and bold
      var px = (it.font && it.font.size) || LABEL_PX, bold = !!(it.font && it.font.bold);
      ctx.font = (bold ? "bold " : "") + px + "px " + LABEL_FACE;
      var lines = String(it.label).split("\n"), w = 0;
      lines.forEach(function (l) { w = Math.max(w, ctx.measureText(l).width + 6); });
      var top = it.y + it.size + 5;
      boxes.push({ item: it, x: it.x, w: w, top: top, px: px, bold: bold,
        bottom: top + lines.length * px * 1.2, scale: 1 });
    });
    var shrunk = 0;
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.top >= b.bottom || b.top >= a.bottom) { continue; }
        var room = Math.abs(a.x - b.x) - 4;
        if ((a.w * a.scale + b.w * b.scale) / 2 <= room) { continue; }
        if (a.px !== b.px) {
          // the embed's main names, written larger, keep their size: their neighbour gives way
          var big = a.px > b.px ? a : b, small = big === a ? b : a;
          small.scale = Math.min(small.scale, Math.max(0.6,
            (2 * room - big.w * big.scale) / small.w));
          continue;
        }
        var s = Math.max(0.6, 2 * room / (a.w * a.scale + b.w * b.scale));
        a.scale = Math.min(a.scale, a.scale * s); b.scale = Math.min(b.scale, b.scale * s);
      }
    }
    boxes.forEach(function (bx) {
      if (bx.scale < 1) {
        bx.item.font = { size: Math.floor(bx.px * bx.scale * 10) / 10 };
        if (bx.bold) { bx.item.font.bold = true; }
        shrunk += 1;
      }
    });
    return shrunk;
  }
  var labelsShrunk = AGG ? 0 : clearLabels(nodeItems);
  // group boxes first, so that they are drawn under the hubs (which stay clickable)
  var nodes = new vis.DataSet(groupItems), edges = new vis.DataSet(edgeItems);
  nodes.add(nodeItems);
  var aggCounts = new Map();  // the links drawn between groups: their flows' count, by ends
  function recomputeGroups() {
    if (!AGG) { return; }
    var pairs = new Map();
    DATA.flows.forEach(function (f) {
      var a = shownAs(f.from), b = shownAs(f.to);
      if ((a === f.from && b === f.to) || a === b) { return; }
      var key = a + "\u0000" + b;
      pairs.set(key, (pairs.get(key) || 0) + 1);
    });
    // Only the links that change are touched: opening a group replaces its few hundred links,
    // not the thousands between the other groups (re-adding them all took a third of a second).
    var gone = [], changed = [], items = [];
    aggCounts.forEach(function (count, key) {
      if (!pairs.has(key)) { gone.push("agg:" + key); aggCounts.delete(key); }
    });
    pairs.forEach(function (count, key) {
      var before = aggCounts.get(key), width = Math.min(1 + Math.log(count) * 1.6, 12);
      aggCounts.set(key, count);
      if (before === count) { return; }
      if (before !== undefined) {
        changed.push({ id: "agg:" + key, count: count, width: width });
        return;
      }
      var ab = key.split("\u0000");
      items.push({ id: "agg:" + key, from: ab[0], to: ab[1], agg: true, kind: "", status: "",
        theme: "", count: count, width: width, dashes: false,
        color: { color: "#7C8EA3", highlight: "#37474F", hover: "#37474F", opacity: 0.55 } });
    });
    edges.remove(gone);
    edges.update(changed);
    edges.add(items);
  }
  var active = { kind: new Set(), status: new Set(), theme: new Set() };
  var focusSet = null, layerEdges = null;
  edgeItems.forEach(function (e) {
    if (!e.extra) {
      active.kind.add(e.kind); active.status.add(e.status); active.theme.add(e.theme);
    }
  });
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) {
      if (n.groupIndex !== undefined) { return !expanded.has(n.groupIndex) && focusSet === null; }
      if (AGG && shownAs(n.id) !== n.id) { return false; }
      return focusSet === null || focusSet.has(n.id);
    }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      if (e.agg) { return focusSet === null; }
      if (AGG && (shownAs(e.from) !== e.from || shownAs(e.to) !== e.to)) { return false; }
      if (e.extra) {
        return showExtra && (focusSet === null || (focusSet.has(e.from) && focusSet.has(e.to)));
      }
      if (!active.kind.has(e.kind) || !active.status.has(e.status) || !active.theme.has(e.theme)) {
        return false;
      }
      if (layerEdges !== null && !layerEdges.has(e.id)) { return false; }
      return focusSet === null || (focusSet.has(e.from) && focusSet.has(e.to));
    }
  });

  var large = META.large;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    // The layout comes computed from Python: the page opens still. Physics runs only when
    // the reader asks (« Réorganiser ») and stops by itself.
    physics: { enabled: false, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 120, avoidOverlap: 0.6 },
      stabilization: { enabled: false } },
    interaction: { hover: true, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      tooltipDelay: 120, multiselect: false, keyboard: false },
    nodes: { font: { size: LABEL_PX, face: LABEL_FACE,
      strokeWidth: 3, strokeColor: "#ffffff" } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      smooth: large ? false : { enabled: true, type: "curvedCW", roundness: 0.15 },
      selectionWidth: 2, hoverWidth: 1 }
  };
  var container = byId("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // ---- regions of the structured layout (bands, business parks, sectors) ---------------
  var REGION_STYLE = { band: ["#F3F4F6", null, "#4B5563"], zae: ["#F6EFE2", "#B89B6A", "#6B5330"],
    section: ["#FFFFFF", "#C9D3E0", "#3F5A7A"] };
  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y); ctx.lineTo(x + w - r, y); ctx.quadraticCurveTo(x + w, y, x + w, y + r);
    ctx.lineTo(x + w, y + h - r); ctx.quadraticCurveTo(x + w, y + h, x + w - r, y + h);
    ctx.lineTo(x + r, y + h); ctx.quadraticCurveTo(x, y + h, x, y + h - r);
    ctx.lineTo(x, y + r); ctx.quadraticCurveTo(x, y, x + r, y); ctx.closePath();
  }
  // An area's title as large as the actors' names when it fits; else a little smaller, then
  // the park's kind abbreviated as the agencies write it (« ZA de … »), then smaller still
  // (13 px at least), then shortened at a word (as the posters' fit_title).
  var ABBREVIATIONS = [["Zone d'activités économiques ", "ZAE "], ["Zone d'activités ", "ZA "],
    ["Zone d'activité ", "ZA "], ["Zone industrielle ", "ZI "], ["Parc d'activités ", "PA "]];
  function fitTitle(ctx, title, room) {
    var size = LABEL_PX;
    function wide(text, px) {
      ctx.font = "bold " + px + "px " + LABEL_FACE;
      return ctx.measureText(text).width;
    }
    var w = wide(title, size);
    if (w <= room) { return [title, size]; }
    if (w * 0.8 <= room) { return [title, Math.floor(size * room / w)]; }
    var short = title;
    ABBREVIATIONS.some(function (p) {
      if (title.indexOf(p[0]) !== 0) { return false; }
      short = p[1] + title.slice(p[0].length);
      return true;
    });
    size = Math.max(13, Math.min(size, Math.floor(size * room / wide(short, size))));
    var words = short.split(" ");
    while (words.length > 1 && wide(short, size) > room) {
      words.pop();
      short = words.join(" ") + "\u2026";
    }
    return [short, size];
  }
  var showRegions = DATA.regions.length > 0;
  network.on("beforeDrawing", function (ctx) {
    if (!showRegions) { return; }
    DATA.regions.forEach(function (r) {
      var st = own(REGION_STYLE, r.kind) ? REGION_STYLE[r.kind] : REGION_STYLE.section;
      roundRect(ctx, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0, 14);
      ctx.fillStyle = st[0]; ctx.fill();
      if (st[1]) {
        ctx.setLineDash(r.kind === "section" ? [6, 4] : []);
        ctx.strokeStyle = st[1]; ctx.lineWidth = 1.2; ctx.stroke(); ctx.setLineDash([]);
      }
      if (r.title) {
        ctx.save();
        roundRect(ctx, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0, 14); ctx.clip();
        if (!r.fit) { r.fit = fitTitle(ctx, r.title, r.x1 - r.x0 - 20); }
        ctx.font = "bold " + r.fit[1] + "px " + LABEL_FACE;
        ctx.fillStyle = st[2];
        ctx.textBaseline = "top"; ctx.fillText(r.fit[0], r.x0 + 10, r.y0 + 7);
        ctx.restore();
      }
    });
  });

  var readyResolve;
  var ready = new Promise(function (resolve) { readyResolve = resolve; });
  network.once("afterDrawing", function () {
    window.__toilesDrawnAt = performance.now();
    readyResolve(true);
  });

  // ---- text blocks -------------------------------------------------------------------
  function fieldTable(pairs, limit) {
    var table = el("table");
    pairs.slice(0, limit || pairs.length).forEach(function (p) {
      var tr = el("tr");
      tr.appendChild(el("td", "k", own(FIELDS, p[0]) ? FIELDS[p[0]] : p[0]));
      tr.appendChild(el("td", "v", p[1]));
      table.appendChild(tr);
    });
    return table;
  }
  function actorCard(a, limit) {
    var box = el("div");
    box.appendChild(el("div", "t", a.label));
    box.appendChild(fieldTable(actorFields(a), limit));
    return box;
  }
  function flowTitle(f) {
    var s = actorById.get(f.from), t = actorById.get(f.to);
    return (s ? s.label : f.from) + " \u2192 " + (t ? t.label : f.to);
  }
  function flowCard(f, limit) {
    var box = el("div");
    box.appendChild(el("div", "t", flowTitle(f)));
    box.appendChild(fieldTable(flowFields(f), limit));
    return box;
  }

  // ---- tooltip -----------------------------------------------------------------------
  var tip = byId("tip");
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.style.display = "block";
    var x = pointer ? pointer.x : 20, y = pointer ? pointer.y : 20;
    var w = container.clientWidth;
    tip.style.left = Math.min(x + 14, Math.max(0, w - 370)) + "px";
    tip.style.top = (y + 14) + "px";
  }
  function hideTip() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) {
    var a = actorById.get(p.node);
    if (a) { showTip(actorCard(a, 9), p.pointer && p.pointer.DOM); }
  });
  network.on("hoverEdge", function (p) {
    var f = flowById.get(p.edge);
    if (f) { showTip(flowCard(f, 8), p.pointer && p.pointer.DOM); }
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---- details panel -----------------------------------------------------------------
  var details = byId("details");
  var selected = null;
  function showDetails(content) {
    details.replaceChildren(content);
    window.toiles.lastDetails = details.textContent;
  }
  function flowLine(f, outgoing) {
    var other = actorById.get(outgoing ? f.to : f.from);
    var parts = [(outgoing ? "\u2192 " : "\u2190 ") + (other ? other.label : ""),
      voc("flow_kind", f.kind), f.q || (own(f.a || {}, "quantity") ?
        (num(f.a.quantity) + " " + (f.a.unit || "")).trim() : UI.no_quantity),
      voc("status", f.status)];
    var b = el("button", null, parts.join(" \u00b7 "));
    b.dataset.flow = f.id;
    b.addEventListener("click", function () { showFlow(f.id); });
    return b;
  }
  function flowList(title, list, outgoing) {
    var box = el("div", "flows-list");
    box.appendChild(el("div", "text", title + " (" + list.length + ")"));
    if (!list.length) { box.appendChild(el("div", "note", UI.no_flow)); }
    list.slice(0, 80).forEach(function (f) { box.appendChild(flowLine(f, outgoing)); });
    return box;
  }
  function actorDetails(a) {
    var box = actorCard(a);
    box.appendChild(flowList(UI.flows_out, outFlows.get(a.id) || [], true));
    box.appendChild(flowList(UI.flows_in, inFlows.get(a.id) || [], false));
    return box;
  }
  function expandGroup(i) {
    if (!AGG || expanded.has(i) || !DATA.regions[i]) { return 0; }
    expanded.add(i);
    recomputeGroups();
    refresh();
    var r = DATA.regions[i], members = [];
    DATA.actors.forEach(function (a) { if (a.g === i) { members.push(a.id); } });
    showDetails(el("div", "t", r.title + " \u2014 " + r.n + " " + UI.actors.toLowerCase()));
    if (members.length) { network.fit({ nodes: members, animation: false }); }
    return members.length;
  }
  function selectActor(id, move) {
    var a = actorById.get(id);
    if (!a) { return false; }
    if (AGG && groupOf.has(id) && !expanded.has(groupOf.get(id))) { expandGroup(groupOf.get(id)); }
    selected = id;
    if (NARROW) { byId("side").classList.remove("closed"); }
    byId("focus-name").textContent = a.label;
    showDetails(actorDetails(a));
    if (nodeView.get(id)) {
      network.selectNodes([id]);
      if (move) { network.focus(id, { scale: 1.1, animation: false }); }
    }
    return true;
  }
  function showFlow(id) {
    var f = flowById.get(id);
    if (!f) { return false; }
    var card = flowCard(f), ends = el("div", "row");
    [f.from, f.to].forEach(function (end) {
      var a = actorById.get(end);
      if (!a) { return; }
      var b = el("button", null, a.label);
      b.addEventListener("click", function () { selectActor(end, true); });
      ends.appendChild(b);
    });
    card.appendChild(ends);
    showDetails(card);
    if (edgeView.get(id)) { network.selectEdges([id]); }
    if (byId("side").classList.contains("closed")) { byId("side").classList.remove("closed"); }
    return true;
  }
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length && String(p.nodes[0]).indexOf("group:") === 0) {
      expandGroup(parseInt(String(p.nodes[0]).slice(6), 10));
    } else if (p.nodes.length) { selectActor(p.nodes[0], false); }
    else if (p.edges.length) { showFlow(p.edges[0]); }
    else { details.replaceChildren(el("p", "note", UI.click_hint)); }
    window.toiles.lastClick = { nodes: p.nodes.slice(), edges: p.edges.slice(),
      at: performance.now() };
  });

  // ---- counts ------------------------------------------------------------------------
  function updateCounts() {
    byId("counts").textContent = nodeView.length + " " + UI.actors.toLowerCase() + ", " +
      edgeView.length + " " + UI.flows.toLowerCase() + " " + UI.visible;
  }
  function refresh() { nodeView.refresh(); edgeView.refresh(); updateCounts(); }

  // ---- search ------------------------------------------------------------------------
  var searchIndex = DATA.actors.map(function (a) { return [fold(a.label + " " + a.id), a.id]; });
  function search(query) {
    var q = fold(query).trim(), results = byId("results"), found = [];
    results.replaceChildren();
    if (!q) { return found; }
    for (var i = 0; i < searchIndex.length && found.length < 12; i++) {
      if (searchIndex[i][0].indexOf(q) !== -1) { found.push(searchIndex[i][1]); }
    }
    if (!found.length) { results.appendChild(el("p", "note", UI.no_match)); }
    found.forEach(function (id) {
      var b = el("button", null, actorById.get(id).label);
      b.addEventListener("click", function () { selectActor(id, true); });
      results.appendChild(b);
    });
    return found;
  }
  byId("search").addEventListener("input", function (e) { search(e.target.value); });
  byId("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var found = search(e.target.value);
      if (found.length) { selectActor(found[0], true); }
    }
  });

  // ---- focus on an actor and its neighbours ------------------------------------------
  function neighbourhood(id, steps) {
    var seen = new Set([id]), frontier = [id];
    for (var s = 0; s < steps; s++) {
      var next = [];
      frontier.forEach(function (n) {
        (adjacency.get(n) || []).forEach(function (m) {
          if (!seen.has(m)) { seen.add(m); next.push(m); }
        });
      });
      frontier = next;
    }
    return seen;
  }
  function focusOn(id, steps) {
    if (!actorById.has(id)) { return 0; }
    focusSet = neighbourhood(id, Math.max(1, steps | 0));
    refresh();
    network.fit({ nodes: Array.from(focusSet), animation: false });
    selectActor(id, false);
    return focusSet.size;
  }
  // The whole drawing (areas included) as large as the canvas allows: vis-network's own
  // fit leaves a margin for every label, this one only a few pixels.
  function fitToile() {
    if (!DATA.regions.length || AGG) { network.fit({ animation: false }); return; }
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    function grow(a, b, c, d) {
      x0 = Math.min(x0, a); y0 = Math.min(y0, b); x1 = Math.max(x1, c); y1 = Math.max(y1, d);
    }
    DATA.regions.forEach(function (r) { grow(r.x0, r.y0, r.x1, r.y1); });
    nodeItems.forEach(function (n) {
      if (!n.hidden) { grow(n.x - n.size, n.y - n.size, n.x + n.size, n.y + n.size); }
    });
    // the legend, credit and counts drawn over the bottom of the canvas are left free
    var box = container.getBoundingClientRect(), free = box.bottom;
    ["mini-legend", "credit", "counts", "rearrange"].forEach(function (id) {
      var r = byId(id).getBoundingClientRect();
      if (r.height > 0 && r.top < free && r.top > box.top + box.height / 2) { free = r.top; }
    });
    var w = box.width - 16, h = free - box.top - 16;
    if (!(x1 > x0) || !(y1 > y0) || w <= 0 || h <= 0) { network.fit({ animation: false }); return; }
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
      offset: { x: 0, y: -(box.bottom - free) / 2 },
      scale: Math.min(w / (x1 - x0), h / (y1 - y0), 1), animation: false });
  }
  function showAll() {
    focusSet = null; layerEdges = null; refresh(); fitToile();
  }
  function isolateLayer(i) {
    if (!H || !H.layers || !H.layers[i]) { return null; }
    var layer = H.layers[i];
    focusSet = new Set(layer.nodes); layerEdges = new Set(layer.edges);
    refresh();
    network.fit({ nodes: layer.nodes, animation: false });
    return { nodes: nodeView.length, edges: edgeView.length };
  }
  byId("focus-go").addEventListener("click", function () {
    if (selected !== null) { focusOn(selected, parseInt(byId("focus-steps").value, 10) || 1); }
  });
  byId("focus-all").addEventListener("click", showAll);

  // ---- filters -----------------------------------------------------------------------
  function swatchLine(color, dashes) {
    var s = svgEl("svg", { width: 30, height: 12, viewBox: "0 0 30 12" });
    var line = svgEl("line", { x1: 1, y1: 6, x2: 29, y2: 6, stroke: color, "stroke-width": 3 });
    if (dashes && dashes.length) { line.setAttribute("stroke-dasharray", dashes.join(" ")); }
    s.appendChild(line);
    return s;
  }
  function swatchShape(color, shape) {
    var s = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18" }), sh;
    var st = { fill: color, stroke: "#333", "stroke-width": 1 };
    var points = { diamond: "9,1 17,9 9,17 1,9", triangle: "9,2 16,15 2,15",
      triangleDown: "2,3 16,3 9,16", hexagon: "5,2 13,2 17,9 13,16 5,16 1,9" };
    if (shape === "square") {
      sh = svgEl("rect", Object.assign({ x: 3, y: 3, width: 12, height: 12 }, st));
    } else if (own(points, shape)) {
      sh = svgEl("polygon", Object.assign({ points: points[shape] }, st));
    } else { sh = svgEl("circle", Object.assign({ cx: 9, cy: 9, r: 7 }, st)); }
    s.appendChild(sh);
    return s;
  }
  function checkboxes(boxId, name, entries) {
    var box = byId(boxId);
    entries.forEach(function (entry) {
      var label = el("label"), input = el("input");
      input.type = "checkbox"; input.checked = true; input.dataset.value = entry.value;
      input.addEventListener("change", function () {
        if (input.checked) { active[name].add(entry.value); }
        else { active[name].delete(entry.value); }
        refresh();
      });
      label.appendChild(input);
      if (entry.swatch) { label.appendChild(entry.swatch); }
      label.appendChild(el("span", null, entry.label));
      box.appendChild(label);
    });
    if (entries.length > 3) {
      var row = el("div", "row");
      var all = el("button", null, UI.all), none = el("button", null, UI.none);
      all.addEventListener("click", function () { setAll(box, name, true); });
      none.addEventListener("click", function () { setAll(box, name, false); });
      row.appendChild(all); row.appendChild(none); box.appendChild(row);
    }
  }
  function setAll(box, name, on) {
    box.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      input.checked = on;
      if (on) { active[name].add(input.dataset.value); }
      else { active[name].delete(input.dataset.value); }
    });
    refresh();
  }
  var legend = DATA.legend;
  checkboxes("filter-theme", "theme", DATA.themes.map(function (t) {
    return { value: t[0], label: t[1] };
  }));
  checkboxes("filter-kind", "kind", legend.filter(function (e) { return e.group === "flow_kind"; })
    .map(function (e) {
      return { value: e.value, label: e.label, swatch: swatchLine(e.color, false) };
    }));
  checkboxes("filter-status", "status", legend.filter(function (e) { return e.group === "status"; })
    .map(function (e) {
      return { value: e.value, label: e.label, swatch: swatchLine("#444", e.dashes) };
    }));

  // ---- legend ------------------------------------------------------------------------
  var legendBox = byId("legend"), lastGroup = null;
  var groupTitles = { actor_kind: UI.actor_kinds, shape: UI.shapes, flow_kind: UI.flow_kinds,
    status: UI.statuses };
  legend.forEach(function (e) {
    if (e.group !== lastGroup) {
      legendBox.appendChild(el("div", "text", groupTitles[e.group]));
      lastGroup = e.group;
    }
    var item = el("div", "item");
    if (e.group === "flow_kind") { item.appendChild(swatchLine(e.color, false)); }
    else if (e.group === "status") { item.appendChild(swatchLine("#444", e.dashes)); }
    else { item.appendChild(swatchShape(e.color, e.shape)); }
    item.appendChild(el("span", null, e.label));
    legendBox.appendChild(item);
  });
  legendBox.appendChild(el("div", "text", META.size_label));
  legendBox.appendChild(el("div", "text", UI.width));

  // ---- highlight overlay -------------------------------------------------------------
  function applyHighlight(on) {
    if (!H) { return; }
    showExtra = on;
    var marked = new Map(), colors = new Map(), hEdges = new Set(H.edges), edgeLayer = new Map();
    (H.layers || []).forEach(function (layer) {
      layer.edges.forEach(function (id) { if (!edgeLayer.has(id)) { edgeLayer.set(id, layer); } });
    });
    H.nodes.forEach(function (n) { marked.set(n[0], n[1]); colors.set(n[0], n[2]); });
    nodes.update(nodeItems.map(function (base) {
      var id = base.id;
      if (!on) {
        return { id: id, opacity: 1, borderWidth: 1.5, label: base.label, color: base.color };
      }
      if (marked.has(id)) {
        var c = colors.get(id);
        return { id: id, opacity: 1, borderWidth: 5, label: base.label + "\n" + marked.get(id),
          color: { background: base.color.background, border: c,
            highlight: { background: base.color.background, border: c },
            hover: { background: base.color.background, border: c } } };
      }
      return { id: id, opacity: 0.22, borderWidth: 1, label: base.label, color: base.color };
    }));
    edges.update(edgeItems.filter(function (e) { return !e.extra; }).map(function (base) {
      var id = base.id, c = base.color.color;
      if (!on) { return { id: id, width: base.width, color: base.color }; }
      if (hEdges.has(id)) {
        var lc = edgeLayer.has(id) ? edgeLayer.get(id).color : c;
        return { id: id, width: base.width + 3,
          color: { color: lc, highlight: lc, hover: lc, opacity: 1 } };
      }
      return { id: id, width: base.width,
        color: { color: c, highlight: c, hover: c, opacity: 0.12 } };
    }));
    refresh();
  }
  if (H) {
    byId("hl-box").style.display = "block";
    byId("hl-title").textContent = H.title;
    byId("hl-note").textContent = H.note;
    var list = byId("hl-list");
    (H.layers || []).forEach(function (layer, i) {
      var row = el("div", "hl-layer"), sw = el("span", "sw");
      sw.style.background = layer.color;
      row.appendChild(sw);
      row.appendChild(el("span", "t", layer.label + (layer.description ?
        " \u2014 " + layer.description : "")));
      var b = el("button", null, UI.isolate);
      b.dataset.layer = String(i);
      b.addEventListener("click", function () { isolateLayer(i); });
      row.appendChild(b);
      list.appendChild(row);
    });
    if (H.ramp) {
      list.appendChild(el("div", "text", UI.impact_ramp));
      ["< 25 %", "25\u201350 %", "50\u201399 %", "100 %"].forEach(function (t, i) {
        var row = el("div", "hl-layer"), sw = el("span", "sw");
        sw.style.background = H.rampColors[i];
        row.appendChild(sw); row.appendChild(el("span", "t", t)); list.appendChild(row);
      });
    }
    if (H.layers && H.layers.length) {
      var back = el("button", null, UI.show_all);
      back.addEventListener("click", showAll);
      list.appendChild(back);
    }
    H.nodes.slice(0, 60).forEach(function (n) {
      var a = actorById.get(n[0]);
      if (!a) { return; }
      var b = el("button", null, a.label + " \u2014 " + n[1]);
      b.addEventListener("click", function () { selectActor(n[0], true); });
      list.appendChild(b);
    });
    byId("hl-on").addEventListener("change", function (e) { applyHighlight(e.target.checked); });
    applyHighlight(true);
  }

  // ---- headline figures, mentions, compact legend ----------------------------------------
  var headline = byId("headline");
  // Figures that say the same thing (« livrés aux destinataires finaux » in MWh, then in t)
  // share their words: « 8 679 000 MWh · 223 500 t livrés aux destinataires finaux ».
  DATA.headline.forEach(function (f, i) {
    var next = DATA.headline[i + 1], fig = headline.lastChild;
    if (i > 0 && DATA.headline[i - 1][1] === f[1]) { return; }
    fig = el("div", "fig");
    fig.appendChild(el("b", null, f[0]));
    for (var j = i + 1; next && j < DATA.headline.length && DATA.headline[j][1] === f[1]; j++) {
      fig.appendChild(el("span", null, "\u00b7"));
      fig.appendChild(el("b", null, DATA.headline[j][0]));
    }
    fig.appendChild(el("span", null, f[1]));
    headline.appendChild(fig);
  });
  if (NARROW) { headline.insertBefore(el("div", "fig title", META.title), headline.firstChild); }
  if (!headline.childNodes.length) { headline.style.display = "none"; }
  else {
    // the toile starts under the headline, however many lines it takes
    byId("app").classList.add("with-headline");
    container.style.top = (headline.offsetTop + headline.offsetHeight + 6) + "px";
    network.redraw();
  }
  var mentions = byId("mentions");
  if (META.illustrative) { mentions.appendChild(el("div", "illustrative", UI.illustrative)); }
  if (META.public) { mentions.appendChild(el("div", "public", UI.public_version)); }
  var mini = byId("mini-legend");
  legend.filter(function (e) { return e.group === "flow_kind" || e.group === "status"; })
    .slice(0, 8).forEach(function (e) {
      var item = el("span", "item");
      item.appendChild(swatchLine(e.group === "status" ? "#444" : e.color,
        e.group === "status" ? e.dashes : false));
      item.appendChild(el("span", null, e.label));
      mini.appendChild(item);
    });
  // fitted once the legend is filled: an empty legend has no height and left no room
  fitToile();

  // ---- « Réorganiser »: physics for a few seconds, then still again ---------------------
  var settleTimer = null, moving = false;
  function freeze() {
    clearTimeout(settleTimer);
    network.setOptions({ physics: { enabled: false } });
    moving = false;
  }
  function rearrange(ms) {
    moving = true;
    network.setOptions({ physics: { enabled: true, stabilization: { enabled: false } } });
    clearTimeout(settleTimer);
    settleTimer = setTimeout(freeze, ms || 2500);
  }
  network.on("stabilized", function () { if (moving) { freeze(); } });
  byId("rearrange").addEventListener("click", function () { rearrange(); });

  // ---- toggle side panel -------------------------------------------------------------
  byId("toggle").addEventListener("click", function () {
    byId("side").classList.toggle("closed");
    network.redraw();
  });

  recomputeGroups();
  refresh();
  details.replaceChildren(el("p", "note", UI.click_hint));
  window.toiles = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    ready: ready, search: search, selectActor: selectActor, showFlow: showFlow, focusOn: focusOn,
    showAll: showAll, showTip: function (id) {
      var a = actorById.get(id);
      if (a) { showTip(actorCard(a, 9), { x: 30, y: 30 }); }
      return tip.textContent;
    },
    applyHighlight: applyHighlight, lastClick: null, lastDetails: "",
    isolateLayer: isolateLayer, rearrange: rearrange, expandGroup: expandGroup,
    isMoving: function () { return moving; },
    labelsShrunk: labelsShrunk, narrow: NARROW,
    positions: function () { return network.getPositions(); },
    drawn: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    },
    setFilter: function (name, value, on) {
      if (on) { active[name].add(value); } else { active[name].delete(value); }
      refresh();
    }
  };
})();
"""
