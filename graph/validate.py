"""SHACL validation of the store's content with pyshacl.

The data graph is the union of every named graph (loaded sources, reference data, vocabularies,
load metadata), so shapes can follow links from a recommendation to its State or concept. The
shapes are the `.ttl` files in `ontology/shapes/`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib.resources import files

from pyoxigraph import RdfFormat, serialize
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .store import EmbeddedStore

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation", "Warning", "Info"
    shape: str
    focus: str
    path: str
    message: str
    value: str


@dataclass
class ValidationResult:
    conforms: bool
    findings: list[Finding]
    report: Graph
    triples_checked: int
    by_shape: dict[tuple[str, str, str], list[Finding]] = field(default_factory=dict)

    @property
    def violations(self) -> int:
        return sum(f.severity == "Violation" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "Warning" for f in self.findings)

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)


def shapes_graph() -> Graph:
    g = Graph()
    for f in sorted((files("rightsgraph.ontology") / "shapes").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".ttl"):
            g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def data_graph(store: EmbeddedStore, graphs: list[str] | None = None) -> Graph:
    """The union of the store's named graphs (or of `graphs`) as one rdflib graph."""
    quads = store.quads() if graphs is None else (q for g in graphs for q in store.quads(g))
    nt = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
    g = Graph()
    g.parse(data=nt.decode("utf-8"), format="nt")
    return g


def validate(store: EmbeddedStore, graphs: list[str] | None = None) -> ValidationResult:
    import pyshacl

    data = data_graph(store, graphs)
    shapes = shapes_graph()
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
    )
    combined = report + shapes
    findings = []
    parents = {}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for prop in shapes.objects(node_shape, SH.property):
            parents[prop] = node_shape
    for res in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(res, SH.sourceShape)
        owner = parents.get(shape, shape)
        label = shapes.value(owner, RDFS.label)
        name = str(label) if label else str(owner).rsplit("#", 1)[-1]
        severity = str(report.value(res, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = report.value(res, SH.resultPath)
        findings.append(Finding(
            severity=severity,
            shape=name,
            focus=str(report.value(res, SH.focusNode)),
            path=_path_text(combined, path),
            message=str(report.value(res, SH.resultMessage) or ""),
            value=str(report.value(res, SH.value) or ""),
        ))
    by_shape: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        by_shape[(f.severity, f.shape, f.message)].append(f)
    violations = sum(f.severity == "Violation" for f in findings)
    return ValidationResult(violations == 0, findings, report, len(data), dict(by_shape))


def _path_text(graph: Graph, path) -> str:
    """A property path as a researcher reads it: `rg:review/rg:stateUnderReview`."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return graph.namespace_manager.normalizeUri(path)
    items = list(graph.items(path))
    return "/".join(_path_text(graph, p) for p in items) if items else str(path)
