"""INSEE's French activity nomenclature (NAF rév. 2): the label of a code.

The table ``toiles/data/naf_rev2.csv`` holds the 1,728 positions of NAF rév. 2 (21
sections, 88 divisions, 272 groups, 615 classes and 732 sub-classes) with INSEE's French
labels; it is built by ``scripts/build_naf_rev2.py`` from two registry packages that ship
INSEE's files (origin and licence in ``toiles/data/README.md``).

Wherever a person reads a NAF code (web actor sheet, picture details, command line, actor
sheets to fill in), it is shown with its label through :func:`naf_display`
(« 24.10Z — Sidérurgie »). A code the table does not hold (an older nomenclature such as
NAFRev1's ``27.1Y``, a typing error) is shown bare: never an error.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

__all__ = ["NAF_SEPARATOR", "naf_code_of", "naf_display", "naf_label", "naf_labels"]

_TABLE = Path(__file__).parent / "data" / "naf_rev2.csv"
_DOTLESS = re.compile(r"^(\d{2})(\d{1,2}[A-Z]?)$")
#: What separates a code from its label in :func:`naf_display`.
NAF_SEPARATOR = " — "


@functools.cache
def naf_labels() -> dict[str, str]:
    """Return every NAF rév. 2 position's label by code (read once, on first use).

    Codes are written as INSEE writes them: ``C`` (section), ``24`` (division), ``24.1``
    (group), ``24.10`` (class), ``24.10Z`` (sub-class).

    Examples
    --------
    >>> labels = naf_labels()
    >>> len(labels), labels["24.10Z"], labels["24"]
    (1728, 'Sidérurgie', 'Métallurgie')
    """
    with _TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["libelle"] for row in csv.DictReader(handle)}


def _key(code: str) -> str:
    text = code.strip().upper()
    match = _DOTLESS.match(text)
    return f"{match[1]}.{match[2]}" if match else text


def naf_label(code: str | None) -> str | None:
    """Return INSEE's French label of a NAF rév. 2 code, or ``None`` when it has none.

    The code may be written with or without its dot and in any case (``2410z``); codes of
    older nomenclatures, unknown codes and empty values give ``None``.

    Parameters
    ----------
    code
        A NAF rév. 2 code of any level (section letter to sub-class).

    Returns
    -------
    str or None
        The label, or ``None`` when the table has no such code.

    Examples
    --------
    >>> naf_label("24.10Z")
    'Sidérurgie'
    >>> naf_label("3530z")
    "Production et distribution de vapeur et d'air conditionné"
    >>> naf_label("27.1Y") is None  # NAFRev1
    True
    """
    if not code:
        return None
    return naf_labels().get(_key(code))


def naf_display(code: str) -> str:
    """Show a NAF code with its label (« 24.10Z — Sidérurgie »), or bare when unknown.

    Examples
    --------
    >>> naf_display("24.10Z")
    '24.10Z — Sidérurgie'
    >>> naf_display("99.99Q")
    '99.99Q'
    """
    label = naf_label(code)
    return code if label is None else f"{code}{NAF_SEPARATOR}{label}"


def naf_code_of(text: str) -> str:
    """Return the code of a text written by :func:`naf_display` (the code alone stays).

    Lets a person leave « 24.10Z — Sidérurgie » as it was written in a sheet to fill in.

    Examples
    --------
    >>> naf_code_of("24.10Z — Sidérurgie")
    '24.10Z'
    >>> naf_code_of(" 2410Z ")
    '2410Z'
    """
    return text.split(NAF_SEPARATOR.strip(), 1)[0].strip()
