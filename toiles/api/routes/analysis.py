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
from collections.abc import Callable
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


class ReportCall:
    """One report on a stored version, as a reader may see it: its cache key, then its job.

    The key (version, revision, reader's level, report, options) is read first, so a kept
    result costs no graph read; :meth:`job` then says what the child process runs. Shared by
    the API's routes and the web application's pages, so both reuse each other's results.
    """

    def __init__(  # what identifies one report on one version
        self,
        store: ToileStore,
        visibility: Confidentiality,
        name: str,
        toile_id: str,
        version: str | None,
        options: dict[str, Any],
        against: str | None = None,
    ) -> None:
        summary = store.get_summary(toile_id, version)
        other_summary = store.get_summary(toile_id, against) if against else None
        revision = store.get_revision(toile_id, summary.version)
        self.key = (
            summary.model_dump_json(),
            revision,  # an edit changes it, even one that leaves the counts alone
            other_summary.model_dump_json() if other_summary else None,
            visibility.value,
            name,
            json.dumps(options, sort_keys=True, default=str),
        )
        self._store, self._visibility, self._name = store, visibility, name
        self._toile_id, self._version = toile_id, summary.version
        self._options, self._against = options, against

    def job(self) -> tuple[Callable[..., BaseModel], tuple[Any, ...]]:
        """The function and arguments the child process runs (reading the graphs if it can)."""
        opener = store_opener(self._store)
        if opener is not None:  # the child reads the graphs: no GIL held here meanwhile
            args = (self._name, self._toile_id, self._version, self._visibility)
            return with_store, (opener, _report_from_store, *args, self._options, self._against)
        G = self._store.graph(self._toile_id, self._version, visibility=self._visibility)
        other = (
            self._store.graph(self._toile_id, self._against, visibility=self._visibility)
            if self._against
            else None
        )
        return report_in_child, (self._name, G, self._options, other)


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
    call = await run_in_threadpool(
        ReportCall, store, role.visibility, spec.name, toile_id, version, options, against
    )
    runner = _runner(request)
    kept = runner.cached(call.key)
    if kept is not None:
        return kept
    function, args = await run_in_threadpool(call.job)
    return await runner.run(call.key, function, *args)


def stored_report(  # a report on a stored version, for one reader
    runner: AnalysisRunner,
    store: ToileStore,
    visibility: Confidentiality,
    name: str,
    toile_id: str,
    version: str | None,
    options: dict[str, Any],
    against: str | None = None,
) -> BaseModel:
    """The same as the API's route, from a thread (the web pages): kept, or run in budget.

    Raises
    ------
    OverBudget
        When the budget runs out (the child is killed then).
    """
    call = ReportCall(store, visibility, name, toile_id, version, options, against)
    kept = runner.cached(call.key)
    if kept is not None:
        return kept
    function, args = call.job()
    return runner.run_kept(call.key, function, *args)


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
