"""Shared machinery of the Open Data importers: streaming CSV, header matching, ids, problems.

Every national file is read as a stream (one row at a time, never the whole file in
memory), its header matched to canonical column names through folded aliases, and every
problem located by file, line and column. A file may come as it is distributed: inside a
zip archive (``StockEtablissement_utf8.zip``), read from the archive as a stream, or as the
JSON, JSON lines or CSV that an Open Data API or site exports. Malformed input raises one
:class:`~toiles.errors.ValidationError` listing the problems; nothing is written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import itertools
import json
import math
import queue
import re
import threading
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple, Self

from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata.territory import as_territory
from toiles.loaders.tables import detect_separator, header_key, parse_number
from toiles.models.vocab import Theme, fold, parse_enum
from toiles.territory import current_commune

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from _typeshed import WriteableBuffer

    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.actor import Actor
    from toiles.models.flow import Flow
    from toiles.models.toile import Toile

#: At most this many problems are collected from one file before reading stops.
MAX_PROBLEMS = 100

_SNIFF_BYTES = 65_536
#: Bytes read at once from a file or a zip member.
_READ_BUFFER = 1 << 20
#: Decompressed megabytes a zip member's reading thread may hold ahead of the parser.
_PREFETCH_DEPTH = 4
#: Name of the thread that decompresses a zip member ahead of the parser.
PREFETCH_THREAD = "toiles-lecture-zip"
_SLUG = re.compile(r"[^a-z0-9]+")
#: A point farther than this from every known commune centre (km) is not placed by it.
MAX_CENTRE_KM = 20.0
#: At most this many unplaced records are named one by one in a warning; the others counted.
MAX_NAMED = 20
_MISSING = frozenset({"", "[nd]", "nd", "null", "none", "nan", "n/a", "non concerne", "-"})
_MISSING_FIRST = frozenset("[nN-")
_DATA_SUFFIXES = (".csv", ".json", ".jsonl", ".ndjson", ".geojson", ".txt")
_TRUE = frozenset({"true", "vrai", "oui", "1", "t", "o", "y", "yes"})
_FALSE = frozenset({"false", "faux", "non", "0", "f", "n", "no"})


def slug(text: str, *, max_length: int = 80) -> str:
    """Turn a name into a stable identifier fragment: lower case, ASCII, dashes.

    Examples
    --------
    >>> slug("Société Y, Béthune (62)")
    'societe-y-bethune-62'
    >>> slug("Œuvre d'Été")
    'oeuvre-d-ete'
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SLUG.sub("-", ascii_text).strip("-")[:max_length].strip("-") or "x"


def is_missing(value: str | None) -> bool:
    """Tell whether a cell stands for "no value" (empty, ``[ND]``, ``Non concerné``...).

    Examples
    --------
    >>> is_missing(" Non concerné "), is_missing("[ND]"), is_missing("FRA68")
    (True, True, False)
    """
    return value is None or fold(value) in _MISSING


def clean(value: object) -> str | None:
    """Return a cell as stripped text, or ``None`` when it stands for no value."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None
    # Fast path: only short cells starting like a "missing" marker need folding.
    if len(text) > 13 or text[0] not in _MISSING_FIRST:  # noqa: PLR2004
        return text
    return None if is_missing(text) else text


def parse_bool(text: str) -> bool:
    """Read a boolean however the file writes it (``true``, ``TRUE``, ``Vrai``, ``1``...).

    Raises
    ------
    ValueError
        When the text is not a boolean.

    Examples
    --------
    >>> parse_bool("TRUE"), parse_bool("false"), parse_bool("Oui")
    (True, False, True)
    """
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    msg = "booléen attendu (true/false)"
    raise ValueError(msg)


def number_or_none(value: object) -> float | None:
    """Read a number from a cell or a JSON value; ``None`` when absent or unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = clean(value)
    if text is None:
        return None
    try:
        number = parse_number(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def line_span(lines: list[int]) -> str:
    """Describe the lines a grouped record comes from, briefly.

    Examples
    --------
    >>> line_span([2])
    'ligne 2'
    >>> line_span([2, 3, 4])
    'lignes 2, 3, 4'
    >>> line_span(list(range(2, 40)))
    'lignes 2, 3, 4, 5, 6… (38 lignes)'
    """
    if len(lines) == 1:
        return f"ligne {lines[0]}"
    shown = ", ".join(str(n) for n in lines[:5])
    more = f"… ({len(lines)} lignes)" if len(lines) > 5 else ""  # noqa: PLR2004
    return f"lignes {shown}{more}"


def named_list(items: list[str], limit: int, *, separator: str = ", ") -> str:
    """Name the first ``limit`` items of a list, and count the others.

    Examples
    --------
    >>> named_list(["ligne 2", "ligne 5", "ligne 9"], 2)
    'ligne 2, ligne 5 et 1 autre(s)'
    """
    shown = separator.join(items[:limit])
    more = len(items) - limit
    return f"{shown} et {more} autre(s)" if more > 0 else shown


def aliases(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Build the folded-header -> canonical-column map of an importer."""
    result: dict[str, str] = {}
    for canonical, names in table.items():
        for name in (canonical, *names):
            result[header_key(name)] = canonical
    return result


@dataclass
class Collector:
    """The problems met while reading one file; errors stop the import, warnings do not."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    _counts: dict[str, int] = field(default_factory=dict)
    #: Records read from the file (data rows, JSON objects), and those outside the territory.
    seen: int = 0
    outside: int = 0

    def error(
        self, line: int | None, column: str | None, message: str, value: str | None = None
    ) -> None:
        """Record an error."""
        self.problems.append(Problem(self.path, line, column, message, value))

    def warning(
        self, line: int | None, column: str | None, message: str, value: str | None = None
    ) -> None:
        """Record a warning."""
        self.problems.append(Problem(self.path, line, column, message, value, "warning"))

    def count(self, key: str) -> None:
        """Count one occurrence of a repeated, minor anomaly (reported once, with its count)."""
        self._counts[key] = self._counts.get(key, 0) + 1

    def counted(self, key: str) -> int:
        """How many times an anomaly was counted."""
        return self._counts.get(key, 0)

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def full(self) -> bool:
        """Whether enough errors were collected to stop reading."""
        return len(self.errors) >= MAX_PROBLEMS

    def raise_if_errors(self) -> None:
        """Raise one :class:`ValidationError` with every problem, if any is an error.

        Raises
        ------
        ValidationError
            When at least one error was recorded.
        """
        if self.errors:
            raise ValidationError(self.problems, source=self.path)

    def summarise(self, key: str, message: str, column: str | None = None) -> None:
        """Turn a counted anomaly into one warning ``message`` (``{n}`` is the count)."""
        n = self.counted(key)
        if n:
            self.warning(None, column, message.format(n=n))


@dataclass
class CsvHeader:
    """The header of a CSV file: column index of each canonical column found."""

    names: list[str]
    index: dict[str, int]
    delimiter: str

    def has(self, column: str) -> bool:
        """Whether the file has this canonical column."""
        return column in self.index

    def raw(self, column: str) -> str:
        """The column's name as the file writes it (for messages)."""
        return self.names[self.index[column]] if column in self.index else column


def data_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    """The data file of a zip archive: its largest CSV or JSON member (``None`` if none)."""
    members = [
        m
        for m in archive.infolist()
        if not m.is_dir()
        and m.filename.lower().endswith(_DATA_SUFFIXES)
        and not m.filename.startswith("__MACOSX")
    ]
    return max(members, key=lambda m: m.file_size) if members else None


@contextlib.contextmanager
def open_bytes(path: Path, collector: Collector) -> Iterator[IO[bytes] | None]:
    """Open a data file for reading as bytes; a zip archive yields its data member, streamed.

    The archive is never extracted: its member is decompressed as it is read, so memory
    stays flat whatever the file's size. ``None`` (with an error recorded) when the archive
    holds no CSV or JSON file or cannot be read.
    """
    try:
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        collector.error(None, None, f"fichier illisible : {exc.strerror or exc}")
        yield None
        return
    if not is_zip:
        with path.open("rb", buffering=_READ_BUFFER) as handle:
            yield handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        collector.error(
            None, None, "archive zip illisible : téléchargement incomplet ou archive endommagée ?"
        )
        yield None
        return
    with archive:
        member = data_member(archive)
        if member is None:
            names = ", ".join(archive.namelist()[:5]) or "aucun fichier"
            collector.error(
                None, None, f"l'archive zip ne contient aucun fichier CSV ou JSON ({names})"
            )
            yield None
            return
        with archive.open(member) as handle:
            ahead = Prefetcher(handle)
            try:
                yield io.BufferedReader(ahead, _READ_BUFFER)
            finally:
                ahead.close()


class Prefetcher(io.RawIOBase):
    """Read a byte stream ahead in a thread, so that decompression runs beside the parsing.

    zlib releases the GIL while it inflates, so a zip member decompressed by this thread
    costs the CSV parser (on the main thread) almost no time on a machine with two cores.
    At most :data:`_PREFETCH_DEPTH` chunks of :data:`_READ_BUFFER` bytes wait in the queue:
    memory stays bounded. An error of the source (a damaged archive) is raised by the next
    read, in the reader's thread.
    """

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__()
        self._queue: queue.Queue[bytes | Exception] = queue.Queue(maxsize=_PREFETCH_DEPTH)
        self._pending = memoryview(b"")
        self._finished = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._fill, args=(source,), name=PREFETCH_THREAD, daemon=True
        )
        self._thread.start()

    def _fill(self, source: IO[bytes]) -> None:
        try:
            while not self._stop.is_set():
                data = source.read(_READ_BUFFER)
                self._put(data)
                if not data:
                    return
        except Exception as exc:  # noqa: BLE001  # handed to the reading thread, raised there
            self._put(exc)

    def _put(self, item: bytes | Exception) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
            except queue.Full:
                continue
            return

    def readable(self) -> bool:
        """A prefetcher is read, never written."""
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Copy the next bytes into ``buffer``; 0 at the end of the stream."""
        if not self._pending:
            if self._finished:
                return 0
            item = self._queue.get()
            if isinstance(item, Exception):
                self._finished = True
                raise item
            if not item:
                self._finished = True
                return 0
            self._pending = memoryview(item)
        target = memoryview(buffer).cast("B")
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        """Stop the reading thread and wait for it (before the archive is closed)."""
        self._stop.set()
        self._thread.join()
        super().close()


@functools.lru_cache(maxsize=32)
def _file_label(path: Path, mtime_ns: int) -> tuple[str, dt.date | None]:
    del mtime_ns  # part of the cache key only: a replaced file is looked at again
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = data_member(archive)
                if member is not None:
                    return f"{path.name} ({member.filename})", dt.date(*member.date_time[:3])
    except (zipfile.BadZipFile, OSError, ValueError):
        pass
    return path.name, None


def file_label(path: Path) -> str:
    """The name of the file read, with the member read for a zip (for provenance).

    Examples
    --------
    >>> from pathlib import Path
    >>> file_label(Path("absent.csv"))
    'absent.csv'
    """
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return path.name
    return _file_label(path, mtime)[0]


def file_date(path: Path) -> dt.date | None:
    """The date of the data read: a zip member's date, else the file's modification date."""
    try:
        stat = path.stat()
    except OSError:
        return None
    inside = _file_label(path, stat.st_mtime_ns)[1]
    return inside or dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC).date()


def _sniff_encoding(path: Path, collector: Collector) -> str | None:
    with open_bytes(path, collector) as handle:
        if handle is None:
            return None
        try:
            head = handle.read(_SNIFF_BYTES)
        except _DAMAGED as exc:
            collector.error(1, None, damaged_message(exc))
            return None
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        collector.error(
            1,
            None,
            "encodage illisible : fichier en UTF-16 (« Texte Unicode » d'Excel) ou binaire ; "
            "CSV en UTF-8 attendu",
        )
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # a character cut at the buffer's end is fine
            line = head[: exc.start].count(b"\n") + 1
            collector.warning(
                line,
                None,
                "fichier en Windows-1252 (cp1252) et non en UTF-8 comme le fichier national : "
                "lu en cp1252 (réenregistré par Excel ?)",
            )
            return "cp1252"
    return "utf-8"


def _first_bad_line(path: Path) -> int:
    """Find the first line that is not valid UTF-8 (only called on the error path)."""
    decoder_line = 0
    with open_bytes(path, Collector(str(path))) as handle:
        for decoder_line, raw in enumerate(handle or (), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return decoder_line
    return decoder_line


def read_header(
    reader: Iterator[list[str]], collector: Collector, columns: Mapping[str, str], delimiter: str
) -> CsvHeader | None:
    """Read the header row and map it to canonical columns (first occurrence wins)."""
    try:
        names = next(reader)
    except StopIteration:
        collector.error(1, None, "fichier vide : une ligne d'en-tête est attendue")
        return None
    index: dict[str, int] = {}
    for position, name in enumerate(names):
        canonical = columns.get(header_key(name.lstrip("\ufeff")))
        if canonical is not None and canonical not in index:
            index[canonical] = position
    return CsvHeader([n.strip() for n in names], index, delimiter)


def check_columns(
    header: CsvHeader,
    collector: Collector,
    required: tuple[str, ...],
    *,
    expected: str,
    any_of: tuple[tuple[str, ...], ...] = (),
) -> bool:
    """Check the required columns are there; record one error naming what was expected."""
    missing = [c for c in required if not header.has(c)]
    missing += [" ou ".join(group) for group in any_of if not any(header.has(c) for c in group)]
    if missing and not any(name.strip() for name in header.names):
        collector.error(1, None, f"fichier vide : aucune ligne d'en-tête, on attend {expected}")
        return False
    if missing:
        found = ", ".join(header.names[:8]) + ("…" if len(header.names) > 8 else "")  # noqa: PLR2004
        collector.error(
            1,
            None,
            f"colonnes absentes : {', '.join(missing)} ; ce n'est pas {expected} "
            f"(colonnes trouvées : {found})",
        )
        return False
    return True


def _json_cell(value: object) -> str:
    """A JSON value as the text a CSV export would hold (``true``, ``[2.1, 50.4]``...)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)


class JsonRows:
    """Read a JSON or JSON lines file's records as rows of cells, the way :class:`CsvRows` does.

    The header is the first record's keys (matched to canonical columns like a CSV header);
    each record becomes the list of its values in that order (missing keys are empty cells).
    Records are numbered from 1 (``unit`` is « enregistrement »), streamed for JSON lines.
    """

    unit = "enregistrement"

    def __init__(
        self, path: Path, collector: Collector, columns: Mapping[str, str], *, expected: str
    ) -> None:
        self.path = path
        self.collector = collector
        self.columns = columns
        self.expected = expected
        self.header: CsvHeader | None = None
        self._records: Iterator[tuple[int, dict[str, object]]] = iter(())
        self._first: tuple[int, dict[str, object]] | None = None

    def __enter__(self) -> Self:
        self._records = json_records(self.path, self.collector, expected=self.expected)
        self._first = next(self._records, None)
        if self._first is None:
            if not self.collector.errors:
                self.collector.error(1, None, f"aucun enregistrement JSON : {self.expected}")
            return self
        names = [str(k) for k in self._first[1]]
        index: dict[str, int] = {}
        for position, name in enumerate(names):
            canonical = self.columns.get(header_key(name))
            if canonical is not None and canonical not in index:
                index[canonical] = position
        self.header = CsvHeader(names, index, ",")
        return self

    def __exit__(self, *exc_info: object) -> None:
        close = getattr(self._records, "close", None)
        if close is not None:
            close()  # stops the generator, which closes the file

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        if self.header is None or self._first is None:
            return
        names = self.header.names
        for number, record in itertools.chain((self._first,), self._records):
            yield number + 1, [_json_cell(record.get(name)) for name in names]


class CsvRows:
    """Stream a CSV file row by row: ``header``, then ``(line, cells)`` for each row.

    Use as a context manager. The encoding is detected on the first 64 KB (UTF-8 with or
    without BOM, else cp1252 with a warning); the separator on the header line unless given.
    Rows whose cell count differs from the header's, an unbalanced quote (a truncated last
    line), or bytes that are not of the encoding are recorded as errors with their line;
    reading stops after :data:`MAX_PROBLEMS` errors. ``line`` is the file's line number
    (the header is line 1). Memory stays flat: one row at a time.
    """

    unit = "ligne"

    def __init__(
        self,
        path: Path,
        collector: Collector,
        columns: Mapping[str, str],
        *,
        delimiter: str | None = None,
    ) -> None:
        self.path = path
        self.collector = collector
        self.columns = columns
        self.delimiter = delimiter
        self.header: CsvHeader | None = None
        self._stack = contextlib.ExitStack()
        self._reader: Iterator[list[str]] | None = None

    def __enter__(self) -> Self:
        encoding = _sniff_encoding(self.path, self.collector)
        if encoding is None:
            return self
        raw = self._stack.enter_context(open_bytes(self.path, self.collector))
        if raw is None:
            return self
        handle = self._stack.enter_context(io.TextIOWrapper(raw, encoding=encoding, newline=""))
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            self._bad_encoding()
            return self
        except _DAMAGED as exc:
            self.collector.error(1, None, damaged_message(exc))
            return self
        sep = self.delimiter or detect_separator(first.lstrip("\ufeff"))
        reader = csv.reader(itertools.chain((first,), handle), delimiter=sep, strict=True)
        self._reader = reader
        self.header = read_header(reader, self.collector, self.columns, sep)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def _bad_encoding(self) -> None:
        self.collector.error(
            _first_bad_line(self.path),
            None,
            "encodage illisible : UTF-8 attendu (le fichier national est en UTF-8 ; "
            "réenregistrez-le en « CSV UTF-8 »)",
        )

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        header, reader = self.header, self._reader
        if header is None or reader is None:
            return
        width = len(header.names)
        line_num = reader.line_num  # type: ignore[attr-defined]
        last = line_num
        try:
            for cells in reader:
                start = last + 1
                last = reader.line_num  # type: ignore[attr-defined]
                if len(cells) != width:
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue
                    _ragged(self.collector, start, len(cells), width, header)
                    if self.collector.full:
                        return
                    continue
                yield start, cells
        except csv.Error as exc:
            self.collector.error(
                last + 1,
                None,
                f"ligne CSV illisible ({exc}) : guillemet non fermé ou dernière ligne tronquée ?",
            )
        except UnicodeDecodeError:
            self._bad_encoding()
        except _DAMAGED as exc:
            self.collector.error(last + 1, None, damaged_message(exc))


#: What reading a damaged zip member raises (bad CRC, truncated deflate stream).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)


def damaged_message(exc: BaseException) -> str:
    """The French sentence for a zip archive damaged past its directory."""
    del exc  # zlib's and zipfile's messages are English and technical: not shown
    return (
        "archive zip endommagée à la lecture (somme de contrôle fausse ou données "
        "tronquées) : téléchargez-la à nouveau"
    )


def _ragged(collector: Collector, line: int, found: int, width: int, header: CsvHeader) -> None:
    if found < width:
        missing = header.names[found] if found < len(header.names) else "?"
        collector.error(
            line,
            missing,
            f"ligne incomplète : {found} cellules pour les {width} colonnes de l'en-tête "
            f"(ligne tronquée ? séparateur « {header.delimiter} » attendu)",
        )
    else:
        collector.error(
            line,
            None,
            f"{found} cellules pour les {width} colonnes de l'en-tête "
            "(virgule non protégée par des guillemets ?)",
        )


def open_text(path: Path, collector: Collector) -> str | None:
    """Read a whole small file as text (JSON inputs, possibly in a zip), in UTF-8."""
    try:
        with open_bytes(path, collector) as handle:
            if handle is None:
                return None
            data = handle.read()
    except OSError as exc:
        collector.error(None, None, f"fichier illisible : {exc.strerror or exc}")
        return None
    except _DAMAGED as exc:
        collector.error(None, None, damaged_message(exc))
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        collector.error(line, None, "encodage illisible : UTF-8 attendu")
        return None


class ImportStart(NamedTuple):
    """What every import begins with: its file, territory, problem collector and theme."""

    source: Path
    territory: TerritoryFilter
    collector: Collector
    theme: Theme


def start_import(
    path: Path | str, territory: str | TerritoryFilter, theme: str | Theme | None, default: Theme
) -> ImportStart:
    """Begin an import: read the territory and the theme, and check the file is there.

    Raises
    ------
    ValidationError
        When the file is missing or not a file (with a wrong theme reported as well); a
        territory that does not parse raises from :func:`as_territory`.
    """
    source = Path(path)
    territory_filter = as_territory(territory)
    collector = Collector(str(source))
    chosen = resolve_theme(theme, default, collector)
    if not check_file(source, collector):
        collector.raise_if_errors()
    return ImportStart(source, territory_filter, collector, chosen)


def check_file(path: Path, collector: Collector) -> bool:
    """Check the input file exists and is a file; record an error otherwise."""
    if not path.is_file():
        message = "fichier introuvable" if not path.exists() else "un fichier est attendu"
        collector.error(None, None, message)
        return False
    return True


def resolve_theme(theme: str | Theme | None, default: Theme, collector: Collector) -> Theme:
    """Read the ``--theme`` option (French labels accepted), or the importer's default."""
    if theme is None:
        return default
    if isinstance(theme, Theme):
        return theme
    try:
        return parse_enum(Theme, theme)
    except ValueError as exc:
        collector.error(None, "--theme", str(exc), theme)
        return default


def commune_fields(insee: str | None) -> dict[str, object]:
    """The commune and EPCI fields of an actor located in a commune.

    An old commune code (a delegated or associated commune) gives the commune it joined;
    the EPCI comes from the national commune table (Artois EPCI by their short names).

    Examples
    --------
    >>> commune_fields("80489")
    {'commune_insee': '80489', 'epci': 'CA Amiens Métropole'}
    >>> commune_fields("62119")
    {'commune_insee': '62119', 'epci': 'CABBALR'}
    """
    if not insee:
        return {}
    commune = current_commune(insee)
    if commune is None:
        return {"commune_insee": insee}
    fields: dict[str, object] = {"commune_insee": commune.insee}
    if commune.epci_siren:
        fields["epci"] = commune.epci
    return fields


def distinguish(actors: list[Actor], *suffixes: Callable[[Actor], str | None]) -> list[Actor]:
    """Tell apart actors of one import that share a name, by adding what differs.

    A picture where three stations read « Asia Automotive » and two establishments
    « SOCIETE DES SUCRERIES DU MARQUENTERRE » tells the reader nothing: each suffix function
    is tried in turn on the actors whose names are still equal (case and accents ignored),
    and its answer is appended after « — ».

    Examples
    --------
    >>> from toiles.models import Actor
    >>> same = [Actor(id=f"a{i}", name="Usine", kind="entreprise") for i in (1, 2)]
    >>> [a.name for a in distinguish(same, lambda a: a.id.upper())]
    ['Usine — A1', 'Usine — A2']
    """
    result = list(actors)
    for suffix in suffixes:
        groups: dict[str, list[int]] = {}
        for index, actor in enumerate(result):
            groups.setdefault(fold(actor.name), []).append(index)
        for indices in groups.values():
            if len(indices) < 2:  # noqa: PLR2004
                continue
            for index in indices:
                extra = suffix(result[index])
                if extra:
                    name = f"{result[index].name} — {extra}"[:300]
                    result[index] = result[index].model_copy(update={"name": name})
    return result


def build_toile(  # noqa: PLR0913  # every field of the toile's description is needed
    *,
    source: str,
    dataset: str,
    path: Path,
    territory: TerritoryFilter,
    theme: Theme,
    name: str,
    actors: list[Actor],
    flows: list[Flow],
    collector: Collector,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
    filters: str = "",
    also_from: tuple[tuple[str, Path], ...] = (),
) -> Toile:
    """Assemble the imported toile, with a description that says it is to be completed.

    The collector's warnings are appended to ``report`` first, when one is given.
    ``also_from`` names the other files the import read, as (dataset, path) pairs: they
    join the toile's ``sources`` with their date.

    Raises
    ------
    ValidationError
        When no actor was kept and ``allow_empty`` is false: the message says how many
        records were read, how many lay outside the territory, and which ``filters`` (a
        French phrase such as ``"année 2022"``) were applied, with the warnings met.
    """
    from toiles.models.toile import Territory, Toile  # noqa: PLC0415

    if not actors and not allow_empty:
        collector.error(None, None, _empty_message(collector, territory, filters))
        collector.raise_if_errors()
    if not actors:
        collector.warning(None, None, _empty_message(collector, territory, filters, allowed=True))
    if report is not None:
        report.extend(collector.problems)

    date = file_date(path)
    dated = f", fichier du {date:%d/%m/%Y}" if date else ""
    label = file_label(path)
    others = tuple(_source_line(name, other) for name, other in also_from)
    completed = "".join(f" complétée par {other}," for other in others)
    description = (
        f"Toile générée par « toiles import {source} » depuis {dataset} "
        f"(fichier {label}{dated}),{completed} filtrée sur le territoire {territory.label}. "
        "Point de départ à compléter : chaque acteur et chaque flux indique sa ligne "
        "d'origine dans « provenance »."
    )
    try:
        return Toile(
            id=slug(f"{source}-{territory.label}", max_length=120),
            name=f"{name} — {territory.label}",
            theme=theme,
            version="T0",
            territory=Territory(name=territory.label, epci=territory.epci_names),
            description=description,
            sources=(_source_line(dataset, path), *others),
            updated=dt.datetime.now(tz=dt.UTC).date(),
            actors=tuple(actors),
            flows=tuple(flows),
        )
    except ValueError as exc:
        collector.error(None, None, f"toile importée incohérente : {exc}")
        collector.raise_if_errors()
        raise


def _source_line(dataset: str, path: Path) -> str:
    date = file_date(path)
    return f"{dataset} : {file_label(path)}" + (f", fichier du {date:%d/%m/%Y}" if date else "")


def _empty_message(
    collector: Collector, territory: TerritoryFilter, filters: str, *, allowed: bool = False
) -> str:
    """Say why an import kept nothing: records read, outside the territory, filters.

    ``allowed`` (``--allow-empty``): the same reasons, ending with what was written.
    """
    if collector.seen == 0:
        return "aucun acteur gardé : le fichier ne contient aucun enregistrement ; " + (
            "toile vide écrite (--allow-empty)"
            if allowed
            else "passez --allow-empty pour écrire quand même une toile vide"
        )
    inside = collector.seen - collector.outside
    parts = [
        (
            f"aucun acteur gardé : {collector.seen} enregistrement(s) lu(s), dont "
            f"{collector.outside} hors du territoire « {territory.label} »"
        )
    ]
    if inside:
        condition = f" (filtres : {filters})" if filters else ""
        parts.append(
            f"{inside} dans le territoire mais écarté(s){condition}, voir les avertissements"
        )
    if allowed:
        parts.append("toile vide écrite (--allow-empty)")
        return " ; ".join(parts)
    advice = "vérifiez --territory"
    if filters:
        advice += " et les filtres"
    parts.append(f"{advice}, ou passez --allow-empty pour écrire quand même une toile vide")
    return " ; ".join(parts)


def provenance(dataset: str, path: Path, where: str) -> str:
    """The provenance of an imported actor or flow: dataset, file (zip member) and lines.

    Examples
    --------
    >>> from pathlib import Path
    >>> provenance("IRVE consolidé", Path("irve.csv"), "ligne 2")
    'IRVE consolidé — irve.csv, ligne 2'
    """
    return f"{dataset} — {file_label(path)}, {where}"


def sniff_format(path: Path) -> str:
    r"""Tell how a data file is written: ``"json"``, ``"jsonl"`` (JSON lines) or ``"csv"``.

    Decided on the first bytes (of the zip member for an archive), not on the file's
    suffix: API exports are often saved as ``.txt`` or without a suffix.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a").write_text('{"x": 1}\n{"x": 2}\n')
    >>> _ = (folder / "b").write_text('[{"x": 1}]')
    >>> _ = (folder / "c").write_text("x;y\n1;2\n")
    >>> [sniff_format(folder / n) for n in "abc"]
    ['jsonl', 'json', 'csv']
    """
    collector = Collector(str(path))
    try:
        with open_bytes(path, collector) as handle:
            head = handle.read(_SNIFF_BYTES) if handle is not None else b""
    except (OSError, *_DAMAGED):
        return "csv"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return "json"
    if not text.startswith(b"{"):
        return "csv"
    first, _, rest = text.partition(b"\n")
    if rest.strip().startswith(b"{") and first.rstrip().endswith(b"}"):
        return "jsonl"
    return "json"


def _json_lines(path: Path, collector: Collector) -> Iterator[tuple[int, object]]:
    """Yield ``(line, value)`` for each line of a JSON lines file, streamed."""
    with open_bytes(path, collector) as handle:
        if handle is None:
            return
        try:
            for number, raw in enumerate(handle, start=1):
                value = _json_line(number, raw, collector)
                if value is not _SKIP:
                    yield number, value
                if collector.full:
                    return
        except _DAMAGED as exc:
            collector.error(None, None, damaged_message(exc))


_SKIP = object()


def _json_line(number: int, raw: bytes, collector: Collector) -> object:
    """One line of a JSON lines file, or ``_SKIP`` (blank, or an error recorded)."""
    if not raw.strip():
        return _SKIP
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        collector.error(number, None, "encodage illisible : UTF-8 attendu")
    except json.JSONDecodeError as exc:
        collector.error(number, None, f"ligne JSON illisible ({exc.msg}) : ligne tronquée ?")
    return _SKIP


def _as_record(item: object) -> dict[str, object] | None:
    """The fields of one JSON item: GeoJSON ``properties``, ODRÉ v1 ``fields``, or itself.

    A GeoJSON point's coordinates are added as ``geometry_longitude`` and
    ``geometry_latitude`` (the properties of some exports do not repeat them).
    """
    if not isinstance(item, dict):
        return None
    for key in ("properties", "fields"):
        inner = item.get(key)
        if isinstance(inner, dict):
            geometry = item.get("geometry")
            point = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                isinstance(geometry, dict)
                and geometry.get("type") == "Point"
                and isinstance(point, list)
                and len(point) >= 2  # noqa: PLR2004
            ):
                return {"geometry_longitude": point[0], "geometry_latitude": point[1], **inner}
            return inner
    return item


def json_records(
    path: Path, collector: Collector, *, expected: str, prefix: str = ""
) -> Iterator[tuple[int, dict[str, object]]]:
    """Yield ``(index, record)`` for each object of a JSON or JSON lines file.

    The JSON list may be the document itself (an API's ``exports/json``), its ``data``
    (Hub'Eau), ``results`` (Opendatasoft API v2.1, as ODRÉ's), ``records`` (API v1, whose
    items keep their values in ``fields``) or GeoJSON ``features`` (whose ``properties``
    are the record). A JSON lines file (``exports/jsonl``) is streamed one line at a time.
    Problems are recorded in ``collector``: an unreadable or truncated file, no list
    (``expected`` says what was), an item that is not an object (located as
    ``{prefix}[index]``, or by its line for JSON lines).
    """
    if sniff_format(path) == "jsonl":
        for index, (line, item) in enumerate(_json_lines(path, collector)):
            record = _as_record(item)
            if record is None:
                collector.error(line, None, "objet JSON attendu sur chaque ligne")
                continue
            yield index, record
        return
    text = open_text(path, collector)
    if text is None:
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        collector.error(exc.lineno, None, f"JSON illisible ({exc.msg}) : fichier tronqué ?")
        return
    items: object = data
    if isinstance(data, dict):
        items = next(
            (data[k] for k in ("data", "results", "records", "features") if k in data), None
        )
    if not isinstance(items, list):
        collector.error(1, None, expected)
        return
    for index, item in enumerate(items):
        record = _as_record(item)
        if record is None:
            collector.error(None, f"{prefix}[{index}]", "objet JSON attendu")
            continue
        yield index, record
