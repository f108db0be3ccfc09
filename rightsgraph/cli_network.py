"""`rightsgraph network ...`: the recommendation network, measured, exported and drawn.

A thin layer over `rightsgraph.graph.network` (building), `network_measures` and `network_io`.
Every subcommand takes the same filters (they become the parameters of queries/network-*.rq).
The lead's cli.py imports this module's `command` lazily, so imports from `rightsgraph.cli`
happen inside functions (no import cycle).
"""

from __future__ import annotations

import json
import sys
import time
from functools import wraps
from pathlib import Path

import click

from .cli_common import open_store
from .cli_common import store_option as _store_option


def _cli():
    from . import cli

    return cli


def _filter_options(f):
    """The network filters, shared by every subcommand."""
    options = [
        click.option("--recommender", metavar="STATE", help="Only recommendations made by this State (ISO3 or name)."),
        click.option("--reviewed", metavar="STATE", help="Only recommendations to this State under review."),
        click.option("--cycle", metavar="N", help="UPR cycle (1, 2, 3, 4)."),
        click.option("--sessions", metavar="RANGE", help="UPR sessions: 17, 14-17, 14- or -5."),
        click.option("--issue", metavar="ISSUE", help="An issue or theme: label, notation or IRI "
                                                      "(`rightsgraph network issues` lists them)."),
        click.option("--position", metavar="POSITION", help="Response: supported, partially-supported, noted, "
                                                            "pending, or a finer position."),
        click.option("--action", metavar="N", help="UPR Info action category 1-5."),
        click.option("--recommender-group", metavar="GROUP", help="Regional group of the recommending State "
                                                                 "(african, asia-pacific, eastern-european, grulac, "
                                                                 "weog, or WEOG, EEG, ...)."),
        click.option("--reviewed-group", metavar="GROUP", help="Regional group of the State under review."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _sessions(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    lo, sep, hi = text.partition("-")
    try:
        a = int(lo) if lo.strip() else None
        b = (int(hi) if hi.strip() else None) if sep else a
    except ValueError:
        raise _cli().UserError(f"--sessions {text!r}: write a session or a range, e.g. 17 or 14-17") from None
    return a, b


def _filter(kw: dict):
    from .graph.network import NetworkFilter

    lo, hi = _sessions(kw.pop("sessions", None))
    return NetworkFilter(
        recommender=kw.pop("recommender", None), reviewed=kw.pop("reviewed", None), cycle=kw.pop("cycle", None),
        session_min=lo, session_max=hi, issue=kw.pop("issue", None), position=kw.pop("position", None),
        action=kw.pop("action", None), recommender_group=kw.pop("recommender_group", None),
        reviewed_group=kw.pop("reviewed_group", None))


def _store(store_dir):
    cli = _cli()
    store = open_store(store_dir, read_only=True)
    if len(store) == 0:
        raise cli.UserError(f"{store.location}: the store is empty; "
                            "run `rightsgraph build` or `rightsgraph load` first")
    return store


def _state(name: str) -> str:
    from .graph.reference import states

    table = states()
    state = table.by_iso3(name.upper()) if name.upper() in table else table.resolve(name)
    if state is None:
        raise _cli().UserError(f"{name!r} is not a known State (try an ISO3 code like CHN)")
    return state.iso3


def _user_errors(f):
    """Library errors a user can fix (a bad filter value, an unknown State) as one-line errors."""
    @wraps(f)
    def wrapper(*args, **kwargs):
        from .graph.queries import QueryError

        try:
            return f(*args, **kwargs)
        except QueryError as exc:
            raise _cli().UserError(str(exc)) from None
    return wrapper


def _empty_note(g, flt) -> None:
    if g.number_of_edges() == 0:
        _cli().err.print(f"[yellow]no recommendations match ({flt.describe()})[/]; check the filters "
                         "(`rightsgraph network issues` lists the issues)", highlight=False)


def _emit(result, fmt: str) -> None:
    text = _cli()._render(result, fmt)
    if text is not None:
        sys.stdout.write(text)


@click.group(name="network")
def command() -> None:
    """The recommendation network: which States raise which issues with which States.

    Built from the knowledge graph by SPARQL (queries/network-*.rq): an edge runs from a
    recommending State to a State under review, weighted by recommendations (a joint
    recommendation counts once for each of its States). Every subcommand takes the same filters.

    \b
    Examples:
      rightsgraph network acceptance China                 # who recommends to China, what it supports
      rightsgraph network measures --cycle 2               # reciprocity, blocs, centrality
      rightsgraph network issue "Women's rights" --top 15  # who raises it with whom
      rightsgraph network export --out network/            # GraphML, GEXF, CSV, JSON for Gephi & co
      rightsgraph network draw --focus CHN --out china.png
    """


@command.command()
@click.argument("state")
@_filter_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N States that recommend most.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_store_option
@_user_errors
def acceptance(state, top, fmt, store_dir, **filters) -> None:
    """Which States' recommendations does STATE accept?

    Per recommending State: recommendations made to STATE, how many STATE supported (accepted),
    partially supported, noted, left pending, and the shares.
    """
    from .graph.network import acceptance as table

    iso3, flt = _state(state), _filter(filters)  # user mistakes first, before the store is opened
    result = table(_store(store_dir), iso3, flt)
    if top:
        result.rows = result.rows[:top]
    _emit(result, fmt)


@command.command(name="issue")
@click.argument("issue_name", metavar="ISSUE")
@_filter_options
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Pairs to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_store_option
@_user_errors
def issue_cmd(issue_name, top, fmt, store_dir, **filters) -> None:
    """For one ISSUE (or theme: label, notation or IRI): who raises it with whom, heaviest pairs
    first. (--issue, if also given, is replaced by ISSUE.)"""
    from .graph.network import issue_pairs

    flt = _filter({**filters, "issue": None})
    result = issue_pairs(_store(store_dir), issue_name, flt, top)
    if not result.rows:
        _cli().err.print(f"[yellow]no recommendations with issue {issue_name!r}[/] ({flt.describe()}); "
                         "`rightsgraph network issues` lists the issues", highlight=False)
    _emit(result, fmt)


@command.command(name="issues")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_store_option
@_user_errors
def issues_cmd(fmt, store_dir) -> None:
    """The issues and themes recommendations are tagged with (values for --issue)."""
    from .graph.network import issues

    _emit(issues(_store(store_dir)), fmt)


@command.command()
@_filter_options
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Rows per ranking.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the community detection.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_store_option
@_user_errors
def measures(top, seed, fmt, store_dir, **filters) -> None:
    """Headline measures: strength, reciprocity, top pairs, regional-group mixing and
    assortativity, Louvain communities (seeded), PageRank, betweenness."""
    from .graph.network import state_network
    from .graph.network_measures import group_counts, summary
    from .graph.queries import QueryResult

    cli = _cli()
    flt = _filter(filters)
    store = _store(store_dir)
    t0 = time.perf_counter()
    g = state_network(store, flt)
    built = time.perf_counter() - t0
    _empty_note(g, flt)
    s = summary(g, seed=seed, top=top)
    if fmt == "json":
        sys.stdout.write(json.dumps(s, ensure_ascii=False, indent=2) + "\n")
        return
    out = cli.out
    rec = s["reciprocity"]
    out.print(f"[bold]Network[/]: {s['network']}: {s['states']} States, {s['edges']:,} links, "
              f"{s['recommendations']:,} recommendations (per recommending State); density {s['density']}; "
              f"built in {built:.1f} s", highlight=False)
    out.print(f"[bold]Reciprocity[/]: {rec['edge_reciprocity']:.1%} of links go both ways; "
              f"{rec['weighted_reciprocity']:.1%} of recommendations are matched by recommendations the other way",
              highlight=False)
    a = s["assortativity_regional_group"]
    out.print(f"[bold]Regional-group assortativity[/]: {a['weighted']} (weighted by recommendations), "
              f"{a['unweighted']} (links)", highlight=False)
    for key, title in (("top_out_strength", "Most recommendations made"),
                       ("top_in_strength", "Most recommendations received"),
                       ("top_pagerank", "PageRank (weighted)"), ("top_betweenness", "Betweenness (weighted)")):
        if s[key]:
            cli._render(QueryResult(["state", "name", "value"], s[key]), "table")
            out.print(f"[dim]^ {title}[/]")
    if s["top_pairs"]:
        cli._render(QueryResult(list(s["top_pairs"][0]), s["top_pairs"]), "table")
        out.print("[dim]^ Heaviest pairs[/]")
    if s["top_mutual_pairs"]:
        cli._render(QueryResult(list(s["top_mutual_pairs"][0]), s["top_mutual_pairs"]), "table")
        out.print("[dim]^ Pairs recommending each other most (matched = the smaller direction)[/]")
    if s["edges"]:
        cli._render(QueryResult(list(s["mixing"][0]), s["mixing"]), "table")
        out.print("[dim]^ Recommendations from group (rows) to group (columns)[/]")
    comms = s["communities"]
    out.print(f"[bold]Communities[/] (Louvain, seed {comms['seed']}, modularity {comms['modularity']}):",
              highlight=False)
    for i, c in enumerate(comms["groups"], start=1):
        mix = ", ".join(f"{n} {grp}" for grp, n in group_counts(g, c["members"]).items())
        out.print(f"  {i}. {c['size']} States ({mix}): {' '.join(c['members'])}", highlight=False, soft_wrap=True)


@command.command()
@_filter_options
@click.option("--unweighted", is_flag=True, help="Count links (pairs of States) instead of recommendations.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_store_option
@_user_errors
def mixing(unweighted, fmt, store_dir, **filters) -> None:
    """The regional-group mixing matrix (recommending group x group under review) and assortativity."""
    from .graph.network import state_network
    from .graph.network_measures import assortativity, mixing_table

    flt = _filter(filters)
    g = state_network(_store(store_dir), flt)
    _emit(mixing_table(g, weighted=not unweighted), fmt)
    if fmt == "table":
        _cli().out.print(f"assortativity by regional group: {assortativity(g, weighted=not unweighted)}")


@command.command()
@_filter_options
@click.option("--kind", type=click.Choice(["states", "bipartite", "projection"]), default="states",
              show_default=True, help="State -> State network, State-issue bipartite network, or States "
                                      "linked by the similarity of the issues they raise.")
@click.option("--role", type=click.Choice(["recommending", "reviewed"]), default="recommending", show_default=True,
              help="bipartite/projection: the States raising the issues, or the States they are raised with.")
@click.option("--k", "k", type=click.IntRange(min=1), default=5, show_default=True,
              help="projection: keep each State's K most similar States.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("network"), show_default=True,
              help="Directory for the files.")
@click.option("--name", "stem", default=None, help="File name stem (default: the kind).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["graphml", "gexf", "csv", "json"]),
              help="Formats to write (repeatable; default all).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the community detection.")
@_store_option
@_user_errors
def export(kind, role, k, out_dir, stem, formats, seed, store_dir, **filters) -> None:
    """Write the network as GraphML and GEXF (Gephi), CSV edge and node lists, node-link JSON.

    The State network's nodes carry name, ISO codes, regional group and their measures
    (strengths, PageRank, betweenness, community), ready for colouring and sizing in Gephi.
    """
    from .graph import network as net
    from .graph import network_io as nio
    from .graph.network_measures import node_measures

    flt = _filter(filters)
    store = _store(store_dir)
    t0 = time.perf_counter()
    if kind == "states":
        g = net.state_network(store, flt)
        if g.number_of_edges():
            g = nio.with_attributes(g, node_measures(g, seed=seed))
    else:
        g = net.bipartite_network(store, flt, role=role)
        if kind == "projection":
            g = net.issue_projection(g, k=k)
    _empty_note(g, flt)
    paths = nio.write_all(g, out_dir, stem or kind, tuple(formats) or nio.FORMATS)
    cli = _cli()
    cli.out.print(f"{kind} network ({flt.describe()}): {g.number_of_nodes()} nodes, {g.number_of_edges():,} edges "
                  f"in {time.perf_counter() - t0:.1f} s", highlight=False)
    for p in paths:
        cli.out.print(f"  {p}", highlight=False)


@command.command()
@_filter_options
@click.option("--focus", metavar="STATE", default=None,
              help="Draw the States around this one (default: the heaviest links of the whole network).")
@click.option("--direction", type=click.Choice(["in", "out", "both"]), default="in", show_default=True,
              help="With --focus: recommendations it received (in), made (out), or both.")
@click.option("--top", type=click.IntRange(min=1), default=40, show_default=True, help="Links to draw (heaviest).")
@click.option("--title", default=None, help="Title of the picture.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the layout (without --focus).")
@click.option("--out", "out_file", type=click.Path(path_type=Path), required=True, help="PNG file to write.")
@_store_option
@_user_errors
def draw(focus, direction, top, title, seed, out_file, store_dir, **filters) -> None:
    """Draw a sub-network as a PNG: node colour = regional group, edge width = recommendations,
    edge colour = share supported by the State under review, with a legend."""
    from .graph import network as net
    from .graph import network_io as nio

    flt = _filter(filters)
    focus_iso3 = _state(focus) if focus else None
    g = net.state_network(_store(store_dir), flt)
    _empty_note(g, flt)
    if focus_iso3 and focus_iso3 not in g:
        raise _cli().UserError(f"{focus}: no recommendations to or from this State match ({flt.describe()})")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    nio.draw(g, out_file, focus=focus_iso3, direction=direction, top=top, title=title, seed=seed)
    _cli().out.print(f"wrote {out_file}", highlight=False)
