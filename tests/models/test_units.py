import math

import pytest

from toiles.errors import UnitError
from toiles.models.units import canonical_unit, convert, get_unit, to_base, total
from toiles.models.vocab import UnitFamily


@pytest.mark.parametrize(
    ("unit", "family", "factor"),
    [
        ("kWh", UnitFamily.ENERGY, 0.001),
        ("GWh", UnitFamily.ENERGY, 1000.0),
        ("TJ", UnitFamily.ENERGY, 1e12 / 3.6e9),  # 1 TJ = 1e12 J, 1 MWh = 3.6e9 J
        ("tep", UnitFamily.ENERGY, 11.63),  # 41.868 GJ / 3.6 GJ per MWh
        ("Mm3", UnitFamily.VOLUME, 1e6),
        ("kt", UnitFamily.MASS, 1000.0),
        ("MW", UnitFamily.POWER, 1000.0),
        ("u", UnitFamily.COUNT, 1.0),
        ("kEUR", UnitFamily.MONEY, 1000.0),
    ],
)
def test_get_unit_factor_and_family(unit: str, family: UnitFamily, factor: float) -> None:
    info = get_unit(unit)
    assert info.family is family
    assert math.isclose(info.to_base, factor, rel_tol=1e-9)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("m³", "m3"), ("MWh/an", "MWh"), ("tonnes", "t"), ("k€", "kEUR"), ("GWh par an", "GWh")],
)
def test_canonical_unit_french_spellings(raw: str, expected: str) -> None:
    assert canonical_unit(raw) == expected


def test_canonical_unit_case_matters_for_prefixes() -> None:
    # mWh would be milliwatt-hours: it must not silently become MWh.
    with pytest.raises(UnitError):
        canonical_unit("mWh")


def test_canonical_unit_unknown_suggests() -> None:
    with pytest.raises(UnitError, match="vouliez-vous dire « tep »"):
        canonical_unit("tepp")


def test_total_converts_within_family() -> None:
    assert total([(1.0, "GWh"), (500.0, "MWh"), (1.0, "tep")]) == pytest.approx(1511.63)
    assert total([(1.0, "Mm3"), (1000.0, "m3")], unit="Mm3") == pytest.approx(1.001)


def test_total_mixed_families_raises() -> None:
    with pytest.raises(UnitError, match="familles différentes"):
        total([(1.0, "MWh"), (1.0, "m3")])


def test_convert_across_families_raises() -> None:
    with pytest.raises(UnitError):
        convert(1.0, "t", "MWh")
    assert convert(2.0, "MW", "kW") == pytest.approx(2000.0)


def test_to_base_returns_family() -> None:
    assert to_base(3.0, "kt") == (pytest.approx(3000.0), UnitFamily.MASS)
