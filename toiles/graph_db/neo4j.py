"""The shared store: a Neo4j 5 server, for a team or an EPCI's developers.

The graph model is documented in ``docs/graph-model.md``: one ``(:Toile)`` per toile, one
``(:ToileVersion)`` per stored version, ``(:Actor)-[:IN_VERSION]->(:ToileVersion)`` and
``(:Actor)-[:FLOW]->(:Actor)``, every field a typed property that Cypher can filter on.

Loads are idempotent and all or nothing, however large. A version is written under a new
``(:ToileVersion {state: 'loading'})`` node, in batches of ``batch_size`` rows, each its own
transaction; one last short transaction then marks it ``ready`` and retires the version it
replaces, which is deleted afterwards in batches. The store only ever reads ``ready``
versions and checks, after reading, that the version it read is still ``ready``, so a reader
never sees a half-written or half-deleted version. What a failed load wrote is deleted at
once; what a killed process left behind is deleted by a later load of the same toile.

Nothing connects until the first use; every call names the database; driver exceptions
never escape: they become :class:`~toiles.errors.StoreError` (or ``StoreUnavailable`` when
the server cannot be reached, refuses the credentials or is too old).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

import pydantic
from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, Query, unit_of_work
from neo4j.exceptions import (
    AuthError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.time import DateTime
from pydantic import SecretStr

from toiles.access import ApiKeyRecord, WebSession, redact
from toiles.errors import (
    ActorNotFound,
    ApiKeyNotFound,
    FlowNotFound,
    InvalidCypher,
    RevisionConflict,
    StoreError,
    StoreUnavailable,
    ToileNotFound,
    WriteRefused,
)
from toiles.graph_db import NEO4J_SCHEMES
from toiles.graph_db import _neo4j_model as m
from toiles.graph_db._backup import Dump, DumpedVersion, read_dump, write_dump
from toiles.graph_db._neo4j_cypher import (
    CypherResult,
    JSONValue,
    cell_text,
    parse_params,
    row_bytes,
    to_jsonable,
    write_csv,
)
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
from toiles.models.history import EditAction, EditRecord, load_record
from toiles.models.toile import Toile, ToileSummary
from toiles.models.units import base_quantity, get_unit
from toiles.models.vocab import Confidentiality, fold
from toiles.settings import Settings, get_settings

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from neo4j import Driver, ManagedTransaction, Record, Session

    from toiles.graph_db.base import ToileStore

__all__ = [
    "CypherResult",
    "InvalidCypher",
    "JSONValue",
    "Neo4jStore",
    "WriteRefused",
    "cell_text",
    "check_server_version",
    "parse_params",
    "run_read_query",
    "write_csv",
]

logger = logging.getLogger(__name__)

R = TypeVar("R")

MIN_SERVER_MAJOR = 5
DEFAULT_ROW_LIMIT = 1000
BREAKER_S = 5.0
"""Seconds during which requests fail at once after the server was found unreachable."""
_READ_ATTEMPTS = 5
_DELETE_TIMEOUT_S = 3600.0

_ACCESS_MODE = "Neo.ClientError.Statement.AccessMode"
_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"
_NO_DATABASE = "Neo.ClientError.Database.DatabaseNotFound"
_TIMED_OUT = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)
_BAD_QUERY = (
    "Neo.ClientError.Statement.SyntaxError",
    "Neo.ClientError.Statement.SemanticError",
    "Neo.ClientError.Statement.ParameterMissing",
    "Neo.ClientError.Statement.TypeError",
    "Neo.ClientError.Statement.ArgumentError",
    "Neo.ClientError.Statement.ArithmeticError",
    "Neo.ClientError.Statement.EntityNotFound",
    "Neo.ClientError.Procedure.ProcedureNotFound",
    "Neo.ClientError.Procedure.ProcedureCallFailed",
    "Neo.ClientError.Transaction.InvalidType",
)


_DELETE_ROWS = 10_000  # per inner transaction: bounded memory whatever the batch size
_DELETE_FLOWS = (
    f"MATCH (:{m.VERSION} {{load_id: $load_id}})<-[:{m.IN_VERSION}]-(:{m.ACTOR})-[f:{m.FLOW}]->() "
    "CALL { WITH f DELETE f } IN TRANSACTIONS OF $rows ROWS"
)
_DELETE_ACTORS = (
    f"MATCH (:{m.VERSION} {{load_id: $load_id}})<-[:{m.IN_VERSION}]-(a:{m.ACTOR}) "
    "CALL { WITH a DETACH DELETE a } IN TRANSACTIONS OF $rows ROWS"
)


class _VersionMoved(Exception):
    """Internal: the version being read was replaced meanwhile; read it again."""


@dataclass(frozen=True)
class _Version:
    """A ready version node, as the store resolves it."""

    load_id: str
    version: str
    saved_at: dt.datetime
    info_json: str
    actors: int
    flows: int
    revision: int = 0

    def summary(self) -> ToileSummary:
        info = m.info_from_json(self.info_json)
        return ToileSummary(**dict(info), actors=self.actors, flows=self.flows)


def check_server_version(version: str) -> None:
    """Refuse a Neo4j server older than 5 (the model needs ``elementId`` and 5.x Cypher).

    Raises
    ------
    StoreUnavailable
        With a French sentence naming the version found.

    Examples
    --------
    >>> check_server_version("5.26.30")
    >>> check_server_version("2025.01.0")
    >>> check_server_version("4.4.12")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    toiles.errors.StoreUnavailable: serveur Neo4j 4.4.12 trop ancien : toiles demande Neo4j 5...
    """
    head = version.split(".", 1)[0]
    if head.isdigit() and int(head) < MIN_SERVER_MAJOR:
        msg = f"serveur Neo4j {version} trop ancien : toiles demande Neo4j 5 ou plus récent"
        raise StoreUnavailable(msg)


def _chunks(rows: Sequence[R], size: int) -> Iterator[Sequence[R]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _prefetch(pool: ThreadPoolExecutor, jobs: Iterable[Callable[[], R]]) -> Iterator[R]:
    """Yield the result of each job, running the next one in ``pool`` meanwhile."""
    pending: Future[R] | None = None
    for job in jobs:
        future = pool.submit(job)
        if pending is not None:
            yield pending.result()
        pending = future
    if pending is not None:
        yield pending.result()


def _encode_actors(actors: Sequence[Actor]) -> tuple[list[str], m.Columns]:
    """Ids and columns of one batch of actors."""
    rows = [m.actor_values(a) for a in actors]
    return [a.id for a in actors], m.encode_columns(m.ACTOR_PROPS, rows)


def _encode_flows(
    flows: Sequence[Flow], element_ids: Mapping[str, str]
) -> tuple[int, dict[str, object]]:
    """Size and query parameters of one batch of flows (their ends as element ids)."""
    sep = "\x1f"  # element ids are made of letters, digits, ':' and '-'
    params: dict[str, object] = {
        "source": sep.join([element_ids[f.source] for f in flows]),
        "target": sep.join([element_ids[f.target] for f in flows]),
        "sep": sep,
        "c": m.encode_column_lists(m.FLOW_PROPS, m.flow_columns(flows)),
    }
    return len(flows), params


class _Heartbeat:
    """Sign of life of a load, written in a transaction of its own every so often."""

    def __init__(self, session: Session, load_id: str, every_s: float = 30.0) -> None:
        self.session = session
        self.load_id = load_id
        self.every_s = every_s
        self.last = time.monotonic()

    def maybe(self) -> None:
        """Write the heartbeat if the last one is older than :attr:`every_s`."""
        if time.monotonic() - self.last < self.every_s:
            return
        self.session.execute_write(
            lambda tx: tx.run(
                f"MATCH (v:{m.VERSION} {{load_id: $load_id}}) SET v.heartbeat = datetime()",
                load_id=self.load_id,
            ).consume()
        )
        self.last = time.monotonic()


def _native(value: object) -> object:
    return value.to_native() if isinstance(value, DateTime) else value


def _process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class Neo4jStore(GraphOfVersion):
    """Toiles in a Neo4j 5 database (see :class:`~toiles.graph_db.base.ToileStore`).

    Parameters
    ----------
    uri
        Bolt URI of the server, ``neo4j://host:7687`` or ``bolt://host:7687`` (``+s``/``+ssc``
        for TLS), without credentials.
    user, password
        Credentials; ``password`` may be None here, the first use then fails clearly.
    database
        Database named on every call.
    batch_size
        Rows (actors or flows) written per transaction by :meth:`save_toile`.
    timeout_s
        Connection timeout, and default timeout of :meth:`run_read_query`.
    stale_load_s
        Age of the last sign of life after which the leftovers of an interrupted load are
        deleted by the next load of that toile.

    Notes
    -----
    Nothing connects at construction: the driver is created, and the server's version
    checked, on the first use. The store is safe to share between threads.
    """

    inline_reads = False

    def __init__(  # noqa: PLR0913  # every setting of the connection, all keyword-only
        self,
        uri: str = "neo4j://127.0.0.1:7687",
        *,
        user: str = "neo4j",
        password: str | SecretStr | None = None,
        database: str = "neo4j",
        batch_size: int = 5000,
        timeout_s: float = 30.0,
        stale_load_s: float = 600.0,
        connect_timeout_s: float = 3.0,
    ) -> None:
        self.uri = uri
        self.connect_timeout_s = connect_timeout_s
        self._down_until = 0.0
        self.user = user
        self._password = SecretStr(password) if isinstance(password, str) else password
        self.database = database
        self.batch_size = max(1, batch_size)
        self.timeout_s = timeout_s
        self.stale_load_s = stale_load_s
        self._driver: Driver | None = None
        self._checked = False
        self._schema_ready = False
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, settings: Settings | None = None) -> Neo4jStore:
        """Open the store a ``neo4j://`` or ``bolt://`` URL names, with the settings' credentials.

        Credentials written in the URL (``neo4j://user:password@host``) override the settings;
        they are never kept in :attr:`uri` nor printed.

        Parameters
        ----------
        url
            ``neo4j://``, ``bolt://`` (or their ``+s``/``+ssc`` forms) URL of the server.
        settings
            Settings giving user, password, database, batch size and timeout (default: the
            environment's, ``TOILES_NEO4J_*``).

        Returns
        -------
        Neo4jStore
            A store that connects on its first use.

        Raises
        ------
        StoreError
            When the URL is not a Neo4j one or its port is malformed.
        """
        settings = settings or get_settings()
        parts = urlsplit(url)
        if parts.scheme not in NEO4J_SCHEMES:
            msg = f"URL Neo4j attendue (neo4j://hôte:7687 ou bolt://hôte:7687) : {parts.scheme}://…"
            raise StoreError(msg)
        user = unquote(parts.username) if parts.username else settings.neo4j_user
        password: SecretStr | None = settings.neo4j_password
        if parts.password:
            password = SecretStr(unquote(parts.password))
        try:
            port = f":{parts.port}" if parts.port else ""
        except ValueError as exc:
            msg = f"port invalide dans l'URL Neo4j {parts.scheme}://{parts.hostname}"
            raise StoreError(msg) from exc
        netloc = f"{parts.hostname or ''}{port}"
        uri = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        return cls(
            uri,
            user=user,
            password=password,
            database=settings.neo4j_database,
            batch_size=settings.neo4j_batch_size,
            timeout_s=settings.neo4j_timeout_s,
            connect_timeout_s=settings.neo4j_connect_timeout_s,
        )

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    # -- connection ----------------------------------------------------------------------

    def _translate(self, exc: Exception, action: str) -> StoreError:
        """The toiles error, in French, that stands for a driver exception."""
        code = exc.code if isinstance(exc, Neo4jError) else ""
        where = self.uri
        if isinstance(exc, AuthError):
            msg = (
                f"identifiants refusés par le serveur Neo4j {where} (utilisateur « {self.user} ») :"
                " vérifiez TOILES_NEO4J_USER et TOILES_NEO4J_PASSWORD"
            )
            return StoreUnavailable(msg)
        if code == _RATE_LIMIT:
            msg = (
                f"trop d'échecs d'authentification sur {where} : le compte « {self.user} » est "
                "bloqué quelques secondes ; vérifiez TOILES_NEO4J_PASSWORD puis réessayez"
            )
            return StoreUnavailable(msg)
        if code == _NO_DATABASE:
            msg = f"base « {self.database} » introuvable sur {where} (TOILES_NEO4J_DATABASE)"
            return StoreUnavailable(msg)
        if isinstance(exc, ServiceUnavailable | SessionExpired):
            msg = (
                f"serveur Neo4j injoignable à {where} ({exc}) : est-il démarré "
                "(make neo4j-start), et l'adresse est-elle la bonne ?"
            )
            return StoreUnavailable(msg)
        if isinstance(exc, Neo4jError):
            msg = f"{action} impossible sur Neo4j ({where}) : {exc.message} [{code}]"
            return StoreError(msg)
        msg = f"{action} impossible sur Neo4j ({where}) : {exc}"
        return StoreError(msg)

    def _connect(self) -> Driver:
        """Return the driver, creating it and checking the server on the first use."""
        with self._lock:
            if self._driver is None:
                # The driver logs what it raises too; without a handler of the application's
                # own, Python would print those lines raw next to our French message.
                logging.getLogger("neo4j").addHandler(logging.NullHandler())
                if self._password is None or not self._password.get_secret_value():
                    msg = (
                        f"mot de passe Neo4j manquant pour {self.uri} : définissez "
                        "TOILES_NEO4J_PASSWORD (et TOILES_NEO4J_USER si l'utilisateur "
                        "n'est pas neo4j)"
                    )
                    raise StoreUnavailable(msg)
                try:
                    self._driver = GraphDatabase.driver(
                        self.uri,
                        auth=(self.user, self._password.get_secret_value()),
                        # A server that is down must fail a request in seconds, not in
                        # the 30 s of a connection timeout times the retries of a read.
                        connection_timeout=self.connect_timeout_s,
                        connection_acquisition_timeout=self.timeout_s,
                        max_transaction_retry_time=min(self.timeout_s, 2 * self.connect_timeout_s),
                        notifications_min_severity="OFF",
                        warn_notification_severity="OFF",
                        user_agent="toiles",
                    )
                except (ValueError, DriverError, Neo4jError) as exc:
                    raise self._translate(exc, "connexion") from exc
            driver = self._driver
            if not self._checked:
                self._check_server(driver)
                self._checked = True
        return driver

    def _check_server(self, driver: Driver) -> None:
        query = "CALL dbms.components() YIELD versions RETURN versions[0] AS version"
        try:
            driver.verify_connectivity()  # one attempt: a refused connection fails at once
            with driver.session(database=self.database, default_access_mode=READ_ACCESS) as s:
                record = s.execute_read(lambda tx: tx.run(query).single(strict=True))
        except (DriverError, Neo4jError) as exc:
            raise self._translate(exc, "connexion") from exc
        check_server_version(str(record["version"]))

    def _check_breaker(self) -> None:
        """Fail at once while the server is known to be down (the circuit breaker is open).

        After a failure to reach the server, requests fail at once for :data:`BREAKER_S`
        seconds instead of each waiting for its own connection timeout; the first request
        after that tries again.
        """
        wait = self._down_until - time.monotonic()
        if wait > 0:
            msg = f"serveur Neo4j {self.uri} injoignable (nouvel essai dans {wait:.0f} s)"
            raise StoreUnavailable(msg)

    @contextlib.contextmanager
    def _session(self, *, write: bool = False, action: str = "lecture") -> Iterator[Session]:
        self._check_breaker()
        try:
            driver = self._connect()
        except StoreUnavailable:
            self._down_until = time.monotonic() + BREAKER_S
            raise
        try:
            with driver.session(
                database=self.database,
                default_access_mode=WRITE_ACCESS if write else READ_ACCESS,
                bookmark_manager=driver.execute_query_bookmark_manager,
            ) as session:
                yield session
        except (DriverError, Neo4jError) as exc:
            error = self._translate(exc, action)
            if isinstance(error, StoreUnavailable) and not self._answers(driver):
                self._down_until = time.monotonic() + BREAKER_S
            raise error from exc

    def _answers(self, driver: Driver) -> bool:
        """Whether the server still takes connections (a dropped one alone opens no breaker)."""
        try:
            driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError):
            return False
        return True

    def create_schema(self) -> None:
        """Create the constraints and indexes of the model (``IF NOT EXISTS``), once.

        Every write calls it first; call it yourself after a ``neo4j-admin`` import.
        """
        if self._schema_ready:
            return
        with self._session(write=True, action="création du schéma") as session:
            for statement in m.SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
        self._schema_ready = True

    def ping(self) -> None:
        """Check that the server answers with these credentials and that the database exists."""
        with self._session() as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())

    def close(self) -> None:
        """Close the driver and its connections (a later use reconnects)."""
        with self._lock:
            driver, self._driver, self._checked = self._driver, None, False
        if driver is not None:
            with contextlib.suppress(DriverError, Neo4jError, OSError):
                driver.close()

    # -- reading ready versions ------------------------------------------------------------

    @staticmethod
    def _ready_versions(tx: ManagedTransaction, toile_id: str) -> list[_Version]:
        result = tx.run(
            f"MATCH (v:{m.VERSION} {{toile_id: $toile_id, state: '{m.READY}'}}) "
            "RETURN v.load_id AS load_id, v.version AS version, v.saved_at AS saved_at, "
            "v.info_json AS info_json, v.actors AS actors, v.flows AS flows, "
            "coalesce(v.revision, 0) AS revision",
            toile_id=toile_id,
        )
        return [
            _Version(
                load_id=r["load_id"],
                version=r["version"],
                saved_at=r["saved_at"].to_native(),
                info_json=r["info_json"],
                actors=r["actors"],
                flows=r["flows"],
                revision=r["revision"],
            )
            for r in result
        ]

    @classmethod
    def _resolve(cls, tx: ManagedTransaction, toile_id: str, version: str | None) -> _Version:
        versions = cls._ready_versions(tx, toile_id)
        if version is not None:
            versions = [v for v in versions if v.version == version]
        if not versions:
            what = f"{toile_id} {version}" if version else toile_id
            msg = f"toile introuvable : {what}"
            raise ToileNotFound(msg)
        return max(versions, key=lambda v: (version_sort_key(v.version), v.saved_at))

    @staticmethod
    def _still_ready(tx: ManagedTransaction, target: _Version) -> bool:
        state = tx.run(
            f"MATCH (v:{m.VERSION} {{load_id: $load_id}}) RETURN v.state AS state",
            load_id=target.load_id,
        ).single()
        return state is not None and state["state"] == m.READY

    def _read_version(
        self,
        toile_id: str,
        version: str | None,
        work: Callable[[ManagedTransaction, _Version], R],
    ) -> R:
        """Run ``work`` on a ready version; again if that version was replaced meanwhile."""

        def unit(tx: ManagedTransaction) -> R:
            target = self._resolve(tx, toile_id, version)
            try:
                result = work(tx, target)
            except pydantic.ValidationError:
                # A node deleted while it was read (its version was retired meanwhile) shows
                # no properties: read again if so, otherwise the stored data is at fault.
                if self._still_ready(tx, target):
                    raise
                raise _VersionMoved from None
            if not self._still_ready(tx, target):
                raise _VersionMoved
            return result

        for _ in range(_READ_ATTEMPTS):
            with contextlib.suppress(_VersionMoved), self._session() as session:
                return session.execute_read(unit)
        msg = f"la toile {toile_id} a été remplacée pendant chaque lecture ; réessayez"
        raise StoreError(msg)

    def list_toiles(self) -> list[ToileSummary]:
        """List every stored version, by toile id then version (natural order)."""

        def unit(tx: ManagedTransaction) -> list[tuple[str, _Version]]:
            result = tx.run(
                f"MATCH (v:{m.VERSION} {{state: '{m.READY}'}}) "
                "RETURN v.toile_id AS toile_id, v.load_id AS load_id, v.version AS version, "
                "v.saved_at AS saved_at, v.info_json AS info_json, v.actors AS actors, "
                "v.flows AS flows"
            )
            return [
                (
                    r["toile_id"],
                    _Version(
                        r["load_id"],
                        r["version"],
                        r["saved_at"].to_native(),
                        r["info_json"],
                        r["actors"],
                        r["flows"],
                    ),
                )
                for r in result
            ]

        with self._session() as session:
            rows = session.execute_read(unit)
        rows.sort(key=lambda r: (r[0], version_sort_key(r[1].version)))
        return [v.summary() for _, v in rows]

    def list_versions(self, toile_id: str) -> list[ToileSummary]:
        """List the versions of one toile, oldest first."""
        return versions_of(self.list_toiles(), toile_id)

    def get_summary(self, toile_id: str, version: str | None = None) -> ToileSummary:
        """Return the description and counts of one version (default: the latest)."""
        with self._session() as session:
            target = session.execute_read(lambda tx: self._resolve(tx, toile_id, version))
        return target.summary()

    def get_toile(
        self,
        toile_id: str,
        version: str | None = None,
        *,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Toile:
        """Return one version (default: the latest) with what ``visibility`` allows."""
        work = self._toile_reader(visibility)
        return redact(self._read_version(toile_id, version, work), visibility)

    def get_toile_and_revision(
        self, toile_id: str, version: str | None = None
    ) -> tuple[Toile, int]:
        """Return one whole version and its revision, read in one transaction."""
        read = self._toile_reader(Confidentiality.CONFIDENTIEL)

        def work(tx: ManagedTransaction, target: _Version) -> tuple[Toile, int]:
            return read(tx, target), target.revision

        return self._read_version(toile_id, version, work)

    def get_revision(self, toile_id: str, version: str | None = None) -> int:
        """Return the revision of one version (default: the latest)."""
        with self._session() as session:
            target = session.execute_read(lambda tx: self._resolve(tx, toile_id, version))
        return target.revision

    def list_edits(
        self, toile_id: str, version: str | None = None, *, limit: int = DEFAULT_LIMIT
    ) -> list[EditRecord]:
        """Return the recorded edits of a toile (of one version if given), newest first."""

        def unit(tx: ManagedTransaction) -> list[str]:
            result = tx.run(
                f"MATCH (e:{m.EDIT} {{toile_id: $toile_id}}) "
                "WHERE $version IS NULL OR e.version = $version "
                "RETURN e.data AS data ORDER BY e.created DESC, e.revision DESC LIMIT $limit",
                toile_id=toile_id,
                version=version,
                limit=limit,
            )
            return [r["data"] for r in result]

        with self._session() as session:
            rows = session.execute_read(unit)
        return [EditRecord.model_validate_json(data) for data in rows]

    @staticmethod
    def _toile_reader(
        visibility: Confidentiality,
    ) -> Callable[[ManagedTransaction, _Version], Toile]:
        allowed = m.levels(visibility)

        def work(tx: ManagedTransaction, target: _Version) -> Toile:
            actor_rows = tx.run(
                f"MATCH (a:{m.ACTOR})-[:{m.IN_VERSION}]->(:{m.VERSION} {{load_id: $load_id}}) "
                "WHERE a.confidentiality IN $levels RETURN properties(a) AS p",
                load_id=target.load_id,
                levels=allowed,
            )
            actors = sorted((m.actor_from_props(r["p"]) for r in actor_rows), key=lambda a: a.id)
            flow_rows = tx.run(
                f"MATCH (:{m.VERSION} {{load_id: $load_id}})<-[:{m.IN_VERSION}]-(s:{m.ACTOR})"
                f"-[f:{m.FLOW}]->(t:{m.ACTOR}) WHERE f.confidentiality IN $levels "
                "AND s.confidentiality IN $levels AND t.confidentiality IN $levels "
                "RETURN s.id AS source, t.id AS target, properties(f) AS p",
                load_id=target.load_id,
                levels=allowed,
            )
            flows = sorted(
                (m.flow_from_props(r["p"], r["source"], r["target"]) for r in flow_rows),
                key=lambda f: f.id,
            )
            info = m.info_from_json(target.info_json)
            return Toile.model_construct(**dict(info), actors=tuple(actors), flows=tuple(flows))

        return work

    def get_actor(
        self,
        toile_id: str,
        actor_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Actor:
        """Return one actor of a version."""

        def work(tx: ManagedTransaction, target: _Version) -> Record | None:
            return tx.run(
                f"MATCH (a:{m.ACTOR} {{id: $id}})-[:{m.IN_VERSION}]->"
                f"(:{m.VERSION} {{load_id: $load_id}}) WHERE a.confidentiality IN $levels "
                "RETURN properties(a) AS p",
                id=actor_id,
                load_id=target.load_id,
                levels=m.levels(visibility),
            ).single()

        record = self._read_version(toile_id, version, work)
        if record is None:
            msg = f"acteur introuvable dans {toile_id} : {actor_id}"
            raise ActorNotFound(msg)
        return m.actor_from_props(record["p"])

    def query_actors(
        self, toile_id: str, query: ActorQuery | None = None, *, version: str | None = None
    ) -> Page[Actor]:
        """Return the actors matching the query, sorted by id, and their total count."""
        q = query or ActorQuery()
        where = ["a.confidentiality IN $levels"]
        params: dict[str, object] = {"levels": m.levels(q.visibility)}
        for name, value in (
            ("kind", q.kind.value if q.kind else None),
            ("commune_insee", q.commune_insee),
            ("epci", q.epci),
            ("zae", q.zae),
        ):
            if value is not None:
                where.append(f"a.{name} = ${name}")
                params[name] = value
        if q.naf:
            where.append("toUpper(a.naf) STARTS WITH toUpper($naf)")
            params["naf"] = q.naf
        if q.q:
            where.append("a.name_folded CONTAINS $q")
            params["q"] = fold(q.q)
        match = (
            f"MATCH (a:{m.ACTOR})-[:{m.IN_VERSION}]->(:{m.VERSION} {{load_id: $load_id}}) "
            f"WHERE {' AND '.join(where)} "
        )

        def work(tx: ManagedTransaction, target: _Version) -> tuple[int, list[Actor]]:
            args = {**params, "load_id": target.load_id}
            total = tx.run(match + "RETURN count(a) AS n", args).single(strict=True)["n"]
            rows = tx.run(
                match + "RETURN properties(a) AS p ORDER BY a.id SKIP $offset LIMIT $limit",
                {**args, "offset": q.offset, "limit": q.limit},
            )
            return total, [m.actor_from_props(r["p"]) for r in rows]

        total, items = self._read_version(toile_id, version, work)
        return Page[Actor](items=tuple(items), total=total)

    def get_flow(
        self,
        toile_id: str,
        flow_id: str,
        *,
        version: str | None = None,
        visibility: Confidentiality = Confidentiality.CONFIDENTIEL,
    ) -> Flow:
        """Return one flow of a version."""

        def work(tx: ManagedTransaction, target: _Version) -> Record | None:
            return tx.run(
                f"MATCH (:{m.VERSION} {{load_id: $load_id}})<-[:{m.IN_VERSION}]-(s:{m.ACTOR})"
                f"-[f:{m.FLOW} {{id: $id}}]->(t:{m.ACTOR}) WHERE f.confidentiality IN $levels "
                "AND s.confidentiality IN $levels AND t.confidentiality IN $levels "
                "RETURN s.id AS source, t.id AS target, properties(f) AS p",
                id=flow_id,
                load_id=target.load_id,
                levels=m.levels(visibility),
            ).single()

        record = self._read_version(toile_id, version, work)
        if record is None:
            msg = f"flux introuvable dans {toile_id} : {flow_id}"
            raise FlowNotFound(msg)
        return m.flow_from_props(record["p"], record["source"], record["target"])

    def query_flows(
        self, toile_id: str, query: FlowQuery | None = None, *, version: str | None = None
    ) -> Page[Flow]:
        """Return the flows matching the query, sorted by id, and their total count."""
        q = query or FlowQuery()
        where = [
            "f.confidentiality IN $levels",
            "s.confidentiality IN $levels",
            "t.confidentiality IN $levels",
        ]
        params: dict[str, object] = {"levels": m.levels(q.visibility)}
        for clause, name, value in (
            ("f.kind = $kind", "kind", q.kind.value if q.kind else None),
            ("f.status = $status", "status", q.status.value if q.status else None),
            ("s.id = $source", "source", q.source),
            ("t.id = $target", "target", q.target),
            ("(s.id = $actor OR t.id = $actor)", "actor", q.actor),
            ("f.year = $year", "year", q.year),
        ):
            if value is not None:
                where.append(clause)
                params[name] = value
        if q.min_quantity is not None:
            unit = get_unit(q.unit or "")
            where.append("f.family = $family AND f.quantity_base >= $min_base")
            params["family"] = unit.family.value
            params["min_base"] = base_quantity(q.min_quantity, unit)
        match = (
            f"MATCH (:{m.VERSION} {{load_id: $load_id}})<-[:{m.IN_VERSION}]-(s:{m.ACTOR})"
            f"-[f:{m.FLOW}]->(t:{m.ACTOR}) WHERE {' AND '.join(where)} "
        )

        def work(tx: ManagedTransaction, target: _Version) -> tuple[int, list[Flow]]:
            args = {**params, "load_id": target.load_id}
            total = tx.run(match + "RETURN count(f) AS n", args).single(strict=True)["n"]
            rows = tx.run(
                match + "RETURN s.id AS source, t.id AS target, properties(f) AS p "
                "ORDER BY f.id SKIP $offset LIMIT $limit",
                {**args, "offset": q.offset, "limit": q.limit},
            )
            return total, [m.flow_from_props(r["p"], r["source"], r["target"]) for r in rows]

        total, items = self._read_version(toile_id, version, work)
        return Page[Flow](items=tuple(items), total=total)

    # -- writing versions ------------------------------------------------------------------

    def save_toile(
        self,
        toile: Toile,
        *,
        expected_revision: int | None = None,
        edit: EditRecord | None = None,
    ) -> int:
        """Store a toile version, replacing that version all at once; return its revision.

        The version is written in batches of :attr:`batch_size` rows under a new ``loading``
        version node, then made ``ready`` in one short transaction that retires the version it
        replaces; that one is deleted afterwards. Readers see the old version until that
        transaction commits, the new one after it, never a mix.

        The switch is also where the revision is checked: it locks the toile node, reads
        the revision of the ready version, refuses the load when ``expected_revision`` is
        given and differs, and records ``edit`` (one ``:ToileEdit`` node) in the same
        transaction.

        Raises
        ------
        StoreError
            When the load fails; what it had written is deleted and the previous version of
            this toile version stays as it was.
        RevisionConflict
            When ``expected_revision`` is given and the stored version is at another one
            (checked before writing, and again at the switch).

        Notes
        -----
        Flows are written sorted by source actor: each batch then touches few actors' chains
        of relationships, which made the flow batches about 1.6 times faster (measured). The
        next batch is encoded in a worker thread while the server writes the current one.
        """
        self.create_schema()
        actors = toile.actors
        flows = sorted(toile.flows, key=attrgetter("source"))
        load_id = uuid.uuid4().hex
        props = m.version_props(toile.info, n_actors=len(actors), n_flows=len(flows))
        props |= {"owner_host": socket.gethostname(), "owner_pid": os.getpid()}
        record = edit or load_record(
            toile.id, toile.version, who="inconnu", actors=len(actors), flows=len(flows)
        )
        if expected_revision is not None:
            self._check_revision(toile.id, toile.version, expected_revision)
        self.clean_interrupted_loads()
        self._drop_leftovers(toile.id)
        try:
            with (
                self._session(write=True, action="chargement") as session,
                ThreadPoolExecutor(1, thread_name_prefix="toiles-encode") as encoder,
            ):
                session.execute_write(self._create_version, load_id, props)
                beat = _Heartbeat(session, load_id)
                element_ids: dict[str, str] = {}
                jobs = (partial(_encode_actors, b) for b in _chunks(actors, self.batch_size))
                for ids, columns in _prefetch(encoder, jobs):
                    element_ids.update(self._write_actors(session, load_id, ids, columns))
                    beat.maybe()
                batches = _chunks(flows, self.batch_size)
                jobs_f = (partial(_encode_flows, b, element_ids) for b in batches)
                for size, params in _prefetch(encoder, jobs_f):
                    self._write_flows(session, load_id, size, params)
                    beat.maybe()
                retired, revision = session.execute_write(
                    self._switch, load_id, toile, len(actors), expected_revision, record
                )
        except BaseException:
            self._discard(load_id)
            raise
        for old in retired:
            self._drop_version(old)
        return revision

    def _check_revision(self, toile_id: str, version: str, expected: int) -> None:
        """Refuse early a load whose base revision is already outdated (no batch written)."""
        with self._session() as session:
            current = session.execute_read(self._current_revision, toile_id, version)
        if current != expected:
            msg = revision_conflict_message(toile_id, version, current, expected)
            raise RevisionConflict(msg)

    @staticmethod
    def _current_revision(tx: ManagedTransaction, toile_id: str, version: str) -> int:
        record = tx.run(
            f"OPTIONAL MATCH (o:{m.VERSION} {{toile_id: $toile_id, version: $version, "
            f"state: '{m.READY}'}}) RETURN coalesce(max(o.revision), 0) AS revision",
            toile_id=toile_id,
            version=version,
        ).single(strict=True)
        return int(record["revision"])

    def clean_interrupted_loads(self) -> list[InterruptedLoad]:
        """Delete the loads that died before they finished; return what was deleted.

        A load is dead when the process that wrote it, on this machine, no longer runs, or
        when it gave no sign of life for :attr:`stale_load_s` (another machine's). Called at
        every load and when the API starts; each one deleted is logged.

        Returns
        -------
        list[InterruptedLoad]
            The toile id, version and start time of each interrupted load deleted.
        """
        self.create_schema()
        with self._session(action="nettoyage") as session:
            rows = session.execute_read(self._loading_versions)
        host, me = socket.gethostname(), os.getpid()
        cleaned: list[InterruptedLoad] = []
        for row in rows:
            pid = row["owner_pid"]
            dead_here = (
                row["owner_host"] == host
                and isinstance(pid, int)
                and pid != me
                and not _process_alive(pid)
            )
            if not (dead_here or row["stale"]):
                continue
            if self._drop_version(row["load_id"]):
                started = row["started_at"]
                load = InterruptedLoad(
                    row["toile_id"],
                    row["version"],
                    None if started is None else started.to_native(),
                )
                logger.warning(
                    "chargement interrompu supprimé : %s %s (commencé le %s)",
                    load.toile_id,
                    load.version,
                    load.started_at,
                )
                cleaned.append(load)
        return cleaned

    def _loading_versions(self, tx: ManagedTransaction) -> list[Record]:
        result = tx.run(
            f"MATCH (v:{m.VERSION} {{state: '{m.LOADING}'}}) "
            "RETURN v.load_id AS load_id, v.toile_id AS toile_id, v.version AS version, "
            "v.started_at AS started_at, v.owner_host AS owner_host, v.owner_pid AS owner_pid, "
            "coalesce(v.heartbeat, v.started_at) < datetime() - duration({seconds: $stale}) "
            "AS stale",
            stale=self.stale_load_s,
        )
        return list(result)

    def _write_actors(
        self, session: Session, load_id: str, ids: list[str], columns: m.Columns
    ) -> dict[str, str]:
        """Write one batch of actors; return the element id of each, by actor id."""

        def unit(tx: ManagedTransaction) -> dict[str, str]:
            record = tx.run(m.CREATE_ACTORS, load_id=load_id, c=columns).single()
            if record is None or len(record["rows"]) != len(ids):
                msg = (
                    "chargement interrompu : la version en cours a disparu "
                    "(un autre chargement l'a-t-il effacée ?)"
                )
                raise StoreError(msg)
            return {ids[i]: e for i, e in zip(record["rows"], record["element_ids"], strict=True)}

        return session.execute_write(unit_of_work(timeout=max(self.timeout_s, 60.0))(unit))

    def _write_flows(
        self, session: Session, load_id: str, size: int, params: dict[str, object]
    ) -> None:
        """Write one batch of flows between actors given by element id."""

        def unit(tx: ManagedTransaction) -> None:
            record = tx.run(m.CREATE_FLOWS, params, load_id=load_id).single()
            if record is None or record["created"] != size:
                msg = "chargement interrompu : des acteurs de la version en cours ont disparu"
                raise StoreError(msg)

        session.execute_write(unit_of_work(timeout=max(self.timeout_s, 60.0))(unit))

    @staticmethod
    def _create_version(tx: ManagedTransaction, load_id: str, props: dict[str, object]) -> None:
        tx.run(
            f"CREATE (v:{m.VERSION} {{load_id: $load_id, state: '{m.LOADING}'}}) "
            "SET v += $props, v.started_at = datetime(), v.heartbeat = datetime()",
            load_id=load_id,
            props=props,
        ).consume()

    @staticmethod
    def _switch(  # noqa: PLR0913, PLR0917  # execute_write passes them; the load, its toile, and the revision and edit it carries
        tx: ManagedTransaction,
        load_id: str,
        toile: Toile,
        n_actors: int,
        expected_revision: int | None,
        edit: EditRecord,
    ) -> tuple[list[str], int]:
        """Make a loaded version ready and retire the one it replaces (checking revisions).

        Returns the retired versions' load ids and the new revision.
        """
        toile_id, version = toile.id, toile.version
        # Locking the toile node serialises the switches (and deletes) of one toile: the
        # revision read below is the committed one, and no other switch passes meanwhile.
        tx.run(
            f"MERGE (t:{m.TOILE} {{id: $toile_id}}) SET t.changed_at = datetime()",
            toile_id=toile_id,
        ).consume()
        current = Neo4jStore._current_revision(tx, toile_id, version)
        if expected_revision is not None and current != expected_revision:
            msg = revision_conflict_message(toile_id, version, current, expected_revision)
            raise RevisionConflict(msg)
        last_edit = tx.run(
            f"OPTIONAL MATCH (e:{m.EDIT} {{toile_id: $toile_id, version: $version}}) "
            "RETURN coalesce(max(e.revision), 0) AS revision",
            toile_id=toile_id,
            version=version,
        ).single(strict=True)["revision"]
        revision = max(current, int(last_edit)) + 1
        record = tx.run(
            f"MATCH (v:{m.VERSION} {{load_id: $load_id}}) "
            f"RETURN v.state AS state, COUNT {{ (v)<-[:{m.IN_VERSION}]-() }} AS actors",
            load_id=load_id,
        ).single()
        if record is None or record["state"] != m.LOADING or record["actors"] != n_actors:
            msg = "chargement interrompu : la version en cours est incomplète ou a disparu"
            raise StoreError(msg)
        retired = tx.run(
            f"MATCH (o:{m.VERSION} {{toile_id: $toile_id, version: $version, state: '{m.READY}'}}) "
            f"OPTIONAL MATCH (o)-[r:{m.VERSION_OF}]->() DELETE r "
            f"SET o.state = '{m.RETIRED}', o.retired_at = datetime(), o.latest = false "
            "REMOVE o.ready_key RETURN collect(DISTINCT o.load_id) AS retired",
            toile_id=toile_id,
            version=version,
        ).single(strict=True)["retired"]
        tx.run(
            f"MATCH (v:{m.VERSION} {{load_id: $load_id}}), (t:{m.TOILE} {{id: $toile_id}}) "
            f"SET v.state = '{m.READY}', v.ready_key = $ready_key, v.saved_at = datetime(), "
            "v.revision = $revision "
            f"REMOVE v.heartbeat MERGE (v)-[:{m.VERSION_OF}]->(t)",
            load_id=load_id,
            toile_id=toile_id,
            ready_key=m.ready_key(toile_id, version),
            revision=revision,
        ).consume()
        tx.run(
            f"CREATE (e:{m.EDIT} {{toile_id: $toile_id, version: $version, "
            "revision: $revision, created: datetime(), data: $data})",
            toile_id=toile_id,
            version=version,
            revision=revision,
            data=edit.stamped(revision).model_dump_json(),
        ).consume()
        Neo4jStore._mark_latest(tx, toile_id)
        return list(retired), revision

    @staticmethod
    def _mark_latest(tx: ManagedTransaction, toile_id: str) -> int:
        """Flag the latest ready version of a toile (``latest: true``); return how many remain."""
        versions = Neo4jStore._ready_versions(tx, toile_id)
        if not versions:
            return 0
        latest = max(versions, key=lambda v: (version_sort_key(v.version), v.saved_at))
        tx.run(
            f"MATCH (v:{m.VERSION} {{toile_id: $toile_id, state: '{m.READY}'}}) "
            "SET v.latest = (v.load_id = $load_id)",
            toile_id=toile_id,
            load_id=latest.load_id,
        ).consume()
        return len(versions)

    def delete_toile(self, toile_id: str, version: str | None = None) -> int:
        """Delete one version, or all versions of the toile; return how many were deleted."""

        def unit(tx: ManagedTransaction) -> list[str]:
            what = f"{toile_id} {version}" if version else toile_id
            locked = tx.run(
                f"MATCH (t:{m.TOILE} {{id: $toile_id}}) SET t.changed_at = datetime() "
                "RETURN t.id AS id",
                toile_id=toile_id,
            ).single()
            retired = tx.run(
                f"MATCH (o:{m.VERSION} {{toile_id: $toile_id, state: '{m.READY}'}}) "
                "WHERE $version IS NULL OR o.version = $version "
                f"OPTIONAL MATCH (o)-[r:{m.VERSION_OF}]->() DELETE r "
                f"SET o.state = '{m.RETIRED}', o.retired_at = datetime(), o.latest = false "
                "REMOVE o.ready_key RETURN collect(DISTINCT o.load_id) AS retired",
                toile_id=toile_id,
                version=version,
            ).single(strict=True)["retired"]
            if locked is None or not retired:
                msg = f"toile introuvable : {what}"
                raise ToileNotFound(msg)
            if Neo4jStore._mark_latest(tx, toile_id) == 0:
                tx.run(
                    f"MATCH (t:{m.TOILE} {{id: $toile_id}}) DETACH DELETE t", toile_id=toile_id
                ).consume()
            return list(retired)

        self.create_schema()
        with self._session(write=True, action="suppression") as session:
            retired = session.execute_write(unit)
        for load_id in retired:
            self._drop_version(load_id)
        return len(retired)

    # -- deleting versions in batches ------------------------------------------------------

    def _drop_version(self, load_id: str) -> bool:
        """Delete a version that no reader uses any more, in batches; True when all is gone.

        Each batch is its own transaction (``CALL {…} IN TRANSACTIONS``), so this runs in an
        auto-commit transaction. A failure is logged, not raised: the version is invisible
        already, and what is left is deleted by a later load of the same toile.
        """
        try:
            with self._session(write=True, action="suppression") as session:
                for statement in (_DELETE_FLOWS, _DELETE_ACTORS):
                    session.run(
                        Query(statement, timeout=_DELETE_TIMEOUT_S),
                        load_id=load_id,
                        rows=_DELETE_ROWS,
                    ).consume()
                session.run(
                    f"MATCH (v:{m.VERSION} {{load_id: $load_id}}) "
                    f"WHERE NOT (v)<-[:{m.IN_VERSION}]-() DETACH DELETE v",
                    load_id=load_id,
                ).consume()
        except (StoreError, DriverError, Neo4jError, OSError) as exc:
            logger.warning("version %s not fully deleted (a later load will): %s", load_id, exc)
            return False
        return True

    def _discard(self, load_id: str) -> None:
        """Delete what a failed load wrote, so that no partial data stays behind."""
        self._drop_version(load_id)

    def _drop_leftovers(self, toile_id: str) -> None:
        """Delete a toile's retired versions and the loads interrupted long enough ago."""
        with self._session(action="nettoyage") as session:
            stale = session.execute_read(self._stale_versions, toile_id, self.stale_load_s)
        for load_id in stale:
            self._drop_version(load_id)

    @staticmethod
    def _stale_versions(
        tx: ManagedTransaction, toile_id: str | None, stale_load_s: float
    ) -> list[str]:
        result = tx.run(
            f"MATCH (v:{m.VERSION}) WHERE ($toile_id IS NULL OR v.toile_id = $toile_id) AND "
            f"(v.state = '{m.RETIRED}' OR (v.state = '{m.LOADING}' AND "
            "coalesce(v.heartbeat, v.started_at) < datetime() - duration({seconds: $stale}))) "
            "RETURN v.load_id AS load_id",
            toile_id=toile_id,
            stale=stale_load_s,
        )
        return [r["load_id"] for r in result]

    def purge_leftovers(self, *, stale_after_s: float | None = None) -> int:
        """Delete every retired version and every load without sign of life for a while.

        Loads of a toile already do this for that toile; this is for maintenance.

        Parameters
        ----------
        stale_after_s
            Age of the last sign of life of an interrupted load (default :attr:`stale_load_s`).

        Returns
        -------
        int
            How many version nodes were deleted entirely.
        """
        stale_s = self.stale_load_s if stale_after_s is None else stale_after_s
        with self._session(action="nettoyage") as session:
            stale = session.execute_read(self._stale_versions, None, stale_s)
        return sum(self._drop_version(load_id) for load_id in stale)

    # -- backups -----------------------------------------------------------------------------

    def backup_to(self, dest: Path | str) -> None:
        """Write a logical dump of the database (gzip JSON) to ``dest``, atomically.

        Made through the driver while the server keeps serving: Neo4j Community's
        ``neo4j-admin database dump`` needs the database stopped. Each version is read
        whole with its revision in one transaction; the dump is written to a temporary
        file renamed over ``dest`` at the end, so an interrupted backup leaves the previous
        one intact.
        """
        versions = []
        for summary in self.list_toiles():
            toile, revision = self.get_toile_and_revision(summary.id, summary.version)
            versions.append(DumpedVersion(revision=revision, toile=toile))
        with self._session() as session:
            rows = session.execute_read(
                lambda tx: [
                    r["data"]
                    for r in tx.run(
                        f"MATCH (e:{m.EDIT}) RETURN e.data AS data ORDER BY e.created, e.revision"
                    )
                ]
            )
        edits = tuple(EditRecord.model_validate_json(data) for data in rows)
        dump = Dump(toiles=tuple(versions), api_keys=tuple(self.list_api_keys()), edits=edits)
        write_dump(dump, Path(dest))

    def restore_from(self, src: Path | str) -> None:
        """Make the database hold what a dump of :meth:`backup_to` holds.

        The whole dump is read and validated first (nothing changes if it is not valid).
        Then the edit history and the API keys are replaced, each version of the dump is
        saved (an ordinary load, atomic per version, recorded as a ``restauration``) and the
        versions absent from the dump are deleted. Revisions keep increasing: an ``ETag``
        read before the restore never matches a restored version.
        """
        dump = read_dump(Path(src))
        self.create_schema()
        history = [
            {
                "toile_id": e.toile_id,
                "version": e.version,
                "revision": e.revision,
                "created": e.at,
                "data": e.model_dump_json(),
            }
            for e in dump.edits
        ]
        with self._session(write=True, action="restauration") as session:
            for label in (m.EDIT, m.API_KEY, m.WEB_SESSION):  # the keys replaced: sign-ins end
                session.run(
                    Query(
                        f"MATCH (n:{label}) "
                        "CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                        timeout=_DELETE_TIMEOUT_S,
                    )
                ).consume()
            session.execute_write(
                lambda tx: tx.run(
                    f"UNWIND $rows AS r CREATE (e:{m.EDIT}) SET e = r",
                    rows=history,
                ).consume()
            )
        for record in dump.api_keys:
            self.save_api_key(record)
        kept = {(v.toile.id, v.toile.version) for v in dump.toiles}
        for version in dump.toiles:
            toile = version.toile
            edit = EditRecord(
                toile_id=toile.id,
                version=toile.version,
                who="restauration",
                action=EditAction.RESTAURATION,
                after={"actors": len(toile.actors), "flows": len(toile.flows), "from": str(src)},
            )
            self.save_toile(toile, edit=edit)
        for summary in self.list_toiles():
            if (summary.id, summary.version) not in kept:
                self.delete_toile(summary.id, summary.version)

    # -- API keys --------------------------------------------------------------------------

    def save_api_key(self, record: ApiKeyRecord) -> None:
        """Store an API key record (its hash only), replacing one with the same id or hash."""
        props = record.model_dump(mode="python")
        props["role"] = record.role.value

        def unit(tx: ManagedTransaction) -> None:
            tx.run(
                f"MATCH (o:{m.API_KEY} {{key_hash: $props.key_hash}}) WHERE o.id <> $props.id "
                f"DELETE o WITH count(*) AS _ MERGE (k:{m.API_KEY} {{id: $props.id}}) "
                "SET k = $props",
                props=props,
            ).consume()

        self.create_schema()
        with self._session(write=True, action="enregistrement de la clé") as session:
            session.execute_write(unit)

    @staticmethod
    def _api_key(props: Mapping[str, object]) -> ApiKeyRecord:
        return ApiKeyRecord.model_validate({k: _native(v) for k, v in props.items()})

    def find_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        """Return the record of a key by its hash, or None."""
        query = f"MATCH (k:{m.API_KEY} {{key_hash: $key_hash}}) RETURN properties(k) AS p"
        with self._session() as session:
            record = session.execute_read(lambda tx: tx.run(query, key_hash=key_hash).single())
        return None if record is None else self._api_key(record["p"])

    def list_api_keys(self) -> list[ApiKeyRecord]:
        """List every key record, oldest first."""
        query = f"MATCH (k:{m.API_KEY}) RETURN properties(k) AS p ORDER BY k.created, k.id"
        with self._session() as session:
            rows = session.execute_read(lambda tx: [r["p"] for r in tx.run(query)])
        return [self._api_key(p) for p in rows]

    def revoke_api_key(self, key_id: str) -> None:
        """Mark a key revoked."""

        def unit(tx: ManagedTransaction) -> None:
            record = tx.run(
                f"MATCH (k:{m.API_KEY} {{id: $id}}) SET k.revoked = true "
                "RETURN k.key_hash AS key_hash",
                id=key_id,
            ).single()
            if record is None:
                msg = f"clé d'API introuvable : {key_id}"
                raise ApiKeyNotFound(msg)
            tx.run(
                f"MATCH (s:{m.WEB_SESSION} {{key_hash: $key_hash}}) DELETE s",
                key_hash=record["key_hash"],
            ).consume()

        with self._session(write=True, action="révocation de la clé") as session:
            session.execute_write(unit)

    # -- web sessions -------------------------------------------------------------------------

    def save_session(self, session: WebSession) -> None:
        """Store a web session (its token's hash), replacing one with the same hash."""
        props = session.model_dump(mode="python")

        def unit(tx: ManagedTransaction) -> None:
            tx.run(
                f"MERGE (s:{m.WEB_SESSION} {{token_hash: $props.token_hash}}) SET s = $props",
                props=props,
            ).consume()

        self.create_schema()
        with self._session(write=True, action="enregistrement de la session") as db:
            db.execute_write(unit)

    def find_session(self, token_hash: str) -> WebSession | None:
        """Return a web session by its token's hash, or None."""
        query = f"MATCH (s:{m.WEB_SESSION} {{token_hash: $token_hash}}) RETURN properties(s) AS p"
        with self._session() as db:
            record = db.execute_read(lambda tx: tx.run(query, token_hash=token_hash).single())
        if record is None:
            return None
        return WebSession.model_validate({k: _native(v) for k, v in record["p"].items()})

    def delete_session(self, token_hash: str) -> None:
        """End a web session (an unknown hash is ignored)."""
        query = f"MATCH (s:{m.WEB_SESSION} {{token_hash: $token_hash}}) DELETE s"
        with self._session(write=True, action="fin de la session") as db:
            db.execute_write(lambda tx: tx.run(query, token_hash=token_hash).consume())

    def purge_sessions(self, now: dt.datetime) -> int:
        """Delete the web sessions expired at ``now``; return how many."""
        query = f"MATCH (s:{m.WEB_SESSION}) WHERE s.expires <= $now DELETE s RETURN count(*) AS n"

        def unit(tx: ManagedTransaction) -> int:
            record = tx.run(query, now=now).single()
            return int(record["n"]) if record is not None else 0

        self.create_schema()
        with self._session(write=True, action="purge des sessions") as db:
            return int(db.execute_write(unit))

    # -- analysts' Cypher --------------------------------------------------------------------

    def run_read_query(
        self,
        query: str,
        params: Mapping[str, object] | None = None,
        *,
        limit: int | None = DEFAULT_ROW_LIMIT,
        timeout: float | None = None,
        max_bytes: int | None = None,
    ) -> CypherResult:
        """Run an analyst's Cypher query in a read transaction; see :func:`run_read_query`."""
        seconds = self.timeout_s if timeout is None else timeout
        parameters: dict[str, object] = dict(params or {})

        def unit(tx: ManagedTransaction) -> CypherResult:
            result = tx.run(query, parameters)
            columns = tuple(result.keys())
            rows: list[tuple[JSONValue, ...]] = []
            truncated = False
            size = 0
            for record in result:
                if limit is not None and len(rows) >= limit:
                    truncated = True
                    break
                row = tuple(to_jsonable(v) for v in record.values())
                size += row_bytes(row)
                if max_bytes is not None and size > max_bytes:
                    truncated = True
                    break
                rows.append(row)
            return CypherResult(columns, tuple(rows), truncated)

        with self._session(action="requête") as session:
            try:
                return session.execute_read(unit_of_work(timeout=seconds)(unit))
            except Neo4jError as exc:
                raise self._query_error(exc, seconds) from exc

    def _query_error(self, exc: Neo4jError, seconds: float) -> StoreError:
        code = exc.code or ""
        if code == _ACCESS_MODE:
            msg = "requête refusée : elle tente d'écrire, or seules les lectures sont permises"
            return WriteRefused(msg)
        if code in _TIMED_OUT:
            msg = f"requête interrompue : elle a dépassé {seconds:g} s (option --timeout)"
            return StoreError(msg)
        if code in _BAD_QUERY:
            msg = f"requête Cypher invalide : {exc.message}"
            return InvalidCypher(msg)
        return self._translate(exc, "requête")


def run_read_query(  # noqa: PLR0913  # the query, its parameters, and keyword-only options
    target: ToileStore | str,
    query: str,
    params: Mapping[str, object] | None = None,
    *,
    limit: int | None = DEFAULT_ROW_LIMIT,
    timeout: float | None = None,
    settings: Settings | None = None,
) -> CypherResult:
    """Run an analyst's Cypher query in a read transaction and return its rows as JSON values.

    The database itself refuses any write (the transaction is opened in read mode), so a
    query that tries to create, change or delete anything fails with :class:`WriteRefused`.

    Parameters
    ----------
    target
        An open :class:`Neo4jStore`, or the URL of one (``neo4j://host:7687``).
    query
        The Cypher text; values belong in ``params`` (``$name`` in the query).
    params
        Query parameters.
    limit
        Most rows read (``truncated`` tells when there were more); None for all.
    timeout
        Seconds before the server stops the query (default: the store's ``timeout_s``).
    settings
        Settings giving the credentials when ``target`` is a URL.

    Returns
    -------
    CypherResult
        Column names, rows of JSON-ready values, and whether rows were left out.

    Raises
    ------
    WriteRefused
        When the query tries to write.
    InvalidCypher
        When the query is malformed or lacks a parameter.
    StoreUnavailable
        When the server cannot be reached or refuses the credentials.
    StoreError
        When ``target`` is not a Neo4j store, or the query fails or times out.
    """
    if isinstance(target, Neo4jStore):
        return target.run_read_query(query, params, limit=limit, timeout=timeout)
    if isinstance(target, str) and urlsplit(target).scheme in NEO4J_SCHEMES:
        store = Neo4jStore.from_url(target, settings=settings)
        try:
            return store.run_read_query(query, params, limit=limit, timeout=timeout)
        finally:
            store.close()
    msg = "les requêtes Cypher demandent une base Neo4j : --store neo4j://hôte:7687"
    raise StoreError(msg)
