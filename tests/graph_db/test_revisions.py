"""Revisions, conditional saves and the edit history, the same on every store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import small_toile
from toiles.edit import adding_actor, edit_toile, updating_actor
from toiles.errors import RevisionConflict
from toiles.models import Actor
from toiles.models.history import EditAction, EditRecord

if TYPE_CHECKING:
    from toiles.graph_db.base import ToileStore


def test_save_toile_counts_revisions(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    assert store.save_toile(toile) == 1
    assert store.save_toile(toile) == 2
    assert store.get_revision(toile_id) == 2
    read, revision = store.get_toile_and_revision(toile_id)
    assert (read.id, revision) == (toile_id, 2)
    other = small_toile(toile_id, "T1")
    assert store.save_toile(other) == 1  # revisions count per version
    assert store.get_revision(toile_id, "T0") == 2


def test_conditional_save_refuses_an_outdated_base(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    renamed = toile.model_copy(update={"name": "Renommée"})
    assert store.save_toile(renamed, expected_revision=1) == 2
    stale = toile.model_copy(update={"name": "Perdue"})
    with pytest.raises(RevisionConflict, match="a changé depuis votre lecture"):
        store.save_toile(stale, expected_revision=1)
    assert store.get_toile(toile_id).name == "Renommée"
    assert store.get_revision(toile_id) == 2
    assert len(store.list_edits(toile_id)) == 2  # the refused save left no record


def test_conditional_save_of_a_new_version_expects_zero(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    assert store.save_toile(toile, expected_revision=0) == 1
    with pytest.raises(RevisionConflict):
        store.save_toile(toile, expected_revision=0)


def test_revisions_never_reused_after_delete(store: ToileStore, toile_id: str) -> None:
    toile = small_toile(toile_id)
    store.save_toile(toile)
    store.save_toile(toile)
    store.delete_toile(toile_id)
    assert store.save_toile(toile) == 3  # an old ETag "2" can never match the new version


def test_edit_history_records_who_what_before_after(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    newcomer = Actor(id="nouveau", name="Nouvel acteur", kind="association")
    edit_toile(store, toile_id, None, adding_actor(newcomer, who="Alice"))
    _, revision = edit_toile(
        store, toile_id, None, updating_actor("nouveau", {"employees": 12}, who="Bob")
    )
    assert revision == 3
    edits = store.list_edits(toile_id)
    assert [(e.revision, e.action, e.who, e.target) for e in edits] == [
        (3, EditAction.MODIFICATION_ACTEUR, "Bob", "nouveau"),
        (2, EditAction.AJOUT_ACTEUR, "Alice", "nouveau"),
        (1, EditAction.CHARGEMENT, "inconnu", None),
    ]
    assert edits[0].before is not None
    assert "employees" not in edits[0].before
    assert edits[0].after is not None
    assert edits[0].after["employees"] == 12
    assert edits[1].before is None
    assert edits[2].after == {"actors": 5, "flows": 6}
    assert all(e.at is not None for e in edits)
    assert store.list_edits(toile_id, "T9") == []


def test_edit_toile_with_expected_revision_never_retries(store: ToileStore, toile_id: str) -> None:
    store.save_toile(small_toile(toile_id))
    newcomer = Actor(id="nouveau", name="Nouvel acteur", kind="association")
    with pytest.raises(RevisionConflict, match="révision 1, vous partiez de la 7"):
        edit_toile(store, toile_id, None, adding_actor(newcomer, who="x"), expected_revision=7)
    assert store.get_revision(toile_id) == 1


def test_edit_toile_retries_on_a_concurrent_save(store: ToileStore, toile_id: str) -> None:
    """A save that slips in between the read and the write is never overwritten."""
    store.save_toile(small_toile(toile_id))
    first = Actor(id="premier", name="Premier", kind="association")
    second = Actor(id="second", name="Second", kind="association")
    calls = 0

    def racing(toile):  # the first attempt races a concurrent edit
        nonlocal calls
        calls += 1
        if calls == 1:
            edit_toile(store, toile_id, None, adding_actor(second, who="autre"))
        return adding_actor(first, who="moi")(toile)

    edit_toile(store, toile_id, None, racing)
    ids = {a.id for a in store.get_toile(toile_id).actors}
    assert {"premier", "second"} <= ids
    assert calls == 2


_EDITOR = """
import json, sys
from toiles.edit import adding_actor, edit_toile
from toiles.errors import RevisionConflict
from toiles.graph_db import open_store
from toiles.models import Actor

url, toile_id, prefix, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = open_store(url)
print("ready", flush=True)
sys.stdin.readline()  # both editors start together
refused = []
for i in range(count):
    actor = Actor(id=f"{prefix}-{i}", name=f"Acteur {prefix} {i}", kind="association")
    try:
        edit_toile(store, toile_id, None, adding_actor(actor, who=prefix), attempts=50)
    except RevisionConflict:
        refused.append(actor.id)
print(json.dumps(refused), flush=True)
"""


def _store_url(store: ToileStore) -> str:
    path = getattr(store, "path", None)
    if path is not None:
        return f"sqlite:///{path}"
    return os.environ.get("TOILES_TEST_NEO4J_URL", "neo4j://127.0.0.1:7687")


def test_two_processes_editing_at_once_lose_nothing(store: ToileStore, toile_id: str) -> None:
    """Two processes (as two API workers) add actors to one version at the same time."""
    store.save_toile(small_toile(toile_id))
    count = 15
    editors = [
        subprocess.Popen(  # noqa: S603  # our own interpreter and script
            [sys.executable, "-c", _EDITOR, _store_url(store), toile_id, prefix, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for prefix in ("alice", "bob")
    ]
    for editor in editors:
        assert editor.stdout is not None
        assert editor.stdout.readline().strip() == "ready"
    for editor in editors:
        assert editor.stdin is not None
        editor.stdin.write("go\n")
        editor.stdin.flush()
    refused: set[str] = set()
    for editor in editors:
        out, _ = editor.communicate(timeout=240)
        assert editor.returncode == 0
        refused |= set(json.loads(out.strip().splitlines()[-1]))
    ids = {a.id for a in store.get_toile(toile_id).actors}
    for prefix in ("alice", "bob"):
        for i in range(count):
            actor_id = f"{prefix}-{i}"
            assert (actor_id in ids) != (actor_id in refused), actor_id
    stored = [i for i in ids if i.startswith(("alice", "bob"))]
    assert len(stored) + len(refused) == 2 * count
    history = store.list_edits(toile_id, limit=1000)
    assert len([e for e in history if e.action == "ajout_acteur"]) == len(stored)
    assert sorted(e.revision for e in history) == list(range(1, len(stored) + 2))


def test_edit_record_round_trips_json() -> None:
    record = EditRecord(
        toile_id="t", version="T0", who="x", action=EditAction.AJOUT_FLUX, after={"a": [1, None]}
    ).stamped(4)
    assert EditRecord.model_validate_json(record.model_dump_json()) == record
