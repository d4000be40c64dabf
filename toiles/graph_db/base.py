"""The store protocol: what every backend (SQLite, Neo4j) offers, in domain terms.

A store keeps versions of toiles side by side (``T0`` and ``T1`` of one toile both stay
queryable). It returns models and graphs, never rows or records, and raises only toiles
errors (:class:`~toiles.errors.StoreError` wraps the backend's own).

The *latest* version of a toile is the greatest version label in natural order
(``T2`` < ``T10``), the most recently saved one breaking ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Generic, Protocol, TypeVar, runtime_checkable

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from toiles.errors import ToileNotFound
from toiles.graph import graph_from_toile
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.units import get_unit
from toiles.models.vocab import ActorKind, Confidentiality, FlowKind, Status

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    import networkx as nx

    from toiles.access import ApiKeyRecord, WebSession
    from toiles.models.history import EditRecord
    from toiles.models.toile import Toile, ToileSummary

T = TypeVar("T", Actor, Flow)

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000
"""Largest paging offset: far past any toile, well inside a 64-bit integer."""


def _plain_text(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):  # noqa: PLR2004  # ASCII controls
        msg = "caractères de contrôle interdits (NUL, tabulation, saut de ligne...)"
        raise ValueError(msg)
    return value


Text = Annotated[str, Field(max_length=200), AfterValidator(_plain_text)]
"""A filter's text: at most 200 characters, no control characters (NUL, tab, line breaks)."""


class ActorQuery(BaseModel):
    """Filters and paging of an actor query; every filter is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ActorKind | None = None
    commune_insee: Text | None = None
    epci: Text | None = None
    zae: Text | None = None
    naf: Text | None = Field(default=None, description="NAF code prefix, e.g. 24 or 24.10")
    q: Text | None = Field(default=None, description="Text in the name, accents and case ignored")
    visibility: Confidentiality = Confidentiality.CONFIDENTIEL
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


class FlowQuery(BaseModel):
    """Filters and paging of a flow query; every filter is optional.

    ``min_quantity`` is in ``unit`` and keeps flows of that unit's family only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FlowKind | None = None
    status: Status | None = None
    source: Text | None = None
    target: Text | None = None
    actor: Text | None = Field(default=None, description="Flows from or to this actor")
    year: int | None = None
    min_quantity: Annotated[float, Field(ge=0)] | None = None
    unit: Text | None = None
    visibility: Confidentiality = Confidentiality.CONFIDENTIEL
    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0

    @model_validator(mode="after")
    def _unit_with_minimum(self) -> FlowQuery:
        if self.min_quantity is not None:
            if self.unit is None:
                msg = "min_quantity demande une unité (unit), par exemple MWh ou m3"
                raise ValueError(msg)
            get_unit(self.unit)
        return self


class Page(BaseModel, Generic[T]):
    """One page of results and the total count of matches."""

    model_config = ConfigDict(frozen=True)

    items: tuple[T, ...]
    total: int


def version_sort_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural sort key of a version label: ``T2`` sorts before ``T10``.

    Examples
    --------
    >>> sorted(["T10", "T2", "T0"], key=version_sort_key)
    ['T0', 'T2', 'T10']
    """
    parts = re.split(r"(\d+)", version)
    return tuple((1, int(p)) if p.isdigit() else (0, p) for p in parts if p)


def versions_of(summaries: list[ToileSummary], toile_id: str) -> list[ToileSummary]:
    """The versions of one toile among all stored ones, in the order given.

    Raises
    ------
    ToileNotFound
        When the toile has no version.
    """
    versions = [s for s in summaries if s.id == toile_id]
    if not versions:
        msg = f"toile introuvable : {toile_id}"
        raise ToileNotFound(msg)
    return versions


@dataclass(frozen=True)
class InterruptedLoad:
    """A load that died before it finished, as found (and deleted) by a store."""

    toile_id: str
    version: str
    started_at: dt.datetime | None


def revision_conflict_message(toile_id: str, version: str, current: int, expected: int) -> str:
    """The French sentence of a refused conditional save (the same from every store).

    Examples
    --------
    >>> revision_conflict_message("eau", "T0", 4, 3)  # doctest: +ELLIPSIS
    'la toile eau T0 a changé depuis votre lecture (révision 4, vous partiez de la 3) : ...'
    """
    return (
        f"la toile {toile_id} {version} a changé depuis votre lecture (révision {current}, "
        f"vous partiez de la {expected}) : relisez-la puis refaites votre modification"
    )


@runtime_checkable
class ToileStore(Protocol):
    """What a store of toiles offers; both backends implement all of it.

    Every save of a version gives it a new *revision* and records one
    :class:`~toiles.models.history.EditRecord` in the same transaction. A save given
    ``expected_revision`` is conditional: it is refused with
    :class:`~toiles.errors.RevisionConflict` when the stored version is no longer at that
    revision, so a change based on an old read never overwrites a newer one.
    """

    #: Whether a bounded read (one page of actors or flows, one actor) is an in-process call
    #: of about a millisecond: the API then runs it on its event loop rather than handing it
    #: to a thread and back (embedded SQLite: yes; a server over the network: no).
    inline_reads: bool

    def save_toile(
        self,
        toile: Toile,
        *,
        expected_revision: int | None = None,
        edit: EditRecord | None = None,
    ) -> int:
        """Store a toile version atomically, record the edit, and return its new revision.

        ``expected_revision`` 0 means the version must not exist yet; ``edit`` defaults to a
        record of a whole load by an unknown author.
        """
        ...

    def get_toile(
        self, toile_id: str, version: str | None = None, *, visibility: Confidentiality = ...
    ) -> Toile:
        """Return one version (default: the latest) with the actors and flows visible."""
        ...

    def get_toile_and_revision(
        self, toile_id: str, version: str | None = None
    ) -> tuple[Toile, int]:
        """Return one whole version and its revision, read together (the base of an edit)."""
        ...

    def get_revision(self, toile_id: str, version: str | None = None) -> int:
        """Return the revision of one version (default: the latest)."""
        ...

    def list_edits(
        self, toile_id: str, version: str | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> list[EditRecord]:
        """Return the recorded edits of a toile (of one version if given), newest first."""
        ...

    def get_summary(self, toile_id: str, version: str | None = None) -> ToileSummary:
        """Return the description and counts of one version (default: the latest)."""
        ...

    def list_toiles(self) -> list[ToileSummary]:
        """List every stored version of every toile, by id then version."""
        ...

    def list_versions(self, toile_id: str) -> list[ToileSummary]:
        """List the stored versions of one toile, oldest first."""
        ...

    def get_actor(
        self,
        toile_id: str,
        actor_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = ...,
    ) -> Actor:
        """Return one actor of a version."""
        ...

    def query_actors(
        self, toile_id: str, query: ActorQuery | None = None, *, version: str | None = None
    ) -> Page[Actor]:
        """Return the actors of a version matching the query, sorted by id."""
        ...

    def get_flow(
        self,
        toile_id: str,
        flow_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = ...,
    ) -> Flow:
        """Return one flow of a version."""
        ...

    def query_flows(
        self, toile_id: str, query: FlowQuery | None = None, *, version: str | None = None
    ) -> Page[Flow]:
        """Return the flows of a version matching the query, sorted by id."""
        ...

    def delete_toile(self, toile_id: str, version: str | None = None) -> int:
        """Delete one version, or every version when ``version`` is None; return how many."""
        ...

    def graph(
        self, toile_id: str, version: str | None = None, *, visibility: Confidentiality = ...
    ) -> nx.MultiDiGraph[str]:
        """Return the NetworkX graph of a version (see :mod:`toiles.graph`)."""
        ...

    def clean_interrupted_loads(self) -> list[InterruptedLoad]:
        """Delete what loads killed half-way left behind; return what was deleted."""
        ...

    def ping(self) -> None:
        """Check that the store answers; raise StoreUnavailable otherwise."""
        ...

    def close(self) -> None:
        """Release the store's connections."""
        ...


@runtime_checkable
class ApiKeyStore(Protocol):
    """Where API key records live (their hashes only); both backends implement it."""

    def save_api_key(self, record: ApiKeyRecord) -> None:
        """Store an API key record (its hash only), replacing one with the same id."""
        ...

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        """Return the record of a key by its hash, revoked or not; None when unknown."""
        ...

    def list_api_keys(self) -> list[ApiKeyRecord]:
        """List every key record, oldest first."""
        ...

    def revoke_api_key(self, key_id: str) -> None:
        """Mark a key revoked and end its web sessions.

        Raise KeyError (ToilesError) when the id is unknown.
        """
        ...

    def save_session(self, session: WebSession) -> None:
        """Store a web session (its token's hash), replacing one with the same hash."""
        ...

    def find_session(self, token_hash: str) -> WebSession | None:
        """Return a web session by its token's hash, expired or not; None when unknown."""
        ...

    def delete_session(self, token_hash: str) -> None:
        """End a web session (an unknown hash is ignored)."""
        ...

    def purge_sessions(self, now: dt.datetime) -> int:
        """Delete the web sessions expired at ``now``; return how many."""
        ...


@runtime_checkable
class Store(ToileStore, ApiKeyStore, Protocol):
    """A backend: toiles and API keys in one database (what :func:`open_store` returns)."""

    def backup_to(self, dest: Path | str) -> None:
        """Write a backup of the whole database to ``dest``, atomically."""
        ...

    def restore_from(self, src: Path | str) -> None:
        """Replace the whole database by a backup written by :meth:`backup_to`."""
        ...


class GraphOfVersion:
    """The one implementation of :meth:`ToileStore.graph`, shared by every backend.

    A backend inherits it and provides ``get_toile``; the graph is built by
    :func:`toiles.graph.graph_from_toile`, the same for every store.
    """

    def get_toile(
        self,
        toile_id: str,
        version: str | None = None,
        *,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Toile:
        """Return one version with what ``visibility`` allows (the backend's own)."""
        raise NotImplementedError

    def graph(
        self,
        toile_id: str,
        version: str | None = None,
        *,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> nx.MultiDiGraph[str]:
        """Return the NetworkX graph of a version (see :mod:`toiles.graph`)."""
        return graph_from_toile(self.get_toile(toile_id, version, visibility=visibility))
