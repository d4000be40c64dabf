"""Results of analysts' read-only Cypher queries: JSON-ready values, parameters, CSV.

Neo4j returns nodes, relationships, paths, temporal and spatial values; the command line
prints them as a table, JSON or CSV, so every value is turned into plain JSON values first.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

from toiles.errors import InvalidCypher, WriteRefused
from toiles.loaders.tables import neutralise_formula

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
    }
)
"""Procedures an analyst's query may call: the schema's description, nothing else."""

# Comments, then string literals and back-quoted names: what a keyword search must not see.
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
_REFUSED = (
    (re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE), "LOAD CSV (lecture de fichiers ou d'URL)"),
    (re.compile(r"\bSHOW\b", re.IGNORECASE), "SHOW (administration du serveur)"),
    (re.compile(r"\bTERMINATE\b", re.IGNORECASE), "TERMINATE (arrêt des requêtes des autres)"),
    (re.compile(r"^\s*USE\b|\bUSE\s+\w", re.IGNORECASE), "USE (changement de base)"),
    (
        re.compile(
            r"\b(?:CREATE|DROP|ALTER|RENAME|GRANT|DENY|REVOKE|START|STOP)\s+"
            r"(?:USER|ROLE|DATABASE|ALIAS|SERVER|COMPOSITE)\b",
            re.IGNORECASE,
        ),
        "administration (utilisateurs, rôles, bases)",
    ),
)
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*\(", re.IGNORECASE)
_CALL_ANY = re.compile(r"\bCALL\s+(?![{(])", re.IGNORECASE)


def check_read_query(query: str) -> None:
    """Refuse what an analyst's read-only query has no business doing, before it runs.

    Neo4j Community has no roles: any database user may ``LOAD CSV`` from a URL (the server
    then fetches it, probing the network), ``SHOW USERS`` or ``SETTINGS``, ``TERMINATE``
    other users' transactions, or call administration procedures. A read transaction stops
    writes only, so these are refused here: ``LOAD CSV``, ``SHOW``, ``TERMINATE``, ``USE``,
    user, role and database administration, and ``CALL`` of any procedure outside
    :data:`ALLOWED_PROCEDURES`. Comments and quoted text are ignored, so a name that
    contains "show" is fine.

    Raises
    ------
    WriteRefused
        With the clause refused, in French.

    Examples
    --------
    >>> check_read_query("MATCH (a:Actor {name: 'Show room'}) RETURN a.name // SHOW")
    >>> check_read_query("CALL db.labels() YIELD label RETURN label")
    >>> check_read_query("LOAD CSV FROM 'http://127.0.0.1:7474' AS l RETURN l")
    Traceback (most recent call last):
    ...
    toiles.errors.WriteRefused: requête refusée : LOAD CSV (lecture de fichiers ou d'URL) n'est pas permis ici
    >>> check_read_query("CALL dbms.listConfig()")
    Traceback (most recent call last):
    ...
    toiles.errors.WriteRefused: requête refusée : la procédure dbms.listConfig n'est pas permise ici
    """  # noqa: E501  # a doctest's expected line cannot be wrapped
    bare = _LITERALS.sub("''", _COMMENTS.sub(" ", query))
    for pattern, what in _REFUSED:
        if pattern.search(bare):
            msg = f"requête refusée : {what} n'est pas permis ici"
            raise WriteRefused(msg)
    called = _CALL.findall(bare)
    for name in called:
        if name.lower() not in ALLOWED_PROCEDURES:
            msg = f"requête refusée : la procédure {name} n'est pas permise ici"
            raise WriteRefused(msg)
    if len(_CALL_ANY.findall(bare)) > len(called):  # CALL name without parentheses
        msg = "requête refusée : appel de procédure sans parenthèses non permis ici"
        raise WriteRefused(msg)


def row_bytes(row: Iterable[JSONValue]) -> int:
    """Size of one result row once written as JSON (what the byte cap of answers counts)."""
    return len(json.dumps(list(row), ensure_ascii=False, default=str).encode())


@dataclass(frozen=True)
class CypherResult:
    """What a read-only Cypher query returned.

    Attributes
    ----------
    columns
        Names of the returned columns, in order.
    rows
        One tuple of JSON-ready values per record, at most the row limit.
    truncated
        Whether the query had more records than the limit (they were not read).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[JSONValue, ...], ...]
    truncated: bool = False

    def records(self) -> list[dict[str, JSONValue]]:
        """The rows as dictionaries keyed by column name (the JSON output).

        Examples
        --------
        >>> CypherResult(("a", "b"), ((1, "x"),)).records()
        [{'a': 1, 'b': 'x'}]
        """
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _properties(items: Iterable[tuple[str, object]]) -> dict[str, JSONValue]:
    return {str(k): to_jsonable(v) for k, v in items}


def _point(value: Point) -> dict[str, JSONValue]:
    coords = [float(c) for c in value]
    if isinstance(value, WGS84Point):
        out: dict[str, JSONValue] = {"longitude": coords[0], "latitude": coords[1]}
        if len(coords) > 2:  # noqa: PLR2004  # a 3-D point has a height
            out["height"] = coords[2]
        return out
    names = ("x", "y", "z")
    return {"srid": value.srid, **{names[i]: c for i, c in enumerate(coords)}}


def to_jsonable(value: object) -> JSONValue:  # noqa: PLR0911  # one return per Neo4j type
    """Turn a value returned by Neo4j into plain JSON values.

    Nodes become ``{"_id", "_labels", **properties}``, relationships
    ``{"_id", "_type", "_start", "_end", **properties}``, paths ``{"nodes", "relationships"}``,
    temporal values ISO 8601 text, points ``{"longitude", "latitude"}`` (WGS-84) or
    ``{"srid", "x", "y"}``, and byte arrays hexadecimal text.

    Examples
    --------
    >>> from neo4j.time import Date
    >>> to_jsonable({"d": Date(2025, 1, 31), "n": [1, 2.5, None]})
    {'d': '2025-01-31', 'n': [1, 2.5, None]}
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Node):
        labels: list[JSONValue] = [str(label) for label in sorted(value.labels)]
        return {
            "_id": value.element_id,
            "_labels": labels,
            **_properties(value.items()),
        }
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "_id": value.element_id,
            "_type": value.type,
            "_start": None if start is None else start.element_id,
            "_end": None if end is None else end.element_id,
            **_properties(value.items()),
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_jsonable(n) for n in value.nodes],
            "relationships": [to_jsonable(r) for r in value.relationships],
        }
    if isinstance(value, Date | DateTime | Time | Duration):
        return value.iso_format()
    if isinstance(value, Point):
        return _point(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, dict):
        return _properties(value.items())
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return str(value)


def cell_text(value: JSONValue) -> str:
    """Text of one value in a table or CSV cell: nested values as compact JSON.

    Examples
    --------
    >>> [cell_text(v) for v in (None, True, 2.5, "Béthune", {"a": [1]})]
    ['', 'true', '2.5', 'Béthune', '{"a": [1]}']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_csv(result: CypherResult, handle: TextIO) -> None:
    """Write a result as CSV: a header of column names, then one line per row."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(
        [neutralise_formula(v) if isinstance(v, str) else cell_text(v) for v in row]
        for row in result.rows
    )


def parse_param(text: str) -> tuple[str, JSONValue]:
    """Read one ``--param name=value``: the value as JSON when it parses, else as text.

    Raises
    ------
    InvalidCypher
        When there is no ``=`` or the name is not a Cypher parameter name.

    Examples
    --------
    >>> parse_param("min=1000")
    ('min', 1000)
    >>> parse_param("commune=Béthune")
    ('commune', 'Béthune')
    >>> parse_param('code="62119"')
    ('code', '62119')
    >>> parse_param('kinds=["chaleur", "vapeur"]')
    ('kinds', ['chaleur', 'vapeur'])
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not _PARAM_NAME.match(name):
        msg = f"paramètre attendu sous la forme nom=valeur (nom sans espace ni accent) : {text!r}"
        raise InvalidCypher(msg)
    try:
        value: JSONValue = json.loads(raw)
    except ValueError:
        value = raw
    return name, value


def parse_params(items: Iterable[str]) -> dict[str, JSONValue]:
    """Read every ``--param name=value`` into a parameter map (a repeated name: the last wins).

    Examples
    --------
    >>> parse_params(["year=2023", "kind=chaleur"])
    {'year': 2023, 'kind': 'chaleur'}
    """
    params: dict[str, JSONValue] = {}
    for item in items:
        name, value = parse_param(item)
        params[name] = value
    return params
