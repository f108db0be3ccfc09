"""Human Rights Council resolutions and decisions, 2006-2022 (dw-data ODS spreadsheet).

Sheet `data`, one row per text put before the Council: Session typ (regular / special), Adopted
text (the Council's number, "51/3", "S-5/1.", "A/HRC/RES/16/17"), Title, Action taken, year,
status (Adopted / Withdrawn / Rejected), focus (country / topic), vote typ. Each row becomes an
`rg:HRCResolution` attached to its `rg:HRCSession`, or a rejection. Read with odfpy (0.5 s for the
shipped 1,437 rows: no pandas needed).

What the shipped file gets wrong and how it is read (every rule is about the file, not history):

* the number decides the session: "S-7/1." is special session 7 even where the session column says
  regular (8 rows); "OM/1/1." is the organizational meeting;
* 13 of the 15 rows the session column marks special have a four-character scrap of the title in
  place of the number ("ight", "uati"): they are adopted texts of a special session whose number the
  file does not give. Each gets a special session of its own, identified by year and title, and
  no number is guessed. Two rows have "22/1" and "21/1" and the title "Human Rights Council
  resolution S-22/1 adopted on ..."; the title's number is used;
* "27/2127/21/Corr.1" is resolution 27/21 and its corrigendum;
* an adopted row with an empty number (17 rows, 2007-2009) holds a fragment of a neighbouring row's
  title ("human rights", "Republic of Korea") and is rejected: it cannot be identified;
* withdrawn and rejected drafts have no number ("N/A") and are kept as drafts, identified by year and
  title, with no session (the file does not say which);
* the subject States of a country-specific text are the States its title names (exact names and
  aliases of the reference data, plus the places of `hrc-title-places.csv` such as "Occupied
  Palestinian Territory"), longest match first. They are recorded where the focus column says
  country, and for every special-session text, since the file marks all special-session rows topic.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.iris import Iris, text_key
from ..graph.iris import vocab as vocab_iri
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG, SKOS
from ..graph.rdf import gyear, lit, triple
from ..graph.reference import normalise_name, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register

SOURCE = "https://w3id.org/rightsgraph/source/dw-data-human-rights-council"
COLUMNS = {"session": "session typ", "number": "adopted text", "title": "title", "action": "action taken",
           "year": "year", "status": "status", "focus": "focus", "vote": "vote typ"}
_NUMBER = re.compile(r"^(?:A/HRC/RES/)?(?P<prefix>S-|OM/)?(?P<session>\d+)/(?P<n>\d+)$")
_CORRIGENDUM = re.compile(r"^(?P<num>\d+/\d+)(?P=num)/Corr\.(?P<corr>\d+)$")
_TITLE_NUMBER = re.compile(r"\bresolution (S-\d+/\d+)\b")
_DATE = re.compile(r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
                   r"November|December) (\d{4})\b")
_VOTE = {"vote": True, "vote, orally revised": True, "no vote": False, "without vote": False}
_SESSION_LABEL = {"regular": "regular session", "special": "special session",
                  "organizational": "organizational meeting"}
_MAX_REPEAT = 1000  # a repeated empty row or column beyond this is padding, not data


# --- reading the ODS ------------------------------------------------------------------------------
def read_ods(path: Path) -> dict[str, list[tuple[int, list[str]]]]:
    """Every sheet of an ODS file as (row number, cells as text); repeated cells expanded, padding dropped."""
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableRow
    from odf.teletype import extractText

    if not zipfile.is_zipfile(path):
        raise LoadError(path, "", "not an OpenDocument spreadsheet (.ods): not a zip archive")
    try:
        doc = load(str(path))
    except Exception as exc:  # odfpy raises many kinds for a damaged archive
        raise LoadError(path, "", f"unreadable OpenDocument spreadsheet ({type(exc).__name__}: {exc})") from None
    if doc.spreadsheet is None:
        raise LoadError(path, "", "an OpenDocument file, but not a spreadsheet")
    sheets: dict[str, list[tuple[int, list[str]]]] = {}
    for table in doc.spreadsheet.getElementsByType(Table):
        rows: list[tuple[int, list[str]]] = []
        number = 0
        for tr in table.getElementsByType(TableRow):
            repeat = int(tr.getAttrNS(TABLENS, "number-rows-repeated") or 1)
            cells: list[str] = []
            for tc in tr.childNodes:
                if tc.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                text = extractText(tc)
                span = int(tc.getAttrNS(TABLENS, "number-columns-repeated") or 1)
                cells.extend([text] * (span if span <= _MAX_REPEAT or text else 1))
            while cells and not cells[-1].strip():
                cells.pop()
            for _ in range(repeat if cells else 1):
                number += 1
                if cells:
                    rows.append((number, list(cells)))
            if not cells and repeat > 1:
                number += repeat - 1
        sheets[str(table.getAttribute("name"))] = rows
    return sheets


# --- subject States from titles -------------------------------------------------------------------
@lru_cache(maxsize=1)
def _place_index() -> tuple[tuple[str, str], ...]:
    """(normalised phrase, ISO3), longest first: every State name and alias, plus the HRC places."""
    phrases: dict[str, str] = {}
    for state in states():
        for name in (state.names.get("en"), state.names.get("fr"), state.formal.get("en"),
                     state.formal.get("fr"), *state.aliases):
            key = normalise_name(name or "")
            if key:
                phrases.setdefault(key, state.iso3)
    text = (files("rightsgraph") / "data" / "reference" / "hrc-title-places.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        phrases[normalise_name(row["phrase"])] = row["iso3"]
    return tuple(sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def title_states(title: str) -> list[str]:
    """ISO3 codes of the States a title names, in order of mention; a name inside a longer one
    ("Republic of Korea" in "Democratic People's Republic of Korea") does not count."""
    text = f" {normalise_name(title)} "
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for phrase, iso3 in _place_index():
        needle = f" {phrase} "
        start = text.find(needle)
        while start != -1:
            span = range(start + 1, start + len(needle) - 1)
            if not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                found.append((start, iso3))
            start = text.find(needle, start + 1)
    return list(dict.fromkeys(iso3 for _, iso3 in sorted(found)))


# --- the loader -----------------------------------------------------------------------------------
@dataclass
class _Text:
    iri: str
    kind: str  # "resolution" or "draft"
    number: str | None
    session: tuple[str, str] | None  # (session type, number or unnumbered key)
    session_year: int | None


@register
class HrcResolutionsLoader(Loader):
    name = "hrc-resolutions"
    version = "1"
    description = ("Human Rights Council resolutions and decisions (ODS, sheet 'data': Session typ, Adopted text, "
                   "Title, Action taken, year, status, focus, vote typ)")
    extensions = (".ods",)

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".ods" or not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as z:
            if "content.xml" not in z.namelist():
                return False
            with z.open("content.xml") as fh:
                head = fh.read(1 << 20)
        return b"Adopted text" in head and b"Session typ" in head

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        sheets = read_ods(path)
        sheet, rows = self._data_sheet(path, sheets)
        header = [h.strip().lower() for h in rows[0][1]]
        cols = {k: header.index(v) for k, v in COLUMNS.items()}
        result = LoadResult(path, self.name, self.graph_key(path))
        graph = ctx.iris.graph(result.graph_key)
        body = rows[1:][: ctx.limit] if ctx.limit else rows[1:]
        seen: dict[str, int] = {}
        sessions: dict[tuple[str, str], dict] = {}
        for rownum, cells in body:
            result.rows_read += 1
            try:
                row = {k: (cells[i] if i < len(cells) else "") for k, i in cols.items()}
                text, triples, notes = self._row(row, ctx.iris, path.name, sheet, rownum, graph)
                if text.iri in seen:
                    raise RowRejected(f"{text.kind} {text.number or ''} appears twice (first in row {seen[text.iri]})"
                                      .replace("  ", " "))
            except RowRejected as exc:
                result.reject(f"{sheet}!{rownum}", str(exc))
                continue
            seen[text.iri] = rownum
            result.triples += triples
            result.rows_loaded += 1
            result.records[text.kind] += 1
            result.notes += [f"row {sheet}!{rownum}: {n}" for n in notes]
            if text.session:
                entry = sessions.setdefault(text.session, {"years": defaultdict(int)})
                if text.session_year:
                    entry["years"][text.session_year] += 1
        for (kind, number), entry in sessions.items():
            result.triples += self._session(kind, number, entry, ctx.iris, graph)
            result.records[f"{kind} session"] += 1
            if len(entry["years"]) > 1:
                dated = dict(sorted(entry["years"].items()))
                result.notes.append(f"{kind} session {number}: its texts are dated {dated}; "
                                    "the session's year is the most common one")
        return result

    @staticmethod
    def _data_sheet(path: Path, sheets: dict[str, list]) -> tuple[str, list]:
        for name, rows in sheets.items():
            if rows and set(COLUMNS.values()) <= {h.strip().lower() for h in rows[0][1]}:
                return name, rows
        wanted = ", ".join(COLUMNS.values())
        raise LoadError(path, "", f"no sheet has the columns {wanted} (sheets: {', '.join(sheets) or 'none'})")

    # --- one row ------------------------------------------------------------------------------
    def _row(self, row: dict[str, str], iris: Iris, file_name: str, sheet: str, rownum: int,
             graph: str) -> tuple[_Text, list[Triple], list[str]]:
        notes: list[str] = []
        clean = {k: " ".join(v.replace("\xa0", " ").split()) for k, v in row.items()}
        session_column = clean["session"].lower()
        if session_column not in ("regular", "special"):
            raise RowRejected(f"Session typ {row['session']!r} is neither regular nor special")
        outcome = vocab.concept_for("hrc-outcome", clean["status"])
        if outcome is None:
            raise RowRejected(f"status {row['status']!r} is not Adopted, Withdrawn or Rejected")
        adopted = outcome == vocab_iri("hrc-outcome", "adopted")
        if not re.fullmatch(r"\d{4}", clean["year"]) or not 2006 <= int(clean["year"]) <= 2100:
            raise RowRejected(f"year {row['year']!r} is not a year from 2006")
        year = int(clean["year"])
        focus = clean["focus"].lower()
        if focus not in ("country", "topic"):
            raise RowRejected(f"focus {row['focus']!r} is neither country nor topic")
        title = clean["title"]
        if not title:
            raise RowRejected("empty title")

        raw = clean["number"].rstrip(".").strip()
        corrigendum = None
        m = _CORRIGENDUM.match(raw)
        if m:
            raw, corrigendum = m.group("num"), f"{m.group('num')}/Corr.{m.group('corr')}"
            title = re.sub(r"\s*Corrigendum$", "", title)
        m = _NUMBER.match(raw)
        session: tuple[str, str] | None = None
        number = None
        if m and adopted:
            prefix, s, n = m.group("prefix"), m.group("session"), m.group("n")
            kind = {"S-": "special", "OM/": "organizational", None: "regular"}[prefix]
            if kind == "regular" and session_column == "special":
                stated = _TITLE_NUMBER.search(title)
                if stated and stated.group(1) == f"S-{s}/{n}":
                    kind = "special"
                    notes.append(f"number {raw!r} read as {stated.group(1)}, as the title states")
                else:
                    kind, m = "special", None
                    notes.append(f"number {raw!r} in a special-session row without S-: the session's number "
                                 "is not taken from it")
            elif kind == "special" and session_column == "regular":
                notes.append(f"number {raw} is a special session's; the session column says regular")
            if m:
                session = (kind, s)
                number = f"{'S-' if kind == 'special' else 'OM/' if kind == 'organizational' else ''}{s}/{n}"
        if adopted and number is None:
            if session_column != "special":
                raise RowRejected(f"adopted text without a resolution number (Adopted text {row['number']!r}): "
                                  "it cannot be identified (the title looks like a fragment of a neighbouring row)")
            key = f"unnumbered/{year}-h{text_key(title)[:8]}"
            session = ("special", key)
            notes.append(f"special-session text without its number (Adopted text {row['number']!r}); "
                         "its session is recorded without a number")

        # --- IRIs
        if number and session and session[0] != "organizational":
            symbol = f"A/HRC/RES/{number}"
            node = iris.doc(symbol)
        elif number:
            symbol, node = None, iris.hrc_text(number)
        elif adopted:
            symbol, node = None, iris.hrc_text(f"special/{year}/h{text_key(title)}")
        else:
            symbol, node = None, iris.hrc_text(f"draft/{year}/h{text_key(title)}")
        text = _Text(node, "resolution" if adopted else "draft", number, session, year)

        out = [
            triple(node, RDF.type, RG.HRCResolution),
            triple(node, DCTERMS.title, lit(title)),
            triple(node, RG.outcome, outcome),
            triple(node, RG.year, gyear(year)),
            triple(node, RG.countrySpecific, lit(focus == "country")),
            triple(node, DCTERMS.creator, iris.mechanism("hrc")),
            triple(node, DCTERMS.source, SOURCE),
            triple(node, RG.sourceRecord, lit(f"{file_name}#{sheet}!A{rownum}")),
            triple(node, PROV.wasDerivedFrom, graph),
        ]
        label = f"HRC resolution {number}: {title}" if number else (
            f"HRC special-session text ({year}): {title}" if adopted else f"HRC draft, {clean['status'].lower()} "
                                                                          f"({year}): {title}")
        out.append(triple(node, RDFS.label, lit(label)))
        if number:
            out.append(triple(node, SKOS.notation, lit(number)))
        if symbol:
            out += [triple(node, RDF.type, RG.Document), triple(node, DCTERMS.identifier, lit(symbol)),
                    triple(node, RDFS.seeAlso, f"https://undocs.org/{symbol}")]
        if corrigendum:
            out.append(triple(node, SKOS.note, lit(f"The source lists the corrigendum {corrigendum} with it.",
                                                   lang="en")))
        if session:
            out.append(triple(node, RG.hrcSession, iris.hrc_session(*session)))
        if clean["action"]:
            out.append(triple(node, DCTERMS.description, lit(clean["action"])))
            dates = _DATE.findall(clean["action"])
            if dates:
                d, mon, y = dates[-1]
                acted = datetime.strptime(f"{d} {mon} {y}", "%d %B %Y").date()
                out.append(triple(node, DCTERMS.date, lit(acted)))
                if acted.year != year:
                    notes.append(f"year column says {year}, the action taken is dated {acted.isoformat()}")
                text.session_year = acted.year
        vote = clean["vote"].lower()
        if vote in _VOTE:
            out.append(triple(node, RG.recordedVote, lit(_VOTE[vote])))
        elif vote:
            notes.append(f"vote typ {row['vote']!r} not understood; not recorded")
        if focus == "country" or (session and session[0] == "special"):
            found = title_states(title)
            out += [triple(node, RG.subjectState, iris.state(iso3)) for iso3 in found]
            if not found and focus == "country":
                notes.append(f"country-specific, but the title names no known State: {title!r}")
        return text, out, notes

    @staticmethod
    def _session(kind: str, number: str, entry: dict, iris: Iris, graph: str) -> list[Triple]:
        node = iris.hrc_session(kind, number)
        counted = sorted(entry["years"].items(), key=lambda kv: (-kv[1], kv[0]))
        years = [counted[0][0]] if counted else []
        numbered = not number.startswith("unnumbered/")
        label = f"Human Rights Council {_SESSION_LABEL[kind]} {number}" if numbered else (
            f"Human Rights Council special session, {years[0] if years else ''} (number not given in the source)")
        out = [
            triple(node, RDF.type, RG.HRCSession),
            triple(node, RG.sessionType, vocab_iri("hrc-session-type", kind)),
            triple(node, RDFS.label, lit(label, lang="en")),
            triple(node, DCTERMS.source, SOURCE),
            triple(node, PROV.wasDerivedFrom, graph),
        ]
        if numbered:
            out.append(triple(node, RG.hrcSessionNumber, lit(int(number))))
        out += [triple(node, RG.year, gyear(y)) for y in years]
        return out
