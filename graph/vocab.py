"""Runtime lookups in the project's SKOS vocabularies (`ontology/vocab/*.ttl`).

Loaders turn source spellings ("Accepted", "Women's rights", "3") into concept IRIs here, so the mapping
lives in the vocabularies (data, with sources) and not in Python. A spelling the vocabularies do not
know gives None, never a made-up IRI: the caller rejects the row with a reason.

Matching: an exact notation wins (notations are identifiers, e.g. `accepted`); otherwise prefLabel,
altLabel and notation are compared case-insensitively after whitespace normalisation. If a loose
spelling fits several concepts and one of them is broader than all the others, that one is returned:
it is true whichever was meant (UPR Info's "Accepted" is `supported`, not the finer `accepted`). If it
fits unrelated concepts, the answer is None rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .namespaces import VOCAB_BASE

POSITION_SCHEME = f"{VOCAB_BASE}position"
NOTED = f"{VOCAB_BASE}position/noted"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _key(text: str) -> str:
    """Text as compared: NFKC, typographic apostrophes straightened, whitespace runs collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_APOSTROPHES)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class _Scheme:
    iri: str
    concepts: list[str] = field(default_factory=list)
    notations: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    loose: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class _Index:
    schemes: dict[str, _Scheme]
    labels: dict[str, str]
    ancestors: dict[str, frozenset[str]]
    notation_of: dict[str, str]


def vocab_files() -> list[Traversable]:
    """The shipped vocabulary files, read from package data so an installed copy works too."""
    folder = files("rightsgraph.ontology") / "vocab"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


@cache
def vocab_graph() -> Graph:
    """All vocabularies merged, parsed once per process. Shared: do not modify it."""
    graph = Graph()
    for f in vocab_files():
        graph.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return graph


@cache
def _index() -> _Index:
    g = vocab_graph()
    schemes: dict[str, _Scheme] = {}
    labels: dict[str, str] = {}
    notation_of: dict[str, str] = {}
    parents: dict[str, set[str]] = defaultdict(set)
    for concept, scheme in g.subject_objects(SKOS.inScheme):
        c, s = str(concept), str(scheme)
        entry = schemes.setdefault(s, _Scheme(s))
        entry.concepts.append(c)
        for notation in g.objects(concept, SKOS.notation):
            entry.notations[_key(notation)].add(c)
            notation_of[c] = str(notation)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for value in g.objects(concept, prop):
                entry.loose[_key(value).casefold()].add(c)
        labels[c] = _pref_label(g, concept)
    for narrower, broader in g.subject_objects(SKOS.broader):
        parents[str(narrower)].add(str(broader))
    for broader, narrower in g.subject_objects(SKOS.narrower):
        parents[str(narrower)].add(str(broader))
    ancestors = {c: frozenset(_closure(c, parents)) for c in labels}
    return _Index(schemes, labels, ancestors, notation_of)


def _pref_label(g: Graph, concept: URIRef) -> str:
    found = list(g.objects(concept, SKOS.prefLabel))
    english = [v for v in found if isinstance(v, Literal) and v.language == "en"]
    return str((english or found or [concept])[0])


def _closure(concept: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(concept, ()))
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(parents.get(p, ()))
    return seen


def _scheme(scheme: str) -> _Scheme:
    """A scheme by short name ("position") or full IRI; an unknown scheme is a programming error."""
    schemes = _index().schemes
    found = schemes.get(scheme) or schemes.get(f"{VOCAB_BASE}{scheme}")
    if found is None:
        known = ", ".join(sorted(s.removeprefix(VOCAB_BASE) for s in schemes))
        raise ValueError(f"unknown vocabulary scheme {scheme!r} (known: {known})")
    return found


def spelling_key(text: str) -> str:
    """A spelling as the vocabularies compare it loosely (what `spellings` holds)."""
    return _key(text).casefold()


def spellings(*scheme_names: str) -> frozenset[str]:
    """Every label, alternative label and notation, as `spelling_key` gives them, of the schemes whose
    last path segment starts with one of `scheme_names` (`uhri-theme` covers every release)."""
    return frozenset(key for iri, entry in _index().schemes.items()
                     if iri.rsplit("/", 1)[-1].startswith(scheme_names) for key in entry.loose)


def concept_for(scheme: str, label: str) -> str | None:
    """The concept IRI a source spelling stands for in `scheme`, or None if the vocabulary lacks it."""
    entry = _scheme(scheme)
    key = _key(label)
    if not key:
        return None
    exact = entry.notations.get(key, set())
    if len(exact) == 1:
        return next(iter(exact))
    candidates = entry.loose.get(key.casefold(), set())
    if len(candidates) == 1:
        return next(iter(candidates))
    ancestors = _index().ancestors
    broadest = [c for c in candidates if all(c == o or c in ancestors[o] for o in candidates)]
    return broadest[0] if len(broadest) == 1 else None


def label(concept_iri: str) -> str:
    """The English preferred label of a concept (KeyError if it is not in the shipped vocabularies)."""
    return _index().labels[str(concept_iri)]


def concepts(scheme: str) -> list[str]:
    """Concept IRIs of a scheme, in notation order (numbers numerically), for stable listings."""
    notation_of = _index().notation_of

    def order(c: str) -> tuple[int, int, str]:
        n = notation_of.get(c, c)
        return (0, int(n), n) if n.isdigit() else (1, 0, n)

    return sorted(_scheme(scheme).concepts, key=order)


def is_refusal(position_iri: str) -> bool:
    """Whether a position counts as a refusal: `noted` or anything narrower (transitively).

    Raises ValueError for an IRI that is not a position, so a wrong argument is not silently "no".
    """
    iri = str(position_iri)
    if iri not in _scheme(POSITION_SCHEME).concepts:
        raise ValueError(f"not a concept of the position vocabulary: {iri!r}")
    return iri == NOTED or NOTED in _index().ancestors[iri]
