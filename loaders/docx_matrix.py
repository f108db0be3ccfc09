"""The layouts of OHCHR's UPR "thematic lists of recommendations" (matrices), and their cells.

Layouts seen since the second cycle (columns named by their header, never by position):

* around 2014-2015: Recommendation | Recommending state/s | Position | Full list of rights/affected
  persons; headings "Right or area: 2.1. Acceptance of international norms"; the recommending States
  one per line in their own column;
* 2nd cycle (e.g. China 2013, Slovenia 2014): Recommendation | Position | Full list of themes |
  Assessment/comments on level of implementation; headings "Theme: A12 Acceptance of international
  norms"; themes with UHRI codes, then "Affected persons:" and "- group" lines;
* 3rd cycle (Slovenia 2019): the same columns; themes as "- label" without codes, then "SDGs:" and
  "Affected persons:" sections;
* 4th cycle (Slovenia 2025): Recommendation and recommending State | Position of the State under review
  | Human rights themes and groups of persons | Relevant SDGs; "Groups of Persons:" section.

Headings repeat the row's primary theme across merged cells; a recommendation row starts with its
paragraph number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..graph.reference import State, UprSessions
from .upr_text import clean, report_of, resolve_state

HEADING = re.compile(r"^\s*(?:theme|themes|right or area|rights or areas|area|cluster)\s*:\s*(.+)$", re.IGNORECASE)
THEME_CODE = re.compile(r"^([A-H]\d{1,3})\s+(.+)$")  # "A12 Acceptance of international norms"
THEME_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(.+)$")  # "2.1. Acceptance of international norms"
SDG_LINE = re.compile(r"^(?:SDG\s*)?(\d{1,2})\s*(?:[-\u2013:.]\s*(.*))?$", re.IGNORECASE)
PERSONS_MARK = re.compile(r"^(?:affected persons|groups? of persons)\s*(?::\s*(.*))?$", re.IGNORECASE)
SDG_MARK = re.compile(r"^(?:relevant\s+)?SDGs?\s*:\s*(.*)$", re.IGNORECASE)
_SYMBOL = re.compile(r"\bA/HRC/\d+/\d+(?:/Add\.\d+)?\b")
_ORDINAL = r"(\d{1,2})\s*(?:st|nd|rd|th)?"


@dataclass
class Columns:
    """Which column holds what, from the header row's wording."""

    recommendation: int
    position: int
    states: int | None = None
    themes: int | None = None
    sdgs: int | None = None
    assessment: int | None = None

    @classmethod
    def from_header(cls, cells: list[str]) -> Columns | None:
        lowered = [" ".join(c.lower().split()) for c in cells]
        rec = next((i for i, h in enumerate(lowered) if h.startswith("recommendation")), None)
        pos = next((i for i, h in enumerate(lowered) if "position" in h and i != rec), None)
        if rec is None or pos is None:
            return None
        found = cls(rec, pos)
        for i, h in enumerate(lowered):
            if i in (rec, pos):
                continue
            if "recommending" in h and found.states is None:
                found.states = i
            elif "sdg" in h and found.sdgs is None:
                found.sdgs = i
            elif any(k in h for k in ("theme", "rights", "affected", "groups of persons")) and found.themes is None:
                found.themes = i
            elif any(k in h for k in ("assessment", "comment", "implementation")) and found.assessment is None:
                found.assessment = i
        return found


def header_of(rows: list[list[str]]) -> tuple[int, Columns] | None:
    """(row index, columns) of the first row that reads as a matrix header (within the first 5 rows)."""
    for i, cells in enumerate(rows[:5]):
        cols = Columns.from_header(cells)
        if cols is not None:
            return i, cols
    return None


def heading_of(cells: list[str], width: int | None = None) -> str | None:
    """The theme of a heading row ("Theme: A12 ..." merged across the row), or None for other rows.
    A row that is one merged cell (in a table `width` columns wide) without a paragraph number is a
    heading too, whatever its wording."""
    texts = {clean(c) for c in cells if clean(c)}
    if len(texts) != 1:
        return None
    text = texts.pop()
    m = HEADING.match(text)
    if m:
        return m.group(1).strip()
    if width and width > 1 and len(cells) == 1 and not re.match(r"^\s*\d{1,3}\.\d", text):
        return text
    return None


@dataclass
class Theme:
    label: str
    code: str | None = None

    @property
    def written(self) -> str:
        return f"{self.code} {self.label}" if self.code else self.label


def theme_of(text: str) -> Theme:
    """"A12 Acceptance of ..." -> code A12; "2.1. Acceptance ..." -> code 2.1; else no code."""
    text = normalise_label(text)
    m = THEME_CODE.match(text) or THEME_NUMBER.match(text)
    return Theme(m.group(2).strip(), m.group(1)) if m else Theme(text)


def normalise_label(text: str) -> str:
    """A list label as compared: bullet dropped, "&" spaced ("Budget &resources"), spaces collapsed."""
    text = clean(text).lstrip("-\u2013\u2022* ").strip()
    text = re.sub(r"\s*&\s*", " & ", text)
    return text.rstrip(" ;,")


@dataclass
class Classification:
    """What a themes cell (and an SDG cell) says about a recommendation."""

    themes: list[Theme] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    unreadable_sdgs: list[str] = field(default_factory=list)


def classify(themes_cell: str, sdg_cell: str = "") -> Classification:
    """Themes, then an "Affected persons:"/"Groups of Persons:" and an "SDGs:" section, in any order."""
    out = Classification()
    mode = "themes"
    for raw in themes_cell.splitlines():
        line = clean(raw)
        if not line:
            continue
        for marker, section in ((PERSONS_MARK, "persons"), (SDG_MARK, "sdgs")):
            m = marker.match(line)
            if m:
                mode, line = section, (m.group(1) or "").strip()
                break
        if not line:
            continue
        if mode == "persons":
            label = normalise_label(line)
            if label and label not in out.persons:
                out.persons.append(label)
        elif mode == "sdgs":
            _sdg(line, out)
        else:
            theme = theme_of(line)
            if theme.label and theme not in out.themes:
                out.themes.append(theme)
    for raw in sdg_cell.splitlines():
        line = clean(raw)
        m = SDG_MARK.match(line)
        line = m.group(1).strip() if m else line
        if line:
            _sdg(line, out)
    return out


def _sdg(line: str, out: Classification) -> None:
    text = normalise_label(line)
    if not text:
        return
    m = SDG_LINE.match(text)
    if m and 1 <= int(m.group(1)) <= 17:
        n = int(m.group(1))
        if n not in out.sdgs:
            out.sdgs.append(n)
    else:
        out.unreadable_sdgs.append(text)


def states_cell(text: str) -> tuple[list[State], list[str]]:
    """The recommending States of a "Recommending state/s" cell: one per line (or comma-separated)."""
    from .upr_text import resolve_names

    return resolve_names(text)


# --- which review a matrix is of ---------------------------------------------------------------
@dataclass
class ReviewHint:
    """What a matrix says about its review; each part None when it does not say."""

    state: State | None = None
    state_written: str | None = None
    session: int | None = None
    cycle: int | None = None
    report: str | None = None


def review_hint(context: str, position_sources: list[str]) -> ReviewHint:
    """State, session and cycle from the page header or title; the report from the position sources."""
    hint = ReviewHint()
    text = " ".join(context.split())
    m = re.search(r"\b(?:UPR|Universal Periodic Review)\s*(?:of|:|[-\u2013])\s*", text, re.IGNORECASE)
    if m:
        hint.state_written, hint.state = _state_after(text[m.end():m.end() + 160])
    m = re.search(_ORDINAL + r"\s*session\b", text, re.IGNORECASE) or re.search(
        r"\bsession\s*(?:no\.?\s*)?(\d{1,2})\b", text, re.IGNORECASE)
    if m:
        hint.session = int(m.group(1))
    m = re.search(_ORDINAL + r"\s*cycle\b", text, re.IGNORECASE) or re.search(
        r"\bcycle\s*(\d)\b", text, re.IGNORECASE)
    if m:
        hint.cycle = int(m.group(1))
    symbols = [report_of(s) for s in _SYMBOL.findall(text)]
    symbols += [report_of(s) for s in position_sources if s]
    if symbols:
        hint.report = max(set(symbols), key=lambda s: (symbols.count(s), -len(s)))
    return hint


def _state_after(rest: str) -> tuple[str | None, State | None]:
    """The longest start of `rest` that names a State: "Bolivia (Plurinational State of) (3rd Cycle"
    -> Bolivia (Plurinational State of); "China (2nd Cycle - 17th session)" -> China."""
    ends = [m.start() for m in re.finditer(r"\(|\s[-\u2013]\s|,|;|\t|\s\d|$", rest)]
    ends += [m.end() for m in re.finditer(r"\)", rest)]
    first = None
    for end in sorted(set(ends), reverse=True):
        candidate = rest[:end].strip(" -\u2013,;:\t")
        if not candidate or len(candidate) > 80:
            continue
        found = resolve_state(candidate)
        if found:
            return candidate, found
        first = candidate
    return first, None


def cycle_of(session: int) -> int | None:
    found = UprSessions.load().get(session)
    return found.cycle if found else None
