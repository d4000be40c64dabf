from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import read_reseaux_chaleur

CSV = OPENDATA / "reseaux_chaleur_reconstruit.csv"


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
    assert "rcu-5999c" not in {a.id for a in toile.actors}
    assert any("ignoré" in p.message for p in report)
    round_trip(toile, tmp_path)


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
