"""Counts for `rightsgraph stats`: triples per named graph, records per kind."""

from __future__ import annotations

from .store import EmbeddedStore

_KINDS = """
PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { rg:State rg:UPRSession rg:UPRReview rg:UPRRecommendation rg:VoluntaryPledge rg:Response
                  rg:Document rg:Load rg:Rejection }
  ?x a ?class .
  ?class rdfs:label ?label . FILTER(LANG(?label) = "en")
} GROUP BY ?label ORDER BY DESC(?n)
"""


def graph_stats(store: EmbeddedStore) -> dict[str, int]:
    return dict(sorted(store.graph_sizes().items()))


def record_counts(store: EmbeddedStore) -> dict[str, int]:
    return {row["label"].value: int(row["n"].value) for row in store.query(_KINDS)}
