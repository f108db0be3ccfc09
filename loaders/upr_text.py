"""Reading OHCHR's wording of a UPR recommendation: paragraph number, recommending States, source.

OHCHR publishes a recommendation as one string, in the report, the matrices and the UHRI alike:

    186.2. Ratify as soon as possible ICCPR (Brazil); Speed up the ratification of the ICCPR
    (Bulgaria); Expedite the ratification of the ICCPR (Ghana);
    Source of position: A/HRC/25/5/Add.1 - Para. 186.2.

that is: a paragraph number, then one or more *segments* (a wording and the State(s) that made
it, in brackets at its end: "(Portugal, Slovakia)", "(France) (Lithuania)"), then where the State's
position is stated. OHCHR groups several wordings of the same ask from different States under one
paragraph; UPR Info keeps one row per State and wording. That is why UPR Info has 284 rows for
China's 2013 review and the report 252 paragraphs: reconciliation matches UPR Info rows to these
segments, so the segments are kept.

State names are resolved with the reference table (`graph.reference`), exactly; one more exact
rule is added here: a name also matches when it equals a known name with its spaces removed,
because PDF extraction breaks words ("Sierra Le one", "Ger many") but never changes letters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..graph import vocab
from ..graph.iris import normalise_text
from ..graph.reference import State, normalise_name, states

# "186.28." / "115.1" / "36.10" at the start; the number is kept as a string ("186.4" != "186.40").
_PARAGRAPH = re.compile(r"^\s*(?:para(?:graph)?\.?\s*)?(\d{1,3}(?:\.\d{1,3})+)\.?(?=\s|$)", re.IGNORECASE)
_SOURCE = re.compile(r"\bSource\s+of\s+position\s*:?", re.IGNORECASE)
_SOURCE_PARA = re.compile(r"para(?:graph)?s?\.?\s*(\d+(?:\.\d+)*)", re.IGNORECASE)
_ADDENDUM = re.compile(r"/(?:Add|Corr|Rev)\.\d+.*$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Entities decoded (twice: exports double-encode `&amp;amp;`), NBSPs and runs of space collapsed."""
    text = html.unescape(html.unescape(text or ""))
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    return _SPACE.sub(" ", text).strip()


# --- States ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _spaceless_index() -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for state in states():
        for label in (*state.names.values(), *state.formal.values(), *state.aliases):
            key = normalise_name(label).replace(" ", "")
            if key and index.get(key, state.iso3) != state.iso3:
                index[key] = None  # two States: never guess
            elif key:
                index[key] = state.iso3
    return index


def resolve_state(name: str) -> State | None:
    """The State `name` means, exactly (see the module docstring), or None."""
    table = states()
    found = table.resolve(name)
    if found is not None:
        return found
    iso3 = _spaceless_index().get(normalise_name(name).replace(" ", ""))
    return table.by_iso3(iso3) if iso3 else None


def split_names(text: str) -> list[str]:
    """Names in a list cell or bracket: commas, semicolons, newlines, " - " bullets; brackets kept."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",;\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out = []
    for part in parts:
        # "- France - Spain" (UHRI bullets) but not "Timor-Leste" or "Guinea-Bissau"
        out += [p for p in re.split(r"(?:^|\s)[-\u2013\u2022]\s+", part)]
    return [p.strip(" .;:*\t") for p in out if p.strip(" .;:*\t-")]


def resolve_names(text: str) -> tuple[list[State], list[str]]:
    """(States, unknown names) of a list of names. "A and B" is split only if it is not itself a name."""
    found: list[State] = []
    unknown: list[str] = []
    for name in split_names(text):
        state = resolve_state(name)
        if state is None and re.search(r"\band\b|&", name):
            pieces = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", name)]
            resolved = [resolve_state(p) for p in pieces]
            if all(resolved):
                found += [s for s in resolved if s is not None]
                continue
        if state is None:
            unknown.append(name)
        else:
            found.append(state)
    return found, unknown


def _trailing_group(text: str) -> tuple[str, str] | None:
    """(text before, inside) of a balanced bracket group closing `text`, or None."""
    end = len(text) - 1
    if end < 0 or text[end] != ")":
        return None
    depth = 0
    for i in range(end, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return text[:i], text[i + 1:end]
    return None


def trailing_states(text: str) -> tuple[str, list[State], str | None]:
    """Strip the bracketed recommending States closing `text`: (wording, States, unknown last group).

    Groups are taken from the end while every name in them is a known State, so "(No. 29)
    (United Kingdom of Great Britain and Northern Ireland)" keeps "(No. 29)" in the wording. The
    third value is the last group's text when it looked like States but held an unknown name.
    """
    rest = text.rstrip(" ;.,\t")
    found: list[State] = []
    unknown_group: str | None = None
    while True:
        group = _trailing_group(rest)
        if group is None:
            break
        before, inside = group
        states_in, unknown = resolve_names(inside)
        if unknown or not states_in:
            if not found:
                unknown_group = inside
            break
        found = states_in + found
        rest = before.rstrip(" ;,\t")
    return rest.strip(), _unique(found), (unknown_group if not found else None)


def _unique(items: list[State]) -> list[State]:
    seen: dict[str, State] = {}
    for s in items:
        seen.setdefault(s.iso3, s)
    return list(seen.values())


# --- segments and paragraphs ------------------------------------------------------------------------
@dataclass
class Segment:
    """One wording and the States that made it."""

    text: str
    states: list[State] = field(default_factory=list)

    @property
    def key(self) -> str:
        return normalise_text(self.text)


@dataclass
class Recommendation:
    """One recommendation as OHCHR writes it, taken apart."""

    paragraph: str | None
    text: str
    segments: list[Segment]
    states: list[State]
    unknown_states: str | None = None
    position_source: str | None = None
    position_paragraph: str | None = None


def split_top_level(text: str, sep: str = ";") -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


_ALTERNATIVE = re.compile(r"\)\s*/\s*")


def _leading_states(text: str) -> tuple[str, list[State], str] | None:
    """(before, States, after) around the first bracket group of `text` that names only States."""
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                found, unknown = resolve_names(text[start + 1:i])
                if found and not unknown:
                    return text[:start].strip(), found, text[i + 1:].strip()
    return None


def alternatives_of(body: str) -> list[Segment] | None:
    """First-cycle reports write one ask of several States as alternatives sharing an object:
    "Consider ratifying (Turkey) / Ratify (Mexico) the Optional Protocol to CEDAW; and implement it
    (Mexico);". Each State's own wording is its verb and the shared object (plus any closing clause
    that names it): the wording UPR Info records for that State. None if `body` is not of this form.
    """
    if not _ALTERNATIVE.search(body):
        return None
    parts = _ALTERNATIVE.split(body)
    verbs: list[tuple[str, list[State]]] = []
    for part in parts[:-1]:
        found = _leading_states(part + ")")
        if found is None or found[2]:
            return None
        verbs.append((found[0], found[1]))
    last = _leading_states(parts[-1])
    if last is None or not last[0]:
        return None
    verbs.append((last[0], last[1]))
    rest = last[2]
    clauses = [c.strip() for c in split_top_level(rest) if c.strip(" ;,.")]
    shared, extras = (clauses[0] if clauses else ""), []
    shared_text, shared_states, _ = trailing_states(shared)
    for clause in clauses[1:]:
        wording, found, _ = trailing_states(clause)
        extras.append((wording, {s.iso3 for s in found}))
    segments = []
    for verb, who in verbs:
        iso = {s.iso3 for s in who}
        tail = "; ".join(w for w, owners in extras if not owners or owners & iso)
        wording = f"{verb} {shared_text}" + (f"; {tail}" if tail else "")
        segments.append(Segment(" ".join(wording.split()), _unique(who + shared_states)))
    return segments


def segments_of(body: str) -> tuple[list[Segment], str | None]:
    """The wordings of a recommendation body (number and source already removed)."""
    alternatives = alternatives_of(body)
    if alternatives:
        return alternatives, None
    segments: list[Segment] = []
    pending = ""
    unknown: str | None = None
    for piece in split_top_level(body):
        candidate = f"{pending}; {piece.strip()}" if pending else piece
        if not candidate.strip(" ;.,"):
            continue
        wording, found, unknown_here = trailing_states(candidate)
        if found:
            segments.append(Segment(wording, found))
            pending = ""
            unknown = None
        else:
            pending = candidate
            unknown = unknown_here or unknown
    if pending.strip(" ;.,"):
        if segments and not unknown:
            # words after the last State list: they belong to the last wording
            last = segments[-1]
            segments[-1] = Segment(f"{last.text} ({', '.join(s.name for s in last.states)}); "
                                   f"{pending.strip()}", last.states)
        else:
            segments.append(Segment(pending.strip(" ;,"), []))
    return segments, unknown


def split_paragraph(text: str) -> tuple[str | None, str]:
    """("186.28", rest) from "186.28. Continue ..."; (None, text) if it has no number."""
    m = _PARAGRAPH.match(text)
    if not m:
        return None, text.strip()
    return m.group(1), text[m.end():].strip()


def split_source(text: str) -> tuple[str, str | None, str | None]:
    """(text before, document symbol, paragraph) of a "Source of position: A/HRC/.. - Para. 3" tail."""
    m = _SOURCE.search(text)
    if not m:
        return text, None, None
    head, tail = text[: m.start()], clean(text[m.end():])
    symbol = None
    sm = re.match(r"\s*([A-Z]{1,5}(?:/[A-Za-z0-9.()\-]+)+)", tail)
    if sm:
        symbol = sm.group(1).rstrip(".,;-")
    pm = _SOURCE_PARA.search(tail)
    para = pm.group(1).rstrip(".") if pm else None
    return head, symbol, para


def report_of(symbol: str) -> str:
    """The report a position source belongs to: "A/HRC/25/5/Add.1" -> "A/HRC/25/5"."""
    return _ADDENDUM.sub("", symbol.strip())


def parse(raw: str, *, states_known: bool = False) -> Recommendation:
    """A recommendation cell or UHRI text taken apart.

    The wording (`text`) is the recommendation without its paragraph number, its position source
    and, for a single wording, its closing State list. A paragraph grouping several wordings keeps
    each wording's own States in brackets: without them the text would misattribute the asks.
    `states_known`: the source lists the recommending States elsewhere (a column of their own), so
    the text need not end with them; any it does end with are still taken.
    """
    text = clean(raw)
    body, source, source_para = split_source(text)
    paragraph, body = split_paragraph(body.strip())
    body = body.strip().rstrip(";,").strip()
    segments, unknown = segments_of(body)
    wording = segments[0].text if len(segments) == 1 else body
    states_all = _unique([s for seg in segments for s in seg.states])
    if states_known:
        unknown = None
    return Recommendation(paragraph, wording.strip(), segments, states_all, unknown, source, source_para)


def position_concept(text: str) -> str | None:
    """The position a source's spelling stands for, or None if the position vocabulary lacks it.

    A position written as two ("Supported/Noted", as the UHRI records a recommendation whose parts
    the State supported and noted) is the one they share if they agree, and partially supported
    if one is supported and the other noted.
    """
    text = clean(text)
    if not text:
        return vocab.concept_for("position", "pending")
    found = vocab.concept_for("position", text)
    if found or "/" not in text:
        return found
    parts = [vocab.concept_for("position", p) for p in text.split("/") if p.strip()]
    if not parts or any(p is None for p in parts):
        return None
    tops = {_top(p) for p in parts if p}
    if len(tops) == 1:
        return parts[0] if len(set(parts)) == 1 else tops.pop()
    if tops == {_top(vocab.concept_for("position", "supported")), vocab.NOTED}:
        return vocab.concept_for("position", "partially-supported")
    return None


def _top(position: str | None) -> str | None:
    """The top concept (supported, partially supported, noted, pending) above a position."""
    if position is None:
        return None
    tops = {vocab.concept_for("position", t) for t in ("supported", "partially-supported", "noted", "pending")}
    if position in tops:
        return position
    for top in tops:
        if top and position in _narrower(top):
            return top
    return position


def _narrower(top: str) -> set[str]:
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    g = vocab.vocab_graph()
    return {str(c) for c in g.transitive_subjects(SKOS.broader, URIRef(top))}
