"""GEXF 1.2 for Gephi: actors and flows with every attribute, colours, sizes and positions.

Nodes carry the actor fields as attributes, the actor's name as ``label``, and Gephi's
``viz`` colour (by actor kind), size (area proportional to the throughflow) and position
(the same seeded layout as the other visuals); edges carry the flow fields, the flow id
as the GEXF edge id, and a ``viz`` colour (by flow kind) and thickness (log of the
quantity). Lists (tags) are joined by ``|``. The toile's description (``toile.yaml``) is
kept as JSON in the file's ``<meta><description>``, so :func:`read_gexf` gives back the
same toile. The file is written by :func:`networkx.write_gexf` and reads back with
:func:`networkx.read_gexf`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from toiles.graph import graph_from_toile, toile_from_graph
from toiles.io._common import LIST_SEPARATOR, ExportError, flat, info_json
from toiles.viz.layout import layout_positions, node_measure, scale_sizes
from toiles.viz.style import actor_color, flow_color, flow_widths, hex_to_rgb

if TYPE_CHECKING:
    from collections.abc import Iterable

    from toiles.models.toile import Toile

_NS = "http://www.gexf.net/1.2draft"
_RESERVED_NODE = {"label", "viz", "id", "pid", "start", "end"}


def _rgba(color: str) -> dict[str, float]:
    r, g, b = hex_to_rgb(color)
    return {"r": r, "g": g, "b": b, "a": 1.0}


def gexf_graph(toile: Toile, *, seed: int = 0) -> nx.MultiDiGraph[str]:
    """Return the graph that is written as GEXF: flat attributes plus Gephi's ``viz``.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> G = gexf_graph(example_toile())
    >>> G.nodes["verrerie"]["label"], G.nodes["verrerie"]["viz"]["color"]["b"]
    ('Verrerie du Nord', 180)
    """
    G = graph_from_toile(toile)
    positions = layout_positions(G, seed=seed)
    sizes = scale_sizes(node_measure(G, size_by="throughflow"))
    widths = flow_widths(G)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph(name=toile.name)
    for node, data in G.nodes(data=True):
        attrs: dict[str, object] = {
            k: flat(v) for k, v in data.items() if v is not None and v != []
        }
        attrs["label"] = str(data.get("name") or node)
        x, y = positions[node]
        attrs["viz"] = {
            "color": _rgba(actor_color(str(data.get("kind")))),
            "size": float(sizes[node]),
            "position": {"x": float(x), "y": float(-y), "z": 0.0},
        }
        H.add_node(node, **attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        attrs = {
            name: flat(value)
            for name, value in data.items()
            if value is not None and name not in {"family", "quantity_base"}
        }  # same variable, same type: dict[str, object]
        attrs["id"] = str(k)
        attrs["viz"] = {
            "color": _rgba(flow_color(str(data.get("kind")))),
            "thickness": float(widths[u, v, k]),
        }
        H.add_edge(u, v, key=k, **attrs)
    return H


def write_gexf(toile: Toile, out: Path | str, *, seed: int = 0) -> Path:
    """Write a toile as GEXF 1.2 (UTF-8) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> path = write_gexf(example_toile(), Path(tempfile.mkdtemp()) / "t.gexf")
    >>> nx.read_gexf(path).number_of_edges()
    14
    """
    path = Path(out)
    nx.write_gexf(gexf_graph(toile, seed=seed), path)
    ET.register_namespace("", _NS)
    ET.register_namespace("viz", "http://www.gexf.net/1.2draft/viz")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    tree = ET.parse(path)  # noqa: S314  # our own file, just written
    meta = tree.getroot().find(f"{{{_NS}}}meta")
    if meta is not None:
        creator = meta.find(f"{{{_NS}}}creator")
        if creator is not None:
            creator.text = f"toiles ({creator.text})"
        ET.SubElement(meta, f"{{{_NS}}}description").text = info_json(toile)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path


def read_gexf(path: Path | str) -> Toile:
    """Read back a toile written by :func:`write_gexf`.

    Raises
    ------
    ExportError
        When the file has no toile description (it was not written by toiles).
    """
    source = Path(path)
    meta = ET.parse(source).getroot().find(f"{{{_NS}}}meta")  # noqa: S314  # a local file
    description = None if meta is None else meta.find(f"{{{_NS}}}description")
    if description is None or not description.text:
        msg = f"{source} : description de la toile absente (fichier GEXF écrit par toiles attendu)"
        raise ExportError(msg)
    G = nx.read_gexf(source)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    H.graph.update(json.loads(description.text))
    for node, data in G.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k not in _RESERVED_NODE}
        if "tags" in attrs:
            attrs["tags"] = [t for t in str(attrs["tags"]).split(LIST_SEPARATOR) if t]
        H.add_node(node, **attrs)
    # NetworkX reads a file without parallel edges (or without edges) as a simple DiGraph:
    # the flow id is then in the edge's data rather than its key.
    edges: Iterable[tuple[str, str, object, dict[str, object]]]
    if isinstance(G, nx.MultiDiGraph):
        edges = G.edges(keys=True, data=True)
    else:
        edges = ((u, v, d.get("id"), d) for u, v, d in G.edges(data=True))
    for u, v, k, data in edges:
        H.add_edge(u, v, key=k, **{n: x for n, x in data.items() if n not in {"id", "viz"}})
    return toile_from_graph(H)
