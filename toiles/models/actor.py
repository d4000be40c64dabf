"""Actors of a toile: companies, authorities, utilities, business parks, the outside."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toiles.models._checks import check_insee, check_siren, check_siret, normalise_naf
from toiles.models.vocab import ActorKind, Confidentiality

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")

#: The greatest exact integer of a JSON number read by JavaScript: it also fits the 64-bit
#: integers of every store (a larger count made the Neo4j load fail after validation).
MAX_EMPLOYEES = 2**53 - 1

Identifier = Annotated[str, Field(min_length=1, max_length=200)]


def check_identifier(value: str) -> str:
    """Validate a stable identifier: letters, digits and ``_ . : -``, no spaces."""
    if not _ID.match(value):
        msg = "identifiant attendu : lettres, chiffres, _ . : - (sans espace ni accent)"
        raise ValueError(msg)
    return value


class Actor(BaseModel):
    """An actor of a territory, one node of a toile.

    An actor of kind ``exterieur`` stands for the outside of the territory: flows from it
    are imports, flows to it are exports or losses.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "ent-exemple-papeterie",
                    "name": "Papeterie Exemple",
                    "kind": "entreprise",
                    "naf": "17.12Z",
                    "employees": 120,
                    "commune_insee": "62119",
                    "epci": "CABBALR",
                    "lat": 50.53,
                    "lon": 2.64,
                    "zae": "zae-exemple",
                    "tags": ["exemple"],
                    "confidentiality": "public",
                    "provenance": "Exemple inventé pour la documentation",
                }
            ]
        },
    )

    id: Identifier
    name: Annotated[str, Field(min_length=1, max_length=300)]
    kind: ActorKind
    siret: str | None = None
    siren: str | None = None
    naf: str | None = None
    employees: Annotated[int, Field(ge=0, le=MAX_EMPLOYEES)] | None = None
    commune_insee: str | None = None
    epci: str | None = None
    lat: Annotated[float, Field(ge=-90.0, le=90.0)] | None = None
    lon: Annotated[float, Field(ge=-180.0, le=180.0)] | None = None
    zae: str | None = None
    tags: tuple[str, ...] = ()
    description: str | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    provenance: str | None = None

    _check_id = field_validator("id")(check_identifier)

    @field_validator("siret")
    @classmethod
    def _siret(cls, value: str | None) -> str | None:
        return None if value is None else check_siret(value)

    @field_validator("siren")
    @classmethod
    def _siren(cls, value: str | None) -> str | None:
        return None if value is None else check_siren(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Tables write the tags of a cell separated by « | » (and read « ; » too): a tag
        # holding either, or empty, would not read back as written.
        tags = tuple(t.strip() for t in value)
        for tag in tags:
            if not tag or "|" in tag or ";" in tag:
                msg = f"étiquette invalide « {tag} » : non vide, sans « | » ni « ; »"
                raise ValueError(msg)
        return tags

    @field_validator("naf")
    @classmethod
    def _naf(cls, value: str | None) -> str | None:
        return None if value is None else normalise_naf(value)

    @field_validator("commune_insee")
    @classmethod
    def _insee(cls, value: str | None) -> str | None:
        return None if value is None else check_insee(value)

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            msg = "le SIRET ne commence pas par le SIREN"
            raise ValueError(msg)
        if self.siret and not self.siren:
            # Checked like a given SIREN, so what is stored can always be read back.
            object.__setattr__(self, "siren", check_siren(self.siret[:9]))
        if (self.lat is None) != (self.lon is None):
            msg = "lat et lon vont ensemble : renseigner les deux ou aucune"
            raise ValueError(msg)
        return self

    @property
    def is_outside(self) -> bool:
        """Whether this actor stands for the outside of the territory."""
        return self.kind is ActorKind.EXTERIEUR
