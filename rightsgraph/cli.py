"""The `rightsgraph` command: a thin layer over the library (`rightsgraph.graph.*`).

Every user mistake (a missing file, an unknown format, a bad parameter, a broken source file)
ends in one line on stderr naming the file or option and the problem, and exit status 2;
SHACL violations end in exit status 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from importlib.resources import files
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .cli_common import UserError, base_option, open_store, store_option
from .cli_query_options import STANDARD_FORMATS, as_of_option, expression_option, format_option, query_from
from .graph.iris import Iris
from .graph.queries import QueryError, QueryResult
from .graph.store import EmbeddedStore, StoreError
from .loaders.base import LoadError

# Piped output (CSV, a report file) should not be squeezed into 80 columns.
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


def _reports_dir(store: EmbeddedStore) -> Path | None:
    return None if store.path is None else store.path / "reports"


class _Group(click.Group):
    """Store failures in any command (a server gone mid-query, a full disk) are one line, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise UserError(str(exc)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rightsgraph")
def main() -> None:
    """rightsgraph: the follow-up to UN human-rights mechanisms as one RDF graph.

    \b
    Typical session:
      rightsgraph build                               # bundled sample data -> graph, validated
      rightsgraph load ../shared/data/upr-info/*.csv  # more sources (format detected)
      rightsgraph query response-summary --param state=CHN
      rightsgraph validate                            # SHACL over everything loaded
      rightsgraph stats

    The store is a directory (./rightsgraph-store unless --store or $RIGHTSGRAPH_STORE says
    otherwise); every command takes --store.
    """


# --- load ---------------------------------------------------------------------------------------
def _progress_factory(progress: Progress):
    def factory(path: Path):
        task = progress.add_task(path.name, total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        return update

    return factory


def _do_load(store: EmbeddedStore, paths, fmt, limit, force, base, options=None):
    from .graph.pipeline import load_files

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as progress:
        try:
            return load_files(store, paths, fmt=fmt, iris=Iris(base), limit=limit, force=force,
                              options=options, progress_factory=_progress_factory(progress),
                              report_dir=_reports_dir(store))
        except (LoadError, StoreError) as exc:
            raise UserError(f"{exc} (nothing was loaded)") from None


def _print_loads(reports, store: EmbeddedStore, max_rejections: int = 5) -> None:
    table = Table(title="Loads", title_justify="left")
    for col in ("file", "loader", "rows read", "loaded", "rejected", "records", "triples", "reconciles"):
        table.add_column(col, justify="right" if col not in ("file", "loader") else "left")
    for r in reports:
        if r.skipped:
            table.add_row(r.file.name, r.loader, "-", "-", "-", "unchanged, skipped", "-", "-")
            continue
        records = ", ".join(f"{n:,} {k}{'' if n == 1 else 's'}" for k, n in sorted(r.records.items()))
        table.add_row(r.file.name, r.loader, f"{r.rows_read:,}", f"{r.rows_loaded:,}", f"{r.rows_rejected:,}",
                      records, f"{r.triples:,}", "yes" if r.reconciles else "[red]NO[/]")
    out.print(table)
    for r in reports:
        for note in r.notes:
            out.print(f"[cyan]{r.file.name}:[/] {note}", highlight=False)
        if r.rejections:
            out.print(f"[yellow]{r.file.name}: {r.rows_rejected} rejected rows[/]")
            for rej in r.rejections[:max_rejections]:
                out.print(f"  row {rej.row}: {rej.reason}", highlight=False)
            if r.rows_rejected > max_rejections:
                out.print(f"  ... and {r.rows_rejected - max_rejections} more")
            reports_dir = _reports_dir(store)
            if reports_dir:
                out.print(f"  all of them: {reports_dir}/", highlight=False)
    done = [r for r in reports if not r.skipped]
    if done:
        read = sum(r.rows_read for r in done)
        loaded = sum(r.rows_loaded for r in done)
        rejected = sum(r.rows_rejected for r in done)
        verdict = "reconcile" if read == loaded + rejected else "DO NOT reconcile"
        out.print(f"rows read {read:,} = loaded {loaded:,} + rejected {rejected:,}: counts {verdict}.")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default=None, metavar="LOADER",
              help="Loader to use instead of detecting it (see `rightsgraph loaders`).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Read only the first N rows of each file (smoke runs).")
@click.option("--force", is_flag=True, help="Reload files even if unchanged since their last load.")
@click.option("--option", "-o", "options", multiple=True, metavar="KEY=VALUE",
              help="A setting for the loader, e.g. the review of a matrix that does not state it: "
                   "-o state=SVN -o session=20 (repeatable).")
@store_option
@base_option
def load(paths, fmt, limit, force, options, store_dir, base) -> None:
    """Load source files into the store, one named graph per file.

    All files are read first; if any cannot be loaded, nothing is written. Reloading a file
    replaces its graph; an unchanged file is skipped. Rejected rows are listed with row and
    reason, and written to the store's reports/ folder.

    \b
    Example:
      rightsgraph load ../shared/data/upr-info/*.csv
    """
    settings = _parse_pairs(options, "--option")
    with open_store(store_dir) as store:
        reports = _do_load(store, paths, fmt, limit, force, base, settings)
        _print_loads(reports, store)


@main.command(name="loaders")
def list_loaders() -> None:
    """List the source formats rightsgraph can load."""
    from .loaders.registry import loaders

    for name, loader in sorted(loaders().items()):
        out.print(f"[bold]{name}[/]  {loader.description}", highlight=False)


# --- validate -----------------------------------------------------------------------------------
def _print_validation(result, examples: int = 3) -> None:
    counts = result.counts()
    if not result.findings:
        out.print(f"[green]SHACL: conforms[/] ({result.triples_checked:,} triples checked, no findings).")
        return
    table = Table(title="SHACL findings by shape", title_justify="left")
    for col in ("severity", "shape", "count", "message"):
        table.add_column(col, justify="right" if col == "count" else "left", overflow="fold")
    for (severity, shape, message), items in sorted(result.by_shape.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
        colour = "red" if severity == "Violation" else "yellow"
        table.add_row(f"[{colour}]{severity}[/]", shape, str(len(items)), message)
    out.print(table)
    for (severity, shape, message), items in sorted(result.by_shape.items()):
        out.print(f"[bold]{severity}[/] {shape}: {message}", highlight=False)
        for f in items[:examples]:
            value = f" value {f.value}" if f.value else ""
            out.print(f"  focus {f.focus}  path {f.path or '-'}{value}", highlight=False)
    verdict = "[green]conforms[/]" if result.conforms else "[red]does not conform[/]"
    out.print(f"SHACL: {verdict}: {counts.get('Violation', 0)} violations, {counts.get('Warning', 0)} warnings "
              f"({result.triples_checked:,} triples checked).")


def _validate(store: EmbeddedStore, report_path: Path | None):
    from .graph.validate import validate

    with err.status("Validating with SHACL ...", spinner="dots") if err.is_terminal else _nullcontext():
        result = validate(store)
    _print_validation(result)
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        result.report.serialize(destination=str(report_path), format="turtle")
        out.print(f"SHACL report (Turtle): {report_path}", highlight=False)
    return result


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@main.command(name="validate")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Where to write the SHACL report as Turtle (default: STORE/reports/shacl-report.ttl).")
@store_option
def validate_cmd(report_path, store_dir) -> None:
    """Validate everything in the store against the SHACL shapes.

    Prints findings per shape and severity with examples (focus node, path, message), writes
    the full report as Turtle, and exits 1 if there is any violation (warnings do not fail).
    """
    with open_store(store_dir, read_only=True) as store:
        if len(store) == 0:
            raise UserError(f"{store.location}: the store is empty; run `rightsgraph build` or "
                            "`rightsgraph load` first")
        result = _validate(store, report_path or (_reports_dir(store) or Path(".")) / "shacl-report.ttl")
    sys.exit(0 if result.conforms else 1)


# --- query --------------------------------------------------------------------------------------
def _render(result: QueryResult, fmt: str) -> str | None:
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(result.columns)
        for row in result.rows:
            w.writerow(["" if row[c] is None else row[c] for c in result.columns])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps(result.rows, ensure_ascii=False, indent=2) + "\n"
    table = Table(show_lines=False)
    for c in result.columns:
        table.add_column(c, overflow="fold")
    for row in result.rows:
        table.add_row(*["" if row[c] is None else str(row[c]) for c in result.columns])
    out.print(table)
    out.print(f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}")
    return None


def _parse_pairs(params: tuple[str, ...], option: str = "--param") -> dict[str, str]:
    values = {}
    for p in params:
        if "=" not in p:
            raise UserError(f"{option} {p!r}: write it as NAME=VALUE")
        k, v = p.split("=", 1)
        values[k.strip()] = v.strip()
    return values


@main.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@format_option
@click.option("--list", "list_", is_flag=True, help="List the shipped queries.")
@click.option("--describe", is_flag=True, help="Describe the query NAME: what it answers and its parameters.")
@as_of_option
@expression_option
@store_option
def query(name, params, fmt, list_, describe, as_of, expression, store_dir) -> None:
    """Run a shipped query by NAME, your own FILE.rq, or SPARQL text with -e.

    \b
    Examples:
      rightsgraph query --list
      rightsgraph query response-summary --param state=CHN
      rightsgraph query response-summary --format csv > responses.csv
      rightsgraph query unresolved --param state=CHN --as-of 2024-06-25
      rightsgraph query refusal-rate --format srj > refusal-rate.srj
      rightsgraph query my-question.rq
      rightsgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .graph import queries

    try:
        if list_ or (not name and expression is None):
            for q in queries.shipped().values():
                out.print(f"[bold]{q.name}[/]  {q.title}", highlight=False)
            return
        q = query_from(name, expression)
        if describe:
            out.print(f"[bold]{q.name}[/]: {q.title}\n{q.description}", highlight=False)
            for p in q.params.values():
                req = "required" if p.required else f"optional, default {p.default}" if p.default else "optional"
                out.print(f"  --param {p.name}=...  ({p.type}, {req}) {p.description}", highlight=False)
            return
        values = queries.with_as_of(q, _parse_pairs(params), as_of)
        queries.bind(q, values)  # a bad parameter is reported before the store is opened
        with open_store(store_dir, read_only=True) as store:
            if fmt in STANDARD_FORMATS:
                data = queries.serialize(store, q, values, fmt)
                sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
                sys.stdout.flush()
                return
            result = queries.run(store, q, values)
    except QueryError as exc:
        raise UserError(str(exc)) from None
    text = _render(result, fmt)
    if text is not None:
        sys.stdout.write(text)


# --- stats --------------------------------------------------------------------------------------
@main.command()
@store_option
def stats(store_dir) -> None:
    """Triples per named graph and records per kind."""
    from .graph.stats import graph_stats, record_counts

    with open_store(store_dir, read_only=True) as store:
        sizes = graph_stats(store)
        counts = record_counts(store)
    table = Table(title=f"Named graphs in {store.location}", title_justify="left")
    table.add_column("graph")
    table.add_column("triples", justify="right")
    for g, n in sizes.items():
        table.add_row(g, f"{n:,}")
    table.add_row("[bold]all[/]", f"[bold]{sum(sizes.values()):,}[/]")
    out.print(table)
    kinds = Table(title="Records per kind", title_justify="left")
    kinds.add_column("kind")
    kinds.add_column("records", justify="right")
    for kind, n in counts.items():
        kinds.add_row(kind, f"{n:,}")
    out.print(kinds)


# --- build --------------------------------------------------------------------------------------
def default_data() -> list[Path]:
    root = files("rightsgraph") / "data" / "default"
    return sorted(Path(str(f)) for f in root.iterdir() if f.is_file() and not f.name.startswith(("README", ".")))


@main.command()
@click.option("--fresh", is_flag=True, help="Empty the store first.")
@store_option
@base_option
def build(fresh, store_dir, base) -> None:
    """Build the graph from the bundled sample data, validate it and summarise it.

    This is the quick start: no arguments needed. The bundled files are small real samples of
    the public sources (see rightsgraph/data/default/README.md).
    """
    from .graph import queries
    from .graph.pipeline import ensure_static

    with open_store(store_dir) as store:
        if fresh:
            store.raw.clear()
        ensure_static(store, Iris(base))
        reports = _do_load(store, default_data(), None, None, False, base)
        out.print(f"[bold]rightsgraph {__version__}[/]: store {store.location}", highlight=False)
        _print_loads(reports, store)
        try:
            _render(queries.run(store, "response-summary"), "table")
        except QueryError as exc:
            raise UserError(str(exc)) from None
        result = _validate(store, (_reports_dir(store) or Path(".")) / "shacl-report.ttl")
    sys.exit(0 if result.conforms else 1)


# --- commands contributed by other modules ------------------------------------------------------
# Each module defines a click command or group called `command`; `TOP_LEVEL` names more of its
# commands to offer at the top level too (`rightsgraph publish` as well as `rightsgraph export publish`).
_EXTENSIONS = ("cli_network", "cli_export")
_TOP_LEVEL = {"cli_export": {"publish": "publish_command", "describe": "describe_command"}}


def _add_extensions() -> None:
    from importlib import import_module
    from importlib.util import find_spec

    for name in _EXTENSIONS:
        if find_spec(f"{__package__}.{name}") is not None:
            module = import_module(f"{__package__}.{name}")
            main.add_command(module.command)
            for command_name, attribute in _TOP_LEVEL.get(name, {}).items():
                main.add_command(getattr(module, attribute), command_name)


_add_extensions()

if __name__ == "__main__":
    main()
