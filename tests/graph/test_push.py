"""Pushing a store to a real Oxigraph server (the ``oxigraph`` PyPI package)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from policykg.graph.endpoint import make_server
from policykg.graph.push import PushError, PushReport, graph_store_url, push

PK = "https://w3id.org/policykg/ontology#"
ID = "https://w3id.org/policykg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
G1 = "https://w3id.org/policykg/doc/yuzhong-2023-07"
G2 = "https://w3id.org/policykg/doc/yuzhong-2023-11?版本=2#正文"  # needs percent-encoding


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh-Hans")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("push") / "store"
    g1, g2 = _n(G1), _n(G2)
    justice, finance = _n(ID + "agency/cq-yuzhong-sifaju"), _n(ID + "agency/cq-yuzhong-caizhengju")
    task1, task2 = _n(ID + "task/2023-07-1"), _n(ID + "task/2023-11-1")
    pref, label, lead = _n(SKOS + "prefLabel"), _n(RDFS + "label"), _n(PK + "lead")
    store = ox.Store(str(path))
    store.extend(
        ox.Quad(*q)
        for q in [
            (justice, label, _zh("重庆市渝中区司法局"), g1),
            (justice, pref, _zh("区司法局"), g1),
            (task1, lead, justice, g1),
            (task1, label, _zh('开展"八五"普法宣传\n第一阶段'), g1),
            (finance, label, _zh("重庆市渝中区财政局"), g2),
            (finance, pref, _zh("区财政局"), g2),
            (task2, lead, finance, g2),
            (task2, _n(PK + "support"), justice, g2),
            (justice, pref, _zh("区司法局"), g2),
        ]
    )
    store.flush()
    del store
    return path


LOCAL_COUNTS = {G1: 4, G2: 5}


def _oxigraph_binary() -> str | None:
    candidate = Path(sys.executable).parent / "oxigraph"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """Base URL of a fresh Oxigraph server on a free loopback port."""
    binary = _oxigraph_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server binary (PyPI package 'oxigraph') is missing under CI")
        pytest.skip("the oxigraph server binary (PyPI package 'oxigraph') is not installed")
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(location.parent / "oxigraph-server.log", "wb")
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location / "data"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2) as resp:
                    resp.read()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer on {base} within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def remote_select(base: str, query: str) -> list[dict]:
    url = base + "/query?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())["results"]["bindings"]


def remote_counts(base: str) -> dict[str, int]:
    rows = remote_select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def test_push_to_oxigraph_is_idempotent(store_path, oxigraph_server):
    first = push(store_path, oxigraph_server + "/query")
    assert isinstance(first, PushReport) and first.ok
    assert first.graph_store == oxigraph_server + "/store"
    assert {p.graph: p.triples for p in first.pushed} == LOCAL_COUNTS
    assert first.triples == 9 and first.graphs == 2
    assert all(p.status in (200, 201, 204) for p in first.pushed)
    assert remote_counts(oxigraph_server) == LOCAL_COUNTS

    second = push(store_path, oxigraph_server)  # base URL works too
    assert {p.graph: p.triples for p in second.pushed} == LOCAL_COUNTS
    assert remote_counts(oxigraph_server) == LOCAL_COUNTS  # PUT replaced, nothing doubled
    assert "2 graphs (9 triples)" in str(second)

    rows = remote_select(
        oxigraph_server,
        f"""PREFIX skos: <{SKOS}> PREFIX rdfs: <{RDFS}>
        SELECT ?g ?full WHERE {{ GRAPH ?g {{ ?a skos:prefLabel "区司法局"@zh-Hans ; rdfs:label ?full }} }}""",
    )
    assert [(r["g"]["value"], r["full"]["value"], r["full"]["xml:lang"].lower()) for r in rows] == [
        (G1, "重庆市渝中区司法局", "zh-hans")
    ]
    rows = remote_select(oxigraph_server, f"SELECT ?t WHERE {{ GRAPH <{G1}> {{ ?x <{RDFS}label> ?t }} }}")
    assert '开展"八五"普法宣传\n第一阶段' in {r["t"]["value"] for r in rows}


def test_explicit_graph_store_and_auth_header(store_path, oxigraph_server):
    report = push(store_path, "http://unused.invalid/sparql", graph_store=oxigraph_server + "/store", auth=("u", "p"))
    assert report.ok and report.triples == 9
    assert remote_counts(oxigraph_server) == LOCAL_COUNTS


def test_http_error_carries_server_message(store_path):
    # Our own read-only endpoint refuses PUT with 405 and a message.
    server = make_server(store_path, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        with pytest.raises(PushError, match=r"HTTP 405.*read-only") as info:
            push(store_path, server.url, graph_store=server.url)
        report = info.value.report
        assert report is not None and not report.ok and report.pushed == []
        assert {f.graph for f in report.failed} == set(LOCAL_COUNTS)
        assert all(f.status == 405 and "read-only" in f.message for f in report.failed)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_unreachable_server(store_path):
    port = _free_port()  # nothing listens there any more
    with pytest.raises(PushError, match="cannot reach"):
        push(store_path, f"http://127.0.0.1:{port}/query", timeout=5)


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("http://localhost:7878", "http://localhost:7878/store"),
        ("http://localhost:7878/", "http://localhost:7878/store"),
        ("http://localhost:7878/query", "http://localhost:7878/store"),
        ("https://kg.example.org/update", "https://kg.example.org/store"),
        ("http://localhost:3030/policykg", "http://localhost:3030/policykg/data"),
        ("http://localhost:3030/policykg/sparql", "http://localhost:3030/policykg/data"),
        ("http://localhost:3030/policykg/query?x=1", "http://localhost:3030/policykg/data"),
    ],
)
def test_graph_store_url(endpoint, expected):
    assert graph_store_url(endpoint) == expected


@pytest.mark.parametrize(
    "endpoint", ["http://localhost:8890/sparql", "http://h/a/b/c", "ftp://h/query", "localhost:7878"]
)
def test_graph_store_url_needs_explicit_value(endpoint):
    with pytest.raises(PushError):
        graph_store_url(endpoint)
