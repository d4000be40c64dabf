"""Toiles and their versions; importing a new version from files."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile, status
from starlette.concurrency import run_in_threadpool

from toiles.access import Role
from toiles.api.deps import EditorDep, RoleDep, SettingsDep, StoreDep
from toiles.api.schemas import ErrorPublic, ToilesPublic
from toiles.errors import Problem, ValidationError
from toiles.graph_db.base import ActorQuery, FlowQuery, ToileStore
from toiles.loaders import validate_toile
from toiles.loaders.archive import TOILE_FILES, extract_toile_archive, save_upload
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
    limit = int(settings.api_max_upload_mb * 1_000_000)
    uploads = [(PurePosixPath(u.filename or "").name, u.file) for u in files]
    # Unpacking, validating and storing a large toile takes seconds: never on the event loop.
    return await run_in_threadpool(_import_files, store, toile_id, uploads, version, limit)


def _import_files(
    store: ToileStore,
    toile_id: str,
    uploads: Sequence[tuple[str, IO[bytes]]],
    version: str | None,
    limit: int,
) -> ToileSummary:
    with tempfile.TemporaryDirectory(prefix="toiles-import-") as tmp:
        folder = Path(tmp) / "toile"
        folder.mkdir()
        for name, source in uploads:
            if name.lower().endswith(".zip"):
                archive = save_upload(source, Path(tmp) / "archive.zip", max_bytes=limit)
                extract_toile_archive(archive, folder, max_bytes=limit)
            elif name in TOILE_FILES:
                save_upload(source, folder / name, max_bytes=limit)
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
