"""Editing in the browser (role ``editeur`` or ``admin``): actors, flows, imports, history.

Changes go through :mod:`toiles.edit` (the same checks and French messages as the command
line and the API) and :func:`toiles.edit.edit_toile`, which saves a version only if it is
still at the revision the change was made on (the store checks it in the same transaction)
and records who did what, before and after, in the store's edit history.

Each form also carries the *revision of the actor or flow* it was opened on (a hash of its
stored values): when another editor has changed that actor or flow in the meantime, the
save is refused with a conflict page (HTTP 409) showing the current values, instead of
silently overwriting their change. Changes to *other* actors of the version in between do
not block the save: the change is applied again on the fresh version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any, cast
from urllib.parse import quote

import pydantic
from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from toiles.api.deps import SettingsDep, StoreDep
from toiles.api.errors import status_of
from toiles.api.routes.toiles import import_files as import_files_as_api
from toiles.api.routes.toiles import save_uploads
from toiles.api.workers import AnalysisRunner, store_opener, with_store
from toiles.edit import (
    EditConflict,
    adding_actor,
    adding_flow,
    edit_toile,
    removing_actor,
    removing_flow,
    updating_actor,
    updating_flow,
)
from toiles.errors import FlowNotFound, RevisionConflict, ToilesError, ValidationError
from toiles.loaders.validate import problems_from_pydantic
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.history import EditAction, EditRecord, load_record
from toiles.models.vocab import ActorKind, Confidence, Confidentiality, FlowKind, Status, label
from toiles.web.deps import CheckedForm, EditorVisitor, FormChecked
from toiles.web.i18n import lang_of
from toiles.web.render import HtmlRoute, page
from toiles.web.workbook import is_workbook, rename_problems, split_workbook

if TYPE_CHECKING:
    from collections.abc import Callable

    from starlette.datastructures import FormData

    from toiles.edit import Change
    from toiles.graph_db.base import Store, ToileStore
    from toiles.models.toile import Toile, ToileSummary
    from toiles.web.session import Visitor

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)

Version = Annotated[str | None, Query(max_length=40)]
REVISION_FIELD = "revision"
NEW_VERSION_FIELD = "new_version"


@dataclass(frozen=True)
class Field:
    """One control of an edit form."""

    name: str
    label_key: str
    kind: str = "text"  # text, number, select, textarea
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    step: str = "any"


def _choices(enum: type[StrEnum], lang: str, *, blank: bool = False) -> tuple[tuple[str, str], ...]:
    options = tuple((v.value, f"{label(v, lang)} ({v.value})") for v in enum)
    return ((("", "–"),) if blank else ()) + options


def actor_fields(lang: str) -> list[Field]:
    """The controls of the actor form, in the order of the actors table."""
    return [
        Field("name", "name", required=True),
        Field("kind", "kind", "select", _choices(ActorKind, lang), required=True),
        Field("siret", "siret"),
        Field("naf", "naf"),
        Field("employees", "employees", "number", step="1"),
        Field("commune_insee", "commune"),
        Field("epci", "epci"),
        Field("zae", "zae"),
        Field("lat", "lat", "number"),
        Field("lon", "lon", "number"),
        Field("confidentiality", "confidentiality", "select", _choices(Confidentiality, lang)),
        Field("provenance", "provenance"),
        Field("tags", "tags"),
        Field("description", "description", "textarea"),
    ]


def flow_fields(lang: str) -> list[Field]:
    """The controls of the flow form, in the order of the flows table."""
    return [
        Field("source", "source", required=True),
        Field("target", "target", required=True),
        Field("kind", "kind", "select", _choices(FlowKind, lang), required=True),
        Field("quantity", "quantity", "number"),
        Field("unit", "unit"),
        Field("year", "year", "number", step="1"),
        Field("status", "status", "select", _choices(Status, lang)),
        Field("confidentiality", "confidentiality", "select", _choices(Confidentiality, lang)),
        Field("provenance", "provenance"),
        Field("confidence", "confidence", "select", _choices(Confidence, lang, blank=True)),
        Field("notes", "notes", "textarea"),
    ]


def revision(item: Actor | Flow) -> str:
    """The revision of an actor or flow as stored: a hash of all its values."""
    return hashlib.sha256(item.model_dump_json().encode()).hexdigest()[:20]


def _values(item: Actor | Flow | None) -> dict[str, str]:
    if item is None:
        return {}
    out = {}
    for key, value in item.model_dump(mode="json").items():
        if value is None:
            out[key] = ""
        elif isinstance(value, list):
            out[key] = ", ".join(str(v) for v in value)
        else:
            out[key] = str(value)
    return out


def _submitted(form: FormData, fields: list[Field]) -> dict[str, Any]:
    """The form's values as model fields: empty controls are ``None``, tags a tuple."""
    data: dict[str, Any] = {}
    for f in fields:
        raw = form.get(f.name)
        text = raw.strip() if isinstance(raw, str) else ""
        if f.name == "tags":
            data["tags"] = tuple(t.strip() for t in text.split(",") if t.strip())
        else:
            data[f.name] = text or None
    return data


def _new_version(form: FormData, store: ToileStore, toile_id: str) -> str | None:
    """The new version the change is saved as, or None to change the version in place."""
    raw = form.get(NEW_VERSION_FIELD)
    new = raw.strip() if isinstance(raw, str) else ""
    if not new:
        return None
    if len(new) > 40 or not all(c.isalnum() or c in "-_." for c in new):  # noqa: PLR2004
        msg = f"version invalide : {new} (lettres, chiffres, - _ . ; 40 caractères au plus)"
        raise EditConflict(msg)
    if new in {s.version for s in store.list_versions(toile_id)}:
        msg = f"la version {new} de {toile_id} existe déjà : choisissez un autre nom"
        raise EditConflict(msg)
    return new


def _form_page(  # what one edit form page shows
    request: Request,
    visitor: Visitor,
    *,
    toile: Toile | ToileSummary,
    what: str,
    item_id: str | None,
    values: dict[str, str],
    rev: str,
    problems: list[str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    lang = lang_of(request)
    fields = actor_fields(lang) if what == "actor" else flow_fields(lang)
    return page(
        request,
        visitor,
        "edit_form.html",
        {
            "toile": toile,
            "what": what,
            "item_id": item_id,
            "fields": fields,
            "values": values,
            "revision": rev,
            "problems": problems or [],
            "conflict": conflict,
        },
        status_code=status_code,
    )


def _problems(exc: ValidationError | pydantic.ValidationError, what: str) -> list[str]:
    if isinstance(exc, pydantic.ValidationError):
        return [str(p) for p in problems_from_pydantic(exc, what)]
    return [str(p) for p in exc.problems]


def _conflict_text(kind: str, item_id: str) -> str:
    return (
        f"Conflit : {kind} {item_id} a été modifié par quelqu'un d'autre depuis l'ouverture "
        "de ce formulaire. Rien n'a été enregistré. Les valeurs actuelles sont affichées : "
        "refaites votre modification sur elles."
    )


def _who(visitor: Visitor) -> str:
    """The author of an edit as the history shows it (as the API names it)."""
    return f"{visitor.key_name} (clé {visitor.key_id})"


class _ItemChanged(Exception):  # internal signal, caught in this module
    """The actor or flow changed since the form was opened (carries its current state)."""

    def __init__(self, current: Actor | Flow) -> None:
        super().__init__(current.id)
        self.current = current


def _find_flow(toile: Toile, flow_id: str) -> Flow:
    for flow in toile.flows:
        if flow.id == flow_id:
            return flow
    msg = f"flux introuvable dans {toile.id} {toile.version} : {flow_id}"
    raise FlowNotFound(msg)


def _item(toile: Toile, what: str, item_id: str) -> Actor | Flow:
    return toile.actor(item_id) if what == "actor" else _find_flow(toile, item_id)


def _save_as(
    store: ToileStore,
    toile_id: str,
    version: str | None,
    change: Callable[[Toile], Change[Any]],
    new_version: str,
) -> Any:  # noqa: ANN401  # the change's own result
    """Apply a change to a version and save the result as a new version (the old one stays)."""
    toile, _ = store.get_toile_and_revision(toile_id, version)
    changed, record, result = change(toile)
    copy = changed.model_copy(update={"version": new_version})
    store.save_toile(
        copy, expected_revision=0, edit=record.model_copy(update={"version": new_version})
    )
    return result


def _apply(  # one edit submitted from a form, whatever it changes
    request: Request,
    visitor: Visitor,
    store: ToileStore,
    form: FormData,
    *,
    where: tuple[str, str | None],
    what: str,
    item_id: str | None,
    make: Callable[[str], Callable[[Toile], Change[Any]]],
    done: Callable[[Any, str], str],
) -> Response:
    """Apply an edit unless its actor or flow changed meanwhile; answer the next page.

    ``make`` builds the change of :mod:`toiles.edit` for an author; ``done`` gives the
    address to go to from the change's result and the version saved.
    """
    toile_id, version = where
    base = make(_who(visitor))

    def change(toile: Toile) -> Change[Any]:
        if item_id is not None:
            current = _item(toile, what, item_id)
            if form.get(REVISION_FIELD) != revision(current):
                raise _ItemChanged(current)
        return base(toile)

    def again(status_code: int, **shown: Any) -> Response:  # noqa: ANN401
        summary = store.get_summary(toile_id, version)
        return _form_page(
            request,
            visitor,
            toile=summary,
            what=what,
            item_id=item_id,
            values=shown.pop("values", {k: str(form.get(k) or "") for k in form}),
            rev=shown.pop("rev", str(form.get(REVISION_FIELD) or "")),
            status_code=status_code,
            **shown,
        )

    try:
        new_version = _new_version(form, store, toile_id)
        if new_version is None:
            result, _ = edit_toile(store, toile_id, version, change)
            saved = store.get_summary(toile_id, version).version
        else:
            result = _save_as(store, toile_id, version, change, new_version)
            saved = new_version
    except _ItemChanged as exc:
        kind = "l'acteur" if what == "actor" else "le flux"
        return again(
            status.HTTP_409_CONFLICT,
            values=_values(exc.current),
            rev=revision(exc.current),
            conflict=_conflict_text(kind, exc.current.id),
        )
    except RevisionConflict as exc:
        return again(status.HTTP_409_CONFLICT, conflict=str(exc))
    except (ValidationError, pydantic.ValidationError) as exc:
        return again(
            status.HTTP_422_UNPROCESSABLE_CONTENT, problems=_problems(exc, what_label(what))
        )
    except (EditConflict, KeyError) as exc:
        message = str(exc.args[0]) if exc.args else str(exc)
        return again(status_of(exc), problems=[message])
    return RedirectResponse(done(result, saved), status_code=status.HTTP_303_SEE_OTHER)


def what_label(what: str) -> str:
    """How a problem names the edited thing."""
    return "acteur" if what == "actor" else "flux"


def _actor_url(toile_id: str, actor_id: str, version: str) -> str:
    return f"/toiles/{quote(toile_id)}/acteurs/{quote(actor_id)}?version={quote(version)}"


def _toile_url(toile_id: str, version: str) -> str:
    return f"/toiles/{quote(toile_id)}?version={quote(version)}"


# ---- actors ---------------------------------------------------------------------------------


@router.get("/toiles/{toile_id}/acteurs/{actor_id}/modifier", name="web_actor_edit")
def actor_edit_form(
    request: Request,
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    version: Version = None,
) -> Response:
    """The form to change (or delete) an actor, with its current revision."""
    toile = store.get_toile(toile_id, version)
    actor = toile.actor(actor_id)
    return _form_page(
        request,
        visitor,
        toile=toile,
        what="actor",
        item_id=actor_id,
        values=_values(actor),
        rev=revision(actor),
    )


@router.post("/toiles/{toile_id}/acteurs/{actor_id}/modifier")
def actor_edit(
    request: Request,
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Save an actor's changes, unless someone changed it since the form was opened."""
    changes = _submitted(form, actor_fields(lang_of(request)))
    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="actor",
        item_id=actor_id,
        make=lambda who: updating_actor(actor_id, changes, who=who),
        done=lambda actor, saved: _actor_url(toile_id, actor.id, saved),
    )


@router.get("/toiles/{toile_id}/acteurs-nouveau", name="web_actor_new")
def actor_new_form(
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    version: Version = None,
) -> Response:
    """The form to add an actor."""
    toile = store.get_summary(toile_id, version)
    return _form_page(request, visitor, toile=toile, what="actor", item_id=None, values={}, rev="")


@router.post("/toiles/{toile_id}/acteurs-nouveau")
def actor_new(
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Add an actor (its id is checked as the actors table checks it)."""
    data = _submitted(form, actor_fields(lang_of(request)))
    raw_id = form.get("id")
    data["id"] = raw_id.strip() if isinstance(raw_id, str) else ""

    def make(who: str) -> Callable[[Toile], Change[Any]]:
        actor = Actor.model_validate({k: v for k, v in data.items() if v is not None})
        return adding_actor(actor, who=who)

    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="actor",
        item_id=None,
        make=make,
        done=lambda actor, saved: _actor_url(toile_id, actor.id, saved),
    )


@router.post("/toiles/{toile_id}/acteurs/{actor_id}/supprimer")
def actor_delete(
    request: Request,
    toile_id: str,
    actor_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Delete an actor (its flows too only when asked), unless it changed meanwhile."""
    cascade = form.get("cascade") == "on"
    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="actor",
        item_id=actor_id,
        make=lambda who: removing_actor(actor_id, cascade=cascade, who=who),
        done=lambda _, saved: _toile_url(toile_id, saved),
    )


# ---- flows ----------------------------------------------------------------------------------


@router.get("/toiles/{toile_id}/flux/{flow_id}/modifier", name="web_flow_edit")
def flow_edit_form(
    request: Request,
    toile_id: str,
    flow_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    version: Version = None,
) -> Response:
    """The form to change (or delete) a flow, with its current revision."""
    toile = store.get_toile(toile_id, version)
    flow = _find_flow(toile, flow_id)
    return _form_page(
        request,
        visitor,
        toile=toile,
        what="flow",
        item_id=flow_id,
        values=_values(flow),
        rev=revision(flow),
    )


@router.post("/toiles/{toile_id}/flux/{flow_id}/modifier")
def flow_edit(
    request: Request,
    toile_id: str,
    flow_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Save a flow's changes, unless someone changed it since the form was opened."""
    changes = _submitted(form, flow_fields(lang_of(request)))
    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="flow",
        item_id=flow_id,
        make=lambda who: updating_flow(flow_id, changes, who=who),
        done=lambda flow, saved: _actor_url(toile_id, flow.source, saved),
    )


@router.get("/toiles/{toile_id}/flux-nouveau", name="web_flow_new")
def flow_new_form(
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    version: Version = None,
) -> Response:
    """The form to add a flow."""
    toile = store.get_summary(toile_id, version)
    return _form_page(request, visitor, toile=toile, what="flow", item_id=None, values={}, rev="")


@router.post("/toiles/{toile_id}/flux-nouveau")
def flow_new(
    request: Request,
    toile_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Add a flow between two actors of the version (its id generated)."""
    data = {
        k: v for k, v in _submitted(form, flow_fields(lang_of(request))).items() if v is not None
    }
    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="flow",
        item_id=None,
        make=lambda who: adding_flow(data, who=who),
        done=lambda flow, saved: _actor_url(toile_id, flow.source, saved),
    )


@router.post("/toiles/{toile_id}/flux/{flow_id}/supprimer")
def flow_delete(
    request: Request,
    toile_id: str,
    flow_id: str,
    store: StoreDep,
    visitor: EditorVisitor,
    form: CheckedForm,
    version: Version = None,
) -> Response:
    """Delete a flow, unless it changed since the form was opened."""
    return _apply(
        request,
        visitor,
        store,
        form,
        where=(toile_id, version),
        what="flow",
        item_id=flow_id,
        make=lambda who: removing_flow(flow_id, who=who),
        done=lambda _, saved: _toile_url(toile_id, saved),
    )


# ---- import and history ---------------------------------------------------------------------


@router.get("/importer", name="web_import")
def import_form(
    request: Request,
    store: StoreDep,
    visitor: EditorVisitor,
    toile: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The form to import a toile version from files."""
    ids = sorted({s.id for s in store.list_toiles()})
    return page(
        request,
        visitor,
        "import.html",
        {
            "toile_id": toile or "",
            "version": "",
            "ids": ids,
            "problems": [],
            "warnings": [],
            "done": None,
        },
    )


def import_web_files(  # the store, the files, and where they go
    store: ToileStore,
    files: list[Path],
    workdir: Path,
    toile_id: str,
    version: str | None,
    limit: int,
    who: str,
) -> ToileSummary:
    """Split whole-toile workbooks, then import the files as the API does, under ``who``.

    Runs in the API's child process for imports (it opens the store itself there), so that
    reading a large workbook or validating a large toile never holds the server: the same
    time and memory budget and the same French messages as the API's imports. Problems of
    a split workbook name the workbook and its sheet.
    """
    names: dict[str, str] = {}
    expanded: list[Path] = []
    for path in files:
        if not is_workbook(path.name):
            expanded.append(path)
            continue
        split, named = split_workbook(path.read_bytes(), path.name)
        names |= named
        for name, content in split:
            target = path.parent / name
            target.write_bytes(content)
            expanded.append(target)
        path.unlink()
    try:
        return import_files_as_api(
            cast("Store", _Authored(store, who)), expanded, workdir, toile_id, version, limit
        )
    except ValidationError as exc:
        raise ValidationError(rename_problems(exc, names), source=exc.source) from None


@router.post("/importer", dependencies=[FormChecked])
async def import_files(  # the form's fields
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    visitor: EditorVisitor,
    toile_id: Annotated[str, Form(min_length=1, max_length=100)],
    files: Annotated[list[UploadFile], File()],
    version: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Check the uploaded toile in full and store it, or list every problem (nothing stored).

    The files are streamed to a temporary folder; splitting, validating and storing run in
    the API's killable child process (:meth:`AnalysisRunner.run_once`), within
    ``TOILES_IMPORT_TIMEOUT_S`` and the children's memory cap.
    """
    ids = sorted({s.id for s in store.list_toiles()})
    context: dict[str, Any] = {"toile_id": toile_id, "version": version, "ids": ids, "warnings": []}
    limit = int(settings.api_max_upload_mb * 1_000_000)
    try:
        with tempfile.TemporaryDirectory(prefix="toiles-import-") as tmp:
            uploads = [(PurePosixPath(u.filename or "").name, u.file) for u in files]
            saved = await run_in_threadpool(
                save_uploads, uploads, Path(tmp), limit, also=(is_workbook, "classeur Excel")
            )
            args = (saved, Path(tmp), toile_id.strip(), version.strip() or None, limit)
            opener = store_opener(store)
            if opener is None:  # a store no child can open (a test double): read here
                summary = await run_in_threadpool(import_web_files, store, *args, _who(visitor))
            else:
                runner: AnalysisRunner = request.app.state.analyses
                result = await runner.run_once(
                    with_store,
                    opener,
                    import_web_files,
                    *args,
                    _who(visitor),
                    timeout_s=settings.import_timeout_s,
                )
                summary = cast("ToileSummary", result)
    except ValidationError as exc:
        # The errors that stop the import first; warnings apart, so one typo is not lost
        # among a dozen « flux sans quantité ».
        context |= {
            "problems": [str(p) for p in exc.errors],
            "warnings": [str(p) for p in exc.problems if p.severity != "error"],
            "done": None,
        }
        return page(
            request,
            visitor,
            "import.html",
            context,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    except ToilesError as exc:  # a new toile without toile.yaml, over budget, too large...
        context |= {"problems": [str(exc)], "done": None}
        return page(request, visitor, "import.html", context, status_code=status_of(exc))
    context |= {"problems": [], "done": summary}
    return page(request, visitor, "import.html", context, status_code=status.HTTP_201_CREATED)


#: How the history names each kind of change.
ACTIONS = {
    EditAction.CHARGEMENT: "Chargement",
    EditAction.AJOUT_ACTEUR: "Ajout de l'acteur",
    EditAction.MODIFICATION_ACTEUR: "Modification de l'acteur",
    EditAction.SUPPRESSION_ACTEUR: "Suppression de l'acteur",
    EditAction.AJOUT_FLUX: "Ajout du flux",
    EditAction.MODIFICATION_FLUX: "Modification du flux",
    EditAction.SUPPRESSION_FLUX: "Suppression du flux",
    EditAction.RESTAURATION: "Restauration",
}


def describe(edit: EditRecord) -> str:
    """One line saying what an edit did (the fields changed, old → new).

    Examples
    --------
    >>> from toiles.models.history import EditRecord
    >>> describe(EditRecord(toile_id="t", version="T0", who="x", action="modification_flux",
    ...                     target="f1", before={"quantity": 1.5}, after={"quantity": 2}))
    'Modification du flux f1 : quantity : 1.5 → 2'
    """
    head = ACTIONS.get(edit.action, str(edit.action))
    if edit.action is EditAction.CHARGEMENT:
        counts = edit.after or {}
        return f"{head} : {counts.get('actors', '?')} acteurs, {counts.get('flows', '?')} flux"
    what = f"{head} {edit.target}" if edit.target else head
    before, after = edit.before or {}, edit.after or {}
    if before and after:
        changed = [
            f"{k} : {before.get(k, '–')} → {after.get(k, '–')}"
            for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)
        ]
        return f"{what} : {' ; '.join(changed)}" if changed else what
    return what


class _Authored:
    """A store whose whole-version saves are recorded under the web visitor's name.

    The API's import route saves with the store's default record (author unknown); the
    web application knows who is signed in.
    """

    def __init__(self, store: ToileStore, who: str) -> None:
        self._store = store
        self._who = who

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401  # every other store method
        return getattr(self._store, name)

    def save_toile(self, toile: Toile, **options: Any) -> int:  # noqa: ANN401
        """Save with a load record naming the visitor."""
        record = load_record(
            toile.id, toile.version, who=self._who, actors=len(toile.actors), flows=len(toile.flows)
        )
        return self._store.save_toile(toile, **{"edit": record, **options})


@router.get("/historique", name="web_history")
def history(
    request: Request,
    store: StoreDep,
    visitor: EditorVisitor,
    toile: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The store's edit history of every toile (or one), newest first."""
    ids = [toile] if toile else sorted({s.id for s in store.list_toiles()})
    edits = [e for toile_id in ids for e in store.list_edits(toile_id, limit=200)]
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    edits.sort(key=lambda e: e.at or oldest, reverse=True)
    rows = [(e, describe(e)) for e in edits]
    return page(request, visitor, "history.html", {"rows": rows, "toile": toile})
