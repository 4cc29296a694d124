"""The read-only SPARQL endpoint, queried over real HTTP by real clients.

Clients: SPARQLWrapper, rdflib's SPARQLStore and plain urllib; answers are
compared with the same queries run directly on the store with pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from policykg.graph.endpoint import TRUNCATED_HEADER, make_server

PK = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1 = "https://w3id.org/policykg/doc/yuzhong-2023-07"
G2 = "https://w3id.org/policykg/doc/yuzhong-2023-11"

PREFIXES = f"PREFIX pk: <{PK}>\nPREFIX skos: <{SKOS}>\nPREFIX rdfs: <{RDFS}>\n"
SELECT_LEADS = (
    PREFIXES
    + """SELECT ?task ?agency ?label ?title WHERE {
  ?task pk:lead ?agency .
  ?agency skos:prefLabel ?label .
  OPTIONAL { ?task rdfs:label ?title }
} ORDER BY ?task"""
)
CONSTRUCT_AGENCIES = (
    PREFIXES
    + """CONSTRUCT { ?a skos:prefLabel ?l ; rdfs:label ?full ; pk:lead ?x } WHERE {
  ?a a pk:Agency ; skos:prefLabel ?l ; rdfs:label ?full .
}"""
)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh-Hans")


def build_store(path) -> None:
    """Two documents (named graphs) from 渝中区 with agencies, tasks and leads."""
    g1, g2 = _n(G1), _n(G2)
    justice, finance = _n(ID + "agency/cq-yuzhong-sifaju"), _n(ID + "agency/cq-yuzhong-caizhengju")
    t1, t2, t3 = _n(ID + "task/2023-07-1"), _n(ID + "task/2023-11-1"), _n(ID + "task/2023-11-2")
    agency, task = _n(PK + "Agency"), _n(PK + "Task")
    pref, label, typ, lead = _n(SKOS + "prefLabel"), _n(RDFS + "label"), _n(RDF_TYPE), _n(PK + "lead")
    quads = [
        (justice, typ, agency, g1),
        (justice, label, _zh("重庆市渝中区司法局"), g1),
        (justice, pref, _zh("区司法局"), g1),
        (t1, typ, task, g1),
        (t1, lead, justice, g1),
        # Tabs, newlines, quotes and backslashes must survive every format.
        (t1, label, _zh('开展"八五"普法宣传\n（第一阶段）\t\\完成'), g1),
        (finance, typ, agency, g2),
        (finance, label, _zh("重庆市渝中区财政局"), g2),
        (finance, pref, _zh("区财政局"), g2),
        (justice, typ, agency, g2),
        (justice, label, _zh("重庆市渝中区司法局"), g2),
        (justice, pref, _zh("区司法局"), g2),
        (t2, typ, task, g2),
        (t2, lead, finance, g2),
        (t2, _n(PK + "support"), justice, g2),
        (t3, typ, task, g2),
        (t3, lead, justice, g2),
        (t3, _n(PK + "sequence"), ox.Literal("2", datatype=_n(XSD + "integer")), g2),
    ]
    store = ox.Store(str(path))
    store.extend(ox.Quad(*q) for q in quads)
    store.flush()
    del store


# -- term normalisation: pyoxigraph, rdflib and SPARQL-JSON terms -> tuples ---


def _lit_key(value: str, lang: str | None, datatype: str | None) -> tuple:
    if lang:
        return ("literal", value, lang.lower(), None)
    if datatype in (None, XSD + "string"):
        return ("literal", value, None, None)
    return ("literal", value, None, datatype)


def ox_key(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    return _lit_key(term.value, term.language, term.datatype.value)


def rdflib_key(term) -> tuple | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("uri", str(term))
    if isinstance(term, rdflib.BNode):
        return ("bnode",)
    return _lit_key(str(term), term.language, str(term.datatype) if term.datatype else None)


def json_key(binding: dict | None) -> tuple | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        return ("uri", binding["value"])
    if binding["type"] == "bnode":
        return ("bnode",)
    return _lit_key(binding["value"], binding.get("xml:lang"), binding.get("datatype"))


def direct_rows(store_path, query: str) -> tuple[list[str], list[tuple]]:
    store = ox.Store.read_only(str(store_path))
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [tuple(ox_key(s[v]) for v in result.variables) for s in result]
    return names, rows


def direct_graph(store_path, query: str) -> rdflib.Graph:
    store = ox.Store.read_only(str(store_path))
    data = ox.serialize(store.query(query, use_default_graph_as_union=True), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


# -- fixtures -----------------------------------------------------------------


def _start(server):
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("endpoint") / "store"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def server(store_path):
    srv = make_server(store_path, port=0, timeout_s=20)
    thread = _start(srv)
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


@pytest.fixture
def small_server(store_path):
    srv = make_server(store_path, port=0, max_rows=1)
    thread = _start(srv)
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def http(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body text) for a request, errors included."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get(server, query: str, **params):
    headers = params.pop("headers", None)
    qs = urllib.parse.urlencode({"query": query, **params}, doseq=True)
    return http(f"{server.url}?{qs}", headers=headers)


# -- SPARQLWrapper ------------------------------------------------------------


def test_sparqlwrapper_json_matches_direct(server, store_path):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    # 3 distinct rows.  pyoxigraph 0.5's union default graph is a bag, not an
    # RDF merge: 区司法局's label is in both graphs, so its rows come twice
    # (oxigraph/oxigraph#1919).  The endpoint must answer exactly as pyoxigraph.
    assert len(set(expected)) == 3
    sw = SPARQLWrapper(server.url)
    sw.setQuery(SELECT_LEADS)
    sw.setReturnFormat(JSON)
    data = sw.queryAndConvert()
    assert data["head"]["vars"] == names
    rows = [tuple(json_key(b.get(n)) for n in names) for b in data["results"]["bindings"]]
    assert rows == expected
    assert ("literal", "区司法局", "zh-hans", None) in {r[2] for r in rows}


def test_sparqlwrapper_xml_post_matches_direct(server, store_path):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    sw = SPARQLWrapper(server.url)
    sw.setQuery(SELECT_LEADS)
    sw.setReturnFormat(XML)
    sw.setMethod(POST)  # application/x-www-form-urlencoded
    response = sw.query().response
    assert response.headers["Content-Type"].startswith("application/sparql-results+xml")
    result = Result.parse(io.BytesIO(response.read()), format="xml")
    assert [str(v) for v in result.vars] == names
    rows = [tuple(rdflib_key(row[n]) for n in names) for row in result]
    assert rows == expected


def test_sparqlwrapper_csv_matches_direct(server, store_path):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    sw = SPARQLWrapper(server.url)
    sw.setQuery(SELECT_LEADS)
    sw.setReturnFormat(CSV)
    text = sw.queryAndConvert().decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == names
    # CSV keeps only lexical forms.
    assert table[1:] == [[cell[1] if cell else "" for cell in row] for row in expected]


def test_sparqlwrapper_construct_turtle_matches_direct(server, store_path):
    sw = SPARQLWrapper(server.url)
    sw.setQuery(CONSTRUCT_AGENCIES)
    sw.setReturnFormat(TURTLE)
    result = sw.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    got = rdflib.Graph().parse(data=result.convert().decode("utf-8"), format="turtle")
    expected = direct_graph(store_path, CONSTRUCT_AGENCIES)
    assert len(expected) == 4
    assert set(got) == set(expected)
    assert (None, None, rdflib.Literal("重庆市渝中区财政局", lang="zh-hans")) in got


def test_sparqlwrapper_ask(server):
    sw = SPARQLWrapper(server.url)
    sw.setQuery(PREFIXES + 'ASK { ?a skos:prefLabel "区司法局"@zh-Hans }')
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["boolean"] is True
    sw.setQuery(PREFIXES + 'ASK { ?a skos:prefLabel "区公安局"@zh-Hans }')
    assert sw.queryAndConvert()["boolean"] is False


# -- rdflib SPARQLStore ---------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_matches_direct(server, store_path, method):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    graph = rdflib.Graph(store=SPARQLStore(server.url, method=method))
    result = graph.query(SELECT_LEADS)
    assert [str(v) for v in result.vars] == names
    rows = [tuple(rdflib_key(row[n]) for n in names) for row in result]
    assert rows == expected


def test_rdflib_sparqlstore_default_graph_uri(server, store_path):
    # A Graph with a named identifier sends default-graph-uri=<identifier>.
    graph = rdflib.Graph(store=SPARQLStore(server.url), identifier=rdflib.URIRef(G1))
    rows = list(graph.query(PREFIXES + "SELECT ?task WHERE { ?task pk:lead ?a }"))
    assert [str(r[0]) for r in rows] == [ID + "task/2023-07-1"]


# -- protocol details over urllib -----------------------------------------------


def test_index_page(server):
    status, headers, body = http(server.base_url + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "2 named graphs" in body
    assert server.url in body
    assert "<script" not in body and "http-equiv" not in body
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_cors_and_default_union(server):
    status, headers, body = get(server, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a <%sAgency> }" % PK)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
    status, headers, _ = http(server.url, method="OPTIONS", headers={"Origin": "http://localhost:3000"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]


def test_post_sparql_query_body(server, store_path):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    status, headers, body = http(
        server.url,
        data=SELECT_LEADS.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert status == 200
    rows = [tuple(json_key(b.get(n)) for n in names) for b in json.loads(body)["results"]["bindings"]]
    assert rows == expected


def test_named_graph_parameters(server):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    status, _, body = get(server, query)
    assert status == 200
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    assert counts == {G1: 6, G2: 12}
    status, _, body = get(server, query, **{"named-graph-uri": G2})
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [G2]
    # default-graph-uri alone: that graph is the default graph, no named graphs.
    status, _, body = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": G1})
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6"
    status, _, body = get(server, query, **{"default-graph-uri": G1})
    assert json.loads(body)["results"]["bindings"] == []
    status, _, body = get(server, query, **{"default-graph-uri": "not an iri"})
    assert status == 400


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type", "marker"),
    [
        ("text/tab-separated-values", None, "text/tab-separated-values", "?task\t?agency"),
        ("text/csv;q=0.5, application/sparql-results+xml", None, "application/sparql-results+xml", "<sparql"),
        ("text/*", None, "text/csv", "task,agency"),
        ("application/json", "tsv", "text/tab-separated-values", "?task\t?agency"),
        (None, "text/csv", "text/csv", "task,agency"),
    ],
)
def test_select_negotiation(server, accept, fmt, content_type, marker):
    params = {"format": fmt} if fmt else {}
    status, headers, body = get(server, SELECT_LEADS, headers={"Accept": accept} if accept else {}, **params)
    assert status == 200
    assert headers["Content-Type"].startswith(content_type)
    assert marker in body
    assert "区司法局" in body


@pytest.mark.parametrize(
    ("accept", "content_type", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's N-Quads / JSON-LD parsers
def test_construct_formats(server, store_path, accept, content_type, rdflib_format):
    status, headers, body = get(server, CONSTRUCT_AGENCIES, headers={"Accept": accept} if accept else {})
    assert status == 200
    assert headers["Content-Type"].startswith(content_type)
    if rdflib_format == "nquads":
        got = set(rdflib.Dataset().parse(data=body, format="nquads").triples((None, None, None)))
    else:
        got = set(rdflib.Graph().parse(data=body, format=rdflib_format))
    assert got == set(direct_graph(store_path, CONSTRUCT_AGENCIES))


def test_describe(server):
    status, headers, body = get(server, f"DESCRIBE <{ID}agency/cq-yuzhong-caizhengju>")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert "区财政局" in body


def test_not_acceptable(server):
    status, _, body = get(server, SELECT_LEADS, headers={"Accept": "image/png"})
    assert status == 406
    assert "application/sparql-results+json" in body


def test_updates_are_forbidden(server, store_path):
    update = f'INSERT DATA {{ GRAPH <{G1}> {{ <{ID}x> <{PK}lead> "x" }} }}'
    status, _, body = http(server.url + "?" + urllib.parse.urlencode({"update": update}))
    assert status == 403 and "read-only" in body
    status, _, body = http(
        server.url,
        data=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403 and "read-only" in body
    status, _, body = http(
        server.url, data=update.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}
    )
    assert status == 403 and "read-only" in body
    status, headers, _ = http(server.url, data=b"", method="PUT")
    assert status == 405
    assert len(direct_rows(store_path, "SELECT * WHERE { ?s ?p ?o }")[1]) == 18


def test_syntax_error_reports_position(server):
    status, headers, body = get(server, "SELECT ?s WHERE { ?s ?p }")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert re.search(r"\b1:\d+", body), body
    sw = SPARQLWrapper(server.url)
    sw.setQuery("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(\n}")
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed, match=r"\b[34]:\d+"):
        sw.query()


def test_bad_requests(server):
    assert http(server.base_url + "/nope")[0] == 404
    assert http(server.base_url + "/query?query=ASK{}")[0] == 404
    assert http(server.url)[0] == 400  # no query
    status, _, _ = http(server.url, data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_service_is_refused(server):
    status, _, body = get(server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and "SERVICE" in body
    # The word inside strings, IRIs and names is not the keyword.
    query = (
        "PREFIX service: <http://example.org/service#>\n"
        "SELECT ?service WHERE { ?service a service:SERVICE . FILTER(?service != 'SERVICE') } # SERVICE"
    )
    assert get(server, query)[0] == 200


# -- limits -------------------------------------------------------------------


def test_truncation_header(small_server):
    status, headers, body = get(small_server, SELECT_LEADS)
    assert status == 200
    assert headers[TRUNCATED_HEADER] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 1

    status, headers, body = get(small_server, CONSTRUCT_AGENCIES, headers={"Accept": "application/n-triples"})
    assert headers[TRUNCATED_HEADER] == "true"
    assert len(body.strip().splitlines()) == 1

    # Exactly max_rows results: complete, not truncated.
    status, headers, body = get(small_server, f"SELECT ?a WHERE {{ ?a <{SKOS}prefLabel> '区财政局'@zh-Hans }}")
    assert status == 200 and headers.get(TRUNCATED_HEADER) is None
    assert len(json.loads(body)["results"]["bindings"]) == 1

    sw = SPARQLWrapper(small_server.url)
    sw.setQuery(SELECT_LEADS)
    sw.setReturnFormat(JSON)
    result = sw.query()
    assert result.info()[TRUNCATED_HEADER.lower()] == "true"
    assert len(result.convert()["results"]["bindings"]) == 1


def test_timeout_returns_503_and_bounds_workers(tmp_path):
    path = tmp_path / "big"
    store = ox.Store(str(path))
    graph = _n(G1)
    store.extend(
        ox.Quad(_n(f"{ID}task/{i}"), _n(PK + "lead"), _n(f"{ID}agency/{i % 97}"), graph) for i in range(2000)
    )
    store.flush()
    del store
    # ~4 million joined solutions: seconds of work, far beyond 0.05 s.
    expensive = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"
    srv = make_server(path, port=0, timeout_s=0.05, max_concurrent=1)
    thread = _start(srv)
    try:
        started = time.monotonic()
        status, _, body = get(srv, expensive)
        assert status == 503
        assert "timed out" in body
        assert time.monotonic() - started < 2
        # The abandoned worker still holds the only slot: new queries are refused.
        status, _, body = get(srv, "ASK {}")
        assert status == 503
        # Once it has finished in the background, the endpoint answers again.
        assert srv.query_slots.acquire(timeout=120)
        srv.query_slots.release()
        status, _, body = get(srv, "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def test_concurrent_clients_get_identical_answers(server, store_path):
    names, expected = direct_rows(store_path, SELECT_LEADS)
    answers: list = []

    def client() -> None:
        for _ in range(5):
            status, _, body = get(server, SELECT_LEADS)
            bindings = json.loads(body)["results"]["bindings"] if status == 200 else None
            answers.append(
                (status, [tuple(json_key(b.get(n)) for n in names) for b in bindings] if bindings else None)
            )

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 40
    assert all(a == (200, expected) for a in answers)
