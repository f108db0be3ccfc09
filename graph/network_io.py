"""Network files (GraphML, GEXF, CSV, node-link JSON) and PNG pictures of a chosen sub-network.

GraphML and GEXF open in Gephi (and yEd, Cytoscape) with the node attributes name, ISO codes and
regional group; GEXF also carries a colour per regional group and a size per node, so the
first view in Gephi already shows the blocs. CSV edge and node lists and node-link JSON are for
everything else (pandas, R, D3).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import networkx as nx

from .network import NO_GROUP, edge_table, node_table

FORMATS = ("graphml", "gexf", "csv", "json")

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per UN group.
GROUP_COLOURS: dict[str, str] = {
    "african": "#E69F00",
    "asia-pacific": "#56B4E9",
    "eastern-european": "#009E73",
    "grulac": "#CC79A7",
    "weog": "#0072B2",
    "": "#999999",
}
ISSUE_COLOUR = "#F0E442"


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _clean(g: nx.Graph) -> nx.Graph:
    """A copy whose attribute values GraphML/GEXF can hold (no None, no containers)."""
    h = g.copy()
    for _, d in list(h.nodes(data=True)) + [(None, d) for *_, d in h.edges(data=True)]:
        for k, v in list(d.items()):
            if v is None:
                d[k] = ""
            elif not isinstance(v, (str, int, float, bool)):
                d[k] = json.dumps(v, ensure_ascii=False)
    h.graph = {k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in g.graph.items()}
    return h


def with_attributes(g: nx.Graph, extra: dict[str, dict[str, object]]) -> nx.Graph:
    """A copy of `g` with measure columns (measure -> node -> value) added as node attributes."""
    h = g.copy()
    for name, values in extra.items():
        for n, v in values.items():
            if n in h:
                h.nodes[n][name] = v
    return h


def write_graphml(g: nx.Graph, path: Path) -> Path:
    nx.write_graphml(_clean(g), path, encoding="utf-8", prettyprint=True)
    return path


def write_gexf(g: nx.Graph, path: Path) -> Path:
    """GEXF 1.2 with node labels (names), attributes, and Gephi colours/sizes (`viz`)."""
    h = _clean(g)
    strength = dict(h.degree(weight="weight"))
    top = max(strength.values(), default=1) or 1
    for n, d in h.nodes(data=True):
        colour = ISSUE_COLOUR if d.get("kind") == "issue" else GROUP_COLOURS.get(
            str(d.get("regional_group_code", "")), GROUP_COLOURS[""])
        r, gr, b = _hex_rgb(colour)
        d["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0},
                    "size": round(4 + 26 * math.sqrt(strength.get(n, 0) / top), 2)}
    nx.write_gexf(h, path, version="1.2draft")
    return path


def write_csv(g: nx.Graph, directory: Path, stem: str) -> tuple[Path, Path]:
    """`{stem}-edges.csv` and `{stem}-nodes.csv` (UTF-8, header row)."""
    paths = []
    for table, suffix in ((edge_table(g), "edges"), (node_table(g), "nodes")):
        path = directory / f"{stem}-{suffix}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(table.columns)
            for row in table.rows:
                w.writerow(["" if row[c] is None else row[c] for c in table.columns])
        paths.append(path)
    return paths[0], paths[1]


def write_json(g: nx.Graph, path: Path) -> Path:
    """networkx node-link JSON (`networkx.node_link_graph` reads it back; D3 draws it)."""
    data = nx.node_link_data(g, edges="links")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def write_all(g: nx.Graph, directory: Path, stem: str, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Every requested format into `directory` as `{stem}.graphml`, `.gexf`, `-edges.csv`, ..."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(sorted(unknown))}: use {', '.join(FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    if "graphml" in formats:
        out.append(write_graphml(g, directory / f"{stem}.graphml"))
    if "gexf" in formats:
        out.append(write_gexf(g, directory / f"{stem}.gexf"))
    if "csv" in formats:
        out += write_csv(g, directory, stem)
    if "json" in formats:
        out.append(write_json(g, directory / f"{stem}.json"))
    return out


# --- pictures -----------------------------------------------------------------------------------
def subnetwork(g: nx.DiGraph, *, focus: str | None = None, direction: str = "in",
               top: int | None = 40) -> nx.DiGraph:
    """The part worth drawing: the `top` heaviest edges into (direction="in"), out of ("out") or
    both ways around `focus`, or, without a focus, the `top` heaviest edges of the network."""
    if focus is not None and focus not in g:
        raise KeyError(focus)
    if focus is None:
        edges = list(g.edges(data=True))
    elif direction == "in":
        edges = list(g.in_edges(focus, data=True))
    elif direction == "out":
        edges = list(g.out_edges(focus, data=True))
    elif direction == "both":
        edges = list(g.in_edges(focus, data=True)) + list(g.out_edges(focus, data=True))
    else:
        raise ValueError(f"direction {direction!r}: use in, out or both")
    edges.sort(key=lambda e: (-e[2].get("weight", 1), e[0], e[1]))
    if top is not None:
        edges = edges[:top]
    sub = nx.DiGraph(**g.graph)
    for u, v, d in sorted(edges, key=lambda e: (e[0], e[1])):
        for n in (u, v):
            if n not in sub:
                sub.add_node(n, **g.nodes[n])
        sub.add_edge(u, v, **d)
    if focus is not None and focus not in sub:
        sub.add_node(focus, **g.nodes[focus])
    return sub


def _radial_layout(sub: nx.DiGraph, focus: str) -> dict[str, tuple[float, float]]:
    """Focus in the centre; the others on a circle, grouped by regional group, heaviest first."""
    others = [n for n in sub if n != focus]

    def weight(n: str) -> float:
        return (sub[n][focus]["weight"] if sub.has_edge(n, focus) else 0) + (
            sub[focus][n]["weight"] if sub.has_edge(focus, n) else 0)

    others.sort(key=lambda n: (str(sub.nodes[n].get("regional_group_code", "~")) or "~", -weight(n), n))
    pos = {focus: (0.0, 0.0)}
    for i, n in enumerate(others):
        angle = math.pi / 2 - 2 * math.pi * i / max(len(others), 1)
        pos[n] = (math.cos(angle), math.sin(angle))
    return pos


def draw(g: nx.DiGraph, path: Path, *, focus: str | None = None, direction: str = "in", top: int | None = 40,
         title: str | None = None, seed: int = 1, dpi: int = 150) -> Path:
    """A PNG of a sub-network: node colour = regional group (legend), edge width = recommendations,
    edge colour = share the State under review supported (colour bar), labels = ISO3 codes
    (with the count, around a focus State)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sub = subnetwork(g, focus=focus, direction=direction, top=top)
    fig, ax = plt.subplots(figsize=(14, 14))
    ax.set_axis_off()
    if sub.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no recommendations match", ha="center", va="center", fontsize=16)
        fig.savefig(path, dpi=dpi)
        plt.close(fig)
        return path
    weights = [d["weight"] for *_, d in sub.edges(data=True)]
    wmax = max(weights)
    strength = dict(sub.degree(weight="weight"))
    smax = max(strength.values())
    if focus is not None:
        pos = _radial_layout(sub, focus)
    else:
        # Kamada-Kawai places a few dozen nodes well and deterministically; a short spring run
        # (seeded) from there pushes apart the nodes it left overlapping.
        k = 3.0 / math.sqrt(sub.number_of_nodes())
        start = nx.kamada_kawai_layout(sub.to_undirected(), weight=None) if sub.number_of_nodes() <= 150 else None
        pos = nx.spring_layout(sub.to_undirected(), pos=start, weight=None, k=k, seed=seed,
                               iterations=30 if start else 80)
    # Saturated from red (all noted) through purple to blue (all supported): no pale middle that
    # would vanish on the white background.
    cmap = LinearSegmentedColormap.from_list("noted-supported", ["#b2182b", "#7b3294", "#2166ac"])
    norm = Normalize(0, 1)
    has_share = all("supported_share" in d for *_, d in sub.edges(data=True))
    edge_colours = [cmap(norm(d["supported_share"])) if has_share else "#555555" for *_, d in sub.edges(data=True)]
    widths = [0.6 + 7.4 * (w / wmax) for w in weights]
    nx.draw_networkx_edges(sub, pos, ax=ax, width=widths, edge_color=edge_colours, alpha=0.85, arrows=True,
                           arrowstyle="-|>", arrowsize=12, node_size=[_node_size(sub, n, strength, smax, focus)
                                                                      for n in sub],
                           connectionstyle="arc3,rad=0.08" if focus is None else "arc3,rad=0.0")
    nodes = list(sub)
    nx.draw_networkx_nodes(sub, pos, ax=ax, nodelist=nodes,
                           node_color=[GROUP_COLOURS.get(str(sub.nodes[n].get("regional_group_code", "")),
                                                         GROUP_COLOURS[""]) for n in nodes],
                           node_size=[_node_size(sub, n, strength, smax, focus) for n in nodes],
                           edgecolors="#222222", linewidths=0.8)
    _labels(ax, sub, pos, focus)
    groups = sorted({(str(sub.nodes[n].get("regional_group_code", "")), str(sub.nodes[n].get("regional_group",
                                                                                                NO_GROUP)))
                     for n in nodes})
    handles = [Patch(facecolor=GROUP_COLOURS.get(code, GROUP_COLOURS[""]), edgecolor="#222222", label=label)
               for code, label in groups]
    samples = sorted({max(1, round(wmax / 4)), max(1, round(wmax / 2)), wmax})
    handles += [Line2D([0], [0], color="#555555", lw=0.6 + 7.4 * (s / wmax),
                       label=f"{s} recommendation{'s' if s != 1 else ''}") for s in samples]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=11, frameon=False,
              title="node colour: regional group of the State    edge width: recommendations", title_fontsize=11)
    if has_share:
        bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.4, pad=0.02)
        bar.set_label("edge colour: share of the recommendations the State under review supported", fontsize=11)
        bar.ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    fig.suptitle(title or _title(sub, focus, direction, top), fontsize=17, y=0.985)
    ax.set_title(f"{g.graph.get('filters', '')}: {sub.number_of_edges()} of {g.number_of_edges()} links shown; "
                 "labels are ISO 3166 alpha-3 codes" + ("" if focus is None else
                                                        ", recommendations and share supported"),
                 fontsize=11, color="#333333")
    if focus is not None:  # room for the radial labels
        ax.set_xlim(-1.42, 1.42)
        ax.set_ylim(-1.42, 1.42)
        ax.set_aspect("equal")
    else:
        ax.margins(0.06)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def _node_size(sub: nx.DiGraph, n: str, strength: dict, smax: float, focus: str | None) -> float:
    if focus is not None and n == focus:
        return 2200
    if focus is None:  # big enough to hold the ISO3 label
        return 560 + 900 * math.sqrt(strength[n] / smax)
    return 180 + 1400 * math.sqrt(strength[n] / smax)


def _labels(ax, sub: nx.DiGraph, pos: dict, focus: str | None) -> None:
    """Around a focus: radial labels outside the circle ("CAN 14 (14%)": recommendations and share
    supported), turned along their spoke so that none overlap; otherwise ISO3 codes on the nodes."""
    for n, (x, y) in pos.items():
        if focus is not None and n != focus:
            d = sub[n][focus] if sub.has_edge(n, focus) else sub[focus][n]
            w = d["weight"] if not (sub.has_edge(n, focus) and sub.has_edge(focus, n)) else (
                sub[n][focus]["weight"] + sub[focus][n]["weight"])
            share = f" ({round(100 * d['supported_share'])}%)" if "supported_share" in d else ""
            angle = math.degrees(math.atan2(y, x))
            left = x < -1e-9 or (abs(x) < 1e-9 and y < 0)
            ax.text(x * 1.09, y * 1.09, f"{n} {w}{share}", rotation=angle + 180 if left else angle,
                    rotation_mode="anchor", ha="right" if left else "left", va="center", fontsize=10)
        else:
            colour = GROUP_COLOURS.get(str(sub.nodes[n].get("regional_group_code", "")), GROUP_COLOURS[""])
            ax.text(x, y, n, ha="center", va="center", fontsize=9 if focus is None else 13,
                    fontweight="bold", color="white" if n == focus or _dark(colour) else "black")


def _dark(colour: str) -> bool:
    r, g, b = _hex_rgb(colour)
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _title(sub: nx.DiGraph, focus: str | None, direction: str, top: int | None) -> str:
    if focus is None:
        return f"UPR recommendations: the {sub.number_of_edges()} heaviest recommending-State links"
    name = sub.nodes[focus].get("name", focus)
    what = {"in": f"States recommending to {name}", "out": f"States {name} recommends to",
            "both": f"{name}: recommendations made and received"}[direction]
    return f"UPR recommendations: {what}" + (f" (top {top})" if top else "")
