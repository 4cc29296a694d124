"""Read-only SPARQL 1.1 Protocol endpoint over a policykg pyoxigraph store.

The store is a directory holding a :class:`pyoxigraph.Store`, one named graph
per policy document.  :func:`make_server` opens it with
``pyoxigraph.Store.read_only`` and serves it with the standard library's
:class:`http.server.ThreadingHTTPServer`:

``GET /``
    A tiny HTML page naming the endpoint and the number of named graphs.
``GET /sparql?query=...``, ``POST /sparql`` (``application/x-www-form-urlencoded``
with ``query=...``, or ``application/sparql-query`` with the query as body)
    SPARQL 1.1 query.  Unless the request names graphs with
    ``default-graph-uri`` / ``named-graph-uri``, the default graph is the union
    of all named graphs.  SELECT/ASK results are negotiated (``Accept`` header
    or a ``format=`` parameter) between SPARQL results JSON (default), XML, CSV
    and TSV; CONSTRUCT/DESCRIBE between Turtle (default), N-Triples, N-Quads,
    RDF/XML, JSON-LD and N3.  All serialisation is done by pyoxigraph.

The endpoint is read-only: updates (``update=`` or ``application/sparql-update``)
get ``403``; malformed queries get ``400`` with the parser's message (which
includes ``line:column``); unknown paths ``404``.

Limits
    * ``timeout_s``: each query (evaluation plus serialisation) runs in a worker
      thread; if it has not finished after ``timeout_s`` the client gets ``503``.
      pyoxigraph offers no way to cancel a query that is being evaluated inside
      Rust (an aggregate or ORDER BY over a huge join, say), so the abandoned
      worker may keep running in the background until the evaluation ends; it
      stops pulling further results as soon as it regains control.  Running
      workers - abandoned ones included - are bounded by a semaphore
      (``max_concurrent``), so runaway queries cannot pile up: once all slots
      are taken, new queries wait at most ``timeout_s`` for one and then get
      ``503`` too.
    * ``max_rows``: at most ``max_rows`` solutions (SELECT) or triples
      (CONSTRUCT/DESCRIBE) are materialised; if the query had more, the response
      carries ``X-Policykg-Truncated: true``.
    * SERVICE (federated query) is refused with ``403`` unless
      ``allow_service=True``: pyoxigraph would otherwise make the server fetch
      arbitrary URLs on behalf of any client.

Security
    Every response has ``Access-Control-Allow-Origin: *`` so that YASGUI (or any
    page in a browser) can query it.  That is acceptable because the endpoint
    is read-only and binds to ``127.0.0.1`` by default.  Binding to ``0.0.0.0``
    (or any public address) exposes the whole dataset, and the CPU of the
    machine, to everyone who can reach that address.

The store must not be written by another process while it is being served:
pyoxigraph documents opening a store read-only alongside a writer as undefined
behaviour.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

__all__ = [
    "SparqlServer",
    "make_server",
    "open_store_read_only",
    "serve",
    "TRUNCATED_HEADER",
]

logger = logging.getLogger(__name__)

TRUNCATED_HEADER = "X-Policykg-Truncated"
SPARQL_PATH = "/sparql"
MAX_BODY_BYTES = 10 * 1024 * 1024

# --------------------------------------------------------------------------
# Content negotiation tables.  Each entry: (media type we answer with,
# pyoxigraph format, media types / ``format=`` names that select it).  The
# first entry of each table is the default.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Choice:
    content_type: str
    fmt: object  # ox.QueryResultsFormat or ox.RdfFormat
    media_types: tuple[str, ...]
    names: tuple[str, ...] = ()


_RESULT_CHOICES: tuple[_Choice, ...] = (
    _Choice(
        "application/sparql-results+json",
        ox.QueryResultsFormat.JSON,
        ("application/sparql-results+json", "application/json"),
        ("json", "srj"),
    ),
    _Choice(
        "application/sparql-results+xml",
        ox.QueryResultsFormat.XML,
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ("xml", "srx"),
    ),
    _Choice("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV, ("text/csv",), ("csv",)),
    _Choice(
        "text/tab-separated-values; charset=utf-8",
        ox.QueryResultsFormat.TSV,
        ("text/tab-separated-values",),
        ("tsv",),
    ),
)

_GRAPH_CHOICES: tuple[_Choice, ...] = (
    _Choice(
        "text/turtle; charset=utf-8",
        ox.RdfFormat.TURTLE,
        ("text/turtle", "application/x-turtle", "application/turtle"),
        ("turtle", "ttl"),
    ),
    _Choice(
        "application/n-triples",
        ox.RdfFormat.N_TRIPLES,
        ("application/n-triples",),
        ("nt", "ntriples", "n-triples"),
    ),
    # Only triples: every line lands in the default graph.
    _Choice(
        "application/n-quads",
        ox.RdfFormat.N_QUADS,
        ("application/n-quads",),
        ("nq", "nquads", "n-quads"),
    ),
    _Choice(
        "application/rdf+xml",
        ox.RdfFormat.RDF_XML,
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("xml", "rdf", "rdfxml", "rdf+xml"),
    ),
    _Choice(
        "application/ld+json",
        ox.RdfFormat.JSON_LD,
        ("application/ld+json", "application/json"),
        ("json-ld", "jsonld", "json"),
    ),
    _Choice("text/n3; charset=utf-8", ox.RdfFormat.N3, ("text/n3",), ("n3",)),
)


class _NotAcceptable(Exception):
    pass


def _parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``Accept`` header -> [(media range, q, position)], q > 0 only."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((media, q, position))
    return ranges


def _range_matches(media_range: str, media_type: str) -> int:
    """Specificity of ``media_range`` matching ``media_type``; -1 if it does not."""
    if media_range == media_type:
        return 2
    main, _, sub = media_range.partition("/")
    if sub == "*" and main != "*" and media_type.startswith(main + "/"):
        return 1
    if media_range == "*/*":
        return 0
    return -1


def _negotiate(choices: tuple[_Choice, ...], accept: str | None, formats: list[str]) -> _Choice:
    """Pick a serialisation: ``format=`` wins over ``Accept``."""
    for wanted in formats:
        wanted = wanted.strip().lower()
        if not wanted:
            continue
        for choice in choices:
            if wanted in choice.names or wanted.split(";")[0].strip() in choice.media_types:
                return choice
    if any(f.strip() for f in formats):
        raise _NotAcceptable(
            "unsupported format= value %r; use one of %s"
            % (formats[0], ", ".join(sorted({n for c in choices for n in c.names})))
        )
    best = None
    best_key = None
    ranges = _parse_accept(accept)
    for our_rank, choice in enumerate(choices):
        for alias_rank, media_type in enumerate(choice.media_types):
            # RFC 9110: the most specific matching range sets the quality.
            match = None
            for media_range, q, position in ranges:
                spec = _range_matches(media_range, media_type)
                if spec < 0:
                    continue
                if match is None or spec > match[0]:
                    match = (spec, q, position)
            if match is None:
                continue
            spec, q, position = match
            # Ties: exact over wildcard match, a choice's own type over an
            # alias (text/* -> CSV, not XML via text/xml), client order, ours.
            key = (q, spec, alias_rank == 0, -position, -our_rank)
            if best_key is None or key > best_key:
                best, best_key = choice, key
    if best is None:
        raise _NotAcceptable(
            "none of the acceptable media types is supported; supported: "
            + ", ".join(c.content_type.split(";")[0] for c in choices)
        )
    return best


# --------------------------------------------------------------------------
# SERVICE detection (lexical, conservative).
# --------------------------------------------------------------------------

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_SERVICE = re.compile(r"(?<![\w:?$@\-])SERVICE(?![\w:\-])", re.IGNORECASE)


def _mentions_service(query: str) -> bool:
    """True if ``SERVICE`` occurs as a keyword (outside strings, IRIs, comments, names)."""
    out = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j
            out.append(" ")
        elif c in "\"'":
            if query.startswith(c * 3, i):
                j = i + 3
                while j < n:
                    if query[j] == "\\":
                        j += 2
                    elif query.startswith(c * 3, j):
                        j += 3
                        break
                    else:
                        j += 1
            else:
                j = i + 1
                while j < n and query[j] != c:
                    j += 2 if query[j] == "\\" else 1
                j += 1
            out.append(" ")
            i = j
        elif c == "<" and (m := _IRIREF.match(query, i)):
            out.append(" ")
            i = m.end()
        else:
            out.append(c)
            i += 1
    return _SERVICE.search("".join(out)) is not None


# --------------------------------------------------------------------------
# Query execution.
# --------------------------------------------------------------------------


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _text(status: int, message: str) -> _Response:
    return _Response(status, (message.rstrip("\n") + "\n").encode("utf-8"))


@dataclass
class _Request:
    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    accept: str | None
    formats: list[str]


def _tsv_term(term) -> str:
    """A term in the SPARQL TSV results syntax (N-Triples term syntax)."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return "<<( %s %s %s )>>" % (
            _tsv_term(term.subject),
            _tsv_term(term.predicate),
            _tsv_term(term.object),
        )
    return str(term)


def _run_query(store: ox.Store, req: _Request, max_rows: int | None, abandoned: threading.Event) -> _Response | None:
    """Evaluate and serialise one query; ``None`` if abandoned on the way."""
    kwargs: dict = {}
    if req.default_graphs or req.named_graphs:
        # SPARQL 1.1 Protocol: the request's dataset replaces the default one.
        try:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        except ValueError as exc:
            return _text(400, f"invalid graph IRI in default-graph-uri/named-graph-uri: {exc}")
    else:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(req.query, **kwargs)
    except SyntaxError as exc:
        return _text(400, f"SPARQL syntax error: {exc}")
    except ValueError as exc:
        return _text(400, f"invalid query: {exc}")
    except OSError as exc:
        return _text(500, f"query evaluation failed: {exc}")
    if abandoned.is_set():
        return None

    try:
        if isinstance(result, ox.QueryBoolean):
            choice = _negotiate(_RESULT_CHOICES, req.accept, req.formats)
            return _Response(200, result.serialize(format=choice.fmt), choice.content_type)

        if isinstance(result, ox.QuerySolutions):
            choice = _negotiate(_RESULT_CHOICES, req.accept, req.formats)
            if max_rows is None:
                return _Response(200, result.serialize(format=choice.fmt), choice.content_type)
            # Materialise at most max_rows solutions, as SPARQL TSV lines (the
            # N-Triples term syntax of str(term)), then let pyoxigraph re-parse
            # and serialise them in the negotiated format.
            variables = result.variables
            lines = ["\t".join("?" + v.value for v in variables)]
            truncated = False
            count = 0
            for solution in result:
                if abandoned.is_set():
                    return None
                if count >= max_rows:
                    truncated = True
                    break
                lines.append("\t".join(_tsv_term(solution[v]) for v in variables))
                count += 1
            tsv = ("\n".join(lines) + "\n").encode("utf-8")
            del lines
            solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
            body = solutions.serialize(format=choice.fmt)
            headers = {TRUNCATED_HEADER: "true"} if truncated else {}
            return _Response(200, body, choice.content_type, headers)

        if isinstance(result, ox.QueryTriples):
            choice = _negotiate(_GRAPH_CHOICES, req.accept, req.formats)
            triples = []
            truncated = False
            for triple in result:
                if abandoned.is_set():
                    return None
                if max_rows is not None and len(triples) >= max_rows:
                    truncated = True
                    break
                triples.append(triple)
            body = ox.serialize(triples, format=choice.fmt)
            headers = {TRUNCATED_HEADER: "true"} if truncated else {}
            return _Response(200, body, choice.content_type, headers)
    except _NotAcceptable as exc:
        return _text(406, str(exc))
    except OSError as exc:
        return _text(500, f"query evaluation failed: {exc}")
    except (SyntaxError, ValueError) as exc:  # pragma: no cover - defensive
        return _text(500, f"could not serialise the results: {exc}")
    return _text(500, f"unexpected query result type {type(result).__name__}")  # pragma: no cover


# --------------------------------------------------------------------------
# Server.
# --------------------------------------------------------------------------


def open_store_read_only(store_path: str | PathLike[str]) -> ox.Store:
    """Open the store read-only; ``store_path`` may also be a build folder holding ``store/``."""
    from policykg.graph.store import open_store

    return open_store(store_path)


class SparqlServer(ThreadingHTTPServer):
    """A :class:`ThreadingHTTPServer` serving one read-only pyoxigraph store.

    Attributes: ``store``, ``store_path``, ``timeout_s``, ``max_rows``,
    ``allow_service`` and :attr:`url` (the ``/sparql`` endpoint URL).
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        server_address: tuple[str, int],
        store_path: str | PathLike[str],
        *,
        timeout_s: float = 30.0,
        max_rows: int | None = 100_000,
        max_concurrent: int = 4,
        allow_service: bool = False,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        if max_rows is not None and max_rows < 0:
            raise ValueError("max_rows must be >= 0 or None")
        if max_rows == 0:
            max_rows = None
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be >= 1")
        self.store_path = Path(store_path)
        self.store = open_store_read_only(store_path)
        self.timeout_s = float(timeout_s)
        self.max_rows = max_rows
        self.allow_service = allow_service
        self.query_slots = threading.BoundedSemaphore(max_concurrent)
        self._graph_count: int | None = None
        if ":" in server_address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(server_address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The SPARQL endpoint URL, e.g. ``http://127.0.0.1:7878/sparql``."""
        return self.base_url + SPARQL_PATH

    def named_graph_count(self) -> int:
        # The read-only store is a snapshot: count once.
        if self._graph_count is None:
            self._graph_count = sum(1 for _ in self.store.named_graphs())
        return self._graph_count

    def execute(self, req: _Request) -> _Response:
        """Run ``req`` in a worker thread, within ``timeout_s`` and the concurrency bound."""
        if not self.allow_service and _mentions_service(req.query):
            return _text(403, "SERVICE (federated query) is disabled on this endpoint")
        deadline = time.monotonic() + self.timeout_s
        if not self.query_slots.acquire(timeout=self.timeout_s):
            return _text(
                503,
                f"server busy: all query slots are taken by running queries; "
                f"gave up after {self.timeout_s:g} s",
            )
        done = threading.Event()
        abandoned = threading.Event()
        box: list[_Response | None] = []

        def work() -> None:
            try:
                box.append(_run_query(self.store, req, self.max_rows, abandoned))
            except Exception as exc:  # never let a worker die silently
                logger.exception("query worker failed")
                box.append(_text(500, f"internal error: {exc}"))
            finally:
                self.query_slots.release()
                done.set()

        worker = threading.Thread(target=work, name="policykg-sparql-query", daemon=True)
        worker.start()
        if not done.wait(max(0.0, deadline - time.monotonic())) or not box or box[0] is None:
            abandoned.set()
            logger.warning("query timed out after %g s; its worker may finish in the background", self.timeout_s)
            return _text(503, f"query timed out after {self.timeout_s:g} s")
        return box[0]


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "policykg-sparql/0.1"
    protocol_version = "HTTP/1.1"

    # -- plumbing ---------------------------------------------------------

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        logger.info("%s - %s", self.address_string(), format % args)

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", TRUNCATED_HEADER)

    def _send(self, resp: _Response, *, head_only: bool = False) -> None:
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        self.send_header("Cache-Control", "no-store")
        self._cors()
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(resp.body)

    def _path(self) -> str:
        return urlsplit(self.path).path

    def _url_params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def _read_body(self) -> bytes | _Response:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            return _text(411, "chunked request bodies are not supported; send Content-Length")
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            return _text(411, "Content-Length required")
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            self.close_connection = True
            return _text(400, "invalid Content-Length")
        if size > MAX_BODY_BYTES:
            self.close_connection = True
            return _text(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        return self.rfile.read(size)

    # -- routes -----------------------------------------------------------

    def do_OPTIONS(self) -> None:
        if self._path() not in ("/", SPARQL_PATH):
            self._send(_text(404, f"not found: {self._path()}"))
            return
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self._path()
        if path == "/":
            self._send(self._index())
        elif path == SPARQL_PATH:
            self._send(self._sparql(self._url_params()))
        else:
            self._send(_text(404, f"not found: {path}"))

    def do_HEAD(self) -> None:
        if self._path() == "/":
            self._send(self._index(), head_only=True)
        else:
            self._send(_text(405 if self._path() == SPARQL_PATH else 404, ""), head_only=True)

    def do_POST(self) -> None:
        path = self._path()
        body = self._read_body()
        if isinstance(body, _Response):
            self._send(body)
            return
        if path != SPARQL_PATH:
            self._send(_text(404, f"not found: {path}"))
            return
        ctype, _, ctype_params = self.headers.get("Content-Type", "").partition(";")
        ctype = ctype.strip().lower()
        charset = "utf-8"
        for param in ctype_params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError) as exc:
            self._send(_text(400, f"cannot decode the request body as {charset}: {exc}"))
            return
        params = self._url_params()
        if ctype == "application/x-www-form-urlencoded":
            for name, values in parse_qs(text, keep_blank_values=True, encoding=charset).items():
                params.setdefault(name, []).extend(values)
        elif ctype == "application/sparql-query":
            params.setdefault("query", []).append(text)
        elif ctype == "application/sparql-update":
            self._send(_text(403, "this SPARQL endpoint is read-only: updates are not allowed"))
            return
        else:
            self._send(
                _text(
                    415,
                    "unsupported Content-Type %r; use application/x-www-form-urlencoded "
                    "or application/sparql-query" % ctype,
                )
            )
            return
        self._send(self._sparql(params))

    def _read_only(self) -> None:
        if self._path() == SPARQL_PATH:
            resp = _text(405, "this SPARQL endpoint is read-only")
            resp.headers["Allow"] = "GET, POST, OPTIONS"
        else:
            resp = _text(404, f"not found: {self._path()}")
        self._send(resp)

    do_PUT = do_DELETE = do_PATCH = _read_only

    # -- handlers ---------------------------------------------------------

    def _sparql(self, params: dict[str, list[str]]) -> _Response:
        if "update" in params:
            return _text(403, "this SPARQL endpoint is read-only: updates are not allowed")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return _text(400, "exactly one non-empty 'query' parameter is required")
        req = _Request(
            query=queries[0],
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
            accept=self.headers.get("Accept"),
            formats=params.get("format", []),
        )
        resp = self.server.execute(req)
        resp.headers.setdefault("Vary", "Accept")
        return resp

    def _index(self) -> _Response:
        server = self.server
        endpoint = html.escape(server.url)
        count = server.named_graph_count()
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>policykg SPARQL endpoint</title></head>
<body>
<h1>policykg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol endpoint (read-only): <code>{endpoint}</code></p>
<p>Store: <code>{html.escape(str(server.store_path))}</code> &mdash; {count} named graph{"s" if count != 1 else ""}
(the default graph is their union).</p>
<form action="{html.escape(SPARQL_PATH)}" method="get">
<textarea name="query" rows="8" cols="80">SELECT ?g (COUNT(*) AS ?triples)
WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}
GROUP BY ?g</textarea><br>
<button type="submit">Run query</button>
</form>
</body></html>
"""
        return _Response(200, page.encode("utf-8"), "text/html; charset=utf-8")


def make_server(
    store_path: str | PathLike[str],
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timeout_s: float = 30.0,
    max_rows: int | None = 100_000,
    max_concurrent: int = 4,
    allow_service: bool = False,
) -> SparqlServer:
    """Create (bind, but not start) a read-only SPARQL server for ``store_path``.

    ``port=0`` picks a free port; the bound endpoint URL is ``server.url``.
    Run it with ``server.serve_forever()`` (e.g. in a thread) and stop it with
    ``server.shutdown(); server.server_close()``.  ``max_rows=None`` (or 0)
    disables truncation; ``max_concurrent`` bounds the query workers running
    at once (abandoned, timed-out ones included).
    """
    if not _is_loopback(host):
        logger.warning(
            "binding the SPARQL endpoint to %s exposes the dataset to every host that can reach it", host or "all interfaces"
        )
    return SparqlServer(
        (host, port),
        store_path,
        timeout_s=timeout_s,
        max_rows=max_rows,
        max_concurrent=max_concurrent,
        allow_service=allow_service,
    )


def serve(
    store_path: str | PathLike[str],
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout_s: float = 30.0,
    max_rows: int | None = 100_000,
    max_concurrent: int = 4,
    allow_service: bool = False,
) -> None:
    """Serve ``store_path`` until interrupted (Ctrl-C); blocking."""
    server = make_server(
        store_path,
        host,
        port,
        timeout_s=timeout_s,
        max_rows=max_rows,
        max_concurrent=max_concurrent,
        allow_service=allow_service,
    )
    logger.info(
        "serving %s (%d named graphs) at %s (read-only; timeout %g s, max %s rows)",
        store_path,
        server.named_graph_count(),
        server.url,
        timeout_s,
        "unlimited" if max_rows is None else max_rows,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        logger.info("stopping the SPARQL endpoint")
    finally:
        server.server_close()
