"""The options of `rightsgraph query` beyond a name and parameters: `--as-of DATE`, `-e SPARQL`, and the
output formats. Kept apart so the command in cli.py stays a thin layer over `graph.queries`.

Why the standard formats are written by pyoxigraph and not by the table renderer: they carry types and
language tags that CSV loses, and other SPARQL tools (and pandas via `pd.read_json`) read them.
"""

from __future__ import annotations

import click

from .graph import queries
from .graph.queries import NamedQuery, QueryError

ROW_FORMATS = ("table", "csv", "json")  # rendered from Python rows; csv and json as plain values
STANDARD_FORMATS = tuple(f for f in queries.FORMATS if f not in ROW_FORMATS)  # written by pyoxigraph
FORMAT_CHOICES = [*ROW_FORMATS, *STANDARD_FORMATS]


def as_of_option(f):
    return click.option(
        "--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
        help="Answer as of this date (queries with an as_of parameter, e.g. unresolved, overdue-reports).")(f)


def expression_option(f):
    return click.option(
        "-e", "--expression", "expression", default=None, metavar="SPARQL",
        help="Run this SPARQL text instead of a named query (header comments with # param ... work too).")(f)


def format_option(f):
    return click.option(
        "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table", show_default=True,
        help="table, csv or json (rows); srj, srx, tsv (SPARQL results formats, for SELECT and ASK); "
             "ttl, nt, rdfxml (for CONSTRUCT and DESCRIBE).")(f)


def query_from(name: str | None, expression: str | None) -> NamedQuery:
    """The query to run: a shipped one or a .rq file by NAME, or the text of `-e`; never both."""
    if expression is not None and name:
        raise QueryError(f"give a query NAME or -e 'SPARQL', not both (got {name!r} and an expression)")
    if expression is not None:
        return queries.adhoc(expression, "expression")
    if not name:
        raise QueryError("give a query NAME (see `rightsgraph query --list`) or -e 'SPARQL'")
    return queries.resolve(name)
