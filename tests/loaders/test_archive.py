"""Zipped toile folders: paths, member counts and the bytes that really inflate are bounded."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from toiles.errors import TooLarge, ValidationError
from toiles.loaders.archive import extract_toile_archive

MB = 1_000_000


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _forge_sizes(path: Path, declared: int) -> None:
    """Make every member claim ``declared`` bytes once inflated (headers lie, data does not)."""
    raw = bytearray(path.read_bytes())
    start = 0
    while (at := raw.find(b"PK\x03\x04", start)) >= 0:  # local headers: size at +22
        raw[at + 22 : at + 26] = struct.pack("<I", declared)
        start = at + 4
    start = 0
    while (at := raw.find(b"PK\x01\x02", start)) >= 0:  # central directory: size at +24
        raw[at + 24 : at + 28] = struct.pack("<I", declared)
        start = at + 4
    path.write_bytes(bytes(raw))


def test_extract_toile_archive_keeps_toile_files_only(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "t.zip",
        {"dossier/toile.yaml": b"id: t", "dossier/actors.csv": b"id\n", "notes.txt": b"x"},
    )
    out = tmp_path / "out"
    out.mkdir()
    written = extract_toile_archive(archive, out, max_bytes=MB)
    assert sorted(p.name for p in written) == ["actors.csv", "toile.yaml"]
    assert (out / "toile.yaml").read_text() == "id: t"


def test_extract_toile_archive_stops_an_honest_bomb_at_the_cap(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", {"actors.csv": b"0" * (40 * MB)})
    assert archive.stat().st_size < MB // 10  # 40 MB of zeros deflate to tens of KB
    out = tmp_path / "out"
    out.mkdir()
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="trop volumineuse une fois décompressée"):
            extract_toile_archive(archive, out, max_bytes=MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB  # streamed in chunks, never held whole
    assert list(out.iterdir()) == []  # nothing half-written is left


def test_extract_toile_archive_counts_inflated_bytes_not_declared_ones(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "liar.zip", {"flows.csv": b"0" * (40 * MB)})
    _forge_sizes(archive, 100)  # claims 100 bytes: the old guard let it through
    out = tmp_path / "out"
    out.mkdir()
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            extract_toile_archive(archive, out, max_bytes=MB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.problems[0].file == "archive.zip"
    assert peak < 5 * MB
    assert list(out.iterdir()) == []


def test_extract_toile_archive_caps_one_member(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "m.zip", {"toile.yaml": b"id: t", "actors.csv": b"1" * 5000})
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TooLarge, match=r"actors\.csv trop volumineux"):
        extract_toile_archive(archive, out, max_bytes=MB, max_member_bytes=1000)


def test_extract_toile_archive_refuses_too_many_members(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "n.zip", {f"f{i}.txt": b"" for i in range(20)})
    with pytest.raises(ValidationError, match="archive de 20 fichiers"):
        extract_toile_archive(archive, tmp_path, max_bytes=MB, max_members=10)


@pytest.mark.parametrize("name", ["../toile.yaml", "/etc/toile.yaml"])
def test_extract_toile_archive_refuses_paths_outside(tmp_path: Path, name: str) -> None:
    archive = _zip(tmp_path / "s.zip", {name: b"id: t"})
    with pytest.raises(ValidationError, match="chemin interdit"):
        extract_toile_archive(archive, tmp_path / "x", max_bytes=MB)


def test_extract_toile_archive_refuses_a_suspect_ratio_early(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "r.zip", {"flows.csv": b"0" * (30 * MB)})  # ~1000:1
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TooLarge, match="se décompresse plus de 100 fois"):
        extract_toile_archive(archive, out, max_bytes=50 * MB)
    assert list(out.iterdir()) == []


def test_extract_toile_archive_accepts_ordinary_tables(tmp_path: Path) -> None:
    rows = "".join(f"a{i},Acteur {i},entreprise,62{i % 1000:03d}\n" for i in range(100_000))
    archive = _zip(tmp_path / "t.zip", {"actors.csv": ("id,name,kind,commune\n" + rows).encode()})
    out = tmp_path / "out"
    out.mkdir()
    assert [p.name for p in extract_toile_archive(archive, out, max_bytes=50 * MB)] == [
        "actors.csv"
    ]
