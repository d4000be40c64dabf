"""Who sees what: the confidentiality rules every store, analysis, visual and export applies.

An actor or a flow is visible to a reader cleared up to ``visibility`` when its own level is
at most that. A flow is also hidden when either of its actors is: a hidden actor never
shows through its flows.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from toiles.errors import Problem, ValidationError
from toiles.models.vocab import Confidentiality, parse_enum

if TYPE_CHECKING:
    from toiles.models.actor import Actor
    from toiles.models.flow import Flow
    from toiles.models.toile import Toile


def actor_visible(actor: Actor, visibility: Confidentiality) -> bool:
    """Whether an actor may be shown to a reader cleared up to ``visibility``."""
    return actor.confidentiality.rank <= visibility.rank


def flow_visible(flow: Flow, visibility: Confidentiality) -> bool:
    """Whether a flow's own level allows showing it (its actors are checked separately)."""
    return flow.confidentiality.rank <= visibility.rank


def redact(toile: Toile, visibility: Confidentiality) -> Toile:
    """Return the part of a toile a reader cleared up to ``visibility`` may see.

    Examples
    --------
    >>> from toiles.models import Actor, Flow, Toile
    >>> t = Toile(id="t", name="T", theme="energie",
    ...           actors=[Actor(id="a", name="A", kind="entreprise"),
    ...                   Actor(id="b", name="B", kind="entreprise",
    ...                         confidentiality="confidentiel")],
    ...           flows=[Flow(id="f", source="a", target="b", kind="chaleur")])
    >>> r = redact(t, Confidentiality.PUBLIC)
    >>> [a.id for a in r.actors], len(r.flows)
    (['a'], 0)
    """
    if visibility is Confidentiality.CONFIDENTIEL:
        return toile
    actors = tuple(a for a in toile.actors if actor_visible(a, visibility))
    shown = {a.id for a in actors}
    flows = tuple(
        f
        for f in toile.flows
        if flow_visible(f, visibility) and f.source in shown and f.target in shown
    )
    return toile.model_copy(update={"actors": actors, "flows": flows})


class Role(StrEnum):
    """Roles of the API's readers and writers, from the least to the most trusted."""

    ANONYME = "anonyme"
    PARTENAIRE = "partenaire"
    EDITEUR = "editeur"
    ADMIN = "admin"

    @property
    def visibility(self) -> Confidentiality:
        """The most confidential level this role may read."""
        if self is Role.ANONYME:
            return Confidentiality.PUBLIC
        if self is Role.PARTENAIRE:
            return Confidentiality.PARTENAIRES
        return Confidentiality.CONFIDENTIEL

    @property
    def can_edit(self) -> bool:
        """Whether this role may create, change and delete data."""
        return self in {Role.EDITEUR, Role.ADMIN}


KEY_ROLES = (Role.PARTENAIRE, Role.EDITEUR, Role.ADMIN)
"""The roles an API key may carry: anonymous is what a request without a key already has."""


def key_role(value: str | Role) -> Role:
    """Return the role a new API key may carry, or refuse it: the one rule of CLI and API.

    Parameters
    ----------
    value
        A role or its name, in any case, with or without accents (``éditeur``).

    Returns
    -------
    Role
        One of :data:`KEY_ROLES`.

    Raises
    ------
    ValidationError
        For an unknown role, and for ``anonyme``.

    Examples
    --------
    >>> key_role("Éditeur")
    <Role.EDITEUR: 'editeur'>
    >>> key_role("anonyme")
    Traceback (most recent call last):
    ...
    toiles.errors.ValidationError: 1 erreur(s) ; première : rôle: une clé ne peut pas avoir le rôle anonyme (les requêtes sans clé l'ont déjà) (valeur : « anonyme »)
    """  # noqa: E501  # a doctest's expected line cannot be wrapped
    try:
        role = value if isinstance(value, Role) else parse_enum(Role, value)
    except ValueError as exc:
        problem = Problem("rôle", None, None, str(exc), str(value))
        raise ValidationError([problem]) from exc
    if role not in KEY_ROLES:
        msg = "une clé ne peut pas avoir le rôle anonyme (les requêtes sans clé l'ont déjà)"
        raise ValidationError([Problem("rôle", None, None, msg, role.value)])
    return role


class ApiKeyRecord(BaseModel):
    """An API key as stored: never the key itself, only its SHA-256 hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    role: Role
    key_hash: str
    created: dt.datetime
    revoked: bool = False


class WebSession(BaseModel):
    """A signed-in web visitor's session as stored beside the API keys.

    Never the session token itself (the visitor's cookie), only its SHA-256 hash; the hash
    of the API key it was opened with (its role is read from the key at each request, so a
    revoked key ends the session); the session's CSRF secret, from which each form's token
    is derived with the session token (so the stored secret alone forges no form); and when
    the session ends unless the visitor comes back before.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    token_hash: str
    key_hash: str
    csrf_secret: str
    expires: dt.datetime
