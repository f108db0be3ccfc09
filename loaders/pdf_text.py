"""The body text of a born-digital report PDF, with the text layer's broken spacing repaired.

Why not `page.extract_text()` as it comes: reports exported from Word (OHCHR's among them) set
justified lines as many separately positioned runs, and pypdf puts a space wherever a run starts a
little to the right of where the last one ended. Words come out split ("increas ing", "th e",
"G overnment", "p lan", "ur ban"), hyphens and punctuation detached ("counter -terrorism",
"ill- treatment", "allegations ,", "China ’s"). Glyph positions do not tell these gaps from real
spaces (measured on the OHCHR assessment: some split words have a gap wider than a space), so the
repair is lexical and uses only the document itself:

1. page furniture is dropped by font size: the body size is the size most text is set in; page
   numbers and footnotes are set smaller (superscript footnote markers, drawn in the same run as
   their word, stay: "communities1");
2. detached punctuation is re-attached (a space before `,;:.)` or `’s`, around a hyphen between
   two words unless it is a suspended hyphen before "and"/"or"/"to");
3. a *fragment* (a token that is neither a common short word nor a word the document uses
   elsewhere) is joined to its left or right neighbour when the joined form is a word the document
   uses elsewhere; where both joins are words, the more frequent one wins ("a s how" -> "as how",
   "system s ought" -> "systems ought", "to p rotect" -> "to protect").

Real two-word sequences survive because both halves are words ("a broad scale", "not able to",
"up on"). The repair is conservative: a split that joins to no word the document uses elsewhere
stays split (on the OHCHR assessment about 15 in 48 pages, e.g. "collec ted", "instruct ion"; joining
two such pieces regardless glued real word pairs such as "ad hoc" and "per se" together).
Everything that compares text (paragraph numbers, addressee phrases, quotes) also compares with
whitespace ignored, so a leftover split never decides an outcome.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .base import LoadError

# Short words that stand on their own (never fragments); longer words count as words when the
# document uses them elsewhere. Deliberately small: it only has to cover 1-3 letter words.
SHORT_WORDS = frozenset("""
a i an as at be by do go he if in is it me my no of on or so to up us we am
the and for are but not was has had its our out may can who all any one two new per via set see
use own off too how why now her him his she yet nor few due law age day did way end far key lay
aid act add ago air arm art ask bad big job men man met put ran run saw say six ten top war win
""".split())
_TOKEN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SUSPENDED = ("and", "or", "to", "nor")


@dataclass(frozen=True)
class PdfText:
    """A PDF's body text: `pages` as extracted (furniture dropped), `text` repaired, joined by newlines."""

    pages: tuple[str, ...]
    text: str
    raw: str


def _body_size(sizes: Counter) -> float:
    return max(sizes.items(), key=lambda kv: kv[1])[0] if sizes else 0.0


def read_pages(path: Path) -> list[list[tuple[float, str]]]:
    """Every page's text runs with their rendered font size; a `LoadError` if the PDF is unreadable."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise LoadError(path, "", "reading PDFs needs pypdf (pip install pypdf)") from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise LoadError(path, "", "the PDF is encrypted; give an unencrypted copy")
            except (NotImplementedError, PdfReadError):
                raise LoadError(path, "", "the PDF is encrypted; give an unencrypted copy") from None
        pages = []
        for page in reader.pages:
            runs: list[tuple[float, str]] = []

            def visit(text, cm, tm, _font, size, runs=runs):
                scale = (abs(tm[0] * cm[0]) or abs(tm[1] * cm[1]) or 1.0) * (size or 1.0)
                runs.append((round(scale, 2), text))

            page.extract_text(visitor_text=visit)
            pages.append(runs)
        return pages
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise LoadError(path, "", f"not a readable PDF ({type(exc).__name__}: {exc})") from None


def body_pages(runs_by_page: list[list[tuple[float, str]]]) -> list[str]:
    """Each page's text set in the body size or larger (headings), without smaller furniture."""
    sizes: Counter = Counter()
    for runs in runs_by_page:
        for size, text in runs:
            if text.strip():
                sizes[size] += len(text.strip())
    body = _body_size(sizes)
    floor = body * 0.97
    pages = []
    for runs in runs_by_page:
        # a dropped run keeps its line breaks: a superscript marker's run can carry the line's end
        kept = [text if size >= floor or (not text.strip() and size <= 1.0) else "\n" * text.count("\n")
                for size, text in runs]
        pages.append(re.sub(r"\n{3,}", "\n\n", "".join(kept)))
    return pages


# --- the repair --------------------------------------------------------------------------------
def word_counts(text: str) -> Counter:
    """How often the document uses each word (lower case, apostrophe forms kept whole)."""
    return Counter(w.lower() for w in _TOKEN_WORD.findall(text))


def _punctuation(line: str) -> str:
    line = re.sub(r"[ \t]{2,}", " ", line)
    line = re.sub(r"(?<=[A-Za-z0-9”’)])\s+(?=[,;:.](?:\s|$|\d|”))", "", line)  # "allegations ," / "XUAR .4"
    line = re.sub(r"(?<=[A-Za-z])\s+(?=’s\b)", "", line)  # "China ’s"
    line = re.sub(r"(?<=[A-Za-z])\s+-(?=[A-Za-z])", "-", line)  # "counter -terrorism"
    line = re.sub(r"(?<=[A-Za-z0-9])-\s+(?!(?:" + "|".join(_SUSPENDED) + r")\b)(?=[A-Za-z0-9])", "-", line)
    return line


def _is_word(core: str, counts: Counter) -> bool:
    low = core.lower()
    if low in SHORT_WORDS:
        return True
    if len(low) <= 3:
        return False
    return counts[low] >= 2  # used somewhere else in the document as well


def _letters_at_end(token: str) -> str:
    m = re.search(r"[A-Za-z]+$", token)
    return m.group(0) if m else ""


def _letters_at_start(token: str) -> str:
    m = re.match(r"[A-Za-z]+", token)
    return m.group(0) if m else ""


def _join_fragments(line: str, counts: Counter) -> str:
    tokens = [t for t in line.split(" ") if t]
    for _ in range(3):  # a word split in three needs two joins
        changed = False
        i = 0
        while i < len(tokens):
            core = tokens[i].strip(".,;:()[]“”\"'’‘!?")
            if not core.isalpha() or _is_word(core, counts):
                i += 1
                continue
            options = []  # (frequency of the joined word, prefer left, index of the left token)
            head, tail = _letters_at_start(tokens[i]), _letters_at_end(tokens[i])
            if i > 0 and head and tokens[i].startswith(head):
                left = _letters_at_end(tokens[i - 1])
                if left:
                    options.append((counts[(left + head).lower()], 1, i - 1))
            if i + 1 < len(tokens) and tail and tokens[i].endswith(tail):
                right = _letters_at_start(tokens[i + 1])
                if right and tokens[i + 1].startswith(right):
                    options.append((counts[(tail + right).lower()], 0, i))
            options = [o for o in options if o[0] >= 1]  # a join must make a word the document uses
            if not options:
                i += 1
                continue
            _, _, at = max(options)
            tokens[at:at + 2] = [tokens[at] + tokens[at + 1]]
            changed = True
            i = at + 1
        if not changed:
            break
    return " ".join(tokens)


def repair(text: str, counts: Counter | None = None) -> str:
    """The text with detached punctuation re-attached and split words joined (see module docstring)."""
    counts = counts if counts is not None else word_counts(text)
    lines = []
    for line in text.split("\n"):
        lead = line[: len(line) - len(line.lstrip(" "))]
        body = _punctuation(line.strip(" "))
        lines.append((" " if lead else "") + _join_fragments(body, counts).rstrip())
    return "\n".join(lines)


def squash(text: str) -> str:
    """Text with every run of whitespace made one space: the form quotes are compared in."""
    return " ".join(text.split())


def unspaced(text: str) -> str:
    """Text with all whitespace removed: immune to the text layer's spacing, right or wrong."""
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=8)
def _cached(path: str, mtime_ns: int, size: int) -> PdfText:
    pages = body_pages(read_pages(Path(path)))
    raw = "\n".join(pages)
    if not unspaced(raw):
        raise LoadError(path, "", "the PDF has no text layer (a scan?): run OCR first")
    counts = word_counts(raw)
    return PdfText(tuple(pages), repair(raw, counts), raw)


def pdf_text(path: Path) -> PdfText:
    """The repaired body text of `path`, extracted once per process and file version."""
    try:
        st = path.stat()
    except OSError as exc:
        raise LoadError(path, "", exc.strerror or str(exc)) from None
    return _cached(str(path.resolve()), st.st_mtime_ns, st.st_size)


__all__ = ["PdfText", "body_pages", "pdf_text", "read_pages", "repair", "squash", "unspaced", "word_counts"]
