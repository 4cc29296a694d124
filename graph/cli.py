"""The ``policykg`` command line: thin commands over the library functions.

Heavy imports (jieba, pyoxigraph, networkx) happen inside commands, so
``policykg --help`` starts fast.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

DEFAULT_OUT = "policykg-out"


def _progress(iterable, total):
    if not sys.stderr.isatty():
        yield from iterable
        return
    with click.progressbar(iterable, length=total, label="Building documents", file=sys.stderr,
                           show_eta=True, show_pos=True) as bar:
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
              help="Folder for the outputs: store/, graph.ttl, graph.nq, coordination.html, diagnostics.json.")
@click.option("--base", "base_iri", default=None, help="Base IRI for the graph's resources (default: $POLICYKG_BASE or https://w3id.org/policykg/id/).")
@click.option("--max-size", "max_mb", default=50.0, show_default=True, help="Skip documents larger than this many MB (reported as errors).")
@click.option("--keep-going/--stop-on-error", default=True, show_default=True,
              help="Whether to build the remaining documents when one fails.")
@click.option("--no-view", is_flag=True, help="Do not write the HTML view of the coordination network.")
@click.option("--diagnostics", "show_diag", is_flag=True, help="Also print what extraction could not resolve (agency-like strings, tasks without an assignment, unclaimed table cells).")
def build(paths, out_dir, base_iri, max_mb, keep_going, no_view, show_diag):
    """Build the knowledge graph of PATHS (files or folders; default: the bundled seed documents).

    Writes into --out: the graph as sorted Turtle (graph.ttl) and as N-Quads with one
    named graph per document (graph.nq), an embedded SPARQL store (store/), an HTML view
    of the coordination network (coordination.html), and diagnostics.json. Prints a
    summary: documents, agencies, tasks, mechanisms, pilot zones, triples, and the
    agencies with the highest betweenness (the brokers of the coordination network).
    """
    from policykg.graph.build import build_corpus

    report = build_corpus(list(paths) or None, out_dir, base_iri=base_iri, max_bytes=int(max_mb * 1_000_000),
                          keep_going=keep_going, view=not no_view, progress=_progress)
    for err in report.errors:
        click.echo(f"error: {err.path}: {err.reason}", err=True)
    if not report.documents:
        raise click.ClickException("no document could be built; nothing was written")
    c = report.counts
    click.echo(f"Built {c['documents']} documents into {report.out_dir}/")
    click.echo(f"  agencies: {c['agencies']}  tasks: {c['tasks']}  mechanisms: {c['mechanisms']}  "
               f"pilot zones: {c['zones']}  triples: {c['triples']}")
    if report.top_betweenness:
        click.echo("  highest betweenness in the coordination network (brokers):")
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


def main():
    cli(prog_name="policykg")


if __name__ == "__main__":
    main()
