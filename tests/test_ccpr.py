"""Human Rights Committee follow-up assessments: 114 records, their paragraphs, grades and history."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, snapshot
from pyoxigraph import Literal, NamedNode
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.store import EmbeddedStore
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.base import LoadError
from test_ratification import ensure_mechanisms

SOURCE = SHARED / "treaty-bodies" / "ccpr-followup-assessments.json"
RG = "https://w3id.org/rightsgraph/ontology#"
DOC = "https://w3id.org/rightsgraph/id/doc/"


@pytest.fixture(scope="module")
def loaded():
    if not SOURCE.exists():
        pytest.skip(f"real data not found at {SOURCE}")
    store = EmbeddedStore(None)
    (report,) = load_files(store, [SOURCE])
    ensure_mechanisms(store)
    return store, report


def count(store, sparql: str) -> int:
    return int(next(iter(store.query(f"PREFIX rg: <{RG}> " + sparql)))[0].value)


def value(store, subject: str, prop: str):
    rows = list(store.query(f"SELECT ?o WHERE {{ <{subject}> <{prop}> ?o }}"))
    return rows[0]["o"].value if rows else None


def expected_counts() -> dict[str, int]:
    """An independent reading of the JSON: paragraphs and grades of the latest round, history grades."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    paragraphs = grades = history_grades = 0
    items = set()
    for rec in data.values():
        body = {p["num"]: p for p in rec["paragraphs"]}
        listed = set(body) | set(rec["header_grades"]) | set(rec["followup_paras"])
        paragraphs += len(listed)
        items |= {(rec["co_symbol"], p) for p in listed}
        for p in listed:
            limbs = body.get(p, {}).get("limbs") or []
            grades += len(limbs) or len(rec["header_grades"].get(p, []))
        rounds = [(rec["co_symbol"], rec["assessment_session"], None)]
        for h in rec["history"]:
            key = (h["co_symbol"], h["session"], json.dumps(h["header_grades"], sort_keys=True))
            if key in rounds:  # the same round twice, word for word
                continue
            rounds.append(key)
            history_grades += sum(len(g) for g in h["header_grades"].values())
            items |= {(h["co_symbol"], p) for p in h["header_grades"]}
    return {"records": len(data), "paragraphs": paragraphs, "grades": grades, "history_grades": history_grades,
            "items": len(items)}


def test_counts_reconcile_with_the_file(loaded):
    store, report = loaded
    exp = expected_counts()
    assert exp["records"] == 114
    assert report.rows_read == report.rows_loaded == 114 and report.rejections == []
    assert exp["paragraphs"] == 331 and exp["grades"] == 558
    # the latest round is the one with an assessment document; history rounds have none
    latest = count(store, """SELECT (COUNT(?g) AS ?n) WHERE { ?a rg:hasGrade ?g ;
        <http://purl.org/dc/terms/source> ?doc }""")
    assert count(store, "SELECT (COUNT(?g) AS ?n) WHERE { ?g a rg:FollowUpGrade }") == (
        exp["grades"] + exp["history_grades"]) == report.records["grade"]
    assert count(store, "SELECT (COUNT(?i) AS ?n) WHERE { ?i a rg:TreatyBodyFollowUpRequest }") == exp["items"]
    # 517 grades of the paragraph-by-paragraph text carry the Committee's evaluation
    assert count(store, "SELECT (COUNT(?g) AS ?n) WHERE { ?g rg:evaluation ?e }") == 517
    assert latest == exp["grades"]
    assert count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?i a rg:TreatyBodyFollowUpRequest ; "
                        "rg:addressedTo ?s }") == 114


def test_a_record_in_detail(loaded):
    store, _ = loaded
    item = f"{DOC}CCPR/C/UZB/CO/5/follow-up/25"
    assert value(store, item, f"{RG}paragraph") == "25"
    assert value(store, item, f"{RG}addressedTo").endswith("/state/UZB")
    assert value(store, item, f"{RG}issuedBy").endswith("/mechanism/ccpr")
    assert value(store, item, f"{RG}followUpReply") == f"{DOC}CCPR/C/UZB/FCO/5"
    assert value(store, f"{DOC}CCPR/C/UZB/CO/5", "http://purl.org/dc/terms/date") == "2020-03-27"
    a = f"{item}/assessment/s140"
    assert value(store, a, "http://purl.org/dc/terms/source") == f"{DOC}CCPR/C/140/2/Add.4"
    assert value(store, f"{DOC}CCPR/C/140/2/Add.4", f"{RG}sessionDates") == "4–28 March 2024"
    assert value(store, f"{a}/grade/1", f"{RG}grade").endswith("/ccpr-grade/C")
    # history: CCPR/C/UZB/CO/4, assessed at session 121, paragraph 13 graded E twice
    old = f"{DOC}CCPR/C/UZB/CO/4/follow-up/13/assessment/s121"
    assert [value(store, f"{old}/grade/{n}", f"{RG}grade")[-1] for n in (1, 2)] == ["E", "E"]
    assert value(store, f"{old}/grade/1", f"{RG}fromSummaryTable") == "true"


def test_summary_table_fills_in_and_disagreements_are_kept(loaded):
    store, _ = loaded
    # Bolivia: paragraph 12 is graded only in the summary table (C C C C)
    a = f"{DOC}CCPR/C/BOL/CO/3/follow-up/12/assessment/s{json.loads(SOURCE.read_text())['BOL']['assessment_session']}"
    assert count(store, f"SELECT (COUNT(?g) AS ?n) WHERE {{ <{a}> rg:hasGrade ?g . ?g rg:fromSummaryTable true }}") == 4
    # Togo paragraph 10: body C, table B
    tgo = json.loads(SOURCE.read_text())["TGO"]
    a = f"{DOC}{tgo['co_symbol']}/follow-up/10/assessment/s{tgo['assessment_session']}"
    assert value(store, a, f"{RG}summaryGrades") == "B"
    assert value(store, f"{a}/grade/1", f"{RG}grade").endswith("/C")


def test_unreadable_stretches_are_kept(loaded):
    store, _ = loaded
    raw = SOURCE.read_text(encoding="utf-8")
    assert raw.count("\ufffd") == 40 and raw.count("\ufffd" * 10) == 4
    query = f"SELECT ?t WHERE {{ ?i <{RG}text> ?t FILTER(CONTAINS(?t, '\ufffd')) }}"
    texts = [s["t"].value for s in store.query(query)]
    assert sum(t.count("\ufffd") for t in texts) == 40
    assert sum(t.count("\ufffd" * 10) for t in texts) == 4


def test_next_periodic_report_due_dates(loaded):
    store, report = loaded
    assert report.records["reporting obligation"] == 33
    srb = f"{DOC}CCPR/C/SRB/CO/3/next-periodic-report"
    assert value(store, srb, f"{RG}dueDate") == "2021-03-29"
    assert value(store, srb, f"{RG}quote") == "Next periodic report due: 29 March 2021."
    svk = f"{DOC}CCPR/C/SVK/CO/4/next-periodic-report"
    assert value(store, svk, f"{RG}dueYear") == "2024" and value(store, svk, f"{RG}dueDate") is None
    assert value(store, svk, f"{RG}quote").startswith("Next periodic report due: 2024 (country review in 2025")


def test_grades_query_latest_and_history(loaded):
    store, _ = loaded
    rows = run(store, "ccpr-followup-grades", {"state": "Uzbekistan"}).rows
    latest = [r for r in rows if r["latest"]]
    history = [r for r in rows if not r["latest"]]
    assert {r["session"] for r in latest} == {140}
    assert {r["concluding_observations"] for r in latest} == {"CCPR/C/UZB/CO/5"}
    assert {(r["session"], r["concluding_observations"]) for r in history} == {
        (121, "CCPR/C/UZB/CO/4"), (109, "CCPR/C/UZB/CO/3")}
    assert len(latest) == 4 and len(history) == 8
    assert all(r["from_summary_table"] for r in history)
    assert run(store, "ccpr-followup-grades", {"state": "CHN"}).rows == []


def test_shipped_records_conform(loaded):
    store, _ = loaded
    result = validate(store)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:5]
    warnings = [f for f in result.findings if f.severity == "Warning"]
    assert len(warnings) == 8 and {f.shape for f in warnings} == {"follow-up assessment"}


# --- broken input -----------------------------------------------------------------------------------
GOOD = {"code": "SRB", "name": "Serbia", "co_symbol": "CCPR/C/SRB/CO/3", "co_date": "6 April 2017",
        "assessment_symbol": "CCPR/C/130/2/Add.4", "assessment_session": 130, "header_grades": {},
        "followup_paras": [], "history": [],
        "paragraphs": [{"num": "15", "title": "t", "recommendation": "r",
                        "limbs": [{"label": "", "grade": "B", "eval": "e"}]}]}


def write(tmp_path: Path, data, name: str = "followup.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return p


@pytest.mark.parametrize("change, reason", [
    ({"code": "XXX"}, "record key 'SRB' and its code 'XXX' differ"),
    ({"co_symbol": None}, "missing co_symbol"),
    ({"co_symbol": "CCPR/C/HRV/CO/3"}, "is not about Serbia"),
    ({"assessment_session": "130th"}, "is not a session number"),
    ({"co_date": "spring 2017"}, "is not a date like"),
    ({"paragraphs": [{"num": "15", "limbs": [{"grade": "F"}]}]}, "grade 'F' is not one of A-E"),
    ({"paragraphs": [{"num": "xv", "limbs": []}]}, "is not a paragraph number"),
    ({"header_grades": {"15": ["B+"]}}, "are not letters A-E"),
    ({"history": [{"session": 109, "co_symbol": "CCPR/C/SRB/CO/2", "header_grades": "B"}]}, "is not an object"),
    ({"name": "Croatia"}, "but the name 'Croatia' is Croatia"),
])
def test_bad_record_is_rejected_with_its_reason(store, tmp_path, change, reason):
    bad = {**GOOD, **change}
    (report,) = load_files(store, [write(tmp_path, {"SRB": bad, "UZB": {**GOOD, "code": "UZB", "name": "Uzbekistan",
                                                                          "co_symbol": "CCPR/C/UZB/CO/5"}})])
    assert report.rows_read == 2 and report.rows_loaded == 1
    assert len(report.rejections) == 1
    assert report.rejections[0].row == "SRB" and reason in report.rejections[0].reason, report.rejections[0].reason


@pytest.mark.parametrize("content, fragment", [
    ('{"SRB": {"co_symbol": "x", "assessment_symbol": "y",', "not valid JSON"),
    ('[{"co_symbol": "x", "assessment_symbol": "y"}]', "expected a JSON object of records"),
    ('{}  "co_symbol" "assessment_symbol"', "not valid JSON"),
])
def test_unloadable_file_is_one_error_and_changes_nothing(store, tmp_path, content, fragment):
    before = snapshot(store)
    with pytest.raises(LoadError) as exc:
        load_files(store, [write(tmp_path, content)])
    assert fragment in str(exc.value) and "\n" not in str(exc.value)
    assert snapshot(store) == before


def test_a_small_file_loads_and_conforms(store, tmp_path):
    (report,) = load_files(store, [write(tmp_path, {"SRB": GOOD})])
    assert report.rows_loaded == 1 and report.records["grade"] == 1
    ensure_mechanisms(store)
    subject = NamedNode(f"{DOC}CCPR/C/SRB/CO/3/follow-up/15")
    assert Literal("r", language="en") in {q.object for q in store.raw.quads_for_pattern(subject, None, None)}
    assert validate(store).conforms


ODD = [None, 0, -1, 2.5, True, "", "x", [], [1], {}, {"a": 1}]


def test_any_json_value_anywhere_is_a_record_or_a_rejection(tmp_path):
    """Every field of a good record, top level and nested, replaced by values of every JSON type:
    each variant is one record loaded or one rejection with a reason, never an exception."""
    from rightsgraph.loaders.base import LoadContext
    from rightsgraph.loaders.registry import get

    variants = []
    for field in GOOD:
        variants += [{**GOOD, field: odd} for odd in ODD]
    for field in ("num", "title", "recommendation", "limbs"):
        variants += [{**GOOD, "paragraphs": [{**GOOD["paragraphs"][0], field: odd}]} for odd in ODD]
    for field in ("label", "grade", "eval"):
        for odd in ODD:
            limb = {**GOOD["paragraphs"][0]["limbs"][0], field: odd}
            variants.append({**GOOD, "paragraphs": [{**GOOD["paragraphs"][0], "limbs": [limb]}]})
    history = {"session": 109, "co_symbol": "CCPR/C/SRB/CO/2", "year": 2011, "header_grades": {"7": ["C"]}}
    for field in history:
        variants += [{**GOOD, "history": [{**history, field: odd}]} for odd in ODD]
    variants += ODD
    loader = get("ccpr-followup")
    outcomes = Counter()
    for i, variant in enumerate(variants):
        path = write(tmp_path, {"SRB": variant}, name=f"v{i}.json")
        result = loader.load(path, LoadContext())
        assert result.rows_read == 1 and result.reconciles, variant
        assert all(rej.reason for rej in result.rejections)
        outcomes["loaded" if result.rows_loaded else "rejected"] += 1
    assert outcomes["loaded"] and outcomes["rejected"]


def test_reloading_replaces_instead_of_adding(store, tmp_path):
    path = write(tmp_path, {"SRB": GOOD})
    (first,) = load_files(store, [path])
    before = {str(q) for q in store.quads(first.graph)}
    (again,) = load_files(store, [path])
    assert again.skipped
    load_files(store, [path], force=True)
    assert {str(q) for q in store.quads(first.graph)} == before
