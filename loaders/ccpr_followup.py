"""Human Rights Committee (CCPR) follow-up assessments (JSON, one record per State).

Each record holds the State's latest concluding observations (symbol, date), the Committee's
follow-up assessment of them (document, session, session dates), the follow-up paragraphs with the
recommendation, and per paragraph one grade per limb with the Committee's evaluation text; plus
earlier rounds in `history` (session, concluding observations, grades only). A record becomes:

* the concluding observations, the State's follow-up reply (`fco_symbol`) and the assessment as
  `rg:Document`s;
* one `rg:TreatyBodyFollowUpRequest` per follow-up paragraph (issued by CCPR, addressed to the
  State; IRI `{concluding observations}/follow-up/{paragraph}`), the same node in every round;
* per paragraph and round one `rg:FollowUpAssessment`, with one `rg:FollowUpGrade` per limb;
* a `rg:ReportingObligation` for the next periodic report where an evaluation states its due date
  ("Next periodic report due: 29 March 2021"; a bare year becomes `rg:dueYear`), quoting the sentence.

The source has two readings of the grades: the summary table at the head of each assessment
(`header_grades`) and the paragraph-by-paragraph assessment (`limbs`, with evaluation texts). The
limbs are recorded; a paragraph the body does not grade takes the table's grades
(`rg:fromSummaryTable true`); where the two disagree the table's reading is kept as
`rg:summaryGrades` on the assessment and reported. History rounds have the table only. A history
entry repeating an earlier one exactly is skipped; two different entries for the same round are
both kept (round keys `s117` and `s117-2`), since the source does not say which is right.
Text is kept as published, including the U+FFFD characters that stand for unreadable stretches.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pyoxigraph import Triple

from ..graph.iris import Iris, is_un_symbol, vocab
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG
from ..graph.rdf import gyear, lit, triple
from ..graph.reference import State, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register

SOURCE = "https://w3id.org/rightsgraph/source/ccpr-followup-assessments"
GRADES = ("A", "B", "C", "D", "E")
REQUIRED = ("code", "name", "co_symbol", "assessment_symbol", "assessment_session", "paragraphs")
_CO = re.compile(r"^CCPR/C/([A-Z]{3})/CO/\d+(?:/Add\.\d+)?$")
_FCO = re.compile(r"^CCPR/C/([A-Z]{3})/FCO/\d+(?:/Add\.\d+)?$")
_ASSESSMENT = re.compile(r"^CCPR/C/\d+/\d+(?:/Add\.\d+)?$")
_PARAGRAPH = re.compile(r"^\d+(?:\.\d+)?$")
NEXT_REPORT = re.compile(
    r"Next periodic report(?: due)?:\s*(?:Due in\s+)?(?P<when>\d{1,2} [A-Z][a-z]+ \d{4}|\d{4})(?:\s*\([^)]*\))?\.?")


def undocs(symbol: str) -> str:
    return f"https://undocs.org/{symbol}"


def parse_date(text: str, what: str) -> date:
    """"27 March 2020" -> date; anything else is a rejected record, never a guess."""
    try:
        return datetime.strptime(" ".join(text.split()), "%d %B %Y").date()
    except ValueError:
        raise RowRejected(f"{what} {text!r} is not a date like '27 March 2020'") from None


@dataclass
class _Round:
    """One follow-up round of one set of concluding observations, as the record gives it."""

    co: str
    session: int
    key: str
    grades: dict[str, list[dict]] = field(default_factory=dict)  # paragraph -> [{grade, label, eval, table}]
    summary: dict[str, list[str]] = field(default_factory=dict)  # paragraph -> table grades where different
    document: str | None = None
    where: str = ""
    year: int | None = None  # of the concluding observations (history entries give it)


@register
class CcprFollowUpLoader(Loader):
    name = "ccpr-followup"
    version = "1"
    description = ("Human Rights Committee follow-up assessments (JSON: per State the concluding observations, "
                   "follow-up paragraphs, grades A-E per limb, assessment document and session, history)")
    extensions = (".json",)

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".json":
            return False
        with open(path, "rb") as fh:
            head = fh.read(8192)
        return b'"co_symbol"' in head and b'"assessment_symbol"' in head

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"byte {exc.start}", "not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise LoadError(path, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})") from None
        except OSError as exc:
            raise LoadError(path, "", exc.strerror or str(exc)) from None
        if not isinstance(data, dict) or not data:
            raise LoadError(path, "top level", "expected a JSON object of records keyed by ISO3 code")
        result = LoadResult(path, self.name, self.graph_key(path))
        graph = ctx.iris.graph(result.graph_key)
        items = list(data.items())[: ctx.limit] if ctx.limit else list(data.items())
        seen_docs: set[str] = set()
        for key, record in items:
            result.rows_read += 1
            try:
                docs = set(seen_docs)  # documents already described; kept only if the record loads
                triples, counts, notes = self._record(key, record, ctx.iris, path.name, graph, docs)
            except RowRejected as exc:
                result.reject(key, str(exc))
                continue
            except (TypeError, AttributeError, KeyError, ValueError) as exc:
                # JSON allows any type anywhere; a shape this loader did not foresee is still one
                # rejected record with a reason, never a traceback.
                result.reject(key, f"unexpected content ({type(exc).__name__}: {exc})")
                continue
            seen_docs = docs
            result.triples += triples
            result.rows_loaded += 1
            result.records.update(counts)
            result.notes += [f"record {key}: {n}" for n in notes]
        return result

    # --- one record ------------------------------------------------------------------------------
    def _record(self, key: str, rec: object, iris: Iris, file_name: str, graph: str,
                seen_docs: set[str]) -> tuple[list[Triple], dict[str, int], list[str]]:
        if not isinstance(rec, dict):
            raise RowRejected("record is not a JSON object")
        missing = [k for k in REQUIRED if rec.get(k) in (None, "")]
        if missing:
            raise RowRejected(f"missing {', '.join(missing)}")
        state = self._state(key, rec)
        co = _symbol(rec["co_symbol"], _CO, "co_symbol", state)
        assessment_doc = _symbol(rec["assessment_symbol"], _ASSESSMENT, "assessment_symbol", None)
        session = _int(rec["assessment_session"], "assessment_session")
        co_date = parse_date(str(rec["co_date"]), "co_date") if rec.get("co_date") else None
        fco = _symbol(rec["fco_symbol"], _FCO, "fco_symbol", state) if rec.get("fco_symbol") else None
        fco_date = parse_date(str(rec["fco_date"]), "fco_date") if rec.get("fco_date") else None
        editorial_titles = rec.get("titles_editorial") is True
        where = f"{file_name}#/{key}"
        notes: list[str] = []

        paragraphs = rec["paragraphs"]
        if not isinstance(paragraphs, list):
            raise RowRejected("paragraphs is not a list")
        header = _grade_table(rec.get("header_grades") or {}, "header_grades")
        body: dict[str, dict] = {}
        for i, p in enumerate(paragraphs):
            if not isinstance(p, dict):
                raise RowRejected(f"paragraphs[{i}] is not an object")
            num = _paragraph(p.get("num"), f"paragraphs[{i}].num")
            if num in body:
                raise RowRejected(f"paragraph {num} appears twice")
            limbs = p.get("limbs") or []
            if not isinstance(limbs, list):
                raise RowRejected(f"paragraph {num}: limbs is not a list")
            for j, limb in enumerate(limbs, start=1):
                if not isinstance(limb, dict) or limb.get("grade") not in GRADES:
                    grade = limb.get("grade") if isinstance(limb, dict) else limb
                    raise RowRejected(f"paragraph {num}, limb {j}: grade {grade!r} is not one of A-E")
            body[num] = p
        if not isinstance(rec.get("followup_paras") or [], list):
            raise RowRejected("followup_paras is not a list")
        followup = [_paragraph(x, "followup_paras") for x in rec.get("followup_paras") or []]
        order = list(dict.fromkeys([*body, *header, *followup]))

        # the current round: limbs first, the summary table where the body has no grades
        current = _Round(co, session, f"s{session}", document=assessment_doc, where=where)
        for num in order:
            limbs = body.get(num, {}).get("limbs") or []
            table = header.get(num, [])
            if limbs:
                current.grades[num] = [{"grade": lb["grade"], "label": _text(lb.get("label")),
                                        "eval": _text(lb.get("eval")), "table": False} for lb in limbs]
                if table and table != [lb["grade"] for lb in limbs]:
                    current.summary[num] = table
                    notes.append(f"paragraph {num}: summary table grades {' '.join(table)}, paragraph-by-"
                                 f"paragraph grades {' '.join(lb['grade'] for lb in limbs)}; the latter are recorded")
            elif table:
                current.grades[num] = [{"grade": g, "label": "", "eval": "", "table": True} for g in table]
        rounds = [current]
        if not isinstance(rec.get("history") or [], list):
            raise RowRejected("history is not a list")
        for i, h in enumerate(rec.get("history") or []):
            rounds += self._history(h, i, state, where, rounds, notes)

        # --- triples ---
        ccpr = iris.mechanism("ccpr")
        state_iri = iris.state(state.iso3)
        out: list[Triple] = []
        counts: dict[str, int] = {"CCPR record": 1}

        def document(symbol: str, label: str, extra: list[Triple]) -> str:
            node = iris.doc(symbol)
            if symbol not in seen_docs:
                seen_docs.add(symbol)
                counts["document"] = counts.get("document", 0) + 1
                out.extend([
                    triple(node, RDF.type, RG.Document),
                    triple(node, DCTERMS.identifier, lit(symbol)),
                    triple(node, RDFS.seeAlso, undocs(symbol)),
                    triple(node, RDFS.label, lit(label, lang="en")),
                ])
            out.extend(extra)
            return node

        co_extra = [triple(iris.doc(co), DCTERMS.creator, ccpr), triple(iris.doc(co), RG.concernsState, state_iri)]
        if co_date:
            co_extra.append(triple(iris.doc(co), DCTERMS.date, lit(co_date)))
        if isinstance(rec.get("co_session"), int):
            co_extra.append(triple(iris.doc(co), RG.committeeSession, lit(rec["co_session"])))
        document(co, f"Human Rights Committee, concluding observations on {state.name} ({co})", co_extra)
        if fco:
            fco_extra = [triple(iris.doc(fco), DCTERMS.creator, state_iri)]
            if fco_date:
                fco_extra.append(triple(iris.doc(fco), DCTERMS.date, lit(fco_date)))
            document(fco, f"{state.name}, follow-up information on {co} ({fco})", fco_extra)
        a_doc = iris.doc(assessment_doc)
        a_extra = [triple(a_doc, DCTERMS.creator, ccpr), triple(a_doc, RG.committeeSession, lit(session))]
        if rec.get("assessment_date"):
            a_extra.append(triple(a_doc, RG.sessionDates, lit(str(rec["assessment_date"]))))
        if isinstance(rec.get("assessment_year"), int):
            a_extra.append(triple(a_doc, RG.year, gyear(rec["assessment_year"])))
        document(assessment_doc, f"Human Rights Committee, follow-up assessment ({assessment_doc})", a_extra)

        items_done: set[str] = set()

        def item(co_symbol: str, num: str) -> str:
            node = iris.followup_request(co_symbol, num)
            if node in items_done:
                return node
            items_done.add(node)
            counts["follow-up request"] = counts.get("follow-up request", 0) + 1
            out.extend([
                triple(node, RDF.type, RG.TreatyBodyFollowUpRequest),
                triple(node, RG.paragraph, lit(num)),
                triple(node, RG.issuedBy, ccpr),
                triple(node, RG.addressedTo, state_iri),
                triple(node, DCTERMS.source, iris.doc(co_symbol)),
                triple(node, RG.sourceRecord, lit(where)),
                triple(node, PROV.wasDerivedFrom, graph),
            ])
            p = body.get(num) if co_symbol == co else None
            title = _text((p or {}).get("title"))
            label = f"{co_symbol}, paragraph {num}" + (f": {title}" if title else "")
            out.append(triple(node, RDFS.label, lit(label, lang="en")))
            if p:
                if title and not editorial_titles:
                    out.append(triple(node, DCTERMS.title, lit(title, lang="en")))
                text = _text(p.get("recommendation"))
                if text:
                    out.append(triple(node, RG.text, lit(text, lang="en")))
            if fco and co_symbol == co:
                out.append(triple(node, RG.followUpReply, iris.doc(fco)))
            return node

        for num in order:
            if num not in current.grades:
                item(co, num)
                notes.append(f"paragraph {num}: listed for follow-up but graded nowhere")
        for rnd in rounds:
            if rnd.co != co:
                document(rnd.co, f"Human Rights Committee, concluding observations on {state.name} ({rnd.co})",
                         [triple(iris.doc(rnd.co), DCTERMS.creator, ccpr),
                          triple(iris.doc(rnd.co), RG.concernsState, state_iri)]
                         + ([triple(iris.doc(rnd.co), RG.year, gyear(rnd.year))] if rnd.year else []))
            for num, grades in rnd.grades.items():
                node = item(rnd.co, num)
                a = iris.followup_assessment(node, rnd.key)
                counts["follow-up assessment"] = counts.get("follow-up assessment", 0) + 1
                out += [
                    triple(a, RDF.type, RG.FollowUpAssessment),
                    triple(a, RG.assessmentOf, node),
                    triple(a, RG.committeeSession, lit(rnd.session)),
                    triple(a, RG.sourceRecord, lit(rnd.where)),
                    triple(a, RDFS.label, lit(f"Assessment of {rnd.co}, paragraph {num}, at session {rnd.session}",
                                              lang="en")),
                    triple(a, PROV.wasDerivedFrom, graph),
                ]
                if rnd.document:
                    out.append(triple(a, DCTERMS.source, iris.doc(rnd.document)))
                if num in rnd.summary:
                    out.append(triple(a, RG.summaryGrades, lit(" ".join(rnd.summary[num]))))
                for n, g in enumerate(grades, start=1):
                    gnode = iris.followup_grade(a, n)
                    counts["grade"] = counts.get("grade", 0) + 1
                    out += [
                        triple(a, RG.hasGrade, gnode),
                        triple(gnode, RDF.type, RG.FollowUpGrade),
                        triple(gnode, RG.grade, vocab("ccpr-grade", g["grade"])),
                        triple(gnode, RG.limbNumber, lit(n)),
                    ]
                    if g["label"]:
                        out.append(triple(gnode, RG.limb, lit(g["label"])))
                    if g["eval"]:
                        out.append(triple(gnode, RG.evaluation, lit(g["eval"], lang="en")))
                    if g["table"]:
                        out.append(triple(gnode, RG.fromSummaryTable, lit(True)))
        out += self._next_report(rec, body, co, state, iris, assessment_doc, where, graph, counts, notes)
        return out, counts, notes

    @staticmethod
    def _state(key: str, rec: dict) -> State:
        table = states()
        code = str(rec.get("code") or key).strip().upper()
        if code != str(key).strip().upper():
            raise RowRejected(f"record key {key!r} and its code {code!r} differ")
        if code not in table:
            raise RowRejected(f"unknown State code {code!r}")
        state = table.by_iso3(code)
        by_name = table.resolve(str(rec.get("name") or ""))
        if by_name is not None and by_name.iso3 != state.iso3:
            raise RowRejected(f"code {code} is {state} but the name {rec.get('name')!r} is {by_name}")
        return state

    @staticmethod
    def _history(h: object, i: int, state: State, where: str, rounds: list[_Round],
                 notes: list[str]) -> list[_Round]:
        place = f"history[{i}]"
        if not isinstance(h, dict):
            raise RowRejected(f"{place} is not an object")
        co = _symbol(h.get("co_symbol"), _CO, f"{place}.co_symbol", state)
        session = _int(h.get("session"), f"{place}.session")
        table = _grade_table(h.get("header_grades") or {}, f"{place}.header_grades")
        year = h.get("year")
        if year is not None and not (isinstance(year, int) and 1976 <= year <= 2100):
            raise RowRejected(f"{place}.year {year!r} is not a year")
        grades = {num: [{"grade": g, "label": "", "eval": "", "table": True} for g in gs]
                  for num, gs in table.items()}
        same = [r for r in rounds if r.co == co and r.session == session]
        for r in same:
            if {n: [g["grade"] for g in gs] for n, gs in r.grades.items()} == table:
                notes.append(f"{place} repeats the round of session {session} for {co}; skipped")
                return []
        key = f"s{session}" + (f"-{len(same) + 1}" if same else "")
        if same:
            notes.append(f"{place}: a second, different reading of the round of session {session} for {co}; "
                         f"both kept ({key})")
        return [_Round(co, session, key, grades, where=f"{where}/history/{i}", year=year)]

    @staticmethod
    def _next_report(rec: dict, body: dict[str, dict], co: str, state: State, iris: Iris, assessment_doc: str,
                     where: str, graph: str, counts: dict[str, int], notes: list[str]) -> list[Triple]:
        found: list[tuple[str, str]] = []
        for p in body.values():
            for limb in p.get("limbs") or []:
                for m in NEXT_REPORT.finditer(_text(limb.get("eval"))):
                    found.append((m.group("when"), m.group(0).strip()))
        if not found:
            return []
        if len({w for w, _ in found}) > 1:
            notes.append(f"several next-report due dates stated ({', '.join(w for w, _ in found)}); the first is kept")
        when, quote = found[0]
        node = iris.next_report(co)
        counts["reporting obligation"] = counts.get("reporting obligation", 0) + 1
        out = [
            triple(node, RDF.type, RG.ReportingObligation),
            triple(node, RG.issuedBy, iris.mechanism("ccpr")),
            triple(node, RG.addressedTo, iris.state(state.iso3)),
            triple(node, RG.instrument, vocab("treaty-instrument", "iccpr")),
            triple(node, RDFS.label, lit(f"{state.name}: next periodic report to the Human Rights Committee "
                                         f"after {co}", lang="en")),
            triple(node, DCTERMS.source, iris.doc(assessment_doc)),
            triple(node, DCTERMS.relation, iris.doc(co)),
            triple(node, RG.quote, lit(quote, lang="en")),
            triple(node, RG.sourceRecord, lit(where)),
            triple(node, PROV.wasDerivedFrom, graph),
        ]
        if re.fullmatch(r"\d{4}", when):
            out.append(triple(node, RG.dueYear, gyear(int(when))))
        else:
            out.append(triple(node, RG.dueDate, lit(parse_date(when, "next periodic report due date"))))
        return out


# --- field checks -------------------------------------------------------------------------------
def _text(value: object) -> str:
    """A text field as a stripped string ("" for null); a number or list where text belongs is an error."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowRejected(f"{value!r} where a text is expected")
    return value.strip()


def _symbol(value: object, pattern: re.Pattern, what: str, state: State | None) -> str:
    symbol = " ".join(str(value or "").split())
    if not symbol or not is_un_symbol(symbol) or not pattern.match(symbol):
        raise RowRejected(f"{what} {value!r} is not a symbol of the expected form")
    m = pattern.match(symbol)
    if state is not None and m and m.groups() and m.group(1) != state.iso3:
        raise RowRejected(f"{what} {symbol} is not about {state}")
    return symbol


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RowRejected(f"{what} {value!r} is not a session number")
    return value


def _paragraph(value: object, what: str) -> str:
    num = str(value if value is not None else "").strip()
    if not _PARAGRAPH.match(num):
        raise RowRejected(f"{what} {value!r} is not a paragraph number")
    return num


def _grade_table(table: object, what: str) -> dict[str, list[str]]:
    if not isinstance(table, dict):
        raise RowRejected(f"{what} is not an object of paragraph -> grades")
    out: dict[str, list[str]] = {}
    for num, grades in table.items():
        num = _paragraph(num, what)
        if not isinstance(grades, list) or not all(g in GRADES for g in grades):
            raise RowRejected(f"{what}, paragraph {num}: grades {grades!r} are not letters A-E")
        out[num] = list(grades)
    return out
