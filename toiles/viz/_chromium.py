"""Drive headless Chromium through the DevTools protocol over a pipe, with the network blocked.

Used by the browser tests of the pages (``tests/viz/test_html_browser.py``) and by the
render benchmark to check what a reader's browser does with a page: the console errors,
every request the page tries to make, what vis-network drew, how long drawing and a click
take. Standard library only: Chromium's ``--remote-debugging-pipe`` reads DevTools
commands on file descriptor 3 and writes answers and events on 4, one JSON message per
NUL-terminated chunk, so no WebSocket client is needed.

Requests are blocked three ways: a proxy that points nowhere (``127.0.0.1:9``, loopback
included), DevTools' URL blocking for every web scheme, and Chromium's switches that
stop its own background traffic. Each attempt is still recorded (``Network`` events), so
a test can assert that a page tries nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toiles.errors import ToilesError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

#: Where Debian's package puts the browser (``deploy/browser/install.sh`` installs it).
DEFAULT_CHROMIUM = "/usr/bin/chromium"

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-pipe",
    "--window-size=1400,900",
)
_BLOCKED = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]


class ChromiumError(ToilesError, RuntimeError):
    """Chromium could not be started, or a DevTools command failed or timed out."""


def find_chromium() -> str | None:
    """Return the path of a Chromium executable, or ``None``.

    ``TOILES_CHROMIUM`` wins; then ``/usr/bin/chromium`` and the usual names on the PATH.
    """
    configured = os.environ.get("TOILES_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    if Path(DEFAULT_CHROMIUM).exists():
        return DEFAULT_CHROMIUM
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, requests it tried."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def outgoing(self, allowed: Callable[[str], bool]) -> list[str]:
        """Return the requests whose URL ``allowed`` refuses."""
        return [url for url in self.requests if not allowed(url)]


class Chromium:
    """A headless Chromium driven over the DevTools pipe; use as a context manager.

    Examples
    --------
    >>> from toiles.viz._chromium import Chromium, find_chromium
    >>> if find_chromium():  # doctest: +SKIP
    ...     with Chromium() as browser:
    ...         page = browser.new_page()
    ...         page.goto("data:text/html,<p>ok</p>")
    ...         page.evaluate("document.body.textContent")
    'ok'
    """

    def __init__(self, executable: str | None = None, *, timeout: float = 60.0) -> None:
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._write_fd = -1
        self._read_fd = -1

    def __enter__(self) -> Chromium:  # noqa: PYI034  # Self would need typing_extensions on 3.11
        """Start the browser."""
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop the browser and remove its profile."""
        self.close()

    def start(self) -> None:
        """Launch Chromium with a fresh profile, DevTools on fds 3 (commands) and 4 (answers).

        Raises
        ------
        ChromiumError
            When no executable is found or it does not start.
        """
        if not self.executable:
            msg = "Chromium introuvable (installer avec deploy/browser/install.sh)"
            raise ChromiumError(msg)
        self._profile = tempfile.TemporaryDirectory(prefix="toiles-chromium-")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Keep the child's ends away from 3 and 4 so that dup2 below cannot clobber them.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def _wire() -> None:  # runs in the child, between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [self.executable, *_FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"]
        try:
            self._process = subprocess.Popen(  # noqa: S603  # fixed arguments, no shell
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=False,
                preexec_fn=_wire,  # noqa: PLW1509  # the only way to place fds 3 and 4
            )
        except OSError as exc:
            msg = f"Chromium ne démarre pas : {exc}"
            raise ChromiumError(msg) from exc
        finally:
            os.close(child_in)
            os.close(child_out)
        self._write_fd = to_child_w
        self._read_fd = from_child_r

    def close(self) -> None:
        """Stop Chromium (politely, then by force) and delete its profile."""
        if self._process is not None:
            with contextlib.suppress(ChromiumError, OSError):
                self._send("Browser.close", {}, None)
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
        for fd in (self._write_fd, self._read_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._write_fd = self._read_fd = -1
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    # -- protocol --------------------------------------------------------------------
    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            written = os.write(self._write_fd, data)
            data = data[written:]
        return self._next_id

    def _read_message(self, deadline: float) -> dict[str, Any] | None:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._read_fd], [], [], min(remaining, 0.5))
            if not ready:
                continue
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                msg = "Chromium s'est arrêté"
                raise ChromiumError(msg)
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one DevTools command and return its result; events meanwhile are kept.

        Raises
        ------
        ChromiumError
            When the command fails or no answer comes in time.
        """
        ident = self._send(method, params or {}, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self._read_message(deadline)
            if message is None:
                msg = f"pas de réponse de Chromium à {method}"
                raise ChromiumError(msg)
            if message.get("id") == ident:
                if "error" in message:
                    msg = f"{method} : {message['error']}"
                    raise ChromiumError(msg)
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def pump(self, seconds: float) -> None:
        """Read events for up to ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            message = self._read_message(deadline)
            if message is None:
                return
            if "method" in message:
                self._events.append(message)

    def events(self, session: str | None = None) -> Iterator[dict[str, Any]]:
        """Iterate over the events received so far (of one session, if given)."""
        for event in self._events:
            if session is None or event.get("sessionId") == session:
                yield event

    def new_page(self) -> Page:
        """Open a tab with the console, errors and network recorded, the web blocked."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=session)
        self.call("Network.setBlockedURLs", {"urls": _BLOCKED}, session=session)
        self.call("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
        return Page(self, session)


class Page:
    """One tab of :class:`Chromium`."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def call(
        self, method: str, params: dict[str, Any] | None = None, **kw: float
    ) -> dict[str, Any]:
        """Send a DevTools command to this tab."""
        return self.browser.call(method, params, session=self.session, timeout=kw.get("timeout"))

    def goto(self, url: str, *, timeout: float = 60.0) -> float:
        """Open ``url`` and wait for its load event; return the seconds it took."""
        start = time.monotonic()
        self.call("Page.navigate", {"url": url}, timeout=timeout)
        deadline = start + timeout
        seen = len(list(self.browser.events(self.session)))
        while time.monotonic() < deadline:
            events = list(self.browser.events(self.session))
            if any(e["method"] == "Page.loadEventFired" for e in events[seen:]):
                return time.monotonic() - start
            self.browser.pump(0.05)
        msg = f"la page {url} ne finit pas de charger"
        raise ChromiumError(msg)

    def evaluate(self, expression: str, *, timeout: float = 60.0) -> Any:  # noqa: ANN401  # JSON
        """Evaluate JavaScript in the page (promises awaited) and return its JSON value.

        Raises
        ------
        ChromiumError
            When the expression throws.
        """
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            msg = f"erreur JavaScript : {text}"
            raise ChromiumError(msg)
        return result.get("result", {}).get("value")

    def click(self, x: float, y: float) -> None:
        """Click with the left button at page coordinates ``(x, y)``."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params: dict[str, Any] = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                params |= {"button": "left", "clickCount": 1}
            self.call("Input.dispatchMouseEvent", params)

    def screenshot(self, path: Path | str) -> Path:
        """Save a PNG of what the tab shows."""
        import base64  # noqa: PLC0415

        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        target = Path(path)
        target.write_bytes(base64.b64decode(data))
        return target

    def log(self) -> PageLog:
        """Return what the page logged and requested so far."""
        log = PageLog()
        for event in self.browser.events(self.session):
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                args = params.get("args", [])
                log.console_errors.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in args)
                )
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                log.exceptions.append(
                    str(details.get("exception", {}).get("description") or details.get("text"))
                )
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                log.console_errors.append(f"{entry.get('source')}: {entry.get('text')}")
            elif method == "Network.requestWillBeSent":
                log.requests.append(str(params.get("request", {}).get("url")))
            elif method == "Network.loadingFailed":
                log.failed.append(str(params.get("errorText")))
        return log
