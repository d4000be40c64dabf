"""The OpenAPI document, served without a key, shows invented examples, never stored rows."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient

from toiles.loaders import load_toile
from toiles.reference import reference_dir

REFERENCES = (
    "artois-eau-industrielle-T0",
    "artois-electromobilite-T0",
    "artois-energie-T0",
    "artois-energie-T1",
    "kalundborg-T0",
)


def _examples(node: object) -> Iterator[dict[str, object]]:
    """Every example object anywhere in an OpenAPI document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, dict))
            elif key == "example" and isinstance(value, dict):
                yield value
            else:
                yield from _examples(value)
    elif isinstance(node, list):
        for item in node:
            yield from _examples(item)


def test_openapi_examples_are_invented(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()  # no key
    examples = list(_examples(document))
    assert len(examples) >= 4
    ids: set[str] = set()
    names: set[str] = set()
    links: set[tuple[str, str]] = set()
    for reference in REFERENCES:
        toile = load_toile(reference_dir(reference))
        ids |= {a.id for a in toile.actors} | {f.id for f in toile.flows}
        names |= {a.name for a in toile.actors}
        links |= {(f.source, f.target) for f in toile.flows}
    for example in examples:
        for field in ("id", "source", "target", "zae", "actor"):
            assert example.get(field) not in ids, example
        assert example.get("name") not in names, example
        assert (example.get("source"), example.get("target")) not in links, example
        assert example.get("confidentiality", "public") == "public", example
