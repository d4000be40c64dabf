"""NetworkX node-link JSON: the toile's graph as ``graph`` / ``nodes`` / ``links``.

The document is :func:`networkx.node_link_data` of :func:`toiles.graph.graph_from_toile`
with ``links`` for edges and the flow id as each link's ``key``; :func:`toiles.loaders.load_toile`
reads it back (the derived ``family`` and ``quantity_base`` are recomputed), and
``networkx.node_link_graph(data, edges="links")`` rebuilds the graph for any other tool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from toiles.graph import graph_from_toile

if TYPE_CHECKING:
    from toiles.models.toile import Toile


def node_link_document(toile: Toile) -> dict[str, object]:
    """Return the node-link document of a toile.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> doc = node_link_document(example_toile())
    >>> sorted(doc)[:4], doc["links"][0]["key"]
    (['directed', 'graph', 'links', 'multigraph'], 'f01')
    """
    data: dict[str, object] = nx.node_link_data(graph_from_toile(toile), edges="links")
    return data


def write_node_link(toile: Toile, out: Path | str) -> Path:
    """Write a toile as node-link JSON (UTF-8, indented) and return the path.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.loaders import load_toile
    >>> from toiles.synthetic import example_toile
    >>> path = write_node_link(example_toile(), Path(tempfile.mkdtemp()) / "t.json")
    >>> len(load_toile(path).flows)
    14
    """
    path = Path(out)
    path.write_text(
        json.dumps(node_link_document(toile), ensure_ascii=False, indent=1, allow_nan=False),
        encoding="utf-8",
    )
    return path
