"""Benchmark: build the recommendation network from all UPR Info data; SPARQL vs a Python baseline.

Both variants read the same store, built in this run from every UPR Info CSV export, and
produce the same directed network (recommending State -> State under review, weight =
recommendations, plus the count the State under review supported):

* `sparql`: `rightsgraph.graph.network.state_network` (queries/network-edges.rq and
  network-states.rq, then networkx);
* `python`: the baseline: the same edge list built by iterating the store's quads in Python
  (pattern lookups per predicate, joins in dicts), then networkx.

The two results are checked to be equal before any time is printed. Machines are noisy, so the
figure to read is the ratio printed at the end (the best of `--repeat` runs each), not the seconds.

    python benchmarks/network.py [--data ../shared/data/upr-info] [--repeat 3] [--store DIR]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "upr-info"
RG = "https://w3id.org/rightsgraph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SUPPORTED = "https://w3id.org/rightsgraph/vocab/position/supported"


def recommendation_files(data: Path) -> list[Path]:
    """The recommendation exports (CSV; the XLS repeats 1-5.csv, the pledges are not recommendations)."""
    return sorted(p for p in data.glob("*.csv") if p.name[0].isdigit())


def baseline(store) -> nx.DiGraph:
    """The same network by iterating quads: no SPARQL."""
    from pyoxigraph import NamedNode

    raw = store.raw

    def objects(predicate: str) -> dict:
        out: dict = defaultdict(list)
        for q in raw.quads_for_pattern(None, NamedNode(predicate), None, None):
            out[q.subject].append(q.object)
        return out

    merged = objects(RG + "mergedInto")
    review = objects(RG + "review")
    under_review = objects(RG + "stateUnderReview")
    iso3 = objects(RG + "iso3")
    response = objects(RG + "hasResponse")
    position = objects(RG + "position")
    broader = objects(SKOS + "broader")

    def supported(pos) -> bool:
        seen, todo = set(), [pos]
        while todo:
            p = todo.pop()
            if p.value == SUPPORTED:
                return True
            if p not in seen:
                seen.add(p)
                todo += broader.get(p, [])
        return False

    recs: dict = defaultdict(set)
    support: dict = defaultdict(set)
    for q in raw.quads_for_pattern(None, NamedNode(RG + "recommendedBy"), None, None):
        rec = q.subject
        if rec in merged:
            continue
        for rv in review.get(rec, ()):
            for to in under_review.get(rv, ()):
                for a in iso3.get(q.object, ()):
                    for b in iso3.get(to, ()):
                        pair = (a.value, b.value)
                        recs[pair].add(rec)
                        if any(supported(p) for r in response.get(rec, ()) for p in position.get(r, ())):
                            support[pair].add(rec)
    g = nx.DiGraph()
    for (a, b) in sorted(recs):
        g.add_edge(a, b, weight=len(recs[(a, b)]), supported=len(support[(a, b)]))
    return g


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3, help="runs per variant (the fastest counts)")
    ap.add_argument("--store", type=Path, default=None,
                    help="a store directory to (re)use instead of loading into memory in this run")
    args = ap.parse_args()

    from rightsgraph.graph.network import state_network
    from rightsgraph.graph.network_measures import summary
    from rightsgraph.graph.pipeline import load_files
    from rightsgraph.graph.store import EmbeddedStore

    paths = recommendation_files(args.data)
    store = EmbeddedStore(args.store)
    t0 = time.perf_counter()
    reports = load_files(store, paths)
    loaded = time.perf_counter() - t0
    rows = sum(r.rows_read for r in reports)
    print(f"store: {len(paths)} files ({', '.join(p.name for p in paths)}), {rows:,} rows read in this run, "
          f"{len(store):,} quads; load {loaded:.1f} s")

    sparql_s, g = best_of(args.repeat, lambda: state_network(store))
    python_s, b = best_of(args.repeat, lambda: baseline(store))
    same = ({(u, v): (d["weight"], d["supported"]) for u, v, d in g.edges(data=True)}
            == {(u, v): (d["weight"], d["supported"]) for u, v, d in b.edges(data=True)})
    if not same:
        raise SystemExit("the SPARQL network and the baseline differ: not timing a wrong result")
    measures_s, _ = best_of(1, lambda: summary(g, seed=1))
    print(f"network: {g.number_of_nodes()} States, {g.number_of_edges():,} edges, "
          f"{int(g.size(weight='weight')):,} recommendations (per recommending State); both variants agree")
    print(f"sparql   {sparql_s:6.2f} s  (state_network: queries/network-edges.rq + node attributes + networkx)")
    print(f"python   {python_s:6.2f} s  (baseline: store quads joined in Python + networkx)")
    print(f"measures {measures_s:6.2f} s  (summary: strengths, reciprocity, mixing, Louvain, PageRank, betweenness)")
    print(f"ratio sparql/python: {sparql_s / python_s:.2f}x (below 1: SPARQL is faster)")


if __name__ == "__main__":
    main()
