"""`toiles serve` as a real process for the tests that need one (workers, signals, load)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(
    db: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run `toiles serve` on an SQLite file until it answers `/healthz`; stop it afterwards.

    Yields the base URL and the process (in its own session, so a test may signal it); a
    server still running at the end gets SIGTERM, then SIGKILL after 30 s.
    """
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  # our own entry point
        [sys.executable, "-m", "toiles.cli", "serve", *args, "--port", str(port)],
        env={**os.environ, "TOILES_STORE": f"sqlite:///{db}", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            assert server.poll() is None, "the server stopped before answering"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield base, server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)
