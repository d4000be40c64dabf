"""Toiles and their versions; importing a new version from files."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import IO, Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from toiles.access import Role
from toiles.api.deps import EditorDep, RoleDep, SettingsDep, StoreDep
from toiles.api.editing import etag
from toiles.api.schemas import ErrorPublic, ToilesPublic
from toiles.api.workers import AnalysisRunner, store_opener, with_store
from toiles.errors import Problem, ValidationError
from toiles.graph_db.base import ActorQuery, FlowQuery, ToileStore
from toiles.loaders import validate_toile
from toiles.loaders.archive import TOILE_FILES, save_upload, unpack_toile_files
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
    toile_id: str, store: StoreDep, role: RoleDep, response: Response, version: VersionQuery = None
) -> ToileSummary:
    """The description and visible counts of one version (default: the latest).

    The answer's ``ETag`` is the version's revision: send it back in ``If-Match`` with an
    edit so that it is refused (409) if someone changed the version meanwhile.
    """
    summary = visible_summary(store, store.get_summary(toile_id, version), role)
    response.headers["ETag"] = etag(store.get_revision(toile_id, summary.version))
    return summary


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
async def import_toile(  # FastAPI's parameters
    request: Request,
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
    with tempfile.TemporaryDirectory(prefix="toiles-import-") as tmp:
        uploads = [(PurePosixPath(u.filename or "").name, u.file) for u in files]
        saved = await run_in_threadpool(save_uploads, uploads, Path(tmp), limit)
        # Unpacking, validating and storing a large toile takes seconds of Python: in a
        # child process with its own budget, so that the server keeps answering meanwhile.
        args = (saved, Path(tmp), toile_id, version, limit)
        opener = store_opener(store)
        if opener is None:
            return await run_in_threadpool(import_files, store, *args)
        runner: AnalysisRunner = request.app.state.analyses
        summary = await runner.run_once(
            with_store, opener, import_files, *args, timeout_s=settings.import_timeout_s
        )
        assert isinstance(summary, ToileSummary)  # noqa: S101  # what import_files returns
        return summary


def save_uploads(
    uploads: Sequence[tuple[str, IO[bytes]]],
    folder: Path,
    limit: int,
    *,
    also: tuple[Callable[[str], bool], str] | None = None,
) -> list[Path]:
    """Stream each upload to its own file under ``folder``, refusing odd names and sizes.

    ``also`` accepts more files: a test on the name, and how to name them in the message
    (the web application's whole-toile workbooks).
    """
    saved = []
    for index, (name, source) in enumerate(uploads):
        accepted = name.lower().endswith(".zip") or name in TOILE_FILES
        if not accepted and also is not None and also[0](name):
            accepted = True
        if not accepted:
            kinds = "zip, toile.yaml, actors, flows" + (f", {also[1]}" if also else "")
            msg = f"fichier inattendu : {name or '(sans nom)'} ({kinds})"
            raise ValidationError([Problem(name or "?", None, None, msg)])
        target = folder / f"upload-{index}"
        target.mkdir()
        saved.append(save_upload(source, target / name, max_bytes=limit))
    return saved


def import_files(  # the store, the files, and where they go
    store: ToileStore,
    files: list[Path],
    workdir: Path,
    toile_id: str,
    version: str | None,
    limit: int,
) -> ToileSummary:
    """Unpack, validate in full and store uploaded files as a version of ``toile_id``.

    Without a ``toile.yaml``, the description of the toile's latest stored version is used.
    Runs in a child process of the API (it opens the store itself there).
    """
    folder = unpack_toile_files(files, workdir / "toile", max_bytes=limit)
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
