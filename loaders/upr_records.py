"""The triples every source of UPR recommendations writes alike (UPR Info, OHCHR matrices, the UHRI):
the recommendation's (or pledge's) core and one response to it. One place, so the three loaders cannot drift apart
on what a recommendation is; reconciliation (graph/reconcile.py) relies on their agreeing."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Triple

from ..graph.namespaces import DCTERMS, PROV, RDF, RG
from ..graph.rdf import lit, triple


def recommendation_triples(node: str, *, review: str, state: str, text: str, source: str, graph: str,
                           recommenders: Iterable[str] = (), rows: Iterable[str] = (),
                           pledge: bool = False) -> list[Triple]:
    """A UPR recommendation: its review, the State it is addressed to, its wording, the source and
    the named graph it comes from, its recommending States (IRIs) and source rows ("file#row=N").
    A voluntary pledge (`pledge=True`) is the same but for its class and `rg:pledgedBy`."""
    by = RG.pledgedBy if pledge else RG.recommendedBy
    return [
        triple(node, RDF.type, RG.VoluntaryPledge if pledge else RG.UPRRecommendation),
        triple(node, RG.review, review),
        triple(node, RG.addressedTo, state),
        triple(node, RG.text, lit(text, lang="en")),
        triple(node, DCTERMS.source, source),
        triple(node, PROV.wasDerivedFrom, graph),
        *(triple(node, by, s) for s in recommenders),
        *(triple(node, RG.sourceRecord, lit(r)) for r in rows),
    ]


def response_triples(item: str, response: str, *, position: str, respondent: str, source: str | None = None,
                     graph: str | None = None) -> list[Triple]:
    """One source's response of the State to an item (UPR Info, a matrix and the UHRI each give their own)."""
    out = [
        triple(item, RG.hasResponse, response),
        triple(response, RDF.type, RG.Response),
        triple(response, RG.responseTo, item),
        triple(response, RG.position, position),
        triple(response, RG.respondent, respondent),
    ]
    if source is not None:
        out.append(triple(response, DCTERMS.source, source))
    if graph is not None:
        out.append(triple(response, PROV.wasDerivedFrom, graph))
    return out
