"""Read a toile from NetworkX node-link JSON (as written by ``toiles export --format json``)."""

from __future__ import annotations

from typing import Any

_DERIVED = {"family", "quantity_base"}


def toile_data_from_node_link(data: dict[str, Any]) -> dict[str, Any]:
    """Turn a node-link document into the fields of a :class:`~toiles.models.toile.Toile`.

    Node ``id`` and edge ``source``/``target``/``key`` become actor and flow ids; derived
    edge attributes (``family``, ``quantity_base``) are dropped, the model recomputes them.

    Examples
    --------
    >>> doc = {"graph": {"id": "t", "name": "T", "theme": "energie"},
    ...        "nodes": [{"id": "a", "name": "A", "kind": "entreprise"}],
    ...        "links": [{"source": "a", "target": "a", "key": "f", "kind": "chaleur"}]}
    >>> toile_data_from_node_link(doc)["flows"][0]["id"]
    'f'
    """
    graph = dict(data.get("graph") or {})
    edges = data.get("links", data.get("edges", []))
    actors = [{k: v for k, v in node.items() if v is not None} for node in data.get("nodes", [])]
    flows = []
    for edge in edges:
        flow = {k: v for k, v in edge.items() if v is not None and k not in _DERIVED and k != "key"}
        flow["id"] = edge.get("key", edge.get("id"))
        flows.append(flow)
    return {**graph, "actors": actors, "flows": flows}
