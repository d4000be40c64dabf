"""A real uvicorn server on 127.0.0.1 (random free port, SQLite store in tmp) for the web tests,
and a guard that checks every page: axe-core, console errors, requests that leave the machine.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn

from tests.conftest import small_toile
from toiles.access import Role
from toiles.api.app import create_app
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Page, Request


@dataclass
class LiveServer:
    """The running app: its URL, its store (to check what was stored) and a key per role."""

    url: str
    store: SQLiteStore
    keys: dict[Role, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: SQLiteStore, db: Path) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start uvicorn in a thread on a free loopback port; return it once it answers."""
    app = create_app(Settings(store=f"sqlite:///{db}"), store=store)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            msg = "the web server did not start"
            raise RuntimeError(msg)
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """A server on a store holding the small hand-worked toile and one key per role."""
    db = tmp_path / "web.db"
    store = SQLiteStore(db)
    store.save_toile(small_toile("petite", "T0"))
    keys = {
        role: create_api_key(store, role=role, name=f"clé {role.value}")[0]
        for role in (Role.PARTENAIRE, Role.EDITEUR, Role.ADMIN)
    }
    server, thread, url = start_server(store, db)
    yield LiveServer(url, store, keys)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@dataclass
class Guard:
    """What a browser page did: console errors, hosts it asked, pages checked with axe."""

    console_errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)
    #: HTTP statuses a test expects a page to answer (a form refused with 422, a conflict
    #: with 409): Chromium logs them as "Failed to load resource"; any other error counts.
    allowed_statuses: set[int] = field(default_factory=set)

    def record(self, request: Request) -> None:
        self.hosts.add(urlsplit(request.url).hostname or request.url)


SERIOUS = {"serious", "critical"}


def axe_violations(page: Page) -> list[str]:
    """The serious and critical axe-core violations of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.fixture
def guard(page: Page) -> Iterator[Guard]:
    """Watch a page: record console errors and every request; abort any that leaves 127.0.0.1."""
    watched = Guard()
    attach_guard(page, watched)
    yield watched
    assert watched.console_errors == []
    assert watched.blocked == []
    assert watched.hosts <= {"127.0.0.1"}, watched.hosts


def attach_guard(page: Page, watched: Guard) -> None:
    """Wire a page (of any context) to a guard."""

    def on_console(message: object) -> None:
        text = str(getattr(message, "text", message))
        expected = any(
            text
            == f"Failed to load resource: the server responded with a status of {code} ("
            + HTTPStatus(code).phrase
            + ")"
            for code in watched.allowed_statuses
        )
        if getattr(message, "type", "") == "error" and not expected:
            watched.console_errors.append(text)

    def route(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            watched.blocked.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.console_errors.append(str(exc)))
    page.on("request", watched.record)
    page.context.route("**/*", route)
