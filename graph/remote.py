"""A remote SPARQL 1.1 server as the store: the same interface as `EmbeddedStore`, over HTTP.

Three standard protocols, nothing server-specific:

* **SPARQL 1.1 Protocol, query**: POST form `query=...`. Queries read the union of the named graphs, as
  the embedded store does: each query names every named graph as `default-graph-uri` (and as
  `named-graph-uri`, so `GRAPH ?g` still works), which every server that follows the protocol honours
  (Oxigraph, Fuseki, GraphDB/RDF4J, Virtuoso). With `RIGHTSGRAPH_SPARQL_UNION=server` the dataset is
  left to the server (for servers configured with a union default graph, and thousands of graphs).
* **SPARQL 1.1 Protocol, update**: POST `application/sparql-update`.
* **SPARQL 1.1 Graph Store HTTP Protocol**: PUT/GET/DELETE `{gsp}?graph=IRI` with N-Triples.

Bindings (`query(sparql, bindings)`) give the same answers as the embedded store's SEP-0007 substitution:
a `VALUES` block at the end of the outermost WHERE group binds each variable, and the variable's other
uses in that scope (and in sub-SELECTs that project it, as pyoxigraph does) are replaced by the same RDF
term. Terms are serialised by pyoxigraph (IRIs validated, literals escaped), so user input is never
pasted into query text (`inject_values`). A VALUES block alone would not do: SPARQL evaluates groups
bottom-up, so a FILTER nested in an OPTIONAL (as in queries/unresolved.rq) would not see the value.

`replace_graphs` keeps the embedded store's all-or-nothing contract on servers whose update requests
are transactions (Oxigraph, Fuseki/TDB2, GraphDB): each graph is PUT to a private staging graph, then one
SPARQL update moves every staging graph onto its target and replaces the load metadata. If anything fails
before that update, nothing visible has changed and the staging graphs are dropped.

Credentials come from the environment (`RIGHTSGRAPH_SPARQL_USER`, `RIGHTSGRAPH_SPARQL_PASSWORD`; HTTP
Basic, sent with every request); every failure is a `RemoteError` with a one-line message that names the
server and what to do, never a traceback.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    Variable,
    parse,
    parse_query_results,
    serialize,
)

from .store import GraphWrite, StoreError

STAGING_PREFIX = "urn:rightsgraph:staging:"  # private graphs of an unfinished write; never listed

ENV_USER = "RIGHTSGRAPH_SPARQL_USER"
ENV_PASSWORD = "RIGHTSGRAPH_SPARQL_PASSWORD"
ENV_QUERY = "RIGHTSGRAPH_SPARQL_QUERY"
ENV_UPDATE = "RIGHTSGRAPH_SPARQL_UPDATE"
ENV_GSP = "RIGHTSGRAPH_SPARQL_GSP"
ENV_UNION = "RIGHTSGRAPH_SPARQL_UNION"  # "explicit" (default) or "server"
ENV_GRAPHS = "RIGHTSGRAPH_SPARQL_GRAPHS"  # only graphs whose IRI starts with this prefix are the store's
ENV_TIMEOUT = "RIGHTSGRAPH_SPARQL_TIMEOUT"

_JSON = "application/sparql-results+json"
_NT = "application/n-triples"
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BATCH = 20_000


class RemoteError(StoreError):
    """The server cannot be used as asked; one line naming the server and the problem."""


class PublishError(RemoteError):
    """A push that failed part-way; says which graphs were published and which were not."""

    def __init__(self, message: str, published: list[str], pending: list[str]) -> None:
        super().__init__(message)
        self.published = published
        self.pending = pending


def is_remote(location: object) -> bool:
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


# --- endpoints -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    gsp: str


def endpoints_for(location: str, env: Mapping[str, str] | None = None) -> tuple[Endpoints, str, str | None,
                                                                                 str | None]:
    """(endpoints, location without credentials, user, password) for a `--store` URL.

    The URL names the query endpoint or the dataset; update and Graph Store endpoints follow the
    server's usual layout, and `RIGHTSGRAPH_SPARQL_UPDATE` / `RIGHTSGRAPH_SPARQL_GSP` override them:

    ====================================  ==================  ================  ======================
    --store                               query               update            graph store
    ====================================  ==================  ================  ======================
    http://host:7878 (Oxigraph)           /query              /update           /store
    http://host:3030/ds/query or /sparql  /ds/query|sparql    /ds/update        /ds/data
    http://host:7200/repositories/ID      same                .../statements    .../rdf-graphs/service
    http://host:8890/sparql (Virtuoso)    /sparql             /sparql           /sparql-graph-crud
    anything else (a Fuseki dataset URL)  same                same              same
    ====================================  ==================  ================  ======================
    """
    env = os.environ if env is None else env
    parts = urllib.parse.urlsplit(location)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{location}: not an http(s) SPARQL endpoint URL")
    user = env.get(ENV_USER) or (urllib.parse.unquote(parts.username) if parts.username else None)
    password = env.get(ENV_PASSWORD) or (urllib.parse.unquote(parts.password) if parts.password else None)
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    root = f"{parts.scheme}://{netloc}"
    path = parts.path.rstrip("/")
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    head, _, last = path.rpartition("/")
    if path in ("", "/query"):  # Oxigraph server
        ep = Endpoints(root + "/query", root + "/update", root + "/store")
    elif re.search(r"/repositories/[^/]+$", path):  # GraphDB, RDF4J
        ep = Endpoints(root + path, root + path + "/statements", root + path + "/rdf-graphs/service")
    elif path == "/sparql":  # Virtuoso
        auth = "-auth" if user else ""
        ep = Endpoints(root + "/sparql" + auth, root + "/sparql" + auth, root + "/sparql-graph-crud" + auth)
    elif last in ("query", "sparql") and head:  # Fuseki: /{dataset}/query
        ep = Endpoints(root + path, root + head + "/update", root + head + "/data")
    else:  # a Fuseki dataset URL serves all three
        ep = Endpoints(root + path, root + path, root + path)
    ep = Endpoints(env.get(ENV_QUERY) or ep.query, env.get(ENV_UPDATE) or ep.update, env.get(ENV_GSP) or ep.gsp)
    return ep, clean, user, password


# --- binding parameters -------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                   |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>\{) | (?P<close>\})
      | (?P<var>[?$][A-Za-z0-9_]+)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<ws>\s+)
      | (?P<other>.)""",
    re.X | re.S,
)


def term_sparql(term) -> str:
    """A term in SPARQL syntax, from pyoxigraph's own serialisation (IRIs validated, strings escaped)."""
    if isinstance(term, NamedNode):
        return f"<{NamedNode(term.value).value}>"
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BlankNode):
        raise RemoteError("a blank node cannot be bound in a query sent to a server (it has no identity there)")
    raise RemoteError(f"cannot bind {term!r} in a query sent to a server")


def values_block(bindings: Mapping[str, object]) -> str:
    names = list(bindings)
    for n in names:
        if not _VAR.match(n):
            raise RemoteError(f"{n!r} is not a SPARQL variable name")
    vars_ = " ".join(f"?{n}" for n in names)
    terms = " ".join(term_sparql(bindings[n]) for n in names)
    return f" VALUES ({vars_}) {{ ({terms}) }} "


def _outer_where(tokens: list) -> tuple[int, int]:
    """Indexes (in `tokens`) of the opening and closing brace of the query's outermost WHERE group."""
    form, depth, opened, saw_where, start = None, 0, 0, False, None
    for i, m in enumerate(tokens):
        kind = m.lastgroup
        if kind == "word" and depth == 0:
            w = m.group().upper()
            if form is None and w in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                form = w
            elif form is not None and w == "WHERE":
                saw_where = True
        elif kind == "open":
            if depth == 0 and form is not None and start is None:
                opened += 1
                if form == "CONSTRUCT" and saw_where and opened == 1:
                    raise RemoteError("bindings cannot be used with the short form CONSTRUCT WHERE { ... }; "
                                      "write CONSTRUCT { ... } WHERE { ... }")
                if not (form == "CONSTRUCT" and not saw_where and opened == 1):
                    start = i
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0 and start is not None:
                return start, i
    raise RemoteError("cannot find the WHERE clause of the query to bind its parameters")


def _is_word(token, word: str) -> bool:
    return token is not None and token.lastgroup == "word" and token.group().upper() == word


def inject_values(sparql: str, bindings: Mapping[str, object]) -> str:
    """The query with `bindings` applied as the embedded store's substitution (SEP-0007) applies them.

    pyoxigraph substitutes a variable throughout the outer query and into the sub-SELECTs that project
    it (not into those that do not): a FILTER or BIND nested in an OPTIONAL sees the value, and
    `BIND(e AS ?v)` keeps only the rows where e equals it. A VALUES block alone is joined where it
    stands and cannot mean the same (SPARQL evaluates bottom-up). So, in those scopes, every use of a
    bound variable becomes the RDF term, serialised by pyoxigraph (never pasted user text); `BOUND(?v)`
    becomes what pyoxigraph 0.5 makes of it (false if ?v occurs only in expressions, true if a pattern
    mentions it; queries avoid relying on it, see queries/network-edges.rq); and a VALUES block at the
    end of the outer WHERE group binds the variable itself, for the projection and for the places that
    need a variable (`AS ?v`, VALUES lists, sub-SELECT projections and modifiers), which keep it.
    """
    if not bindings:
        return sparql
    block = values_block(bindings)
    terms = {n: term_sparql(t) for n, t in bindings.items()}
    tokens = list(_TOKEN.finditer(sparql))
    open_i, close_i = _outer_where(tokens)
    # pyoxigraph folds BOUND(?v) of a substituted variable to false when no pattern could bind ?v (it
    # occurs only in expressions), and evaluates it (true) otherwise; do the same, so answers agree
    patterned, parens, last = set(), 0, None
    for m in tokens[open_i + 1:close_i]:
        if m.lastgroup in ("ws", "comment"):
            continue
        if m.group() == "(":
            parens += 1
        elif m.group() == ")":
            parens -= 1
        elif m.lastgroup == "var" and (parens == 0 or _is_word(last, "AS")):
            patterned.add(m.group()[1:])
        last = m
    edits: list[tuple[int, int, str]] = []
    depth = 0
    # one scope per sub-SELECT: [enclosing depth, state, visible names, projected names, star, paren depth]
    scopes: list[list] = []
    visible_outer = set(terms)
    in_values_vars = False
    previous: list = []  # significant tokens seen so far

    def visible() -> set:
        return scopes[-1][2] if scopes else visible_outer

    for i in range(open_i + 1, close_i):
        m = tokens[i]
        kind, text = m.lastgroup, m.group()
        if kind in ("ws", "comment"):
            continue
        top = scopes[-1] if scopes else None
        if kind == "open":
            depth += 1
            in_values_vars = False  # a VALUES data block starts: its variable list is over
            if top is not None and top[1] == "projection":
                top[1] = "body"
                parent = scopes[-2][2] if len(scopes) > 1 else visible_outer
                top[2] = set(parent) if top[4] else parent & top[3]
                top.append(depth)  # the depth of the sub-SELECT's WHERE group
        elif kind == "close":
            if top is not None and top[1] == "body" and depth == top[6]:
                top[1] = "modifiers"  # GROUP BY, HAVING, ORDER BY ... of the sub-SELECT: variables stay
            if top is not None and depth == top[0]:
                scopes.pop()
            depth -= 1
        elif _is_word(m, "SELECT"):
            scopes.append([depth, "projection", set(), set(), False, 0])
        elif _is_word(m, "VALUES"):
            in_values_vars = True
        elif top is not None and top[1] == "projection":
            if text == "*" and top[5] == 0:  # SELECT *, not COUNT(*)
                top[4] = True
            elif text == "(":
                top[5] += 1
            elif text == ")":
                top[5] -= 1
            elif kind == "var" and (top[5] == 0 or _is_word(previous[-1] if previous else None, "AS")):
                top[3].add(text[1:])
        elif (kind == "var" and text[1:] in visible() and (top is None or top[1] == "body")):
            before = previous[-1] if previous else None
            before2 = previous[-2] if len(previous) > 1 else None
            after = next((t for t in tokens[i + 1:close_i] if t.lastgroup not in ("ws", "comment")), None)
            if in_values_vars or _is_word(before, "AS"):
                pass  # a variable is required here: the VALUES block at the end binds it
            elif (_is_word(before2, "BOUND") and before.group() == "(" and after is not None
                  and after.group() == ")"):
                edits.append((before2.start(), after.end(), "true" if text[1:] in patterned else "false"))
            else:
                edits.append((m.start(), m.end(), terms[text[1:]]))
        previous.append(m)
    close_at = tokens[close_i].start()
    out = sparql[:close_at] + block + sparql[close_at:]
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out


# --- HTTP ----------------------------------------------------------------------------------------------
def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Http:
    def __init__(self, location: str, user: str | None, password: str | None, timeout: float) -> None:
        self.location = location
        self.user = user
        self.timeout = timeout
        self._auth = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._auth = f"Basic {token}"
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler())

    def request(self, method: str, url: str, *, body: bytes | BinaryIO | None = None, length: int | None = None,
                headers: Mapping[str, str] | None = None, ok_missing: bool = False, timeout: float | None = None):
        """The open response (caller reads and closes it); None for a 404 when `ok_missing`."""
        timeout = self.timeout if timeout is None else timeout
        h = dict(headers or {})
        if self._auth:
            h["Authorization"] = self._auth
        if length is not None:
            h["Content-Length"] = str(length)
        req = urllib.request.Request(url, data=body, headers=h, method=method)
        what = f"{self.location}"
        try:
            return self._opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            detail = ""
            try:
                detail = _one_line(exc.read().decode("utf-8", "replace"), 200)
            except Exception:  # noqa: BLE001 - the body is only a detail of the message
                pass
            exc.close()
            if exc.code == 404 and ok_missing:
                return None
            if exc.code in (401, 403):
                if self.user is None:
                    raise RemoteError(f"{what}: the server requires credentials (HTTP {exc.code}); set "
                                      f"{ENV_USER} and {ENV_PASSWORD}") from None
                raise RemoteError(f"{what}: the server refused the credentials of user {self.user!r} "
                                  f"(HTTP {exc.code}); check {ENV_USER} and {ENV_PASSWORD}") from None
            if exc.code == 404:
                raise RemoteError(f"{what}: {method} {url} not found (HTTP 404); check the endpoint URLs "
                                  f"({ENV_QUERY}, {ENV_UPDATE}, {ENV_GSP})") from None
            if exc.code == 405:
                raise RemoteError(f"{what}: {method} {url} is not allowed (HTTP 405); is this the right "
                                  "endpoint, and is the server writable?") from None
            raise RemoteError(f"{what}: the server answered HTTP {exc.code} {exc.reason}"
                              + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                raise RemoteError(f"{what}: cannot connect (connection refused); is the server running?") from None
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise RemoteError(f"{what}: no answer within {timeout:g} s (set {ENV_TIMEOUT})") from None
            if isinstance(reason, socket.gaierror):
                raise RemoteError(f"{what}: unknown host ({reason.strerror})") from None
            raise RemoteError(f"{what}: cannot connect ({_one_line(str(reason))})") from None
        except TimeoutError:
            raise RemoteError(f"{what}: no answer within {timeout:g} s (set {ENV_TIMEOUT})") from None
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise RemoteError(f"{what}: the connection broke ({_one_line(str(exc) or type(exc).__name__)})") from None

    def read(self, method: str, url: str, **kw) -> bytes | None:
        resp = self.request(method, url, **kw)
        if resp is None:
            return None
        try:
            return resp.read()
        except (http.client.HTTPException, ConnectionError, OSError, TimeoutError) as exc:
            raise RemoteError(f"{self.location}: the connection broke while reading the answer "
                              f"({_one_line(str(exc) or type(exc).__name__)})") from None
        finally:
            resp.close()


def _spool_ntriples(triples: Iterable[Triple]) -> tuple[BinaryIO, int, int]:
    """N-Triples of `triples` in a temporary file (memory stays small): (file, bytes, triples)."""
    fh = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 - the caller closes it
    n = 0
    batch: list[Triple] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= _BATCH:
            fh.write(serialize(batch, format=RdfFormat.N_TRIPLES))
            n += len(batch)
            batch = []
    if batch:
        fh.write(serialize(batch, format=RdfFormat.N_TRIPLES))
        n += len(batch)
    size = fh.tell()
    fh.seek(0)
    return fh, size, n


# --- the store -----------------------------------------------------------------------------------------
class RemoteStore:
    """A SPARQL 1.1 server (query + update + Graph Store Protocol) behind the EmbeddedStore interface."""

    path = None  # no local directory (the CLI writes reports only for local stores)

    def __init__(self, location: str, *, timeout: float | None = None, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        self.endpoints, self._location, user, password = endpoints_for(location, env)
        try:
            t = float(timeout if timeout is not None else env.get(ENV_TIMEOUT) or 300)
        except ValueError:
            raise RemoteError(f"{ENV_TIMEOUT}={env.get(ENV_TIMEOUT)!r} is not a number of seconds") from None
        self._http = _Http(self._location, user, password, t)
        union = (env.get(ENV_UNION) or "explicit").lower()
        if union not in ("explicit", "server"):
            raise RemoteError(f"{ENV_UNION}={union!r}: use explicit or server")
        self.union = union
        self.graph_prefix = env.get(ENV_GRAPHS) or ""

    @property
    def location(self) -> str:
        return self._location

    @property
    def raw(self) -> _RawCompat:
        """A small pyoxigraph-Store-like view, for code written against `EmbeddedStore.raw`."""
        return _RawCompat(self)

    def __repr__(self) -> str:
        return f"RemoteStore({self._location!r})"

    # --- protocol helpers -------------------------------------------------------------------------------
    def _gsp_url(self, graph: str) -> str:
        sep = "&" if "?" in self.endpoints.gsp else "?"
        return f"{self.endpoints.gsp}{sep}graph={urllib.parse.quote(graph, safe='')}"

    def _select(self, sparql: str, dataset: list[str] | None = None) -> QuerySolutions | QueryBoolean:
        result = self._query(sparql, dataset)
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            return result
        raise RemoteError(f"{self._location}: expected query results, got an RDF graph")

    def _query(self, sparql: str, dataset: list[str] | None, timeout: float | None = None):
        form = [("query", sparql)]
        for g in dataset or ():
            form.append(("default-graph-uri", g))
        for g in dataset or ():
            form.append(("named-graph-uri", g))
        body = urllib.parse.urlencode(form).encode("ascii")
        resp = self._http.request("POST", self.endpoints.query, body=body, timeout=timeout, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": f"{_JSON}, {_NT};q=0.9, application/sparql-results+xml;q=0.5",
        })
        try:
            ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            data = resp.read()
        except (http.client.HTTPException, ConnectionError, OSError, TimeoutError) as exc:
            raise RemoteError(f"{self._location}: the connection broke while reading the answer ({exc})") from None
        finally:
            resp.close()
        try:
            if ctype in (_JSON, "application/json"):
                return parse_query_results(data, format=QueryResultsFormat.JSON)
            if ctype in ("application/sparql-results+xml", "application/xml"):
                return parse_query_results(data, format=QueryResultsFormat.XML)
            if ctype in (_NT, "text/plain", "text/turtle", "application/n-quads"):
                fmt = RdfFormat.TURTLE if ctype == "text/turtle" else RdfFormat.N_TRIPLES
                return iter([q.triple for q in parse(data, format=fmt)])
        except SyntaxError as exc:
            raise RemoteError(f"{self._location}: the server's answer could not be read ({exc})") from None
        raise RemoteError(f"{self._location}: unexpected answer type {ctype!r} to a query")

    def update(self, sparql: str) -> None:
        self._http.read("POST", self.endpoints.update, body=sparql.encode("utf-8"),
                        headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def put_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Replace one graph with `triples` (GSP PUT, streamed from a temporary file); returns triples sent."""
        fh, size, n = _spool_ntriples(triples)
        try:
            if n == 0:
                self.drop_graph(graph)
                return 0
            self._http.read("PUT", self._gsp_url(graph), body=fh, length=size,
                            headers={"Content-Type": f"{_NT}; charset=utf-8"})
            return n
        finally:
            fh.close()

    def post_graph(self, graph: str, triples: Iterable[Triple]) -> int:
        """Add `triples` to one graph (GSP POST)."""
        fh, size, n = _spool_ntriples(triples)
        try:
            if n:
                self._http.read("POST", self._gsp_url(graph), body=fh, length=size,
                                headers={"Content-Type": f"{_NT}; charset=utf-8"})
            return n
        finally:
            fh.close()

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH <{NamedNode(graph).value}>")

    def ping(self) -> None:
        """One cheap query (30 s at most): raises a RemoteError if the server is down or refuses us."""
        result = self._query("ASK { }", None, timeout=min(self._http.timeout, 30))
        if not isinstance(result, QueryBoolean):
            raise RemoteError(f"{self._location}: this does not answer like a SPARQL query endpoint")

    # --- writing (EmbeddedStore interface) ---------------------------------------------------------------
    def replace_graphs(self, writes: list[GraphWrite], meta_graph: str) -> None:
        """Replace every graph in `writes` and its load metadata; nothing visible changes on failure."""
        staged: list[tuple[str, str, int]] = []
        try:
            for w in writes:
                staging = STAGING_PREFIX + uuid.uuid4().hex
                n = self.put_graph(staging, w.triples)
                staged.append((staging, w.graph, n))
            self.update(_swap_update(staged, meta_graph, writes))
        except RemoteError as exc:
            self._drop_staging([s for s, _, n in staged if n])
            raise RemoteError(f"{exc} (nothing was changed)") from None

    def _drop_staging(self, graphs: list[str]) -> None:
        for g in graphs:
            try:
                self.drop_graph(g)
            except RemoteError:
                pass  # the server is gone; staging graphs are private and dropped on the next write

    # --- reading (EmbeddedStore interface) ---------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, NamedNode | Literal] | None = None):
        """SPARQL over the union of the named graphs; `bindings` become a VALUES block."""
        text = inject_values(sparql, bindings or {})
        dataset = None if self.union == "server" else self.named_graphs()
        if dataset is not None and not dataset:
            dataset = ["urn:rightsgraph:empty"]  # an empty store: no graph, not the server's default graph
        return self._query(text, dataset)

    def named_graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        out = {r["g"].value for r in rows if isinstance(r["g"], NamedNode)}
        return sorted(g for g in out if not g.startswith(STAGING_PREFIX) and g.startswith(self.graph_prefix))

    def graph_sizes(self) -> dict[str, int]:
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"].value: int(r["n"].value) for r in rows
                if not r["g"].value.startswith(STAGING_PREFIX) and r["g"].value.startswith(self.graph_prefix)}

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        graphs = [graph] if graph else self.named_graphs()
        for g in graphs:
            yield from self._graph_quads(g)

    def _graph_quads(self, graph: str) -> Iterator[Quad]:
        resp = self._http.request("GET", self._gsp_url(graph), headers={"Accept": _NT}, ok_missing=True)
        if resp is None:
            return
        g = NamedNode(graph)
        try:
            for q in parse(resp, format=RdfFormat.N_TRIPLES, rename_blank_nodes=True):
                yield Quad(q.subject, q.predicate, q.object, g)
        except SyntaxError as exc:
            raise RemoteError(f"{self._location}: graph {graph} could not be read ({exc})") from None
        except (http.client.HTTPException, ConnectionError, OSError, TimeoutError) as exc:
            raise RemoteError(f"{self._location}: the connection broke while reading graph {graph} ({exc})") from None
        finally:
            resp.close()

    def triples_in(self, graph: str) -> list[Triple]:
        return [q.triple for q in self.quads(graph)]

    def __len__(self) -> int:
        return sum(self.graph_sizes().values())

    def flush(self) -> None:
        """Nothing to do: the server makes each request durable itself."""

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _swap_update(staged: list[tuple[str, str, int]], meta_graph: str, writes: list[GraphWrite]) -> str:
    ops = []
    for staging, target, n in staged:
        ops.append(f"DROP SILENT GRAPH <{NamedNode(target).value}> ;")
        if n:
            ops.append(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{NamedNode(target).value}> ;")
    meta = f"<{NamedNode(meta_graph).value}>"
    for w in writes:
        for subject in w.meta_subjects:
            s = term_sparql(NamedNode(subject))
            ops.append(f"DELETE {{ GRAPH {meta} {{ ?x ?p ?o }} }} WHERE {{ GRAPH {meta} {{ ?x ?p ?o . "
                       f"FILTER(?x = {s} || STRSTARTS(STR(?x), CONCAT(STR({s}), \"/\"))) }} }} ;")
    inserts = [t for w in writes for t in (w.meta or [])]
    if inserts:
        body = serialize(inserts, format=RdfFormat.N_TRIPLES).decode("utf-8")
        ops.append(f"INSERT DATA {{ GRAPH {meta} {{ {body} }} }} ;")
    text = "\n".join(ops).rstrip(" ;")
    return text or "CLEAR SILENT GRAPH <urn:rightsgraph:nothing>"


# --- publishing -----------------------------------------------------------------------------------------
@dataclass
class PublishReport:
    location: str
    graphs: dict[str, int] = field(default_factory=dict)  # graph -> triples sent
    atomic: bool = True

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def publish(source, target: RemoteStore, graphs: list[str] | None = None, *,
            extra: Mapping[str, list[Triple]] | None = None, atomic: bool = True,
            progress: Callable[[str, int], None] | None = None) -> PublishReport:
    """Push named graphs of `source` (any store) to the server, replacing each graph there.

    `extra` adds graphs that are not in the source (the dataset description). Atomic (default): every
    graph goes to a staging graph first and one update swaps them all in, so the server shows all of the
    new graphs or none. Not atomic (`atomic=False`, for servers whose updates are not transactions or for
    graphs too large to hold twice): each graph is PUT in place, one after the other; on failure the
    error lists the graphs already published.
    """
    names = list(graphs if graphs is not None else source.named_graphs())
    jobs: list[tuple[str, Callable[[], Iterable[Triple]]]] = [
        (g, (lambda g=g: (q.triple for q in source.quads(g)))) for g in names]
    for g, triples in (extra or {}).items():
        jobs.append((g, (lambda triples=triples: triples)))
    report = PublishReport(target.location, atomic=atomic)
    target.ping()
    if atomic:
        staged: list[tuple[str, str, int]] = []
        try:
            for g, triples in jobs:
                staging = STAGING_PREFIX + uuid.uuid4().hex
                n = target.put_graph(staging, triples())
                staged.append((staging, g, n))
                if progress:
                    progress(g, n)
            target.update(_swap_update(staged, "urn:rightsgraph:no-metadata", []))
        except RemoteError as exc:
            target._drop_staging([s for s, _, n in staged if n])
            raise PublishError(f"{exc}; nothing was published (0 of {len(jobs)} graphs; the new graphs are "
                               "swapped in only when all are uploaded)", [], [g for g, _ in jobs]) from None
        report.graphs = {g: n for _, g, n in staged}
        return report
    done: list[str] = []
    for g, triples in jobs:
        try:
            n = target.put_graph(g, triples())
        except RemoteError as exc:
            pending = [j for j, _ in jobs if j not in done]
            published = ", ".join(done) if done else "none"
            raise PublishError(f"{exc}; published {len(done)} of {len(jobs)} graphs ({published}); not published: "
                               f"{', '.join(pending)}", done, pending) from None
        done.append(g)
        report.graphs[g] = n
        if progress:
            progress(g, n)
    return report


# --- pyoxigraph Store compatibility, for code that uses `store.raw` -------------------------------------
class _RawCompat:
    def __init__(self, store: RemoteStore) -> None:
        self._s = store

    def query(self, sparql: str, *, prefixes: Mapping[str, str] | None = None,
              substitutions: Mapping[Variable, object] | None = None, use_default_graph_as_union: bool = False,
              **_ignored):
        head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in (prefixes or {}).items())
        bindings = {v.value: t for v, t in (substitutions or {}).items()}
        return self._s.query(head + sparql, bindings)

    def update(self, sparql: str, **_ignored) -> None:
        self._s.update(sparql)

    def clear(self) -> None:
        for g in self._s.named_graphs():
            self._s.drop_graph(g)

    def named_graphs(self) -> Iterator[NamedNode]:
        return iter([NamedNode(g) for g in self._s.named_graphs()])

    def contains_named_graph(self, graph) -> bool:
        return graph.value in self._s.named_graphs()

    def remove_graph(self, graph) -> None:
        self._s.drop_graph(graph.value)

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[Quad]:
        quads = self._s.quads(g.value if g is not None else None)
        return (q for q in quads if (s is None or q.subject == s) and (p is None or q.predicate == p)
                and (o is None or q.object == o))

    def extend(self, quads: Iterable[Quad]) -> None:
        by_graph: dict[str, list[Triple]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        for g, triples in by_graph.items():
            self._s.post_graph(g, triples)

    def flush(self) -> None:
        pass

    def __iter__(self) -> Iterator[Quad]:
        return iter(self._s.quads())

    def __len__(self) -> int:
        return len(self._s)


def server_info(store: RemoteStore) -> dict:
    """What the CLI prints about a remote store."""
    return {"location": store.location, **{k: v for k, v in store.endpoints.__dict__.items()},
            "union": store.union}


__all__ = ["ENV_PASSWORD", "ENV_USER", "Endpoints", "PublishError", "PublishReport", "RemoteError", "RemoteStore",
           "endpoints_for", "inject_values", "is_remote", "publish", "server_info"]
