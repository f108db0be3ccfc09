"""The recommendation network: SPARQL edge weights against an independent reading of the source
rows, the measures on a network small enough to check by hand, and the files read back."""

from __future__ import annotations

import csv
import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import DEFAULT_DATA, UPR_INFO, read_upr_info_rows
from pyoxigraph import NamedNode, Quad
from rightsgraph.graph import network_io as nio
from rightsgraph.graph import network_measures as nm
from rightsgraph.graph.network import (
    NetworkFilter,
    acceptance,
    bipartite_network,
    issue_pairs,
    issue_projection,
    state_network,
)
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import QueryError
from rightsgraph.graph.reference import states
from rightsgraph.graph.store import EmbeddedStore

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
MERGED_INTO = "https://w3id.org/rightsgraph/ontology#mergedInto"
RG = "https://w3id.org/rightsgraph/ontology#"
TO, TEXT, FROM, FROM_GROUP, RESPONSE, ACTION, ISSUES, SESSION = 0, 3, 4, 5, 7, 8, 9, 10


# --- an independent reading of the UPR Info rows ------------------------------------------------------
def _norm(text: str) -> str:
    """Wording as UPR Info rows repeat it: case, accents, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", text.lower())


def _iso3(name: str) -> str:
    state = states().resolve(name)
    assert state is not None, name
    return state.iso3


def recommendations(rows: list[list[str]]) -> dict[tuple, dict]:
    """The recommendations the rows make, keyed by (State under review, session, wording, response).

    One row per recommendation and recommending State: rows repeating wording and response in one
    review are one recommendation, with every row's recommending State (a joint recommendation)
    and every row's issues; its action category is the first row's that has one.
    """
    recs: dict[tuple, dict] = {}
    for r in rows:
        if r[RESPONSE] == "Voluntary Pledge":
            continue
        key = (r[TO], r[SESSION], _norm(r[TEXT]), r[RESPONSE])
        rec = recs.setdefault(key, {"to": r[TO], "session": int(r[SESSION]), "response": r[RESPONSE],
                                    "action": "", "issues": set(), "by": set()})
        if r[FROM] != "(Unknown)":
            rec["by"].add(r[FROM])
        rec["issues"] |= _issues(r)
        rec["action"] = rec["action"] or r[ACTION]
    return recs


def recommendations_by_pair(rows, keep=lambda rec: True, by=lambda name: True) -> dict[tuple[str, str], set]:
    """(recommending ISO3, reviewed ISO3) -> the recommendations it made (those `keep` accepts, by the
    recommending States `by` accepts): a joint recommendation is in every one of its States' sets."""
    pairs: dict[tuple[str, str], set] = defaultdict(set)
    for key, rec in recommendations(rows).items():
        if keep(rec):
            for name in rec["by"]:
                if by(name):
                    pairs[(_iso3(name), _iso3(rec["to"]))].add(key)
    return pairs


def expected_weights(rows, keep=lambda rec: True, by=lambda name: True) -> dict[tuple[str, str], int]:
    return {pair: len(recs) for pair, recs in recommendations_by_pair(rows, keep, by).items()}


def weights(g: nx.DiGraph) -> dict[tuple[str, str], int]:
    return {(u, v): d["weight"] for u, v, d in g.edges(data=True)}


def _issues(r: list[str]) -> set[str]:
    return {x.strip() for x in r[ISSUES].split(",") if x.strip()}


# --- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rows14(shared) -> list[list[str]]:
    return read_upr_info_rows(UPR_INFO / "14-17.csv")


@pytest.fixture(scope="module")
def store14(shared) -> EmbeddedStore:
    store = EmbeddedStore(None)
    (report,) = load_files(store, [UPR_INFO / "14-17.csv"])
    assert report.rejections == []
    return store


@pytest.fixture(scope="module")
def g14(store14) -> nx.DiGraph:
    return state_network(store14)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    """A store on disk (for the CLI) with the bundled China sample."""
    path = tmp_path_factory.mktemp("network-store")
    load_files(EmbeddedStore(path), [SAMPLE])
    return path


# --- edge weights: SPARQL = independent counts of the source rows ------------------------------------
def test_edge_weights_equal_independent_counts_of_the_source_rows(g14, rows14):
    assert weights(g14) == expected_weights(rows14)


def test_edge_weights_equal_a_plain_sparql_count(store14, g14):
    plain = {(r["a"].value, r["b"].value): int(r["n"].value) for r in store14.query(f"""
        SELECT ?a ?b (COUNT(DISTINCT ?rec) AS ?n) WHERE {{
          ?rec a <{RG}UPRRecommendation> ; <{RG}recommendedBy> ?sa ; <{RG}addressedTo> ?sb .
          ?sa <{RG}iso3> ?a . ?sb <{RG}iso3> ?b }} GROUP BY ?a ?b""")}
    assert weights(g14) == plain


def test_a_joint_recommendation_counts_for_each_recommending_state(g14, rows14):
    recommenders = {key: rec["by"] for key, rec in recommendations(rows14).items() if rec["by"]}
    joint = [k for k, v in recommenders.items() if len(v) > 1]
    assert joint, "the export has joint recommendations"
    assert g14.size(weight="weight") == sum(len(v) for v in recommenders.values()) > len(recommenders)
    key = max(joint, key=lambda k: len(recommenders[k]))
    for name in recommenders[key]:
        assert g14.has_edge(_iso3(name), _iso3(key[0]))


@pytest.mark.parametrize("flt, keep, by", [
    (NetworkFilter(session_min=17, session_max=17), lambda rec: rec["session"] == 17, None),
    (NetworkFilter(session_min=15), lambda rec: rec["session"] >= 15, None),
    (NetworkFilter(issue="Women's rights"), lambda rec: "Women's rights" in rec["issues"], None),
    (NetworkFilter(issue="death-penalty"), lambda rec: "Death penalty" in rec["issues"], None),
    (NetworkFilter(position="noted"), lambda rec: rec["response"] == "Noted", None),
    (NetworkFilter(position="supported"), lambda rec: rec["response"] == "Accepted", None),
    (NetworkFilter(action="5"), lambda rec: rec["action"] == "5", None),
    (NetworkFilter(reviewed="China"), lambda rec: rec["to"] == "China", None),
    (NetworkFilter(recommender="FRA", issue="Torture and other CID treatment"),
     lambda rec: "Torture and other CID treatment" in rec["issues"], lambda name: name == "France"),
    (NetworkFilter(cycle=1), lambda rec: False, None),
], ids=["session", "from-session", "issue-label", "issue-notation", "noted", "supported", "action", "reviewed",
        "recommender+issue", "other-cycle"])
def test_filters_equal_the_same_selection_of_source_rows(store14, rows14, flt, keep, by):
    assert weights(state_network(store14, flt)) == expected_weights(rows14, keep, by or (lambda name: True))


def test_regional_group_filters_select_by_the_states_group(store14, g14):
    weog = state_network(store14, NetworkFilter(recommender_group="WEOG"))
    assert weights(weog) == {e: w for e, w in weights(g14).items()
                             if g14.nodes[e[0]]["regional_group_code"] == "weog"}
    african = state_network(store14, NetworkFilter(reviewed_group="african"))
    assert weights(african) == {e: w for e, w in weights(g14).items()
                                if g14.nodes[e[1]]["regional_group_code"] == "african"}


def test_node_attributes_name_iso_codes_and_group(g14):
    chn = g14.nodes["CHN"]
    assert (chn["name"], chn["iso3"], chn["iso2"], chn["regional_group"], chn["regional_group_code"]) == (
        "China", "CHN", "CN", "Asia-Pacific Group", "asia-pacific")


def test_a_bad_filter_value_is_a_query_error(store14):
    with pytest.raises(QueryError):
        state_network(store14, NetworkFilter(reviewed="Narnia"))
    with pytest.raises(QueryError):
        state_network(store14, NetworkFilter(session_min="fourteen"))


# --- acceptance: which States' recommendations does China support? ---------------------------------------
def test_acceptance_toward_china_equals_the_source_rows(store14, rows14):
    pairs = recommendations_by_pair(rows14, lambda rec: rec["to"] == "China")
    expected = {a: (len(recs), sum(1 for rec in recs if rec[3] == "Accepted")) for (a, _), recs in pairs.items()}
    table = acceptance(store14, "CHN")
    got = {r["recommender"]: (r["recommendations"], r["supported"]) for r in table.rows}
    assert got == expected
    for r in table.rows:
        assert r["supported_share"] == round(expected[r["recommender"]][1] / expected[r["recommender"]][0], 4)
        assert r["supported"] + r["noted"] == r["recommendations"]
    top = [r["recommendations"] for r in table.rows]
    assert top == sorted(top, reverse=True)


def test_issue_pairs_say_who_raises_an_issue_with_whom(store14, rows14):
    expected = expected_weights(rows14, lambda rec: "Death penalty" in rec["issues"])
    table = issue_pairs(store14, "Death penalty", top=5)
    assert len(table.rows) == 5
    assert [(r["source"], r["target"], r["weight"]) for r in table.rows] == [
        (a, b, w) for (a, b), w in sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]


# --- records merged by reconciliation count once ------------------------------------------------------
def test_records_merged_into_a_canonical_record_are_not_counted_again():
    store = EmbeddedStore(None)
    load_files(store, [SAMPLE])
    before = state_network(store)
    row = next(iter(store.query(f"""SELECT ?rec (COUNT(?s) AS ?k) WHERE {{ ?rec <{RG}recommendedBy> ?s }}
                                   GROUP BY ?rec ORDER BY DESC(?k) ?rec LIMIT 1""")))
    rec, k = row["rec"], int(row["k"].value)
    assert k > 1
    store.raw.add(Quad(rec, NamedNode(MERGED_INTO), NamedNode(rec.value + "-canonical"),
                       NamedNode("urn:test:reconciliation")))
    after = state_network(store)
    assert before.size(weight="weight") - after.size(weight="weight") == k


# --- measures on a network checked by hand ---------------------------------------------------------------
@pytest.fixture
def hand() -> nx.DiGraph:
    """A, B in group x; C, D in group y. A->B 3, B->A 1, A->C 2, C->D 4, D->C 2, D->A 1 (13 in all)."""
    g = nx.DiGraph()
    for n, grp in (("A", "x"), ("B", "x"), ("C", "y"), ("D", "y")):
        g.add_node(n, name=n, regional_group=grp)
    for u, v, w in (("A", "B", 3), ("B", "A", 1), ("A", "C", 2), ("C", "D", 4), ("D", "C", 2), ("D", "A", 1)):
        g.add_edge(u, v, weight=w)
    return g


def test_strength_and_degree(hand):
    s = nm.strengths(hand)
    assert s["out_strength"] == {"A": 5, "B": 1, "C": 4, "D": 3}
    assert s["in_strength"] == {"A": 2, "B": 3, "C": 4, "D": 4}
    assert s["out_degree"] == {"A": 2, "B": 1, "C": 1, "D": 2}
    assert s["in_degree"] == {"A": 2, "B": 1, "C": 2, "D": 1}


def test_reciprocity(hand):
    r = nm.reciprocity(hand)
    assert r["edges"] == 6 and r["reciprocated_edges"] == 4
    assert r["edge_reciprocity"] == round(4 / 6, 4) == round(nx.reciprocity(hand), 4)
    assert r["weighted_reciprocity"] == round((1 + 1 + 2 + 2) / 13, 4)
    pairs = nm.mutual_pairs(hand).rows
    assert [(p["a"], p["b"], p["a_to_b"], p["b_to_a"], p["matched"]) for p in pairs] == [
        ("C", "D", 4, 2, 2), ("A", "B", 3, 1, 1)]


def test_top_pairs_heaviest_first_ties_by_code(hand):
    assert [(r["source"], r["target"]) for r in nm.top_pairs(hand, 4).rows] == [
        ("C", "D"), ("A", "B"), ("A", "C"), ("D", "C")]


def test_mixing_matrix_and_assortativity(hand):
    groups, m = nm.mixing_matrix(hand)
    assert groups == ["x", "y"] and m == [[4, 2], [1, 6]]
    # e = m / 13; a = (6, 7)/13, b = (5, 8)/13; r = (10/13 - 86/169) / (1 - 86/169) = 44/83
    assert nm.assortativity(hand) == round(44 / 83, 6)
    # unweighted: e = [[2, 1], [1, 2]] / 6 -> r = (2/3 - 1/2) / (1 - 1/2) = 1/3, as networkx has it
    assert nm.assortativity(hand, weighted=False) == round(1 / 3, 6)
    assert nm.assortativity(hand, weighted=False) == round(
        nx.attribute_assortativity_coefficient(hand, "regional_group"), 6)


def _two_blocs() -> nx.DiGraph:
    """Two groups of four States recommending each other heavily, joined by one light link d -> e."""
    g = nx.DiGraph()
    for bloc in ("abcd", "efgh"):
        for u in bloc:
            for v in bloc:
                if u != v:
                    g.add_edge(u, v, weight=5)
    g.add_edge("d", "e", weight=1)
    return g


def test_communities_are_the_blocs_and_reproducible():
    g = _two_blocs()
    comms = nm.communities(g, seed=7)
    assert sorted(comms) == [list("abcd"), list("efgh")]
    assert nm.communities(g, seed=7) == comms
    assert nm.modularity(g, comms) > 0.4


def test_pagerank_and_betweenness():
    g = _two_blocs()
    bt = nm.betweenness(g)
    assert max(bt, key=bt.get) in ("d", "e") and bt["d"] == bt["e"] == max(bt.values())
    star = nx.DiGraph([("a", "hub"), ("b", "hub"), ("c", "hub"), ("hub", "a")])
    nx.set_edge_attributes(star, 1, "weight")
    pr = nm.pagerank(star)
    assert max(pr, key=pr.get) == "hub"


def test_summary_of_the_real_network_is_consistent(g14):
    s = nm.summary(g14, seed=1, top=5)
    assert s["recommendations"] == g14.size(weight="weight")
    assert sum(row["total"] for row in s["mixing"]) == s["recommendations"]
    assert sum(c["size"] for c in s["communities"]["groups"]) == g14.number_of_nodes()
    assert nm.summary(g14, seed=1, top=5)["communities"] == s["communities"]


# --- bipartite State-issue network and its projection ----------------------------------------------------
def test_bipartite_weights_equal_the_source_rows(store14, rows14):
    b = bipartite_network(store14)
    expected: Counter = Counter()
    for rec in recommendations(rows14).values():
        for name in rec["by"]:
            for issue in rec["issues"]:
                expected[(_iso3(name), issue)] += 1
    got = {(s, b.nodes[i]["label"]): d["weight"] for s, i, d in b.edges(data=True)}
    assert got == dict(expected)
    assert b.nodes["upr-info-issue/womens-rights"]["kind"] == "issue"


def test_projection_is_cosine_similarity_of_issue_profiles():
    b = nx.Graph()
    b.add_nodes_from(["S1", "S2", "S3"], kind="state")
    b.add_nodes_from(["i1", "i2"], kind="issue")
    b.add_weighted_edges_from([("S1", "i1", 1), ("S1", "i2", 1), ("S2", "i1", 1), ("S3", "i2", 2)])
    p = issue_projection(b, k=None)
    assert dict(p.edges) == {("S1", "S2"): p.edges["S1", "S2"], ("S1", "S3"): p.edges["S1", "S3"]}
    assert p.edges["S1", "S2"]["weight"] == p.edges["S1", "S3"]["weight"] == round(1 / 2 ** 0.5, 6)
    assert not p.has_edge("S2", "S3")  # no issue in common


def test_projection_keeps_each_states_k_most_similar(store14):
    p = issue_projection(bipartite_network(store14), k=3)
    assert p.number_of_nodes() > 100
    assert min(d for _, d in p.degree()) >= 3
    assert all(0 < d["weight"] <= 1 for *_, d in p.edges(data=True))


# --- files ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def china(store14) -> nx.DiGraph:
    g = state_network(store14, NetworkFilter(reviewed="CHN"))
    return nio.with_attributes(g, nm.node_measures(g, seed=1))


def test_graphml_reads_back(china, tmp_path):
    path = nio.write_graphml(china, tmp_path / "china.graphml")
    back = nx.read_graphml(path)
    assert back.is_directed()
    assert {(u, v): d["weight"] for u, v, d in back.edges(data=True)} == weights(china)
    assert back.nodes["FRA"]["name"] == "France" and back.nodes["FRA"]["regional_group_code"] == "weog"
    assert back.nodes["FRA"]["community"] == china.nodes["FRA"]["community"]


def test_gexf_is_valid_xml_with_attributes_and_reads_back(china, tmp_path):
    path = nio.write_gexf(china, tmp_path / "china.gexf")
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    titles = {a.get("title") for a in root.iterfind("g:graph/g:attributes[@class='node']/g:attribute", ns)}
    assert {"name", "iso3", "iso2", "regional_group", "regional_group_code"} <= titles
    nodes = root.findall("g:graph/g:nodes/g:node", ns)
    assert len(nodes) == china.number_of_nodes()
    assert {n.get("id"): n.get("label") for n in nodes}["CHN"] == "China"
    back = nx.read_gexf(path)
    assert back.is_directed()
    assert {(u, v): int(d["weight"]) for u, v, d in back.edges(data=True)} == weights(china)
    assert back.nodes["DEU"]["regional_group"] == "Western European and Others Group"
    assert back.nodes["DEU"]["viz"]["color"]["b"] > 0


def test_csv_and_json_read_back(china, tmp_path):
    paths = nio.write_all(china, tmp_path, "china", ("csv", "json"))
    assert [p.name for p in paths] == ["china-edges.csv", "china-nodes.csv", "china.json"]
    with open(paths[0], encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert {(r["source"], r["target"]): int(r["weight"]) for r in edges} == weights(china)
    assert {"supported", "noted", "supported_share", "source_name"} <= set(edges[0])
    with open(paths[1], encoding="utf-8") as fh:
        nodes = {r["id"]: r for r in csv.DictReader(fh)}
    assert nodes["CHN"]["name"] == "China" and nodes["CHN"]["iso2"] == "CN"
    back = nx.node_link_graph(json.loads(paths[2].read_text(encoding="utf-8")), edges="links")
    assert weights(back) == weights(china)


def test_png_of_a_sub_network(store14, tmp_path):
    import matplotlib.image

    g = state_network(store14)
    path = nio.draw(g, tmp_path / "china.png", focus="CHN", top=30)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(path).shape[0] >= 1500
    sub = nio.subnetwork(g, focus="CHN", top=30)
    assert sub.number_of_edges() == 30 and all(v == "CHN" for _, v in sub.edges())


# --- CLI -----------------------------------------------------------------------------------------
def _cli(*args):
    from rightsgraph.cli import main

    return CliRunner().invoke(main, ["network", *args])


def test_cli_acceptance_matches_the_api(sample_dir):
    result = _cli("acceptance", "China", "--store", str(sample_dir), "--format", "csv", "--sessions", "17")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    api = acceptance(EmbeddedStore(sample_dir, read_only=True), "CHN", NetworkFilter(session_min=17, session_max=17))
    assert [(r["recommender"], int(r["supported"])) for r in rows] == [
        (r["recommender"], r["supported"]) for r in api.rows]


def test_cli_export_and_draw(sample_dir, tmp_path):
    result = _cli("export", "--store", str(sample_dir), "--out", str(tmp_path / "net"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == [
        "states-edges.csv", "states-nodes.csv", "states.gexf", "states.graphml", "states.json"]
    assert "pagerank" in nx.read_graphml(tmp_path / "net" / "states.graphml").nodes["FRA"]
    result = _cli("draw", "--store", str(sample_dir), "--focus", "CHN", "--out", str(tmp_path / "c.png"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.png").stat().st_size > 10_000


def test_cli_mistakes_are_one_line_errors(sample_dir):
    result = _cli("acceptance", "Narnia", "--store", str(sample_dir))
    assert result.exit_code == 2 and "Narnia" in result.output
    result = _cli("measures", "--store", str(sample_dir), "--sessions", "x-y")
    assert result.exit_code == 2 and "--sessions" in result.output
