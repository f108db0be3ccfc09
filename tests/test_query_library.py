"""The named query library: each query's answer against an independent count.

Two kinds of check: on the made-up fixture tests/fixtures/status/world.ttl, the expected answer is
computed here in Python from the fixture's triples (rdflib, not SPARQL); on the shipped UPR Info sample
(rightsgraph/data/default/upr-info-china-sessions-4-17.csv, China's reviews of 2009 and 2013), it is
counted from the CSV rows with the csv module. Plus the output formats and the ad-hoc query.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import defaultdict

import pytest
from conftest import DEFAULT_DATA, read_upr_info_rows
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rightsgraph.graph import queries
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import QueryError
from rightsgraph.graph.reference import states
from rightsgraph.graph.store import EmbeddedStore
from test_status import WORLD, load_world

RG = Namespace("https://w3id.org/rightsgraph/ontology#")
POS = "https://w3id.org/rightsgraph/vocab/position/"
REFUSAL = {POS + "noted", POS + "rejected"}
SUPPORT = {POS + p for p in ("supported", "accepted", "accepted-already-implemented", "accepted-being-implemented")}
SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
LIBRARY = ("refusal-rate", "acceptance-by-action-category", "recurring-recommendations", "recommendations-on-issue",
           "who-raises-what", "overdue-reports", "calls-not-acted-on", "provenance", "unresolved")


@pytest.fixture(scope="module")
def world() -> EmbeddedStore:
    return load_world(EmbeddedStore(None))


@pytest.fixture(scope="module")
def g() -> Graph:
    graph = Graph().parse(WORLD, format="turtle")
    from rightsgraph.graph.vocab import vocab_graph

    for t in vocab_graph():
        graph.add(t)
    return graph


# --- an independent reading of the fixture -------------------------------------------------------------
def recommendations(g: Graph) -> list[dict]:
    """Every recommendation not merged into another: State, cycle, position, category, issues, recommenders."""
    out = []
    for item in g.subjects(RDF.type, RG.UPRRecommendation):
        if g.value(item, RG.mergedInto) is not None:
            continue
        review = g.value(item, RG.review)
        session = g.value(review, RG.session)
        response = g.value(item, RG.preferredResponse) or g.value(item, RG.hasResponse)
        categories = [int(str(c).rsplit("/", 1)[1]) for c in g.objects(item, RG.actionCategory)]
        categories += [int(str(c).rsplit("/", 1)[1]) for m in g.subjects(RG.mergedInto, item)
                       for c in g.objects(m, RG.actionCategory)]
        out.append({
            "item": str(item),
            "state": str(g.value(g.value(review, RG.stateUnderReview), RG.iso3)),
            "cycle": int(str(g.value(session, RG.cycle)).rsplit("/", 1)[1]),
            "session": int(g.value(session, RG.sessionNumber)),
            "position": str(g.value(response, RG.position)) if response is not None else None,
            "category": max(categories) if categories else None,
            "issues": {str(i) for i in g.objects(item, RG.issue)},
            "recommenders": {str(g.value(s, RG.iso3)) for s in g.objects(item, RG.recommendedBy)},
        })
    return out


def label(g: Graph, concept: str) -> str:
    return str(g.value(URIRef(concept), SKOS.prefLabel))


def test_refusal_rate_matches_the_fixture(world, g):
    recs = recommendations(g)
    expected = {}
    for r in recs:
        e = expected.setdefault((r["state"], r["cycle"]),
                                {"recommendations": 0, "refused": 0, "basis": "recommendations"})
        e["recommendations"] += 1
        e["refused"] += r["position"] in REFUSAL
    for summary in g.subjects(RDF.type, RG.DeclaredResponseSummary):
        state = str(g.value(g.value(summary, RG.respondent), RG.iso3))
        cycle = int(str(g.value(summary, RG.cycle)).rsplit("/", 1)[1])
        if (state, cycle) in expected and expected[(state, cycle)]["basis"] == "recommendations":
            continue  # recommendation-level data wins
        refused = sum(int(g.value(pc, RG.declaredCount)) for pc in g.objects(summary, RG.positionCount)
                      if str(g.value(pc, RG.position)) in REFUSAL)
        expected[(state, cycle)] = {"recommendations": int(g.value(summary, RG.declaredTotal)), "refused": refused,
                                    "basis": "declared summary"}
    rows = queries.run(world, "refusal-rate").rows
    got = {(r["state"], r["cycle"]): {k: r[k] for k in ("recommendations", "refused", "basis")} for r in rows}
    assert got == expected
    for r in rows:
        assert r["refusal_percent"] == round(1000 * r["refused"] / r["recommendations"]) / 10
    china = {r["cycle"]: (r["recommendations"], r["refused"], r["refusal_percent"])
             for r in queries.run(world, "refusal-rate", {"state": "China"}).rows}
    # the statement's figures: 2018 18% (62 of 346), 2024 30% (130 of 428); cycle 2 from the 4 recommendations
    assert china == {2: (4, 1, 25.0), 3: (346, 62, 17.9), 4: (428, 130, 30.4)}


def test_acceptance_by_action_category_matches_the_fixture(world, g):
    expected = defaultdict(lambda: defaultdict(int))
    for r in recommendations(g):
        if r["category"] is None:
            continue
        e = expected[(r["state"], r["cycle"], r["category"])]
        e["recommendations"] += 1
        group = ("supported" if r["position"] in SUPPORT else "refused" if r["position"] in REFUSAL
                 else "partially_supported" if r["position"] == POS + "partially-supported" else "no_response")
        e[group] += 1
    rows = queries.run(world, "acceptance-by-action-category").rows
    got = {(r["state"], r["cycle"], r["category"]): {k: r[k] for k in ("recommendations", "supported", "refused",
                                                                        "partially_supported", "no_response") if r[k]}
           for r in rows}
    assert got == {k: dict(v) for k, v in expected.items()}
    assert {r["category_label"] for r in rows if r["category"] == 5} == {"Specific action"}
    only = queries.run(world, "acceptance-by-action-category", {"state": "SVN", "cycle": "3"}).rows
    assert only and {(r["state"], r["cycle"]) for r in only} == {("SVN", 3)}


def test_who_raises_what_matches_the_fixture(world, g):
    expected = defaultdict(lambda: [0, 0, 0])
    for r in recommendations(g):
        for by in r["recommenders"]:
            for issue in r["issues"]:
                e = expected[(r["state"], by, issue)]
                e[0] += 1
                e[1] += r["position"] in SUPPORT
                e[2] += r["position"] in REFUSAL
    rows = queries.run(world, "who-raises-what").rows
    assert {(r["state"], r["recommender"], r["issue"]): [r["recommendations"], r["supported"], r["refused"]]
            for r in rows} == dict(expected)
    france = queries.run(world, "who-raises-what", {"state": "SVN", "recommender": "France"}).rows
    assert {r["issue_label"]: r["recommendations"] for r in france} == {
        "Death penalty": 5, "Torture and other CID treatment": 1, "Women's rights": 1}  # r1 r6 r11 (2019), b c (2014)


def test_recurring_recommendations_match_the_fixture(world, g):
    per = defaultdict(lambda: [0, 0, 0])  # (state, issue label, cycle) -> [n, supported, refused]
    for r in recommendations(g):
        for issue in r["issues"]:
            e = per[(r["state"], label(g, issue).lower(), r["cycle"])]
            e[0] += 1
            e[1] += r["position"] in SUPPORT
            e[2] += r["position"] in REFUSAL
    expected = {(s, i, c): (per[(s, i, c)], per[(s, i, c + 1)]) for (s, i, c) in per if (s, i, c + 1) in per}
    rows = queries.run(world, "recurring-recommendations").rows
    got = {(r["state"], r["issue_label"].lower(), r["earlier_cycle"]):
           ([r["earlier_recommendations"], r["earlier_supported"], r["earlier_refused"]],
            [r["later_recommendations"], r["later_supported"], r["later_refused"]]) for r in rows}
    assert got == expected
    assert {r["issue_label"] for r in rows if r["state"] == "SVN"} == {"Death penalty", "Women's rights"}
    death = queries.run(world, "recurring-recommendations", {"state": "SVN", "issue": "death PENALTY"}).rows
    assert len(death) == 1 and death[0]["earlier_accepted"] is False and death[0]["later_refused"] == 2
    # regression: the issue's notation gave no rows (the query compared labels only)
    by_notation = queries.run(world, "recurring-recommendations", {"state": "SVN", "issue": "death-penalty"}).rows
    assert [{**r, "issue": None} for r in by_notation] == [{**r, "issue": None} for r in death]


def test_recommendations_on_issue_include_narrower_themes(world, g):
    narrow = {str(c) for c in g.subjects(SKOS.broader, URIRef("https://w3id.org/rightsgraph/vocab/upr-info-issue/womens-rights"))}
    want = {r["item"] for r in recommendations(g)
            if r["issues"] & ({"https://w3id.org/rightsgraph/vocab/upr-info-issue/womens-rights"} | narrow)}
    rows = queries.run(world, "recommendations-on-issue", {"issue": "Women’s Rights"}).rows
    assert {r["item"] for r in rows} == want and len(rows) == len(want)
    r3 = next(r for r in rows if r["item"].endswith("svn34/r3"))
    assert r3["position"] == "supported" and r3["recommenders"] == "NOR" and r3["category"] == 4
    with pytest.raises(QueryError, match="not an issue or theme"):
        queries.bind(queries.resolve("recommendations-on-issue"), {"issue": "womens rigths"})


def test_calls_not_acted_on(world):
    rows = queries.run(world, "calls-not-acted-on", {"as_of": "2021-01-01"}).rows
    assert {r["item"].rsplit("/", 1)[1] for r in rows} == {"s1", "s2"}  # the Myanmar session came in February
    later = queries.run(world, "calls-not-acted-on", {"as_of": "2023-01-01"}).rows
    assert {r["item"].rsplit("/", 1)[1] for r in later} == {"s2", "s3", "c1", "c2", "o2"}
    s3 = next(r for r in later if r["item"].endswith("/s3"))
    assert s3["repeats"].endswith("/sp/s2") and s3["requested"] == "hrc-special-session"


# --- the shipped UPR Info sample, counted from its rows ------------------------------------------------
def norm(text: str) -> str:
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", text.lower())


@pytest.fixture(scope="module")
def sample() -> tuple[EmbeddedStore, dict]:
    """The sample loaded by the pipeline, and its recommendations read from the CSV rows."""
    store = EmbeddedStore(None)
    load_files(store, [SAMPLE])
    recs: dict[tuple, dict] = {}
    for _to, _, _, text, by, _, _, response, action, issue, session in read_upr_info_rows(SAMPLE):
        # one recommendation per review, wording and response (rows are one per recommending State)
        r = recs.setdefault((int(session), norm(text), response), {"by": set(), "issues": set(), "action": set()})
        r["by"].add(states().resolve(by).iso3)
        r["issues"] |= {i.strip() for i in issue.split(",") if i.strip()}
        r["action"].add(int(action))
    return store, recs


def test_sample_refusal_rate_and_action_categories_equal_the_csv(sample):
    store, recs = sample
    rates = {r["session"]: (r["recommendations"], r["refused"]) for r in queries.run(store, "refusal-rate").rows}
    expected = {s: (sum(1 for k in recs if k[0] == s), sum(1 for k in recs if k[0] == s and k[2] == "Noted"))
                for s in (4, 17)}
    assert rates == expected
    by_action = defaultdict(lambda: [0, 0])
    for (session, _, response), r in recs.items():
        e = by_action[(1 if session == 4 else 2, max(r["action"]))]
        e[0] += 1
        e[1] += response == "Accepted"
    rows = queries.run(store, "acceptance-by-action-category", {"state": "CHN"}).rows
    assert {(r["cycle"], r["category"]): [r["recommendations"], r["supported"]] for r in rows} == dict(by_action)


def test_sample_who_raises_what_equals_the_csv(sample):
    store, recs = sample
    expected = defaultdict(int)
    for r in recs.values():
        for by in r["by"]:
            for issue in r["issues"]:
                expected[(by, issue)] += 1
    rows = queries.run(store, "who-raises-what", {"state": "CHN"}).rows
    assert {(r["recommender"], r["issue_label"]): r["recommendations"] for r in rows} == dict(expected)


def test_sample_recommendations_on_issue_equal_the_csv(sample):
    store, recs = sample
    rows = queries.run(store, "recommendations-on-issue", {"issue": "Death penalty", "state": "CHN"}).rows
    assert len(rows) == sum(1 for r in recs.values() if "Death penalty" in r["issues"]) > 0
    assert {r["position"] for r in rows} <= {"supported", "noted"}


def test_provenance_names_the_file_its_checksum_and_rows(sample):
    store, _ = sample
    item = queries.run(store, "recommendations-on-issue", {"issue": "Death penalty"}).rows[0]["item"]
    rows = queries.run(store, "provenance", {"node": item}).rows
    graphs = [r for r in rows if r["what"] == "graph"]
    assert graphs and graphs[0]["file"] == SAMPLE.name
    assert graphs[0]["sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert graphs[0]["rows_read"] == 422 and graphs[0]["loader"] == "upr-info"
    records = {r["value"] for r in rows if r["what"] == "source record"}
    assert records and all(re.fullmatch(rf"{re.escape(SAMPLE.name)}#row=\d+", v) for v in records)
    assert {r["what"] for r in rows} >= {"graph", "source", "source record", "derived from", "response"}
    with pytest.raises(QueryError, match="not an IRI"):
        queries.bind(queries.resolve("provenance"), {"node": "not an iri"})


# --- headers, formats, ad-hoc text -----------------------------------------------------------------------
@pytest.mark.parametrize("name", LIBRARY)
def test_library_queries_have_headers_and_projected_parameters(name):
    q = queries.resolve(name)
    assert q.title and q.description and q.path.endswith(f"{name}.rq")
    select = q.text[q.text.index("SELECT"):q.text.index("WHERE")]
    for p in q.params:
        assert f"?{p}" in select, f"{name}: parameter {p} is not projected"


def test_standard_result_formats(world):
    params = {"state": "CHN", "as_of": "2024-06-25"}
    rows = queries.run(world, "unresolved", params).rows
    srj = json.loads(queries.serialize(world, "unresolved", params, "srj"))
    assert len(srj["results"]["bindings"]) == len(rows) and srj["head"]["vars"][0] == "as_of"
    srx = queries.serialize(world, "unresolved", params, "srx")
    srx = list(parse_query_results(srx, format=QueryResultsFormat.XML))
    assert len(srx) == len(rows)
    tsv = queries.serialize(world, "unresolved", params, "tsv").decode().splitlines()
    assert tsv[0].startswith("?as_of\t?state") and len(tsv) == len(rows) + 1
    table = list(csv.reader(io.StringIO(queries.serialize(world, "unresolved", params, "csv").decode())))
    assert table[0][:2] == ["as_of", "state"] and len(table) == len(rows) + 1
    assert queries.serialize(world, "unresolved", {"state": "CHN"}, "json", as_of="2024-06-25") == queries.serialize(
        world, "unresolved", params, "srj")
    with pytest.raises(QueryError, match="unknown output format"):
        queries.serialize(world, "unresolved", params, "xlsx")


def test_adhoc_queries(world):
    q = queries.adhoc("# param as_of: date, optional, default=today.\nSELECT ?as_of (COUNT(*) AS ?n) WHERE { ?s a "
                      "<https://w3id.org/rightsgraph/ontology#UPRReview> } GROUP BY ?as_of")
    assert queries.run(world, q, as_of="2020-01-01").rows == [{"as_of": "2020-01-01", "n": 3}]
    ask = queries.serialize(world, queries.adhoc("ASK { ?s ?p ?o }"), fmt="srj")
    assert json.loads(ask)["boolean"] is True
    ttl = queries.serialize(world, queries.adhoc(
        "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t FILTER(?t = <https://w3id.org/rightsgraph/ontology#UPRReview>) }"),
        fmt="ttl")
    assert len(Graph().parse(data=ttl.decode(), format="turtle")) == 3
    with pytest.raises(QueryError, match="empty"):
        queries.adhoc("  ")
    with pytest.raises(QueryError, match="syntax error"):
        queries.run(world, queries.adhoc("SELECT WHERE {"))


@pytest.mark.parametrize(("value", "key"), [("CERD", "cerd"), ("Committee against Torture", "cat"),
                                            ("special-procedures", "special-procedures")])
def test_mechanism_parameters(value, key):
    assert queries.bind(queries.resolve("unresolved"), {"mechanism": value})["mechanism"].value == key


def test_unknown_mechanism_is_an_error():
    with pytest.raises(QueryError, match="not a mechanism key"):
        queries.bind(queries.resolve("unresolved"), {"mechanism": "UNESCO"})


def test_cli_query_options():
    from rightsgraph import cli_query_options as opts

    assert opts.query_from("unresolved", None).name == "unresolved"
    assert opts.query_from(None, "SELECT * WHERE { ?s ?p ?o } LIMIT 1").path == "<expression>"
    with pytest.raises(QueryError, match="not both"):
        opts.query_from("unresolved", "ASK {}")
    with pytest.raises(QueryError, match="give a query NAME"):
        opts.query_from(None, None)
    q = opts.query_from("overdue-reports", None)
    assert queries.with_as_of(q, {"state": "CHN"}, "2024-06-25") == {"state": "CHN", "as_of": "2024-06-25"}
    with pytest.raises(QueryError, match="has no as_of parameter"):
        queries.with_as_of(opts.query_from("refusal-rate", None), {}, "2024-06-25")
    assert set(opts.STANDARD_FORMATS) == {"srj", "srx", "tsv", "ttl", "nt", "rdfxml"}


def test_a_format_of_the_other_kind_is_an_error_not_a_switch(world):
    construct = queries.adhoc("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/rightsgraph/ontology#UPRReview> ;"
                              " ?p ?o } LIMIT 5")
    assert queries.serialize(world, construct, fmt="nt").count(b"\n") == 5
    with pytest.raises(QueryError, match="a CONSTRUCT or DESCRIBE answer is a graph"):
        queries.serialize(world, construct, fmt="srj")
    with pytest.raises(QueryError, match="a SELECT or ASK answer"):
        queries.serialize(world, "overdue-reports", fmt="ttl")


def test_a_failure_while_running_is_a_query_error(world):
    unreachable = queries.adhoc("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="failed while running"):
        queries.run(world, unreachable)
    with pytest.raises(QueryError, match="failed while running"):
        queries.serialize(world, unreachable, fmt="srj")
