"""Toiles and their versions; importing a new version from files."""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile, status

from toiles.access import Role
from toiles.api.deps import EditorDep, RoleDep, SettingsDep, StoreDep
from toiles.api.errors import ApiError
from toiles.api.schemas import ErrorPublic, ToilesPublic
from toiles.errors import Problem, ValidationError
from toiles.graph_db.base import ActorQuery, FlowQuery, ToileStore
from toiles.loaders import validate_toile
from toiles.models.toile import ToileSummary

router = APIRouter(prefix="/toiles", tags=["toiles"])

VersionQuery = Annotated[
    str | None, Query(description="Version de la toile (défaut : la dernière)", max_length=40)
]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Toile introuvable"}
}


def visible_summary(store: ToileStore, summary: ToileSummary, role: Role) -> ToileSummary:
    """A version's summary whose counts only include what ``role`` may see."""
    if role.visibility.rank == Role.ADMIN.visibility.rank:
        return summary
    actors = store.query_actors(
        summary.id, ActorQuery(visibility=role.visibility, limit=1), version=summary.version
    )
    flows = store.query_flows(
        summary.id, FlowQuery(visibility=role.visibility, limit=1), version=summary.version
    )
    return summary.model_copy(update={"actors": actors.total, "flows": flows.total})


@router.get("", summary="Lister les toiles (toutes les versions)")
def list_toiles(store: StoreDep, role: RoleDep) -> ToilesPublic:
    """Every stored version of every toile, with the counts the caller may see."""
    data = [visible_summary(store, s, role) for s in store.list_toiles()]
    return ToilesPublic(data=data, count=len(data))


@router.get("/{toile_id}", summary="Décrire une version d'une toile", responses=_NOT_FOUND)
def get_toile(
    toile_id: str, store: StoreDep, role: RoleDep, version: VersionQuery = None
) -> ToileSummary:
    """The description and visible counts of one version (default: the latest)."""
    return visible_summary(store, store.get_summary(toile_id, version), role)


@router.get("/{toile_id}/versions", summary="Lister les versions d'une toile", responses=_NOT_FOUND)
def list_versions(toile_id: str, store: StoreDep, role: RoleDep) -> ToilesPublic:
    """The versions of one toile, oldest first."""
    data = [visible_summary(store, s, role) for s in store.list_versions(toile_id)]
    return ToilesPublic(data=data, count=len(data))


def _safe_extract(data: bytes, target: Path, limit: int) -> Path:
    """Extract a zip of a toile folder, refusing absolute paths, '..' and zip bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        msg = "archive zip illisible"
        raise ValidationError([Problem("archive.zip", None, None, msg)]) from exc
    total = 0
    with archive:
        for member in archive.infolist():
            path = PurePosixPath(member.filename)
            if path.is_absolute() or ".." in path.parts:
                msg = f"chemin interdit dans l'archive : {member.filename}"
                raise ValidationError([Problem("archive.zip", None, None, msg)])
            total += member.file_size
            if total > limit:
                msg = "archive trop volumineuse une fois décompressée"
                raise ValidationError([Problem("archive.zip", None, None, msg)])
            if member.is_dir() or path.name not in _TOILE_FILES:
                continue
            (target / path.name).write_bytes(archive.read(member))
    return target


_TOILE_FILES = {
    "toile.yaml",
    "toile.yml",
    "actors.csv",
    "actors.xlsx",
    "acteurs.csv",
    "acteurs.xlsx",
    "flows.csv",
    "flows.xlsx",
    "flux.csv",
    "flux.xlsx",
}


@router.post(
    "/{toile_id}/import",
    summary="Importer une version (zip d'un dossier de toile, ou fichiers)",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": ErrorPublic, "description": "Rapport de validation complet"}},
)
async def import_toile(
    toile_id: str,
    store: StoreDep,
    settings: SettingsDep,
    _role: EditorDep,
    files: Annotated[
        list[UploadFile],
        File(description="Un zip (toile.yaml, actors.csv, flows.csv) ou les fichiers eux-mêmes"),
    ],
    version: VersionQuery = None,
) -> ToileSummary:
    """Validate the uploaded toile in full, then store it all or nothing.

    Without a ``toile.yaml``, the description of the toile's latest stored version is used.
    """
    limit = int(settings.api_max_upload_mb * 1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="toiles-import-") as tmp:
        folder = Path(tmp)
        for upload in files:
            data = await upload.read(limit + 1)
            if len(data) > limit:
                raise ApiError(status.HTTP_413_CONTENT_TOO_LARGE, "fichier trop volumineux")
            name = PurePosixPath(upload.filename or "").name
            if name.lower().endswith(".zip"):
                _safe_extract(data, folder, limit)
            elif name in _TOILE_FILES:
                (folder / name).write_bytes(data)
            else:
                msg = f"fichier inattendu : {name or '(sans nom)'} (zip, toile.yaml, actors, flows)"
                raise ValidationError([Problem(name or "?", None, None, msg)])
        overrides: dict[str, object] = {"id": toile_id}
        if version:
            overrides["version"] = version
        if not any((folder / n).exists() for n in ("toile.yaml", "toile.yml")):
            info = store.get_summary(toile_id).model_dump(mode="json", exclude={"actors", "flows"})
            (folder / "toile.yaml").write_text("{}", encoding="utf-8")
            overrides = {**info, **overrides}
        report = validate_toile(folder, overrides=overrides)
        if not report.ok or report.toile is None:
            # Name the uploaded files, not the temporary folder they were written to.
            problems = [dataclasses.replace(p, file=Path(p.file).name) for p in report.problems]
            raise ValidationError(problems, source="import")
        store.save_toile(report.toile)
        return report.toile.summary()
