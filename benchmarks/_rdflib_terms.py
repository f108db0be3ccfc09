"""pyoxigraph terms as rdflib terms, for the baselines that run the same triples through rdflib."""

from __future__ import annotations


def to_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else URIRef(term.datatype.value))
