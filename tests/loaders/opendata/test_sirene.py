from __future__ import annotations

import csv
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from tests.loaders.opendata.conftest import OPENDATA, round_trip
from toiles.errors import Problem, ValidationError
from toiles.loaders import load_toile
from toiles.loaders.opendata import (
    enrich_toile,
    enrich_toile_folder,
    read_sirene,
    write_toile_folder,
)
from toiles.loaders.opendata._common import PREFETCH_THREAD, Collector
from toiles.loaders.opendata.sirene import STOCK_COLUMNS, iter_establishments
from toiles.loaders.opendata.territory import parse_territory
from toiles.reference import reference_root

STOCK = OPENDATA / "sirene_stock_reconstruit.csv"
TOILE = OPENDATA / "toile_a_enrichir"


def test_read_sirene_excerpt(tmp_path: Path) -> None:
    report: list[Problem] = []
    toile = read_sirene(STOCK, "Artois", report=report)
    sucrerie = toile.actor("etab-00123456600014")
    # SIRET kept as text with its leading zeros.
    assert (sucrerie.siret, sucrerie.siren) == ("00123456600014", "001234566")
    assert (sucrerie.naf, sucrerie.employees, sucrerie.epci) == ("10.81Z", 50, "CABBALR")
    # Lambert 93 (674450.4, 7048485.8) is Béthune in WGS84.
    assert sucrerie.lat == pytest.approx(50.5331, abs=1e-4)
    assert sucrerie.lon == pytest.approx(2.6402, abs=1e-4)
    assert "ZONE EST" in (sucrerie.description or "")  # quoted address with a comma
    assert toile.actor("etab-31234567100019").lat is None  # [ND] coordinates
    old = toile.actor("etab-41234567000019")
    assert old.naf is None
    assert "NAFRev1" in (old.description or "")
    ids = {a.id for a in toile.actors}
    assert "etab-51234567900017" not in ids  # closed
    assert "etab-61234567800017" not in ids  # Arras
    assert toile.actor("etab-71234567700017").name == "Établissement 71234567700017"
    messages = " | ".join(p.message for p in report)
    assert "fermé" in messages
    assert "ancienne nomenclature" in messages
    round_trip(toile, tmp_path)


def _as_distributed(tmp_path: Path, source: Path = STOCK) -> Path:
    """Zip a stock excerpt the way INSEE distributes the stock file."""
    archive = tmp_path / "StockEtablissement_utf8.zip"
    member = zipfile.ZipInfo("StockEtablissement_utf8.csv", date_time=(2024, 11, 1, 3, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(member, source.read_bytes())
    return archive


def test_read_sirene_zip_as_distributed(tmp_path: Path) -> None:
    archive = _as_distributed(tmp_path)
    from_zip = read_sirene(archive, "Artois")
    from_csv = read_sirene(STOCK, "Artois")
    assert [a.model_dump(exclude={"provenance"}) for a in from_zip.actors] == [
        a.model_dump(exclude={"provenance"}) for a in from_csv.actors
    ]
    provenance = from_zip.actor("etab-00123456600014").provenance or ""
    assert "StockEtablissement_utf8.zip (StockEtablissement_utf8.csv), ligne 2" in provenance
    assert (
        "StockEtablissement_utf8.zip (StockEtablissement_utf8.csv), fichier du"
        in (from_zip.sources[0])
    )


def test_read_sirene_zip_without_csv_is_a_french_error(tmp_path: Path) -> None:
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("LISEZMOI.pdf", b"%PDF")
    with pytest.raises(ValidationError) as info:
        read_sirene(archive, "Artois")
    assert "l'archive zip ne contient aucun fichier CSV ou JSON (LISEZMOI.pdf)" in str(info.value)


def test_read_sirene_old_naf_warning_counts_only_kept_rows(tmp_path: Path) -> None:
    # Two old-NAF rows: one open (kept), one closed (dropped as closed, not counted again).
    with STOCK.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, old = rows[0], next(r for r in rows if "NAFRev1" in r)
    closed = list(old)
    closed[header.index("siret")] = "41234567000027"
    closed[header.index("nic")] = "00027"
    closed[header.index("etatAdministratifEtablissement")] = "F"
    path = tmp_path / "stock.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, old, closed])
    report: list[Problem] = []
    read_sirene(_as_distributed(tmp_path, path), "Artois", report=report)
    [warning] = [p for p in report if "ancienne nomenclature" in p.message]
    assert warning.message.startswith("1 établissement(s) gardé(s)")
    assert any(p.message.startswith("1 établissement(s) fermé(s)") for p in report)


def test_read_sirene_nothing_kept_says_which_filters() -> None:
    with pytest.raises(ValidationError) as info:
        read_sirene(STOCK, "CALL", naf="01")
    message = str(info.value)
    assert "aucun acteur gardé : 6 enregistrement(s) lu(s), dont 5 hors du territoire" in message
    assert "filtres : établissements ouverts, NAF 01" in message


def test_read_sirene_naf_and_employee_filters() -> None:
    by_naf = read_sirene(STOCK, "Artois", naf="24,10.8")
    assert sorted(a.naf or "" for a in by_naf.actors) == ["10.81Z", "24.10Z"]
    by_size = read_sirene(STOCK, "Artois", min_employees=20)
    assert sorted(a.employees or 0 for a in by_size.actors) == [20, 50]


def test_read_sirene_departement_filter() -> None:
    toile = read_sirene(STOCK, "62")
    assert "etab-61234567800017" in {a.id for a in toile.actors}


def test_iter_establishments_is_a_stream() -> None:
    collector = Collector(str(STOCK))
    stream = iter_establishments(STOCK, parse_territory("CALL"), collector)
    assert iter(stream) is stream  # a generator: rows are never all in memory
    assert [e.siret for e in stream] == ["31234567100019"]


def test_read_sirene_wrong_columns(tmp_path: Path) -> None:
    path = tmp_path / "StockUniteLegale.csv"
    path.write_text("siren,denominationUniteLegale\n001234566,EXEMPLE\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_sirene(path, "Artois")
    [problem] = info.value.errors
    assert problem.line == 1
    assert "siret" in problem.message
    assert "StockEtablissement" in problem.message


def test_read_sirene_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "StockEtablissement.csv"
    text = STOCK.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("RUE DE LA GARE") + 5], encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_sirene(path, "Artois")
    [problem] = info.value.errors
    assert problem.line == 7
    assert str(path) == problem.file


def test_enrich_toile_fills_empty_fields_only() -> None:
    toile = load_toile(TOILE)
    enriched, report = enrich_toile(toile, STOCK)
    sucrerie = enriched.actor("sucrerie")
    assert (sucrerie.naf, sucrerie.employees, sucrerie.commune_insee) == ("10.81Z", 50, "62119")
    assert sucrerie.lat is not None
    assert sucrerie.name == "Sucrerie (saisie à la main)"  # never replaced
    assert sucrerie.tags == ("agroalimentaire",)
    acierie = enriched.actor("acierie")
    # Values a person entered are kept; SIRENE's differing values are reported.
    assert (acierie.naf, acierie.employees) == ("24.20Z", 35)
    assert acierie.description == "Effectif donné par l'entreprise en 2024"
    assert acierie.commune_insee == "62498"
    assert report.kept["acierie"] == {"naf": "24.10Z", "employees": "20"}
    assert set(report.filled["sucrerie"]) >= {"naf", "employees", "commune_insee", "lat", "lon"}
    assert "naf" not in report.filled["acierie"]
    assert report.not_found == ["absente"]
    assert report.closed == ["ferme"]
    assert enriched.actor("zae-exemple") == toile.actor("zae-exemple")
    assert enriched.flows == toile.flows
    assert "3 acteur(s)" in report.lines()[-1]
    lines = report.lines()  # what « toiles enrich » prints: codes with INSEE's labels
    assert any("naf = 10.81Z — Fabrication de sucre" in line for line in lines)
    assert (
        "acierie : valeur saisie gardée pour naf (SIRENE : 24.10Z — Sidérurgie), "
        "employees (SIRENE : 20)"
    ) in lines


def test_enrich_toile_from_the_zip(tmp_path: Path) -> None:
    toile = load_toile(TOILE)
    from_zip, report_zip = enrich_toile(toile, _as_distributed(tmp_path))
    from_csv, report_csv = enrich_toile(toile, STOCK)
    assert report_zip.filled.keys() == report_csv.filled.keys()
    assert [a.naf for a in from_zip.actors] == [a.naf for a in from_csv.actors]


def test_enrich_toile_folder_writes_a_valid_folder(tmp_path: Path) -> None:
    out, report = enrich_toile_folder(TOILE, STOCK, out=tmp_path / "enrichie")
    assert load_toile(out).actor("sucrerie").naf == "10.81Z"
    assert report.count > 0
    # The original folder is untouched.
    assert load_toile(TOILE).actor("sucrerie").naf is None


def test_enrich_toile_of_a_bundled_reference_toile(tmp_path: Path) -> None:
    toile = load_toile(reference_root() / "artois-energie-T0")
    target = next(a for a in toile.actors if a.kind.value == "entreprise" and not a.siret)
    with_siret = toile.model_copy(
        update={
            "actors": tuple(
                a.model_copy(update={"siret": "00123456600014", "siren": "001234566"})
                if a.id == target.id
                else a
                for a in toile.actors
            )
        }
    )
    enriched, report = enrich_toile(with_siret, STOCK)
    before, after = with_siret.actor(target.id).model_dump(), enriched.actor(target.id).model_dump()
    for name, value in before.items():
        if value not in (None, "", ()):
            assert after[name] == value, name  # nothing a person entered is replaced
    assert set(report.filled.get(target.id, {})) <= {
        k for k, v in before.items() if v in (None, "")
    }
    assert [a for a in enriched.actors if a.id != target.id] == [
        a for a in with_siret.actors if a.id != target.id
    ]
    write_toile_folder(enriched, tmp_path / "t")
    assert load_toile(tmp_path / "t") == enriched


def test_enrich_toile_streams_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "StockEtablissement.csv"
    shutil.copy(STOCK, path)
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        filler = [""] * len(STOCK_COLUMNS)
        filler[STOCK_COLUMNS.index("siret")] = "99999999999999"
        filler[STOCK_COLUMNS.index("codeCommuneEtablissement")] = "75056"
        writer.writerows([filler] * 20_000)
    enriched, report = enrich_toile(load_toile(TOILE), path)
    assert enriched.actor("sucrerie").naf == "10.81Z"
    assert report.not_found == ["absente"]


def test_read_sirene_damaged_zip_is_a_french_error(tmp_path: Path) -> None:
    # The archive's checksum of its CSV is made wrong (as a corrupted download would have
    # it): the data read fine, then the check at the end of the member fails.
    archive = _as_distributed(tmp_path)
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")  # the central directory entry; CRC-32 at +16
    data[central + 16 : central + 20] = bytes(4)
    archive.write_bytes(bytes(data))
    with pytest.raises(ValidationError) as info:
        read_sirene(archive, "Artois")
    [problem] = info.value.errors
    assert problem.message == (
        "archive zip endommagée à la lecture (somme de contrôle fausse ou données tronquées) : "
        "téléchargez-la à nouveau"
    )
    # The reading thread was stopped and joined.
    assert not [t for t in threading.enumerate() if t.name == PREFETCH_THREAD]
