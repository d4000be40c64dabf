"""Import water withdrawals of the BNPE (Banque Nationale des Prélèvements quantitatifs en Eau).

Three forms of the same data are read:

- the Hub'Eau API ``prelevements/v1/chroniques`` as JSON (``{"count": ..., "data": [...]}``,
  a bare list, or GeoJSON features);
- the same API as CSV (``annee``, ``code_ouvrage``, ``volume``, ``code_usage``...);
- the CSV exported by the BNPE site (UTF-8 with BOM, French headers such as ``Année``,
  ``Code Sandre de l'ouvrage`` with its trailing space, ``Volume (m3)``, ``Code usage BNPE``,
  ``Type d'eau``).

Rows become one actor per *ouvrage* (withdrawal point, with its usages), one ``exterieur``
actor per water type (groundwater, surface water; "not given" when the file has no type),
and one ``prelevement`` flow resource -> ouvrage per row of the chosen year (m³/year).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.loaders.opendata._common import (
    MAX_CENTRE_KM,
    MAX_NAMED,
    Collector,
    CsvRows,
    aliases,
    build_toile,
    check_columns,
    clean,
    commune_fields,
    json_records,
    line_span,
    named_list,
    number_or_none,
    provenance,
    slug,
    sniff_format,
    start_import,
)
from toiles.loaders.tables import header_key
from toiles.models._checks import check_insee
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import ActorKind, FlowKind, Theme, fold
from toiles.territory import find_commune_by_name, nearest_commune, point_fits_commune

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from toiles.errors import Problem
    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.toile import Toile

DATASET = "BNPE, prélèvements quantitatifs en eau (Hub'Eau / bnpe.eaufrance.fr)"

COLUMNS = aliases(
    {
        "annee": ("Année", "millesime"),
        "code_ouvrage": ("Code Sandre de l'ouvrage", "code_sandre_ouvrage"),
        "nom_ouvrage": ("Nom de l'ouvrage",),
        "volume": ("Volume (m3)", "volume_m3", "Volume (m³)"),
        "code_usage": ("Code usage BNPE", "code_usage_bnpe"),
        "libelle_usage": ("Libellé usage BNPE", "libelle_usage_bnpe"),
        "code_commune_insee": ("Code INSEE", "code_insee", "code_commune"),
        "nom_commune": ("Commune",),
        "code_departement": ("Département", "departement"),
        "longitude": ("Longitude",),
        "latitude": ("Latitude",),
        "type_eau": ("Type d'eau", "code_type_milieu", "libelle_type_milieu", "type_milieu"),
    }
)

_REQUIRED = ("annee", "code_ouvrage", "volume", "code_commune_insee")

#: BNPE usage codes; the file's own label is preferred when it has one.
USAGES: dict[str, str] = {
    "AEP": "Alimentation en eau potable",
    "IND": "Industrie et activités économiques",
    "ENE": "Énergie",
    "IRR": "Irrigation",
    "CAN": "Alimentation de canaux",
    "BAR": "Barrages (réalimentation)",
    "EXO": "Usages exonérés",
}

#: The ``exterieur`` actors standing for each water resource.
RESOURCES: dict[str, tuple[str, str]] = {
    "souterraine": ("ressource-eau-souterraine", "Eaux souterraines (nappes)"),
    "surface": ("ressource-eau-surface", "Eaux de surface (cours d'eau, canaux, plans d'eau)"),
    "inconnue": ("ressource-eau-non-precisee", "Ressource en eau (type non précisé)"),
}


def water_type(text: str | None) -> str:
    """Classify a water type as written by the BNPE or Hub'Eau.

    Examples
    --------
    >>> water_type("SOUT"), water_type("Surface continentale"), water_type("LIT"), water_type(None)
    ('souterraine', 'surface', 'surface', 'inconnue')
    """
    if text is None:
        return "inconnue"
    key = fold(text)
    if key.startswith(("sout", "eso")) or "souterrain" in key:
        return "souterraine"
    if key.startswith(("surf", "cont", "lit", "esu", "mer", "cours")) or "surface" in key:
        return "surface"
    return "inconnue"


@dataclass
class _Record:
    where: str
    line: int | None
    column_of: dict[str, str]
    values: dict[str, str | None]


@dataclass
class _Ouvrage:
    code: str
    name: str | None = None
    insee: str | None = None
    lat: float | None = None
    lon: float | None = None
    usages: dict[str, str] = field(default_factory=dict)
    wheres: list[str] = field(default_factory=list)


def _csv_records(path: Path, collector: Collector) -> Iterator[_Record]:
    with CsvRows(path, collector, COLUMNS) as rows:
        header = rows.header
        if header is None:
            return
        expected = "une chronique de prélèvements BNPE (annee, code_ouvrage, volume…)"
        if not check_columns(header, collector, _REQUIRED, expected=expected):
            return
        names = {c: header.raw(c) for c in header.index}
        for line, cells in rows:
            values = {c: clean(cells[i]) for c, i in header.index.items()}
            yield _Record(f"ligne {line}", line, names, values)


def _json_records(path: Path, collector: Collector) -> Iterator[_Record]:
    expected = "réponse Hub'Eau attendue : un objet avec une liste « data »"
    for index, record in json_records(path, collector, expected=expected, prefix="data"):
        values: dict[str, str | None] = {}
        names: dict[str, str] = {}
        for key, value in record.items():
            canonical = COLUMNS.get(header_key(str(key)))
            if canonical is not None and canonical not in values:
                values[canonical] = clean(value)
                names[canonical] = f"data[{index}].{key}"
        missing = [c for c in _REQUIRED if c not in values]
        if missing:
            absent = ", ".join(f"« {m} »" for m in missing)
            ouvrage = values.get("code_ouvrage")
            which = f"de l'ouvrage {ouvrage}" if ouvrage else "sans code d'ouvrage"
            collector.error(
                None,
                f"data[{index}]",
                f"l'enregistrement {index + 1} {which} n'a pas de champ {absent} : "
                "chaque chronique Hub'Eau doit donner l'année, l'ouvrage et le volume "
                "(une requête dont le paramètre « fields » les omet ne suffit pas)",
                ouvrage,
            )
            if collector.full:
                return
            continue
        yield _Record(f"enregistrement {index + 1}", None, names, values)


class _Reader:
    def __init__(self, path: Path, territory: TerritoryFilter, collector: Collector) -> None:
        self.path = path
        self.territory = territory
        self.collector = collector
        self.rows: list[tuple[_Record, int, str]] = []
        self.by_name = 0
        self.by_point: list[float] = []
        self.unplaced: list[str] = []

    def read(self) -> None:
        is_json = sniff_format(self.path) in {"json", "jsonl"}
        records = (_json_records if is_json else _csv_records)(self.path, self.collector)
        for record in records:
            self.keep(record)

    def keep(self, record: _Record) -> None:
        values, c = record.values, self.collector
        c.seen += 1
        insee_text = values.get("code_commune_insee")
        try:
            insee = check_insee(insee_text) if insee_text else None
        except ValueError as exc:
            c.error(record.line, record.column_of["code_commune_insee"], str(exc), insee_text)
            return
        if insee is None:
            insee = self.place(record)
        if not self.territory.contains(insee):
            c.outside += 1
            return
        year = number_or_none(values.get("annee"))
        if year is None or not year.is_integer() or not 1800 <= year <= 2100:  # noqa: PLR2004
            c.error(record.line, record.column_of["annee"], "année attendue", values.get("annee"))
            return
        code = values.get("code_ouvrage")
        if code is None:
            c.error(record.line, record.column_of["code_ouvrage"], "code d'ouvrage manquant")
            return
        self.rows.append((record, int(year), insee or ""))

    def place(self, record: _Record) -> str | None:
        """Place a record without INSEE code: by its commune's name, else its coordinates."""
        values = record.values
        name, departement = values.get("nom_commune"), values.get("code_departement")
        if name:
            commune = find_commune_by_name(name, departement)
            if commune is not None:
                self.by_name += 1
                return commune.insee
        lon = number_or_none(values.get("longitude"))
        lat = number_or_none(values.get("latitude"))
        if lon is not None and lat is not None and -90.0 <= lat <= 90.0:  # noqa: PLR2004
            commune, km = nearest_commune(lat, lon)
            if km <= MAX_CENTRE_KM:
                self.by_point.append(km)
                return commune.insee
        self.unplaced.append(f"{record.where} ({values.get('code_ouvrage') or 'sans code'})")
        return None

    def summarise(self) -> None:
        """Say how many records were placed without INSEE code, and name those that were not."""
        c = self.collector
        if self.by_name:
            c.warning(
                None,
                "code_commune_insee",
                f"{self.by_name} prélèvement(s) sans code INSEE placé(s) par le nom de leur "
                "commune",
            )
        if self.by_point:
            c.warning(
                None,
                "code_commune_insee",
                f"{len(self.by_point)} prélèvement(s) sans code INSEE ni commune reconnue "
                "placé(s) par leurs coordonnées dans la commune dont le centre est le plus "
                f"proche (distance : médiane {statistics.median(self.by_point):.1f} km, au plus "
                f"{max(self.by_point):.1f} km ; c'est l'erreur possible)",
            )
        if self.unplaced:
            c.warning(
                None,
                "code_commune_insee",
                f"{len(self.unplaced)} prélèvement(s) sans code INSEE, sans commune reconnue ni "
                "coordonnées utilisables : impossible de les placer, donc écartés : "
                + named_list(self.unplaced, MAX_NAMED),
            )


def _ouvrage_id(code: str) -> str:
    return f"ouvrage-{slug(code)}"


def _point(record: _Record, insee: str, collector: Collector) -> tuple[float, float] | None:
    lon = number_or_none(record.values.get("longitude"))
    lat = number_or_none(record.values.get("latitude"))
    if lon is None or lat is None:
        return None
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):  # noqa: PLR2004
        collector.count("bad-point")
        return None
    if insee and not point_fits_commune(insee, lat, lon):
        collector.count("far-point")
        return None
    return lon, lat


def _build(
    rows: list[tuple[_Record, int, str]], path: Path, collector: Collector
) -> tuple[list[Actor], list[Flow]]:
    ouvrages: dict[str, _Ouvrage] = {}
    flows: list[Flow] = []
    resources: set[str] = set()
    occurrences: dict[tuple[str, str, int], int] = {}
    for record, year, insee in rows:
        values = record.values
        code = values["code_ouvrage"] or ""
        ouvrage = ouvrages.setdefault(code, _Ouvrage(code))
        ouvrage.name = ouvrage.name or values.get("nom_ouvrage")
        ouvrage.insee = ouvrage.insee or insee or None
        point = _point(record, insee, collector)
        if point is not None and ouvrage.lat is None:
            ouvrage.lon, ouvrage.lat = point
        usage = (values.get("code_usage") or "").upper() or None
        label = values.get("libelle_usage") or USAGES.get(usage or "", "usage non précisé")
        ouvrage.usages[usage or "?"] = label
        ouvrage.wheres.append(record.where)
        kind = water_type(values.get("type_eau"))
        if kind == "inconnue":
            collector.count("no-type")
        resource_id = RESOURCES[kind][0]
        resources.add(kind)
        volume = number_or_none(values.get("volume"))
        if volume is not None and volume < 0:
            collector.warning(
                record.line, record.column_of["volume"], "volume négatif : ignoré", values["volume"]
            )
            volume = None
        if volume is None:
            collector.count("no-volume")
        key = (resource_id, _ouvrage_id(code), year)
        occurrences[key] = occurrences.get(key, 0) + 1
        flows.append(
            Flow(
                id=flow_id(key[0], key[1], FlowKind.PRELEVEMENT, year, occurrences[key]),
                source=resource_id,
                target=_ouvrage_id(code),
                kind=FlowKind.PRELEVEMENT,
                quantity=volume,
                unit="m3" if volume is not None else None,
                year=year,
                notes=f"usage : {label}" + (f" ({usage})" if usage else ""),
                provenance=provenance(DATASET, path, record.where),
            )
        )
    actors = [
        Actor(
            id=RESOURCES[kind][0],
            name=RESOURCES[kind][1],
            kind=ActorKind.EXTERIEUR,
            tags=("bnpe", "ressource"),
            provenance=f"{DATASET} — type d'eau des ouvrages",
        )
        for kind in RESOURCES
        if kind in resources
    ]
    for ouvrage in ouvrages.values():
        usages = " ; ".join(f"{label} ({code})" for code, label in ouvrage.usages.items())
        location: dict[str, object] = commune_fields(ouvrage.insee)
        if ouvrage.lat is not None and ouvrage.lon is not None:
            location |= {"lat": ouvrage.lat, "lon": ouvrage.lon}
        actors.append(
            Actor(
                id=_ouvrage_id(ouvrage.code),
                name=(ouvrage.name or f"Ouvrage {ouvrage.code}")[:300],
                kind=ActorKind.EQUIPEMENT,
                tags=("bnpe", *(slug(u) for u in ouvrage.usages if u != "?")),
                description=f"Ouvrage de prélèvement {ouvrage.code} ; usage(s) : {usages}",
                provenance=provenance(DATASET, path, _wheres(ouvrage.wheres)),
                **location,
            )
        )
    return actors, flows


def _wheres(wheres: list[str]) -> str:
    if len(wheres) == 1:
        return wheres[0]
    numbers = [int(w.rsplit(" ", 1)[1]) for w in wheres]
    kind = "lignes" if wheres[0].startswith("ligne") else "enregistrements"
    return line_span(numbers).replace("lignes", kind, 1)


def read_bnpe(  # noqa: PLR0913  # the command line's options, all keyword-only
    path: Path | str,
    territory: str | TerritoryFilter,
    *,
    year: int | None = None,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
) -> Toile:
    """Read BNPE water withdrawals into a toile of the ouvrages of a territory.

    Parameters
    ----------
    path
        Hub'Eau ``chroniques`` JSON or CSV, or the CSV exported by the BNPE site.
    territory
        ``--territory`` text or a :class:`TerritoryFilter` (rows are kept by their INSEE
        commune code).
    year
        The year of the volumes; the latest year the territory's rows have by default.
    theme
        Theme of the toile; ``eau_industrielle`` by default.
    report
        A list the warnings are appended to.
    allow_empty
        Return an empty toile instead of raising when nothing is kept.

    Returns
    -------
    Toile
        Ouvrages, water resources and the ``prelevement`` flows of the year (m³).

    Raises
    ------
    ValidationError
        When the file is malformed, with every problem located; when nothing is kept
        (territory, year), unless ``allow_empty``.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "chroniques.json"
    >>> _ = path.write_text(json.dumps({"count": 2, "data": [
    ...     {"annee": 2021, "code_ouvrage": "OPR0000000001", "volume": 120000.0,
    ...      "code_usage": "IND", "code_commune_insee": "62119", "code_type_milieu": "SOUT"},
    ...     {"annee": 2022, "code_ouvrage": "OPR0000000001", "volume": 98000.0,
    ...      "code_usage": "IND", "code_commune_insee": "62119", "code_type_milieu": "SOUT"},
    ... ]}), encoding="utf-8")
    >>> toile = read_bnpe(path, "CABBALR")
    >>> [(f.source, f.target, f.quantity, f.year) for f in toile.flows]
    [('ressource-eau-souterraine', 'ouvrage-opr0000000001', 98000.0, 2022)]
    """
    source, filt, collector, chosen = start_import(path, territory, theme, Theme.EAU_INDUSTRIELLE)
    reader = _Reader(source, filt, collector)
    reader.read()
    reader.summarise()
    collector.raise_if_errors()
    years = sorted({y for _, y, _ in reader.rows})
    target_year = year if year is not None else (years[-1] if years else None)
    if year is not None and years and year not in years:
        collector.warning(
            None,
            "--year",
            f"aucun prélèvement en {year} dans le territoire "
            f"(années présentes : {', '.join(map(str, years))})",
        )
    rows = [r for r in reader.rows if r[1] == target_year]
    actors, flows = _build(rows, source, collector)
    collector.summarise("no-volume", "{n} prélèvement(s) sans volume : flux sans quantité")
    collector.summarise("no-type", "{n} prélèvement(s) sans type d'eau : ressource non précisée")
    collector.summarise("bad-point", "{n} coordonnée(s) hors limites : ignorée(s)")
    collector.summarise(
        "far-point",
        "{n} coordonnée(s) à plus de 30 km de la commune de l'ouvrage (valeurs de remplissage ?) : "
        "ignorée(s), l'ouvrage est placé par sa commune",
    )
    label = f"Prélèvements d'eau (BNPE{f', {target_year}' if target_year else ''})"
    return build_toile(
        source="bnpe",
        dataset=DATASET,
        path=source,
        territory=filt,
        theme=chosen,
        name=label,
        actors=actors,
        flows=flows,
        collector=collector,
        report=report,
        allow_empty=allow_empty,
        filters=f"année {year}" if year is not None else "",
    )
