"""Actor sheets (« fiches acteurs »): from T0 to T1 with the actors themselves.

The agency sends each actor what T0 says of it and of its flows, to confirm, correct or
complete; the sheets that come back make T1. :func:`write_fiches` writes one Excel workbook
per actor (French, drop-down lists for kinds, units, statuses and answers, headers and T0's
identifiers protected, empty rows for new flows) and a printable PDF beside it.
:func:`read_fiches` reads the workbooks that came back, as French Excel saves them, reports
every problem as ``FILE:SHEET!CELL: message`` and builds T1 only when there is none.

What an answer does in T1:

- a value changed in a sheet replaces T0's; a row marked « exact » confirms T0's value. Either
  way the actor's (or flow's) provenance becomes « réponse de l'acteur (fiche du DATE) » and a
  flow's confidence becomes ``haute``; DATE is the date written in the sheet (else the date
  Excel saved it);
- a flow marked « n'existe plus » is removed; a filled empty row adds a flow;
- an empty cell keeps T0's value: a sheet sent back untouched changes nothing.

A flow is on the sheets of both its actors: a correction wins over a bare confirmation, and
two different corrections of one value are an error that names both cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic

from toiles.errors import Problem, ValidationError
from toiles.loaders.tables import parse_int, parse_number
from toiles.loaders.validate import homonyms_message, pydantic_message
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.toile import Toile
from toiles.models.units import canonical_unit, known_units
from toiles.models.vocab import (
    ACTOR_KINDS,
    FLOW_KINDS,
    STATUSES,
    ActorKind,
    Confidence,
    FlowKind,
    Status,
    fold,
    label,
    parse_enum,
)
from toiles.naf import NAF_SEPARATOR, naf_code_of, naf_display
from toiles.territory import current_commune, resolve_commune_text

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "ANSWER_PROVENANCE",
    "FicheAnswers",
    "fiche_name",
    "read_fiches",
    "write_fiches",
]

#: Provenance of every value an actor answered (followed by the date of the sheet).
ANSWER_PROVENANCE = "réponse de l'acteur"

SHEET_ACTOR = "Acteur"
SHEET_FLOWS = "Flux"
SHEET_LISTS = "Listes"
SHEET_INFO = "Infos"

EXACT, CORRECTED, GONE = "exact", "corrigé", "n'existe plus"
SUPPLIES, RECEIVES = "fournit à", "reçoit de"
NEW_FLOW_ROWS = 10
_DATE_CELL = "C5"
_ACTOR_HEADER_ROW = 7
_FLOW_HEADER_ROW = 4
#: Beyond this many actors, the « other actor » column of new flows is free text (an id),
#: not a drop-down list.
MAX_LISTED_ACTORS = 2000

_ACTOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Nom"),
    ("kind", "Type d'acteur"),
    ("siret", "SIRET"),
    ("naf", "Code NAF (APE)"),
    ("employees", "Effectif salarié"),
    ("commune_insee", "Commune (code INSEE)"),
    ("zae", "Zone d'activités (identifiant)"),
    ("lat", "Latitude"),
    ("lon", "Longitude"),
    ("description", "Description, remarques"),
)
_TEXT_FIELDS = frozenset({"name", "siret", "naf", "commune_insee", "zae", "description"})
# Flow sheet columns (1-based): what T0 says, editable in place, then the answer.
_FLOW_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "Identifiant du flux", 16),
    ("direction", "Sens", 11),
    ("other", "Autre acteur (identifiant)", 26),
    ("other_name", "Autre acteur (nom)", 34),
    ("kind", "Type de flux", 18),
    ("quantity", "Quantité", 12),
    ("unit", "Unité", 8),
    ("year", "Année", 8),
    ("status", "Statut", 11),
    ("temperature", "Température (°C)", 12),
    ("answer", "Réponse", 13),
    ("comment", "Commentaire", 34),
)
_COL = {key: i + 1 for i, (key, _, _) in enumerate(_FLOW_COLUMNS)}
#: What T0 says of a flow that the actor may correct in place.
_EDITABLE = ("kind", "quantity", "unit", "year", "status", "temperature")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def fiche_name(actor_id: str) -> str:
    """File name (without suffix) of an actor's sheet.

    Examples
    --------
    >>> fiche_name("ent-sucrerie:62")
    'fiche-ent-sucrerie-62'
    """
    return "fiche-" + _SAFE.sub("-", actor_id).strip("-")


def _actor_value(actor: Actor, name: str) -> object:
    """What the sheet shows of an actor's field, with the words that make codes readable.

    A NAF code gets INSEE's label, an INSEE commune code the commune's name (« 80688 — Rue »).
    """
    value = getattr(actor, name)
    if name == "naf" and value is not None:
        return naf_display(value)
    if name == "commune_insee" and value is not None:
        commune = current_commune(value)
        return value if commune is None else f"{value}{NAF_SEPARATOR}{commune.name}"
    return _display(value)


def _display(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, ActorKind | FlowKind | Status):
        return label(value)
    return value


# --- writing ------------------------------------------------------------------------------------


def _styles() -> dict[str, object]:
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415

    return {
        "title": Font(bold=True, size=14),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="DDE4EE"),
        "answer_fill": PatternFill("solid", fgColor="FFF7D6"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def _lists_sheet(workbook: Workbook, toile: Toile) -> dict[str, str]:
    """A hidden sheet of the drop-down lists; returns the range formula of each list."""
    sheet = workbook.create_sheet(SHEET_LISTS)
    lists: dict[str, list[str]] = {
        "actor_kind": [t.fr for t in ACTOR_KINDS.values()],
        "flow_kind": [t.fr for t in FLOW_KINDS.values()],
        "unit": known_units(),
        "status": [t.fr for t in STATUSES.values()],
        "answer_actor": [EXACT, CORRECTED],
        "answer_flow": [EXACT, CORRECTED, GONE],
        "direction": [SUPPLIES, RECEIVES],
    }
    if len(toile.actors) <= MAX_LISTED_ACTORS:
        lists["actor"] = sorted(a.id for a in toile.actors)
    formulas: dict[str, str] = {}
    for column, (name, values) in enumerate(lists.items(), start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.cell(row=1, column=column, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
        formulas[name] = f"={SHEET_LISTS}!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    return formulas


def _validation(sheet: Worksheet, formula: str, cells: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415

    check = DataValidation(type="list", formula1=formula, allow_blank=True)
    check.error = "Choisissez une valeur de la liste."
    check.errorTitle = "Valeur non prévue"
    check.prompt = prompt
    check.showErrorMessage = True
    sheet.add_data_validation(check)
    check.add(cells)


def _printable(sheet: Worksheet, *, landscape: bool) -> None:
    """One page wide when printed, headers repeated on every page."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _unlock(cell: object, fill: object) -> None:
    from openpyxl.styles import Protection  # noqa: PLC0415

    cell.protection = Protection(locked=False)  # type: ignore[attr-defined]
    cell.fill = fill  # type: ignore[attr-defined]


def _actor_sheet(
    sheet: Worksheet, toile: Toile, actor: Actor, written: dt.date, lists: dict[str, str]
) -> None:
    style = _styles()
    sheet.title = SHEET_ACTOR
    sheet["B1"] = f"Fiche acteur — {actor.name}"
    sheet["B1"].font = style["title"]
    sheet["B2"] = (
        f"Toile « {toile.name} » ({toile.id} {toile.version}), fiche écrite le "
        f"{written:%d/%m/%Y}. Ce que la toile dit de vous, à confirmer, corriger ou compléter."
    )
    sheet["B3"] = (
        "Colonne C : corrigez ou complétez la valeur ; colonne D : « exact » si elle est juste, "
        "« corrigé » si vous l'avez changée. Onglet « Flux » : vos échanges, et des lignes vides "
        "pour en ajouter. Une case laissée vide ne change rien."
    )
    sheet["B5"] = "Date de votre réponse"
    sheet["B5"].font = style["bold"]
    _unlock(sheet[_DATE_CELL], style["answer_fill"])
    sheet[_DATE_CELL].number_format = "DD/MM/YYYY"
    headers = ("Champ", "Information", "Valeur (à corriger ou compléter)", "Réponse", "Commentaire")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=_ACTOR_HEADER_ROW, column=column, value=text)
        cell.font, cell.fill = style["bold"], style["header_fill"]
    for offset, (name, text) in enumerate(_ACTOR_FIELDS, start=1):
        row = _ACTOR_HEADER_ROW + offset
        sheet.cell(row=row, column=1, value=name)
        sheet.cell(row=row, column=2, value=text).alignment = style["wrap"]  # beside its value
        value = sheet.cell(row=row, column=3, value=_actor_value(actor, name))
        if name in _TEXT_FIELDS:
            value.number_format = "@"  # SIRET and INSEE codes keep their leading zeros
        value.alignment = style["wrap"]
        lines = _wrapped_lines(value.value, _VALUE_WIDTH)
        if lines > 1:  # Excel and Calc keep a row's stored height: a long value would be cut
            sheet.row_dimensions[row].height = 15 * lines
        for column in (3, 4, 5):
            _unlock(sheet.cell(row=row, column=column), style["answer_fill"])
    last = _ACTOR_HEADER_ROW + len(_ACTOR_FIELDS)
    kind_row = _ACTOR_HEADER_ROW + 1 + [n for n, _ in _ACTOR_FIELDS].index("kind")
    _validation(sheet, lists["actor_kind"], f"C{kind_row}", "Type d'acteur")
    _validation(
        sheet, lists["answer_actor"], f"D{_ACTOR_HEADER_ROW + 1}:D{last}", "exact ou corrigé"
    )
    sheet.column_dimensions["A"].hidden = True
    for letter, width in (("B", 30), ("C", _VALUE_WIDTH), ("D", 12), ("E", 40)):
        sheet.column_dimensions[letter].width = width
    sheet.row_dimensions[2].height = 30
    sheet.row_dimensions[3].height = 45
    sheet["B2"].alignment = sheet["B3"].alignment = style["wrap"]
    sheet.merge_cells("B2:E2")
    sheet.merge_cells("B3:E3")
    _printable(sheet, landscape=False)
    sheet.protection.sheet = True
    sheet.freeze_panes = f"A{_ACTOR_HEADER_ROW + 1}"


_VALUE_WIDTH = 48


def _wrapped_lines(value: object, width: int) -> int:
    """How many lines a wrapped cell of ``width`` characters needs (capitals are wider).

    Examples
    --------
    >>> _wrapped_lines("Rue", 48), _wrapped_lines("x " * 60, 48), _wrapped_lines(3.5, 48)
    (1, 3, 1)
    """
    if not isinstance(value, str) or not value:
        return 1
    room = width * 1.05  # a column's width counts « 0 »s, wider than most letters
    weight = sum(1.2 if c.isupper() else 1.0 for c in value)
    return max(1, math.ceil(weight / room))


def actor_flows(toile: Toile, actor_id: str) -> list[Flow]:
    """The flows of one actor, given or received, in id order."""
    return sorted((f for f in toile.flows if actor_id in {f.source, f.target}), key=lambda f: f.id)


def _flow_sheet(
    sheet: Worksheet, toile: Toile, actor: Actor, names: dict[str, str], lists: dict[str, str]
) -> None:
    style = _styles()
    sheet["A1"] = f"Flux de {actor.name}"
    sheet["A1"].font = style["title"]
    sheet["A2"] = (
        "Corrigez en place le type, la quantité, l'unité, l'année, le statut ou la température, "
        "puis indiquez « exact », « corrigé » ou « n'existe plus ». Pour ajouter un flux, "
        "remplissez une ligne vide : sens, autre acteur (identifiant, liste de la colonne), type ; "
        "le reste si connu."
    )
    sheet["A2"].alignment = style["wrap"]
    sheet.merge_cells("A2:L2")
    sheet.row_dimensions[2].height = 45
    for column, (_key, text, width) in enumerate(_FLOW_COLUMNS, start=1):
        cell = sheet.cell(row=_FLOW_HEADER_ROW, column=column, value=text)
        cell.font, cell.fill = style["bold"], style["header_fill"]
        cell.alignment = style["wrap"]  # « Identifiant du flux » ran into « Sens »
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.row_dimensions[_FLOW_HEADER_ROW].height = 30
    flows = actor_flows(toile, actor.id)
    row = _FLOW_HEADER_ROW
    for row, flow in enumerate(flows, start=_FLOW_HEADER_ROW + 1):
        outgoing = flow.source == actor.id
        other = flow.target if outgoing else flow.source
        values = {
            "id": flow.id,
            "direction": SUPPLIES if outgoing else RECEIVES,
            "other": other,
            "other_name": names.get(other, other),
            "kind": label(flow.kind),
            "quantity": flow.quantity,
            "unit": flow.unit,
            "year": flow.year,
            "status": label(flow.status),
            "temperature": flow.temperature,
        }
        for key, value in values.items():  # top-aligned, beside a name that may wrap
            sheet.cell(row=row, column=_COL[key], value=value).alignment = style["wrap"]
        name_cell = sheet.cell(row=row, column=_COL["other_name"])
        lines = _wrapped_lines(name_cell.value, _FLOW_COLUMNS[_COL["other_name"] - 1][2])
        if lines > 1:
            sheet.row_dimensions[row].height = 15 * lines
        for key in (*_EDITABLE, "answer", "comment"):
            _unlock(sheet.cell(row=row, column=_COL[key]), style["answer_fill"])
    first_new, last_new = row + 1, row + NEW_FLOW_ROWS
    for new in range(first_new, last_new + 1):
        for key, _, _ in _FLOW_COLUMNS[1:]:
            if key != "answer":
                _unlock(sheet.cell(row=new, column=_COL[key]), style["answer_fill"])
    last = last_new
    top = _FLOW_HEADER_ROW + 1

    def span(key: str, start: int = top, end: int = last) -> str:
        letter = sheet.cell(row=1, column=_COL[key]).column_letter
        return f"{letter}{start}:{letter}{end}"

    _validation(sheet, lists["flow_kind"], span("kind"), "Type de flux")
    _validation(sheet, lists["unit"], span("unit"), "Unité")
    _validation(sheet, lists["status"], span("status"), "Statut")
    _validation(sheet, lists["direction"], span("direction", first_new), "Sens du flux")
    if row >= top:
        _validation(sheet, lists["answer_flow"], span("answer", top, row), "Réponse")
    if "actor" in lists:
        _validation(sheet, lists["actor"], span("other", first_new), "Identifiant de l'acteur")
    sheet.protection.sheet = True
    sheet.freeze_panes = f"A{top}"
    sheet.print_title_rows = f"{_FLOW_HEADER_ROW}:{_FLOW_HEADER_ROW}"
    _printable(sheet, landscape=True)


def _info_sheet(workbook: Workbook, toile: Toile, actor: Actor, written: dt.date) -> None:
    sheet = workbook.create_sheet(SHEET_INFO)
    for row, (key, value) in enumerate(
        (
            ("toile", toile.id),
            ("version", toile.version),
            ("acteur", actor.id),
            ("ecrite_le", written.isoformat()),
            ("format", "1"),
        ),
        start=1,
    ):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def write_fiche_xlsx(toile: Toile, actor: Actor, path: Path, *, written: dt.date) -> Path:
    """Write one actor's sheet as an Excel workbook (see :func:`write_fiches`)."""
    import openpyxl  # noqa: PLC0415  # heavy; only when sheets are written

    workbook = openpyxl.Workbook()
    lists = _lists_sheet(workbook, toile)
    names = {a.id: a.name for a in toile.actors}
    _actor_sheet(workbook.worksheets[0], toile, actor, written, lists)
    _flow_sheet(workbook.create_sheet(SHEET_FLOWS, 1), toile, actor, names, lists)
    _info_sheet(workbook, toile, actor, written)
    workbook.active = 0
    workbook.save(path)
    return path


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.6g}".replace(",", " ").replace(".", ",")
    return str(value)


def _short(text: str, width: int) -> str:
    """Cut ``text`` to about ``width`` lower-case letters' room, capitals counting 1.3.

    The PDF's cells hold a number of letters, not of characters: SIRENE's names in capitals
    (« SOCIETE DES SUCRERIES DU MARQUENTERRE — Marconnelle ») ran over the next column.

    Examples
    --------
    >>> _short("Sucreries du Marquenterre", 30)
    'Sucreries du Marquenterre'
    >>> _short("SOCIETE DES SUCRERIES DU MARQUENTERRE", 30)
    'SOCIETE DES SUCRERIES…'
    """
    used = 0.0
    for at, char in enumerate(text):
        used += 1.3 if char.isupper() else 1.0
        if used > width:
            return text[: max(at - 1, 0)].rstrip() + "…"
    return text


_ROWS_PER_PAGE = 22


def description_lines(text: str | None, *, width: int = 110, most: int = 5) -> list[str]:
    """The description as printed under the sheet's table when its cell cuts it.

    The table's cell holds 48 characters; a longer description (a contact's note, the
    importer's SIRET and address) is printed whole below, wrapped, so that the actor reads
    what the toile says of it. Beyond ``most`` lines it ends with « … ».

    Examples
    --------
    >>> description_lines("Court.")
    []
    >>> description_lines("mot " * 40, width=60)[0]
    'Description complète : mot mot mot mot mot mot mot mot mot'
    """
    if not text or len(text) <= _CELL_CHARS:
        return []
    lines = textwrap.wrap(f"Description complète : {text}", width=width)
    if len(lines) > most:
        lines = [*lines[: most - 1], _short(lines[most - 1], width - 1) + "…"]
    return lines


_CELL_CHARS = 48


def write_fiche_pdf(toile: Toile, actor: Actor, path: Path, *, written: dt.date) -> Path:
    """Write one actor's sheet as a printable A4 PDF: T0's values and room to answer."""
    import matplotlib as mpl  # noqa: PLC0415

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib.backends.backend_pdf import PdfPages  # noqa: PLC0415

    names = {a.id: a.name for a in toile.actors}
    flows = actor_flows(toile, actor.id)
    flow_rows = [
        [
            SUPPLIES if f.source == actor.id else RECEIVES,
            _short(names.get(other := f.target if f.source == actor.id else f.source, other), 23),
            _short(label(f.kind), 20),
            _cell_text(f.quantity),
            f.unit or "",
            _cell_text(f.year),
            label(f.status),
            _cell_text(f.temperature),
            "",
        ]
        for f in flows
    ] + [[""] * 9 for _ in range(5)]
    pages = [flow_rows[i : i + _ROWS_PER_PAGE] for i in range(0, len(flow_rows), _ROWS_PER_PAGE)]
    with PdfPages(path) as pdf:
        for number, chunk in enumerate(pages, start=1):
            figure = plt.figure(figsize=(8.27, 11.69))
            title = f"Fiche acteur — {_short(actor.name, 62)}"
            big = _short(actor.name, 40) == actor.name  # a long name: a smaller title
            figure.text(0.06, 0.955, title, size=15 if big else 11.5, weight="bold")
            figure.text(
                0.06,
                0.935,
                f"Toile « {_short(toile.name, 60)} » ({toile.id} {toile.version}) — "
                f"fiche écrite le {written:%d/%m/%Y} — page {number}/{len(pages)}",
                size=8.5,
                color="#444444",
            )
            top = 0.91
            if number == 1:
                figure.text(
                    0.06,
                    0.915,
                    "Merci de vérifier, corriger ou compléter ; une case vide ne change rien. "
                    "Date de votre réponse : ____ / ____ / ________",
                    size=8.5,
                )
                rows = [
                    [text, _short(_cell_text(_actor_value(actor, name)), _CELL_CHARS), ""]
                    for name, text in _ACTOR_FIELDS
                ]
                axes = figure.add_axes((0.06, 0.62, 0.88, 0.28))
                axes.axis("off")
                table = axes.table(
                    cellText=rows,
                    colLabels=["Information", "Ce que dit la toile", "Votre correction"],
                    colWidths=[0.25, 0.45, 0.30],
                    loc="upper left",
                    cellLoc="left",
                )
                table.auto_set_font_size(False)  # noqa: FBT003  # matplotlib's API
                table.set_fontsize(8)
                table.scale(1, 1.45)
                top = 0.595
                lines = description_lines(actor.description)
                if lines:
                    figure.text(0.06, 0.655, "\n".join(lines), size=8, va="top", linespacing=1.4)
                    top = min(top, 0.65 - 0.0145 * len(lines) - 0.012)
            figure.text(
                0.06, top, "Flux (les 5 dernières lignes : à ajouter)", size=10, weight="bold"
            )
            axes = figure.add_axes((0.04, 0.05, 0.92, top - 0.065))
            axes.axis("off")
            table = axes.table(
                cellText=chunk,
                colLabels=[
                    "Sens",
                    "Autre acteur",
                    "Type",
                    "Quantité",
                    "Unité",
                    "Année",
                    "Statut",
                    "T (°C)",
                    "Correction",
                ],
                colWidths=[0.09, 0.23, 0.15, 0.1, 0.06, 0.06, 0.09, 0.06, 0.16],
                loc="upper left",
                cellLoc="left",
            )
            table.auto_set_font_size(False)  # noqa: FBT003  # matplotlib's API
            table.set_fontsize(7.5)
            table.scale(1, 1.5)
            pdf.savefig(figure)
            plt.close(figure)
    return path


def write_fiches(  # noqa: PLR0913  # the options of « fiches write », keyword-only
    toile: Toile,
    out: Path | str,
    *,
    actors: Sequence[str] | None = None,
    pdf: bool = True,
    written: dt.date | None = None,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write one sheet per actor: an Excel workbook, and a printable PDF beside it.

    Parameters
    ----------
    toile
        The toile (usually T0) whose actors are asked.
    out
        Folder of the sheets (created): ``fiche-<actor id>.xlsx`` and ``.pdf``.
    actors
        Ids of the actors to write (default: every actor not outside the territory).
    pdf
        Whether to write the PDF too.
    written
        Date printed on the sheets (default: today).
    on_written
        Called with each file written (progress bars).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    ValidationError
        When an actor id is not in the toile.
    """
    by_id = {a.id: a for a in toile.actors}
    if actors:
        unknown = [a for a in actors if a not in by_id]
        if unknown:
            problems = [
                Problem(toile.id, None, "acteur", "acteur inconnu dans la toile", a)
                for a in unknown
            ]
            raise ValidationError(problems, source=toile.id)
        chosen = [by_id[a] for a in actors]
    else:
        chosen = [a for a in toile.actors if not a.is_outside]
    names: dict[str, str] = {}
    for actor in chosen:
        other = names.setdefault(fiche_name(actor.id), actor.id)
        if other != actor.id:
            msg = f"les acteurs {other} et {actor.id} donneraient le même nom de fiche"
            raise ValidationError([Problem(toile.id, None, "acteur", msg, actor.id)])
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    date = written or dt.datetime.now(dt.UTC).date()
    files: list[Path] = []
    for actor in chosen:
        stem = folder / fiche_name(actor.id)
        files.append(write_fiche_xlsx(toile, actor, stem.with_suffix(".xlsx"), written=date))
        if pdf:
            files.append(write_fiche_pdf(toile, actor, stem.with_suffix(".pdf"), written=date))
        if on_written is not None:
            on_written(stem)
    return files


# --- reading ------------------------------------------------------------------------------------


@dataclass
class _Edit:
    value: object
    cell: str


@dataclass
class FicheAnswers:
    """What the sheets that came back say, before it is applied to T0."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    actor_fields: dict[str, dict[str, _Edit]] = field(default_factory=dict)
    actors_confirmed: set[str] = field(default_factory=set)
    flow_fields: dict[str, dict[str, _Edit]] = field(default_factory=dict)
    flows_confirmed: dict[str, str] = field(default_factory=dict)
    flows_gone: dict[str, str] = field(default_factory=dict)
    new_flows: list[tuple[Flow, str]] = field(default_factory=list)  # flow, actor who told
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


@dataclass
class _Sheet:
    """One workbook being read: where problems go, and how its cells are named."""

    path: Path
    answers: FicheAnswers

    def error(self, sheet: str, cell: str, message: str, value: object = None) -> None:
        shown = None if value is None else _cell_text(value)
        self.answers.problems.append(
            Problem(f"{self.path}:{sheet}!{cell}", None, None, message, shown)
        )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u00a0", " ")
    return text or None


def _parse_actor_value(name: str, value: object) -> object:
    text = _text(value)
    if text is None:
        return None
    if name == "kind":
        return parse_enum(ActorKind, text)
    if name == "employees":
        return value if isinstance(value, int) else parse_int(text)
    if name in {"lat", "lon"}:
        return float(value) if isinstance(value, int | float) else parse_number(text)
    if name == "naf":
        text = naf_code_of(text)  # « 24.10Z — Sidérurgie » as the sheet wrote it
    if name == "commune_insee":
        text = _commune_code(text)
    if name == "siret" and isinstance(value, int | float):
        return f"{int(value):014d}"  # a number cell lost the leading zeros
    return text


def _commune_code(text: str) -> str:
    """The INSEE code of « 80688 — Rue » as the sheet wrote it, or of a commune named.

    A person may write « Amiens » or « Rue (80) »; a name several communes bear
    (« Beaumont ») or none is refused with what to write instead.
    """
    code = naf_code_of(text)
    if re.fullmatch(r"\d{5}|2[ABab]\d{3}", code):
        return code.upper()
    commune, candidates = resolve_commune_text(text)
    if commune is not None:
        return commune.insee
    if candidates:
        raise ValueError(homonyms_message(candidates))
    msg = "commune inconnue : écrivez son code INSEE ou son nom (ex. 62119, Amiens, Rue (80))"
    raise ValueError(msg)


def _number(value: object, text: str) -> float:
    return float(value) if isinstance(value, int | float) else parse_number(text)


def _whole(value: object, text: str) -> int:
    return value if isinstance(value, int) else parse_int(text)


_FLOW_PARSERS: dict[str, Callable[[object, str], object]] = {
    "kind": lambda _v, text: parse_enum(FlowKind, text),
    "status": lambda _v, text: parse_enum(Status, text),
    "unit": lambda _v, text: canonical_unit(text),
    "year": _whole,
    "temperature": _number,
    "quantity": _number,
}


def _parse_flow_value(name: str, value: object) -> object:
    text = _text(value)
    return None if text is None else _FLOW_PARSERS[name](value, text)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, int | float):
        return math.isclose(a, float(b), rel_tol=1e-9)
    return a == b


def _answer(
    sheet: _Sheet, tab: str, cell: str, value: object, allowed: tuple[str, ...]
) -> str | None:
    text = _text(value)
    if text is None:
        return None
    for choice in allowed:
        if fold(text) == fold(choice):
            return choice
    sheet.error(tab, cell, "réponse attendue : " + ", ".join(f"« {c} »" for c in allowed), text)
    return None


def _sheet_date(sheet: _Sheet, workbook: Workbook) -> dt.date:
    raw = workbook[SHEET_ACTOR][_DATE_CELL].value
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    if text:
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC).date()
            except ValueError:
                continue
        sheet.error(SHEET_ACTOR, _DATE_CELL, "date attendue (JJ/MM/AAAA)", text)
    modified = workbook.properties.modified
    if isinstance(modified, dt.datetime):
        return modified.date()
    return dt.datetime.fromtimestamp(sheet.path.stat().st_mtime, tz=dt.UTC).date()


def _read_actor(sheet: _Sheet, workbook: Workbook, actor: Actor) -> None:
    tab = workbook[SHEET_ACTOR]
    answers = sheet.answers
    fields = dict(_ACTOR_FIELDS)
    for row in range(_ACTOR_HEADER_ROW + 1, tab.max_row + 1):
        name = _text(tab.cell(row=row, column=1).value)
        if name not in fields:
            continue
        cell = f"C{row}"
        raw = tab.cell(row=row, column=3).value
        try:
            value = _parse_actor_value(name, raw)
        except ValueError as exc:
            sheet.error(SHEET_ACTOR, cell, f"{fields[name]} : {exc}", raw)
            continue
        answer = _answer(
            sheet, SHEET_ACTOR, f"D{row}", tab.cell(row=row, column=4).value, (EXACT, CORRECTED)
        )
        if value is not None and not _same(value, getattr(actor, name)):
            answers.actor_fields.setdefault(actor.id, {})[name] = _Edit(value, cell)
        elif answer is not None:
            answers.actors_confirmed.add(actor.id)
    edits = answers.actor_fields.get(actor.id, {})
    try:  # the corrected actor must still be valid (SIRET checksum, commune code...)
        Actor.model_validate({**actor.model_dump(), **{k: e.value for k, e in edits.items()}})
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            field_name = str(error["loc"][0]) if error["loc"] else ""
            where = edits[field_name].cell if field_name in edits else "C8"
            sheet.error(SHEET_ACTOR, where, pydantic_message(error), error.get("input"))
        answers.actor_fields.pop(actor.id, None)


def _read_flow_row(  # noqa: PLR0913  # one row of the flows sheet and what it is read against
    sheet: _Sheet,
    *,
    tab: Worksheet,
    row: int,
    actor: Actor,
    toile: Toile,
    flows: dict[str, Flow],
) -> None:
    answers = sheet.answers
    cells = {key: tab.cell(row=row, column=_COL[key]).value for key in _COL}
    letter = {key: tab.cell(row=1, column=i).column_letter for key, i in _COL.items()}
    parsed: dict[str, object] = {}
    for key in _EDITABLE:
        try:
            parsed[key] = _parse_flow_value(key, cells[key])
        except ValueError as exc:
            sheet.error(SHEET_FLOWS, f"{letter[key]}{row}", str(exc), cells[key])
            return
    flow_key = _text(cells["id"])
    if flow_key is None:
        _read_new_flow(
            sheet, row=row, actor=actor, toile=toile, cells=cells, parsed=parsed, letter=letter
        )
        return
    flow = flows.get(flow_key)
    if flow is None or actor.id not in {flow.source, flow.target}:
        sheet.error(
            SHEET_FLOWS,
            f"{letter['id']}{row}",
            "flux inconnu de cet acteur dans la toile",
            flow_key,
        )
        return
    answer = _answer(
        sheet, SHEET_FLOWS, f"{letter['answer']}{row}", cells["answer"], (EXACT, CORRECTED, GONE)
    )
    where = f"{sheet.path.name}:{SHEET_FLOWS}!{letter['answer']}{row}"
    if answer == GONE:
        answers.flows_gone[flow.id] = where
        return
    changes = {
        key: value
        for key, value in parsed.items()
        if value is not None and not _same(value, getattr(flow, key))
    }
    try:  # the corrected flow must still be a flow (a unit of the kind's families...)
        Flow.model_validate({**flow.model_dump(), **changes})
    except pydantic.ValidationError as exc:
        message = "; ".join(pydantic_message(e) for e in exc.errors())
        sheet.error(SHEET_FLOWS, f"{letter['kind']}{row}:{letter['temperature']}{row}", message)
        return
    for key, value in changes.items():
        where_key = f"{sheet.path.name}:{SHEET_FLOWS}!{letter[key]}{row}"
        _record_flow_edit(sheet, flow.id, key, _Edit(value, where_key))
    changed = bool(changes)
    if answer is not None and not changed:
        answers.flows_confirmed[flow.id] = where


def _record_flow_edit(sheet: _Sheet, flow_key: str, name: str, edit: _Edit) -> None:
    """Record a correction; two sheets that correct one value differently are an error."""
    edits = sheet.answers.flow_fields.setdefault(flow_key, {})
    before = edits.get(name)
    if before is not None and not _same(before.value, edit.value):
        message = (
            f"le flux {flow_key} est corrigé autrement dans {before.cell} "
            f"(« {_cell_text(before.value)} ») : mettre les deux fiches d'accord"
        )
        sheet.answers.problems.append(
            Problem(edit.cell, None, None, message, _cell_text(edit.value))
        )
        return
    edits[name] = edit


def _check_gone_and_corrected(answers: FicheAnswers) -> None:
    for flow_key, where in answers.flows_gone.items():
        for edit in answers.flow_fields.get(flow_key, {}).values():
            message = (
                f"le flux {flow_key} est corrigé ici mais dit « {GONE} » dans {where} : "
                "mettre les deux fiches d'accord"
            )
            answers.problems.append(Problem(edit.cell, None, None, message))


def _read_new_flow(  # noqa: PLR0913  # a filled empty row, its parsed values and its cells
    sheet: _Sheet,
    *,
    row: int,
    actor: Actor,
    toile: Toile,
    cells: dict[str, object],
    parsed: dict[str, object],
    letter: dict[str, str],
) -> None:
    if all(_text(cells[k]) is None for k in _COL if k not in {"id", "comment"}):
        return
    direction = _text(cells["direction"])
    if direction is None or fold(direction) not in {fold(SUPPLIES), fold(RECEIVES)}:
        sheet.error(
            SHEET_FLOWS,
            f"{letter['direction']}{row}",
            f"sens attendu : « {SUPPLIES} » ou « {RECEIVES} »",
            direction,
        )
        return
    ids = {a.id for a in toile.actors}
    other = _text(cells["other"])
    if other is None:
        named = _text(cells["other_name"])
        matches = [a.id for a in toile.actors if named and fold(a.name) == fold(named)]
        other = matches[0] if len(matches) == 1 else None
    if other is None or other not in ids:
        sheet.error(
            SHEET_FLOWS,
            f"{letter['other']}{row}",
            "acteur inconnu dans la toile : donner son identifiant (liste déroulante)",
            cells["other"] or cells["other_name"],
        )
        return
    if parsed["kind"] is None:
        sheet.error(SHEET_FLOWS, f"{letter['kind']}{row}", "type de flux manquant")
        return
    outgoing = fold(direction) == fold(SUPPLIES)
    data = {
        "source": actor.id if outgoing else other,
        "target": other if outgoing else actor.id,
        **{k: v for k, v in parsed.items() if v is not None},
        "notes": _text(cells["comment"]),
    }
    try:
        flow = Flow.model_validate({"id": "nouveau", **data})
    except pydantic.ValidationError as exc:
        message = "; ".join(pydantic_message(e) for e in exc.errors())
        sheet.error(SHEET_FLOWS, f"A{row}:L{row}", message)
        return
    sheet.answers.new_flows.append((flow, actor.id))


def _read_workbook(path: Path, toile: Toile, answers: FicheAnswers) -> None:
    import openpyxl  # noqa: PLC0415  # heavy; only when sheets are read

    sheet = _Sheet(path, answers)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001  # openpyxl raises many unrelated types
        answers.problems.append(
            Problem(str(path), None, None, f"classeur Excel illisible ({type(exc).__name__})")
        )
        return
    missing = [s for s in (SHEET_ACTOR, SHEET_FLOWS, SHEET_INFO) if s not in workbook.sheetnames]
    if missing:
        answers.problems.append(
            Problem(
                str(path),
                None,
                None,
                "onglet(s) absent(s) : "
                + ", ".join(missing)
                + " (fiche écrite par « toiles fiches write » attendue)",
            )
        )
        return
    info = {
        _text(r[0]): _text(r[1])
        for r in workbook[SHEET_INFO].iter_rows(values_only=True, max_col=2)
    }
    if info.get("toile") != toile.id:
        sheet.error(
            SHEET_INFO,
            "B1",
            f"fiche d'une autre toile (celle-ci est {toile.id})",
            info.get("toile"),
        )
        return
    actor = next((a for a in toile.actors if a.id == info.get("acteur")), None)
    if actor is None:
        sheet.error(SHEET_INFO, "B3", "acteur absent de la toile", info.get("acteur"))
        return
    answers.files += 1
    answers.dates[actor.id] = _sheet_date(sheet, workbook)
    _read_actor(sheet, workbook, actor)
    flows = {f.id: f for f in toile.flows}
    tab = workbook[SHEET_FLOWS]
    for row in range(_FLOW_HEADER_ROW + 1, tab.max_row + 1):
        _read_flow_row(sheet, tab=tab, row=row, actor=actor, toile=toile, flows=flows)


def _provenance(date: dt.date) -> str:
    return f"{ANSWER_PROVENANCE} (fiche du {date:%d/%m/%Y})"


def _apply(toile: Toile, answers: FicheAnswers, version: str) -> Toile:
    actors = []
    for actor in toile.actors:
        edits = answers.actor_fields.get(actor.id, {})
        if not edits and actor.id not in answers.actors_confirmed:
            actors.append(actor)
            continue
        data = actor.model_dump()
        data.update({k: e.value for k, e in edits.items()})
        if (
            "siret" in edits
            and data.get("siren")
            and not str(edits["siret"].value).startswith(str(data["siren"]))
        ):
            data["siren"] = None
        data["provenance"] = _provenance(answers.dates[actor.id])
        actors.append(Actor.model_validate(data))
    flows: list[Flow] = []
    for flow in toile.flows:
        if flow.id in answers.flows_gone:
            continue
        edits = answers.flow_fields.get(flow.id, {})
        if not edits and flow.id not in answers.flows_confirmed:
            flows.append(flow)
            continue
        data = flow.model_dump()
        data.update({k: e.value for k, e in edits.items()})
        if "quantity" in edits and "unit" not in edits and data.get("unit") is None:
            data["unit"] = None
        date = max(
            answers.dates.get(flow.source, dt.date.min), answers.dates.get(flow.target, dt.date.min)
        )
        data["provenance"] = _provenance(date)
        data["confidence"] = Confidence.HAUTE
        flows.append(Flow.model_validate(data))
    taken = {f.id for f in flows}
    for new, actor_id in answers.new_flows:
        n = 1
        new_id = flow_id(new.source, new.target, new.kind.value, new.year, n)
        while new_id in taken:
            n += 1
            new_id = flow_id(new.source, new.target, new.kind.value, new.year, n)
        taken.add(new_id)
        data = new.model_dump()
        data.update(
            id=new_id, provenance=_provenance(answers.dates[actor_id]), confidence=Confidence.HAUTE
        )
        flows.append(Flow.model_validate(data))
    return Toile(
        **{**toile.info.model_dump(), "version": version}, actors=tuple(actors), flows=tuple(flows)
    )


def read_fiches(toile: Toile, folder: Path | str, *, version: str) -> tuple[Toile, FicheAnswers]:
    """Read the actor sheets that came back and build the new version of the toile.

    Parameters
    ----------
    toile
        The version the sheets were written from (T0).
    folder
        Folder of the returned workbooks (``fiche-*.xlsx``; other files are ignored).
    version
        Name of the new version (``T1``).

    Returns
    -------
    tuple
        The new version and what the sheets said.

    Raises
    ------
    ValidationError
        When any sheet has a problem (each named ``FILE:SHEET!CELL``), or the new version
        is not a valid toile. Nothing is built then.
    """
    answers = FicheAnswers()
    paths = sorted(Path(folder).glob("fiche-*.xlsx"))
    if not paths:
        msg = "aucune fiche (fiche-*.xlsx) dans ce dossier"
        raise ValidationError([Problem(str(folder), None, None, msg)])
    for path in paths:
        if path.name.startswith("~$"):
            continue
        _read_workbook(path, toile, answers)
    _check_gone_and_corrected(answers)
    if answers.problems:
        raise ValidationError(answers.problems, source=str(folder))
    try:
        new = _apply(toile, answers, version)
    except pydantic.ValidationError as exc:
        problems = [Problem(str(folder), None, None, pydantic_message(e)) for e in exc.errors()]
        raise ValidationError(problems, source=str(folder)) from exc
    return new, answers
