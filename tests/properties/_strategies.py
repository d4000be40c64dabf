"""Hypothesis strategies of toiles across every vocabulary, unit, optional field and extreme.

A drawn field the models refuse is dropped (or its optional value left out), so every
example is a toile ``validate`` accepts: the properties are about what happens *after*
validation. Names mix Unicode planes, spaces, quotes, markup and formula-like starts;
quantities run from subnormal to the bound of :data:`~toiles.models.units.MAX_BASE_QUANTITY`
and beyond (refused ones are dropped); employees up to the 53-bit bound.
"""

from __future__ import annotations

from typing import Any

import pydantic
from hypothesis import strategies as st

from toiles.models import Actor, Flow, Toile
from toiles.models.units import known_units, unit_family
from toiles.models.vocab import (
    FLOW_KINDS,
    ActorKind,
    Confidence,
    Confidentiality,
    FlowKind,
    Status,
    Theme,
)

IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,11}", fullmatch=True)
# Letters of many scripts, digits, punctuation, symbols and the ordinary space; no control
# characters (no file format stores them), no surrogates (not text), and no other spaces:
# tables read a no-break space as a space (a documented loss, docs/format.md).
TEXT = st.text(
    st.characters(categories=("L", "M", "N", "P", "S"), include_characters=" "),
    min_size=1,
    max_size=40,
)
NAMES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "Sucrerie des Deux Vallées",
            '=HYPERLINK("http://x","clic")',
            "<script>alert(1)</script>",
            "« Réseau » d'eau & Cie",
            "ÉTABLISSEMENT 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 水道",
        ]
    ),
)
SIRETS = st.sampled_from(
    ["73282932000074", "35600000000001", "55270102500025", "12345678901234", None]
)
QUANTITIES = st.one_of(
    st.none(),
    st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
    st.floats(min_value=0.0, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 5e-324, 1e-300, 1e18, 1e15, 1e308, 1.7976931348623157e308]),
)


def _pruned(model: type[pydantic.BaseModel], data: dict[str, Any], required: set[str]) -> Any:
    """Validate, dropping each optional field the model refuses (None when a required one is)."""
    data = {k: v for k, v in data.items() if v is not None}
    for _ in range(len(data) + 1):
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not fields or fields & required:
                return None
            for field in fields:
                data.pop(field, None)
    return None


@st.composite
def actors(draw: st.DrawFn, actor_id: str) -> Actor:
    lat = draw(st.one_of(st.none(), st.floats(min_value=-90.0, max_value=90.0)))
    data = {
        "id": actor_id,
        "name": draw(NAMES),
        "kind": draw(st.sampled_from(ActorKind)),
        "siret": draw(SIRETS),
        "naf": draw(st.sampled_from([None, "24.10Z", "10.81Z", "3530Z", "99.99Z"])),
        "employees": draw(st.one_of(st.none(), st.integers(0, 2**64))),
        "commune_insee": draw(st.sampled_from([None, "62119", "2A004", "01053"])),
        "epci": draw(st.one_of(st.none(), TEXT)),
        "lat": lat,
        "lon": None if lat is None else draw(st.floats(min_value=-180.0, max_value=180.0)),
        "zae": draw(st.one_of(st.none(), IDS)),
        "tags": draw(st.lists(TEXT, max_size=3).map(tuple)),
        "description": draw(st.one_of(st.none(), TEXT)),
        "confidentiality": draw(st.sampled_from(Confidentiality)),
        "provenance": draw(st.one_of(st.none(), TEXT)),
    }
    actor = _pruned(Actor, data, {"id", "kind"})
    return actor or Actor(id=actor_id, name="Acteur", kind=data["kind"])


@st.composite
def flows(draw: st.DrawFn, flow_id: str, ends: list[str]) -> Flow:
    kind = draw(st.sampled_from(FlowKind))
    families = FLOW_KINDS[kind].families
    units = [u for u in known_units() if unit_family(u) in families]
    quantity = draw(QUANTITIES)
    data = {
        "id": flow_id,
        "source": draw(st.sampled_from(ends)),
        "target": draw(st.sampled_from(ends)),
        "kind": kind,
        "quantity": quantity,
        "unit": None if quantity is None or not units else draw(st.sampled_from(units)),
        "year": draw(st.one_of(st.none(), st.integers(1800, 2100))),
        "status": draw(st.sampled_from(Status)),
        "confidentiality": draw(st.sampled_from(Confidentiality)),
        "provenance": draw(st.one_of(st.none(), TEXT)),
        "confidence": draw(st.one_of(st.none(), st.sampled_from(Confidence))),
        "notes": draw(st.one_of(st.none(), TEXT)),
    }
    if data["unit"] is None:
        data["quantity"] = None
    flow = _pruned(Flow, data, {"id", "source", "target", "kind"})
    if flow is None or (flow.quantity is None) != (flow.unit is None):
        return Flow(id=flow_id, source=data["source"], target=data["target"], kind=kind)
    return flow


@st.composite
def toiles(draw: st.DrawFn, *, max_actors: int = 8, max_flows: int = 14) -> Toile:
    """A valid toile: 1 to ``max_actors`` actors, 0 to ``max_flows`` flows between them."""
    ids = draw(st.lists(IDS, min_size=1, max_size=max_actors, unique=True))
    members = [draw(actors(i)) for i in ids]
    flow_ids = draw(st.lists(IDS, max_size=max_flows, unique=True))
    links = [draw(flows(f"f-{i}", ids)) for i in flow_ids]
    return Toile(
        id=draw(IDS),
        name=draw(NAMES),
        theme=draw(st.sampled_from(Theme)),
        version=draw(st.sampled_from(["T0", "T1", "T10"])),
        description=draw(st.one_of(st.none(), TEXT)),
        sources=draw(st.lists(TEXT, max_size=2).map(tuple)),
        actors=tuple(members),
        flows=tuple(links),
    )
