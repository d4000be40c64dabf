from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, leftovers, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders.opendata import import_source, read_irve

REAL = OPENDATA / "irve_consolide_extrait.csv"
SCHEMA_EXAMPLE = OPENDATA / "irve_schema_exemple_v2.csv"
ARTOIS = OPENDATA / "irve_artois_cas_limites.csv"
LONGUEAU = OPENDATA / "irve_longueau_extrait.csv"


def test_read_irve_real_consolidated_excerpt(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_irve(REAL, "14", report=report)
    station = toile.actor("station-frione417100")
    assert station.commune_insee == "14301"
    assert (station.lon, station.lat) == (-0.277238, 49.166932)
    # TRUE/FALSE in capitals read as booleans: combo CCS, CHAdeMO and type 2 plugs.
    assert {"combo-ccs", "chademo", "type-2"} <= set(station.tags)
    assert "nbre_pdc déclaré : 5" in (station.description or "")
    [recharge] = [f for f in toile.flows if f.kind.value == "recharge"]
    assert (recharge.quantity, recharge.unit) == (350.0, "kW")
    # The aménageur is empty: the operator IONITY is the one organisation, not two.
    assert recharge.source == "org-ionity"
    assert {f.source for f in toile.flows if f.kind.value == "service"} == {"org-ionity"}
    [ionity] = [a for a in toile.actors if a.id.startswith("org-")]
    assert (ionity.id, ionity.provenance) == ("org-ionity", recharge.provenance)
    assert "irve_consolide_extrait.csv, ligne 3" in (recharge.provenance or "")
    round_trip(toile, tmp_path)


def test_read_irve_real_vendee_row_without_insee_placed_by_its_address() -> None:
    report: list[Problem] = []
    toile = read_irve(REAL, "85", report=report)
    station = toile.actor("station-frcpie6610355")
    assert station.commune_insee == "85019"  # Bellevigny, from « 85170 Bellevigny »
    assert station.epci == "CC de Vie et Boulogne"
    assert "commune déduite de l'adresse (85170 Bellevigny)" in (station.description or "")
    # Aménageur, opérateur empty: the brand is the one organisation.
    assert [a.id for a in toile.actors if a.id.startswith("org-")] == [
        "org-station-super-u-bellevigny-4"
    ]
    assert any(
        "1 point(s) sans code INSEE placé(s) par le code postal" in p.message for p in report
    )
    assert all(p.severity == "warning" for p in report)


def test_read_irve_real_longueau_points_all_kept_with_territory_80() -> None:
    report: list[Problem] = []
    toile = read_irve(LONGUEAU, "80", report=report)
    stations = [a for a in toile.actors if a.id.startswith("station-")]
    assert len(stations) == 4  # three without INSEE code, one with 80489
    assert {a.commune_insee for a in stations} == {"80489"}
    assert {a.epci for a in stations} == {"CA Amiens Métropole"}
    assert any(
        "3 point(s) sans code INSEE placé(s) par le code postal" in p.message for p in report
    )
    # The same four points with the EPCI named by name or by SIREN.
    for territory in ("CA Amiens Métropole", "248000531"):
        assert len(read_irve(LONGUEAU, territory).actors) == len(toile.actors)


def _without_address(tmp_path: Path) -> Path:
    """The first real Longueau row with its address cut (a modified copy, not a real row)."""
    header, row = LONGUEAU.read_text(encoding="utf-8").splitlines()[:2]
    modified = row.replace('"3 Rue Laurent Lavoisier, 80330 Longueau"', "Rue Laurent Lavoisier")
    path = tmp_path / "irve_sans_adresse.csv"
    path.write_text(f"{header}\n{modified}\n", encoding="utf-8")
    return path


def test_read_irve_point_without_insee_nor_address_placed_by_coordinates(
    tmp_path: Path,
) -> None:
    report: list[Problem] = []
    toile = read_irve(_without_address(tmp_path), "80", report=report)
    station = toile.actor("station-athtbe1012061")
    assert station.commune_insee == "80489"
    assert "centre de Longueau le plus proche, à 0.8 km" in (station.description or "")
    [placed] = [p for p in report if "par leurs coordonnées" in p.message]
    assert "1 point(s)" in placed.message
    assert "médiane" in placed.message


def test_read_irve_point_that_cannot_be_placed_is_named(tmp_path: Path) -> None:
    header, row = _without_address(tmp_path).read_text(encoding="utf-8").splitlines()
    unplaced = row.replace('"[2.36761800,49.87723700]"', "").replace(",2.367618,49.877237,", ",,,")
    path = tmp_path / "irve_sans_lieu.csv"
    path.write_text(f"{header}\n{row.replace('1,', '9,', 1)}\n{unplaced}\n", encoding="utf-8")
    report: list[Problem] = []
    read_irve(path, "80", report=report)
    [named] = [p for p in report if "impossible de les placer" in p.message]
    assert "1 point(s)" in named.message
    assert "ligne 3 (ATHTBE1012061)" in named.message


def test_read_irve_nothing_in_territory_is_an_error_unless_allowed() -> None:
    with pytest.raises(ValidationError) as info:
        read_irve(LONGUEAU, "59")
    message = str(info.value)
    assert "aucun acteur gardé : 4 enregistrement(s) lu(s), dont 4 hors du territoire" in message
    assert "--allow-empty" in message
    assert "{" not in message
    assert read_irve(LONGUEAU, "59", allow_empty=True).actors == ()


def test_read_irve_schema_example_swaps_lat_lon(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_irve(SCHEMA_EXAMPLE, "75", report=report)
    station = toile.actor("station-fra68p68021001")
    assert (station.lat, station.lon) == (48.345345, 7.487105)
    assert any("[lat, lon]" in p.message for p in report)
    # The official example writes the postal code 75001 as the INSEE code: it is reported,
    # and the point is placed by its address (« 75001 Paris »).
    assert station.commune_insee == "75056"
    [unknown] = [p for p in report if "code(s) INSEE inconnu(s)" in p.message]
    assert "ligne 2 : « 75001 »" in unknown.message
    amenageur = toile.actor("org-130025265")
    assert (amenageur.siren, amenageur.name) == ("130025265", "Société X")
    round_trip(toile, tmp_path)


def test_read_irve_artois_edge_cases(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_irve(ARTOIS, "Artois", report=report)
    ids = {a.id for a in toile.actors}
    # Arras is not in the four EPCI: its station is left out.
    assert "station-frs62parra01" not in ids
    bethune = toile.actor("station-frs62pbeth01")
    assert bethune.epci == "CABBALR"
    assert "2 point(s)" in (bethune.description or "")
    # 22 kW + 22000 (written in W) = 44 kW.
    [recharge] = [f for f in toile.flows if f.target == bethune.id and f.kind.value == "recharge"]
    assert recharge.quantity == 44.0
    # "Non concerné" station id: the local id is used; power 0 is unknown, not zero.
    lens = toile.actor("station-lens-gare-01")
    assert "puissance inconnue pour 1" in (lens.description or "")
    [unknown] = [f for f in toile.flows if f.target == lens.id and f.kind.value == "recharge"]
    assert unknown.quantity is None
    # Both ids "Non concerné": grouped by name and coordinates (written [lat, lon]).
    [lievin] = [a for a in toile.actors if a.name == "Liévin Mairie"]
    assert (lievin.lat, lievin.lon) == (50.4198, 2.7807)
    # Empty INSEE code resolved from the postal code and commune name (bundled communes).
    assert toile.actor("station-frcpie6299999").commune_insee == "62498"
    # SIREN kept when valid; empty SIREN: identified by name.
    assert toile.actor("org-246200364").siren == "246200364"
    assert toile.actor("org-ville-de-bethune").kind.value == "commune"
    messages = " | ".join(p.message for p in report)
    for expected in ("en W", "nulle ou absente", "sans identifiant de station", "[lat, lon]"):
        assert expected in messages
    round_trip(toile, tmp_path)


def test_read_irve_ids_are_stable() -> None:
    first = read_irve(ARTOIS, "Artois")
    second = read_irve(ARTOIS, "Artois")
    assert [a.id for a in first.actors] == [a.id for a in second.actors]
    assert [f.id for f in first.flows] == [f.id for f in second.flows]


def _irve_file(tmp_path: Path, body: str, *, encoding: str = "utf-8") -> Path:
    header = (
        "nom_amenageur,nom_operateur,id_station_itinerance,nom_station,adresse_station,"
        "code_insee_commune,coordonneesXY,id_pdc_itinerance,puissance_nominale\n"
    )
    path = tmp_path / "irve.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def test_read_irve_truncated_last_line(tmp_path: Path) -> None:
    path = _irve_file(
        tmp_path,
        'Ville,Izivia,FRS62P1,Gare,"1 rue X, 62400 Béthune",62119,"[2.6, 50.5]",FRS62E1,22\n'
        'Ville,Izivia,FRS62P2,Gare,"2 rue X, 62400 Béthune',
    )
    with pytest.raises(ValidationError) as info:
        read_irve(path, "CABBALR")
    [problem] = info.value.errors
    assert problem.file == str(path)
    assert problem.line == 3
    assert "tronquée" in problem.message


def test_read_irve_last_line_with_missing_cells(tmp_path: Path) -> None:
    path = _irve_file(tmp_path, 'Ville,Izivia,FRS62P1,Gare,"1 rue X",62119\n')
    with pytest.raises(ValidationError) as info:
        read_irve(path, "CABBALR")
    [problem] = info.value.errors
    assert (problem.line, problem.column) == (2, "coordonneesXY")
    assert "6 cellules pour les 9 colonnes" in problem.message


def test_read_irve_wrong_columns(tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("id;nom;type\na;A;entreprise\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_irve(path, "CABBALR")
    [problem] = info.value.errors
    assert problem.line == 1
    assert "id_pdc_itinerance" in problem.message
    assert "fichier IRVE" in problem.message
    assert "id, nom, type" in problem.message


def test_read_irve_bytes_not_utf8_name_their_line(tmp_path: Path) -> None:
    good = 'Ville,Izivia,FRS62P1,Gare,"1 rue",62119,"[2.6, 50.5]",FRS62E1,22\n' * 3000
    path = tmp_path / "irve.csv"
    header = _irve_file(tmp_path, "").read_bytes()
    bad = 'Ville,Izivia,FRS62P9,Béthune,"1 rue",62119,"[2.6, 50.5]",FRS62E9,22\n'.encode("cp1252")
    path.write_bytes(header + good.encode() + bad)
    with pytest.raises(ValidationError) as info:
        read_irve(path, "CABBALR")
    [problem] = info.value.errors
    assert problem.line == 3002
    assert "UTF-8 attendu" in problem.message


def test_read_irve_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    path = _irve_file(
        tmp_path,
        'Ville de Béthune,Izivia,FRS62P1,Gare,"1 rue",62119,"[2.6, 50.5]",FRS62E1,22\n',
        encoding="cp1252",
    )
    report: list[Problem] = []
    toile = read_irve(path, "CABBALR", report=report)
    assert toile.actor("org-ville-de-bethune").name == "Ville de Béthune"
    assert any("cp1252" in p.message for p in report)


def test_read_irve_utf16_is_refused(tmp_path: Path) -> None:
    path = _irve_file(tmp_path, "", encoding="utf-16")
    with pytest.raises(ValidationError, match="UTF-16"):
        read_irve(path, "CABBALR")


def test_import_source_irve_writes_nothing_on_error(tmp_path: Path) -> None:
    path = _irve_file(tmp_path, 'Ville,Izivia,FRS62P1,Gare,"1 rue')
    out = tmp_path / "sortie" / "toile"
    with pytest.raises(ValidationError):
        import_source("irve", path, territory="CABBALR", out=out)
    assert not out.exists()
    assert leftovers(tmp_path) == ["irve.csv"]


def test_read_irve_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="introuvable"):
        read_irve(tmp_path / "absent.csv", "CABBALR")


def test_read_irve_empty_amenageur_with_siren_is_the_operator(tmp_path: Path) -> None:
    # The real Raiden row of Longueau with its nom_amenageur emptied (a modified copy):
    # the SIREN and the operator RAIDEN are then one organisation, not two.
    header, *rows = LONGUEAU.read_text(encoding="utf-8").splitlines()
    modified = rows[3].replace("ASIA AUTOMOTIVE,892613597,", ",892613597,", 1)
    path = tmp_path / "irve.csv"
    path.write_text(f"{header}\n{modified}\n", encoding="utf-8")
    toile = read_irve(path, "80")
    [organisation] = [a for a in toile.actors if a.id.startswith("org-")]
    assert (organisation.id, organisation.name, organisation.siren) == (
        "org-892613597",
        "RAIDEN",
        "892613597",
    )
    assert {f.source for f in toile.flows} == {"org-892613597"}


def _longueau_records() -> list[dict[str, str]]:
    with LONGUEAU.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("form", ["geojson", "json", "jsonl"])
def test_read_irve_json_forms_give_the_csv_toile(tmp_path: Path, form: str) -> None:
    # The real Longueau rows in the JSON forms an API or a site export gives.
    records: list[dict[str, object]] = [dict(r) for r in _longueau_records()]
    path = tmp_path / f"irve.{form}"
    if form == "geojson":  # coordinates only in the geometry, not in the properties
        features = []
        for record in records:
            lon, lat = (
                float(str(record["consolidated_longitude"])),
                float(str(record["consolidated_latitude"])),
            )
            for key in ("coordonneesXY", "consolidated_longitude", "consolidated_latitude"):
                record.pop(key)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": record,
                }
            )
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    elif form == "json":
        path.write_text(json.dumps(records), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    toile = read_irve(path, "80")
    expected = read_irve(LONGUEAU, "80")
    assert [(a.id, a.commune_insee, a.lat, a.lon) for a in toile.actors] == [
        (a.id, a.commune_insee, a.lat, a.lon) for a in expected.actors
    ]
    assert "enregistrements 1, 2" in (toile.actor("org-chargepoint").provenance or "")


def test_read_irve_point_far_from_every_centre_is_not_placed(tmp_path: Path) -> None:
    # The first real Longueau row, address cut and coordinates moved to the open sea off
    # Brittany (a modified copy): no commune centre within 20 km, so it is named, not placed.
    header, row = _without_address(tmp_path).read_text(encoding="utf-8").splitlines()
    at_sea = row.replace('"[2.36761800,49.87723700]"', '"[-6.5,47.5]"').replace(
        ",2.367618,49.877237,", ",-6.5,47.5,"
    )
    path = tmp_path / "irve_en_mer.csv"
    path.write_text(f"{header}\n{at_sea}\n", encoding="utf-8")
    report: list[Problem] = []
    toile = read_irve(path, "29", report=report, allow_empty=True)
    assert toile.actors == ()
    [named] = [p for p in report if "impossible de les placer" in p.message]
    assert "ligne 2 (à " in named.message
    assert "km du centre de commune connu le plus proche)" in named.message
