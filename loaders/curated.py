"""Curated YAML records: the shared machinery, and the `curated-facts` format.

Where no machine-readable source exists (CERD decisions, special-procedure calls, what an NGO
statement reports), researchers write records by hand in a documented YAML format
(docs/formats/*.md). Every such file starts with a header line naming its format and version:

    rightsgraph-format: cerd-decisions/1

which is how `rightsgraph load` recognises it (no guessing from content), followed by the
`documents` it cites and a list of records. Two kinds of failure, as everywhere in rightsgraph:

* a malformed *file* (not YAML, no or unknown header, a section that is not a list, a broken
  `documents` entry every record may depend on) is a `LoadError`: one line, nothing loaded;
* a bad *record* (missing field, unknown State or addressee, a date that is not a date, a quote
  not found in the document's shipped copy) is rejected with file, record number, id and reason,
  and the other records load.

Quotes are checked when a cited document has a `file` (a shipped copy, path relative to the YAML
file): the quote must occur in it verbatim once runs of whitespace are made single spaces (for a
PDF, in the repaired text layer, see `pdf_text`). A record whose quote is not in its source is
rejected: nothing is recorded that the cited document does not say.

The `curated-facts/1` format (docs/formats/curated-facts.md) holds what a dated source states
about a State that is not a mechanism's item: declared response summaries, responses to whole
documents, statements about groups of recommendations, and other facts.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, Triple
from rdflib.namespace import FOAF

from ..graph import vocab
from ..graph.iris import Iris, is_un_symbol, slug
from ..graph.iris import vocab as vocab_iri
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG, XSD
from ..graph.rdf import lit, triple
from ..graph.reference import states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register

FORMAT_KEY = "rightsgraph-format"
_HEADER = re.compile(rb"^\s*rightsgraph-format\s*:\s*[\"']?([A-Za-z0-9_.-]+)/(\d+)[\"']?\s*(?:#.*)?$", re.M)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YAML_EXTENSIONS = (".yaml", ".yml")


# --- headers and files --------------------------------------------------------------------------
def header_of(path: Path, limit: int = 4096) -> tuple[str, int] | None:
    """(format, version) from the `rightsgraph-format: NAME/VERSION` line near the top, if any."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
    except OSError:
        return None
    m = _HEADER.search(head)
    return (m.group(1).decode(), int(m.group(2))) if m else None


def read_yaml(path: Path) -> Any:
    """The YAML document in `path`; a `LoadError` with the line for a syntax error."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(path, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise LoadError(path, "", exc.strerror or str(exc)) from None
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LoadError(path, place, f"not valid YAML: {problem}") from None
    except (ValueError, TypeError, RecursionError) as exc:  # a constructor's error, e.g. a huge number
        raise LoadError(path, "", f"not valid YAML: {exc}") from None


def _loader():
    """PyYAML's safe loader, except that dates stay text: PyYAML would turn "2023-13-45" into a crash
    and "2022-11-01" into a date while leaving "2022-11" a string; `when` reads all three forms."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def open_format(path: Path, name: str, versions: Iterable[int]) -> dict:
    """The file's top-level mapping, after checking its header names format `name` in a known version."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LoadError(path, "", f"expected a YAML mapping starting with '{FORMAT_KEY}: {name}/1'")
    declared = data.get(FORMAT_KEY)
    if declared is None:
        raise LoadError(path, "", f"no '{FORMAT_KEY}: {name}/1' line at the top")
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)/(\d+)", str(declared).strip())
    if not m or m.group(1) != name:
        raise LoadError(path, FORMAT_KEY, f"is {declared!r}, this loader reads '{name}/N'")
    if int(m.group(2)) not in set(versions):
        raise LoadError(path, FORMAT_KEY, f"version {m.group(2)} of {name} is not supported "
                                          f"(supported: {', '.join(map(str, versions))})")
    return data


def section(path: Path, data: dict, key: str, *, required: bool = True) -> list:
    value = data.get(key)
    if value is None:
        if required:
            raise LoadError(path, "", f"no '{key}:' list of records")
        return []
    if not isinstance(value, list):
        raise LoadError(path, key, f"must be a list of records (a '- ' item each), not a {type(value).__name__}")
    return value


def check_keys(path: Path, data: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(map(str, data)) - set(allowed))
    if unknown:
        raise LoadError(path, "", f"unknown top-level key(s) {', '.join(unknown)} "
                                  f"(allowed: {', '.join(sorted(allowed))})")


# --- dates --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class When:
    """A date as precise as the source: a day, a month or a year, with the period's first and last day."""

    literal: Literal
    earliest: date
    latest: date
    text: str


def when(value: Any, what: str = "date") -> When:
    """YYYY-MM-DD, YYYY-MM or YYYY (YAML may already have made a date or an int of it)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return When(lit(value), value, value, value.isoformat())
    text = str(value).strip() if value is not None else ""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    if _YEAR.match(text):
        y = int(text)
        return When(lit(text, datatype=str(XSD.gYear)), date(y, 1, 1), date(y, 12, 31), text)
    m = _MONTH.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            last = calendar.monthrange(y, mo)[1]
            return When(lit(text, datatype=str(XSD.gYearMonth)), date(y, mo, 1), date(y, mo, last), text)
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise RowRejected(f"{what} {value!r} is not a date (YYYY-MM-DD, or YYYY-MM / YYYY when the source "
                          "gives only a month or a year)") from None
    return When(lit(d), d, d, d.isoformat())


def when_triples(node: str, w: When) -> list[Triple]:
    return [triple(node, DCTERMS.date, w.literal),
            triple(node, RG.earliestDate, lit(w.earliest)),
            triple(node, RG.latestDate, lit(w.latest))]


# --- documents ----------------------------------------------------------------------------------
@dataclass
class Document:
    key: str
    iri: str
    title: str
    when: When
    triples: list[Triple]
    file: Path | None = None


def document_iri(iris: Iris, *, issuer: str, date_text: str, title: str, symbol: str | None) -> str:
    return iris.doc(symbol) if symbol else iris.document(issuer, date_text, title)


def document_triples(iris: Iris, node: str, *, issuer: str, title: str, w: When, symbol: str | None,
                     url: str | None) -> list[Triple]:
    from ..graph.mechanisms import mechanisms

    out = [
        triple(node, RDF.type, RG.Document),
        triple(node, DCTERMS.title, lit(title, lang="en")),
        triple(node, RDFS.label, lit(title, lang="en")),
        triple(node, DCTERMS.date, w.literal),
    ]
    if issuer in mechanisms():
        out.append(triple(node, DCTERMS.creator, iris.mechanism(issuer)))
    else:
        out.append(triple(node, DCTERMS.creator, lit(issuer, lang="en")))
    if symbol:
        out += [triple(node, DCTERMS.identifier, lit(symbol)),
                triple(node, RDFS.seeAlso, f"https://undocs.org/{symbol}")]
    if url:
        out.append(triple(node, RDFS.seeAlso, url))
    return out


def read_documents(path: Path, data: dict, iris: Iris) -> dict[str, Document]:
    """The file's `documents:` mapping (key -> title, date, issuer, symbol?, url?, file?).

    A broken entry is a `LoadError`: records cite documents by key, so one bad entry would reject
    records for a reason that is not theirs.
    """
    raw = data.get("documents") or {}
    if not isinstance(raw, dict):
        raise LoadError(path, "documents", "must be a mapping from a key to title, date, issuer")
    out: dict[str, Document] = {}
    for key, entry in raw.items():
        place = f"documents: {key}"
        if not isinstance(entry, dict):
            raise LoadError(path, place, "must be a mapping with title, date, issuer")
        unknown = sorted(set(map(str, entry)) - {"title", "date", "issuer", "symbol", "url", "file"})
        if unknown:
            raise LoadError(path, place, f"unknown key(s) {', '.join(unknown)} "
                                         "(allowed: title, date, issuer, symbol, url, file)")
        missing = [k for k in ("title", "date", "issuer") if not str(entry.get(k) or "").strip()]
        if missing:
            raise LoadError(path, place, f"needs {', '.join(missing)}")
        try:
            w = when(entry["date"], "date")
        except RowRejected as exc:
            raise LoadError(path, place, str(exc)) from None
        symbol = str(entry.get("symbol") or "").strip() or None
        if symbol and not is_un_symbol(symbol):
            raise LoadError(path, place, f"symbol {symbol!r} is not a UN document symbol (e.g. A/HRC/40/6)")
        url = str(entry.get("url") or "").strip() or None
        if url and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            raise LoadError(path, place, f"url {url!r} is not an http(s) address")
        file = None
        if entry.get("file"):
            file = (path.parent / str(entry["file"])).resolve()
            if not file.is_file():
                raise LoadError(path, place, f"file {entry['file']!r} not found (paths are relative to this file)")
        title = " ".join(str(entry["title"]).split())
        issuer = str(entry["issuer"]).strip()
        node = document_iri(iris, issuer=issuer, date_text=w.text, title=title, symbol=symbol)
        out[str(key)] = Document(str(key), node, title, w,
                                 document_triples(iris, node, issuer=issuer, title=title, w=w, symbol=symbol,
                                                  url=url), file)
    return out


# --- quotes -------------------------------------------------------------------------------------
def squash(text: str) -> str:
    return " ".join(text.split())


_TEXTS: dict[tuple[str, int], tuple[str, str]] = {}


def document_text(file: Path) -> tuple[str, str]:
    """(squashed text, text without any whitespace) of a shipped copy: .txt/.md as UTF-8, .pdf repaired."""
    key = (str(file), file.stat().st_mtime_ns)
    if key not in _TEXTS:
        if file.suffix.lower() == ".pdf":
            from .pdf_text import pdf_text

            extracted = pdf_text(file)
            text, raw = extracted.text, extracted.raw
        else:
            try:
                text = raw = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise LoadError(file, "", f"cannot read the document's text ({exc})") from None
        _TEXTS[key] = (squash(text), re.sub(r"\s+", "", raw))
    return _TEXTS[key]


def quote_in(quote: str, file: Path) -> bool:
    """Whether `quote` occurs in the document verbatim, runs of whitespace counting as one space.

    For a PDF the repaired text layer is searched; failing that the quote still counts as found if
    its characters occur in order with all whitespace ignored in the raw text layer (the PDF's own
    spacing is unreliable, its characters are not).
    """
    text, unspaced = document_text(file)
    q = squash(quote)
    if q in text:
        return True
    return file.suffix.lower() == ".pdf" and re.sub(r"\s+", "", q) in unspaced


# --- records ------------------------------------------------------------------------------------
@dataclass
class Record:
    """One YAML record being mapped: field access that turns every problem into a `RowRejected`."""

    data: dict
    number: int
    file: Path
    documents: dict[str, Document]
    iris: Iris
    allowed: frozenset[str] = field(default_factory=frozenset)

    @property
    def id(self) -> str:
        value = self.data.get("id")
        text = str(value).strip() if value is not None else ""
        if not text:
            raise RowRejected("no id: every record needs an id (letters, digits, '-', '.', '_')")
        if not _ID.match(text):
            raise RowRejected(f"id {text!r} may only contain letters, digits, '-', '.', '_'")
        return text

    def check_fields(self) -> None:
        unknown = sorted(set(map(str, self.data)) - self.allowed)
        if unknown:
            raise RowRejected(f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(self.allowed))})")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise RowRejected(f"{key} is missing")
            return None
        if isinstance(value, (dict, list)):
            raise RowRejected(f"{key} must be text, not a {'mapping' if isinstance(value, dict) else 'list'}")
        return " ".join(str(value).split())

    def integer(self, key: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise RowRejected(f"{key} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            else:
                raise RowRejected(f"{key} {value!r} is not a whole number")
        if value < minimum:
            raise RowRejected(f"{key} {value} is less than {minimum}")
        return value

    def items(self, key: str, *, required: bool = True) -> list:
        value = self.data.get(key)
        if value is None or value == []:
            if required:
                raise RowRejected(f"{key} is missing (give a list, or one value)")
            return []
        return value if isinstance(value, list) else [value]

    def date(self, key: str = "date", *, required: bool = True) -> When | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise RowRejected(f"{key} is missing (YYYY-MM-DD, YYYY-MM or YYYY)")
            return None
        return when(value, key)

    def state(self, key: str = "state", *, required: bool = True):
        name = self.text(key, required=required)
        if name is None:
            return None
        return resolve_state(name, key)

    def concept(self, key: str, scheme: str, *, required: bool = True) -> str | None:
        label = self.text(key, required=required)
        return None if label is None else concept(scheme, label, key)

    def concepts(self, key: str, scheme: str) -> list[str]:
        return [concept(scheme, str(v), key) for v in self.items(key, required=False)]

    def document(self, key: str) -> Document:
        ref = self.text(key)
        if ref not in self.documents:
            known = ", ".join(sorted(self.documents)) or "none"
            raise RowRejected(f"{key} {ref!r} is not a key of 'documents' (known: {known})")
        return self.documents[ref]

    def source(self) -> tuple[Document, list[str]]:
        """(cited document, quotes) from `source: {document: KEY, quote: "..."}` (quote may be a list of
        sentences), every quote checked against the document's shipped copy where there is one."""
        value = self.data.get("source")
        if not isinstance(value, dict):
            raise RowRejected("source is missing: give 'source: {document: KEY, quote: \"the sentence\"}'")
        unknown = sorted(set(map(str, value)) - {"document", "quote"})
        if unknown:
            raise RowRejected(f"source has unknown field(s) {', '.join(unknown)} (allowed: document, quote)")
        sub = Record(value, self.number, self.file, self.documents, self.iris)
        doc = sub.document("document")
        raw = value.get("quote")
        if raw is None or raw == [] or (isinstance(raw, str) and not raw.strip()):
            raise RowRejected("source quote is missing: give the sentence of the document that states the fact")
        quotes = []
        for q in raw if isinstance(raw, list) else [raw]:
            if not isinstance(q, str):
                raise RowRejected("source quote must be text (or a list of texts)")
            q = " ".join(q.split())
            if len(q) < 10:
                raise RowRejected(f"source quote {q!r} is too short to be the sentence that states the fact")
            if doc.file is not None and not quote_in(q, doc.file):
                shown = q if len(q) <= 70 else q[:67] + "..."
                raise RowRejected(f"quote not found in {doc.file.name} (document {doc.key}): {shown!r}")
            quotes.append(q)
        return doc, quotes

    def addressees(self, key: str = "addressees", *, required: bool = True) -> list[str]:
        return [addressee(self.iris, v, key) for v in self.items(key, required=required)]


def resolve_state(name: str, what: str = "state"):
    table = states()
    state = table.by_iso3(name.upper()) if name.upper() in table else table.resolve(name)
    if state is None:
        raise RowRejected(f"{what} {name!r} is not a known State (give its name or ISO3 code)")
    return state


def concept(scheme: str, label: str, what: str) -> str:
    found = vocab.concept_for(scheme, str(label))
    if found is None:
        known = ", ".join(vocab.label(c) for c in vocab.concepts(scheme))
        raise RowRejected(f"{what} {label!r} is not in vocab/{scheme} (known: {known})")
    return found


def addressee(iris: Iris, value: Any, what: str = "addressees") -> str:
    """A State, a mechanism (by key) or a collective addressee (vocab/addressee), as an IRI.

    Give `{state: China}`, `{mechanism: hrc}` or `{addressee: international community}`; a plain
    string is accepted when exactly one of the three recognises it.
    """
    from ..graph.mechanisms import mechanisms

    if isinstance(value, dict):
        if len(value) != 1:
            raise RowRejected(f"{what}: give one of state, mechanism, addressee per entry, not {sorted(value)}")
        kind, name = next(iter(value.items()))
        name = " ".join(str(name).split())
        if kind == "state":
            return iris.state(resolve_state(name, what).iso3)
        if kind == "mechanism":
            if name not in mechanisms():
                raise RowRejected(f"{what}: no mechanism with key {name!r} (known: {', '.join(mechanisms())})")
            return iris.mechanism(name)
        if kind == "addressee":
            return concept("addressee", name, what)
        raise RowRejected(f"{what}: {kind!r} is not one of state, mechanism, addressee")
    name = " ".join(str(value).split())
    found = []
    if name in mechanisms():
        found.append(iris.mechanism(name))
    table = states()
    st = table.by_iso3(name) if name in table else table.resolve(name)
    if st is not None:
        found.append(iris.state(st.iso3))
    c = vocab.concept_for("addressee", name)
    if c is not None:
        found.append(c)
    if len(found) == 1:
        return found[0]
    if not found:
        raise RowRejected(f"{what}: {name!r} is neither a State, a mechanism key ({', '.join(mechanisms())}) "
                          "nor a collective addressee (international community, business enterprises, "
                          "UN member States)")
    raise RowRejected(f"{what}: {name!r} is ambiguous; write {{state: ...}}, {{mechanism: ...}} or {{addressee: ...}}")


def provenance(node: str, record: Record, rid: str, doc: Document, quotes: list[str], graph: str) -> list[Triple]:
    """dct:source, the quotes, where in which file, and the graph: the same on every curated record.
    rg:statedOn is the source's date when it is a day (a statement is true as of that date)."""
    out = [triple(node, DCTERMS.source, doc.iri), *doc.triples,
           *(triple(node, RG.quote, lit(q, lang="en")) for q in quotes),
           triple(node, RG.sourceRecord, lit(f"{record.file.name}#record={rid}")),
           triple(node, PROV.wasDerivedFrom, graph)]
    if doc.when.earliest == doc.when.latest:
        out.append(triple(node, RG.statedOn, lit(doc.when.latest)))
    return out


def load_records(loader: Loader, path: Path, ctx: LoadContext, *, fmt: str, sections: dict[str, Callable],
                 top_level: Iterable[str] = ()) -> LoadResult:
    """Read a curated YAML file: header, documents, then each record of each section through its mapper.

    A mapper is `(record, rid, graph) -> (kind label, triples)`; it raises `RowRejected` for a bad
    record. Records are numbered from 1 across the file's sections, in file order; ids must be
    unique within the file.
    """
    data = open_format(path, fmt, (1,))
    check_keys(path, data, {FORMAT_KEY, "documents", *sections, *top_level})
    documents = read_documents(path, data, ctx.iris)
    if not any(data.get(s) for s in sections):
        raise LoadError(path, "", f"no records: give at least one of {', '.join(sections)}")
    result = LoadResult(path, loader.name, loader.graph_key(path))
    graph = ctx.iris.graph(result.graph_key)
    seen: dict[str, str] = {}
    number = 0
    for name, mapper in sections.items():
        for raw in section(path, data, name, required=False):
            number += 1
            if ctx.limit and number > ctx.limit:
                break
            result.rows_read += 1
            label = f"{number}"
            try:
                if not isinstance(raw, dict):
                    raise RowRejected(f"{name}: a record must be a mapping of fields, not {type(raw).__name__}")
                record = Record(raw, number, path, documents, ctx.iris)
                rid = record.id
                label = f"{number} ({rid})"
                if slug(rid) in seen:  # ids are IRI segments: "a.b" and "a-b" would be one node
                    raise RowRejected(f"id {rid!r} is used twice (also record {seen[slug(rid)]})")
                kind, triples = mapper(record, rid, graph)
            except RowRejected as exc:
                result.reject(label, str(exc))
                continue
            seen[slug(rid)] = label
            result.triples += triples
            result.rows_loaded += 1
            result.records[kind] += 1
    result.triples = list(dict.fromkeys(result.triples))  # documents are repeated by every record citing them
    return result


def sniff_yaml(path: Path, fmt: str) -> bool:
    if path.suffix.lower() not in YAML_EXTENSIONS:
        return False
    header = header_of(path)
    return header is not None and header[0] == fmt


# --- the curated-facts format -------------------------------------------------------------------
def _review_fields(r: Record, node: str) -> list[Triple]:
    """State under review (as respondent), UPR cycle and review month, shared by summaries and statements."""
    state = r.state("state")
    cycle = r.integer("cycle", minimum=1)
    cycle_iri = vocab_iri("upr-cycle", cycle)
    if vocab.concept_for("upr-cycle", str(cycle)) != cycle_iri:
        raise RowRejected(f"cycle {cycle} is not a UPR cycle in vocab/upr-cycle")
    out = [triple(node, RG.respondent, r.iris.state(state.iso3)), triple(node, RG.cycle, cycle_iri)]
    review_date = r.date("review_date", required=False)
    if review_date:
        out += when_triples(node, review_date)
    session = r.integer("session", required=False, minimum=1)
    if session is not None:
        from ..graph.reference import UprSessions

        sessions = UprSessions.load()
        if session not in sessions:
            raise RowRejected(f"session {session} is not a UPR session in the reference data")
        if sessions.cycle(session) != cycle:
            raise RowRejected(f"session {session} is in cycle {sessions.cycle(session)}, not {cycle}")
        out.append(triple(node, RG.review, r.iris.upr_review(state.iso3, session)))
    return out


def _declared_summary(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    r.allowed = frozenset({"id", "state", "cycle", "review_date", "session", "declared_on", "total", "counts",
                           "source", "note"})
    r.check_fields()
    node = r.iris.curated("declared-response-summary", rid)
    out = [triple(node, RDF.type, RG.DeclaredResponseSummary)] + _review_fields(r, node)
    total = r.integer("total", minimum=1)
    counts = r.data.get("counts")
    if not isinstance(counts, dict) or not counts:
        raise RowRejected("counts is missing: give a mapping from position to number (accepted: 290, ...)")
    added = 0
    positions: set[str] = set()
    for label, value in counts.items():
        position = concept("position", str(label), "counts")
        if position in positions:
            raise RowRejected(f"counts: position {label!r} is given twice")
        positions.add(position)
        sub = Record({"n": value}, r.number, r.file, r.documents, r.iris)
        n = sub.integer("n")
        added += n
        notation = position.rsplit("/", 1)[1]
        pc = r.iris.position_count(node, notation)
        out += [triple(node, RG.positionCount, pc), triple(pc, RDF.type, RG.PositionCount),
                triple(pc, RG.position, position), triple(pc, RG.declaredCount, lit(n))]
    if added != total:
        raise RowRejected(f"counts add up to {added}, not to the total {total}: a declared summary's counts "
                          "partition its total")
    out.append(triple(node, RG.declaredTotal, lit(total)))
    declared = r.date("declared_on", required=False)
    if declared:
        out.append(triple(node, DCTERMS.issued, declared.literal))
    if note := r.text("note", required=False):
        out.append(triple(node, RDFS.comment, lit(note, lang="en")))
    doc, quote = r.source()
    label = f"{r.state('state').name}: declared responses to {total} UPR recommendations (cycle {r.data['cycle']})"
    out.append(triple(node, RDFS.label, lit(label, lang="en")))
    return "declared summary record", out + provenance(node, r, rid, doc, quote, graph)


def _document_response(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    r.allowed = frozenset({"id", "state", "document", "position", "date", "text", "source"})
    r.check_fields()
    node = r.iris.curated("document-response", rid)
    state = r.state("state")
    target = r.document("document")
    position = r.concept("position", "position")
    out = [
        triple(node, RDF.type, RG.DocumentResponse),
        triple(node, RG.respondent, r.iris.state(state.iso3)),
        triple(node, RG.respondsTo, target.iri),
        triple(node, RG.position, position),
        triple(node, RDFS.label, lit(f"{state.name}: {vocab.label(position)} — {target.title}", lang="en")),
    ]
    if said := r.text("text", required=False):
        out.append(triple(node, RG.text, lit(said, lang="en")))
    if w := r.date("date", required=False):
        out += when_triples(node, w)
    doc, quote = r.source()
    return "document response", out + target.triples + provenance(node, r, rid, doc, quote, graph)


def _response_statement(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    r.allowed = frozenset({"id", "state", "cycle", "review_date", "session", "position", "scope", "issues",
                           "source"})
    r.check_fields()
    node = r.iris.curated("response-statement", rid)
    out = [triple(node, RDF.type, RG.ResponseStatement)] + _review_fields(r, node)
    position = r.concept("position", "position")
    scope = r.text("scope")
    out += [triple(node, RG.position, position), triple(node, RG.scope, lit(scope, lang="en"))]
    out += [triple(node, RG.issue, c) for c in r.concepts("issues", "upr-info-issue")]
    out.append(triple(node, RDFS.label, lit(f"{vocab.label(position)}: {scope}", lang="en")))
    doc, quote = r.source()
    return "response statement", out + provenance(node, r, rid, doc, quote, graph)


def _fact(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    from ..graph.mechanisms import mechanisms

    r.allowed = frozenset({"id", "state", "text", "date", "persons", "issues", "instrument", "mechanism",
                           "source"})
    r.check_fields()
    node = r.iris.curated("stated-fact", rid)
    state = r.state("state")
    text = r.text("text")
    out = [
        triple(node, RDF.type, RG.StatedFact),
        triple(node, RG.concernsState, r.iris.state(state.iso3)),
        triple(node, RG.text, lit(text, lang="en")),
        triple(node, RDFS.label, lit(text, lang="en")),
    ]
    if w := r.date("date", required=False):
        out += when_triples(node, w)
    for name in r.items("persons", required=False):
        name = " ".join(str(name).split())
        person = r.iris.person(name)
        out += [triple(node, RG.concernsPerson, person), triple(person, RDF.type, FOAF.Person),
                triple(person, FOAF.name, lit(name))]
    out += [triple(node, RG.issue, c) for c in r.concepts("issues", "upr-info-issue")]
    if instrument := r.text("instrument", required=False):
        out.append(triple(node, RG.instrument, concept("treaty-instrument", instrument.lower(), "instrument")))
    if key := r.text("mechanism", required=False):
        if key not in mechanisms():
            raise RowRejected(f"mechanism: no mechanism with key {key!r} (known: {', '.join(mechanisms())})")
        out.append(triple(node, DCTERMS.relation, r.iris.mechanism(key)))
    doc, quote = r.source()
    return "stated fact", out + provenance(node, r, rid, doc, quote, graph)


_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _item_reference(iris: Iris, value: Any) -> str:
    """A follow-up item named by its full IRI or by its path under the base's `id/`. A curated item is
    `kind/id`, the record id of the file that made it (`cerd-decision/cerd-2022-11-...`), minted as
    that file mints it; a deeper path (an OHCHR report's paragraph) is taken as written. Whether the
    item exists is the SHACL shape's question: it may be loaded after the action."""
    if isinstance(value, (dict, list)):
        raise RowRejected(f"acts_on: each entry must be text (an item IRI or an id path such as "
                          f"cerd-decision/ID), not a {'mapping' if isinstance(value, dict) else 'list'}")
    text = " ".join(str(value).split())
    parts = text.strip("/").split("/")
    if text.lower().startswith(("http://", "https://")):
        iri = text
    elif len(parts) == 2 and _ID.match(parts[0]) and _ID.match(parts[1]):
        iri = iris.curated(parts[0], parts[1])
    elif len(parts) > 2:
        iri = f"{iris.base}id/{text.strip('/')}"
    else:
        iri = ""
    if not _IRI.match(iri):
        raise RowRejected(f"acts_on {text!r} is not an item IRI or an id path such as cerd-decision/ID")
    return iri


def _action(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    """What was done about a follow-up item: with it, the item is `acted-on` from the action's date."""
    r.allowed = frozenset({"id", "acts_on", "date", "text", "actor", "source"})
    r.check_fields()
    node = r.iris.curated("follow-up-action", rid)
    targets = [_item_reference(r.iris, v) for v in r.items("acts_on")]
    text = r.text("text")
    w = r.date("date")
    out = [triple(node, RDF.type, RG.FollowUpAction),
           triple(node, RG.text, lit(text, lang="en")),
           triple(node, RDFS.label, lit(text, lang="en")),
           *(triple(node, RG.actsOn, t) for t in targets), *when_triples(node, w)]
    out += [triple(node, PROV.wasAssociatedWith, a) for a in r.addressees("actor", required=False)]
    doc, quote = r.source()
    return "follow-up action", out + provenance(node, r, rid, doc, quote, graph)


@register
class CuratedFactsLoader(Loader):
    name = "curated-facts"
    version = "1"
    description = ("Curated facts a dated source states (YAML, 'rightsgraph-format: curated-facts/1'): declared "
                   "response summaries, responses to documents, response statements, other facts, actions on items")
    extensions = YAML_EXTENSIONS

    def sniff(self, path: Path) -> bool:
        return sniff_yaml(path, "curated-facts")

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        return load_records(self, path, ctx, fmt="curated-facts", sections={
            "declared_summaries": _declared_summary,
            "document_responses": _document_response,
            "response_statements": _response_statement,
            "facts": _fact,
            "actions": _action,
        })


__all__ = [
    "Document", "FORMAT_KEY", "Record", "When", "addressee", "document_iri", "document_triples", "header_of",
    "load_records", "open_format", "quote_in", "read_documents", "read_yaml", "resolve_state", "sniff_yaml",
    "when", "when_triples",
]
