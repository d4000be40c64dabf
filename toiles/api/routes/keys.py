"""API keys, managed by admins (``toiles apikey`` does the same from the command line)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel, Field, field_validator

from toiles.access import Role, key_role
from toiles.api.deps import AdminDep, StoreDep
from toiles.api.schemas import ApiKeyPublic
from toiles.api.security import create_api_key
from toiles.errors import ValidationError

router = APIRouter(prefix="/keys", tags=["clés d'API"])


class ApiKeyCreated(ApiKeyPublic):
    """A new key: the only time the key itself is shown."""

    key: str


class ApiKeyCreate(BaseModel):
    """The role and name of a new key."""

    role: Role = Field(description="partenaire, editeur ou admin (pas anonyme)")
    name: Annotated[str, Field(min_length=1, max_length=200)]

    @field_validator("role")
    @classmethod
    def _key_role(cls, value: Role) -> Role:
        try:
            return key_role(value)
        except ValidationError as exc:  # pydantic reports a ValueError as a 422 problem
            raise ValueError(exc.problems[0].message) from None


@router.get("", summary="Lister les clés")
def list_keys(store: StoreDep, _role: AdminDep) -> list[ApiKeyPublic]:
    """Every key, without the keys themselves."""
    return [
        ApiKeyPublic(**r.model_dump(include={"id", "name", "role", "revoked"}))
        for r in store.list_api_keys()
    ]


@router.post("", summary="Créer une clé", status_code=status.HTTP_201_CREATED)
def create_key(
    body: Annotated[ApiKeyCreate, Body()], store: StoreDep, _role: AdminDep
) -> ApiKeyCreated:
    """Create a key; the answer is the only time it is shown."""
    key, record = create_api_key(store, role=body.role, name=body.name)
    return ApiKeyCreated(id=record.id, name=record.name, role=record.role, revoked=False, key=key)


@router.delete("/{key_id}", summary="Révoquer une clé", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(key_id: str, store: StoreDep, _role: AdminDep) -> Response:
    """Revoke a key: it stops working at once."""
    store.revoke_api_key(key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
