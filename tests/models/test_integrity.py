"""What a model accepts can always be stored and read back: SIRET/SIREN and quantity bounds."""

import math

import pydantic
import pytest

from toiles.errors import UnitError
from toiles.graph import graph_from_toile
from toiles.models import Actor, Flow, Toile
from toiles.models.units import MAX_BASE_QUANTITY, base_quantity, check_quantity, to_base

# The 14 digits pass Luhn (5+5+2+7+0+1+0+2+5+0+0+0+2+5 doubled every other: sum 40) but the
# SIREN 552 701 025 they start with does not: such a SIRET cannot have been attributed.
SIRET_WITH_BAD_SIREN = "55270102500025"


def test_check_siret_refuses_siret_whose_siren_fails() -> None:
    with pytest.raises(pydantic.ValidationError, match="son SIREN 552701025"):
        Actor(id="a", name="A", kind="entreprise", siret=SIRET_WITH_BAD_SIREN)


def test_actor_write_and_read_apply_the_same_checks() -> None:
    # Whatever the model accepts, its JSON (what the stores keep) reads back equal.
    for siret in ("73282932000074", "35600000000001"):  # a company; La Poste's own rule
        actor = Actor(id="a", name="A", kind="entreprise", siret=siret)
        assert Actor.model_validate_json(actor.model_dump_json(exclude_defaults=True)) == actor


def test_flow_refuses_quantity_whose_base_value_overflows() -> None:
    # 1e308 TWh is finite, but 1e308 * 1e6 MWh is not.
    with pytest.raises(pydantic.ValidationError, match="quantité hors limites : 1e\\+308 TWh"):
        Flow(id="f", source="a", target="b", kind="chaleur", quantity=1e308, unit="TWh")
    with pytest.raises(pydantic.ValidationError, match="hors limites"):
        Flow(id="f", source="a", target="b", kind="chaleur", quantity=2e12, unit="TWh")


def test_flow_accepts_quantity_at_the_bound() -> None:
    flow = Flow(
        id="f", source="a", target="b", kind="chaleur", quantity=MAX_BASE_QUANTITY, unit="MWh"
    )
    assert flow.quantity_base == MAX_BASE_QUANTITY


def test_check_quantity_refuses_non_finite() -> None:
    for value in (math.inf, math.nan):
        with pytest.raises(UnitError, match="hors limites"):
            check_quantity(value, "MWh")


def test_base_quantity_is_the_conversion_everywhere() -> None:
    flow = Flow(id="f", source="a", target="b", kind="chaleur", quantity=2.5, unit="tep")
    toile = Toile(
        id="t",
        name="T",
        theme="energie",
        actors=(Actor(id="a", name="A", kind="entreprise"), Actor(id="b", name="B", kind="zae")),
        flows=(flow,),
    )
    expected = base_quantity(2.5, "tep")
    assert expected == pytest.approx(2.5 * 11.63, rel=1e-3)
    assert flow.quantity_base == expected
    assert to_base(2.5, "tep")[0] == expected
    assert graph_from_toile(toile).edges["a", "b", "f"]["quantity_base"] == expected


def test_actor_refuses_employees_beyond_a_64_bit_store() -> None:
    with pytest.raises(pydantic.ValidationError):
        Actor(id="a", name="A", kind="entreprise", employees=2**63)


def test_actor_refuses_tags_that_tables_cannot_read_back() -> None:
    # Found by the property suite: a tag « | » was accepted, then read back as no tag.
    for tag in ("|", "eau;chaleur", "   "):
        with pytest.raises(pydantic.ValidationError, match="étiquette invalide"):
            Actor(id="a", name="A", kind="entreprise", tags=(tag,))
    assert Actor(id="a", name="A", kind="entreprise", tags=(" eau ",)).tags == ("eau",)
