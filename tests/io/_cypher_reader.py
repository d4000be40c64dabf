"""A reader of the Cypher scripts toiles writes, enough to check that they recreate a toile.

It tokenises Cypher literals (strings with escapes, numbers, booleans, null, lists, maps)
and reads the ``MERGE (t:Toile ...)``, ``UNWIND [...] AS row`` statements of
:func:`toiles.io.cypher.cypher_script`; any other statement is an error.
"""

from __future__ import annotations

import re

from toiles.models import Actor, Flow, Toile

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def literal(self) -> object:  # noqa: C901, PLR0911, PLR0912, PLR0915
        self.ws()
        c = self.text[self.i]
        if c == "'":
            self.i += 1
            out = []
            while True:
                c = self.text[self.i]
                if c == "\\":
                    nxt = self.text[self.i + 1]
                    if nxt == "u":
                        out.append(chr(int(self.text[self.i + 2 : self.i + 6], 16)))
                        self.i += 6
                        continue
                    out.append(_ESCAPES[nxt])
                    self.i += 2
                    continue
                if c == "'":
                    self.i += 1
                    return "".join(out)
                assert c not in "\n\r"
                out.append(c)
                self.i += 1
        if c == "[":
            self.i += 1
            items = []
            self.ws()
            if self.text[self.i] == "]":
                self.i += 1
                return items
            while True:
                items.append(self.literal())
                self.ws()
                c = self.text[self.i]
                self.i += 1
                if c == "]":
                    return items
                assert c == ","
        if c == "{":
            self.i += 1
            result = {}
            self.ws()
            if self.text[self.i] == "}":
                self.i += 1
                return result
            while True:
                self.ws()
                key = self.key()
                self.ws()
                assert self.text[self.i] == ":"
                self.i += 1
                result[key] = self.literal()
                self.ws()
                c = self.text[self.i]
                self.i += 1
                if c == "}":
                    return result
                assert c == ","
        match = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null").match(self.text, self.i)
        assert match, self.text[self.i : self.i + 30]
        self.i = match.end()
        token = match.group(0)
        if token in {"true", "false"}:
            return token == "true"  # a token, not a password
        if token == "null":  # a token, not a password
            return None
        return float(token) if any(ch in token for ch in ".eE") else int(token)

    def key(self) -> str:
        if self.text[self.i] == "`":
            end = self.i + 1
            out = []
            while True:
                if self.text[end] == "`" and self.text[end + 1 : end + 2] == "`":
                    out.append("`")
                    end += 2
                    continue
                if self.text[end] == "`":
                    self.i = end + 1
                    return "".join(out)
                out.append(self.text[end])
                end += 1
        match = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(self.text, self.i)
        assert match
        self.i = match.end()
        return match.group(0)


def _statements(script: str) -> list[str]:
    lines = [line for line in script.splitlines() if not line.startswith("//")]
    body = "\n".join(lines)
    out, parser = [], _Parser(body)
    start = 0
    while parser.i < len(body):
        c = body[parser.i]
        if c == "'":
            parser.literal()
            continue
        if c == ";":
            out.append(body[start : parser.i].strip())
            start = parser.i + 1
        parser.i += 1
    assert not body[start:].strip()
    return [s for s in out if s]


def _literal_after(statement: str, marker: str) -> tuple[object, str]:
    parser = _Parser(statement)
    parser.i = statement.index(marker) + len(marker)
    value = parser.literal()
    return value, statement[parser.i :]


def toile_from_cypher(script: str) -> Toile:
    info: dict[str, object] = {}
    actors: list[Actor] = []
    flows: list[Flow] = []
    for statement in _statements(script):
        if statement.startswith("MERGE (t:Toile "):
            ident, rest = _literal_after(statement, "MERGE (t:Toile ")
            assert re.fullmatch(
                r"\)\nON CREATE SET t\.name = '.*', t\.theme = '\w+'", rest, re.DOTALL
            )
            info["id"] = ident["id"]
            continue
        if statement.startswith("MATCH (t:Toile "):
            scope, _ = _literal_after(statement, "MERGE (v:ToileVersion ")
            props, rest = _literal_after(statement, "SET v += ")
            updated = re.match(r", v\.updated = date\('([0-9-]+)'\)", rest)
            tail = rest[updated.end() :] if updated else rest
            assert tail.strip() == "MERGE (v)-[:VERSION_OF]->(t)"
            assert scope["origin"] == "toiles-cypher"
            info |= {"version": scope["version"]} | dict(props)
            info["territory"] = {
                "name": info.pop("territory_name", ""),
                "epci": info.pop("territory_epci", []),
            }
            if updated:
                info["updated"] = updated.group(1)
            continue
        assert statement.startswith("MATCH (v:ToileVersion ")
        rows, rest = _literal_after(statement, "UNWIND ")
        rest = rest.strip()
        if "MERGE (a:Actor" in rest:
            assert rest.endswith("SET a += row")
            actors += [Actor(**row) for row in rows]
        else:
            assert rest.endswith("SET f += row.props")
            for row in rows:
                props = {
                    k: v for k, v in row["props"].items() if k not in {"family", "quantity_base"}
                }
                flows.append(
                    Flow(id=row["id"], source=row["source"], target=row["target"], **props)
                )
    return Toile(**info, actors=actors, flows=flows)
