"""The bundled commune tables: the national one agrees with the Artois one and is usable."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from toiles.territory import (
    EPCI_SHORT_NAMES,
    commune_by_postal_code,
    communes,
    current_commune,
    find_commune_by_name,
    find_epci,
    national_communes,
    national_epci,
    nearest_commune,
)

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).parents[1]


def test_national_communes_counts() -> None:
    table = national_communes()
    current = [c for c in table.values() if not c.parent]
    assert len(current) == 34_969  # communes of the COG in decoupage-administratif 6.0.0
    assert sum(1 for c in current if c.lat is not None) == 14_741
    assert len(national_epci()) > 1_200
    assert (ROOT / "toiles" / "data" / "communes_fr.csv.gz").stat().st_size < 2_000_000


def test_national_communes_agree_with_the_artois_table() -> None:
    national = national_communes()
    for insee, commune in communes().items():
        assert national[insee].epci_siren == commune.epci_siren, insee
        assert national[insee].epci == commune.epci, insee
    renamed = {i for i, c in communes().items() if national[i].name != c.name}
    assert renamed == {"62486"}  # Lambres, now Lambres-lez-Aire in the 2025 COG
    assert {c.epci_siren for c in communes().values()} == set(EPCI_SHORT_NAMES)


def test_current_commune_of_old_codes_and_arrondissements() -> None:
    assert current_commune("75101").insee == "75101"  # an arrondissement is kept
    assert current_commune("75101").epci_name == "Métropole du Grand Paris"
    old = [c for c in national_communes().values() if c.parent and not c.postal_codes]
    assert old  # delegated and associated communes
    assert all(current_commune(c.insee).insee == c.parent for c in old[:200])


@pytest.mark.parametrize(
    ("postal", "name", "insee"),
    [
        ("80330", "Longueau", "80489"),
        ("85170", "Bellevigny", "85019"),
        ("62400", "BETHUNE", "62119"),
        ("75001", "Paris", "75056"),
        ("62000", "Arras Cedex", "62041"),
    ],
)
def test_commune_by_postal_code(postal: str, name: str, insee: str) -> None:
    commune = commune_by_postal_code(postal, name)
    assert commune is not None
    assert commune.insee == insee


def test_commune_by_postal_code_refuses_to_guess() -> None:
    assert commune_by_postal_code("62400", None) is None  # several communes share 62400
    assert commune_by_postal_code("99999", "Nulle Part") is None


def test_find_epci_by_siren_name_and_short_name() -> None:
    assert find_epci("CA de Béthune-Bruay, Artois-Lys Romane") == "200072460"
    assert find_epci("ca de bethune bruay artois lys romane") == "200072460"
    assert find_epci("CALL") == "246200364"
    assert find_epci("CU d'Arras") == "200033579"
    assert find_epci("CA du Pays Imaginaire") is None


def test_nearest_commune_of_the_commune_centres() -> None:
    # A commune's own centre is nearest to itself, at zero distance.
    for insee in ("62119", "80489", "85191", "2A004", "59350"):
        commune = national_communes()[insee]
        assert commune.lat is not None
        assert commune.lon is not None
        found, km = nearest_commune(commune.lat, commune.lon)
        assert (found.insee, km) == (insee, 0.0)


def test_find_commune_by_name_within_a_departement() -> None:
    assert find_commune_by_name("SAINT JEAN SAINT NICOLAS", "05").name == (
        "Saint-Jean-Saint-Nicolas"
    )
    assert find_commune_by_name("CORTE", "20").insee == "2B096"
    assert find_commune_by_name("Saint-Denis") is None  # several départements: ambiguous
    assert find_commune_by_name("Saint-Denis", "93").insee == "93066"


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_communes_fr", ROOT / "scripts" / "build_communes_fr.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_communes_fr_on_a_tiny_source(tmp_path: Path) -> None:
    # A hand-made miniature of the two packages (invented values, real layout).
    data = tmp_path / "decoupage" / "data"
    data.mkdir(parents=True)
    records = [
        {"code": "01001", "nom": "Une", "type": "commune-actuelle", "departement": "01",
         "codesPostaux": ["01400"], "population": 800},
        {"code": "01002", "nom": "Nouvelle", "type": "commune-actuelle", "departement": "01",
         "codesPostaux": ["01500"], "population": 1200},
        {"code": "01003", "nom": "Ancienne", "type": "commune-deleguee", "departement": "01",
         "chefLieu": "01002"},
        {"code": "01002", "nom": "Nouvelle", "type": "commune-deleguee", "departement": "01",
         "chefLieu": "01002"},
    ]  # fmt: skip
    (data / "communes.json").write_text(json.dumps(records), encoding="utf-8")
    epci = [{"code": "200000001", "nom": "CC Exemple", "membres": [{"code": "01001"},
             {"code": "01002"}]}]  # fmt: skip
    (data / "epci.json").write_text(json.dumps(epci), encoding="utf-8")
    geonames = tmp_path / "cities500.txt"
    cells = ["1", "Une", "", "", "46.1", "5.1", "P", "PPL", "FR", "", "", "", "", "01001", "800"]
    old = ["2", "Ancienne", "", "", "46.2", "5.2", "P", "PPL", "FR", "", "", "", "", "01003", "90"]
    geonames.write_text("\t".join(cells) + "\n" + "\t".join(old) + "\n", encoding="utf-8")
    script = _build_script()
    rows = script.build_rows(tmp_path / "decoupage", script.geonames_points(geonames))
    out = tmp_path / "communes.csv.gz"
    script.write_table(rows, out)
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines == [
        "insee,nom,departement,epci_siren,epci_nom,codes_postaux,population,lat,lon,parent",
        "01001,Une,01,200000001,CC Exemple,01400,800,46.10000,5.10000,",
        # The new commune has no point of its own: it takes its old commune's.
        "01002,Nouvelle,01,200000001,CC Exemple,01500,1200,46.20000,5.20000,",
        "01003,Ancienne,01,200000001,CC Exemple,,,46.20000,5.20000,01002",
    ]
    script.write_table(rows, tmp_path / "again.csv.gz")  # reproducible, byte for byte
    assert (tmp_path / "again.csv.gz").read_bytes() == out.read_bytes()
