"""A toile whose texts try to break out of every place visuals and exports put them."""

from __future__ import annotations

from tests.conftest import small_toile
from toiles.models import Toile

SCRIPT_NAME = "</script><script>window.__pwned='script'</script>"
IMG_NAME = "<img src=x onerror=\"window.__pwned='img'\">"
QUOTE_NAME = "L'usine \"Test\" & Cie \\ ' ; MATCH (n) DETACH DELETE n //"
NOTES = "</style><svg onload=\"window.__pwned='svg'\"> \u2028 & <!-- --> ]]>"


def hostile_toile() -> Toile:
    """The small toile with hostile actor names, a hostile description and hostile notes."""
    toile = small_toile("test-hostile")
    names = {"usine": SCRIPT_NAME, "reseau": IMG_NAME, "ext-gaz": QUOTE_NAME}
    actors = tuple(
        a.model_copy(update={"name": names[a.id]}) if a.id in names else a for a in toile.actors
    )
    flows = tuple(
        f.model_copy(update={"notes": NOTES, "provenance": IMG_NAME}) if f.id == "f1" else f
        for f in toile.flows
    )
    return toile.model_copy(
        update={
            "actors": actors,
            "flows": flows,
            "name": f"Toile {SCRIPT_NAME}",
            "sources": (IMG_NAME, "Source ordinaire"),
        }
    )
