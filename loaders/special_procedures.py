"""Special-procedure calls and communications (curated YAML).

The documented format docs/formats/special-procedure-calls.md (`rightsgraph-format:
special-procedure-calls/1`) records one call or communication per record: its date, its form (a
public statement, or a letter to a Government), who issued it (how many mandate holders, exactly or
in the source's words, and which mandates where known), to whom it is addressed (a State, UN member
States collectively, the Human Rights Council, ...), the State it concerns, what it asks, and the
source document with the quoted sentence. A repeated call is a record of its own that names the
call it `repeats`. Each record becomes an `rg:SpecialProcedureCall` issued by the special
procedures (`Iris.mechanism("special-procedures")`).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.namespaces import DCTERMS, RDFS, RG
from ..graph.rdf import lit, triple
from .base import LoadContext, Loader, LoadError, LoadResult, RowRejected
from .cerd_decisions import item_core
from .curated import YAML_EXTENSIONS, Record, load_records, open_format, section, sniff_yaml
from .registry import register

FORMAT = "special-procedure-calls"
FIELDS = frozenset({"id", "date", "form", "mandate_holders", "state", "addressees", "asks", "requested_actions",
                    "repeats", "reference", "issued_in", "source"})
HOLDER_FIELDS = frozenset({"count", "count_as_stated", "mandates"})


def _holders(r: Record, node: str) -> list[Triple]:
    value = r.data.get("mandate_holders")
    if value is None:
        if r.data.get("repeats"):
            return []  # a repetition by "the experts": who, as in the call it repeats
        raise RowRejected("mandate_holders is missing: give count (a number), count_as_stated (the source's "
                          "words, e.g. 'more than fifty') and/or mandates")
    if not isinstance(value, dict):
        raise RowRejected("mandate_holders must be a mapping with count, count_as_stated and/or mandates")
    unknown = sorted(set(map(str, value)) - HOLDER_FIELDS)
    if unknown:
        raise RowRejected(f"mandate_holders has unknown field(s) {', '.join(unknown)} "
                          f"(allowed: {', '.join(sorted(HOLDER_FIELDS))})")
    sub = Record(value, r.number, r.file, r.documents, r.iris)
    count = sub.integer("count", required=False, minimum=1)
    stated = sub.text("count_as_stated", required=False)
    mandates = [" ".join(str(m).split()) for m in sub.items("mandates", required=False)]
    if count is None and stated is None and not mandates:
        raise RowRejected("mandate_holders says nothing: give count, count_as_stated or mandates")
    if count is not None and mandates and len(mandates) > count:
        raise RowRejected(f"mandate_holders names {len(mandates)} mandates but count is {count}")
    out = []
    if count is not None:
        out.append(triple(node, RG.mandateHolderCount, lit(count)))
    if stated:
        out.append(triple(node, RG.mandateHolderCountAsStated, lit(stated, lang="en")))
    out += [triple(node, RG.mandate, lit(m, lang="en")) for m in mandates if m]
    return out


class _Calls:
    """The mapper for one file: knows every id in it, so `repeats` can point forward or back."""

    def __init__(self, ids: set[str], all_ids: set[str]) -> None:
        self.ids = ids  # calls a repetition may point to (in the file and not rejected)
        self.all_ids = all_ids
        self.loaded: dict[str, str | None] = {}  # id -> the id it repeats

    def __call__(self, r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
        r.allowed = FIELDS
        r.check_fields()
        node = r.iris.curated("special-procedure-call", rid)
        out, _asks = item_core(r, node, RG.SpecialProcedureCall, r.iris.mechanism("special-procedures"), graph, rid)
        form = r.concept("form", "sp-action")
        out.append(triple(node, RG.form, form))
        out += _holders(r, node)
        if repeats := r.text("repeats", required=False):
            if repeats == rid:
                raise RowRejected("repeats names this record itself")
            if repeats not in self.all_ids:
                raise RowRejected(f"repeats {repeats!r} is not the id of a call in this file")
            if repeats not in self.ids:
                raise RowRejected(f"repeats {repeats!r}, a call that was rejected")
            out.append(triple(node, RG.repeats, r.iris.curated("special-procedure-call", repeats)))
        if reference := r.text("reference", required=False):
            out.append(triple(node, DCTERMS.identifier, lit(reference)))
        what = "repetition of a call" if repeats else vocab.label(form)
        out.append(triple(node, RDFS.label, lit(f"Special procedures: {what} ({r.date('date').text})", lang="en")))
        self.loaded[rid] = repeats
        return "special-procedure call", out


@register
class SpecialProcedureCallsLoader(Loader):
    name = "special-procedure-calls"
    version = "1"
    description = ("Special-procedure calls and communications (YAML, "
                   "'rightsgraph-format: special-procedure-calls/1')")
    extensions = YAML_EXTENSIONS

    def sniff(self, path: Path) -> bool:
        return sniff_yaml(path, FORMAT)

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        data = open_format(path, FORMAT, (1,))
        ids: set[str] = set()
        try:
            for raw in section(path, data, "calls", required=False):
                if isinstance(raw, dict) and raw.get("id") is not None:
                    ids.add(str(raw["id"]).strip())
        except LoadError:
            pass  # load_records reports it
        valid = set(ids)
        while True:  # a repetition of a rejected call is rejected too, however long the chain
            calls = _Calls(valid, ids)
            result = load_records(self, path, ctx, fmt=FORMAT, sections={"calls": calls})
            dangling = {rid for rid, target in calls.loaded.items() if target and target not in calls.loaded}
            if not dangling:
                return result
            valid = set(calls.loaded) - dangling
