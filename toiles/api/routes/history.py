"""The edit history of a toile: every change, who made it, when, before and after."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from toiles.api.deps import EditorDep, StoreDep
from toiles.api.editing import etag
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import EditsPublic, ErrorPublic
from toiles.graph_db.base import MAX_LIMIT

router = APIRouter(prefix="/toiles/{toile_id}/history", tags=["historique"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile introuvable"},
}


@router.get("", summary="Historique des modifications", responses=_ERRORS)
def list_edits(
    toile_id: str,
    store: StoreDep,
    _role: EditorDep,
    response: Response,
    version: VersionQuery = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> EditsPublic:
    """The edits of a toile, newest first (editors and admins: they hold every field).

    The ``ETag`` of the answer is the current revision of the version (the latest by
    default): send it back in ``If-Match`` with an edit based on what you read.
    """
    revision = store.get_revision(toile_id, version)
    edits = store.list_edits(toile_id, version, limit=limit)
    response.headers["ETag"] = etag(revision)
    return EditsPublic(data=edits, count=len(edits), revision=revision)
