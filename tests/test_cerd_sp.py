"""CERD decisions and special-procedure calls (curated YAML): records, rejections, load errors."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import snapshot
from rightsgraph.graph.iris import Iris
from rightsgraph.graph.namespaces import RG
from rightsgraph.graph.pipeline import load_files
from rightsgraph.loaders.base import LoadContext, LoadError
from rightsgraph.loaders.registry import detect, get

FIXTURES = Path(__file__).parent / "fixtures" / "followup"
IRIS = Iris()
GYEARMONTH = "http://www.w3.org/2001/XMLSchema#gYearMonth"
QUOTE = ("On 3 March 2023, the Committee on the Elimination of Racial Discrimination adopted an early-warning "
         "decision asking France to stop the forced evictions.")
HEAD = """\
documents:
  stmt: {title: A statement used by the tests, date: 2023-04-01, issuer: Test NGO, file: statement.txt}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file next to a copy of the fixture statement (so `file: statement.txt` resolves)."""
    shutil.copy(FIXTURES / "statement.txt", tmp_path / "statement.txt")
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(path: Path):
    return detect(path).load(path, LoadContext())


def objects(result, subject: str, predicate) -> set[str]:
    return {t.object.value for t in result.triples
            if t.subject.value == subject and t.predicate.value == str(predicate)}


# --- good files -------------------------------------------------------------------------------------
def test_cerd_fixture_loads_every_record():
    result = load(FIXTURES / "cerd-good.yaml")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    decision = IRIS.curated("cerd-decision", "cerd-2023-03-03-fra")
    assert objects(result, decision, RG.addressedTo) == {IRIS.state("FRA")}
    assert objects(result, decision, RG.issuedBy) == {IRIS.mechanism("cerd")}
    assert objects(result, decision, RG.procedure) == {"https://w3id.org/rightsgraph/vocab/cerd-procedure/early-warning"}
    assert objects(result, decision, RG.quote) == {QUOTE}
    referral = IRIS.curated("cerd-decision", "cerd-2023-referral")
    assert objects(result, referral, RG.addressedTo) == {
        IRIS.mechanism("special-adviser-prevention-of-genocide"),
        "https://w3id.org/rightsgraph/vocab/addressee/international-community"}
    dates = [t.object for t in result.triples if t.subject.value == referral and t.predicate.value.endswith("/date")]
    assert [(d.value, d.datatype.value) for d in dates] == [("2023-03", GYEARMONTH)]
    assert objects(result, referral, RG.earliestDate) == {"2023-03-01"}
    assert objects(result, referral, RG.latestDate) == {"2023-03-31"}


def test_sp_fixture_loads_calls_and_forward_repetition():
    result = load(FIXTURES / "sp-good.yaml")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    call = IRIS.curated("special-procedure-call", "sp-2021-05-call")
    repeat = IRIS.curated("special-procedure-call", "sp-2022-repeat")
    assert objects(result, repeat, RG.repeats) == {call}
    assert objects(result, call, RG.mandateHolderCount) == {"27"}
    assert objects(result, call, RG.addressedTo) == {
        "https://w3id.org/rightsgraph/vocab/addressee/un-member-states", IRIS.mechanism("hrc")}
    assert objects(result, repeat, RG.latestDate) == {"2022-12-31"}
    assert objects(result, call, RG.requestedAction) == {
        "https://w3id.org/rightsgraph/vocab/requested-action/hrc-special-session"}


def test_detection_is_by_header_not_by_name(tmp_path):
    path = write(tmp_path, "whatever.yml", (FIXTURES / "sp-good.yaml").read_text(encoding="utf-8"))
    assert detect(path).name == "special-procedure-calls"
    assert detect(FIXTURES / "cerd-good.yaml").name == "cerd-decisions"


# --- bad records: rejected with file, record and reason; the rest loads ------------------------------
GOOD_CERD = f"""\
  - id: good
    date: 2023-03-03
    form: decision
    state: France
    addressees: [France]
    asks: to stop the forced evictions
    source: {{document: stmt, quote: "{QUOTE}"}}
"""

BAD_CERD = {
    "no id": ("date: 2023-03-03", "no id"),
    "bad date": ("id: x\n    date: 2023-13-45", "date '2023-13-45' is not a date"),
    "unknown State": ("id: x\n    state: Atlantis", "state 'Atlantis' is not a known State"),
    "unknown addressee": ("id: x\n    addressees: [the moon]", "'the moon' is neither a State"),
    "unknown mechanism": ("id: x\n    addressees: [{mechanism: un-moon-office}]", "no mechanism with key"),
    "unknown form": ("id: x\n    form: tweet", "form 'tweet' is not in vocab/cerd-action"),
    "no asks": ("id: x\n    asks: ''", "asks is missing"),
    "no source": ("id: x\n    source: ~", "source is missing"),
    "unknown document": ("id: x\n    source: {document: nope, quote: a long enough quote}", "not a key of 'documents'"),
    "quote not in source": ("id: x\n    source: {document: stmt, quote: The Committee said something else entirely.}",
                            "quote not found in statement.txt"),
    "unknown field": ("id: x\n    colour: blue", "unknown field(s) colour"),
    "bad id": ("id: 'a b'", "may only contain"),
}


@pytest.mark.parametrize("case", sorted(BAD_CERD))
def test_bad_cerd_record_is_rejected_with_reason(tmp_path, case):
    override, reason = BAD_CERD[case]
    lines = dict(line.strip().split(":", 1) for line in GOOD_CERD.strip().splitlines()[1:] if ":" in line)
    lines = {k.strip(): v.strip() for k, v in lines.items()}
    lines["id"] = "bad"
    for line in override.splitlines():
        k, v = line.strip().split(":", 1)
        lines[k.strip()] = v.strip()
    if case == "no id":
        del lines["id"]
    bad = "  - " + "\n    ".join(f"{k}: {v}" for k, v in lines.items()) + "\n"
    path = write(tmp_path, "cerd.yaml",
                 "rightsgraph-format: cerd-decisions/1\n" + HEAD + "decisions:\n" + GOOD_CERD + bad)
    result = load(path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    rejection = result.rejections[0]
    assert reason in rejection.reason
    assert rejection.file == "cerd.yaml" and rejection.row.startswith("2")
    assert "\n" not in str(rejection)


def test_duplicate_id_is_rejected(tmp_path):
    path = write(tmp_path, "cerd.yaml", "rightsgraph-format: cerd-decisions/1\n" + HEAD + "decisions:\n"
                 + GOOD_CERD + GOOD_CERD)
    result = load(path)
    assert result.rows_loaded == 1
    assert str(result.rejections[0]) == "cerd.yaml: row 2 (good): id 'good' is used twice (also record 1 (good))"


def call(rid: str, extra: str = "", holders: str = "mandate_holders: {count: 2}") -> str:
    return f"""\
  - id: {rid}
    date: 2021-05
    form: public statement
    {holders}
    addressees: [member states]
    asks: to hold a special session
    {extra}
    source: {{document: stmt, quote: "The experts repeated the call in 2022."}}
"""


@pytest.mark.parametrize("records, reason", [
    (call("a", holders="state: France"), "mandate_holders is missing"),
    (call("a", holders="mandate_holders: {count: 1, mandates: [one, two]}"), "names 2 mandates but count is 1"),
    (call("a", holders="mandate_holders: {}"), "mandate_holders says nothing"),
    (call("a", holders="mandate_holders: {count: many}"), "count 'many' is not a whole number"),
    (call("a", holders="mandate_holders: {count: 3, who: x}"), "unknown field(s) who"),
    (call("a", "repeats: nowhere"), "repeats 'nowhere' is not the id of a call in this file"),
    (call("a", "repeats: a"), "repeats names this record itself"),
])
def test_bad_call_is_rejected(tmp_path, records, reason):
    path = write(tmp_path, "sp.yaml", "rightsgraph-format: special-procedure-calls/1\n" + HEAD + "calls:\n"
                 + call("ok") + records)
    result = load(path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert reason in result.rejections[0].reason


def test_repetition_of_a_rejected_call_is_rejected_too(tmp_path):
    records = (call("first", holders="mandate_holders: {count: zero}") + call("second", "repeats: first")
               + call("third", "repeats: second"))
    path = write(tmp_path, "sp.yaml", "rightsgraph-format: special-procedure-calls/1\n" + HEAD + "calls:\n" + records)
    result = load(path)
    assert result.rows_loaded == 0 and result.reconciles
    reasons = {r.row.split()[1]: r.reason for r in result.rejections}
    assert reasons["(second)"] == "repeats 'first', a call that was rejected"
    assert reasons["(third)"] == "repeats 'second', a call that was rejected"


# --- malformed files: one LoadError, nothing loaded -------------------------------------------------
MALFORMED = {
    "not YAML": ("rightsgraph-format: cerd-decisions/1\ndecisions: [\n", "line 3: not valid YAML"),
    "no header": ("documents: {}\ndecisions: []\n", "no 'rightsgraph-format: cerd-decisions/1' line"),
    "other version": ("rightsgraph-format: cerd-decisions/7\ndecisions: []\n", "version 7 of cerd-decisions"),
    "section not a list": ("rightsgraph-format: cerd-decisions/1\ndecisions: {a: 1}\n", "must be a list of records"),
    "no records": ("rightsgraph-format: cerd-decisions/1\ndecisions: []\n", "no records"),
    "unknown top key": ("rightsgraph-format: cerd-decisions/1\ncalls: []\n", "unknown top-level key(s) calls"),
    "scalar file": ("rightsgraph-format: cerd-decisions/1\n", "no records"),
    "document without date": ("rightsgraph-format: cerd-decisions/1\ndocuments:\n  d: {title: T, issuer: X}\n"
                              "decisions: [{id: a}]\n", "documents: d: needs date"),
    "document file missing": ("rightsgraph-format: cerd-decisions/1\ndocuments:\n  d: {title: T, issuer: X, "
                              "date: 2020, file: nope.txt}\ndecisions: [{id: a}]\n", "file 'nope.txt' not found"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_one_load_error(tmp_path, case):
    text, problem = MALFORMED[case]
    path = tmp_path / "cerd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        get("cerd-decisions").load(path, LoadContext())
    assert problem in str(info.value)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_binary_file_is_a_load_error(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"rightsgraph-format: cerd-decisions/1\n\xff\xfe\x00garbage")
    with pytest.raises(LoadError, match="not UTF-8"):
        get("cerd-decisions").load(path, LoadContext())


def test_a_bad_file_leaves_the_store_unchanged(store, tmp_path):
    load_files(store, [FIXTURES / "sp-good.yaml"])
    before = snapshot(store)
    bad = tmp_path / "bad.yaml"
    bad.write_text("rightsgraph-format: cerd-decisions/1\ndecisions: [\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_files(store, [FIXTURES / "cerd-good.yaml", bad])
    assert snapshot(store) == before


def test_cli_reports_a_broken_file_in_one_line(tmp_path):
    from rightsgraph.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("rightsgraph-format: special-procedure-calls/1\ncalls: 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(bad), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "calls: must be a list of records" in result.output and "nothing was loaded" in result.output


def test_loaded_fixtures_conform_to_the_shapes(store):
    from rightsgraph.graph.validate import validate
    from test_china_case import with_mechanisms

    load_files(store, [FIXTURES / "cerd-good.yaml", FIXTURES / "sp-good.yaml"])
    with_mechanisms(store)
    result = validate(store)
    assert result.conforms, [(f.shape, f.message, f.focus) for f in result.findings]
