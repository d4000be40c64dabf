"""Exports of a toile to other tools' formats, and back.

One entry point, :func:`export_toile`, writes a toile in any of :data:`EXPORT_FORMATS`;
:func:`read_export` reads back the formats that keep a whole toile. Every export honours
``public``: the toile is redacted (:func:`toiles.access.redact` at ``public``) before
anything is written, so hidden actors, flows and fields never reach a file.

========= ============================================================ =================
format    what is written                                              read back with
========= ============================================================ =================
gexf      GEXF 1.2 for Gephi, attributes, colours, sizes, positions    :func:`read_export`
graphml   GraphML with typed attributes                                :func:`read_export`
json      NetworkX node-link JSON                                      ``load_toile``
csv       folder: ``toile.yaml``, ``actors.csv``, ``flows.csv``        ``load_toile``
xlsx      workbook with the sheets ``acteurs`` and ``flux``            :func:`read_export`
geojson   actors as points, flows as lines (QGIS, Lizmap)              (a map, not a toile)
cypher    script that recreates the toile in Neo4j                     ``cypher-shell -f``
========= ============================================================ =================
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toiles.io._common import ExportError as ExportError

if TYPE_CHECKING:
    from toiles.models.toile import Toile

#: Formats :func:`export_toile` writes (``toiles export --format``).
EXPORT_FORMATS: tuple[str, ...] = ("gexf", "graphml", "json", "csv", "xlsx", "geojson", "cypher")
#: Formats whose ``out`` is a folder rather than a file.
FOLDER_FORMATS: tuple[str, ...] = ("csv",)
#: Formats :func:`read_export` reads back into a toile.
READABLE_FORMATS: tuple[str, ...] = ("gexf", "graphml", "json", "csv", "xlsx")
#: Usual file suffix of each format (``csv`` is a folder).
SUFFIXES: dict[str, str] = {
    "gexf": ".gexf",
    "graphml": ".graphml",
    "json": ".json",
    "csv": "",
    "xlsx": ".xlsx",
    "geojson": ".geojson",
    "cypher": ".cypher",
}


def export_toile(  # noqa: PLR0911  # one return per format
    toile: Toile, fmt: str, out: Path | str, *, public: bool = False, excel: bool = False
) -> Path:
    """Write a toile in another tool's format.

    Parameters
    ----------
    toile
        The toile to export.
    fmt
        One of :data:`EXPORT_FORMATS`.
    out
        File to write, or folder for ``csv``.
    public
        Leave out everything that is not ``public``.
    excel
        For ``csv``: ``;`` separators, UTF-8 with BOM and decimal commas (French Excel).

    Returns
    -------
    pathlib.Path
        The file (or folder) written.

    Raises
    ------
    ExportError
        For an unknown format.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> folder = Path(tempfile.mkdtemp())
    >>> export_toile(example_toile(), "graphml", folder / "t.graphml").suffix
    '.graphml'
    """
    if fmt not in EXPORT_FORMATS:
        msg = f"format d'export inconnu « {fmt} » (valeurs possibles : {', '.join(EXPORT_FORMATS)})"
        raise ExportError(msg)
    if public:
        from toiles.access import redact  # noqa: PLC0415
        from toiles.models.vocab import Confidentiality  # noqa: PLC0415

        toile = redact(toile, Confidentiality.PUBLIC)
    path = Path(out)
    if fmt == "gexf":
        from toiles.io.gexf import write_gexf  # noqa: PLC0415

        return write_gexf(toile, path)
    if fmt == "graphml":
        from toiles.io.graphml import write_graphml  # noqa: PLC0415

        return write_graphml(toile, path)
    if fmt == "json":
        from toiles.io.node_link import write_node_link  # noqa: PLC0415

        return write_node_link(toile, path)
    if fmt == "csv":
        from toiles.io.tables import write_csv_pair  # noqa: PLC0415

        return write_csv_pair(toile, path, excel=excel)
    if fmt == "xlsx":
        from toiles.io.tables import write_xlsx  # noqa: PLC0415

        return write_xlsx(toile, path)
    if fmt == "geojson":
        from toiles.graph import graph_from_toile  # noqa: PLC0415
        from toiles.viz.geo import write_geojson  # noqa: PLC0415

        return write_geojson(graph_from_toile(toile), path)
    from toiles.io.cypher import write_cypher  # noqa: PLC0415

    return write_cypher(toile, path)


def read_export(path: Path | str, fmt: str | None = None) -> Toile:
    """Read back a toile exported by :func:`export_toile` (see :data:`READABLE_FORMATS`).

    ``fmt`` defaults to the file's suffix (a folder is ``csv``).

    Raises
    ------
    ExportError
        For a format that does not keep a whole toile.

    Examples
    --------
    >>> import tempfile
    >>> from toiles.synthetic import example_toile
    >>> path = export_toile(example_toile(), "gexf", Path(tempfile.mkdtemp()) / "t.gexf")
    >>> len(read_export(path).flows)
    14
    """
    source = Path(path)
    kind = fmt or ("csv" if source.is_dir() else source.suffix.lstrip(".").lower())
    if kind in {"json", "csv"}:
        from toiles.loaders import load_toile  # noqa: PLC0415

        return load_toile(source)
    if kind == "gexf":
        from toiles.io.gexf import read_gexf  # noqa: PLC0415

        return read_gexf(source)
    if kind == "graphml":
        from toiles.io.graphml import read_graphml  # noqa: PLC0415

        return read_graphml(source)
    if kind == "xlsx":
        from toiles.io.tables import read_xlsx_toile  # noqa: PLC0415

        return read_xlsx_toile(source)
    msg = f"format non relisible « {kind} » (relisibles : {', '.join(READABLE_FORMATS)})"
    raise ExportError(msg)
