"""Dumps of the store: N-Triples, N-Quads, Turtle, TriG, JSON-LD and RDF/XML, deterministic and streamed.

How a dump is made, and why:

* **Streamed.** Quads are read from the store graph by graph (`store.quads(graph)`, an iterator on
  both the embedded and the remote store) in batches, never as one list.
* **Sorted with an external merge sort.** Each batch is serialised by pyoxigraph to canonical
  N-Triples lines (bytes), which go into a sorter that keeps at most `chunk_bytes` of lines in memory
  and spills sorted runs to temporary files; the runs are merged with `heapq.merge`. Memory is bounded
  by the chunk size, not by the store or by the largest graph. Lines are compared as UTF-8 bytes, so
  the order is the same on every machine.
* **Per graph, in graph-IRI order.** N-Quads, TriG and JSON-LD keep the named graphs: graphs are
  written one after another in IRI order, each graph's lines sorted. N-Triples, Turtle and RDF/XML have
  no named graphs: a dump of several graphs is their union, sorted and de-duplicated across graphs (one
  sorter over all graphs). Use N-Quads/TriG/JSON-LD to keep the graphs, or `per_graph` files.
* **Blank nodes are canonicalised.** The loaders mint IRIs, but the ontology and vocabularies may hold
  a few blank nodes, whose labels in the store are random. All quads that mention a blank node (in
  every graph, so that a label means the same node across graphs and across dumps of different graph
  selections) are canonicalised together with RDFC-1.0 (pyoxigraph), and those canonical quads are
  what the dump holds. Only those quads are held in memory.
* **Other formats are written from the sorted stream.** The sorted N-Triples/N-Quads lines are parsed
  again by pyoxigraph's streaming parser and fed to its streaming serialisers (Turtle, TriG, RDF/XML),
  or to the JSON-LD writer below, so every format is deterministic, not only N-Triples/N-Quads.
* **JSON-LD uses the shipped context** (`ontology/context.jsonld`, inlined in the dump so that it is
  readable offline): keys are terms (`stateUnderReview`, `prefLabel`), IRIs compact (`rgid:state/CHN`).
  The writer emits the expanded value form (`{"@id": ...}`, `{"@value": ..., "@type": ...}`) whenever
  a term's type coercion does not fit a value, so the dump always parses back to the same graph.
* **gzip** output is deterministic too (no file name, mtime 0).
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from .namespaces import DEFAULT_BASE, ONTOLOGY_IRI, VOCAB_BASE

CHUNK_BYTES = 64 * 1024 * 1024  # in-memory budget of the external sort, in bytes of lines
_BATCH = 20_000  # quads serialised per pyoxigraph call
_LINE_OVERHEAD = 40  # approximate Python object overhead per bytes line, for the memory budget


@dataclass(frozen=True)
class DumpFormat:
    key: str
    name: str
    extension: str
    media_type: str
    datasets: bool  # keeps named graphs
    eu_file_type: str  # http://publications.europa.eu/resource/authority/file-type/...
    w3c_format: str  # http://www.w3.org/ns/formats/...
    rdf: RdfFormat | None = None


FORMATS: dict[str, DumpFormat] = {
    f.key: f
    for f in (
        DumpFormat("nq", "N-Quads", ".nq", "application/n-quads", True, "RDF_N_QUADS", "N-Quads",
                   RdfFormat.N_QUADS),
        DumpFormat("nt", "N-Triples", ".nt", "application/n-triples", False, "RDF_N_TRIPLES", "N-Triples",
                   RdfFormat.N_TRIPLES),
        DumpFormat("ttl", "Turtle", ".ttl", "text/turtle", False, "RDF_TURTLE", "Turtle", RdfFormat.TURTLE),
        DumpFormat("trig", "TriG", ".trig", "application/trig", True, "RDF_TRIG", "TriG", RdfFormat.TRIG),
        DumpFormat("jsonld", "JSON-LD", ".jsonld", "application/ld+json", True, "JSON_LD", "JSON-LD",
                   RdfFormat.JSON_LD),
        DumpFormat("rdfxml", "RDF/XML", ".rdf", "application/rdf+xml", False, "RDF_XML", "RDF_XML",
                   RdfFormat.RDF_XML),
    )
}
ALIASES = {"ntriples": "nt", "nquads": "nq", "turtle": "ttl", "json-ld": "jsonld", "xml": "rdfxml",
           "rdf": "rdfxml", "rdf/xml": "rdfxml"}


class ExportError(Exception):
    """A dump that cannot be written as asked; the message says what to change."""


def dump_format(key: str) -> DumpFormat:
    k = ALIASES.get(key.lower(), key.lower())
    if k not in FORMATS:
        raise ExportError(f"unknown dump format {key!r} (use one of {', '.join(FORMATS)})")
    return FORMATS[k]


@dataclass
class DumpFile:
    """One written dump: what it holds and its checksum, for the DCAT distribution."""

    path: Path | None
    format: DumpFormat
    graphs: list[str]
    gzip: bool
    triples: int = 0  # lines written: quads for dataset formats, distinct triples otherwise
    bytes: int = 0
    sha256: str = ""
    per_graph: bool = False  # one file per named graph (a distribution of that graph's dataset)

    @property
    def name(self) -> str:
        return self.path.name if self.path else "-"

    def to_json(self) -> dict:
        return {"file": self.name, "format": self.format.key, "media_type": self.format.media_type,
                "gzip": self.gzip, "graphs": self.graphs, "triples": self.triples, "bytes": self.bytes,
                "sha256": self.sha256, "per_graph": self.per_graph}


# --- the external sort --------------------------------------------------------------------------
class ExternalSorter:
    """Sorts byte lines within a memory budget: sorted runs spill to temp files, then one k-way merge."""

    def __init__(self, chunk_bytes: int = CHUNK_BYTES, tmpdir: str | None = None) -> None:
        self.chunk_bytes = chunk_bytes
        self.tmpdir = tmpdir
        self._buf: list[bytes] = []
        self._size = 0
        self._runs: list[BinaryIO] = []

    def add(self, lines: Iterable[bytes]) -> None:
        buf = self._buf
        for line in lines:
            buf.append(line)
            self._size += len(line) + _LINE_OVERHEAD
            if self._size >= self.chunk_bytes:
                self._spill()
                buf = self._buf

    @property
    def runs(self) -> int:
        return len(self._runs)

    def _spill(self) -> None:
        self._buf.sort()
        run = tempfile.TemporaryFile(dir=self.tmpdir)
        run.writelines(line + b"\n" for line in self._buf)  # not one join: that would double the peak
        run.seek(0)
        self._runs.append(run)
        self._buf = []
        self._size = 0

    def sorted(self, unique: bool = True) -> Iterator[bytes]:
        """The lines in byte order (each without its newline); duplicates dropped if `unique`."""
        self._buf.sort()
        if self._runs:
            if self._buf:
                self._spill()
            streams = [(ln.rstrip(b"\n") for ln in run) for run in self._runs]
            merged: Iterable[bytes] = heapq.merge(*streams)
        else:
            merged = self._buf
        previous = None
        try:
            for line in merged:
                if unique and line == previous:
                    continue
                previous = line
                yield line
        finally:
            self.close()

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs = []
        self._buf = []


# --- reading the store ---------------------------------------------------------------------------
def _is_blank(term) -> bool:
    return type(term) is BlankNode


def canonical_blank_quads(store) -> dict[str, list[Triple]]:
    """Every quad that mentions a blank node, canonicalised (RDFC-1.0) over all graphs, by graph."""
    rows = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isBlank(?s) || isBlank(?o)) }")
    quads = [Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
    if not quads:
        return {}
    dataset = Dataset(quads)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    out: dict[str, list[Triple]] = {}
    for q in dataset:
        out.setdefault(q.graph_name.value, []).append(q.triple)
    return out


def _batches(iterable: Iterable, size: int = _BATCH) -> Iterator[list]:
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def graph_lines(store, graph: str, blank_quads: dict[str, list[Triple]]) -> Iterator[bytes]:
    """The graph's triples as canonical N-Triples lines (without newline), in store order."""
    has_blanks = graph in blank_quads

    def triples() -> Iterator[Triple]:
        for q in store.quads(graph):
            if has_blanks and (_is_blank(q.subject) or _is_blank(q.object)):
                continue  # replaced by its canonical form below
            yield q.triple
        yield from blank_quads.get(graph, ())

    for batch in _batches(triples()):
        yield from serialize(batch, format=RdfFormat.N_TRIPLES).splitlines()


def sorted_graph_lines(store, graph: str, blank_quads, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    sorter = ExternalSorter(chunk_bytes)
    sorter.add(graph_lines(store, graph, blank_quads))
    return sorter.sorted()


def sorted_union_lines(store, graphs: list[str], blank_quads, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    sorter = ExternalSorter(chunk_bytes)
    for g in graphs:
        sorter.add(graph_lines(store, g, blank_quads))
    return sorter.sorted(unique=True)


def select_graphs(store, graphs: Iterable[str] | None = None, *, base: str = DEFAULT_BASE,
                  exclude: Iterable[str] = ()) -> list[str]:
    """The graphs to dump, in IRI order: all named graphs, or `graphs` given as IRIs or graph keys."""
    present = store.named_graphs()
    excluded = set(exclude)
    if graphs is None:
        return [g for g in present if g not in excluded]
    out = []
    for g in graphs:
        iri = g if re.match(r"^[a-z][a-z0-9+.-]*:", g, re.I) else f"{base}graph/{g}"
        if iri not in present:
            raise ExportError(f"no named graph {g!r} in the store (`rightsgraph stats` lists them)")
        out.append(iri)
    return sorted(set(out))


# --- a readable stream over an iterator of lines, for pyoxigraph's streaming parser ---------------
class _LineStream(io.RawIOBase):
    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self._pending:
            chunk = []
            size = 0
            for line in self._lines:
                chunk.append(line)
                size += len(line) + 1
                if size >= 1 << 16:
                    break
            if not chunk:
                return 0
            self._pending = b"\n".join(chunk) + b"\n"
        n = min(len(b), len(self._pending))
        b[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


# --- JSON-LD ------------------------------------------------------------------------------------
_GEN_DELIMS = ("/", "#", ":", "?", "[", "]", "@")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def shipped_context() -> dict:
    """The shipped JSON-LD context document (`ontology/context.jsonld`)."""
    return json.loads((files("rightsgraph.ontology") / "context.jsonld").read_text(encoding="utf-8"))


def build_context(ontology_triples: Iterable[Triple] | None = None, base: str = DEFAULT_BASE) -> dict:
    """A context with a readable term for every ontology term and the usual vocabularies.

    Object properties coerce to `@id`; datatype properties with a typed range (not string) coerce
    to that datatype. `python -m rightsgraph.graph.export context > ontology/context.jsonld`
    regenerates the shipped file from the ontology.
    """
    from .namespaces import RG  # noqa: F401 - the ontology is the source of truth, RG mirrors it

    if ontology_triples is None:
        ontology_triples = _package_ontology()
    ns = ONTOLOGY_IRI + "#"
    owl = "http://www.w3.org/2002/07/owl#"
    kinds: dict[str, str] = {}
    ranges: dict[str, str] = {}
    for t in ontology_triples:
        s = t.subject.value if isinstance(t.subject, NamedNode) else None
        if not s or not s.startswith(ns):
            continue
        if t.predicate.value == _RDF_TYPE and t.object.value in (owl + "Class", owl + "ObjectProperty",
                                                                   owl + "DatatypeProperty"):
            kinds[s] = t.object.value[len(owl):]
        elif t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#range" and isinstance(t.object, NamedNode):
            ranges[s] = t.object.value
    ctx: dict[str, object] = {"@version": 1.1}
    ctx.update(_PREFIXES_FOR(base))
    ctx.update(_COMMON_TERMS)
    for iri in sorted(kinds):
        name = iri[len(ns):]
        if name in ctx:
            continue
        kind = kinds[iri]
        if kind == "ObjectProperty":
            ctx[name] = {"@id": f"rg:{name}", "@type": "@id"}
        elif kind == "DatatypeProperty" and ranges.get(iri, "").startswith("http://www.w3.org/2001/XMLSchema#") \
                and ranges[iri] != _XSD_STRING:
            ctx[name] = {"@id": f"rg:{name}", "@type": "xsd:" + ranges[iri].rsplit("#", 1)[1]}
        else:
            ctx[name] = f"rg:{name}"
    return {"@context": ctx}


def _PREFIXES_FOR(base: str) -> dict[str, str]:
    return {
        "rg": ONTOLOGY_IRI + "#",
        "rgid": f"{base}id/",
        "rggraph": f"{base}graph/",
        "rgvocab": VOCAB_BASE,
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dct": "http://purl.org/dc/terms/",
        "prov": "http://www.w3.org/ns/prov#",
        "org": "http://www.w3.org/ns/org#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "dcat": "http://www.w3.org/ns/dcat#",
        "void": "http://rdfs.org/ns/void#",
        "sh": "http://www.w3.org/ns/shacl#",
        "wd": "http://www.wikidata.org/entity/",
        "eucountry": "http://publications.europa.eu/resource/authority/country/",
        "unsdg": "http://metadata.un.org/sdg/",
    }


_COMMON_TERMS: dict[str, object] = {
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "seeAlso": {"@id": "rdfs:seeAlso", "@type": "@id"},
    "subClassOf": {"@id": "rdfs:subClassOf", "@type": "@id"},
    "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "definition": "skos:definition",
    "notation": "skos:notation",
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "narrower": {"@id": "skos:narrower", "@type": "@id"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "closeMatch": {"@id": "skos:closeMatch", "@type": "@id"},
    "identifier": "dct:identifier",
    "title": "dct:title",
    "description": "dct:description",
    "source": {"@id": "dct:source", "@type": "@id"},
    "created": {"@id": "dct:created", "@type": "xsd:date"},
    "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "isPartOf": {"@id": "dct:isPartOf", "@type": "@id"},
    "used": {"@id": "prov:used", "@type": "@id"},
    "generated": {"@id": "prov:generated", "@type": "@id"},
    "wasGeneratedBy": {"@id": "prov:wasGeneratedBy", "@type": "@id"},
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
    "wasAssociatedWith": {"@id": "prov:wasAssociatedWith", "@type": "@id"},
    "startedAtTime": {"@id": "prov:startedAtTime", "@type": "xsd:dateTime"},
    "endedAtTime": {"@id": "prov:endedAtTime", "@type": "xsd:dateTime"},
    "Activity": "prov:Activity",
    "Entity": "prov:Entity",
    "Concept": "skos:Concept",
    "ConceptScheme": "skos:ConceptScheme",
    "memberOf": {"@id": "org:memberOf", "@type": "@id"},
    "hasMember": {"@id": "org:hasMember", "@type": "@id"},
    "classification": {"@id": "org:classification", "@type": "@id"},
}


def _package_ontology() -> list[Triple]:
    onto = files("rightsgraph.ontology")
    out: list[Triple] = []
    for f in sorted((f for f in onto.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name):
        out += [q.triple for q in parse(f.read_bytes(), format=RdfFormat.TURTLE)]
    return out


def export_context(base: str = DEFAULT_BASE) -> dict:
    """The context a dump uses: the shipped one, plus a term for any ontology term it lacks."""
    shipped = shipped_context()["@context"]
    generated = build_context(base=base)["@context"]
    ctx = dict(shipped)
    ctx.update(_PREFIXES_FOR(base))  # data prefixes follow the --base the data was minted under
    for k, v in generated.items():
        ctx.setdefault(k, v)
    return {"@context": ctx}


class Compactor:
    """Turns RDF terms into compact JSON-LD under one context (terms, then prefixes, else full IRIs)."""

    def __init__(self, context: dict) -> None:
        ctx = context["@context"]
        self.prefixes: list[tuple[str, str]] = []
        self.terms: dict[str, tuple[str, str | None]] = {}  # full IRI -> (term, coercion)
        expanded: dict[str, str] = {}
        for k, v in ctx.items():
            if k.startswith("@"):
                continue
            if isinstance(v, str) and ":" not in k and v.endswith(_GEN_DELIMS) and "://" in v:
                self.prefixes.append((k, v))
        self.prefixes.sort(key=lambda kv: (-len(kv[1]), kv[0]))
        for k, v in ctx.items():
            if k.startswith("@") or ":" in k:
                continue
            iri = v if isinstance(v, str) else v.get("@id")
            coercion = None if isinstance(v, str) else v.get("@type")
            if not iri or (isinstance(v, str) and "://" in v and v.endswith(_GEN_DELIMS)):
                continue
            full = self._expand(iri, ctx)
            coercion = self._expand(coercion, ctx) if coercion and not coercion.startswith("@") else coercion
            expanded[k] = full
            if full not in self.terms or k < self.terms[full][0]:
                self.terms[full] = (k, coercion)
        self._term_names = set(ctx)

    @staticmethod
    def _expand(value: str, ctx: dict) -> str:
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//") and isinstance(ctx.get(prefix), str):
            return ctx[prefix] + suffix
        return value

    def iri(self, iri: str, *, vocab: bool = False) -> str:
        if vocab and iri in self.terms and self.terms[iri][1] is None:
            return self.terms[iri][0]
        for name, ns in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                suffix = iri[len(ns):]
                candidate = f"{name}:{suffix}"
                if not suffix.startswith("//") and candidate not in self._term_names:
                    return candidate
        return iri

    def node_ref(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, BlankNode) else self.iri(term.value)

    def key(self, predicate: str) -> tuple[str, str | None]:
        if predicate in self.terms:
            return self.terms[predicate]
        return self.iri(predicate, vocab=False), None

    def value(self, term, coercion: str | None):
        if isinstance(term, (NamedNode, BlankNode)):
            ref = self.node_ref(term)
            return ref if coercion == "@id" else {"@id": ref}
        if isinstance(term, Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            dt = term.datatype.value
            if coercion == dt or (coercion is None and dt == _XSD_STRING):
                return term.value
            if dt == _XSD_STRING:  # a value object without @type is a plain string (coercion does not apply)
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.iri(dt, vocab=True)}
        raise ExportError(f"cannot write {term} in JSON-LD (RDF-star triple terms are not supported)")


def _jsonld_nodes(quads: Iterator[Quad], comp: Compactor) -> Iterator[tuple[str, dict]]:
    """(graph IRI, node object) per subject, from quads sorted by graph then subject."""
    node: dict | None = None
    current = None
    for q in quads:
        key = (q.graph_name.value if isinstance(q.graph_name, NamedNode) else "", q.subject)
        if key != current:
            if node is not None:
                yield current[0], node
            current = key
            node = {"@id": comp.node_ref(q.subject)}
        if q.predicate.value == _RDF_TYPE and isinstance(q.object, (NamedNode, BlankNode)):
            ref = comp.iri(q.object.value, vocab=True) if isinstance(q.object, NamedNode) else comp.node_ref(q.object)
            node.setdefault("@type", []).append(ref)
            continue
        k, coercion = comp.key(q.predicate.value)
        node.setdefault(k, []).append(comp.value(q.object, coercion))
    if node is not None:
        yield current[0], node


def _compact_node(node: dict) -> dict:
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "@type" else v) for k, v in node.items()}


def write_jsonld(quads: Iterator[Quad], out: BinaryIO, context: dict) -> None:
    """Stream quads (sorted by graph, then subject) as one JSON-LD document with named graphs."""
    comp = Compactor(context)
    out.write(b'{\n  "@context": ')
    out.write(json.dumps(context["@context"], ensure_ascii=False, indent=2).replace("\n", "\n  ").encode())
    out.write(b',\n  "@graph": [')
    graph = None
    first_graph = True
    first_node = True
    for g, node in _jsonld_nodes(quads, comp):
        if g != graph:
            if graph is not None:
                out.write(b"\n    ]}")
            out.write(b"" if first_graph else b",")
            first_graph = False
            out.write(b'\n    {"@id": ' + json.dumps(comp.iri(g)).encode() + b', "@graph": [')
            graph = g
            first_node = True
        out.write(b"" if first_node else b",")
        first_node = False
        out.write(b"\n      " + json.dumps(_compact_node(node), ensure_ascii=False, sort_keys=False).encode())
    if graph is not None:
        out.write(b"\n    ]}")
    out.write(b"\n  ]\n}\n")


# --- writing ------------------------------------------------------------------------------------
class _Counting(io.RawIOBase):
    """Counts and hashes the bytes written through it (the file's size and sha256 for DCAT)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes = 0
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.raw.write(b)
        self.bytes += len(b)
        self.sha.update(b)
        return len(b)


def _prefixes(base: str) -> dict[str, str]:
    return _PREFIXES_FOR(base)


def write_dump(store, out: BinaryIO, fmt: str | DumpFormat, *, graphs: list[str] | None = None,
               base: str = DEFAULT_BASE, chunk_bytes: int = CHUNK_BYTES, exclude: Iterable[str] = (),
               blank_quads: dict[str, list[Triple]] | None = None) -> int:
    """Write the dump to the binary stream `out`; returns the number of lines/triples written."""
    f = fmt if isinstance(fmt, DumpFormat) else dump_format(fmt)
    selected = select_graphs(store, graphs, base=base, exclude=exclude)
    blanks = canonical_blank_quads(store) if blank_quads is None else blank_quads
    counter = [0]

    def count(lines: Iterator[bytes]) -> Iterator[bytes]:
        for line in lines:
            counter[0] += 1
            yield line

    def quad_lines() -> Iterator[bytes]:
        for g in selected:
            tail = b" <" + g.encode("utf-8") + b"> ."
            for line in count(sorted_graph_lines(store, g, blanks, chunk_bytes)):
                yield line[:-2] + tail

    if f.key == "nt":
        for line in count(sorted_union_lines(store, selected, blanks, chunk_bytes)):
            out.write(line + b"\n")
    elif f.key == "nq":
        for line in quad_lines():
            out.write(line + b"\n")
    elif f.key in ("ttl", "rdfxml"):
        lines = count(sorted_union_lines(store, selected, blanks, chunk_bytes))
        if f.key == "rdfxml":
            lines = _xml_safe(lines)
        triples = (q.triple for q in parse(_LineStream(lines), format=RdfFormat.N_TRIPLES))
        serialize(triples, out, f.rdf, prefixes=_prefixes(base) if f.key == "ttl" else _xml_prefixes(base))
    elif f.key == "trig":
        quads = parse(_LineStream(quad_lines()), format=RdfFormat.N_QUADS)
        serialize(quads, out, RdfFormat.TRIG, prefixes=_prefixes(base))
    elif f.key == "jsonld":
        write_jsonld(parse(_LineStream(quad_lines()), format=RdfFormat.N_QUADS), out, export_context(base))
    return counter[0]


# A control character XML 1.0 cannot hold, as canonical N-Triples writes it (\b, \f, \u0000-\u001F other
# than tab, newline and carriage return), preceded by an even number of backslashes.
_XML_FORBIDDEN = re.compile(rb'(?:^|[^\\])(?:\\\\)*\\(?:[bf]|u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]))')


def _xml_safe(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines, or an ExportError at the first literal RDF/XML cannot represent."""
    for line in lines:
        if b"\\" in line and _XML_FORBIDDEN.search(line):
            subject = line.split(b" ", 1)[0].decode("utf-8", "replace")
            raise ExportError(f"RDF/XML (XML 1.0) cannot hold the control character in a literal of {subject}; "
                              "dump this graph as N-Triples, Turtle or N-Quads instead")
        yield line


def _xml_prefixes(base: str) -> dict[str, str]:
    # RDF/XML needs prefixes only for predicates and types; data prefixes would be unused.
    return {k: v for k, v in _PREFIXES_FOR(base).items() if not k.startswith("rg") or k == "rg"}


def _open_out(path: Path | None, use_gzip: bool) -> tuple[BinaryIO, _Counting, BinaryIO | None]:
    import sys

    raw = open(path, "wb") if path is not None else sys.stdout.buffer
    counting = _Counting(raw)
    buffered = io.BufferedWriter(counting, buffer_size=1 << 20)
    if use_gzip:
        gz = gzip.GzipFile(filename="", mode="wb", fileobj=buffered, mtime=0)
        return gz, counting, buffered
    return buffered, counting, None


def export(store, path: str | Path | None, fmt: str, *, graphs: list[str] | None = None, gzip: bool = False,
           base: str = DEFAULT_BASE, chunk_bytes: int = CHUNK_BYTES, exclude: Iterable[str] = (),
           blank_quads: dict[str, list[Triple]] | None = None) -> DumpFile:
    """Write one dump to `path` (None or "-" for stdout) and describe it."""
    f = dump_format(fmt)
    target = None if path in (None, "-") else Path(path)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    selected = select_graphs(store, graphs, base=base, exclude=exclude)
    stream, counting, inner = _open_out(target, gzip)
    try:
        n = write_dump(store, stream, f, graphs=selected, base=base, chunk_bytes=chunk_bytes,
                       blank_quads=blank_quads)
        stream.flush()
        if inner is not None:
            stream.close()  # writes the gzip trailer into `inner`
            inner.flush()
    finally:
        if target is not None:
            counting.raw.close()
    return DumpFile(target, f, selected, gzip, n, counting.bytes, counting.sha.hexdigest())


def dump_name(fmt: DumpFormat, graph: str | None = None, *, base: str = DEFAULT_BASE, gz: bool = False,
              stem: str = "rightsgraph") -> str:
    """The file name of a dump: `rightsgraph.nq`, or one per graph (`upr-info--14-17.csv.nq`)."""
    if graph is None:
        name = stem
    else:
        prefix = f"{base}graph/"
        if graph.startswith(prefix):
            key = unquote(graph[len(prefix):])
        else:
            key = hashlib.sha256(graph.encode()).hexdigest()[:16]
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", key.replace("/", "--")).strip("-") or "graph"
    return name + fmt.extension + (".gz" if gz else "")


def export_all(store, directory: str | Path, formats: Iterable[str] = tuple(FORMATS), *,
               graphs: list[str] | None = None, per_graph: bool = False, gzip: bool = False,
               base: str = DEFAULT_BASE, chunk_bytes: int = CHUNK_BYTES, exclude: Iterable[str] = (),
               progress=None) -> list[DumpFile]:
    """Write every format (all graphs in one file each, or one file per graph) and a manifest."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    selected = select_graphs(store, graphs, base=base, exclude=exclude)
    blanks = canonical_blank_quads(store)
    done: list[DumpFile] = []
    for key in formats:
        f = dump_format(key)
        targets = [(g, [g]) for g in selected] if per_graph else [(None, selected)]
        for g, gs in targets:
            path = directory / dump_name(f, g, base=base, gz=gzip)
            if progress:
                progress(path)
            dump = export(store, path, f.key, graphs=gs, gzip=gzip, base=base, chunk_bytes=chunk_bytes,
                          blank_quads=blanks)
            dump.per_graph = g is not None
            done.append(dump)
    write_manifest(directory, done)
    return done


MANIFEST = "dumps.json"


def write_manifest(directory: Path, dumps: list[DumpFile]) -> Path:
    path = directory / MANIFEST
    path.write_text(json.dumps([d.to_json() for d in dumps], indent=2) + "\n", encoding="utf-8")
    return path


def read_manifest(directory: str | Path) -> list[DumpFile]:
    directory = Path(directory)
    try:
        items = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{directory / MANIFEST}: cannot read the dump manifest ({exc})") from None
    return [DumpFile(directory / i["file"], dump_format(i["format"]), i["graphs"], i["gzip"], i["triples"],
                     i["bytes"], i["sha256"], i.get("per_graph", False)) for i in items]


# --- reading dumps back ---------------------------------------------------------------------------
def format_of(path: str | Path) -> tuple[DumpFormat, bool]:
    name = Path(path).name
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for f in FORMATS.values():
        if name.endswith(f.extension):
            return f, gz
    raise ExportError(f"{path}: cannot tell the RDF format from the file name (use one of "
                      f"{', '.join(f.extension for f in FORMATS.values())}, optionally .gz)")


def read_dump(path: str | Path, *, graph: str | None = None) -> Iterator[Quad]:
    """Quads of a dump file (gzip or not); triples of a graph format go to `graph` (default graph if None)."""
    f, gz = format_of(path)
    fh: BinaryIO = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 - closed below
    try:
        for q in parse(fh, format=f.rdf):
            if graph is not None and not f.datasets:
                yield Quad(q.subject, q.predicate, q.object, NamedNode(graph))
            else:
                yield q
    finally:
        fh.close()


def load_dump(store, path: str | Path, *, graph: str | None = None) -> int:
    """Load a dump into an EmbeddedStore (bulk, streamed); returns the quads read."""
    n = 0

    def counted():
        nonlocal n
        for q in read_dump(path, graph=graph):
            n += 1
            yield q

    store.raw.extend(counted())
    store.flush()
    return n


@dataclass
class Comparison:
    """Per named graph: equal (isomorphic) or not, with sizes, for a round-trip report."""

    equal: dict[str, bool] = field(default_factory=dict)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def isomorphic(self) -> bool:
        return bool(self.equal) and all(self.equal.values())


def compare_stores(a, b, graphs: list[str] | None = None) -> Comparison:
    """Compare two stores graph by graph: canonical sorted N-Triples, blank nodes canonicalised."""
    result = Comparison()
    ga = select_graphs(a, graphs)
    gb = set(b.named_graphs())
    ba, bb = canonical_blank_quads(a), canonical_blank_quads(b)
    for g in ga:
        if g not in gb:
            result.equal[g] = False
            result.sizes[g] = (sum(1 for _ in a.quads(g)), 0)
            continue
        la = list(sorted_graph_lines(a, g, ba))
        lb = list(sorted_graph_lines(b, g, bb))
        result.equal[g] = la == lb
        result.sizes[g] = (len(la), len(lb))
    for g in sorted(gb - set(ga)) if graphs is None else ():
        result.equal[g] = False
        result.sizes[g] = (0, sum(1 for _ in b.quads(g)))
    return result


if __name__ == "__main__":  # regenerate the shipped context: python -m rightsgraph.graph.export context
    import sys

    if sys.argv[1:] == ["context"]:
        sys.stdout.write(json.dumps(build_context(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stderr.write("usage: python -m rightsgraph.graph.export context > ontology/context.jsonld\n")
        sys.exit(os.EX_USAGE)
