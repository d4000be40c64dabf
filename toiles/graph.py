"""The NetworkX projection of a toile, and back.

Conventions every analysis and visual relies on:

- ``G`` is a :class:`networkx.MultiDiGraph`; ``G.graph`` holds the toile's description
  (``id``, ``name``, ``theme``, ``version``, ``territory``, ``sources``, ``updated``,
  ``illustrative``...), with vocabulary values as plain strings and dates as ISO text.
- One node per actor, keyed by the actor id, with every actor field but ``id`` as attributes
  (``name``, ``kind``, ``zae``, ``lat``, ``lon``, ``employees``, ``confidentiality``...).
  Missing values are ``None``.
- One edge per flow, keyed by the flow id, with every flow field but ``source``/``target``
  plus two derived attributes: ``family`` (the unit family of the quantity, or ``None``) and
  ``quantity_base`` (the quantity in the family's base unit: MWh, m3, t, kW, u, EUR).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.toile import Toile

if TYPE_CHECKING:
    from collections.abc import Iterable

_ACTOR_FIELDS = tuple(name for name in Actor.model_fields if name != "id")
_FLOW_FIELDS = tuple(name for name in Flow.model_fields if name not in {"id", "source", "target"})


def actor_attributes(actor: Actor) -> dict[str, Any]:
    """Node attributes of an actor (JSON-ready values)."""
    data = actor.model_dump(mode="json", exclude={"id"})
    data["tags"] = list(actor.tags)
    return data


def flow_attributes(flow: Flow) -> dict[str, Any]:
    """Edge attributes of a flow (JSON-ready values), with ``family`` and ``quantity_base``."""
    data = flow.model_dump(mode="json", exclude={"id", "source", "target"})
    family = flow.family
    data["family"] = None if family is None else family.value
    data["quantity_base"] = flow.quantity_base
    return data


def graph_from_toile(toile: Toile) -> nx.MultiDiGraph[str]:
    """Build the graph of a toile: actors as nodes, flows as keyed edges.

    Examples
    --------
    >>> from toiles.models import Actor, Flow, Toile
    >>> t = Toile(id="t", name="T", theme="energie",
    ...           actors=[Actor(id="a", name="A", kind="entreprise"),
    ...                   Actor(id="b", name="B", kind="entreprise")],
    ...           flows=[Flow(id="f", source="a", target="b", kind="chaleur",
    ...                       quantity=2, unit="GWh")])
    >>> G = graph_from_toile(t)
    >>> G.edges["a", "b", "f"]["quantity_base"], G.edges["a", "b", "f"]["family"]
    (2000.0, 'energy')
    """
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    G.graph.update(toile.info.model_dump(mode="json"))
    G.add_nodes_from((a.id, actor_attributes(a)) for a in toile.actors)
    for f in toile.flows:
        G.add_edge(f.source, f.target, key=f.id, **flow_attributes(f))
    return G


def _clean(data: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data and data[k] is not None}


def toile_from_graph(G: nx.MultiDiGraph[str]) -> Toile:
    """Rebuild a toile from its graph (the inverse of :func:`graph_from_toile`).

    Raises
    ------
    pydantic.ValidationError
        When the graph's attributes do not make a valid toile.
    """
    actors = [Actor(id=str(n), **_clean(d, _ACTOR_FIELDS)) for n, d in G.nodes(data=True)]
    flows = [
        Flow(id=str(k), source=str(u), target=str(v), **_clean(d, _FLOW_FIELDS))
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    return Toile(**G.graph, actors=actors, flows=flows)
