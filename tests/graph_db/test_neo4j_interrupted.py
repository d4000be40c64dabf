"""A load killed half-way is cleaned up at the next start or load, and said so (real server)."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from tests.conftest import canonical, small_toile
from tests.graph_db.test_neo4j import ROOT, URL, _stored, neo4j  # noqa: F401  # fixture by name

if TYPE_CHECKING:
    from toiles.graph_db.neo4j import Neo4jStore

# The child writes every batch of a new version, then dies before the switch that would
# make it ready: no exception handler runs, as when the machine or the process is killed.
_DIES_BEFORE_SWITCH = """
import os, sys
from tests.conftest import small_toile
from toiles.graph_db.neo4j import Neo4jStore

store = Neo4jStore.from_url(sys.argv[1])
store.batch_size = 2
store._switch = lambda *args, **kwargs: os._exit(3)
store.save_toile(small_toile(sys.argv[2]).model_copy(update={"name": "Jamais visible"}))
"""


def _interrupted_load(toile_id: str) -> None:
    child = subprocess.run(  # noqa: S603  # our own interpreter and script
        [sys.executable, "-c", textwrap.dedent(_DIES_BEFORE_SWITCH), URL, toile_id],
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert child.returncode == 3


@pytest.mark.neo4j
def test_next_load_cleans_a_dead_process_load_at_once(
    neo4j: Neo4jStore,  # noqa: F811
    toile_id: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = small_toile(toile_id)
    neo4j.save_toile(before)
    _interrupted_load(toile_id)
    assert _stored(neo4j, toile_id) == (2, 10, 12)  # the dead load's version, 'loading'
    assert canonical(neo4j.get_toile(toile_id)) == canonical(before)
    # The next load, of another toile, cleans it without waiting for it to look stale.
    assert neo4j.stale_load_s == 600.0
    other = f"{toile_id}-autre"
    with caplog.at_level(logging.WARNING, logger="toiles.graph_db.neo4j"):
        neo4j.save_toile(small_toile(other))
    assert _stored(neo4j, toile_id) == (1, 5, 6)
    assert f"chargement interrompu supprimé : {toile_id} T0" in caplog.text
    neo4j.delete_toile(other)


@pytest.mark.neo4j
def test_clean_interrupted_loads_reports_and_spares_live_loads(
    neo4j: Neo4jStore,  # noqa: F811
    toile_id: str,
) -> None:
    neo4j.save_toile(small_toile(toile_id))
    _interrupted_load(toile_id)
    cleaned = [c for c in neo4j.clean_interrupted_loads() if c.toile_id == toile_id]
    assert [(c.toile_id, c.version) for c in cleaned] == [(toile_id, "T0")]
    assert cleaned[0].started_at is not None
    assert all(c.toile_id != toile_id for c in neo4j.clean_interrupted_loads())
    # A load of this very process in progress is never taken for dead.
    calls: list[int] = []
    original = neo4j._write_flows

    def write_flows(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(len(neo4j.clean_interrupted_loads()))

    neo4j._write_flows = write_flows  # type: ignore[method-assign]
    neo4j.save_toile(small_toile(toile_id))
    assert calls
    assert set(calls) == {0}
    assert _stored(neo4j, toile_id) == (1, 5, 6)


@pytest.mark.neo4j
def test_cli_load_says_what_it_cleaned(
    neo4j: Neo4jStore,  # noqa: F811
    toile_id: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import FIXTURES
    from tests.test_cli import run

    neo4j.save_toile(small_toile(toile_id))
    _interrupted_load(toile_id)
    code, out, _ = run(
        capsys, monkeypatch, "load", str(FIXTURES / "excel_fr_fixed"), "--store", URL
    )
    assert code == 0
    assert f"Nettoyé : chargement interrompu de {toile_id} T0" in out
    assert _stored(neo4j, toile_id) == (1, 5, 6)
    neo4j.delete_toile("zae-test")
