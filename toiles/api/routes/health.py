"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from toiles.api.deps import StoreDep

router = APIRouter(tags=["santé"])


@router.get("/healthz", summary="Le processus répond")
async def healthz() -> dict[str, str]:
    """Answer as long as the process runs: on the event loop, never behind a busy thread."""
    return {"status": "ok"}


@router.get(
    "/readyz", summary="La base répond", responses={503: {"description": "Base injoignable"}}
)
def readyz(store: StoreDep) -> dict[str, str]:
    """Answer 200 when the store answers, 503 otherwise (the store reconnects by itself)."""
    store.ping()
    return {"status": "ok"}
