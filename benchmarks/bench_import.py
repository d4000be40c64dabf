"""Benchmark the SIRENE importer on a generated stock file of 2 million establishments.

The file has the 53 columns of INSEE's ``StockEtablissement_utf8.csv`` and realistic cells
(SIRET with leading zeros, NAF codes in three nomenclatures, Lambert 93 coordinates,
addresses with commas in quotes); about 1 % of the rows lie in the four EPCI of the Artois
agency, the rest all over France. It is written to a temporary folder, deleted afterwards.

The file is then zipped the way INSEE distributes it (``StockEtablissement_utf8.zip``,
deflate, the CSV inside). The measure is ``read_sirene(path, "Artois")`` on the CSV and
straight on the zip (the CSV decompressed as it is read, by a thread beside the parser),
each run in a child process so that its peak resident memory is its own. A third case,
``zip_legal_units``, reads the zip and then a zipped ``StockUniteLegale``-like file (one row
per SIREN of the stock, 34 columns) to name the establishments kept (``--unites-legales``);
its ``rows_per_s`` counts the rows of both files. The cases are measured alternately
(``--repeat`` times each, 2 by default) and the best time of each is kept, because the
machine is shared: their ratios are measured in the same conditions. The last line printed
is a JSON object with ``rows``, ``file_mb``, ``zip_mb`` and, for each case, ``seconds``,
``rows_per_s``, ``peak_rss_mb``, ``kept``; the targets are 100,000 rows/s and 500 MB for
each. Run with
``.venv/bin/python benchmarks/bench_import.py [--rows N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from toiles.loaders.opendata.sirene import STOCK_COLUMNS, read_sirene
from toiles.territory import communes

ROWS = 2_000_000
SEED = 20250131
TARGET_ROWS_PER_S = 100_000
TARGET_RSS_MB = 500


def _luhn_complete(digits: str) -> str:
    """Append the Luhn check digit that makes ``digits`` a valid SIREN/SIRET."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return digits + str((10 - total % 10) % 10)


def generate(path: Path, rows: int, *, seed: int = SEED) -> None:
    """Write a StockEtablissement-like file of ``rows`` rows."""
    rng = random.Random(seed)
    artois = sorted(communes())
    departements = [f"{d:02d}" for d in range(1, 96) if d != 20]
    nafs = ["24.10Z", "20.14Z", "10.81Z", "47.11F", "62.01Z", "86.10Z", "43.21A", "56.10A"]
    column = {name: i for i, name in enumerate(STOCK_COLUMNS)}
    width = len(STOCK_COLUMNS)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(STOCK_COLUMNS)
        for n in range(rows):
            siren = _luhn_complete(f"{rng.randrange(0, 10**8):08d}")
            siret = _luhn_complete(f"{siren}{n % 10000:04d}")
            insee = (
                rng.choice(artois)
                if rng.random() < 0.01
                else f"{rng.choice(departements)}{rng.randrange(1, 900):03d}"
            )
            cells = [""] * width
            cells[column["siren"]] = siren
            cells[column["nic"]] = siret[9:]
            cells[column["siret"]] = siret
            cells[column["statutDiffusionEtablissement"]] = "O"
            cells[column["dateCreationEtablissement"]] = "2004-06-01"
            cells[column["trancheEffectifsEtablissement"]] = rng.choice(["NN", "00", "12", "21"])
            cells[column["anneeEffectifsEtablissement"]] = "2022"
            cells[column["dateDernierTraitementEtablissement"]] = "2024-03-22T09:14:27"
            cells[column["etablissementSiege"]] = rng.choice(["true", "false"])
            cells[column["nombrePeriodesEtablissement"]] = "2"
            cells[column["numeroVoieEtablissement"]] = str(rng.randrange(1, 200))
            cells[column["typeVoieEtablissement"]] = "RUE"
            cells[column["libelleVoieEtablissement"]] = "DE LA GARE, BATIMENT B"
            cells[column["codePostalEtablissement"]] = insee[:2] + "000"
            cells[column["libelleCommuneEtablissement"]] = "COMMUNE"
            cells[column["codeCommuneEtablissement"]] = insee
            cells[column["identifiantAdresseEtablissement"]] = f"{insee}_0420_00012"
            cells[column["coordonneeLambertAbscisseEtablissement"]] = f"{rng.uniform(6e5, 7e5):.1f}"
            cells[column["coordonneeLambertOrdonneeEtablissement"]] = (
                f"{rng.uniform(7e6, 7.1e6):.1f}"
            )
            cells[column["dateDebut"]] = "2008-01-01"
            cells[column["etatAdministratifEtablissement"]] = "A" if rng.random() < 0.8 else "F"
            cells[column["enseigne1Etablissement"]] = "ETABLISSEMENT"
            cells[column["activitePrincipaleEtablissement"]] = rng.choice(nafs)
            cells[column["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
            cells[column["caractereEmployeurEtablissement"]] = "O"
            writer.writerow(cells)


#: The header of INSEE's ``StockUniteLegale_utf8.csv`` (legal units, 2024).
LEGAL_UNIT_COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]


def generate_legal_units(stock: Path, path: Path) -> int:
    """Write one legal unit per SIREN of a generated stock file; return the row count."""
    column = {name: i for i, name in enumerate(LEGAL_UNIT_COLUMNS)}
    seen: set[str] = set()
    with (
        stock.open(encoding="utf-8", newline="") as source,
        path.open("w", encoding="utf-8", newline="") as handle,
    ):
        reader = csv.reader(source)
        siren_at = next(reader).index("siren")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(LEGAL_UNIT_COLUMNS)
        for row in reader:
            siren = row[siren_at]
            if siren in seen:
                continue
            seen.add(siren)
            cells = [""] * len(LEGAL_UNIT_COLUMNS)
            cells[column["siren"]] = siren
            cells[column["statutDiffusionUniteLegale"]] = "O"
            cells[column["etatAdministratifUniteLegale"]] = "A"
            cells[column["denominationUniteLegale"]] = f"SOCIETE GENEREE {siren}"
            cells[column["categorieJuridiqueUniteLegale"]] = "5710"
            cells[column["activitePrincipaleUniteLegale"]] = "24.10Z"
            cells[column["nomenclatureActivitePrincipaleUniteLegale"]] = "NAFRev2"
            writer.writerow(cells)
    return len(seen)


def measure(path: Path, rows: int, legal_units: Path | None = None) -> dict[str, float]:
    """Import the file for the Artois and return the figures (run in a child process)."""
    start = time.perf_counter()
    toile = read_sirene(path, "Artois", legal_units=legal_units)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(peak_mb, 1),
        "kept": len(toile.actors),
    }


def _child(path: Path, rows: int, legal_units: Path | None = None) -> dict[str, float]:
    """Measure one file in a fresh process (its own peak memory)."""
    extra = ["--legal-units", str(legal_units)] if legal_units is not None else []
    child = subprocess.run(  # this very script, with our own arguments
        [sys.executable, __file__, "--measure", str(path), "--rows", str(rows), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    """Generate, zip, measure each in a child process, clean up, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--legal-units", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.rows, args.legal_units)))
        return
    folder = Path(tempfile.mkdtemp(prefix="toiles-bench-"))
    try:
        path = folder / "StockEtablissement_utf8.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(
            f"fichier généré : {args.rows} lignes, {size_mb:.0f} Mo, "
            f"{time.perf_counter() - start:.1f} s"
        )
        archive = folder / "StockEtablissement_utf8.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.write(path, path.name)
        zip_mb = archive.stat().st_size / 1e6
        print(f"archive zip : {zip_mb:.0f} Mo")
        units_csv = folder / "StockUniteLegale_utf8.csv"
        units = generate_legal_units(path, units_csv)
        units_zip = folder / "StockUniteLegale_utf8.zip"
        with zipfile.ZipFile(units_zip, "w", compression=zipfile.ZIP_DEFLATED) as out:
            out.write(units_csv, units_csv.name)
        units_csv.unlink()
        print(f"unités légales : {units} lignes, zip {units_zip.stat().st_size / 1e6:.0f} Mo")
        runs: dict[str, list[dict[str, float]]] = {"csv": [], "zip": [], "zip_legal_units": []}
        for _ in range(args.repeat):
            runs["csv"].append(_child(path, args.rows))
            runs["zip"].append(_child(archive, args.rows))
            runs["zip_legal_units"].append(_child(archive, args.rows + units, units_zip))
        from_csv, from_zip, with_units = (
            min(runs[k], key=lambda f: f["seconds"]) for k in ("csv", "zip", "zip_legal_units")
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    met = all(
        f["rows_per_s"] >= TARGET_ROWS_PER_S and f["peak_rss_mb"] < TARGET_RSS_MB
        for f in (from_csv, from_zip, with_units)
    )
    figures = {
        "rows": args.rows,
        "file_mb": round(size_mb),
        "zip_mb": round(zip_mb),
        "csv": from_csv,
        "zip": from_zip,
        "zip_legal_units": with_units,
        "legal_unit_rows": units,
        "zip_over_csv_time": round(from_zip["seconds"] / from_csv["seconds"], 2),
        "targets_met": met,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
