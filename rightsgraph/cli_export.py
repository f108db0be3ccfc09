"""`rightsgraph export ...`: dumps, the dataset description (VoID + DCAT-AP) and publishing to a SPARQL server.

`command` is the `export` group (cli.py adds it). Its `describe` and `publish` subcommands are also
meant to be registered as top-level commands (`describe_command`, `publish_command`).
Every failure is one line on stderr and a non-zero exit (2 for a user or server problem, 1 when the
description does not conform to DCAT-AP or a round trip differs).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .cli_common import UserError, base_option, open_store, store_option
from .graph.export import FORMATS, ExportError, dump_format
from .graph.store import EmbeddedStore, StoreError

out = Console()
err = Console(stderr=True)
PUBLISH_ENV = "RIGHTSGRAPH_PUBLISH_TO"


def _user_errors():
    from .graph.describe import DescribeError
    from .graph.queries import QueryError

    return (ExportError, DescribeError, StoreError, QueryError)


@click.group(name="export")
def command() -> None:
    """Dump the graph (N-Quads, N-Triples, Turtle, TriG, JSON-LD, RDF/XML), describe it, publish it.

    \b
    Examples:
      rightsgraph export dump -o dumps/                  # every format, all graphs, + dumps.json
      rightsgraph export dump -f nq -o graph.nq          # one file
      rightsgraph export dump -f nq --per-graph --gzip -o dumps/
      rightsgraph export dump -o dumps/ --describe --dump-url-base https://example.org/dumps/
      rightsgraph export describe -o void.ttl            # VoID + DCAT-AP 3.0, validated
      rightsgraph export publish --to http://localhost:7878
      rightsgraph query response-summary --store http://localhost:7878
    """


@command.command(name="dump")
@click.option("--format", "-f", "formats", multiple=True, metavar="FORMAT",
              help=f"One of {', '.join(FORMATS)} or all (repeatable; default all).")
@click.option("--graph", "-g", "graphs", multiple=True, metavar="IRI|KEY",
              help="Only this named graph (an IRI, or a key like upr-info/14-17.csv; repeatable).")
@click.option("--per-graph", is_flag=True, help="One file per named graph instead of one file for all.")
@click.option("--gzip", "use_gzip", is_flag=True, help="Compress (deterministic gzip: no name, no time).")
@click.option("--output", "-o", default=None, metavar="PATH",
              help="A file for one format (- for stdout), else a directory (default ./dumps).")
@click.option("--describe", "with_description", is_flag=True,
              help="Also write the VoID + DCAT-AP description of the dumps (void.ttl) into the directory.")
@click.option("--dump-url-base", default=None, metavar="URL",
              help="Where the dump files will be published (for the description; default BASE/dumps/).")
@click.option("--sparql-endpoint", default=None, metavar="URL", help="SPARQL endpoint to name in the description.")
@click.option("--check", is_flag=True,
              help="Load each dump back into a fresh store and check it is isomorphic to the store, graph by graph.")
@click.option("--chunk-mb", type=click.IntRange(min=1), default=64, show_default=True,
              help="Memory for sorting; larger dumps are sorted in runs on disk.")
@store_option
@base_option
def dump(formats, graphs, per_graph, use_gzip, output, with_description, dump_url_base, sparql_endpoint, check,
         chunk_mb, store_dir, base) -> None:
    """Write dumps of the store: deterministic (sorted lines), streamed, optionally gzipped."""
    from .graph.export import export, export_all

    keys = _format_keys(formats)
    store = open_store(store_dir, read_only=True)
    single_file = len(keys) == 1 and not per_graph and output is not None and not with_description \
        and (output == "-" or not Path(output).is_dir()) and not output.endswith("/")
    try:
        if single_file:
            d = export(store, output, keys[0], graphs=list(graphs) or None, gzip=use_gzip, base=base,
                       chunk_bytes=chunk_mb << 20)
            dumps = [d]
        else:
            directory = Path(output or "dumps")
            with err.status("Writing dumps ...") if err.is_terminal else _Null() as status:
                def progress(path: Path) -> None:
                    if status is not None:
                        status.update(f"Writing {path.name} ...")

                dumps = export_all(store, directory, keys, graphs=list(graphs) or None, per_graph=per_graph,
                                   gzip=use_gzip, base=base, chunk_bytes=chunk_mb << 20, progress=progress)
            if with_description:
                _write_description(store, directory / "void.ttl", dumps, dump_url_base, sparql_endpoint, base)
    except _user_errors() as exc:
        raise UserError(str(exc)) from None
    if output == "-" and single_file:
        return
    _print_dumps(dumps)
    if check:
        failed = _check_round_trip(store, dumps)
        if failed:
            sys.exit(1)


def _format_keys(formats: tuple[str, ...]) -> list[str]:
    if not formats or "all" in formats:
        return list(FORMATS)
    try:
        return list(dict.fromkeys(dump_format(f).key for f in formats))
    except ExportError as exc:
        raise UserError(str(exc)) from None


class _Null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _print_dumps(dumps) -> None:
    table = Table(title="Dumps", title_justify="left")
    for col in ("file", "format", "graphs", "triples", "bytes", "sha256"):
        table.add_column(col, justify="right" if col in ("graphs", "triples", "bytes") else "left")
    for d in dumps:
        table.add_row(str(d.path) if d.path else "-", d.format.name + (" (gzip)" if d.gzip else ""),
                      str(len(d.graphs)), f"{d.triples:,}", f"{d.bytes:,}", d.sha256[:16])
    out.print(table)


def _check_round_trip(store, dumps) -> bool:
    """Load each dump into a fresh in-memory store and compare; True if any differs."""
    from .graph.export import compare_stores, load_dump

    failed = False
    union = None
    for d in dumps:
        fresh = EmbeddedStore(None)
        if d.format.datasets:
            load_dump(fresh, d.path)
            result = compare_stores(_Subset(store, d.graphs), fresh)
        else:
            target = d.graphs[0] if d.per_graph else "urn:rightsgraph:union"
            load_dump(fresh, d.path, graph=target)
            if d.per_graph:
                result = compare_stores(_Subset(store, d.graphs), fresh)
            else:
                if union is None:
                    union = _union_store(store, d.graphs)
                result = compare_stores(union, fresh)
        ok = result.isomorphic
        failed |= not ok
        verdict = "[green]isomorphic[/]" if ok else "[red]DIFFERS[/]"
        bad = [g for g, same in result.equal.items() if not same]
        out.print(f"round trip {d.path.name}: {verdict} ({len(result.equal)} graphs"
                  + (f"; differing: {', '.join(bad)}" if bad else "") + ")", highlight=False)
    return failed


class _Subset:
    """A store seen through a list of its graphs (for comparing one dump with the store)."""

    def __init__(self, store, graphs) -> None:
        self._store = store
        self._graphs = list(graphs)

    def named_graphs(self):
        return list(self._graphs)

    def quads(self, graph=None):
        return self._store.quads(graph)

    def query(self, sparql, bindings=None):
        return self._store.query(sparql, bindings)


def _union_store(store, graphs) -> EmbeddedStore:
    from pyoxigraph import NamedNode, Quad

    union = EmbeddedStore(None)
    g = NamedNode("urn:rightsgraph:union")
    for name in graphs:
        union.raw.extend(Quad(q.subject, q.predicate, q.object, g) for q in store.quads(name))
    return union


def _write_description(store, path: Path, dumps, dump_url_base, sparql_endpoint, base) -> None:
    from .graph.describe import Options, describe, to_turtle, validate_dcat_ap

    triples = describe(store, Options(base=base, dumps=list(dumps), dump_url_base=dump_url_base,
                                      sparql_endpoint=sparql_endpoint))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_turtle(triples, base))
    check = validate_dcat_ap(triples)
    _print_check(check, len(triples), path)
    if not check.conforms:
        sys.exit(1)


def _print_check(check, n: int, path: Path | None) -> None:
    where = f" -> {path}" if path else ""
    if check.conforms:
        out.print(f"Description: {n} triples{where}; DCAT-AP 3.0.0 shapes ({check.shapes} node shapes): "
                  f"[green]conforms[/] ({len(check.warnings)} warnings).", highlight=False)
    else:
        out.print(f"Description: {n} triples{where}; DCAT-AP 3.0.0 shapes: [red]does not conform[/], "
                  f"{len(check.violations)} violations:", highlight=False)
        for v in check.violations[:20]:
            out.print(f"  {v}", highlight=False)


@command.command(name="describe")
@click.option("--output", "-o", default="void.ttl", show_default=True, metavar="FILE",
              help="Where to write the description (Turtle; - for stdout).")
@click.option("--dumps", "dumps_dir", default=None, metavar="DIR",
              help="A directory written by `rightsgraph export dump` (its dumps.json): describe those dumps.")
@click.option("--dump-url-base", default=None, metavar="URL", help="Where the dump files are published.")
@click.option("--sparql-endpoint", default=None, metavar="URL", help="SPARQL endpoint to name (void, dcat).")
@store_option
@base_option
def describe_command(output, dumps_dir, dump_url_base, sparql_endpoint, store_dir, base) -> None:
    """Describe the store: VoID (counts, partitions, linksets, dumps) and DCAT-AP 3.0, validated.

    One DCAT dataset per named graph with its source's licence statement (most sources state none, and the
    description says exactly that) and provenance; distributions for the dumps. The description is
    checked against the shipped DCAT-AP 3.0.0 SHACL shapes: exit 1 if it does not conform.
    """
    from .graph.describe import Options, describe, to_turtle, validate_dcat_ap
    from .graph.export import read_manifest

    store = open_store(store_dir, read_only=True)
    try:
        dumps = read_manifest(dumps_dir) if dumps_dir else []
        triples = describe(store, Options(base=base, dumps=dumps, dump_url_base=dump_url_base,
                                          sparql_endpoint=sparql_endpoint))
    except _user_errors() as exc:
        raise UserError(str(exc)) from None
    data = to_turtle(triples, base)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        check = validate_dcat_ap(triples)
        if not check.conforms:
            err.print(f"DCAT-AP 3.0.0: does not conform ({len(check.violations)} violations)")
            sys.exit(1)
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_bytes(data)
    check = validate_dcat_ap(triples)
    _print_check(check, len(triples), Path(output))
    if not check.conforms:
        sys.exit(1)


@command.command(name="publish")
@click.option("--to", "target", envvar=PUBLISH_ENV, required=True, metavar="URL",
              help=f"The SPARQL server (its query endpoint or dataset URL; or ${PUBLISH_ENV}). Credentials: "
                   "$RIGHTSGRAPH_SPARQL_USER and $RIGHTSGRAPH_SPARQL_PASSWORD.")
@click.option("--graph", "-g", "graphs", multiple=True, metavar="IRI|KEY",
              help="Only this named graph (repeatable; default all).")
@click.option("--no-description", is_flag=True, help="Do not push the dataset description graph.")
@click.option("--per-graph", "per_graph", is_flag=True,
              help="Replace graphs one by one instead of swapping all in at once (servers without transactional "
                   "updates, or graphs too large to hold twice).")
@click.option("--sparql-endpoint", default=None, metavar="URL",
              help="Public SPARQL endpoint to name in the description (default: the server's query endpoint).")
@store_option
@base_option
def publish_command(target, graphs, no_description, per_graph, sparql_endpoint, store_dir, base) -> None:
    """Push the store's named graphs to a SPARQL server, replacing each graph there, with the description.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (PUT per graph) and one SPARQL update that swaps the
    uploaded graphs in, so the server shows all the new graphs or none. Afterwards the triples per graph
    on the server are compared with the store's. Then run the named queries against the server:
    `rightsgraph query response-summary --store URL`.
    """
    from .graph.describe import Options, describe, description_graph
    from .graph.export import select_graphs
    from .graph.remote import PublishError, RemoteError, RemoteStore, publish

    source = open_store(store_dir, read_only=True)
    try:
        remote = RemoteStore(target)
        remote.ping()  # down or refusing us: say so before any work
        names = select_graphs(source, list(graphs) or None, base=base, exclude=[description_graph(base)])
        extra = {}
        if not no_description:
            endpoint = sparql_endpoint or remote.endpoints.query
            extra[description_graph(base)] = describe(source, Options(base=base, sparql_endpoint=endpoint))
        with err.status(f"Publishing to {remote.location} ...") if err.is_terminal else _Null() as status:
            def progress(graph: str, n: int) -> None:
                if status is not None:
                    status.update(f"Uploaded {graph} ({n:,} triples) ...")

            report = publish(source, remote, names, extra=extra, atomic=not per_graph, progress=progress)
        on_server = remote.graph_sizes()
    except PublishError as exc:
        raise UserError(str(exc)) from None
    except (RemoteError, *_user_errors()) as exc:
        raise UserError(f"{exc}; nothing was published") from None
    table = Table(title=f"Published to {remote.location}", title_justify="left")
    for col in ("graph", "triples sent", "on the server", "same"):
        table.add_column(col, justify="left" if col == "graph" else "right")
    mismatched = 0
    for g, n in report.graphs.items():
        there = on_server.get(g, 0)
        same = there == n
        mismatched += not same
        table.add_row(g, f"{n:,}", f"{there:,}", "yes" if same else "[red]NO[/]")
    out.print(table)
    out.print(f"{len(report.graphs)} graphs, {report.triples:,} triples published "
              f"({'swapped in at once' if report.atomic else 'graph by graph'}).", highlight=False)
    if mismatched:
        raise UserError(f"{mismatched} graphs on {remote.location} do not hold what was sent "
                              "(another writer? a server that merges blank nodes?)")


# Top-level registrations for cli.py: main.add_command(describe_command, "describe") and
# main.add_command(publish_command, "publish").
__all__ = ["command", "describe_command", "publish_command"]
