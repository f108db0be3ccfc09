"""The dataset description: VoID statistics and linksets, and a DCAT-AP 3.0 catalogue.

Everything is computed from the store (embedded or remote) with SPARQL, so the counts are the store's:

* `<{base}dataset>` is the whole graph (void:Dataset and dcat:Dataset). void:triples is the number
  of quads over all named graphs (what `rightsgraph stats` shows as "all"; a triple held by two graphs
  counts twice), void:entities the distinct IRI subjects in the URI space (`{base}`), class and property
  partitions count distinct instances per class and quads per property.
* Each named graph is a dataset of its own (its IRI is the graph name): a void:subset of the whole, and a
  dcat:Dataset with its source's title, publisher, provenance (from the load metadata: file, sha256,
  loader, rows read/loaded/rejected) and licence statement, read from `ontology/dcat-ap/sources.yaml`.
  Sources that state no licence get a dct:rights statement saying exactly that, never a dct:license.
* Linksets to Wikidata, the EU country table and the UN SDG vocabulary count the triples whose object is
  in that namespace, per predicate (at least owl:sameAs / skos:exactMatch, possibly 0).
* Dumps (from `export_all`) become dcat:Distributions with media type, EU file type, size and sha256,
  and void:dataDump links; a SPARQL endpoint, when given, a void:sparqlEndpoint and a dcat:DataService.

No blank nodes: every node has an IRI under `{base}dataset/`, so the description is deterministic and
round-trips. The description never counts its own graph (`{base}graph/description`).
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from urllib.parse import quote, unquote

import yaml
from pyoxigraph import Literal, RdfFormat, Triple, serialize

from .. import __version__
from .export import FORMATS, DumpFile
from .namespaces import DEFAULT_BASE, ONTOLOGY_IRI, VOCAB_BASE
from .rdf import lit, triple
from .remote import STAGING_PREFIX

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
SPDX = "http://spdx.org/rdf/terms#"
RG = ONTOLOGY_IRI + "#"
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
DCAT_AP = "http://data.europa.eu/r5r/"

DESCRIPTION_KEY = "description"

# (key, title, namespace of the objects, predicates that always get a linkset, homepage)
LINK_TARGETS = (
    ("wikidata", "Wikidata", "http://www.wikidata.org/entity/", (OWL + "sameAs",), "https://www.wikidata.org/"),
    ("eu-country", "EU Publications Office country authority table",
     "http://publications.europa.eu/resource/authority/country/", (OWL + "sameAs",),
     "http://publications.europa.eu/resource/authority/country"),
    ("un-sdg", "UN Sustainable Development Goals (UN Library SDG vocabulary)", "http://metadata.un.org/sdg/",
     (SKOS + "exactMatch",), "http://metadata.un.org/sdg/"),
)


class DescribeError(Exception):
    """The description cannot be made as asked; the message says why."""


@dataclass
class Source:
    graph: str
    title: str
    description: str
    publisher: str
    origin: str
    rights: str
    licence: str | None


@dataclass
class Load:
    graph: str
    load: str
    loader: str
    version: str
    file: str | None = None
    sha256: str | None = None
    ended: Literal | None = None
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_rejected: int | None = None


@dataclass
class Options:
    """What the description says beyond the store's content."""

    base: str = DEFAULT_BASE
    dumps: list[DumpFile] = field(default_factory=list)
    dump_url_base: str | None = None  # where the dump files are published (default {base}dumps/)
    sparql_endpoint: str | None = None
    publisher: str = "rightsgraph contributors"
    title: str = "rightsgraph: follow-up to UN human-rights mechanisms"


def sources() -> list[Source]:
    text = (files("rightsgraph.ontology") / "dcat-ap" / "sources.yaml").read_text(encoding="utf-8")
    return [Source(**{k: v for k, v in item.items()}) for item in yaml.safe_load(text)]


def source_for(key: str, table: list[Source] | None = None) -> Source:
    for s in table or sources():
        if fnmatch.fnmatchcase(key, s.graph):
            return s
    raise DescribeError(f"no source entry matches graph {key!r} (ontology/dcat-ap/sources.yaml needs a '*' entry)")


# --- reading the store -----------------------------------------------------------------------------
def _filter(base: str) -> str:
    desc = f"<{base}graph/{DESCRIPTION_KEY}>"
    return f'FILTER(?g != {desc} && !STRSTARTS(STR(?g), "{STAGING_PREFIX}"))'


def _rows(store, sparql: str) -> list:
    return list(store.query(sparql))


def _int(term) -> int:
    return int(term.value) if term is not None else 0


def counts(store, base: str = DEFAULT_BASE) -> dict:
    """The VoID numbers for the whole store, each from one SPARQL query."""
    f = _filter(base)
    out: dict = {}
    r = _rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f} }}")[0]
    out["triples"] = _int(r["n"])
    r = _rows(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f}
                         FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}")) }}""")[0]
    out["entities"] = _int(r["n"])
    r = _rows(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f} }}")[0]
    out["distinct_subjects"] = _int(r["n"])
    r = _rows(store, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f} }}")[0]
    out["distinct_objects"] = _int(r["n"])
    out["graphs"] = {row["g"].value: _int(row["n"]) for row in _rows(
        store, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f} }} GROUP BY ?g")}
    out["graph_entities"] = {row["g"].value: _int(row["n"]) for row in _rows(
        store, f"""SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f}
                   FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}")) }} GROUP BY ?g""")}
    out["classes"] = {row["c"].value: _int(row["n"]) for row in _rows(
        store, f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }} {f} FILTER(isIRI(?c)) }}
                   GROUP BY ?c""")}
    out["properties"] = {row["p"].value: _int(row["n"]) for row in _rows(
        store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f} }} GROUP BY ?p")}
    links: dict[tuple[str, str], int] = {}
    for key, _title, ns, always, _home in LINK_TARGETS:
        for p in always:
            links[(key, p)] = 0
        for row in _rows(store, f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {f}
                                    FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{ns}")) }} GROUP BY ?p"""):
            links[(key, row["p"].value)] = _int(row["n"])
    out["links"] = links
    return out


def loads(store, base: str = DEFAULT_BASE) -> dict[str, Load]:
    """The latest load of each graph, from the metadata graph."""
    meta = f"<{base}graph/meta>"
    rows = _rows(store, f"""
        PREFIX prov: <{PROV}> PREFIX rg: <{RG}>
        SELECT ?graph ?load ?loader ?version ?file ?sha ?ended ?read ?loaded ?rejected WHERE {{
          GRAPH {meta} {{
            ?load a rg:Load ; prov:generated ?graph ; rg:loader ?loader ; rg:loaderVersion ?version .
            OPTIONAL {{ ?load prov:endedAtTime ?ended }}
            OPTIONAL {{ ?load prov:used ?f . OPTIONAL {{ ?f rg:fileName ?file }} OPTIONAL {{ ?f rg:sha256 ?sha }} }}
            OPTIONAL {{ ?load rg:rowsRead ?read }} OPTIONAL {{ ?load rg:rowsLoaded ?loaded }}
            OPTIONAL {{ ?load rg:rowsRejected ?rejected }}
          }}
        }} ORDER BY ?graph ?ended""")
    out: dict[str, Load] = {}
    for r in rows:
        def v(name, r=r):
            return r[name].value if r[name] is not None else None
        out[r["graph"].value] = Load(
            v("graph"), v("load"), v("loader"), v("version"), v("file"), v("sha"), r["ended"],
            int(v("read")) if v("read") else None, int(v("loaded")) if v("loaded") else None,
            int(v("rejected")) if v("rejected") else None)
    return out


# --- building the description --------------------------------------------------------------------
def graph_key(graph: str, base: str) -> str:
    prefix = f"{base}graph/"
    return unquote(graph[len(prefix):]) if graph.startswith(prefix) else graph


def _h(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Out:
    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self._seen: set[Triple] = set()

    def add(self, s: str, p: str, o) -> None:
        t = triple(s, p, o)
        if t not in self._seen:
            self._seen.add(t)
            self.triples.append(t)

    def text(self, s: str, p: str, value: str) -> None:
        self.add(s, p, lit(value, lang="en"))


def describe(store, options: Options | None = None) -> list[Triple]:
    """VoID + DCAT-AP triples describing the store's content (and its dumps, if given)."""
    o = options or Options()
    base = o.base
    c = counts(store, base)
    load_info = loads(store, base)
    table = sources()
    out = _Out()
    dataset = f"{base}dataset"
    catalog = f"{base}catalog"
    publisher = f"{base}agent/{_slug(o.publisher)}"
    dump_base = o.dump_url_base or f"{base}dumps/"
    if not dump_base.endswith("/"):
        dump_base += "/"

    def agent(name: str) -> str:
        node = f"{base}agent/{_slug(name)}"
        out.add(node, RDF_TYPE, FOAF + "Agent")
        out.add(node, FOAF + "name", lit(name))
        return node

    agent(o.publisher)
    # --- catalogue
    out.add(catalog, RDF_TYPE, DCAT + "Catalog")
    out.text(catalog, DCT + "title", f"{o.title}: catalogue")
    out.text(catalog, DCT + "description",
             "The datasets of one rightsgraph knowledge graph: the whole graph, and one dataset per named "
             "graph (each loaded source file, the reference data, the vocabularies, the ontology and the load "
             "provenance), with their dumps.")
    out.add(catalog, DCT + "publisher", publisher)
    out.add(catalog, DCT + "language", EU_LANGUAGE + "ENG")
    out.add(EU_LANGUAGE + "ENG", RDF_TYPE, DCT + "LinguisticSystem")
    out.add(catalog, DCT + "conformsTo", DCAT_AP)
    out.add(DCAT_AP, RDF_TYPE, DCT + "Standard")
    out.add(catalog, DCAT + "dataset", dataset)
    ended = [ld.ended for ld in load_info.values() if ld.ended is not None]
    latest = max(ended, key=lambda t: t.value) if ended else None
    if latest is not None:
        out.add(catalog, DCT + "modified", latest)
    # --- the whole graph
    out.add(dataset, RDF_TYPE, VOID + "Dataset")
    out.add(dataset, RDF_TYPE, DCAT + "Dataset")
    out.text(dataset, DCT + "title", o.title)
    out.text(dataset, DCT + "description",
             "UN human-rights mechanisms' follow-up items (UPR recommendations and pledges, treaty-body "
             "obligations and follow-up, OHCHR, CERD and special-procedure calls), the responses and the "
             "evidence of action, with the States, vocabularies and load provenance, as one RDF graph with a "
             "named graph per source.")
    out.add(dataset, DCT + "publisher", publisher)
    rights_all = f"{base}dataset/rights"
    out.add(rights_all, RDF_TYPE, DCT + "RightsStatement")
    out.text(rights_all, RDFS + "label",
             "No single licence: the graph combines sources with different terms, most of which state no "
             "licence. Each part (one dataset per named graph) carries its source's licence statement.")
    out.add(dataset, DCT + "rights", rights_all)
    if latest is not None:
        out.add(dataset, DCT + "modified", latest)
    out.add(dataset, VOID + "uriSpace", lit(base))
    out.add(dataset, VOID + "triples", lit(c["triples"]))
    out.add(dataset, VOID + "entities", lit(c["entities"]))
    out.add(dataset, VOID + "distinctSubjects", lit(c["distinct_subjects"]))
    out.add(dataset, VOID + "distinctObjects", lit(c["distinct_objects"]))
    out.add(dataset, VOID + "classes", lit(len(c["classes"])))
    out.add(dataset, VOID + "properties", lit(len(c["properties"])))
    for ns in sorted(_vocabularies(list(c["properties"]) + list(c["classes"]))):
        out.add(dataset, VOID + "vocabulary", ns)
    for cls, n in sorted(c["classes"].items()):
        part = f"{dataset}/class/{_h(cls)}"
        out.add(dataset, VOID + "classPartition", part)
        out.add(part, RDF_TYPE, VOID + "Dataset")
        out.add(part, VOID + "class", cls)
        out.add(part, VOID + "entities", lit(n))
    for prop, n in sorted(c["properties"].items()):
        part = f"{dataset}/property/{_h(prop)}"
        out.add(dataset, VOID + "propertyPartition", part)
        out.add(part, RDF_TYPE, VOID + "Dataset")
        out.add(part, VOID + "property", prop)
        out.add(part, VOID + "triples", lit(n))
    # --- linksets
    for key, title, ns, _always, home in LINK_TARGETS:
        target = f"{dataset}/target/{key}"
        out.add(target, RDF_TYPE, VOID + "Dataset")
        out.text(target, DCT + "title", title)
        out.add(target, VOID + "uriSpace", lit(ns))
        out.add(target, FOAF + "homepage", home)
        for (k, pred), n in sorted(c["links"].items()):
            if k != key:
                continue
            ls = f"{dataset}/linkset/{key}/{_h(pred)}"
            out.add(dataset, VOID + "subset", ls)
            out.add(ls, RDF_TYPE, VOID + "Linkset")
            out.add(ls, VOID + "subjectsTarget", dataset)
            out.add(ls, VOID + "objectsTarget", target)
            out.add(ls, VOID + "linkPredicate", pred)
            out.add(ls, VOID + "triples", lit(n))
    # --- SPARQL endpoint
    if o.sparql_endpoint:
        out.add(dataset, VOID + "sparqlEndpoint", o.sparql_endpoint)
        service = f"{base}dataset/sparql-service"
        out.add(service, RDF_TYPE, DCAT + "DataService")
        out.text(service, DCT + "title", "SPARQL endpoint")
        out.add(service, DCAT + "endpointURL", o.sparql_endpoint)
        out.add(o.sparql_endpoint, RDF_TYPE, RDFS + "Resource")  # DCAT-AP checks sh:class rdfs:Resource
        out.add(service, DCAT + "servesDataset", dataset)
        sparql_std = "https://www.w3.org/TR/sparql11-protocol/"
        out.add(service, DCT + "conformsTo", sparql_std)
        out.add(sparql_std, RDF_TYPE, DCT + "Standard")
        out.add(catalog, DCAT + "service", service)
    # --- one dataset per named graph
    for g, n in sorted(c["graphs"].items()):
        key = graph_key(g, base)
        src = source_for(key, table)
        out.add(catalog, DCAT + "dataset", g)
        out.add(dataset, VOID + "subset", g)
        out.add(dataset, DCT + "hasPart", g)
        out.add(g, DCT + "isPartOf", dataset)
        out.add(g, RDF_TYPE, VOID + "Dataset")
        out.add(g, RDF_TYPE, DCAT + "Dataset")
        ld = load_info.get(g)
        fname = ld.file if ld and ld.file and ld.loader != "rightsgraph" else None
        out.text(g, DCT + "title", f"{src.title}: {fname}" if fname else src.title)
        out.text(g, DCT + "description", src.description)
        out.add(g, DCT + "identifier", lit(g))
        out.add(g, DCT + "publisher", agent(src.publisher))
        out.add(g, VOID + "triples", lit(n))
        out.add(g, VOID + "entities", lit(c["graph_entities"].get(g, 0)))
        rights = f"{base}dataset/rights/{_slug(src.graph) or 'default'}"
        out.add(rights, RDF_TYPE, DCT + "RightsStatement")
        out.text(rights, RDFS + "label", src.rights)
        out.add(g, DCT + "rights", rights)
        if src.licence:
            out.add(g, DCT + "license", src.licence)
            out.add(src.licence, RDF_TYPE, DCT + "LicenseDocument")
        prov = f"{base}dataset/provenance/{quote(key, safe='/-._~')}"
        out.add(prov, RDF_TYPE, DCT + "ProvenanceStatement")
        out.text(prov, RDFS + "label", _provenance_text(src, ld))
        out.add(g, DCT + "provenance", prov)
        if ld is not None:
            out.add(g, PROV + "wasGeneratedBy", ld.load)
            out.add(ld.load, RDF_TYPE, PROV + "Activity")
            if ld.ended is not None:
                out.add(g, DCT + "modified", ld.ended)
    # --- dumps
    for d in o.dumps:
        _distribution(out, d, dataset, dump_base, base, rights_all)
    return out.triples


def _vocabularies(iris: Iterable[str]) -> set[str]:
    known = (RG, VOCAB_BASE, RDFS, OWL, SKOS, DCT, DCAT, VOID, FOAF, PROV, "http://www.w3.org/ns/org#",
             "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/ns/shacl#")
    out = set()
    for i in iris:
        for ns in known:
            if i.startswith(ns):
                out.add(ONTOLOGY_IRI if ns == RG else ns)
                break
    return out


def _provenance_text(src: Source, ld: Load | None) -> str:
    parts = [f"Source: {src.origin}"]
    if ld is not None and ld.loader == "rightsgraph":  # a graph rightsgraph builds from its own package files
        parts.append(f"Built by rightsgraph {ld.version} from its package files"
                     + (f" (content digest sha256 {ld.sha256})" if ld.sha256 else "")
                     + (f", at {ld.ended.value}" if ld.ended is not None else "") + ".")
    elif ld is not None:
        what = f"file {ld.file}" if ld.file else "its source"
        parts.append(f"Loaded by rightsgraph (loader {ld.loader}, version {ld.version}) from {what}"
                     + (f", sha256 {ld.sha256}" if ld.sha256 else "")
                     + (f", at {ld.ended.value}" if ld.ended is not None else "") + ".")
        if ld.rows_read is not None:
            parts.append(f"Rows read {ld.rows_read}, loaded {ld.rows_loaded}, rejected {ld.rows_rejected}; "
                         "every rejected row is recorded with its reason in the load provenance graph.")
    else:
        parts.append("Derived by rightsgraph from the other graphs; no load record of its own.")
    return " ".join(parts)


def _distribution(out: _Out, d: DumpFile, dataset: str, dump_base: str, base: str, rights: str) -> None:
    url = dump_base + quote(d.name)
    dist = f"{base}dataset/distribution/{quote(d.name)}"
    owner = d.graphs[0] if d.per_graph else dataset
    out.add(owner, DCAT + "distribution", dist)
    out.add(owner, VOID + "dataDump", url)
    out.add(owner, VOID + "feature", W3C_FORMATS + d.format.w3c_format)
    out.add(dist, RDF_TYPE, DCAT + "Distribution")
    scope = "one named graph" if d.per_graph else f"{len(d.graphs)} named graphs"
    kept = "named graphs kept" if d.format.datasets else "union of the graphs"
    out.text(dist, DCT + "title", f"{d.format.name} dump{' (gzip)' if d.gzip else ''}: {d.name}")
    out.text(dist, DCT + "description", f"{d.format.name} dump of {scope} ({kept}), {d.triples} "
             f"{'quads' if d.format.datasets else 'triples'}, lines sorted, blank nodes canonicalised (RDFC-1.0); "
             f"written by rightsgraph {__version__}.")
    out.add(dist, DCAT + "accessURL", url)
    out.add(dist, DCAT + "downloadURL", url)
    out.add(url, RDF_TYPE, RDFS + "Resource")  # DCAT-AP checks sh:class rdfs:Resource (no inference)
    media = IANA + d.format.media_type
    out.add(dist, DCAT + "mediaType", media)
    out.add(media, RDF_TYPE, DCT + "MediaType")
    ftype = EU_FILE_TYPE + d.format.eu_file_type
    out.add(dist, DCT + "format", ftype)
    out.add(ftype, RDF_TYPE, DCT + "MediaTypeOrExtent")
    if d.gzip:
        gz = IANA + "application/gzip"
        out.add(dist, DCAT + "compressFormat", gz)
        out.add(gz, RDF_TYPE, DCT + "MediaType")
    out.add(dist, DCAT + "byteSize", lit(str(d.bytes), datatype=XSD + "nonNegativeInteger"))
    if d.sha256:
        cs = f"{dist}/checksum"
        out.add(dist, SPDX + "checksum", cs)
        out.add(cs, RDF_TYPE, SPDX + "Checksum")
        out.add(cs, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        out.add(SPDX + "checksumAlgorithm_sha256", RDF_TYPE, SPDX + "ChecksumAlgorithm")
        out.add(cs, SPDX + "checksumValue", lit(d.sha256, datatype=XSD + "hexBinary"))
    out.add(dist, DCT + "rights", rights)


PREFIXES = {
    "dcat": DCAT, "dct": DCT, "void": VOID, "foaf": FOAF, "prov": PROV, "spdx": SPDX, "rdfs": RDFS,
    "xsd": XSD, "owl": OWL, "skos": SKOS, "rg": RG,
}


def to_turtle(triples: list[Triple], base: str = DEFAULT_BASE) -> bytes:
    ordered = sorted(triples, key=str)  # deterministic output
    return serialize(ordered, format=RdfFormat.TURTLE, prefixes={**PREFIXES, "rgd": f"{base}dataset/"})


def description_graph(base: str = DEFAULT_BASE) -> str:
    """The named graph the description is published in."""
    return f"{base}graph/{DESCRIPTION_KEY}"


# --- DCAT-AP validation -------------------------------------------------------------------------------
# A defect of the published DCAT-AP 3.0.0 file: "Dataset member of a Dataset Series" targets every
# dcat:Dataset (sh:targetClass dcat:Dataset) with dcat:inSeries minCount 1, so any dataset that is not in
# a series fails. The specification makes it a special case of Dataset, and DCAT-AP 3.0.1 dropped the
# shape. It is deactivated when validating (the shipped file is left as published).
DEACTIVATED_SHAPES = ("https://semiceu.github.io//DCAT-AP/releases/3.0.0#DatasetInSeriesShape",)


def dcat_ap_shapes():
    """The shipped DCAT-AP 3.0.0 SHACL shapes (ontology/dcat-ap/*.ttl) as one rdflib graph."""
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    folder = files("rightsgraph.ontology") / "dcat-ap"
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".ttl"):
            g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    for shape in DEACTIVATED_SHAPES:
        g.add((URIRef(shape), URIRef("http://www.w3.org/ns/shacl#deactivated"), Literal(True)))
    return g


@dataclass
class ShapeCheck:
    conforms: bool
    violations: list[str]
    warnings: list[str]
    shapes: int
    deactivated: tuple[str, ...] = DEACTIVATED_SHAPES


def validate_dcat_ap(triples: list[Triple]) -> ShapeCheck:
    """Validate the description against the DCAT-AP 3.0.0 shapes (pyshacl, no inference)."""
    import pyshacl
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    sh = Namespace("http://www.w3.org/ns/shacl#")
    data = Graph()
    data.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    shapes = dcat_ap_shapes()
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    violations, warnings = [], []
    for res in report.subjects(RDF.type, sh.ValidationResult):
        sev = str(report.value(res, sh.resultSeverity)).rsplit("#", 1)[-1]
        msg = (f"{report.value(res, sh.focusNode)} {report.value(res, sh.resultPath)}: "
               f"{report.value(res, sh.resultMessage)}")
        (violations if sev == "Violation" else warnings).append(msg)
    n_shapes = len(set(shapes.subjects(RDF.type, sh.NodeShape)))
    return ShapeCheck(not violations, sorted(violations), sorted(warnings), n_shapes)


__all__ = ["FORMATS", "DescribeError", "Options", "counts", "describe", "description_graph", "loads", "sources",
           "to_turtle", "validate_dcat_ap"]
