"""The command line as a user meets it: exit codes, one-line errors, real output."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_DATA

from rightsgraph.cli import main

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_loads_validates_and_summarises(runner, tmp_path):
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "counts reconcile" in result.output
    assert "SHACL: conforms" in result.output
    assert "China" in result.output
    assert (tmp_path / "s" / "reports" / "shacl-report.ttl").exists()


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
