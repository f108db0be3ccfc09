"""Recording that something was done about an item (curated-facts `actions`), end to end on the bundled
China data: the CERD referral of November 2022 is unresolved until an action on it, then acted on.

The action's source is a small document written by the test (a format test: the project ships no
document reporting such an action, so no real fact is claimed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEFAULT_DATA
from rightsgraph.graph import queries
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.pipeline import ensure_static, load_files
from rightsgraph.graph.store import EmbeddedStore
from rightsgraph.graph.validate import validate

REFERRAL = "cerd-decision/cerd-2022-11-china-xinjiang-referral-r2p"
SENTENCE = "The Special Adviser met the Committee in March 2025 to discuss the referral."


def actions_file(tmp: Path, *records: str) -> Path:
    (tmp / "note.txt").write_text(f"Test note.\n{SENTENCE}\n", encoding="utf-8")
    path = tmp / "actions.yaml"
    path.write_text(
        "rightsgraph-format: curated-facts/1\n"
        "documents:\n"
        "  note: {title: Test note, date: 2025-04-02, issuer: rightsgraph tests, file: note.txt}\n"
        "actions:\n" + "".join(records), encoding="utf-8")
    return path


def action(rid: str, acts_on: str, *, text: str = "met the Committee on the referral", date: str = "2025-03") -> str:
    return (f"  - id: {rid}\n    acts_on: {acts_on}\n    date: {date}\n    text: {text}\n"
            f"    actor: {{addressee: international community}}\n"
            f"    source: {{document: note, quote: \"{SENTENCE}\"}}\n")


@pytest.fixture
def china() -> EmbeddedStore:
    store = EmbeddedStore(None)
    ensure_static(store, Iris())
    load_files(store, sorted(p for p in DEFAULT_DATA.iterdir() if p.is_file() and not p.name.startswith("README")))
    return store


def referral_rows(store: EmbeddedStore, as_of: str) -> list[dict]:
    rows = queries.run(store, "unresolved", {"state": "CHN", "kind": "cerd-decision"}, as_of=as_of).rows
    return [r for r in rows if str(r["item"]).endswith(REFERRAL)]


def test_an_action_resolves_the_referral_from_its_date(china, tmp_path):
    assert referral_rows(china, "2025-06-01")[0]["status"] == "not-acted-on"
    report = load_files(china, [actions_file(tmp_path, action("a1", REFERRAL))])[0]
    assert (report.rows_read, report.rows_loaded, len(report.rejections)) == (1, 1, 0)
    # the source gives a month: the item counts as acted on from its first day
    assert referral_rows(china, "2025-02-28")[0]["status"] == "not-acted-on"
    assert referral_rows(china, "2025-03-01") == []
    assert referral_rows(china, "2025-06-01") == []
    result = validate(china)
    assert result.conforms, [f for f in result.findings if f.severity == "Violation"][:3]


def test_an_action_on_an_item_not_in_the_graph_is_a_shacl_violation(china, tmp_path):
    load_files(china, [actions_file(tmp_path, action("a2", "cerd-decision/no-such-referral"))])
    result = validate(china)
    assert not result.conforms
    bad = [f for f in result.findings if f.severity == "Violation"]
    assert len(bad) == 1 and "that is in the graph" in bad[0].message


def test_an_action_on_a_upr_recommendation_is_a_shacl_violation(china, tmp_path):
    """Regression: it loaded and conformed but decided nothing (actions decide only acted-on items)."""
    rec = next(r["item"] for r in queries.run(china, "unresolved", {"state": "CHN", "kind": "upr-recommendation"},
                                              as_of="2024-06-25").rows)
    load_files(china, [actions_file(tmp_path, action("a3", rec))])
    bad = [f for f in validate(china).findings if f.severity == "Violation"]
    assert len(bad) == 1 and "not an action" in bad[0].message


def test_a_bad_action_is_a_rejected_row_with_its_reason(china, tmp_path):
    path = actions_file(tmp_path, action("ok", REFERRAL), action("no-date", REFERRAL, date="''"),
                        action("spaces", "not an iri"), action("mapping", "{item: x}"),
                        action("bad-char", '"cerd-decision/a<b>"'), action("quote", "'https://example.org/x\"y'"))
    report = load_files(china, [path])[0]
    assert (report.rows_read, report.rows_loaded) == (6, 1)
    reasons = {r.reason.split(":")[0].split(" ")[0] for r in report.rejections}
    assert len(report.rejections) == 5 and reasons == {"date", "acts_on"}, [r.reason for r in report.rejections]
