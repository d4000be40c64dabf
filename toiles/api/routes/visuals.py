"""Visuals and exports of a toile, and the embeddable page for other websites' iframes.

Everything is drawn from the part of the toile the caller may see: the toile is redacted to
the caller's level before any drawing or export starts, so hidden data never reaches a file.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from toiles.api.deps import RoleDep, SettingsDep, StoreDep
from toiles.api.routes.toiles import VersionQuery
from toiles.api.schemas import ErrorPublic
from toiles.models.vocab import Confidentiality

router = APIRouter(tags=["visuels et exports"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile introuvable"},
    422: {"model": ErrorPublic, "description": "Options invalides"},
}


class RenderFormat(StrEnum):
    """Formats of ``/render.{format}``."""

    HTML = "html"
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


class ExportFormat(StrEnum):
    """Formats of ``/export.{format}``."""

    GEXF = "gexf"
    GRAPHML = "graphml"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"


_MEDIA = {
    "html": "text/html; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gexf": "application/xml",
    "graphml": "application/xml",
    "json": "application/json",
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


class SizeBy(StrEnum):
    """Measure that sizes the actors."""

    EMPLOYEES = "employees"
    CENTRALITY = "centrality"
    THROUGHFLOW = "throughflow"


class GroupBy(StrEnum):
    """Grouping of the aggregated view."""

    EPCI = "epci"
    COMMUNE = "commune"
    ZAE = "zae"
    KIND = "kind"
    NAF = "naf"


class Paper(StrEnum):
    """Paper sizes of the posters."""

    A4 = "A4"
    A3 = "A3"
    A2 = "A2"
    A1 = "A1"
    A0 = "A0"


class Lang(StrEnum):
    """Language of what the visuals say."""

    FR = "fr"
    EN = "en"


def _file_response(path: Path, fmt: str, filename: str) -> Response:
    if path.is_dir():  # the CSV pair: one zip with both tables
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(path.iterdir()):
                archive.write(item, item.name)
        content = buffer.getvalue()
        filename += ".zip"
    else:
        content = path.read_bytes()
    disposition = "inline" if fmt in {"html", "png", "svg", "pdf"} else "attachment"
    return Response(
        content,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'},
    )


@router.get(
    "/api/v1/toiles/{toile_id}/render.{fmt}",
    summary="Dessiner une toile (page interactive, PNG, SVG, PDF)",
    responses={**_ERRORS, 200: {"content": {m: {} for m in ("text/html", "image/png")}}},
)
def render_toile(  # one parameter per drawing option
    toile_id: str,
    fmt: RenderFormat,
    store: StoreDep,
    role: RoleDep,
    version: VersionQuery = None,
    lang: Lang = Lang.FR,
    size_by: SizeBy = SizeBy.THROUGHFLOW,
    group_by: GroupBy | None = None,
    highlight: Annotated[
        str | None,
        Query(
            max_length=200,
            description="key-actors, loops, candidates, impact:ACTEUR ou community",
        ),
    ] = None,
    paper: Paper = Paper.A3,
    seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Response:
    """Draw the part of a toile the caller may see."""
    from toiles.viz import render  # noqa: PLC0415  # matplotlib and friends only when drawing

    toile = store.get_toile(toile_id, version, visibility=role.visibility)
    with tempfile.TemporaryDirectory(prefix="toiles-render-") as tmp:
        path = render(
            toile,
            fmt.value,
            Path(tmp) / f"toile.{fmt.value}",
            lang=lang.value,
            size_by=size_by.value,
            group_by=group_by.value if group_by else None,
            highlight=highlight,
            paper=paper.value,
            seed=seed,
            dpi=120,
        )
        return _file_response(path, fmt.value, f"{toile.id}-{toile.version}.{fmt.value}")


@router.get(
    "/api/v1/toiles/{toile_id}/export.{fmt}",
    summary="Exporter une toile (Gephi, GraphML, JSON, CSV, Excel, GeoJSON)",
    responses=_ERRORS,
)
def export_toile_route(
    toile_id: str,
    fmt: ExportFormat,
    store: StoreDep,
    role: RoleDep,
    version: VersionQuery = None,
    excel: Annotated[bool, Query(description="CSV pour Excel français")] = False,
) -> Response:
    """Export the part of a toile the caller may see."""
    from toiles.io import SUFFIXES, export_toile  # noqa: PLC0415

    toile = store.get_toile(toile_id, version, visibility=role.visibility)
    with tempfile.TemporaryDirectory(prefix="toiles-export-") as tmp:
        name = f"{toile.id}-{toile.version}{SUFFIXES[fmt.value]}"
        path = export_toile(toile, fmt.value, Path(tmp) / name, excel=excel)
        return _file_response(path, fmt.value, name or f"{toile.id}-{toile.version}")


@router.get(
    "/embed/{toile_id}",
    summary="Page interactive à intégrer dans une iframe",
    responses={**_ERRORS, 200: {"content": {"text/html": {}}}},
)
def embed(
    toile_id: str,
    store: StoreDep,
    role: RoleDep,
    settings: SettingsDep,
    version: VersionQuery = None,
    lang: Lang = Lang.FR,
) -> Response:
    """The interactive page, framable only from the configured origins.

    ``Content-Security-Policy: frame-ancestors`` lists ``'self'`` and the origins of
    ``TOILES_API_ALLOWED_ORIGINS``; browsers refuse to frame it anywhere else.
    """
    from toiles.viz import render  # noqa: PLC0415

    toile = store.get_toile(toile_id, version, visibility=role.visibility)
    with tempfile.TemporaryDirectory(prefix="toiles-embed-") as tmp:
        path = render(
            toile,
            "html",
            Path(tmp) / "embed.html",
            lang=lang.value,
            embed=True,
            public=role.visibility == Confidentiality.PUBLIC,
        )
        content = path.read_bytes()
    ancestors = " ".join(["'self'", *settings.api_allowed_origins])
    headers = {
        "Content-Security-Policy": f"frame-ancestors {ancestors}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if not settings.api_allowed_origins:
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return Response(content, media_type=_MEDIA["html"], headers=headers)
