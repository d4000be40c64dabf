"""Import the national consolidated file of electric-vehicle charging points (IRVE).

The file follows the static IRVE schema of the French open-data administration (v2.x:
comma-separated UTF-8, one row per charging point, ``coordonneesXY`` as ``[lon, lat]``), or
is its JSON, JSON lines or GeoJSON form (one object or feature per charging point; a
feature's point stands for the coordinates when its properties do not give them);
the consolidated file published on data.gouv.fr adds columns after the schema's
(``consolidated_longitude``, ``consolidated_latitude``, ``consolidated_commune``...). The v3
names (``puissance_nominale_kw``, ``station_longitude``) are accepted too, and so are the
v1 files that data.gouv.fr keeps as the dataset's history (until 2020: ``;``-separated,
``n_amenageur``, ``id_station``, ``code_insee``, ``Xlongitude``, ``puiss_max`` written
« 22 kW »...).

Rows become:

- one actor per *aménageur* and per *opérateur* (one actor for an organisation that is both,
  and for an operator whose ``nom_amenageur`` is empty: the file then names one
  organisation, not two), identified by its SIREN when the file gives a valid one, by its
  name otherwise;
- one actor per station (``id_station_itinerance``), grouping its charging points, with the
  number of points and their total nominal power;
- a ``recharge`` flow aménageur -> station (total nominal power, kW) and a ``service`` flow
  opérateur -> station (number of charging points).

A point is placed in its commune by ``code_insee_commune``; when that is empty (often, in
the consolidated file), by the postal code and commune name (``consolidated_code_postal``
and ``consolidated_commune``, or the ``adresse_station``: « 80330 Longueau »), else by its
coordinates (the commune whose centre is nearest, the distance stated as the error). The
warnings say how many were placed each way; points that could not be placed are named.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toiles.loaders.opendata._common import (
    MAX_CENTRE_KM,
    MAX_NAMED,
    Collector,
    CsvHeader,
    CsvRows,
    JsonRows,
    aliases,
    build_toile,
    check_columns,
    clean,
    commune_fields,
    distinguish,
    line_span,
    named_list,
    number_or_none,
    parse_bool,
    provenance,
    slug,
    sniff_format,
    start_import,
)
from toiles.models._checks import check_siren
from toiles.models.actor import Actor
from toiles.models.flow import Flow, flow_id
from toiles.models.vocab import ActorKind, FlowKind, Theme, fold
from toiles.territory import (
    commune_by_postal_code,
    find_region,
    national_communes,
    nearest_commune,
)

if TYPE_CHECKING:
    from pathlib import Path

    from toiles.errors import Problem
    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.toile import Toile

DATASET = "IRVE, fichier national consolidé (data.gouv.fr)"

#: Above this value a nominal power in kW is taken as written in W (no charger reaches 1.5 MW).
MAX_PLAUSIBLE_KW = 1500.0

COLUMNS = aliases(
    {
        "nom_amenageur": ("n_amenageur",),
        "siren_amenageur": (),
        "contact_amenageur": (),
        "nom_operateur": ("n_operateur",),
        "contact_operateur": (),
        "nom_enseigne": ("n_enseigne",),
        "id_station_itinerance": ("id_station",),
        "id_station_local": (),
        "nom_station": ("n_station",),
        "adresse_station": ("ad_station",),
        "code_insee_commune": ("code_insee",),
        "coordonneesXY": ("coordonnees_xy",),
        "nbre_pdc": (),
        "id_pdc_itinerance": ("id_pdc",),
        "id_pdc_local": (),
        "puissance_nominale": ("puissance_nominale_kw", "puiss_max"),
        "prise_type_2": (),
        "prise_type_combo_ccs": (),
        "prise_type_chademo": (),
        "prise_type_ef": (),
        "gratuit": (),
        "consolidated_longitude": (),
        "consolidated_latitude": (),
        "consolidated_code_postal": (),
        "consolidated_commune": (),
        "station_longitude": ("geometry_longitude", "Xlongitude"),
        "station_latitude": ("geometry_latitude", "Ylatitude"),
        "code_postal": (),
    }
)

_REQUIRED = ("id_pdc_itinerance", "puissance_nominale", "nom_station")
_ANY_OF = (
    ("id_station_itinerance", "id_station_local"),
    ("coordonneesXY", "consolidated_longitude", "station_longitude"),
)
_PLUGS = {
    "prise_type_2": "type-2",
    "prise_type_combo_ccs": "combo-ccs",
    "prise_type_chademo": "chademo",
    "prise_type_ef": "prise-ef",
    "gratuit": "gratuit",
}
_POWER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(kw|kva|w)?\s*$", re.IGNORECASE)
_POSTAL = re.compile(r"\b(\d{5})\b\s*([^,\d][^,]*)?")
_XY = re.compile(r"^\[?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]?$")
# Metropolitan France and overseas: a latitude never falls in the longitude range below.
_LAT_RANGE = (-22.0, 52.0)
_FRANCE_LON = (-6.0, 10.0)
_FRANCE_LAT = (41.0, 51.5)


@dataclass
class _Organisation:
    key: str
    name: str
    siren: str | None
    lines: list[int] = field(default_factory=list)

    @property
    def actor_id(self) -> str:
        return f"org-{self.siren}" if self.siren else f"org-{slug(self.name)}"


@dataclass
class _Station:
    key: str
    name: str
    insee: str | None
    lat: float | None = None
    lon: float | None = None
    declared_pdc: int | None = None
    pdc: set[str] = field(default_factory=set)
    power_kw: float = 0.0
    unknown_power: int = 0
    tags: set[str] = field(default_factory=set)
    amenageur: str | None = None
    operateur: str | None = None
    lines: list[int] = field(default_factory=list)
    placed: str | None = None

    @property
    def actor_id(self) -> str:
        return f"station-{slug(self.key)}"


def power_kw(text: str | None) -> float | None:
    """Read a charging point's power in kW: ``22``, ``22.08``, ``3,7``, ``22 kW``, ``22000 W``.

    A number without unit is returned as written (the caller decides whether it was W).

    Examples
    --------
    >>> power_kw("22 kW"), power_kw("3,7"), power_kw("22000 W"), power_kw("T2"), power_kw(None)
    (22.0, 3.7, 22.0, None, None)
    """
    if text is None:
        return None
    match = _POWER.match(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value / 1000.0 if (match.group(2) or "").lower() == "w" else value


def _organisation_kind(name: str) -> ActorKind:
    """Guess an organisation's kind from its name.

    Examples
    --------
    >>> [_organisation_kind(n).value for n in ("Hauts-de-France", "SODETREL", "CA du Boulonnais")]
    ['collectivite', 'entreprise', 'epci']
    """
    if find_region(name) is not None:  # « Hauts-de-France » runs the Pass Pass network
        return ActorKind.COLLECTIVITE
    key = fold(name)
    if key.startswith(("syndicat", "sde", "sie", "fde", "usedo", "sieml")):
        return ActorKind.SYNDICAT
    if key.startswith(("communaute", "ca ", "cc ", "metropole", "agglomeration")):
        return ActorKind.EPCI
    if key.startswith(("commune", "ville d", "mairie")):
        return ActorKind.COMMUNE
    if key.startswith(("departement", "region", "conseil ")):
        return ActorKind.COLLECTIVITE
    return ActorKind.ENTREPRISE


class _Reader:
    def __init__(self, path: Path, territory: TerritoryFilter, collector: Collector) -> None:
        self.path = path
        self.territory = territory
        self.collector = collector
        self.organisations: dict[str, _Organisation] = {}
        self.stations: dict[str, _Station] = {}
        self.header = CsvHeader([], {}, ",")
        self.unit = "ligne"
        self.by_address = 0
        self.by_point: list[float] = []
        self.unplaced: list[str] = []
        self.unknown_codes: list[str] = []
        self.by_name: dict[str, str] = {}
        self._nearest: dict[tuple[float, float], tuple[str, str, float]] = {}

    def cell(self, cells: list[str], column: str) -> str | None:
        header = self.header
        return clean(cells[header.index[column]]) if header.has(column) else None

    def read(self) -> None:
        expected = (
            "un fichier IRVE (schéma statique v2 : id_pdc_itinerance, coordonneesXY… ; "
            "ou v1 : id_pdc, Xlongitude…)"
        )
        rows: CsvRows | JsonRows = (
            JsonRows(self.path, self.collector, COLUMNS, expected=expected)
            if sniff_format(self.path) in {"json", "jsonl"}
            else CsvRows(self.path, self.collector, COLUMNS)
        )
        self.unit = rows.unit
        with rows:
            if rows.header is None:
                return
            self.header = rows.header
            if not check_columns(
                rows.header, self.collector, _REQUIRED, expected=expected, any_of=_ANY_OF
            ):
                return
            for line, cells in rows:
                self.row(line, cells)

    def insee(self, line: int, cells: list[str]) -> tuple[str | None, str | None]:
        """The point's commune, and how it was found when not from ``code_insee_commune``."""
        code = self.cell(cells, "code_insee_commune")
        if code is not None:
            code = code.upper()
            code = "0" + code if len(code) == 4 and code.isdigit() else code  # noqa: PLR2004
            if code in national_communes():
                return code, None
            # Not an INSEE code (often the postal code written in its place): the point is
            # placed as if the code were empty, and the code is reported.
            self.unknown_codes.append(f"{self.unit} {line} : « {code} »")
        # The consolidated file often leaves the INSEE code empty: the postal code and the
        # commune name (consolidated columns, or the address) give it exactly...
        name = self.cell(cells, "consolidated_commune")
        postal = self.cell(cells, "consolidated_code_postal") or self.cell(cells, "code_postal")
        address = self.cell(cells, "adresse_station") or ""
        match = _POSTAL.search(address)
        if match is not None:
            postal = postal or match.group(1)
            name = name or (match.group(2) or "").strip() or None
        if postal is not None:
            commune = commune_by_postal_code(postal, name)
            if commune is not None:
                self.by_address += 1
                written = " ".join(w for w in (postal, name) if w)
                return commune.insee, f"commune déduite de l'adresse ({written})"
        # ... else the coordinates give the commune whose centre is nearest.
        lon_lat = self.coordinates(line, cells, quiet=True)
        if lon_lat is not None:
            key = (round(lon_lat[0], 5), round(lon_lat[1], 5))
            if key not in self._nearest:
                commune, km = nearest_commune(lon_lat[1], lon_lat[0])
                self._nearest[key] = (commune.insee, commune.name, km)
            insee, commune_name, km = self._nearest[key]
            if km > MAX_CENTRE_KM:
                self.unplaced.append(
                    f"{self.unit} {line} (à {km:.0f} km du centre de commune connu le plus proche)"
                )
                return None, None
            self.by_point.append(km)
            return insee, (
                f"commune déduite des coordonnées : centre de {commune_name} le plus proche, "
                f"à {km:.1f} km (erreur possible de cet ordre)"
            )
        station = self.cell(cells, "id_station_itinerance") or self.cell(cells, "nom_station")
        self.unplaced.append(f"{self.unit} {line} ({station or 'station sans nom'})")
        return None, None

    def row(self, line: int, cells: list[str]) -> None:
        self.collector.seen += 1
        insee, placed = self.insee(line, cells)
        if not self.territory.contains(insee):
            self.collector.outside += 1
            return
        station = self.station(line, cells, insee)
        if station is None:
            return
        station.placed = station.placed or placed
        station.lines.append(line)
        self.charging_point(line, cells, station)
        amenageur = self.organisation(line, cells, "amenageur")
        operateur = self.organisation(line, cells, "operateur")
        station.amenageur = station.amenageur or amenageur
        station.operateur = station.operateur or operateur

    def station(self, line: int, cells: list[str], insee: str | None) -> _Station | None:
        key = self.cell(cells, "id_station_itinerance") or self.cell(cells, "id_station_local")
        lon_lat = self.coordinates(line, cells)
        name = self.cell(cells, "nom_station") or key or "Station sans nom"
        if key is None:
            # "Non concerné" or empty ids: the station is the name at its coordinates.
            where = f"{lon_lat[0]:.4f}-{lon_lat[1]:.4f}" if lon_lat else insee or str(line)
            key = f"{name}-{where}"
            self.collector.count("no-station-id")
        station = self.stations.get(key.upper())
        if station is None:
            station = _Station(key=key, name=name, insee=insee)
            if lon_lat is not None:
                station.lon, station.lat = lon_lat
            self.stations[key.upper()] = station
        declared = number_or_none(self.cell(cells, "nbre_pdc"))
        if declared is not None and declared >= 0 and station.declared_pdc is None:
            station.declared_pdc = int(declared)
        return station

    def coordinates(
        self, line: int, cells: list[str], *, quiet: bool = False
    ) -> tuple[float, float] | None:
        lon = number_or_none(self.cell(cells, "consolidated_longitude"))
        lat = number_or_none(self.cell(cells, "consolidated_latitude"))
        if lon is None or lat is None:
            lon = number_or_none(self.cell(cells, "station_longitude"))
            lat = number_or_none(self.cell(cells, "station_latitude"))
        if lon is None or lat is None:
            text = self.cell(cells, "coordonneesXY")
            match = _XY.match(text.replace(" ", "")) if text else None
            if match is None:
                if text is not None and not quiet:
                    self.collector.warning(
                        line, self.header.raw("coordonneesXY"), "[lon, lat] attendu", text
                    )
                return None
            lon, lat = float(match.group(1)), float(match.group(2))
        if _FRANCE_LAT[0] <= lon <= _FRANCE_LAT[1] and _FRANCE_LON[0] <= lat <= _FRANCE_LON[1]:
            # Written [lat, lon]: the schema's own v2 example does it.
            if not quiet:
                self.collector.count("swapped")
            lon, lat = lat, lon
        if not (-180.0 <= lon <= 180.0 and _LAT_RANGE[0] <= lat <= _LAT_RANGE[1]):  # noqa: PLR2004
            if quiet:
                return None
            self.collector.warning(
                line,
                self.header.raw("coordonneesXY"),
                "coordonnées hors de France",
                f"{lon}, {lat}",
            )
            return None
        return lon, lat

    def charging_point(self, line: int, cells: list[str], station: _Station) -> None:
        pdc = self.cell(cells, "id_pdc_itinerance") or self.cell(cells, "id_pdc_local")
        key = pdc.upper() if pdc else f"ligne-{line}"
        if key in station.pdc:
            self.collector.count("duplicate-pdc")
            return
        station.pdc.add(key)
        written = self.cell(cells, "puissance_nominale")
        power = power_kw(written)
        if written is not None and power is None:
            # « vingt kW », « 22/50 »: not a power; counting it as unknown would hide a typo.
            self.collector.error(
                line,
                self.header.raw("puissance_nominale"),
                "puissance en kW attendue (ex. 22, 3,7, « 22 kW », « 22000 W »)",
                written,
            )
            return
        if power is None or power <= 0:
            station.unknown_power += 1
            self.collector.count("zero-power")
        else:
            if power > MAX_PLAUSIBLE_KW:
                power /= 1000.0
                self.collector.count("watts")
            station.power_kw += power
        for column, tag in _PLUGS.items():
            text = self.cell(cells, column)
            if text is None:
                continue
            try:
                if parse_bool(text):
                    station.tags.add(tag)
            except ValueError:
                self.collector.warning(line, self.header.raw(column), "true/false attendu", text)

    def organisation(self, line: int, cells: list[str], role: str) -> str | None:
        # An empty aménageur (or opérateur) is the other role's organisation: one
        # organisation, not two. The brand (enseigne) only names it when both are empty.
        other = "operateur" if role == "amenageur" else "amenageur"
        name = (
            self.cell(cells, f"nom_{role}")
            or self.cell(cells, f"nom_{other}")
            or self.cell(cells, "nom_enseigne")
        )
        siren_text = self.cell(cells, "siren_amenageur") if role == "amenageur" else None
        siren: str | None = None
        if siren_text:
            try:
                siren = check_siren(siren_text)
            except ValueError:
                self.collector.count("bad-siren")
        if name is None and siren is None:
            contact = self.cell(cells, f"contact_{role}")
            if contact is None or "@" not in contact:
                self.collector.count(f"no-{role}")
                return None
            name = contact.split("@", 1)[1]
        folded = fold(name or "")
        # A name already seen with a SIREN is that organisation (an aménageur whose name
        # is empty takes the operator's, with the aménageur's SIREN: one organisation).
        key = siren or self.by_name.get(folded, folded)
        organisation = self.organisations.get(key)
        if organisation is None:
            organisation = _Organisation(key, name or f"SIREN {siren}", siren)
            self.organisations[key] = organisation
        if siren and name:
            self.by_name.setdefault(folded, siren)
        if not organisation.lines or organisation.lines[-1] != line:  # both roles, one line
            organisation.lines.append(line)
        return key

    def span(self, lines: list[int]) -> str:
        """Where a grouped record comes from: « lignes 2, 3 » or « enregistrements 2, 3 »."""
        text = line_span(lines)
        return text if self.unit == "ligne" else text.replace("ligne", self.unit)

    def warnings(self) -> None:
        c = self.collector
        if self.by_address:
            c.warning(
                None,
                "code_insee_commune",
                f"{self.by_address} point(s) sans code INSEE placé(s) par le code postal et la "
                "commune de leur adresse",
            )
        if self.by_point:
            c.warning(
                None,
                "code_insee_commune",
                f"{len(self.by_point)} point(s) sans code INSEE ni adresse exploitable placé(s) "
                "par leurs coordonnées dans la commune dont le centre est le plus proche "
                f"(distance au centre : médiane {statistics.median(self.by_point):.1f} km, "
                f"au plus {max(self.by_point):.1f} km ; c'est l'erreur possible)",
            )
        if self.unknown_codes:
            c.warning(
                None,
                "code_insee_commune",
                f"{len(self.unknown_codes)} code(s) INSEE inconnu(s) (code postal à sa place ?) : "
                "point(s) placé(s) par l'adresse ou les coordonnées : "
                + named_list(self.unknown_codes, MAX_NAMED),
            )
        if self.unplaced:
            c.warning(
                None,
                "code_insee_commune",
                f"{len(self.unplaced)} point(s) sans code INSEE, sans adresse reconnue ni "
                "coordonnées : impossible de les placer dans une commune, donc écartés : "
                + named_list(self.unplaced, MAX_NAMED),
            )
        c.summarise("no-station-id", "{n} point(s) sans identifiant de station : regroupés par nom")
        c.summarise("swapped", "{n} point(s) aux coordonnées écrites [lat, lon] : inversées")
        c.summarise(
            "zero-power", "{n} point(s) de puissance nominale nulle ou absente : non comptés"
        )
        c.summarise("watts", "{n} puissance(s) écrite(s) en W et non en kW : divisées par 1000")
        c.summarise("duplicate-pdc", "{n} point(s) de charge en double : comptés une fois")
        c.summarise("bad-siren", "{n} SIREN d'aménageur invalide(s) : ignoré(s)")
        c.summarise("no-amenageur", "{n} point(s) sans aménageur ni enseigne")
        c.summarise("no-operateur", "{n} point(s) sans opérateur ni enseigne")


def _station_code(actor: Actor) -> str | None:
    code = actor.id.removeprefix("station-")
    return None if code.startswith(slug(actor.name)) else code.upper()


def _station_actor(station: _Station, path: Path, span: str) -> Actor:
    count = len(station.pdc)
    parts = [f"{count} point(s) de charge listé(s)"]
    if station.declared_pdc is not None and station.declared_pdc != count:
        parts.append(f"nbre_pdc déclaré : {station.declared_pdc}")
    parts.append(f"puissance nominale totale : {station.power_kw:g} kW")
    if station.unknown_power:
        parts.append(f"puissance inconnue pour {station.unknown_power} point(s)")
    parts.append(f"identifiant : {station.key}")
    if station.placed:
        parts.append(station.placed)
    location: dict[str, object] = commune_fields(station.insee)
    if station.lat is not None and station.lon is not None:
        location |= {"lat": round(station.lat, 6), "lon": round(station.lon, 6)}
    return Actor(
        id=station.actor_id,
        name=station.name[:300],
        kind=ActorKind.EQUIPEMENT,
        tags=("irve", *sorted(station.tags)),
        description=" ; ".join(parts),
        provenance=provenance(DATASET, path, span),
        **location,
    )


def _flows(reader: _Reader, path: Path) -> list[Flow]:
    flows: list[Flow] = []
    for station in reader.stations.values():
        where = provenance(DATASET, path, reader.span(station.lines))
        if station.amenageur is not None:
            source = reader.organisations[station.amenageur].actor_id
            power = round(station.power_kw, 3) if station.power_kw > 0 else None
            flows.append(
                Flow(
                    id=flow_id(source, station.actor_id, FlowKind.RECHARGE, None),
                    source=source,
                    target=station.actor_id,
                    kind=FlowKind.RECHARGE,
                    quantity=power,
                    unit="kW" if power is not None else None,
                    notes="aménageur -> station : puissance nominale totale installée",
                    provenance=where,
                )
            )
        if station.operateur is not None:
            source = reader.organisations[station.operateur].actor_id
            flows.append(
                Flow(
                    id=flow_id(source, station.actor_id, FlowKind.SERVICE, None),
                    source=source,
                    target=station.actor_id,
                    kind=FlowKind.SERVICE,
                    quantity=float(len(station.pdc)),
                    unit="u",
                    notes="opérateur -> station : points de charge exploités",
                    provenance=where,
                )
            )
    return flows


def read_irve(
    path: Path | str,
    territory: str | TerritoryFilter,
    *,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
) -> Toile:
    r"""Read the national IRVE file into a toile of the charging stations of a territory.

    Parameters
    ----------
    path
        The consolidated IRVE CSV file (or any file of the static schema v2.x).
    territory
        ``--territory`` text or a :class:`TerritoryFilter`; a point belongs to it by its
        ``code_insee_commune`` or, when empty, by its postal code and commune name, else by
        its coordinates (nearest commune centre of the national table).
    theme
        Theme of the toile; ``electromobilite`` by default.
    report
        A list the warnings are appended to (points placed by address or coordinates,
        points that could not be placed, coordinates swapped, powers in W, zeros...).
    allow_empty
        Return an empty toile instead of raising when no point lies in the territory.

    Returns
    -------
    Toile
        Organisations, stations and their ``recharge`` and ``service`` flows.

    Raises
    ------
    ValidationError
        When the file is malformed (columns, encoding, truncated lines), with every
        problem located by file, line and column; when no point lies in the territory
        (unless ``allow_empty``).

    Notes
    -----
    One pass over the file, memory proportional to the stations kept. A nominal power above
    1,500 kW is read as written in W; a power of 0 is unknown and not counted. Coordinates
    come from ``consolidated_longitude``/``consolidated_latitude`` when present, else from
    ``coordonneesXY``; a pair written ``[lat, lon]`` is swapped back.

    Examples
    --------
    >>> from pathlib import Path
    >>> csv_text = (
    ...     "nom_amenageur,siren_amenageur,nom_operateur,nom_enseigne,id_station_itinerance,"
    ...     "nom_station,code_insee_commune,coordonneesXY,nbre_pdc,id_pdc_itinerance,"
    ...     "puissance_nominale\n"
    ...     'Ville de Béthune,,Izivia,Izivia,FRS62P001,Grand Place,62119,"[2.6375, 50.5303]",'
    ...     "2,FRS62E0011,22\n"
    ...     'Ville de Béthune,,Izivia,Izivia,FRS62P001,Grand Place,62119,"[2.6375, 50.5303]",'
    ...     "2,FRS62E0012,22000\n"
    ... )
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "irve.csv").write_text(csv_text, encoding="utf-8")
    >>> toile = read_irve(folder / "irve.csv", "CABBALR")
    >>> [a.id for a in toile.actors]
    ['org-ville-de-bethune', 'org-izivia', 'station-frs62p001']
    >>> [(f.kind.value, f.quantity, f.unit) for f in toile.flows]
    [('recharge', 44.0, 'kW'), ('service', 2.0, 'u')]
    """
    source, filt, collector, chosen = start_import(path, territory, theme, Theme.ELECTROMOBILITE)
    reader = _Reader(source, filt, collector)
    reader.read()
    collector.raise_if_errors()
    reader.warnings()
    actors = [
        Actor(
            id=organisation.actor_id,
            name=organisation.name[:300],
            kind=_organisation_kind(organisation.name),
            siren=organisation.siren,
            tags=("irve",),
            provenance=provenance(DATASET, source, reader.span(organisation.lines)),
        )
        for organisation in reader.organisations.values()
    ]
    stations = [_station_actor(s, source, reader.span(s.lines)) for s in reader.stations.values()]
    # Stations of one name (three forecourts « Asia Automotive » in Longueau) by their id,
    # unless the id was made from the name itself (a station without identifier).
    actors.extend(distinguish(stations, _station_code))
    flows = _flows(reader, source)
    return build_toile(
        source="irve",
        dataset=DATASET,
        path=source,
        territory=filt,
        theme=chosen,
        name="Bornes de recharge (IRVE)",
        actors=actors,
        flows=flows,
        collector=collector,
        report=report,
        allow_empty=allow_empty,
    )
