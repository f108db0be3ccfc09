"""The UPR Info loader on the real exports: counts against the source rows, merges, refusals."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import DEFAULT_DATA, UPR_INFO, read_upr_info_rows, snapshot
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.loaders.base import LoadError

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
REC = "https://w3id.org/rightsgraph/ontology#UPRRecommendation"


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def expected_per_review(rows: list[list[str]]) -> Counter:
    """Recommendations per (State, session): distinct wording and response among the rows."""
    keys = {(r[0], int(r[10]), _norm(r[3]), r[7]) for r in rows if r[7] != "Voluntary Pledge"}
    return Counter((state, session) for state, session, _, _ in keys)


def count(store, sparql: str) -> int:
    return int(next(iter(store.query(sparql)))[0].value)


def test_sample_counts_equal_the_source_rows(store):
    rows = read_upr_info_rows(SAMPLE)
    expected = expected_per_review(rows)
    reports = load_files(store, [SAMPLE])
    (report,) = reports
    assert report.rows_read == len(rows) == report.rows_loaded
    assert report.rejections == []
    summary = {(r["name"], r["session"]): r for r in run(store, "response-summary").rows}
    assert summary[("China", 4)]["recommendations"] == expected[("China", 4)]
    assert summary[("China", 17)]["recommendations"] == expected[("China", 17)]
    noted_17 = {_norm(r[3]) for r in rows if r[10] == "17" and r[7] == "Noted"}
    assert summary[("China", 17)]["noted"] == len(noted_17)
    assert summary[("China", 17)]["supported"] + summary[("China", 17)]["noted"] == expected[("China", 17)]


def test_joint_recommendation_has_every_recommending_state(store):
    load_files(store, [SAMPLE])
    rows = read_upr_info_rows(SAMPLE)
    by_text: dict[str, set[str]] = {}
    for r in rows:
        by_text.setdefault(_norm(r[3]), set()).add(r[4])
    multi = max(by_text.values(), key=len)
    assert len(multi) > 1
    n = count(store, """PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        SELECT (MAX(?k) AS ?m) WHERE { { SELECT ?r (COUNT(DISTINCT ?s) AS ?k) WHERE { ?r rg:recommendedBy ?s }
        GROUP BY ?r } }""")
    assert n == len(multi)


def test_loading_twice_changes_nothing(store):
    load_files(store, [SAMPLE])
    before = snapshot(store)
    (again,) = load_files(store, [SAMPLE])
    assert again.skipped
    assert snapshot(store) == before


def test_forced_reload_replaces_the_graph_instead_of_adding(store):
    (first,) = load_files(store, [SAMPLE])
    graph = first.graph
    before = {str(q) for q in store.quads(graph)}
    load_files(store, [SAMPLE], force=True)
    assert {str(q) for q in store.quads(graph)} == before


def test_provenance_of_a_load(store):
    (report,) = load_files(store, [SAMPLE])
    rows = list(store.query("""PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?sha ?read ?loaded ?rejected ?name WHERE {
          ?load a rg:Load ; prov:used ?f ; rg:rowsRead ?read ; rg:rowsLoaded ?loaded ; rg:rowsRejected ?rejected ;
                prov:startedAtTime ?t ; rg:loader "upr-info" .
          ?f rg:sha256 ?sha ; rg:fileName ?name }"""))
    assert len(rows) == 1
    import hashlib

    assert rows[0]["sha"].value == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert int(rows[0]["read"].value) == report.rows_read
    assert rows[0]["name"].value == SAMPLE.name


# --- broken input -------------------------------------------------------------------------------
HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
GOOD = 'China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,5,International instruments,17'


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return p


@pytest.mark.parametrize("name, content, fragment", [
    ("empty.csv", b"", "empty"),
    ("binary.csv", b"\x00\x01\x02PK\x00" * 50, "binary"),
    ("header.csv", "Country,Text,Year\nChina,Something,2013\n", "not a UPR Info export"),
])
def test_unloadable_file_is_one_error_and_changes_nothing(store, tmp_path, name, content, fragment):
    load_files(store, [SAMPLE])
    before = snapshot(store)
    bad = _write(tmp_path, name, content)
    with pytest.raises(LoadError) as exc:
        load_files(store, [bad], fmt="upr-info")
    assert fragment in str(exc.value)
    assert name in str(exc.value)
    assert "\n" not in str(exc.value)
    assert snapshot(store) == before


def test_a_bad_file_among_good_ones_loads_nothing(store, tmp_path):
    bad = _write(tmp_path, "bad.csv", b"")
    with pytest.raises(LoadError):
        load_files(store, [SAMPLE, bad], fmt="upr-info")
    assert len(store) == 0


@pytest.mark.parametrize("row, reason", [
    ('Atlantis,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,5,International instruments,17',
     "unknown State under review 'Atlantis'"),
    ('China,Asia,"OIC",Ratify the ICCPR,Narnia,WEOG,EU,Noted,5,International instruments,17',
     "unknown recommending State 'Narnia'"),
    ('China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,5,International instruments,999',
     "no UPR session 999"),
    ('China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,5,International instruments,xvii',
     "session 'xvii' is not a number"),
    ('China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Maybe,5,International instruments,17',
     "unknown response 'Maybe'"),
    ('China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,7,International instruments,17',
     "action category '7'"),
    ('China,Asia,"OIC",Ratify the ICCPR,France,WEOG,EU,Noted,5,Astrology,17', "unknown UPR Info issue 'Astrology'"),
    ('China,Asia,"OIC",Ratify the ICC', "truncated"),
])
def test_bad_row_is_rejected_with_its_reason(store, tmp_path, row, reason):
    path = _write(tmp_path, "rows.csv", f"{HEADER}\r{GOOD}\r{row}\r")
    (report,) = load_files(store, [path])
    assert report.rows_read == 2 and report.rows_loaded == 1
    (rej,) = report.rejections
    assert rej.file == "rows.csv" and rej.row == "3"
    assert reason in rej.reason


def test_rejections_are_written_to_the_report_file(store, tmp_path):
    path = _write(tmp_path, "rows.csv", f"{HEADER}\n{GOOD}\nAtlantis,,,Do it,France,,,Noted,5,Justice,17\n")
    load_files(store, [path], report_dir=tmp_path / "reports")
    (csv_file,) = (tmp_path / "reports").glob("*.csv")
    lines = csv_file.read_text().splitlines()
    assert lines == ["file,row,reason", "rows.csv,3,unknown State under review 'Atlantis'"]


# --- the full real exports ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_store(shared):
    from rightsgraph.graph.store import EmbeddedStore

    store = EmbeddedStore(None)
    reports = load_files(store, sorted(UPR_INFO.glob("*.csv")))
    return store, reports


def test_every_export_row_is_loaded_or_rejected(full_store):
    store, reports = full_store
    for report in reports:
        rows = read_upr_info_rows(report.file)
        assert report.rows_read == len(rows), report.file
        assert report.reconciles
        assert all(r.reason for r in report.rejections)


def test_china_reviews_equal_an_independent_count(full_store):
    store, _ = full_store
    rows = [r for f in sorted(UPR_INFO.glob("[0-9]*.csv")) for r in read_upr_info_rows(f) if r[0] == "China"]
    expected = expected_per_review(rows)
    got = {r["session"]: r for r in run(store, "response-summary", {"state": "CHN"}).rows}
    assert set(got) == {4, 17}
    for session in (4, 17):
        assert got[session]["recommendations"] == expected[("China", session)]
        noted = {_norm(r[3]) for r in rows if r[10] == str(session) and r[7] == "Noted"}
        assert got[session]["noted"] == len(noted)


def test_same_wording_different_response_stays_two_recommendations(full_store):
    store, _ = full_store
    n = count(store, """PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r rg:review <https://w3id.org/rightsgraph/id/upr-review/TON/15> ;
        rg:text ?t . FILTER(LCASE(STR(?t)) = "ratify cedaw") }""")
    assert n == 2


def test_unknown_recommending_state_is_kept_and_flagged(full_store):
    store, _ = full_store
    rows = read_upr_info_rows(UPR_INFO / "1-5.csv")
    unknown = {_norm(r[3]) for r in rows if "Unknown" in r[4]}
    n = count(store, """PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
        SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r rg:recommendingStateUnknown true }""")
    assert n == len(unknown) > 0


def test_csv_and_xls_exports_give_the_same_recommendations(shared):
    from rightsgraph.graph.store import EmbeddedStore

    recs = []
    for name in ("1-5.csv", "1-5.xls"):
        store = EmbeddedStore(None)
        (report,) = load_files(store, [UPR_INFO / name])
        assert report.rows_read == 6094 and report.reconciles
        recs.append({
            (r["r"].value, r["p"].value, str(r["o"]))
            for r in store.query("""PREFIX rg: <https://w3id.org/rightsgraph/ontology#>
                SELECT ?r ?p ?o WHERE { ?r a rg:UPRRecommendation ; ?p ?o
                FILTER(?p NOT IN (rg:sourceRecord, <http://www.w3.org/ns/prov#wasDerivedFrom>)) }""")
        })
    assert recs[0] == recs[1]
    assert len(recs[0]) > 6000
