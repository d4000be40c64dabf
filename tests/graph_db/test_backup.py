"""Backups: restore-and-compare on both stores, and a backup killed half-way changes nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import canonical, small_toile
from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.errors import StoreError
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor
from toiles.synthetic import synthetic_toile
from toiles.web.session import ANONYMOUS, SessionStore

if TYPE_CHECKING:
    from toiles.graph_db.base import Store

ROOT = Path(__file__).resolve().parents[2]


def _content(store: Store) -> tuple[object, ...]:
    """Everything a restore must bring back: versions, their contents, keys, history."""
    summaries = store.list_toiles()
    toiles = [canonical(store.get_toile(s.id, s.version)) for s in summaries]
    keys = sorted((k.id, k.name, k.role, k.revoked) for k in store.list_api_keys())
    history = {
        (s.id, e.revision, e.action, e.who) for s in summaries for e in store.list_edits(s.id)
    }
    return summaries, toiles, keys, history


def _restore_and_compare(store: Store, toile_id: str, dest: Path) -> None:
    store.save_toile(small_toile(toile_id))
    store.save_toile(small_toile(toile_id, "T1"))
    key, record = create_api_key(store, role=Role.EDITEUR, name="sauvegardée")
    session = SessionStore().open(store, key)  # a visitor signed in when the backup ran
    before = _content(store)
    store.backup_to(dest)
    # Everything changes after the backup: a new version, an edit, a revoked key.
    store.save_toile(small_toile(f"{toile_id}-apres"))
    changed = small_toile(toile_id)
    extra = Actor(id="apres", name="Ajouté après", kind="association")
    store.save_toile(changed.model_copy(update={"actors": (*changed.actors, extra)}))
    store.revoke_api_key(record.id)
    store.delete_toile(toile_id, "T1")
    assert _content(store) != before
    store.restore_from(dest)
    after = _content(store)
    assert after[:3] == before[:3]
    assert before[3] <= after[3]  # the history comes back, plus the restore's own records
    assert SessionStore().visitor(store, session) == ANONYMOUS  # a restore signs everyone out


def test_sqlite_restore_and_compare(tmp_path: Path, toile_id: str) -> None:
    store = SQLiteStore(tmp_path / "toiles.db")
    _restore_and_compare(store, toile_id, tmp_path / "sauvegarde.db")
    # SQLite: the exact file, revisions included.
    assert (store.get_revision(toile_id, "T0"), store.get_revision(toile_id, "T1")) == (1, 1)


@pytest.mark.neo4j
def test_neo4j_restore_and_compare(tmp_path: Path, toile_id: str) -> None:
    """The logical dump through the driver; run on a server of its own (it replaces all)."""
    from tests.conftest import _neo4j_store

    store = _neo4j_store()
    try:
        _restore_and_compare(store, toile_id, tmp_path / "sauvegarde.json.gz")  # type: ignore[arg-type]
        # Revisions only grow (T0: 1 saved, 2 after the backup, 3 restored; T1: 1, deleted,
        # 2 restored): an ETag read before the restore never matches a restored version.
        assert (store.get_revision(toile_id, "T0"), store.get_revision(toile_id, "T1")) == (3, 2)
    finally:
        for summary in store.list_toiles():
            if summary.id.startswith(toile_id):
                store.delete_toile(summary.id, summary.version)
        store.close()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path, toile_id: str) -> None:
    store = SQLiteStore(tmp_path / "toiles.db")
    store.save_toile(small_toile(toile_id))
    bogus = tmp_path / "pas-une-sauvegarde.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    for src in (bogus, tmp_path / "absente.db"):
        with pytest.raises(StoreError, match="sauvegarde"):
            store.restore_from(src)
    assert store.get_toile(toile_id).id == toile_id


_KILLED_BACKUP = """
import os, signal, sys
from toiles.graph_db.sqlite import SQLiteStore

steps = []

def progress(status, remaining, total):
    steps.append(remaining)
    if len(steps) == 2:  # half-way: some pages copied, others not
        os.kill(os.getpid(), signal.SIGKILL)

SQLiteStore(sys.argv[1]).backup_to(sys.argv[2], progress=progress)
"""


@pytest.mark.slow
def test_backup_killed_half_way_leaves_the_previous_one(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "toiles.db")
    store.save_toile(small_toile("petite"))
    dest = tmp_path / "sauvegarde.db"
    store.backup_to(dest)
    previous = dest.read_bytes()
    store.save_toile(synthetic_toile(2000, 6000, seed=1))  # enough pages for several steps
    child = subprocess.run(  # noqa: S603  # our own interpreter and script
        [sys.executable, "-c", textwrap.dedent(_KILLED_BACKUP), str(store.path), str(dest)],
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL
    assert dest.read_bytes() == previous
    assert [p.name for p in tmp_path.glob(".sauvegarde.db.partial-*")]  # what the kill left
    store.backup_to(dest)  # the next backup removes it, and is complete
    assert not list(tmp_path.glob(".sauvegarde.db.partial-*"))
    restored = SQLiteStore(tmp_path / "restored.db")
    restored.restore_from(dest)
    assert [s.id for s in restored.list_toiles()] == [s.id for s in store.list_toiles()]


def test_backup_failing_half_way_removes_its_temporary_file(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "toiles.db")
    store.save_toile(synthetic_toile(2000, 6000, seed=1))
    dest = tmp_path / "sauvegarde.db"

    def interrupted(_status: int, _remaining: int, _total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.backup_to(dest, progress=interrupted)
    assert not dest.exists()
    assert not list(tmp_path.glob(".sauvegarde*"))
