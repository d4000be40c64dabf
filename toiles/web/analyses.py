"""The analyses panel: run a report, turn its tables into HTML rows, say what to highlight.

Reports run on the graph of what the visitor may see (as the API's analysis routes do).
Their French explanation and tables come from :mod:`toiles.analysis` (the same ones the
command line prints); the highlight is the visuals' own overlay (``highlight=``) or, for
closure impact and the version difference, one built here from the report's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.analysis import DiffResult, ImpactResult, report_table
from toiles.viz.overlays import highlight_from_result
from toiles.viz.style import Highlight

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic import BaseModel
    from rich.table import Table


#: The analyses of the panel, in order: name of the report -> overlay of the visuals.
PANEL: dict[str, str | None] = {
    "centrality": "key-actors",
    "loops": "loops",
    "cycling": None,
    "candidates": "candidates",
    "impact": None,
    "communities": "community",
    "gaps": None,
    "diff": None,
}

#: Rows of one table shown in a page (the downloads give everything).
MAX_ROWS = 200


@dataclass(frozen=True)
class HtmlTable:
    """A report table ready for a template: title, headers, rows of plain strings."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    more: int = 0


@dataclass(frozen=True)
class PanelResult:
    """What the panel shows of one report."""

    name: str
    explanation: str
    tables: list[HtmlTable] = field(default_factory=list)


def html_tables(result: BaseModel, *, lang: str) -> list[HtmlTable]:
    """The report's tables (as the command line prints them), as plain strings."""
    made = report_table(result, lang=lang)
    tables: list[Table] = made if isinstance(made, list) else [made]
    out = []
    for table in tables:
        columns = [[str(cell) for cell in column.cells] for column in table.columns]
        rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
        out.append(
            HtmlTable(
                title=str(table.title or ""),
                headers=[str(c.header) for c in table.columns],
                rows=rows[:MAX_ROWS],
                more=max(0, len(rows) - MAX_ROWS),
            )
        )
    return out


def panel_of(name: str, result: BaseModel, *, lang: str = "fr") -> PanelResult:
    """What the page shows of one report's result: its explanation and its tables."""
    explanation = str(getattr(result, "explanation", ""))
    return PanelResult(name, explanation, html_tables(result, lang=lang))


def impact_highlight(result: ImpactResult, *, lang: str = "fr") -> Highlight:
    """The closed actors, the actors that lose supply (share lost), and the flows lost."""
    closed_label = "closed" if lang == "en" else "fermé"
    nodes = dict.fromkeys(result.closed, closed_label)
    for affected in result.affected:
        nodes.setdefault(affected.actor, f"-{affected.share_lost:.0%}")
    title = "Closure impact" if lang == "en" else "Impact d'une fermeture"
    return Highlight(title, nodes, frozenset(result.lost_flows), note=result.explanation)


def diff_highlight(result: DiffResult, *, lang: str = "fr") -> Highlight:
    """Actors and flows added or changed in the newer version."""
    added, changed = ("new", "changed") if lang == "en" else ("nouveau", "modifié")
    nodes = dict.fromkeys(result.actors_added, added)
    nodes.update({c.actor: changed for c in result.actors_changed})
    edges = {f.flow for f in result.flows_added} | {f.flow for f in result.flows_changed}
    title = "Changes" if lang == "en" else "Évolution"
    return Highlight(title, nodes, frozenset(edges), note=result.explanation)


def highlight_of(
    name: str,
    result: BaseModel | None,
    *,
    lang: str = "fr",
    flows: Iterable[tuple[str, str, str]] = (),
) -> Highlight | None:
    """What to bring forward on the picture for a report of the panel (None: nothing).

    Built from the report's result (run in the API's child process, within budget, and
    kept): drawing the picture never runs an analysis of its own. ``flows`` are the toile's
    flows as ``(source, target, id)``, for the communities' overlay.
    """
    if isinstance(result, ImpactResult):
        return impact_highlight(result, lang=lang)
    if isinstance(result, DiffResult):
        return diff_highlight(result, lang=lang)
    if result is None or PANEL.get(name) is None:
        return None
    return highlight_from_result(result, lang="en" if lang == "en" else "fr", flows=flows)
