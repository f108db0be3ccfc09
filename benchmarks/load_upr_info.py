"""Benchmark: load all UPR Info exports; pyoxigraph store vs rdflib's in-memory Graph.

Each variant runs in its own subprocess so that its peak memory (ru_maxrss) is its own. Both
parse the files with the same loaders; they differ only in where the triples go:

* `rightsgraph`: the full pipeline (`load_files`) into an in-memory pyoxigraph store, with the
  static graphs and PROV metadata, in one transaction;
* `rdflib`: the same loader output added to an rdflib `Graph` (the baseline).

Machines are noisy, so the result to read is the ratio printed at the end, not the seconds.

    python benchmarks/load_upr_info.py [--data ../shared/data/upr-info] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from _rdflib_terms import to_rdflib

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "upr-info"


def files(data: Path) -> list[Path]:
    return sorted(p for p in data.iterdir() if p.suffix in (".csv", ".xls"))


def run_variant(variant: str, data: Path) -> dict:
    from rightsgraph.graph.iris import Iris
    from rightsgraph.loaders.base import LoadContext
    from rightsgraph.loaders.registry import detect

    paths = files(data)
    t0 = time.perf_counter()
    if variant == "rightsgraph":
        from rightsgraph.graph.pipeline import load_files
        from rightsgraph.graph.store import EmbeddedStore

        store = EmbeddedStore(None)
        reports = load_files(store, paths)
        rows = sum(r.rows_read for r in reports)
        triples = sum(r.triples for r in reports)
        stored = len(store)
    else:
        from rdflib import Graph

        conv = to_rdflib

        graph = Graph()
        rows = triples = 0
        for p in paths:
            result = detect(p).load(p, LoadContext(iris=Iris()))
            rows += result.rows_read
            triples += len(result.triples)
            for t in result.triples:
                graph.add((conv(t.subject), conv(t.predicate), conv(t.object)))
        stored = len(graph)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"variant": variant, "files": len(paths), "rows": rows, "triples": triples, "stored": stored,
            "seconds": seconds, "rows_per_s": rows / seconds, "triples_per_s": triples / seconds,
            "peak_mb": peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--variant", choices=["rightsgraph", "rdflib"], help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=1, help="runs per variant (the fastest counts)")
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.data)))
        return
    best = {}
    for _ in range(args.repeat):
        for variant in ("rightsgraph", "rdflib"):
            out = subprocess.run([sys.executable, __file__, "--variant", variant, "--data", str(args.data)],
                                 check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            if variant not in best or result["seconds"] < best[variant]["seconds"]:
                best[variant] = result
    for r in best.values():
        print(f"{r['variant']:12} {r['files']} files  {r['rows']:,} rows  {r['triples']:,} triples "
              f"({r['stored']:,} stored)  {r['seconds']:.2f} s  {r['rows_per_s']:,.0f} rows/s  "
              f"{r['triples_per_s']:,.0f} triples/s  peak {r['peak_mb']:.0f} MB")
    a, b = best["rightsgraph"], best["rdflib"]
    print(f"ratio rightsgraph/rdflib: time {a['seconds'] / b['seconds']:.2f}x, "
          f"peak memory {a['peak_mb'] / b['peak_mb']:.2f}x (below 1 is better)")


if __name__ == "__main__":
    main()
