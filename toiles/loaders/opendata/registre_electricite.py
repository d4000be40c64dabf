"""Import the national register of electricity production and storage installations (ODRÉ).

The register (« Registre national des installations de production et de stockage
d'électricité », published by ODRÉ for RTE, Enedis and the local distribution companies) is
read in the forms ODRÉ gives it: the site's ``;``-separated CSV export, the API's JSON
(``exports/json``: a list; ``records``: ``results``; API v1: ``records[].fields``) and JSON
lines (``exports/jsonl``), plain or zipped. Its field names are lowercase in the current API
(``nominstallation``, ``puismaxinstallee``, ``energieannuelleglissanteinjectee``) and
camelCase in older files (``nomInstallation``, ``puisMaxInstallee``): both are read, since
names are matched case-insensitively. Power is in kW, energy in kWh.

An installation is placed in its implantation commune (``codeinseecommuneimplantation``)
when the register gives it, else in ``codeinseecommune``. A declared energy of 0 means « non
déclaré » in the register (confidential or not yet measured): its flow has no quantity.

Rows become:

- one actor per installation whose power reaches ``min_kw`` (36 kW by default), named
  ``Installation confidentielle — filière, commune`` when the register writes
  ``Confidentiel``;
- one aggregate actor per commune for the rows the register aggregates (« Agrégation des
  installations de moins de 36KW ») and the installations below ``min_kw``;
- one actor per network operator (``gestionnaire``);
- one ``electricite`` flow per row, installation -> operator, with the energy injected over
  the last twelve months (MWh).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.loaders.opendata._common import (
    Collector,
    CsvHeader,
    CsvRows,
    aliases,
    build_toile,
    check_columns,
    clean,
    commune_fields,
    json_records,
    line_span,
    number_or_none,
    provenance,
    slug,
    sniff_format,
    start_import,
)
from toiles.loaders.tables import header_key
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import ActorKind, FlowKind, Status, Theme, fold
from toiles.territory import national_communes

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from toiles.errors import Problem
    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.toile import Toile

DATASET = "Registre national des installations de production et de stockage d'électricité (ODRÉ)"

#: Installations below this power (kW) are aggregated per commune unless told otherwise.
DEFAULT_MIN_KW = 36.0

COLUMNS = aliases(
    {
        "nominstallation": (),
        "codeeicresourceobject": (),
        "codeinseecommune": ("codeinsee",),
        "implantation": ("codeinseecommuneimplantation", "codeinseeimplantation"),
        "commune": (),
        "codedepartement": (),
        "filiere": (),
        "technologie": (),
        "combustible": (),
        "puismaxinstallee": (),
        "maxpuis": ("puismaxrac",),
        "nbinstallations": (),
        "regime": (),
        "gestionnaire": (),
        "energieannuelleglissanteinjectee": (),
        "datemiseenservice": (),
    }
)

_REQUIRED = ("nominstallation", "codeinseecommune", "filiere", "gestionnaire")
_ANY_OF = (("puismaxinstallee", "maxpuis"),)
_UNKNOWN_OPERATOR = ("grd-non-precise", "Gestionnaire de réseau non précisé")


@dataclass
class _Row:
    line: int
    name: str | None
    eic: str | None
    insee: str | None
    commune: str | None
    departement: str | None
    filiere: str
    technologie: str | None
    power_kw: float | None
    count: int
    regime: str | None
    operator: str | None
    energy_kwh: float | None
    commissioned: str | None
    record: bool = False
    undeclared: bool = False

    @property
    def where(self) -> str:
        return f"{'enregistrement' if self.record else 'ligne'} {self.line}"

    @property
    def aggregated(self) -> bool:
        return (self.name is not None and fold(self.name).startswith("agregation")) or (
            self.count > 1
        )


@dataclass
class _Aggregate:
    actor_id: str
    name: str
    insee: str | None
    rows: list[_Row] = field(default_factory=list)


def _row_of_cells(header: CsvHeader, line: int, cells: list[str]) -> _Row:
    def cell(column: str) -> str | None:
        return clean(cells[header.index[column]]) if header.has(column) else None

    return _row(cell, line)


def _row_of_record(record: dict[str, object], index: int) -> _Row:
    values: dict[str, str | None] = {}
    for key, value in record.items():
        canonical = COLUMNS.get(header_key(str(key)))
        if canonical is not None and canonical not in values:
            values[canonical] = clean(value)
    return _row(values.get, index + 1, record=True)


def _row(cell: Callable[[str], str | None], line: int, *, record: bool = False) -> _Row:
    insee = cell("implantation") or cell("codeinseecommune")
    if insee is not None and len(insee) == 4 and insee.isdigit():  # noqa: PLR2004
        insee = "0" + insee
    power = number_or_none(cell("puismaxinstallee"))
    if power is None:
        power = number_or_none(cell("maxpuis"))
    count = number_or_none(cell("nbinstallations"))
    energy = number_or_none(cell("energieannuelleglissanteinjectee"))
    return _Row(
        record=record,
        line=line,
        name=cell("nominstallation"),
        eic=cell("codeeicresourceobject"),
        insee=insee.upper() if insee else None,
        commune=cell("commune"),
        departement=cell("codedepartement"),
        filiere=cell("filiere") or "Filière non précisée",
        technologie=cell("technologie"),
        power_kw=power,
        count=int(count) if count is not None and count >= 1 else 1,
        regime=cell("regime"),
        operator=cell("gestionnaire"),
        energy_kwh=energy,
        commissioned=cell("datemiseenservice"),
    )


def _operator(row: _Row) -> tuple[str, str]:
    if row.operator is None:
        return _UNKNOWN_OPERATOR
    return f"grd-{slug(row.operator)}", row.operator


def _commune_name(row: _Row) -> str:
    commune = national_communes().get(row.insee or "")
    return row.commune or (commune.name if commune else row.insee or "commune inconnue")


class _Reader:
    def __init__(
        self, path: Path, territory: TerritoryFilter, collector: Collector, min_kw: float
    ) -> None:
        self.path = path
        self.territory = territory
        self.collector = collector
        self.min_kw = min_kw
        self.installations: list[_Row] = []
        self.aggregates: dict[str, _Aggregate] = {}

    def read(self) -> None:
        if sniff_format(self.path) in {"json", "jsonl"}:
            self.read_json()
            return
        with CsvRows(self.path, self.collector, COLUMNS) as rows:
            header = rows.header
            if header is None:
                return
            expected = "le registre national des installations électriques (ODRÉ)"
            if not check_columns(
                header, self.collector, _REQUIRED, expected=expected, any_of=_ANY_OF
            ):
                return
            for line, cells in rows:
                self.keep(_row_of_cells(header, line, cells))

    def read_json(self) -> None:
        expected = (
            "le registre national des installations électriques (ODRÉ) : une liste JSON "
            "d'installations (export JSON ou JSON lines, ou réponse « results » de l'API)"
        )
        for index, record in json_records(self.path, self.collector, expected=expected):
            if not any(COLUMNS.get(header_key(str(k))) for k in record):
                names = ", ".join(str(k) for k in list(record)[:6])
                self.collector.error(
                    index + 1,
                    None,
                    f"l'enregistrement {index + 1} n'a aucun champ du registre "
                    f"(nominstallation, codeinseecommune, filiere…) ; champs trouvés : {names}",
                )
                return
            self.keep(_row_of_record(record, index))

    def keep(self, row: _Row) -> None:
        self.collector.seen += 1
        if row.insee is None:
            if row.departement and self.territory.covers_departement(row.departement):
                self.aggregate(row, f"agregat-dep-{slug(row.departement)}", None)
            else:
                self.collector.outside += 1
                self.collector.count("no-commune")
            return
        if not self.territory.contains(row.insee):
            self.collector.outside += 1
            return
        if row.aggregated or (row.power_kw is not None and row.power_kw < self.min_kw):
            self.aggregate(row, f"agregat-{row.insee.lower()}", row.insee)
            return
        if row.power_kw is None:
            self.collector.count("no-power")
        self.undeclared(row)
        self.installations.append(row)

    def undeclared(self, row: _Row) -> None:
        """A declared energy of 0 means « non déclaré » in the register, not 0 MWh."""
        if row.energy_kwh == 0:
            row.energy_kwh = None
            row.undeclared = True
            self.collector.count("energy-undeclared")

    def aggregate(self, row: _Row, actor_id: str, insee: str | None) -> None:
        self.undeclared(row)
        where = _commune_name(row) if insee else f"département {row.departement}"
        aggregate = self.aggregates.setdefault(
            actor_id,
            _Aggregate(actor_id, f"Petites installations agrégées — {where}", insee),
        )
        aggregate.rows.append(row)


def _installation_actor(row: _Row, actor_id: str, path: Path) -> Actor:
    confidential = row.name is None or fold(row.name) == "confidentiel"
    name = (
        f"Installation confidentielle — {row.filiere}, {_commune_name(row)}"
        if confidential
        else row.name or ""
    )
    parts = [f"Filière : {row.filiere}"]
    if row.technologie:
        parts.append(f"technologie : {row.technologie}")
    if row.power_kw is not None:
        parts.append(f"puissance maximale installée : {row.power_kw:g} kW")
    if row.commissioned:
        parts.append(f"mise en service : {row.commissioned}")
    if row.regime:
        parts.append(f"régime : {row.regime}")
    if row.eic:
        parts.append(f"code EIC : {row.eic}")
    tags = ["registre-electricite", slug(row.filiere)]
    if confidential:
        tags.append("nom-confidentiel")
    return Actor(
        id=actor_id,
        name=name[:300],
        kind=ActorKind.EQUIPEMENT,
        tags=tuple(tags),
        description=" ; ".join(parts),
        provenance=provenance(DATASET, path, row.where),
        **commune_fields(row.insee),
    )


def _span(rows: list[_Row]) -> str:
    span = line_span([r.line for r in rows])
    return span.replace("ligne", "enregistrement") if rows and rows[0].record else span


def _aggregate_actor(aggregate: _Aggregate, path: Path, min_kw: float) -> Actor:
    count = sum(r.count for r in aggregate.rows)
    power = sum(r.power_kw or 0.0 for r in aggregate.rows)
    filieres = sorted({r.filiere for r in aggregate.rows})
    description = (
        f"{count} installation(s) agrégée(s) par le registre ou de moins de {min_kw:g} kW ; "
        f"puissance totale : {power:g} kW ; filière(s) : {', '.join(filieres)}"
    )
    return Actor(
        id=aggregate.actor_id,
        name=aggregate.name[:300],
        kind=ActorKind.EQUIPEMENT,
        tags=("registre-electricite", "agregat", *(slug(f) for f in filieres)),
        description=description,
        provenance=provenance(DATASET, path, _span(aggregate.rows)),
        **commune_fields(aggregate.insee),
    )


def _flow(row: _Row, source: str, occurrences: dict[tuple[str, str], int], path: Path) -> Flow:
    target = _operator(row)[0]
    occurrences[source, target] = occurrences.get((source, target), 0) + 1
    energy = round(row.energy_kwh / 1000.0, 6) if row.energy_kwh is not None else None
    if energy is not None and energy < 0:
        energy = None
    regime = fold(row.regime) if row.regime else ""
    projet = any(w in regime for w in ("projet", "attente"))
    # « En retrait provisoire », « À l'arrêt »: the plant exists but does not inject now.
    stopped = any(w in regime for w in ("retrait", "arret"))
    if row.undeclared:
        notes = (
            f"{row.filiere} : énergie injectée sur les 12 derniers mois non déclarée "
            "(0 dans le registre)"
        )
    elif energy is None:
        notes = (
            f"{row.filiere} : énergie injectée sur les 12 derniers mois non publiée par le registre"
        )
    else:
        notes = f"{row.filiere} : énergie injectée sur les 12 derniers mois (registre)"
    if stopped:
        notes = (
            f"installation {row.regime.lower() if row.regime else ''} : flux potentiel ; {notes}"
        )
    return Flow(
        id=flow_id(source, target, FlowKind.ELECTRICITE, None, occurrences[source, target]),
        source=source,
        target=target,
        kind=FlowKind.ELECTRICITE,
        quantity=energy,
        unit="MWh" if energy is not None else None,
        status=Status.PROJET if projet else Status.POTENTIEL if stopped else Status.EXISTANT,
        notes=notes,
        provenance=provenance(DATASET, path, row.where),
    )


def read_registre_electricite(  # noqa: PLR0913  # the command line's options, keyword-only
    path: Path | str,
    territory: str | TerritoryFilter,
    *,
    min_kw: float | None = None,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
) -> Toile:
    r"""Read the national register of electricity installations into a toile of a territory.

    Parameters
    ----------
    path
        The register as ODRÉ gives it: the site's ``;``-separated CSV, the API's JSON or
        JSON lines (lowercase or camelCase field names), plain or zipped.
    territory
        ``--territory`` text or a :class:`TerritoryFilter` (rows kept by their
        implantation commune, ``codeinseecommuneimplantation``, else ``codeinseecommune``;
        rows aggregated without commune only when the territory is their whole
        département).
    min_kw
        Installations below this power (kW) are aggregated per commune (default 36).
    theme
        Theme of the toile; ``energie`` by default.
    report
        A list the warnings are appended to.
    allow_empty
        Return an empty toile instead of raising when nothing is kept.

    Returns
    -------
    Toile
        Installations, per-commune aggregates, operators and ``electricite`` flows (MWh).

    Raises
    ------
    ValidationError
        When the file is malformed, with every problem located.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "registre.csv"
    >>> _ = path.write_text(
    ...     "nominstallation;codeinseecommune;filiere;puismaxinstallee;nbinstallations;"
    ...     "gestionnaire;energieannuelleglissanteinjectee\n"
    ...     "Parc éolien du Ternois;62442;Eolien;12000;1;Enedis;25000000\n"
    ...     "Agrégation des installations de moins de 36KW;62442;Solaire;49.46;14;Enedis;\n",
    ...     encoding="utf-8",
    ... )
    >>> toile = read_registre_electricite(path, "62442")
    >>> sorted(a.id for a in toile.actors)
    ['agregat-62442', 'grd-enedis', 'inst-l2']
    >>> [(f.source, f.quantity) for f in toile.flows]
    [('inst-l2', 25000.0), ('agregat-62442', None)]
    """
    source, filt, collector, chosen = start_import(path, territory, theme, Theme.ENERGIE)
    threshold = DEFAULT_MIN_KW if min_kw is None else float(min_kw)
    reader = _Reader(source, filt, collector, threshold)
    reader.read()
    collector.raise_if_errors()
    actors: list[Actor] = []
    flows: list[Flow] = []
    operators: dict[str, str] = {}
    occurrences: dict[tuple[str, str], int] = {}
    seen: set[str] = set()
    for row in reader.installations:
        actor_id = f"inst-{slug(row.eic)}" if row.eic else f"inst-l{row.line}"
        if actor_id in seen:
            actor_id = f"{actor_id}-l{row.line}"
        seen.add(actor_id)
        actors.append(_installation_actor(row, actor_id, source))
        flows.append(_flow(row, actor_id, occurrences, source))
        operators.setdefault(*_operator(row))
    for aggregate in reader.aggregates.values():
        actors.append(_aggregate_actor(aggregate, source, threshold))
        for row in aggregate.rows:
            flows.append(_flow(row, aggregate.actor_id, occurrences, source))
            operators.setdefault(*_operator(row))
    actors.extend(
        Actor(
            id=operator_id,
            name=name[:300],
            kind=ActorKind.GESTIONNAIRE_RESEAU,
            tags=("registre-electricite",),
            provenance=f"{DATASET} — colonne gestionnaire",
        )
        for operator_id, name in operators.items()
    )
    collector.summarise(
        "no-commune",
        "{n} ligne(s) agrégée(s) sans commune hors du territoire (le registre les publie par "
        "département ou région) : ignorées",
    )
    collector.summarise("no-power", "{n} installation(s) sans puissance : gardées")
    collector.summarise(
        "energy-undeclared",
        "{n} installation(s) à l'énergie annuelle déclarée 0 (« non déclaré » dans le "
        "registre) : flux sans quantité, et non 0 MWh",
    )
    return build_toile(
        source="registre-electricite",
        dataset=DATASET,
        path=source,
        territory=filt,
        theme=chosen,
        name="Production d'électricité (registre national)",
        actors=actors,
        flows=flows,
        collector=collector,
        report=report,
        allow_empty=allow_empty,
    )
