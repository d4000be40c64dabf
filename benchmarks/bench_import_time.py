"""Benchmark ``import toiles``: how long it takes and what it loads, in fresh interpreters.

Each run starts a new Python (``sys.executable``) so nothing is cached in memory, and times
three imports inside it with ``time.perf_counter``:

1. ``import_toiles_s``: ``import toiles`` alone (the public API is lazy, PEP 562);
2. ``first_use_s``: ``import toiles`` then ``toiles.load_toile`` and ``toiles.viz`` (the
   first use loads pydantic, NetworkX and the models);
3. ``eager_s``: the same interpreter importing what ``import toiles`` used to load eagerly
   (access, errors, graph, graph_db, loaders, models, settings), for the ratio
   ``speedup_vs_eager`` measured in the same run.

Medians of ``--runs`` runs (default 7), alternating the three measures so that the noise of
a shared machine falls on all three alike. ``heavy_loaded`` lists which of matplotlib,
pandas, igraph and fastapi ``import toiles`` plus first use loaded (target: none);
target for ``import_toiles_s``: under 0.3 s. The last line printed is a JSON object. Run
with ``.venv/bin/python benchmarks/bench_import_time.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

TARGET_S = 0.3
HEAVY = ("matplotlib", "pandas", "igraph", "fastapi")

_CODE = {
    "import_toiles_s": "import toiles",
    "first_use_s": "import toiles\ntoiles.load_toile, toiles.viz",
    "eager_s": (
        "import toiles.access, toiles.errors, toiles.graph, toiles.graph_db, toiles.loaders, "
        "toiles.models, toiles.settings"
    ),
}

_TIMER = """
import sys, time
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
heavy = [m for m in {heavy!r} if m in sys.modules]
print(elapsed, ",".join(heavy))
"""


def _measure(code: str) -> tuple[float, list[str]]:
    done = subprocess.run(  # our own interpreter, fixed arguments
        [sys.executable, "-c", _TIMER.format(code=code, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    seconds, _, heavy = done.stdout.strip().partition(" ")
    return float(seconds), [m for m in heavy.split(",") if m]


def main() -> None:
    """Run the measures and print the figures, the last line as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in _CODE}
    heavy: set[str] = set()
    for _ in range(args.runs):
        for name, code in _CODE.items():
            seconds, loaded = _measure(code)
            times[name].append(seconds)
            if name != "eager_s":
                heavy.update(loaded)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name}: {value:.4f} s (median of {args.runs})")
    result = {
        "runs": args.runs,
        **{name: round(value, 4) for name, value in medians.items()},
        "speedup_vs_eager": round(medians["eager_s"] / medians["import_toiles_s"], 1),
        "heavy_loaded": sorted(heavy),
        "target_s": TARGET_S,
        "meets_target": medians["import_toiles_s"] < TARGET_S and not heavy,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
