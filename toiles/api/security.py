"""API keys: creation (shown once), hashing, and the role a request carries."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from toiles.access import ApiKeyRecord, Role, key_role

if TYPE_CHECKING:
    from toiles.graph_db.base import ApiKeyStore

KEY_PREFIX = "tk_"


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest under which a key is stored.

    Keys are long random tokens, so a plain hash (no salt, no slow KDF) is enough: there is
    no dictionary to guess them from.

    Examples
    --------
    >>> hash_key("tk_abc")[:12]
    'c20d9bdb8c4b'
    """
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(store: ApiKeyStore, *, role: Role, name: str) -> tuple[str, ApiKeyRecord]:
    """Create a key for ``role``, store its hash, and return the key (shown once) and record.

    Raises
    ------
    ValidationError
        When ``role`` may not be given to a key (:func:`toiles.access.key_role`).
    """
    role = key_role(role)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKeyRecord(
        id=secrets.token_hex(6),
        name=name,
        role=role,
        key_hash=hash_key(key),
        created=dt.datetime.now(dt.UTC),
    )
    store.save_api_key(record)
    return key, record


def role_of_key(store: ApiKeyStore, key: str) -> Role | None:
    """Return the role of a valid, unrevoked key, or None."""
    record = store.find_api_key(hash_key(key))
    if record is None or record.revoked:
        return None
    return record.role
