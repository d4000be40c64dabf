"""Faults benchmark: hostile requests against a live ``toiles serve``, and /healthz meanwhile.

Starts ``toiles serve`` on 127.0.0.1 (loopback only) on an SQLite store holding a dense
12-actor toile (a flow each way between every pair: 132 flows) and a synthetic toile of
``--actors`` actors, then runs the hostile cases of issue 15 one after the other. For each it
records the answers (status codes), the time to the last answer, and the latency of /healthz
polled every 20 ms from another thread while the case runs. The server's resident memory
(its processes and the analyses' child processes) is sampled throughout. Last, it sends
SIGTERM while an analysis runs and measures how long the server takes to exit.

Every loop is bounded (requests, bytes, seconds). Targets (issue 15): every hostile request
answered 4xx or 503 within 2 s, /healthz p99 under 100 ms throughout, memory under 1 GB.

The 2 x 200 concurrent edits case (:func:`case_concurrent_edits`) runs
``benchmarks/bench_edits.py``: its own ``toiles serve --workers 2`` on a fresh store, two
editors adding 200 actors each at once; target 0 lost (each stored or refused with 409).

Usage: ``python benchmarks/bench_faults.py [--actors 30000] [--budget 1.5]``; last line: JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

import httpx

from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db.sqlite import SQLiteStore
from toiles.models import Actor, Flow, Toile
from toiles.synthetic import synthetic_toile

HOST = "127.0.0.1"  # loopback only
API = "/api/v1"
MB = 1_000_000
TARGET_S = 2.0
HEALTHZ_P99_MS = 100.0
MEMORY_MB = 1000.0
BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def dense_toile(n: int = 12) -> Toile:
    """n actors, a flow each way between every pair: the issue's loops case."""
    actors = [Actor(id=f"a{i}", name=f"Acteur {i}", kind="entreprise") for i in range(n)]
    flows = [
        Flow(id=f"f{i}-{j}", source=f"a{i}", target=f"a{j}", kind="chaleur")
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    return Toile(id="dense", name="Dense", theme="energie", actors=actors, flows=flows)


def _rss_mb(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return total * os.sysconf("SC_PAGE_SIZE") / MB


def _family(root: int) -> set[int]:
    """The server and every process below it (workers, forkserver, analyses)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo += children.get(pid, [])
    return found


class Watch:
    """Poll /healthz every 20 ms and sample the server's memory, while a case runs."""

    def __init__(self, base: str, server_pid: int) -> None:
        self.base = base
        self.server_pid = server_pid
        self.latencies: list[float] = []
        self.failures = 0
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=5) as client:
            for _ in range(100_000):  # bounded; stopped by the event long before
                if self._stop.is_set():
                    return
                start = time.perf_counter()
                try:
                    ok = client.get("/healthz").status_code == 200  # HTTP OK
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                self.latencies.append(elapsed)
                self.failures += not ok
                self.peak_mb = max(self.peak_mb, _rss_mb(_family(self.server_pid)))
                time.sleep(0.02)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for _ in range(100):  # at least a few samples, even for a case answered at once
            if len(self.latencies) >= 5:
                break
            time.sleep(0.02)
        self._stop.set()
        self._thread.join()

    def p99_ms(self) -> float:
        values = sorted(self.latencies)
        return 1000 * values[min(len(values) - 1, int(0.99 * len(values)))] if values else 0.0


def _post_stream(port: int, path: str, headers: dict[str, str], total: int) -> tuple[int, int]:
    """POST ``total`` bytes in 1 MB chunks; return (status, bytes sent before the answer)."""
    sock = socket.create_connection((HOST, port), timeout=30)
    with sock:
        head = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{port}", "Transfer-Encoding: chunked"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        part = b'--x\r\nContent-Disposition: form-data; name="files"; filename="t.zip"\r\n\r\n'
        first = part + b"0" * (MB - len(part))
        sock.sendall(f"{len(first):x}\r\n".encode() + first + b"\r\n")
        sent = len(first)
        chunk = b"0" * MB
        sock.setblocking(False)  # noqa: FBT003  # the socket API
        answer = b""
        while sent < total:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(4096)
            if answer:
                break
            try:
                sock.setblocking(True)  # noqa: FBT003  # the socket API
                sock.settimeout(5)
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sock.setblocking(False)  # noqa: FBT003  # the socket API
            except OSError:
                break
            sent += len(chunk)
        sock.setblocking(True)  # noqa: FBT003  # the socket API
        sock.settimeout(30)
        with contextlib.suppress(OSError):
            if sent >= total:
                sock.sendall(b"0\r\n\r\n")
            while b"\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent


def _zip_bomb(declared: int | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actors.csv", b"0" * (200 * MB))
    data = bytearray(buffer.getvalue())
    if declared is not None:  # every header claims a small size: the data does not
        for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            start = 0
            while (at := data.find(signature, start)) >= 0:
                data[at + offset : at + offset + 4] = struct.pack("<I", declared)
                start = at + 4
    return bytes(data)


def _big_import_zip(toile: Toile, folder: Path) -> bytes:
    from toiles.loaders.files import save_toile  # noqa: PLC0415

    target = save_toile(toile, folder / "import")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(target.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


Case = Callable[[httpx.Client], list[int]]


def _cases(
    port: int, keys: dict[Role, dict[str, str]], big_id: str, big_zip: bytes
) -> Iterator[tuple[str, Case]]:
    editor = keys[Role.EDITEUR]

    def get(path: str, params: dict[str, str] | None = None, n: int = 1) -> Case:
        def run(client: httpx.Client) -> list[int]:
            with ThreadPoolExecutor(n) as pool:
                futures = [pool.submit(client.get, path, params=params) for _ in range(n)]
                return [f.result().status_code for f in futures]

        return run

    yield (
        "loops_unbounded",
        get(f"{API}/toiles/dense/analysis/loops", {"max_length": "20", "max_count": "1000000000"}),
    )
    yield (
        "loops_at_caps_x5",
        get(f"{API}/toiles/dense/analysis/loops", {"max_length": "12", "max_count": "5000"}, 5),
    )
    yield ("gaps_big_anonymous", get(f"{API}/toiles/{big_id}/analysis/gaps"))
    yield ("communities_big_anonymous", get(f"{API}/toiles/{big_id}/analysis/communities"))
    yield ("offset_overflow", get(f"{API}/toiles/dense/actors", {"offset": "9223372036854775808"}))
    yield ("q_nul", get(f"{API}/toiles/dense/actors", {"q": "\x00\x00\x00"}))

    def yaml_bomb(client: httpx.Client) -> list[int]:
        files = {"files": ("toile.yaml", BOMB.encode())}
        return [client.post(f"{API}/toiles/dense/import", files=files, headers=editor).status_code]

    yield ("yaml_bomb", yaml_bomb)

    def zip_bomb(declared: int | None) -> Case:
        data = _zip_bomb(declared)

        def run(client: httpx.Client) -> list[int]:
            files = {"files": ("t.zip", data)}
            response = client.post(f"{API}/toiles/dense/import", files=files, headers=editor)
            return [response.status_code]

        return run

    yield ("zip_bomb_honest_200mb", zip_bomb(None))
    yield ("zip_bomb_claims_100b", zip_bomb(100))

    def body(headers: dict[str, str]) -> Case:
        def run(_client: httpx.Client) -> list[int]:
            status, _sent = _post_stream(port, f"{API}/toiles/dense/import", headers, 300 * MB)
            return [status]

        return run

    multipart = {"Content-Type": "multipart/form-data; boundary=x"}
    yield ("body_300mb_without_key", body(multipart))
    yield ("body_300mb_editor", body({**multipart, **editor}))

    def big_import(client: httpx.Client) -> list[int]:
        files = {"files": ("big.zip", big_zip)}
        response = client.post(
            f"{API}/toiles/{big_id}-copie/import", files=files, headers=editor, timeout=600
        )
        return [response.status_code]

    yield ("import_big_zip_legit", big_import)


def case_concurrent_edits(edits: int = 200) -> dict[str, object]:
    """2 x ``edits`` concurrent edits through 2 workers (``bench_edits.py``'s JSON figures)."""
    script = Path(__file__).with_name("bench_edits.py")
    done = subprocess.run(  # our own script, loopback only
        [sys.executable, str(script), "--edits", str(edits)],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:  # noqa: PLR0915  # one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--actors", type=int, default=30_000)
    parser.add_argument("--budget", type=float, default=1.5, help="analysis time budget (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp:
        folder = Path(tmp)
        store = SQLiteStore(folder / "faults.db")
        store.save_toile(dense_toile())
        big = synthetic_toile(args.actors, args.actors * 3, seed=1)
        store.save_toile(big)
        keys: dict[Role, dict[str, str]] = {}
        for role in (Role.EDITEUR, Role.ADMIN):
            key, _ = create_api_key(store, role=role, name=f"bench {role.value}")
            keys[role] = {"Authorization": f"Bearer {key}"}
        big_zip = _big_import_zip(big, folder)
        port = _free_port()
        env = {
            **os.environ,
            "TOILES_STORE": f"sqlite:///{folder / 'faults.db'}",
            "TOILES_ANALYSIS_TIMEOUT_S": str(args.budget),
        }
        server = subprocess.Popen(  # our own CLI, loopback only
            [sys.executable, "-m", "toiles.cli", "serve", "--host", HOST, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://{HOST}:{port}"
        results: dict[str, dict[str, object]] = {}
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                for _ in range(300):  # the server's start, bounded
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get("/healthz").status_code == 200:  # HTTP OK
                            break
                    time.sleep(0.1)
                client.get(f"{API}/toiles/dense/analysis/gaps")  # the analyses' first start
                for name, case in _cases(port, keys, big.id, big_zip):
                    with Watch(base, server.pid) as watch:
                        start = time.perf_counter()
                        statuses = case(client)
                        elapsed = time.perf_counter() - start
                    results[name] = {
                        "statuses": statuses,
                        "seconds": round(elapsed, 3),
                        "healthz_p99_ms": round(watch.p99_ms(), 1),
                        "healthz_failures": watch.failures,
                        "peak_mb": round(watch.peak_mb),
                    }
                    print(name, results[name], flush=True)
                # SIGTERM while analyses run: how long until the server is gone.
                pool = ThreadPoolExecutor(3)
                for _ in range(3):
                    pool.submit(
                        client.get,
                        f"{API}/toiles/{big.id}/analysis/communities",
                        params={"resolution": "1.5"},
                    )
                time.sleep(0.5)
                start = time.perf_counter()
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=60)
                    sigterm_s: float | None = round(time.perf_counter() - start, 2)
                except subprocess.TimeoutExpired:
                    sigterm_s = None
                pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    edits = case_concurrent_edits()
    print("concurrent_edits", edits, flush=True)
    hostile = {k: v for k, v in results.items() if k != "import_big_zip_legit"}
    answered = all(
        all(400 <= s < 500 or s == 503 for s in v["statuses"])  # type: ignore[attr-defined]
        or all(s == 200 for s in v["statuses"])  # type: ignore[attr-defined]  # HTTP OK
        for v in hostile.values()
    )
    slowest = max(float(v["seconds"]) for v in hostile.values())  # type: ignore[arg-type]
    worst_p99 = max(float(v["healthz_p99_ms"]) for v in results.values())  # type: ignore[arg-type]
    peak = max(float(v["peak_mb"]) for v in results.values())  # type: ignore[arg-type]
    summary = {
        "actors": args.actors,
        "analysis_budget_s": args.budget,
        "cases": results,
        "all_answered_4xx_503_or_200": answered,
        "slowest_hostile_s": slowest,
        "healthz_p99_ms_worst": worst_p99,
        "peak_mb": peak,
        "sigterm_exit_s": sigterm_s,
        "concurrent_edits": edits,
        "targets_met": answered
        and edits["lost"] == 0
        and slowest < TARGET_S
        and worst_p99 < HEALTHZ_P99_MS
        and peak < MEMORY_MB
        and sigterm_s is not None,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
