"""Treaty-body reporting obligations from a documented CSV (docs/formats/reporting-obligations.md).

One row states one fact about one periodic report of one State party under one treaty: when it is
due, when it was submitted, or (where no due date is known) that a dated source calls it overdue,
in that source's words. Each row names its source document and quotes the sentence. The row
becomes a `rg:ReportingObligation` issued by the treaty body that monitors the treaty and addressed
to the State. Whether a report is overdue at a date is left to queries (queries/overdue-reports.rq):
due date passed, no submission on or before that date. A statement such as "five years overdue" is
recorded as said (`rg:overdueAsReported` with `rg:statedOn`), never turned into a due date.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.iris import Iris, is_un_symbol, slug, text_key
from ..graph.iris import vocab as vocab_iri
from ..graph.mechanisms import mechanisms, monitoring
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG, SKOS
from ..graph.rdf import gyear, lit, triple
from ..graph.reference import states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register
from .tables import head_line, read_table

REQUIRED = ("treaty", "state", "source_document", "quote")
OPTIONAL = ("report_number", "due_date", "submission_date", "overdue_as_reported", "source_date", "notes")
COLUMNS = REQUIRED + OPTIONAL
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_UNDER_BASE = re.compile(r"^id/[A-Za-z0-9._~%/-]+$")


def instrument_for(treaty: str) -> str | None:
    """A treaty column value -> instrument notation: an instrument ("cat", "ICCPR", "OP-CRC-SC") or
    the treaty body that monitors it ("CCPR" -> iccpr, "CERD" -> icerd, "CED" -> cped)."""
    concept = vocab.concept_for("treaty-instrument", treaty.strip().lower()) or vocab.concept_for(
        "treaty-instrument", treaty.strip())
    if concept:
        return concept.rsplit("/", 1)[1]
    body = mechanisms().get(treaty.strip().lower())
    return body.instruments[0] if body and body.instruments else None


def _date(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowRejected(f"{column} {value!r} is not a date (YYYY-MM-DD)") from None


@register
class ReportingObligationsLoader(Loader):
    name = "reporting-obligations"
    version = "1"
    description = ("Treaty-body reporting obligations (CSV: treaty, state, report_number, due_date, "
                   "submission_date, overdue_as_reported, source_document, source_date, quote, notes)")
    extensions = (".csv",)

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv":
            return False
        header = {h.strip().lower() for h in head_line(path).split(",")}
        return set(REQUIRED) <= header

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        table = read_table(path)
        header = [h.strip().lower() for h in table.header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise LoadError(path, "row 1 (header)", f"missing column(s) {', '.join(missing)} "
                                                     f"(the format: {', '.join(COLUMNS)})")
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            raise LoadError(path, "row 1 (header)", f"unknown column(s) {', '.join(unknown)} "
                                                     f"(the format: {', '.join(COLUMNS)})")
        if len(set(header)) != len(header):
            raise LoadError(path, "row 1 (header)", "a column appears twice")
        result = LoadResult(path, self.name, self.graph_key(path))
        graph = ctx.iris.graph(result.graph_key)
        seen: dict[str, int] = {}
        rows = table.rows[: ctx.limit] if ctx.limit else table.rows
        for rownum, cells in rows:
            result.rows_read += 1
            try:
                if len(cells) != len(header) and (len(cells) < len(header) or any(
                        c.strip() for c in cells[len(header):])):
                    raise RowRejected(f"row has {len(cells)} cells where the header has {len(header)}")
                row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
                node, triples = self._row(row, ctx.iris, path.name, rownum, graph)
                if node in seen:
                    raise RowRejected(f"same report as row {seen[node]}: give one row per report and source")
            except RowRejected as exc:
                result.reject(rownum, str(exc))
                continue
            seen[node] = rownum
            result.triples += triples
            result.rows_loaded += 1
            result.records["reporting obligation"] += 1
        return result

    @staticmethod
    def _row(row: dict[str, str], iris: Iris, file_name: str, rownum: int,
             graph: str) -> tuple[str, list[Triple]]:
        for column in REQUIRED:
            if not row.get(column):
                raise RowRejected(f"{column} is empty")
        instrument = instrument_for(row["treaty"])
        if instrument is None:
            raise RowRejected(f"treaty {row['treaty']!r} is neither an instrument (cat, iccpr, op-crc-sc, ...) "
                              "nor a treaty body (CAT, CCPR, CERD, ...)")
        body = monitoring(instrument)
        if body is None:
            raise RowRejected(f"no treaty body monitors {instrument} in the mechanisms reference")
        state = states().resolve(row["state"]) or (states().by_iso3(row["state"]) if row["state"] in states()
                                                    else None)
        if state is None:
            raise RowRejected(f"unknown State {row['state']!r}")
        due = row.get("due_date", "")
        submitted = _date(row["submission_date"], "submission_date") if row.get("submission_date") else None
        stated_on = _date(row["source_date"], "source_date") if row.get("source_date") else None
        overdue = row.get("overdue_as_reported", "")
        if not (due or submitted or overdue):
            raise RowRejected("nothing to record: give a due_date, a submission_date or an overdue_as_reported "
                              "statement")
        if overdue and stated_on is None:
            raise RowRejected("overdue_as_reported needs source_date: the date as of which the source says so")
        if submitted and stated_on and submitted > stated_on:
            raise RowRejected(f"submission_date {submitted} is after the source's date {stated_on}")
        source = row["source_document"]
        if _IRI.match(source):
            source_iri, doc_triples = source, []
        elif _UNDER_BASE.match(source):  # a record of this graph minted under the configurable base
            source_iri, doc_triples = iris.base + source, []
        elif is_un_symbol(source):
            source_iri = iris.doc(source)
            doc_triples = [triple(source_iri, RDF.type, RG.Document),
                           triple(source_iri, DCTERMS.identifier, lit(source)),
                           triple(source_iri, RDFS.seeAlso, f"https://undocs.org/{source}")]
        else:
            raise RowRejected(f"source_document {source!r} is neither a UN symbol, nor an http(s) IRI, nor a path "
                              "under the data base (id/document/...)")
        number = row.get("report_number", "")
        key = f"report-{slug(number)}" if number else f"h{text_key(source_iri + ' ' + row['quote'])}"
        node = iris.reporting_obligation(instrument, state.iso3, key)
        what = f"report {number}" if number else "periodic report"
        out = doc_triples + [
            triple(node, RDF.type, RG.ReportingObligation),
            triple(node, RG.issuedBy, iris.mechanism(body)),
            triple(node, RG.addressedTo, iris.state(state.iso3)),
            triple(node, RG.instrument, vocab_iri("treaty-instrument", instrument)),
            triple(node, RDFS.label, lit(f"{state.name}: {what} under {instrument.upper()}", lang="en")),
            triple(node, DCTERMS.source, source_iri),
            triple(node, RG.quote, lit(row["quote"], lang="en")),
            triple(node, RG.sourceRecord, lit(f"{file_name}#row={rownum}")),
            triple(node, PROV.wasDerivedFrom, graph),
        ]
        if number:
            out.append(triple(node, RG.reportNumber, lit(number)))
        if re.fullmatch(r"\d{4}", due):
            out.append(triple(node, RG.dueYear, gyear(int(due))))
        elif due:
            out.append(triple(node, RG.dueDate, lit(_date(due, "due_date"))))
        if submitted:
            out.append(triple(node, RG.submissionDate, lit(submitted)))
        if overdue:
            out.append(triple(node, RG.overdueAsReported, lit(overdue, lang="en")))
        if stated_on:
            out.append(triple(node, RG.statedOn, lit(stated_on)))
        if row.get("notes"):
            out.append(triple(node, SKOS.note, lit(row["notes"], lang="en")))
        return node, out
