"""Editing in the browser (role ``editeur`` or ``admin``): actors, flows, imports, history.

Changes go through :mod:`toiles.edit` (the same checks and French messages as the command
line and the API) and are stored whole or not at all. Each form carries the *revision* of
the actor or flow it was opened on (a hash of its stored values); when another editor has
changed it in the meantime, the save is refused with a conflict page (HTTP 409) instead of
silently overwriting their change. Every saved change is recorded in the history.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import pydantic
from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import RedirectResponse

from toiles.api.deps import SettingsDep, StoreDep
from toiles.api.errors import ApiError, status_of
from toiles.api.routes.actors import EDIT_LOCK
from toiles.api.routes.toiles import import_toile
from toiles.edit import (
    EditConflict,
    add_actor,
    add_flow,
    remove_actor,
    remove_flow,
    update_actor,
    update_flow,
)
from toiles.errors import ToilesError, ValidationError
from toiles.loaders.validate import problems_from_pydantic
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.vocab import ActorKind, Confidence, Confidentiality, FlowKind, Status, label
from toiles.web.deps import CheckedForm, EditorVisitor, FormChecked
from toiles.web.i18n import lang_of
from toiles.web.render import HtmlRoute, page
from toiles.web.workbook import is_workbook, rename_problems, split_workbook

if TYPE_CHECKING:
    from starlette.datastructures import FormData

    from toiles.graph_db.base import ToileStore
    from toiles.models.toile import Toile
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


def _changed(before: Actor | Flow, after: Actor | Flow) -> str:
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    parts = [f"{k} : {old[k]!s} → {new[k]!s}" for k in new if old.get(k) != new[k]]
    return " ; ".join(parts) or "aucun champ changé"


def _target_version(form: FormData, store: ToileStore, toile: Toile) -> str:
    raw = form.get(NEW_VERSION_FIELD)
    new = raw.strip() if isinstance(raw, str) else ""
    if not new:
        return toile.version
    if len(new) > 40 or not all(c.isalnum() or c in "-_." for c in new):  # noqa: PLR2004
        msg = f"version invalide : {new} (lettres, chiffres, - _ . ; 40 caractères au plus)"
        raise EditConflict(msg)
    if new in {s.version for s in store.list_versions(toile.id)}:
        msg = f"la version {new} de {toile.id} existe déjà : choisissez un autre nom"
        raise EditConflict(msg)
    return new


def _save(store: ToileStore, toile: Toile, version: str) -> Toile:
    if version != toile.version:
        toile = toile.model_copy(update={"version": version})
    store.save_toile(toile)
    return toile


def _record(request: Request, visitor: Visitor, toile: Toile, what: str) -> None:
    request.app.state.web_history.record(
        who=visitor.key_name or "?",
        role=visitor.role.value,
        toile_id=toile.id,
        version=toile.version,
        what=what,
    )


def _form_page(  # what one edit form page shows
    request: Request,
    visitor: Visitor,
    *,
    toile: Toile,
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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        current = toile.actor(actor_id)
        if form.get(REVISION_FIELD) != revision(current):
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="actor",
                item_id=actor_id,
                values=_values(current),
                rev=revision(current),
                conflict=_conflict_text("l'acteur", actor_id),
                status_code=status.HTTP_409_CONFLICT,
            )
        try:
            target = _target_version(form, store, toile)
            updated = update_actor(toile, actor_id, changes)
        except ValidationError as exc:
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="actor",
                item_id=actor_id,
                values={k: str(form.get(k) or "") for k in form},
                rev=revision(current),
                problems=_problems(exc, f"acteur {actor_id}"),
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
        saved = _save(store, updated, target)
    _record(
        request,
        visitor,
        saved,
        f"acteur {actor_id} modifié : {_changed(current, saved.actor(actor_id))}",
    )
    return RedirectResponse(
        f"/toiles/{toile_id}/acteurs/{actor_id}?version={saved.version}",
        status_code=status.HTTP_303_SEE_OTHER,
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
    toile = store.get_toile(toile_id, version)
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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        try:
            target = _target_version(form, store, toile)
            actor = Actor.model_validate({k: v for k, v in data.items() if v is not None})
            saved = _save(store, add_actor(toile, actor), target)
        except (ValidationError, pydantic.ValidationError) as exc:
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="actor",
                item_id=None,
                values={k: str(form.get(k) or "") for k in form},
                rev="",
                problems=_problems(exc, "nouvel acteur"),
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
    _record(request, visitor, saved, f"acteur {actor.id} ajouté ({actor.name})")
    return RedirectResponse(
        f"/toiles/{toile_id}/acteurs/{actor.id}?version={saved.version}",
        status_code=status.HTTP_303_SEE_OTHER,
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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        current = toile.actor(actor_id)
        if form.get(REVISION_FIELD) != revision(current):
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="actor",
                item_id=actor_id,
                values=_values(current),
                rev=revision(current),
                conflict=_conflict_text("l'acteur", actor_id),
                status_code=status.HTTP_409_CONFLICT,
            )
        saved = _save(
            store,
            remove_actor(toile, actor_id, cascade=form.get("cascade") == "on"),
            toile.version,
        )
    _record(request, visitor, saved, f"acteur {actor_id} supprimé ({current.name})")
    return RedirectResponse(
        f"/toiles/{toile_id}?version={saved.version}", status_code=status.HTTP_303_SEE_OTHER
    )


# ---- flows ----------------------------------------------------------------------------------


def _find_flow(toile: Toile, flow_id: str) -> Flow:
    from toiles.errors import FlowNotFound  # noqa: PLC0415

    for flow in toile.flows:
        if flow.id == flow_id:
            return flow
    msg = f"flux introuvable dans {toile.id} {toile.version} : {flow_id}"
    raise FlowNotFound(msg)


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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        current = _find_flow(toile, flow_id)
        if form.get(REVISION_FIELD) != revision(current):
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="flow",
                item_id=flow_id,
                values=_values(current),
                rev=revision(current),
                conflict=_conflict_text("le flux", flow_id),
                status_code=status.HTTP_409_CONFLICT,
            )
        try:
            target = _target_version(form, store, toile)
            updated, flow = update_flow(toile, flow_id, changes)
        except ValidationError as exc:
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="flow",
                item_id=flow_id,
                values={k: str(form.get(k) or "") for k in form},
                rev=revision(current),
                problems=_problems(exc, f"flux {flow_id}"),
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
        saved = _save(store, updated, target)
    _record(request, visitor, saved, f"flux {flow_id} modifié : {_changed(current, flow)}")
    return RedirectResponse(
        f"/toiles/{toile_id}/acteurs/{flow.source}?version={saved.version}",
        status_code=status.HTTP_303_SEE_OTHER,
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
    toile = store.get_toile(toile_id, version)
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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        try:
            target = _target_version(form, store, toile)
            updated, flow = add_flow(toile, data)
            saved = _save(store, updated, target)
        except (ValidationError, pydantic.ValidationError, KeyError) as exc:
            problems = (
                [str(exc.args[0]) if exc.args else str(exc)]
                if isinstance(exc, KeyError)
                else _problems(exc, "nouveau flux")
            )
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="flow",
                item_id=None,
                values={k: str(form.get(k) or "") for k in form},
                rev="",
                problems=problems,
                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            )
    _record(request, visitor, saved, f"flux {flow.id} ajouté ({flow.source} → {flow.target})")
    return RedirectResponse(
        f"/toiles/{toile_id}/acteurs/{flow.source}?version={saved.version}",
        status_code=status.HTTP_303_SEE_OTHER,
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
    with EDIT_LOCK:
        toile = store.get_toile(toile_id, version)
        current = _find_flow(toile, flow_id)
        if form.get(REVISION_FIELD) != revision(current):
            return _form_page(
                request,
                visitor,
                toile=toile,
                what="flow",
                item_id=flow_id,
                values=_values(current),
                rev=revision(current),
                conflict=_conflict_text("le flux", flow_id),
                status_code=status.HTTP_409_CONFLICT,
            )
        saved = _save(store, remove_flow(toile, flow_id), toile.version)
    _record(
        request, visitor, saved, f"flux {flow_id} supprimé ({current.source} → {current.target})"
    )
    return RedirectResponse(
        f"/toiles/{toile_id}/acteurs/{current.source}?version={saved.version}",
        status_code=status.HTTP_303_SEE_OTHER,
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
        {"toile_id": toile or "", "version": "", "ids": ids, "problems": [], "done": None},
    )


async def _expand_workbooks(
    files: list[UploadFile], limit: int
) -> tuple[list[UploadFile], dict[str, str]]:
    """Replace each whole-toile workbook by its two tables; say how to name them in problems."""
    uploads: list[UploadFile] = []
    names: dict[str, str] = {}
    for upload in files:
        if not is_workbook(upload.filename or ""):
            uploads.append(upload)
            continue
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise ApiError(status.HTTP_413_CONTENT_TOO_LARGE, "fichier trop volumineux")
        split, named = split_workbook(data, upload.filename or "classeur.xlsx")
        names |= named
        uploads += [UploadFile(io.BytesIO(content), filename=name) for name, content in split]
    return uploads, names


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
    """Check the uploaded toile in full and store it, or list every problem (nothing stored)."""
    ids = sorted({s.id for s in store.list_toiles()})
    context: dict[str, Any] = {"toile_id": toile_id, "version": version, "ids": ids}
    names: dict[str, str] = {}
    try:
        uploads, names = await _expand_workbooks(files, int(settings.api_max_upload_mb * 1_000_000))
        summary = await import_toile(
            request=request,
            toile_id=toile_id.strip(),
            store=store,
            settings=settings,
            _role=visitor.role,
            files=uploads,
            version=version.strip() or None,
        )
    except ValidationError as exc:
        problems = rename_problems(exc, names)
        context |= {"problems": [str(p) for p in problems], "done": None}
        return page(
            request,
            visitor,
            "import.html",
            context,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    except ToilesError as exc:  # a new toile without toile.yaml, a file too large...
        context |= {"problems": [str(exc)], "done": None}
        return page(request, visitor, "import.html", context, status_code=status_of(exc))
    sent = ", ".join(f.filename or "?" for f in files)
    request.app.state.web_history.record(
        who=visitor.key_name or "?",
        role=visitor.role.value,
        toile_id=summary.id,
        version=summary.version,
        what=f"version importée ({summary.actors} acteurs, {summary.flows} flux) depuis {sent}",
    )
    context |= {"problems": [], "done": summary}
    return page(request, visitor, "import.html", context, status_code=status.HTTP_201_CREATED)


@router.get("/historique", name="web_history")
def history(
    request: Request,
    visitor: EditorVisitor,
    toile: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The changes made through the web application, newest first."""
    changes = request.app.state.web_history.changes(toile)
    return page(request, visitor, "history.html", {"changes": changes, "toile": toile})
