"""The UN human-rights mechanisms as reference records (ORG organisations under the data base).

Every module refers to a mechanism by `Iris.mechanism(key)`; this module writes what those IRIs
denote, from `rightsgraph/data/reference/mechanisms.csv` (key, name, short name, mechanism type,
instruments monitored, source). Mechanisms are data, not vocabulary: their IRIs follow the
configurable base like States. What kind of mechanism each is (`org:classification`, a concept of
vocab/mechanism-type) and which instruments it monitors (`rg:monitors`, concepts of
vocab/treaty-instrument) link them to the fixed vocabularies, so "which treaty body does this
State report to" is a join: State -> rg:TreatyStatus -> instrument <- rg:monitors <- mechanism.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from pyoxigraph import Triple

from .iris import Iris, vocab
from .namespaces import DCTERMS, ORG, RDF, RDFS, RG, SKOS
from .rdf import lit, triple

COLUMNS = ("key", "name", "short_name", "type", "instruments", "source")


@dataclass(frozen=True)
class Mechanism:
    key: str
    name: str
    short_name: str
    type: str | None
    instruments: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def mechanisms() -> dict[str, Mechanism]:
    """The shipped mechanisms by key, checked against the vocabularies they point into."""
    from . import vocab as vocabulary

    text = (files("rightsgraph") / "data" / "reference" / "mechanisms.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"mechanisms.csv: header must be {','.join(COLUMNS)}")
    out: dict[str, Mechanism] = {}
    for row in reader:
        m = Mechanism(row["key"].strip(), row["name"].strip(), row["short_name"].strip(),
                      row["type"].strip() or None,
                      tuple(i.strip() for i in row["instruments"].split(";") if i.strip()),
                      row["source"].strip())
        if m.key in out:
            raise ValueError(f"mechanisms.csv: key {m.key!r} twice")
        if m.type and vocabulary.concept_for("mechanism-type", m.type) != vocab("mechanism-type", m.type):
            raise ValueError(f"mechanisms.csv: {m.key}: {m.type!r} is not a mechanism-type notation")
        for i in m.instruments:
            if vocabulary.concept_for("treaty-instrument", i) != vocab("treaty-instrument", i):
                raise ValueError(f"mechanisms.csv: {m.key}: {i!r} is not a treaty-instrument notation")
        out[m.key] = m
    return out


def monitoring(instrument: str) -> str | None:
    """The key of the mechanism monitoring `instrument` (a treaty-instrument notation), if any."""
    for m in mechanisms().values():
        if instrument in m.instruments:
            return m.key
    return None


def mechanism_triples(iris: Iris) -> list[Triple]:
    """The RDF of every mechanism, for the reference graph."""
    out: list[Triple] = []
    for m in mechanisms().values():
        s = iris.mechanism(m.key)
        out += [
            triple(s, RDF.type, RG.Mechanism),
            triple(s, RDF.type, ORG.Organization),
            triple(s, SKOS.prefLabel, lit(m.name, lang="en")),
            triple(s, RDFS.label, lit(m.name, lang="en")),
            triple(s, DCTERMS.identifier, lit(m.key)),
            triple(s, DCTERMS.source, m.source),
        ]
        if m.short_name and m.short_name != m.name:
            out.append(triple(s, SKOS.altLabel, lit(m.short_name, lang="en")))
        if m.type:
            out.append(triple(s, ORG.classification, vocab("mechanism-type", m.type)))
        out += [triple(s, RG.monitors, vocab("treaty-instrument", i)) for i in m.instruments]
    return out


__all__ = ["Mechanism", "mechanism_triples", "mechanisms", "monitoring"]
