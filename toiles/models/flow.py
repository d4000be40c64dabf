"""Flows of a toile: water, energy, materials or services from one actor to another."""

from __future__ import annotations

import hashlib
import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from toiles.models.actor import Identifier, check_identifier
from toiles.models.units import base_quantity, canonical_unit, check_quantity, get_unit
from toiles.models.vocab import (
    FLOW_KINDS,
    Confidence,
    Confidentiality,
    FlowKind,
    Status,
    UnitFamily,
    label,
)


class Flow(BaseModel):
    """A flow between two actors of a toile, one edge of its graph.

    ``quantity`` is optional (a known link without a known volume is common) and annual
    unless its unit is a power. When present it needs a unit of a family the flow kind accepts.
    ``temperature`` (°C, optional) is the temperature of a reject (waste heat, cooling water)
    or the temperature a need requires (steam, heat); the waste-heat leads compare them.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "fl-exemple-1",
                    "source": "ent-exemple-papeterie",
                    "target": "rcu-exemple",
                    "kind": "chaleur_fatale",
                    "quantity": 12,
                    "unit": "GWh",
                    "year": 2024,
                    "status": "potentiel",
                    "confidentiality": "public",
                    "provenance": "Exemple inventé pour la documentation",
                    "confidence": "moyenne",
                    "temperature": 180,
                }
            ]
        },
    )

    id: Identifier
    source: Identifier
    target: Identifier
    kind: FlowKind
    quantity: Annotated[float, Field(ge=0.0)] | None = None
    unit: str | None = None
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    status: Status = Status.EXISTANT
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    provenance: str | None = None
    confidence: Confidence | None = None
    notes: str | None = None
    temperature: Annotated[float, Field(ge=-50.0, le=2000.0)] | None = None

    _check_id = field_validator("id")(check_identifier)

    @field_validator("quantity")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            msg = "quantité non finie"
            raise ValueError(msg)
        return value

    @field_validator("temperature")
    @classmethod
    def _finite_temperature(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            msg = "température non finie"
            raise ValueError(msg)
        return value

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str | None) -> str | None:
        return None if value is None else canonical_unit(value)

    @model_validator(mode="after")
    def _unit_fits_kind(self) -> Flow:
        if self.quantity is not None and self.unit is None:
            msg = "une quantité sans unité"
            raise ValueError(msg)
        if self.unit is not None:
            family = get_unit(self.unit).family
            if self.quantity is not None:
                check_quantity(self.quantity, self.unit)
            allowed = FLOW_KINDS[self.kind].families
            if family not in allowed:
                names = ", ".join(label(f) for f in allowed)
                msg = (
                    f"unité {self.unit} ({label(family)}) impossible pour un flux "
                    f"« {self.kind.value} » (familles admises : {names})"
                )
                raise ValueError(msg)
        return self

    @property
    def family(self) -> UnitFamily | None:
        """Unit family of the quantity, if the flow has a unit."""
        return None if self.unit is None else get_unit(self.unit).family

    @property
    def quantity_base(self) -> float | None:
        """Quantity in the base unit of its family (MWh, m3, t, kW, u, EUR)."""
        if self.quantity is None or self.unit is None:
            return None
        return base_quantity(self.quantity, self.unit)


def flow_id(source: str, target: str, kind: str, year: int | None, occurrence: int = 1) -> str:
    """Derive a stable flow id from what identifies a flow in a file.

    The same rows give the same ids on every reload; ``occurrence`` tells apart the
    repeated flows of one source, target, kind and year, in file order.

    Examples
    --------
    >>> flow_id("a", "b", "chaleur", 2023)
    'f-90fdee5d06'
    """
    key = f"{source}\x1f{target}\x1f{kind}\x1f{year or ''}"
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]
    return f"f-{digest}" if occurrence == 1 else f"f-{digest}-{occurrence}"
