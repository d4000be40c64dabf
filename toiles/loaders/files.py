"""Load a toile from its files, and write it back: the ``load_toile`` / ``save_toile`` pair."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from toiles.errors import ValidationError
from toiles.loaders.tables import neutralise_formula
from toiles.loaders.validate import validate_toile
from toiles.models.actor import Actor
from toiles.models.flow import Flow

if TYPE_CHECKING:
    from collections.abc import Mapping

    from toiles.models.toile import Toile

ACTOR_COLUMNS = tuple(Actor.model_fields)
FLOW_COLUMNS = tuple(Flow.model_fields)


def load_toile(path: Path | str, *, overrides: Mapping[str, object] | None = None) -> Toile:
    """Load a toile folder or JSON file, all or nothing.

    Raises
    ------
    ValidationError
        When the toile has any error; ``problems`` lists them all (warnings too).

    Examples
    --------
    >>> from toiles.reference import reference_dir
    >>> load_toile(reference_dir("kalundborg-T0")).theme.value
    'energie'
    """
    report = validate_toile(path, overrides=overrides)
    if not report.ok or report.toile is None:
        raise ValidationError(report.problems, source=str(path))
    return report.toile


def _cell(value: object, *, excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return neutralise_formula("|".join(str(v) for v in value))
    if isinstance(value, float):  # a number, negative ones too, stays a number
        text = repr(value) if not value.is_integer() else str(int(value))
        return text.replace(".", ",") if excel else text
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value.value if hasattr(value, "value") else value))


def _write_csv(
    path: Path, columns: tuple[str, ...], rows: list[dict[str, object]], *, excel: bool
) -> None:
    encoding, delimiter = ("utf-8-sig", ";") if excel else ("utf-8", ",")
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if excel else "\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c), excel=excel) for c in columns])


def save_toile(toile: Toile, folder: Path | str, *, excel: bool = False) -> Path:
    """Write a toile as a folder: ``toile.yaml``, ``actors.csv``, ``flows.csv``.

    With ``excel``, the CSV files are the way French Excel reads them best: ``;``
    separators, UTF-8 with BOM, decimal commas. Either way :func:`load_toile` reads them back.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    info = toile.info.model_dump(mode="json", exclude_none=True)
    info["territory"]["epci"] = list(info["territory"]["epci"])
    info["sources"] = list(info["sources"])
    (target / "toile.yaml").write_text(
        yaml.safe_dump(info, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    _write_csv(target / "actors.csv", ACTOR_COLUMNS, [dict(a) for a in toile.actors], excel=excel)
    _write_csv(target / "flows.csv", FLOW_COLUMNS, [dict(f) for f in toile.flows], excel=excel)
    return target


def write_toile_json(toile: Toile, path: Path | str) -> Path:
    """Write a toile as one JSON document that :func:`load_toile` reads back."""
    target = Path(path)
    target.write_text(
        json.dumps(toile.model_dump(mode="json"), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return target
