from __future__ import annotations

import pytest

from toiles.errors import ValidationError
from toiles.loaders.opendata import parse_territory
from toiles.territory import communes


def test_parse_territory_epci_by_short_name_siren_and_full_name() -> None:
    by_short = parse_territory("CALL")
    by_siren = parse_territory("246200364")
    by_name = parse_territory("CA de Lens - Liévin")
    assert by_short.communes == by_siren.communes == by_name.communes
    assert by_short.communes == {c.insee for c in communes().values() if c.epci == "CALL"}
    assert by_short.epci_names == ("CALL",)


def test_parse_territory_full_name_with_a_comma() -> None:
    territory = parse_territory("CA de Béthune-Bruay, Artois-Lys Romane")
    assert territory.epci == ("200072460",)
    assert territory.contains("62119")


def test_parse_territory_mixed_list_is_exact() -> None:
    territory = parse_territory("CC Ternois Com; 62119, 59")
    assert territory.contains("62442")  # Hernicourt, CC Ternois Com
    assert territory.contains("62119")
    assert territory.contains("59350")
    assert not territory.contains("62041")  # Arras: not listed
    assert not territory.contains(None)
    assert territory.epci_names == ("CC Ternois Com", "CABBALR")


def test_parse_territory_artois_and_overseas_and_corsica() -> None:
    assert len(parse_territory("Artois").epci) == 4
    assert parse_territory("971").contains("97105")
    assert parse_territory("2A").contains("2A004")
    assert not parse_territory("2A").contains("2B033")


def test_parse_territory_any_epci_of_france_by_name_or_siren() -> None:
    arras = parse_territory("CU d'Arras")
    assert arras.epci == ("200033579",)
    assert arras.contains("62041")  # Arras
    assert not arras.contains("62119")  # Béthune
    assert parse_territory("200033579").communes == arras.communes
    vendee = parse_territory("CA La Roche-sur-Yon - Agglomération")
    assert vendee.contains("85191")
    assert vendee.epci_names == ("CA La Roche-sur-Yon - Agglomération",)


def test_parse_territory_old_commune_code_belongs_to_its_commune() -> None:
    # Cordieux (01120) joined Montluel (01262), in the CC de la Côtière à Montluel.
    assert parse_territory("240100610").contains("01120")


def test_parse_territory_unknown_epci_in_french() -> None:
    with pytest.raises(ValidationError) as info:
        parse_territory("CU du Pays Imaginaire")
    [problem] = info.value.errors
    assert "territoire inconnu" in problem.message
    assert "code INSEE" in problem.message
    assert "département" in problem.message
    assert "{" not in problem.message


def test_parse_territory_unknown_siren_and_empty() -> None:
    with pytest.raises(ValidationError, match="inconnu"):
        parse_territory("123456789")
    with pytest.raises(ValidationError, match="vide"):
        parse_territory(" , ")


def test_parse_territory_postal_code_is_refused_with_its_communes() -> None:
    with pytest.raises(ValidationError) as info:
        parse_territory("62000")  # the postal code of Arras and Dainville
    [problem] = info.value.errors
    assert problem.message == (
        "« 62000 » n'est le code INSEE d'aucune commune ; c'est le code postal de : 62041, 62263"
    )


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Haut-de-France", "Hauts-de-France"),
        ("CABALR", "CABBALR"),
        ("CA Amien Metropole", "CA Amiens Métropole"),
    ],
)
def test_parse_territory_typo_suggests_the_name_meant(typed: str, meant: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_territory(typed)
    assert f"vouliez-vous dire « {meant} » ?" in str(info.value)


def test_parse_territory_nonsense_suggests_nothing() -> None:
    with pytest.raises(ValidationError) as info:
        parse_territory("zzz")
    assert "vouliez-vous dire" not in str(info.value)
