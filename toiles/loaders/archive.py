"""Unpack a zipped toile folder safely: the files it may hold, and bounded inflation.

A zip declares the size of each member, but nothing forces the declaration to be true: a
1 MB member may claim 100 bytes and inflate to 1 GB. :func:`extract_toile_archive` therefore
counts the bytes actually inflated while it writes them, and stops at the first byte over
a member's or the archive's cap or over :data:`MAX_RATIO` times the member's compressed size,
as well as refusing absolute paths, ``..`` and archives of too many members. The API's
import and any other caller share these rules.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from toiles.errors import Problem, TooLarge, ValidationError

TOILE_FILES = frozenset(
    {
        "toile.yaml",
        "toile.yml",
        "actors.csv",
        "actors.xlsx",
        "acteurs.csv",
        "acteurs.xlsx",
        "flows.csv",
        "flows.xlsx",
        "flux.csv",
        "flux.xlsx",
    }
)
"""Names of the files of a toile folder (any other file of an archive is ignored)."""

MAX_MEMBERS = 1000
"""Most members an archive may list (a toile folder has three files)."""

MAX_RATIO = 100
"""Most a member may inflate, in times its compressed size (CSV tables deflate 4 to 10 times;
a zip bomb a thousand times)."""

RATIO_FLOOR = 1_000_000
"""Bytes a member may always inflate to, whatever its ratio (tiny files compress a lot)."""

_CHUNK = 1 << 16


_ARCHIVE = "archive.zip"


def _refuse(message: str, *, name: str = _ARCHIVE, size: bool = False) -> ValidationError:
    kind = TooLarge if size else ValidationError
    return kind([Problem(name, None, None, message)])


def _copy_bounded(source: IO[bytes], target: Path, *, budget: int) -> int:
    """Copy ``source`` to ``target``; return the bytes copied, or -1 past ``budget``."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > budget:
                return -1
            out.write(chunk)
    return written


def save_upload(source: IO[bytes], target: Path, *, max_bytes: int) -> Path:
    """Stream an uploaded file to disk, refusing it past ``max_bytes``.

    Raises
    ------
    TooLarge
        When the file is larger than ``max_bytes`` (nothing is left on disk).
    """
    if _copy_bounded(source, target, budget=max_bytes) < 0:
        target.unlink(missing_ok=True)
        msg = f"fichier trop volumineux (plus de {max_bytes // 1_000_000} Mo)"
        raise _refuse(msg, name=target.name, size=True)
    return target


def extract_toile_archive(
    archive_path: Path,
    target: Path,
    *,
    max_bytes: int,
    max_member_bytes: int | None = None,
    max_members: int = MAX_MEMBERS,
) -> list[Path]:
    """Extract the toile files of a zip into ``target``, counting what really inflates.

    Parameters
    ----------
    archive_path
        The zip file.
    target
        Existing folder that receives the files (flattened: only the file names are kept).
    max_bytes
        Most bytes the extracted files may total once inflated.
    max_member_bytes
        Most bytes one file may inflate to (default: ``max_bytes``).
    max_members
        Most members the archive may list.

    Returns
    -------
    list of Path
        The files written, in archive order.

    Raises
    ------
    ValidationError
        When the zip is unreadable, lists a forbidden path or too many members, or inflates
        past a cap (:class:`~toiles.errors.TooLarge` then); nothing extracted is left in
        ``target`` after a refusal.

    Examples
    --------
    >>> import io, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(folder / "t.zip", "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("t/toile.yaml", "id: t")
    ...     z.writestr("t/notes.txt", "ignored")
    >>> [p.name for p in extract_toile_archive(folder / "t.zip", folder, max_bytes=1000)]
    ['toile.yaml']
    >>> with zipfile.ZipFile(folder / "b.zip", "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("actors.csv", "0" * 10_000)
    >>> try:
    ...     extract_toile_archive(folder / "b.zip", folder, max_bytes=1000)
    ... except ValidationError as exc:
    ...     print(exc.problems[0].message)
    archive trop volumineuse une fois décompressée (plus de 1000 octets)
    """
    member_cap = max_bytes if max_member_bytes is None else min(max_member_bytes, max_bytes)
    written: list[Path] = []
    try:
        archive = zipfile.ZipFile(archive_path)
    except (zipfile.BadZipFile, OSError) as exc:
        msg = "archive zip illisible"
        raise _refuse(msg) from exc
    try:
        with archive:
            members = archive.infolist()
            if len(members) > max_members:
                msg = f"archive de {len(members)} fichiers ({max_members} au plus)"
                raise _refuse(msg)
            total = 0
            for member in members:
                path = PurePosixPath(member.filename)
                if path.is_absolute() or ".." in path.parts:
                    msg = f"chemin interdit dans l'archive : {member.filename}"
                    raise _refuse(msg)
                if member.is_dir() or path.name not in TOILE_FILES:
                    continue
                out = target / path.name
                # A member never inflates past MAX_RATIO times its compressed size: the
                # reader never consumes more compressed bytes than the header declares.
                by_ratio = max(RATIO_FLOOR, member.compress_size * MAX_RATIO)
                budget = min(member_cap, max_bytes - total, by_ratio)
                try:
                    with archive.open(member) as source:
                        size = _copy_bounded(source, out, budget=budget)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                    written.append(out)
                    msg = f"fichier illisible dans l'archive : {member.filename}"
                    raise _refuse(msg) from exc
                written.append(out)
                if size < 0:
                    if budget == by_ratio and by_ratio < min(member_cap, max_bytes - total):
                        msg = (
                            f"{path.name} se décompresse plus de {MAX_RATIO} fois : "
                            "archive suspecte (bombe zip ?)"
                        )
                    elif budget == member_cap and member_cap < max_bytes - total:
                        msg = (
                            f"{path.name} trop volumineux une fois décompressé "
                            f"(plus de {member_cap} octets)"
                        )
                    else:
                        msg = (
                            "archive trop volumineuse une fois décompressée "
                            f"(plus de {max_bytes} octets)"
                        )
                    raise _refuse(msg, size=True)
                total += size
    except ValidationError:
        for path_written in written:
            path_written.unlink(missing_ok=True)
        raise
    return written


def unpack_toile_files(files: list[Path], folder: Path, *, max_bytes: int) -> Path:
    """Gather uploaded files into a toile folder: zips extracted, toile files moved.

    Parameters
    ----------
    files
        Uploaded files, each named as it was sent (``.zip``, or one of :data:`TOILE_FILES`).
    folder
        Folder (created if needed, empty) that receives the toile's files.
    max_bytes
        Cap of what each zip inflates to.

    Returns
    -------
    Path
        ``folder``.

    Raises
    ------
    ValidationError
        When a file is neither a zip nor a toile file, or a zip is refused
        (:func:`extract_toile_archive`).
    """
    folder.mkdir(exist_ok=True)
    for path in files:
        if path.name.lower().endswith(".zip"):
            extract_toile_archive(path, folder, max_bytes=max_bytes)
        elif path.name in TOILE_FILES:
            path.replace(folder / path.name)
        else:
            msg = f"fichier inattendu : {path.name} (zip, toile.yaml, actors, flows)"
            raise _refuse(msg, name=path.name)
    return folder
