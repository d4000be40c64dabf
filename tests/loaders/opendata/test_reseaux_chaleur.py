from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import read_reseaux_chaleur
from toiles.loaders.opendata.reseaux_chaleur import DATASET, DATASET_DPE

CSV = OPENDATA / "reseaux_chaleur_reconstruit.csv"
DPE = OPENDATA / "reseaux_chaleur_arrete_dpe_2026_extrait.csv"


def test_read_reseaux_chaleur_csv(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_reseaux_chaleur(CSV, "Artois", year=2022, report=report)
    network = toile.actor("rcu-6204c")
    assert (network.commune_insee, network.epci) == ("62119", "CABBALR")
    assert "62,5 %" in (network.description or "")
    assert toile.actor("ext-gaz-naturel").kind.value == "exterieur"
    assert toile.actor("src-6299c-uiom").kind.value == "equipement"
    into = {(f.source, f.kind.value): f.quantity for f in toile.flows if f.target == "rcu-6204c"}
    assert into == {
        ("gest-exploitant-exemple-sas", "service"): None,
        ("ext-gaz-naturel", "chaleur"): 17000.0,
        ("ext-biomasse-solide", "chaleur"): 21000.0,
        ("src-6204c-chaleur-industiel", "chaleur_fatale"): 8000.0,
    }
    out = {f.target: f.quantity for f in toile.flows if f.source == "rcu-6204c"}
    assert out == {
        "usagers-6204c-residentiel": 24000.0,
        "usagers-6204c-tertiaire": 15000.0,
        "usagers-6204c-industrie": 2000.0,
    }
    # No breakdown by sector: the total goes to one "all users" actor.
    assert [f.target for f in toile.flows if f.source == "rcu-6299c"] == ["usagers-6299c-total"]
    assert {f.year for f in toile.flows} == {2022}
    # Lille is recognised nationally now: outside the territory, not "unplaced".
    assert "rcu-5999c" not in {a.id for a in toile.actors}
    assert not any("reconnue" in p.message for p in report)
    assert DATASET in (network.provenance or "")
    round_trip(toile, tmp_path)


def test_read_reseaux_chaleur_arrete_dpe_list_keeps_bethune(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_reseaux_chaleur(DPE, "CABBALR", report=report)
    [network] = toile.actors
    assert (network.id, network.commune_insee, network.epci) == ("rcu-6204c", "62119", "CABBALR")
    assert network.name == "RÉSEAU DE CHALEUR DE BÉTHUNE"
    assert "contenu CO2 : 0.075 kg/kWh" in (network.description or "")
    assert "taux EnR&R : 67.7 %" in (network.description or "")
    # Provenance names the arrêté's list and the true file, not the SNCU survey.
    assert (network.provenance or "").startswith(DATASET_DPE)
    assert "reseaux_chaleur_arrete_dpe_2026_extrait.csv, ligne 9" in (network.provenance or "")
    assert "SNCU" not in toile.sources[0]
    assert "reseaux_chaleur_arrete_dpe_2026_extrait.csv, fichier du" in toile.sources[0]
    assert report == []  # no "manager missing" noise: the list has no such column
    round_trip(toile, tmp_path)


@pytest.mark.parametrize(
    ("territory", "expected"),
    [
        ("CALL", {"rcu-6201c": "62065", "rcu-6203c": "62498", "rcu-6206c": "62510"}),
        ("CC Ternois Com", {"rcu-6213c": "62036"}),  # ANVIN
        ("85", {"rcu-8501c": "85191", "rcu-8502c": "85109", "rcu-8503c": "85264"}),
        ("15", {"rcu-1501c": "15014"}),  # AURILLAC CEDEX
        ("01", {"rcu-0107c": "01426"}),  # TREFFORT - VAL-REVERMONT
        ("74", {"rcu-7427c": "74097"}),  # COMMUNE DE CUSY
    ],
)
def test_read_reseaux_chaleur_arrete_dpe_list_places_localisation_nationally(
    territory: str, expected: dict[str, str]
) -> None:
    toile = read_reseaux_chaleur(DPE, territory)
    assert {a.id: a.commune_insee for a in toile.actors} == expected


def test_read_reseaux_chaleur_arrete_dpe_unrecognised_localisation_is_named() -> None:
    report: list[Problem] = []
    toile = read_reseaux_chaleur(DPE, "CA Amiens Métropole, 69123", report=report)
    assert [a.id for a in toile.actors] == ["rcu-8001c"]
    [warning] = [p for p in report if "n'a pas été reconnue" in p.message]
    assert "ligne 19 : 6930C (« METROPOLE DE LYON »)" in warning.message


def test_read_reseaux_chaleur_departement_from_identifier(tmp_path: Path) -> None:
    path = tmp_path / "reseaux.json"
    path.write_text(
        json.dumps(
            [
                {
                    "Identifiant reseau": "6205C",
                    "nom_reseau": "Réseau sans commune",
                    "prod_MWh_geothermie": 1200,
                    "livraisons_totale_MWh": 1000,
                    "annee": 2023,
                },
                {"Identifiant reseau": "5905C", "prod_MWh_geothermie": 1},
            ]
        ),
        encoding="utf-8",
    )
    toile = read_reseaux_chaleur(path, "62")
    assert [a.id for a in toile.actors if a.id.startswith("rcu")] == ["rcu-6205c"]
    assert {f.year for f in toile.flows} == {2023}
    assert "enregistrement 1" in (toile.flows[0].provenance or "")
    round_trip(toile, tmp_path)


def test_read_reseaux_chaleur_missing_identifier(tmp_path: Path) -> None:
    path = tmp_path / "reseaux.csv"
    path.write_text("Identifiant reseau;nom_reseau\n;Sans identifiant\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_reseaux_chaleur(path, "62")
    [problem] = info.value.errors
    assert (problem.line, problem.column) == (2, "Identifiant reseau")


def test_read_reseaux_chaleur_arrete_dpe_kept_by_departement_without_commune() -> None:
    report: list[Problem] = []
    toile = read_reseaux_chaleur(DPE, "69", report=report)
    [network] = toile.actors
    assert (network.id, network.commune_insee) == ("rcu-6930c", None)
    [warning] = [p for p in report if "sans commune" in p.message]
    assert "ligne 19 : 6930C (« METROPOLE DE LYON »)" in warning.message
