"""What both stores' backups share: writing a file atomically, and the logical dump format.

A backup is first written to a temporary file next to its destination, flushed to disk, then
renamed over it (an atomic rename on one file system): a backup killed half-way leaves the
previous one intact, never a truncated file under its name.

The logical dump (Neo4j's backup, made through the driver while the server keeps serving)
is one gzip-compressed JSON document: every stored version with its revision, every API key
record (hashes only) and the whole edit history.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, JsonValue

from toiles.access import ApiKeyRecord
from toiles.errors import StoreError
from toiles.models.history import EditRecord
from toiles.models.toile import Toile

if TYPE_CHECKING:
    from collections.abc import Iterator

DUMP_FORMAT = "toiles-dump"
DUMP_FORMAT_VERSION = 1


@contextlib.contextmanager
def atomic_file(dest: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``dest``; rename it over ``dest`` once written.

    On any exception the temporary file is removed and ``dest`` stays as it was; leftovers
    of a process killed earlier (``.NAME.partial-PID``) are removed first.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    for leftover in dest.parent.glob(f".{dest.name}.partial-*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    tmp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        yield tmp
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the rename itself durable (POSIX)
        directory = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class DumpedVersion(BaseModel):
    """One stored version in a logical dump."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    revision: int
    toile: Toile


class Dump(BaseModel):
    """A logical dump of a store: versions, API keys and edit history."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = DUMP_FORMAT
    format_version: int = DUMP_FORMAT_VERSION
    toiles: tuple[DumpedVersion, ...] = ()
    api_keys: tuple[ApiKeyRecord, ...] = ()
    edits: tuple[EditRecord, ...] = ()


def write_dump(dump: Dump, dest: Path) -> None:
    """Write a logical dump (gzip JSON) atomically."""
    with atomic_file(dest) as tmp, gzip.open(tmp, "wt", encoding="utf-8") as handle:
        handle.write(dump.model_dump_json())


def read_dump(src: Path) -> Dump:
    """Read and validate a whole logical dump before anything is restored from it.

    Raises
    ------
    StoreError
        In French, when the file is missing, not a toiles dump, or invalid.
    """
    try:
        with gzip.open(src, "rt", encoding="utf-8") as handle:
            data: JsonValue = json.load(handle)
    except (OSError, EOFError, ValueError) as exc:
        msg = f"sauvegarde illisible : {src} (une sauvegarde Neo4j de toiles attendue)"
        raise StoreError(msg) from exc
    if not isinstance(data, dict) or data.get("format") != DUMP_FORMAT:
        msg = f"{src} n'est pas une sauvegarde de toiles (format {DUMP_FORMAT} attendu)"
        raise StoreError(msg)
    try:
        return Dump.model_validate(data)
    except ValueError as exc:
        msg = f"sauvegarde invalide : {src} (données non conformes, rien n'a été restauré)"
        raise StoreError(msg) from exc
