"""China's 3rd-cycle UPR review (session 31, 2018) from an OHCHR matrix: the refusal rate per cycle.

We do not have OHCHR's matrix for China's 3rd cycle (report A/HRC/40/6, China's responses in
A/HRC/40/6/Add.1: 346 recommendations, 284 supported, 62 noted). This is a FORMAT test: it derives,
at test time, a matrix in the real 3rd-cycle layout from OHCHR's matrix for Slovenia's 3rd cycle
(session 34) and rewrites only what says which review it is: the page header becomes "UPR of China
(3rd Cycle – 31st session)" (en dash, as OHCHR writes it for China), every position source becomes
A/HRC/40/6/Add.1, and recommendations are renumbered 28.1, 28.2, ... in document order. The wordings,
recommending States, positions, themes and table layout are Slovenia's; the only change to a
recommending State is that China's recommendations to Slovenia are attributed to Slovenia (a State
never recommends to itself, and the loader rightly drops "(China)" in China's own matrix). To reach
China's own totals (346 / 62) without inventing wording, the first 29 noted and first 102 supported
rows are repeated once, right after themselves, each repeat under its own paragraph number. Nothing
here is China's real recommendation text.

Expected answers are counted from the derived file with python-docx, independently of the loader.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import docx
import pytest
from conftest import SHARED
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.queries import run
from rightsgraph.graph.store import EmbeddedStore

from rightsgraph.cli import default_data

SLOVENIA_C3 = SHARED / "ohchr-upr-matrices" / "slovenia-cycle3-session34.docx"
BASE = "https://w3id.org/rightsgraph/"
REPORT = "A/HRC/40/6"
PAGE_HEADER = ("UPR of Slovenia (3rd Cycle - 34th Session)", "UPR of China (3rd Cycle \u2013 31st session)")
REPEAT = {"Noted": 29, "Supported": 102}  # 215 + 131 = 346 rows, 33 + 29 = 62 noted
NUMBER = re.compile(r"^\s*\d{1,3}\.\d{1,3}")


# --- the derived file --------------------------------------------------------------------------
def replace_in_paragraph(paragraph: Paragraph, pattern: str, new: str, count: int = 0) -> int:
    """Replace `pattern` in a paragraph whose text is split over runs ("Source of Position: ",
    "A/HRC/43/15", " - Para 121"), keeping every run and its formatting: a match's replacement goes
    to the run holding its first character, and the rest of the match is removed from its runs."""
    runs = paragraph.runs
    owner = [i for i, r in enumerate(runs) for _ in r.text]  # the run of each character
    text = "".join(r.text for r in runs)
    matches = list(re.finditer(pattern, text))[: count or None]
    if not matches:
        return 0
    out = [""] * len(runs)
    pos = 0
    for m in matches:
        for i in range(pos, m.start()):
            out[owner[i]] += text[i]
        out[owner[m.start()] if m.start() < len(owner) else -1] += new
        pos = m.end()
    for i in range(pos, len(text)):
        out[owner[i]] += text[i]
    for r, t in zip(runs, out, strict=True):
        r.text = t
    return len(matches)


def cells_of(row, table) -> list[_Cell]:
    """A row's own cells (a theme heading merged across the row is one cell)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def derive_china_matrix(source: Path, target: Path) -> Path:
    """Slovenia's 3rd-cycle matrix rewritten as China's session-31 review (see the module docstring)."""
    document = docx.Document(str(source))
    header = document.sections[0].header
    replaced = sum(replace_in_paragraph(p, re.escape(PAGE_HEADER[0]), PAGE_HEADER[1]) for p in header.paragraphs)
    assert replaced == 1, "the Slovenian page header is not where expected"
    (table,) = document.tables
    # repeat rows (a deep copy of the <w:tr>, inserted after the original)
    left = dict(REPEAT)
    for row in list(table.rows):
        cells = cells_of(row, table)
        if len(cells) < 2 or not NUMBER.match(cells[0].text):
            continue
        position = cells[1].text.strip()
        if left.get(position, 0) > 0:
            left[position] -= 1
            row._tr.addnext(copy.deepcopy(row._tr))
    assert not any(left.values()), left
    # renumber, re-source, and give China's recommendations to Slovenia to Slovenia
    n = 0
    for row in table.rows:
        cells = cells_of(row, table)
        if len(cells) < 2 or not NUMBER.match(cells[0].text):
            continue
        n += 1
        paragraphs = cells[0].paragraphs
        assert replace_in_paragraph(paragraphs[0], r"^\s*\d{1,3}\.\d{1,3}", f"28.{n}", count=1) == 1
        sourced = 0
        for p in paragraphs:
            replace_in_paragraph(p, r"\(China\)", "(Slovenia)")
            sourced += replace_in_paragraph(p, r"A/HRC/43/15(?:/Add\.1)?", f"{REPORT}/Add.1")
        assert sourced == 1, f"row {n}: no position source"
    document.save(str(target))
    return target


def vary_china_matrix(source: Path, target: Path) -> Path:
    """The derived matrix with what another OHCHR file of this family may hold: a document title left
    from a template (another State's review), footnote asterisks and explanations after positions."""
    document = docx.Document(str(source))
    document.core_properties.title = PAGE_HEADER[0]  # "UPR of Slovenia (3rd Cycle - 34th Session)"
    (table,) = document.tables
    variants = {"Noted": ["Noted*", "Noted - see A/HRC/40/6/Add.1", "Noted"],
                "Supported": ["Supported*", "Supported, already implemented", "Supported / Noted*", "Supported"]}
    seen: Counter = Counter()
    for row in table.rows:
        cells = cells_of(row, table)
        if len(cells) < 2 or not NUMBER.match(cells[0].text):
            continue
        position = cells[1].text.strip()
        new = variants[position][seen[position] % len(variants[position])]
        seen[position] += 1
        assert replace_in_paragraph(cells[1].paragraphs[0], f"^{position}$", new) == 1
    document.save(str(target))
    return target


# --- an independent reading of the derived file --------------------------------------------------
def read_matrix(path: Path) -> dict[str, str]:
    """Paragraph number -> position cell, for every row whose first cell starts with a number."""
    out: dict[str, str] = {}
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row.cells]
            m = re.match(r"^(\d+\.\d+)", texts[0])
            if m:
                assert m.group(1) not in out, f"paragraph {m.group(1)} twice"
                out[m.group(1)] = texts[1]
    return out


@pytest.fixture(scope="module")
def china_c3(tmp_path_factory):
    if not SLOVENIA_C3.is_file():
        pytest.skip(f"real data not found at {SLOVENIA_C3}")
    path = derive_china_matrix(SLOVENIA_C3, tmp_path_factory.mktemp("c3") / "china-cycle3-session31-derived.docx")
    store = EmbeddedStore(None)
    reports = load_files(store, [*default_data(), path])  # what `rightsgraph build` loads, plus the matrix
    return store, reports, path, read_matrix(path)


def test_the_derived_file_is_chinas_review_in_the_real_layout(china_c3):
    _, _, path, rows = china_c3
    positions = Counter(rows.values())
    assert (len(rows), positions["Noted"], positions["Supported"]) == (346, 62, 284)
    assert set(positions) == {"Supported", "Noted"}
    assert set(rows) == {f"28.{n}" for n in range(1, 347)}
    document = docx.Document(str(path))
    assert document.sections[0].header.paragraphs[0].text.startswith(PAGE_HEADER[1])
    assert len(document.tables) == 1 and [c.text for c in document.tables[0].rows[0].cells] == [
        "Recommendation", "Position", "Full list of themes", "Assessment/comments on level of implementation"]


def test_every_row_loads_as_chinas_session_31(china_c3):
    store, reports, path, rows = china_c3
    (report,) = [r for r in reports if r.file == path]
    assert report.loader == "ohchr-matrix"
    assert report.rows_read == report.rows_loaded == len(rows) and report.rejections == []
    review = f"{BASE}id/upr-review/CHN/31"
    found = store.query(f"SELECT ?r WHERE {{ <{review}> <{BASE}ontology#workingGroupReport> ?r }}")
    assert {r["r"].value for r in found} == {f"{BASE}id/doc/{REPORT}"}


def test_refusal_rate_cycle_3_from_the_matrix_cycle_4_from_the_declaration(china_c3):
    store, _, _, rows = china_c3
    noted = sum(1 for p in rows.values() if p == "Noted")
    by_cycle: dict[int, list[dict]] = {}
    for row in run(store, "refusal-rate", {"state": "CHN"}).rows:
        by_cycle.setdefault(row["cycle"], []).append(row)
    # one row: the joint statement's "18% in 2018" (in the bundled case data) is a stated fact, not a count
    claim = f"{BASE}id/stated-fact/chn-upr-refusal-rate-2024-2018"
    assert any("18%" in r["q"].value for r in store.query(f"SELECT ?q WHERE {{ <{claim}> <{BASE}ontology#quote> ?q }}"))
    (c3,) = by_cycle[3]
    assert (c3["basis"], c3["session"], c3["year"]) == ("recommendations", 31, "2018")
    assert (c3["recommendations"], c3["refused"]) == (len(rows), noted) == (346, 62)
    assert c3["refusal_percent"] == round(100 * noted / len(rows), 1) == 17.9
    assert (c3["source"], c3["sources"]) == (f"{BASE}id/doc/{REPORT}/Add.1", 1)
    (c4,) = by_cycle[4]
    assert (c4["basis"], c4["recommendations"], c4["refused"], c4["refusal_percent"]) == (
        "declared summary", 428, 130, 30.4)
    # the cycles the bundled data already had are untouched
    assert [(r["cycle"], r["recommendations"], r["refused"]) for r in by_cycle[1] + by_cycle[2]] == [
        (1, 136, 81), (2, 252, 48)]


def test_unresolved_lists_the_noted_cycle_3_recommendations_as_refused(china_c3):
    store, _, _, rows = china_c3
    result = run(store, "unresolved", {"state": "CHN", "as_of": "2024-06-25"}).rows
    prefix = f"{BASE}id/doc/{REPORT}/rec/"
    cycle3 = [r for r in result if r["item"].startswith(prefix)]
    status = {r["item"].removeprefix(prefix): r["status"] for r in cycle3}
    assert len(status) == len(cycle3)  # one row per recommendation
    assert {p for p, s in status.items() if s == "refused"} == {p for p, pos in rows.items() if pos == "Noted"}
    assert {p for p, s in status.items() if s == "accepted-not-verified"} == {
        p for p, pos in rows.items() if pos == "Supported"}
    assert all(r["kind"] == "upr-recommendation" and r["position"].endswith("/position/noted")
               for r in cycle3 if r["status"] == "refused")
    # cycle 4 is still there as the declared counts: 98 rejected and 32 noted of 428
    declared = [r for r in result if r["kind"] == "declared-response-summary"]
    assert sum(r["count"] for r in declared) == 428
    assert sum(r["count"] for r in declared if r["status"] == "refused") == 130


def test_positions_with_marks_and_a_template_title_still_load(tmp_path, china_c3):
    """Regression: "Noted*" and "Supported, already implemented" were rejected as unknown positions,
    and a core-properties title naming another State's review decided the review over the page header."""
    _, _, derived, _ = china_c3
    path = vary_china_matrix(derived, tmp_path / "china-cycle3-variants.docx")
    rows = read_matrix(path)
    positions = Counter(rows.values())
    assert positions["Noted*"] and positions["Supported, already implemented"] and positions["Supported / Noted*"]
    store = EmbeddedStore(None)
    (report,) = load_files(store, [path])
    assert report.rows_read == report.rows_loaded == len(rows) and report.rejections == []
    (row,) = run(store, "refusal-rate", {"state": "CHN"}).rows
    assert (row["cycle"], row["session"], row["recommendations"]) == (3, 31, len(rows))
    assert row["refused"] == sum(1 for p in rows.values() if p.startswith("Noted"))
    assert run(store, "refusal-rate", {"state": "SVN"}).rows == []
    (summary,) = run(store, "response-summary", {"state": "CHN"}).rows
    assert summary["partially_supported"] == positions["Supported / Noted*"]


def test_a_page_header_in_a_text_box_with_joined_words_still_names_the_review(tmp_path, china_c3):
    """Regression: the page header was read from plain paragraphs only (not from a text box), and
    "31stsession" (runs joined with no space) gave no session: the file was refused."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    _, _, derived, rows = china_c3
    document = docx.Document(str(derived))
    header = document.sections[0].header
    for p in header.paragraphs:
        for r in list(p.runs):
            r._r.getparent().remove(r._r)
    box = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
        "<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
        "<w:t>UPR of China (3rd Cycle \u2013 31stsession)</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        "</v:shape></w:pict></w:r>")
    header.paragraphs[0]._p.append(box)
    document.core_properties.title = ""
    path = tmp_path / "china-cycle3-text-box.docx"
    document.save(str(path))
    assert "UPR of China" not in " ".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)
    store = EmbeddedStore(None)
    (report,) = load_files(store, [path])
    assert report.rows_loaded == len(rows) and report.rejections == []
    (row,) = run(store, "refusal-rate", {"state": "CHN"}).rows
    assert (row["cycle"], row["session"], row["recommendations"]) == (3, 31, len(rows))
