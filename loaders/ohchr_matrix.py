"""OHCHR UPR "thematic lists of recommendations" (matrices, DOCX): one record per report paragraph.

One table row is one recommendation: its paragraph number in the Working Group report is its
identifier (`{report}/rec/{paragraph}`, a string: 186.4 is not 186.40), so the UHRI's record of
the same paragraph is the same node, and UPR Info's per-State rows are matched to it afterwards
(graph/reconcile.py). From each row: the wording, every recommending State (a paragraph may group
several States' wordings), the position and the document and paragraph stating it ("Source of
position: A/HRC/40/6/Add.1 - Para. 2"), themes (per release scheme, UHRI codes kept), affected
persons, SDGs. See loaders/docx_matrix.py for the layouts.

Which review a matrix is of comes from the file (page header "UPR of China (2nd Cycle - 17th
session)"; the report from the position sources) or, where the file does not say, from the load
options `state` (ISO3 or name), `session`, `cycle` and `report`. A file whose review cannot be
determined, or whose options contradict it, is refused with one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from ..graph import reconcile, vocab
from ..graph.iris import Iris, is_un_symbol, normalise_text
from ..graph.namespaces import DCTERMS, RDF, RDFS, RG, SKOS
from ..graph.rdf import lit, triple
from ..graph.reference import State, UprSessions, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .docx_matrix import (
    Classification,
    Columns,
    ReviewHint,
    classify,
    cycle_of,
    header_of,
    heading_of,
    normalise_label,
    review_hint,
    states_cell,
    theme_of,
)
from .docx_tables import DocxContent, DocxTable, is_docx, read_docx
from .registry import register
from .upr_records import recommendation_triples, response_triples
from .upr_text import clean, parse, position_concept, resolve_state, split_paragraph, split_source

SOURCE = "https://w3id.org/rightsgraph/source/ohchr-upr-matrix"
OPTION_NAMES = ("state", "session", "cycle", "report")


@dataclass
class Review:
    state: State
    session: int
    cycle: int
    report: str | None


@dataclass
class _Item:
    """One recommendation row, ready to become triples."""

    paragraph: str | None
    text: str
    states: list[State]
    position: str
    position_source: str | None
    position_paragraph: str | None
    themes: list[str] = field(default_factory=list)  # written forms; mapped to concepts later
    persons: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    comment: str = ""
    rows: list[str] = field(default_factory=list)


def undocs(symbol: str) -> str:
    return f"https://undocs.org/{symbol}"


def document_triples(iris: Iris, symbol: str, title: str | None = None) -> list[Triple]:
    node = iris.doc(symbol)
    out = [triple(node, RDF.type, RG.Document), triple(node, DCTERMS.identifier, lit(symbol)),
           triple(node, RDFS.seeAlso, undocs(symbol))]
    if title:
        out.append(triple(node, DCTERMS.title, lit(title, lang="en")))
    return out


def review_triples(iris: Iris, review: Review) -> list[Triple]:
    """The review node (and its Working Group report, where known)."""
    node = iris.upr_review(review.state.iso3, review.session)
    year = UprSessions.load().year(review.session)
    out = [
        triple(node, RDF.type, RG.UPRReview),
        triple(node, RG.stateUnderReview, iris.state(review.state.iso3)),
        triple(node, RG.session, iris.upr_session(review.session)),
        triple(node, RDFS.label, lit(f"UPR review of {review.state.name}, session {review.session} ({year})",
                                     lang="en")),
    ]
    if review.report:
        out += [
            triple(node, RG.workingGroupReport, iris.doc(review.report)),
            *document_triples(iris, review.report,
                              f"Report of the Working Group on the Universal Periodic Review: {review.state.name}"),
        ]
    return out


# --- the review ----------------------------------------------------------------------------------
def determine_review(path: Path, hint: ReviewHint, options: dict[str, str]) -> Review:
    """The review from the file's own words and the options; LoadError if unknown or contradictory."""
    opts = {k.strip().lower(): str(v).strip() for k, v in options.items() if str(v).strip()}
    state = hint.state
    if "state" in opts:
        table = states()
        given = table.by_iso3(opts["state"]) if opts["state"].upper() in table else resolve_state(opts["state"])
        if given is None:
            raise LoadError(path, "option state", f"{opts['state']!r} is not a known State (use an ISO3 code)")
        if state is not None and state.iso3 != given.iso3:
            raise LoadError(path, "page header", f"the file is about {state.name} ({state.iso3}) but "
                            f"option state={opts['state']}; remove the option or check the file")
        state = given
    session = hint.session
    if "session" in opts:
        try:
            given_session = int(opts["session"])
        except ValueError:
            raise LoadError(path, "option session", f"{opts['session']!r} is not a UPR session number") from None
        if session is not None and session != given_session:
            raise LoadError(path, "page header", f"the file says session {session} but option "
                            f"session={given_session}; remove the option or check the file")
        session = given_session
    report = hint.report
    if "report" in opts:
        if report is not None and report != opts["report"]:
            raise LoadError(path, "position sources", f"the file's positions are sourced to {report} but option "
                            f"report={opts['report']}; remove the option or check the file")
        report = opts["report"]
    missing = [name for name, value in (("state", state), ("session", session), ("report", report))
               if value is None]
    if missing:
        said = f" (the page header names {hint.state_written!r}, not a known State)" if (
            "state" in missing and hint.state_written) else ""
        example = {"state": "state=ISO3", "session": "session=N", "report": "report=A/HRC/N/N"}
        raise LoadError(path, "", f"cannot tell which UPR review this matrix is of: no {', '.join(missing)} in the "
                        f"file{said}; give {' '.join('--option ' + example[m] for m in missing)}")
    assert state is not None and session is not None and report is not None
    if not is_un_symbol(report) or not report.startswith("A/HRC/"):
        raise LoadError(path, "report", f"{report!r} is not the symbol of a Working Group report (A/HRC/..)")
    cycle = cycle_of(session)
    if cycle is None:
        raise LoadError(path, "session", f"no UPR session {session} in the reference data")
    for said_cycle, where in ((hint.cycle, "page header"), (opts.get("cycle"), "option cycle")):
        if said_cycle is not None and str(said_cycle) != str(cycle):
            raise LoadError(path, where, f"says cycle {said_cycle}, but session {session} is in cycle {cycle}")
    return Review(state, session, cycle, report)


# --- themes, persons, SDGs ---------------------------------------------------------------------
def schemes_with_prefix(prefix: str) -> list[str]:
    g = vocab.vocab_graph()
    base = vocab.VOCAB_BASE
    return sorted(str(s).removeprefix(base) for s in g.subjects(RDF.type, SKOS.ConceptScheme)
                  if str(s).startswith(base + prefix))


def lookup_theme(scheme: str, written: str) -> str | None:
    theme = theme_of(written)
    if theme.code:
        found = vocab.concept_for(scheme, theme.code)
        if found:
            return found
    return vocab.concept_for(scheme, theme.label) or vocab.concept_for(scheme, written)


def in_schemes(prefix: str, primary: str | None, label: str, lookup) -> str | None:
    """The concept for `label` in the file's release scheme, else in another release's scheme that
    has exactly this label (the releases share most labels; they are skos:exactMatch), else None."""
    for scheme in ([primary] if primary else []) + [s for s in schemes_with_prefix(prefix) if s != primary]:
        found = lookup(scheme, label)
        if found:
            return found
    return None


def best_scheme(prefix: str, labels: set[str], lookup) -> str | None:
    """The release scheme that knows most of a file's labels (each release is its own scheme)."""
    best, best_n = None, 0
    for scheme in schemes_with_prefix(prefix):
        n = sum(1 for label in labels if lookup(scheme, label))
        if n > best_n:
            best, best_n = scheme, n
    return best


def _persons_lookup(scheme: str, label: str) -> str | None:
    return vocab.concept_for(scheme, normalise_label(label))


_CELL_PARAGRAPH = re.compile(r"^\s*\d{1,3}\.\d{1,3}\.?\s+[A-Z]", re.MULTILINE)


def split_cell(text: str) -> list[str]:
    """A recommendation cell holding several numbered recommendations, one per part."""
    starts = [m.start() for m in _CELL_PARAGRAPH.finditer(text)]
    if len(starts) < 2:
        return [text]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]


# the words a position cell starts with: "Supported / Noted" of "Supported / Noted*", "Supported" of
# "Supported, already implemented" or "Supported*" (OHCHR marks footnotes with asterisks)
_LEADING_WORDS = re.compile(r"^[^\W\d_]+(?:(?:\s*/\s*|\s+)[^\W\d_]+)*")


def position_of(text: str) -> str | None:
    """The position a Position cell states: the whole cell, else its first line or leading words
    ("Noted - see para. 5", "Noted*"), so an explanation or a footnote mark after the position does
    not lose the row. Words that are no position as a whole ("Supported in part") stay unknown."""
    found = position_concept(text) if text else None
    if found or not text:
        return found
    first = text.splitlines()[0].strip()
    words = _LEADING_WORDS.match(first)
    for candidate in (first, re.split(r"\s[-\u2013(:;,]|\s*\(", first)[0], words.group(0) if words else ""):
        found = position_concept(candidate.strip(" .;:")) if candidate.strip(" .;:") else None
        if found:
            return found
    return None


def matrix_tables(content: DocxContent) -> list[tuple[DocxTable, tuple[int, Columns]]]:
    """The tables of a matrix with their header row and columns. A table without a header that
    continues the previous one (same width, rows starting with paragraph numbers) is read with the
    previous table's columns (header row -1), so a matrix split into several tables loses nothing."""
    out: list[tuple[DocxTable, tuple[int, Columns]]] = []
    for table in content.tables:
        found = header_of(table.rows)
        if found:
            out.append((table, found))
            continue
        if not out or not table.rows:
            continue
        width = max(len(r) for r in table.rows)
        previous = out[-1][0]
        if width == max(len(r) for r in previous.rows) and any(
                split_paragraph(clean(r[out[-1][1][1].recommendation]))[0]
                for r in table.rows if len(r) > out[-1][1][1].recommendation):
            out.append((table, (-1, out[-1][1][1])))
    return out


def classification_triples(node: str, themes: list[str], persons: list[str], theme_scheme: str | None,
                           persons_scheme: str | None, unknown: Counter) -> list[Triple]:
    """rg:issue / rg:affectedPersons for labels a vocabulary knows, the label as text otherwise."""
    out: dict[tuple, Triple] = {}
    for written in themes:
        concept = in_schemes("uhri-theme-", theme_scheme, written, lookup_theme)
        t = triple(node, RG.issue, concept) if concept else triple(node, RG.themeLabel, lit(written))
        if not concept:
            unknown["theme " + repr(written)] += 1
        out.setdefault((t.predicate, t.object), t)
    for label in persons:
        concept = in_schemes("uhri-affected-persons-", persons_scheme, label, _persons_lookup)
        t = triple(node, RG.affectedPersons, concept) if concept else triple(node, RG.affectedPersonsLabel, lit(label))
        if not concept:
            unknown["affected persons " + repr(label)] += 1
        out.setdefault((t.predicate, t.object), t)
    return list(out.values())


reconcile.register()  # reconciliation runs after every load once these sources can be loaded


@register
class OhchrMatrixLoader(Loader):
    name = "ohchr-matrix"
    version = "1"
    description = ("OHCHR UPR thematic list of recommendations (matrix), DOCX, every layout since cycle 2; "
                   "options: state, session, cycle, report where the file does not say")
    extensions = (".docx",)

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() not in self.extensions or not is_docx(path):
            return False
        try:
            content = read_docx(path)
        except LoadError:
            return False
        return bool(matrix_tables(content))

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        content = read_docx(path)
        tables = matrix_tables(content)
        if not tables:
            raise LoadError(path, "", "no table with a Recommendation and a Position column: not an OHCHR "
                            "thematic list of recommendations")
        result = LoadResult(path, self.name, self.graph_key(path))
        rows = self._rows(content, tables)
        sources = [parse(cells[cols.recommendation]).position_source or "" for _, _, cells, cols, _ in rows]
        # the page header first: it is printed on every page, while a core-properties title may be a
        # template's ("UPR of Slovenia" in another State's matrix)
        context = "\n".join([*content.header_text, *content.body_text, content.title])
        review = determine_review(path, review_hint(context, sources), ctx.options)
        items: dict[str, _Item] = {}
        order: list[_Item] = []
        if ctx.limit:
            rows = rows[: ctx.limit]
        for n, (label, where, cells, cols, heading) in enumerate(rows, start=1):
            result.rows_read += 1
            if ctx.progress and n % 100 == 0:
                ctx.progress(n, len(rows))
            try:
                item = self._item(cells, cols, heading, review)
            except RowRejected as exc:
                result.reject(label, str(exc))
                continue
            item.rows.append(where)
            key = item.paragraph or f"h:{normalise_text(item.text)}"
            if key in items:
                first = items[key]
                if normalise_text(first.text) != normalise_text(item.text):
                    result.reject(label, f"paragraph {item.paragraph} is already row {first.rows[0]} with a "
                                  "different wording: two recommendations cannot share a paragraph number")
                    continue
                self._merge(first, item)
                result.notes.append(f"paragraph {item.paragraph} is listed twice (rows {first.rows[0]} and "
                                    f"{where}); loaded once")
            else:
                items[key] = item
                order.append(item)
            result.rows_loaded += 1
        result.triples = self._triples(order, review, ctx.iris, path, ctx.iris.graph(result.graph_key), result)
        result.records["recommendation"] = len(order)
        return result

    # --- rows ------------------------------------------------------------------------------------
    def _rows(self, content: DocxContent, tables) -> list[tuple[str, str, list[str], Columns, str | None]]:
        """(row label for rejections, source record, cells, columns, theme heading) of recommendation rows."""
        out = []
        several = len(tables) > 1
        heading = None
        for table, (start, cols) in tables:
            header = [clean(c) for c in table.rows[start]] if start >= 0 else None
            for i, cells in enumerate(table.rows[start + 1:], start=start + 2):
                if [clean(c) for c in cells] == header:
                    continue  # the header repeated on a new page
                found = heading_of(cells, len(header) if header else None)
                if found is not None:
                    heading = found
                    continue
                if not any(clean(c) for c in cells):
                    continue  # a blank spacer row
                label = f"{i} of table {table.index}" if several else str(i)
                where = f"{content.path.name}#table={table.index}&row={i}"
                parts = split_cell(cells[cols.recommendation]) if cols.recommendation < len(cells) else []
                if len(parts) > 1:  # two numbered recommendations in one cell: one record each
                    for n, part in enumerate(parts, start=1):
                        cells_n = list(cells)
                        cells_n[cols.recommendation] = part
                        out.append((f"{label} (recommendation {n} in the cell)", f"{where}&part={n}", cells_n, cols,
                                    heading))
                else:
                    out.append((label, where, cells, cols, heading))
        return out

    def _item(self, cells: list[str], cols: Columns, heading: str | None, review: Review) -> _Item:
        def cell(i: int | None) -> str:
            return cells[i] if i is not None and i < len(cells) else ""

        rec = parse(cell(cols.recommendation), states_known=cols.states is not None)
        if not rec.text or len(normalise_text(rec.text)) < 3:
            raise RowRejected("no recommendation text in the row")
        found = list(rec.states)
        if cols.states is not None:
            listed, unknown = states_cell(cell(cols.states))
            if unknown:
                raise RowRejected(f"unknown recommending State {unknown[0]!r}")
            found = listed + [s for s in found if s.iso3 not in {x.iso3 for x in listed}]
        elif rec.unknown_states:
            raise RowRejected(f"unknown recommending State(s) in \"({rec.unknown_states})\"")
        if not found:
            raise RowRejected("no recommending State: the text does not end with one in brackets and there is "
                              "no Recommending State column")
        found = [s for s in found if s.iso3 != review.state.iso3]  # "(China)" in China's list names no recommender
        if not found:
            raise RowRejected(f"the only State in brackets is {review.state.name}, the State under review")
        position_cell, source_in_cell, para_in_cell = split_source(cell(cols.position))
        if not rec.position_source and source_in_cell:
            rec.position_source, rec.position_paragraph = source_in_cell, para_in_cell
        position_text = clean(position_cell)
        position = position_of(position_text)
        if position is None:
            raise RowRejected(f"unknown position {position_text!r}" if position_text else "no position")
        if rec.position_source and not is_un_symbol(rec.position_source):
            raise RowRejected(f"position source {rec.position_source!r} is not a UN document symbol")
        c: Classification = classify(cell(cols.themes), cell(cols.sdgs))
        themes = ([heading] if heading else []) + [t.written for t in c.themes]
        return _Item(rec.paragraph, rec.text, found, position, rec.position_source, rec.position_paragraph,
                     list(dict.fromkeys(themes)), c.persons, c.sdgs, clean(cell(cols.assessment)))

    @staticmethod
    def _merge(first: _Item, again: _Item) -> None:
        first.rows += again.rows
        for attr in ("states", "themes", "persons", "sdgs"):
            values = getattr(first, attr)
            for v in getattr(again, attr):
                if v not in values:
                    values.append(v)

    # --- triples ---------------------------------------------------------------------------------
    def _triples(self, items: list[_Item], review: Review, iris: Iris, path: Path, graph: str,
                 result: LoadResult) -> list[Triple]:
        out = review_triples(iris, review)
        review_iri = iris.upr_review(review.state.iso3, review.session)
        report_iri = iris.doc(review.report)
        state_iri = iris.state(review.state.iso3)
        theme_scheme = best_scheme("uhri-theme-", {t for i in items for t in i.themes}, lookup_theme)
        persons_scheme = best_scheme("uhri-affected-persons-", {p for i in items for p in i.persons},
                                     _persons_lookup)
        docs: set[str] = set()
        unknown: Counter = Counter()
        for item in items:
            if item.paragraph:
                node = iris.upr_recommendation(report_iri, paragraph=item.paragraph)
            else:
                node = iris.upr_recommendation(review_iri, text=item.text)
            out += recommendation_triples(node, review=review_iri, state=state_iri, text=item.text, source=SOURCE,
                                          graph=graph, recommenders=[iris.state(s.iso3) for s in item.states],
                                          rows=item.rows)
            if item.paragraph:
                out += [triple(node, RG.paragraph, lit(item.paragraph)), triple(node, DCTERMS.isPartOf, report_iri)]
            out += classification_triples(node, item.themes, item.persons, theme_scheme, persons_scheme, unknown)
            out += [triple(node, RG.sdg, vocab.concept_for("sdg", str(n))) for n in item.sdgs]
            if item.comment:
                out.append(triple(node, RG.implementationComment, lit(item.comment, lang="en")))
            response = iris.response(node, f"{self.name}-{path.name}")
            out += response_triples(node, response, position=item.position, respondent=state_iri, graph=graph)
            if item.position_source:
                docs.add(item.position_source)
                out.append(triple(response, DCTERMS.source, iris.doc(item.position_source)))
                if item.position_paragraph:
                    out.append(triple(response, RG.paragraph, lit(item.position_paragraph)))
            else:
                out.append(triple(response, DCTERMS.source, SOURCE))
        for symbol in sorted(docs - {review.report}):
            out += document_triples(iris, symbol)
        for what, n in sorted(unknown.items()):
            result.notes.append(f"{what} is in no shipped vocabulary; kept as text on {n} recommendation(s)")
        return out
