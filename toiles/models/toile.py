"""A toile: its description (``toile.yaml``) and its actors and flows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toiles.errors import ActorNotFound
from toiles.models.actor import Actor, Identifier, check_identifier
from toiles.models.flow import Flow
from toiles.models.vocab import Theme


class Territory(BaseModel):
    """The territory a toile covers: a free-text name and the EPCI it spans."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = ""
    epci: tuple[str, ...] = ()


class ToileInfo(BaseModel):
    """What describes one version of a toile, as written in its ``toile.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Identifier
    name: Annotated[str, Field(min_length=1)]
    theme: Theme
    version: Annotated[str, Field(min_length=1, max_length=40)] = "T0"
    territory: Territory = Territory()
    description: str | None = None
    sources: tuple[str, ...] = ()
    updated: dt.date | None = None
    illustrative: bool = False

    _check_id = field_validator("id", "version")(check_identifier)


class ToileSummary(ToileInfo):
    """A stored toile version with its counts, as listed by a store."""

    actors: int
    flows: int


class Toile(ToileInfo):
    """One version of a toile with its actors and flows.

    The model guarantees the graph's integrity: actor ids are unique, flow ids are unique
    and every flow joins two actors of the toile.
    """

    actors: tuple[Actor, ...] = ()
    flows: tuple[Flow, ...] = ()

    @model_validator(mode="after")
    def _integrity(self) -> Toile:
        ids = [a.id for a in self.actors]
        if len(ids) != len(set(ids)):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            msg = f"identifiants d'acteurs en double : {', '.join(dup[:10])}"
            raise ValueError(msg)
        flow_ids = [f.id for f in self.flows]
        if len(flow_ids) != len(set(flow_ids)):
            dup = sorted({i for i in flow_ids if flow_ids.count(i) > 1})
            msg = f"identifiants de flux en double : {', '.join(dup[:10])}"
            raise ValueError(msg)
        known = set(ids)
        for flow in self.flows:
            for end in (flow.source, flow.target):
                if end not in known:
                    msg = f"le flux {flow.id} référence un acteur inconnu : {end}"
                    raise ValueError(msg)
        return self

    @property
    def info(self) -> ToileInfo:
        """The description of this version, without actors and flows."""
        return ToileInfo.model_validate(self.model_dump(exclude={"actors", "flows"}))

    def summary(self) -> ToileSummary:
        """The description with actor and flow counts."""
        return ToileSummary(
            **self.model_dump(exclude={"actors", "flows"}),
            actors=len(self.actors),
            flows=len(self.flows),
        )

    def _repr_html_(self) -> str:
        """Show the toile inline in Jupyter: its interactive page (:func:`toiles.viz.show`)."""
        from toiles.viz.notebook import show  # noqa: PLC0415  # the visuals load on display only

        return show(self)._repr_html_()

    def actor(self, actor_id: str) -> Actor:
        """Return one actor by id.

        Raises
        ------
        ActorNotFound
            When the toile has no such actor.
        """
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        msg = f"acteur inconnu dans la toile {self.id} {self.version} : {actor_id}"
        raise ActorNotFound(msg)
