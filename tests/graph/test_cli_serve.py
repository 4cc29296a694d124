"""`policykg serve` started the way a user starts it, queried by a real client; `policykg push` to a real Oxigraph server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykg.graph.query import named_queries, run_query

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc, seconds: float = 30.0) -> None:
    import urllib.request

    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_answers_sparqlwrapper_like_policykg_query(seed_build, seed_store):
    from SPARQLWrapper import JSON, SPARQLWrapper

    port = _free_port()
    proc = subprocess.Popen([str(BIN / "policykg"), "serve", "--store", str(seed_build.out_dir), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/", proc)
        text = named_queries()["lead-counts"].text
        sw = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        sw.setQuery(text)
        sw.setReturnFormat(JSON)
        remote = [(b["label"]["value"], b["tasks"]["value"]) for b in sw.query().convert()["results"]["bindings"]]
        local = [(r[1].value, r[2].value) for r in run_query(seed_store, text).rows]
        assert remote == local and remote[0][0] == "重庆市知识产权局"
    finally:
        proc.terminate()
        proc.wait(10)


def _oxigraph() -> str | None:
    cand = BIN / "oxigraph"
    return str(cand) if cand.exists() else shutil.which("oxigraph")


def test_push_to_oxigraph_server_is_idempotent(seed_build, tmp_path):
    exe = _oxigraph()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server (PyPI package oxigraph) is missing under CI")
        pytest.skip("oxigraph server binary not installed")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/", proc)
        from click.testing import CliRunner

        from policykg.graph.cli import cli

        for _ in range(2):
            r = CliRunner().invoke(cli, ["push", "--store", str(seed_build.out_dir), "--endpoint", f"http://127.0.0.1:{port}"])
            assert r.exit_code == 0, r.output
        from SPARQLWrapper import JSON, SPARQLWrapper

        sw = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
        sw.setQuery("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        sw.setReturnFormat(JSON)
        n = int(sw.query().convert()["results"]["bindings"][0]["n"]["value"])
        assert n == seed_build.counts["quads"] + _ontology_triples()
        sw.setQuery('SELECT ?a WHERE { GRAPH ?g { ?a <http://www.w3.org/2004/02/skos/core#altLabel> "区司法局"@zh-Hans } }')
        assert sw.query().convert()["results"]["bindings"]
    finally:
        proc.terminate()
        proc.wait(10)


def _ontology_triples() -> int:
    from policykg.graph.store import ontology_quads

    return len(set(ontology_quads()))
