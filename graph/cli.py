"""The ``policykg`` command line: thin commands over the library functions.

Heavy imports (jieba, pyoxigraph, networkx) happen inside commands, so
``policykg --help`` starts fast.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from policykg.graph.cli_common import DEFAULT_OUT, open_store_or_fail, store_option

# Modules that contribute commands: each defines COMMANDS (click commands) and imports
# only click at module level, so `policykg --help` stays fast.
_COMMAND_MODULES = ("cli_analytics", "cli_view", "cli_serve", "cli_instruments")


def _progress(iterable, total, total_bytes=0):
    """A progress bar over documents (count, MB, ETA) when stderr is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield from iterable
        return
    seen: dict[str, int] = {}

    def show(item):  # called at every redraw: count each document once
        if item is None:
            return None
        seen.setdefault(getattr(item, "name", getattr(item, "path", "")), getattr(item, "info", {}).get("bytes", 0))
        return f"{sum(seen.values()) / 1e6:.2f}/{total_bytes / 1e6:.2f} MB"

    with click.progressbar(iterable, length=total, label="Building documents", file=sys.stderr,
                           show_eta=True, show_pos=True, item_show_func=show) as bar:
        yield from bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show progress messages and details of what was read.")
def cli(verbose: bool):
    """policykg: knowledge graphs of who coordinates with whom, read from Chinese policy documents.

    Build a graph from documents (`policykg build`), then query it with SPARQL,
    measure the coordination network, and export views for briefings.
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True, type=click.Path(path_type=Path),
              help="Folder for the outputs: store/, turtle/, coordination.html, diagnostics.json, manifest.json.")
@click.option("--base", "base_iri", default=None, help="Base IRI for the graph's resources (default: $POLICYKG_BASE or https://w3id.org/policykg/id/).")
@click.option("--max-size", "max_mb", default=50.0, show_default=True, help="Skip documents larger than this many MB (reported as errors).")
@click.option("--keep-going/--stop-on-error", default=True, show_default=True,
              help="Whether to build the remaining documents when one fails.")
@click.option("--no-view", is_flag=True, help="Do not write the HTML view of the coordination network.")
@click.option("--diagnostics", "show_diag", is_flag=True, help="Also print what extraction could not resolve (agency-like strings, tasks without an assignment, unclaimed table cells).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of the graph (faster on very large corpora).")
@click.option("--shapes", "shapes", default=None, type=click.Path(exists=True, dir_okay=False),
              help="A Turtle file of further SHACL shapes (your project's own constraints), checked with policykg's.")
@click.option("-j", "--workers", default=None, type=int, help="Worker processes (default: one per CPU). The output is the same for any number.")
@click.option("--full", is_flag=True, help="Rebuild every document, even those unchanged since the last build into --out.")
@click.option("--prune", is_flag=True, help="Drop from the graph the documents built before but not given now.")
def build(paths, out_dir, base_iri, max_mb, keep_going, no_view, show_diag, no_validate, shapes, workers, full, prune):
    """Build the knowledge graph of PATHS (files or folders; default: the bundled seed documents).

    Writes into --out: each document's named graph as a sorted Turtle file
    (turtle/documents/), an embedded SPARQL store (store/), an HTML view
    of the coordination network (coordination.html), and diagnostics.json. Folders are
    searched recursively; documents unchanged since the last build into --out are not
    rebuilt; copies of one document are built once. Prints a
    summary: documents, agencies, tasks, mechanisms, pilot zones, triples, and the
    agencies with the highest betweenness (the brokers of the coordination network).
    """
    from policykg.graph.build import ValidationFailed, build_corpus

    try:
        report = build_corpus(list(paths) or None, out_dir, base_iri=base_iri, max_bytes=int(max_mb * 1_000_000),
                              keep_going=keep_going, view=not no_view,
                              validate=False if no_validate else (str(Path(shapes).resolve()) if shapes else True),
                              workers=workers, incremental=not full, prune=prune, progress=_progress)
    except ValidationFailed as exc:
        for v in exc.violations[:50]:
            click.echo(f"SHACL violation: {v.focus}: {v.path}: {v.message}", err=True)
        raise click.ClickException(f"the graph violates {len(exc.violations)} SHACL constraint(s); "
                                   f"nothing was written to {out_dir}") from exc
    for err in report.errors:
        click.echo(f"error: {err.path}: {err.reason}", err=True)
    if not report.documents:
        raise click.ClickException("no document could be built; nothing was written")
    for dup, kept in report.duplicates:
        click.echo(f"duplicate: {dup} is the same text as {kept}; built once", err=True)
    c = report.counts
    click.echo(f"Built {c['documents']} documents into {report.out_dir}/ "
               f"({len(report.built)} built, {len(report.reused)} unchanged"
               + (f", {len(report.pruned)} pruned" if report.pruned else "") + ")")
    click.echo(f"  agencies: {c['agencies']}  tasks: {c['tasks']}  mechanisms: {c['mechanisms']}  "
               f"pilot zones: {c['zones']}  triples: {c['triples']}")
    if report.top_betweenness:
        how = (f", estimated from {report.brokers_sampled} sampled sources; `policykg centrality` is exact"
               if report.brokers_sampled else "")
        click.echo(f"  highest betweenness in the coordination network (brokers{how}):")
        for label, value in report.top_betweenness:
            click.echo(f"    {value:.3f}  {label}")
    click.echo("  outputs: " + ", ".join(report.outputs))
    if show_diag:
        import json

        diag = json.loads((report.out_dir / "diagnostics.json").read_text(encoding="utf-8"))
        for doc, items in diag.items():
            for d in items:
                click.echo(f"  diagnostic {doc}: {d['kind']}: {d.get('quote', d.get('text', ''))}")
    if report.errors:
        sys.exit(1)


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder holding the documents the gold files name (default: the bundled seeds).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (micro averages and per document).")
def eval_cmd(gold_dir, docs_dir, as_json):
    """Score extraction against hand annotations in GOLD_DIR (one JSON file per document).

    Builds the documents the gold files name and compares agencies, role assignments,
    pilot zones and their industries, mechanisms and targets with the annotations,
    reading the graph through SPARQL. Use it on a few of your own annotated documents
    before trusting the network measures on a thousand.
    """
    import json

    from policykg.graph.evaluate import evaluate, format_table

    try:
        result = evaluate(gold_dir, docs_dir)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(format_table(result))


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-e", "--expr", "expr", default=None, help="A SPARQL query given on the command line.")
@click.option("--name", "name", default=None, help="A named research query (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind a query variable: an IRI, or a label such as 区市场监管局 (resolved to its IRI), or a literal.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "nt", "ttl"]), default="table",
              show_default=True, help="Rows as a table (IRIs with labels), CSV, TSV or SPARQL JSON; graphs as Turtle or N-Triples.")
@click.option("--list", "list_", is_flag=True, help="List the named research queries and the question each answers.")
@store_option
def query(file, expr, name, params, fmt, list_, store_dir):
    """Run a SPARQL query (FILE.rq, -e 'SPARQL' or --name NAME) on the built graph.

    SELECT, ASK, CONSTRUCT and DESCRIBE work; the default graph is the union of all
    documents' graphs. Parameters are bound by the query engine, never pasted into the
    query text: `policykg query --name tasks-of-agency --param agency=区市场监管局`.
    """
    from policykg.graph.query import format_result, named_queries, run_query

    catalogue = named_queries()
    if list_:
        for q in catalogue.values():
            click.echo(f"{q.name:<26} {q.question}")
        return
    given = [x for x in (file, expr, name) if x]
    if len(given) != 1:
        raise click.UsageError("give exactly one of FILE, -e/--expr or --name (or --list)")
    if name:
        if name not in catalogue:
            raise click.ClickException(f"no named query {name!r}; `policykg query --list` shows them")
        text = catalogue[name].text
    elif expr:
        text = expr
    else:
        text = file.read_text(encoding="utf-8")
    bindings = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param takes KEY=VALUE, got {p!r}")
        bindings[key.strip().lstrip("?")] = value
    store = open_store_or_fail(store_dir)
    required = tuple(catalogue[name].parameters) if name else ()
    try:
        result = run_query(store, text, bindings, resources=required)
    except SyntaxError as exc:
        raise click.ClickException(f"SPARQL syntax error: {exc}") from exc
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_result(store, result, fmt).rstrip("\n"))


def _register():
    import importlib

    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"policykg.graph.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main():
    cli(prog_name="policykg")


if __name__ == "__main__":
    main()
