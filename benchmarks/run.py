"""End-to-end benchmark of policykg on a synthetic ~10 MB corpus.

Run from the repository root::

    .venv/bin/python -m benchmarks.run [--mb 10] [--docs 550] [--runs 5] [--json out.json]
    .venv/bin/python benchmarks/run.py ...          # the same

What it measures (benchmarks/README.md explains each figure and its target):

1. full builds (``build_corpus(paths, out, view=False)``, validate=True and
   validate=False) in a subprocess each: wall time, MB/s, documents/s, triples,
   peak RSS (``os.wait4`` of that subprocess);
2. the ceiling: jieba precise-mode segmentation alone of the same normalised
   text, and build / ceiling;
3. an incremental rebuild after one document changed, relative to the full build;
4. every named research query on the built Oxigraph store (median of
   ``--runs``) and on rdflib's in-memory Dataset holding the same named graphs
   (graph.nq + the ontology graph; default graph = their union), with row
   counts compared;
5. betweenness and PageRank on the coordination projection;
6. a 1,000-node HTML view: write time, size, and time to a stabilised layout in
   headless Chromium;
7. ``policykg --help`` start-up time.

Heavy steps run in subprocesses with time limits, so one pathological step is
reported as a timeout instead of hanging the benchmark; workers write one JSON
line per finished item, so partial results survive a timeout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(REPO))

MARK = "BENCH-RESULT "

#: (figure key, label, target text, test on the value) — the final table.
TARGETS = (
    ("build_over_ceiling_novalidate", "build (validate=False) / jieba ceiling", "<= 2.0", lambda v: v <= 2.0),
    ("build_over_ceiling_validate", "build (validate=True) / jieba ceiling", "<= 2.0", lambda v: v <= 2.0),
    ("incremental_fraction_novalidate", "incremental rebuild / full build (validate=False)", "< 5%", lambda v: v < 0.05),
    ("incremental_fraction_validate", "incremental rebuild / full build (validate=True)", "< 5%", lambda v: v < 0.05),
    ("slowest_query_s", "slowest named query, Oxigraph (median)", "< 0.2 s", lambda v: v < 0.2),
    ("co_assigned_speedup", "co-assigned-pairs: rdflib / Oxigraph", ">= 10x", lambda v: v >= 10),
    ("query_rows_equal", "row counts equal, Oxigraph vs rdflib", "all", lambda v: v is True),
    ("betweenness_s", "betweenness on the coordination network", "< 5 s", lambda v: v < 5),
    ("view_bytes", "1,000-node view file size", "< 3 MB", lambda v: v < 3_000_000),
    ("browser_stabilized_s", "view stabilised in headless Chromium", "< 10 s", lambda v: v < 10),
    ("help_startup_s", "`policykg --help` start-up (median)", "< 0.5 s", lambda v: v < 0.5),
)


# =============================================================================
# workers (run in subprocesses: `python -m benchmarks.run --worker KIND --args JSON`)
# =============================================================================


def _emit(item: dict, results_file: str | None) -> None:
    line = json.dumps(item, ensure_ascii=False)
    if results_file:
        with open(results_file, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    print(MARK + line, flush=True)


def _quiet_jieba() -> None:
    import logging

    logging.getLogger("jieba").setLevel(logging.WARNING)


def worker_build(a: dict) -> None:
    """One ``build_corpus`` call; reports its own time and the report's counts."""
    import inspect

    t_import = time.perf_counter()
    from policykg.graph.build import build_corpus

    import_s = time.perf_counter() - t_import
    _quiet_jieba()
    params = inspect.signature(build_corpus).parameters
    kwargs = {"view": False, "validate": a["validate"]}
    if "incremental" in params:
        kwargs["incremental"] = a["incremental"]
    if "workers" in params and a.get("workers") is not None:
        kwargs["workers"] = a["workers"]
    profiler = None
    if a.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    report = build_corpus([a["corpus"]], a["out"], **kwargs)
    seconds = time.perf_counter() - t0
    item = {
        "seconds": seconds,
        "import_s": import_s,
        "counts": report.counts,
        "documents": len(report.documents),
        "errors": [f"{e.path}: {e.reason}" for e in report.errors][:20],
        "n_errors": len(report.errors),
        "built": len(getattr(report, "built", report.documents)),
        "reused": len(getattr(report, "reused", ())),
        "incremental_supported": "incremental" in params,
        "kwargs": kwargs,
        "phases": dict(getattr(report, "timings", {})),  # seconds per phase, as the build timed them
    }
    if profiler is not None:
        profiler.disable()
        item["profile"] = _profile_rows(profiler, a.get("profile_top", 40))
    _emit(item, a.get("results"))


def _profile_rows(profiler, top: int) -> list[dict]:
    import pstats

    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, func), (cc, nc, tt, ct, _callers) in stats.stats.items():
        rows.append({"function": f"{_short_path(filename)}:{line}({func})", "calls": nc,
                     "tottime_s": round(tt, 3), "cumtime_s": round(ct, 3)})
    rows.sort(key=lambda r: -r["cumtime_s"])
    return rows[:top]


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", str(REPO) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def worker_ceiling(a: dict) -> None:
    """jieba precise-mode segmentation alone of the normalised corpus (dictionary load excluded)."""
    import jieba

    from policykg.builders.normalise import normalise
    from policykg.builders.pipeline import collect_paths
    from policykg.builders.read import read_document

    _quiet_jieba()
    paths, _ = collect_paths([a["corpus"]])
    texts = []
    for p in paths:
        try:
            texts.append(normalise(read_document(p).text).text)
        except Exception as exc:  # a document the build also reports as an error
            print(f"ceiling: skipped {p}: {exc}", file=sys.stderr)
    tok = jieba.Tokenizer()
    t0 = time.perf_counter()
    tok.initialize()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    words = 0
    for text in texts:
        words += len(tok.lcut(text))
    seconds = time.perf_counter() - t0
    _emit({"seconds": seconds, "load_s": load_s, "documents": len(texts), "chars": sum(map(len, texts)),
           "bytes": sum(len(t.encode("utf-8")) for t in texts), "words": words}, a.get("results"))


class _QueryTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _QueryTimeout()


def worker_queries(a: dict) -> None:
    """The named queries on one engine: ``oxigraph`` (the build's store) or ``rdflib`` (graph.ttl)."""
    from policykg.graph.query import named_queries

    catalogue = named_queries()
    engine = a["engine"]
    out = Path(a["out"])
    t0 = time.perf_counter()
    if engine == "oxigraph":
        from policykg.graph.query import run_query
        from policykg.graph.store import open_store

        store = open_store(out)

        def run(name: str) -> int:
            return len(run_query(store, catalogue[name].text, a["params"].get(name)).rows)
    else:
        from importlib import resources

        import rdflib

        from policykg.ontology.iris import ONTOLOGY_GRAPH

        # the same named graphs as the store (one per document, the gazetteer, the ontology),
        # with the union as the default graph, as the store is queried
        graph = rdflib.Dataset(default_union=True)
        if (out / "turtle").is_dir():  # build_corpus's output: one Turtle file per named graph
            from policykg.graph.build import turtle_files

            for graph_iri, path in turtle_files(out):
                graph.graph(rdflib.URIRef(graph_iri)).parse(str(path), format="turtle")
        else:  # the stages step's reference folder
            graph.parse(str(out / "graph.nq"), format="nquads")
        onto = graph.graph(rdflib.URIRef(ONTOLOGY_GRAPH))
        for name in ("policy.ttl", "instruments.ttl"):
            onto.parse(data=resources.files("policykg.ontology").joinpath(name).read_text(encoding="utf-8"),
                       format="turtle")

        def term(value: str):
            if value.startswith("<") and value.endswith(">"):
                return rdflib.URIRef(value[1:-1])
            return rdflib.Literal(value)

        def run(name: str) -> int:
            bindings = {k: term(v) for k, v in a["iris"].get(name, {}).items()}
            return len(list(graph.query(catalogue[name].text, initBindings=bindings)))
    load_s = time.perf_counter() - t0
    _emit({"kind": "load", "engine": engine, "load_s": load_s}, a.get("results"))
    signal.signal(signal.SIGALRM, _on_alarm)
    for name in a["names"]:
        times, rows = [], None
        timed_out = False
        for _ in range(a["runs"]):
            signal.alarm(int(a["timeout"]))
            try:
                t = time.perf_counter()
                n = run(name)
                times.append(time.perf_counter() - t)
            except _QueryTimeout:
                timed_out = True
                break
            finally:
                signal.alarm(0)
            if rows is not None and n != rows:
                print(f"{engine} {name}: row count changed between runs ({rows} → {n})", file=sys.stderr)
            rows = n
            if sum(times) > a["budget"]:  # a slow query is not repeated runs times
                break
        _emit({"kind": "query", "engine": engine, "name": name, "times": times, "rows": rows,
               "timeout": timed_out}, a.get("results"))


_FALLBACK_CORE = """
SELECT DISTINCT ?task ?role ?agent ?docName ?doc WHERE {
  VALUES (?p ?role) { (pk:lead "lead") (pk:responsible "responsible") (pk:support "support") (pk:division "division") }
  ?task ?p ?agent ; pk:inDocument ?doc .
  ?doc pk:sourceFile ?docName .
}"""
_FALLBACK_QUOTES = """
SELECT DISTINCT ?task ?agent ?hr ?quote WHERE {
  ?task prov:qualifiedAttribution ?asg . ?asg prov:agent ?agent ; prov:hadRole ?hr ;
  prov:wasDerivedFrom ?sp . ?sp oa:exact ?quote .
}"""


def fallback_assignment_rows(store, filters=None) -> list:
    """The rows of ``projections.assignment_rows``, from three linear lookups joined in Python.

    Used only when the library's single ASSIGNMENTS_QUERY does not finish (see
    benchmarks/README.md): the core assignments and the quotes are two small
    SPARQL queries, the agents' and tasks' attributes are read with
    ``quads_for_pattern``, so no join multiplies the copies of an agency's
    description that every document graph holds.  Same rows, same order.
    """
    from pyoxigraph import NamedNode

    from policykg.graph import projections as pj

    filters = filters if filters is not None else pj.Filters()
    pk = "https://w3id.org/policykg/ontology#"

    def prop(iri: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for q in store.quads_for_pattern(None, NamedNode(iri), None, None):
            k, v = q.subject.value, q.object.value
            if k not in out or v < out[k]:
                out[k] = v
        return out

    label = prop("http://www.w3.org/2004/02/skos/core#prefLabel")
    heading, number = prop(pk + "heading"), prop(pk + "number")
    issued = prop("http://purl.org/dc/terms/issued")
    kind, jurisdiction, level = prop(pk + "agencyKind"), prop(pk + "jurisdiction"), prop(pk + "level")
    collective = {q.subject.value for q in store.quads_for_pattern(
        None, NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(pk + "CollectiveActor"), None)}
    quotes: dict[tuple, str] = {}
    for sol in pj.query_rows(store, pj.PREFIXES + _FALLBACK_QUOTES):
        key = (sol["task"].value, sol["agent"].value, sol["hr"].value.rpartition("#")[2])
        if len(sol["quote"].value) > len(quotes.get(key, "")):
            quotes[key] = sol["quote"].value
    rows: dict[tuple, object] = {}
    for sol in pj.query_rows(store, pj.PREFIXES + _FALLBACK_CORE):
        task, role, agent = sol["task"].value, sol["role"].value, sol["agent"].value
        if agent not in label:
            continue
        date = issued.get(sol["doc"].value, "")
        row = pj.AssignmentRow(
            task, heading.get(task, ""), number.get(task, ""), sol["docName"].value,
            int(date[:4]) if date[:4].isdigit() else None, agent, role, label[agent],
            "collective" if agent in collective else pj.KIND_NAMES.get(kind.get(agent, "").rpartition("#")[2], "gov"),
            jurisdiction.get(agent, ""), pj.LEVEL_NAMES.get(level.get(agent, "").rpartition("#")[2], ""),
            quotes.get((task, agent, role[:1].upper() + role[1:] + "Role"), ""),
        )
        if pj._keep(row, filters):
            rows[(task, agent, role)] = row
    return sorted(rows.values(), key=lambda r: (r.document, r.task, r.role, r.agent))


def worker_network(a: dict) -> None:
    """Coordination projection, betweenness, PageRank, and the 1,000-node view."""
    import networkx as nx

    from policykg.graph import analytics
    from policykg.graph import projections as pj
    from policykg.graph.store import open_store
    from policykg.graph.views import render_html

    if a.get("fallback"):  # only the assignment rows are replaced; the networks are the library's
        pj.assignment_rows = fallback_assignment_rows
    coordination_network, agency_task_network = pj.coordination_network, pj.agency_task_network
    res = a.get("results")
    store = open_store(a["out"])
    t0 = time.perf_counter()
    G = coordination_network(store)
    projection_s = time.perf_counter() - t0
    collectives = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "collective")
    n_measured = G.number_of_nodes() - collectives
    _emit({"kind": "projection", "seconds": projection_s, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
           "nodes_measured": n_measured, "fallback": bool(a.get("fallback"))}, res)
    t0 = time.perf_counter()
    table = analytics.centrality_table(G, ("betweenness",))
    betweenness_s = time.perf_counter() - t0
    k = analytics._betweenness_k(n_measured, None) if hasattr(analytics, "_betweenness_k") else None
    _emit({"kind": "betweenness", "seconds": betweenness_s, "k": k, "exact": k is None,
           "top": [[str(r["label"]), float(r["betweenness"])] for _, r in table.head(3).iterrows()]}, res)
    t0 = time.perf_counter()
    pr = analytics.centrality_table(G, ("pagerank",))
    pagerank_s = time.perf_counter() - t0
    _emit({"kind": "pagerank", "seconds": pagerank_s, "top": [[str(r["label"]), float(r["pagerank"])]
                                                              for _, r in pr.head(3).iterrows()]}, res)
    # the view: the 1,000 most central agencies (betweenness), or the two-mode network if smaller
    view_nodes = int(a.get("view_nodes", 1000))
    source = "coordination"
    H = G
    if G.number_of_nodes() < view_nodes:
        t0 = time.perf_counter()
        H = agency_task_network(store)
        source = "agency-task"
        extra_s = time.perf_counter() - t0
        size = dict(H.degree())
    else:
        extra_s = 0.0
        size = table["betweenness"].to_dict()
    for n in H.nodes:
        H.nodes[n]["size_value"] = float(size.get(n, 0.0))
    path = Path(a["view_path"])
    t0 = time.perf_counter()
    info = render_html(H, path, title="Benchmark view 基准视图", caption="policykg benchmark",
                       max_nodes=view_nodes)
    write_s = time.perf_counter() - t0
    _emit({"kind": "view", "source": source, "projection_s": extra_s, "write_s": write_s,
           "bytes": path.stat().st_size, "nodes_shown": info.nodes_shown, "nodes_total": info.nodes_total,
           "edges_shown": info.edges_shown, "path": str(path), "networkx": nx.__version__}, res)


def worker_stages(a: dict) -> None:
    """The build's stages one by one, with the library's own functions, and a reference build folder.

    Read, normalise, extract + assemble (``Builder.build_raw``), N-Quads, the
    Oxigraph store, Turtle: each stage's time is reported as it finishes.  The
    folder written (``store/``, ``graph.nq`` — all quads, which the SHACL step
    validates —, ``graph.ttl``) lets the query and
    network measures run even when ``build_corpus`` itself did not finish.
    Validation and the coordination projection are measured by other workers.
    """
    from policykg.builders.normalise import normalise
    from policykg.builders.pipeline import Builder, collect_paths
    from policykg.builders.read import read_document
    from policykg.graph import store as st

    res = a.get("results")
    _quiet_jieba()
    out = Path(a["out"])
    if out.exists():
        shutil.rmtree(out)
    (out / "fragments").mkdir(parents=True)
    paths, _ = collect_paths([a["corpus"]])

    def stage(name: str, seconds: float, **extra) -> None:
        _emit({"kind": "stage", "stage": name, "seconds": seconds, **extra}, res)

    t0 = time.perf_counter()
    raws = []
    for p in paths:
        try:
            raws.append(read_document(p))
        except Exception as exc:
            print(f"stages: {p}: {exc}", file=sys.stderr)
    stage("read", time.perf_counter() - t0, documents=len(raws))
    t0 = time.perf_counter()
    for raw in raws:
        normalise(raw.text)
    stage("normalise (alone; repeated inside extract)", time.perf_counter() - t0)
    t0 = time.perf_counter()
    builder = Builder()
    lexicon = getattr(builder, "lexicon", None)
    if lexicon is not None and hasattr(lexicon, "tokenizer"):
        lexicon.tokenizer  # jieba's dictionary: loaded once per build
    stage("builder init (gazetteer, jieba dictionary)", time.perf_counter() - t0)
    t0 = time.perf_counter()
    results = []
    for raw in raws:
        try:
            results.append(builder.build_raw(raw))
        except Exception as exc:
            print(f"stages: {raw.path}: {exc}", file=sys.stderr)
    stage("normalise + extract + assemble (Builder.build_raw)", time.perf_counter() - t0, documents=len(results))
    t0 = time.perf_counter()
    fragments = []
    for i, r in enumerate(sorted(results, key=lambda r: r.raw.name)):
        text = "\n".join(r.assembled.nquads_lines()) + "\n"
        f = out / "fragments" / f"{i:05d}.nq"
        f.write_text(text, encoding="utf-8")
        fragments.append(f)
    stage("N-Quads (sorted per document)", time.perf_counter() - t0)
    t0 = time.perf_counter()
    with open(out / "graph.nq", "w", encoding="utf-8") as fh:
        for f in fragments:
            fh.write(f.read_text(encoding="utf-8"))
    stage("graph.nq written", time.perf_counter() - t0)
    t0 = time.perf_counter()
    if hasattr(st, "write_store_from_files"):  # as build_corpus does: bulk loads of the documents' N-Quads
        st.write_store_from_files(out / "store", fragments, with_ontology=True)
    else:
        import pyoxigraph

        quads = [q for f in fragments for q in pyoxigraph.parse(f.read_bytes(), format=pyoxigraph.RdfFormat.N_QUADS)]
        st.write_store(out / "store", quads + st.ontology_quads())
    stage("Oxigraph store", time.perf_counter() - t0)
    t0 = time.perf_counter()
    with open(out / "graph.ttl", "w", encoding="utf-8") as fh:
        fh.write(st.turtle_header())
        for f in fragments:
            fh.write(st.turtle_body_from_nquads(f.read_text(encoding="utf-8")))
    stage("graph.ttl (Turtle)", time.perf_counter() - t0, bytes=(out / "graph.ttl").stat().st_size)
    t0 = time.perf_counter()
    quads = triples = 0
    seen = set()
    with open(out / "graph.nq", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                quads += 1
                seen.add(line.rsplit(" ", 2)[0])
    triples = len(seen)
    del seen
    stage("count", time.perf_counter() - t0, quads=quads, triples=triples,
          nq_bytes=(out / "graph.nq").stat().st_size)


def worker_validate(a: dict) -> None:
    """SHACL validation of a build's graph, as build_corpus calls it (distinct triples as N-Triples)."""
    from policykg.graph.validate import validate_ntriples

    t0 = time.perf_counter()
    lines = set()
    with open(Path(a["out"]) / "graph.nq", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                lines.add(line.rsplit(" ", 2)[0] + " .")
    text = "\n".join(sorted(lines))
    n = len(lines)
    del lines
    prep_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    violations = validate_ntriples(text)
    _emit({"kind": "validate", "seconds": time.perf_counter() - t0, "prepare_s": prep_s, "triples": n,
           "violations": len(violations)}, a.get("results"))


WORKERS = {"build": worker_build, "ceiling": worker_ceiling, "queries": worker_queries, "network": worker_network,
           "stages": worker_stages, "validate": worker_validate}


# =============================================================================
# the orchestrating process
# =============================================================================


class Runner:
    """Starts workers with a time limit and collects their JSON lines and peak RSS."""

    def __init__(self, workdir: Path, verbose: bool = True):
        self.workdir = workdir
        self.verbose = verbose
        self.count = 0

    def log(self, msg: str) -> None:
        if self.verbose:
            print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def run(self, kind: str, args: dict, *, timeout: float,
            idle_timeout: tuple[float, float] | None = None) -> dict:
        """Run one worker; returns {items, wall_s, maxrss_mb, returncode, timed_out, stderr_tail}.

        ``idle_timeout`` = (before the first result line, between result lines):
        kill the worker when no line came for that long (queries that hang).
        """
        self.count += 1
        # every measured step starts with the previous steps' writes on disk: a user's build
        # does not start while 2 GB of an earlier build are still being written back (the kernel
        # flushes within about 30 s), and a copy of 600 MB of outputs measured behind that
        # write-back took 2.6 s instead of 0.6 s
        if hasattr(os, "sync"):
            os.sync()
        results = self.workdir / f"worker-{self.count:02d}-{kind}.jsonl"
        errfile = self.workdir / f"worker-{self.count:02d}-{kind}.stderr"
        args = dict(args, results=str(results))
        env = dict(os.environ)
        env["PYTHONPATH"] = (env["PYTHONPATH"] + os.pathsep if env.get("PYTHONPATH") else "") + str(REPO)
        env.setdefault("PYTHONHASHSEED", "0")
        cmd = [sys.executable, "-m", "benchmarks.run", "--worker", kind, "--worker-args", json.dumps(args)]
        t0 = time.perf_counter()
        started_at = time.time()
        with open(errfile, "wb") as err, open(os.devnull, "wb") as devnull:
            # cwd outside the repository: `-m` puts the cwd first on sys.path, and the repository's
            # own policykg/ folder would shadow the code snapshot on PYTHONPATH
            proc = subprocess.Popen(cmd, cwd=str(self.workdir), env=env, stdout=devnull, stderr=err,
                                    start_new_session=True)
            state = {"timed_out": False}
            stop = threading.Event()

            def watchdog():
                last_size, last_change = -1, time.perf_counter()
                while not stop.wait(0.5):
                    now = time.perf_counter()
                    size = results.stat().st_size if results.exists() else 0
                    if size != last_size:
                        last_size, last_change = size, now
                    idle = None if not idle_timeout else idle_timeout[0 if size == 0 else 1]
                    if now - t0 > timeout or (idle and now - last_change > idle):
                        state["timed_out"] = True
                        try:
                            os.killpg(proc.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                        return

            th = threading.Thread(target=watchdog, daemon=True)
            th.start()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            stop.set()
            th.join()
        wall = time.perf_counter() - t0
        items = []
        if results.exists():
            for line in results.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    items.append(json.loads(line))
        tail = errfile.read_text(encoding="utf-8", errors="replace")[-2000:]
        if proc.returncode != 0 and not state["timed_out"]:
            self.log(f"worker {kind} exited {proc.returncode}: {tail[-800:]}")
        return {"items": items, "wall_s": wall, "maxrss_mb": usage.ru_maxrss / 1024.0, "started_at": started_at,
                "returncode": proc.returncode, "timed_out": state["timed_out"], "stderr_tail": tail}


def snapshot_code(dest: Path) -> dict:
    """Copy policykg's code (the layout setup.cfg's package_dir maps) into ``dest``.

    Other engineers commit into the same tree while a long benchmark runs; with
    ``dest`` first on PYTHONPATH every worker imports the same code (the
    editable install's finder comes after sys.path).  Returns what was copied.
    """
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(REPO / "setup.cfg")
    mapping = {}
    for line in cfg["options"]["package_dir"].strip().splitlines():
        name, _, folder = line.partition("=")
        mapping[name.strip()] = folder.strip()
    if dest.exists():
        shutil.rmtree(dest)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in sorted(mapping, key=lambda n: n.count(".")):
        target = dest.joinpath(*name.split("."))
        if target.exists():
            continue
        shutil.copytree(REPO / mapping[name], target, ignore=ignore)
    info = {"path": str(dest), "packages": sorted(mapping)}
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(REPO), capture_output=True,
                                        text=True, timeout=10).stdout.strip() or None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *sorted(set(mapping.values()))], cwd=str(REPO),
                               capture_output=True, text=True, timeout=10).stdout.splitlines()
        info["uncommitted_changes"] = dirty
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _use_snapshot(path: Path) -> None:
    """Import policykg from ``path`` in this process and in every subprocess started from now on."""
    for mod in [m for m in sys.modules if m == "policykg" or m.startswith("policykg.")]:
        del sys.modules[mod]
    sys.path.insert(0, str(path))
    os.environ["PYTHONPATH"] = str(path) + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")


def machine_info() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for mod in ("pyoxigraph", "rdflib", "jieba", "networkx", "pyshacl", "pyvis"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod)
        except Exception:
            versions[mod] = None
    commit = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=str(REPO), capture_output=True,
                                text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"nproc": nproc, "cpu_model": model, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions, "commit": commit}


def _median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _modify_one(corpus: Path) -> str:
    """Change one document (a new sentence at its end); returns its name."""
    files = sorted(corpus.glob("*.txt"))
    victim = files[len(files) // 2]
    with open(victim, "a", encoding="utf-8") as fh:
        fh.write("\n本文件已由基准测试修订,请各有关单位遵照执行。\n")
    return victim.name


def _pick_parameters(out: Path) -> tuple[dict, dict, dict]:
    """Parameter values for the named queries: a real agency and a real zone label from the corpus.

    Returns (labels given to run_query, IRIs for rdflib as "<iri>", chosen {agency, zone}).
    """
    from pyoxigraph import NamedNode

    from policykg.graph.projections import query_rows
    from policykg.graph.query import named_queries, resolve_parameter
    from policykg.graph.store import open_store

    store = open_store(out)
    pk = "PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    picked = {}
    for var, q in (
        ("agency", "SELECT ?x ?label (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t pk:lead ?x . ?x a pk:Agency ; "
                   "skos:prefLabel ?label } GROUP BY ?x ?label ORDER BY DESC(?n) ?label LIMIT 20"),
        ("zone", "SELECT ?x ?label (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t pk:concernsZone ?x . "
                 "?x skos:prefLabel ?label } GROUP BY ?x ?label ORDER BY DESC(?n) ?label LIMIT 20"),
    ):
        for sol in query_rows(store, pk + q):
            iri, label = sol["x"].value, sol["label"].value
            try:
                term = resolve_parameter(store, label)
            except ValueError:  # the label names several resources
                continue
            if isinstance(term, NamedNode) and term.value == iri:
                picked[var] = {"label": label, "iri": iri}
                break
        if var not in picked:  # fall back to an IRI parameter
            for sol in query_rows(store, pk + q):
                picked[var] = {"label": "<" + sol["x"].value + ">", "iri": sol["x"].value}
                break
    labels, iris = {}, {}
    for name, nq in named_queries().items():
        for p in nq.parameters:
            if p in picked:
                labels.setdefault(name, {})[p] = picked[p]["label"]
                iris.setdefault(name, {})[p] = "<" + picked[p]["iri"] + ">"
    del store
    return labels, iris, picked


def _browser(view_path: Path, timeout_s: float) -> dict:
    """Open the view in headless Chromium; seconds from navigation to ``__policykgStabilized``."""
    from playwright.sync_api import sync_playwright

    exe = os.environ.get("POLICYKG_CHROMIUM") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    launch = {"headless": True, "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                         "--disable-background-networking", "--no-first-run"]}
    if exe:
        launch["executable_path"] = exe
    with sync_playwright() as p:
        t0 = time.perf_counter()
        browser = p.chromium.launch(**launch)
        launch_s = time.perf_counter() - t0
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:", "blob:")) else route.abort())
            t0 = time.perf_counter()
            page.goto(view_path.resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000)
            load_s = time.perf_counter() - t0
            page.wait_for_function("() => window.__policykgStabilized === true", timeout=timeout_s * 1000,
                                   polling=50)
            stabilized_s = time.perf_counter() - t0
        finally:
            browser.close()
    return {"launch_s": launch_s, "load_event_s": load_s, "stabilized_s": stabilized_s}


def _help_startup(runs: int) -> dict:
    exe = Path(sys.executable).with_name("policykg")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "policykg", "--help"]
    times = []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=str(REPO))
        times.append(time.perf_counter() - t0)
    return {"command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)), "times": times,
            "median_s": statistics.median(times)}


def _staged_outputs_after(out: Path, started_at: float) -> float | None:
    """For a killed build: seconds from its start until its staging folder held every output file."""
    found = sorted(out.glob(".building-*/manifest.json"))
    return max(f.stat().st_mtime for f in found) - started_at if found else None


def _build_figures(r: dict, corpus_mb: float, n_docs: int, out: Path | None = None) -> dict:
    item = r["items"][-1] if r["items"] else {}
    secs = item.get("seconds")
    return {
        "outputs_written_after_s": (_staged_outputs_after(out, r["started_at"])
                                    if out is not None and r["timed_out"] else None),
        "seconds": secs,
        "process_wall_s": r["wall_s"],
        "mb_per_s": corpus_mb / secs if secs else None,
        "docs_per_s": n_docs / secs if secs else None,
        "triples": (item.get("counts") or {}).get("triples"),
        "quads": (item.get("counts") or {}).get("quads"),
        "counts": item.get("counts"),
        "documents": item.get("documents"),
        "n_errors": item.get("n_errors"),
        "built": item.get("built"),
        "reused": item.get("reused"),
        "peak_rss_mb": r["maxrss_mb"],
        "timed_out": r["timed_out"],
        "returncode": r["returncode"],
        "incremental_supported": item.get("incremental_supported"),
        "profile": item.get("profile"),
        "phases": item.get("phases"),
        "error": None if item else r["stderr_tail"][-1500:],
    }


def run_benchmark(opts) -> dict:
    from benchmarks.corpus import generate_corpus, write_corpus

    own_tmp = opts.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="policykg-bench-")) if own_tmp else Path(opts.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    runner = Runner(workdir, verbose=not opts.quiet)
    result: dict = {"machine": machine_info(), "options": vars(opts).copy(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    "workdir": str(workdir)}
    try:
        if not opts.no_snapshot:
            result["code"] = snapshot_code(workdir / "code")
            _use_snapshot(workdir / "code")
            runner.log(f"code: snapshot of {str(result['code'].get('commit'))[:10]} in {workdir / 'code'}"
                       + (f" (+{len(result['code'].get('uncommitted_changes') or [])} uncommitted files)"
                          if result["code"].get("uncommitted_changes") else ""))
        # ---- 1. the corpus
        t0 = time.perf_counter()
        docs = generate_corpus(int(opts.mb * 1_000_000), opts.docs, seed=opts.seed)
        corpus = workdir / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        write_corpus(docs, corpus)
        nbytes = sum(d.nbytes for d in docs)
        mb = nbytes / 1_000_000
        kinds: dict[str, int] = {}
        for d in docs:
            kinds[d.kind] = kinds.get(d.kind, 0) + 1
        result["corpus"] = {"documents": len(docs), "bytes": nbytes, "mb": mb, "seed": opts.seed,
                            "kinds": kinds, "places": len({d.place for d in docs if d.place}),
                            "generate_s": time.perf_counter() - t0, "folder": str(corpus)}
        runner.log(f"corpus: {len(docs)} documents, {mb:.2f} MB in {corpus}")

        # ---- 2. ceiling, full builds, ceiling again (interleaved on a noisy machine)
        ceilings = []

        def ceiling():
            runner.log("ceiling: jieba segmentation of the normalised corpus")
            r = runner.run("ceiling", {"corpus": str(corpus)}, timeout=opts.build_timeout)
            if r["items"]:
                ceilings.append(r["items"][-1])

        ceiling()

        # stages one by one (and a reference build folder for the later steps)
        reference = workdir / "out-reference"
        runner.log("build stages one by one (reference folder)")
        r = runner.run("stages", {"corpus": str(corpus), "out": str(reference)}, timeout=opts.build_timeout)
        stages = {it["stage"]: {k: v for k, v in it.items() if k not in ("kind", "stage")} for it in r["items"]}
        result["stages"] = {"stages": stages, "peak_rss_mb": r["maxrss_mb"], "timed_out": r["timed_out"],
                            "wall_s": r["wall_s"]}
        if "count" not in stages:
            result["stages"]["error"] = r["stderr_tail"][-1500:]
        for name, v in stages.items():
            runner.log(f"  {name}: {v['seconds']:.2f} s")

        builds = {}
        outs = {"novalidate": workdir / "out-novalidate", "validate": workdir / "out-validate"}
        for key, validate in (("novalidate", False), ("validate", True)):
            if opts.skip_validate_build and validate:
                continue
            if outs[key].exists():
                shutil.rmtree(outs[key])
            runner.log(f"full build, validate={validate}")
            r = runner.run("build", {"corpus": str(corpus), "out": str(outs[key]), "validate": validate,
                                     "incremental": False, "workers": opts.workers}, timeout=opts.build_timeout)
            builds[key] = _build_figures(r, mb, len(docs), outs[key])
            runner.log(f"  {builds[key]['seconds'] and round(builds[key]['seconds'], 1)} s, "
                       f"triples {builds[key]['triples']}, peak RSS {builds[key]['peak_rss_mb']:.0f} MB"
                       + (" (TIMED OUT)" if r["timed_out"] else ""))
        if opts.runs > 1 or not ceilings:
            ceiling()
        result["builds"] = builds
        ceiling_s = _median([c["seconds"] for c in ceilings])
        result["ceiling"] = {"runs": ceilings, "median_s": ceiling_s,
                             "mb_per_s": mb / ceiling_s if ceiling_s else None,
                             "load_s": _median([c["load_s"] for c in ceilings])}
        for key in builds:
            s = builds[key]["seconds"]
            builds[key]["over_ceiling"] = s / ceiling_s if s and ceiling_s else None

        # ---- 3. incremental rebuild after changing one document
        changed = _modify_one(corpus)
        incremental = {"changed": changed}
        for key, validate in (("novalidate", False), ("validate", True)):
            full = builds.get(key)
            if not full or not full["seconds"]:
                continue
            if not full.get("incremental_supported") and key == "validate":
                continue  # without incremental builds this is one more full build
            runner.log(f"incremental rebuild, validate={validate} (changed {changed})")
            r = runner.run("build", {"corpus": str(corpus), "out": str(outs[key]), "validate": validate,
                                     "incremental": True, "workers": opts.workers}, timeout=opts.build_timeout)
            fig = _build_figures(r, mb, len(docs))
            fig["fraction_of_full"] = fig["seconds"] / full["seconds"] if fig["seconds"] else None
            incremental[key] = fig
            runner.log(f"  {fig['seconds'] and round(fig['seconds'], 2)} s: rebuilt {fig['built']}, "
                       f"reused {fig['reused']}")
        result["incremental"] = incremental

        # SHACL validation alone (the validate=True build minus the validate=False one, measured directly)
        if (reference / "graph.nq").exists() and not opts.skip_validate_build:
            runner.log("SHACL validation alone (reference graph)")
            r = runner.run("validate", {"out": str(reference)}, timeout=opts.build_timeout)
            v = r["items"][-1] if r["items"] else {"error": r["stderr_tail"][-1500:]}
            result["stages"]["stages"]["SHACL validation (pyshacl)"] = dict(v, peak_rss_mb=r["maxrss_mb"],
                                                                           timed_out=r["timed_out"])

        # optional: where the build's time goes, on the first N documents
        if opts.profile_docs:
            sub = workdir / "corpus-profile"
            if sub.exists():
                shutil.rmtree(sub)
            sub.mkdir()
            for f in sorted(corpus.glob("*.txt"))[:opts.profile_docs]:
                shutil.copy(f, sub / f.name)
            runner.log(f"cProfile of a full build of the first {opts.profile_docs} documents")
            r = runner.run("build", {"corpus": str(sub), "out": str(workdir / "out-profile"), "validate": True,
                                     "incremental": False, "workers": opts.workers, "profile": True,
                                     "profile_top": 45}, timeout=opts.build_timeout)
            result["profile"] = _build_figures(r, sum(f.stat().st_size for f in sub.glob("*.txt")) / 1e6,
                                               opts.profile_docs)

        # ---- 4. named queries, Oxigraph vs rdflib — on the real build, or the reference folder
        out = outs["novalidate"]
        source = "build_corpus(validate=False)"
        if not (builds.get("novalidate") or {}).get("seconds") or not (out / "store").is_dir():
            out = reference
            source = "reference folder of the stages step (build_corpus did not finish)"
        result["measured_on"] = source
        runner.log(f"queries and network measured on: {source}")
        queries: dict = {}
        if (out / "store").is_dir():
            labels, iris, picked = _pick_parameters(out)
            from policykg.graph.query import named_queries

            names = list(named_queries())
            result["query_parameters"] = picked
            loads = {}
            for engine in ("oxigraph", "rdflib"):
                if engine == "rdflib" and opts.skip_rdflib:
                    continue
                pending = list(names)
                while pending:
                    runner.log(f"queries on {engine}: {len(pending)} to go")
                    r = runner.run("queries", {"engine": engine, "out": str(out), "names": pending, "runs": opts.runs,
                                               "params": labels, "iris": iris, "timeout": opts.query_timeout,
                                               "budget": opts.query_budget},
                                   timeout=opts.build_timeout,
                                   idle_timeout=(opts.load_timeout + opts.query_timeout + opts.query_budget,
                                                 opts.query_timeout + opts.query_budget + 5))
                    for it in r["items"]:
                        if it["kind"] == "load":
                            loads[engine] = {"load_s": it["load_s"], "peak_rss_mb": r["maxrss_mb"]}
                        else:
                            queries.setdefault(it["name"], {})[engine] = it
                    done = [n for n in pending if engine in queries.get(n, {})]
                    pending = [n for n in pending if n not in done]
                    if pending and not done and not r["items"]:
                        # the engine could not even load: give up on it
                        for n in pending:
                            queries.setdefault(n, {})[engine] = {"times": [], "rows": None, "timeout": True,
                                                                 "error": r["stderr_tail"][-500:]}
                        break
                    if pending:  # the worker died or hung inside pending[0]
                        queries.setdefault(pending[0], {})[engine] = {"times": [], "rows": None, "timeout": True}
                        pending = pending[1:]
            result["query_engines"] = loads
        result["queries"] = queries

        # ---- 5/6. network measures and the view
        network = {}
        if (out / "store").is_dir():
            runner.log("coordination network: projection, betweenness, PageRank, 1,000-node view")
            view_path = workdir / "view-1000.html"
            r = runner.run("network", {"out": str(out), "view_path": str(view_path), "view_nodes": opts.view_nodes},
                           timeout=opts.build_timeout, idle_timeout=(opts.projection_timeout, opts.build_timeout))
            if not r["items"] and r["timed_out"]:
                # projections.coordination_network did not finish: measure the rest on the same rows
                network["library_projection"] = {"timed_out": True, "limit_s": opts.projection_timeout}
                runner.log(f"  coordination_network did not finish in {opts.projection_timeout:.0f} s; "
                           "measuring on the benchmark's fallback projection")
                r = runner.run("network", {"out": str(out), "view_path": str(view_path),
                                           "view_nodes": opts.view_nodes, "fallback": True}, timeout=opts.build_timeout)
            for it in r["items"]:
                network[it.pop("kind")] = it
            network["timed_out"] = r["timed_out"]
            network["peak_rss_mb"] = r["maxrss_mb"]
            if "view" not in network and not r["timed_out"]:
                network["error"] = r["stderr_tail"][-1500:]
            if "view" in network and not opts.skip_browser:
                runner.log("opening the view in headless Chromium")
                try:
                    network["browser"] = _browser(Path(network["view"]["path"]), opts.browser_timeout)
                except Exception as exc:  # report, do not abort the benchmark
                    network["browser"] = {"error": f"{type(exc).__name__}: {exc}"[:800]}
        result["network"] = network

        # ---- 7. CLI start-up
        runner.log("`policykg --help` start-up")
        result["startup"] = _help_startup(max(5, opts.runs) if opts.runs > 1 else 1)
        result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        derive(result)
    finally:
        if own_tmp and not opts.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def derive(res: dict) -> dict:
    """(Re)compute the derived figures of a result: per-query medians and ratios, figures, targets."""
    for q in res.get("queries", {}).values():
        ox, rl = q.get("oxigraph", {}), q.get("rdflib", {})
        q["oxigraph_median_s"] = _median(ox.get("times", []))
        q["rdflib_median_s"] = _median(rl.get("times", []))
        q["oxigraph_rows"] = ox.get("rows")
        q["rdflib_rows"] = rl.get("rows")
        # None when an engine did not finish the query: a timeout is not a mismatch
        q["rows_equal"] = (ox["rows"] == rl["rows"]) if ox.get("rows") is not None and rl.get("rows") is not None else None
        q["speedup"] = (q["rdflib_median_s"] / q["oxigraph_median_s"]
                        if q["rdflib_median_s"] and q["oxigraph_median_s"] else None)
    res["figures"] = _figures(res)
    res["targets"] = _targets(res["figures"])
    return res


def _figures(res: dict) -> dict:
    b = res.get("builds", {})
    inc = res.get("incremental", {})
    q = res.get("queries", {})
    net = res.get("network", {})
    ox = [v["oxigraph_median_s"] for v in q.values() if v.get("oxigraph_median_s") is not None]
    # a query Oxigraph did not finish counts as taking (at least) the time limit
    ox_timeouts = [n for n, v in q.items() if v.get("oxigraph", {}).get("timeout")]
    if ox_timeouts:
        ox.append(float(res.get("options", {}).get("query_timeout") or 0))
    ox_missing = [n for n, v in q.items() if v.get("oxigraph_median_s") is None and n not in ox_timeouts]
    eq = [v["rows_equal"] for v in q.values() if v.get("rows_equal") is not None]
    return {
        "oxigraph_query_timeouts": ox_timeouts,
        "build_over_ceiling_novalidate": b.get("novalidate", {}).get("over_ceiling"),
        "build_over_ceiling_validate": b.get("validate", {}).get("over_ceiling"),
        "incremental_fraction_novalidate": inc.get("novalidate", {}).get("fraction_of_full"),
        "incremental_fraction_validate": inc.get("validate", {}).get("fraction_of_full"),
        "slowest_query_s": (max(ox) if ox and not ox_missing else None),
        "co_assigned_speedup": q.get("co-assigned-pairs", {}).get("speedup"),
        # False on any mismatch; True when every query was compared; None when some could not be
        "query_rows_equal": (False if not all(eq) else (True if eq and len(eq) == len(q) else None)),
        "betweenness_s": net.get("betweenness", {}).get("seconds"),
        "view_bytes": net.get("view", {}).get("bytes"),
        "browser_stabilized_s": net.get("browser", {}).get("stabilized_s"),
        "help_startup_s": res.get("startup", {}).get("median_s"),
    }


def _targets(fig: dict) -> list[dict]:
    rows = []
    for key, label, target, ok in TARGETS:
        v = fig.get(key)
        rows.append({"figure": key, "label": label, "value": v, "target": target,
                     "status": "n/a" if v is None else ("PASS" if ok(v) else "FAIL")})
    return rows


# =============================================================================
# the report
# =============================================================================


def _fmt(v, unit: str = "", digits: int = 2) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v}{unit}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    out = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)).rstrip(),
           "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(out)


def format_report(res: dict) -> str:
    m = res["machine"]
    c = res.get("corpus", {})
    lines = [f"policykg benchmark — {res.get('started', '')}",
             f"machine: {m['nproc']} CPUs, {m['cpu_model']}, {m['memory']}, Python {m['python']} ({m['platform']})",
             "versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + "; policykg "
             + (f"snapshot of {str(res['code'].get('commit'))[:10]}"
                + (f" + {len(res['code']['uncommitted_changes'])} uncommitted files" if res["code"].get("uncommitted_changes") else "")
                if res.get("code") else f"working tree at {m.get('commit')}"),
             f"corpus: {c.get('documents')} documents, {c.get('mb', 0):.2f} MB "
             f"({', '.join(f'{k} {v}' for k, v in sorted(c.get('kinds', {}).items()))}; {c.get('places')} places; "
             f"seed {c.get('seed')})", ""]
    rows = []
    for key, label in (("novalidate", "full build, validate=False"), ("validate", "full build, validate=True")):
        b = res.get("builds", {}).get(key)
        if b:
            timeout = res.get("options", {}).get("build_timeout")
            rows.append([label, _fmt(b["seconds"], " s", 1) if b["seconds"] else f"> {timeout:.0f} s" if b["timed_out"] else "—",
                         _fmt(b["mb_per_s"], "", 3), _fmt(b["docs_per_s"], "", 2),
                         _fmt(b["triples"]), _fmt(b["peak_rss_mb"], " MB", 0), _fmt(b.get("over_ceiling"), "×"),
                         ("TIMEOUT (killed)" + (f"; all outputs but the view were written after "
                                                f"{b['outputs_written_after_s']:.0f} s" if b.get("outputs_written_after_s") else ""))
                         if b["timed_out"] else ("" if b["seconds"] else "FAILED")])
    inc = res.get("incremental", {})
    for key, label in (("novalidate", "incremental, validate=False"), ("validate", "incremental, validate=True")):
        b = inc.get(key)
        if b:
            rows.append([label, _fmt(b["seconds"], " s", 2), "", "", _fmt(b["triples"]), _fmt(b["peak_rss_mb"], " MB", 0),
                         "", f"{_fmt(b.get('fraction_of_full') and 100 * b['fraction_of_full'], '%', 1)} of full; "
                             f"rebuilt {b.get('built')}, reused {b.get('reused')}"])
    ce = res.get("ceiling", {})
    rows.append(["ceiling: jieba lcut alone", _fmt(ce.get("median_s"), " s", 1), _fmt(ce.get("mb_per_s"), "", 3), "", "",
                 "", "", f"median of {len(ce.get('runs', []))}; dictionary load {_fmt(ce.get('load_s'), ' s')}"])
    lines += ["Builds", _table(["step", "time", "MB/s", "docs/s", "triples", "peak RSS", "/ceiling", "note"], rows), ""]
    if inc.get("changed"):
        lines.append(f"(incremental: {inc['changed']} changed)")
        lines.append("")
    phase_rows = []
    for label, b in (("full build, validate=False", res.get("builds", {}).get("novalidate")),
                     ("incremental, validate=False", inc.get("novalidate"))):
        if b and b.get("phases"):
            phase_rows.append([label] + [f"{k} {_fmt(v, ' s', 2)}" for k, v in b["phases"].items()])
    if phase_rows:
        lines += ["Where the build's time went (phases as build_corpus timed them)"]
        lines += [" | ".join(r) for r in phase_rows] + [""]
    stages = res.get("stages", {}).get("stages", {})
    if stages:
        mb = c.get("mb") or 0
        rows = []
        for name, v in stages.items():
            secs = v.get("seconds")
            note = []
            for k in ("documents", "quads", "triples", "violations"):
                if v.get(k) is not None:
                    note.append(f"{k} {_fmt(v[k])}")
            if v.get("bytes"):
                note.append(f"{v['bytes'] / 1e6:.1f} MB")
            if v.get("peak_rss_mb"):
                note.append(f"peak RSS {v['peak_rss_mb']:.0f} MB")
            if v.get("timed_out"):
                note.append("TIMEOUT")
            rows.append([name, _fmt(secs, " s", 2), _fmt(secs and mb / secs, "", 3) if secs else "—", "; ".join(note)])
        lib = res.get("network", {}).get("library_projection")
        if lib:
            rows.append(["coordination projection (projections.coordination_network)", f"> {lib['limit_s']:.0f} s",
                         "", "TIMEOUT (killed)"])
        net = res.get("network", {}).get("projection")
        if net:
            rows.append(["coordination projection" + (" (benchmark fallback)" if net.get("fallback") else ""),
                         _fmt(net.get("seconds"), " s", 2), "",
                         f"{_fmt(net.get('nodes'))} nodes, {_fmt(net.get('edges'))} edges"])
        lines += ["Build stages, one at a time in one process (library functions; for the breakdown)",
                  _table(["stage", "time", "MB/s", "note"], rows), ""]
    prof = res.get("profile")
    if prof and prof.get("profile"):
        rows = [[r["function"][:110], _fmt(r["cumtime_s"], " s"), _fmt(r["tottime_s"], " s"), _fmt(r["calls"])]
                for r in prof["profile"][:30]]
        lines += [f"cProfile of build_corpus on the first {res['options'].get('profile_docs')} documents "
                  f"({_fmt(prof.get('seconds'), ' s', 1)} under the profiler)",
                  _table(["function", "cumulative", "own", "calls"], rows), ""]
    if res.get("measured_on"):
        lines += [f"queries, network and view measured on: {res['measured_on']}", ""]

    q = res.get("queries", {})
    if q:
        params = res.get("query_parameters", {})
        loads = res.get("query_engines", {})
        rows = []
        for name, v in sorted(q.items()):
            rows.append([name, _fmt(v.get("oxigraph_median_s") and 1000 * v["oxigraph_median_s"], " ms", 1),
                         _fmt(v.get("rdflib_median_s") and 1000 * v["rdflib_median_s"], " ms", 0),
                         _fmt(v.get("speedup"), "×", 1 if (v.get("speedup") or 0) >= 1 else 3),
                         _fmt(v.get("oxigraph_rows")), _fmt(v.get("rdflib_rows")),
                         _fmt(v.get("rows_equal")),
                         ", ".join(f"{e} TIMEOUT" for e in ("oxigraph", "rdflib") if v.get(e, {}).get("timeout"))])
        limit = res.get("options", {}).get("query_timeout")
        lines += ["Named queries (median; Oxigraph store vs rdflib in-memory Dataset of the build's Turtle files + ontology; "
                  f"TIMEOUT = not finished in {limit:.0f} s)",
                  _table(["query", "Oxigraph", "rdflib", "speed-up", "rows ox", "rows rdflib", "equal", ""], rows),
                  "parameters: " + ", ".join(f"{k}={v['label']}" for k, v in params.items()),
                  "load: " + ", ".join(f"{k} {_fmt(v['load_s'], ' s', 1)} (peak RSS {_fmt(v['peak_rss_mb'], ' MB', 0)})"
                                       for k, v in loads.items()), ""]
    net = res.get("network", {})
    if net:
        p, bt, pr, vw, br = (net.get(k, {}) for k in ("projection", "betweenness", "pagerank", "view", "browser"))
        lines += ["Coordination network and view",
                  (f"projections.coordination_network did not finish in {net['library_projection']['limit_s']:.0f} s "
                   "(killed); figures below use the benchmark's fallback projection (same rows, split queries)"
                   if net.get("library_projection") else "projection: projections.coordination_network"),
                  f"projection: {_fmt(p.get('nodes'))} nodes, {_fmt(p.get('edges'))} edges in {_fmt(p.get('seconds'), ' s')}",
                  f"betweenness: {_fmt(bt.get('seconds'), ' s')} ({'exact' if bt.get('exact') else 'k=' + str(bt.get('k'))} "
                  f"over {_fmt(p.get('nodes_measured'))} non-collective nodes); PageRank: {_fmt(pr.get('seconds'), ' s')}",
                  f"view ({vw.get('source')}): {_fmt(vw.get('nodes_shown'))} of {_fmt(vw.get('nodes_total'))} nodes, "
                  f"{_fmt(vw.get('edges_shown'))} edges, written in {_fmt(vw.get('write_s'), ' s')}, "
                  f"{_fmt(vw.get('bytes') and vw['bytes'] / 1e6, ' MB')}",
                  ("browser: " + (br.get("error") or f"stabilised {_fmt(br.get('stabilized_s'), ' s')} after navigation "
                                  f"(load event {_fmt(br.get('load_event_s'), ' s')}; Chromium launch {_fmt(br.get('launch_s'), ' s')})"))
                  if br else "browser: skipped",
                  "TIMED OUT" if net.get("timed_out") else "", ""]
    st = res.get("startup", {})
    if st:
        lines += [f"`{st['command']}`: median {_fmt(st['median_s'], ' s', 3)} of {len(st['times'])}", ""]
    rows = []
    for t in res.get("targets", []):
        v = t["value"]
        if t["figure"].startswith("incremental"):
            shown = _fmt(v is not None and 100 * v or None, "%", 1)
        elif t["figure"] == "view_bytes":
            shown = _fmt(v and v / 1e6, " MB")
        elif t["figure"] == "slowest_query_s" and res.get("figures", {}).get("oxigraph_query_timeouts"):
            shown = f"> {v:.0f} s ({len(res['figures']['oxigraph_query_timeouts'])} timed out)"
        elif t["figure"].endswith("_s"):
            shown = _fmt(v, " s", 3)
        elif isinstance(v, float):
            shown = _fmt(v, "×")
        else:
            shown = _fmt(v)
        rows.append([t["label"], shown, t["target"], t["status"]])
    lines += ["Targets", _table(["figure", "measured", "target", ""], rows)]
    return "\n".join(lines)


# =============================================================================
# command line
# =============================================================================


def parse_args(argv=None):
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in MB (UTF-8), default 10")
    ap.add_argument("--docs", type=int, default=550, help="number of documents, default 550")
    ap.add_argument("--runs", type=int, default=5, help="runs per query and per start-up measure (median), default 5")
    ap.add_argument("--seed", type=int, default=20261121, help="RNG seed of the corpus")
    ap.add_argument("--json", dest="json_path", default=None, help="write all figures to this JSON file")
    ap.add_argument("--workers", type=int, default=None,
                    help="build_corpus(workers=N) when the build supports it (default: build_corpus's own default)")
    ap.add_argument("--skip-browser", action="store_true", help="do not open the view in Chromium")
    ap.add_argument("--skip-rdflib", action="store_true", help="do not run the queries on rdflib")
    ap.add_argument("--skip-validate-build", action="store_true", help="do not run the validate=True full build")
    ap.add_argument("--profile-docs", type=int, default=0,
                    help="also cProfile a full build of the first N documents (top functions in the JSON)")
    ap.add_argument("--view-nodes", type=int, default=1000, help="nodes in the view, default 1000")
    ap.add_argument("--build-timeout", type=float, default=5400, help="seconds before a build (or other step) is killed")
    ap.add_argument("--query-timeout", type=float, default=300, help="seconds before one query run is abandoned")
    ap.add_argument("--query-budget", type=float, default=30,
                    help="stop repeating a query once its runs took this many seconds in all")
    ap.add_argument("--projection-timeout", type=float, default=900,
                    help="seconds allowed for projections.coordination_network before the fallback projection is used")
    ap.add_argument("--load-timeout", type=float, default=900, help="seconds allowed for an engine to load the graph")
    ap.add_argument("--browser-timeout", type=float, default=120, help="seconds to wait for the view to stabilise")
    ap.add_argument("--no-snapshot", action="store_true",
                    help="import policykg from the working tree as it changes, not from a copy taken at the start")
    ap.add_argument("--workdir", default=None, help="keep everything in this folder (default: a temporary one, removed)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    ap.add_argument("--from-json", default=None, metavar="FILE",
                    help="print the report of a saved result (derived figures recomputed) instead of running")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--worker-args", default=None, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv=None) -> int:
    opts = parse_args(argv)
    if opts.worker:
        WORKERS[opts.worker](json.loads(opts.worker_args))
        return 0
    if opts.from_json:
        res = derive(json.loads(Path(opts.from_json).read_text(encoding="utf-8")))
    else:
        res = run_benchmark(opts)
    print(format_report(res))
    if opts.json_path:
        Path(opts.json_path).write_text(json.dumps(res, ensure_ascii=False, indent=2, default=str) + "\n",
                                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
