"""Request and response models of the HTTP API (pydantic v2)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from toiles.access import Role
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.history import EditRecord
from toiles.models.toile import ToileSummary
from toiles.models.vocab import ActorKind, Confidence, Confidentiality, FlowKind, Status


class ErrorPublic(BaseModel):
    """Every error answer: one clear message, and the details when there are several."""

    detail: str
    problems: list[dict[str, Any]] | None = None


class ToilesPublic(BaseModel):
    """A list of toile versions."""

    data: list[ToileSummary]
    count: int


class EditsPublic(BaseModel):
    """The edit history of a toile, newest first, and the current revision of the version."""

    data: list[EditRecord]
    count: int
    revision: int


class ActorsPublic(BaseModel):
    """One page of actors and the total number of matches."""

    data: list[Actor]
    count: int
    limit: int
    offset: int


class FlowsPublic(BaseModel):
    """One page of flows and the total number of matches."""

    data: list[Flow]
    count: int
    limit: int
    offset: int


class ActorDetail(BaseModel):
    """An actor with its incoming and outgoing flows."""

    actor: Actor
    incoming: list[Flow]
    outgoing: list[Flow]


class ActorUpdate(BaseModel):
    """Fields to change on an actor; the ones left out stay as they are."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"employees": 130, "zae": "zae-exemple"}]}
    )

    name: str | None = None
    kind: ActorKind | None = None
    siret: str | None = None
    siren: str | None = None
    naf: str | None = None
    employees: Annotated[int, Field(ge=0)] | None = None
    commune_insee: str | None = None
    epci: str | None = None
    lat: float | None = None
    lon: float | None = None
    zae: str | None = None
    tags: tuple[str, ...] | None = None
    description: str | None = None
    confidentiality: Confidentiality | None = None
    provenance: str | None = None


class FlowCreate(BaseModel):
    """A new flow; its id is generated when absent."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "ent-exemple-papeterie",
                    "target": "rcu-exemple",
                    "kind": "chaleur_fatale",
                    "quantity": 12,
                    "unit": "GWh",
                    "status": "potentiel",
                    "provenance": "Exemple inventé pour la documentation",
                }
            ]
        },
    )

    id: str | None = None
    source: str
    target: str
    kind: FlowKind
    quantity: Annotated[float, Field(ge=0)] | None = None
    unit: str | None = None
    year: int | None = None
    status: Status = Status.EXISTANT
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    provenance: str | None = None
    confidence: Confidence | None = None
    notes: str | None = None


class FlowUpdate(BaseModel):
    """Fields to change on a flow; the ones left out stay as they are."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "existant", "quantity": 9, "unit": "GWh"}]},
    )

    kind: FlowKind | None = None
    quantity: Annotated[float, Field(ge=0)] | None = None
    unit: str | None = None
    year: int | None = None
    status: Status | None = None
    confidentiality: Confidentiality | None = None
    provenance: str | None = None
    confidence: Confidence | None = None
    notes: str | None = None


class CypherRequest(BaseModel):
    """A read-only Cypher query and its parameters (always passed as parameters)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "MATCH (a:Actor)-[f:FLOW {kind: $kind}]->(b:Actor) "
                    "WHERE f.quantity_base > $min RETURN a.name, b.name, f.quantity_base",
                    "params": {"kind": "chaleur_fatale", "min": 10000},
                }
            ]
        },
    )

    query: Annotated[str, Field(min_length=1, max_length=20_000)]
    params: dict[str, Any] = Field(default_factory=dict)


class CypherPublic(BaseModel):
    """The result of a read-only Cypher query."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


class ApiKeyPublic(BaseModel):
    """What the API shows of a key: never the key nor its hash."""

    id: str
    name: str
    role: Role
    revoked: bool
