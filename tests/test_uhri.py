"""The UHRI export loader: counts per review against the file, pending rows, multi-valued cells."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import SHARED
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.reference import states
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.base import LoadContext, LoadError
from rightsgraph.loaders.registry import detect
from rightsgraph.loaders.uhri import UhriLoader

EXPORT = SHARED / "uhri" / "uhri-export-upr-10-states.csv"
SYNTHETIC = Path(__file__).parent / "fixtures" / "uhri" / "uhri-synthetic-tonga.csv"
BASE = "https://w3id.org/rightsgraph/"
RG = "https://w3id.org/rightsgraph/ontology#"
VOCAB = "https://w3id.org/rightsgraph/vocab/"


def values(store, subject: str, predicate: str) -> set[str]:
    return {r["o"].value for r in store.query(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")}


@pytest.fixture(scope="module")
def export_store():
    if not EXPORT.is_file():
        pytest.skip(f"real data not found at {EXPORT}")
    from rightsgraph.graph.store import EmbeddedStore

    store = EmbeddedStore(None)
    (report,) = load_files(store, [EXPORT])
    return store, report


def test_recommendations_per_review_equal_rows_per_review(export_store):
    store, report = export_store
    with open(EXPORT, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert report.rows_read == len(rows) == report.rows_loaded and report.rejections == []
    per_review = Counter((states().resolve(r["countries_concerned"]).iso3, int(r["upr_session"])) for r in rows)
    positions = Counter((states().resolve(r["countries_concerned"]).iso3, int(r["upr_session"]), r["upr_position"])
                        for r in rows)
    summary = {(r["state"], r["session"]): r for r in run(store, "response-summary").rows}
    assert set(summary) == set(per_review)
    for review, n in per_review.items():
        row = summary[review]
        assert row["recommendations"] == n, review
        assert row["supported"] == positions[(*review, "Supported")], review
        assert row["noted"] == positions[(*review, "Noted")], review
        assert row["partially_supported"] == positions[(*review, "Supported/Noted")], review
        assert row["pending"] == positions[(*review, "")] + positions[(*review, "Under consideration")], review


def test_provisional_rows_are_pending_responses(export_store):
    store, _ = export_store
    rec = f"{BASE}id/doc/A/HRC/62/13/rec/36.1"
    (response,) = values(store, rec, RG + "hasResponse")
    assert values(store, response, RG + "position") == {VOCAB + "position/pending"}
    assert values(store, response, RG + "provisional") == {"true"}


def test_states_named_in_the_text_are_added_to_the_column(export_store):
    store, _ = export_store
    rec = f"{BASE}id/doc/A/HRC/62/13/rec/36.1"  # column: Niger; text: (Chile) (France) (Japan) (Malta) (Niger)
    assert values(store, rec, RG + "recommendedBy") == {f"{BASE}id/state/{s}" for s in
                                                        ("CHL", "FRA", "JPN", "MLT", "NER")}
    assert values(store, rec, RG + "text") == {
        "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance"}


def test_export_conforms(export_store):
    store, _ = export_store
    result = validate(store)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:5]


# --- synthetic export: multi-valued cells, entities, rejections, XLSX -----------------------------
def check_synthetic(store, report) -> None:
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (8, 6, 2)
    reasons = sorted(r.reason for r in report.rejections)
    assert "not a UPR recommendation" in reasons[0] and "Atlantis" in reasons[1]
    doc = f"{BASE}id/doc/A/HRC/23/4/rec/"
    assert values(store, doc + "78.6", RG + "text") == {"Guarantee women\u2019s access to justice & legal aid"}
    assert values(store, doc + "78.8", RG + "recommendedBy") == {f"{BASE}id/state/{s}" for s in
                                                                 ("MEX", "AUT", "DJI", "BEL")}
    assert values(store, doc + "78.5", RG + "recommendedBy") == {f"{BASE}id/state/DEU", f"{BASE}id/state/SLE"}
    assert values(store, doc + "78.9", RG + "recommendedBy") == {f"{BASE}id/state/ITA", f"{BASE}id/state/VAT"}
    assert values(store, doc + "78.1", RG + "issue") == {f"{VOCAB}uhri-theme-cycle2/{code}" for code in ("A12", "F12")}
    assert values(store, doc + "78.1", RG + "sdg") == {VOCAB + "sdg/5"}
    assert len(values(store, doc + "78.1", RG + "affectedPersons")) == 1
    (row,) = run(store, "response-summary", {"state": "TON"}).rows
    assert (row["recommendations"], row["supported"], row["partially_supported"], row["noted"], row["pending"]) == (
        6, 2, 1, 2, 1)


def test_synthetic_csv(store):
    assert detect(SYNTHETIC).name == "uhri"
    (report,) = load_files(store, [SYNTHETIC])
    check_synthetic(store, report)
    assert validate(store).conforms


def test_synthetic_xlsx(tmp_path, store):
    path = tmp_path / "uhri-synthetic-tonga.xlsx"
    book = openpyxl.Workbook()
    with open(SYNTHETIC, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            book.active.append(row)
    book.save(path)
    assert detect(path).name == "uhri"
    (report,) = load_files(store, [path])
    check_synthetic(store, report)


def test_not_a_uhri_export(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("countries_concerned,year\nChina,2013\n", encoding="utf-8")
    assert not UhriLoader().sniff(path)
    with pytest.raises(LoadError, match="not a UHRI export: no column text"):
        UhriLoader().load(path, LoadContext())


def test_row_without_document_symbol_is_kept_and_positions_on_lines(tmp_path, store):
    path = tmp_path / "uhri.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Countries Concerned", "Text", "UPR Recommending States", "UPR Position", "Document Symbol",
                    "UPR Session"])
        w.writerow(["Tonga", "78.1 Ratify CEDAW (Australia);", "Australia", "- Supported\n- Noted", "", "15"])
    (report,) = load_files(store, [path])
    assert report.rows_loaded == 1
    (rec,) = [r["r"].value for r in store.query(f"SELECT ?r WHERE {{ ?r <{RG}paragraph> \"78.1\" }}")]
    assert rec.startswith(f"{BASE}id/upr-review/TON/15/rec/h")  # no report: keyed by its wording
    (response,) = values(store, rec, RG + "hasResponse")
    assert values(store, response, RG + "position") == {VOCAB + "position/partially-supported"}
    assert validate(store).conforms
