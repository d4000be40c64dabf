"""The graph model's example queries as a Neo4j Browser guide (``:play``), one click each.

The queries live in ``static/toiles-queries.cypher`` (a file Neo4j Browser also takes into
its Favourites by drag and drop); the guide shows each with its title, in Browser's guide
markup, where a click on a ``runnable`` block puts the query in the editor. Neo4j Browser
runs on another origin (its own port), so the guide is served with
``Access-Control-Allow-Origin: *``: it holds no data, only the example queries.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from fastapi import APIRouter, Response

from toiles.web.render import STATIC

router = APIRouter(include_in_schema=False)

QUERIES = STATIC / "toiles-queries.cypher"


@dataclass(frozen=True)
class ExampleQuery:
    """One example: its title and its Cypher text (without the final semicolon)."""

    title: str
    cypher: str


def example_queries() -> list[ExampleQuery]:
    """Read the example queries: each is ``// N. Title`` then its Cypher, ending with ``;``.

    Examples
    --------
    >>> queries = example_queries()
    >>> queries[0].title.startswith("1. "), queries[0].cypher.startswith("MATCH")
    (True, True)
    """
    text = QUERIES.read_text(encoding="utf-8")
    found = re.findall(r"^// (\d+\. .*?)\n(.*?);\s*$", text, flags=re.MULTILINE | re.DOTALL)
    return [ExampleQuery(title.strip(), cypher.strip()) for title, cypher in found]


def guide_html() -> str:
    """The guide: a title slide, then one slide per query (markup of Neo4j Browser guides)."""
    slides = [
        '<slide class="row-fluid"><div class="col-sm-12"><h3>Toiles : requêtes d\'exemple</h3>'
        "<p>Le modèle du graphe des toiles (docs/graph-model.md). Cliquez sur une requête : "
        "elle passe dans l'éditeur, puis lancez-la. Flèches : requête suivante.</p>"
        "<ul>"
        + "".join(f"<li>{html.escape(q.title)}</li>" for q in example_queries())
        + "</ul></div></slide>"
    ]
    slides += [
        '<slide class="row-fluid"><div class="col-sm-12">'
        f"<h3>{html.escape(q.title)}</h3>"
        f'<pre class="pre-scrollable code runnable">{html.escape(q.cypher)}</pre>'
        "</div></slide>"
        for q in example_queries()
    ]
    return (
        '<article class="guide"><carousel class="deck container-fluid">'
        + "".join(slides)
        + "</carousel></article>\n"
    )


@router.get("/neo4j/guide.html")
def neo4j_guide() -> Response:
    """The guide Neo4j Browser plays (``:play http://127.0.0.1:8000/neo4j/guide.html``)."""
    return Response(
        guide_html(),
        media_type="text/html; charset=utf-8",
        headers={"Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff"},
    )
