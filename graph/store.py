"""The store behind one small interface: embedded pyoxigraph now, a remote SPARQL server later.

Writes go through `replace_graphs`, which swaps whole named graphs in one transaction: the new
content is first written to private staging graphs (an atomic `extend`), then a single SPARQL
update moves every staging graph onto its target and replaces the metadata. Either all of it
becomes visible or none of it does, so a failed load leaves the store as it was, and reloading a
file replaces its graph instead of adding to it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

DEFAULT_STORE_DIR = "rightsgraph-store"
STORE_ENV = "RIGHTSGRAPH_STORE"


class StoreError(Exception):
    """The store cannot be opened or written; the message names the store and the problem."""


@dataclass
class GraphWrite:
    """One named graph to replace, and the metadata triples that describe its load."""

    graph: str
    triples: list[Triple]
    meta_subjects: tuple[str, ...] = ()  # metadata about these subjects (and IRIs under them) is replaced
    meta: list[Triple] | None = None


def default_location() -> str:
    return os.environ.get(STORE_ENV) or DEFAULT_STORE_DIR


class EmbeddedStore:
    """pyoxigraph on disk (a directory) or in memory (`path=None`)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = Store()
            elif read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here yet; run `rightsgraph build` or "
                                     "`rightsgraph load` first")
                self._store = Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None

    @property
    def location(self) -> str:
        return "memory" if self.path is None else str(self.path)

    @property
    def raw(self) -> Store:
        """The pyoxigraph store itself, for callers who need its full API."""
        return self._store

    # --- writing ------------------------------------------------------------------------------
    def replace_graphs(self, writes: list[GraphWrite], meta_graph: str) -> None:
        """Replace every graph in `writes` and its load metadata, all or nothing.

        A graph the store does not hold yet is bulk-loaded (fast, not transactional) and removed
        again if anything fails before the metadata is committed. Graphs that exist are replaced
        inside the single SPARQL update that also writes the metadata, which is atomic. (Staging
        and `MOVE` would be atomic too, but MOVE rewrites every index entry: 3-5x slower on disk.)
        """
        new = [w for w in writes if not self._store.contains_named_graph(NamedNode(w.graph))]
        new_ids = {id(w) for w in new}
        bulk_done: list[NamedNode] = []
        try:
            for w in new:
                target = NamedNode(w.graph)
                bulk_done.append(target)
                self._store.bulk_extend(Quad(t.subject, t.predicate, t.object, target) for t in w.triples)
            ops = []
            for w in writes:
                if id(w) in new_ids:
                    continue
                target = NamedNode(w.graph)
                ops.append(f"DROP SILENT GRAPH {target} ;\n")
                if w.triples:
                    body = serialize(w.triples, format=RdfFormat.N_TRIPLES).decode("utf-8")
                    ops.append(f"INSERT DATA {{ GRAPH {target} {{\n{body}}} }} ;\n")
            meta = NamedNode(meta_graph)
            for w in writes:
                for subject in w.meta_subjects:
                    s = NamedNode(subject)
                    ops.append(
                        f"DELETE {{ GRAPH {meta} {{ ?x ?p ?o }} }} WHERE {{ GRAPH {meta} {{ "
                        f"?x ?p ?o . FILTER(?x = {s} || STRSTARTS(STR(?x), CONCAT(STR({s}), \"/\"))) }} }} ;\n"
                    )
            inserts = [t for w in writes for t in (w.meta or [])]
            if inserts:
                body = serialize(inserts, format=RdfFormat.N_TRIPLES).decode("utf-8")
                ops.append(f"INSERT DATA {{ GRAPH {meta} {{\n{body}}} }}")
            if ops:
                self._store.update("".join(ops).rstrip().rstrip(";"))
        except (OSError, SyntaxError, ValueError) as exc:
            for target in bulk_done:
                self._store.remove_graph(target)
            raise StoreError(f"{self.location}: write failed, nothing was changed ({exc})") from None
        except BaseException:
            for target in bulk_done:
                self._store.remove_graph(target)
            raise

    # --- reading ------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, NamedNode | Literal] | None = None,
              ) -> QuerySolutions | QueryBoolean | Iterator[Triple]:
        """Run SPARQL over the union of all graphs; `bindings` are substituted, never pasted."""
        subs = {Variable(k): v for k, v in (bindings or {}).items()}
        return self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, NamedNode))

    def graph_sizes(self) -> dict[str, int]:
        rows = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"].value: int(r["n"].value) for r in rows}

    def quads(self, graph: str | None = None) -> Iterable[Quad]:
        g = NamedNode(graph) if graph else None
        return self._store.quads_for_pattern(None, None, None, g)

    def triples_in(self, graph: str) -> list[Triple]:
        return [Triple(q.subject, q.predicate, q.object) for q in self.quads(graph)]

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Release the store (and its directory lock) now rather than when garbage is collected."""
        import gc

        if hasattr(self, "_store"):
            if self.path is not None and not self.read_only:
                self._store.flush()
            del self._store
            gc.collect()

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(location: str | Path | None = None, *, memory: bool = False) -> EmbeddedStore:
    """The store at `location` (a directory; default `$RIGHTSGRAPH_STORE` or ./rightsgraph-store).

    An http(s):// location is a SPARQL 1.1 server (`graph.remote.RemoteStore`, same interface).
    """
    if memory:
        return EmbeddedStore(None)
    location = location or default_location()
    if isinstance(location, str) and location.lower().startswith(("http://", "https://")):
        from .remote import RemoteStore

        return RemoteStore(location)  # type: ignore[return-value]
    return EmbeddedStore(location)
