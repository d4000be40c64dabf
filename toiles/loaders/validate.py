"""Validate a toile folder and build its model, reporting every problem with its place.

The checks run in one pass and collect every problem (file, line, column, value, what was
expected) before anything is stored: a toile with any error is never loaded, even in part.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic
import yaml

from toiles.errors import Problem, ToilesError
from toiles.loaders._yaml import YamlRefused, load_yaml
from toiles.loaders.node_link import toile_data_from_node_link
from toiles.loaders.tables import Row, Table, header_key, parse_int, parse_number, read_table
from toiles.models._checks import naf_known
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.toile import Toile, ToileInfo
from toiles.models.units import canonical_unit, get_unit
from toiles.models.vocab import (
    FLOW_KINDS,
    ActorKind,
    Confidence,
    Confidentiality,
    FlowKind,
    Status,
    closest,
    label,
    parse_enum,
)
from toiles.territory import communes, resolve_commune_text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from enum import StrEnum

    from toiles.territory import Commune

Parser = Callable[[str], object]


def _aliases(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    result: dict[str, str] = {}
    for canonical, names in table.items():
        for name in (canonical, *names):
            result[header_key(name)] = canonical
    return result


ACTOR_ALIASES = _aliases(
    {
        "id": ("identifiant", "id_acteur", "code_acteur"),
        "name": ("nom", "raison_sociale", "libelle", "denomination"),
        "kind": ("type", "categorie", "type_acteur"),
        "siret": ("n_siret", "numero_siret"),
        "siren": ("n_siren", "numero_siren"),
        "naf": ("code_naf", "ape", "code_ape", "naf_rev2", "activite_principale"),
        "employees": ("effectif", "effectifs", "salaries", "nb_salaries", "emplois"),
        "commune_insee": ("commune", "code_commune", "code_insee", "insee", "depcom"),
        "epci": ("intercommunalite", "epci_nom"),
        "lat": ("latitude",),
        "lon": ("longitude", "lng"),
        "zae": ("zone", "zone_d_activites", "zone_activites", "parc_d_activites"),
        "tags": ("etiquettes", "mots_cles"),
        "description": ("commentaire", "commentaires"),
        "confidentiality": ("confidentialite", "diffusion"),
        "provenance": ("source_de_la_donnee", "origine_de_la_donnee", "source_donnee"),
    }
)

FLOW_ALIASES = _aliases(
    {
        "id": ("identifiant", "id_flux"),
        "source": ("origine", "de", "fournisseur", "emetteur"),
        "target": ("cible", "destination", "vers", "destinataire", "client"),
        "kind": ("type", "type_flux", "nature"),
        "quantity": ("quantite", "valeur"),
        "unit": ("unite",),
        "year": ("annee", "millesime"),
        "status": ("statut", "etat"),
        "confidentiality": ("confidentialite", "diffusion"),
        "provenance": ("source_de_la_donnee", "origine_de_la_donnee", "source_donnee"),
        "confidence": ("confiance", "fiabilite"),
        "notes": ("note", "commentaire", "commentaires", "remarques"),
        "temperature": (
            "température (°C)",
            "température °C",
            "température (C)",
            "température_c",
            "temp",
            "temp °C",
        ),
    }
)

ACTOR_REQUIRED = ("id", "name", "kind")
FLOW_REQUIRED = ("source", "target", "kind")

_ACTOR_FILES = ("actors", "acteurs")
_FLOW_FILES = ("flows", "flux")
_EXTENSIONS = (".csv", ".xlsx", ".xlsm", ".txt")


def _enum(enum: type[StrEnum]) -> Parser:
    return lambda text: parse_enum(enum, text)


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in re.split(r"[|;]", text) if t.strip())


def _unit(text: str) -> str:
    try:
        return canonical_unit(text)
    except ToilesError as exc:
        raise ValueError(str(exc)) from exc


_ACTOR_PARSERS: dict[str, Parser] = {
    "kind": _enum(ActorKind),
    "employees": parse_int,
    "lat": parse_number,
    "lon": parse_number,
    "tags": _tags,
    "confidentiality": _enum(Confidentiality),
}

_FLOW_PARSERS: dict[str, Parser] = {
    "kind": _enum(FlowKind),
    "quantity": parse_number,
    "unit": _unit,
    "year": parse_int,
    "status": _enum(Status),
    "confidentiality": _enum(Confidentiality),
    "confidence": _enum(Confidence),
    "temperature": parse_number,
}

_PYDANTIC_MESSAGES: dict[str, str] = {
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "string_too_short": "valeur obligatoire manquante",
    "string_too_long": "texte trop long ({max_length} caractères au plus)",
    "missing": "valeur obligatoire manquante",
    "extra_forbidden": "champ inconnu",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "bool_parsing": "oui/non (true/false) attendu",
    "enum": "valeur inconnue (valeurs possibles : {expected})",
    "literal_error": "valeur inconnue (valeurs possibles : {expected})",
    "greater_than": "doit être strictement supérieur à {gt}",
    "less_than": "doit être strictement inférieur à {lt}",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "too_short": "au moins {min_length} valeur(s) attendue(s)",
    "too_long": "au plus {max_length} valeur(s)",
    "json_invalid": "JSON illisible",
    "model_attributes_type": "objet attendu",
    "dict_type": "objet attendu",
}


def pydantic_message(error: Mapping[str, Any]) -> str:
    """Turn one pydantic error into a French sentence for a person."""
    context = error.get("ctx") or {}
    if error["type"] == "value_error" and "error" in context:
        return str(context["error"])
    template = _PYDANTIC_MESSAGES.get(str(error["type"]))
    if template is None:
        return str(error["msg"])
    shown = {
        k: f"{v:g}".replace(".", ",") if isinstance(v, float) else v for k, v in context.items()
    }
    try:
        return template.format(**shown)
    except KeyError:
        return str(error["msg"])


def problems_from_pydantic(exc: pydantic.ValidationError, source: str) -> list[Problem]:
    """Turn a pydantic error into located problems with French messages."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or None
        value = error.get("input")
        shown = value if isinstance(value, str | int | float) else None
        problems.append(
            Problem(
                source, None, where, pydantic_message(error), None if shown is None else str(shown)
            )
        )
    return problems


@dataclass
class ValidationReport:
    """The outcome of validating a toile: the toile (when valid) and every problem found."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    toile: Toile | None = None

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that do not block a load."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Whether the toile has no error (warnings allowed)."""
        return not self.errors and self.toile is not None


def _find_file(folder: Path, stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for ext in _EXTENSIONS:
            candidate = folder / f"{stem}{ext}"
            if candidate.is_file():
                return candidate
    return None


def _check_columns(table: Table, required: tuple[str, ...]) -> bool:
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        table.error(1, column, "colonne obligatoire absente")
    return not missing


def _parse_row(
    table: Table, row: Row, parsers: Mapping[str, Parser]
) -> tuple[dict[str, object], bool]:
    data: dict[str, object] = {}
    ok = True
    for column, text in row.values.items():
        if text is None:
            continue
        parser = parsers.get(column)
        if parser is None:
            data[column] = text
            continue
        try:
            data[column] = parser(text)
        except ValueError as exc:
            table.error(row.line, table.header(column), str(exc), text)
            ok = False
    return data, ok


M = TypeVar("M", bound=pydantic.BaseModel)


def _build(table: Table, row: Row, model: type[M], data: dict[str, object]) -> M | None:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            value = row.values.get(column) if column else None
            table.error(
                row.line, table.header(column) if column else None, pydantic_message(error), value
            )
        return None


def _resolve_commune(table: Table, row: Row, data: dict[str, object]) -> None:
    """Accept a commune name where an INSEE code is expected, when it designates one commune.

    ``Amiens``, ``Rue (80)``, ``80330 Longueau`` are read through the national commune
    table; a name shared by several communes is an error that lists them.
    """
    text = data.get("commune_insee")
    if not isinstance(text, str) or re.match(r"^\s*(\d{4,5}|2[ABab]\d{3})\s*$", text):
        return
    commune, candidates = resolve_commune_text(text)
    if commune is not None:
        data["commune_insee"] = commune.insee
        table.warning(
            row.line,
            table.header("commune_insee"),
            f"nom de commune lu comme le code INSEE {commune.insee}",
            text,
        )
    elif candidates:
        table.error(row.line, table.header("commune_insee"), homonyms_message(candidates), text)
        data["commune_insee"] = None


def homonyms_message(candidates: Sequence[Commune]) -> str:
    """Say that several communes bear the name written, and how to name one of them."""
    shown = ", ".join(f"{c.name} ({c.insee})" for c in candidates[:6])
    more = f" et {len(candidates) - 6} autre(s)" if len(candidates) > 6 else ""  # noqa: PLR2004
    return (
        f"{len(candidates)} communes portent ce nom : {shown}{more} ; écrivez le code INSEE "
        f"ou le nom suivi du département, ex. « {candidates[0].name} "
        f"({candidates[0].departement}) »"
    )


def _actor_warnings(table: Table, row: Row, actor: Actor) -> None:
    if actor.naf and not naf_known(actor.naf):
        table.warning(row.line, table.header("naf"), "division NAF rév. 2 inconnue", actor.naf)
    commune = communes().get(actor.commune_insee or "")
    if (
        commune
        and actor.epci
        and actor.epci not in {commune.epci, commune.epci_name, commune.epci_siren}
    ):
        table.warning(
            row.line,
            table.header("epci"),
            f"la commune {commune.name} appartient à {commune.epci}",
            actor.epci,
        )


def read_actors(table: Table) -> list[tuple[int, Actor]]:
    """Validate the rows of an actors table; problems are recorded in the table."""
    if not _check_columns(table, ACTOR_REQUIRED):
        return []
    actors: list[tuple[int, Actor]] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        data, ok = _parse_row(table, row, _ACTOR_PARSERS)
        _resolve_commune(table, row, data)
        actor = _build(table, row, Actor, data) if ok else None
        if actor is None:
            continue
        if actor.id in first_line:
            table.error(
                row.line,
                table.header("id"),
                f"identifiant en double (déjà ligne {first_line[actor.id]})",
                actor.id,
            )
            continue
        first_line[actor.id] = row.line
        _actor_warnings(table, row, actor)
        actors.append((row.line, actor))
    return actors


def _check_ends(table: Table, row: Row, data: Mapping[str, object], known: set[str]) -> bool:
    ok = True
    for end in ("source", "target"):
        value = data.get(end)
        if isinstance(value, str) and value not in known:
            hint = closest(value, sorted(known)) if len(known) < 50_000 else None  # noqa: PLR2004
            suggestion = f" (vouliez-vous dire « {hint} » ?)" if hint else ""
            table.error(row.line, table.header(end), f"acteur inconnu{suggestion}", value)
            ok = False
    return ok


def _check_unit_family(table: Table, row: Row, data: Mapping[str, object]) -> bool:
    kind, unit = data.get("kind"), data.get("unit")
    if not isinstance(kind, FlowKind) or not isinstance(unit, str):
        return True
    family = get_unit(unit).family
    allowed = FLOW_KINDS[kind].families
    if family in allowed:
        return True
    names = ", ".join(label(f) for f in allowed)
    message = (
        f"unité de la famille {label(family)} impossible pour un flux « {kind.value} » "
        f"({names} attendu)"
    )
    table.error(row.line, table.header("unit"), message, row.values.get("unit"))
    return False


def read_flows(table: Table, known_actors: set[str]) -> list[Flow]:
    """Validate the rows of a flows table against the known actor ids."""
    if not _check_columns(table, FLOW_REQUIRED):
        return []
    flows: list[Flow] = []
    first_line: dict[str, int] = {}
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    for row in table.rows:
        data, ok = _parse_row(table, row, _FLOW_PARSERS)
        ok = _check_ends(table, row, data, known_actors) and ok
        ok = _check_unit_family(table, row, data) and ok
        if "id" not in data and all(isinstance(data.get(k), str) for k in FLOW_REQUIRED):
            key = (
                str(data["source"]),
                str(data["target"]),
                str(data["kind"]),
                str(data.get("year", "")),
            )
            occurrences[key] += 1
            year = data.get("year")
            data["id"] = flow_id(
                key[0], key[1], key[2], year if isinstance(year, int) else None, occurrences[key]
            )
        flow = _build(table, row, Flow, data) if ok else None
        if flow is None:
            continue
        if flow.id in first_line:
            table.error(
                row.line,
                table.header("id"),
                f"identifiant de flux en double (déjà ligne {first_line[flow.id]})",
                flow.id,
            )
            continue
        first_line[flow.id] = row.line
        if flow.quantity is None:
            table.warning(
                row.line,
                table.header("quantity"),
                "flux sans quantité (lien connu, volume inconnu)",
            )
        if flow.source == flow.target:
            table.warning(row.line, None, "flux d'un acteur vers lui-même", flow.source)
        flows.append(flow)
    return flows


def _yaml_line(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, flags=re.MULTILINE)
    return text[: match.start()].count("\n") + 1 if match else None


def read_info(  # noqa: PLR0911  # one early return per kind of unreadable file
    path: Path, problems: list[Problem], *, overrides: Mapping[str, object] | None = None
) -> ToileInfo | None:
    """Read and validate a ``toile.yaml`` file; problems are appended to ``problems``."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        problems.append(Problem(name, None, None, f"fichier illisible : {exc.strerror or exc}"))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(name, None, None, "encodage illisible : UTF-8 attendu"))
        return None
    try:
        data = load_yaml(text)
    except YamlRefused as exc:
        problems.append(Problem(name, exc.line, None, exc.problem))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(
            Problem(name, line, None, f"YAML illisible : {getattr(exc, 'problem', exc)}")
        )
        return None
    if not isinstance(data, dict):
        problems.append(
            Problem(name, 1, None, "un dictionnaire de champs (id, name, theme...) est attendu")
        )
        return None
    data.update(overrides or {})
    if "theme" in data and isinstance(data["theme"], str):
        try:
            data["theme"] = parse_enum(ToileInfo.model_fields["theme"].annotation, data["theme"])  # type: ignore[arg-type]
        except ValueError as exc:
            problems.append(
                Problem(name, _yaml_line(text, "theme"), "theme", str(exc), data["theme"])
            )
            return None
    try:
        return ToileInfo.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            value = data.get(key) if key else None
            problems.append(
                Problem(
                    name,
                    _yaml_line(text, key) if key else None,
                    key,
                    pydantic_message(error),
                    None if value is None else str(value),
                )
            )
        return None


def _validate_folder(
    folder: Path, report: ValidationReport, overrides: Mapping[str, object] | None
) -> None:
    info_path = next(
        (folder / n for n in ("toile.yaml", "toile.yml") if (folder / n).is_file()), None
    )
    info = None
    if info_path is None:
        report.problems.append(
            Problem(
                str(folder / "toile.yaml"),
                None,
                None,
                "fichier absent : toile.yaml décrit la toile",
            )
        )
    else:
        info = read_info(info_path, report.problems, overrides=overrides)
    actor_path, flow_path = _find_file(folder, _ACTOR_FILES), _find_file(folder, _FLOW_FILES)
    actors: list[tuple[int, Actor]] = []
    flows: list[Flow] = []
    if actor_path is None:
        report.problems.append(
            Problem(
                str(folder / "actors.csv"),
                None,
                None,
                "fichier absent : actors.csv (ou .xlsx) liste les acteurs",
            )
        )
    else:
        actor_table = read_table(actor_path, ACTOR_ALIASES)
        actors = read_actors(actor_table)
        report.problems.extend(actor_table.problems)
    if flow_path is None:
        report.problems.append(
            Problem(
                str(folder / "flows.csv"),
                None,
                None,
                "fichier absent : flows.csv (ou .xlsx) liste les flux",
            )
        )
    elif actor_path is not None:
        table = read_table(flow_path, FLOW_ALIASES)
        # Rows of the actors file that failed still name actors: do not cascade errors.
        known = {r.values["id"] or "" for r in actor_table.rows if r.values.get("id")}
        flows = read_flows(table, known)
        report.problems.extend(table.problems)
    if info is not None and not report.errors:
        report.toile = Toile(
            **info.model_dump(), actors=tuple(a for _, a in actors), flows=tuple(flows)
        )


def _validate_json(
    path: Path, report: ValidationReport, overrides: Mapping[str, object] | None
) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append(Problem(str(path), None, None, f"fichier illisible : {exc}"))
        return
    except json.JSONDecodeError as exc:
        report.problems.append(Problem(str(path), exc.lineno, None, f"JSON illisible : {exc.msg}"))
        return
    if isinstance(data, dict) and "nodes" in data and ("links" in data or "edges" in data):
        data = toile_data_from_node_link(data)
    if not isinstance(data, dict):
        report.problems.append(
            Problem(str(path), 1, None, "un objet JSON décrivant la toile est attendu")
        )
        return
    data.update(overrides or {})
    try:
        report.toile = Toile.model_validate(data)
    except pydantic.ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            report.problems.append(Problem(str(path), None, where or None, pydantic_message(error)))


def validate_toile(
    path: Path | str, *, overrides: Mapping[str, object] | None = None
) -> ValidationReport:
    """Validate a toile folder (``toile.yaml``, ``actors``, ``flows``) or a JSON file.

    Every problem is collected, not only the first. ``overrides`` replaces fields of
    ``toile.yaml`` (for instance ``{"version": "T1"}``).

    Examples
    --------
    >>> from toiles.reference import reference_dir
    >>> report = validate_toile(reference_dir("kalundborg-T0"))
    >>> report.ok, report.toile.id
    (True, 'kalundborg')
    """
    folder = Path(path)
    report = ValidationReport(str(folder))
    if folder.is_file() and folder.suffix.lower() == ".json":
        _validate_json(folder, report, overrides)
    elif folder.is_dir():
        _validate_folder(folder, report, overrides)
    elif folder.exists():
        report.problems.append(
            Problem(str(folder), None, None, "un dossier de toile ou un fichier .json est attendu")
        )
    else:
        report.problems.append(Problem(str(folder), None, None, "dossier ou fichier introuvable"))
    return report
