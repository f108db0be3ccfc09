"""Reconciliation: the same UPR recommendation from several sources becomes one recommendation.

A derived step, run after every successful load (`pipeline.POST_LOAD`); loaders never read the
store. For each UPR review the load touched whose records come from more than one named graph, it
(re)computes that review's part of the `reconciliation` graph:

* records with an OHCHR paragraph number (`{report}/rec/{paragraph}`, from the matrices and the UHRI)
  are the recommendations; the matrix and the UHRI give the same node for the same paragraph;
* every record without one (UPR Info: one per recommending State and wording, hence 284 UPR Info
  records for the 252 paragraphs of China's 2013 review, whose paragraphs group several States'
  wordings) is matched to the paragraph whose wording it is, compared after `normalise_text` (case,
  punctuation and all spaces dropped, so "p lan" = "plan"), segment by segment (a paragraph's
  wordings each end with their States), then by similarity; the record gets `rg:mergedInto` the
  paragraph, with `rg:matchMethod`;
* a match needs the recommending States to agree (overlap) and to be unique: a wording shared by
  several paragraphs is settled by the States, then by the position, else the record stays on its
  own with `rg:unmatchedReason`. Two paragraphs are never merged with each other, and a record
  merges into one paragraph only: two different recommendations are never merged;
* the paragraph node gets every merged record's recommending States, issues and provenance, and,
  where sources record several responses, `rg:preferredResponse` (a position over none, then the
  matrix, the UHRI, UPR Info) and `rg:conflictingResponse` for each response whose position
  disagrees (a SHACL warning; `queries/position-conflicts.rq` lists them);
* a `rg:Reconciliation` node per review records what was compared, matched and left unmatched.

Queries count records without `rg:mergedInto`: each recommendation once, whichever sources hold it.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from pyoxigraph import NamedNode, Triple

from .iris import Iris, normalise_text
from .namespaces import DCTERMS, PROV, RDF, RDFS, RG, SKOS, VOCAB_BASE
from .rdf import lit, triple
from .store import EmbeddedStore, GraphWrite

SOFTWARE = "https://w3id.org/rightsgraph/software"
POSITION = f"{VOCAB_BASE}position"
PENDING = f"{VOCAB_BASE}position/pending"
# Which source's response counts when several are recorded (lower first); see rg:preferredResponse.
SOURCE_RANK = {"ohchr-matrix": 0, "uhri": 1, "upr-info": 2}
SIMILAR = 0.90  # minimum similarity of normalised wordings for a "similar wording" match
MARGIN = 0.03  # ... and by how much it must beat the next paragraph
MIN_FUZZY = 25  # characters (normalised): shorter wordings ("ratifycedaw") only match exactly
MIN_CONTAINED = 40
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_PREFIXES = {"rg": str(RG), "prov": str(PROV), "dct": str(DCTERMS), "rdf": str(RDF)}


# --- records as read from the store ------------------------------------------------------------
@dataclass
class Response:
    iri: str
    graph: str
    position: str
    top: str
    loader: str
    provisional: bool = False

    @property
    def rank(self) -> tuple:
        source = SOURCE_RANK.get(self.loader, 9)
        if self.loader == "uhri" and self.provisional:
            source = 3
        return (self.top == PENDING, source, self.iri)


@dataclass
class Record:
    """One recommendation record of a review, over every source graph that holds it."""

    iri: str
    graphs: set[str] = field(default_factory=set)
    loaders: set[str] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)  # graph -> wording
    paragraph: str | None = None
    states: set[str] = field(default_factory=set)
    issues: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    responses: dict[str, Response] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return next(iter(sorted(self.texts.items())))[1] if self.texts else ""

    @property
    def rank(self) -> int:
        """Which source's node is canonical when two paragraph records are one (lower first)."""
        return min((SOURCE_RANK.get(loader, 9) for loader in self.loaders), default=9)


@dataclass
class Unmatched:
    """A record reconciliation left on its own, and why."""

    record: str
    text: str
    source: str
    reason: str


@dataclass
class ReviewReconciliation:
    """What reconciliation did for one review (also recorded in the reconciliation graph)."""

    review: str
    label: str = ""
    records: Counter = field(default_factory=Counter)  # per source (loader: file) -> records
    compared: int = 0
    matched: int = 0
    methods: Counter = field(default_factory=Counter)
    unmatched: list[Unmatched] = field(default_factory=list)
    recommendations: int = 0
    conflicts: int = 0
    comments: list[str] = field(default_factory=list)

    @property
    def match_rate(self) -> float | None:
        return self.matched / self.compared if self.compared else None

    def summary(self) -> str:
        sources = "; ".join(f"{k}: {v}" for k, v in sorted(self.records.items()))
        rate = f"{self.match_rate:.1%}" if self.match_rate is not None else "n/a"
        text = (f"reconciled {self.label or self.review}: {sources} -> {self.recommendations} recommendations; "
                f"{self.matched}/{self.compared} records without a paragraph matched ({rate})")
        if self.unmatched:
            text += f", {len(self.unmatched)} unmatched"
        if self.conflicts:
            text += f", {self.conflicts} with conflicting positions"
        return text


# --- vocabulary helpers ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _tops() -> dict[str, str]:
    """Every position concept -> its top concept (supported, partially supported, noted, pending)."""
    from rdflib import URIRef

    from .vocab import vocab_graph

    g = vocab_graph()
    tops = {str(t) for t in g.subjects(SKOS.topConceptOf, URIRef(POSITION))}
    out: dict[str, str] = {}
    for concept in g.subjects(SKOS.inScheme, URIRef(POSITION)):
        c = str(concept)
        seen, todo = set(), [c]
        while todo:
            x = todo.pop()
            if x in tops:
                out[c] = x
                break
            seen.add(x)
            todo += [str(b) for b in g.objects(URIRef(x), SKOS.broader) if str(b) not in seen]
        out.setdefault(c, c)
    return out


def top_position(position: str) -> str:
    return _tops().get(position, position)


# --- reading ------------------------------------------------------------------------------------
def _node(value: str) -> str:
    """An IRI as SPARQL text; NamedNode checks it is an IRI, so nothing else can be pasted in."""
    return str(NamedNode(value))


def _values(name: str, iris_: list[str]) -> str:
    return f"VALUES ?{name} {{ {' '.join(_node(i) for i in iris_)} }}"


def graph_loaders(store: EmbeddedStore, iris: Iris) -> dict[str, tuple[str, str]]:
    """Loaded graph -> (loader name, file name), from the load metadata."""
    rows = store.raw.query(
        f"SELECT ?g ?loader ?file WHERE {{ GRAPH {_node(iris.meta_graph)} {{ ?load prov:generated ?g ; "
        "rg:loader ?loader ; prov:used ?f . OPTIONAL { ?f rg:fileName ?file } } }", prefixes=_PREFIXES)
    return {r["g"].value: (r["loader"].value, r["file"].value if r["file"] else "") for r in rows}


def affected_reviews(store: EmbeddedStore, iris: Iris, graphs: list[str]) -> set[str]:
    """Reviews with records in `graphs`, and reviews whose last reconciliation used one of them."""
    if not graphs:
        return set()
    found = {r["review"].value for r in store.raw.query(
        f"SELECT DISTINCT ?review WHERE {{ {_values('g', graphs)} GRAPH ?g {{ ?r rg:review ?review }} }}",
        prefixes=_PREFIXES)}
    found |= {r["review"].value for r in store.raw.query(
        f"SELECT DISTINCT ?review WHERE {{ {_values('g', graphs)} GRAPH {_node(iris.reconciliation_graph)} {{ "
        "?x a rg:Reconciliation ; rg:review ?review ; prov:used ?g } }", prefixes=_PREFIXES)}
    return found


def graphs_per_review(store: EmbeddedStore, iris: Iris, reviews: set[str]) -> dict[str, int]:
    """How many source graphs hold records of each review (one aggregate query)."""
    if not reviews:
        return {}
    recon = _node(iris.reconciliation_graph)
    rows = store.raw.query(
        f"SELECT ?review (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {_values('review', sorted(reviews))} "
        f"GRAPH ?g {{ ?r rg:review ?review }} FILTER(?g != {recon}) }} GROUP BY ?review", prefixes=_PREFIXES)
    return {r["review"].value: int(r["n"].value) for r in rows}


def read_records(store: EmbeddedStore, iris: Iris, review: str,
                 loaders: dict[str, tuple[str, str]]) -> dict[str, Record]:
    recon = iris.reconciliation_graph
    records: dict[str, Record] = {}
    # IRIs of our own minting are written into the query (pyoxigraph substitutes projected variables only)
    this = _node(review)
    for row in store.raw.query(
            "SELECT ?g ?r ?text ?para WHERE { GRAPH ?g { ?r a rg:UPRRecommendation ; rg:review " + this + " . "
            "OPTIONAL { ?r rg:text ?text } OPTIONAL { ?r rg:paragraph ?para } } }",
            prefixes=_PREFIXES):
        g = row["g"].value
        if g == recon:
            continue
        rec = records.setdefault(row["r"].value, Record(row["r"].value))
        rec.graphs.add(g)
        rec.loaders.add(loaders.get(g, ("?", ""))[0])
        if row["text"] is not None:
            rec.texts.setdefault(g, row["text"].value)
        if row["para"] is not None:
            rec.paragraph = row["para"].value
    for prop, attr in ((RG.recommendedBy, "states"), (RG.issue, "issues"), (DCTERMS.source, "sources")):
        for row in store.raw.query(
                f"SELECT ?g ?r ?o WHERE {{ GRAPH ?g {{ ?r rg:review {this} ; {_node(str(prop))} ?o }} }}",
                prefixes=_PREFIXES):
            rec = records.get(row["r"].value)
            if rec is not None and row["g"].value != recon:
                getattr(rec, attr).add(row["o"].value)
    for row in store.raw.query(
            "SELECT DISTINCT ?g ?r ?resp ?pos ?prov WHERE { GRAPH ?h { ?r rg:review " + this + " } "
            "GRAPH ?g { ?resp rg:responseTo ?r ; rg:position ?pos . OPTIONAL { ?resp rg:provisional ?prov } } }",
            prefixes=_PREFIXES):
        rec = records.get(row["r"].value)
        if rec is None or row["g"].value == recon:
            continue
        g = row["g"].value
        pos = row["pos"].value
        rec.responses.setdefault(row["resp"].value, Response(
            row["resp"].value, g, pos, top_position(pos), loaders.get(g, ("?", ""))[0],
            row["prov"] is not None and row["prov"].value == "true"))
    return records


# --- matching -----------------------------------------------------------------------------------
@dataclass
class _Key:
    canon: str
    states: frozenset[str]  # the States of this wording (empty: not stated)
    key: str


def _wordings(text: str, iris: Iris) -> list[tuple[str, frozenset[str]]]:
    """(normalised wording, its States) of every segment of a text, and of the whole text."""
    from ..loaders.upr_text import parse

    parsed = parse(text)
    out = [(normalise_text(parsed.text), frozenset(iris.state(s.iso3) for s in parsed.states))]
    if len(parsed.segments) > 1:
        out += [(s.key, frozenset(iris.state(x.iso3) for x in s.states)) for s in parsed.segments]
    out.append((normalise_text(text), frozenset()))
    return [(k, s) for k, s in dict.fromkeys(out) if k]


def _similarity(a: str, b: str) -> float:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


class _Matcher:
    def __init__(self, canon: dict[str, Record], iris: Iris) -> None:
        self.canon = canon
        self.index: dict[str, list[_Key]] = defaultdict(list)
        self.keys: list[_Key] = []
        for c in canon.values():
            for text in c.texts.values():
                for key, states in _wordings(text, iris):
                    k = _Key(c.iri, states or frozenset(c.states), key)
                    self.index[key].append(k)
                    self.keys.append(k)
        self.claimed: dict[tuple[str, str], set[str]] = defaultdict(set)  # (canon, key) -> States matched

    def label(self, canon: str) -> str:
        return self.canon[canon].paragraph or canon

    def exact(self, rec: Record, keys: list[tuple[str, frozenset[str]]]) -> tuple[list[str], str, str]:
        """(paragraph nodes, method, reason if none) for a record worded exactly like a paragraph."""
        states = frozenset(rec.states) | frozenset(s for _, st in keys for s in st)
        hits = [k for key, _ in keys for k in self.index.get(key, [])]
        if not hits:
            return [], "", ""
        agree = [k for k in hits if not states or not k.states or states & k.states]
        if not agree:
            paras = sorted({self.label(k.canon) for k in hits})
            there = _names(frozenset().union(*(k.states for k in hits)))
            return [], "", (f"same wording as paragraph {', '.join(paras)}, but the recommending States differ "
                            f"({_names(states)} here, {there} there)")
        candidates = {k.canon for k in agree}
        if len(candidates) > 1:
            narrowed = {k.canon for k in agree if states and states <= k.states}
            candidates = narrowed or candidates
        if len(candidates) > 1 and states:
            # UPR Info gives one record to a wording several States used; OHCHR may have given each
            # State its own paragraph: the record is all of them when their States partition its own.
            per = {c: frozenset().union(*(k.states for k in agree if k.canon == c)) for c in candidates}
            if all(v and v <= states for v in per.values()) and frozenset().union(*per.values()) == states and \
                    sum(len(v) for v in per.values()) == len(states):
                for k in agree:
                    self.claimed[(k.canon, k.key)] |= k.states
                return sorted(candidates), "same wording, one paragraph per State", ""
        if len(candidates) > 1:
            own = {r.top for r in rec.responses.values()}
            narrowed = {c for c in candidates if own & {r.top for r in self.canon[c].responses.values()}}
            candidates = narrowed or candidates
        if len(candidates) > 1:
            paras = ", ".join(sorted(map(self.label, candidates)))
            return [], "", (f"ambiguous: the same wording is paragraphs {paras} and neither the recommending "
                            "States nor the position tell them apart")
        (canon,) = candidates
        for k in agree:
            if k.canon == canon:
                self.claimed[(canon, k.key)] |= states
        return [canon], "same wording", ""

    def similar(self, rec: Record, keys: list[tuple[str, frozenset[str]]]) -> tuple[str | None, str, float, str]:
        states = frozenset(rec.states) | frozenset(s for _, st in keys for s in st)
        best: dict[str, tuple[float, _Key, str]] = {}
        for key, _ in keys:
            if len(key) < MIN_FUZZY:
                continue
            for k in self.keys:
                if len(k.key) < MIN_FUZZY:
                    continue
                if len(key) >= MIN_CONTAINED and key in k.key:
                    score, method = max(0.95, _similarity(key, k.key)), "contained wording"
                else:
                    score, method = _similarity(key, k.key), "similar wording"
                if score and score > best.get(k.canon, (0.0,))[0]:
                    best[k.canon] = (score, k, method)
        if not best:
            closest = self._closest(keys)
            near = f" (closest: paragraph {closest[0]}, similarity {closest[1]:.2f})" if closest else ""
            return None, "", 0.0, "no paragraph of the review has this wording" + near
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        canon, (score, k, method) = ranked[0]
        if len(ranked) > 1 and score - ranked[1][1][0] < MARGIN:
            return None, "", score, (f"ambiguous: similar to paragraphs {self.label(canon)} ({score:.2f}) and "
                                     f"{self.label(ranked[1][0])} ({ranked[1][1][0]:.2f})")
        if states and k.states and not states & k.states:
            return None, "", score, (f"similar to paragraph {self.label(canon)} ({score:.2f}), but the recommending "
                                     f"States differ ({_names(states)} here, {_names(k.states)} there)")
        taken = self.claimed.get((canon, k.key), set())
        if states and states <= taken:
            return None, "", score, (f"similar to paragraph {self.label(canon)} ({score:.2f}), whose wording from "
                                     f"{_names(states)} is already matched to another record")
        return canon, method, score, ""

    def _closest(self, keys) -> tuple[str, float] | None:
        best = None
        for key, _ in keys:
            for k in self.keys:
                m = difflib.SequenceMatcher(None, key, k.key, autojunk=False)
                if m.quick_ratio() < (best[1] if best else 0.5):
                    continue
                score = m.ratio()
                if best is None or score > best[1]:
                    best = (self.label(k.canon), score)
        return best


def _names(states: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(s.rsplit("/", 1)[-1] for s in states)) or "none"


# --- one review -------------------------------------------------------------------------------
def reconcile_review(review: str, records: dict[str, Record], iris: Iris,
                     loaders: dict[str, tuple[str, str]]) -> tuple[list[Triple], ReviewReconciliation]:
    """The reconciliation triples of one review, and what they say in Python."""
    report = ReviewReconciliation(review, label=_review_label(review))
    node = iris.reconciliation(review)
    out: list[Triple] = [
        triple(node, RDF.type, RG.Reconciliation),
        triple(node, RDF.type, PROV.Activity),
        triple(node, RG.review, review),
        triple(node, PROV.wasAssociatedWith, SOFTWARE),
        triple(node, RDFS.label, lit(f"Reconciliation of the sources of {report.label}", lang="en")),
    ]
    graphs = sorted({g for r in records.values() for g in r.graphs})
    out += [triple(node, PROV.used, g) for g in graphs]
    out += [triple(node, RG.reconciles, r) for r in sorted(records)]
    for r in records.values():
        for g in r.graphs:
            loader, file = loaders.get(g, ("?", g.rsplit("/", 1)[-1]))
            report.records[f"{loader}: {file}"] += 1

    paragraphed = {i: r for i, r in records.items() if r.paragraph}
    canon: dict[str, Record] = {}
    merged: dict[str, tuple[list[str], str, float | None]] = {}  # record -> (paragraphs, method, score)
    # paragraph records of different reports with the same paragraph number: one only if worded alike
    by_para: dict[str, list[Record]] = defaultdict(list)
    for r in paragraphed.values():
        by_para[r.paragraph or ""].append(r)
    for para, group in sorted(by_para.items()):
        group.sort(key=lambda r: (r.rank, r.iri))
        head = group[0]
        canon[head.iri] = head
        for other in group[1:]:
            report.compared += 1
            score = max((_ratio(normalise_text(a), normalise_text(b)) for a in head.texts.values()
                         for b in other.texts.values()), default=0.0)
            if score >= SIMILAR:
                merged[other.iri] = ([head.iri], "same paragraph", round(score, 3))
            else:
                canon[other.iri] = other
                report.unmatched.append(Unmatched(other.iri, other.text, _sources(other, loaders),
                                                  f"paragraph {para} is also {head.iri} with a different wording "
                                                  f"(similarity {score:.2f}): kept apart"))
    for r in canon.values():  # one node quoted by several sources: check they word it alike
        texts = list(r.texts.values())
        for a in texts[1:]:
            score = _ratio(normalise_text(texts[0]), normalise_text(a))
            if score < SIMILAR:
                report.comments.append(f"paragraph {r.paragraph}: the sources word it differently (similarity "
                                       f"{score:.2f}); check that they mean the same recommendation")

    others = sorted((r for r in records.values() if not r.paragraph), key=lambda r: r.iri)
    if canon and others:
        matcher = _Matcher(canon, iris)
        keyed = [(r, [kw for text in r.texts.values() for kw in _wordings(text, iris)]) for r in others]
        pending: list[tuple[Record, list]] = []
        reasons: dict[str, str] = {}
        for r, keys in keyed:
            report.compared += 1
            targets, method, reason = matcher.exact(r, keys)
            if targets:
                merged[r.iri] = (targets, method, None)
            elif reason:
                reasons[r.iri] = reason
            else:
                pending.append((r, keys))
        for r, keys in pending:
            target, method, score, reason = matcher.similar(r, keys)
            if target:
                merged[r.iri] = ([target], method, round(score, 3))
            else:
                reasons[r.iri] = reason
        for r, _ in keyed:
            if r.iri in reasons:
                report.unmatched.append(Unmatched(r.iri, r.text, _sources(r, loaders), reasons[r.iri]))
    elif others:
        report.comments.append("no source with paragraph numbers holds this review: nothing to match to")

    for rec_iri, (targets, method, score) in sorted(merged.items()):
        out += [triple(rec_iri, RG.mergedInto, t) for t in targets]
        out.append(triple(rec_iri, RG.matchMethod, lit(method)))
        if score is not None:
            out.append(triple(rec_iri, RG.matchScore, lit(f"{score:.3f}", datatype=str(_XSD_DECIMAL))))
        report.methods[method] += 1
    report.matched = len(merged)
    for u in report.unmatched:
        out.append(triple(u.record, RG.unmatchedReason, lit(u.reason)))

    # what the recommendation carries from the records merged into it
    absorbed: dict[str, list[Record]] = defaultdict(list)
    for rec_iri, (targets, _, _) in merged.items():
        for target in targets:
            absorbed[target].append(records[rec_iri])
    for target in sorted(set(absorbed) | {r.iri for r in records.values() if r.iri not in merged}):
        head = records[target]
        members = [head, *absorbed.get(target, [])]
        if len(members) > 1:
            whole = [m for m in members if len(merged.get(m.iri, ([],))[0]) <= 1]  # not split over paragraphs
            for s in sorted(set().union(*(m.states for m in whole)) - head.states):
                out.append(triple(target, RG.recommendedBy, s))
            for s in sorted(set().union(*(m.issues for m in members)) - head.issues):
                out.append(triple(target, RG.issue, s))
            for s in sorted(set().union(*(m.sources for m in members)) - head.sources):
                out.append(triple(target, DCTERMS.source, s))
            for g in sorted(set().union(*(m.graphs for m in members)) - head.graphs):
                out.append(triple(target, PROV.wasDerivedFrom, g))
        responses = {k: v for m in members for k, v in m.responses.items()}
        if len(responses) > 1:
            preferred = min(responses.values(), key=lambda x: x.rank)
            out.append(triple(target, RG.preferredResponse, preferred.iri))
            disagree = [x for x in responses.values() if x.top != PENDING and preferred.top != PENDING
                        and x.top != preferred.top]
            out += [triple(target, RG.conflictingResponse, x.iri) for x in sorted(disagree, key=lambda x: x.iri)]
            report.conflicts += bool(disagree)
    report.recommendations = sum(1 for r in records if r not in merged)
    out += [
        triple(node, RG.recordsCompared, lit(report.compared)),
        triple(node, RG.recordsMatched, lit(report.matched)),
        triple(node, RG.recordsUnmatched, lit(len(report.unmatched))),
        triple(node, RG.recommendationCount, lit(report.recommendations)),
    ]
    out += [triple(node, RDFS.comment, lit(c, lang="en")) for c in report.comments]
    return out, report


def _ratio(a: str, b: str) -> float:
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _sources(r: Record, loaders: dict[str, tuple[str, str]]) -> str:
    return ", ".join(sorted(f"{loaders.get(g, ('?', ''))[0]}: {loaders.get(g, ('', g))[1]}" for g in r.graphs))


def _review_label(review: str) -> str:
    parts = review.rstrip("/").split("/")
    return f"{parts[-2]} session {parts[-1]}" if len(parts) >= 2 else review


# --- the graph ------------------------------------------------------------------------------------
def reconcile(store: EmbeddedStore, iris: Iris, reviews: set[str]) -> list[ReviewReconciliation]:
    """Recompute the reconciliation of `reviews` (and drop it for those now held by one graph only)."""
    loaders = graph_loaders(store, iris)
    graph = iris.reconciliation_graph
    current = store.triples_in(graph) if graph in store.named_graphs() else []
    # what each existing Reconciliation node wrote: itself and the records it reconciles
    owned: dict[str, set[str]] = defaultdict(set)
    review_of: dict[str, str] = {}
    for t in current:
        if t.predicate.value == str(RG.review) and t.subject.value.endswith("/reconciliation"):
            review_of[t.subject.value] = t.object.value
    for t in current:
        s = t.subject.value
        if s in review_of:
            owned[review_of[s]].add(s)
            if t.predicate.value == str(RG.reconciles):
                owned[review_of[s]].add(t.object.value)
    drop = set().union(*(owned.get(r, set()) for r in reviews)) if reviews else set()
    kept = [t for t in current if t.subject.value not in drop]
    reports: list[ReviewReconciliation] = []
    new: list[Triple] = []
    several = {r for r, n in graphs_per_review(store, iris, reviews).items() if n > 1}
    for review in sorted(several):
        records = read_records(store, iris, review, loaders)
        if len({g for r in records.values() for g in r.graphs}) < 2:
            continue
        triples, report = reconcile_review(review, records, iris, loaders)
        new += triples
        reports.append(report)
    if not current and not new:
        return reports
    used = sorted({t.object.value for t in kept + new if t.predicate.value == str(PROV.used)})
    now = datetime.now(UTC)
    load = iris.load("reconciliation")
    meta = [
        triple(load, RDF.type, PROV.Activity),
        triple(load, RDFS.label, lit("Reconciliation of UPR recommendations across sources", lang="en")),
        triple(load, PROV.generated, graph),
        triple(load, PROV.wasAssociatedWith, SOFTWARE),
        triple(load, PROV.endedAtTime, lit(now)),
        triple(graph, RDF.type, PROV.Entity),
        triple(graph, PROV.wasGeneratedBy, load),
        triple(graph, DCTERMS.modified, lit(now)),
        *[triple(load, PROV.used, g) for g in used],
        *[triple(graph, PROV.wasDerivedFrom, g) for g in used],
    ]
    store.replace_graphs([GraphWrite(graph, kept + new, (load, graph), meta)], iris.meta_graph)
    return reports


def reconcile_all(store: EmbeddedStore, iris: Iris | None = None) -> list[ReviewReconciliation]:
    """Recompute the whole reconciliation graph (e.g. after graphs were dropped outside a load)."""
    iris = iris or Iris()
    reviews = {r["review"].value for r in store.raw.query(
        "SELECT DISTINCT ?review WHERE { GRAPH ?g { ?r a rg:UPRRecommendation ; rg:review ?review } }",
        prefixes=_PREFIXES)}
    reviews |= {r["review"].value for r in store.raw.query(
        f"SELECT DISTINCT ?review WHERE {{ GRAPH {_node(iris.reconciliation_graph)} {{ ?x rg:review ?review }} }}",
        prefixes=_PREFIXES)}
    return reconcile(store, iris, reviews)


def after_load(store: EmbeddedStore, iris: Iris, reports) -> None:
    """The POST_LOAD step: reconcile the reviews the load touched; a summary line per review in notes."""
    graphs = [r.graph for r in reports if not r.skipped]
    reviews = affected_reviews(store, iris, graphs)
    if not reviews:
        return
    done = reconcile(store, iris, reviews)
    if not done:
        return
    touched = [r for r in reports if not r.skipped]
    for rec in done:  # one line per review, on the first file of this load that holds it
        for r in touched:
            if any(key.endswith(f": {r.file.name}") for key in rec.records):
                r.notes.append(rec.summary())
                break


def register() -> None:
    """Add the step to `pipeline.POST_LOAD` once (importing this module does it)."""
    from .pipeline import POST_LOAD

    if after_load not in POST_LOAD:
        POST_LOAD.append(after_load)


register()
