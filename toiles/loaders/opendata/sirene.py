"""Import establishments from the INSEE SIRENE stock file, and enrich toiles with it.

The stock file ``StockEtablissement`` (comma-separated UTF-8, camelCase headers, tens of
millions of rows, several GB) is read as INSEE distributes it, ``StockEtablissement_utf8.zip``
(the CSV is decompressed from the archive as it is read, never extracted), or unzipped. It
is streamed row by row with the ``csv`` module: a row is only looked at further when its
``codeCommuneEtablissement`` lies in the territory, so memory stays flat whatever the size
of the file.

An establishment becomes an actor with its SIRET (text, leading zeros kept), name, NAF code
(only when ``nomenclatureActivitePrincipaleEtablissement`` is ``NAFRev2``; older
nomenclatures are flagged and left out), employee bracket, commune, and coordinates when the
file has them (Lambert 93, converted to WGS84 with pyproj). :func:`enrich_toile` fills the
empty fields of a toile's actors matched by SIRET and never overwrites a value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toiles.loaders.opendata._common import (
    Collector,
    CsvHeader,
    CsvRows,
    aliases,
    build_toile,
    check_columns,
    check_file,
    clean,
    commune_fields,
    distinguish,
    named_list,
    number_or_none,
    provenance,
    start_import,
)
from toiles.loaders.opendata.territory import departement_of
from toiles.models._checks import check_siret, normalise_naf
from toiles.models.actor import Actor
from toiles.models.vocab import ActorKind, Theme
from toiles.naf import naf_display
from toiles.territory import current_commune

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from pyproj import Transformer

    from toiles.errors import Problem
    from toiles.loaders.opendata.territory import TerritoryFilter
    from toiles.models.toile import Toile

DATASET = "Base SIRENE des établissements, fichier StockEtablissement (INSEE)"

#: INSEE employee brackets (``trancheEffectifsEtablissement``): code -> (lower bound, label).
BRACKETS: dict[str, tuple[int, str]] = {
    "00": (0, "0 salarié"),
    "01": (1, "1 ou 2 salariés"),
    "02": (3, "3 à 5 salariés"),
    "03": (6, "6 à 9 salariés"),
    "11": (10, "10 à 19 salariés"),
    "12": (20, "20 à 49 salariés"),
    "21": (50, "50 à 99 salariés"),
    "22": (100, "100 à 199 salariés"),
    "31": (200, "200 à 249 salariés"),
    "32": (250, "250 à 499 salariés"),
    "41": (500, "500 à 999 salariés"),
    "42": (1000, "1 000 à 1 999 salariés"),
    "51": (2000, "2 000 à 4 999 salariés"),
    "52": (5000, "5 000 à 9 999 salariés"),
    "53": (10000, "10 000 salariés et plus"),
}

#: The header of ``StockEtablissement_utf8.csv`` (INSEE's file layout, 53 columns in 2024).
STOCK_COLUMNS: tuple[str, ...] = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
)

COLUMNS = aliases(
    {
        "siret": (),
        "siren": (),
        "codeCommuneEtablissement": (),
        "etatAdministratifEtablissement": (),
        "activitePrincipaleEtablissement": (),
        "nomenclatureActivitePrincipaleEtablissement": (),
        "trancheEffectifsEtablissement": (),
        "coordonneeLambertAbscisseEtablissement": (),
        "coordonneeLambertOrdonneeEtablissement": (),
        "denominationUsuelleEtablissement": (),
        "enseigne1Etablissement": (),
        "denominationUniteLegale": (),
        "nomUniteLegale": (),
        "prenom1UniteLegale": (),
        "etablissementSiege": (),
        "numeroVoieEtablissement": (),
        "typeVoieEtablissement": (),
        "libelleVoieEtablissement": (),
        "codePostalEtablissement": (),
        "libelleCommuneEtablissement": (),
        "activitePrincipaleNAF25Etablissement": (),
    }
)

#: The columns of ``StockUniteLegale_utf8.csv`` (INSEE's legal units) that name an establishment.
LEGAL_UNIT_COLUMNS = aliases(
    {
        "siren": (),
        "denominationUniteLegale": (),
        "sigleUniteLegale": (),
        "denominationUsuelle1UniteLegale": (),
        "nomUniteLegale": (),
        "nomUsageUniteLegale": (),
        "prenomUsuelUniteLegale": (),
        "prenom1UniteLegale": (),
        "categorieJuridiqueUniteLegale": (),
        "etatAdministratifUniteLegale": (),
    }
)
LEGAL_UNIT_DATASET = "Base SIRENE, fichier StockUniteLegale (INSEE)"

_REQUIRED = ("siret", "codeCommuneEtablissement")
_EXPECTED = "le fichier StockEtablissement de la base SIRENE (siret, codeCommuneEtablissement…)"
_NAME_COLUMNS = (
    "denominationUsuelleEtablissement",
    "enseigne1Etablissement",
    "denominationUniteLegale",
)


@functools.cache
def _lambert93_to_wgs84() -> Transformer:
    """The Lambert 93 -> WGS84 transformer, built once on first use."""
    from pyproj import Transformer  # noqa: PLC0415  # heavy: only when coordinates are read

    return Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def _key(column: str) -> str:
    return column.lower()


@dataclass
class Establishment:
    """What the SIRENE file says about one establishment (the fields toiles uses)."""

    line: int
    siret: str
    insee: str | None
    name: str | None
    naf: str | None
    naf_raw: str | None
    nomenclature: str | None
    bracket: str | None
    x: float | None
    y: float | None
    open: bool
    head_office: bool
    address: str | None
    naf25: str | None = None

    @property
    def employees(self) -> int | None:
        """Lower bound of the employee bracket (``None`` when unknown)."""
        return BRACKETS[self.bracket][0] if self.bracket in BRACKETS else None

    def describe(self) -> str:
        """A French description: bracket, activity, address."""
        parts = [f"SIRET {self.siret}"]
        if self.bracket in BRACKETS:
            parts.append(
                f"effectif : tranche INSEE {self.bracket} ({BRACKETS[self.bracket][1]}), "
                "borne basse retenue"
            )
        if self.naf_raw and self.naf is None:
            parts.append(f"activité {self.naf_raw} ({self.nomenclature}, non reprise)")
        if self.naf25:
            parts.append(f"NAF 2025 : {self.naf25}")
        if self.address:
            parts.append(self.address)
        if not self.open:
            parts.append("établissement fermé")
        return " ; ".join(parts)


class _Columns:
    """Column positions of a SIRENE header, looked up once."""

    def __init__(self, header: CsvHeader) -> None:
        index = {k.lower(): v for k, v in header.index.items()}
        self.index = index
        self.siret = index[_key("siret")]
        self.commune = index[_key("codeCommuneEtablissement")]

    def get(self, cells: list[str], column: str) -> str | None:
        position = self.index.get(column.lower())
        return None if position is None else clean(cells[position])


def _establishment(columns: _Columns, line: int, cells: list[str]) -> Establishment:
    get = columns.get
    name = next((n for c in _NAME_COLUMNS if (n := get(cells, c))), None)
    if name is None and (last := get(cells, "nomUniteLegale")):
        first = get(cells, "prenom1UniteLegale")
        name = f"{first} {last}" if first else last
    nomenclature = get(cells, "nomenclatureActivitePrincipaleEtablissement")
    naf_raw = get(cells, "activitePrincipaleEtablissement")
    naf: str | None = None
    if naf_raw and (nomenclature is None or nomenclature.upper() == "NAFREV2"):
        try:
            naf = normalise_naf(naf_raw)
        except ValueError:
            naf = None
    street = " ".join(
        p
        for p in (
            get(cells, "numeroVoieEtablissement"),
            get(cells, "typeVoieEtablissement"),
            get(cells, "libelleVoieEtablissement"),
            get(cells, "codePostalEtablissement"),
            get(cells, "libelleCommuneEtablissement"),
        )
        if p
    )
    head = (get(cells, "etablissementSiege") or "").lower() in {"true", "oui", "1"}
    return Establishment(
        line=line,
        siret=cells[columns.siret].strip(),
        insee=clean(cells[columns.commune]),
        name=name,
        naf=naf,
        naf_raw=naf_raw,
        nomenclature=nomenclature,
        bracket=get(cells, "trancheEffectifsEtablissement"),
        x=number_or_none(get(cells, "coordonneeLambertAbscisseEtablissement")),
        y=number_or_none(get(cells, "coordonneeLambertOrdonneeEtablissement")),
        open=(get(cells, "etatAdministratifEtablissement") or "A").upper() != "F",
        head_office=head,
        address=street or None,
        naf25=get(cells, "activitePrincipaleNAF25Etablissement"),
    )


@dataclass(frozen=True)
class LegalUnit:
    """What INSEE's legal-units file says of a company: its name and legal category."""

    line: int
    name: str | None
    category: str | None


#: Legal categories (INSEE, level III) that tell a public body's kind; see :func:`kind_of`.
_PUBLIC_KINDS: dict[str, ActorKind] = {
    "7210": ActorKind.COMMUNE,  # commune et commune nouvelle
    "7343": ActorKind.EPCI,  # communauté urbaine
    "7344": ActorKind.EPCI,  # métropole
    "7346": ActorKind.EPCI,  # communauté de communes
    "7348": ActorKind.EPCI,  # communauté d'agglomération
    "7353": ActorKind.SYNDICAT,  # syndicat intercommunal à vocation multiple
    "7354": ActorKind.SYNDICAT,  # syndicat intercommunal à vocation unique
    "7355": ActorKind.SYNDICAT,  # syndicat mixte fermé
}


def kind_of(category: str | None) -> ActorKind:
    """The kind of actor of a legal category (``categorieJuridiqueUniteLegale``).

    Territorial bodies (72xx), intercommunal bodies and syndicates (734x, 735x) get their
    own kinds; other public-law bodies (7xxx) and public industrial and commercial bodies
    (41xx) are public establishments; associations (92xx) are associations; the rest are
    companies.

    Examples
    --------
    >>> [kind_of(c).value for c in ("5710", "7210", "7220", "7348", "7354")]
    ['entreprise', 'commune', 'collectivite', 'epci', 'syndicat']
    >>> [kind_of(c).value for c in ("4140", "7361", "9220")]
    ['etablissement_public', 'etablissement_public', 'association']
    >>> kind_of(None).value
    'entreprise'
    """
    if not category:
        return ActorKind.ENTREPRISE
    if category in _PUBLIC_KINDS:
        return _PUBLIC_KINDS[category]
    if category.startswith("72"):
        return ActorKind.COLLECTIVITE
    if category.startswith(("7", "41")):
        return ActorKind.ETABLISSEMENT_PUBLIC
    if category.startswith("92"):
        return ActorKind.ASSOCIATION
    return ActorKind.ENTREPRISE


def _legal_name(get: Callable[[str], str | None]) -> str | None:
    name = get("denominationUniteLegale") or get("denominationUsuelle1UniteLegale")
    if name:
        sigle = get("sigleUniteLegale")
        return f"{name} ({sigle})" if sigle and sigle.upper() not in name.upper() else name
    last = get("nomUsageUniteLegale") or get("nomUniteLegale")
    if not last:
        return None
    first = get("prenomUsuelUniteLegale") or get("prenom1UniteLegale")
    return f"{first} {last}" if first else last


def read_legal_units(path: Path, sirens: set[str], collector: Collector) -> dict[str, LegalUnit]:
    """Stream INSEE's legal-units file and keep the units of the given SIREN numbers.

    ``path`` is ``StockUniteLegale_utf8.zip`` as INSEE distributes it, the CSV inside it, or
    an excerpt with its header. One row at a time: memory holds only the units asked for.
    """
    found: dict[str, LegalUnit] = {}
    with CsvRows(path, collector, LEGAL_UNIT_COLUMNS) as rows:
        header = rows.header
        expected = "le fichier StockUniteLegale de la base SIRENE (siren, denominationUniteLegale…)"
        if header is None:
            return found
        if "siret" in {name.strip().lower() for name in header.names}:
            # Both stock files have « siren »: the establishments' one would name nobody.
            collector.error(
                1,
                None,
                "c'est le fichier StockEtablissement (colonne siret), pas celui des unités "
                "légales : donnez StockUniteLegale_utf8.zip à --unites-legales",
            )
            return found
        required = ("siren", "categorieJuridiqueUniteLegale")
        if not check_columns(header, collector, required, expected=expected):
            return found
        index = header.index
        position = index["siren"]
        for line, cells in rows:
            siren = cells[position]
            if siren not in sirens:
                continue

            def get(column: str, cells: list[str] = cells) -> str | None:
                at = index.get(column)
                return None if at is None else clean(cells[at])

            found[siren] = LegalUnit(line, _legal_name(get), get("categorieJuridiqueUniteLegale"))
    return found


def _named(own: str | None, legal: str | None) -> str | None:
    """An establishment's name: its own sign or usual name, with its company's name."""
    if legal is None or (own is not None and own.upper() == legal.upper()):
        return own
    return legal if own is None else f"{own} ({legal})"


def parse_naf_prefixes(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """Read ``--naf`` prefixes (``"24,20,10.8"``) into dotless prefixes.

    Examples
    --------
    >>> parse_naf_prefixes("24, 20,10.8")
    ('24', '20', '108')
    """
    if text is None:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    return tuple(p for p in (i.strip().replace(".", "").upper() for i in items) if p)


def to_wgs84(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convert Lambert 93 points (x, y) to WGS84 (lon, lat) in one call.

    Examples
    --------
    >>> [(round(lon, 3), round(lat, 3)) for lon, lat in to_wgs84([(700000.0, 6600000.0)])]
    [(3.0, 46.5)]
    """
    if not points:
        return []
    xs, ys = zip(*points, strict=True)
    lons, lats = _lambert93_to_wgs84().transform(xs, ys)
    return list(zip(lons, lats, strict=True))


def _metropolitan(insee: str | None) -> bool:
    # Lambert 93 covers metropolitan France; overseas rows carry another projection.
    return insee is not None and not insee.startswith("97")


def _actor(
    item: Establishment,
    lon_lat: tuple[float, float] | None,
    path: Path,
    unit: tuple[LegalUnit, Path] | None = None,
) -> Actor:
    try:
        siret: str | None = check_siret(item.siret)
    except ValueError:
        siret = None
    where = provenance(DATASET, path, f"ligne {item.line}")
    kind = ActorKind.ENTREPRISE
    name = item.name
    if unit is not None:
        legal, legal_path = unit
        name = _named(item.name, legal.name)
        kind = kind_of(legal.category)
        where += " ; nom : " + provenance(LEGAL_UNIT_DATASET, legal_path, f"ligne {legal.line}")
    name = name or f"Établissement {item.siret}"
    location: dict[str, object] = commune_fields(item.insee)
    if lon_lat is not None:
        location |= {"lon": round(lon_lat[0], 6), "lat": round(lon_lat[1], 6)}
    tags = ["sirene"] + (["siege"] if item.head_office else [])
    return Actor(
        id=f"etab-{item.siret}",
        name=name[:300],
        kind=kind,
        siret=siret,
        naf=item.naf,
        employees=item.employees,
        tags=tuple(tags),
        description=item.describe(),
        provenance=where,
        **location,
    )


def _coordinates(
    items: list[Establishment], collector: Collector
) -> list[tuple[float, float] | None]:
    wanted = [
        i
        for i, e in enumerate(items)
        if e.x is not None and e.y is not None and _metropolitan(e.insee)
    ]
    points = to_wgs84([(items[i].x or 0.0, items[i].y or 0.0) for i in wanted])
    result: list[tuple[float, float] | None] = [None] * len(items)
    for i, (lon, lat) in zip(wanted, points, strict=True):
        if -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0:  # noqa: PLR2004
            result[i] = (lon, lat)
        else:
            collector.count("bad-point")
    return result


def _passes(
    item: Establishment, prefixes: tuple[str, ...], min_employees: int | None, collector: Collector
) -> bool:
    if not item.open:
        collector.count("closed")
        return False
    if prefixes:
        if item.naf is None:
            collector.count("naf-unknown")
            return False
        if not item.naf.replace(".", "").startswith(prefixes):
            return False
    if min_employees is not None:
        if item.employees is None:
            collector.count("employees-unknown")
            return False
        if item.employees < min_employees:
            return False
    return True


def iter_establishments(
    path: Path, territory: TerritoryFilter, collector: Collector
) -> Iterable[Establishment]:
    """Stream the establishments of a territory from a SIRENE stock file.

    Memory stays flat: one row at a time, and only rows whose commune lies in the territory
    are turned into :class:`Establishment` records.
    """
    codes = territory.communes
    departements = territory.departements
    with CsvRows(path, collector, COLUMNS) as rows:
        header = rows.header
        if header is None or not check_columns(header, collector, _REQUIRED, expected=_EXPECTED):
            return
        columns = _Columns(header)
        position = columns.commune
        seen = kept = 0
        for line, cells in rows:
            seen += 1
            insee = cells[position]
            if insee in codes or (departements and departement_of(insee) in departements):
                kept += 1
                yield _establishment(columns, line, cells)
        collector.seen += seen
        collector.outside += seen - kept


def read_sirene(  # noqa: PLR0913  # the command line's filters, all keyword-only
    path: Path | str,
    territory: str | TerritoryFilter,
    *,
    naf: str | Iterable[str] | None = None,
    min_employees: int | None = None,
    legal_units: Path | str | None = None,
    theme: str | Theme | None = None,
    report: list[Problem] | None = None,
    allow_empty: bool = False,
) -> Toile:
    r"""Read the establishments of a territory from the SIRENE stock file into a toile.

    Parameters
    ----------
    path
        ``StockEtablissement_utf8.zip`` as INSEE distributes it, the CSV inside it, or an
        excerpt with the same header (zipped or not).
    territory
        ``--territory`` text or a :class:`TerritoryFilter` (``codeCommuneEtablissement``).
    naf
        NAF code prefixes to keep (``"24,20,10.8"``); only ``NAFRev2`` codes are compared.
    min_employees
        Keep establishments whose employee bracket starts at this number or above; those of
        unknown bracket are left out.
    legal_units
        ``StockUniteLegale_utf8.zip`` (INSEE's legal units, as distributed, or its CSV or
        an excerpt): names each establishment kept after its company (« BIGMAT (SOCIETE
        X) » for a sign, the company's name otherwise) and sets its kind from the legal
        category (commune, EPCI, syndicate, public body, association). Read after the
        establishments, one row at a time, keeping only their SIREN numbers. Without it,
        most establishments have no name in the stock file and are named by their SIRET.
    theme
        Theme of the toile; ``autre`` by default.
    report
        A list the warnings are appended to.
    allow_empty
        Return an empty toile instead of raising when nothing is kept.

    Returns
    -------
    Toile
        One ``entreprise`` actor per open establishment kept; no flow.

    Raises
    ------
    ValidationError
        When the file is malformed, with every problem located.

    Notes
    -----
    One pass, rows filtered on their commune before anything else is read; coordinates of
    the kept rows converted in one pyproj call. Closed establishments (``F``) are left out.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "StockEtablissement.csv"
    >>> _ = path.write_text(
    ...     "siren,nic,siret,trancheEffectifsEtablissement,codeCommuneEtablissement,"
    ...     "etatAdministratifEtablissement,activitePrincipaleEtablissement,"
    ...     "nomenclatureActivitePrincipaleEtablissement,enseigne1Etablissement\n"
    ...     "732829320,00074,73282932000074,21,62119,A,24.10Z,NAFRev2,ACIERIE\n"
    ...     "732829320,00082,73282932000082,21,59350,A,24.10Z,NAFRev2,AILLEURS\n",
    ...     encoding="utf-8",
    ... )
    >>> [(a.id, a.naf, a.employees) for a in read_sirene(path, "CABBALR").actors]
    [('etab-73282932000074', '24.10Z', 50)]
    """
    source, filt, collector, chosen = start_import(path, territory, theme, Theme.AUTRE)
    prefixes = parse_naf_prefixes(naf)
    kept: list[Establishment] = []
    seen: set[str] = set()
    for item in iter_establishments(source, filt, collector):
        if item.siret in seen:
            collector.count("duplicate")
            continue
        if _passes(item, prefixes, min_employees, collector):
            seen.add(item.siret)
            kept.append(item)
            if item.nomenclature and item.naf_raw and item.naf is None:
                collector.count("old-naf")  # only the establishments kept: their NAF is left out
    collector.raise_if_errors()
    units, legal_path = _units_of(kept, legal_units, collector)
    points = _coordinates(kept, collector)
    actors = []
    for item, point in zip(kept, points, strict=True):
        if not item.siret.isdigit():
            collector.warning(
                item.line, "siret", "SIRET attendu (14 chiffres) : ignoré", item.siret
            )
            continue
        unit = units.get(item.siret[:9])
        actor = _actor(item, point, source, None if unit is None else (unit, legal_path))
        if actor.siret is None:
            collector.warning(item.line, "siret", "SIRET invalide (clé de Luhn)", item.siret)
        actors.append(actor)
    _summarise(collector)
    # Establishments of one company in the toile: by their commune, then their NIC.
    actors = distinguish(actors, _commune_name, lambda a: f"établissement {(a.siret or '')[9:]}")
    return build_toile(
        source="sirene",
        dataset=DATASET,
        path=source,
        territory=filt,
        theme=chosen,
        name="Établissements (SIRENE)",
        actors=actors,
        flows=[],
        collector=collector,
        report=report,
        allow_empty=allow_empty,
        filters=_filters(prefixes, min_employees),
        also_from=((LEGAL_UNIT_DATASET, legal_path),) if legal_units is not None else (),
    )


def _commune_name(actor: Actor) -> str | None:
    commune = current_commune(actor.commune_insee) if actor.commune_insee else None
    return commune.name if commune is not None else None


def _units_of(
    kept: list[Establishment], legal_units: Path | str | None, collector: Collector
) -> tuple[dict[str, LegalUnit], Path]:
    """Read the legal units of the establishments kept; problems go to ``collector``."""
    if legal_units is None:
        return {}, Path()
    path = Path(legal_units)
    units_collector = Collector(str(path))
    units: dict[str, LegalUnit] = {}
    if check_file(path, units_collector):
        units = read_legal_units(path, {item.siret[:9] for item in kept}, units_collector)
    collector.problems.extend(units_collector.problems)
    collector.raise_if_errors()
    missing = sorted({item.siret[:9] for item in kept} - set(units))
    if missing:
        collector.warning(
            None,
            "siren",
            f"{len(missing)} SIREN absent(s) du fichier des unités légales "
            f"({named_list(missing, 5)}) : établissement(s) nommé(s) par leur enseigne ou "
            "leur SIRET",
        )
    return units, path


def _filters(prefixes: tuple[str, ...], min_employees: int | None) -> str:
    parts = ["établissements ouverts"]
    if prefixes:
        parts.append(f"NAF {', '.join(prefixes)}")
    if min_employees is not None:
        parts.append(f"au moins {min_employees} salariés")
    return ", ".join(parts)


def _summarise(collector: Collector) -> None:
    collector.summarise("closed", "{n} établissement(s) fermé(s) : ignorés")
    collector.summarise(
        "old-naf",
        "{n} établissement(s) gardé(s) codé(s) dans une ancienne nomenclature (NAFRev1, NAF1993, "
        "NAP) : code NAF non repris",
    )
    collector.summarise(
        "naf-unknown", "{n} établissement(s) sans code NAF rév. 2 : hors filtre --naf"
    )
    collector.summarise(
        "employees-unknown", "{n} établissement(s) de tranche d'effectif inconnue : hors filtre"
    )
    collector.summarise("duplicate", "{n} SIRET en double : le premier est gardé")
    collector.summarise("bad-point", "{n} coordonnée(s) Lambert 93 hors limites : ignorée(s)")


@dataclass
class EnrichReport:
    """What :func:`enrich_toile` did: fields filled per actor, and what it could not do."""

    source: str
    filled: dict[str, dict[str, str]] = field(default_factory=dict)
    kept: dict[str, dict[str, str]] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of fields filled, all actors together."""
        return sum(len(fields) for fields in self.filled.values())

    def lines(self) -> list[str]:
        """The report in French, one line per actor.

        Examples
        --------
        >>> report = EnrichReport("sirene.csv", filled={"usine": {"naf": "24.10Z"}})
        >>> report.lines()[0]
        'usine : naf = 24.10Z — Sidérurgie'
        """
        result = [
            f"{actor} : " + ", ".join(f"{k} = {_shown(k, v)}" for k, v in fields.items())
            for actor, fields in self.filled.items()
        ]
        result += [
            f"{actor} : valeur saisie gardée pour "
            + ", ".join(f"{k} (SIRENE : {_shown(k, v)})" for k, v in fields.items())
            for actor, fields in self.kept.items()
        ]
        if self.not_found:
            result.append(f"SIRET absent du fichier : {', '.join(self.not_found)}")
        if self.closed:
            result.append(f"établissement fermé selon SIRENE : {', '.join(self.closed)}")
        actors = len(self.filled)
        result.append(
            f"{self.count} champ(s) rempli(s) pour {actors} acteur(s) depuis {self.source}"
        )
        return result


def _shown(name: str, value: str) -> str:
    """A filled value as a person reads it: a NAF code with its label."""
    return naf_display(value) if name == "naf" else value


def _proposed(
    item: Establishment, lon_lat: tuple[float, float] | None, path: Path
) -> dict[str, object]:
    values: dict[str, object] = {
        "naf": item.naf,
        "employees": item.employees,
        "commune_insee": item.insee,
        "description": item.describe(),
        "provenance": provenance(DATASET, path, f"ligne {item.line}"),
    }
    commune = current_commune(item.insee or "")
    if commune is not None and commune.epci_siren:
        values["epci"] = commune.epci
    if lon_lat is not None:
        values["lat"] = round(lon_lat[1], 6)
        values["lon"] = round(lon_lat[0], 6)
    return {k: v for k, v in values.items() if v is not None}


def _enrich_actor(actor: Actor, proposed: dict[str, object], report: EnrichReport) -> Actor:
    current = actor.model_dump()
    updates: dict[str, object] = {}
    for name, value in proposed.items():
        if name in {"lat", "lon"}:
            continue
        if current.get(name) in (None, ""):
            updates[name] = value
        elif name in {"naf", "employees", "commune_insee"} and current[name] != value:
            report.kept.setdefault(actor.id, {})[name] = str(value)
    if "lat" in proposed and current.get("lat") is None and current.get("lon") is None:
        updates["lat"], updates["lon"] = proposed["lat"], proposed["lon"]
    if "epci" in updates and current.get("commune_insee") not in (
        None,
        proposed.get("commune_insee"),
    ):
        del updates["epci"]  # the commune a person entered decides the EPCI
    if not updates:
        return actor
    report.filled[actor.id] = {k: str(v) for k, v in updates.items()}
    return Actor.model_validate(current | updates)


def enrich_toile(toile: Toile, sirene_path: Path | str) -> tuple[Toile, EnrichReport]:
    r"""Fill the empty fields of a toile's actors from the SIRENE stock file, by SIRET.

    Only empty fields are filled (NAF rév. 2 code, employees, commune and EPCI,
    coordinates, description, provenance); a value a person entered is never overwritten,
    and when SIRENE says otherwise the report lists it under ``kept``.

    Parameters
    ----------
    toile
        The toile whose actors with a SIRET are looked up.
    sirene_path
        ``StockEtablissement_utf8.zip`` or the CSV inside it (or an excerpt), streamed:
        memory stays flat.

    Returns
    -------
    tuple
        The enriched toile and an :class:`EnrichReport` of what was filled per actor.

    Raises
    ------
    ValidationError
        When the SIRENE file is malformed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from toiles.models import Actor, Toile
    >>> path = Path(tempfile.mkdtemp()) / "sirene.csv"
    >>> _ = path.write_text(
    ...     "siret,codeCommuneEtablissement,activitePrincipaleEtablissement,"
    ...     "nomenclatureActivitePrincipaleEtablissement,trancheEffectifsEtablissement\n"
    ...     "73282932000074,62119,24.10Z,NAFRev2,22\n",
    ...     encoding="utf-8",
    ... )
    >>> toile = Toile(id="t", name="T", theme="energie", actors=[
    ...     Actor(id="usine", name="Usine", kind="entreprise", siret="73282932000074",
    ...           employees=180)])
    >>> enriched, report = enrich_toile(toile, path)
    >>> enriched.actors[0].naf, enriched.actors[0].employees, enriched.actors[0].epci
    ('24.10Z', 180, 'CABBALR')
    >>> report.kept
    {'usine': {'employees': '100'}}
    """
    source = Path(sirene_path)
    collector = Collector(str(source))
    report = EnrichReport(str(source))
    wanted = {a.siret: a.id for a in toile.actors if a.siret}
    found: dict[str, Establishment] = {}
    if not check_file(source, collector):
        collector.raise_if_errors()
    with CsvRows(source, collector, COLUMNS) as rows:
        header = rows.header
        if header is not None and check_columns(header, collector, _REQUIRED, expected=_EXPECTED):
            columns = _Columns(header)
            position = columns.siret
            for line, cells in rows:
                if cells[position] in wanted and cells[position] not in found:
                    found[cells[position]] = _establishment(columns, line, cells)
    collector.raise_if_errors()
    items = list(found.values())
    points = dict(zip((i.siret for i in items), _coordinates(items, collector), strict=True))
    actors: list[Actor] = []
    for actor in toile.actors:
        item = found.get(actor.siret or "")
        if item is None:
            if actor.siret:
                report.not_found.append(actor.id)
            actors.append(actor)
            continue
        if not item.open:
            report.closed.append(actor.id)
        actors.append(_enrich_actor(actor, _proposed(item, points[item.siret], source), report))
    report.problems = collector.problems
    enriched = type(toile).model_validate(toile.model_dump() | {"actors": actors})
    return enriched, report
