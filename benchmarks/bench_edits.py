"""Benchmark of concurrent edits through the API; the last line printed is JSON.

Starts ``toiles serve --workers 2`` on loopback over a fresh store, then two editors (two
API keys) add actors to one toile version at the same time, ``--edits`` each (default 200),
from ``--clients`` threads. Figures:

- ``lost``: actors answered 201 but missing afterwards, plus those stored but answered
  otherwise (target 0): every edit is either stored or refused with 409.
- ``stored``, ``refused_409``, ``other_answers``: how the edits were answered.
- ``edits_per_s``, ``p50_ms``, ``p99_ms``: throughput and latency of the edits.

Usage: ``.venv/bin/python benchmarks/bench_edits.py [--edits 200] [--store sqlite|URL]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from toiles.access import Role
from toiles.api.security import create_api_key
from toiles.graph_db import open_store
from toiles.synthetic import example_toile


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    """Run the benchmark and print its JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=200, help="edits per editor")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--store", default="sqlite", help="sqlite, or a neo4j:// URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-edits-"))
    url = f"sqlite:///{folder / 'bench.db'}" if args.store == "sqlite" else args.store
    store = open_store(url)
    toile = example_toile().model_copy(update={"id": f"bench-edits-{os.getpid()}"})
    store.save_toile(toile)
    headers = []
    for name in ("editeur-a", "editeur-b"):
        key, _ = create_api_key(store, role=Role.EDITEUR, name=name)
        headers.append({"Authorization": f"Bearer {key}"})
    port = _free_port()
    server = subprocess.Popen(  # our own entry point
        [sys.executable, "-m", "toiles.cli", "serve", "--workers", "2", "--port", str(port)],
        env={**os.environ, "TOILES_STORE": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1/toiles/{toile.id}/actors"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                sys.exit("the server did not start")
            time.sleep(0.2)

        def add(job: tuple[int, int]) -> tuple[str, int, float]:
            who, i = job
            actor = {"id": f"e{who}-{i}", "name": f"Acteur {who} {i}", "kind": "association"}
            start = time.perf_counter()
            answer = httpx.post(base, json=actor, headers=headers[who], timeout=120)
            return actor["id"], answer.status_code, time.perf_counter() - start

        jobs = [(who, i) for i in range(args.edits) for who in (0, 1)]
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            answers = list(pool.map(add, jobs))
        elapsed = time.perf_counter() - start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ids = {a.id for a in store.get_toile(toile.id).actors}
    lost = sum((actor_id in ids) != (code == 201) for actor_id, code, _ in answers)
    times = sorted(t for _, _, t in answers)
    if args.store != "sqlite":
        store.delete_toile(toile.id)
    result = {
        "store": "sqlite" if args.store == "sqlite" else "neo4j",
        "workers": 2,
        "edits": len(answers),
        "stored": sum(code == 201 for _, code, _ in answers),
        "refused_409": sum(code == 409 for _, code, _ in answers),
        "other_answers": sum(code not in {201, 409} for _, code, _ in answers),
        "lost": lost,
        "edits_per_s": round(len(answers) / elapsed, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(times[int(0.99 * (len(times) - 1))] * 1000, 1),
    }
    print(json.dumps(result))  # the benchmark's output


if __name__ == "__main__":
    main()
