"""Small hand-made toiles for the analysis tests, built through the real models."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from toiles.graph import graph_from_toile
from toiles.models import Actor, Flow, Toile


def make_graph(
    actors: list[tuple[str, str] | tuple[str, str, dict[str, Any]]],
    flows: list[tuple[Any, ...]],
    *,
    version: str = "T0",
) -> nx.MultiDiGraph:
    """Build a toile graph from (id, kind[, fields]) and (source, target, kind[, q, unit[, fields]])."""
    built_actors = []
    for row in actors:
        ident, kind, *rest = row
        fields = rest[0] if rest else {}
        built_actors.append(
            Actor(id=ident, name=fields.pop("name", ident.title()), kind=kind, **fields)
        )
    built_flows = []
    for i, row in enumerate(flows, start=1):
        source, target, kind, *rest = row
        quantity = rest[0] if len(rest) > 0 else None
        unit = rest[1] if len(rest) > 1 else None
        fields = rest[2] if len(rest) > 2 else {}
        built_flows.append(
            Flow(
                id=fields.pop("id", f"f{i}"),
                source=source,
                target=target,
                kind=kind,
                quantity=quantity,
                unit=unit,
                **fields,
            )
        )
    toile = Toile(
        id="test",
        name="Test",
        theme="energie",
        version=version,
        actors=built_actors,
        flows=built_flows,
    )
    return graph_from_toile(toile)


@pytest.fixture
def build():
    return make_graph
