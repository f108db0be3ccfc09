"""The China case, curated: every quote is in its source, everything loads and conforms, and the
china-case query lists each item the brief names with its source and quote."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT_DATA, SHARED
from rightsgraph.graph import queries
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.namespaces import RG
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.store import EmbeddedStore, GraphWrite
from rightsgraph.loaders.base import LoadContext
from rightsgraph.loaders.registry import detect

CURATED = DEFAULT_DATA.parent / "curated" / "china"
STATEMENT = CURATED / "2024-06-25-joint-ngo-statement-china-upr4.txt"
REPORT = CURATED / "ohchr-assessment-xinjiang-2022-08-31.pdf"
CHINA_FILES = sorted(DEFAULT_DATA.glob("china-*"))
IRIS = Iris()


def with_mechanisms(store: EmbeddedStore) -> None:
    """Add the mechanisms' reference records if the reference graph does not hold them yet.

    graph/mechanisms.py writes them (`mechanism_triples`) but, at the time of writing, the reference
    graph is not built from it; items point at mechanisms and the shapes check that they exist.
    """
    from rightsgraph.graph.mechanisms import mechanism_triples

    if not bool(store.query(f"ASK {{ <{IRIS.mechanism('cerd')}> a <{RG.Mechanism}> }}")):
        store.replace_graphs([GraphWrite(IRIS.graph("test-mechanisms"), mechanism_triples(IRIS))], IRIS.meta_graph)


# --- quotes: an independent check (not the loaders' code) ---------------------------------------------
def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def statement_text() -> str:
    return squash(STATEMENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_text() -> str:
    """pypdf's plain text of every page, all whitespace removed: the PDF's text layer puts spaces inside
    words ("G overnment"), so a quote is compared character for character with whitespace ignored."""
    from pypdf import PdfReader

    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(str(REPORT)).pages))


def shipped_quotes() -> list[tuple[str, str, str]]:
    """(file, cited document file, quote) for every quote in the China case files."""
    out = []
    for path in CHINA_FILES:
        if path.suffix == ".csv":
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    assert "uyghur-human-rights-project" in row["source_document"]
                    out.append((path.name, STATEMENT.name, row["quote"]))
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["rightsgraph-format"].startswith("ohchr-report/"):
            continue  # metadata of the report itself: its recommendations quote the PDF by construction
        docs = {k: Path(v["file"]).name for k, v in (data.get("documents") or {}).items()}
        for records in data.values():
            if not isinstance(records, list):
                continue
            for record in records:
                quotes = record["source"]["quote"]
                for q in quotes if isinstance(quotes, list) else [quotes]:
                    out.append((path.name, docs[record["source"]["document"]], q))
    return out


QUOTES = shipped_quotes()


def test_there_are_quotes_from_both_documents():
    cited = {doc for _, doc, _ in QUOTES}
    assert cited == {STATEMENT.name, REPORT.name}
    assert len(QUOTES) >= 25


@pytest.mark.parametrize("file, document, quote", QUOTES, ids=[f"{f}:{q[:40]}" for f, _, q in QUOTES])
def test_every_quote_is_verbatim_in_its_source(file, document, quote, statement_text, report_text):
    if document == STATEMENT.name:
        assert squash(quote) in statement_text
    else:
        assert re.sub(r"\s+", "", quote) in report_text


def test_shipped_copies_are_the_shared_originals():
    if not SHARED.is_dir():
        pytest.skip("shared data not present")
    for copy, original in ((STATEMENT, SHARED / "statements" / STATEMENT.name),
                           (REPORT, SHARED / "ohchr-reports" / REPORT.name)):
        assert copy.read_bytes() == original.read_bytes()
    meta = yaml.safe_load((DEFAULT_DATA / "china-ohchr-assessment-2022-08-31.yaml").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(REPORT.read_bytes()).hexdigest()


# --- the whole case loaded ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def china() -> EmbeddedStore:
    store = EmbeddedStore(None)
    reports = load_files(store, CHINA_FILES)
    assert all(r.rows_rejected == 0 and r.reconciles for r in reports), [str(j) for r in reports for j in r.rejections]
    with_mechanisms(store)
    return store


def test_every_china_file_is_detected_by_the_build():
    from rightsgraph.cli import default_data

    assert set(CHINA_FILES) <= set(default_data())
    assert {p.name: detect(p).name for p in CHINA_FILES} == {
        "china-case-facts.yaml": "curated-facts",
        "china-cerd-decisions.yaml": "cerd-decisions",
        "china-ohchr-assessment-2022-08-31.yaml": "ohchr-report",
        "china-reporting-obligations.csv": "reporting-obligations",
        "china-special-procedure-calls.yaml": "special-procedure-calls",
    }


def test_the_case_conforms_to_the_shapes(china):
    from rightsgraph.graph.validate import validate

    result = validate(china)
    assert result.conforms, [(f.shape, f.message, f.focus) for f in result.findings if f.severity == "Violation"]


@pytest.fixture(scope="module")
def rows(china) -> list[dict]:
    return queries.run(china, "china-case").rows


def only(rows: list[dict], **match) -> dict:
    found = [r for r in rows if all(v in str(r[k]) for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_every_row_has_a_source_and_a_quote(rows):
    assert rows
    for row in rows:
        assert row["source"] and row["quote"] and row["kind"], row
        assert row["state"] == "CHN"


def test_the_declared_totals(rows):
    row = only(rows, kind="declared response summary")
    assert row["date"] == "2024-01"
    assert row["to"] == "UPR recommendations, fourth UPR cycle"
    assert row["what"].startswith("428 recommendations: ")
    counts = dict(part.rsplit(" ", 1) for part in row["what"].split(": ", 1)[1].split("; "))
    assert counts == {"accepted": "290", "partially supported": "8", "noted": "32", "rejected": "98"}
    assert "290 of the 428 recommendations" in row["quote"]


def test_the_ohchr_assessment_and_its_rejection(rows):
    recs = [r for r in rows if r["kind"] == "OHCHR report recommendation"]
    assert len(recs) == 16
    assert sorted(r["to"] for r in recs).count("China") == 13
    assert all(r["date"] == "2022-08-31" and r["source"].startswith("OHCHR Assessment") for r in recs)
    rejection = only(rows, kind="response to a document")
    assert rejection["by"] == "China" and rejection["to"].startswith("OHCHR Assessment of human rights concerns")
    assert rejection["what"] == "rejected: completely illegal and void"


def test_the_cerd_referral(rows):
    row = only(rows, kind="CERD")
    assert row["date"] == "2022-11"
    assert row["to"] == "Special Adviser of the Secretary-General on the Responsibility to Protect"
    assert "in November 2022" in row["quote"]


def test_the_experts_call_and_its_repetitions(china, rows):
    calls = sorted((r for r in rows if r["kind"] == "special-procedure call"), key=lambda r: r["date"])
    assert [r["date"] for r in calls] == ["2020-06", "2022-06", "2022-09"]
    assert all(r["to"] == "UN member States" for r in calls)
    first = IRIS.curated("special-procedure-call", "sp-2020-06-china-experts-call")
    repeated = {r["record"] for r in queries.run(china, queries.parse_header("q", f"""
        SELECT ?record WHERE {{ ?record <{RG.repeats}> <{first}> }}""")).rows}
    assert repeated == {calls[1]["record"], calls[2]["record"]}
    stated = list(china.query(f'SELECT ?s WHERE {{ <{first}> <{RG.mandateHolderCountAsStated}> ?s }}'))
    assert [s["s"].value for s in stated] == ["more than fifty"]
    actions = {a["a"].value.rsplit("/", 1)[1] for a in china.query(
        f"SELECT ?a WHERE {{ <{first}> <{RG.requestedAction}> ?a }}")}
    assert actions == {"hrc-special-session", "independent-monitoring-mechanism"}


def test_the_cat_report_and_the_crc_review(rows):
    cat = only(rows, kind="reporting obligation")
    assert cat["what"].endswith("five years overdue") and cat["source_date"] == "2024-06-25"
    crc = only(rows, what="Convention on the Rights of the Child")
    assert crc["kind"] == "stated fact" and crc["by"] == "Committee on the Rights of the Child"


def test_reprisals_and_cao_shunli(china, rows):
    reprisals = only(rows, kind="response statement", what="end reprisals")
    assert reprisals["what"].startswith("rejected: all recommendations")
    cao = only(rows, what="Cao Shunli")
    assert "death of Cao Shunli in detention" in cao["quote"]
    names = [r["n"].value for r in china.query(
        f"SELECT ?n WHERE {{ ?f <{RG.concernsPerson}>/<http://xmlns.com/foaf/0.1/name> ?n }}")]
    assert names == ["Cao Shunli"]


def test_months_stay_months(china):
    """Nothing the statement does not say: it gives months for the referral and the calls, not days."""
    from rightsgraph.graph.namespaces import DCTERMS, XSD

    types = {r["d"].value: r["d"].datatype.value for r in china.query(
        f"SELECT ?d WHERE {{ ?x a ?t ; <{DCTERMS.date}> ?d . FILTER(?t IN (<{RG.CERDDecision}>, "
        f"<{RG.SpecialProcedureCall}>, <{RG.DeclaredResponseSummary}>)) }}")}
    assert types == {"2022-11": str(XSD.gYearMonth), "2020-06": str(XSD.gYearMonth),
                     "2022-06": str(XSD.gYearMonth), "2022-09": str(XSD.gYearMonth), "2024-01": str(XSD.gYearMonth)}


def test_china_case_is_follow_up_items_for_china(china):
    body = {name: queries.resolve(name).text.split("PREFIX rg:", 1)[1] for name in ("china-case", "follow-up-items")}
    assert body["china-case"] == body["follow-up-items"]
    assert queries.run(china, "china-case").rows == queries.run(china, "follow-up-items", {"state": "China"}).rows
    assert queries.run(china, "follow-up-items", {"state": "FRA"}).rows == []


# --- the curated-facts format: bad records and files ----------------------------------------------------
FACTS_HEAD = f"""\
rightsgraph-format: curated-facts/1
documents:
  s: {{title: T, date: 2024-06-25, issuer: X, file: {STATEMENT}}}
"""
SUMMARY = """\
declared_summaries:
  - id: s1
    state: China
    cycle: 4
    total: 428
    counts: {accepted: 290, partially accepted: 8, noted: 32, rejected: 98}
    source: {document: s, quote: "The rejection rate is 30%, much higher than in 2018 – 18%."}
"""


@pytest.mark.parametrize("change, reason", [
    (("total: 428", "total: 430"), "counts add up to 428, not to the total 430"),
    (("noted: 32", "maybe: 32"), "counts 'maybe' is not in vocab/position"),
    (("noted: 32", "supported: 32"), None),  # a broader position is a position too: loads
    (("cycle: 4", "cycle: 9"), "cycle 9 is not a UPR cycle"),
    (("cycle: 4", "cycle: 4\n    session: 31"), "session 31 is in cycle 3, not 4"),
    (("state: China", "state: Cathay"), "state 'Cathay' is not a known State"),
    (("30%", "40%"), "quote not found in 2024-06-25-joint-ngo-statement-china-upr4.txt"),
])
def test_bad_declared_summary_is_rejected(tmp_path, change, reason):
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_HEAD + SUMMARY.replace(*change), encoding="utf-8")
    result = detect(path).load(path, LoadContext())
    if reason is None:
        assert result.rows_loaded == 1
    else:
        assert result.rows_loaded == 0 and reason in result.rejections[0].reason, result.rejections


def test_document_response_needs_a_known_document(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS_HEAD + """\
document_responses:
  - {id: r1, state: China, document: nowhere, position: rejected,
     source: {document: s, quote: "The rejection rate is 30%, much higher than in 2018 – 18%."}}
""", encoding="utf-8")
    result = detect(path).load(path, LoadContext())
    assert result.rejections[0].reason == "document 'nowhere' is not a key of 'documents' (known: s)"


def test_curated_facts_header_mismatch_is_a_load_error(tmp_path):
    from rightsgraph.loaders.base import LoadError
    from rightsgraph.loaders.registry import get

    path = tmp_path / "facts.yaml"
    path.write_text("rightsgraph-format: cerd-decisions/1\ndecisions: []\n", encoding="utf-8")
    with pytest.raises(LoadError, match="is 'cerd-decisions/1', this loader reads 'curated-facts/N'"):
        get("curated-facts").load(path, LoadContext())


def test_shapes_catch_a_summary_that_does_not_add_up_and_an_undated_call(store):
    """The shapes are not vacuous: break two records the loaders would never write, and they say so."""
    from pyoxigraph import Literal, NamedNode, Quad
    from rightsgraph.graph.validate import validate

    load_files(store, [DEFAULT_DATA / "china-case-facts.yaml", DEFAULT_DATA / "china-special-procedure-calls.yaml"])
    with_mechanisms(store)
    summary = IRIS.curated("declared-response-summary", "chn-upr-cycle-4-declared-responses")
    call = IRIS.curated("special-procedure-call", "sp-2020-06-china-experts-call")
    g = NamedNode(IRIS.graph("test-broken"))
    store.raw.add(Quad(NamedNode(summary), NamedNode(str(RG.declaredTotal)), Literal("430", datatype=NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")), g))
    store.raw.remove(next(iter(store.raw.quads_for_pattern(NamedNode(call), NamedNode(str(RG.latestDate)), None))))
    messages = {(f.focus, f.message) for f in validate(store).findings if f.severity == "Violation"}
    assert (summary, "The declared counts (428) do not add up to the declared total (430).") in messages
    assert any(focus == call and "rg:latestDate" in message for focus, message in messages)
