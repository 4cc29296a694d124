"""``policykg view``: one offline HTML page (and optionally a PNG) of a part of the graph.

Only click and cli_common are imported at module level (``policykg --help`` stays fast).
"""
from __future__ import annotations

from pathlib import Path

import click

from policykg.graph.cli_common import DEFAULT_OUT, open_store_or_fail, store_option

LAYERS = ("lead-support", "lead-responsible", "co-responsible")
DEFAULT_VIEW = f"{DEFAULT_OUT}/view.html"
#: Nodes drawn when --top is not given; larger views show the most central ones.
DEFAULT_MAX_NODES = 200


@click.command("view")
@click.option("--focus", metavar="AGENCY", default=None,
              help="Ego network of this agency: any of its names (区司法局, 重庆市渝中区司法局) or its IRI.")
@click.option("--depth", type=click.IntRange(min=1), default=None,
              help="With --focus: how many coordination hops to include (default 1 = the agencies that "
                   "share a task with it).")
@click.option("--layer", type=click.Choice(LAYERS), default=None,
              help="Coordination ties of one kind only (overview and --focus): lead with support, lead with "
                   "responsible, or co-responsible agencies.")
@click.option("--document", "document", metavar="NAME", default=None,
              help="Structure of one document: its file name (002_2bca6094475032cd.txt), file stem or title.")
@click.option("--zone", metavar="NAME", default=None,
              help="A pilot zone (两江片区): its industries, the provisions concerning it, their agencies "
                   "and mechanisms.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help=f"Show at most N nodes, the most central ones (default {DEFAULT_MAX_NODES}); in the "
                   "overview: the N agencies with the highest betweenness.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_VIEW,
              show_default=True, help="The HTML file to write (one self-contained file that works offline).")
@click.option("--png", "png", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a PNG screenshot of the view (for slides); needs Chromium and playwright.")
@store_option
def view(focus, depth, layer, document, zone, top, out, png, store_dir):
    """Write an interactive, offline HTML view of the graph for briefings.

    \b
    Which view:
      (no option)        the coordination network of all agencies, sized by betweenness
      --focus AGENCY     the ego network of one agency (--depth hops)
      --zone NAME        a pilot zone -> industries -> provisions -> agencies, mechanisms
      --document NAME    a document -> sections -> tasks -> agencies (by role), mechanisms

    Hover a node or an edge to see the sentences it comes from; click it for all of them.
    The caption names the source documents and the build date. Examples:

    \b
      policykg view --focus 区司法局 --out sfj.html
      policykg view --zone 两江片区 --png zone.png
      policykg view --document 002_2bca6094475032cd.txt
    """
    chosen = [name for name, value in (("--focus", focus), ("--zone", zone), ("--document", document))
              if value is not None]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} select different views; give only one of them")
    if depth is not None and focus is None:
        raise click.UsageError("--depth goes with --focus (the ego network of an agency)")
    if layer is not None and (zone is not None or document is not None):
        raise click.UsageError("--layer applies to the coordination network (overview or --focus), "
                               "not to --zone or --document")

    from policykg.graph import viewsets as vs
    from policykg.graph.views import render_html

    store = open_store_or_fail(store_dir)
    try:
        if focus is not None:
            G = vs.ego(store, focus, depth or 1, layer=layer)
        elif zone is not None:
            G = vs.zone_view(store, zone)
        elif document is not None:
            G = vs.document_view(store, document)
        else:
            G = vs.overview(store, layer=layer)
    except vs.ViewNameError as exc:
        raise click.ClickException(str(exc)) from exc
    if G.number_of_nodes() == 0:
        raise click.ClickException("nothing to show: the build has no task assignments"
                                   + (f" in the {layer} layer" if layer else ""))

    text = vs.caption(G, store, vs.build_date(store_dir))
    try:
        info = render_html(G, out, title=G.graph.get("title", "policykg view"), caption=text,
                           max_nodes=top or DEFAULT_MAX_NODES)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    capped = (f"capped to the {info.nodes_shown} most central" + ("" if top else "; --top N shows more")
              if info.capped else "not capped")
    click.echo(f"Wrote {out}: {G.graph.get('title', 'view')}")
    click.echo(f"  nodes shown: {info.nodes_shown} of {info.nodes_total} ({capped}); edges: {info.edges_shown}")
    if png is not None:
        from policykg.graph.views import screenshot

        try:
            screenshot(info.path, png)
        except ImportError as exc:
            raise click.ClickException("--png needs playwright (pip install playwright) and Chromium "
                                       "(apt-get install chromium)") from exc
        except Exception as exc:  # noqa: BLE001 - browser failures carry their own explanation
            raise click.ClickException(f"could not render the PNG: {exc}") from exc
        click.echo(f"  PNG: {png}")


COMMANDS = [view]
