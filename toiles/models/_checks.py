"""Checks of French identifiers and codes shared by the models and the loaders."""

from __future__ import annotations

import re

_NAF = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")

# Divisions (first two digits) of the NAF rev. 2 nomenclature (INSEE, 2008).
NAF_DIVISIONS = frozenset(
    f"{division:02d}"
    for division in (
        *range(1, 4),
        *range(5, 34),
        *range(35, 40),
        41,
        42,
        43,
        *range(45, 48),
        *range(49, 54),
        55,
        56,
        *range(58, 67),
        68,
        *range(69, 76),
        *range(77, 83),
        84,
        85,
        *range(86, 89),
        *range(90, 100),
    )
)

# La Poste's establishments share one SIREN whose SIRETs follow another checksum rule.
_LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    """Tell whether a string of digits passes the Luhn checksum (SIREN and SIRET).

    Examples
    --------
    >>> luhn_ok("732829320")  # a real SIREN
    True
    >>> luhn_ok("732829321")
    False
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:  # noqa: PLR2004  # Luhn: fold two-digit products
                value -= 9
        total += value
    return total % 10 == 0


def check_siren(value: str) -> str:
    """Validate a SIREN (9 digits, Luhn) and return it normalised (spaces removed)."""
    siren = value.replace(" ", "").replace("\u00a0", "")
    if not (len(siren) == 9 and siren.isdigit()):  # noqa: PLR2004
        msg = "un SIREN a 9 chiffres"
        raise ValueError(msg)
    if not luhn_ok(siren):
        msg = "SIREN invalide (clé de Luhn fausse)"
        raise ValueError(msg)
    return siren


def check_siret(value: str) -> str:
    """Validate a SIRET (14 digits, Luhn; La Poste's rule for its own) and normalise it.

    The rule is decided once, here, for writing and reading alike: a SIRET is valid when
    its 14-digit key holds (La Poste's sum rule for its establishments) *and* its first nine
    digits are a valid SIREN, as every SIRET INSEE attributes is.

    Examples
    --------
    >>> check_siret("732 829 320 00074")
    '73282932000074'
    >>> check_siret("55270102500025")  # the 14 digits hold, the SIREN 552701025 does not
    Traceback (most recent call last):
    ...
    ValueError: SIRET invalide : son SIREN 552701025 a une clé de Luhn fausse
    """
    siret = value.replace(" ", "").replace("\u00a0", "")
    if not (len(siret) == 14 and siret.isdigit()):  # noqa: PLR2004
        msg = "un SIRET a 14 chiffres"
        raise ValueError(msg)
    if siret.startswith(_LA_POSTE_SIREN):
        ok = sum(int(c) for c in siret) % 5 == 0
    else:
        ok = luhn_ok(siret)
    if not ok:
        msg = "SIRET invalide (clé de Luhn fausse)"
        raise ValueError(msg)
    # A SIRET is a SIREN followed by the establishment's number: its first nine digits are
    # checked like any SIREN, so the SIREN the model derives from it is always readable.
    if not luhn_ok(siret[:9]):
        msg = f"SIRET invalide : son SIREN {siret[:9]} a une clé de Luhn fausse"
        raise ValueError(msg)
    return siret


def normalise_naf(value: str) -> str:
    """Return a NAF rev. 2 code in its ``NN.NNX`` form (``2410z`` -> ``24.10Z``).

    Raises
    ------
    ValueError
        When the text is not shaped like a NAF code.
    """
    match = _NAF.match(value.strip().upper())
    if not match:
        msg = "code NAF attendu sous la forme 24.10Z"
        raise ValueError(msg)
    return f"{match.group(1)}.{match.group(2)}{match.group(3)}"


def naf_known(code: str) -> bool:
    """Tell whether a normalised NAF code belongs to a NAF rev. 2 division."""
    return code[:2] in NAF_DIVISIONS


def check_insee(value: str) -> str:
    """Validate an INSEE commune code (5 characters; Corsica's 2A/2B allowed)."""
    code = value.strip().upper()
    if len(code) == 4 and code.isdigit():  # noqa: PLR2004  # Excel drops the leading zero
        code = "0" + code
    if not _INSEE.match(code):
        msg = "code INSEE de commune attendu (5 caractères, ex. 62119)"
        raise ValueError(msg)
    return code
