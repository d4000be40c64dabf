"""Edit one version of a toile: add, change and remove actors and flows, keeping it valid.

Each function takes a toile and returns a new, fully validated one (the models are frozen):
an edit that would break the toile (an unknown actor, a unit of the wrong family) raises
instead of producing a broken toile. :func:`edit_toile` applies such a change to a stored
version under its revision, and records who did what, before and after.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic
from pydantic import JsonValue

from toiles.errors import (
    ActorNotFound,
    FlowNotFound,
    RevisionConflict,
    ToilesError,
    ValidationError,
)
from toiles.graph_db.base import revision_conflict_message
from toiles.loaders.validate import problems_from_pydantic
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.history import EditAction, EditRecord
from toiles.models.toile import Toile

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from toiles.graph_db.base import ToileStore

R = TypeVar("R")


class EditConflict(ToilesError, ValueError):
    """An edit clashes with the toile's content (an id already taken, flows still attached)."""


@contextlib.contextmanager
def _valid(what: str) -> Iterator[None]:
    """Turn the models' validation errors into a located toiles ValidationError."""
    try:
        yield
    except pydantic.ValidationError as exc:
        raise ValidationError(problems_from_pydantic(exc, what), source=what) from exc


def _rebuild(toile: Toile, actors: tuple[Actor, ...], flows: tuple[Flow, ...]) -> Toile:
    with _valid(f"{toile.id} {toile.version}"):
        return Toile.model_validate({**dict(toile.info), "actors": actors, "flows": flows})


def add_actor(toile: Toile, actor: Actor) -> Toile:
    """Return the toile with a new actor.

    Raises
    ------
    EditConflict
        When the id is already taken.
    """
    if any(a.id == actor.id for a in toile.actors):
        msg = f"un acteur {actor.id} existe déjà dans {toile.id} {toile.version}"
        raise EditConflict(msg)
    return _rebuild(toile, (*toile.actors, actor), toile.flows)


def update_actor(toile: Toile, actor_id: str, changes: Mapping[str, Any]) -> Toile:
    """Return the toile with some fields of one actor changed (validated again)."""
    current = toile.actor(actor_id)
    with _valid(f"acteur {actor_id}"):
        updated = Actor.model_validate({**current.model_dump(), **changes, "id": actor_id})
    actors = tuple(updated if a.id == actor_id else a for a in toile.actors)
    return _rebuild(toile, actors, toile.flows)


def remove_actor(toile: Toile, actor_id: str, *, cascade: bool = False) -> Toile:
    """Return the toile without an actor; its flows go too only with ``cascade``.

    Raises
    ------
    EditConflict
        When flows still use the actor and ``cascade`` is false.
    """
    toile.actor(actor_id)
    attached = [f.id for f in toile.flows if actor_id in {f.source, f.target}]
    if attached and not cascade:
        msg = (
            f"l'acteur {actor_id} a encore {len(attached)} flux : supprimez-les d'abord "
            "ou demandez la suppression en cascade"
        )
        raise EditConflict(msg)
    actors = tuple(a for a in toile.actors if a.id != actor_id)
    flows = tuple(f for f in toile.flows if f.id not in set(attached))
    return _rebuild(toile, actors, flows)


def _flow(toile: Toile, flow_id_: str) -> Flow:
    for flow in toile.flows:
        if flow.id == flow_id_:
            return flow
    msg = f"flux introuvable dans {toile.id} {toile.version} : {flow_id_}"
    raise FlowNotFound(msg)


def add_flow(toile: Toile, data: Mapping[str, Any]) -> tuple[Toile, Flow]:
    """Return the toile with a new flow, and the flow (its id generated when absent)."""
    fields = dict(data)
    for end in ("source", "target"):
        if not any(a.id == fields.get(end) for a in toile.actors):
            msg = f"acteur inconnu dans {toile.id} {toile.version} : {fields.get(end)}"
            raise ActorNotFound(msg)
    if not fields.get("id"):
        taken = {f.id for f in toile.flows}
        occurrence = 1
        while True:
            candidate = flow_id(
                fields["source"],
                fields["target"],
                str(fields["kind"]),
                fields.get("year"),
                occurrence,
            )
            if candidate not in taken:
                break
            occurrence += 1
        fields["id"] = candidate
    elif any(f.id == fields["id"] for f in toile.flows):
        msg = f"un flux {fields['id']} existe déjà dans {toile.id} {toile.version}"
        raise EditConflict(msg)
    with _valid("flux"):
        flow = Flow.model_validate(fields)
    return _rebuild(toile, toile.actors, (*toile.flows, flow)), flow


def update_flow(toile: Toile, flow_id_: str, changes: Mapping[str, Any]) -> tuple[Toile, Flow]:
    """Return the toile with some fields of one flow changed (validated again), and the flow."""
    current = _flow(toile, flow_id_)
    with _valid(f"flux {flow_id_}"):
        flow = Flow.model_validate({**current.model_dump(), **changes, "id": flow_id_})
    flows = tuple(flow if f.id == flow_id_ else f for f in toile.flows)
    return _rebuild(toile, toile.actors, flows), flow


def remove_flow(toile: Toile, flow_id_: str) -> Toile:
    """Return the toile without one flow."""
    _flow(toile, flow_id_)
    return _rebuild(toile, toile.actors, tuple(f for f in toile.flows if f.id != flow_id_))


#: What a change of a toile gives back: the new toile, the record of the edit, and its result.
Change = tuple[Toile, EditRecord, R]


def edit_toile(  # noqa: PLR0913  # where, what, and how to meet a concurrent edit
    store: ToileStore,
    toile_id: str,
    version: str | None,
    change: Callable[[Toile], Change[R]],
    *,
    expected_revision: int | None = None,
    attempts: int = 5,
) -> tuple[R, int]:
    """Apply a change to a stored version without ever losing a concurrent one.

    The version is read with its revision, changed, and saved on the condition that it is
    still at that revision (the store checks it in the same transaction as the write). With
    ``expected_revision`` (the revision the editor saw, an HTTP ``If-Match``), any other
    revision is a conflict at once. Without it the change is applied again on the fresh
    version, up to ``attempts`` times: right for changes that do not depend on what the
    editor saw (adding an actor), and never a silent overwrite.

    Returns
    -------
    tuple
        The change's result and the new revision.

    Raises
    ------
    RevisionConflict
        When the version is not at ``expected_revision``, or other edits won every attempt.
    """
    for attempt in range(1, attempts + 1):
        toile, revision = store.get_toile_and_revision(toile_id, version)
        if expected_revision is not None and revision != expected_revision:
            msg = revision_conflict_message(toile.id, toile.version, revision, expected_revision)
            raise RevisionConflict(msg)
        changed, record, result = change(toile)
        try:
            new_revision = store.save_toile(changed, expected_revision=revision, edit=record)
        except RevisionConflict:
            if expected_revision is not None or attempt == attempts:
                raise
            continue
        return result, new_revision
    raise AssertionError  # pragma: no cover  # the loop returns or raises


def _dump(item: Actor | Flow) -> dict[str, JsonValue]:
    return item.model_dump(mode="json", exclude_defaults=True)


def _record(
    toile: Toile, who: str, action: EditAction, target: str, **states: object
) -> EditRecord:
    return EditRecord.model_validate(
        {
            "toile_id": toile.id,
            "version": toile.version,
            "who": who,
            "action": action,
            "target": target,
            **states,
        }
    )


def adding_actor(actor: Actor, *, who: str) -> Callable[[Toile], Change[Actor]]:
    """The change that adds an actor, for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[Actor]:
        record = _record(toile, who, EditAction.AJOUT_ACTEUR, actor.id, after=_dump(actor))
        return add_actor(toile, actor), record, actor

    return change


def updating_actor(
    actor_id: str, changes: Mapping[str, Any], *, who: str
) -> Callable[[Toile], Change[Actor]]:
    """The change that updates some fields of an actor, for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[Actor]:
        before = toile.actor(actor_id)
        changed = update_actor(toile, actor_id, changes)
        after = changed.actor(actor_id)
        record = _record(
            toile,
            who,
            EditAction.MODIFICATION_ACTEUR,
            actor_id,
            before=_dump(before),
            after=_dump(after),
        )
        return changed, record, after

    return change


def removing_actor(actor_id: str, *, cascade: bool, who: str) -> Callable[[Toile], Change[None]]:
    """The change that removes an actor (and its flows with ``cascade``), for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[None]:
        before = toile.actor(actor_id)
        changed = remove_actor(toile, actor_id, cascade=cascade)
        gone = len(toile.flows) - len(changed.flows)
        record = _record(
            toile,
            who,
            EditAction.SUPPRESSION_ACTEUR,
            actor_id,
            before={**_dump(before), "flux_supprimés": gone},
        )
        return changed, record, None

    return change


def adding_flow(data: Mapping[str, Any], *, who: str) -> Callable[[Toile], Change[Flow]]:
    """The change that adds a flow (its id generated when absent), for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[Flow]:
        changed, flow = add_flow(toile, data)
        record = _record(toile, who, EditAction.AJOUT_FLUX, flow.id, after=_dump(flow))
        return changed, record, flow

    return change


def updating_flow(
    flow_id_: str, changes: Mapping[str, Any], *, who: str
) -> Callable[[Toile], Change[Flow]]:
    """The change that updates some fields of a flow, for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[Flow]:
        before = _flow(toile, flow_id_)
        changed, flow = update_flow(toile, flow_id_, changes)
        record = _record(
            toile,
            who,
            EditAction.MODIFICATION_FLUX,
            flow_id_,
            before=_dump(before),
            after=_dump(flow),
        )
        return changed, record, flow

    return change


def removing_flow(flow_id_: str, *, who: str) -> Callable[[Toile], Change[None]]:
    """The change that removes a flow, for :func:`edit_toile`."""

    def change(toile: Toile) -> Change[None]:
        before = _flow(toile, flow_id_)
        record = _record(toile, who, EditAction.SUPPRESSION_FLUX, flow_id_, before=_dump(before))
        return remove_flow(toile, flow_id_), record, None

    return change
