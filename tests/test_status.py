"""Follow-up status as of a date (vocab/follow-up-status, queries/unresolved.rq and its siblings).

The fixture tests/fixtures/status/world.ttl holds one made-up item per rule. The expected status of
every item at every test date is written down by hand below (EXPECTED), each with the fact that decides
it, so the test does not re-derive anything with the query's own logic.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rightsgraph.graph import queries, vocab
from rightsgraph.graph.namespaces import VOCAB_BASE
from rightsgraph.graph.store import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures" / "status"
WORLD = FIXTURES / "world.ttl"
QUERIES = Path(__file__).resolve().parents[1] / "queries"
ID = "https://w3id.org/rightsgraph/id/"
FUS = f"{VOCAB_BASE}follow-up-status/"

E, D0, D1, D2, D3, D4, D5 = ("2016-06-01", "2018-06-01", "2019-03-01", "2021-01-01", "2023-01-01",
                             "2024-06-25", "2025-06-01")
DATES = (E, D0, D1, D2, D3, D4, D5)

# status per date, in the order of DATES; None = not listed (not issued yet, resolved, or not yet due)
AR, RF, ANV, PA = "awaiting-response", "refused", "accepted-not-verified", "partially-accepted"
NAO, PI, NI, OD = "not-acted-on", "partially-implemented", "not-implemented", "overdue"
_ = None
EXPECTED: dict[str, tuple] = {
    # UPR, Slovenia session 34: issued 1 January 2019 (the session's year)
    "svn34/r1": (_, _, RF, RF, RF, RF, RF),        # noted
    "svn34/r2": (_, _, RF, RF, RF, RF, RF),        # rejected
    "svn34/r3": (_, _, ANV, ANV, ANV, ANV, ANV),   # supported
    "svn34/r4": (_, _, ANV, ANV, ANV, ANV, ANV),   # accepted and already implemented: a response, not an assessment
    "svn34/r5": (_, _, PA, PA, PA, PA, PA),        # partially supported
    "svn34/r6": (_, _, AR, AR, AR, AR, AR),        # no response at all
    "svn34/r7": (_, _, AR, AR, AR, AR, AR),        # pending
    "svn34/r8": (_, _, ANV, ANV, _, _, _),         # supported; assessed implemented on 2021-05-01
    "svn34/r10": (_, _, RF, RF, RF, RF, RF),       # preferred response noted (the other source: supported)
    "svn34/r11": (_, _, AR, RF, RF, RF, RF),       # noted, in a response dated 2019-06-01
    "svn34/p1": (_, _, ANV, ANV, ANV, ANV, ANV),   # voluntary pledge
    # UPR, Slovenia session 20 (2014) and China session 17 (2013)
    "svn20/a": (ANV, ANV, ANV, ANV, ANV, ANV, ANV),
    "svn20/b": (RF, RF, RF, RF, RF, RF, RF),
    "svn20/c": (RF, RF, RF, RF, RF, RF, RF),
    "svn20/d": (ANV, ANV, ANV, ANV, ANV, ANV, ANV),
    "chn17/c1": (RF, RF, RF, RF, RF, RF, RF),
    "chn17/c2": (ANV, ANV, ANV, ANV, ANV, ANV, ANV),
    "chn17/c3": (ANV, ANV, ANV, ANV, ANV, ANV, ANV),
    "chn17/c4": (AR, AR, AR, AR, AR, AR, AR),
    # declared summaries: cycle 2 never (recommendation-level data); cycle 3 from 2019-03-15; cycle 4 from 2024-06-11
    "declared-response-summary/chn-3/count/accepted": (_, _, _, ANV, ANV, ANV, ANV),
    "declared-response-summary/chn-3/count/noted": (_, _, _, RF, RF, RF, RF),
    "declared-response-summary/chn-4/count/accepted": (_, _, _, _, _, ANV, ANV),
    "declared-response-summary/chn-4/count/partially-supported": (_, _, _, _, _, PA, PA),
    "declared-response-summary/chn-4/count/noted": (_, _, _, _, _, RF, RF),
    "declared-response-summary/chn-4/count/rejected": (_, _, _, _, _, RF, RF),
    # OHCHR report of 2022-08-31; China rejected the report (stated 2024-06-25)
    "ohchr/o1": (_, _, _, _, AR, RF, RF),          # addressed to China
    "ohchr/o2": (_, _, _, _, NAO, NAO, NAO),       # addressed to the international community
    # CERD: referral of 2022-11, acted on 2024-01-15; a decision of 2021-04-30 to China, no action
    "cerd/c1": (_, _, _, _, NAO, _, _),
    "cerd/c2": (_, _, _, _, NAO, NAO, NAO),
    # calls of 2020-06 for a special session: on Myanmar (held 2021-02-12), on China (none); repeated 2022-06
    "sp/s1": (_, _, _, NAO, _, _, _),
    "sp/s2": (_, _, _, NAO, NAO, NAO, NAO),
    "sp/s3": (_, _, _, _, NAO, NAO, NAO),
    # CCPR follow-up requests of concluding observations of 2018-03-27 (t6: of 2014)
    "tb/t1": (_, AR, PI, PI, _, _, _),             # 2019: B and C; 2022: A
    "tb/t2": (_, AR, RF, RF, RF, RF, RF),          # 2019: E
    "tb/t3": (_, AR, NI, NI, NI, NI, NI),          # 2019: C and D
    "tb/t4": (_, AR, AR, "reply-not-assessed", "reply-not-assessed", "reply-not-assessed", "reply-not-assessed"),
    "tb/t5": (_, AR, AR, OD, OD, OD, OD),          # reply due 2019-12-31, none
    "tb/t6": (AR, _, _, _, _, _, _),               # grade A at session 121, dated by another 2017 document
    # reporting obligations
    "ro/ro1": (_, _, _, _, OD, OD, OD),            # source of 2020; due 2021-03-29 (2021-01-01: not yet due)
    "ro/ro2": (_, _, _, _, _, _, OD),              # due year 2024: overdue from 2025
    "ro/ro3": (_, _, OD, _, _, _, _),              # due 2019-01-01, submitted 2019-06-01
    "ro/ro4": (_, _, _, _, _, "reported-overdue", "reported-overdue"),  # stated 2024-06-25
}
UNRESOLVED = {"awaiting-response", "refused", "accepted-not-verified", "partially-accepted", "reply-not-assessed",
              "partially-implemented", "not-implemented", "overdue", "reported-overdue", "not-acted-on"}


def load_world(store: EmbeddedStore, copies: int = 1) -> EmbeddedStore:
    """The fixture and the shipped vocabularies, each in a named graph (as the pipeline keeps them)."""
    for i in range(copies):
        store.raw.load(path=str(WORLD), format=RdfFormat.TURTLE, to_graph=NamedNode(f"{ID}graph/test-world-{i}"))
    for f in vocab.vocab_files():
        store.raw.load(f.read_bytes(), format=RdfFormat.TURTLE, to_graph=NamedNode(f"{ID}graph/vocabularies"))
    return store


@pytest.fixture(scope="module")
def world() -> EmbeddedStore:
    return load_world(EmbeddedStore(None))


def key(iri: str) -> str:
    return iri.removeprefix(ID)


def unresolved(store, **params) -> dict[str, dict]:
    rows = queries.run(store, "unresolved", params).rows
    keys = [key(r["item"]) for r in rows]
    assert len(keys) == len(set(keys)), f"an item listed twice: {Counter(keys).most_common(3)}"
    return {key(r["item"]): r for r in rows}


@pytest.mark.parametrize("i", range(len(DATES)), ids=DATES)
def test_every_item_has_its_hand_derived_status(world, i):
    as_of = DATES[i]
    got = {k: r["status"] for k, r in unresolved(world, as_of=as_of).items()}
    want = {k: v[i] for k, v in EXPECTED.items() if v[i] is not None}
    assert got == want
    assert all(r["as_of"] == as_of for r in unresolved(world, as_of=as_of).values())


def test_the_same_facts_in_two_graphs_change_nothing():
    """The union default graph repeats a triple per graph holding it: answers must not."""
    twice = load_world(EmbeddedStore(None), copies=2)
    for as_of in (D2, D4):
        assert {k: r["status"] for k, r in unresolved(twice, as_of=as_of).items()} == {
            k: v[DATES.index(as_of)] for k, v in EXPECTED.items() if v[DATES.index(as_of)] is not None}


def test_declared_summaries_appear_as_counted_rows(world):
    rows = unresolved(world, as_of=D4, state="China", kind="declared-response-summary")
    counts = {k.rsplit("/", 1)[1]: (r["status"], r["count"]) for k, r in rows.items() if "chn-4" in k}
    assert counts == {"accepted": (ANV, 290), "partially-supported": (PA, 8), "noted": (RF, 32), "rejected": (RF, 98)}
    rejected = rows["declared-response-summary/chn-4/count/rejected"]
    assert rejected["evidence_date"] == "2024-06-11" and rejected["source"] == "https://example.org/test/statement-2024"
    assert rejected["evidence_node"] == f"{ID}declared-response-summary/chn-4"
    # every other row stands for one item
    assert {r["count"] for r in unresolved(world, as_of=D4).values() if r["kind"] != "declared-response-summary"} == {1}


def test_the_evidence_that_decided_each_status(world):
    at_d2 = unresolved(world, as_of=D2)
    t1 = at_d2["tb/t1"]
    assert t1["grades"] == "B C" and t1["evidence_date"] == "2019-01-01"
    assert t1["evidence_node"] == f"{ID}tb/t1/a2019" and t1["evidence_source"] == "https://example.org/test/assessment-2019"
    assert at_d2["svn34/r11"]["evidence_date"] == "2019-06-01"
    assert at_d2["svn34/r10"]["position"].endswith("/noted") and at_d2["svn34/r10"]["evidence_node"].endswith("/r10/b")
    assert at_d2["tb/t4"]["evidence_date"] == "2020-03-01"
    assert at_d2["tb/t5"]["evidence"].startswith("due 2019-12-31")
    at_d4 = unresolved(world, as_of=D4)
    o1 = at_d4["ohchr/o1"]
    assert o1["evidence_node"] == f"{ID}document-response/dr1" and o1["evidence_date"] == "2024-06-25"
    assert o1["evidence_source"] == "https://example.org/test/statement-2024" and o1["quote"] == "test o1 quote"
    ro4 = at_d4["ro/ro4"]
    assert ro4["evidence"] == "reported overdue: five years overdue" and ro4["evidence_date"] == "2024-06-25"
    assert at_d4["cerd/c2"]["addressee"] == "China"
    assert "Special Adviser" in unresolved(world, as_of=D3)["cerd/c1"]["addressee"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"state": "SVN"}, {k for k in EXPECTED if k.startswith("svn")}),
    ({"state": "Myanmar"}, set()),
    ({"mechanism": "ccpr"}, {"tb/t2", "tb/t3", "tb/t4", "tb/t5", "ro/ro1"}),
    ({"mechanism": "CAT"}, {"ro/ro4"}),
    ({"kind": "special-procedure-call"}, {"sp/s2", "sp/s3"}),
    ({"status": "overdue"}, {"tb/t5", "ro/ro1"}),
    ({"issue": "women's rights"}, {"svn34/r3", "svn34/r4", "svn34/r5", "svn20/a", "chn17/c2"}),
    ({"issue": "DEATH PENALTY", "state": "CHN"}, {"chn17/c1", "chn17/c3"}),
])
def test_filters(world, params, expected):
    got = set(unresolved(world, as_of=D4, **params))
    if "state" in params and params["state"] == "SVN":
        expected = {k for k in expected if EXPECTED[k][DATES.index(D4)] is not None}
    assert got == expected


def test_as_of_defaults_to_today_and_the_convenience_sets_it(world):
    today = queries.run(world, "unresolved", {"state": "FRA"}).rows
    assert today and {r["as_of"] for r in today} == {__import__("datetime").date.today().isoformat()}
    assert queries.run(world, "unresolved", {"state": "FRA"}, as_of=D2).rows == queries.run(
        world, "unresolved", {"state": "FRA", "as_of": D2}).rows
    with pytest.raises(queries.QueryError, match="has no as_of parameter"):
        queries.run(world, "refusal-rate", as_of=D2)


@pytest.mark.parametrize("as_of", DATES)
def test_overdue_reports_and_calls_apply_the_same_rules(world, as_of):
    rows = unresolved(world, as_of=as_of)
    overdue = {key(r["obligation"]): r["status"] for r in queries.run(world, "overdue-reports", as_of=as_of).rows}
    assert overdue == {k: r["status"] for k, r in rows.items() if r["kind"] == "reporting-obligation"}
    calls = {key(r["item"]) for r in queries.run(world, "calls-not-acted-on", as_of=as_of).rows}
    assert calls == {k for k, r in rows.items() if r["status"] == NAO}


# --- the rules are written once: vocabulary and queries agree -------------------------------------------
def scheme() -> Graph:
    g = Graph()
    g.parse(data=(files("rightsgraph.ontology") / "vocab" / "follow-up-status.ttl").read_text("utf-8"), format="turtle")
    return g


def test_the_unresolved_group_is_what_the_query_lists():
    g = scheme()
    narrower = {str(c).removeprefix(FUS) for c in g.subjects(SKOS.broader, URIRef(FUS + "unresolved"))}
    assert narrower == UNRESOLVED
    text = queries.resolve("unresolved").text
    listed = re.search(r'FILTER\(\?status IN \(([^)]*)\)\)', text).group(1)
    assert set(re.findall(r'"([a-z-]+)"', listed)) == UNRESOLVED
    # every status the query can produce is a concept of the scheme, and every concept is produced
    chain = text[text.index("AS ?responseKnown"):text.index("AS ?status")]
    produced = set(re.findall(r'"([a-z]+(?:-[a-z]+)*)"', chain))
    produced |= set(re.findall(r'"([a-z]+(?:-[a-z]+)*)"\)*\s*AS \?[ax]?r?status\)', text))
    produced |= set(re.findall(r'IF\([^,]*, "([a-z]+(?:-[a-z]+)*)"', text[:text.index("AS ?responseKnown")]))
    defined = {str(c).removeprefix(FUS) for c in g.subjects(SKOS.inScheme, None)}
    statuses = {s for s in produced if s in defined or s == "unknown"}
    assert defined - {"unresolved", "resolved"} <= statuses
    precedence = g.value(URIRef(VOCAB_BASE + "follow-up-status"), SKOS.scopeNote)
    assert set(re.findall(r"[a-z]+(?:-[a-z]+)+|implemented|submitted|refused|overdue", str(precedence))) >= (
        defined - {"unresolved", "resolved"})


def test_every_status_is_defined_in_the_scheme():
    g = scheme()
    for c in g.subjects(SKOS.inScheme, None):
        assert g.value(c, SKOS.definition) is not None, c


@pytest.mark.parametrize("name", ["unresolved", "refusal-rate", "acceptance-by-action-category", "who-raises-what",
                                  "recurring-recommendations"])
def test_position_lists_in_queries_follow_the_position_vocabulary(name):
    """Queries list refusal and support positions for speed; the lists must be the vocabulary's."""
    text = (QUERIES / f"{name}.rq").read_text("utf-8")
    positions = vocab.concepts("position")
    refusal = {p.rsplit("/", 1)[1] for p in positions if vocab.is_refusal(p)}
    supported = {p.rsplit("/", 1)[1] for p in positions
                 if p.endswith("/supported") or f"{VOCAB_BASE}position/supported" in vocab._index().ancestors[p]}
    lists = [set(re.findall(r"pos:([a-z-]+)", m)) for m in re.findall(r"IN \(([^)]*pos:[^)]*)\)", text)]
    assert lists
    for found in lists:
        assert found in (refusal, supported), found
