"""Reporting obligations CSV (docs/formats/reporting-obligations.md): records, overdue logic, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, snapshot
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.base import LoadError
from rightsgraph.loaders.registry import detect
from test_ratification import ensure_mechanisms

EXAMPLE = REPO / "tests" / "fixtures" / "treaty" / "reporting-obligations-example.csv"
RG = "https://w3id.org/rightsgraph/ontology#"
HEADER = "treaty,state,report_number,due_date,submission_date,overdue_as_reported,source_document,source_date,quote"


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "obligations.csv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def test_the_example_file_loads_and_conforms(store):
    assert detect(EXAMPLE).name == "reporting-obligations"
    (report,) = load_files(store, [EXAMPLE])
    assert report.rows_read == report.rows_loaded == 3 and report.rejections == []
    ensure_mechanisms(store)
    rows = {r["state"]: r for r in run(store, "overdue-reports", {"as_of": "2024-07-01"}).rows}
    # China's CAT report: only the statement "five years overdue" of 25 June 2024 - no due date made up
    assert rows["CHN"]["overdue_as_reported"] == "five years overdue"
    assert rows["CHN"]["stated_on"] == "2024-06-25" and rows["CHN"]["due_date"] is None
    assert rows["CHN"]["treaty_body"] == "CAT" and rows["CHN"]["instrument"] == "cat"
    assert "five years overdue" in rows["CHN"]["quote"]
    assert rows["SRB"]["due_date"] == "2021-03-29" and rows["SRB"]["treaty_body"] == "CCPR"
    assert "SVK" not in rows  # due "2024" counts from the end of 2024
    assert run(store, "overdue-reports", {"as_of": "2025-01-01", "state": "SVK"}).rows[0]["due_year"] == "2024"
    assert run(store, "overdue-reports", {"as_of": "2024-06-24", "state": "CHN"}).rows == []
    assert no_due_date_was_invented(store)
    assert validate(store).conforms


def no_due_date_was_invented(store) -> bool:
    return not bool(store.query(f"""ASK {{ ?o <{RG}overdueAsReported> ?x .
        {{ ?o <{RG}dueDate> ?d }} UNION {{ ?o <{RG}dueYear> ?y }} }}"""))


def test_submission_ends_overdue_status(store, tmp_path):
    path = write(tmp_path, 'CRC,France,5,2020-01-01,2021-06-30,,CRC/C/FRA/5,,"a sentence"')
    load_files(store, [path])
    assert [r["report_number"] for r in run(store, "overdue-reports", {"as_of": "2021-01-01"}).rows] == ["5"]
    assert run(store, "overdue-reports", {"as_of": "2019-12-31"}).rows == []  # not yet due
    assert run(store, "overdue-reports", {"as_of": "2022-01-01"}).rows == []  # submitted
    iri = "https://w3id.org/rightsgraph/id/reporting-obligation/crc/FRA/report-5"
    assert bool(store.query(f"ASK {{ <{iri}> <{RG}issuedBy> <https://w3id.org/rightsgraph/id/mechanism/crc> }}"))


def test_optional_protocol_reports_go_to_the_treatys_body(store, tmp_path):
    load_files(store, [write(tmp_path, 'op-crc-sc,Chile,1,2005-03-01,,,CRC/C/OPSC/CHL/1,,"q"')])
    assert bool(store.query(f"""ASK {{ ?o <{RG}issuedBy> <https://w3id.org/rightsgraph/id/mechanism/crc> ;
        <{RG}instrument> <https://w3id.org/rightsgraph/vocab/treaty-instrument/op-crc-sc> }}"""))


@pytest.mark.parametrize("row, reason", [
    ('XYZ,China,,2020-01-01,,,CAT/C/CHN/6,,"q"', "treaty 'XYZ' is neither an instrument"),
    ('CAT,Narnia,,2020-01-01,,,CAT/C/CHN/6,,"q"', "unknown State 'Narnia'"),
    ('CAT,China,,1 May 2020,,,CAT/C/CHN/6,,"q"', "due_date '1 May 2020' is not a date"),
    ('CAT,China,,,,,CAT/C/CHN/6,,"q"', "nothing to record"),
    ('CAT,China,,,,five years overdue,CAT/C/CHN/6,,"q"', "needs source_date"),
    ('CAT,China,,2020-01-01,2024-01-01,,CAT/C/CHN/6,2023-01-01,"q"', "after the source's date"),
    ('CAT,China,,2020-01-01,,,a joint statement,,"q"', "neither a UN symbol, nor an http(s) IRI"),
    ('CAT,China,,2020-01-01,,,CAT/C/CHN/6,,', "quote is empty"),
    ('CAT,China,,2020-01-01,,,CAT/C/CHN/6,,"q",extra', "cells where the header has"),
])
def test_bad_row_is_rejected_with_its_reason(store, tmp_path, row, reason):
    good = 'CAT,China,6,2020-01-01,,,CAT/C/CHN/6,,"q"'
    (report,) = load_files(store, [write(tmp_path, good, row)])
    assert report.rows_read == 2 and report.rows_loaded == 1
    assert len(report.rejections) == 1 and reason in report.rejections[0].reason, report.rejections[0].reason
    assert report.rejections[0].row == "3"


def test_the_same_report_twice_is_rejected(store, tmp_path):
    row = 'CAT,China,6,2020-01-01,,,CAT/C/CHN/6,,"q"'
    (report,) = load_files(store, [write(tmp_path, row, row.replace("2020-01-01", "2021-01-01"))])
    assert "same report as row 2" in report.rejections[0].reason


@pytest.mark.parametrize("header, fragment", [
    ("treaty,state,due_date,source_document,quote,due_dat", "unknown column(s) due_dat"),
    ("treaty,state,due_date,source_document,quote,notes,notes", "a column appears twice"),
])
def test_bad_header_is_one_error_and_changes_nothing(store, tmp_path, header, fragment):
    load_files(store, [EXAMPLE])
    before = snapshot(store)
    path = write(tmp_path, 'CAT,China,2020-01-01,CAT/C/CHN/6,"q",x', header=header)
    with pytest.raises(LoadError) as exc:
        load_files(store, [path], fmt="reporting-obligations")
    assert fragment in str(exc.value) and "\n" not in str(exc.value)
    assert snapshot(store) == before


def test_missing_required_column_is_named(store, tmp_path):
    path = write(tmp_path, 'CAT,China,2020-01-01,"q"', header="treaty,state,due_date,quote")
    with pytest.raises(LoadError) as exc:
        load_files(store, [path], fmt="reporting-obligations")
    assert "missing column(s) source_document" in str(exc.value)


def test_a_document_without_symbol_follows_the_configurable_base(store, tmp_path):
    from rightsgraph.graph.iris import Iris

    doc = "id/document/some-ngo/2024-06-25/a-statement"
    path = write(tmp_path, f'CAT,China,,,,five years overdue,{doc},2024-06-25,"q"')
    load_files(store, [path], iris=Iris("https://example.org/kg/"))
    sources = {s["s"].value for s in store.query(f"SELECT ?s WHERE {{ ?o <{RG}overdueAsReported> ?x ; "
                                                 "<http://purl.org/dc/terms/source> ?s }")}
    assert sources == {f"https://example.org/kg/{doc}"}
    obligations = {s["o"].value for s in store.query(f"SELECT ?o WHERE {{ ?o <{RG}overdueAsReported> ?x }}")}
    assert all(o.startswith("https://example.org/kg/id/reporting-obligation/cat/CHN/h") for o in obligations)
