"""One route per analysis report, generated from the registry of :mod:`toiles.analysis`.

Each report's options model becomes its query parameters (documented in the OpenAPI schema).
The analysis runs on the graph of what the caller may see: an anonymous caller's centrality
is computed without the flows hidden from them, not computed on everything and then filtered.
"""

# No `from __future__ import annotations` here: the routes are built in a loop and FastAPI must
# see each report's own options class, not a string it would resolve in this module's globals.

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from toiles.analysis import REPORTS, ReportSpec, run_report
from toiles.api.deps import RoleDep, StoreDep
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ErrorPublic

router = APIRouter(prefix="/toiles/{toile_id}/analysis", tags=["analyses"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile ou acteur introuvable"},
    422: {"model": ErrorPublic, "description": "Options invalides, ou toile qui ne s'y prête pas"},
}


def _add_route(spec: ReportSpec) -> None:
    options_model: Any = spec.options

    if spec.needs_other:

        def route_with_other(
            toile_id: str,
            store: StoreDep,
            role: RoleDep,
            against: Annotated[str, Query(description="Version de référence", max_length=40)],
            version: VersionQuery = None,
        ) -> BaseModel:
            G = store.graph(toile_id, version, visibility=role.visibility)
            other = store.graph(toile_id, against, visibility=role.visibility)
            return run_report(spec.name, G, {}, other=other)

        endpoint: Any = route_with_other
    else:

        def route(
            toile_id: str,
            store: StoreDep,
            role: RoleDep,
            options: Annotated[options_model, Query()],
            version: VersionQuery = None,
        ) -> BaseModel:
            G = store.graph(toile_id, version, visibility=role.visibility)
            return run_report(spec.name, G, options.model_dump())

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
