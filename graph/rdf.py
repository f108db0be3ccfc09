"""Small constructors for pyoxigraph terms, so mapping code reads like the triples it writes.

Mapping code builds pyoxigraph terms directly (not rdflib ones): the store ingests them without
conversion, which is most of the load time on large sources.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from .namespaces import XSD

Term = NamedNode | BlankNode | Literal

_XSD_INTEGER = NamedNode(str(XSD.integer))
_XSD_BOOLEAN = NamedNode(str(XSD.boolean))
_XSD_DATE = NamedNode(str(XSD.date))
_XSD_DATETIME = NamedNode(str(XSD.dateTime))
_XSD_GYEAR = NamedNode(str(XSD.gYear))


@lru_cache(maxsize=65536)
def iri(value: str) -> NamedNode:
    """A NamedNode; cached because the same predicates and concepts recur on every row."""
    return NamedNode(str(value))


def lit(value: str | int | bool | date | datetime, *, lang: str | None = None,
        datatype: str | None = None) -> Literal:
    """A literal typed from the Python value (bool before int: bool is an int subclass)."""
    if lang is not None:
        return Literal(str(value), language=lang)
    if datatype is not None:
        return Literal(str(value), datatype=iri(datatype))
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_XSD_BOOLEAN)
    if isinstance(value, int):
        return Literal(str(value), datatype=_XSD_INTEGER)
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=_XSD_DATETIME)
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=_XSD_DATE)
    return Literal(str(value))


def gyear(year: int) -> Literal:
    return Literal(f"{int(year):04d}", datatype=_XSD_GYEAR)


def triple(s: str | NamedNode | BlankNode, p: str | NamedNode, o: str | Term) -> Triple:
    """A triple; plain strings for subject, predicate and object are IRIs (use `lit` for text)."""
    s = iri(s) if isinstance(s, str) else s
    p = iri(p) if isinstance(p, str) else p
    o = iri(o) if isinstance(o, str) else o
    return Triple(s, p, o)


def in_graph(triples, graph: str) -> list[Quad]:
    g = iri(graph)
    return [Quad(t.subject, t.predicate, t.object, g) for t in triples]


__all__ = ["Term", "gyear", "in_graph", "iri", "lit", "triple"]
