"""The communes and EPCI of the Artois agency's territory, bundled with the package.

Data: INSEE's official geographic code and the national register of intercommunalities
(via ``@etalab/decoupage-administratif`` 6.0.0, Licence Ouverte) and GeoNames points
(CC BY 4.0) for the 92 communes it lists. See ``docs/format.md`` for the credits.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from toiles.models.vocab import fold

_DATA = Path(__file__).parent / "data" / "artois_communes.csv"

#: The four EPCI of the Artois agency: SIREN -> short name used in toiles.
EPCI_SHORT_NAMES: dict[str, str] = {
    "200072460": "CABBALR",
    "246200364": "CALL",
    "200069672": "CC Ternois Com",
    "200044030": "CC des 7 Vallées",
}

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
