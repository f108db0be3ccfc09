"""Named SPARQL queries: `.rq` files with a header, run with safely bound parameters.

A query file starts with comment lines:

    # title: Responses per UPR review
    # description: Per State under review and review: ...
    # param state: state, optional. The State under review (ISO3 code or name).

Parameter types: `state` (an ISO3 code or any known name -> the State's ISO3 code), `string`,
`integer`, `date`, `iri`. Values are bound with SPARQL substitution (SEP-0007) on the
variable of the same name: user input is never pasted into query text. An omitted optional
parameter leaves its variable unbound, which the query reads as "all". pyoxigraph substitutes
only variables of the SELECT projection, so every parameter variable is projected (in aggregate
queries it is grouped by too): the answer then also says which value it was computed for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, Triple

from .namespaces import XSD

_HEADER = re.compile(r"^#\s*(title|description|param)(?:\s+(\w+))?\s*:\s*(.*)$")
TYPES = ("state", "string", "integer", "date", "iri", "mechanism")


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
            by_name = {m.short_name.lower(): k for k, m in known.items()} | {m.name.lower(): k for k, m in known.items()}
            key = by_name.get(key, key)
        if key not in known:
            raise QueryError(f"query {query}: {p.name}={raw!r} is not a mechanism key (known: {', '.join(known)})")
        return Literal(key)
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


def _py(term) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt == str(XSD.integer):
            return int(term.value)
        if dt == str(XSD.decimal) or dt == str(XSD.double):
            return float(term.value)
        if dt == str(XSD.boolean):
            return term.value == "true"
        return term.value
    if isinstance(term, (NamedNode, BlankNode)):
        return term.value
    if isinstance(term, Triple):
        return str(term)
    return str(term)


def run(store, query: NamedQuery | str, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query (or a NamedQuery) and return plain Python rows."""
    q = resolve(query) if isinstance(query, str) else query
    bindings = bind(q, params or {})
    try:
        result = store.query(q.text, bindings)
    except SyntaxError as exc:
        raise QueryError(f"{q.path or q.name}: SPARQL syntax error: {exc}") from None
    if isinstance(result, QueryBoolean):
        return QueryResult(["result"], [{"result": bool(result)}])
    if not hasattr(result, "variables"):
        triples = list(result)
        return QueryResult(["subject", "predicate", "object"],
                           [{"subject": _py(t.subject), "predicate": _py(t.predicate), "object": _py(t.object)}
                            for t in triples])
    columns = [v.value for v in result.variables]
    rows = [{c: _py(sol[c]) for c in columns} for sol in result]
    return QueryResult(columns, rows)
