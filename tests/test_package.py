"""The package's data files and the closed namespace agree with each other."""

from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import OWL, RDF, Graph
from rightsgraph.graph.namespaces import RG
from rightsgraph.graph.validate import shapes_graph


def ontology() -> Graph:
    """Every ontology module (ontology/*.ttl) together."""
    g = Graph()
    for f in files("rightsgraph.ontology").iterdir():
        if f.name.endswith(".ttl"):
            g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def test_misspelt_term_is_an_error():
    with pytest.raises(AttributeError):
        _ = RG.UPRRecomendation  # noqa: B018 - the misspelling is the point


def test_namespace_and_ontology_declare_the_same_terms():
    g = ontology()
    declared = {
        str(s).split("#", 1)[1]
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in g.subjects(RDF.type, t)
        if str(s).startswith(str(RG._NS))
    }
    in_python = {name for name in RG.__annotations__}
    assert declared == in_python


def test_every_ontology_term_has_label_and_comment():
    g = ontology()
    from rdflib import RDFS

    for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for s in g.subjects(RDF.type, t):
            assert g.value(s, RDFS.label), s
            assert g.value(s, RDFS.comment), s


def test_every_shape_constraint_has_a_message():
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    g = shapes_graph()
    props = set(g.objects(None, sh.property))
    assert props
    for p in props:
        assert g.value(p, sh.message) is not None, f"property shape on {g.value(p, sh.path)} has no message"
