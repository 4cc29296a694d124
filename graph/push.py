"""Upload a policykg store to a remote triple store.

Every named graph of the local pyoxigraph store is sent with the SPARQL 1.1
Graph Store HTTP Protocol::

    PUT {graph_store}?graph=<percent-encoded graph IRI>
    Content-Type: application/n-triples

``PUT`` replaces the remote graph, so pushing the same store twice leaves the
remote store as after the first push (idempotent).  Graphs that exist only on
the server are left alone; named graphs whose name is a blank node cannot be
addressed over HTTP and are skipped (listed in :attr:`PushReport.skipped`).
Blank nodes are scoped to one request, so a blank node shared by two graphs
becomes two distinct nodes remotely.

The Graph Store URL is derived from the SPARQL endpoint for common servers
(:func:`graph_store_url`); anything else needs ``graph_store=``.

Only the standard library (:mod:`urllib.request`) is used for HTTP.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit, urlunsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox

__all__ = ["GraphPush", "GraphFailure", "PushError", "PushReport", "graph_store_url", "push"]

logger = logging.getLogger(__name__)

# Fuseki service names under a dataset (/ds/query, /ds/sparql, ...).
_FUSEKI_SERVICES = {"query", "sparql", "update", "data", "get"}
# Oxigraph server routes at the root.
_OXIGRAPH_ROUTES = {"query", "update", "store"}
_MAX_MESSAGE = 2000


class PushError(Exception):
    """A push failed: an HTTP error (with the server's message), an unreachable
    server, or an endpoint whose Graph Store URL cannot be derived.

    ``report`` holds what was pushed before/besides the failure (``None`` if
    nothing was attempted).
    """

    def __init__(self, message: str, report: "PushReport | None" = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class GraphPush:
    graph: str
    triples: int
    status: int


@dataclass(frozen=True)
class GraphFailure:
    graph: str
    triples: int
    status: int | None
    message: str


@dataclass
class PushReport:
    endpoint: str
    graph_store: str
    pushed: list[GraphPush] = field(default_factory=list)
    failed: list[GraphFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def graphs(self) -> int:
        return len(self.pushed)

    @property
    def triples(self) -> int:
        return sum(p.triples for p in self.pushed)

    def __str__(self) -> str:
        lines = [f"pushed {self.graphs} graphs ({self.triples} triples) to {self.graph_store}"]
        lines += [f"  {p.graph}: {p.triples} triples (HTTP {p.status})" for p in self.pushed]
        lines += [f"  FAILED {f.graph}: HTTP {f.status}: {f.message}" for f in self.failed]
        lines += [f"  skipped blank-node graph {g}" for g in self.skipped]
        return "\n".join(lines)


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL for a SPARQL endpoint of a known server.

    * Oxigraph server: ``http://host:port``, ``.../query``, ``.../update`` or
      ``.../store`` -> ``http://host:port/store``.
    * Apache Jena Fuseki: ``http://host:port/ds`` or
      ``.../ds/{query,sparql,update,get,data}`` -> ``http://host:port/ds/data``.

    Raises :class:`PushError` for anything else (pass ``graph_store=``).
    """
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"not an http(s) URL: {endpoint!r}")
    segments = [s for s in parts.path.split("/") if s]

    def build(path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    if not segments or (len(segments) == 1 and segments[0] in _OXIGRAPH_ROUTES):
        return build("/store")
    if len(segments) == 2 and segments[1] in _FUSEKI_SERVICES:
        return build(f"/{segments[0]}/data")
    if len(segments) == 1 and segments[0] not in ("sparql", "data"):
        return build(f"/{segments[0]}/data")
    raise PushError(
        f"cannot derive a Graph Store Protocol URL from {endpoint!r}; "
        "pass graph_store= (--graph-store) explicitly"
    )


def _graph_url(graph_store: str, graph: str) -> str:
    sep = "&" if urlsplit(graph_store).query else "?"
    return f"{graph_store}{sep}graph={quote(graph, safe='')}"


def _server_message(err: HTTPError) -> str:
    try:
        body = err.read()
    except OSError:
        body = b""
    text = body.decode("utf-8", errors="replace").strip()
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE] + " ..."
    return text or (err.reason if isinstance(err.reason, str) else str(err.reason))


def push(
    store_path: str | PathLike[str],
    endpoint: str,
    *,
    graph_store: str | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = 60,
) -> PushReport:
    """PUT every named graph of the store at ``store_path`` to a Graph Store.

    ``endpoint`` is the server's SPARQL endpoint (or base URL); ``graph_store``
    overrides the derived Graph Store URL.  ``auth=(user, password)`` sends HTTP
    Basic credentials.  ``timeout`` is per request, in seconds.

    Returns a :class:`PushReport`.  Raises :class:`PushError` if the server
    cannot be reached (at once) or if any graph was refused (after trying all
    of them; the report, with each server message, is on ``exc.report``).
    """
    target = graph_store or graph_store_url(endpoint)
    report = PushReport(endpoint=endpoint, graph_store=target)
    from policykg.graph.store import open_store

    store = open_store(store_path)
    headers = {"Content-Type": "application/n-triples"}
    if auth is not None:
        user, password = auth
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        headers["Authorization"] = f"Basic {token}"

    graphs = sorted(store.named_graphs(), key=lambda g: (isinstance(g, ox.BlankNode), g.value))
    for graph in graphs:
        if isinstance(graph, ox.BlankNode):
            report.skipped.append(str(graph))
            continue
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        # N-Triples as written by pyoxigraph: one triple per line (newlines in
        # literals are escaped).
        triples = body.count(b"\n")
        url = _graph_url(target, graph.value)
        request = Request(url, data=body, headers=headers, method="PUT")
        try:
            with urlopen(request, timeout=timeout) as response:
                response.read()
                status = response.status
        except HTTPError as err:
            message = _server_message(err)
            logger.error("PUT %s failed: HTTP %s: %s", url, err.code, message)
            report.failed.append(GraphFailure(graph.value, triples, err.code, message))
            continue
        except (URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise PushError(f"cannot reach {target}: {reason}", report) from err
        logger.info("pushed %s (%d triples): HTTP %d", graph.value, triples, status)
        report.pushed.append(GraphPush(graph.value, triples, status))

    if report.failed:
        first = report.failed[0]
        raise PushError(
            f"{len(report.failed)} of {len(report.failed) + len(report.pushed)} graphs were refused by "
            f"{target}; first: {first.graph}: HTTP {first.status}: {first.message}",
            report,
        )
    return report
