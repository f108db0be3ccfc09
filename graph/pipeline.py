"""Source files -> loaders -> one transaction on the store, with PROV-O for every load.

Every file given to one `load_files` call is parsed before anything is written; if any file
cannot be loaded, nothing is written at all. Then all graphs (and the ontology, vocabulary and
reference graphs, when their content changed) are replaced in one transaction. A file whose
checksum and loader version match its last load is skipped: loading twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, Variable, parse

from .. import __version__
from ..loaders.base import LoadContext, LoadError, Rejection, RowCounts
from ..loaders.registry import detect, get
from .iris import Iris, slug
from .namespaces import DCTERMS, PROV, RDF, RG
from .rdf import iri, lit, triple
from .store import EmbeddedStore, GraphWrite

SOFTWARE = "https://w3id.org/rightsgraph/software"

# Steps that derive graphs from what was loaded (e.g. reconciling the same recommendation from
# several sources). Each is called after every successful load with (store, iris, reports).
POST_LOAD: list[Callable[[EmbeddedStore, Iris, list[LoadReport]], None]] = []


@dataclass
class LoadReport(RowCounts):
    """What one file's load did, as the CLI and the tests see it."""

    file: Path
    loader: str
    graph: str
    sha256: str
    rows_read: int = 0
    rows_loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    records: Counter = field(default_factory=Counter)
    triples: int = 0
    skipped: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _loaded_checksum(store: EmbeddedStore, iris: Iris, graph_key: str) -> tuple[str, str] | None:
    """(sha256, loader version) of the last load into `graph_key`, from the metadata graph."""
    rows = list(store.raw.query(
        "SELECT ?meta ?load ?sha ?v WHERE { GRAPH ?meta { "
        "?load prov:used ?f ; rg:loaderVersion ?v . ?f rg:sha256 ?sha } }",
        prefixes={"prov": str(PROV), "rg": str(RG)},
        substitutions={Variable("meta"): iri(iris.meta_graph), Variable("load"): iri(iris.load(graph_key))},
    ))
    return (rows[0]["sha"].value, rows[0]["v"].value) if rows else None


def _prov(iris: Iris, graph_key: str, path: Path, sha: str, loader: str, version: str,
          started: datetime, ended: datetime, report: LoadReport) -> list[Triple]:
    load = iris.load(graph_key)
    source = iris.source_file(sha)
    graph = iris.graph(graph_key)
    out = [
        triple(load, RDF.type, RG.Load),
        triple(load, RDF.type, PROV.Activity),
        triple(load, RG.loader, lit(loader)),
        triple(load, RG.loaderVersion, lit(version)),
        triple(load, PROV.used, source),
        triple(load, PROV.generated, graph),
        triple(load, PROV.wasAssociatedWith, SOFTWARE),
        triple(load, PROV.startedAtTime, lit(started)),
        triple(load, PROV.endedAtTime, lit(ended)),
        triple(load, RG.rowsRead, lit(report.rows_read)),
        triple(load, RG.rowsLoaded, lit(report.rows_loaded)),
        triple(load, RG.rowsRejected, lit(report.rows_rejected)),
        triple(load, RG.recordsLoaded, lit(sum(report.records.values()))),
        triple(source, RDF.type, RG.SourceFile),
        triple(source, RDF.type, PROV.Entity),
        triple(source, RG.sha256, lit(sha)),
        triple(source, RG.fileName, lit(path.name)),
        triple(graph, RDF.type, PROV.Entity),
        triple(graph, PROV.wasGeneratedBy, load),
        triple(graph, PROV.wasDerivedFrom, source),
        triple(graph, DCTERMS.modified, lit(ended)),
    ]
    for i, rej in enumerate(report.rejections, start=1):
        node = f"{load}/rejection/{i}"
        out += [
            triple(load, RG.rejection, node),
            triple(node, RDF.type, RG.Rejection),
            triple(node, RG.row, lit(rej.row)),
            triple(node, RG.reason, lit(rej.reason)),
        ]
    return out


# --- static graphs: ontology, vocabularies, reference data ---------------------------------------
def _ttl_triples(paths: Iterable) -> list[Triple]:
    out: list[Triple] = []
    for p in paths:
        out += [q.triple for q in parse(p.read_bytes(), format=RdfFormat.TURTLE)]
    return out


def static_graphs(iris: Iris) -> dict[str, list[Triple]]:
    """The ontology, vocabulary and reference graphs, keyed by graph key."""
    from .mechanisms import mechanism_triples
    from .reference import reference_triples

    onto = files("rightsgraph.ontology")
    vocab_files = sorted((f for f in (onto / "vocab").iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)
    return {
        "ontology": _ttl_triples(sorted((f for f in onto.iterdir() if f.name.endswith(".ttl")),
                                        key=lambda f: f.name)),
        "vocabularies": _ttl_triples(vocab_files),
        "reference": reference_triples(iris) + mechanism_triples(iris),
    }


def _digest(triples: list[Triple]) -> str:
    h = hashlib.sha256()
    for line in sorted(str(t) for t in triples):
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def static_writes(store: EmbeddedStore, iris: Iris, *, force: bool = False) -> list[GraphWrite]:
    """Writes for the static graphs whose content differs from what the store holds."""
    writes = []
    now = datetime.now(UTC)
    for key, triples in static_graphs(iris).items():
        digest = _digest(triples)
        current = _loaded_checksum(store, iris, key)
        if not force and current and current[0] == digest:
            continue
        report = LoadReport(Path(key), "rightsgraph", iris.graph(key), digest)
        meta = _prov(iris, key, Path(f"{key}.ttl"), digest, "rightsgraph", __version__, now, now, report)
        writes.append(GraphWrite(iris.graph(key), triples, (iris.load(key), iris.graph(key)), meta))
    return writes


# --- loading files ------------------------------------------------------------------------------
def load_files(store: EmbeddedStore, paths: Iterable[str | Path], *, fmt: str | None = None,
               iris: Iris | None = None, limit: int | None = None, force: bool = False,
               options: dict[str, str] | None = None, progress_factory=None,
               report_dir: Path | None = None) -> list[LoadReport]:
    """Load `paths` into `store` all together, or nothing if any file cannot be loaded.

    Raises `LoadError` (one line naming file, place and problem) for a file that cannot be
    loaded at all; rows that cannot be used are rejections inside the reports.
    """
    iris = iris or Iris()
    reports: list[LoadReport] = []
    writes: list[GraphWrite] = []
    seen_graphs: dict[str, Path] = {}
    for raw_path in paths:
        path = Path(raw_path)
        loader = get(fmt) if fmt else detect(path)
        key = loader.graph_key(path)
        if key in seen_graphs:
            raise LoadError(path, "", f"same graph as {seen_graphs[key]} ({iris.graph(key)}); load them separately")
        seen_graphs[key] = path
        sha = sha256_of(path)
        version = f"{__version__}/{loader.name}-{loader.version}"
        if limit is None and not force and _loaded_checksum(store, iris, key) == (sha, version):
            reports.append(LoadReport(path, loader.name, iris.graph(key), sha, skipped=True))
            continue
        started = datetime.now(UTC)
        t0 = time.perf_counter()
        progress = progress_factory(path) if progress_factory else None
        result = loader.load(path, LoadContext(iris=iris, limit=limit, options=dict(options or {}),
                                               progress=progress))
        if not result.reconciles:  # a loader bug, not a user error: fail loudly
            raise AssertionError(f"{path}: rows read {result.rows_read} != loaded {result.rows_loaded} "
                                 f"+ rejected {result.rows_rejected}")
        report = LoadReport(path, loader.name, iris.graph(key), sha, result.rows_read, result.rows_loaded,
                            result.rejections, result.records, len(result.triples),
                            seconds=time.perf_counter() - t0, notes=result.notes)
        meta = _prov(iris, key, path, sha, loader.name, version, started, datetime.now(UTC), report)
        writes.append(GraphWrite(iris.graph(key), result.triples, (iris.load(key), iris.graph(key)), meta))
        reports.append(report)
    if writes:
        writes = static_writes(store, iris) + writes
        store.replace_graphs(writes, iris.meta_graph)
        for step in POST_LOAD:
            step(store, iris, reports)
        store.flush()
    if report_dir is not None:
        for report in reports:
            if not report.skipped:
                write_rejections(report, report_dir)
    return reports


def ensure_static(store: EmbeddedStore, iris: Iris | None = None, *, force: bool = False) -> int:
    """Bring the ontology, vocabulary and reference graphs up to date; returns graphs written."""
    iris = iris or Iris()
    writes = static_writes(store, iris, force=force)
    if writes:
        store.replace_graphs(writes, iris.meta_graph)
        store.flush()
    return len(writes)


def write_rejections(report: LoadReport, report_dir: Path) -> Path:
    """The rejection report of one load: a CSV with file, row, reason (header only if none)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    target = report_dir / f"{slug(report.loader)}--{slug(report.file.name)}.rejections.csv"
    with open(target, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "row", "reason"])
        for rej in report.rejections:
            w.writerow([rej.file, rej.row, rej.reason])
    return target
