"""Counts for `rightsgraph stats`: triples per named graph, records per kind."""

from __future__ import annotations

from . import queries
from .store import EmbeddedStore


def graph_stats(store: EmbeddedStore) -> dict[str, int]:
    return dict(sorted(store.graph_sizes().items()))


def record_counts(store: EmbeddedStore) -> dict[str, int]:
    """Records per class of the ontology (the shipped query `records-per-kind`)."""
    return {row["kind"]: row["records"] for row in queries.run(store, "records-per-kind").rows}
