"""The benchmark never rots: a reduced run (three documents) produces every figure with sane values.

No timing thresholds here (CI machines are shared and noisy); the full run and its
targets are described in benchmarks/README.md.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# seed 23: the first three documents are a district plan, the free-trade-zone opinion and a
# city strategy, so agencies, tasks and pilot zones all occur.  A query run is abandoned after
# 10 s: rdflib needs ~25 s for agencies-per-document even on these three documents (its
# OPTIONAL cross product), which would double the time of this test.
ARGS = ["--mb", "0.05", "--docs", "3", "--seed", "23", "--runs", "1", "--skip-browser",
        "--query-timeout", "10", "--build-timeout", "300", "--projection-timeout", "120", "--quiet"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    work = tmp_path_factory.mktemp("bench")
    out = work / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", *ARGS, "--workdir", str(work / "w"),
                           "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout, work / "w"


def test_corpus_is_deterministic_and_distinct():
    from benchmarks.corpus import generate_corpus

    a = generate_corpus(200_000, 12, seed=5)
    b = generate_corpus(200_000, 12, seed=5)
    assert [d.text for d in a] == [d.text for d in b]
    assert len({d.text for d in a}) == 12
    assert {d.kind for d in a} == {"district", "city", "ftz", "national"}
    assert generate_corpus(200_000, 12, seed=6)[0].text != a[0].text or generate_corpus(200_000, 12, seed=6)[1].text != a[1].text


def test_every_build_figure(bench):
    res, _, _ = bench
    assert res["corpus"]["documents"] == 3 and res["corpus"]["bytes"] > 0
    for key in ("novalidate", "validate"):
        b = res["builds"][key]
        assert not b["timed_out"] and b["returncode"] == 0, b.get("error")
        assert b["seconds"] > 0 and b["mb_per_s"] > 0 and b["docs_per_s"] > 0
        assert b["triples"] > 0 and b["quads"] >= b["triples"]
        assert b["peak_rss_mb"] > 10
        assert b["documents"] == 3 and b["n_errors"] == 0
        assert b["over_ceiling"] > 0
    assert res["builds"]["novalidate"]["triples"] == res["builds"]["validate"]["triples"]
    c = res["ceiling"]
    assert c["median_s"] > 0 and c["mb_per_s"] > 0 and c["load_s"] > 0
    inc = res["incremental"]
    assert inc["changed"].endswith(".txt")
    for key in ("novalidate", "validate"):
        i = inc[key]
        assert i["seconds"] > 0 and 0 < i["fraction_of_full"]
        if i["incremental_supported"]:
            assert i["built"] == 1 and i["reused"] == 2
    stages = res["stages"]["stages"]
    for name in ("read", "normalise + extract + assemble (Builder.build_raw)", "Oxigraph store",
                 "graph.ttl (Turtle)", "count", "SHACL validation (pyshacl)"):
        assert stages[name]["seconds"] >= 0, name
    assert stages["count"]["triples"] > 0
    assert stages["SHACL validation (pyshacl)"]["violations"] == 0


def test_every_query_on_both_engines_with_equal_rows(bench):
    from policykg.graph.query import named_queries

    res, _, _ = bench
    q = res["queries"]
    assert set(q) == set(named_queries())
    assert res["measured_on"].startswith("build_corpus")
    for name, v in q.items():
        assert v["oxigraph_median_s"] > 0, name
        assert v["oxigraph_rows"] is not None and not v["oxigraph"]["timeout"], name
    compared = [n for n, v in q.items() if v["rdflib_rows"] is not None]
    assert len(compared) >= len(q) - 1, sorted(set(q) - set(compared))
    for name in compared:
        v = q[name]
        assert v["rdflib_median_s"] > 0, name
        assert v["rows_equal"] is True, (name, v["oxigraph_rows"], v["rdflib_rows"])
        assert v["speedup"] > 0
    for name in set(q) - set(compared):  # only a query rdflib did not finish in time
        assert q[name]["rdflib"]["timeout"] and q[name]["rows_equal"] is None
    assert sum(v["oxigraph_rows"] for v in q.values()) > 0
    assert q["co-assigned-pairs"]["oxigraph_rows"] > 0
    params = res["query_parameters"]
    assert params["agency"]["label"] and params["zone"]["label"]
    assert q["tasks-of-agency"]["oxigraph_rows"] > 0 and q["zone-profile"]["oxigraph_rows"] > 0


def test_network_view_startup_and_targets(bench):
    res, stdout, _ = bench
    net = res["network"]
    assert net["projection"]["nodes"] > 0 and net["projection"]["edges"] > 0
    assert not net["projection"]["fallback"]
    assert net["betweenness"]["seconds"] >= 0 and net["betweenness"]["exact"] is True
    assert net["pagerank"]["seconds"] >= 0
    view = net["view"]
    assert view["bytes"] > 0 and view["nodes_shown"] > 0 and view["write_s"] > 0
    assert "browser" not in net  # --skip-browser
    assert res["startup"]["median_s"] > 0
    m = res["machine"]
    assert m["nproc"] >= 1 and m["python"]
    from benchmarks.run import TARGETS

    rows = {t["figure"]: t for t in res["targets"]}
    assert set(rows) == {t[0] for t in TARGETS}
    for key, t in rows.items():
        assert t["status"] in ("PASS", "FAIL", "n/a")
        if key not in ("browser_stabilized_s", "query_rows_equal"):
            assert t["value"] is not None, key
    assert rows["browser_stabilized_s"]["status"] == "n/a"
    # n/a when rdflib did not finish a query in time; never a mismatch
    assert rows["query_rows_equal"]["status"] in ("PASS", "n/a")
    assert "Targets" in stdout and "Named queries" in stdout


def test_fallback_projection_rows_equal_the_library(bench):
    """The benchmark's fallback (used only when the library projection hangs) measures the same network."""
    from benchmarks.run import fallback_assignment_rows
    from policykg.graph.projections import Filters, assignment_rows
    from policykg.graph.store import open_store

    _, _, work = bench
    store = open_store(work / "out-novalidate")
    for f in (Filters(), Filters(collectives=True)):
        lib = assignment_rows(store, f)
        assert lib and fallback_assignment_rows(store, f) == lib
