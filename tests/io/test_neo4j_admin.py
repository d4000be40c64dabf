"""The neo4j-admin export: files shaped like the store's graph, and a real offline import."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import neo4j_required, small_toile
from toiles.graph_db import _neo4j_model as m
from toiles.io._common import ExportError
from toiles.io.neo4j_admin import FILES, export_neo4j_admin, neo4j_admin_command
from toiles.loaders import load_toile
from toiles.models import Actor
from toiles.reference import reference_dir

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / ".neo4j" / "lib"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_writes_header_and_data_files(tmp_path: Path) -> None:
    paths = export_neo4j_admin(small_toile("t"), tmp_path)
    assert [p.name for p in paths] == [
        name for stem, _, _ in FILES for name in (f"{stem}-header.csv", f"{stem}.csv")
    ]
    header = _rows(tmp_path / "actors-header.csv")[0]
    assert header[0] == "id:ID(Actor)"
    names = {h.split(":")[0] for h in header}
    assert {p.name for p in m.ACTOR_PROPS} | {"location"} == names
    assert "employees:long" in header
    assert "tags:string[]" in header
    assert "location:point{crs:WGS-84}" in header
    flows_header = _rows(tmp_path / "flows-header.csv")[0]
    assert flows_header[:2] == [":START_ID(Actor)", ":END_ID(Actor)"]
    assert "quantity_base:double" in flows_header
    assert len(_rows(tmp_path / "actors.csv")) == 5
    assert len(_rows(tmp_path / "flows.csv")) == 6
    assert len(_rows(tmp_path / "in_version.csv")) == 5
    version = dict(
        zip(
            [h.split(":")[0] for h in _rows(tmp_path / "versions-header.csv")[0]],
            _rows(tmp_path / "versions.csv")[0],
            strict=True,
        )
    )
    assert (version["state"], version["latest"], version["ready_key"]) == ("ready", "true", "t/T0")
    assert (version["actors"], version["flows"], version["updated"]) == ("5", "6", "2025-01-31")


def test_export_keeps_missing_and_empty_text_apart(tmp_path: Path) -> None:
    toile = small_toile("t")
    odd = Actor(id="odd", name='Dit "l\'odd", en deux\nlignes', kind="association", description="")
    export_neo4j_admin(toile.model_copy(update={"actors": (*toile.actors, odd)}), tmp_path)
    lines = (tmp_path / "actors.csv").read_text(encoding="utf-8")
    assert '"Dit ""l\'odd"", en deux\nlignes"' in lines
    last = _rows(tmp_path / "actors.csv")[-1]
    assert last[0] == "odd"
    row = lines.rsplit('lignes"', 1)[1]
    assert ',""' in row  # the empty description is an empty string, quoted
    assert ",," in row  # missing values are empty, unquoted


def test_export_public_leaves_out_confidential(tmp_path: Path) -> None:
    export_neo4j_admin(small_toile("t"), tmp_path, public=True)
    assert "incinerateur" not in (tmp_path / "actors.csv").read_text(encoding="utf-8")
    assert len(_rows(tmp_path / "flows.csv")) == 4


def test_export_refuses_the_array_delimiter_in_a_tag(tmp_path: Path) -> None:
    toile = small_toile("t")
    odd = Actor(id="odd", name="Odd", kind="association", tags=("a\u001fb",))
    with pytest.raises(ExportError, match="séparateur"):
        export_neo4j_admin(toile.model_copy(update={"actors": (*toile.actors, odd)}), tmp_path)


def test_export_keeps_semicolons_of_sources(tmp_path: Path) -> None:
    # Tags may not hold « ; » (the tables could not read them back); sources may.
    toile = load_toile(reference_dir("artois-energie-T0"))
    assert any(";" in source for source in toile.sources)  # the case
    odd = Actor(id="odd", name="Odd", kind="association", tags=("a, b", "c"))
    export_neo4j_admin(toile.model_copy(update={"actors": (*toile.actors, odd)}), tmp_path)
    versions = _rows(tmp_path / "versions.csv")[0]
    header = _rows(tmp_path / "versions-header.csv")[0]
    sources = versions[header.index("sources:string[]")].split("\u001f")
    assert sources == list(toile.sources)
    actors = {row[0]: row for row in _rows(tmp_path / "actors.csv")}
    tags_at = _rows(tmp_path / "actors-header.csv")[0].index("tags:string[]")
    assert actors["odd"][tags_at].split("\u001f") == ["a, b", "c"]


def test_command_names_every_file() -> None:
    command = neo4j_admin_command(Path("export"), database="territoire")
    assert command[:5] == ["neo4j-admin", "database", "import", "full", "territoire"]
    assert "--nodes=Actor=export/actors-header.csv,export/actors.csv" in command
    assert "--relationships=FLOW=export/flows-header.csv,export/flows.csv" in command
    text = (ROOT / "docs" / "graph-model.md").read_text(encoding="utf-8")
    for argument in command[5:]:
        assert argument in text


def _expected_properties(folder: Path) -> int:
    """Non-empty fields of the files, less the relationship ends: what becomes a property."""
    total = 0
    for stem, option, _ in FILES:
        header = _rows(folder / f"{stem}-header.csv")[0]
        ends = sum(1 for h in header if h.startswith((":START_ID", ":END_ID")))
        for row in _rows(folder / f"{stem}.csv"):
            total += sum(1 for v in row if v != "") - (ends if option == "--relationships" else 0)
    # The quoted empty description counts; csv.reader cannot tell "" from nothing, so the test
    # toile has none.
    return total


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.parametrize("reference", [None, "artois-energie-T0"])
def test_neo4j_admin_imports_the_export(tmp_path: Path, reference: str | None) -> None:
    """Run the real neo4j-admin importer (from the server's jars) into a scratch home."""
    java = shutil.which("java")
    if not LIB.is_dir() or java is None:
        if neo4j_required():
            pytest.fail("the Neo4j jars (.neo4j/lib) and java are needed: make neo4j-jars")
        pytest.skip("no Neo4j jars or java here (make neo4j-jars)")
    export = tmp_path / "export"
    toile = load_toile(reference_dir(reference)) if reference else small_toile("t")
    export_neo4j_admin(toile, export)
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text(
        f"server.directories.data={home / 'data'}\nserver.directories.logs={home / 'logs'}\n",
        encoding="utf-8",
    )
    command = [
        java,
        "-Xmx256m",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "-cp",
        f"{LIB}/*",
        "org.neo4j.cli.AdminTool",
        *neo4j_admin_command(export)[1:],
    ]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    done = subprocess.run(  # noqa: S603  # java from PATH, arguments we built
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )  # cwd: neo4j-admin writes its import.report in the working folder
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    counts = re.search(
        r"(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", done.stdout + done.stderr
    )
    assert counts is not None, done.stdout[-2000:]
    nodes, relationships, properties = (int(g) for g in counts.groups())
    assert nodes == 1 + 1 + len(toile.actors)  # toile, version, actors
    assert relationships == 1 + len(toile.actors) + len(toile.flows)  # VERSION_OF, IN_VERSION, FLOW
    assert properties == _expected_properties(export)
