"""Ratification status: 193 States x 18 instruments, every cell a record or a rejection; mechanisms."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, snapshot
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.mechanisms import mechanism_triples, mechanisms, monitoring
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.store import EmbeddedStore, GraphWrite
from rightsgraph.graph.validate import validate
from rightsgraph.graph.vocab import concepts
from rightsgraph.loaders.base import LoadError
from rightsgraph.loaders.registry import detect

RATIFICATION = SHARED / "reference" / "ratification"
RG = "https://w3id.org/rightsgraph/ontology#"
ID = "https://w3id.org/rightsgraph/id/"
HEADER = "iso2,member,state party,year ratification or accession,signatory,no action,status,note\r\n"


def ensure_mechanisms(store: EmbeddedStore) -> None:
    """The mechanism records, unless the pipeline's reference graph already has them."""
    if not bool(store.query(f"ASK {{ ?m a <{RG}Mechanism> }}")):
        iris = Iris()
        store.replace_graphs([GraphWrite(iris.graph("mechanisms"), mechanism_triples(iris))], iris.meta_graph)


def count(store, sparql: str) -> int:
    return int(next(iter(store.query(f"PREFIX rg: <{RG}> " + sparql)))[0].value)


@pytest.fixture(scope="module")
def full_store():
    if not RATIFICATION.is_dir():
        pytest.skip(f"real data not found at {RATIFICATION}")
    store = EmbeddedStore(None)
    reports = load_files(store, sorted(RATIFICATION.glob("hr_status_*.csv")))
    ensure_mechanisms(store)
    return store, reports


def independent_rows() -> dict[str, list[dict[str, str]]]:
    """The 18 files read with the csv module alone, keyed by instrument code."""
    out = {}
    for path in sorted(RATIFICATION.glob("hr_status_*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            out[path.stem.removeprefix("hr_status_").replace("_", "-")] = list(csv.DictReader(fh))
    return out


# --- the shipped files ------------------------------------------------------------------------------
def test_every_cell_is_a_record_or_a_rejection(full_store):
    store, reports = full_store
    rows = independent_rows()
    assert len(reports) == len(rows) == 18
    assert sum(r.rows_read for r in reports) == sum(len(v) for v in rows.values()) == 193 * 18
    for r in reports:
        assert r.reconciles, r.file
    # 3,473 rows are records, one is rejected (Montserrat), and the cell with no row (Gabon, OP-CRC-IC)
    # is a record that says so: 193 x 18 records, one per State and instrument.
    assert sum(r.rows_loaded for r in reports) == 193 * 18 - 1
    rejections = [rej for r in reports for rej in r.rejections]
    assert [(rej.file, rej.row) for rej in rejections] == [("hr_status_op_crc_ic.csv", "116")]
    assert "Montserrat" in rejections[0].reason
    assert count(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a rg:TreatyStatus }") == 193 * 18
    assert count(store, """SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?i WHERE {
        ?r a rg:TreatyStatus ; rg:concernsState ?s ; rg:instrument ?i } } }""") == 193 * 18
    assert count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?r rg:concernsState ?s }") == 193


def test_party_counts_per_instrument_equal_the_status_column(full_store):
    store, _ = full_store
    expected = {code: Counter(r["status"] for r in rs if r["iso2"] != "MS") for code, rs in independent_rows().items()}
    got = {r["instrument"]: int(r["n"]) for r in store_rows(store, """SELECT ?instrument (COUNT(?r) AS ?n) WHERE {
        ?r rg:instrument/skos:notation ?instrument ;
           rg:treatyStatus <https://w3id.org/rightsgraph/vocab/party-status/party> } GROUP BY ?instrument""")}
    assert got == {code: c["state party"] for code, c in expected.items()}
    assert got["crc"] == 192 and got["op-crc-ic"] == 46


def store_rows(store, sparql: str) -> list[dict]:
    res = store.query(f"PREFIX rg: <{RG}> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + sparql)
    return [{v.value: (s[v].value if s[v] is not None else None) for v in res.variables} for s in res]


def test_specific_records(full_store):
    store, _ = full_store
    chn = {r["instrument"]: r for r in run(store, "treaty-ratification", {"state": "China"}).rows}
    assert len(chn) == 18
    assert chn["cat"]["status"] == "party" and chn["cat"]["party_since"] == "1988"
    assert chn["cat"]["treaty_body"] == "CAT" and chn["cat"]["as_of"] == "2022"
    assert chn["iccpr"]["status"] == "signatory" and chn["iccpr"]["party_since"] is None
    assert chn["iccpr"]["treaty_body"] == "CCPR"
    assert chn["op-crc-sc"]["treaty_body"] == "CRC"  # an optional protocol reports to the treaty's body
    jam = {r["instrument"]: r for r in run(store, "treaty-ratification", {"state": "JAM"}).rows}
    assert jam["iccpr-op1"]["denounced_in"] == "1997" and "Denounced" in jam["iccpr-op1"]["note"]
    # "TP" and "S" are not ISO codes the reference knows; the names are
    assert run(store, "treaty-ratification", {"state": "TLS"}).rows[0]["status"]
    assert {r["instrument"] for r in run(store, "treaty-ratification", {"state": "SSD"}).rows} == {
        c.rsplit("/", 1)[1] for c in concepts("treaty-instrument")}
    gabon = {r["instrument"]: r for r in run(store, "treaty-ratification", {"state": "GAB"}).rows}
    assert gabon["op-crc-ic"]["status"] == "not given"


def test_shipped_records_conform(full_store):
    store, _ = full_store
    result = validate(store)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:5]
    warned = {(f.shape, f.focus.rsplit("/id/", 1)[-1]) for f in result.findings if f.severity == "Warning"}
    assert ("treaty status", "treaty-status/GAB/op-crc-ic") in warned
    assert ("State party without a year", "treaty-status/ZWE/op-cedaw") in warned


# --- mechanisms -------------------------------------------------------------------------------------
def test_mechanisms_cover_every_key_other_modules_use():
    keys = {"upr", "hrc", "ohchr", "special-procedures", "cat", "cerd", "ccpr", "cescr", "cedaw", "crc", "crpd",
            "cmw", "ced", "spt", "special-adviser-prevention-of-genocide",
            "special-adviser-responsibility-to-protect"}
    assert set(mechanisms()) == keys
    iris = Iris("https://example.org/base/")
    subjects = {t.subject.value for t in mechanism_triples(iris)}
    assert subjects == {iris.mechanism(k) for k in keys}  # minted under the configurable base


def test_every_instrument_is_monitored_by_exactly_one_treaty_body():
    for concept in concepts("treaty-instrument"):
        code = concept.rsplit("/", 1)[1]
        bodies = [m.key for m in mechanisms().values() if code in m.instruments]
        assert len(bodies) == 1, (code, bodies)
        assert mechanisms()[bodies[0]].type == "treaty-body"
    assert monitoring("opcat") == "spt" and monitoring("icmw") == "cmw"


# --- broken input -----------------------------------------------------------------------------------
def write(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_bytes((HEADER + body).encode("utf-8"))
    return p


@pytest.mark.parametrize("row, reason", [
    ("AF,Afghanistan,1,1987,0,0,ratified,\r\n", "not one of: state party"),
    ("AF,Afghanistan,1,87,0,0,state party,\r\n", "is not a year"),
    ("XX,Atlantis,0,,0,1,no action,\r\n", "unknown State 'Atlantis'"),
    ("FR,Germany,1,1990,0,0,state party,\r\n", "is France (FRA) but the name 'Germany'"),
    ("VA,Holy See,1,2002,0,0,state party,\r\n", "not a UN member State"),
    ("AF,Afghanistan,0,1990,1,0,signatory state,\r\n", "not a party"),
    ("AF,Afghanistan,1,1987,0,0,state party,,extra\r\n", "cells where the header has"),
])
def test_bad_row_is_rejected_with_its_reason(store, tmp_path, row, reason):
    path = write(tmp_path, "hr_status_cat.csv", "AL,Albania,1,1994,0,0,state party,\r\n" + row)
    (report,) = load_files(store, [path])
    assert report.rows_read == 2 and report.rows_loaded == 1
    assert len(report.rejections) == 1 and reason in report.rejections[0].reason
    assert report.rejections[0].row == "3"


def test_second_row_for_a_state_is_rejected(store, tmp_path):
    rows = "AL,Albania,1,1994,0,0,state party,\r\nAL,Albania,0,,0,1,no action,\r\n"
    path = write(tmp_path, "hr_status_cat.csv", rows)
    (report,) = load_files(store, [path])
    assert "second row for Albania" in report.rejections[0].reason


@pytest.mark.parametrize("name, body, fragment", [
    ("status.csv", "AF,Afghanistan,1,1987,0,0,state party,\r\n", "cannot tell the instrument"),
    ("hr_status_xyz.csv", "AF,Afghanistan,1,1987,0,0,state party,\r\n", "not one of the 18 instruments"),
])
def test_unloadable_file_is_one_error_and_changes_nothing(store, tmp_path, name, body, fragment):
    path = write(tmp_path, name, body)
    before = snapshot(store)
    with pytest.raises(LoadError) as exc:
        load_files(store, [path], fmt="ratification-status")
    assert fragment in str(exc.value) and "\n" not in str(exc.value)
    assert snapshot(store) == before


def test_instrument_option_names_a_renamed_file(store, tmp_path, shared):
    path = tmp_path / "cat-2022.csv"
    shutil.copy(shared / "reference" / "ratification" / "hr_status_cat.csv", path)
    assert detect(path).name == "ratification-status"
    (report,) = load_files(store, [path], options={"instrument": "cat"})
    assert report.rows_loaded == 193


def test_a_foreign_csv_is_not_taken_for_a_ratification_file(tmp_path):
    path = tmp_path / "hr_status_cat.csv"
    path.write_text("country,ratified\nFrance,1986\n", encoding="utf-8")
    with pytest.raises(LoadError) as exc:
        detect(path)
    assert "not recognised" in str(exc.value)
