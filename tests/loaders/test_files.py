from pathlib import Path

from tests.conftest import small_toile
from toiles.loaders import load_toile, save_toile, write_toile_json


def test_save_toile_round_trip(tmp_path: Path) -> None:
    toile = small_toile()
    save_toile(toile, tmp_path / "t")
    assert load_toile(tmp_path / "t") == toile


def test_save_toile_excel_round_trip(tmp_path: Path) -> None:
    toile = small_toile()
    folder = save_toile(toile, tmp_path / "t", excel=True)
    raw = (folder / "flows.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b";1,2345;GWh;" in raw  # decimal comma for French Excel
    assert load_toile(folder) == toile


def test_write_toile_json_round_trip(tmp_path: Path) -> None:
    toile = small_toile()
    path = write_toile_json(toile, tmp_path / "t.json")
    assert load_toile(path) == toile


def test_load_toile_json_reports_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        '{"id": "t", "name": "T", "theme": "energie", "actors": [{"id": "a", "name": "A", "kind": "usine"}]}'
    )
    from toiles.loaders import validate_toile

    [problem] = validate_toile(path).errors
    assert problem.column == "actors.0.kind"
