"""`toiles serve` as a process: it stops on SIGTERM even while heavy analyses run."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.api.test_workers import dense_toile
from toiles.graph_db.sqlite import SQLiteStore

API = "/api/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_stops_on_sigterm_while_analyses_run(tmp_path: Path) -> None:
    # The finding: five heavy anonymous analyses made the process ignore SIGTERM.
    db = tmp_path / "serve.db"
    SQLiteStore(db).save_toile(dense_toile())
    port = _free_port()
    env = {**os.environ, "TOILES_STORE": f"sqlite:///{db}", "TOILES_ANALYSIS_TIMEOUT_S": "60"}
    server = subprocess.Popen(  # noqa: S603  # our own entry point
        [sys.executable, "-m", "toiles.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        heavy = f"{base}{API}/toiles/dense/analysis/loops"
        params = {"max_length": "12", "max_count": "5000"}

        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):  # cut by the stopping server: expected
                httpx.get(heavy, params=params, timeout=30)

        askers = [threading.Thread(target=ask, daemon=True) for _ in range(5)]
        for asker in askers:
            asker.start()
        time.sleep(1.0)  # the analyses are running
        assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        started = time.monotonic()
        os.killpg(server.pid, signal.SIGTERM)
        code = server.wait(timeout=20)
        stopped_in = time.monotonic() - started
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    assert stopped_in < 10, stopped_in
    assert code in {0, -signal.SIGTERM}
