"""API load benchmark: 50 concurrent clients for 30 s on actor search and actor detail.

Starts ``toiles serve``'s app with uvicorn on loopback, on an SQLite store holding the bundled
toiles plus a synthetic 100,000-actor toile, and drives it from this process with asyncio
and httpx (the server runs in its own process). The loop is bounded in time and in count and
only talks to 127.0.0.1. Last line: a JSON object with ``requests``, ``errors``, ``p50_ms``,
``p95_ms``, ``p99_ms`` (and the throughput).

Usage: ``python benchmarks/bench_api.py [--clients 50] [--seconds 30] [--actors 100000]``
"""

from __future__ import annotations

import argparse
import asyncio
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

import httpx

from toiles.demo import load_reference_toiles
from toiles.graph_db.sqlite import SQLiteStore
from toiles.synthetic import synthetic_toile

MAX_REQUESTS = 1_000_000  # a hard bound on the loop, whatever the duration


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


async def _client(
    http: httpx.AsyncClient,
    toile_id: str,
    ids: list[str],
    words: list[str],
    deadline: float,
    rng: random.Random,
    latencies: dict[str, list[float]],
    errors: list[str],
) -> None:
    done = 0
    while time.perf_counter() < deadline and done < MAX_REQUESTS:
        done += 1
        kind = "search" if rng.random() < 0.5 else "detail"
        if kind == "search":
            url = f"/api/v1/toiles/{toile_id}/actors"
            params = {"q": rng.choice(words), "limit": "20"}
        else:
            url = f"/api/v1/toiles/{toile_id}/actors/{rng.choice(ids)}"
            params = {}
        start = time.perf_counter()
        try:
            response = await http.get(url, params=params)
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            continue
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            errors.append(str(response.status_code))
        else:
            latencies[kind].append(elapsed)


async def _drive(
    base: str,
    toile_id: str,
    ids: list[str],
    words: list[str],
    clients: int,
    seconds: float,
    seed: int,
) -> tuple[dict[str, list[float]], list[str], float]:
    latencies: dict[str, list[float]] = {"search": [], "detail": []}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as http:
        start = time.perf_counter()
        deadline = start + seconds
        await asyncio.gather(
            *(
                _client(
                    http, toile_id, ids, words, deadline, random.Random(seed + i), latencies, errors
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
                "127.0.0.1",
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
        base = f"http://127.0.0.1:{port}"
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
            asyncio.run(_drive(base, toile_id, ids, words, args.clients, 2.0, args.seed + 99))
            by_kind, errors, wall = asyncio.run(
                _drive(base, toile_id, ids, words, args.clients, args.seconds, args.seed)
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
