"""Every IRI the project mints, in one place.

IRIs are deterministic functions of the sources' own identifiers so that reloading a file, or
loading the same record from another source, yields the same node. Data IRIs live under a
configurable base; the ontology and the SKOS vocabularies have fixed IRIs (they are the schema,
not the data).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from .namespaces import DEFAULT_BASE, VOCAB_BASE

_SPACE = re.compile(r"\s+")
_SYMBOL = re.compile(r"^[A-Z][A-Z0-9]*(/[A-Za-z0-9.\-()]+)+$")


def normalise_text(text: str) -> str:
    """The form of a recommendation's text used to recognise the same recommendation twice.

    Case, accents, punctuation and all whitespace are dropped: exports differ in exactly these
    (trailing spaces, "p lan" from PDF extraction, curly quotes), never in the words.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", text.lower())


def text_key(text: str) -> str:
    """A short stable hash of the normalised text (12 hex digits: collisions are negligible)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:12]


def slug(label: str) -> str:
    """A lower-case, hyphenated IRI segment for a label ("Women's rights" -> "womens-rights")."""
    label = unicodedata.normalize("NFKD", label)
    label = "".join(ch for ch in label if not unicodedata.combining(ch)).lower()
    label = label.replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", label).strip("-")


def vocab(scheme: str, notation: str | int | None = None) -> str:
    """A concept (or, without notation, the scheme) of one of the project's SKOS vocabularies."""
    if notation is None:
        return f"{VOCAB_BASE}{scheme}"
    return f"{VOCAB_BASE}{scheme}/{notation}"


def is_un_symbol(symbol: str) -> bool:
    return bool(_SYMBOL.match(symbol))


@dataclass(frozen=True)
class Iris:
    """Mints data IRIs under `base` (default https://w3id.org/rightsgraph/)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    # --- graphs -------------------------------------------------------------------------------
    def graph(self, key: str) -> str:
        """The named graph of one source (key: loader name and file name) or a fixed graph."""
        return f"{self.base}graph/{quote(key, safe='/-._~')}"

    @property
    def meta_graph(self) -> str:
        return self.graph("meta")

    @property
    def reference_graph(self) -> str:
        return self.graph("reference")

    @property
    def vocab_graph(self) -> str:
        return self.graph("vocabularies")

    @property
    def ontology_graph(self) -> str:
        return self.graph("ontology")

    # --- things -------------------------------------------------------------------------------
    def state(self, iso3: str) -> str:
        return f"{self.base}id/state/{iso3.upper()}"

    def mechanism(self, key: str) -> str:
        return f"{self.base}id/mechanism/{slug(key)}"

    def doc(self, symbol: str) -> str:
        """A UN document by its symbol, slashes kept (id/doc/A/HRC/40/6/Add.1)."""
        return f"{self.base}id/doc/{quote(symbol.strip(), safe='/-._~()')}"

    def upr_session(self, session: int) -> str:
        return f"{self.base}id/upr-session/{int(session)}"

    def upr_review(self, iso3: str, session: int) -> str:
        return f"{self.base}id/upr-review/{iso3.upper()}/{int(session)}"

    def upr_recommendation(self, review_iri: str, *, paragraph: str | None = None, text: str | None = None,
                           variant: int = 0) -> str:
        """`{report}/rec/{paragraph}` where the paragraph is known, else `{review}/rec/h{text hash}`.

        `variant` separates two different recommendations with the same wording in one review
        (e.g. "Ratify CEDAW", supported from one State and noted from two others).
        """
        if paragraph:
            return f"{review_iri}/rec/{quote(paragraph, safe='.-')}"
        if text is None:
            raise ValueError("a recommendation IRI needs a paragraph or a text")
        suffix = f"-{variant}" if variant else ""
        return f"{review_iri}/rec/h{text_key(text)}{suffix}"

    def pledge(self, review_iri: str, text: str, variant: int = 0) -> str:
        suffix = f"-{variant}" if variant else ""
        return f"{review_iri}/pledge/h{text_key(text)}{suffix}"

    def response(self, item_iri: str, source_key: str) -> str:
        """One response per item and source: sources may disagree, and each keeps its own."""
        return f"{item_iri}/response/{slug(source_key)}"

    # --- UPR sources: matrices, UHRI, reconciliation (issue 3) --------------------------------------
    @property
    def reconciliation_graph(self) -> str:
        """The derived graph linking records of the same recommendation from several sources."""
        return self.graph("reconciliation")

    def reconciliation(self, review_iri: str) -> str:
        """The reconciliation of one UPR review (its counts and unmatched records)."""
        return f"{review_iri}/reconciliation"

    # --- treaty bodies and Human Rights Council (issue 4: treaty bodies, HRC) ---------------------
    def treaty_status(self, iso3: str, instrument: str) -> str:
        """One State's status under one instrument (notation of vocab/treaty-instrument)."""
        return f"{self.base}id/treaty-status/{iso3.upper()}/{slug(instrument)}"

    def followup_request(self, co_symbol: str, paragraph: str) -> str:
        """A follow-up paragraph of concluding observations: `{doc}/follow-up/{paragraph}`."""
        return f"{self.doc(co_symbol)}/follow-up/{quote(paragraph.strip(), safe='.-')}"

    def followup_assessment(self, item_iri: str, round_key: str) -> str:
        """The assessment of one follow-up item in one round (round key e.g. `s140`)."""
        return f"{item_iri}/assessment/{quote(round_key, safe='-')}"

    def followup_grade(self, assessment_iri: str, number: int) -> str:
        return f"{assessment_iri}/grade/{int(number)}"

    def reporting_obligation(self, instrument: str, iso3: str, key: str) -> str:
        """A periodic report due under `instrument`: key `report-{n}` when numbered, else a hash."""
        return f"{self.base}id/reporting-obligation/{slug(instrument)}/{iso3.upper()}/{quote(key, safe='-.')}"

    def next_report(self, co_symbol: str) -> str:
        """The periodic report due after the concluding observations `co_symbol`."""
        return f"{self.doc(co_symbol)}/next-periodic-report"

    def hrc_session(self, session_type: str, number: int | str) -> str:
        """`id/hrc-session/51`, `id/hrc-session/S-22`, `id/hrc-session/OM-1`; an unnumbered special
        session is `id/hrc-session/S-unnumbered/{key}`."""
        prefix = {"regular": "", "special": "S-", "organizational": "OM-"}[session_type]
        return f"{self.base}id/hrc-session/{prefix}{quote(str(number), safe='/-')}"

    def hrc_text(self, key: str) -> str:
        """An HRC text without a UN document symbol (withdrawn draft, unnumbered resolution)."""
        return f"{self.base}id/hrc-text/{quote(key, safe='/-')}"

    # --- follow-up items: OHCHR reports, CERD, special procedures, curated facts (issue 4) ----------
    def document(self, issuer: str, date: str, title: str) -> str:
        """A document without a UN symbol (most OHCHR reports, NGO statements), from who issued it,
        when (ISO date, or year-month) and its title: `id/document/ohchr/2022-08-31/ohchr-assessment-...`.

        The title slug is cut at a word boundary after 80 characters: long enough to tell two reports
        of one office and day apart, short enough to read. Same issuer, date and title, same IRI.
        """
        title_slug = slug(title)
        if len(title_slug) > 80:
            title_slug = title_slug[:80].rsplit("-", 1)[0]
        return f"{self.base}id/document/{slug(issuer)}/{quote(date.strip(), safe='-')}/{title_slug}"

    def report_recommendation(self, doc_iri: str, paragraph: str) -> str:
        """A recommendation of a report by its paragraph ("151(iii)" -> `{doc}/rec/151-iii`)."""
        return f"{doc_iri}/rec/{slug(paragraph)}"

    def curated(self, kind: str, key: str) -> str:
        """A curated record (`cerd-decision`, `special-procedure-call`, `declared-response-summary`,
        `document-response`, `response-statement`, `stated-fact`) by the key its file gives it."""
        return f"{self.base}id/{slug(kind)}/{slug(key)}"

    def position_count(self, summary_iri: str, position_notation: str) -> str:
        return f"{summary_iri}/count/{slug(position_notation)}"

    def person(self, name: str) -> str:
        return f"{self.base}id/person/{slug(name)}"

    def source_file(self, sha256: str) -> str:
        return f"{self.base}id/source-file/{sha256}"

    def load(self, graph_key: str) -> str:
        return f"{self.base}id/load/{quote(graph_key, safe='/-._~')}"
