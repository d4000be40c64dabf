from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.loaders.opendata.conftest import OPENDATA, leftovers
from toiles.errors import Problem, ValidationError
from toiles.loaders import load_toile
from toiles.loaders.opendata import IMPORTERS, import_source, read_irve, write_toile_folder
from toiles.models import Actor
from toiles.models.vocab import ActorKind

CASES = [
    ("irve", OPENDATA / "irve_artois_cas_limites.csv", {}),
    ("bnpe", OPENDATA / "bnpe_site_export_reconstruit.csv", {"year": 2022}),
    (
        "registre-electricite",
        OPENDATA / "registre_artois_camelcase_reconstruit.csv",
        {"min_kw": 36},
    ),
    ("sirene", OPENDATA / "sirene_stock_reconstruit.csv", {"naf": "10,24", "min_employees": None}),
    ("reseaux-chaleur", OPENDATA / "reseaux_chaleur_reconstruit.csv", {"year": 2022}),
]


def test_importers_names() -> None:
    assert list(IMPORTERS) == [
        "irve",
        "bnpe",
        "registre-electricite",
        "sirene",
        "reseaux-chaleur",
    ]


@pytest.mark.parametrize(("source", "path", "options"), CASES)
def test_import_source_writes_a_valid_toile(
    tmp_path: Path, source: str, path: Path, options: dict[str, Any]
) -> None:
    report: list[Problem] = []
    out = import_source(
        source, path, territory="Artois", out=tmp_path / "toile", report=report, **options
    )
    assert leftovers(tmp_path) == ["toile"]
    toile = load_toile(out)
    assert toile.actors
    info = yaml.safe_load((out / "toile.yaml").read_text(encoding="utf-8"))
    assert info["territory"]["name"] == "Artois"
    assert path.name in info["sources"][0]


def test_import_source_theme_option(tmp_path: Path) -> None:
    (path,) = [c[1] for c in CASES if c[0] == "sirene"]
    out = import_source("sirene", path, territory="CALL", out=tmp_path / "t", theme="Énergie")
    assert load_toile(out).theme.value == "energie"


def test_import_source_bad_theme(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="vouliez-vous dire"):
        import_source("irve", CASES[0][1], territory="CALL", out=tmp_path / "t", theme="energi")


def test_import_source_unknown_source_and_option(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="sources possibles"):
        import_source("eolien", CASES[0][1], territory="CALL", out=tmp_path / "t")
    with pytest.raises(ValidationError, match="--min-kw"):
        import_source("irve", CASES[0][1], territory="CALL", out=tmp_path / "t", min_kw=10)
    assert leftovers(tmp_path) == []


def test_import_source_replaces_a_toile_but_not_other_folders(tmp_path: Path) -> None:
    out = tmp_path / "t"
    import_source("irve", CASES[0][1], territory="CALL", out=out)
    import_source("irve", CASES[0][1], territory="CABBALR", out=out)
    assert "CABBALR" in load_toile(out).name
    assert leftovers(tmp_path) == ["t"]
    other = tmp_path / "documents"
    other.mkdir()
    (other / "note.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(ValidationError, match="n'est pas une toile"):
        import_source("irve", CASES[0][1], territory="CALL", out=other)
    assert leftovers(other) == ["note.txt"]


def test_write_toile_folder_leaves_nothing_when_the_toile_is_invalid(tmp_path: Path) -> None:
    toile = read_irve(CASES[0][1], "CALL")
    # A model built without validation: its id and empty name fail on reading back.
    bad = toile.model_copy(
        update={
            "actors": (
                *toile.actors,
                Actor.model_construct(id="x y", name="", kind=ActorKind.ENTREPRISE),
            )
        }
    )
    out = tmp_path / "a" / "b" / "toile"
    with pytest.raises(ValidationError):
        write_toile_folder(bad, out)
    assert leftovers(tmp_path) == []
