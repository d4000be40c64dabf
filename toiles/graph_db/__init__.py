"""Stores of toiles behind one protocol: SQLite (embedded, default) and Neo4j (shared)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from toiles.errors import StoreError
from toiles.graph_db.base import ActorQuery as ActorQuery
from toiles.graph_db.base import FlowQuery as FlowQuery
from toiles.graph_db.base import Page as Page
from toiles.graph_db.sqlite import SQLiteStore as SQLiteStore
from toiles.settings import Settings, get_settings

if TYPE_CHECKING:
    from toiles.graph_db.base import ApiKeyStore as ApiKeyStore
    from toiles.graph_db.base import Store as Store
    from toiles.graph_db.base import ToileStore as ToileStore

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def is_neo4j_url(url: str) -> bool:
    """Whether a store URL names a Neo4j server (``neo4j://``, ``bolt://`` and their TLS forms).

    Examples
    --------
    >>> is_neo4j_url("bolt+s://db.example:7687"), is_neo4j_url("neo4jx://h")
    (True, False)
    >>> is_neo4j_url("sqlite:///neo4j.db")
    False
    """
    return urlsplit(url).scheme.lower() in NEO4J_SCHEMES


def sqlite_path(url: str) -> Path:
    """Return the file of a ``sqlite:///PATH`` URL (or of a plain path).

    Examples
    --------
    >>> sqlite_path("sqlite:///toiles.db")
    PosixPath('toiles.db')
    >>> sqlite_path("sqlite:////var/lib/toiles.db")
    PosixPath('/var/lib/toiles.db')
    """
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:"):
        msg = f"URL SQLite attendue sous la forme sqlite:///chemin/vers/toiles.db : {url}"
        raise StoreError(msg)
    return Path(url)


def redacted_url(url: str) -> str:
    """A store URL safe to print: any user or password it carries is masked.

    Examples
    --------
    >>> redacted_url("neo4j://neo4j:secret@127.0.0.1:7687")
    'neo4j://***@127.0.0.1:7687'
    """
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://***@{host}{port}{parts.path}"
    return url


def open_store(url: str | None = None, *, settings: Settings | None = None) -> Store:
    """Open the store a URL names: ``sqlite:///PATH`` (default), ``neo4j://`` or ``bolt://``.

    Without a URL, ``TOILES_STORE`` (settings) decides. Nothing connects until the first use.
    """
    settings = settings or get_settings()
    url = url or settings.store
    scheme = urlsplit(url).scheme
    if is_neo4j_url(url):
        from toiles.graph_db.neo4j import Neo4jStore  # noqa: PLC0415  # driver only when asked

        return Neo4jStore.from_url(url, settings=settings)
    if scheme in {"", "sqlite", "file"} or len(scheme) == 1:  # a Windows drive letter is no scheme
        return SQLiteStore(sqlite_path(url))
    msg = f"type de base inconnu : {redacted_url(url)} (sqlite:///…, neo4j://… ou bolt://… attendu)"
    raise StoreError(msg)
