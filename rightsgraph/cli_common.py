"""What every `rightsgraph` command shares: the one-line user error, `--store` and `--base`, and opening
the store. Kept apart from cli.py so that the command modules (cli_export, cli_network) can import it
without importing cli.py, which imports them."""

from __future__ import annotations

import click
from rich.console import Console

from .graph.namespaces import DEFAULT_BASE
from .graph.store import STORE_ENV, EmbeddedStore, StoreError, default_location

err = Console(stderr=True)


class UserError(click.ClickException):
    """One line, no traceback, exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: ARG002 - click's signature
        err.print(f"[bold red]error:[/] {self.message}", highlight=False, soft_wrap=True)


def store_option(f):
    return click.option(
        "--store", "store_dir", envvar=STORE_ENV, default=None, metavar="DIR|URL",
        help=f"Store directory, or a SPARQL 1.1 endpoint URL (default: ${STORE_ENV} or ./{default_location()}).")(f)


def base_option(f):
    return click.option("--base", default=DEFAULT_BASE, show_default=True, metavar="IRI",
                        help="Base IRI under which data IRIs are minted.")(f)


def open_store(store_dir: str | None, *, read_only: bool = False) -> EmbeddedStore:
    """The store: a SPARQL server for http(s) URLs, else the directory. Reading commands open it
    read-only so they run beside a writer (a notebook), and reading a directory that holds no store is
    then a one-line error (EmbeddedStore says so) rather than a new empty store."""
    location = store_dir or default_location()
    try:
        if location.lower().startswith(("http://", "https://")):  # a SPARQL 1.1 server (graph/remote.py)
            from .graph.remote import RemoteStore

            remote = RemoteStore(location)
            remote.ping()  # down, unreachable or refusing our credentials: one line now, not a traceback later
            return remote  # type: ignore[return-value]
        return EmbeddedStore(location, read_only=read_only)
    except StoreError as exc:
        raise UserError(str(exc)) from None
