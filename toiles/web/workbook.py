"""One Excel workbook for a whole toile: its ``acteurs`` and ``flux`` sheets as the two tables.

People keep a toile in one workbook more often than in two files. The loaders read one
table per file (``actors.xlsx``, ``flows.xlsx``), so a workbook is split into those two,
row for row, so that every problem keeps its line (the header is line 1, as Excel shows
it); the problems then name the workbook and the sheet instead of the split files.
"""

from __future__ import annotations

import dataclasses
import io
from typing import TYPE_CHECKING

from toiles.errors import Problem, ValidationError
from toiles.models.vocab import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Sheet names (accents and case ignored) -> the table file the loaders read.
SHEETS = {
    "acteurs": "actors.xlsx",
    "actors": "actors.xlsx",
    "flux": "flows.xlsx",
    "flows": "flows.xlsx",
}
#: Workbooks that are already one table each, read as they are.
TABLE_FILES = {"actors.xlsx", "acteurs.xlsx", "flows.xlsx", "flux.xlsx"}


def is_workbook(filename: str) -> bool:
    """Whether an uploaded file is a whole-toile workbook (an ``.xlsx`` that is not a table)."""
    return filename.lower().endswith((".xlsx", ".xlsm")) and filename.lower() not in TABLE_FILES


def split_workbook(data: bytes, filename: str) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """Split a workbook into the loaders' two table files.

    Returns
    -------
    tuple
        The files as ``(name, content)``, and how to name each of them in a problem
        (``"toile.xlsx, feuille acteurs"``).

    Raises
    ------
    ValidationError
        When the workbook cannot be read or lacks a sheet.
    """
    import openpyxl  # noqa: PLC0415  # only for uploads

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        msg = "classeur Excel illisible (un fichier .xlsx est attendu)"
        raise ValidationError([Problem(filename, None, None, msg)]) from exc
    files: list[tuple[str, bytes]] = []
    names: dict[str, str] = {}
    try:
        for sheet in workbook.worksheets:
            target = SHEETS.get(fold(sheet.title))
            if target is None or target in names:
                continue
            names[target] = f"{filename}, feuille {sheet.title}"
            files.append((target, _one_sheet(sheet.iter_rows(values_only=True))))
    finally:
        workbook.close()
    missing = [
        f"feuille « {label} » absente du classeur (feuilles attendues : acteurs et flux)"
        for target, label in (("actors.xlsx", "acteurs"), ("flows.xlsx", "flux"))
        if target not in names
    ]
    if missing:
        raise ValidationError([Problem(filename, None, None, m) for m in missing])
    return files, names


def _one_sheet(rows: Iterable[tuple[object, ...]]) -> bytes:
    import openpyxl  # noqa: PLC0415

    out = openpyxl.Workbook()
    sheet = out.active
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=line, column=column, value=value)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def rename_problems(exc: ValidationError, names: dict[str, str]) -> list[Problem]:
    """The problems of a split workbook, naming the workbook and sheet, not the split files."""
    return [dataclasses.replace(p, file=names.get(p.file, p.file)) for p in exc.problems]
