"""CSV files for ``neo4j-admin database import full``: bulk loads of very large toiles.

``neo4j-admin`` builds a database from CSV files offline, far faster than any transactional
load, for territories far larger than one agency's. The files describe exactly the graph the
Neo4j store writes (``docs/graph-model.md``): after the import, the store reads the toile as
if it had saved it (its constraints and indexes are created by its first write, or by
:meth:`~toiles.graph_db.neo4j.Neo4jStore.create_schema`).

One export holds one toile version, in six pairs of files (a header file and a data file):

================== ============================================== =========================
files              content                                        ``neo4j-admin`` option
================== ============================================== =========================
``toiles``         the ``(:Toile)`` node                          ``--nodes=Toile=…``
``versions``       the ``(:ToileVersion)`` node, ``ready``         ``--nodes=ToileVersion=…``
``actors``         one ``(:Actor)`` node per actor                ``--nodes=Actor=…``
``version_of``     ``(:ToileVersion)-[:VERSION_OF]->(:Toile)``    ``--relationships=…``
``in_version``     ``(:Actor)-[:IN_VERSION]->(:ToileVersion)``    ``--relationships=…``
``flows``          one ``[:FLOW]`` relationship per flow          ``--relationships=…``
================== ============================================== =========================

Strings are always quoted and a missing value is an empty, unquoted field, so that an empty
text stays an empty text and a missing one stays missing. Lists (tags, EPCI, sources) are
joined with the ASCII unit separator (U+001F, ``--array-delimiter=U+001F``): a source such
as « INSEE (Licence Ouverte) ; GeoNames (CC BY 4.0) » keeps its ``;``, which
``neo4j-admin``'s default delimiter would have split.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.access import redact
from toiles.graph_db import _neo4j_model as m
from toiles.io._common import ExportError
from toiles.models.vocab import Confidentiality

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from toiles.models.toile import Toile

ARRAY_DELIMITER = "\u001f"
"""Separator of list items: a control character that no tag, EPCI or source holds."""
_DELIMITER_OPTION = "U+001F"

_NEO4J_TYPES: dict[m.PropType, str] = {
    "str": "string",
    "float": "double",
    "int": "long",
    "strlist": "string[]",
}

#: (file stem, ``neo4j-admin`` option, label or relationship type), in import order.
FILES: tuple[tuple[str, str, str], ...] = (
    ("toiles", "--nodes", m.TOILE),
    ("versions", "--nodes", m.VERSION),
    ("actors", "--nodes", m.ACTOR),
    ("version_of", "--relationships", m.VERSION_OF),
    ("in_version", "--relationships", m.IN_VERSION),
    ("flows", "--relationships", m.FLOW),
)

_VERSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("load_id", f"load_id:ID({m.VERSION})"),
    ("toile_id", "toile_id:string"),
    ("version", "version:string"),
    ("state", "state:string"),
    ("ready_key", "ready_key:string"),
    ("latest", "latest:boolean"),
    ("saved_at", "saved_at:datetime"),
    ("name", "name:string"),
    ("theme", "theme:string"),
    ("territory_name", "territory_name:string"),
    ("territory_epci", "territory_epci:string[]"),
    ("description", "description:string"),
    ("sources", "sources:string[]"),
    ("updated", "updated:date"),
    ("illustrative", "illustrative:boolean"),
    ("actors", "actors:long"),
    ("flows", "flows:long"),
    ("info_json", "info_json:string"),
)


def _text(value: object) -> str:
    """One CSV field: quoted text, bare numbers and booleans, nothing for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            msg = f"valeur non finie impossible à exporter : {value}"
            raise ExportError(msg)
        return repr(value)
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
        for item in items:
            if ARRAY_DELIMITER in item:
                msg = (
                    f"« {item.replace(ARRAY_DELIMITER, '␟')} » contient le caractère de "
                    "contrôle U+001F (␟), le séparateur des listes de neo4j-admin : "
                    "retirez-le avant l'export"
                )
                raise ExportError(msg)
        return _text(ARRAY_DELIMITER.join(items)) if items else ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value)
    return '"' + text.replace('"', '""') + '"'


def _write(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for row in rows:
            handle.write(",".join(_text(v) for v in row) + "\n")
    return path


def _write_header(path: Path, columns: Sequence[str]) -> Path:
    path.write_text(",".join(columns) + "\n", encoding="utf-8")
    return path


def _prop_columns(props: Sequence[m.Prop], *, skip: str) -> list[str]:
    return [f"{p.name}:{_NEO4J_TYPES[p.type]}" for p in props if p.name != skip]


def export_neo4j_admin(toile: Toile, out_dir: Path | str, *, public: bool = False) -> list[Path]:
    """Write the header and data CSV files of one toile version for ``neo4j-admin``.

    Parameters
    ----------
    toile
        The toile version to export.
    out_dir
        Folder to write into (created if needed); files of the same names are replaced.
    public
        Leave out everything that is not ``public`` (as every export does).

    Returns
    -------
    list of pathlib.Path
        The files written, header before data, in the order of :data:`FILES`.

    Raises
    ------
    ExportError
        When a list value (a tag) contains U+001F, the array delimiter.

    Notes
    -----
    The command that imports them is :func:`neo4j_admin_command`. Written row by row, in
    linear time and constant memory beyond the toile itself.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> paths = export_neo4j_admin(example_toile(), tempfile.mkdtemp())
    >>> [p.name for p in paths[:4]]
    ['toiles-header.csv', 'toiles.csv', 'versions-header.csv', 'versions.csv']
    """
    if public:
        toile = redact(toile, Confidentiality.PUBLIC)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    load_id = uuid.uuid4().hex
    info = toile.info
    version = m.version_props(info, n_actors=len(toile.actors), n_flows=len(toile.flows))
    version |= {
        "load_id": load_id,
        "state": m.READY,
        "ready_key": m.ready_key(toile.id, toile.version),
        "latest": True,
        "saved_at": dt.datetime.now(dt.UTC),
    }
    actor_columns = [
        f"id:ID({m.ACTOR})",
        *_prop_columns(m.ACTOR_PROPS, skip="id"),
        "location:point{crs:WGS-84}",
    ]
    flow_columns = [
        f":START_ID({m.ACTOR})",
        f":END_ID({m.ACTOR})",
        *_prop_columns(m.FLOW_PROPS, skip=""),
    ]

    def actor_rows() -> Iterable[list[object]]:
        for actor in toile.actors:
            values = list(m.actor_values(actor))
            location = None
            if actor.lat is not None and actor.lon is not None:
                location = f"{{latitude:{actor.lat!r}, longitude:{actor.lon!r}}}"
            yield [*values, location]

    def flow_rows() -> Iterable[list[object]]:
        for flow in toile.flows:
            yield [flow.source, flow.target, *m.flow_values(flow)]

    paths: list[Path] = []
    headers: dict[str, list[str]] = {
        "toiles": [f"id:ID({m.TOILE})"],
        "versions": [column for _, column in _VERSION_COLUMNS],
        "actors": actor_columns,
        "version_of": [f":START_ID({m.VERSION})", f":END_ID({m.TOILE})"],
        "in_version": [f":START_ID({m.ACTOR})", f":END_ID({m.VERSION})"],
        "flows": flow_columns,
    }
    data: dict[str, Iterable[Sequence[object]]] = {
        "toiles": [[toile.id]],
        "versions": [[version[name] for name, _ in _VERSION_COLUMNS]],
        "actors": actor_rows(),
        "version_of": [[load_id, toile.id]],
        "in_version": ([a.id, load_id] for a in toile.actors),
        "flows": flow_rows(),
    }
    for stem, _, _ in FILES:
        paths.append(_write_header(folder / f"{stem}-header.csv", headers[stem]))
        paths.append(_write(folder / f"{stem}.csv", data[stem]))
    return paths


def neo4j_admin_command(out_dir: Path | str, *, database: str = "neo4j") -> list[str]:
    """The ``neo4j-admin database import full`` command for the files of an export.

    The database is replaced (``--overwrite-destination``); in Neo4j Community the server
    must be stopped while it runs.

    Examples
    --------
    >>> cmd = neo4j_admin_command("export")
    >>> cmd[:5]
    ['neo4j-admin', 'database', 'import', 'full', 'neo4j']
    >>> cmd[-1]
    '--relationships=FLOW=export/flows-header.csv,export/flows.csv'
    """
    folder = Path(out_dir)
    command = [
        "neo4j-admin",
        "database",
        "import",
        "full",
        database,
        "--overwrite-destination=true",
        "--multiline-fields=true",
        f"--array-delimiter={_DELIMITER_OPTION}",
    ]
    for stem, option, name in FILES:
        command.append(f"{option}={name}={folder / f'{stem}-header.csv'},{folder / f'{stem}.csv'}")
    return command
