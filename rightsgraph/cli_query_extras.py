"""Additions to `rightsgraph query` (issue 5): `--as-of DATE`, `-e/--expression SPARQL` and the standard
SPARQL results formats (`--format srj|srx|tsv`, beside the existing table, csv and json).

`rightsgraph/cli.py` owns the `query` command and uses these pieces; they live apart so that the command
stays a thin layer and the options can be tested without a store.

Why the standard formats are written by pyoxigraph and not by the table renderer: they carry types and
language tags that CSV loses, and other SPARQL tools (and pandas via `pd.read_json`) read them.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from .graph import queries
from .graph.queries import NamedQuery, QueryError

FORMAT_CHOICES = ["table", "csv", "json", "srj", "srx", "tsv"]
STANDARD_FORMATS = ("srj", "srx", "tsv")


def as_of_option(f):
    """`--as-of DATE`: the date a query that has an `as_of` parameter answers for (default: today)."""
    return click.option(
        "--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
        help="Answer as of this date (queries with an as_of parameter, e.g. unresolved, overdue-reports).")(f)


def expression_option(f):
    """`-e/--expression SPARQL`: run this SPARQL text instead of a named query."""
    return click.option(
        "-e", "--expression", "expression", default=None, metavar="SPARQL",
        help="Run this SPARQL text instead of a named query (header comments with # param ... work too).")(f)


def query_from(name: str | None, expression: str | None) -> NamedQuery:
    """The query to run: a shipped one or a .rq file by NAME, or the text of `-e`; never both."""
    if expression is not None and name:
        raise QueryError(f"give a query NAME or -e 'SPARQL', not both (got {name!r} and an expression)")
    if expression is not None:
        return queries.adhoc(expression, "expression")
    if not name:
        raise QueryError("give a query NAME (see `rightsgraph query --list`) or -e 'SPARQL'")
    return queries.resolve(name)


def values_with_as_of(query: NamedQuery, values: dict[str, str], as_of: str | None) -> dict[str, str]:
    """`--param` values with `--as-of` applied; an error if the query has no as_of parameter."""
    return queries.with_as_of(query, values, as_of)


def standard_output(store, query: NamedQuery, values: dict[str, str], fmt: str) -> bytes:
    """The answer in a SPARQL results format (srj, srx, tsv; RDF for CONSTRUCT/DESCRIBE), as bytes."""
    return queries.serialize(store, query, values, fmt)


def write_standard(store, query: NamedQuery, values: dict[str, str], fmt: str, stream: BinaryIO | None = None) -> None:
    out = stream if stream is not None else sys.stdout.buffer
    out.write(standard_output(store, query, values, fmt))
    out.flush()


__all__ = ["FORMAT_CHOICES", "STANDARD_FORMATS", "as_of_option", "expression_option", "query_from",
           "standard_output", "values_with_as_of", "write_standard"]
