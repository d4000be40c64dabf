"""The communes and EPCI bundled with the package: the Artois territory, and all of France.

Two tables ship in ``toiles/data`` (credits in ``toiles/data/README.md``):

- ``artois_communes.csv``: the 92 communes of the Artois agency's four EPCI
  (:func:`communes`), used by the drawings and the reference toiles;
- ``communes_fr.csv.gz``: every French commune and municipal arrondissement, with old
  (delegated, associated) commune codes pointing to their commune
  (:func:`national_communes`), used by the Open Data importers to place and filter rows of
  any territory. Built by ``scripts/build_communes_fr.py`` from INSEE's official geographic
  code, the DGCL's EPCI register and La Poste's postal codes (via
  ``@etalab/decoupage-administratif`` 6.0.0, Licence Ouverte) and GeoNames points
  (``cities500``, CC BY 4.0) for the commune centres.
"""

from __future__ import annotations

import csv
import functools
import gzip
import math
import re
from dataclasses import dataclass
from pathlib import Path

from toiles.models.vocab import fold

_DATA = Path(__file__).parent / "data" / "artois_communes.csv"
_NATIONAL = Path(__file__).parent / "data" / "communes_fr.csv.gz"
_EARTH_RADIUS_KM = 6371.0088
_ABBREVIATIONS = (
    (r"^st ", "saint "),
    (r"^ste ", "sainte "),
    (r" st ", " saint "),
    (r" ste ", " sainte "),
)
_CEDEX = re.compile(r"\s+cedex.*$", re.IGNORECASE)
_NOISE = re.compile(r"\b(cedex.*|commune de |ville de |mairie de )", re.IGNORECASE)

#: The four EPCI of the Artois agency: SIREN -> short name used in toiles.
EPCI_SHORT_NAMES: dict[str, str] = {
    "200072460": "CABBALR",
    "246200364": "CALL",
    "200069672": "CC Ternois Com",
    "200044030": "CC des 7 Vallées",
}

#: The regions of France (INSEE code, name, départements), as the Code officiel géographique
#: has them since 2016.
REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("01", "Guadeloupe", ("971",)),
    ("02", "Martinique", ("972",)),
    ("03", "Guyane", ("973",)),
    ("04", "La Réunion", ("974",)),
    ("06", "Mayotte", ("976",)),
    ("11", "Île-de-France", ("75", "77", "78", "91", "92", "93", "94", "95")),
    ("24", "Centre-Val de Loire", ("18", "28", "36", "37", "41", "45")),
    ("27", "Bourgogne-Franche-Comté", ("21", "25", "39", "58", "70", "71", "89", "90")),
    ("28", "Normandie", ("14", "27", "50", "61", "76")),
    ("32", "Hauts-de-France", ("02", "59", "60", "62", "80")),
    ("44", "Grand Est", ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88")),
    ("52", "Pays de la Loire", ("44", "49", "53", "72", "85")),
    ("53", "Bretagne", ("22", "29", "35", "56")),
    (
        "75",
        "Nouvelle-Aquitaine",
        ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),
    ),
    (
        "76",
        "Occitanie",
        ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),
    ),
    (
        "84",
        "Auvergne-Rhône-Alpes",
        ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),
    ),
    ("93", "Provence-Alpes-Côte d'Azur", ("04", "05", "06", "13", "83", "84")),
    ("94", "Corse", ("2A", "2B")),
)


def find_region(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Find a region by its name (case, accents and « région » ignored) or ``R`` + code.

    Examples
    --------
    >>> find_region("hauts de france")[2]
    ('02', '59', '60', '62', '80')
    >>> find_region("Région Île-de-France")[0], find_region("R32")[1], find_region("Picardie")
    ('11', 'Hauts-de-France', None)
    """
    key = _name_key(text)
    key = key.removeprefix("region ").strip()
    for region in REGIONS:
        code, name, _ = region
        if key in {_name_key(name), f"r{code}"}:
            return region
    return None


CREDIT = (
    "Communes : INSEE, Code officiel géographique et registre des EPCI "
    "(via @etalab/decoupage-administratif, Licence Ouverte) ; coordonnées : GeoNames (CC BY 4.0)"
)


@dataclass(frozen=True)
class Commune:
    """A commune of the territory."""

    insee: str
    name: str
    epci_siren: str
    epci_name: str
    population: int
    postal_codes: tuple[str, ...]
    lat: float | None
    lon: float | None
    departement: str = ""
    parent: str = ""

    @property
    def epci(self) -> str:
        """Short name of the commune's EPCI (``CABBALR``, ``CALL``...)."""
        return EPCI_SHORT_NAMES.get(self.epci_siren, self.epci_name)


@functools.cache
def communes() -> dict[str, Commune]:
    """Return the bundled communes by INSEE code (read once, on first use)."""
    result: dict[str, Commune] = {}
    with _DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["commune_insee"]] = Commune(
                insee=row["commune_insee"],
                name=row["nom"],
                epci_siren=row["epci_siren"],
                epci_name=row["epci_nom"],
                population=int(row["population"]),
                postal_codes=tuple(row["codes_postaux"].split()),
                lat=float(row["lat"]) if row["lat"] else None,
                lon=float(row["lon"]) if row["lon"] else None,
            )
    return result


@functools.cache
def _by_name() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in communes().values():
        index.setdefault(fold(commune.name).replace("-", " "), []).append(commune)
    return index


def find_commune(text: str) -> Commune | None:
    """Find a commune by INSEE code or by name (case and accents ignored), if unique.

    Examples
    --------
    >>> find_commune("bethune").insee
    '62119'
    >>> find_commune("62498").name
    'Lens'
    """
    if text in communes():
        return communes()[text]
    matches = _by_name().get(fold(text).replace("-", " "), [])
    return matches[0] if len(matches) == 1 else None


def epci_of(text: str) -> str | None:
    """Return the SIREN of one of the four EPCI named by SIREN, short name or full name."""
    key = fold(text)
    for siren, short in EPCI_SHORT_NAMES.items():
        if key in {siren, fold(short)}:
            return siren
    for commune in communes().values():
        if key == fold(commune.epci_name):
            return commune.epci_siren
    aliases = {"ternois com": "200069672", "7 vallees": "200044030", "cc 7 vallees": "200044030"}
    return aliases.get(key)


@functools.cache
def national_communes() -> dict[str, Commune]:
    """Return every French commune by INSEE code, from the bundled national table.

    Municipal arrondissements (``75101``...) and old delegated or associated communes
    (codes still found in national files) are included; their ``parent`` is the commune
    they belong to, and they carry that commune's EPCI. Read once, on first use (about
    37,000 rows, a quarter of a second).

    Examples
    --------
    >>> national_communes()["80489"].name, national_communes()["80489"].epci_name
    ('Longueau', 'CA Amiens Métropole')
    >>> national_communes()["75101"].parent
    '75056'
    """
    result: dict[str, Commune] = {}
    with gzip.open(_NATIONAL, mode="rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        column = {name: i for i, name in enumerate(next(rows))}
        insee, name, dep, siren, epci = (
            column[c] for c in ("insee", "nom", "departement", "epci_siren", "epci_nom")
        )
        postal, population, lat, lon, parent = (
            column[c] for c in ("codes_postaux", "population", "lat", "lon", "parent")
        )
        for row in rows:
            result[row[insee]] = Commune(
                row[insee],
                row[name],
                row[siren],
                row[epci],
                int(row[population] or 0),
                tuple(row[postal].split()),
                float(row[lat]) if row[lat] else None,
                float(row[lon]) if row[lon] else None,
                row[dep],
                row[parent],
            )
    return result


def current_commune(insee: str) -> Commune | None:
    """The current commune of an INSEE code (an old code gives the commune it joined).

    Examples
    --------
    >>> current_commune("01120").name  # Cordieux, associated with Montluel
    'Montluel'
    >>> current_commune("99999") is None
    True
    """
    commune = national_communes().get(insee)
    if commune is not None and commune.parent and not commune.postal_codes:
        return national_communes().get(commune.parent, commune)
    return commune


@functools.cache
def national_epci() -> dict[str, str]:
    """Return every EPCI of France: SIREN -> name (from the national commune table)."""
    return {c.epci_siren: c.epci_name for c in national_communes().values() if c.epci_siren}


def find_epci(text: str) -> str | None:
    """Find an EPCI of France by SIREN, name or the Artois short names; return its SIREN.

    Case, accents and punctuation are ignored; a name that two EPCI share is refused.

    Examples
    --------
    >>> find_epci("CA Amiens Métropole")
    '248000531'
    >>> find_epci("cabbalr"), find_epci("248500589")
    ('200072460', '248500589')
    """
    found = epci_of(text)
    if found is not None:
        return found
    if text.strip() in national_epci():
        return text.strip()
    matches = _epci_by_name().get(_name_key(text), ())
    return matches[0] if len(matches) == 1 else None


def _name_key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("'", " ").replace(",", " ").split())


@functools.cache
def _epci_by_name() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for siren, name in national_epci().items():
        index.setdefault(_name_key(name), []).append(siren)
    return {key: tuple(sirens) for key, sirens in index.items()}


@functools.cache
def _by_postal_code() -> dict[str, tuple[Commune, ...]]:
    index: dict[str, list[Commune]] = {}
    for commune in national_communes().values():
        for code in commune.postal_codes:
            index.setdefault(code, []).append(commune)
    return {code: tuple(found) for code, found in index.items()}


@functools.cache
def _by_national_name() -> dict[str, tuple[Commune, ...]]:
    index: dict[str, list[Commune]] = {}
    for commune in national_communes().values():
        index.setdefault(_name_key(commune.name), []).append(commune)
    return {key: tuple(found) for key, found in index.items()}


def commune_by_postal_code(postal_code: str | None, name: str | None) -> Commune | None:
    """Find the commune of a postal code and a commune name (as an address writes them).

    A postal code that serves one commune is enough; otherwise the name must match one of
    its communes (case, accents, hyphens and a ``Cedex`` ignored). Old communes found by
    name give their current commune.

    Examples
    --------
    >>> commune_by_postal_code("80330", "LONGUEAU").insee
    '80489'
    >>> commune_by_postal_code("62400", "Béthune").insee
    '62119'
    >>> commune_by_postal_code("62400", None) is None  # several communes share 62400
    True
    """
    candidates = _by_postal_code().get((postal_code or "").strip(), ())
    if name:
        key = _name_key(_CEDEX.sub("", name))
        named = [c for c in candidates if _name_key(c.name) == key]
        if not named and not candidates:
            named = list(_by_national_name().get(key, ()))
            if len(named) != 1:
                return None
        if named:
            return current_commune(named[0].insee)
    current = {c.insee for c in candidates if not c.parent}
    if len(current) == 1:
        return national_communes()[current.pop()]
    return None


@functools.cache
def _centres() -> tuple[tuple[Commune, ...], object]:
    import numpy as np  # noqa: PLC0415  # heavy import, only when points are placed

    placed = tuple(
        c
        for c in national_communes().values()
        if c.lat is not None and c.lon is not None and not (c.parent and not c.postal_codes)
    )
    radians = np.radians(np.array([(c.lat, c.lon) for c in placed], dtype=float))
    return placed, radians


def nearest_commune(lat: float, lon: float) -> tuple[Commune, float]:
    """The commune whose centre is nearest to a point, and the distance to it in km.

    The centres are the GeoNames points of the national table (the town of each commune
    of 500 inhabitants or more, 14,741 of 34,969 communes): a point in a smaller commune
    is given the nearest bigger one, so the distance is the error to state with it.

    Examples
    --------
    >>> commune, km = nearest_commune(49.8705, 2.3620)  # a station of Longueau
    >>> commune.name, round(km, 1)
    ('Longueau', 0.3)
    """
    import numpy as np  # noqa: PLC0415

    placed, table = _centres()
    radians = np.asarray(table)
    phi, lam = math.radians(lat), math.radians(lon)
    # Haversine on all centres at once (vectorised; ~0.3 ms for 14,741 centres).
    sin_dphi = np.sin((radians[:, 0] - phi) / 2.0)
    sin_dlam = np.sin((radians[:, 1] - lam) / 2.0)
    h = sin_dphi**2 + np.cos(phi) * np.cos(radians[:, 0]) * sin_dlam**2
    best = int(np.argmin(h))
    distance = 2.0 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, float(h[best]))))
    return placed[best], distance


def point_fits_commune(insee: str, lat: float, lon: float, max_km: float = 30.0) -> bool:
    """Tell whether a point can lie in a commune: within ``max_km`` of its centre.

    National files carry filler coordinates (the BNPE export of Martinique has ouvrages at
    ``-67.489, 0.00013``, in the ocean off South America): such a point is not kept as the
    place of an actor of that commune. For a commune without a known centre, the point only
    has to be within ``max_km`` of some commune centre of France. An unknown commune code
    accepts any point.

    Examples
    --------
    >>> point_fits_commune("97212", 14.72, -61.05)  # Gros-Morne, Martinique
    True
    >>> point_fits_commune("97212", 0.00013259, -67.4892906)
    False
    """
    commune = current_commune(insee)
    if commune is None:
        return True
    if commune.lat is not None and commune.lon is not None:
        return _haversine_km(lat, lon, commune.lat, commune.lon) <= max_km
    return nearest_commune(lat, lon)[1] <= max_km


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2.0) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2.0) ** 2
    )
    return 2.0 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def find_commune_by_name(name: str, departement: str | None = None) -> Commune | None:
    """Find the current commune a place name designates, as national files write it.

    Upper case, missing accents, hyphens or spaces, ``ST``/``STE`` for Saint/Sainte, a
    trailing ``CEDEX`` or a leading « Commune de » are all accepted; an old (delegated)
    commune gives the commune it joined; a name shared by communes of several départements
    needs ``departement`` (``"20"`` stands for both Corsican départements). ``A - B``
    tries ``A`` then ``B``. ``None`` when nothing, or more than one commune, matches.

    Examples
    --------
    >>> find_commune_by_name("BETHUNE", "62").insee
    '62119'
    >>> find_commune_by_name("ST YRIEIX SUR CHARENTE", "16").name
    'Saint-Yrieix-sur-Charente'
    >>> find_commune_by_name("AURILLAC CEDEX", "15").name
    'Aurillac'
    >>> find_commune_by_name("TREFFORT - VAL-REVERMONT", "01").name
    'Val-Revermont'
    >>> find_commune_by_name("METROPOLE DE LYON", "69") is None
    True
    """
    text = _NOISE.sub(" ", name).strip(" -")
    key = _name_key(text)
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    found = {
        current.insee: current
        for commune in _by_national_name().get(key, ())
        if departement is None
        or commune.departement == departement
        or (departement == "20" and commune.departement in {"2A", "2B"})
        if (current := current_commune(commune.insee)) is not None
    }
    if len(found) == 1:
        return next(iter(found.values()))
    if not found and " - " in text:
        for part in text.split(" - "):
            commune = find_commune_by_name(part, departement)
            if commune is not None:
                return commune
    return None


_HINTED = re.compile(r"^(?P<name>.+?)\s*\(\s*(?P<hint>\d{5}|\d{2,3}|2[AB])\s*\)$", re.IGNORECASE)
_POSTAL_FIRST = re.compile(r"^(?P<hint>\d{5})\s+(?P<name>.+)$")
_POSTAL_LAST = re.compile(r"^(?P<name>.+?)\s+(?P<hint>\d{5})$")


def communes_named(name: str) -> list[Commune]:
    """Every current commune of France named ``name``, sorted by INSEE code.

    The name is normalised as :func:`find_commune_by_name` does (case, accents, ``ST``).

    Examples
    --------
    >>> [c.insee for c in communes_named("Rue")]
    ['80688']
    >>> len(communes_named("Saint-Martin")) > 1  # homonyms in several départements
    True
    """
    key = _name_key(_NOISE.sub(" ", name).strip(" -"))
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    found = {
        current.insee: current
        for commune in _by_national_name().get(key, ())
        if (current := current_commune(commune.insee)) is not None
    }
    return [found[k] for k in sorted(found)]


def resolve_commune_text(text: str) -> tuple[Commune | None, list[Commune]]:
    """Read a commune written by a person: a name, ``Nom (80)``, ``Nom (80120)``, ``80120 Nom``.

    Returns the commune when the text designates exactly one, else ``None`` with the
    communes it could designate (empty when none). The agency's own communes are tried
    first, then the national table; a département or postal code in the text chooses
    among homonyms.

    Examples
    --------
    >>> resolve_commune_text("Lens")[0].insee, resolve_commune_text("Amiens")[0].insee
    ('62498', '80021')
    >>> resolve_commune_text("Rue (80)")[0].insee, resolve_commune_text("80330 Longueau")[0].insee
    ('80688', '80489')
    >>> commune, candidates = resolve_commune_text("Beaumont")
    >>> commune is None, len(candidates) > 1
    (True, True)
    >>> resolve_commune_text("Nulle-Part-Sur-Rien")
    (None, [])
    """
    text = text.strip()
    hint: str | None = None
    for pattern in (_HINTED, _POSTAL_FIRST, _POSTAL_LAST):
        match = pattern.match(text)
        if match:
            text, hint = match.group("name").strip(), match.group("hint").upper()
            break
    if hint is None and (local := find_commune(text)) is not None:
        return local, []
    if hint is not None and len(hint) == 5:  # noqa: PLR2004  # a postal code
        found = commune_by_postal_code(hint, text)
        return (found, []) if found is not None else (None, communes_named(text))
    candidates = communes_named(text)
    if hint is not None:
        candidates = [c for c in candidates if c.departement == hint]
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates
