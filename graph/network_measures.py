"""Measures of the recommendation network: who recommends whom, how much, how mutually, in blocs.

All measures take the weighted, directed `state_network` (weight = recommendations); they also
work on any networkx graph with a `weight` edge attribute. Everything is deterministic: ties are
broken by ISO3 code and community detection takes a seed.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .queries import QueryResult

GROUP = "regional_group"


# --- degree and strength ---------------------------------------------------------------------------
def strengths(g: nx.DiGraph) -> dict[str, dict[str, int]]:
    """Measure -> node -> value: in/out degree (how many States) and strength (how many recommendations)."""
    return {
        "out_degree": dict(g.out_degree()),
        "in_degree": dict(g.in_degree()),
        "out_strength": dict(g.out_degree(weight="weight")),
        "in_strength": dict(g.in_degree(weight="weight")),
    }


# --- reciprocity and pairs ---------------------------------------------------------------------------
def reciprocity(g: nx.DiGraph) -> dict[str, float | int]:
    """Do States recommend each other?

    `edge_reciprocity`: the share of edges A->B whose B->A also exists (networkx's definition).
    `weighted_reciprocity`: the share of all recommendations that are matched by recommendations
    the other way (sum over pairs of 2*min(w_ab, w_ba), over the total weight).
    """
    edges = g.number_of_edges()
    total = g.size(weight="weight")
    mutual_edges = sum(1 for u, v in g.edges() if g.has_edge(v, u))
    matched = sum(min(d["weight"], g[v][u]["weight"]) for u, v, d in g.edges(data=True) if g.has_edge(v, u))
    return {
        "edges": edges,
        "reciprocated_edges": mutual_edges,
        "edge_reciprocity": round(mutual_edges / edges, 4) if edges else 0.0,
        "recommendations": int(total),
        "weighted_reciprocity": round(matched / total, 4) if total else 0.0,
    }


def mutual_pairs(g: nx.DiGraph, top: int | None = None) -> QueryResult:
    """Pairs of States that recommend each other, by the smaller of the two directions."""
    rows = []
    for u, v in g.edges():
        if u < v and g.has_edge(v, u):
            ab, ba = g[u][v]["weight"], g[v][u]["weight"]
            rows.append({"a": u, "a_name": g.nodes[u].get("name", u), "b": v, "b_name": g.nodes[v].get("name", v),
                         "a_to_b": ab, "b_to_a": ba, "matched": min(ab, ba)})
    rows.sort(key=lambda r: (-r["matched"], -(r["a_to_b"] + r["b_to_a"]), r["a"], r["b"]))
    return QueryResult(["a", "a_name", "b", "b_name", "a_to_b", "b_to_a", "matched"], rows[:top] if top else rows)


def top_pairs(g: nx.DiGraph, top: int | None = 10) -> QueryResult:
    """The heaviest edges: which State made most recommendations to which."""
    rows = [{"source": u, "source_name": g.nodes[u].get("name", u), "target": v,
             "target_name": g.nodes[v].get("name", v), "weight": d["weight"],
             **({"supported_share": d["supported_share"]} if "supported_share" in d else {})}
            for u, v, d in g.edges(data=True)]
    rows.sort(key=lambda r: (-r["weight"], r["source"], r["target"]))
    columns = ["source", "source_name", "target", "target_name", "weight"]
    if rows and "supported_share" in rows[0]:
        columns.append("supported_share")
    return QueryResult(columns, rows[:top] if top else rows)


# --- regional-group mixing ---------------------------------------------------------------------------
def mixing_matrix(g: nx.DiGraph, attribute: str = GROUP, *, weighted: bool = True,
                  normalized: bool = False) -> tuple[list[str], list[list[float]]]:
    """Rows: group of the recommending State; columns: group of the State under review.

    Cell = recommendations (weighted) or pairs of States (unweighted) from one group to the other;
    `normalized` divides by the total, as in Newman's e_ij.
    """
    groups = sorted({str(d.get(attribute, "")) for _, d in g.nodes(data=True)})
    index = {x: i for i, x in enumerate(groups)}
    m = [[0.0] * len(groups) for _ in groups]
    for u, v, d in g.edges(data=True):
        m[index[str(g.nodes[u].get(attribute, ""))]][index[str(g.nodes[v].get(attribute, ""))]] += (
            d.get("weight", 1) if weighted else 1)
    if normalized:
        total = sum(map(sum, m)) or 1.0
        m = [[x / total for x in row] for row in m]
    return groups, m


def mixing_table(g: nx.DiGraph, attribute: str = GROUP, *, weighted: bool = True) -> QueryResult:
    """The mixing matrix as a table (one row per recommending group), with row totals."""
    groups, m = mixing_matrix(g, attribute, weighted=weighted)
    rows = [{"from \\ to": grp, **{to: int(x) for to, x in zip(groups, row, strict=True)}, "total": int(sum(row))}
            for grp, row in zip(groups, m, strict=True)]
    return QueryResult(["from \\ to", *groups, "total"], rows)


def assortativity(g: nx.DiGraph, attribute: str = GROUP, *, weighted: bool = True) -> float:
    """Newman's assortativity coefficient r of a categorical attribute (1: only within groups,
    0: as if at random, negative: preferably across groups), from the (weighted) mixing matrix.

    Unweighted, this equals `networkx.attribute_assortativity_coefficient`.
    """
    _, e = mixing_matrix(g, attribute, weighted=weighted, normalized=True)
    a = [sum(row) for row in e]
    b = [sum(col) for col in zip(*e, strict=True)]
    ab = sum(x * y for x, y in zip(a, b, strict=True))
    trace = sum(e[i][i] for i in range(len(e)))
    return round((trace - ab) / (1 - ab), 6) if ab != 1 else 1.0


def group_balance(g: nx.DiGraph, attribute: str = GROUP) -> QueryResult:
    """Per group: recommendations made, received, and the share made within the group."""
    groups, m = mixing_matrix(g, attribute)
    rows = []
    for i, grp in enumerate(groups):
        made = sum(m[i])
        rows.append({"group": grp, "made": int(made), "received": int(sum(r[i] for r in m)),
                     "within_group_share": round(m[i][i] / made, 4) if made else 0.0})
    return QueryResult(["group", "made", "received", "within_group_share"], rows)


# --- communities and centrality --------------------------------------------------------------------
def undirected(g: nx.DiGraph) -> nx.Graph:
    """The undirected graph with w(A,B) = w(A->B) + w(B->A): both directions are interaction."""
    u = nx.Graph()
    u.add_nodes_from(sorted(g.nodes(data=True)))
    for a, b, d in sorted(g.edges(data=True)):
        w = d.get("weight", 1)
        if u.has_edge(a, b):
            u[a][b]["weight"] += w
        else:
            u.add_edge(a, b, weight=w)
    return u


def communities(g: nx.Graph, *, seed: int = 1, resolution: float = 1.0) -> list[list[str]]:
    """Louvain communities (modularity, weighted) of the undirected network, reproducible by seed.

    Sorted largest first, members sorted; the same graph and seed give the same communities.
    """
    u = undirected(g) if g.is_directed() else g
    found = nx.community.louvain_communities(u, weight="weight", seed=seed, resolution=resolution)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def membership(comms: list[list[str]]) -> dict[str, int]:
    """Node -> community number (1 = the largest)."""
    return {n: i for i, c in enumerate(comms, start=1) for n in c}


def modularity(g: nx.Graph, comms: list[list[str]]) -> float:
    u = undirected(g) if g.is_directed() else g
    return round(nx.community.modularity(u, [set(c) for c in comms], weight="weight"), 6)


def pagerank(g: nx.DiGraph, *, alpha: float = 0.85) -> dict[str, float]:
    """Weighted PageRank: high for States many (and much-recommended) States recommend to."""
    if g.number_of_nodes() == 0:
        return {}
    return {n: round(x, 6) for n, x in nx.pagerank(g, alpha=alpha, weight="weight").items()}


def betweenness(g: nx.Graph) -> dict[str, float]:
    """Weighted betweenness centrality; an edge's length is 1/weight (many recommendations = close)."""
    h = g.copy()
    for _, _, d in h.edges(data=True):
        d["distance"] = 1.0 / d["weight"] if d.get("weight") else float("inf")
    return {n: round(x, 6) for n, x in nx.betweenness_centrality(h, weight="distance").items()}


# --- everything at once ------------------------------------------------------------------------------
def node_measures(g: nx.DiGraph, *, seed: int = 1, with_betweenness: bool = True) -> dict[str, dict]:
    """Measure -> node -> value: strengths, PageRank, betweenness, community."""
    out: dict[str, dict] = dict(strengths(g))
    out["pagerank"] = pagerank(g)
    if with_betweenness:
        out["betweenness"] = betweenness(g)
    out["community"] = membership(communities(g, seed=seed))
    return out


def summary(g: nx.DiGraph, *, seed: int = 1, top: int = 10) -> dict[str, object]:
    """The headline figures of a State network, as plain data (the CLI prints it; JSON-able)."""
    comms = communities(g, seed=seed)
    pr = pagerank(g)
    bt = betweenness(g)
    st = strengths(g)

    def ranked(values: dict[str, float]) -> list[dict[str, object]]:
        order = sorted(values, key=lambda n: (-values[n], n))[:top]
        return [{"state": n, "name": g.nodes[n].get("name", n), "value": values[n]} for n in order]

    return {
        "network": g.graph.get("filters", ""),
        "states": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "recommendations": int(g.size(weight="weight")),
        "density": round(nx.density(g), 6),
        "reciprocity": reciprocity(g),
        "assortativity_regional_group": {"weighted": assortativity(g, weighted=True),
                                         "unweighted": assortativity(g, weighted=False)},
        "top_out_strength": ranked(st["out_strength"]),
        "top_in_strength": ranked(st["in_strength"]),
        "top_out_degree": ranked(st["out_degree"]),
        "top_pagerank": ranked(pr),
        "top_betweenness": ranked(bt),
        "top_pairs": top_pairs(g, top).rows,
        "top_mutual_pairs": mutual_pairs(g, top).rows,
        "communities": {"seed": seed, "modularity": modularity(g, comms),
                        "groups": [{"size": len(c), "members": c} for c in comms]},
        "mixing": mixing_table(g).rows,
    }


def group_counts(g: nx.Graph, nodes: list[str], attribute: str = GROUP) -> dict[str, int]:
    """How many of `nodes` belong to each group (for describing communities)."""
    out: dict[str, int] = defaultdict(int)
    for n in nodes:
        out[str(g.nodes[n].get(attribute, ""))] += 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
