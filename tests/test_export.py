"""Dumps, round trips, the VoID/DCAT-AP description and the export CLI, on the bundled sample data.

Independent checks: round trips are judged by rdflib (its own parsers and `isomorphic`), VoID
counts against a count made by iterating the store's quads in Python, DCAT-AP by pyshacl with the
shipped official shapes.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_DATA
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rightsgraph.graph.describe import Options, describe, description_graph, to_turtle, validate_dcat_ap
from rightsgraph.graph.export import (
    FORMATS,
    ExportError,
    ExternalSorter,
    compare_stores,
    export,
    export_all,
    export_context,
    load_dump,
    read_manifest,
    shipped_context,
)
from rightsgraph.graph.namespaces import RG
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.store import EmbeddedStore

from rightsgraph.cli import main

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
TRICKY = "urn:rightsgraph:test:tricky"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
EU = "http://publications.europa.eu/resource/authority/country/"


def _tricky_quads(blank_a: BlankNode, blank_b: BlankNode) -> list[Quad]:
    """Literals that break naive writers, and blank nodes whose labels differ from store to store."""
    g = NamedNode(TRICKY)
    s = NamedNode("https://w3id.org/rightsgraph/id/test/thing")
    p = NamedNode("http://example.org/p")
    return [
        Quad(s, p, Literal('line one\nline "two"\t\\ end'), g),
        Quad(s, p, Literal("Émirats arabes unis ☃ \u0007"), g),
        Quad(s, p, Literal("Совет", language="ru"), g),
        Quad(s, p, Literal("007", datatype=NamedNode(XSD + "integer")), g),  # non-canonical lexical form
        Quad(s, NamedNode(str(RG.year)), Literal("2013", datatype=NamedNode(XSD + "gYear")), g),
        Quad(s, NamedNode(str(RG.year)), Literal("not a year"), g),  # against the term's coercion
        Quad(s, NamedNode(str(RG.addressedTo)), Literal("a literal where an IRI is expected"), g),
        Quad(s, p, blank_a, g),
        Quad(blank_a, p, blank_b, g),
        Quad(blank_b, p, Literal("leaf"), g),
    ]


def _build(path=None, reverse: bool = False) -> EmbeddedStore:
    store = EmbeddedStore(path)
    load_files(store, [SAMPLE])
    quads = _tricky_quads(BlankNode(), BlankNode())
    store.raw.extend(reversed(quads) if reverse else quads)
    return store


@pytest.fixture(scope="module")
def loaded() -> EmbeddedStore:
    return _build()


def _copy_reversed(store: EmbeddedStore) -> EmbeddedStore:
    """The same graph, inserted in reverse order with new blank-node labels."""
    fresh: dict[str, BlankNode] = {}

    def relabel(term):
        return fresh.setdefault(term.value, BlankNode()) if isinstance(term, BlankNode) else term

    quads = [Quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph_name) for q in store.quads()]
    copy = EmbeddedStore(None)
    copy.raw.extend(reversed(quads))
    return copy


def _rdflib_graph(store, graph: str) -> Graph:
    g = Graph()
    data = serialize((q.triple for q in store.quads(graph)), format=RdfFormat.N_TRIPLES).decode("utf-8")
    g.parse(data=data, format="nt")
    return g


def _rdflib_format(key: str) -> str:
    return {"nq": "nquads", "nt": "nt", "ttl": "turtle", "trig": "trig", "jsonld": "json-ld",
            "rdfxml": "xml"}[key]


# --- round trips: every format, parsed back by rdflib, isomorphic ----------------------------------
@pytest.mark.parametrize("key", list(FORMATS))
def test_every_format_parses_back_isomorphic(loaded, tmp_path, key):
    f = FORMATS[key]
    graphs = loaded.named_graphs()
    if key == "rdfxml":  # XML 1.0 cannot hold the control character of the tricky graph (tested below)
        graphs = [g for g in graphs if g != TRICKY]
    dump = export(loaded, tmp_path / f"all{f.extension}", key, graphs=graphs)
    quads = [q for g in graphs for q in loaded.quads(g)]
    assert dump.triples == (len(quads) if f.datasets else len({str(q.triple) for q in quads}))
    if f.datasets:
        ds = Dataset()
        ds.parse(str(dump.path), format=_rdflib_format(key))
        parsed = {str(c.identifier) for c in ds.graphs() if len(c)}
        assert parsed == set(graphs)
        for g in graphs:
            assert isomorphic(ds.graph(URIRef(g)), _rdflib_graph(loaded, g)), g
    else:
        union = Graph()
        for g in graphs:
            for t in _rdflib_graph(loaded, g):
                union.add(t)
        parsed = Graph()
        parsed.parse(str(dump.path), format=_rdflib_format(key))
        assert len(parsed) == len(union)
        assert isomorphic(parsed, union)


def test_rdfxml_refuses_what_xml_cannot_hold(loaded, tmp_path):
    with pytest.raises(ExportError, match="RDF/XML .* cannot hold the control character"):
        export(loaded, tmp_path / "x.rdf", "rdfxml", graphs=[TRICKY])


def test_dump_loaded_into_a_fresh_store_is_the_same_graph_by_graph(loaded, tmp_path):
    dump = export(loaded, tmp_path / "all.nq.gz", "nq", gzip=True)
    fresh = EmbeddedStore(None)
    assert load_dump(fresh, dump.path) == len(loaded)
    result = compare_stores(loaded, fresh)
    assert result.isomorphic, result.equal
    assert set(result.equal) == set(loaded.named_graphs())


def test_per_graph_dumps_hold_one_graph_each(loaded, tmp_path):
    dumps = export_all(loaded, tmp_path, ["ttl", "nq"], per_graph=True)
    sizes = loaded.graph_sizes()
    assert len(dumps) == 2 * len(sizes)
    for d in dumps:
        assert d.per_graph and len(d.graphs) == 1
        assert d.triples == sizes[d.graphs[0]]
    # the manifest describes what was written
    assert [d.path.name for d in read_manifest(tmp_path)] == [d.path.name for d in dumps]


# --- determinism -------------------------------------------------------------------------------
def test_nquads_are_byte_identical_across_runs_and_stores(loaded, tmp_path):
    one = export(loaded, tmp_path / "one.nq", "nq")
    two = export(loaded, tmp_path / "two.nq", "nq")
    # the same content inserted in another order, with other blank-node labels
    other = _copy_reversed(loaded)
    three = export(other, tmp_path / "three.nq", "nq")
    data = one.path.read_bytes()
    assert data == two.path.read_bytes() == three.path.read_bytes()
    assert one.sha256 == two.sha256 == three.sha256
    # sorted: graphs in IRI order, lines sorted (as bytes) within each graph
    lines = data.splitlines()
    graphs = [ln.rsplit(b" ", 2)[1] for ln in lines]
    assert graphs == sorted(graphs)
    for g in set(graphs):
        mine = [ln for ln in lines if ln.rsplit(b" ", 2)[1] == g]
        assert mine == sorted(mine)
    assert b"_:c14n" in data  # blank nodes carry canonical (RDFC-1.0) labels


@pytest.mark.parametrize("key", ["nt", "ttl", "trig", "jsonld", "rdfxml"])
def test_other_formats_are_deterministic_too(loaded, tmp_path, key):
    other = _copy_reversed(loaded)
    graphs = [g for g in loaded.named_graphs() if key != "rdfxml" or g != TRICKY]
    a = export(loaded, tmp_path / "a", key, graphs=graphs)
    b = export(other, tmp_path / "b", key, graphs=graphs)
    assert a.path.read_bytes() == b.path.read_bytes()


def test_gzip_is_deterministic_and_decompresses_to_the_plain_dump(loaded, tmp_path):
    plain = export(loaded, tmp_path / "x.nq", "nq")
    gz1 = export(loaded, tmp_path / "a" / "x.nq.gz", "nq", gzip=True)
    gz2 = export(loaded, tmp_path / "b" / "x.nq.gz", "nq", gzip=True)
    assert gz1.path.read_bytes() == gz2.path.read_bytes()
    assert gzip.decompress(gz1.path.read_bytes()) == plain.path.read_bytes()
    assert gz1.bytes == gz1.path.stat().st_size


def test_external_sort_spills_to_disk_and_merges_in_order(loaded, tmp_path):
    """With a tiny memory budget the sort runs on disk; the dump is still the same bytes."""
    in_memory = export(loaded, tmp_path / "mem.nq", "nq")
    on_disk = export(loaded, tmp_path / "disk.nq", "nq", chunk_bytes=16 * 1024)
    assert on_disk.path.read_bytes() == in_memory.path.read_bytes()
    sorter = ExternalSorter(chunk_bytes=200)
    lines = [f"line {i:05d}".encode() for i in range(500, 0, -1)] + [b"line 00007"]
    sorter.add(lines)
    assert sorter.runs > 10
    out = list(sorter.sorted())
    assert out == sorted(set(lines))


# --- JSON-LD with the shipped context ---------------------------------------------------------------
def test_jsonld_uses_the_shipped_context_readable_keys(loaded, tmp_path):
    dump = export(loaded, tmp_path / "all.jsonld", "jsonld")
    doc = json.loads(dump.path.read_text(encoding="utf-8"))
    ctx = doc["@context"]
    shipped = shipped_context()["@context"]
    assert all(ctx[k] == v for k, v in shipped.items() if k not in ("rgid", "rggraph")), "context drifted"
    keys = Counter(k for g in doc["@graph"] for node in g["@graph"] for k in node)
    assert not [k for k in keys if k.startswith("https://w3id.org/rightsgraph/")], "full IRIs as keys"
    for term in ("stateUnderReview", "addressedTo", "hasResponse", "position", "prefLabel", "sameAs"):
        assert keys[term] > 0, term
    rec = next(n for g in doc["@graph"] for n in g["@graph"] if "UPRRecommendation" in n.get("@type", []))
    assert rec["@id"].startswith("rgid:upr-review/CHN/")
    assert rec["addressedTo"] == "rgid:state/CHN"


def test_every_ontology_term_has_a_readable_key():
    ctx = export_context()["@context"]
    mapped = {(v if isinstance(v, str) else v["@id"]) for k, v in ctx.items() if not k.startswith("@")}
    missing = [name for name in RG.__annotations__ if f"rg:{name}" not in mapped]
    assert not missing


# --- VoID: the counts are the store's -----------------------------------------------------------------
@pytest.fixture(scope="module")
def description(loaded, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dumps")
    dumps = export_all(loaded, folder, ["nq", "ttl"], gzip=True)
    triples = describe(loaded, Options(dumps=dumps, dump_url_base="https://example.org/dumps/",
                                       sparql_endpoint="https://example.org/sparql"))
    g = Graph()
    g.parse(data=to_turtle(triples).decode("utf-8"), format="turtle")
    return triples, g


def _value(g: Graph, s: str, p: str):
    values = list(g.objects(URIRef(s), URIRef(p)))
    assert len(values) == 1, (s, p, values)
    return values[0].toPython()


def test_void_counts_equal_the_store(loaded, description):
    _, g = description
    VOID = "http://rdfs.org/ns/void#"
    base = "https://w3id.org/rightsgraph/"
    quads = list(loaded.quads())
    assert _value(g, base + "dataset", VOID + "triples") == len(quads) == len(loaded)
    assert _value(g, base + "dataset", VOID + "entities") == len(
        {q.subject.value for q in quads if isinstance(q.subject, NamedNode) and q.subject.value.startswith(base)})
    for graph, n in loaded.graph_sizes().items():
        assert _value(g, graph, VOID + "triples") == n
    # class partitions: distinct instances per class
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    instances: dict[str, set] = {}
    for q in quads:
        if q.predicate.value == rdf_type:
            instances.setdefault(q.object.value, set()).add(str(q.subject))
    partitions = {str(g.value(p, URIRef(VOID + "class"))): g.value(p, URIRef(VOID + "entities")).toPython()
                  for p in g.objects(URIRef(base + "dataset"), URIRef(VOID + "classPartition"))}
    assert partitions == {c: len(s) for c, s in instances.items()}
    props = {str(g.value(p, URIRef(VOID + "property"))): g.value(p, URIRef(VOID + "triples")).toPython()
             for p in g.objects(URIRef(base + "dataset"), URIRef(VOID + "propertyPartition"))}
    assert props == dict(Counter(q.predicate.value for q in quads))
    # the linkset to the EU country table counts the owl:sameAs links into it
    eu_links = sum(1 for q in quads if q.predicate.value == OWL_SAMEAS and q.object.value.startswith(EU))
    assert eu_links > 190  # every State of the reference table
    linksets = {(str(g.value(ls, URIRef(VOID + "objectsTarget"))), str(g.value(ls, URIRef(VOID + "linkPredicate")))):
                g.value(ls, URIRef(VOID + "triples")).toPython()
                for ls in g.subjects(URIRef(rdf_type), URIRef(VOID + "Linkset"))}
    assert linksets[(base + "dataset/target/eu-country", OWL_SAMEAS)] == eu_links
    assert {t for t, _ in linksets} == {base + f"dataset/target/{k}" for k in ("wikidata", "eu-country", "un-sdg")}
    assert str(_value(g, base + "dataset", VOID + "sparqlEndpoint")) == "https://example.org/sparql"
    dumps = {str(o) for o in g.objects(URIRef(base + "dataset"), URIRef(VOID + "dataDump"))}
    assert dumps == {"https://example.org/dumps/rightsgraph.nq.gz", "https://example.org/dumps/rightsgraph.ttl.gz"}


# --- DCAT-AP 3.0 ----------------------------------------------------------------------------------------
def test_description_conforms_to_dcat_ap(description):
    triples, _ = description
    check = validate_dcat_ap(triples)
    assert check.shapes == 41
    assert check.conforms, check.violations


def test_dcat_ap_validation_catches_a_missing_title(description):
    triples, _ = description
    title = "http://purl.org/dc/terms/title"
    source = "https://w3id.org/rightsgraph/graph/upr-info/upr-info-china-sessions-4-17.csv"
    broken = [t for t in triples if not (t.subject.value == source and t.predicate.value == title)]
    check = validate_dcat_ap(broken)
    assert not check.conforms
    assert any(source in v and title in v for v in check.violations)


def test_licence_statements_say_what_the_sources_say(description):
    _, g = description
    DCT = "http://purl.org/dc/terms/"
    upr = URIRef("https://w3id.org/rightsgraph/graph/upr-info/upr-info-china-sessions-4-17.csv")
    assert list(g.objects(upr, URIRef(DCT + "license"))) == []  # no licence invented
    rights = g.value(upr, URIRef(DCT + "rights"))
    assert str(g.value(rights, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))).startswith("No licence stated")
    prov = str(g.value(g.value(upr, URIRef(DCT + "provenance")), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert "sha256" in prov and "Rows read 422, loaded 422, rejected 0" in prov
    onto = URIRef("https://w3id.org/rightsgraph/graph/ontology")
    assert str(g.value(onto, URIRef(DCT + "license"))) == "http://publications.europa.eu/resource/authority/licence/MIT"
    dist = URIRef("https://w3id.org/rightsgraph/dataset/distribution/rightsgraph.nq.gz")
    assert str(g.value(dist, URIRef("http://www.w3.org/ns/dcat#mediaType"))).endswith("application/n-quads")


def test_description_does_not_count_itself(loaded):
    before = describe(loaded)
    store = _copy_reversed(loaded)
    from rightsgraph.graph.store import GraphWrite

    store.replace_graphs([GraphWrite(description_graph(), before)], "urn:rightsgraph:test:meta")
    after = describe(store)
    assert sorted(map(str, before)) == sorted(map(str, after))


# --- CLI ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "s"
    store = EmbeddedStore(path)
    load_files(store, [SAMPLE])
    store.close()
    return path


def test_cli_dump_all_formats_describe_and_check(store_dir, tmp_path):
    out = tmp_path / "dumps"
    result = CliRunner().invoke(main, ["export", "dump", "--store", str(store_dir), "-o", str(out), "--gzip",
                                       "--describe", "--check"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"rightsgraph{f.extension}.gz" for f in FORMATS.values()] + ["dumps.json", "void.ttl"])
    assert result.output.count("isomorphic") == len(FORMATS)
    assert "DCAT-AP 3.0.0 shapes (41 node shapes): conforms" in result.output


def test_cli_dump_one_format_to_stdout(store_dir):
    result = CliRunner().invoke(main, ["export", "dump", "--store", str(store_dir), "-f", "nt", "-o", "-",
                                       "-g", "upr-info/upr-info-china-sessions-4-17.csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == sorted(lines) and len(lines) > 6000


@pytest.mark.parametrize("args, fragment", [
    (["export", "dump", "-f", "yaml"], "unknown dump format 'yaml'"),
    (["export", "dump", "-g", "no/such.csv"], "no named graph 'no/such.csv'"),
])
def test_cli_mistakes_are_one_line(store_dir, args, fragment):
    result = CliRunner().invoke(main, [*args, "--store", str(store_dir)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and fragment in lines[0], result.output


def test_cli_missing_store_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "describe", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no store here" in result.output and "Traceback" not in result.output
