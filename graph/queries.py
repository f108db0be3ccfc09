"""Named SPARQL queries: `.rq` files with a header, run with safely bound parameters.

A query file starts with comment lines:

    # title: Responses per UPR review
    # description: Per State under review and review: ...
    # param state: state, optional. The State under review (ISO3 code or name).

Parameter types: `state` (an ISO3 code or any known name -> the State's ISO3 code), `string`,
`integer`, `date` (YYYY-MM-DD, or `today`), `iri`, `mechanism` (a mechanism key from
rightsgraph/data/reference/mechanisms.csv, or its name or short name -> the key) and `issue` (a label,
alternative label or notation of an issue or theme concept, any case -> that spelling in lower case,
which the queries compare with every label, alternative label and notation). Values
are bound with SPARQL substitution (SEP-0007) on the variable of the same name: user input is never
pasted into query text. An omitted optional parameter leaves its variable unbound, which the query
reads as "all". pyoxigraph substitutes only variables of the SELECT projection, so every parameter
variable is projected (in aggregate queries it is grouped by too): the answer then also says which
value it was computed for.

Writing queries for pyoxigraph 0.5 (measured; see docs/follow-up-status.md, "Speed"):
* a substituted variable is not seen inside a sub-SELECT unless the sub-SELECT projects it (then it
  narrows it like a join); FILTERs, BINDs and OPTIONALs of the outer query see it;
* never test an optional parameter with BOUND(?param): pyoxigraph folds BOUND of a variable that no
  pattern binds to false even when it is given; `COALESCE(STR(?param) = "", true)` is true exactly
  when it is omitted, `COALESCE(?x = ?param, true)` filters on it only when it is given;
* `BIND(?param AS ?v)` leaves ?v unbound; use the parameter itself;
* the union default graph repeats a triple once per named graph holding it: count DISTINCT, and
  make lookup sub-SELECTs DISTINCT before joining them to many rows;
* prefer `OPTIONAL { ... } FILTER(!BOUND(?x))` to `FILTER NOT EXISTS`, and OPTIONAL joins on real
  pattern variables: an OPTIONAL joined on a variable made by BIND, or an EXISTS evaluated per row,
  turns into a nested loop over the whole graph.

Results: `run` gives Python rows (`QueryResult`, `.to_dataframe()`); `serialize` gives the standard
SPARQL results formats (JSON, XML, CSV, TSV) for SELECT and ASK, and an RDF format for CONSTRUCT and
DESCRIBE, written by pyoxigraph. `adhoc` turns SPARQL text (with an optional header) into a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean

from .namespaces import XSD

_HEADER = re.compile(r"^#\s*(title|description|param)(?:\s+(\w+))?\s*:\s*(.*)$")
TYPES = ("state", "string", "integer", "date", "iri", "mechanism", "issue")


class QueryError(Exception):
    """A query that cannot be found or run as asked; the message says what to change."""


@dataclass
class Param:
    name: str
    type: str
    required: bool
    description: str
    default: str | None = None


@dataclass
class NamedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, Param] = field(default_factory=dict)
    path: str = ""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, object]]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs pandas: `pip install rightsgraph[pandas]`)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)


def parse_header(name: str, text: str, path: str = "") -> NamedQuery:
    q = NamedQuery(name=name, text=text, path=path)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, pname, value = m.groups()
        if key == "title":
            q.title = value.strip()
        elif key == "description":
            q.description = (q.description + " " + value.strip()).strip()
        elif key == "param" and pname:
            q.params[pname] = _param(name, pname, value)
    return q


def _param(query: str, name: str, spec: str) -> Param:
    head, _, desc = spec.partition(".")
    parts = [p.strip() for p in head.split(",")]
    ptype = parts[0]
    if ptype not in TYPES:
        raise QueryError(f"query {query}: parameter {name} has unknown type {ptype!r} (use one of {TYPES})")
    required = "required" in parts
    default = None
    for p in parts[1:]:
        if p.startswith("default="):
            default = p.split("=", 1)[1].strip()
    return Param(name, ptype, required, desc.strip(), default)


def shipped() -> dict[str, NamedQuery]:
    out = {}
    for f in sorted(files("rightsgraph.queries").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name[:-3]
            out[name] = parse_header(name, f.read_text(encoding="utf-8"), f"queries/{f.name}")
    return out


def resolve(name_or_file: str) -> NamedQuery:
    """A shipped query by name, or a `.rq` file by path."""
    queries = shipped()
    if name_or_file in queries:
        return queries[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query ({exc})") from None
        return parse_header(path.stem, text, str(path))
    raise QueryError(f"no query called {name_or_file!r}; `rightsgraph query --list` shows them")


def bind(query: NamedQuery, values: dict[str, str]) -> dict[str, NamedNode | Literal]:
    """Typed bindings for the query's parameters; unknown or ill-typed values are `QueryError`s."""
    unknown = set(values) - set(query.params)
    if unknown:
        known = ", ".join(query.params) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(sorted(unknown))} (parameters: {known})")
    out: dict[str, NamedNode | Literal] = {}
    for name, p in query.params.items():
        raw = values.get(name, p.default)
        if raw is None or raw == "":
            if p.required:
                raise QueryError(f"query {query.name} needs --param {name}=... ({p.description})")
            continue
        out[name] = _typed(query.name, p, raw)
    return out


def _typed(query: str, p: Param, raw: str) -> NamedNode | Literal:
    if p.type == "state":
        from .reference import states

        table = states()
        state = table.by_iso3(raw.upper()) if raw.upper() in table else table.resolve(raw)
        if state is None:
            raise QueryError(f"query {query}: {p.name}={raw!r} is not a known State (try an ISO3 code like CHN)")
        return Literal(state.iso3)
    if p.type == "mechanism":
        from .mechanisms import mechanisms

        known = mechanisms()
        key = raw.strip().lower()
        if key not in known:
            by_name = {m.short_name.lower(): k for k, m in known.items()}
            by_name |= {m.name.lower(): k for k, m in known.items()}
            key = by_name.get(key, key)
        if key not in known:
            raise QueryError(f"query {query}: {p.name}={raw!r} is not a mechanism key (known: {', '.join(known)})")
        return Literal(key)
    if p.type == "issue":
        return Literal(_issue_key(query, p.name, raw))
    if p.type == "integer":
        try:
            return Literal(str(int(raw)), datatype=NamedNode(str(XSD.integer)))
        except ValueError:
            raise QueryError(f"query {query}: {p.name}={raw!r} is not a whole number") from None
    if p.type == "date":
        value = date.today().isoformat() if raw == "today" else raw
        try:
            date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"query {query}: {p.name}={raw!r} is not a date (YYYY-MM-DD)") from None
        return Literal(value, datatype=NamedNode(str(XSD.date)))
    if p.type == "iri":
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", raw, re.I):
            raise QueryError(f"query {query}: {p.name}={raw!r} is not an IRI")
        return NamedNode(raw)
    return Literal(raw)


def _issue_key(query: str, name: str, raw: str) -> str:
    """An issue or theme as queries compare it: lower case, whitespace and apostrophes normalised.

    It must be the label, alternative label or notation of a concept of an issue or theme vocabulary
    (UPR Info issues, UHRI themes): a misspelt issue is an error, not an empty answer.
    """
    from .vocab import spelling_key, spellings

    key = spelling_key(raw)
    known = spellings("upr-info-issue", "uhri-theme")
    if key not in known:
        import difflib

        close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        raise QueryError(f"query {query}: {name}={raw!r} is not an issue or theme of the shipped vocabularies{hint}")
    return key


_XSD = str(XSD)
_CONVERT = {
    _XSD + "integer": int, _XSD + "int": int, _XSD + "long": int, _XSD + "short": int,
    _XSD + "nonNegativeInteger": int, _XSD + "positiveInteger": int,
    _XSD + "decimal": float, _XSD + "double": float, _XSD + "float": float,
    _XSD + "boolean": lambda v: v == "true",
}


def _py(term) -> object:
    """A result term as a plain Python value (numbers and booleans typed, everything else its text).

    Written for speed: it runs once per cell, tens of thousands of times for a large answer.
    """
    if term is None:
        return None
    kind = type(term)
    if kind is Literal:
        if term.language:
            return term.value
        convert = _CONVERT.get(term.datatype.value)
        if convert is None:
            return term.value
        try:
            return convert(term.value)
        except ValueError:
            return term.value
    if kind is NamedNode or kind is BlankNode:
        return term.value
    return str(term)


def with_as_of(query: NamedQuery, params: dict[str, str] | None, as_of: str | date | None) -> dict[str, str]:
    """`params` with `as_of` set: the convenience behind `run(..., as_of=...)` and `--as-of`.

    A query without an `as_of` parameter cannot answer "as of a date": that is an error, not a silent
    answer for today.
    """
    values = dict(params or {})
    if as_of is None:
        return values
    if "as_of" not in query.params:
        dated = ", ".join(n for n, q in shipped().items() if "as_of" in q.params) or "none"
        raise QueryError(f"query {query.name} has no as_of parameter (queries with one: {dated})")
    if "as_of" in values and values["as_of"] != str(as_of):
        raise QueryError(f"query {query.name}: as_of given twice ({values['as_of']} and {as_of})")
    values["as_of"] = as_of.isoformat() if isinstance(as_of, date) else str(as_of)
    return values


def adhoc(text: str, name: str = "adhoc") -> NamedQuery:
    """SPARQL text given on the command line (`-e`) or in a notebook, as a query; a header is optional."""
    if not text.strip():
        raise QueryError("the query text is empty")
    return parse_header(name, text, f"<{name}>")


def _execute(store, query: NamedQuery | str, params: dict[str, str] | None, as_of: str | date | None):
    q = resolve(query) if isinstance(query, str) else query
    bindings = bind(q, with_as_of(q, params, as_of))
    try:
        return q, store.query(q.text, bindings)
    except SyntaxError as exc:
        raise QueryError(f"{q.path or q.name}: SPARQL syntax error: {exc}") from None


def _failed(q: NamedQuery, exc: Exception) -> QueryError:
    """pyoxigraph evaluates lazily: a failure while the rows are read (a SERVICE that cannot be reached,
    a store gone) is still the query's, said in one line."""
    return QueryError(f"{q.path or q.name}: the query failed while running: {exc}")


def run(store, query: NamedQuery | str, params: dict[str, str] | None = None, *,
        as_of: str | date | None = None) -> QueryResult:
    """Run a named query (or a NamedQuery) and return plain Python rows.

    `as_of` (a date or YYYY-MM-DD) sets the query's `as_of` parameter: `run(store, "unresolved",
    {"state": "CHN"}, as_of="2024-06-25")`.
    """
    q, result = _execute(store, query, params, as_of)
    try:
        if isinstance(result, QueryBoolean):
            return QueryResult(["result"], [{"result": bool(result)}])
        if not hasattr(result, "variables"):
            return QueryResult(["subject", "predicate", "object"],
                               [{"subject": _py(t.subject), "predicate": _py(t.predicate), "object": _py(t.object)}
                                for t in result])
        columns = [v.value for v in result.variables]
        positions = range(len(columns))
        rows = [dict(zip(columns, [_py(sol[i]) for i in positions], strict=True)) for sol in result]
    except (OSError, RuntimeError) as exc:
        raise _failed(q, exc) from None
    return QueryResult(columns, rows)


# --- standard result formats ----------------------------------------------------------------------
# SPARQL 1.1 results formats, for SELECT and ASK answers; RDF formats, for CONSTRUCT and DESCRIBE.
RESULTS_FORMATS = {"srj": "JSON", "srx": "XML", "csv": "CSV", "tsv": "TSV"}
RDF_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "rdfxml": "RDF_XML"}
FORMATS = (*RESULTS_FORMATS, *RDF_FORMATS)
FORMAT_ALIASES = {"json": "srj", "xml": "srx", "turtle": "ttl", "ntriples": "nt"}


def serialize(store, query: NamedQuery | str, params: dict[str, str] | None = None, fmt: str = "srj", *,
              as_of: str | date | None = None) -> bytes:
    """The answer in a standard format, written by pyoxigraph (no Python row building): SPARQL 1.1
    Query Results JSON (`srj`), XML (`srx`), CSV or TSV for SELECT and ASK; Turtle, N-Triples or
    RDF/XML for CONSTRUCT and DESCRIBE. A format of the other kind is an error, not a silent switch.
    """
    from pyoxigraph import QueryResultsFormat, RdfFormat
    from pyoxigraph import serialize as rdf_serialize

    name = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    if name not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r} (use one of {', '.join(FORMATS)})")
    q, result = _execute(store, query, params, as_of)
    tabular = isinstance(result, QueryBoolean) or hasattr(result, "variables")
    if tabular and name not in RESULTS_FORMATS:
        raise QueryError(f"{name} is an RDF format; a SELECT or ASK answer is written as {', '.join(RESULTS_FORMATS)}")
    if not tabular and name not in RDF_FORMATS:
        raise QueryError(f"{name} is a results format; a CONSTRUCT or DESCRIBE answer is a graph, written as "
                         f"{', '.join(RDF_FORMATS)}")
    try:
        if tabular:
            return result.serialize(format=getattr(QueryResultsFormat, RESULTS_FORMATS[name]))
        return rdf_serialize(list(result), format=getattr(RdfFormat, RDF_FORMATS[name]))
    except (OSError, RuntimeError) as exc:
        raise _failed(q, exc) from None
