"""The ``--territory`` filter of the Open Data importers: communes, départements, EPCI.

A territory is written as a comma- (or semicolon-) separated list of:

- INSEE commune codes (``62119``, ``2A004``);
- département codes (``62``, ``2A``, ``971``);
- regions by name (``Hauts-de-France``, ``région Normandie``) or ``R`` + INSEE code
  (``R32``): their départements;
- EPCI of France, by SIREN (``248000531``) or name (``CA Amiens Métropole``); the Artois
  agency's four also by short name (``CABBALR``, ``CALL``, ``CC Ternois Com``,
  ``CC des 7 Vallées``); ``Artois`` stands for the four.

The national commune table bundled with the package (:func:`toiles.territory.national_communes`)
gives every EPCI's communes. Filtering is exact: a row belongs to the territory when its
INSEE commune code (or, for an old commune code, the code of the commune it joined) is one
of the listed communes, or lies in a listed département.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from toiles.errors import Problem, ValidationError
from toiles.models._checks import check_insee
from toiles.models.vocab import fold
from toiles.territory import (
    EPCI_SHORT_NAMES,
    REGIONS,
    current_commune,
    find_epci,
    find_region,
    national_communes,
    national_epci,
)

_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")
_SEPARATORS = re.compile(r"[,;+]")
_ALL_ARTOIS = {"artois", "aulartois", "aud artois", "agence d'urbanisme de l'artois"}


def departement_of(insee: str) -> str:
    """Return the département code of an INSEE commune code.

    Examples
    --------
    >>> departement_of("62119"), departement_of("97105"), departement_of("2A004")
    ('62', '971', '2A')
    """
    return insee[:3] if insee.startswith("97") else insee[:2]


@dataclass(frozen=True)
class TerritoryFilter:
    """An exact filter on INSEE commune codes, built by :func:`parse_territory`."""

    label: str
    communes: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    epci: tuple[str, ...] = ()

    def contains(self, insee: str | None) -> bool:
        """Tell whether a commune (by INSEE code) lies in the territory.

        Examples
        --------
        >>> t = parse_territory("CALL, 59")
        >>> t.contains("62498"), t.contains("59350"), t.contains("62119"), t.contains(None)
        (True, True, False, False)
        """
        if not insee:
            return False
        if insee in self.communes or departement_of(insee) in self.departements:
            return True
        commune = current_commune(insee) if self.communes else None
        return commune is not None and commune.insee in self.communes

    def covers_departement(self, code: str | None) -> bool:
        """Tell whether a whole département lies in the territory."""
        return code is not None and code in self.departements

    @property
    def epci_names(self) -> tuple[str, ...]:
        """Names of the EPCI the territory names or touches (Artois short names)."""
        names = [EPCI_SHORT_NAMES.get(s) or national_epci().get(s, s) for s in self.epci]
        for insee in sorted(self.communes):
            commune = national_communes().get(insee)
            if commune is None or not commune.epci_siren or commune.epci_siren in self.epci:
                continue
            if commune.epci not in names:
                names.append(commune.epci)
        return tuple(names)


def _unknown(token: str, text: str) -> ValidationError:
    msg = (
        f"territoire inconnu : « {token} » n'est ni un code INSEE de commune (ex. 62119), "
        "ni un code de département (ex. 62), ni une région (ex. Hauts-de-France), "
        "ni le SIREN ou le nom exact d'un EPCI (ex. 200072460, CA Amiens Métropole, CABBALR)"
    )
    close = _closest_name(token)
    if close is not None:
        msg += f" ; vouliez-vous dire « {close} » ?"
    return ValidationError([Problem("--territory", None, None, msg, text)])


def _closest_name(token: str) -> str | None:
    """The region or EPCI name nearest a mistyped one (« Haut-de-France »), if any is close."""
    names = [region[1] for region in REGIONS]
    names += [*EPCI_SHORT_NAMES.values(), *national_epci().values()]
    by_folded = {fold(name): name for name in names}
    found = difflib.get_close_matches(fold(token), list(by_folded), n=1, cutoff=0.85)
    return by_folded[found[0]] if found else None


def _not_a_commune(code: str, text: str) -> ValidationError:
    served = sorted(
        c.insee for c in national_communes().values() if code in c.postal_codes and not c.parent
    )
    hint = (
        f" ; c'est le code postal de : {', '.join(served[:5])}"
        + (f" et {len(served) - 5} autre(s)" if len(served) > 5 else "")  # noqa: PLR2004
        if served
        else ""
    )
    msg = f"« {code} » n'est le code INSEE d'aucune commune{hint}"
    return ValidationError([Problem("--territory", None, None, msg, text)])


def parse_territory(text: str) -> TerritoryFilter:
    """Read a ``--territory`` value into an exact filter.

    Raises
    ------
    ValidationError
        With a French message for an unknown EPCI or a malformed code.

    Examples
    --------
    >>> t = parse_territory("CABBALR")
    >>> t.label, len(t.communes) > 90, t.epci
    ('CABBALR', True, ('200072460',))
    >>> sorted(parse_territory("62119; 62").departements)
    ['62']
    >>> parse_territory("CA Amiens Métropole").epci_names
    ('CA Amiens Métropole',)
    >>> t = parse_territory("Hauts-de-France")
    >>> t.label, sorted(t.departements), t.contains("80489")
    ('Hauts-de-France', ['02', '59', '60', '62', '80'], True)
    >>> parse_territory("75001")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.ValidationError: 1 erreur(s)...« 75001 »...INSEE...postal de : 75056...
    >>> parse_territory("CA du Pays Imaginaire")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.ValidationError: 1 erreur(s)...territoire inconnu : « CA du Pays Imaginaire »...
    """
    tokens = _merge_names([t.strip() for t in _SEPARATORS.split(text) if t.strip()])
    if not tokens:
        msg = "territoire vide : codes INSEE, code de département ou EPCI attendus"
        raise ValidationError([Problem("--territory", None, None, msg, text)])
    codes: set[str] = set()
    departements: set[str] = set()
    epci: list[str] = []
    labels: list[str] = []
    for token in tokens:
        upper = token.upper()
        if _COMMUNE.match(upper):
            commune = national_communes().get(check_insee(upper))
            if commune is None:
                raise _not_a_commune(upper, text)
            codes.add(upper)
            labels.append(commune.name)
        elif _DEPARTEMENT.match(upper):
            departements.add(upper)
            labels.append(f"département {upper}")
        elif (region := find_region(token)) is not None:
            departements.update(region[2])
            labels.append(region[1])
        elif token.lower() in _ALL_ARTOIS:
            for siren in EPCI_SHORT_NAMES:
                _add_epci(siren, codes, epci)
            labels.append("Artois")
        else:
            found = find_epci(token)
            if found is None:
                raise _unknown(token, text)
            _add_epci(found, codes, epci)
            labels.append(EPCI_SHORT_NAMES.get(found) or national_epci()[found])
    label = ", ".join(labels) if len(labels) <= 3 else f"{', '.join(labels[:3])}…"  # noqa: PLR2004
    return TerritoryFilter(label, frozenset(codes), frozenset(departements), tuple(epci))


def _merge_names(tokens: list[str]) -> list[str]:
    """Join back EPCI names that hold a comma (``CA de Béthune-Bruay, Artois-Lys Romane``)."""
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        pair = f"{tokens[index]}, {tokens[index + 1]}" if index + 1 < len(tokens) else None
        if pair is not None and find_epci(tokens[index]) is None and find_epci(pair) is not None:
            merged.append(pair)
            index += 2
        else:
            merged.append(tokens[index])
            index += 1
    return merged


def _add_epci(siren: str, codes: set[str], epci: list[str]) -> None:
    if siren not in epci:
        epci.append(siren)
    codes.update(c.insee for c in national_communes().values() if c.epci_siren == siren)


def as_territory(territory: str | TerritoryFilter) -> TerritoryFilter:
    """Accept a filter or its text."""
    return territory if isinstance(territory, TerritoryFilter) else parse_territory(territory)
