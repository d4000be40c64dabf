"""The importers on real rows of the national files of the Hauts-de-France, as published.

Every fixture read here is a real excerpt; ``tests/fixtures/opendata/README.md`` says where
each one comes from.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import (
    parse_territory,
    read_bnpe,
    read_irve,
    read_registre_electricite,
    read_sirene,
)
from toiles.models.vocab import ActorKind, Status

STOCK_2024 = OPENDATA / "sirene_stock_etablissement_2024_extrait.csv"
STOCK_2022 = OPENDATA / "sirene_stock_etablissement_2022_48_colonnes_extrait.csv"
STOCK_2025 = OPENDATA / "sirene_stock_etablissement_2025_extrait.csv"
LEGAL_UNITS = OPENDATA / "sirene_stock_unite_legale_extrait.csv"
SUGAR_WORKS = "etab-00542012000015"  # Sucreries du Marquenterre, Rue (80688)


def _zipped(tmp_path: Path, source: Path, name: str) -> Path:
    """Zip a CSV excerpt as INSEE distributes its stock files (one member, deflated)."""
    archive = tmp_path / f"{name}.zip"
    member = zipfile.ZipInfo(f"{name}.csv", date_time=(2024, 4, 1, 3, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(member, source.read_bytes())
    return archive


def test_sirene_real_zips_name_establishments_after_their_company(tmp_path: Path) -> None:
    stock = _zipped(tmp_path, STOCK_2024, "StockEtablissement_utf8")
    units = _zipped(tmp_path, LEGAL_UNITS, "StockUniteLegale_utf8")
    report: list[Problem] = []
    toile = read_sirene(stock, "80", legal_units=units, report=report)
    # The head of the real file holds 115 rows of the Somme, 108 of them closed.
    assert len(toile.actors) == 7
    sugar = toile.actor(SUGAR_WORKS)
    assert sugar.name == "SOCIETE DES SUCRERIES DU MARQUENTERRE"
    assert (sugar.naf, sugar.commune_insee, sugar.epci) == (
        "10.81Z",
        "80688",
        "CC Ponthieu-Marquenterre",
    )
    assert sugar.kind is ActorKind.ENTREPRISE
    assert "StockUniteLegale_utf8.zip (StockUniteLegale_utf8.csv), ligne 47" in (
        sugar.provenance or ""
    )
    # Two sites of one company are told apart by their commune.
    assert toile.actor("etab-00552017600032").name == "HERNAS CARTONNAGE — Chépy"
    assert toile.actor("etab-00552017600016").name == "HERNAS CARTONNAGE — Feuquières-en-Vimeu"
    assert any("StockUniteLegale_utf8.zip" in s for s in toile.sources)
    messages = " | ".join(p.message for p in report)
    assert "108 établissement(s) fermé(s)" in messages
    assert "absent" not in messages  # every SIREN kept is in the legal-units excerpt
    round_trip(toile, tmp_path)


def test_sirene_without_legal_units_names_by_siret(tmp_path: Path) -> None:
    toile = read_sirene(_zipped(tmp_path, STOCK_2024, "StockEtablissement_utf8"), "80")
    assert toile.actor(SUGAR_WORKS).name == "Établissement 00542012000015"


def test_sirene_old_48_column_file_is_read_by_header_names() -> None:
    toile = read_sirene(STOCK_2022, "Hauts-de-France")
    assert SUGAR_WORKS in {a.id for a in toile.actors}
    assert toile.actor(SUGAR_WORKS).naf == "10.81Z"


def test_sirene_2025_file_converts_lambert_and_keeps_naf_2025() -> None:
    report: list[Problem] = []
    toile = read_sirene(STOCK_2025, "Hauts-de-France", legal_units=LEGAL_UNITS, report=report)
    head_office = toile.actor("etab-00542012000031")  # Marconnelle, next to Hesdin
    assert head_office.lat == pytest.approx(50.3747, abs=1e-3)
    assert head_office.lon == pytest.approx(2.0139, abs=1e-3)
    assert (head_office.commune_insee, head_office.epci) == ("62550", "CC des 7 Vallées")
    assert "NAF 2025 : 70.10Y" in (head_office.description or "")
    # A sign is the establishment's own name; without its company in the legal units
    # excerpt, it stays the sign and the SIREN is named in a warning.
    assert toile.actor("etab-00562003400032").name == "BIGMAT"
    messages = " | ".join(p.message for p in report)
    assert "5 SIREN absent(s) du fichier des unités légales (005620034" in messages
    assert "etab-00558012100134" not in {a.id for a in toile.actors}  # Dunkerque, closed


def test_sirene_legal_units_file_must_be_a_legal_units_file() -> None:
    with pytest.raises(ValidationError) as info:
        read_sirene(STOCK_2025, "80", legal_units=OPENDATA / "irve_v1_2020_extrait.csv")
    text = str(info.value)
    assert "irve_v1_2020_extrait.csv" in text
    assert "StockUniteLegale" in text


def test_irve_v1_file_of_2020_is_read() -> None:
    toile = read_irve(OPENDATA / "irve_v1_2020_extrait.csv", "Hauts-de-France")
    stations = {a.id: a for a in toile.actors if a.kind is ActorKind.EQUIPEMENT}
    assert {a.commune_insee for a in stations.values()} == {"62161", "62701", "80692"}
    # The aménageur of the Boulogne station is the region, not a company.
    assert toile.actor("org-hauts-de-france").kind is ActorKind.COLLECTIVITE
    power = {f.target: f.quantity for f in toile.flows if f.unit == "kW"}
    assert power["station-fr-sod-p-npdc-37"] == 22.0  # « 22 kW » in the file
    assert power["station-fr-ion-p4089"] == 350.0


def test_irve_stations_of_one_name_are_told_apart() -> None:
    toile = read_irve(OPENDATA / "irve_longueau_extrait.csv", "80")
    names = sorted(a.name for a in toile.actors if a.kind is ActorKind.EQUIPEMENT)
    assert names == [
        "ASIA AUTOMOTIVE",  # RAIDEN's station, without identifier: named as the file does
        "Asia Automotive — ATHTBE1012061",
        "Asia Automotive — ATHTBE1012062",
        "Asia Automotive — ATHTBE1012063",
    ]


def test_irve_v1_dash_for_insee_code_is_placed_and_said() -> None:
    report: list[Problem] = []
    toile = read_irve(OPENDATA / "irve_v1_2018_extrait.csv", "59", report=report)
    communes = {a.commune_insee for a in toile.actors if a.kind is ActorKind.EQUIPEMENT}
    assert {"59090", "59009"} <= communes  # Bondues, Villeneuve-d'Ascq from their addresses
    assert len(communes) == 3
    messages = " | ".join(p.message for p in report)
    assert "2 point(s) sans code INSEE placé(s) par le code postal" in messages
    assert "1 point(s) sans code INSEE ni adresse exploitable placé(s) par leurs coordonnées" in (
        messages
    )


def test_register_withdrawn_plant_is_a_potential_flow_without_quantity() -> None:
    toile = read_registre_electricite(
        OPENDATA / "registre_odre_api_bouchain.json", "Hauts-de-France"
    )
    plant = toile.actor("inst-17w000000012843v")
    assert plant.commune_insee == "59092"
    assert "En retrait provisoire" in (plant.description or "")
    (flow,) = toile.flows
    assert (flow.source, flow.target, flow.quantity) == (plant.id, "grd-rte", None)
    assert flow.status is Status.POTENTIEL
    assert "non publiée" in (flow.notes or "")


def test_region_as_territory() -> None:
    territory = parse_territory("région Hauts-de-France")
    assert sorted(territory.departements) == ["02", "59", "60", "62", "80"]
    assert parse_territory("R32").departements == territory.departements
    assert not territory.contains("75056")
    with pytest.raises(ValidationError, match="ni une région"):
        parse_territory("Picardie")


BNPE_972 = OPENDATA / "bnpe_site_export_martinique_extrait.csv"


def _industrial_total(year: int) -> float:
    """The export's own total of industrial withdrawals for a year (its summary file)."""
    with (OPENDATA / "bnpe_site_export_martinique_synthese_usage.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    return next(
        float(r["Volume total (m3)"])
        for r in rows
        if r["Année"] == str(year) and r["Code de l'usage"] == "IND"
    )


def test_bnpe_site_export_of_martinique_matches_its_own_summary() -> None:
    report: list[Problem] = []
    toile = read_bnpe(BNPE_972, "Martinique", report=report)
    flows = toile.flows
    assert len(flows) == 91  # the latest year, 2023
    assert {f.year for f in flows} == {2023}
    industrial = sum(f.quantity or 0.0 for f in flows if "(IND)" in (f.notes or ""))
    assert industrial == _industrial_total(2023) == 1_887_900
    bottling = toile.actor("ouvrage-opr0000276814")  # « Lafort SOMES », Morne-Rouge
    assert bottling.commune_insee == "97218"
    # 70 ouvrages carry filler coordinates (in the ocean, in Guinea): not kept as places.
    assert toile.actor("ouvrage-opr0000276752").lat is None
    assert toile.actor("ouvrage-opr0000276733").lat == pytest.approx(14.6835, abs=1e-3)
    messages = " | ".join(p.message for p in report)
    assert "70 coordonnée(s) à plus de 30 km de la commune" in messages


def test_bnpe_site_export_other_year() -> None:
    toile = read_bnpe(BNPE_972, "972", year=2022)
    assert len(toile.flows) == 27
    works = [f for f in toile.flows if f.target == "ouvrage-opr0000276808"]  # IND, Saint-Pierre
    assert [f.quantity for f in works] == [250736]


def test_bnpe_outside_the_territory_says_why_it_is_empty() -> None:
    with pytest.raises(ValidationError) as info:
        read_bnpe(BNPE_972, "Hauts-de-France")
    text = str(info.value)
    assert "aucun acteur gardé : 118 enregistrement(s) lu(s), dont 118 hors du territoire" in text
    assert "--allow-empty" in text


def test_bnpe_rows_without_insee_code_are_placed_or_named(tmp_path: Path) -> None:
    # A modified copy of three real rows of the export: their « Code INSEE » emptied, and
    # for two of them the commune name too, to reach the three ways a row is placed or not.
    with BNPE_972.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    insee, commune = header.index("Code INSEE"), header.index("Commune")
    by_name, by_point, nowhere = rows[2], rows[3], rows[1]  # Blanche, the next, Lézarde
    for row in (by_name, by_point, nowhere):
        row[insee] = ""
    by_point[commune] = nowhere[commune] = ""
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, nowhere, by_name, by_point])
    report: list[Problem] = []
    toile = read_bnpe(path, "Martinique", report=report)
    assert toile.actor("ouvrage-opr0000276733").commune_insee == "97224"  # « SAINT-JOSEPH »
    assert len(toile.flows) == 2
    messages = " | ".join(p.message for p in report)
    assert "1 prélèvement(s) sans code INSEE placé(s) par le nom de leur commune" in messages
    assert (
        "1 prélèvement(s) sans code INSEE ni commune reconnue placé(s) par leurs coordonnées"
        in (messages)
    )
    assert "impossible de les placer, donc écartés : ligne 2 (OPR0000276752)" in messages


def test_sirene_establishments_file_given_as_legal_units_is_refused(tmp_path: Path) -> None:
    # Both files have a « siren » column; the establishments file must not pass for the
    # legal units (it would name nobody, silently).
    stock = OPENDATA / "sirene_stock_etablissement_2024_extrait.csv"
    with pytest.raises(ValidationError) as info:
        read_sirene(stock, "Hauts-de-France", legal_units=stock)
    text = str(info.value)
    assert "sirene_stock_etablissement_2024_extrait.csv:1" in text
    assert "StockEtablissement" in text
    assert "StockUniteLegale" in text
