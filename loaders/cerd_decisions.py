"""CERD early-warning and urgent-action decisions, letters, statements and referrals (curated YAML).

No machine-readable list of these exists, so researchers record them in the documented format
docs/formats/cerd-decisions.md (`rightsgraph-format: cerd-decisions/1`): one record per decision,
letter, statement or referral, with its date (as precisely as the source gives it), the State it
concerns, to whom it is addressed (the State party, or the UN body or official a situation is
referred to), what it asks, and the source document with the quoted sentence. Each record becomes
an `rg:CERDDecision` issued by CERD (`Iris.mechanism("cerd")`).
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Triple

from ..graph import vocab
from ..graph.namespaces import DCTERMS, RDF, RDFS, RG
from ..graph.rdf import lit, triple
from .base import LoadContext, Loader, LoadResult
from .curated import YAML_EXTENSIONS, Record, load_records, provenance, sniff_yaml, when_triples
from .registry import register

FORMAT = "cerd-decisions"
FIELDS = frozenset({"id", "date", "form", "procedure", "state", "addressees", "asks", "requested_actions",
                    "symbol", "issued_in", "source"})


def item_core(r: Record, node: str, cls, issuer: str, graph: str, rid: str) -> tuple[list[Triple], str]:
    """What every curated follow-up item records: type, date, issuer, addressees, State concerned, asks,
    the issuing document if given, and source with quote. Returns the triples and the text asked."""
    w = r.date("date")
    addressees = r.addressees()
    asks = r.text("asks")
    out = [triple(node, RDF.type, cls), triple(node, RG.issuedBy, issuer), *when_triples(node, w),
           *(triple(node, RG.addressedTo, a) for a in addressees),
           triple(node, RG.text, lit(asks, lang="en"))]
    state = r.state("state", required=cls == RG.CERDDecision)
    if state is not None:
        out.append(triple(node, RG.concernsState, r.iris.state(state.iso3)))
    out += [triple(node, RG.requestedAction, c) for c in r.concepts("requested_actions", "requested-action")]
    if r.data.get("issued_in"):
        issued_in = r.document("issued_in")
        out += [triple(node, RG.issuedIn, issued_in.iri), *issued_in.triples]
    doc, quote = r.source()
    return out + provenance(node, r, rid, doc, quote, graph), asks


def _decision(r: Record, rid: str, graph: str) -> tuple[str, list[Triple]]:
    r.allowed = FIELDS
    r.check_fields()
    node = r.iris.curated("cerd-decision", rid)
    out, _asks = item_core(r, node, RG.CERDDecision, r.iris.mechanism("cerd"), graph, rid)
    form = r.concept("form", "cerd-action")
    out.append(triple(node, RG.form, form))
    out += [triple(node, RG.procedure, c) for c in r.concepts("procedure", "cerd-procedure")]
    if symbol := r.text("symbol", required=False):
        out.append(triple(node, DCTERMS.identifier, lit(symbol)))
    state = r.state("state")
    out.append(triple(node, RDFS.label, lit(f"CERD {vocab.label(form)} on {state.name} "
                                            f"({r.date('date').text})", lang="en")))
    return "CERD decision", out


@register
class CerdDecisionsLoader(Loader):
    name = "cerd-decisions"
    version = "1"
    description = ("CERD early-warning / urgent-action decisions, letters, statements and referrals (YAML, "
                   "'rightsgraph-format: cerd-decisions/1')")
    extensions = YAML_EXTENSIONS

    def sniff(self, path: Path) -> bool:
        return sniff_yaml(path, FORMAT)

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        return load_records(self, path, ctx, fmt=FORMAT, sections={"decisions": _decision})
