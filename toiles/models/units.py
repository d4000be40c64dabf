"""Units of flow quantities, backed by pint.

Quantities in a toile are annual amounts (``MWh`` means MWh per year) or capacities (``MW``).
Each unit belongs to one :class:`~toiles.models.vocab.UnitFamily` with a base unit; every
conversion factor comes from pint's definitions (plus the few domain units defined below,
such as the French ``tep``), never from hand-written factors. Adding quantities of two
families is an error, never a silent sum.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toiles.errors import UnitError
from toiles.models.vocab import UnitFamily, closest, fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pint

#: Base unit of each family: normalised quantities are expressed in it.
BASE_UNITS: dict[UnitFamily, str] = {
    UnitFamily.ENERGY: "MWh",
    UnitFamily.VOLUME: "m3",
    UnitFamily.MASS: "t",
    UnitFamily.POWER: "kW",
    UnitFamily.COUNT: "u",
    UnitFamily.MONEY: "EUR",
}

# Canonical unit -> (family, pint expression).
_UNITS: dict[str, tuple[UnitFamily, str]] = {
    "Wh": (UnitFamily.ENERGY, "watt_hour"),
    "kWh": (UnitFamily.ENERGY, "kilowatt_hour"),
    "MWh": (UnitFamily.ENERGY, "megawatt_hour"),
    "GWh": (UnitFamily.ENERGY, "gigawatt_hour"),
    "TWh": (UnitFamily.ENERGY, "terawatt_hour"),
    "GJ": (UnitFamily.ENERGY, "gigajoule"),
    "TJ": (UnitFamily.ENERGY, "terajoule"),
    "tep": (UnitFamily.ENERGY, "tep"),
    "ktep": (UnitFamily.ENERGY, "kilotep"),
    "L": (UnitFamily.VOLUME, "liter"),
    "m3": (UnitFamily.VOLUME, "meter ** 3"),
    "Nm3": (UnitFamily.VOLUME, "meter ** 3"),
    "Mm3": (UnitFamily.VOLUME, "mega_m3"),
    "kg": (UnitFamily.MASS, "kilogram"),
    "t": (UnitFamily.MASS, "metric_ton"),
    "kt": (UnitFamily.MASS, "kilometric_ton"),
    "Mt": (UnitFamily.MASS, "megametric_ton"),
    "W": (UnitFamily.POWER, "watt"),
    "kW": (UnitFamily.POWER, "kilowatt"),
    "MW": (UnitFamily.POWER, "megawatt"),
    "GW": (UnitFamily.POWER, "gigawatt"),
    "kWc": (UnitFamily.POWER, "kilowatt"),
    "MWc": (UnitFamily.POWER, "megawatt"),
    "u": (UnitFamily.COUNT, "item"),
    "EUR": (UnitFamily.MONEY, "euro"),
    "kEUR": (UnitFamily.MONEY, "kiloeuro"),
    "MEUR": (UnitFamily.MONEY, "megaeuro"),
}

# Spellings people use -> canonical unit. Matched after folding case and accents,
# except where case carries meaning (mWh vs MWh): those are matched exactly first.
_ALIASES: dict[str, str] = {
    "m³": "m3",
    "m^3": "m3",
    "mètre cube": "m3",
    "metre cube": "m3",
    "metres cubes": "m3",
    "nm³": "Nm3",
    "mm³": "Mm3",
    "millions de m3": "Mm3",
    "litre": "L",
    "litres": "L",
    "l": "L",
    "tonne": "t",
    "tonnes": "t",
    "kilotonne": "kt",
    "kilotonnes": "kt",
    "megatonne": "Mt",
    "mégatonne": "Mt",
    "toe": "tep",
    "ktoe": "ktep",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "k€": "kEUR",
    "m€": "MEUR",
    "keur": "kEUR",
    "meur": "MEUR",
    "unite": "u",
    "unité": "u",
    "unites": "u",
    "unités": "u",
    "nb": "u",
    "nombre": "u",
    "pdc": "u",
    "points de charge": "u",
    "emplois": "u",
    "etp": "u",
    "kwc": "kWc",
    "mwc": "MWc",
    "kwh": "kWh",
    "gwh": "GWh",
    "twh": "TWh",
    "gj": "GJ",
    "tj": "TJ",
    "kw": "kW",
    "gw": "GW",
    "kt": "kt",
    "kg": "kg",
}

# Per-year suffixes: quantities are annual, so "MWh/an" is read as "MWh".
_PER_YEAR = re.compile(r"\s*(/|par)\s*(an|a|year|yr|y)\s*$", re.IGNORECASE)

_DEFINITIONS = """
tep = 41.868 * gigajoule
item = [item]
euro = [currency] = EUR
mega_m3 = 1e6 * meter ** 3
"""


@functools.cache
def _registry() -> pint.UnitRegistry[float]:
    """Build the unit registry once, on first use (never at import time)."""
    import pint  # noqa: PLC0415  # deferred: pint's registry is slow to build

    registry: pint.UnitRegistry[float] = pint.UnitRegistry()
    for line in _DEFINITIONS.strip().splitlines():
        registry.define(line)
    return registry


@dataclass(frozen=True)
class Unit:
    """A unit known to toiles: its canonical symbol, family and factor to the base unit."""

    symbol: str
    family: UnitFamily
    to_base: float


@functools.cache
def _factor(symbol: str) -> float:
    family, expression = _UNITS[symbol]
    registry = _registry()
    base_expression = _UNITS[BASE_UNITS[family]][1]
    return float(registry.Quantity(1.0, expression).to(base_expression).magnitude)


def known_units() -> list[str]:
    """List the canonical unit symbols, grouped by family."""
    return list(_UNITS)


def canonical_unit(raw: str) -> str:
    """Return the canonical symbol of a unit written as a person would.

    Raises
    ------
    UnitError
        With a French message suggesting the closest known unit.

    Examples
    --------
    >>> canonical_unit("m³/an")
    'm3'
    >>> canonical_unit("tonnes")
    't'
    """
    text = _PER_YEAR.sub("", raw.strip())
    if text in _UNITS:
        return text
    for key in (text.lower(), fold(text)):
        if key in _ALIASES:
            return _ALIASES[key]
    hint = closest(text, [*_UNITS, *_ALIASES])
    msg = f"unité inconnue ({', '.join(_UNITS)} attendue)" if hint is None else "unité inconnue"
    if hint:
        msg += f" (vouliez-vous dire « {_ALIASES.get(hint, hint)} » ?)"
    raise UnitError(msg)


def get_unit(raw: str) -> Unit:
    """Look a unit up: canonical symbol, family and conversion factor to the family's base.

    Examples
    --------
    >>> u = get_unit("GWh")
    >>> u.family.value, u.to_base
    ('energy', 1000.0)
    >>> round(get_unit("tep").to_base, 2)
    11.63
    """
    symbol = canonical_unit(raw)
    return Unit(symbol, _UNITS[symbol][0], _factor(symbol))


def unit_family(raw: str) -> UnitFamily:
    """Return the family of a unit."""
    return get_unit(raw).family


#: Greatest quantity a toile may hold, in its family's base unit (MWh, m3, t, kW, u, EUR).
#: A billion times the world's yearly primary energy (about 1.7e11 MWh): no territory comes
#: near it, and sums and products of such numbers over millions of flows stay finite.
MAX_BASE_QUANTITY = 1e18


def base_quantity(quantity: float, unit: Unit | str) -> float:
    """Convert a quantity to its family's base unit: the one place this product is written.

    Stores, graphs, queries and generated toiles all call it, so a quantity means the same
    everywhere.

    Examples
    --------
    >>> base_quantity(2.5, "GWh")
    2500.0
    >>> base_quantity(1.0, get_unit("tep")) == get_unit("tep").to_base
    True
    """
    info = unit if isinstance(unit, Unit) else get_unit(unit)
    return quantity * info.to_base


def check_quantity(quantity: float, unit: Unit | str) -> float:
    """Return a quantity's base value, refusing what no read, render or analysis could use.

    Raises
    ------
    UnitError
        With a French message when the quantity or its base value is not a finite number or
        exceeds :data:`MAX_BASE_QUANTITY`.

    Examples
    --------
    >>> check_quantity(3.0, "GWh")
    3000.0
    >>> check_quantity(1e308, "TWh")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.UnitError: quantité hors limites : 1e+308 TWh ...
    """
    info = unit if isinstance(unit, Unit) else get_unit(unit)
    base = base_quantity(quantity, info) if math.isfinite(quantity) else quantity
    if not (math.isfinite(base) and abs(base) <= MAX_BASE_QUANTITY):
        base_unit = BASE_UNITS[info.family]
        msg = (
            f"quantité hors limites : {quantity:g} {info.symbol} "
            f"(au plus {MAX_BASE_QUANTITY:g} {base_unit} ou l'équivalent)"
        )
        raise UnitError(msg)
    return base


def to_base(quantity: float, unit: str) -> tuple[float, UnitFamily]:
    """Normalise a quantity to its family's base unit; return it with the family.

    Examples
    --------
    >>> to_base(2.5, "GWh")
    (2500.0, <UnitFamily.ENERGY: 'energy'>)
    """
    info = get_unit(unit)
    return base_quantity(quantity, info), info.family


def convert(quantity: float, unit: str, target: str) -> float:
    """Convert a quantity between two units of the same family.

    Raises
    ------
    UnitError
        When the two units belong to different families.

    Examples
    --------
    >>> convert(1.0, "Mm3", "m3")
    1000000.0
    """
    source_unit, target_unit = get_unit(unit), get_unit(target)
    if source_unit.family is not target_unit.family:
        msg = (
            f"impossible de convertir des {source_unit.symbol} ({source_unit.family.value}) "
            f"en {target_unit.symbol} ({target_unit.family.value})"
        )
        raise UnitError(msg)
    return quantity * source_unit.to_base / target_unit.to_base


def total(quantities: Iterable[tuple[float, str]], *, unit: str | None = None) -> float:
    """Add quantities given in any units of one family; the sum is in ``unit`` (or the base).

    Raises
    ------
    UnitError
        When the quantities mix families: they are never summed raw.

    Examples
    --------
    >>> total([(1.0, "GWh"), (500.0, "MWh")])
    1500.0
    >>> total([(1.0, "GWh"), (5.0, "t")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.UnitError: impossible d'additionner des quantités de familles ...
    """
    families: set[UnitFamily] = set()
    acc = 0.0
    for value, value_unit in quantities:
        base, family = to_base(value, value_unit)
        families.add(family)
        acc += base
    if len(families) > 1:
        names = ", ".join(sorted(f.value for f in families))
        msg = f"impossible d'additionner des quantités de familles différentes : {names}"
        raise UnitError(msg)
    if unit is None:
        return acc
    target = get_unit(unit)
    if families and target.family not in families:
        msg = f"l'unité {target.symbol} n'est pas de la famille {next(iter(families)).value}"
        raise UnitError(msg)
    return acc / target.to_base


def is_finite(value: float) -> bool:
    """Tell whether a number is a usable quantity (not NaN, not infinite)."""
    return math.isfinite(value)
