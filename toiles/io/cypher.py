"""A Cypher script that recreates a toile in Neo4j (``cypher-shell -f toile.cypher``).

The script is idempotent (``MERGE`` on identities, then ``SET +=``): run twice, it leaves
one copy. It follows the shape of the project's Neo4j model (``docs/graph-model.md``) and
writes

- ``(:Toile {id})``, created with ``name`` and ``theme`` when absent (never overwritten:
  the id is unique in a toiles database);
- ``(:ToileVersion {toile_id, version, origin: "toiles-cypher"})-[:VERSION_OF]->(:Toile)``
  with the description (``territory`` as ``territory_name`` and ``territory_epci``,
  ``updated`` as a ``date``);
- one ``(:Actor)-[:IN_VERSION]->(version)`` node per actor with its fields;
- one ``[:FLOW {id}]`` relationship per flow, from source actor to target actor, with its
  fields and the derived ``family`` and ``quantity_base``;

in batches of ``UNWIND`` lists of maps. Run in a database that a toiles store also uses,
it violates none of the store's constraints and touches none of its nodes but the shared
``Toile``: its version node has no ``load_id``/``ready_key``/``state``, so the store never
reads it (load a toile into the store with ``toiles load`` instead). Missing values are
left out (Neo4j stores no null). Every value is a Cypher literal written by
:func:`cypher_literal`: strings in single quotes with backslash escapes for quotes,
backslashes and control characters, so no text of the data can end a string or add a
clause.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.graph import flow_attributes
from toiles.io._common import ExportError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from toiles.models.toile import Toile

#: Rows per ``UNWIND`` statement.
BATCH = 500

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def cypher_string(text: str) -> str:
    r"""Write text as a single-quoted Cypher string literal.

    Examples
    --------
    >>> print(cypher_string("l'usine \\ 'x'\n"))
    'l\'usine \\ \'x\'\n'
    >>> cypher_string("a\x00b")
    "'a\\u0000b'"
    """
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or char in "\u2028\u2029\x7f":  # noqa: PLR2004
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def cypher_key(name: str) -> str:
    """Write a property name, backquoted when it is not a plain identifier.

    Examples
    --------
    >>> cypher_key("name"), cypher_key("nom du champ"), cypher_key("a`b")
    ('name', '`nom du champ`', '`a``b`')
    """
    if _IDENTIFIER.match(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def cypher_literal(value: object) -> str:  # noqa: PLR0911  # one return per format
    """Write a value as a Cypher literal: string, number, boolean, null, list or map.

    Raises
    ------
    ExportError
        For a non-finite number or a type Cypher cannot hold.

    Examples
    --------
    >>> cypher_literal({"a": [1, 2.5, None, True], "b c": "x"})
    "{a: [1, 2.5, null, true], `b c`: 'x'}"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            msg = f"nombre non fini impossible en Cypher : {value}"
            raise ExportError(msg)
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{cypher_key(str(k))}: {cypher_literal(v)}" for k, v in value.items())
            + "}"
        )
    msg = f"valeur impossible en Cypher : {type(value).__name__}"
    raise ExportError(msg)


def _props(data: Mapping[str, object]) -> dict[str, object]:
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in data.items()
        if v is not None and v != []
    }


def _batches(rows: list[dict[str, object]]) -> Iterable[list[dict[str, object]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _comment(text: str) -> str:
    return " ".join(text.split())


#: ``origin`` of the version nodes the script writes: it keeps them apart from the versions
#: a toiles store loads into the same database (which never match it).
ORIGIN = "toiles-cypher"


def cypher_script(toile: Toile) -> str:
    """Return the Cypher script that recreates a toile.

    Examples
    --------
    >>> from toiles.synthetic import example_toile
    >>> script = cypher_script(example_toile())
    >>> script.count("MERGE (t:Toile"), script.count("[f:FLOW")
    (1, 1)
    """
    info = toile.info.model_dump(mode="json")
    territory = info.pop("territory")
    version_props = _props(
        {k: v for k, v in info.items() if k not in {"id", "version", "updated"}}
        | {"territory_name": territory["name"], "territory_epci": territory["epci"]}
    )
    updated = info.get("updated")
    name, ident_text, version = _comment(toile.name), _comment(toile.id), _comment(toile.version)
    scope = cypher_literal({"toile_id": toile.id, "version": toile.version, "origin": ORIGIN})
    match_version = f"MATCH (v:ToileVersion {scope})"
    lines = [
        f"// Toile « {name} » ({ident_text}, version {version})",
        (
            f"// {len(toile.actors)} acteurs, {len(toile.flows)} flux. Script écrit par toiles ; "
            "le relancer ne crée pas de doublon."
        ),
        "",
        f"MERGE (t:Toile {cypher_literal({'id': toile.id})})",
        (
            f"ON CREATE SET t.name = {cypher_string(toile.name)}, "
            f"t.theme = {cypher_string(toile.theme.value)};"
        ),
        "",
        f"MATCH (t:Toile {cypher_literal({'id': toile.id})})",
        f"MERGE (v:ToileVersion {scope})",
        f"SET v += {cypher_literal(version_props)}"
        + (f", v.updated = date({cypher_string(updated)})" if updated else ""),
        "MERGE (v)-[:VERSION_OF]->(t);",
        "",
    ]
    actors = [
        _props(a.model_dump(mode="json", exclude={"id"})) | {"id": a.id} for a in toile.actors
    ]
    for batch in _batches(actors):
        lines += [
            match_version,
            "UNWIND " + cypher_literal(batch) + " AS row",
            "MERGE (a:Actor {id: row.id})-[:IN_VERSION]->(v)",
            "SET a += row;",
            "",
        ]
    flows: list[dict[str, object]] = [
        {"id": f.id, "source": f.source, "target": f.target, "props": _props(flow_attributes(f))}
        for f in toile.flows
    ]
    for batch in _batches(flows):
        lines += [
            match_version,
            "UNWIND " + cypher_literal(batch) + " AS row",
            "MATCH (s:Actor {id: row.source})-[:IN_VERSION]->(v)",
            "MATCH (d:Actor {id: row.target})-[:IN_VERSION]->(v)",
            "MERGE (s)-[f:FLOW {id: row.id}]->(d)",
            "SET f += row.props;",
            "",
        ]
    return "\n".join(lines)


def write_cypher(toile: Toile, out: Path | str) -> Path:
    """Write the Cypher script of a toile (UTF-8) and return the path."""
    path = Path(out)
    path.write_text(cypher_script(toile), encoding="utf-8")
    return path
