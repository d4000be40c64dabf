"""GraphML: the toile's graph with typed attributes, for yEd, Cytoscape, igraph and others.

Written by :func:`networkx.write_graphml`: actor and flow fields become typed GraphML
keys (missing values are simply absent), the flow id is each edge's ``id``, lists (tags)
are joined by ``|``, and the toile's description is kept as graph data (``territory`` and
``sources`` as JSON text, the toile's ``id`` as ``toile_id``). :func:`read_graphml` gives
back the same toile; any GraphML
reader (``networkx.read_graphml(path, force_multigraph=True)``) opens it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, cast

import networkx as nx

from toiles.graph import graph_from_toile, toile_from_graph
from toiles.io._common import LIST_SEPARATOR, flat

if TYPE_CHECKING:
    from toiles.models.toile import Toile

_JSON_GRAPH_FIELDS = ("territory", "sources")


def graphml_graph(toile: Toile) -> nx.MultiDiGraph[str]:
    """Return the graph that is written as GraphML (flat, typed, no missing values).

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> G = graphml_graph(example_toile())
    >>> G.graph["territory"]
    '{"name": "Béthune-Bruay", "epci": ["200072460"]}'
    """
    G = graph_from_toile(toile)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for key, value in G.graph.items():
        if value is None:
            continue
        # GraphML readers take a graph's ``id`` for the XML element's own id.
        H.graph["toile_id" if key == "id" else key] = (
            json.dumps(value, ensure_ascii=False) if key in _JSON_GRAPH_FIELDS else flat(value)
        )
    H.add_nodes_from(
        (n, {k: flat(v) for k, v in d.items() if v is not None and v != []})
        for n, d in G.nodes(data=True)
    )
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{name: flat(x) for name, x in d.items() if x is not None})
    return H


def write_graphml(toile: Toile, out: Path | str) -> Path:
    """Write a toile as GraphML (UTF-8) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> path = write_graphml(example_toile(), Path(tempfile.mkdtemp()) / "t.graphml")
    >>> G = nx.read_graphml(path, force_multigraph=True)
    >>> G.number_of_nodes(), G.number_of_edges(), G.graph["name"]
    (9, 14, "Toile d'exemple")
    """
    path = Path(out)
    nx.write_graphml(graphml_graph(toile), path, encoding="utf-8", prettyprint=True)
    return path


def read_graphml(path: Path | str) -> Toile:
    """Read back a toile written by :func:`write_graphml`."""
    G = cast("nx.MultiDiGraph[str]", nx.read_graphml(Path(path), force_multigraph=True))
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for key, value in G.graph.items():
        if key in {"node_default", "edge_default"}:
            continue
        name = "id" if key == "toile_id" else key
        H.graph[name] = json.loads(value) if key in _JSON_GRAPH_FIELDS else value
    for node, data in G.nodes(data=True):
        attrs = dict(data)
        if "tags" in attrs:
            attrs["tags"] = [t for t in str(attrs["tags"]).split(LIST_SEPARATOR) if t]
        H.add_node(node, **attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{n: x for n, x in data.items() if n != "id"})
    return toile_from_graph(H)
