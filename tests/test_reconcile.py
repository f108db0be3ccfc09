"""Reconciliation: one recommendation per paragraph across UPR Info, OHCHR matrices and the UHRI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, SHARED, read_upr_info_rows
from fixtures.matrix.docx_builder import CYCLE2_HEADER, write_matrix
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.upr_text import parse

BASE = "https://w3id.org/rightsgraph/"
RG = "https://w3id.org/rightsgraph/ontology#"
UPR_INFO_SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
CHINA_MATRIX = SHARED / "ohchr-upr-matrices" / "china-cycle2-session17-A_HRC_25_5.docx"
UHRI_SYNTHETIC = Path(__file__).parent / "fixtures" / "uhri" / "uhri-synthetic-tonga.csv"
TONGA = f"{BASE}id/upr-review/TON/15"
PARA = f"{BASE}id/doc/A/HRC/23/4/rec/"
UPR_INFO_HEADER = ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue",
                   "Session"]
# UPR Info's rows for a (synthetic) review of Tonga at session 15: one per recommending State.
TONGA_UPR_INFO = [
    ("Ratify CEDAW", "Australia", "Accepted"),
    ("Ratify CEDAW", "Maldives", "Noted"),
    ("Ratify CEDAW", "Slovenia", "Noted"),
    ("78.3 Ratify the Optional Protocol to CEDAW", "France", "Accepted"),
    ("Adopt a national action plan on violence against women and girls in urban areas", "New Zealand", "Accepted"),
    ("Develop a national strategy to combat domestic violence", "Canada", "Noted"),
    ("Establish a national human rights institution in line with the Paris Principles", "Germany", "Accepted"),
    ("Establish a national human rights institution in line with the Paris Principles", "Sierra Leone", "Accepted"),
    ("Establish a moratorium on executions", "Italy", "Noted"),
    ("Establish a moratorium on executions", "Japan", "Accepted"),
    ("Ratify the Convention against Torture", "Spain", "Noted"),
]
SOURCE = "Source of position: A/HRC/23/4/Add.1 - Para. 3"
# The same review in OHCHR's thematic list: paragraphs group wordings; spacing broken as in PDF text.
TONGA_MATRIX = [
    "Theme: A12 Acceptance of international norms",
    [f"78.1 Ratify CEDAW (Australia);\n{SOURCE}", "Supported", "A12 Acceptance of international norms", ""],
    [f"78.2 Ratify CEDAW (Maldives, Slovenia);\n{SOURCE}", "Noted", "A12 Acceptance of international norms", ""],
    [f"78.3 Ratify the Optional Protocol to CEDAW (France);\n{SOURCE}", "Supported", "", ""],
    "Theme: F13 Violence against women",
    ["78.4 Adopt a national action p lan on violence against women and girls in ur ban areas (New Zealand); "
     f"Develop a national strategy to combat domestic violence (Canada);\n{SOURCE}", "Supported", "", ""],
    [f"78.5 Establish a national human rights institution in line with the Paris Principles (Germany) "
     f"(Sierra Le one);\n{SOURCE}", "Supported", "", ""],
    [f"78.40 Establish a moratorium on executions (Italy);\n{SOURCE}", "Noted", "", ""],
]


def values(store, subject: str, predicate: str) -> set[str]:
    return {r["o"].value for r in store.query(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")}


def upr_info_csv(path: Path, rows, state: str = "Tonga", session: int = 15) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(UPR_INFO_HEADER)
        for text, who, response in rows:
            w.writerow([state, "", "", text, who, "", "", response, "", "", session])
    return path


def tonga_matrix(path: Path) -> Path:
    return write_matrix(path, CYCLE2_HEADER, TONGA_MATRIX,
                        page_header="UPR of Tonga (2nd Cycle \u2013 15th session)\tThematic list of recommendations")


def summary(store, state: str, session: int) -> dict:
    (row,) = [r for r in run(store, "response-summary", {"state": state}).rows if r["session"] == session]
    return row


def reconciliation_triples(store) -> set[str]:
    return {str(q.triple) for q in store.quads(Iris().reconciliation_graph)}


# --- China, 2nd cycle: UPR Info's 284 rows and OHCHR's 252 paragraphs -----------------------------
@pytest.fixture(scope="module")
def china():
    if not CHINA_MATRIX.is_file():
        pytest.skip(f"real data not found at {CHINA_MATRIX}")
    from rightsgraph.graph.store import EmbeddedStore

    store = EmbeddedStore(None)
    reports = load_files(store, [UPR_INFO_SAMPLE, CHINA_MATRIX])
    return store, reports


def test_china_is_252_recommendations_not_252_plus_284(china):
    store, _ = china
    rows = [r for r in read_upr_info_rows(UPR_INFO_SAMPLE) if r[10] == "17"]
    assert len(rows) == 284
    row = summary(store, "CHN", 17)
    assert (row["recommendations"], row["supported"], row["noted"], row["pending"]) == (252, 204, 48, 0)
    assert summary(store, "CHN", 4)["recommendations"] == 136  # session 4: UPR Info only, untouched


def test_china_match_report(china):
    store, reports = china
    coverage = {(r["session"], r["source"]): r for r in run(store, "source-coverage", {"state": "CHN"}).rows}
    upr_info = coverage[(17, "upr-info")]
    assert (upr_info["records"], upr_info["merged"], upr_info["merged_percent"], upr_info["unmatched"]) == (
        284, 284, 100.0, 0)
    assert coverage[(17, "ohchr-matrix")]["records"] == 252
    assert upr_info["recommendations"] == 252
    assert run(store, "unmatched-records", {"state": "CHN"}).rows == []
    review = f"{BASE}id/upr-review/CHN/17"
    node = Iris().reconciliation(review)
    assert values(store, node, RG + "recordsCompared") == {"284"}
    assert values(store, node, RG + "recordsMatched") == {"284"}
    assert values(store, node, RG + "recommendationCount") == {"252"}
    notes = [n for r in reports for n in r.notes if n.startswith("reconciled CHN session 17")]
    assert notes and "284/284" in notes[0] and "252 recommendations" in notes[0]


def test_several_upr_info_rows_make_one_grouped_paragraph(china):
    store, _ = china
    para = f"{BASE}id/doc/A/HRC/25/5/rec/186.2"  # Brazil, Bulgaria, Estonia, Ghana: four wordings
    merged = {r["r"].value for r in store.query(f"SELECT ?r WHERE {{ ?r <{RG}mergedInto> <{para}> }}")}
    assert len(merged) == 4
    states = set().union(*(values(store, r, RG + "recommendedBy") for r in merged))
    assert states <= values(store, para, RG + "recommendedBy")
    sources = values(store, para, "http://purl.org/dc/terms/source")
    assert {"https://w3id.org/rightsgraph/source/upr-info-database",
            "https://w3id.org/rightsgraph/source/ohchr-upr-matrix"} <= sources


def test_china_conforms(china):
    store, _ = china
    assert validate(store).conforms


# --- synthetic review: every rule ------------------------------------------------------------------
@pytest.fixture
def tonga(tmp_path, store):
    upr_info = upr_info_csv(tmp_path / "tonga-upr-info.csv", TONGA_UPR_INFO)
    matrix = tonga_matrix(tmp_path / "tonga-matrix.docx")
    load_files(store, [upr_info, matrix])
    return store, tmp_path, upr_info, matrix


def test_synthetic_counts(tonga):
    store, *_ = tonga
    row = summary(store, "TON", 15)
    # 6 paragraphs, and 2 UPR Info records that are none of them
    assert (row["recommendations"], row["supported"], row["noted"]) == (8, 5, 3)
    (coverage,) = [r for r in run(store, "source-coverage", {"state": "TON"}).rows if r["source"] == "upr-info"]
    assert (coverage["records"], coverage["merged"], coverage["unmatched"]) == (9, 7, 2)


def test_matching_rules(tonga):
    store, *_ = tonga

    def merged_into(para: str) -> set[str]:
        rows = store.query(f"SELECT ?r WHERE {{ ?r <{RG}mergedInto> <{PARA}{para}> }}")
        return {next(iter(values(store, r["r"].value, RG + "text"))) for r in rows}

    # the same wording in two paragraphs: told apart by the recommending States
    assert len(merged_into("78.1")) == 1 and len(merged_into("78.2")) == 1
    # a paragraph prefix in UPR Info's text; "Ratify CEDAW" never merges with "... Optional Protocol to CEDAW"
    assert merged_into("78.3") == {"78.3 Ratify the Optional Protocol to CEDAW"}
    # a grouped paragraph with PDF-broken spacing ("p lan", "ur ban") gets both States' records
    assert len(merged_into("78.4")) == 2
    # "Sierra Le one" is Sierra Leone
    assert values(store, PARA + "78.5", RG + "recommendedBy") == {f"{BASE}id/state/DEU", f"{BASE}id/state/SLE"}
    assert len(merged_into("78.40")) == 1
    reasons = {r["text"]: r["reason"] for r in run(store, "unmatched-records", {"state": "TON"}).rows}
    assert set(reasons) == {"Establish a moratorium on executions", "Ratify the Convention against Torture"}
    assert "recommending States differ" in reasons["Establish a moratorium on executions"]
    assert "no paragraph" in reasons["Ratify the Convention against Torture"]


def test_position_conflict_is_kept_and_flagged(tonga):
    store, *_ = tonga
    rows = run(store, "position-conflicts", {"state": "TON"}).rows
    assert {(r["paragraph"], r["source"], r["position"], r["counted"]) for r in rows} == {
        ("78.4", "ohchr-matrix", "supported", True), ("78.4", "upr-info", "noted", False)}
    result = validate(store)
    assert result.conforms
    warnings = [f for f in result.findings if f.severity == "Warning"]
    assert [f.focus for f in warnings] == [PARA + "78.4"]


def test_three_sources_share_the_paragraph_node(tonga):
    store, *_ = tonga
    load_files(store, [UHRI_SYNTHETIC])
    row = summary(store, "TON", 15)
    # 78.1 and 78.5 are in the matrix and the UHRI: one node each; the UHRI adds 78.6 to 78.9
    assert (row["recommendations"], row["supported"], row["partially_supported"], row["noted"], row["pending"]) == (
        12, 5, 1, 5, 1)
    graphs = values(store, PARA + "78.1", "http://www.w3.org/ns/prov#wasDerivedFrom")
    assert {g.rsplit("/", 2)[-2] for g in graphs} == {"ohchr-matrix", "uhri", "upr-info"}
    assert validate(store).conforms


def test_order_of_loads_does_not_matter(tmp_path, store):
    upr_info = upr_info_csv(tmp_path / "tonga-upr-info.csv", TONGA_UPR_INFO)
    matrix = tonga_matrix(tmp_path / "tonga-matrix.docx")
    load_files(store, [matrix])
    assert reconciliation_triples(store) == set()  # one source: nothing to reconcile
    load_files(store, [upr_info])
    one_by_one = reconciliation_triples(store)
    from rightsgraph.graph.store import EmbeddedStore

    together = EmbeddedStore(None)
    load_files(together, [upr_info, matrix])
    assert one_by_one == reconciliation_triples(together) != set()


def test_reloading_a_source_recomputes_its_reviews(tonga):
    store, tmp_path, upr_info, _ = tonga
    upr_info_csv(upr_info, TONGA_UPR_INFO[:-1])  # the same file without the Convention against Torture row
    load_files(store, [upr_info])
    assert summary(store, "TON", 15)["recommendations"] == 7
    assert len(run(store, "unmatched-records", {"state": "TON"}).rows) == 1
    upr_info_csv(upr_info, [])  # UPR Info no longer has the review: its reconciliation goes
    other = upr_info_csv(tmp_path / "other.csv", [("Ratify CEDAW", "Australia", "Accepted")], "Fiji", 14)
    load_files(store, [upr_info, other])
    assert not any(Iris().reconciliation(TONGA) in t for t in reconciliation_triples(store))
    assert summary(store, "TON", 15)["recommendations"] == 6


def test_text_parsing_rules():
    grouped = parse("186.2. Ratify ICCPR (Brazil); Speed up the ratification of the ICCPR (Bulgaria);\n"
                    "Source of position: A/HRC/25/5/Add.1 - Para. 186.2.")
    assert grouped.paragraph == "186.2" and grouped.position_source == "A/HRC/25/5/Add.1"
    assert [(s.text, [x.iso3 for x in s.states]) for s in grouped.segments] == [
        ("Ratify ICCPR", ["BRA"]), ("Speed up the ratification of the ICCPR", ["BGR"])]
    ilo = parse("121.3 Ratify the Protocol to the Forced Labour Convention, 1930 (No. 29) "
                "(United Kingdom of Great Britain and Northern Ireland);")
    assert ilo.text.endswith("(No. 29)") and [s.iso3 for s in ilo.states] == ["GBR"]
    alternatives = parse("75.14 Consider extending (Latvia)/ Issue (Norway) a standing invitation to all special "
                         "procedures of the Human Rights Council;")
    assert [s.text for s in alternatives.segments] == [
        "Consider extending a standing invitation to all special procedures of the Human Rights Council",
        "Issue a standing invitation to all special procedures of the Human Rights Council"]


# --- a first-cycle review in the UHRI and UPR Info (shared data) -----------------------------------
def test_first_cycle_alternatives_match(tmp_path, store):
    upr_info, uhri = SHARED / "upr-info" / "1-5.csv", SHARED / "uhri" / "uhri-export-upr-10-states.csv"
    if not (upr_info.is_file() and uhri.is_file()):
        pytest.skip("real data not found")
    rows = [r for r in read_upr_info_rows(upr_info) if r[0] == "Central African Republic" and r[10] == "5"]
    excerpt = tmp_path / "upr-info-caf-5.csv"
    with open(excerpt, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([UPR_INFO_HEADER, *rows])
    with open(uhri, encoding="utf-8", newline="") as fh:
        text = fh.read()
    lines = text.splitlines(keepends=True)
    caf = [ln for ln in lines[1:] if ln.startswith("Central African Republic,")]
    (tmp_path / "uhri-caf-5.csv").write_text(lines[0] + "".join(caf), encoding="utf-8")
    load_files(store, [excerpt, tmp_path / "uhri-caf-5.csv"])
    (coverage,) = [r for r in run(store, "source-coverage", {"state": "CAF"}).rows if r["source"] == "upr-info"]
    assert coverage["merged"] == coverage["records"] and coverage["recommendations"] == len(caf) == 99
    assert len(list(csv.reader(io.StringIO("".join(caf))))) == summary(store, "CAF", 5)["recommendations"]


def test_record_with_paragraph_but_no_report_joins_the_paragraph(tmp_path, store):
    load_files(store, [tonga_matrix(tmp_path / "tonga-matrix.docx")])
    path = tmp_path / "uhri.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["countries_concerned", "text", "upr_reccomending_states", "upr_position", "document_symbol",
                    "upr_session"])
        w.writerow(["Tonga", "78.1 Ratify CEDAW (Australia);", "Australia", "Supported", "", "15"])
        w.writerow(["Tonga", "78.2 Ratify the Rome Statute (Maldives);", "Maldives", "Noted", "", "15"])
    load_files(store, [path])
    assert summary(store, "TON", 15)["recommendations"] == 7  # 78.1 joins its paragraph; 78.2 differs
    methods = {r["m"].value for r in store.query(f"SELECT ?m WHERE {{ ?r <{RG}matchMethod> ?m }}")}
    assert methods == {"same paragraph"}
    (row,) = run(store, "unmatched-records", {"state": "TON"}).rows
    assert "different wording" in row["reason"]
    assert validate(store).conforms


def test_reconcile_all_gives_what_the_loads_gave(tonga):
    from rightsgraph.graph.reconcile import reconcile_all

    store, *_ = tonga
    before = reconciliation_triples(store)
    (report,) = reconcile_all(store)
    assert report.compared == 9 and report.matched == 7 and len(report.unmatched) == 2
    assert report.recommendations == 8 and report.conflicts == 1
    assert f"{report.match_rate:.1%}" == "77.8%"
    assert reconciliation_triples(store) == before
