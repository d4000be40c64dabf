"""The demonstration: load the reference toiles, analyse them, draw them, summarise in French.

``toiles demo`` runs everything the engine does on the bundled toiles and writes, for each
toile version, a folder ``OUT/<toile>-<version>/`` with the interactive page, the posters
(PNG, SVG), the Sankey diagram, the GeoJSON map and one JSON file per analysis report.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from toiles.analysis import REPORTS, run_report
from toiles.errors import AnalysisError
from toiles.graph import graph_from_toile
from toiles.loaders import load_toile
from toiles.models.history import load_record
from toiles.models.vocab import ActorKind, label
from toiles.reference import reference_dirs
from toiles.viz import render_set

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx
    from pydantic import BaseModel
    from rich.console import Console

    from toiles.graph_db.base import ToileStore
    from toiles.models.toile import Toile

#: Reports whose one-sentence explanation the summary prints, in this order.
SUMMARY_REPORTS = (
    "centrality",
    "centrality-companies",
    "loops",
    "cycling",
    "candidates",
    "impact",
    "gaps",
)

#: Second readings of a report: key of the result, report, options, French title.
READINGS: tuple[tuple[str, str, dict[str, object], str], ...] = (
    ("centrality-companies", "centrality", {"view": "companies"}, "Entreprises clés"),
)


def _title(name: str) -> str:
    for key, _, _, title in READINGS:
        if key == name:
            return title
    return REPORTS[name].title


def load_reference_toiles(store: ToileStore) -> list[Toile]:
    """Validate and store every bundled reference toile version; return them."""
    toiles = [load_toile(folder) for folder in reference_dirs()]
    for toile in toiles:
        who = "toiles demo (toiles de référence)"  # the history says who, not « inconnu »
        record = load_record(
            toile.id, toile.version, who=who, actors=len(toile.actors), flows=len(toile.flows)
        )
        store.save_toile(toile, edit=record)
    return toiles


def _closure_candidate(centrality: BaseModel | None) -> str | None:
    """The most central company: the closure the impact report simulates."""
    for row in getattr(centrality, "ranking", []):
        if row.kind == ActorKind.ENTREPRISE.value:
            return str(row.actor)
    return None


def analyse_toile(
    G: nx.MultiDiGraph[str], *, previous: nx.MultiDiGraph[str] | None = None
) -> dict[str, BaseModel]:
    """Run every report on a toile graph (``diff`` against ``previous`` when given).

    Key actors are read twice: every actor (``centrality``) and companies only
    (``centrality-companies``).
    """
    results: dict[str, BaseModel] = {}
    for name, spec in REPORTS.items():
        if spec.needs_other and previous is None:
            continue
        options: dict[str, object] = {}
        if name == "impact":
            actor = _closure_candidate(results.get("centrality"))
            if actor is None:
                continue
            options = {"actors": [actor]}
        try:
            results[name] = run_report(name, G, options, other=previous)
        except AnalysisError:
            continue  # a report the toile cannot support (no quantities in any family...)
        for key, report, extra, _ in READINGS:
            if report == name:
                try:
                    results[key] = run_report(report, G, extra, other=previous)
                except AnalysisError:
                    continue
    return results


def run_demo(store: ToileStore, out: Path, *, console: Console) -> None:
    """Run the whole demonstration into ``out`` and print what it did, in French."""
    out.mkdir(parents=True, exist_ok=True)
    with console.status("Chargement des toiles de référence…"):
        toiles = load_reference_toiles(store)
    table = Table(
        "Toile", "Version", "Thème", "Acteurs", "Flux", "Données", title="Toiles chargées"
    )
    table.columns[0].no_wrap = True
    for toile in toiles:
        nature = "illustratives" if toile.illustrative else "publiées"
        table.add_row(
            toile.id,
            toile.version,
            label(toile.theme),
            str(len(toile.actors)),
            str(len(toile.flows)),
            nature,
        )
    console.print(table)
    previous: dict[str, nx.MultiDiGraph[str]] = {}
    for toile in toiles:
        G = graph_from_toile(toile)
        folder = out / f"{toile.id}-{toile.version}"
        with console.status(f"Analyses et visuels de {toile.id} {toile.version}…"):
            results = analyse_toile(G, previous=previous.get(toile.id))
            reports = folder / "analyses"
            reports.mkdir(parents=True, exist_ok=True)
            for name, result in results.items():
                (reports / f"{name}.json").write_text(
                    json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2),
                    encoding="utf-8",
                )
            visuals = render_set(G, folder)
        previous[toile.id] = G
        console.rule(f"[bold]{escape(toile.name)}[/] ({toile.id} {toile.version})")
        for name in (*SUMMARY_REPORTS, "diff"):
            if name in results:
                explanation = getattr(results[name], "explanation", "")
                console.print(f"• [bold]{_title(name)}[/] : {escape(explanation)}")
        console.print(
            f"  {len(visuals)} visuels et {len(results)} analyses (JSON) dans {escape(str(folder))}"
        )
    console.print(
        "\n[italic]Les toiles de l'Artois sont illustratives : acteurs privés fictifs, chiffres "
        "inventés pour la démonstration (voir docs/reference-toiles.md). Kalundborg : chiffres "
        "publiés, sources dans chaque flux.[/]"
    )
    console.print(f"Ouvrez [bold]{escape(str(out))}/*/*.html[/] dans un navigateur (hors ligne).")
