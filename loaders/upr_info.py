"""UPR Info database exports (CSV or XLS): recommendations and voluntary pledges.

One row is one recommendation *and one recommending State*. Rows of one review with the same
wording (compared after `normalise_text`) and the same response become one recommendation with
several recommending States; the same wording with a *different* response is a different
recommendation (e.g. Tonga, session 15: "Ratify CEDAW" supported from Australia, noted from
Maldives and Slovenia) and gets its own IRI. Rows whose Response is "Voluntary Pledge" are the
State's own pledges (`rg:VoluntaryPledge`).
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.iris import normalise_text
from ..graph.namespaces import RDF, RDFS, RG
from ..graph.rdf import lit, triple
from ..graph.reference import State, UprSessions, states
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .registry import register
from .tables import head_line, read_table
from .upr_records import recommendation_triples, response_triples

# Canonical column -> header spellings seen in UPR Info exports (CSV "To", XLS "SuR", ...).
COLUMNS: dict[str, tuple[str, ...]] = {
    "to": ("to", "sur", "state under review"),
    "text": ("text", "recommendation"),
    "from": ("from", "rs", "recommending state"),
    "response": ("response",),
    "action": ("action", "action category"),
    "issue": ("issue", "issues"),
    "session": ("session",),
}
UNKNOWN_RECOMMENDER = "(unknown)"
PLEDGE = "voluntary pledge"
SOURCE = "https://w3id.org/rightsgraph/source/upr-info-database"


def column_index(header: list[str]) -> dict[str, int] | None:
    """Where each canonical column is, or None if the header is not a UPR Info export's."""
    lowered = [h.strip().lower() for h in header]
    index: dict[str, int] = {}
    for name, spellings in COLUMNS.items():
        for i, h in enumerate(lowered):
            if h in spellings:
                index[name] = i
                break
    return index if len(index) == len(COLUMNS) else None


@dataclass
class _Item:
    """Rows merged into one recommendation or pledge."""

    kind: str
    review: tuple[str, int]
    text: str
    position: str | None
    action: str | None
    recommenders: list[str] = field(default_factory=list)
    unknown_recommender: bool = False
    issues: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@register
class UprInfoLoader(Loader):
    name = "upr-info"
    version = "1"
    description = "UPR Info database export (CSV or XLS): To, Text, From, Response, Action, Issue, Session"
    extensions = (".csv", ".xls", ".xlsx")

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() not in self.extensions:
            return False
        if path.suffix.lower() == ".csv":
            return column_index(head_line(path).split(",")) is not None
        return column_index(read_table(path).header) is not None

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        table = read_table(path)
        cols = column_index(table.header)
        if cols is None:
            missing = [n for n, s in COLUMNS.items() if not any(h.strip().lower() in s for h in table.header)]
            raise LoadError(path, "row 1 (header)",
                            f"not a UPR Info export: no column for {', '.join(missing)} "
                            f"(found: {', '.join(table.header)})")
        result = LoadResult(path, self.name, self.graph_key(path))
        sessions = UprSessions.load()
        table_states = states()
        items: dict[tuple, _Item] = {}
        rows = table.rows[: ctx.limit] if ctx.limit else table.rows
        total = len(rows)
        width = len(table.header)
        for n, (rownum, cells) in enumerate(rows, start=1):
            result.rows_read += 1
            if ctx.progress and n % 2000 == 0:
                ctx.progress(n, total)
            try:
                if len(cells) != width and (len(cells) < width or any(c.strip() for c in cells[width:])):
                    raise RowRejected(f"row has {len(cells)} cells where the header has {width}: "
                                      "truncated or misquoted")
                self._row(cells, cols, sessions, table_states, items, rownum)
            except RowRejected as exc:
                result.reject(rownum, str(exc))
                continue
            result.rows_loaded += 1
        if ctx.progress:
            ctx.progress(total, total)
        result.triples = self._triples(items, ctx, path.name, ctx.iris.graph(result.graph_key))
        for item in items.values():
            result.records[item.kind] += 1
        return result

    # --- rows -> items ----------------------------------------------------------------------
    def _row(self, cells: list[str], cols: dict[str, int], sessions: UprSessions, table_states,
             items: dict[tuple, _Item], rownum: int) -> None:
        def cell(name: str) -> str:
            return html.unescape(cells[cols[name]]).strip()

        to_name = cell("to")
        to = table_states.resolve(to_name)
        if to is None:
            raise RowRejected(f"unknown State under review {to_name!r}")
        session_text = cell("session")
        try:
            session = int(float(session_text))
        except ValueError:
            raise RowRejected(f"session {session_text!r} is not a number") from None
        if session not in sessions:
            raise RowRejected(f"no UPR session {session} in the reference data")
        text = " ".join(cell("text").split())
        if not text:
            raise RowRejected("empty recommendation text")
        response = cell("response")
        is_pledge = response.lower() == PLEDGE
        position = None
        if not is_pledge:
            position = vocab.concept_for("position", response) if response else vocab.concept_for(
                "position", "pending")
            if position is None:
                raise RowRejected(f"unknown response {response!r}")
        action_text = cell("action")
        action = None
        if action_text:
            try:
                action = vocab.concept_for("action-category", str(int(float(action_text))))
            except ValueError:
                action = None
            if action is None:
                raise RowRejected(f"action category {action_text!r} is not one of 1-5")
        issues = []
        for label in (p.strip() for p in cell("issue").split(",")):
            if not label:
                continue
            concept = vocab.concept_for("upr-info-issue", label)
            if concept is None:
                raise RowRejected(f"unknown UPR Info issue {label!r}")
            issues.append(concept)
        from_name = cell("from")
        recommender: State | None = None
        unknown = from_name.lower() == UNKNOWN_RECOMMENDER
        if not unknown:
            recommender = table_states.resolve(from_name)
            if recommender is None:
                who = "pledging" if is_pledge else "recommending"
                raise RowRejected(f"unknown {who} State {from_name!r}")
        kind = "pledge" if is_pledge else "recommendation"
        key = (kind, to.iso3, session, normalise_text(text), position)
        item = items.get(key)
        if item is None:
            item = items[key] = _Item(kind, (to.iso3, session), text, position, action)
        if recommender is not None and recommender.iso3 not in item.recommenders:
            item.recommenders.append(recommender.iso3)
        item.unknown_recommender |= unknown
        for concept in issues:
            if concept not in item.issues:
                item.issues.append(concept)
        if item.action is None:
            item.action = action
        item.rows.append(rownum)

    # --- items -> triples -------------------------------------------------------------------
    def _triples(self, items: dict[tuple, _Item], ctx: LoadContext, file_name: str,
                 graph: str) -> list[Triple]:
        iris = ctx.iris
        sessions = UprSessions.load()
        table_states = states()
        out: list[Triple] = []
        reviews: set[tuple[str, int]] = set()
        variants: dict[tuple, int] = defaultdict(int)
        for (kind, iso3, session, norm, _position), item in items.items():
            review = iris.upr_review(iso3, session)
            state = iris.state(iso3)
            if (iso3, session) not in reviews:
                reviews.add((iso3, session))
                name = table_states.by_iso3(iso3).names.get("en", iso3)
                out += [
                    triple(review, RDF.type, RG.UPRReview),
                    triple(review, RG.stateUnderReview, state),
                    triple(review, RG.session, iris.upr_session(session)),
                    triple(review, RDFS.label,
                           lit(f"UPR review of {name}, session {session} ({sessions.year(session)})",
                               lang="en")),
                ]
            variant = variants[(kind, iso3, session, norm)]
            variants[(kind, iso3, session, norm)] += 1
            if kind == "pledge":
                node = iris.pledge(review, item.text, variant)
            else:
                node = iris.upr_recommendation(review, text=item.text, variant=variant)
            out += recommendation_triples(node, review=review, state=state, text=item.text, source=SOURCE,
                                          graph=graph, recommenders=[iris.state(s) for s in item.recommenders],
                                          rows=[f"{file_name}#row={r}" for r in item.rows], pledge=kind == "pledge")
            if kind != "pledge":
                if item.unknown_recommender:
                    out.append(triple(node, RG.recommendingStateUnknown, lit(True)))
                response = iris.response(node, self.name)
                out += response_triples(node, response, position=item.position, respondent=state, source=SOURCE)
            if item.action:
                out.append(triple(node, RG.actionCategory, item.action))
            out += [triple(node, RG.issue, c) for c in item.issues]
        return out
