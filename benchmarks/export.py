"""Benchmark: dump speed and peak memory of `graph/export.py` against rdflib serialising the same graph.

A synthetic store (recommendation-shaped records spread over several named graphs, a few blank nodes)
is written once to a temporary on-disk pyoxigraph store; then each variant runs in its own subprocess,
so its peak memory (ru_maxrss) is its own:

* `nq`, `nq-8mb`, `ttl`, `jsonld`: rightsgraph's sorted, streamed dumps (N-Quads with the default 64 MB
  sort budget and with an 8 MB one, Turtle, JSON-LD);
* `oxigraph-dump`: pyoxigraph's own unsorted `Store.dump` (N-Quads): the speed limit for a dump that
  does no sorting or canonicalisation;
* `rdflib-nq`, `rdflib-ttl`: the baseline: the same quads in an rdflib `Dataset`, serialised by rdflib
  (rdflib must hold the whole graph in memory to serialise it; its load time is reported apart).

Machines are noisy: read the ratios, not the seconds. Memory is the process's peak resident size,
including Python and the libraries (about 60-80 MB before any work).

    python benchmarks/export.py [--triples 300000] [--variants nq,rdflib-nq,...]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VARIANTS = ("nq", "nq-8mb", "ttl", "jsonld", "oxigraph-dump", "rdflib-nq", "rdflib-ttl")
BASE = "https://w3id.org/rightsgraph/"


def build(path: Path, triples: int) -> int:
    """A synthetic store of about `triples` quads in 8 graphs; returns the exact number of quads."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

    rg = "https://w3id.org/rightsgraph/ontology#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    store = Store(str(path))
    per_record = 12
    n = max(1, triples // per_record)

    def quads():
        for i in range(n):
            g = NamedNode(f"{BASE}graph/synthetic/{i % 8}.csv")
            rec = NamedNode(f"{BASE}id/upr-review/S{i % 193:03d}/{i % 40}/rec/{i}")
            resp = NamedNode(f"{rec.value}/response/source")
            yield Quad(rec, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       NamedNode(rg + "UPRRecommendation"), g)
            text = f"Recommendation {i}: ratify the \"Convention\" and report by 20{i % 30:02d}.\nSecond line é"
            yield Quad(rec, NamedNode(rg + "text"), Literal(text, language="en"), g)
            yield Quad(rec, NamedNode(rg + "paragraph"), Literal(f"{i % 200}.{i % 17}"), g)
            yield Quad(rec, NamedNode(rg + "addressedTo"), NamedNode(f"{BASE}id/state/S{i % 193:03d}"), g)
            yield Quad(rec, NamedNode(rg + "recommendedBy"), NamedNode(f"{BASE}id/state/S{(i * 7) % 193:03d}"), g)
            yield Quad(rec, NamedNode(rg + "issue"), NamedNode(f"{BASE}vocab/upr-info-issue/{i % 56}"), g)
            yield Quad(rec, NamedNode(rg + "actionCategory"), NamedNode(f"{BASE}vocab/action-category/{i % 5 + 1}"), g)
            yield Quad(rec, NamedNode(rg + "year"), Literal(str(2008 + i % 16), datatype=NamedNode(xsd + "gYear")), g)
            yield Quad(rec, NamedNode(rg + "hasResponse"), resp, g)
            position = ("supported", "noted")[i % 2]
            yield Quad(resp, NamedNode(rg + "position"), NamedNode(f"{BASE}vocab/position/{position}"), g)
            yield Quad(resp, NamedNode(rg + "responseTo"), rec, g)
            if i % 1000 == 0:  # a few blank nodes, canonicalised by the dump
                b = BlankNode()
                yield Quad(rec, NamedNode("http://www.w3.org/ns/prov#qualifiedAttribution"), b, g)
            else:
                yield Quad(rec, NamedNode(rg + "sourceRecord"), Literal(f"synthetic-{i % 8}.csv#row={i}"), g)

    store.bulk_extend(quads())
    store.flush()
    return len(store)


def _peak_rss_mb() -> float:
    """This process's peak resident size. Not ru_maxrss: Linux carries it over from the parent across
    fork+exec, and the parent here has just built the store."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_variant(variant: str, store_path: Path, out_dir: Path) -> dict:
    from rightsgraph.graph.store import EmbeddedStore

    t0 = time.perf_counter()
    load_s = 0.0
    if variant.startswith("rdflib"):
        from pyoxigraph import RdfFormat, Store
        from rdflib import Dataset

        dump = out_dir / "for-rdflib.nq"
        Store.read_only(str(store_path)).dump(str(dump), RdfFormat.N_QUADS)  # not timed: the input rdflib needs
        t0 = time.perf_counter()
        ds = Dataset()
        ds.parse(str(dump), format="nquads")
        load_s = time.perf_counter() - t0
        target = out_dir / f"rdflib.{'nq' if variant == 'rdflib-nq' else 'trig'}"
        ds.serialize(destination=str(target), format="nquads" if variant == "rdflib-nq" else "trig")
        quads = len(ds)
    elif variant == "oxigraph-dump":
        from pyoxigraph import RdfFormat

        store = EmbeddedStore(store_path, read_only=True)
        target = out_dir / "oxigraph.nq"
        store.raw.dump(str(target), RdfFormat.N_QUADS)
        quads = len(store)
    else:
        from rightsgraph.graph.export import export

        store = EmbeddedStore(store_path, read_only=True)
        fmt = {"nq": "nq", "nq-8mb": "nq", "ttl": "ttl", "jsonld": "jsonld"}[variant]
        chunk = 8 << 20 if variant == "nq-8mb" else 64 << 20
        d = export(store, out_dir / f"{variant}.{fmt}", fmt, chunk_bytes=chunk)
        target, quads = d.path, d.triples
    seconds = time.perf_counter() - t0
    peak_mb = _peak_rss_mb()
    return {"variant": variant, "quads": quads, "seconds": seconds, "load_s": load_s,
            "bytes": target.stat().st_size, "peak_mb": peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=300_000)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.variant:
        print(json.dumps(run_variant(args.variant, args.store, args.out)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = build(tmp / "store", args.triples)
        print(f"synthetic store: {n:,} quads in 8 named graphs")
        results = {}
        for variant in args.variants.split(","):
            out = tmp / variant
            out.mkdir()
            proc = subprocess.run([sys.executable, __file__, "--variant", variant, "--store", str(tmp / "store"),
                                   "--out", str(out)], check=True, capture_output=True, text=True)
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results[variant] = r
            extra = f" (+ {r['load_s']:.1f} s to build the rdflib Dataset)" if r["load_s"] else ""
            rate = r["quads"] / r["seconds"]
            print(f"{variant:14} {r['quads']:>9,} quads  {r['seconds']:7.2f} s{extra:38}  {rate:>10,.0f} quads/s  "
                  f"{r['bytes'] / 1e6:7.1f} MB  peak {r['peak_mb']:6.0f} MB")
        if "nq" in results and "rdflib-nq" in results:
            a, b = results["nq"], results["rdflib-nq"]
            print(f"rightsgraph N-Quads / rdflib N-Quads: time {a['seconds'] / (b['seconds'] + b['load_s']):.2f}x "
                  f"(rdflib load + serialise), {a['seconds'] / b['seconds']:.2f}x (serialise only); "
                  f"peak memory {a['peak_mb'] / b['peak_mb']:.2f}x (below 1 is better)")


if __name__ == "__main__":
    main()
