"""One route per analysis report, generated from the registry of :mod:`toiles.analysis`.

Each report's options model becomes its query parameters (documented in the OpenAPI schema).
The analysis runs on the graph of what the caller may see: an anonymous caller's centrality
is computed without the flows hidden from them, not computed on everything and then filtered.
It runs in a child process with a time budget, and its result is kept per version, reader's
level, report and options (:mod:`toiles.api.workers`).
"""

# No `from __future__ import annotations` here: the routes are built in a loop and FastAPI must
# see each report's own options class, not a string it would resolve in this module's globals.

import json
from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from toiles.access import Role
from toiles.analysis import REPORTS, ReportSpec, run_report
from toiles.api.deps import RoleDep, StoreDep
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ErrorPublic
from toiles.api.workers import AnalysisRunner, store_opener, with_store
from toiles.graph_db.base import ToileStore
from toiles.models.vocab import Confidentiality

router = APIRouter(prefix="/toiles/{toile_id}/analysis", tags=["analyses"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou acteur introuvable"},
    422: {"model": ErrorPublic, "description": "Options invalides, ou toile qui ne s'y prête pas"},
    503: {"model": ErrorPublic, "description": "Analyse arrêtée : budget de temps dépassé"},
}


def report_in_child(
    name: str,
    G: "nx.MultiDiGraph[str]",
    options: dict[str, Any],
    other: "nx.MultiDiGraph[str] | None",
) -> BaseModel:
    """Run one report (in the child process: a module-level function, so it pickles)."""
    return run_report(name, G, options, other=other)


def _report_from_store(  # what the child needs to read the graphs itself
    store: ToileStore,
    name: str,
    toile_id: str,
    version: str,
    visibility: Confidentiality,
    options: dict[str, Any],
    against: str | None,
) -> BaseModel:
    """Read the graphs and run one report, in the child process."""
    G = store.graph(toile_id, version, visibility=visibility)
    other = store.graph(toile_id, against, visibility=visibility) if against else None
    return run_report(name, G, options, other=other)


def _runner(request: Request) -> AnalysisRunner:
    runner: AnalysisRunner = request.app.state.analyses
    return runner


async def _run(
    request: Request,
    store: ToileStore,
    role: Role,
    spec: ReportSpec,
    toile_id: str,
    version: str | None,
    options: dict[str, Any],
    against: str | None = None,
) -> BaseModel:
    """Run a report off the event loop, in a child process within its budget, or reuse it."""
    visibility = role.visibility
    summary = await run_in_threadpool(store.get_summary, toile_id, version)
    other_summary = (
        await run_in_threadpool(store.get_summary, toile_id, against) if against else None
    )
    revision = await run_in_threadpool(store.get_revision, toile_id, summary.version)
    key = (
        summary.model_dump_json(),
        revision,  # an edit changes it, even one that leaves the counts alone
        other_summary.model_dump_json() if other_summary else None,
        visibility.value,
        spec.name,
        json.dumps(options, sort_keys=True, default=str),
    )
    name = spec.name
    runner = _runner(request)
    kept = runner.cached(key)
    if kept is not None:
        return kept
    opener = store_opener(store)
    if opener is not None:  # the child reads the graphs: no GIL held here meanwhile
        args = (name, toile_id, summary.version, visibility, options, against)
        return await runner.run(key, with_store, opener, _report_from_store, *args)
    G = await run_in_threadpool(store.graph, toile_id, summary.version, visibility=visibility)
    other = (
        await run_in_threadpool(store.graph, toile_id, against, visibility=visibility)
        if against
        else None
    )
    return await runner.run(key, report_in_child, name, G, options, other)


def _add_route(spec: ReportSpec) -> None:
    options_model: Any = spec.options

    if spec.needs_other:

        async def route_with_other(
            request: Request,
            toile_id: str,
            store: StoreDep,
            role: RoleDep,
            against: Annotated[str, Query(description="Version de référence", max_length=40)],
            version: VersionQuery = None,
        ) -> BaseModel:
            return await _run(request, store, role, spec, toile_id, version, {}, against)

        endpoint: Any = route_with_other
    else:

        async def route(
            request: Request,
            toile_id: str,
            store: StoreDep,
            role: RoleDep,
            options: Annotated[options_model, Query()],
            version: VersionQuery = None,
        ) -> BaseModel:
            return await _run(request, store, role, spec, toile_id, version, options.model_dump())

        endpoint = route
    router.add_api_route(
        f"/{spec.name}",
        endpoint,
        methods=["GET"],
        response_model=spec.result,
        summary=spec.title,
        description=(spec.function.__doc__ or "").split("\n\n", 1)[0],
        responses=_ERRORS,
        name=f"analysis_{spec.name}",
    )


for _spec in REPORTS.values():
    _add_route(_spec)
