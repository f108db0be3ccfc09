"""Human Rights Council resolutions (ODS): 1,437 rows reconcile; sessions; special sessions per State."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import SHARED, snapshot
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.store import EmbeddedStore
from rightsgraph.graph.validate import validate
from rightsgraph.loaders.base import LoadError
from rightsgraph.loaders.hrc_resolutions import title_states
from test_ratification import ensure_mechanisms

SOURCE = SHARED / "hrc" / "unhrc-resolutions-2006-2022.ods"
RG = "https://w3id.org/rightsgraph/ontology#"
DOC = "https://w3id.org/rightsgraph/id/doc/"
NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
HEADER = ["Session typ", "Adopted text", "Title", "Action taken", "year", "status", "focus", "vote typ"]


def independent_rows(path: Path) -> list[list[str]]:
    """The `data` sheet read with ElementTree alone (not odfpy): non-empty rows after the header."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    t = f"{{{NS['table']}}}"
    sheet = next(s for s in root.iter(f"{t}table") if s.get(f"{t}name") == "data")
    rows = []
    for tr in sheet.iter(f"{t}table-row"):
        cells = []
        for tc in tr:
            text = "\n".join("".join(p.itertext()) for p in tc.findall("text:p", NS))
            cells += [text] * min(int(tc.get(f"{t}number-columns-repeated", "1")), 20)
        if any(c.strip() for c in cells):
            rows.append(cells)
    return rows[1:]


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


def test_every_row_is_a_record_or_a_rejection(loaded):
    store, report = loaded
    rows = independent_rows(SOURCE)
    assert len(rows) == report.rows_read == 1437
    assert report.reconciles
    status = Counter(r[5] for r in rows)
    adopted_without_number = [r for r in rows if r[5] == "Adopted" and not r[1].strip() and r[0] == "regular"]
    assert len(adopted_without_number) == 17 == report.rows_rejected
    assert all("cannot be identified" in rej.reason for rej in report.rejections)
    assert report.records["resolution"] == status["Adopted"] - 17 == 1404
    assert report.records["draft"] == status["Withdrawn"] + status["Rejected"] == 16
    assert count(store, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a rg:HRCResolution }") == 1420


def test_sessions(loaded):
    store, report = loaded
    assert report.records["regular session"] == 49  # sessions 2-51 less 9: sessions 1 and 9 have no rows
    assert report.records["special session"] == 23  # 10 numbered, 13 the file gives no number for
    numbered = {int(s["n"].value) for s in store.query(f"""SELECT ?n WHERE {{ ?s <{RG}sessionType>
        <https://w3id.org/rightsgraph/vocab/hrc-session-type/special> ; <{RG}hrcSessionNumber> ?n }}""")}
    assert numbered == {3, 5, 6, 7, 8, 9, 10, 11, 21, 22}
    # "22/1" in a special-session row titled "... resolution S-22/1 ..." is S-22/1, not Sri Lanka's 22/1
    assert bool(store.query(f"ASK {{ <{DOC}A/HRC/RES/S-22/1> <{RG}hrcSession> ?s }}"))
    assert bool(store.query(f"""ASK {{ <{DOC}A/HRC/RES/22/1> <{RG}subjectState>
        <https://w3id.org/rightsgraph/id/state/LKA> }}"""))
    # "27/2127/21/Corr.1" is 27/21 and its corrigendum
    assert bool(store.query(f"ASK {{ <{DOC}A/HRC/RES/27/21> <http://purl.org/dc/terms/title> "
                            "'Human rights and unilateral coercive measures' }"))


def test_special_sessions_on_a_state(loaded):
    store, _ = loaded
    myanmar = run(store, "hrc-special-sessions", {"state": "Myanmar"}).rows
    assert {(r["session_number"], r["year"]) for r in myanmar} == {(5, "2008"), (None, "2017"), (None, "2021")}
    assert any(r["resolution"] == "S-5/1" for r in myanmar)
    assert run(store, "hrc-special-sessions", {"state": "China"}).rows == []  # never, in this file
    syria = run(store, "hrc-special-sessions", {"state": "SYR"}).rows
    assert [r["year"] for r in syria] == ["2016"]
    everything = run(store, "hrc-special-sessions").rows
    assert len({r["session"] for r in everything}) == 23
    assert {r["title"] for r in everything if r["state"] == ""} >= {
        "The impact of the global economic and financial crises on the universal realization and effective "
        "enjoyment of human rights"}


@pytest.mark.parametrize("title, expected", [
    ("Situation of human rights in the Democratic People’s Republic of Korea", ["PRK"]),
    ("Situation of human rights in South Sudan", ["SSD"]),
    ("Technical assistance for the Sudan in the field of human rights", ["SDN"]),
    ("Israeli settlements in the Occupied Palestinian Territory, including East Jerusalem, and in the occupied "
     "Syrian Golan", ["PSE", "SYR"]),
    ("Assistance technique et renforcement des capacités dans le domaine des droits de l’homme en République "
     "démocratique du Congo", ["COD"]),
    ("Human rights situation in the Libyan Arab Jamahiriya", ["LBY"]),
    ("The negative impact of the worsening of the world food crisis", []),
    ("Promotion and protection of human rights in Nigeria", ["NGA"]),
])
def test_subject_states_from_titles(title, expected):
    assert title_states(title) == expected


def test_shipped_records_conform(loaded):
    store, _ = loaded
    result = validate(store)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:5]
    warnings = Counter(f.shape for f in result.findings if f.severity == "Warning")
    assert warnings == {"special session without a number": 13, "country-specific text without a subject State": 1}


# --- broken input -----------------------------------------------------------------------------------
def write_ods(path: Path, rows: list[list[str]], sheet: str = "data") -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for cells in rows:
        tr = TableRow()
        for value in cells:
            tc = TableCell(valuetype="string")
            tc.addElement(P(text=value))
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


GOOD = ["regular", "51/3", "Neurotechnology and human rights", "Adopted without a vote, 6 October 2022", "2022",
        "Adopted", "topic", "no vote"]


@pytest.mark.parametrize("change, reason", [
    ({0: "extraordinary"}, "neither regular nor special"),
    ({5: "Postponed"}, "not Adopted, Withdrawn or Rejected"),
    ({4: "twenty"}, "is not a year"),
    ({6: "thematic"}, "neither country nor topic"),
    ({1: ""}, "without a resolution number"),
    ({2: ""}, "empty title"),
])
def test_bad_row_is_rejected_with_its_reason(store, tmp_path, change, reason):
    bad = [change.get(i, v) for i, v in enumerate(GOOD)]
    bad[1] = change.get(1, "51/4")
    path = write_ods(tmp_path / "hrc.ods", [HEADER, GOOD, bad])
    (report,) = load_files(store, [path])
    assert report.rows_read == 2 and report.rows_loaded == 1
    assert len(report.rejections) == 1 and reason in report.rejections[0].reason, report.rejections[0].reason
    assert report.rejections[0].row == "data!3"


def test_a_number_twice_is_rejected(store, tmp_path):
    (report,) = load_files(store, [write_ods(tmp_path / "hrc.ods", [HEADER, GOOD, GOOD])])
    assert "appears twice (first in row 2)" in report.rejections[0].reason


def test_a_small_file_loads_and_conforms(store, tmp_path):
    special = ["special", "S-29/1", "Situation of human rights in Myanmar", "", "2021", "Adopted", "topic", ""]
    (report,) = load_files(store, [write_ods(tmp_path / "hrc.ods", [HEADER, GOOD, special])])
    assert report.rows_loaded == 2
    ensure_mechanisms(store)
    rows = run(store, "hrc-special-sessions", {"state": "MMR"}).rows
    assert [(r["session_number"], r["resolution"]) for r in rows] == [(29, "S-29/1")]
    assert validate(store).conforms


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.write_bytes(b"Session typ,Adopted text\nregular,1/1\n"), "not a zip archive"),
    (lambda p: write_ods(p, [["name", "value"], ["a", "b"]], sheet="other"), "no sheet has the columns"),
    (lambda p: p.write_bytes(SOURCE.read_bytes()[:60000]), "OpenDocument"),
])
def test_unloadable_file_is_one_error_and_changes_nothing(store, tmp_path, make, fragment, shared):
    path = tmp_path / "broken.ods"
    make(path)
    before = snapshot(store)
    with pytest.raises(LoadError) as exc:
        load_files(store, [path], fmt="hrc-resolutions")
    assert fragment in str(exc.value) and "\n" not in str(exc.value)
    assert snapshot(store) == before
