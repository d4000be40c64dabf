"""Pieces shared by the exporters: the error, flat attribute values, the toile description."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from toiles.errors import ToilesError

if TYPE_CHECKING:
    from toiles.models.toile import Toile

#: Separator of list values (tags) in flat formats, as in the CSV files the loader reads.
LIST_SEPARATOR = "|"


class ExportError(ToilesError, ValueError):
    """An export was asked for in an unknown format, or a file cannot be read back."""


def flat(value: object) -> str | int | float | bool | None:
    """Return a value that every flat format can hold (lists joined by ``|``).

    Examples
    --------
    >>> flat(["a", "b"]), flat(2.5), flat(None)
    ('a|b', 2.5, None)
    """
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def info_json(toile: Toile) -> str:
    """Return the toile's description (``toile.yaml`` fields) as compact JSON.

    Examples
    --------
    >>> from toiles.models import Toile
    >>> info_json(Toile(id="t", name="T", theme="energie"))[:31]
    '{"id":"t","name":"T","theme":"e'
    """
    return json.dumps(toile.info.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
