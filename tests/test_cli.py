"""The command line as a user meets it: exit codes, one-line errors, real output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_DATA

from rightsgraph.cli import main

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def build_run(tmp_path_factory) -> tuple[str, object]:
    """`rightsgraph build` on the bundled data, run once: its output, and the store the query tests read."""
    store = str(tmp_path_factory.mktemp("built") / "s")
    return store, CliRunner().invoke(main, ["build", "--store", store])


@pytest.fixture
def built(build_run) -> str:
    store, result = build_run
    assert result.exit_code == 0, result.output
    return store


def test_build_loads_validates_and_summarises(build_run):
    store, result = build_run
    assert result.exit_code == 0, result.output
    assert "counts reconcile" in result.output
    assert "SHACL: conforms" in result.output
    assert "China" in result.output
    assert (Path(store) / "reports" / "shacl-report.ttl").exists()


def test_query_csv_output(runner, tmp_path):
    store = str(tmp_path / "s")
    assert runner.invoke(main, ["load", str(SAMPLE), "--store", store]).exit_code == 0
    result = runner.invoke(main, ["query", "response-summary", "--param", "state=China", "--format", "csv",
                                  "--store", store])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["state"], r["session"]) for r in rows] == [("CHN", "4"), ("CHN", "17")]


@pytest.mark.parametrize("args, fragment", [
    (["load", "does-not-exist.csv"], "does-not-exist.csv: no such file"),
    (["load", "--format", "nope", "x.csv"], "no loader called 'nope'"),
    (["query", "no-such-query"], "no query called 'no-such-query'"),
    (["query", "response-summary", "--param", "state=Atlantis"], "'Atlantis' is not a known State"),
    (["query", "response-summary", "--param", "colour=red"], "has no parameter colour"),
    (["query", "response-summary", "--param", "state"], "write it as NAME=VALUE"),
])
def test_user_mistakes_give_one_line_and_exit_2(runner, tmp_path, args, fragment):
    result = runner.invoke(main, [*args, "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert fragment in lines[0]


def test_broken_file_leaves_store_unchanged(runner, tmp_path):
    store = str(tmp_path / "s")
    assert runner.invoke(main, ["load", str(SAMPLE), "--store", store]).exit_code == 0
    before = runner.invoke(main, ["stats", "--store", store]).output
    bad = tmp_path / "truncated.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    result = runner.invoke(main, ["load", str(bad), "--format", "upr-info", "--store", store])
    assert result.exit_code == 2
    assert "truncated.xls" in result.output and "nothing was loaded" in result.output
    assert runner.invoke(main, ["stats", "--store", store]).output == before


def test_query_list_and_describe(runner):
    listed = runner.invoke(main, ["query", "--list"])
    assert "response-summary" in listed.output
    described = runner.invoke(main, ["query", "response-summary", "--describe"])
    assert "--param state=" in described.output


def test_query_as_of_hides_later_items(runner, built):
    def unresolved(as_of: str) -> list[dict[str, str]]:
        result = runner.invoke(main, ["query", "unresolved", "-p", "state=CHN", "--as-of", as_of,
                                      "--format", "csv", "--store", built])
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.output)))

    later, earlier = unresolved("2024-06-25"), unresolved("2021-01-01")
    assert {r["as_of"] for r in later} == {"2024-06-25"}
    # the CERD referral (Nov 2022) and the OHCHR report (Aug 2022) are unresolved in 2024, absent in 2021
    for kind in ("cerd-decision", "ohchr-recommendation"):
        assert any(r["kind"] == kind for r in later) and not any(r["kind"] == kind for r in earlier)
    assert len(earlier) < len(later)


def test_query_expression_and_standard_formats(runner, built):
    # the bundled data holds five UPR reviews (CAF 5, CHN 4 and 17, FSM 23, SVN 48: rightsgraph/data/default)
    text = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/rightsgraph/ontology#UPRReview> }"
    srj = runner.invoke(main, ["query", "-e", text, "--format", "srj", "--store", built])
    assert srj.exit_code == 0, srj.output
    assert json.loads(srj.output)["results"]["bindings"][0]["n"]["value"] == "5"
    tsv = runner.invoke(main, ["query", "-e", text, "--format", "tsv", "--store", built])
    assert tsv.exit_code == 0 and tsv.output == "?n\n5\n", tsv.output
    graph = runner.invoke(main, ["query", "-e", "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t . FILTER(?t = "
                                 "<https://w3id.org/rightsgraph/ontology#UPRReview>) }", "--format", "nt",
                                 "--store", built])
    assert graph.exit_code == 0 and len(set(graph.output.splitlines())) == 5, graph.output


@pytest.mark.parametrize("args, fragment", [
    (["query", "refusal-rate", "--as-of", "2024-06-25"], "has no as_of parameter"),
    (["query", "unresolved", "-e", "ASK {}"], "not both"),
    (["query", "-e", "SELECT WHERE {"], "expression"),
    (["query", "-e", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "--format", "srj"], "is a graph"),
    (["query", "-e", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], "failed while running"),
    (["query", "unresolved", "--as-of", "2024-13-45"], "as_of"),
])
def test_query_option_mistakes_are_one_line(runner, built, args, fragment):
    result = runner.invoke(main, [*args, "--store", built])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and fragment in lines[0], result.output


@pytest.mark.parametrize("args", [["stats"], ["query", "response-summary"], ["network", "acceptance", "CHN"],
                                  ["export", "dump", "--format", "nq"], ["validate"]])
def test_reading_a_store_that_is_not_there_is_one_line_and_creates_nothing(runner, tmp_path, args):
    """Regression: `network` opened the store for writing and left an empty store at a mistyped path."""
    missing = tmp_path / "typo"
    result = runner.invoke(main, [*args, "--store", str(missing)])
    assert result.exit_code == 2, result.output
    assert "no store here" in result.output and "Traceback" not in result.output
    assert not missing.exists()
