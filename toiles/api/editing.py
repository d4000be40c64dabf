"""What every edit route shares: the author of an edit, ``If-Match`` in and ``ETag`` out.

An edit is based on the revision the editor read: the ``ETag`` of an edit's answer (and of
the history route) is that revision, and an edit sent with ``If-Match: "3"`` is applied only
if the version is still at revision 3; otherwise 409 and nothing changes. Without
``If-Match`` the change is applied on the latest revision (retried if another edit slipped
in between), never over it.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, status

from toiles.api.deps import EditorDep, StoreDep
from toiles.api.errors import ApiError
from toiles.api.security import hash_key

_ETAG = re.compile(r'^(?:W/)?"?(\d{1,18})"?$')

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='Révision sur laquelle porte la modification (l\'ETag lu, ex. "3") ; '
        "409 si la toile a changé depuis",
    ),
]


def etag(revision: int) -> str:
    """The ``ETag`` header value of a revision.

    Examples
    --------
    >>> etag(3)
    '"3"'
    """
    return f'"{revision}"'


def expected_revision(if_match: str | None) -> int | None:
    """The revision an ``If-Match`` header names (None without one, or for ``*``).

    Raises
    ------
    ApiError
        422 when the header is not a revision.

    Examples
    --------
    >>> expected_revision('"3"'), expected_revision('W/"3"'), expected_revision(None)
    (3, 3, None)
    """
    if if_match is None or if_match.strip() == "*":
        return None
    match = _ETAG.match(if_match.strip())
    if match is None:
        msg = "If-Match attendu : l'ETag d'une révision, par exemple \"3\""
        raise ApiError(status.HTTP_422_UNPROCESSABLE_CONTENT, msg)
    return int(match.group(1))


async def get_author(
    store: StoreDep,
    _role: EditorDep,
    authorization: Annotated[str | None, Header()] = None,
) -> str:
    """Who makes an edit, as the history shows it: the name and id of the API key."""
    key = (authorization or "").strip().partition(" ")[2].strip()
    record = store.find_api_key(hash_key(key)) if key else None
    if record is None:  # a test override of the role, without a key
        return "inconnu"
    return f"{record.name} (clé {record.id})"


AuthorDep = Annotated[str, Depends(get_author)]
