"""The OHCHR matrix loader: every layout, counts against an independent reading, refusals."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import SHARED
from fixtures.matrix.docx_builder import CYCLE2_HEADER, OLD_HEADER, OLD_LAYOUT_ROWS, write_matrix
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.base import LoadContext, LoadError
from rightsgraph.loaders.ohchr_matrix import OhchrMatrixLoader
from rightsgraph.loaders.registry import detect

MATRICES = SHARED / "ohchr-upr-matrices"
BASE = "https://w3id.org/rightsgraph/"
RG = "https://w3id.org/rightsgraph/ontology#"
VOCAB = "https://w3id.org/rightsgraph/vocab/"
# (file, State, session, report, recommendations, supported, noted): the documents' own counts
DOCUMENTS = [
    ("china-cycle2-session17-A_HRC_25_5.docx", "CHN", 17, "A/HRC/25/5", 252, 204, 48),
    ("slovenia-cycle2-session20.docx", "SVN", 20, "A/HRC/28/15", 163, 142, 21),
    ("slovenia-cycle3-session34.docx", "SVN", 34, "A/HRC/43/15", 215, 182, 33),
    ("slovenia-cycle4-session48-A_HRC_59_15.docx", "SVN", 48, "A/HRC/59/15", 254, 217, 37),
]
GHANA = {"state": "GHA", "session": "14", "report": "A/HRC/22/6"}


def independent_count(path: Path) -> Counter:
    """Positions of the rows whose first cell starts with a paragraph number, read with python-docx."""
    counts: Counter = Counter()
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if re.match(r"^\d+\.\d+", cells[0]):
                counts[cells[1].lower()] += 1
    return counts


def values(store, subject: str, predicate: str) -> set[str]:
    rows = store.query(f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}")
    return {r["o"].value for r in rows}


@pytest.fixture(scope="module")
def matrices_store():
    if not MATRICES.is_dir():
        pytest.skip(f"real data not found at {MATRICES}")
    from rightsgraph.graph.store import EmbeddedStore

    store = EmbeddedStore(None)
    reports = load_files(store, [MATRICES / d[0] for d in DOCUMENTS])
    return store, reports


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_counts_equal_the_document(matrices_store, doc):
    store, reports = matrices_store
    name, iso3, session, _report, total, supported, noted = doc
    (report,) = [r for r in reports if r.file.name == name]
    independent = independent_count(MATRICES / name)
    assert sum(independent.values()) == total
    assert (independent["supported"], independent["noted"]) == (supported, noted)
    assert report.rows_read == report.rows_loaded == total and report.rejections == []
    (row,) = [r for r in run(store, "response-summary", {"state": iso3}).rows if r["session"] == session]
    assert (row["recommendations"], row["supported"], row["noted"], row["pending"]) == (total, supported, noted, 0)


def test_review_is_read_from_the_file(matrices_store):
    store, _ = matrices_store
    for _name, iso3, session, report, *_ in DOCUMENTS:
        review = f"{BASE}id/upr-review/{iso3}/{session}"
        assert values(store, review, RG + "workingGroupReport") == {f"{BASE}id/doc/{report}"}
        assert values(store, review, RG + "stateUnderReview") == {f"{BASE}id/state/{iso3}"}


def test_paragraph_is_a_string_identifier(matrices_store):
    store, _ = matrices_store
    p4, p40 = f"{BASE}id/doc/A/HRC/25/5/rec/186.4", f"{BASE}id/doc/A/HRC/25/5/rec/186.40"
    assert values(store, p4, RG + "paragraph") == {"186.4"}
    assert values(store, p40, RG + "paragraph") == {"186.40"}
    assert values(store, p4, RG + "text") != values(store, p40, RG + "text")


def test_text_without_number_and_state_list_and_position_source(matrices_store):
    store, _ = matrices_store
    rec = f"{BASE}id/doc/A/HRC/25/5/rec/186.28"
    assert values(store, rec, RG + "text") == {
        "Continue its efforts on the ratification of other human rights instruments and relevant protocols"}
    assert values(store, rec, RG + "recommendedBy") == {f"{BASE}id/state/MNG"}
    (response,) = values(store, rec, RG + "hasResponse")
    assert values(store, response, "http://purl.org/dc/terms/source") == {f"{BASE}id/doc/A/HRC/25/5/Add.1"}
    assert values(store, response, RG + "paragraph") == {"186.28"}
    assert values(store, response, RG + "position") == {VOCAB + "position/supported"}


def test_joint_recommendations_have_every_state(matrices_store):
    store, _ = matrices_store
    grouped = values(store, f"{BASE}id/doc/A/HRC/25/5/rec/186.2", RG + "recommendedBy")
    assert grouped == {f"{BASE}id/state/{s}" for s in ("BRA", "BGR", "EST", "GHA")}
    joint = values(store, f"{BASE}id/doc/A/HRC/28/15/rec/115.16", RG + "recommendedBy")
    assert joint == {f"{BASE}id/state/{s}" for s in ("BEL", "FRA", "TUN", "SLE", "ARG")}
    bracketed = values(store, f"{BASE}id/doc/A/HRC/59/15/rec/140.7", RG + "recommendedBy")
    assert bracketed == {f"{BASE}id/state/{s}" for s in ("MDV", "PRT")}


def test_themes_persons_and_sdgs(matrices_store):
    store, _ = matrices_store
    china = f"{BASE}id/doc/A/HRC/25/5/rec/186.28"
    assert values(store, china, RG + "issue") == {VOCAB + "uhri-theme-cycle2/A12", VOCAB + "uhri-theme-cycle2/B51"}
    assert values(store, china, RG + "affectedPersons") == {VOCAB + "uhri-affected-persons-cycle2/general"}
    cycle3 = f"{BASE}id/doc/A/HRC/43/15/rec/121.1"
    assert values(store, cycle3, RG + "sdg") == {VOCAB + "sdg/16"}
    assert VOCAB + "uhri-theme-cycle3/enforced-disappearances" in values(store, cycle3, RG + "issue")
    cycle4 = f"{BASE}id/doc/A/HRC/59/15/rec/140.7"
    assert values(store, cycle4, RG + "sdg") == {f"{VOCAB}sdg/{n}" for n in range(1, 9)}
    assert values(store, VOCAB + "sdg/16", "http://www.w3.org/2004/02/skos/core#exactMatch") == {
        "http://metadata.un.org/sdg/16"}
    unknown = list(store.query(f"SELECT ?x WHERE {{ ?x <{RG}themeLabel> ?l }}"))
    assert unknown == []  # every theme of the shipped matrices is in a shipped scheme


def test_matrices_conform_to_shapes(matrices_store):
    store, _ = matrices_store
    result = validate(store)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:5]
    assert result.warnings == 0


# --- the 2014-2015 layout and other layouts (synthetic files) ---------------------------------
def test_old_layout_with_review_from_options(tmp_path, store):
    path = write_matrix(tmp_path / "ghana.docx", OLD_HEADER, OLD_LAYOUT_ROWS)
    assert detect(path).name == "ohchr-matrix"
    (report,) = load_files(store, [path], options=GHANA)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (5, 5, 0)
    (row,) = run(store, "response-summary", {"state": "GHA"}).rows
    assert (row["recommendations"], row["supported"], row["noted"]) == (5, 3, 2)
    rec = f"{BASE}id/doc/A/HRC/22/6/rec/124.40"
    assert values(store, rec, RG + "recommendedBy") == {f"{BASE}id/state/{s}" for s in ("FRA", "ARG", "VEN")}
    assert values(store, f"{BASE}id/doc/A/HRC/22/6/rec/124.4", RG + "recommendedBy") == {f"{BASE}id/state/BRA"}
    # a trailing State list in the text is not part of the wording, and the column's States are kept
    assert values(store, f"{BASE}id/doc/A/HRC/22/6/rec/124.10", RG + "text") == {
        "Strengthen the health system in rural areas"}
    assert VOCAB + "uhri-theme-cycle3/acceptance-of-international-norms" in values(
        store, f"{BASE}id/doc/A/HRC/22/6/rec/124.1", RG + "issue")
    result = validate(store)
    assert result.conforms


def test_file_without_its_review_is_refused_in_one_line(tmp_path, store):
    path = write_matrix(tmp_path / "anonymous.docx", OLD_HEADER, OLD_LAYOUT_ROWS)
    with pytest.raises(LoadError) as err:
        load_files(store, [path])
    message = str(err.value)
    assert "\n" not in message and "cannot tell which UPR review" in message
    assert "--option state=" in message and "--option session=" in message
    assert len(store) == 0


def test_options_that_contradict_the_file_are_refused(tmp_path, store):
    path = write_matrix(tmp_path / "ghana.docx", OLD_HEADER, OLD_LAYOUT_ROWS,
                        page_header="UPR of Ghana (2nd Cycle \u2013 14th session)\tThematic list of recommendations")
    with pytest.raises(LoadError, match="option state=SVN"):
        load_files(store, [path], options={**GHANA, "state": "SVN"})
    with pytest.raises(LoadError, match="cycle 3"):
        load_files(store, [path], options={**GHANA, "cycle": "3"})
    (report,) = load_files(store, [path], options={"report": "A/HRC/22/6"})  # header gives State and session
    assert report.rows_loaded == 5


def test_rows_that_cannot_be_used_are_rejected_with_reasons(tmp_path, store):
    rows = [
        "Theme: A12 Acceptance of international norms",
        ["115.1 Ratify the Optional Protocol to the Convention against Torture (Denmark);\n"
         "Source of position: A/HRC/28/15/Add.1 - Para. 3", "Supported", "A12 Acceptance of international norms", ""],
        ["115.2 Cooperate with the special procedures (Atlantis);\nSource of position: A/HRC/28/15/Add.1 - Para. 3",
         "Supported", "", ""],
        ["115.3 Adopt a plan (Norway);\nSource of position: A/HRC/28/15/Add.1 - Para. 3", "Maybe later", "", ""],
        ["115.1 Abolish the death penalty (Italy);\nSource of position: A/HRC/28/15/Add.1 - Para. 3", "Noted", "", ""],
        ["115.4 Ensure birth registration (Ger many);\nSource of position: A/HRC/28/15/Add.1 - Para. 4",
         "Noted \u2013 see the addendum", "Z99 A theme nobody has", ""],
    ]
    path = write_matrix(tmp_path / "slovenia.docx", CYCLE2_HEADER, rows,
                        page_header="UPR of Slovenia (2nd Cycle \u2013 20th session)")
    (report,) = load_files(store, [path])
    assert report.rows_read == 5 and report.rows_loaded == 2 and report.reconciles
    reasons = {r.row: r.reason for r in report.rejections}
    assert "Atlantis" in reasons["4"] and "Maybe later" in reasons["5"] and "115.1" in reasons["6"]
    broken = f"{BASE}id/doc/A/HRC/28/15/rec/115.4"
    assert values(store, broken, RG + "recommendedBy") == {f"{BASE}id/state/DEU"}  # "Ger many"
    assert values(store, broken, RG + "themeLabel") == {"Z99 A theme nobody has"}
    result = validate(store)
    assert result.conforms and result.warnings == 1  # the unknown theme, kept as text


def test_a_matrix_split_into_tables_loses_nothing(tmp_path, store):
    first = OLD_LAYOUT_ROWS[:3]
    rest = OLD_LAYOUT_ROWS[3:]
    path = write_matrix(tmp_path / "split.docx", OLD_HEADER, first, continuation=rest)
    (report,) = load_files(store, [path], options=GHANA)
    assert report.rows_loaded == 5


def test_not_a_matrix(tmp_path, store):
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague")
    document.save(str(path))
    assert not OhchrMatrixLoader().sniff(path)
    with pytest.raises(LoadError, match="not an OHCHR thematic list"):
        OhchrMatrixLoader().load(path, LoadContext())
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(LoadError, match="not a Word document"):
        OhchrMatrixLoader().load(fake, LoadContext())


def test_loading_twice_changes_nothing(tmp_path, store):
    path = write_matrix(tmp_path / "ghana.docx", OLD_HEADER, OLD_LAYOUT_ROWS)
    load_files(store, [path], options=GHANA)
    before = {str(q) for q in store.raw}
    (again,) = load_files(store, [path], options=GHANA)
    assert again.skipped and {str(q) for q in store.raw} == before
