"""API load benchmark: 50 concurrent clients for 30 s on actor search and actor detail.

Starts ``toiles serve``'s app with uvicorn on loopback, on an SQLite store holding the bundled
toiles plus a synthetic 100,000-actor toile, and drives it from this process: 50 clients, each
on its own keep-alive connection, sending its next request as soon as it has the answer (no
pause), half searches by a word of an actor's name, half actor details, with a lean HTTP/1.1
client on uvloop (the server runs in its own process). The loop is bounded in time and in
count and only talks to 127.0.0.1. Last line: a JSON object with ``requests``, ``errors``,
``p50_ms``, ``p95_ms``, ``p99_ms`` (and the throughput).

Usage: ``python benchmarks/bench_api.py [--clients 50] [--seconds 30] [--actors 100000]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from toiles.demo import load_reference_toiles
from toiles.graph_db.sqlite import SQLiteStore
from toiles.synthetic import synthetic_toile

MAX_REQUESTS = 1_000_000  # a hard bound on the loop, whatever the duration
HOST = "127.0.0.1"  # loopback only

try:
    import uvloop
except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
    uvloop = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(folder: Path, n_actors: int, seed: int) -> tuple[str, list[str], list[str]]:
    store = SQLiteStore(folder / "bench.db")
    load_reference_toiles(store)
    toile = synthetic_toile(n_actors, n_actors * 3, seed=seed)
    store.save_toile(toile)
    rng = random.Random(seed)
    sample = rng.sample(toile.actors, 2000)
    words = sorted({w for a in sample for w in a.name.split() if len(w) >= 4})
    return toile.id, [a.id for a in sample], words


class _Connection:
    """One keep-alive HTTP/1.1 connection to the server, as lean as a load generator must be.

    httpx spent about as much CPU per request as the server on this 2-core machine, so the
    measure was half the client's; this reads the status line, the headers and a
    ``Content-Length`` body, which is all the server sends to GET requests here.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        """Send one GET and return the status code and the body."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, body

    async def close(self) -> None:
        """Close the connection (the next request opens a new one)."""
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _client(  # the loop's whole context, passed once
    host: str,
    port: int,
    toile_id: str,
    ids: list[str],
    words: list[str],
    deadline: float,
    rng: random.Random,
    latencies: dict[str, list[float]],
    errors: list[str],
) -> None:
    connection = _Connection(host, port)
    done = 0
    while time.perf_counter() < deadline and done < MAX_REQUESTS:
        done += 1
        kind = "search" if rng.random() < 0.5 else "detail"
        if kind == "search":
            target = f"/api/v1/toiles/{toile_id}/actors?q={quote(rng.choice(words))}&limit=20"
        else:
            target = f"/api/v1/toiles/{toile_id}/actors/{quote(rng.choice(ids), safe='')}"
        start = time.perf_counter()
        try:
            status, body = await connection.get(target)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            errors.append(type(exc).__name__)
            await connection.close()
            continue
        elapsed = time.perf_counter() - start
        if status != 200 or not body.startswith(b"{"):  # HTTP OK
            errors.append(str(status))
        else:
            latencies[kind].append(elapsed)
    await connection.close()


async def _drive(  # the run's whole context
    host: str,
    port: int,
    toile_id: str,
    ids: list[str],
    words: list[str],
    clients: int,
    seconds: float,
    seed: int,
) -> tuple[dict[str, list[float]], list[str], float]:
    latencies: dict[str, list[float]] = {"search": [], "detail": []}
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(
        *(
            _client(
                host,
                port,
                toile_id,
                ids,
                words,
                deadline,
                random.Random(seed + i),
                latencies,
                errors,
            )
            for i in range(clients)
        )
    )
    wall = time.perf_counter() - start
    return latencies, errors, wall


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toiles-bench-api-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        toile_id, ids, words = _prepare(folder, args.actors, args.seed)
        print(f"store ready in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        port = _free_port()
        env = {**os.environ, "TOILES_STORE": f"sqlite:///{folder / 'bench.db'}"}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "toiles.api.app:app_from_settings",
                "--factory",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env=env,
        )
        base = f"http://{HOST}:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/readyz", timeout=1.0).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
            else:
                sys.exit("the server did not start")
            # Warm up (connections, caches) before measuring.
            run = asyncio.run if uvloop is None else uvloop.run
            run(_drive(HOST, port, toile_id, ids, words, args.clients, 2.0, args.seed + 99))
            by_kind, errors, wall = run(
                _drive(HOST, port, toile_id, ids, words, args.clients, args.seconds, args.seed)
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies = by_kind["search"] + by_kind["detail"]
    result = {
        "clients": args.clients,
        "seconds": round(wall, 1),
        "actors": args.actors,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "requests_per_s": round((len(latencies) + len(errors)) / wall, 1),
        "p50_ms": round(_percentile(latencies, 50), 1),
        "p95_ms": round(_percentile(latencies, 95), 1),
        "p99_ms": round(_percentile(latencies, 99), 1),
        **{
            f"{kind}_p{q}_ms": round(_percentile(values, q), 1)
            for kind, values in by_kind.items()
            for q in (50, 95)
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
