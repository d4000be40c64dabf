import pydantic
import pytest

from toiles.models import Actor, Flow, Toile
from toiles.models._checks import check_insee, check_siret, luhn_ok, normalise_naf
from toiles.models.vocab import ActorKind, FlowKind, Status, label, parse_enum


def test_luhn_ok_real_siren() -> None:
    # 732 829 320 is the SIREN of a real company; changing the last digit breaks the key.
    assert luhn_ok("732829320")
    assert not luhn_ok("732829321")


def test_check_siret_la_poste_rule() -> None:
    # La Poste's SIRETs (SIREN 356000000) use "sum of digits divisible by 5", not Luhn:
    # 3+5+6+0+...+0+1 = 15.
    assert not luhn_ok("35600000000001")
    assert check_siret("35600000000001") == "35600000000001"
    with pytest.raises(ValueError, match="Luhn"):
        check_siret("35600000000002")


def test_check_insee_corsica_and_excel_leading_zero() -> None:
    assert check_insee("2A004") == "2A004"
    assert check_insee("1053") == "01053"  # Excel dropped the leading zero
    with pytest.raises(ValueError, match="INSEE"):
        check_insee("621199")


def test_normalise_naf_forms() -> None:
    assert normalise_naf("2410z") == "24.10Z"
    assert normalise_naf("24.10Z") == "24.10Z"
    with pytest.raises(ValueError, match="NAF"):
        normalise_naf("24-10")


def test_actor_siret_fills_siren() -> None:
    actor = Actor(id="a", name="A", kind="entreprise", siret="732 829 320 00074")
    assert actor.siret == "73282932000074"
    assert actor.siren == "732829320"


def test_actor_rejects_bad_siret_and_coordinates() -> None:
    with pytest.raises(pydantic.ValidationError, match="Luhn"):
        Actor(id="a", name="A", kind="entreprise", siret="73282932000075")
    with pytest.raises(pydantic.ValidationError):
        Actor(id="a", name="A", kind="entreprise", lat=91.0, lon=2.0)
    with pytest.raises(pydantic.ValidationError, match="lat et lon"):
        Actor(id="a", name="A", kind="entreprise", lat=50.0)


def test_actor_id_rejects_spaces() -> None:
    with pytest.raises(pydantic.ValidationError, match="identifiant"):
        Actor(id="usine a", name="A", kind="entreprise")


def test_flow_unit_family_must_fit_kind() -> None:
    with pytest.raises(pydantic.ValidationError, match="impossible pour un flux « rejet »"):
        Flow(id="f", source="a", target="b", kind="rejet", quantity=1, unit="MWh")
    flow = Flow(id="f", source="a", target="b", kind="rejet", quantity=2, unit="Mm3")
    assert flow.quantity_base == 2e6


def test_flow_quantity_needs_unit_and_is_not_negative() -> None:
    with pytest.raises(pydantic.ValidationError, match="sans unité"):
        Flow(id="f", source="a", target="b", kind="chaleur", quantity=1)
    with pytest.raises(pydantic.ValidationError):
        Flow(id="f", source="a", target="b", kind="chaleur", quantity=-1, unit="MWh")
    assert Flow(id="f", source="a", target="b", kind="chaleur").quantity_base is None


def test_toile_rejects_unknown_actor_and_duplicates() -> None:
    a = Actor(id="a", name="A", kind="entreprise")
    with pytest.raises(pydantic.ValidationError, match="acteur inconnu"):
        Toile(
            id="t",
            name="T",
            theme="energie",
            actors=[a],
            flows=[Flow(id="f", source="a", target="z", kind="chaleur")],
        )
    with pytest.raises(pydantic.ValidationError, match="en double"):
        Toile(id="t", name="T", theme="energie", actors=[a, a])


def test_parse_enum_accepts_labels_and_suggests() -> None:
    assert parse_enum(ActorKind, "Gestionnaire de réseau") is ActorKind.GESTIONNAIRE_RESEAU
    assert parse_enum(FlowKind, "Chaleur fatale") is FlowKind.CHALEUR_FATALE
    assert parse_enum(Status, " EXISTANT ") is Status.EXISTANT
    with pytest.raises(ValueError, match="vouliez-vous dire « potentiel »"):
        parse_enum(Status, "potentiell")


def test_label_french_default_english_on_request() -> None:
    # Theme and FlowKind share the value "eau_industrielle": labels must not collide.
    assert label(FlowKind.REUTILISATION) == "Réutilisation"
    assert label(FlowKind.REUTILISATION, "en") == "Water reuse"
    assert label(ActorKind.EXTERIEUR, "en") == "Outside the territory"
