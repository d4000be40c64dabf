"""The Neo4j graph model of toiles: labels, properties, schema, and the rows that fill it.

Shared by the store (:mod:`toiles.graph_db.neo4j`) and the ``neo4j-admin`` export
(:mod:`toiles.io.neo4j_admin`) so that both write exactly the same graph; see
``docs/graph-model.md`` for the model itself.

Loads send each batch as a few *columns*, one string per property with a separator that
occurs in none of its values; the server splits them back with ``split()``. The pure-Python
Bolt encoder spends about a microsecond per value, so sending 500,000 flows as maps of a dozen
values would cost more client time than the database spends writing them; a column is one
value whatever the batch size. Numbers travel as Python's shortest round-trip ``repr``, which
Neo4j's ``toFloat`` reads back bit for bit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from toiles.errors import StoreError
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.toile import ToileInfo
from toiles.models.units import base_quantity, get_unit
from toiles.models.vocab import Confidentiality, fold

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence


# Labels and relationship types: fixed names, never built from data.
TOILE = "Toile"
VERSION = "ToileVersion"
ACTOR = "Actor"
API_KEY = "ApiKey"
WEB_SESSION = "WebSession"
EDIT = "ToileEdit"
IN_VERSION = "IN_VERSION"
VERSION_OF = "VERSION_OF"
FLOW = "FLOW"

# States of a version node: only ``ready`` versions are ever read by the store.
LOADING = "loading"
READY = "ready"
RETIRED = "retired"

PropType = Literal["str", "float", "int", "strlist"]


@dataclass(frozen=True)
class Prop:
    """One stored property of an actor or a flow: its name and its Neo4j type."""

    name: str
    type: PropType


#: Actor node properties, in the order :func:`actor_values` returns them. ``name_folded``
#: is derived (for accent-free search); ``location`` is added from ``lat``/``lon``.
ACTOR_PROPS: tuple[Prop, ...] = (
    Prop("id", "str"),
    Prop("name", "str"),
    Prop("name_folded", "str"),
    Prop("kind", "str"),
    Prop("siret", "str"),
    Prop("siren", "str"),
    Prop("naf", "str"),
    Prop("employees", "int"),
    Prop("commune_insee", "str"),
    Prop("epci", "str"),
    Prop("lat", "float"),
    Prop("lon", "float"),
    Prop("zae", "str"),
    Prop("tags", "strlist"),
    Prop("description", "str"),
    Prop("confidentiality", "str"),
    Prop("provenance", "str"),
)

#: FLOW relationship properties, in the order :func:`flow_values` returns them.
#: ``quantity_base`` and ``family`` are derived from ``quantity`` and ``unit``.
FLOW_PROPS: tuple[Prop, ...] = (
    Prop("id", "str"),
    Prop("kind", "str"),
    Prop("quantity", "float"),
    Prop("unit", "str"),
    Prop("quantity_base", "float"),
    Prop("family", "str"),
    Prop("year", "int"),
    Prop("status", "str"),
    Prop("confidentiality", "str"),
    Prop("provenance", "str"),
    Prop("confidence", "str"),
    Prop("notes", "str"),
    Prop("temperature", "float"),
)

DERIVED_ACTOR_PROPS = frozenset({"name_folded", "location"})
DERIVED_FLOW_PROPS = frozenset({"quantity_base", "family"})

#: Constraints and indexes, created on first use. Names are prefixed ``toiles_``.
SCHEMA: tuple[str, ...] = (
    f"CREATE CONSTRAINT toiles_toile_id IF NOT EXISTS FOR (t:{TOILE}) REQUIRE t.id IS UNIQUE",
    (
        f"CREATE CONSTRAINT toiles_version_load_id IF NOT EXISTS "
        f"FOR (v:{VERSION}) REQUIRE v.load_id IS UNIQUE"
    ),
    (
        f"CREATE CONSTRAINT toiles_version_ready_key IF NOT EXISTS "
        f"FOR (v:{VERSION}) REQUIRE v.ready_key IS UNIQUE"
    ),
    f"CREATE CONSTRAINT toiles_api_key_id IF NOT EXISTS FOR (k:{API_KEY}) REQUIRE k.id IS UNIQUE",
    (
        f"CREATE CONSTRAINT toiles_api_key_hash IF NOT EXISTS "
        f"FOR (k:{API_KEY}) REQUIRE k.key_hash IS UNIQUE"
    ),
    (
        f"CREATE CONSTRAINT toiles_web_session_token IF NOT EXISTS "
        f"FOR (s:{WEB_SESSION}) REQUIRE s.token_hash IS UNIQUE"
    ),
    f"CREATE INDEX toiles_web_session_key IF NOT EXISTS FOR (s:{WEB_SESSION}) ON (s.key_hash)",
    f"CREATE INDEX toiles_web_session_expires IF NOT EXISTS FOR (s:{WEB_SESSION}) ON (s.expires)",
    f"CREATE INDEX toiles_version_toile_id IF NOT EXISTS FOR (v:{VERSION}) ON (v.toile_id)",
    f"CREATE INDEX toiles_edit_toile_id IF NOT EXISTS FOR (e:{EDIT}) ON (e.toile_id)",
    f"CREATE INDEX toiles_actor_id IF NOT EXISTS FOR (a:{ACTOR}) ON (a.id)",
    f"CREATE INDEX toiles_actor_siret IF NOT EXISTS FOR (a:{ACTOR}) ON (a.siret)",
    f"CREATE INDEX toiles_actor_commune IF NOT EXISTS FOR (a:{ACTOR}) ON (a.commune_insee)",
    f"CREATE INDEX toiles_actor_zae IF NOT EXISTS FOR (a:{ACTOR}) ON (a.zae)",
)

Value = str | int | float | tuple[str, ...] | None
Columns = dict[str, dict[str, str]]


def ready_key(toile_id: str, version: str) -> str:
    """Key that at most one ``ready`` version node holds (a uniqueness constraint).

    Examples
    --------
    >>> ready_key("artois-eau", "T0")
    'artois-eau/T0'
    """
    return f"{toile_id}/{version}"


def levels(visibility: Confidentiality) -> list[str]:
    """The confidentiality values a reader cleared up to ``visibility`` may see.

    Examples
    --------
    >>> levels(Confidentiality.PARTENAIRES)
    ['public', 'partenaires']
    """
    return [c.value for c in Confidentiality if c.rank <= visibility.rank]


def actor_values(actor: Actor) -> tuple[Value, ...]:
    """The values of :data:`ACTOR_PROPS` for one actor."""
    return (
        actor.id,
        actor.name,
        fold(actor.name),
        actor.kind.value,
        actor.siret,
        actor.siren,
        actor.naf,
        actor.employees,
        actor.commune_insee,
        actor.epci,
        actor.lat,
        actor.lon,
        actor.zae,
        actor.tags,
        actor.description,
        actor.confidentiality.value,
        actor.provenance,
    )


def flow_values(flow: Flow) -> tuple[Value, ...]:
    """The values of :data:`FLOW_PROPS` for one flow (see :func:`flow_columns`).

    Examples
    --------
    >>> from toiles.models.flow import Flow
    >>> flow = Flow(id="f1", source="a", target="b", kind="chaleur", quantity=2, unit="GWh")
    >>> flow_values(flow)[:7]
    ('f1', 'chaleur', 2.0, 'GWh', 2000.0, 'energy', None)
    """
    return tuple(column[0] for column in flow_columns([flow]))


def flow_columns(flows: Sequence[Flow]) -> list[list[Value]]:
    """The values of :data:`FLOW_PROPS` for a batch of flows, one list per property.

    Computed column by column: a load encodes hundreds of thousands of flows on the client
    while the server writes, and on a two-core machine every microsecond the client spends is
    taken from the server. Enum members are ``str`` already and units are looked up once per
    batch.

    Examples
    --------
    >>> from toiles.models.flow import Flow
    >>> flows = [
    ...     Flow(id="f1", source="a", target="b", kind="chaleur", quantity=2, unit="GWh"),
    ...     Flow(id="f2", source="b", target="a", kind="service", confidence="faible"),
    ... ]
    >>> columns = flow_columns(flows)
    >>> columns[2], columns[4], columns[5], columns[10]
    ([2.0, None], [2000.0, None], ['energy', None], [None, 'faible'])
    """
    units = {u: get_unit(u) for u in {f.unit for f in flows} if u is not None}
    unit_list = [f.unit for f in flows]
    quantities = [f.quantity for f in flows]
    base: list[Value] = [
        None if u is None or q is None else base_quantity(q, units[u])
        for u, q in zip(unit_list, quantities, strict=True)
    ]
    family: list[Value] = [None if u is None else units[u].family.value for u in unit_list]
    return [
        [f.id for f in flows],
        [str(f.kind) for f in flows],
        list(quantities),
        list(unit_list),
        base,
        family,
        [f.year for f in flows],
        [f.status.value for f in flows],
        [f.confidentiality.value for f in flows],
        [f.provenance for f in flows],
        [None if f.confidence is None else f.confidence.value for f in flows],
        [f.notes for f in flows],
        [f.temperature for f in flows],
    ]


def version_props(info: ToileInfo, *, n_actors: int, n_flows: int) -> dict[str, object]:
    """Typed properties of a version node that describe the toile (``info_json`` is exact)."""
    return {
        "toile_id": info.id,
        "version": info.version,
        "name": info.name,
        "theme": info.theme.value,
        "territory_name": info.territory.name or None,
        "territory_epci": list(info.territory.epci) or None,
        "description": info.description,
        "sources": list(info.sources) or None,
        "updated": info.updated,
        "illustrative": info.illustrative,
        "actors": n_actors,
        "flows": n_flows,
        "info_json": info.model_dump_json(),
    }


# -- columns --------------------------------------------------------------------------------

# Separators and null markers are picked, per column, among characters absent from its values.
_CANDIDATES = (
    "\x1f",
    "\x1e",
    "\x1d",
    "\x1c",
    "\x00",
    *(chr(c) for c in range(0x01, 0x09)),
    *(chr(c) for c in range(0xE000, 0xE100)),
)


def _free_chars(text: str, count: int) -> list[str]:
    free = [c for c in _CANDIDATES if c not in text][:count]
    if len(free) < count:
        msg = "valeurs impossibles à transmettre : elles contiennent tous les séparateurs prévus"
        raise StoreError(msg)
    return free


def encode_column(prop: Prop, values: Sequence[Value]) -> dict[str, str]:
    r"""Encode one column of a batch as a single string plus its separators.

    Returns a map with ``t`` (the text), ``s`` (separator), and for strings ``n`` (the marker
    of a missing value) and for string lists ``i`` (the separator inside a list).

    Examples
    --------
    >>> encode_column(Prop("q", "float"), [1.5, None, 0.1])
    {'t': '1.5,,0.1', 's': ','}
    >>> encode_column(Prop("name", "str"), ["a", None, ""])
    {'t': 'a\x1f\x1e\x1f', 's': '\x1f', 'n': '\x1e'}
    """
    if prop.type in {"float", "int"}:
        return {"t": ",".join(["" if v is None else repr(v) for v in values]), "s": ","}
    if prop.type == "str":
        texts = [v for v in values if isinstance(v, str)]
        sep, null = _free_chars("".join(texts), 2)
        text = sep.join([v if isinstance(v, str) else null for v in values])
        return {"t": text, "s": sep, "n": null}
    lists = [v for v in values if isinstance(v, tuple) and v]
    sep, null, inner = _free_chars("".join("".join(v) for v in lists), 3)
    text = sep.join(inner.join(v) if isinstance(v, tuple) and v else null for v in values)
    return {"t": text, "s": sep, "n": null, "i": inner}


def encode_columns(props: Sequence[Prop], rows: Sequence[tuple[Value, ...]]) -> Columns:
    """Encode a batch of rows (tuples in the order of ``props``) as columns."""
    return encode_column_lists(props, [[row[i] for row in rows] for i in range(len(props))])


def encode_column_lists(props: Sequence[Prop], columns: Sequence[Sequence[Value]]) -> Columns:
    """Encode a batch given column by column (lists in the order of ``props``)."""
    return {p.name: encode_column(p, values) for p, values in zip(props, columns, strict=True)}


def column_expression(prop: Prop) -> str:
    """The Cypher expression that decodes one column of ``$c`` into a list of values."""
    p = f"$c.{prop.name}"
    items = f"split({p}.t, {p}.s)"
    if prop.type == "float":
        return f"[x IN {items} | toFloat(x)]"
    if prop.type == "int":
        return f"[x IN {items} | toInteger(x)]"
    if prop.type == "str":
        return f"[x IN {items} | CASE x WHEN {p}.n THEN null ELSE x END]"
    return f"[x IN {items} | CASE x WHEN {p}.n THEN null ELSE split(x, {p}.i) END]"


def _decode_columns(props: Iterable[Prop]) -> str:
    return ", ".join(f"{column_expression(p)} AS c_{p.name}" for p in props)


def _property_map(props: Iterable[Prop]) -> str:
    return ", ".join(f"{p.name}: c_{p.name}[i]" for p in props)


#: Create one batch of actors under a loading version; returns the element id of each.
#: No batch sets a property of the version node (its heartbeat is a transaction of its own),
#: so batches do not queue behind one another on that node's lock.
CREATE_ACTORS = f"""
MATCH (v:{VERSION} {{load_id: $load_id, state: '{LOADING}'}})
WITH v, {_decode_columns(ACTOR_PROPS)}
UNWIND range(0, size(c_id) - 1) AS i
CREATE (a:{ACTOR} {{{_property_map(ACTOR_PROPS)},
    location: CASE WHEN c_lat[i] IS NULL THEN null
              ELSE point({{latitude: c_lat[i], longitude: c_lon[i]}}) END}})
CREATE (a)-[:{IN_VERSION}]->(v)
RETURN collect(i) AS rows, collect(elementId(a)) AS element_ids
"""

#: Create one batch of flows between actors given by element id; returns how many.
CREATE_FLOWS = f"""
MATCH (v:{VERSION} {{load_id: $load_id, state: '{LOADING}'}})
WITH split($source, $sep) AS c_source, split($target, $sep) AS c_target,
     {_decode_columns(FLOW_PROPS)}
UNWIND range(0, size(c_id) - 1) AS i
MATCH (s:{ACTOR}) WHERE elementId(s) = c_source[i]
MATCH (t:{ACTOR}) WHERE elementId(t) = c_target[i]
CREATE (s)-[f:{FLOW} {{{_property_map(FLOW_PROPS)}}}]->(t)
RETURN count(f) AS created
"""


# -- back to models ---------------------------------------------------------------------------

_ACTOR_FIELDS = frozenset(Actor.model_fields)
_FLOW_FIELDS = frozenset(Flow.model_fields)


def actor_from_props(props: Mapping[str, object]) -> Actor:
    """Rebuild an actor from its node properties (absent properties are ``None``)."""
    return Actor.model_validate({k: v for k, v in props.items() if k in _ACTOR_FIELDS})


def flow_from_props(props: Mapping[str, object], source: str, target: str) -> Flow:
    """Rebuild a flow from its relationship properties and the ids of its two actors."""
    data = {k: v for k, v in props.items() if k in _FLOW_FIELDS}
    data["source"] = source
    data["target"] = target
    return Flow.model_validate(data)


def info_from_json(text: str) -> ToileInfo:
    """Rebuild the description of a version from its exact JSON copy."""
    return ToileInfo.model_validate(json.loads(text))
