"""Benchmark of the analysis reports on synthetic toiles; the last line printed is JSON.

Figures (targets from issue 5):

- ``betweenness_speedup_vs_networkx``: exact betweenness of the internal network of a
  10,000-actor, 50,000-flow toile, NetworkX time / igraph time (target >= 30).
- ``centrality_overhead_vs_igraph``: the full ``centrality`` report (reading the NetworkX
  graph included) against the bare igraph calls it needs on the same network (graph
  construction, degree, betweenness and closeness from the same sampled sources,
  PageRank, articulation points, bridges), 100,000 actors and 500,000 flows (target <= 1.5).
- ``cycling_s``, ``impact_s``, ``candidates_s``: the reports on the 100,000-actor toile
  (targets under 60 s, 10 s and 10 s). ``cycling_s`` includes the literature's indicators
  (TSTp, λmax, ascendency, robustness); ``candidates_s`` the temperature match, the cost
  screening of every lead, the per-ZAE networks, the networks of clusters of neighbours and
  Hotmaps' pruning of costly lines (``candidates_heat_leads``, ``candidates_networks`` say
  how many; ``candidates_cpu_s`` is the process's CPU time,
  less sensitive than the wall time to other programs on a shared machine).

Usage: ``.venv/bin/python benchmarks/bench_analysis.py [--quick] [--networkx-sources K]
[--only reports]``. ``--only reports`` times the reports on the large toile only (no
betweenness comparison, no centrality overhead).
``--networkx-sources K`` times NetworkX on K sampled sources and scales the time to all
sources (the JSON says so) instead of running it in full (about 5 minutes here).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import time
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from toiles.analysis import (
    _igraph,
    candidates_report,
    centrality_report,
    closure_impact,
    cycling_report,
)
from toiles.analysis._common import flow_table
from toiles.analysis.centrality import DEFAULT_SAMPLES
from toiles.synthetic import synthetic_graph

if TYPE_CHECKING:
    from collections.abc import Callable


def _timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _internal_pairs(G: nx.MultiDiGraph) -> tuple[int, np.ndarray, np.ndarray]:
    ft = flow_table(G)
    keep = ~ft.outside[ft.src] & ~ft.outside[ft.dst] & (ft.src != ft.dst)
    inner = np.flatnonzero(~ft.outside)
    local = np.full(ft.n, -1, dtype=np.int64)
    local[inner] = np.arange(len(inner))
    n = len(inner)
    codes = np.unique(local[ft.src[keep]] * n + local[ft.dst[keep]])
    return n, codes // n, codes % n


def bench_betweenness(n_actors: int, n_flows: int, nx_sources: int | None) -> dict[str, object]:
    G = synthetic_graph(n_actors, n_flows, seed=0)
    n, src, dst = _internal_pairs(G)
    g = _igraph.igraph_from_pairs(n, src, dst)
    igraph_s = _timed(lambda: _igraph.betweenness(g))
    D = nx.DiGraph()
    D.add_nodes_from(range(n))
    D.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    if nx_sources is None:
        networkx_s = _timed(lambda: nx.betweenness_centrality(D, normalized=False))
        method = "full"
    else:
        sources = sorted(np.random.default_rng(0).choice(n, nx_sources, replace=False).tolist())
        part = _timed(lambda: nx.betweenness_centrality_subset(D, sources, list(D)))
        networkx_s = part * n / nx_sources
        method = f"extrapolated from {nx_sources} sources"
    return {
        "betweenness_actors": n_actors,
        "betweenness_flows": n_flows,
        "betweenness_internal_links": len(src),
        "betweenness_igraph_s": round(igraph_s, 3),
        "betweenness_networkx_s": round(networkx_s, 3),
        "betweenness_networkx_method": method,
        "betweenness_speedup_vs_networkx": round(networkx_s / igraph_s, 1),
    }


def _bare_igraph(n: int, src: np.ndarray, dst: np.ndarray, samples: int) -> None:
    g = _igraph.igraph_from_pairs(n, src, dst)
    sources = sorted(np.random.default_rng(0).choice(n, samples, replace=False).tolist())
    g.degree(mode="all")
    _igraph.betweenness(g, sources=sources)
    _igraph.pagerank(g)
    _igraph.harmonic(g, sources=sources)
    _igraph.articulation_points(g)
    _igraph.bridges(g)


def bench_large(n_actors: int, n_flows: int, repeats: int) -> dict[str, object]:
    start = time.perf_counter()
    G = synthetic_graph(n_actors, n_flows, seed=0)
    generate_s = time.perf_counter() - start
    n, src, dst = _internal_pairs(G)
    report_s, bare_s = [], []
    for _ in range(repeats):
        bare_s.append(_timed(lambda: _bare_igraph(n, src, dst, DEFAULT_SAMPLES)))
        report_s.append(_timed(lambda: centrality_report(G, top=20)))
    # Close two companies upstream in the supply chains (a cascade through most of the toile).
    actors = [n for n, d in G.nodes(data=True) if d["kind"] == "entreprise"][:2]
    return {
        "large_actors": n_actors,
        "large_flows": n_flows,
        "generate_s": round(generate_s, 2),
        "centrality_report_s": round(min(report_s), 2),
        "centrality_bare_igraph_s": round(min(bare_s), 2),
        "centrality_overhead_vs_igraph": round(min(report_s) / min(bare_s), 2),
        "betweenness_samples": DEFAULT_SAMPLES,
        "cycling_s": round(_timed(lambda: cycling_report(G)), 2),
        "impact_closed": actors,
        "impact_s": round(_timed(lambda: closure_impact(G, actors)), 2),
        "candidates_s": round(_timed(lambda: candidates_report(G)), 2),
    }


def bench_reports(n_actors: int, n_flows: int) -> dict[str, object]:
    """The cycling, impact and candidates reports on the large toile."""
    start = time.perf_counter()
    G = synthetic_graph(n_actors, n_flows, seed=0)
    generate_s = time.perf_counter() - start
    actors = [n for n, d in G.nodes(data=True) if d["kind"] == "entreprise"][:2]
    figures: dict[str, object] = {
        "large_actors": n_actors,
        "large_flows": n_flows,
        "generate_s": round(generate_s, 2),
        "cycling_s": round(_timed(lambda: cycling_report(G)), 2),
        "impact_closed": actors,
        "impact_s": round(_timed(lambda: closure_impact(G, actors)), 2),
    }
    found: list[object] = []
    cpu = time.process_time()
    figures["candidates_s"] = round(_timed(lambda: found.append(candidates_report(G))), 2)
    # CPU time of this process: on a shared machine, the wall time also counts the others.
    figures["candidates_cpu_s"] = round(time.process_time() - cpu, 2)
    result = found[0]
    figures["candidates_heat_leads"] = getattr(result, "heat_count", None)
    figures["candidates_networks"] = getattr(result, "network_count", None)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--networkx-sources", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", choices=["all", "reports"], default="all")
    args = parser.parse_args()
    small = (1_000, 5_000) if args.quick else (10_000, 50_000)
    large = (10_000, 50_000) if args.quick else (100_000, 500_000)
    figures: dict[str, object] = {"machine": f"{platform.machine()}, {platform.python_version()}"}
    if args.only == "reports":
        figures |= bench_reports(*large)
        print(json.dumps(figures))
        return
    figures |= bench_betweenness(*small, args.networkx_sources)
    print(json.dumps(figures), flush=True)
    figures |= bench_large(*large, args.repeats)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
