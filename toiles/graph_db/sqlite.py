"""The embedded store: one SQLite file, the default for one person on one machine.

Each save replaces one toile version inside a single transaction, so a reader never sees a
half-written version and a failed save leaves the previous one intact. The file runs in WAL
mode, so several readers (the CLI, the API's workers) may read while one writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from toiles.access import ApiKeyRecord, WebSession
from toiles.errors import (
    ActorNotFound,
    ApiKeyNotFound,
    FlowNotFound,
    RevisionConflict,
    StoreError,
    StoreUnavailable,
    ToileNotFound,
)
from toiles.graph_db._backup import atomic_file
from toiles.graph_db.base import (
    DEFAULT_LIMIT,
    ActorQuery,
    FlowQuery,
    GraphOfVersion,
    InterruptedLoad,
    Page,
    revision_conflict_message,
    version_sort_key,
    versions_of,
)
from toiles.models.actor import Actor
from toiles.models.flow import Flow
from toiles.models.history import EditRecord, load_record
from toiles.models.toile import Toile, ToileInfo, ToileSummary
from toiles.models.units import base_quantity, get_unit
from toiles.models.vocab import Confidentiality, fold

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS toile_versions (
    pk INTEGER PRIMARY KEY,
    toile_id TEXT NOT NULL,
    version TEXT NOT NULL,
    info TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    n_actors INTEGER NOT NULL,
    n_flows INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    UNIQUE (toile_id, version)
);
CREATE TABLE IF NOT EXISTS edits (
    pk INTEGER PRIMARY KEY,
    toile_id TEXT NOT NULL,
    version TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (toile_id, version, revision)
);
CREATE TABLE IF NOT EXISTS actors (
    version_pk INTEGER NOT NULL REFERENCES toile_versions(pk) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    commune_insee TEXT,
    epci TEXT,
    zae TEXT,
    naf TEXT,
    rank INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (version_pk, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS flows (
    version_pk INTEGER NOT NULL REFERENCES toile_versions(pk) ON DELETE CASCADE,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    year INTEGER,
    family TEXT,
    quantity_base REAL,
    visible_rank INTEGER NOT NULL,
    data TEXT NOT NULL,
    temperature REAL,
    PRIMARY KEY (version_pk, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_sessions (
    token_hash TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    expires TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_key ON web_sessions (key_hash);
CREATE INDEX IF NOT EXISTS web_sessions_expires ON web_sessions (expires);
CREATE VIRTUAL TABLE IF NOT EXISTS actor_names USING fts5(
    name_folded, version_pk UNINDEXED, id UNINDEXED, tokenize = 'trigram'
);
CREATE INDEX IF NOT EXISTS actors_rank ON actors (version_pk, rank);
CREATE INDEX IF NOT EXISTS actors_kind ON actors (version_pk, kind, rank);
CREATE INDEX IF NOT EXISTS actors_commune ON actors (version_pk, commune_insee, rank);
CREATE INDEX IF NOT EXISTS actors_epci ON actors (version_pk, epci, rank);
CREATE INDEX IF NOT EXISTS actors_zae ON actors (version_pk, zae, rank);
CREATE INDEX IF NOT EXISTS flows_source_rank ON flows (version_pk, source, visible_rank);
CREATE INDEX IF NOT EXISTS flows_target_rank ON flows (version_pk, target, visible_rank);
CREATE INDEX IF NOT EXISTS flows_kind ON flows (version_pk, kind, visible_rank);
CREATE INDEX IF NOT EXISTS flows_rank ON flows (version_pk, visible_rank);
"""

SCHEMA_VERSION = 4  # PRAGMA user_version; _migrate brings older files up to it
# (the web sessions' table of 4 is new: ``CREATE TABLE IF NOT EXISTS`` adds it to older files)


def _utc_text(moment: dt.datetime) -> str:
    """A moment as UTC ISO text, so that text order is time order in SQL."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_MMAP_BYTES = 1 << 30  # address space only: pages are shared with the OS cache
_TRIGRAM = 3  # the FTS5 trigram index answers substring searches of 3 characters or more


_VERSION_PK = object()  # placeholder for the version's key in parameter lists
M = TypeVar("M", Actor, Flow)


@dataclass
class Condition:
    """A ``WHERE`` clause as its conditions and parameters (``_VERSION_PK`` for the key)."""

    where: list[str]
    params: list[object]

    def bind(self, pk: int) -> tuple[str, list[object]]:
        """The clause, and its parameters with the version's key in place."""
        return " AND ".join(self.where), [pk if p is _VERSION_PK else p for p in self.params]


SLOW_QUERY_S = 0.005  # a search that took this long is kept in memory for the next time
_SLOW_CACHE_ITEMS = 20_000  # at most this many actors and flows kept, all pages together


class _SlowPages:
    """The pages of the searches that were slow to compute, least recently used out first.

    A search on a frequent word (« entreprise » in 78,000 of 100,000 names) costs a tenth of
    a second in the trigram index, and a client paging through its results asks for the same
    count again on every page. Only such slow searches are kept, so the memory stays small.
    Keys hold the version's primary key *and* its save time: a version saved again, even
    under a reused primary key and by another process, never meets an old page.
    """

    def __init__(self, max_items: int = _SLOW_CACHE_ITEMS) -> None:
        self.max_items = max_items
        self._pages: OrderedDict[tuple[str, int, str, str], Page[Any]] = OrderedDict()
        self._items = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str, str]) -> Page[Any] | None:
        """The page kept under ``key``, if any (it becomes the most recently used)."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, int, str, str], page: Page[Any]) -> None:
        """Keep a page; the least recently used go until the item budget holds."""
        size = len(page.items) + 1
        if size > self.max_items:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._items -= len(old.items) + 1
            self._pages[key] = page
            self._items += size
            while self._items > self.max_items:
                _, dropped = self._pages.popitem(last=False)
                self._items -= len(dropped.items) + 1

    def clear(self) -> None:
        """Forget every page (after a write through this store)."""
        with self._lock:
            self._pages.clear()
            self._items = 0


def _dense(matches: int, rows: int, actors: int) -> bool:
    """Whether a page of a name search is cheaper by walking the actors in id order.

    The trigram index costs about as much per match to return the page sorted; walking the
    actors in id order with ``LIKE`` stops after ``rows`` matches, about ``rows * actors /
    matches`` actors read. For « entreprise » (78,141 matches of 100,000) the page took 100 ms
    through the index and 0.1 ms by the walk; for a word in 200 names the index wins.

    Examples
    --------
    >>> _dense(78_000, 20, 100_000), _dense(200, 20, 100_000)
    (True, False)
    """
    return matches * matches >= rows * actors


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SQLiteStore(GraphOfVersion):
    """Toiles in one SQLite file (see :class:`~toiles.graph_db.base.ToileStore`).

    Parameters
    ----------
    path
        The database file; created on first write. ``":memory:"`` is not supported (each
        operation opens its own connection); use a temporary file instead.
    """

    inline_reads = True

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._schema_ready = False
        self._lock = threading.Lock()
        self._slow = _SlowPages()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # -- connections -------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.path.parent != Path():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                # Each thread has its own connection, and so its own page cache: with the API's
                # thread pool most of them are cold. Memory-mapped reads share the operating
                # system's cache across connections instead.
                conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES:d}")
            except (sqlite3.Error, OSError) as exc:
                msg = f"base SQLite inaccessible : {self.path} ({exc})"
                raise StoreUnavailable(msg) from exc
            self._local.conn = conn
        if not self._schema_ready:
            with self._lock:
                try:
                    conn.executescript(_SCHEMA)
                    self._migrate(conn)
                except sqlite3.Error as exc:
                    msg = f"base SQLite illisible : {self.path} ({exc})"
                    raise StoreUnavailable(msg) from exc
                self._schema_ready = True
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Bring a file written by an older toiles up to :data:`SCHEMA_VERSION`."""
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version >= SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        if version < 1:
            # 0 -> 1: the name search index did not exist; fill it from the actors.
            conn.execute("DELETE FROM actor_names")
            conn.execute(
                "INSERT INTO actor_names (name_folded, version_pk, id) "
                "SELECT name_folded, version_pk, id FROM actors"
            )
        # 1 -> 2: flow lookups by actor include the rank (the old indexes mislead the planner).
        conn.execute("DROP INDEX IF EXISTS flows_source")
        conn.execute("DROP INDEX IF EXISTS flows_target")
        # 2 -> 3: flows get a temperature (°C) column, filled from the stored flows.
        columns = {row[1] for row in conn.execute("PRAGMA table_info(flows)")}
        if "temperature" not in columns:
            conn.execute("ALTER TABLE flows ADD COLUMN temperature REAL")
            conn.execute("UPDATE flows SET temperature = json_extract(data, '$.temperature')")
        # 3 -> 4: versions carry a revision (the edit history table is new, created above).
        columns = {row[1] for row in conn.execute("PRAGMA table_info(toile_versions)")}
        if "revision" not in columns:
            conn.execute(
                "ALTER TABLE toile_versions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"
            )
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        conn.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            yield conn
        except sqlite3.Error as exc:
            msg = f"lecture SQLite impossible ({exc})"
            raise StoreError(msg) from exc

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            msg = f"écriture SQLite impossible ({exc})"
            raise StoreError(msg) from exc
        try:
            yield conn
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                msg = f"écriture SQLite impossible ({exc})"
                raise StoreError(msg) from exc
            raise
        else:
            conn.execute("COMMIT")

    def ping(self) -> None:
        """Check that the file can be opened and read."""
        with self._read() as conn:
            conn.execute("SELECT count(*) FROM toile_versions").fetchone()

    # -- backups -----------------------------------------------------------------------

    def backup_to(
        self, dest: Path | str, *, progress: Callable[[int, int, int], object] | None = None
    ) -> None:
        """Copy the whole database to ``dest`` with SQLite's online backup, atomically.

        Readers and writers go on meanwhile (the copy restarts its pages if a write lands
        between steps; SQLite handles it). The copy goes to a temporary file, is checked
        (``PRAGMA quick_check``), then renamed over ``dest``: a backup killed half-way leaves
        the previous one intact.

        Parameters
        ----------
        dest
            The backup file to write (replaced if it exists).
        progress
            Called after each step of 256 pages with ``(status, remaining, total)``.
        """
        source = self._connection()
        with atomic_file(Path(dest)) as tmp:
            target = sqlite3.connect(tmp)
            try:
                source.backup(target, pages=256, progress=progress)
                (check,) = target.execute("PRAGMA quick_check").fetchone()
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            except sqlite3.Error as exc:
                msg = f"sauvegarde SQLite impossible vers {dest} ({exc})"
                raise StoreError(msg) from exc
            finally:
                target.close()
            if check != "ok":
                msg = f"sauvegarde SQLite incohérente ({check}) : {dest} n'a pas été remplacé"
                raise StoreError(msg)

    def restore_from(self, src: Path | str) -> None:
        """Replace the whole database by a backup made with :meth:`backup_to`.

        The backup is checked first (a toiles database, ``quick_check`` ok); the copy into
        this database is one transaction (SQLite's backup API), so readers see the old
        content or the restored one, never a mix.

        Raises
        ------
        StoreError
            When ``src`` is missing, not a toiles database, or damaged; nothing is changed.
        """
        path = Path(src)
        if not path.is_file():
            msg = f"sauvegarde introuvable : {path}"
            raise StoreError(msg)
        self._slow.clear()
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            msg = f"sauvegarde SQLite illisible : {path} ({exc})"
            raise StoreError(msg) from exc
        try:
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master")}
            (check,) = source.execute("PRAGMA quick_check").fetchone()
            if "toile_versions" not in tables or check != "ok":
                msg = f"{path} n'est pas une sauvegarde SQLite de toiles intacte"
                raise StoreError(msg)
            source.backup(self._connection())
        except sqlite3.Error as exc:
            msg = f"restauration SQLite impossible depuis {path} ({exc})"
            raise StoreError(msg) from exc
        finally:
            source.close()
        with self._lock:  # an older backup is brought up to the current schema
            self._schema_ready = False
        with self._write() as conn:  # sessions of the backup's time are not revived
            conn.execute("DELETE FROM web_sessions")

    def clean_interrupted_loads(self) -> list[InterruptedLoad]:
        """Nothing to clean: a load is one SQLite transaction, undone whole if interrupted."""
        return []

    def close(self) -> None:
        """Close this thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- versions ----------------------------------------------------------------------

    def _version_pk(self, conn: sqlite3.Connection, toile_id: str, version: str | None) -> int:
        return self._version_row(conn, toile_id, version)[0]

    def _version_row(
        self, conn: sqlite3.Connection, toile_id: str, version: str | None
    ) -> tuple[int, str, int]:
        """Primary key, save time and number of actors of a version (default: the latest)."""
        rows = conn.execute(
            "SELECT pk, version, saved_at, n_actors FROM toile_versions WHERE toile_id = ?",
            (toile_id,),
        ).fetchall()
        if version is not None:
            rows = [r for r in rows if r[1] == version]
        if not rows:
            what = f"{toile_id} {version}" if version else toile_id
            msg = f"toile introuvable : {what}"
            raise ToileNotFound(msg)
        best = max(rows, key=lambda r: (version_sort_key(r[1]), r[2]))
        return int(best[0]), str(best[2]), int(best[3])

    @staticmethod
    def _summary(info: str, n_actors: int, n_flows: int) -> ToileSummary:
        return ToileSummary.model_validate(
            {**json.loads(info), "actors": n_actors, "flows": n_flows}
        )

    @staticmethod
    def _next_revision(
        conn: sqlite3.Connection, toile: Toile, expected_revision: int | None
    ) -> int:
        """Check the stored revision against the expected one; return the next (in a write)."""
        row = conn.execute(
            "SELECT revision FROM toile_versions WHERE toile_id = ? AND version = ?",
            (toile.id, toile.version),
        ).fetchone()
        current = 0 if row is None else int(row[0])
        if expected_revision is not None and current != expected_revision:
            msg = revision_conflict_message(toile.id, toile.version, current, expected_revision)
            raise RevisionConflict(msg)
        (last_edit,) = conn.execute(
            "SELECT coalesce(max(revision), 0) FROM edits WHERE toile_id = ? AND version = ?",
            (toile.id, toile.version),
        ).fetchone()
        return max(current, int(last_edit)) + 1

    def save_toile(
        self,
        toile: Toile,
        *,
        expected_revision: int | None = None,
        edit: EditRecord | None = None,
    ) -> int:
        """Store a toile version in one transaction, record the edit; return the revision.

        The revision check and the write happen in one ``BEGIN IMMEDIATE`` transaction, so
        two processes saving the same version are serialised by SQLite itself.

        Raises
        ------
        RevisionConflict
            When ``expected_revision`` is given and the stored version is at another one.
        """
        self._slow.clear()
        record = edit or load_record(
            toile.id, toile.version, who="inconnu", actors=len(toile.actors), flows=len(toile.flows)
        )
        ranks = {a.id: a.confidentiality.rank for a in toile.actors}
        actor_rows = [
            (
                a.id,
                fold(a.name),
                a.kind.value,
                a.commune_insee,
                a.epci,
                a.zae,
                a.naf,
                a.confidentiality.rank,
                a.model_dump_json(exclude_defaults=True),
            )
            for a in toile.actors
        ]
        flow_rows = []
        for f in toile.flows:
            family = get_unit(f.unit).family.value if f.unit else None
            visible = max(f.confidentiality.rank, ranks[f.source], ranks[f.target])
            flow_rows.append(
                (
                    f.id,
                    f.source,
                    f.target,
                    f.kind.value,
                    f.status.value,
                    f.year,
                    family,
                    f.quantity_base,
                    visible,
                    f.model_dump_json(exclude_defaults=True),
                    f.temperature,
                )
            )
        info = toile.info.model_dump_json()
        saved_at = dt.datetime.now(dt.UTC).isoformat()
        with self._write() as conn:
            revision = self._next_revision(conn, toile, expected_revision)
            self._drop_names(conn, toile.id, toile.version)
            conn.execute(
                "DELETE FROM toile_versions WHERE toile_id = ? AND version = ?",
                (toile.id, toile.version),
            )
            cursor = conn.execute(
                "INSERT INTO toile_versions (toile_id, version, info, saved_at, n_actors, n_flows,"
                " revision) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    toile.id,
                    toile.version,
                    info,
                    saved_at,
                    len(actor_rows),
                    len(flow_rows),
                    revision,
                ),
            )
            conn.execute(
                "INSERT INTO edits (toile_id, version, revision, data) VALUES (?, ?, ?, ?)",
                (toile.id, toile.version, revision, record.stamped(revision).model_dump_json()),
            )
            pk = cursor.lastrowid
            conn.executemany(
                "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(pk, *row) for row in actor_rows],
            )
            conn.executemany(
                "INSERT INTO actor_names (name_folded, version_pk, id) VALUES (?, ?, ?)",
                [(row[1], pk, row[0]) for row in actor_rows],
            )
            conn.executemany(
                "INSERT INTO flows (version_pk, id, source, target, kind, status, year, family,"
                " quantity_base, visible_rank, data, temperature)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(pk, *row) for row in flow_rows],
            )
            # Fresh statistics let the planner pick the filter indexes over the primary key
            # (a sampled ANALYZE: milliseconds, whatever the size).
            conn.execute("PRAGMA analysis_limit = 1000")
            conn.execute("ANALYZE")
        return revision

    @staticmethod
    def _drop_names(conn: sqlite3.Connection, toile_id: str, version: str | None) -> None:
        """Remove the search index rows of one version, or of all (no cascade in FTS tables)."""
        if version is None:
            conn.execute(
                "DELETE FROM actor_names WHERE version_pk IN "
                "(SELECT pk FROM toile_versions WHERE toile_id = ?)",
                (toile_id,),
            )
        else:
            conn.execute(
                "DELETE FROM actor_names WHERE version_pk IN "
                "(SELECT pk FROM toile_versions WHERE toile_id = ? AND version = ?)",
                (toile_id, version),
            )

    def list_toiles(self) -> list[ToileSummary]:
        """List every stored version, by toile id then version (natural order)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT toile_id, version, info, n_actors, n_flows FROM toile_versions"
            ).fetchall()
        rows.sort(key=lambda r: (r[0], version_sort_key(r[1])))
        return [self._summary(r[2], r[3], r[4]) for r in rows]

    def list_versions(self, toile_id: str) -> list[ToileSummary]:
        """List the versions of one toile, oldest first."""
        return versions_of(self.list_toiles(), toile_id)

    def get_summary(self, toile_id: str, version: str | None = None) -> ToileSummary:
        """Return the description and counts of one version (default: the latest)."""
        with self._read() as conn:
            pk = self._version_pk(conn, toile_id, version)
            info, n_actors, n_flows = conn.execute(
                "SELECT info, n_actors, n_flows FROM toile_versions WHERE pk = ?", (pk,)
            ).fetchone()
        return self._summary(info, n_actors, n_flows)

    def get_toile(
        self,
        toile_id: str,
        version: str | None = None,
        *,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Toile:
        """Return one version (default: the latest) with what ``visibility`` allows."""
        with self._snapshot() as conn:
            return self._read_toile(conn, toile_id, version, visibility)[0]

    def get_toile_and_revision(
        self, toile_id: str, version: str | None = None
    ) -> tuple[Toile, int]:
        """Return one whole version and its revision, read in one snapshot."""
        with self._snapshot() as conn:
            return self._read_toile(conn, toile_id, version, Confidentiality.CONFIDENTIEL)

    def get_revision(self, toile_id: str, version: str | None = None) -> int:
        """Return the revision of one version (default: the latest)."""
        with self._read() as conn:
            pk = self._version_pk(conn, toile_id, version)
            (revision,) = conn.execute(
                "SELECT revision FROM toile_versions WHERE pk = ?", (pk,)
            ).fetchone()
        return int(revision)

    def list_edits(
        self, toile_id: str, version: str | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> list[EditRecord]:
        """Return the recorded edits of a toile (of one version if given), newest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT data FROM edits WHERE toile_id = ? AND (? IS NULL OR version = ?) "
                "ORDER BY pk DESC LIMIT ?",
                (toile_id, version, version, limit),
            ).fetchall()
        return [EditRecord.model_validate_json(r[0]) for r in rows]

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """Read in one transaction: every query sees the same committed state."""
        with self._read() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def _read_toile(
        self,
        conn: sqlite3.Connection,
        toile_id: str,
        version: str | None,
        visibility: Confidentiality,
    ) -> tuple[Toile, int]:
        pk = self._version_pk(conn, toile_id, version)
        (info, revision) = conn.execute(
            "SELECT info, revision FROM toile_versions WHERE pk = ?", (pk,)
        ).fetchone()
        actors = [
            Actor.model_validate_json(r[0])
            for r in conn.execute(
                "SELECT data FROM actors WHERE version_pk = ? AND rank <= ? ORDER BY id",
                (pk, visibility.rank),
            )
        ]
        flows = [
            Flow.model_validate_json(r[0])
            for r in conn.execute(
                "SELECT data FROM flows WHERE version_pk = ? AND visible_rank <= ? ORDER BY id",
                (pk, visibility.rank),
            )
        ]
        # The queries already left out what ``visibility`` hides (flows by ``visible_rank``,
        # which accounts for their actors): no second pass through ``redact``.
        toile = Toile.model_construct(
            **dict(ToileInfo.model_validate_json(info)), actors=tuple(actors), flows=tuple(flows)
        )
        return toile, int(revision)

    def delete_toile(self, toile_id: str, version: str | None = None) -> int:
        """Delete one version, or all versions of the toile; return how many were deleted."""
        self._slow.clear()
        with self._write() as conn:
            if version is None:
                self._drop_names(conn, toile_id, None)
                cursor = conn.execute("DELETE FROM toile_versions WHERE toile_id = ?", (toile_id,))
            else:
                self._drop_names(conn, toile_id, version)
                cursor = conn.execute(
                    "DELETE FROM toile_versions WHERE toile_id = ? AND version = ?",
                    (toile_id, version),
                )
        if cursor.rowcount == 0:
            what = f"{toile_id} {version}" if version else toile_id
            msg = f"toile introuvable : {what}"
            raise ToileNotFound(msg)
        return cursor.rowcount

    # -- API keys --------------------------------------------------------------------

    def save_api_key(self, record: ApiKeyRecord) -> None:
        """Store an API key record (its hash only)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO api_keys (id, key_hash, created, data) VALUES (?, ?, ?, ?)",
                (record.id, record.key_hash, record.created.isoformat(), record.model_dump_json()),
            )

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        """Return the record of a key by its hash, or None."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT data FROM api_keys WHERE key_hash = ?", (key_hash,)
            ).fetchone()
        return None if row is None else ApiKeyRecord.model_validate_json(row[0])

    def list_api_keys(self) -> list[ApiKeyRecord]:
        """List every key record, oldest first."""
        with self._read() as conn:
            rows = conn.execute("SELECT data FROM api_keys ORDER BY created, id").fetchall()
        return [ApiKeyRecord.model_validate_json(r[0]) for r in rows]

    def revoke_api_key(self, key_id: str) -> None:
        """Mark a key revoked."""
        with self._write() as conn:
            row = conn.execute("SELECT data FROM api_keys WHERE id = ?", (key_id,)).fetchone()
            if row is None:
                msg = f"clé d'API introuvable : {key_id}"
                raise ApiKeyNotFound(msg)
            record = ApiKeyRecord.model_validate_json(row[0]).model_copy(update={"revoked": True})
            conn.execute(
                "UPDATE api_keys SET data = ? WHERE id = ?", (record.model_dump_json(), key_id)
            )
            conn.execute("DELETE FROM web_sessions WHERE key_hash = ?", (record.key_hash,))

    # -- web sessions -------------------------------------------------------------------

    def save_session(self, session: WebSession) -> None:
        """Store a web session (its token's hash), replacing one with the same hash."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO web_sessions (token_hash, key_hash, expires, data) "
                "VALUES (?, ?, ?, ?)",
                (
                    session.token_hash,
                    session.key_hash,
                    _utc_text(session.expires),
                    session.model_dump_json(),
                ),
            )

    def find_session(self, token_hash: str) -> WebSession | None:
        """Return a web session by its token's hash, or None."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT data FROM web_sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        return None if row is None else WebSession.model_validate_json(row[0])

    def delete_session(self, token_hash: str) -> None:
        """End a web session (an unknown hash is ignored)."""
        with self._write() as conn:
            conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash,))

    def purge_sessions(self, now: dt.datetime) -> int:
        """Delete the web sessions expired at ``now``; return how many."""
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM web_sessions WHERE expires <= ?", (_utc_text(now),))
        return cursor.rowcount

    # -- actors and flows --------------------------------------------------------------

    def get_actor(
        self,
        toile_id: str,
        actor_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Actor:
        """Return one actor of a version."""
        with self._read() as conn:
            pk = self._version_pk(conn, toile_id, version)
            row = conn.execute(
                "SELECT data FROM actors WHERE version_pk = ? AND id = ? AND rank <= ?",
                (pk, actor_id, visibility.rank),
            ).fetchone()
        if row is None:
            msg = f"acteur introuvable dans {toile_id} : {actor_id}"
            raise ActorNotFound(msg)
        return Actor.model_validate_json(row[0])

    def _search(  # noqa: PLR0913  # the search: where, what, and its two ways
        self,
        table: str,
        model: type[M],
        toile_id: str,
        version: str | None,
        query: ActorQuery | FlowQuery,
        *,
        where: Condition,
        dense: Condition | None = None,
    ) -> Page[M]:
        """Count and page the rows of ``table`` matching ``where`` in a version, by id.

        ``dense``, the same condition without an index, pages the matches instead when they
        are so many that walking the rows in id order stops sooner (:func:`_dense`). A page
        that took :data:`SLOW_QUERY_S` or more is kept (see :class:`_SlowPages`) under the
        version's key and save time and the whole query, the reader's clearance included.
        """
        with self._read() as conn:
            pk, saved_at, n_actors = self._version_row(conn, toile_id, version)
            key = (table, pk, saved_at, query.model_dump_json())
            if (kept := self._slow.get(key)) is not None:
                return kept
            start = time.perf_counter()
            values: list[object]
            clause, values = where.bind(pk)
            count_sql = f"SELECT count(*) FROM {table} WHERE {clause}"  # noqa: S608  # fixed names
            (total,) = conn.execute(count_sql, values).fetchone()
            if dense is not None and _dense(total, query.offset + query.limit, n_actors):
                clause, values = dense.bind(pk)
            rows = conn.execute(
                f"SELECT data FROM {table} WHERE {clause} ORDER BY id LIMIT ? OFFSET ?",  # noqa: S608
                [*values, query.limit, query.offset],
            ).fetchall()
        page = Page[M](items=tuple(model.model_validate_json(r[0]) for r in rows), total=total)
        if time.perf_counter() - start >= SLOW_QUERY_S:
            self._slow.put(key, page)
        return page

    def query_actors(
        self, toile_id: str, query: ActorQuery | None = None, *, version: str | None = None
    ) -> Page[Actor]:
        """Return the actors matching the query, sorted by id, and their total count."""
        q = query or ActorQuery()
        where: list[str] = ["version_pk = ?", "rank <= ?"]
        params: list[object] = [_VERSION_PK, q.visibility.rank]
        for column, value in (
            ("kind", q.kind.value if q.kind else None),
            ("commune_insee", q.commune_insee),
            ("epci", q.epci),
            ("zae", q.zae),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if q.naf:
            where.append("naf LIKE ? ESCAPE '\\'")
            params.append(_like(q.naf)[1:])
        if not q.q:
            return self._search(
                "actors", Actor, toile_id, version, q, where=Condition(where, params)
            )
        term = fold(q.q)
        indexed = len(term) >= _TRIGRAM
        if indexed:
            # Start from the (short) list of matches, not from every actor of the version, and
            # walk a page of dense matches in id order: the unary + keeps SQLite from driving
            # either through the rank index.
            where[1] = "+rank <= ?"
        # A plain substring filter: for words too short for the index, and dense pages.
        plain = Condition([*where, "name_folded LIKE ? ESCAPE '\\'"], [*params, _like(term)])
        if not indexed:
            return self._search("actors", Actor, toile_id, version, q, where=plain)
        # Through the trigram index: a quoted phrase matches anywhere in the name.
        match = "id IN (SELECT id FROM actor_names WHERE actor_names MATCH ? AND version_pk = ?)"
        phrase = '"' + term.replace('"', '""') + '"'
        fts = Condition([*where, match], [*params, phrase, _VERSION_PK])
        return self._search("actors", Actor, toile_id, version, q, where=fts, dense=plain)

    def get_flow(
        self,
        toile_id: str,
        flow_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Flow:
        """Return one flow of a version."""
        with self._read() as conn:
            pk = self._version_pk(conn, toile_id, version)
            row = conn.execute(
                "SELECT data FROM flows WHERE version_pk = ? AND id = ? AND visible_rank <= ?",
                (pk, flow_id, visibility.rank),
            ).fetchone()
        if row is None:
            msg = f"flux introuvable dans {toile_id} : {flow_id}"
            raise FlowNotFound(msg)
        return Flow.model_validate_json(row[0])

    def query_flows(
        self, toile_id: str, query: FlowQuery | None = None, *, version: str | None = None
    ) -> Page[Flow]:
        """Return the flows matching the query, sorted by id, and their total count."""
        q = query or FlowQuery()
        where: list[str] = ["version_pk = ?", "visible_rank <= ?"]
        params: list[object] = [_VERSION_PK, q.visibility.rank]
        for column, value in (
            ("kind", q.kind.value if q.kind else None),
            ("status", q.status.value if q.status else None),
            ("source", q.source),
            ("target", q.target),
            ("year", q.year),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if q.actor is not None:
            where.append("(source = ? OR target = ?)")
            params.extend([q.actor, q.actor])
        if q.min_quantity is not None:
            unit = get_unit(q.unit or "")
            where.append("family = ? AND quantity_base >= ?")
            params.extend([unit.family.value, base_quantity(q.min_quantity, unit)])
        return self._search("flows", Flow, toile_id, version, q, where=Condition(where, params))
