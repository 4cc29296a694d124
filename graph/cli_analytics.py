"""Analytics commands: centrality, brokerage, summary, communities, compare, path, export.

Only click (and cli_common) are imported at module level, so ``policykg --help``
stays fast; networkx, pandas and the store are imported inside the commands.
The meanings printed by ``--help`` come from :data:`analytics.MEASURES`, read
only when that help page is shown.
"""
from __future__ import annotations

from pathlib import Path

import click

from policykg.graph.cli_common import open_store_or_fail, store_option

#: Layers a command can measure: the co-assignment network (all pairs, or only
#: some role pairs) and the directed lead → others network.
LAYERS = ("coordination", "lead-support", "lead-responsible", "co-responsible", "lead")
#: Same names and order as analytics.CENTRALITY_MEASURES (kept literal so that
#: building the command line does not import networkx; a test checks they agree).
CENTRALITY_NAMES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")
BROKERAGE_NAMES = ("constraint", "effective_size", "efficiency", "hierarchy")
ROLE_NAMES = ("lead", "responsible", "support", "division")
LEVEL_NAMES = ("national", "provincial", "city", "district")
EXPORT_NAMES = ("graphml", "gexf", "pajek", "ucinet", "csv")
_SUFFIX = {"graphml": ".graphml", "gexf": ".gexf", "pajek": ".net", "ucinet": ".dl", "csv": ".csv"}

#: What the whole-network statistics of `policykg summary` mean.
SUMMARY_MEANINGS = {
    "nodes": "agencies in the network after the filters",
    "edges": "pairs of agencies that share at least one task (arcs lead → other on the lead layer)",
    "directed": "whether ties have a direction (only the lead layer)",
    "density": "the share of all possible pairs that actually coordinate",
    "components": "groups of agencies with no coordination path between groups",
    "largest_component": "agencies in the biggest connected group",
    "isolates": "agencies without a partner: every task they hold they carry alone (collectives aside)",
    "degree_centralization": "how far coordination is concentrated on one agency's partners (1 = a star)",
    "betweenness_centralization": "how far brokerage is concentrated in one agency (1 = a star)",
    "average_clustering": "how often two partners of an agency also coordinate with each other",
}


# ---------------------------------------------------------------------------
# help pages that explain the measures
# ---------------------------------------------------------------------------


class _ExplainedCommand(click.Command):
    """A command whose help ends with what its measures mean (read lazily from analytics.MEASURES)."""

    def __init__(self, *args, explains: tuple[str, ...] = (), extra: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.explains = explains
        self.extra = extra or {}

    def format_help_text(self, ctx, formatter):
        super().format_help_text(ctx, formatter)
        rows = []
        if self.explains:
            from policykg.graph.analytics import MEASURES

            rows += [(name, _sentence(MEASURES[name])) for name in self.explains]
        rows += [(name, _sentence(text)) for name, text in self.extra.items()]
        if rows:
            with formatter.section("What they mean for coordination research"):
                formatter.write_dl(rows)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# ---------------------------------------------------------------------------
# shared options and helpers
# ---------------------------------------------------------------------------


def _parse_years(ctx, param, value):
    import re

    if value is None:
        return None
    text = value.strip()
    for dash in ("–", "—", "~", "..", ":"):
        text = text.replace(dash, "-")
    m = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", text)
    if not m:
        raise click.BadParameter(f"{value!r}: give a year (2023) or a range (2014-2023)")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        raise click.BadParameter(f"{value!r}: the first year is after the last")
    return (first, last)


def _filter_options(f, *, layer: bool = True):
    options = [
        click.option("--document", "documents", multiple=True, metavar="FILE",
                     help="Only tasks of this source document (its file name, e.g. 002_2bca6094475032cd.txt); "
                          "repeat for several."),
        click.option("--years", callback=_parse_years, metavar="FIRST-LAST",
                     help="Only documents issued in these years (dct:issued), e.g. 2014-2023 or 2023."),
        click.option("--jurisdiction", default=None,
                     help="Only agencies of this jurisdiction (part of its canonical name, e.g. 渝中区)."),
        click.option("--level", type=click.Choice(LEVEL_NAMES), default=None,
                     help="Only agencies of this level of government."),
        click.option("--role", "roles", multiple=True, type=click.Choice(ROLE_NAMES),
                     help="Only assignments in this role (repeatable; default: all four)."),
        click.option("--follow-successions", is_flag=True,
                     help="Merge agencies ended by an institutional reform into their successors (市工商局, 市质监局 → "
                          "市场监管局, per the gazetteer's org:ChangeEvents), so roles before and after a reform line up "
                          "in comparisons over time. Merged nodes list their predecessors in merged_from."),
        click.option("--with-collectives", is_flag=True,
                     help="Keep collective actors (各有关部门, 领导小组各成员单位 …) as nodes. They are left out by "
                          "default: a placeholder tied to every agency would dominate path-based measures."),
        store_option,
    ]
    if layer:
        options.insert(0, click.option(
            "--layer", type=click.Choice(LAYERS), default="coordination", show_default=True,
            help="Which ties: coordination = agencies on the same task; lead-support / lead-responsible = only "
                 "between a lead and its supporters / co-responsible units; co-responsible = among units "
                 "responsible together; lead = directed ties from a task's lead to the others."))
    for option in reversed(options):
        f = option(f)
    return f


def filter_options(f):
    return _filter_options(f)


def weight_option(f):
    return click.option(
        "--unweighted", is_flag=True,
        help="Ignore how many tasks two agencies share (binary ties, hop-count paths), as binary UCINET or Gephi "
             "analyses report. By default tie strength = shared tasks, and betweenness/closeness use the "
             "distance 1/strength.")(f)


_FORMAT_HELP = {"table": "an aligned table for reading", "text": "sentences for reading",
                "csv": "CSV for spreadsheets and R", "json": "JSON for programs"}


def format_option(choices=("table", "csv", "json")):
    def deco(f):
        return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
                            help="Output: " + ", ".join(_FORMAT_HELP[c] for c in choices) + ".")(f)
    return deco


def _documents(store) -> list[tuple[str, int | None]]:
    """(source file, year issued) of every document in the store, sorted by year then name."""
    from policykg.graph.projections import PREFIXES, query_rows

    q = PREFIXES + """SELECT DISTINCT ?name ?date WHERE {
      ?d a pk:PolicyDocument ; pk:sourceFile ?name . OPTIONAL { ?d dct:issued ?date } }"""
    years: dict[str, int | None] = {}
    for sol in query_rows(store, q):
        name = sol["name"].value
        date = sol["date"].value if sol["date"] is not None else ""
        year = int(date[:4]) if date[:4].isdigit() else None
        if years.get(name) is None:
            years[name] = year
    return sorted(years.items(), key=lambda kv: (kv[1] is None, kv[1] or 0, kv[0]))


def _describe_documents(docs) -> str:
    return ", ".join(f"{name} ({year or 'no date'})" for name, year in docs)


def _filters(store, opts: dict, **override):
    from policykg.graph.projections import ROLES, Filters

    import unicodedata

    documents = tuple(opts.get("documents") or ())
    if documents:
        known = _documents(store)
        names = {n for n, _ in known}
        unknown = [d for d in documents if d not in names]
        if unknown:
            raise click.ClickException(
                f"no document {', '.join(repr(d) for d in unknown)} in this store; it holds: {_describe_documents(known)}")
    jurisdiction = opts.get("jurisdiction")
    values = dict(
        documents=documents,
        years=opts.get("years"),
        roles=tuple(opts.get("roles") or ()) or ROLES,
        jurisdiction=unicodedata.normalize("NFKC", jurisdiction).strip() if jurisdiction else None,
        level=opts.get("level"),
        collectives=bool(opts.get("with_collectives")),
        follow_successions=bool(opts.get("follow_successions")),
    )
    values.update(override)
    return Filters(**values)


def _project(store, filters, layer: str):
    from policykg.graph import projections as pj

    if layer == "lead":
        return pj.lead_network(store, filters)
    return pj.coordination_network(store, filters, layer=None if layer == "coordination" else layer)


def _describe_filters(filters, layer: str | None = None) -> str:
    parts = []
    if layer:
        parts.append(f"layer {layer}")
    parts.append("documents " + (", ".join(filters.documents) if filters.documents else "all"))
    if filters.years:
        a, b = filters.years
        parts.append(f"years {a}" if a == b else f"years {a}-{b}")
    if filters.jurisdiction:
        parts.append(f"jurisdiction {filters.jurisdiction}")
    if filters.level:
        parts.append(f"level {filters.level}")
    if tuple(filters.roles) != ROLE_NAMES:
        parts.append("roles " + ", ".join(filters.roles))
    parts.append("collectives " + ("kept" if filters.collectives else "left out"))
    return "; ".join(parts)


def _network(opts: dict, *, layer: str | None = None):
    """(store, filters, graph) for the options, or a ClickException when nothing is left."""
    store = open_store_or_fail(opts["store_dir"])
    filters = _filters(store, opts)
    layer = layer or opts.get("layer") or "coordination"
    G = _project(store, filters, layer)
    if G.number_of_nodes() == 0:
        raise click.ClickException(
            f"the network is empty after the filters ({_describe_filters(filters, layer)}); documents in this "
            f"store: {_describe_documents(_documents(store))}")
    return store, filters, G


def _weight(opts: dict):
    return None if opts.get("unweighted") else "weight"


def _exclude(opts: dict):
    return () if opts.get("with_collectives") else ("collective",)


def _plain(x):
    """A JSON/CSV-friendly Python value (numpy scalars unwrapped, NaN → None)."""
    import math

    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            x = x.item()
        except (TypeError, ValueError):
            pass
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def _cell(x) -> str:
    x = _plain(x)
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.4f}"
    return str(x)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_table(headers: list[str], rows: list[list], right: set[int] | None = None) -> str:
    """An aligned text table; CJK characters count as two columns (east-asian width)."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    if right is None:
        right = {i for i in range(len(headers))
                 if rows and all(isinstance(_plain(r[i]), (int, float)) or _plain(r[i]) is None for r in rows)}
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for k, row in enumerate(cells):
        parts = []
        for i, c in enumerate(row):
            pad = " " * (widths[i] - _width(c))
            parts.append(pad + c if i in right else c + pad)
        lines.append("  ".join(parts).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _csv(headers: list[str], rows: list[list]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if _plain(c) is None else _plain(c) for c in row])
    return buf.getvalue().rstrip("\n")


def _json(obj) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, indent=2, default=_plain)


def _header(G, filters, layer: str) -> str:
    import networkx as nx

    n, m = G.number_of_nodes(), G.number_of_edges()
    comps = nx.number_weakly_connected_components(G) if G.is_directed() else nx.number_connected_components(G)
    ties = "arcs" if G.is_directed() else "ties"
    return (f"{n} agencies, {m} {ties}, density {nx.density(G):.3f}, {comps} component(s), "
            f"{nx.number_of_isolates(G)} isolated  [{_describe_filters(filters, layer)}]")


def _top(df, top: int):
    return df if not top or top < 0 else df.head(top)


# ---------------------------------------------------------------------------
# centrality
# ---------------------------------------------------------------------------


@click.command(cls=_ExplainedCommand, explains=CENTRALITY_NAMES)
@click.option("--measure", "measures", multiple=True, type=click.Choice(CENTRALITY_NAMES),
              help="A measure to compute (repeatable; default: all six). The table is sorted by the first.")
@click.option("--top", default=20, show_default=True, help="Show this many agencies (0 = all).")
@format_option()
@weight_option
@filter_options
def centrality(measures, top, fmt, **opts):
    """Who is central in the coordination network: one row per agency, one column per measure.

    Agencies are linked when the documents assign them to the same task (weight =
    number of shared tasks). The table header also states the network's size,
    density and components (`policykg summary` gives the full whole-network statistics).
    Collective actors are left out unless --with-collectives.

    \b
    Example:
      policykg centrality --document 002_2bca6094475032cd.txt --top 5
      policykg centrality --years 2014-2017 --measure betweenness --format csv
    """
    from policykg.graph.analytics import CENTRALITY_MEASURES, centrality_table

    measures = tuple(measures) or CENTRALITY_MEASURES
    _, filters, G = _network(opts)
    table = centrality_table(G, measures, weight=_weight(opts), exclude_kinds=_exclude(opts))
    shown = _top(table, top)
    headers = ["rank", "label", "kind", *measures]
    rows = [[i, r["label"], r["kind"], *[r[m] for m in measures]] for i, (_, r) in enumerate(shown.iterrows(), 1)]
    if fmt == "table":
        click.echo(f"Centrality ({'binary ties' if opts['unweighted'] else 'ties weighted by shared tasks'}): "
                   + _header(G, filters, opts["layer"]))
        if len(shown) < len(table):
            click.echo(f"Top {len(shown)} of {len(table)} agencies by {measures[0]}.")
        click.echo(render_table(headers, rows, right={0, *range(3, len(headers))}))
    elif fmt == "csv":
        click.echo(_csv(["rank", "node", "label", "kind", *measures],
                        [[i, node, r["label"], r["kind"], *[r[m] for m in measures]]
                         for i, (node, r) in enumerate(shown.iterrows(), 1)]))
    else:
        click.echo(_json({
            "layer": opts["layer"], "filters": _describe_filters(filters), "weighted": not opts["unweighted"],
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "measures": list(measures),
            "rows": [{"rank": i, "node": node, "label": r["label"], "kind": r["kind"],
                      **{m: _plain(r[m]) for m in measures}}
                     for i, (node, r) in enumerate(shown.iterrows(), 1)],
        }))


# ---------------------------------------------------------------------------
# brokerage
# ---------------------------------------------------------------------------


@click.command(cls=_ExplainedCommand, explains=BROKERAGE_NAMES)
@click.option("--top", default=20, show_default=True, help="Show this many agencies (0 = all).")
@format_option()
@weight_option
@filter_options
def brokerage(top, fmt, **opts):
    """Brokers and closed groups: Burt's structural-hole measures per agency.

    Sorted by constraint, lowest first: the agencies at the top bridge partners that
    do not coordinate with each other. Isolated agencies have no value (-).
    """
    from policykg.graph.analytics import brokerage as burt

    _, filters, G = _network(opts)
    table = burt(G, weight=_weight(opts))
    if not opts.get("with_collectives"):
        table = table[table["kind"] != "collective"]
    shown = _top(table, top)
    cols = list(BROKERAGE_NAMES)
    if fmt == "table":
        click.echo("Brokerage (Burt): " + _header(G, filters, opts["layer"]))
        rows = [[i, r["label"], r["kind"], *[r[c] for c in cols]] for i, (_, r) in enumerate(shown.iterrows(), 1)]
        click.echo(render_table(["rank", "label", "kind", *cols], rows, right={0, 3, 4, 5, 6}))
    elif fmt == "csv":
        click.echo(_csv(["rank", "node", "label", "kind", *cols],
                        [[i, node, r["label"], r["kind"], *[r[c] for c in cols]]
                         for i, (node, r) in enumerate(shown.iterrows(), 1)]))
    else:
        click.echo(_json({
            "layer": opts["layer"], "filters": _describe_filters(filters), "weighted": not opts["unweighted"],
            "rows": [{"rank": i, "node": node, "label": r["label"], "kind": r["kind"],
                      **{c: _plain(r[c]) for c in cols}} for i, (node, r) in enumerate(shown.iterrows(), 1)],
        }))


# ---------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------


@click.command(cls=_ExplainedCommand, extra=SUMMARY_MEANINGS)
@format_option(("table", "json"))
@filter_options
def summary(fmt, **opts):
    """Whole-network statistics for a methods section: size, density, components, centralization.

    Centralizations follow Freeman (1979) on binary ties; they are empty (-) below
    three agencies.
    """
    from policykg.graph.analytics import network_summary

    _, filters, G = _network(opts)
    stats = network_summary(G)
    if fmt == "json":
        click.echo(_json({"layer": opts["layer"], "filters": _describe_filters(filters),
                          **{k: _plain(v) for k, v in stats.items()}}))
        return
    click.echo(f"Network summary [{_describe_filters(filters, opts['layer'])}]")
    click.echo(render_table(["statistic", "value"], [[k, v] for k, v in stats.items()], right={1}))


# ---------------------------------------------------------------------------
# communities
# ---------------------------------------------------------------------------


@click.command()
@click.option("--seed", default=0, show_default=True, help="Random seed of the Louvain method: the same seed gives "
                                                           "the same communities.")
@click.option("--resolution", default=1.0, show_default=True, type=float,
              help="Above 1 favours more, smaller communities; below 1 fewer, larger ones.")
@format_option()
@weight_option
@filter_options
def communities(seed, resolution, fmt, **opts):
    """Groups of agencies that coordinate mostly among themselves (Louvain, fixed seed).

    Prints each community (numbered from 1, largest first) with its members and the
    partition's modularity Q: the share of ties inside communities minus what random
    ties would give (above about 0.3 the groups are clearly separated).
    """
    from policykg.graph.analytics import community_table

    if resolution <= 0:
        raise click.BadParameter("must be positive", param_hint="--resolution")
    _, filters, G = _network(opts)
    table = community_table(G, seed=seed, resolution=resolution, weight=_weight(opts))
    q = _plain(table.attrs.get("modularity"))
    if not opts.get("with_collectives"):
        table = table[table["kind"] != "collective"]
    groups: dict[int, list[tuple[str, str, str]]] = {}
    for node, r in table.iterrows():
        groups.setdefault(int(r["community"]) + 1, []).append((node, r["label"], r["kind"]))
    if fmt == "table":
        click.echo(f"Louvain communities (seed {seed}, resolution {resolution:g}, "
                   f"{'binary ties' if opts['unweighted'] else 'weighted by shared tasks'}): "
                   + _header(G, filters, opts["layer"]))
        click.echo(f"{len(groups)} communities, modularity Q = {_cell(q)}")
        for cid, members in groups.items():
            click.echo(f"Community {cid} ({len(members)}): " + "、".join(label for _, label, _ in members))
    elif fmt == "csv":
        click.echo(_csv(["community", "node", "label", "kind"],
                        [[cid, node, label, kind] for cid, members in groups.items() for node, label, kind in members]))
    else:
        click.echo(_json({
            "layer": opts["layer"], "filters": _describe_filters(filters), "seed": seed, "resolution": resolution,
            "modularity": q,
            "communities": [{"community": cid, "size": len(members),
                             "members": [{"node": n, "label": lab, "kind": k} for n, lab, k in members]}
                            for cid, members in groups.items()],
        }))


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


@click.command(cls=_ExplainedCommand, explains=CENTRALITY_NAMES)
@click.option("--by", "by", type=click.Choice(["year", "document"]), default="year", show_default=True,
              help="year: one network per year of issue (dct:issued); document: one per document, in date order.")
@click.option("--measure", type=click.Choice(CENTRALITY_NAMES), default="degree", show_default=True,
              help="The measure to compare.")
@click.option("--top", default=10, show_default=True,
              help="Rows: the agencies in the top N of at least one period; changes: at most N per list (0 = all).")
@format_option()
@weight_option
@filter_options
def compare(by, measure, top, fmt, **opts):
    """How coordination changed: one measure per period, and who entered, left, rose or fell.

    Builds the network of each year (or document) separately, computes the measure
    in each, and lists, for each pair of consecutive periods, the agencies that
    entered, left, rose and fell. The CSV output is the wide table only.
    """
    from policykg.graph.analytics import changes, compare_periods

    store = open_store_or_fail(opts["store_dir"])
    base = _filters(store, opts)
    docs = [(d, y) for d, y in _documents(store) if not base.documents or d in base.documents]
    if base.years:
        docs = [(d, y) for d, y in docs if y is not None and base.years[0] <= y <= base.years[1]]
    periods: dict[str, object] = {}
    if by == "year":
        undated = [d for d, y in docs if y is None]
        for year in sorted({y for _, y in docs if y is not None}):
            periods[str(year)] = _project(store, _filters(store, opts, years=(year, year),
                                                          documents=base.documents), opts["layer"])
    else:
        undated = []
        for doc, _ in docs:
            periods[doc] = _project(store, _filters(store, opts, documents=(doc,)), opts["layer"])
    if not periods:
        raise click.ClickException(
            f"no {'dated ' if by == 'year' else ''}documents match the filters ({_describe_filters(base)}); "
            f"documents in this store: {_describe_documents(_documents(store))}")
    options = dict(weight=_weight(opts), exclude_kinds=_exclude(opts))
    table = compare_periods(periods, measure, **options)
    labels = list(periods)
    counts = measure in ("degree", "weighted_degree")  # whole numbers, stored as float because of gaps

    def value(x):
        x = _plain(x)
        return int(x) if counts and isinstance(x, float) and x.is_integer() else x
    if top and top > 0:
        keep = set()
        for p in labels:
            keep.update(table[p].dropna().sort_values(ascending=False, kind="mergesort").head(top).index)
        shown = table[table.index.isin(keep)]
    else:
        shown = table
    steps = []
    for before, after in zip(labels, labels[1:]):
        steps.append((before, after, changes(periods[before], periods[after], measure,
                                             top=(top if top and top > 0 else None), **options)))
    if fmt == "csv":
        click.echo(_csv(["node", "label", "kind", *labels],
                        [[node, r["label"], r["kind"], *[value(r[p]) for p in labels]] for node, r in shown.iterrows()]))
        return
    if fmt == "json":
        click.echo(_json({
            "by": by, "measure": measure, "layer": opts["layer"], "filters": _describe_filters(base),
            "periods": [{"period": p, "nodes": periods[p].number_of_nodes(), "edges": periods[p].number_of_edges()}
                        for p in labels],
            "undated_documents": undated,
            "rows": [{"node": node, "label": r["label"], "kind": r["kind"], **{p: value(r[p]) for p in labels}}
                     for node, r in shown.iterrows()],
            "changes": [{"from": b, "to": a, **{k: [{"node": n, "label": lab, "before": value(x), "after": value(y)}
                                                    for n, lab, x, y in v] for k, v in ch.items()}}
                        for b, a, ch in steps],
        }))
        return
    click.echo(f"{measure} by {by} [{_describe_filters(base, opts['layer'])}]")
    click.echo("Periods: " + ", ".join(f"{p} ({periods[p].number_of_nodes()} agencies, "
                                       f"{periods[p].number_of_edges()} ties)" for p in labels))
    if undated:
        click.echo("Not dated (left out): " + ", ".join(undated))
    click.echo(render_table(["label", "kind", *labels],
                            [[r["label"], r["kind"], *[value(r[p]) for p in labels]] for _, r in shown.iterrows()],
                            right=set(range(2, 2 + len(labels)))))
    for before, after, ch in steps:
        click.echo("")
        click.echo(f"{before} → {after}")
        for key, verb in (("entered", "entered"), ("left", "left"), ("rose", "rose"), ("fell", "fell")):
            items = ch[key]
            if not items:
                click.echo(f"  {verb}: none")
                continue
            text = "; ".join(f"{lab} {_cell(value(x))} → {_cell(value(y))}" for _, lab, x, y in items)
            click.echo(f"  {verb} ({len(items)}): {text}")


# ---------------------------------------------------------------------------
# path
# ---------------------------------------------------------------------------


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--max-paths", default=3, show_default=True, type=click.IntRange(min=1),
              help="Show at most this many of the shortest connections.")
@click.option("--with-collectives", is_flag=True,
              help="Also connect through collective actors (各有关部门 …), which would otherwise link almost "
                   "everything.")
@click.option("--tasks-only", is_flag=True,
              help="Connect only through tasks (items assigning work to agencies), not through other numbered "
                   "provisions that name a mechanism or pilot zone.")
@format_option(("text", "json"))
@store_option
def path(a, b, max_paths, with_collectives, tasks_only, fmt, store_dir):
    """Explain how A and B are connected, quoting the documents at every step.

    A and B are agencies, pilot zones, mechanisms or industries, in any of their
    names: 区市场监管局 or 重庆市渝中区市场监督管理局, 两江片区, 自贸试验区, a mechanism's
    label, an industry. The answer is the shortest chains of stated facts — an
    agency's role on a task, a task establishing a mechanism or concerning a pilot
    zone, a zone's industries, a 片区 being part of a zone — each with the document and
    the exact words it was read from. Collective actors (各有关部门 …) are not used as
    links unless --with-collectives; a collective named as A or B is always kept.

    \b
    Example:
      policykg path 区司法局 区法院
      policykg path 市知识产权局 两江片区 --max-paths 1
    """
    from policykg.graph import paths as P

    store = open_store_or_fail(store_dir)
    try:
        source, target = P.resolve_one(store, a), P.resolve_one(store, b)
    except (P.UnknownName, P.AmbiguousName) as exc:
        raise click.ClickException(str(exc)) from exc
    if source == target:
        raise click.ClickException(f"{a!r} and {b!r} name the same entity ({P.label_of(store, source)})")
    G = P.knowledge_graph(store, collectives=True, provisions=not tasks_only)
    found = P.explain_paths(store, source, target, max_paths, collectives=with_collectives,
                            provisions=not tasks_only, graph=G)
    a_label, b_label = P.label_of(store, source), P.label_of(store, target)
    absent = [lab for iri, lab in ((source, a_label), (target, b_label)) if iri not in G]
    if fmt == "json":
        click.echo(_json({"a": {"node": source, "label": a_label}, "b": {"node": target, "label": b_label},
                          "connected": bool(found), "paths": P.paths_as_dicts(found)}))
        return
    if absent:
        click.echo(f"{'、'.join(absent)}: named in the documents, but assigned no task and linked to no mechanism, "
                   "pilot zone or industry, so nothing connects it.")
        return
    click.echo(P.format_paths(found, a_label, b_label))
    if not found and not with_collectives:
        click.echo("(Collective actors such as 各有关部门 were not used as links; try --with-collectives.)")


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------


def _build_dir(store_dir: Path) -> Path:
    store_dir = Path(store_dir)
    if (store_dir / "store").is_dir():
        return store_dir
    if store_dir.name == "store":
        return store_dir.parent
    return store_dir


@click.command(cls=_ExplainedCommand, explains=CENTRALITY_NAMES)
@click.option("--format", "fmt", type=click.Choice(EXPORT_NAMES), default="graphml", show_default=True,
              help="graphml / gexf (Gephi, all attributes), pajek (.net), ucinet (DL edge list), csv (a node and an "
                   "edge file for R, pandas, spreadsheets).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="The file to write (default: <build dir>/<layer>.<ext>, e.g. policykg-out/coordination.graphml; "
                   "csv writes <name>_nodes.csv and <name>_edges.csv).")
@weight_option
@filter_options
def export(fmt, out, **opts):
    """Write the network for Gephi, UCINET, Pajek, R or pandas, with Chinese labels.

    Nodes carry label, kind, level, jurisdiction, documents and the six centrality
    measures (computed on the exported network); edges carry weight (shared tasks),
    role and the tasks' IRIs. Pajek and UCINET files hold only labels and weights.
    """
    from policykg.graph.analytics import CENTRALITY_MEASURES, centrality_table
    from policykg.graph.export import export_graph

    store, filters, G = _network(opts)
    table = centrality_table(G, CENTRALITY_MEASURES, weight=_weight(opts), exclude_kinds=())
    H = G.copy()
    for node, data in H.nodes(data=True):
        data.pop("provenance", None)
        for key in ("kind", "level", "jurisdiction"):
            data.setdefault(key, "")
        for m in CENTRALITY_MEASURES:
            data[m] = _plain(table.at[node, m]) if node in table.index else None
    for _, _, data in H.edges(data=True):
        data.pop("provenance", None)
    target = out or _build_dir(opts["store_dir"]) / f"{opts['layer']}{_SUFFIX[fmt]}"
    try:
        files = export_graph(H, fmt, target)
    except OSError as exc:
        raise click.ClickException(f"could not write {target}: {exc}") from exc
    ties = "arcs" if H.is_directed() else "ties"
    click.echo(f"Wrote {H.number_of_nodes()} agencies and {H.number_of_edges()} {ties} "
               f"[{_describe_filters(filters, opts['layer'])}] to " + ", ".join(str(f) for f in files))


COMMANDS = [centrality, brokerage, summary, communities, compare, path, export]
