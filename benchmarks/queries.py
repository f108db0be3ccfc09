"""Benchmark: every shipped query on all of ../shared/data, with baselines measured in the same run.

Loads every file of ../shared/data that a loader recognises (UPR Info CSVs, OHCHR matrices, the UHRI
export, CCPR follow-up, ratification, HRC resolutions; not `upr-info/1-5.xls`, the same export as
`1-5.csv`) and the bundled default data (the China case) into an in-memory store, through the normal
pipeline (reconciliation included). Then, per shipped query, with its default parameters (a sample value
for required ones): the best of `--repeat` runs of

* `engine`: pyoxigraph producing every solution (iterated, not converted), the time the query answers in;
* `rows`: `queries.run`, i.e. also turning every cell into a Python value.

Baselines, in the same run (machines are noisy: read the ratios, not the seconds):

* `FILTER NOT EXISTS` against `OPTIONAL ... FILTER(!BOUND(...))`: "UPR recommendations with no response
  known as of a date", written both ways (the form the queries use is the second), counted for sessions
  1-5 (about a minute for NOT EXISTS; without that restriction, about three);
* rdflib's SPARQL engine against pyoxigraph on the same subset (China's UPR Info rows, the China case, the
  reference and vocabulary graphs): `refusal-rate` and `overdue-reports`; `--rdflib-unresolved` adds
  `unresolved` for China (minutes on rdflib).

    python benchmarks/queries.py [--data ../shared/data] [--repeat 3] [--only unresolved,refusal-rate]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

from _rdflib_terms import to_rdflib

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE_PARAMS = {
    "recommendations-on-issue": {"issue": "death penalty"},
    "provenance": {"node": "https://w3id.org/rightsgraph/id/doc/A/HRC/25/5/rec/186.28"},
    "china-case": {},
}
BUDGET = 1.0  # seconds: every shipped query answers within it

# "UPR recommendations with no response known as of a date", written two ways after a common head.
_HEAD = """PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?as_of (COUNT(DISTINCT ?item) AS ?awaiting) WHERE {
  { SELECT DISTINCT ?review ?issued ?session WHERE { ?review a rg:UPRReview ; rg:session ?s .
      ?s rg:year ?y ; rg:sessionNumber ?session .
      BIND(xsd:date(CONCAT(STR(?y), "-01-01")) AS ?issued) } }
  ?item rg:review ?review ; a rg:UPRRecommendation .
  FILTER(?issued <= ?as_of && ?session <= 5)
"""
NOT_EXISTS = _HEAD + """  FILTER NOT EXISTS { ?item rg:hasResponse ?r . ?r rg:position ?p .
                      OPTIONAL { ?r dct:date ?d } FILTER(COALESCE(?d, ?issued) <= ?as_of) }
} GROUP BY ?as_of"""
OPTIONAL_FORM = _HEAD + """  OPTIONAL { { SELECT DISTINCT ?item ?r ?d WHERE {
      ?item rg:hasResponse ?r . ?r rg:position ?p . OPTIONAL { ?r dct:date ?d } } } }
  FILTER(!BOUND(?r) || COALESCE(?d, ?issued) > ?as_of)
} GROUP BY ?as_of"""


def data_files(data: Path) -> list[Path]:
    from rightsgraph.loaders.base import LoadError
    from rightsgraph.loaders.registry import detect

    default = Path(__file__).resolve().parents[1] / "rightsgraph" / "data" / "default"
    found = []
    for p in sorted(data.rglob("*")) + sorted(default.iterdir()):
        if not p.is_file() or p.name.startswith(("README", ".")) or p.name == "1-5.xls":
            continue
        try:
            detect(p)
        except LoadError:
            continue
        found.append(p)
    return found


def load(data: Path):
    from rightsgraph.graph.pipeline import load_files
    from rightsgraph.graph.store import EmbeddedStore

    store = EmbeddedStore(None)
    paths = data_files(data)
    t0 = time.perf_counter()
    reports = load_files(store, paths)
    seconds = time.perf_counter() - t0
    rows = sum(r.rows_read for r in reports)
    print(f"loaded {len(paths)} files ({rows:,} rows) into {len(store):,} quads in {seconds:.1f} s")
    return store


def best(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


def bench_shipped(store, repeat: int, only: set[str] | None) -> list[tuple[str, float, float, int]]:
    from rightsgraph.graph import queries

    out = []
    print(f"\n{'query':34} {'engine s':>9} {'rows s':>8} {'rows':>8}")
    for name, q in queries.shipped().items():
        if only and name not in only:
            continue
        params = SAMPLE_PARAMS.get(name, {})
        bindings = queries.bind(q, params)
        engine, n = best(lambda q=q, b=bindings: sum(1 for _ in store.query(q.text, b)), repeat)
        rows, _ = best(lambda name=name, params=params: queries.run(store, name, params), repeat)
        flag = "" if engine < BUDGET else "  <-- over budget"
        print(f"{name:34} {engine:9.3f} {rows:8.3f} {n:8,}{flag}")
        out.append((name, engine, rows, n))
    return out


def bench_not_exists(store, repeat: int) -> None:
    from pyoxigraph import Literal, NamedNode

    as_of = {"as_of": Literal("2024-06-25", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
    slow, a = best(lambda: list(store.query(NOT_EXISTS, as_of)), max(1, repeat // 2))
    fast, b = best(lambda: list(store.query(OPTIONAL_FORM, as_of)), repeat)
    same = [r["awaiting"].value for r in a] == [r["awaiting"].value for r in b]
    print(f"\nbaseline, 'no response known as of a date': FILTER NOT EXISTS {slow:.3f} s, "
          f"OPTIONAL ... FILTER(!BOUND) {fast:.3f} s: ratio {slow / fast:.1f}x (same answer: {same})")


def bench_rdflib(repeat: int, with_unresolved: bool) -> None:
    """The same query text on rdflib and pyoxigraph, over a subset both can hold quickly."""
    from rdflib import Dataset, URIRef
    from rightsgraph.graph import queries
    from rightsgraph.graph.pipeline import load_files
    from rightsgraph.graph.store import EmbeddedStore

    default = Path(__file__).resolve().parents[1] / "rightsgraph" / "data" / "default"
    store = EmbeddedStore(None)
    load_files(store, sorted(default.glob("china-*")) + [default / "upr-info-china-sessions-4-17.csv"])
    ds = Dataset(default_union=True)
    for quad in store.raw:
        g = ds.graph(URIRef(quad.graph_name.value))
        g.add(tuple(to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
    print(f"\nrdflib baseline on the China subset ({len(store):,} quads):")
    cases = [("refusal-rate", {"state": "CHN"}), ("overdue-reports", {"as_of": "2024-06-25"})]
    if with_unresolved:
        cases.append(("unresolved", {"state": "CHN", "as_of": "2024-06-25"}))
    for name, params in cases:
        q = queries.resolve(name)
        bindings = queries.bind(q, params)
        oxi, n = best(lambda q=q, b=bindings: sum(1 for _ in store.query(q.text, b)), repeat)
        init = {k: to_rdflib(v) for k, v in bindings.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                rdf, m = best(lambda q=q, init=init: len(list(ds.query(q.text, initBindings=init))), 1)
            except Exception as exc:  # rdflib may not run every SPARQL 1.1 form the same way
                print(f"  {name}: rdflib failed ({type(exc).__name__}: {str(exc)[:80]})")
                continue
        print(f"  {name:14} pyoxigraph {oxi:.3f} s ({n} rows), rdflib {rdf:.3f} s ({m} rows): ratio {rdf / oxi:.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated query names")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument("--rdflib-unresolved", action="store_true", help="also time unresolved on rdflib (minutes)")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    store = load(args.data)
    only = {n.strip() for n in args.only.split(",") if n.strip()} or None
    results = bench_shipped(store, args.repeat, only)
    over = [r for r in results if r[1] >= BUDGET]
    print(f"\n{len(results)} queries, {len(over)} over {BUDGET:.0f} s (engine): "
          + (", ".join(f"{n} {e:.2f} s" for n, e, _, _ in over) or "none"))
    if not args.no_baselines:
        bench_not_exists(store, args.repeat)
        bench_rdflib(args.repeat, args.rdflib_unresolved)


if __name__ == "__main__":
    main()
