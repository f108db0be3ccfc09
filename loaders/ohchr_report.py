"""An OHCHR report given as its PDF and a small metadata file: the document and its recommendations.

Input: the report's PDF, and metadata in YAML (`rightsgraph-format: ohchr-report/1`; see
docs/formats/ohchr-report-metadata.md): title, date, issuing office (a mechanism key), optionally
its UN symbol, the State it concerns, and the addressees its recommendations name. Either file can
be given to `rightsgraph load`:

* the metadata file, whose `pdf:` names the PDF (relative to the metadata file), or
* the PDF, with the metadata next to it (same name, `.yaml`/`.yml`) or passed as the load option
  `metadata=FILE`.

The document IRI is the UN symbol's where there is one; most OHCHR reports have none, and then the
IRI is minted from issuing office, date and title (`Iris.document`), so it is stable across loads
and the same IRI a curated record citing the report mints.

Recommendations are found in the report's own structure, not by page: numbered paragraphs are read
in sequence (1., 2., ... so a year such as "2016." at a line start is never taken for paragraph
2016), a paragraph whose opening says "<issuer> recommends to <addressee> that it" is a
recommendation paragraph, and its roman-numbered limbs "(i)", "(ii)", ... are one recommendation
each (a paragraph without limbs is one recommendation). The addressee phrase is matched against the
metadata's `addressees` (a State, a mechanism or a collective addressee); a paragraph whose
addressee the metadata does not list is rejected with the phrase, so nothing is addressed by guess.
Every match ignores whitespace, because the PDF's text layer splits words ("recom mends",
"G overnment") — see `pdf_text`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from ..graph.iris import Iris, is_un_symbol
from ..graph.mechanisms import mechanisms
from ..graph.namespaces import DCTERMS, PROV, RDF, RDFS, RG
from ..graph.rdf import lit, triple
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .curated import (
    FORMAT_KEY,
    YAML_EXTENSIONS,
    Record,
    addressee,
    document_iri,
    document_triples,
    header_of,
    open_format,
    when,
    when_triples,
)
from .pdf_text import pdf_text, squash, unspaced
from .registry import register

FORMAT = "ohchr-report"
FIELDS = {FORMAT_KEY, "pdf", "sha256", "title", "date", "issuing_office", "symbol", "url", "state", "addressees"}
ADDRESSEE_FIELDS = {"phrase", "state", "mechanism", "addressee"}
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
         "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv", "xxvi", "xxvii", "xxviii", "xxix",
         "xxx")


def loose(word: str) -> str:
    """A regex for `word` that allows whitespace between its characters (the PDF's split words)."""
    return r"\s*".join(re.escape(ch) for ch in word if not ch.isspace())


_LEAD_IN = re.compile(
    r"^(?P<issuer>.{0,120}?)\b" + loose("recommend") + r"(?:\s*s)?\s+" + loose("to") + r"\s+(?P<who>.{1,160}?)\s+"
    + loose("that") + r"\s+(?:" + loose("it") + "|" + loose("they") + r")\b\s*:?", re.S)
_FOOTNOTE_END = re.compile(r"(?<=[;.,:”’)\]])\s*\d{1,3}$")
_LIST_END = re.compile(r"(?:\s*;\s*(?:and|or)?|\s*[.;:,])\s*$")


@dataclass
class Metadata:
    file: Path
    pdf: Path
    title: str
    date: str
    office: str
    symbol: str | None
    url: str | None
    sha256: str | None
    state_iso3: str | None
    addressees: list[tuple[str, str]] = field(default_factory=list)  # (phrase, addressee IRI)


@dataclass
class Paragraph:
    number: int
    lines: list[str]


@dataclass
class Recommendation:
    paragraph: str  # "151(iii)" or "153"
    text: str
    who: str  # the addressee phrase as printed


# --- metadata -----------------------------------------------------------------------------------
def sidecar(pdf: Path) -> Path | None:
    for ext in YAML_EXTENSIONS:
        candidate = pdf.with_suffix(ext)
        if candidate.is_file():
            return candidate
    return None


def read_metadata(meta_path: Path, iris: Iris, pdf: Path | None = None) -> Metadata:
    """The metadata file, checked; any problem is a `LoadError` (without it nothing can be loaded)."""
    data = open_format(meta_path, FORMAT, (1,))
    unknown = sorted(set(map(str, data)) - FIELDS)
    if unknown:
        raise LoadError(meta_path, "", f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(FIELDS))})")
    record = Record(data, 0, meta_path, {}, iris)
    try:
        title = record.text("title")
        w = record.date("date")
        office = record.text("issuing_office")
        if office not in mechanisms():
            raise RowRejected(f"issuing_office {office!r} is not a mechanism key (e.g. ohchr)")
        symbol = record.text("symbol", required=False)
        if symbol and not is_un_symbol(symbol):
            raise RowRejected(f"symbol {symbol!r} is not a UN document symbol")
        state = record.state("state", required=False)
        url = record.text("url", required=False)
        if url and not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            raise RowRejected(f"url {url!r} is not an http(s) address")
        sha = record.text("sha256", required=False)
        if sha and not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise RowRejected("sha256 must be 64 lower-case hex digits")
        named_pdf = record.text("pdf", required=pdf is None)
        addressees = []
        raw = data.get("addressees") or []
        if not isinstance(raw, list):
            raise RowRejected("addressees must be a list of {phrase: ..., state|mechanism|addressee: ...}")
        for n, entry in enumerate(raw, start=1):
            if not isinstance(entry, dict) or not str(entry.get("phrase") or "").strip():
                raise RowRejected(f"addressees entry {n} needs a phrase (as the report prints it) and a "
                                  "state, mechanism or addressee")
            extra = sorted(set(map(str, entry)) - ADDRESSEE_FIELDS)
            if extra:
                raise RowRejected(f"addressees entry {n}: unknown key(s) {', '.join(extra)}")
            target = {k: v for k, v in entry.items() if k != "phrase"}
            addressees.append((" ".join(str(entry["phrase"]).split()),
                               addressee(iris, target, f"addressees entry {n}")))
    except RowRejected as exc:
        raise LoadError(meta_path, "", str(exc)) from None
    if pdf is None:
        pdf = (meta_path.parent / named_pdf).resolve()
        if not pdf.is_file():
            raise LoadError(meta_path, "pdf", f"{named_pdf!r} not found (paths are relative to the metadata file)")
    if pdf.suffix.lower() != ".pdf":
        raise LoadError(meta_path, "pdf", f"{pdf.name} is not a .pdf file")
    return Metadata(meta_path, pdf, title, w.text, office, symbol, url, sha, state.iso3 if state else None,
                    addressees)


# --- the report's structure ---------------------------------------------------------------------
def _number_pattern(n: int) -> re.Pattern:
    return re.compile(r"^\s*" + loose(str(n)) + r"\s*\.(?=\s|$)")


def numbered_paragraphs(lines: list[str]) -> tuple[list[Paragraph], list[int]]:
    """Paragraphs 1, 2, 3, ... in sequence (a gap of one number is bridged and reported)."""
    paragraphs: list[Paragraph] = []
    skipped: list[int] = []
    expected = 1
    for line in lines:
        matched = None
        for candidate in (expected, expected + 1):
            m = _number_pattern(candidate).match(line)
            if m:
                matched = (candidate, line[m.end():])
                break
        if matched:
            number, rest = matched
            if number != expected:
                skipped.append(expected)
            paragraphs.append(Paragraph(number, [rest]))
            expected = number + 1
        elif paragraphs:
            paragraphs[-1].lines.append(line)
    return paragraphs, skipped


def _body_end(lines: list[str]) -> int:
    """Where a paragraph's own text ends: at a sentence end followed by a heading, an indented
    unnumbered paragraph or a blank line (page furniture is already gone, so a blank line inside
    a paragraph only comes with a page break, and pages rarely break at a sentence end)."""
    for i, line in enumerate(lines[:-1]):
        ends_sentence = re.search(r"[.!?][”’)]?\d{0,3}\s*$", line) is not None
        nxt = lines[i + 1]
        if ends_sentence and (not nxt.strip() or nxt[:1].isspace()):
            return i + 1
    return len(lines)


def _clean(text: str) -> str:
    text = squash(text)
    text = _FOOTNOTE_END.sub("", text)
    return _LIST_END.sub("", text).strip()


def recommendations(paragraph: Paragraph) -> list[Recommendation] | None:
    """The recommendations of one paragraph, or None if it is not a recommendation paragraph."""
    lines = paragraph.lines[: _body_end(paragraph.lines)]
    body = "\n".join(lines)
    m = _LEAD_IN.match(squash(body[:400]))
    if not m:
        return None
    who = re.sub(r"^(?:the|a|an)\s+", "", m.group("who").strip(), flags=re.I)
    # limbs: "(i)", "(ii)", ... in sequence, each after the lead-in's colon, a ';' / '; and', or a line break
    limbs: list[tuple[str, int, int]] = []
    pos = 0
    for numeral in ROMAN:
        pattern = re.compile(r"\(\s*" + loose(numeral) + r"\s*\)")
        found = None
        for hit in pattern.finditer(body, pos):
            before = body[: hit.start()].rstrip(" \t")
            if not before or before.endswith(("\n", ":", ";", "; and", "; or")):
                found = hit
                break
        if not found:
            break
        limbs.append((numeral, found.start(), found.end()))
        pos = found.end()
    if not limbs:
        return [Recommendation(str(paragraph.number), _clean(body), who)]
    out = []
    for k, (numeral, _start, end) in enumerate(limbs):
        stop = limbs[k + 1][1] if k + 1 < len(limbs) else len(body)
        out.append(Recommendation(f"{paragraph.number}({numeral})", _clean(body[end:stop]), who))
    return out


# --- the loader ---------------------------------------------------------------------------------
@register
class OhchrReportLoader(Loader):
    name = "ohchr-report"
    version = "1"
    description = ("OHCHR report: the PDF and its metadata (YAML, 'rightsgraph-format: ohchr-report/1', given "
                   "itself or next to the PDF): the document and its recommendations by paragraph")
    extensions = (".pdf", *YAML_EXTENSIONS)

    def sniff(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if suffix in YAML_EXTENSIONS:
            header = header_of(path)
            return header is not None and header[0] == FORMAT
        if suffix == ".pdf":
            meta = sidecar(path)
            if meta is None:
                return False
            header = header_of(meta)
            return header is not None and header[0] == FORMAT
        return False

    def _inputs(self, path: Path, ctx: LoadContext) -> Metadata:
        if path.suffix.lower() in YAML_EXTENSIONS:
            return read_metadata(path, ctx.iris)
        option = ctx.options.get("metadata")
        meta = Path(option) if option else sidecar(path)
        if meta is None:
            raise LoadError(path, "", f"no metadata: put {path.stem}.yaml next to it or pass the option "
                                      "metadata=FILE (docs/formats/ohchr-report-metadata.md)")
        if not meta.is_file():
            raise LoadError(meta, "", "metadata file not found")
        return read_metadata(meta, ctx.iris, pdf=path.resolve())

    def graph_key(self, path: Path) -> str:
        """One graph per report whichever file names it: keyed by the PDF's file name."""
        if path.suffix.lower() in YAML_EXTENSIONS:
            try:
                data = open_format(path, FORMAT, (1,))
                if isinstance(data.get("pdf"), str) and data["pdf"].strip():
                    return f"{self.name}/{Path(data['pdf'].strip()).name}"
            except LoadError:
                pass
        return f"{self.name}/{path.name}"

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        meta = self._inputs(path, ctx)
        if meta.sha256:
            actual = hashlib.sha256(meta.pdf.read_bytes()).hexdigest()
            if actual != meta.sha256:
                raise LoadError(meta.pdf, "", f"SHA-256 {actual[:12]}... differs from the metadata's "
                                              f"{meta.sha256[:12]}...: not the PDF the metadata describes")
        extracted = pdf_text(meta.pdf)
        lines = extracted.text.split("\n")
        paragraphs, skipped = numbered_paragraphs(lines)
        if not paragraphs:
            raise LoadError(meta.pdf, "", "no numbered paragraphs (1., 2., ...) found in the text layer")
        result = LoadResult(path, self.name, self.graph_key(path))
        graph = ctx.iris.graph(result.graph_key)
        w = when(meta.date)
        doc = document_iri(ctx.iris, issuer=meta.office, date_text=w.text, title=meta.title, symbol=meta.symbol)
        result.triples += document_triples(ctx.iris, doc, issuer=meta.office, title=meta.title, w=w,
                                           symbol=meta.symbol, url=meta.url)
        result.triples += [triple(doc, RDFS.comment, lit(
            f"{len(paragraphs)} numbered paragraphs ({paragraphs[0].number}–{paragraphs[-1].number}) in "
            f"{meta.pdf.name}", lang="en")), triple(doc, PROV.wasDerivedFrom, graph)]
        if meta.state_iso3:
            result.triples.append(triple(doc, RG.concernsState, ctx.iris.state(meta.state_iso3)))
        result.records["document"] += 1
        title_found = unspaced(meta.title).casefold() in unspaced(extracted.raw).casefold()
        result.notes.append(f"{len(paragraphs)} numbered paragraphs {paragraphs[0].number}–{paragraphs[-1].number}"
                            + (f", numbers missing: {', '.join(map(str, skipped))}" if skipped else ", none missing"))
        if not title_found:
            result.notes.append(f"the metadata's title does not occur in {meta.pdf.name}'s text: check it")
        phrases = {unspaced(p).casefold(): (p, target) for p, target in meta.addressees}
        found = 0
        per_paragraph = []
        for paragraph in paragraphs:
            recs = recommendations(paragraph)
            if recs is None:
                continue
            per_paragraph.append(f"{paragraph.number}: {len(recs)}")
            for rec in recs:
                if ctx.limit and found >= ctx.limit:
                    break
                found += 1
                result.rows_read += 1
                try:
                    result.triples += self._recommendation(rec, meta, phrases, doc, w, ctx.iris, graph)
                except RowRejected as exc:
                    result.reject(f"para. {rec.paragraph}", str(exc))
                    continue
                result.rows_loaded += 1
                result.records["recommendation"] += 1
        if not per_paragraph:
            raise LoadError(meta.pdf, "", "no recommendation paragraph ('... recommends to ... that it') found")
        result.notes.append("recommendations per paragraph: " + ", ".join(per_paragraph))
        return result

    @staticmethod
    def _recommendation(rec: Recommendation, meta: Metadata, phrases: dict, doc: str, w, iris: Iris,
                        graph: str) -> list[Triple]:
        target = phrases.get(unspaced(rec.who).casefold())
        if target is None:
            listed = "; ".join(p for p, _ in phrases.values()) or "none"
            raise RowRejected(f"addressed to {rec.who!r}, which the metadata's addressees do not list ({listed})")
        if len(rec.text) < 10:
            raise RowRejected(f"no text after the paragraph number ({rec.text!r})")
        node = iris.report_recommendation(doc, rec.paragraph)
        out = [
            triple(node, RDF.type, RG.OHCHRRecommendation),
            triple(node, RG.issuedBy, iris.mechanism(meta.office)),
            triple(node, RG.addressedTo, target[1]),
            triple(node, RG.paragraph, lit(rec.paragraph)),
            triple(node, RG.text, lit(rec.text, lang="en")),
            triple(node, RG.issuedIn, doc),
            triple(node, DCTERMS.source, doc),
            triple(node, RG.quote, lit(rec.text, lang="en")),
            triple(node, RDFS.label, lit(f"{meta.title}, para. {rec.paragraph}", lang="en")),
            triple(node, RG.sourceRecord, lit(f"{meta.pdf.name}#para={rec.paragraph}")),
            triple(node, PROV.wasDerivedFrom, graph),
            *when_triples(node, w),
        ]
        if meta.state_iso3:
            out.append(triple(node, RG.concernsState, iris.state(meta.state_iso3)))
        return out
