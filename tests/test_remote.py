"""A real SPARQL server as the store: Oxigraph's own server (`oxigraph serve`, from the `oxigraph` package
in the test extras), started by the fixtures on 127.0.0.1 with a free port and a temporary directory.

Failures a user meets (a server that is down, refuses credentials, or breaks mid-push) are produced by a
small HTTP proxy in front of the real server that checks HTTP Basic credentials and can drop the
connection on the Nth graph upload, as a crashing server or a broken network would.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import http.client
import io
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFAULT_DATA
from pyoxigraph import Literal, NamedNode
from rightsgraph.graph import queries
from rightsgraph.graph.pipeline import load_files
from rightsgraph.graph.remote import (
    STAGING_PREFIX,
    PublishError,
    RemoteError,
    RemoteStore,
    endpoints_for,
    inject_values,
    publish,
)
from rightsgraph.graph.store import EmbeddedStore, open_store

from rightsgraph.cli import main

SAMPLE = DEFAULT_DATA / "upr-info-china-sessions-4-17.csv"
USER, PASSWORD = "publisher", "s3cret"


# --- the real server --------------------------------------------------------------------------------
def _oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _oxigraph(tmp_path: Path, *, location: Path | None = None, port: int | None = None):
    """`oxigraph serve` on 127.0.0.1 (a free port), in memory or on disk at `location`; stopped on exit."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install -e '.[test]' installs `oxigraph`)")
    port = port or _free_port()
    args = [binary, "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        args += ["--location", str(location)]
    log_path = tmp_path / f"oxigraph-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"oxigraph serve did not start: {log_path.read_text()}")
                    time.sleep(0.05)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def server(tmp_path):
    """A fresh in-memory Oxigraph server per test (its log in the test's temp dir)."""
    with _oxigraph(tmp_path) as url:
        yield url


class _Proxy:
    """Basic-auth checking, fault-injecting HTTP proxy in front of the real server."""

    def __init__(self, backend: str, *, user: str | None = None, password: str | None = None) -> None:
        host, port = backend.removeprefix("http://").split(":")
        self.backend = (host, int(port))
        self.expected = None if user is None else "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.drop_after_puts: int | None = None  # PUTs that go through before the connection is dropped
        self.puts = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if proxy.expected and self.headers.get("Authorization") != proxy.expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="rightsgraph-test"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.command == "PUT":
                    proxy.puts += 1
                    if proxy.drop_after_puts is not None and proxy.puts > proxy.drop_after_puts:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)  # the server "crashes" mid-push
                        return
                conn = http.client.HTTPConnection(*proxy.backend, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept", "content-length")}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                if resp.getheader("Content-Type"):
                    self.send_header("Content-Type", resp.getheader("Content-Type"))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = _relay

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy(server):
    p = _Proxy(server, user=USER, password=PASSWORD)
    yield p
    p.close()


# --- the embedded store the tests publish ------------------------------------------------------------
@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """The bundled default data (what `rightsgraph build` loads: UPR Info sample and the China case)."""
    from rightsgraph.cli import default_data

    path = tmp_path_factory.mktemp("embedded") / "s"
    with EmbeddedStore(path) as store:
        load_files(store, default_data())
    return path


@pytest.fixture
def embedded(store_dir):
    with EmbeddedStore(store_dir, read_only=True) as store:
        yield store


def _rows(result) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in result.rows)


def _runnable_queries() -> list[str]:
    return [name for name, q in queries.shipped().items() if not any(p.required for p in q.params.values())]


# --- publish, then the named queries answer the same --------------------------------------------------
def test_publish_then_every_named_query_answers_as_the_embedded_store(embedded, server):
    remote = open_store(server)
    assert isinstance(remote, RemoteStore)
    report = publish(embedded, remote)
    assert report.graphs == embedded.graph_sizes()
    assert remote.graph_sizes() == embedded.graph_sizes()
    assert len(remote) == len(embedded)
    names = _runnable_queries()
    assert {"response-summary", "unresolved"} <= set(names)
    for name in names:
        q = queries.shipped()[name]
        cases = [{}] + [{p: iso} for p, spec in q.params.items() if spec.type == "state" for iso in ("CHN", "FRA")]
        cases += [{p: "2015-01-01"} for p, spec in q.params.items() if spec.type == "date"]
        for params in cases:
            here, there = queries.run(embedded, name, params), queries.run(remote, name, params)
            assert _rows(there) == _rows(here), (name, params)
    here = queries.run(embedded, "response-summary", {"state": "CHN"})
    there = queries.run(remote, "response-summary", {"state": "China"})
    assert there.rows == here.rows and [r["session"] for r in there.rows] == [4, 17]
    # unresolved: a date, a status (bound where the query BINDs it) and a State, as the embedded store
    for params in ({"as_of": "2024-07-01", "state": "CHN"}, {"status": "refused"}, {"kind": "cerd-decision"}):
        here, there = queries.run(embedded, "unresolved", params), queries.run(remote, "unresolved", params)
        assert _rows(there) == _rows(here), params
    assert len(queries.run(remote, "unresolved", {"status": "refused"}).rows) > 0


def test_published_graphs_survive_a_server_restart_on_disk(embedded, tmp_path):
    data, port = tmp_path / "oxigraph-data", _free_port()
    with _oxigraph(tmp_path, location=data, port=port) as url:
        publish(embedded, RemoteStore(url))
    with _oxigraph(tmp_path, location=data, port=port) as url:
        assert RemoteStore(url).graph_sizes() == embedded.graph_sizes()


def test_quads_read_back_from_the_server_are_the_store_s(embedded, server):
    remote = RemoteStore(server)
    publish(embedded, remote)
    for g in embedded.named_graphs():
        assert {str(q) for q in remote.quads(g)} == {str(q) for q in embedded.quads(g)}, g


def test_a_dump_of_the_server_is_byte_identical_to_the_embedded_dump(embedded, server, tmp_path):
    from rightsgraph.graph.export import export

    remote = RemoteStore(server)
    publish(embedded, remote)
    here = export(embedded, tmp_path / "embedded.nq", "nq")
    there = export(remote, tmp_path / "server.nq", "nq")
    assert there.triples == len(embedded)
    assert there.path.read_bytes() == here.path.read_bytes()


def test_republishing_replaces_graphs_instead_of_adding(embedded, server):
    remote = RemoteStore(server)
    publish(embedded, remote)
    publish(embedded, remote)
    assert remote.graph_sizes() == embedded.graph_sizes()
    assert not [g for g in remote.named_graphs() if g.startswith(STAGING_PREFIX)]


def test_the_server_can_be_the_store_for_loading(server):
    """load_files against the server: the pipeline's transaction becomes staging PUTs + one update."""
    remote = RemoteStore(server)
    reports = load_files(remote, [SAMPLE])
    assert reports[0].rows_loaded == 422
    again = load_files(remote, [SAMPLE])  # unchanged file: skipped, as with the embedded store
    assert again[0].skipped
    rows = queries.run(remote, "response-summary").rows
    assert [(r["state"], r["session"], r["recommendations"]) for r in rows] == [("CHN", 4, 136), ("CHN", 17, 284)]


def test_bound_of_a_parameter_answers_as_the_embedded_store(embedded, server):
    remote = RemoteStore(server)
    publish(embedded, remote)
    q = ("SELECT ?iso ?b WHERE { ?s <https://w3id.org/rightsgraph/ontology#iso3> ?iso . BIND(BOUND(?iso) AS ?b) "
         "FILTER(!BOUND(?iso) || ?iso = \"CHN\") }")
    here = [(r["iso"].value, r["b"].value) for r in embedded.query(q, {"iso": Literal("CHN")})]
    there = [(r["iso"].value, r["b"].value) for r in remote.query(q, {"iso": Literal("CHN")})]
    assert there == here == [("CHN", "true")]
    # a parameter that only occurs in expressions: pyoxigraph folds BOUND to false, and so do we
    q = "SELECT ?p ?b WHERE { ?s ?x ?o FILTER(!BOUND(?p) || ?x != ?p) BIND(BOUND(?p) AS ?b) } LIMIT 1"
    here = [(r["p"].value, r["b"].value) for r in embedded.query(q, {"p": Literal("x")})]
    there = [(r["p"].value, r["b"].value) for r in remote.query(q, {"p": Literal("x")})]
    assert there == here == [("x", "false")]


def test_bound_parameters_cannot_inject_sparql(embedded, server):
    remote = RemoteStore(server)
    publish(embedded, remote)
    before = remote.graph_sizes()
    evil = Literal('"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . #')
    rows = list(remote.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": evil}))
    assert rows == []
    assert remote.graph_sizes() == before
    rows = list(remote.query("SELECT ?iso WHERE { ?s <https://w3id.org/rightsgraph/ontology#iso3> ?iso }",
                             {"s": NamedNode("https://w3id.org/rightsgraph/id/state/CHN")}))
    assert [r["iso"].value for r in rows] == ["CHN"]


# --- the CLI --------------------------------------------------------------------------------------------
def test_cli_publish_and_query_the_server(store_dir, server):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "publish", "--store", str(store_dir), "--to", server])
    assert result.exit_code == 0, result.output
    assert "graphs," in result.output and "NO" not in result.output
    remote = RemoteStore(server)
    assert "https://w3id.org/rightsgraph/graph/description" in remote.named_graphs()
    # the description on the server counts the server's other graphs
    n = list(remote.query("SELECT ?n WHERE { GRAPH <https://w3id.org/rightsgraph/graph/description> { "
                          "<https://w3id.org/rightsgraph/dataset> <http://rdfs.org/ns/void#triples> ?n } }"))
    with EmbeddedStore(store_dir, read_only=True) as embedded:
        assert int(n[0]["n"].value) == len(embedded)
    there = runner.invoke(main, ["query", "response-summary", "--format", "csv", "--store", server])
    here = runner.invoke(main, ["query", "response-summary", "--format", "csv", "--store", str(store_dir)])
    assert there.exit_code == 0, there.output
    assert list(csv.DictReader(io.StringIO(there.output))) == list(csv.DictReader(io.StringIO(here.output)))


def _one_line(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_a_server_that_is_down_is_one_line(store_dir):
    line = _one_line(CliRunner().invoke(main, ["export", "publish", "--store", str(store_dir),
                                               "--to", f"http://127.0.0.1:{_free_port()}"]))
    assert "connection refused" in line and "nothing was published" in line


def test_query_against_a_server_that_is_down_is_one_line():
    line = _one_line(CliRunner().invoke(main, ["query", "response-summary",
                                               "--store", f"http://127.0.0.1:{_free_port()}"]))
    assert "connection refused" in line


def test_refused_credentials_are_one_line(store_dir, proxy):
    env = {"RIGHTSGRAPH_SPARQL_USER": USER, "RIGHTSGRAPH_SPARQL_PASSWORD": "wrong"}
    line = _one_line(CliRunner().invoke(main, ["export", "publish", "--store", str(store_dir), "--to", proxy.url],
                                        env=env))
    assert "refused the credentials of user 'publisher'" in line and "nothing was published" in line
    line = _one_line(CliRunner().invoke(main, ["export", "publish", "--store", str(store_dir), "--to", proxy.url],
                                        env={"RIGHTSGRAPH_SPARQL_USER": None, "RIGHTSGRAPH_SPARQL_PASSWORD": None}))
    assert "requires credentials" in line and "RIGHTSGRAPH_SPARQL_USER" in line


def test_credentials_from_the_environment_are_used(store_dir, proxy, embedded):
    env = {"RIGHTSGRAPH_SPARQL_USER": USER, "RIGHTSGRAPH_SPARQL_PASSWORD": PASSWORD}
    result = CliRunner().invoke(main, ["export", "publish", "--store", str(store_dir), "--to", proxy.url,
                                       "--no-description"], env=env)
    assert result.exit_code == 0, result.output
    remote = RemoteStore(proxy.url, env=env)
    assert remote.graph_sizes() == embedded.graph_sizes()


def test_a_push_that_breaks_midway_publishes_nothing(store_dir, server, proxy, embedded):
    env = {"RIGHTSGRAPH_SPARQL_USER": USER, "RIGHTSGRAPH_SPARQL_PASSWORD": PASSWORD}
    first = RemoteStore(server)
    publish(embedded, first, [embedded.named_graphs()[0]])  # something already on the server
    before = first.graph_sizes()
    proxy.drop_after_puts = 2
    line = _one_line(CliRunner().invoke(main, ["export", "publish", "--store", str(store_dir), "--to", proxy.url],
                                        env=env))
    total = len(embedded.named_graphs()) + 1  # and the description
    assert "connection broke" in line and f"nothing was published (0 of {total} graphs" in line
    assert first.graph_sizes() == before  # unchanged, and no staging graph left behind
    assert not [g for g in first.named_graphs() if g.startswith(STAGING_PREFIX)]


def test_a_graph_by_graph_push_that_breaks_says_which_graphs_were_published(embedded, server, proxy):
    env = {"RIGHTSGRAPH_SPARQL_USER": USER, "RIGHTSGRAPH_SPARQL_PASSWORD": PASSWORD}
    proxy.drop_after_puts = 2
    graphs = embedded.named_graphs()
    with pytest.raises(PublishError) as info:
        publish(embedded, RemoteStore(proxy.url, env=env), graphs, atomic=False)
    err = info.value
    assert err.published == graphs[:2] and err.pending == graphs[2:]
    assert f"published 2 of {len(graphs)} graphs ({graphs[0]}, {graphs[1]})" in str(err)
    assert "\n" not in str(err)
    assert sorted(RemoteStore(server).graph_sizes()) == graphs[:2]


# --- no server needed -----------------------------------------------------------------------------------
def test_bindings_are_substituted_like_the_embedded_store_does():
    q = """PREFIX ex: <http://example.org/{not-a-brace}>
    # a comment with { braces } and ?s
    SELECT ?s ?n WHERE { ?s ex:p "{ in a string ?s }" . OPTIONAL { ?s ex:q ?z FILTER(?z = ?s) }
      FILTER(!BOUND(?s) || ?s != ex:x) BIND(ex:y AS ?s)
      { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }
      { SELECT ?s WHERE { ?s ex:r ?o } }
      VALUES ?s { ex:a } }
    GROUP BY ?s ?n"""
    out = inject_values(q, {"s": NamedNode("http://example.org/a")})
    a = "<http://example.org/a>"
    assert f'WHERE {{ {a} ex:p "{{ in a string ?s }}"' in out  # not inside strings, IRIs or comments
    assert f"FILTER(?z = {a})" in out  # nested in OPTIONAL: substituted, as SEP-0007 does
    assert f"FILTER(!true || {a} != ex:x)" in out  # BOUND(?param) of a patterned variable: true
    assert "BIND(ex:y AS ?s)" in out  # BIND keeps its variable: the VALUES join makes it a test
    assert "{ SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }" in out  # not projected: not substituted
    assert f"{{ SELECT ?s WHERE {{ {a} ex:r ?o }} }}" in out  # projected: substituted
    assert "VALUES ?s { ex:a }" in out
    assert out.rstrip().endswith(f"VALUES (?s) {{ ({a}) }} }}\n    GROUP BY ?s ?n")
    assert inject_values("ASK { ?s ?p ?o }", {"o": Literal("1")}) == 'ASK { ?s ?p "1"  VALUES (?o) { ("1") } }'
    construct = inject_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": NamedNode("http://example.org/a")})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { <http://example.org/a> ?p ?o")
    with pytest.raises(RemoteError, match="short form"):
        inject_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": NamedNode("http://example.org/a")})
    with pytest.raises(RemoteError, match="not a SPARQL variable"):
        inject_values("SELECT * { ?s ?p ?o }", {"s} DROP ALL {": Literal("x")})
    evil = inject_values("SELECT * { ?s ?p ?o }", {"o": Literal('"} ; DROP ALL ; #')})
    assert '"\\"} ; DROP ALL ; #"' in evil  # escaped inside one literal


@pytest.mark.parametrize("location, query, update, gsp", [
    ("http://h:7878", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
    ("http://h:3030/ds/query", "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("http://h:3030/ds/sparql", "http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data"),
    ("http://h:3030/ds", "http://h:3030/ds", "http://h:3030/ds", "http://h:3030/ds"),
    ("http://h:7200/repositories/rg", "http://h:7200/repositories/rg", "http://h:7200/repositories/rg/statements",
     "http://h:7200/repositories/rg/rdf-graphs/service"),
    ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
])
def test_endpoint_layouts(location, query, update, gsp):
    ep, clean, user, _ = endpoints_for(location, env={})
    assert (ep.query, ep.update, ep.gsp) == (query, update, gsp)
    assert clean == location and user is None


def test_endpoint_overrides_and_credentials_never_in_the_location():
    env = {"RIGHTSGRAPH_SPARQL_GSP": "http://h/gsp", "RIGHTSGRAPH_SPARQL_USER": "u",
           "RIGHTSGRAPH_SPARQL_PASSWORD": "p"}
    ep, clean, user, password = endpoints_for("https://x:y@h:8890/sparql", env=env)
    assert ep.gsp == "http://h/gsp" and ep.query == "https://h:8890/sparql-auth"
    assert (user, password) == ("u", "p") and "x:y" not in clean and clean == "https://h:8890/sparql"
