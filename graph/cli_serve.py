"""`policykg serve` (a read-only SPARQL 1.1 endpoint) and `policykg push` (to any triple store)."""
from __future__ import annotations

import click

from policykg.graph.cli_common import store_option


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. The default serves only this machine; 0.0.0.0 exposes the data to the network.")
@click.option("--port", default=7878, show_default=True, help="TCP port.")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, help="Seconds a query may run before the endpoint answers 503.")
@click.option("--max-rows", default=100_000, show_default=True, help="Most rows (or triples) returned; more are cut and flagged in the X-Policykg-Truncated header.")
def serve(store_dir, host, port, timeout_s, max_rows):
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql.

    GET and POST queries, content negotiation for SPARQL JSON, XML, CSV and TSV results
    and Turtle / N-Triples graphs. Point YASGUI, SPARQLWrapper or rdflib's SPARQLStore at
    it. The default graph is the union of all documents. Stop it with Ctrl-C.
    """
    import logging
    from pathlib import Path

    from policykg.graph.endpoint import serve as run

    path = Path(store_dir)
    if not (path / "store").is_dir() and not path.is_dir():
        raise click.ClickException(f"no policykg store at {store_dir}: run `policykg build` first")
    logging.getLogger("policykg").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    click.echo(f"SPARQL endpoint: http://{host}:{port}/sparql  (read-only; Ctrl-C to stop)")
    run(path, host, port, timeout_s=timeout_s, max_rows=max_rows or None)


@click.command()
@store_option
@click.option("--endpoint", required=True, help="The triple store's SPARQL endpoint or base URL (Oxigraph server, Fuseki dataset, …).")
@click.option("--graph-store", default=None, help="Its SPARQL 1.1 Graph Store URL, if it cannot be derived from --endpoint (e.g. GraphDB, Virtuoso).")
@click.option("--user", default=None, help="HTTP Basic user name, if the store needs one.")
@click.option("--password", default=None, envvar="POLICYKG_PUSH_PASSWORD", help="HTTP Basic password (or $POLICYKG_PUSH_PASSWORD).")
def push(store_dir, endpoint, graph_store, user, password):
    """Upload every document's named graph to another triple store (SPARQL 1.1 Graph Store protocol).

    Each graph is PUT, replacing what the store held under that name, so pushing twice
    gives the same result (idempotent). Use it when a corpus outgrows one machine.
    """
    from pathlib import Path

    from policykg.graph.push import PushError, push as run

    auth = (user, password or "") if user else None
    try:
        report = run(Path(store_dir), endpoint, graph_store=graph_store, auth=auth)
    except PushError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(report))


COMMANDS = [serve, push]
