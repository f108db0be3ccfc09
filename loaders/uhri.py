"""OHCHR Universal Human Rights Index (UHRI) exports of UPR recommendations (CSV or XLSX).

The columns are the UHRI export's, as `janitor::clean_names` spells them and as users pass them
on: countries_concerned, text, upr_reccomending_states [sic], upr_position, document_symbol,
upr_session, provisional, reccomending_body [sic], type; optional themes, affected_persons, sdgs.
Headers are compared after lower-casing and turning other characters into "_", and both the
export's misspelling and the correct "recommending" are accepted.

One row is one recommendation. The text carries the paragraph ("36.1 Ratify ... (Chile)
(France);"), so a row's IRI is `{document_symbol}/rec/{paragraph}`, the node OHCHR's matrix of the
same review also gives. Multi-valued cells ("- Mexico - Austria", "Portugal, Germany", one per
line) are split without breaking hyphenated names (Timor-Leste); HTML entities are decoded. The
export keeps only some recommending States in its column (one of five for "36.1 ... (Chile)
(France) (Japan) (Malta) (Niger)"), so the States named in the text are added. A row without a
position is a recommendation awaiting the State's response: position `pending`, not an error; the
export's `provisional` flag is kept on the response.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from ..graph import reconcile, vocab
from ..graph.iris import Iris, is_un_symbol, normalise_text
from ..graph.namespaces import DCTERMS, RG
from ..graph.rdf import lit, triple
from ..graph.reference import State, UprSessions, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .docx_matrix import classify, normalise_label
from .ohchr_matrix import (
    Review,
    _persons_lookup,
    best_scheme,
    classification_triples,
    lookup_theme,
    review_triples,
)
from .registry import register
from .tables import head_line, read_table
from .upr_records import recommendation_triples, response_triples
from .upr_text import clean, parse, position_concept, report_of, resolve_names, resolve_state, split_names

SOURCE = "https://w3id.org/rightsgraph/source/uhri"
COLUMNS: dict[str, tuple[str, ...]] = {
    "state": ("countries_concerned", "country_concerned", "state_under_review", "countries"),
    "text": ("text", "recommendation", "recommendation_text"),
    "document": ("document_symbol", "document_code", "symbol", "document"),
    "states": ("upr_reccomending_states", "upr_recommending_states", "recommending_states",
               "upr_recommending_state", "recommending_state"),
    "position": ("upr_position", "position", "response"),
    "session": ("upr_session", "session"),
    "provisional": ("provisional",),
    "body": ("reccomending_body", "recommending_body", "body"),
    "type": ("type",),
    "themes": ("themes", "theme", "human_rights_themes"),
    "persons": ("affected_persons", "groups_of_persons", "persons_affected"),
    "sdgs": ("sdgs", "sdg", "relevant_sdgs"),
    "paragraph": ("paragraph", "paragraph_number"),
}
REQUIRED = ("state", "text", "document")
TRUE = {"true", "yes", "1", "t", "y"}


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def column_index(header: list[str]) -> dict[str, int] | None:
    """Where each known column is, or None if the header lacks a required UHRI column."""
    keys = [header_key(h) for h in header]
    index: dict[str, int] = {}
    for name, spellings in COLUMNS.items():
        for i, k in enumerate(keys):
            if k in spellings:
                index[name] = i
                break
    if not all(r in index for r in REQUIRED) or not ({"states", "position", "session"} & set(index)):
        return None
    return index


def strip_bullet(text: str) -> str:
    """"- UPR" -> "UPR" (UHRI cells start list items with "- ")."""
    return clean(text).lstrip("-\u2013\u2022 ").strip()


@dataclass
class _Item:
    review: tuple[str, int]
    report: str | None
    paragraph: str | None
    text: str
    states: list[State]
    position: str
    provisional: bool | None
    themes: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


reconcile.register()  # reconciliation runs after every load once these sources can be loaded


@register
class UhriLoader(Loader):
    name = "uhri"
    version = "1"
    description = ("OHCHR Universal Human Rights Index export of UPR recommendations (CSV or XLSX): "
                   "countries_concerned, text, upr_reccomending_states, upr_position, document_symbol, upr_session")
    extensions = (".csv", ".xlsx", ".xls")

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() not in self.extensions:
            return False
        if path.suffix.lower() == ".csv":
            line = head_line(path)
            delimiter = ";" if line.count(";") > line.count(",") else ","
            return column_index(line.split(delimiter)) is not None
        try:
            return column_index(read_table(path).header) is not None
        except LoadError:
            return False

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        table = read_table(path)
        cols = column_index(table.header)
        if cols is None:
            missing = [n for n in REQUIRED if not any(header_key(h) in COLUMNS[n] for h in table.header)]
            what = ", ".join(COLUMNS[m][0] for m in missing) or "upr_position, upr_reccomending_states or upr_session"
            raise LoadError(path, "row 1 (header)", f"not a UHRI export: no column {what} "
                            f"(found: {', '.join(table.header)})")
        result = LoadResult(path, self.name, self.graph_key(path))
        rows = table.rows[: ctx.limit] if ctx.limit else table.rows
        items: dict[tuple, _Item] = {}
        width = len(table.header)
        for n, (rownum, cells) in enumerate(rows, start=1):
            result.rows_read += 1
            if ctx.progress and n % 1000 == 0:
                ctx.progress(n, len(rows))
            try:
                if len(cells) < width and len(cells) <= max(cols.values()):
                    raise RowRejected(f"row has {len(cells)} cells where the header has {width}: truncated")
                item = self._item(cells, cols)
            except RowRejected as exc:
                result.reject(rownum, str(exc))
                continue
            item.rows.append(rownum)
            key = ((item.review, item.report, item.paragraph) if item.report and item.paragraph
                   else (item.review, None, normalise_text(item.text)))
            first = items.get(key)
            if first is None:
                items[key] = item
            elif normalise_text(first.text) != normalise_text(item.text) or first.position != item.position:
                result.reject(rownum, f"paragraph {item.paragraph} of {item.report} is already row {first.rows[0]} "
                              "with a different wording or position: two recommendations cannot share it")
                continue
            else:
                first.rows.append(rownum)
                first.states += [s for s in item.states if s not in first.states]
                result.notes.append(f"row {rownum} repeats row {first.rows[0]} (paragraph {item.paragraph}); "
                                    "loaded once")
            result.rows_loaded += 1
        result.triples = self._triples(list(items.values()), ctx.iris, path, ctx.iris.graph(result.graph_key), result)
        result.records["recommendation"] = len(items)
        return result

    # --- one row ---------------------------------------------------------------------------------
    def _item(self, cells: list[str], cols: dict[str, int]) -> _Item:
        def raw(name: str) -> str:
            """The cell with entities decoded and its lines kept (multi-valued cells use them)."""
            i = cols.get(name)
            return html.unescape(html.unescape(cells[i])).strip() if i is not None and i < len(cells) else ""

        def cell(name: str) -> str:
            return clean(raw(name))

        body = strip_bullet(cell("body"))
        if body and body.upper() != "UPR":
            raise RowRejected(f"not a UPR recommendation (recommending body {body!r})")
        kind = strip_bullet(cell("type"))
        if kind and "recommendation" not in kind.lower():
            raise RowRejected(f"not a recommendation (type {kind!r})")
        state_names = split_names(cell("state"))
        if len(state_names) != 1:
            whole = resolve_state(strip_bullet(cell("state")))
            if whole is None:
                raise RowRejected(f"countries_concerned {cell('state')!r} names no single State under review")
            state_names = [whole.name]
        state = resolve_state(state_names[0])
        if state is None:
            raise RowRejected(f"unknown State under review {state_names[0]!r}")
        session_text = strip_bullet(cell("session"))
        m = re.search(r"\d+", session_text)
        if not m:
            raise RowRejected(f"no UPR session number in {session_text!r}" if session_text else "no UPR session")
        session = int(m.group(0))
        if UprSessions.load().get(session) is None:
            raise RowRejected(f"no UPR session {session} in the reference data")
        symbol = strip_bullet(cell("document"))
        if symbol and not is_un_symbol(symbol):
            raise RowRejected(f"document_symbol {symbol!r} is not a UN document symbol")
        report = report_of(symbol) if symbol else None  # without it: a text-keyed record, matched later
        listed_text = raw("states")
        listed, unknown = resolve_names(listed_text)
        if unknown:
            raise RowRejected(f"unknown recommending State {unknown[0]!r}")
        rec = parse(cell("text"), states_known=bool(listed))
        if not rec.text or len(normalise_text(rec.text)) < 3:
            raise RowRejected("empty recommendation text")
        if rec.unknown_states:
            raise RowRejected(f"unknown recommending State(s) in \"({rec.unknown_states})\"")
        found = listed + [s for s in rec.states if s.iso3 not in {x.iso3 for x in listed}]
        if not found:
            raise RowRejected("no recommending State in upr_reccomending_states or at the end of the text")
        paragraph = rec.paragraph or (cell("paragraph") or None)
        position_text = "/".join(strip_bullet(p) for p in _lines(raw("position")))  # "- Supported\n- Noted"
        position = position_concept(position_text)
        if position is None:
            raise RowRejected(f"unknown position {position_text!r}")
        flag = cell("provisional").lower()
        provisional = None if not flag else flag in TRUE
        themes = [normalise_label(t) for t in _lines(raw("themes"))]
        persons = [normalise_label(p) for p in _lines(raw("persons"))]
        sdgs = classify("", "\n".join(_lines(raw("sdgs")))).sdgs
        return _Item((state.iso3, session), report, paragraph, rec.text, found, position, provisional,
                     themes, persons, sdgs)

    # --- triples ---------------------------------------------------------------------------------
    def _triples(self, items: list[_Item], iris: Iris, path: Path, graph: str, result: LoadResult) -> list[Triple]:
        out: list[Triple] = []
        table = states()
        reports: dict[tuple[str, int], set[str]] = defaultdict(set)
        for item in items:
            reports[item.review].update([item.report] if item.report else [])
        for (iso3, session), symbols in sorted(reports.items()):
            out += review_triples(iris, Review(table.by_iso3(iso3), session, 0, None))
            for symbol in sorted(symbols):
                out += review_triples(iris, Review(table.by_iso3(iso3), session, 0, symbol))
        theme_scheme = best_scheme("uhri-theme-", {t for i in items for t in i.themes}, lookup_theme)
        persons_scheme = best_scheme("uhri-affected-persons-", {p for i in items for p in i.persons},
                                     _persons_lookup)
        unknown: Counter = Counter()
        for item in items:
            iso3, session = item.review
            review = iris.upr_review(iso3, session)
            state = iris.state(iso3)
            report = iris.doc(item.report) if item.report else None
            if item.paragraph and report:
                node = iris.upr_recommendation(report, paragraph=item.paragraph)
            else:
                node = iris.upr_recommendation(review, text=item.text)
            out += recommendation_triples(node, review=review, state=state, text=item.text, source=SOURCE,
                                          graph=graph, recommenders=[iris.state(s.iso3) for s in item.states],
                                          rows=[f"{path.name}#row={r}" for r in item.rows])
            if item.paragraph:
                out.append(triple(node, RG.paragraph, lit(item.paragraph)))
            if report:
                out.append(triple(node, DCTERMS.isPartOf, report))
            out += classification_triples(node, item.themes, item.persons, theme_scheme, persons_scheme, unknown)
            out += [triple(node, RG.sdg, vocab.concept_for("sdg", str(n))) for n in item.sdgs]
            response = iris.response(node, f"{self.name}-{path.name}")
            out += response_triples(node, response, position=item.position, respondent=state, source=SOURCE,
                                    graph=graph)
            if item.provisional is not None:
                out.append(triple(response, RG.provisional, lit(item.provisional)))
        for what, n in sorted(unknown.items()):
            result.notes.append(f"{what} is in no shipped vocabulary; kept as text on {n} recommendation(s)")
        return out


def _lines(text: str) -> list[str]:
    """Items of a multi-valued cell: one per line ("- a" bullets), else separated by ";" or "|"."""
    if not text:
        return []
    lines = [ln for ln in text.splitlines() if ln.strip(" -\u2013\u2022")]
    if len(lines) == 1:
        lines = re.split(r"[;|]", lines[0])
    return [clean(ln).strip(" -\u2013\u2022") for ln in lines if clean(ln).strip(" -\u2013\u2022")]
