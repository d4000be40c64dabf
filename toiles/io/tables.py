"""Tables for spreadsheets: the CSV pair (actors, flows) and an Excel workbook of two sheets.

- CSV pair: a folder with ``toile.yaml``, ``actors.csv`` and ``flows.csv``, exactly what
  :func:`toiles.loaders.load_toile` reads; with ``excel=True`` the CSV files are the way
  French Excel opens them directly (``;`` separators, UTF-8 with BOM, decimal commas).
- XLSX: one workbook with the sheets ``acteurs`` and ``flux`` (same columns as the CSV
  files, numbers stored as numbers, texts that look like formulas stored as text, header
  frozen, filters on); the toile's description
  is kept in the workbook's custom properties, so :func:`read_xlsx_toile` gives back the
  same toile, read through the loader's own checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.io._common import ExportError, flat, info_json
from toiles.loaders.files import ACTOR_COLUMNS, FLOW_COLUMNS, save_toile
from toiles.loaders.tables import FORMULA_STARTS

if TYPE_CHECKING:
    from toiles.models.toile import Toile

#: Sheet names of the workbook.
ACTOR_SHEET, FLOW_SHEET = "acteurs", "flux"
#: Custom property of the workbook that holds the toile's description.
INFO_PROPERTY = "toile"


def write_csv_pair(toile: Toile, folder: Path | str, *, excel: bool = False) -> Path:
    r"""Write a toile as a folder of CSV tables (``toile.yaml``, ``actors.csv``, ``flows.csv``).

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> folder = write_csv_pair(example_toile(), Path(tempfile.mkdtemp()) / "t", excel=True)
    >>> (folder / "flows.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    True
    """
    return save_toile(toile, folder, excel=excel)


def _cell(value: object) -> str | int | float | bool | None:
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return str(value.value)
    return flat(value)


def write_xlsx(toile: Toile, out: Path | str) -> Path:
    """Write a toile as an Excel workbook with the sheets ``acteurs`` and ``flux``.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> path = write_xlsx(example_toile(), Path(tempfile.mkdtemp()) / "t.xlsx")
    >>> read_xlsx_toile(path) == example_toile()
    True
    """
    import openpyxl  # noqa: PLC0415  # heavy; only for Excel output
    from openpyxl.packaging.custom import StringProperty  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    path = Path(out)
    workbook = openpyxl.Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for title, columns, rows in (
        (ACTOR_SHEET, ACTOR_COLUMNS, toile.actors),
        (FLOW_SHEET, FLOW_COLUMNS, toile.flows),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for item in rows:
            data = dict(item)
            sheet.append([_cell(data.get(column)) for column in columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    # Text, never a formula (OWASP): openpyxl would store "=..." as one.
                    cell.data_type = "s"
                    cell.quotePrefix = True
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(columns, start=1):
            longest = max(
                [len(column)]
                + [len(str(c.value or "")) for c in sheet[get_column_letter(index)][1:200]]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 50)
    workbook.properties.title = toile.name
    workbook.properties.creator = "toiles"
    workbook.properties.description = toile.description or ""
    workbook.custom_doc_props.append(StringProperty(name=INFO_PROPERTY, value=info_json(toile)))
    workbook.save(path)
    return path


def read_xlsx_toile(path: Path | str) -> Toile:
    """Read back a workbook written by :func:`write_xlsx`, through the loader's checks.

    Raises
    ------
    ExportError
        When the workbook has no toile description.
    toiles.errors.ValidationError
        When its tables have errors (every problem listed).
    """
    import openpyxl  # noqa: PLC0415  # heavy; only for Excel input

    from toiles.errors import ValidationError  # noqa: PLC0415
    from toiles.loaders.tables import read_table  # noqa: PLC0415
    from toiles.loaders.validate import (  # noqa: PLC0415
        ACTOR_ALIASES,
        FLOW_ALIASES,
        read_actors,
        read_flows,
    )
    from toiles.models.toile import Toile  # noqa: PLC0415

    source = Path(path)
    workbook = openpyxl.load_workbook(source, read_only=True)
    try:
        properties = {p.name: p.value for p in workbook.custom_doc_props.props}
    finally:
        workbook.close()
    if INFO_PROPERTY not in properties:
        msg = f"{source} : description de la toile absente (classeur écrit par toiles attendu)"
        raise ExportError(msg)
    info = json.loads(str(properties[INFO_PROPERTY]))
    actor_table = read_table(source, ACTOR_ALIASES, sheet=ACTOR_SHEET)
    actors = [a for _, a in read_actors(actor_table)]
    flow_table = read_table(source, FLOW_ALIASES, sheet=FLOW_SHEET)
    flows = read_flows(flow_table, {a.id for a in actors})
    problems = actor_table.problems + flow_table.problems
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems, source=str(source))
    return Toile(**info, actors=tuple(actors), flows=tuple(flows))
