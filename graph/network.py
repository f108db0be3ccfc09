"""UPR recommendations as networks: built from the knowledge graph by SPARQL, handed to networkx.

Three networks, all from named queries in `queries/network-*.rq` (parameters bound by
`graph/queries.py`, never pasted into the text):

* `state_network`: directed, recommending State -> State under review. Edge weight = the number
  of recommendations; a joint recommendation counts once for each of its recommending States.
  Edges also carry how the State under review responded (supported, partially supported, noted,
  pending) and the share supported.
* `bipartite_network`: States and the issues of the recommendations they made (or received).
* `issue_projection`: States linked by the similarity (cosine) of the issues they raise.

Nodes are keyed by ISO3 code and carry `label`/`name` (English), `iso3`, `iso2`, `regional_group`
(English label) and `regional_group_code` (notation), so that Gephi shows names and can colour by
group. Nodes and edges are inserted in sorted order: the same store and filters give the same
graph, the same files and (with a seed) the same communities.

Measures live in `network_measures.py`, files and pictures in `network_io.py`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import networkx as nx

from . import queries
from .queries import QueryError, QueryResult
from .store import EmbeddedStore

EDGE_QUERY = "network-edges"
BIPARTITE_QUERY = "network-state-issues"
STATES_QUERY = "network-states"
ISSUES_QUERY = "network-issues"
NO_GROUP = "no regional group"
ROLES = ("recommending", "reviewed")
POSITION_COLUMNS = ("supported", "partially_supported", "noted", "pending")


@dataclass(frozen=True)
class NetworkFilter:
    """Which recommendations make the network; every field left None means "all".

    The names are the parameters of `queries/network-edges.rq` (see its header for the values
    each accepts): States as ISO3 code or name; issue, position, action category and regional
    group as label, notation or IRI.
    """

    recommender: str | None = None
    reviewed: str | None = None
    cycle: str | int | None = None
    session_min: int | None = None
    session_max: int | None = None
    issue: str | None = None
    position: str | None = None
    action: str | int | None = None
    recommender_group: str | None = None
    reviewed_group: str | None = None

    def params(self) -> dict[str, str]:
        """The query parameters, as text, for the fields that are set."""
        return {k: str(v) for k, v in asdict(self).items() if v is not None and str(v) != ""}

    def with_(self, **changes) -> NetworkFilter:
        values = asdict(self)
        values.update(changes)
        return NetworkFilter(**values)

    def describe(self) -> str:
        """The filters in words, for titles and file metadata ("all recommendations" if none)."""
        p = self.params()
        if not p:
            return "all recommendations"
        parts = []
        if "session_min" in p or "session_max" in p:
            lo, hi = p.pop("session_min", "1"), p.pop("session_max", "")
            parts.append(f"session {lo}" if lo == hi else f"sessions {lo}-{hi}")
        names = {"recommender": "by", "reviewed": "to", "recommender_group": "by group",
                 "reviewed_group": "to group", "action": "action category"}
        parts += [f"{names.get(k, k.replace('_', ' '))} {v}" for k, v in p.items()]
        return ", ".join(parts)


FILTER_FIELDS = tuple(f.name for f in fields(NetworkFilter))


# --- node attributes ----------------------------------------------------------------------------
def state_attributes(store: EmbeddedStore) -> dict[str, dict[str, str]]:
    """ISO3 -> node attributes of every State in the store (from `network-states.rq`)."""
    out: dict[str, dict[str, str]] = {}
    for row in queries.run(store, STATES_QUERY).rows:
        iso3 = str(row["iso3"])
        if iso3 in out:  # a second name or group: keep the first (rows are ordered)
            continue
        name = str(row["name"] or iso3)
        out[iso3] = {
            "label": name,
            "name": name,
            "iso3": iso3,
            "iso2": str(row["iso2"] or ""),
            "regional_group": str(row["group_label"] or NO_GROUP),
            "regional_group_code": str(row["group"] or ""),
            "iri": str(row["state"]),
        }
    return out


def _node_attrs(attrs: dict[str, dict[str, str]], iso3: str) -> dict[str, str]:
    return attrs.get(iso3) or {"label": iso3, "name": iso3, "iso3": iso3, "iso2": "",
                               "regional_group": NO_GROUP, "regional_group_code": "", "iri": ""}


# --- the State network ----------------------------------------------------------------------------
def edge_rows(store: EmbeddedStore, flt: NetworkFilter | None = None) -> QueryResult:
    """The raw edge list from `network-edges.rq` (one row per recommending State -> State)."""
    return queries.run(store, EDGE_QUERY, (flt or NetworkFilter()).params())


def state_network(store: EmbeddedStore, flt: NetworkFilter | None = None) -> nx.DiGraph:
    """The directed network recommending State -> State under review, weighted by recommendations."""
    flt = flt or NetworkFilter()
    rows = edge_rows(store, flt).rows
    attrs = state_attributes(store)
    g = nx.DiGraph(name="UPR recommendations: recommending State -> State under review",
                   description=f"UPR recommendations ({flt.describe()}); edge weight = recommendations, "
                               "a joint recommendation counting once for each recommending State",
                   filters=flt.describe(), query=f"queries/{EDGE_QUERY}.rq")
    for iso3 in sorted({str(r["source"]) for r in rows} | {str(r["target"]) for r in rows}):
        g.add_node(iso3, **_node_attrs(attrs, iso3))
    for r in sorted(rows, key=lambda r: (str(r["source"]), str(r["target"]))):
        n = int(r["recommendations"])
        counts = {c: int(r[c]) for c in POSITION_COLUMNS}
        g.add_edge(str(r["source"]), str(r["target"]), weight=n, recommendations=n, **counts,
                   supported_share=round(counts["supported"] / n, 4) if n else 0.0)
    return g


# --- the bipartite State-issue network and its projection ------------------------------------------
def issue_node(concept: str) -> str:
    """The node id of an issue concept: its IRI after the vocabulary base ("upr-info-issue/labour")."""
    from .namespaces import VOCAB_BASE

    return concept[len(VOCAB_BASE):] if concept.startswith(VOCAB_BASE) else concept


def bipartite_network(store: EmbeddedStore, flt: NetworkFilter | None = None,
                      role: str = "recommending") -> nx.Graph:
    """States and issues; an edge's weight is how many recommendations with the issue the State made
    (role="recommending") or received (role="reviewed")."""
    if role not in ROLES:
        raise QueryError(f"role {role!r}: use one of {', '.join(ROLES)}")
    flt = flt or NetworkFilter()
    rows = queries.run(store, BIPARTITE_QUERY, {**flt.params(), "role": role}).rows
    attrs = state_attributes(store)
    g = nx.Graph(name=f"UPR recommendations: {role} States and issues",
                 description=f"UPR recommendations ({flt.describe()}); edge weight = recommendations "
                             f"tagged with the issue, for the {role} State",
                 filters=flt.describe(), role=role, query=f"queries/{BIPARTITE_QUERY}.rq")
    for iso3 in sorted({str(r["state"]) for r in rows}):
        g.add_node(iso3, kind="state", bipartite=0, **_node_attrs(attrs, iso3))
    for r in sorted(rows, key=lambda r: (str(r["concept"]), str(r["state"]))):
        node = issue_node(str(r["concept"]))
        if node not in g:
            label = str(r["label"] or r["notation"] or node)
            g.add_node(node, kind="issue", bipartite=1, label=label, name=label,
                       notation=str(r["notation"] or ""), iri=str(r["concept"]))
        g.add_edge(str(r["state"]), node, weight=int(r["recommendations"]))
    return g


def issue_projection(bipartite: nx.Graph, *, k: int | None = 5, min_similarity: float = 0.0,
                     min_recommendations: int = 1) -> nx.Graph:
    """States linked by the cosine similarity of their issue profiles (recommendations per issue).

    Every pair of States raises some issues in common, so the full projection is nearly complete;
    `k` keeps, for each State, its k most similar States (an edge stays if either end keeps it;
    None keeps all pairs), and `min_similarity` drops weaker links. States with fewer than
    `min_recommendations` issue tags are left out (their profile is noise).
    """
    states = sorted(n for n, d in bipartite.nodes(data=True) if d.get("kind") == "state")
    profiles: dict[str, dict[str, float]] = {}
    for s in states:
        vec = {i: float(d["weight"]) for i, d in bipartite[s].items()}
        if sum(vec.values()) >= min_recommendations:
            profiles[s] = vec
    norms = {s: math.sqrt(sum(v * v for v in vec.values())) for s, vec in profiles.items()}
    nodes = sorted(profiles)
    sims: dict[tuple[str, str], tuple[float, int]] = {}
    for i, a in enumerate(nodes):
        va = profiles[a]
        for b in nodes[i + 1:]:
            vb = profiles[b]
            common = va.keys() & vb.keys()
            if not common:
                continue
            dot = sum(va[x] * vb[x] for x in common)
            sim = dot / (norms[a] * norms[b])
            if sim >= min_similarity:
                sims[(a, b)] = (round(sim, 6), len(common))
    keep: set[tuple[str, str]] = set(sims)
    if k is not None:
        by_node: dict[str, list[tuple[float, tuple[str, str]]]] = {s: [] for s in nodes}
        for pair, (sim, _) in sims.items():
            by_node[pair[0]].append((-sim, pair))
            by_node[pair[1]].append((-sim, pair))
        keep = {pair for mine in by_node.values() for _, pair in sorted(mine)[:k]}
    g = nx.Graph(name="States by similarity of the issues they raise",
                 description=f"cosine similarity of issue profiles ({bipartite.graph.get('filters', '')}); "
                             f"each State's {k if k is not None else 'all'} most similar States, "
                             f"similarity >= {min_similarity}",
                 filters=bipartite.graph.get("filters", ""))
    for s in nodes:
        data = {k_: v for k_, v in bipartite.nodes[s].items() if k_ not in ("bipartite", "kind")}
        g.add_node(s, **data, issue_tags=int(sum(profiles[s].values())))
    for a, b in sorted(keep):
        sim, shared = sims[(a, b)]
        g.add_edge(a, b, weight=sim, shared_issues=shared)
    return g


# --- tables -----------------------------------------------------------------------------------
def issues(store: EmbeddedStore) -> QueryResult:
    """The issue concepts recommendations carry, with counts (`network-issues.rq`)."""
    return queries.run(store, ISSUES_QUERY)


def edge_table(g: nx.Graph) -> QueryResult:
    """One row per edge with both ends' names and every edge attribute (weight first)."""
    keys: list[str] = []
    for _, _, d in g.edges(data=True):
        keys += [k for k in d if k not in keys]  # in the order the builder set them (weight first)
    columns = ["source", "source_name", "target", "target_name", *keys]
    rows = [{"source": u, "source_name": g.nodes[u].get("name", u), "target": v,
             "target_name": g.nodes[v].get("name", v), **{k: d.get(k) for k in keys}}
            for u, v, d in g.edges(data=True)]
    return QueryResult(columns, rows)


def node_table(g: nx.Graph, extra: dict[str, dict[str, object]] | None = None) -> QueryResult:
    """One row per node: its attributes, and any `extra` columns (measure name -> node -> value)."""
    keys: list[str] = []
    for _, d in g.nodes(data=True):
        keys += [k for k in d if k not in keys and k != "label"]
    extra = extra or {}
    columns = ["id", *keys, *extra]
    rows = [{"id": n, **{k: d.get(k) for k in keys}, **{m: vals.get(n) for m, vals in extra.items()}}
            for n, d in g.nodes(data=True)]
    return QueryResult(columns, rows)


def acceptance(store: EmbeddedStore, reviewed: str, flt: NetworkFilter | None = None) -> QueryResult:
    """Per recommending State, toward one State under review: how many recommendations it made and
    the share the State under review supported (accepted), partially supported, noted.

    Answers "which States' recommendations does this State accept?". Sorted by recommendations,
    then by name.
    """
    g = state_network(store, (flt or NetworkFilter()).with_(reviewed=reviewed))
    rows = []
    for u, v, d in g.edges(data=True):
        n = d["recommendations"]
        rows.append({
            "recommender": u, "name": g.nodes[u]["name"], "regional_group": g.nodes[u]["regional_group"],
            "reviewed": v, "recommendations": n, **{c: d[c] for c in POSITION_COLUMNS},
            "supported_share": round(d["supported"] / n, 4),
            "noted_share": round(d["noted"] / n, 4),
        })
    rows.sort(key=lambda r: (-r["recommendations"], r["name"]))
    columns = ["recommender", "name", "regional_group", "reviewed", "recommendations", *POSITION_COLUMNS,
               "supported_share", "noted_share"]
    return QueryResult(columns, rows)


def issue_pairs(store: EmbeddedStore, issue: str, flt: NetworkFilter | None = None,
                top: int | None = None) -> QueryResult:
    """For one issue (or theme): who raises it with whom, heaviest pairs first."""
    g = state_network(store, (flt or NetworkFilter()).with_(issue=issue))
    table = edge_table(g)
    table.rows.sort(key=lambda r: (-int(r["weight"]), r["source"], r["target"]))
    if top is not None:
        table.rows = table.rows[:top]
    return table


__all__ = [
    "FILTER_FIELDS",
    "NO_GROUP",
    "NetworkFilter",
    "acceptance",
    "bipartite_network",
    "edge_rows",
    "edge_table",
    "issue_pairs",
    "issue_projection",
    "issues",
    "node_table",
    "state_attributes",
    "state_network",
]
