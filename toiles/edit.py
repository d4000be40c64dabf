"""Edit one version of a toile: add, change and remove actors and flows, keeping it valid.

Each function takes a toile and returns a new, fully validated one (the models are frozen):
an edit that would break the toile (an unknown actor, a unit of the wrong family) raises
instead of producing a broken toile.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import pydantic

from toiles.errors import ActorNotFound, FlowNotFound, ToilesError, ValidationError
from toiles.loaders.validate import problems_from_pydantic
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.toile import Toile

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


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
