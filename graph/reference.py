"""Reference data at run time: States (codes, UN names, aliases, regional group) and UPR sessions.

The tables are built once, offline, by `scripts/build_reference.py` from the shared UN sources and
shipped as CSVs in `rightsgraph/data/reference/`. Loaders only need to turn a source's spelling of
a State ("DPR Korea", "Iran (Islamic Republic of)", "St Kitts & Nevis") into one IRI, so name
resolution is exact on a normalised form and never fuzzy: a wrong match would silently attach a
recommendation to the wrong State, while an unknown name is caught and reported as a rejection.
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from pyoxigraph import Triple

from .iris import Iris, vocab
from .namespaces import EU_COUNTRY, ORG, OWL, RDF, RDFS, RG, SKOS
from .rdf import gyear, lit, triple

LANGS: tuple[str, ...] = ("en", "fr", "es", "ru", "zh", "ar")
UN_STATUSES: tuple[str, ...] = ("member", "observer-state", "other")
REGIONAL_GROUPS: tuple[str, ...] = ("african", "asia-pacific", "eastern-european", "grulac", "weog")

# The UN short names carry the article for running text in brackets: "Congo (the)", "Niger (le)".
_TRAILING_ARTICLE = re.compile(r"\s*\((?:the|l['\u2019]|le|la|les|el|los|las)\)\s*$", re.IGNORECASE)
# A leading article goes too ("the Niger", "la République française"), but not the "El" of "El Salvador".
_LEADING_ARTICLE = re.compile(r"^(?:the|le|la|les|los|las)\s+|^el\s+(?=\S+\s)|^l['\u2019]\s*", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """The form under which two spellings of a State's name count as the same name.

    Sources differ in case, accents, HTML entities (`&#40;`), "&" for "and", "St" for "Saint",
    hyphens and apostrophes ("Timor- Leste", "Cote d ’ Ivoire"), footnote asterisks, surrounding
    punctuation and a leading or bracketed article; never in the words themselves.
    """
    text = html.unescape(html.unescape(name or ""))
    text = unicodedata.normalize("NFKC", text).strip().rstrip("*").strip()
    text = _TRAILING_ARTICLE.sub("", text)
    text = _LEADING_ARTICLE.sub("", text.strip(" \t\r\n.,;:()[]\"'"))
    text = unicodedata.normalize("NFKD", text.replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = _NON_WORD.sub(" ", text).split()
    return " ".join("saint" if w == "st" else w for w in words)


@dataclass(frozen=True)
class State:
    """One State or entity; `names`/`formal` map a language code (en fr es ru zh ar) to a UN name."""

    iso3: str
    iso2: str
    m49: str
    un_status: str
    regional_group: str | None
    names: dict[str, str] = field(hash=False)
    formal: dict[str, str] = field(hash=False)
    note: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names.get("en", self.iso3)

    def __str__(self) -> str:
        return f"{self.name} ({self.iso3})"


class StateTable:
    """All States, with an exact index from every normalised name and alias to one State."""

    def __init__(self, states: Iterable[State]) -> None:
        self._states: dict[str, State] = {}
        self._index: dict[str, str] = {}
        for state in states:
            self._states[state.iso3] = state
            for label in (*state.names.values(), *state.formal.values(), *state.aliases):
                key = normalise_name(label)
                if not key:
                    continue
                other = self._index.setdefault(key, state.iso3)
                if other != state.iso3:
                    raise ValueError(f"name {label!r} would resolve to both {other} and {state.iso3}")

    @classmethod
    def load(cls) -> StateTable:
        """The shipped table (read once per process)."""
        return states()

    def resolve(self, name: str | None) -> State | None:
        """The State a source means by `name`, or None when the name is unknown (never a guess)."""
        iso3 = self._index.get(normalise_name(name or ""))
        return self._states[iso3] if iso3 else None

    def by_iso3(self, code: str) -> State:
        """The State with ISO 3166-1 alpha-3 `code` (case-insensitive); KeyError if there is none."""
        return self._states[code.strip().upper()]

    def members(self) -> list[State]:
        return [s for s in self._states.values() if s.un_status == "member"]

    def __iter__(self) -> Iterator[State]:
        return iter(self._states.values())

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, iso3: object) -> bool:
        return isinstance(iso3, str) and iso3.upper() in self._states


@dataclass(frozen=True)
class UprSession:
    number: int
    year: int
    cycle: int
    source: str


class UprSessions:
    """UPR sessions by number. `year`/`cycle` raise KeyError for an unknown session; `get` gives None."""

    def __init__(self, sessions: Iterable[UprSession]) -> None:
        self._sessions = {s.number: s for s in sorted(sessions, key=lambda s: s.number)}

    @classmethod
    def load(cls) -> UprSessions:
        return upr_sessions()

    def get(self, session: int) -> UprSession | None:
        return self._sessions.get(int(session))

    def year(self, session: int) -> int:
        return self._sessions[int(session)].year

    def cycle(self, session: int) -> int:
        return self._sessions[int(session)].cycle

    def __contains__(self, session: object) -> bool:
        return isinstance(session, int) and session in self._sessions

    def __iter__(self) -> Iterator[UprSession]:
        return iter(self._sessions.values())

    def __len__(self) -> int:
        return len(self._sessions)


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (files("rightsgraph") / "data" / "reference" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def states() -> StateTable:
    """The shipped States with their aliases (cached: the CSVs never change within a process)."""
    aliases: dict[str, list[str]] = {}
    for row in _read_csv("state-aliases.csv"):
        aliases.setdefault(row["iso3"], []).append(row["alias"])
    return StateTable(
        State(
            iso3=row["iso3"], iso2=row["iso2"], m49=row["m49"], un_status=row["un_status"],
            regional_group=row["regional_group"] or None,
            names={lang: row[f"name_{lang}"] for lang in LANGS if row[f"name_{lang}"]},
            formal={lang: row[f"formal_{lang}"] for lang in LANGS if row[f"formal_{lang}"]},
            note=row["note"], aliases=tuple(aliases.get(row["iso3"], ())),
        )
        for row in _read_csv("states.csv")
    )


@lru_cache(maxsize=1)
def upr_sessions() -> UprSessions:
    return UprSessions(
        UprSession(int(r["session"]), int(r["year"]), int(r["cycle"]), r["source"])
        for r in _read_csv("upr-sessions.csv")
    )


def state_triples(state: State, iris: Iris) -> list[Triple]:
    s = iris.state(state.iso3)
    out = [
        triple(s, RDF.type, RG.State),
        triple(s, RDF.type, ORG.FormalOrganization),
        triple(s, RG.iso3, lit(state.iso3)),
        triple(s, RG.unStatus, vocab("un-status", state.un_status)),
        triple(s, OWL.sameAs, EU_COUNTRY[state.iso3]),
    ]
    if state.iso2:
        out.append(triple(s, RG.iso2, lit(state.iso2)))
    if state.m49:
        out.append(triple(s, RG.m49, lit(state.m49)))
    if state.regional_group:
        out.append(triple(s, RG.regionalGroup, vocab("regional-group", state.regional_group)))
    out += [triple(s, SKOS.prefLabel, lit(v, lang=k)) for k, v in state.names.items()]
    # SKOS keeps pref/alt/hidden labels disjoint: a formal name equal to the short name, or an
    # alias equal to either, is not repeated under another property.
    out += [triple(s, SKOS.altLabel, lit(v, lang=k)) for k, v in state.formal.items()
            if v != state.names.get(k)]
    english = {state.names.get("en"), state.formal.get("en")}
    out += [triple(s, SKOS.hiddenLabel, lit(a, lang="en")) for a in dict.fromkeys(state.aliases)
            if a not in english]
    return out


def session_triples(session: UprSession, iris: Iris) -> list[Triple]:
    s = iris.upr_session(session.number)
    return [
        triple(s, RDF.type, RG.UPRSession),
        triple(s, RG.sessionNumber, lit(session.number)),
        triple(s, RG.year, gyear(session.year)),
        triple(s, RG.cycle, vocab("upr-cycle", session.cycle)),
        triple(s, RDFS.label, lit(f"UPR session {session.number}", lang="en")),
    ]


def reference_triples(iris: Iris, table: StateTable | None = None,
                      sessions: UprSessions | None = None) -> list[Triple]:
    """The RDF of every State and UPR session (for the reference graph)."""
    out: list[Triple] = []
    for state in table if table is not None else states():
        out += state_triples(state, iris)
    for session in sessions if sessions is not None else upr_sessions():
        out += session_triples(session, iris)
    return out


__all__ = [
    "LANGS",
    "REGIONAL_GROUPS",
    "UN_STATUSES",
    "State",
    "StateTable",
    "UprSession",
    "UprSessions",
    "normalise_name",
    "reference_triples",
    "session_triples",
    "state_triples",
    "states",
    "upr_sessions",
]
