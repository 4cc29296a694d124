"""Build a corpus into a build directory (store, Turtle files, HTML view, reports).

This is the library function behind ``policykg build``.

* **Parallel**: documents are built in a pool of worker processes; the outputs
  do not depend on the number of workers (each document's graph is sorted, and
  documents are written in name order).
* **Incremental**: a document whose bytes are unchanged (SHA-256) since the last
  build into the same folder is not rebuilt; its cached graph is reused.  A
  changed document replaces its named graph; ``prune`` drops the graphs of
  documents no longer given.
* **Duplicates**: the same bytes under two names, or a traditional and a
  simplified copy of one text, are reported and built once.
* **Nothing lost**: every output is written to a temporary place first and then
  swapped in; the store is updated in one transaction per build.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from policykg.builders.model import DocumentError, RawDocument
from policykg.builders.read import DEFAULT_MAX_BYTES

log = logging.getLogger(__name__)

CACHE = ".cache"
CACHE_VERSION = "18"  # bump when the graph a document yields or the manifest changes: cached fragments are rebuilt
SUMMARY_CLASSES = {"documents": "PolicyDocument", "agencies": "Agency", "tasks": "Task", "mechanisms": "Mechanism",
                   "zones": "PilotZone"}


class ValidationFailed(Exception):
    """The built graph violates the SHACL shapes; nothing was published."""

    def __init__(self, violations):
        super().__init__(f"{len(violations)} SHACL violation(s)")
        self.violations = violations


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    documents: tuple[str, ...]
    errors: tuple[DocumentError, ...]
    counts: dict
    top_betweenness: tuple[tuple[str, float], ...]
    outputs: tuple[str, ...] = field(default=())
    built: tuple[str, ...] = field(default=())  # rebuilt this time
    reused: tuple[str, ...] = field(default=())  # unchanged, taken from the cache
    duplicates: tuple[tuple[str, str], ...] = field(default=())  # (skipped, kept)
    pruned: tuple[str, ...] = field(default=())
    brokers_sampled: int = 0  # betweenness of the summary estimated from this many sources (0: exact)
    timings: dict = field(default_factory=dict)  # seconds per phase of the build (see _build_into)


@dataclass(frozen=True)
class _Source:
    name: str  # document name: file name, or path relative to the folder given
    path: str | None
    raw: RawDocument | None = None  # bundled seeds come as RawDocuments


@dataclass(frozen=True)
class _Built:
    name: str
    sha256: str
    text_hash: str  # of the normalised (simplified) text: catches script-converted copies
    fragment: str  # file holding the sorted N-Quads of the document's named graph
    info: dict  # path, format, encoding, counts
    diagnostics: list
    violations: tuple = ()  # SHACL violations (focus, path, message) of this document's graph


# ------------------------------------------------------------------ workers
_WORKER_BUILDER = None


def _worker_init(base_iri):
    global _WORKER_BUILDER
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    from policykg.builders.pipeline import Builder

    _WORKER_BUILDER = Builder(base_iri)


def _build_one(src: _Source, max_bytes: int, frag_dir: str, validate: bool, builder=None):
    """Build one source and write its graph to ``frag_dir``; returns _Built or DocumentError.

    Only the small result crosses the process boundary; the graph goes to a file, so the
    parent never holds the whole corpus in memory.
    """
    from dataclasses import replace

    from policykg.builders.read import read_document

    b = builder or _WORKER_BUILDER
    try:
        raw = src.raw if src.raw is not None else read_document(src.path, max_bytes=max_bytes)
        if raw.name != src.name:
            raw = replace(raw, name=src.name)
        r = b.build_raw(raw)
    except DocumentError as exc:
        return DocumentError(src.path or src.name, exc.reason)
    diags = []
    for d in r.extraction.diagnostics:
        item = dict(d)
        if d.get("end", 0) > d.get("start", 0):
            rs, re_ = r.norm.raw_span(d["start"], d["end"])
            item.update(start=rs, end=re_, quote=raw.text[rs:re_])
        diags.append(item)
    info = {"path": raw.path, "format": raw.fmt, "encoding": raw.encoding, "script": r.norm.script,
            "bytes": len(raw.text.encode("utf-8")),
            "graph": r.assembled.graph.value, **r.assembled.counts}
    text_hash = hashlib.sha256(r.norm.text.encode("utf-8")).hexdigest()
    lines = r.assembled.nquads_lines()
    info["quads"] = len(lines)
    violations = ()
    if validate:
        from policykg.graph.validate import validate_triples

        found = validate_triples(r.assembled.triples, validate if isinstance(validate, str) else None)
        violations = tuple((raw.name, v.focus, v.path, v.message) for v in found)
    fragment = Path(frag_dir) / (_cache_key(raw.name) + ".nq")
    fragment.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_turtle_fragment(fragment, triples=r.assembled.triples, graph=r.assembled.graph.value)
    _write_rows(fragment, r.assembled.triples, r.assembled.graph.value)
    return _Built(raw.name, raw.sha256, text_hash, str(fragment), info, diags, violations)


def _write_turtle_fragment(fragment: Path, nquads: str | None = None, *, triples=None, graph: str | None = None) -> None:
    """Beside a document's N-Quads: its graph as a Turtle file (.ttl, the very file the build
    publishes under turtle/, hard-linked, so an unchanged document is never written again; read
    only, so it is not edited in place by mistake) and its triple hashes (.hash.npy).
    ``triples``: the sorted, unique triples of terms when the caller has them, else read from
    ``nquads``."""
    import numpy as np

    from policykg.graph.store import graph_of_nquads, triple_hashes, triples_of_nquads, turtle_document

    if triples is None:
        triples, graph = triples_of_nquads(nquads), graph_of_nquads(nquads)
    ttl = fragment.with_suffix(".ttl")
    ttl.unlink(missing_ok=True)
    ttl.write_text(turtle_document(triples, graph), encoding="utf-8")
    os.chmod(ttl, 0o444)
    np.save(fragment.with_suffix(".hash.npy"), triple_hashes(triples, graph))


def _write_rows(fragment: Path, triples, graph: str | None) -> None:
    """Beside a document's N-Quads: its assignment rows (``projections.assignment_rows`` of the
    document's graph alone), so the summary's coordination network is assembled from cached rows
    instead of being projected again from the whole store after every build."""
    from dataclasses import astuple

    from policykg.graph.rows import document_rows

    rows = [list(astuple(r)) for r in document_rows(triples, graph)] if graph else []
    fragment.with_suffix(".rows.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _cached_rows(fragment: Path) -> list:
    from policykg.graph.rows import AssignmentRow
    from policykg.graph.store import graph_of_nquads, triples_of_nquads

    path = fragment.with_suffix(".rows.json")
    if not path.exists():  # a cache from an older build
        nquads = fragment.read_text(encoding="utf-8")
        _write_rows(fragment, triples_of_nquads(nquads), graph_of_nquads(nquads))
    return [AssignmentRow(*r) for r in json.loads(path.read_text(encoding="utf-8"))]


def _link(src: Path, dest: Path) -> None:
    """``dest`` as a hard link to ``src`` (a copy where the file system has no hard links)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


# ------------------------------------------------------------------ sources
def _sources(paths) -> tuple[list[_Source], list[DocumentError]]:
    # the pipeline is imported here, before the worker processes are forked: they inherit it
    from policykg.builders.pipeline import bundled_seeds, collect_paths

    if not paths:
        return [_Source(raw.name, None, raw) for raw in bundled_seeds()], []
    sources: list[_Source] = []
    errors: list[DocumentError] = []
    for p in paths:
        root = Path(p)
        files, missing = collect_paths([root])
        errors += missing
        for f in files:
            name = f.relative_to(root).as_posix() if root.is_dir() else f.name
            sources.append(_Source(name, str(f)))
    seen: dict[str, _Source] = {}
    unique = []
    for s in sources:
        if s.name in seen:
            if seen[s.name].path == s.path:
                continue
            s = _Source(f"{Path(s.path).parent.name}/{s.name}", s.path)
        seen[s.name] = s
        unique.append(s)
    # a document's IRIs are made from its name without the extension: plan.docx and plan.pdf
    # side by side would be one document in the graph, so the second (by name) is refused
    from policykg.ontology.iris import doc_key_for

    kept: dict[str, _Source] = {}
    for s in sorted(unique, key=lambda s: s.name):
        key = doc_key_for(s.name)
        if key in kept:
            errors.append(DocumentError(
                s.path or s.name,
                f"has the same name as {kept[key].path or kept[key].name} but for its extension, so "
                "both would be one document in the graph (a document's IRI is its name without the "
                "extension): rename one of them, or leave out the one that is a copy in another format"))
            continue
        kept[key] = s
    return list(kept.values()), errors


def _file_sha(src: _Source) -> str | None:
    if src.raw is not None:
        return src.raw.sha256
    try:
        h = hashlib.sha256()
        with open(src.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _stat_key(src: _Source) -> list[int] | None:
    """What tells a file's content unchanged without reading it: size, mtime, ctime, inode."""
    if src.raw is not None or not src.path:
        return None
    try:
        st_ = os.stat(src.path)
    except OSError:
        return None
    return [st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns, st_.st_ino]


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _cache_key(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ the build
def build_corpus(paths: Sequence[str | Path] | None, out_dir: str | Path = "policykg-out", *,
                 base_iri: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, keep_going: bool = True,
                 view: bool = True, validate: bool = True, workers: int | None = 1, incremental: bool = True,
                 prune: bool = False, progress: Callable | None = None) -> BuildReport:
    """Build documents (or the bundled seeds when ``paths`` is empty) into ``out_dir``.

    Parameters
    ----------
    paths : files and folders (searched recursively); None or empty for the bundled seeds.
    out_dir : the build directory; outputs are replaced only when the new build is complete.
    keep_going : build the other documents when one fails (the failures are reported).
    workers : worker processes (None: one per CPU); the output does not depend on it.
    incremental : reuse the graphs of documents unchanged since the last build in ``out_dir``.
    prune : drop the graphs of documents built before but not given now.
    validate : check each new document's graph against the SHACL shapes (a violation stops the
        build and nothing is published); a path instead of True adds the shapes in that Turtle file.
    progress : optional callable ``progress(iterable, n_documents, n_bytes)`` wrapping the built documents.

    Returns
    -------
    BuildReport with the documents in the graph, the errors, counts and the top brokers.
    """
    from policykg.graph import store as st

    started = time.perf_counter()
    out = Path(out_dir)
    cache = out / CACHE
    sources, errors = _sources(paths)
    manifest_path = out / "manifest.json"
    old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    old_docs = old.get("documents", {}) if (out / "store").is_dir() else {}

    # -- what is unchanged, what is a byte-identical duplicate, what must be built
    reused: list[str] = []
    to_build: list[_Source] = []
    by_sha: dict[str, str] = {}
    duplicates: list[tuple[str, str]] = []
    shas = {}
    # a file whose size, times and inode are those the last build recorded is not read again to
    # be hashed (as git's index does), unless it was changed less than a second before that build
    # looked at it: a change within the file system's clock tick would keep its times
    hashed_at = time.time_ns()
    trusted_before = old.get("hashed_at_ns", 0) - 1_000_000_000 if old.get("version") == CACHE_VERSION else 0
    stats = {s.name: _stat_key(s) for s in sources}
    for s in sources:
        prev, stat = old_docs.get(s.name), stats[s.name]
        if incremental and prev and stat and prev.get("stat") == stat and max(stat[1], stat[2]) < trusted_before:
            sha = prev["sha256"]
        else:
            sha = _file_sha(s)
        shas[s.name] = sha
        if sha is not None and sha in by_sha:
            duplicates.append((s.name, by_sha[sha]))
            continue
        if sha is not None:
            by_sha[sha] = s.name
        prev = old_docs.get(s.name)
        if incremental and prev and sha and prev.get("sha256") == sha and old.get("version") == CACHE_VERSION \
                and (cache / (_cache_key(s.name) + ".nq")).exists():
            reused.append(s.name)
        else:
            to_build.append(s)
    # copies found by their text last time (a traditional and a simplified copy): unchanged copies
    # of an unchanged document are not rebuilt either
    old_dups, old_dup_sha = old.get("duplicates", {}), old.get("duplicate_sha256", {})
    if incremental and old.get("version") == CACHE_VERSION:
        kept_names = set(reused)
        for s in list(to_build):
            if old_dup_sha.get(s.name) and old_dup_sha[s.name] == shas[s.name] and old_dups.get(s.name) in kept_names:
                to_build.remove(s)
                duplicates.append((s.name, old_dups[s.name]))

    tmp = st.staging_dir(out)
    try:
        return _build_into(tmp, out, cache, sources, errors, old, old_docs, reused, to_build, duplicates,
                           base_iri=base_iri, max_bytes=max_bytes, keep_going=keep_going, view=view,
                           validate=validate, workers=workers, prune=prune, progress=progress, shas=shas,
                           stats=stats, hashed_at=hashed_at, started=started)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _build_into(tmp, out, cache, sources, errors, old, old_docs, reused, to_build, duplicates, *, base_iri,
                max_bytes, keep_going, view, validate, workers, prune, progress, shas, stats, hashed_at,
                started) -> BuildReport:
    from policykg.graph import store as st

    clock = [started]
    timings: dict[str, float] = {}

    def phase(name: str) -> None:  # the time since the previous phase ended
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - clock[0], 3)
        clock[0] = now
        log.debug("%s: %.2f s", name, timings[name])

    phase("sources")
    frag_dir = tmp / CACHE
    frag_dir.mkdir()
    built: list[_Built] = []
    # while the worker processes build, this one imports what the summary needs and reads the cached
    # assignment rows of the unchanged documents (after one changed document of 550 that was on the
    # critical path, after the store update)
    preloaded: dict[str, list] = {}
    preloaded_base: list = []

    def while_waiting() -> None:
        import policykg.graph.projections  # noqa: F401  (networkx)
        import policykg.ontology.successions  # noqa: F401  (rdflib)

        for n in reused:
            preloaded[n] = _cached_rows(cache / (_cache_key(n) + ".nq"))
        # and counts the distinct triples of the unchanged documents (the changed ones are added after)
        hash_files = [cache / (_cache_key(n) + ".hash.npy") for n in reused]
        if hash_files and all(f.is_file() for f in hash_files):
            import numpy as np

            preloaded_base.append((frozenset(reused), st.distinct_triples_base(np.load(f) for f in hash_files)))

    results_iter = _run(to_build, max_bytes, base_iri, workers, str(frag_dir), validate, while_waiting)
    if progress is not None:
        total_bytes = sum(len(s.raw.text.encode("utf-8")) if s.raw is not None else _size(s.path) for s in to_build)
        results_iter = progress(results_iter, len(to_build), total_bytes)
    for item in results_iter:
        if isinstance(item, DocumentError):
            errors.append(item)
            log.info("failed: %s", item)
            if not keep_going:
                break
        else:
            built.append(item)
    phase("documents")
    violations = [v for b in built for v in b.violations]
    if violations:
        from policykg.graph.validate import Violation

        raise ValidationFailed([Violation(focus, path, f"{message} (in {doc})") for doc, focus, path, message in violations])

    # -- copies of one text in two scripts (or two encodings): keep the first name
    text_seen = {old_docs[n].get("text_hash"): n for n in reused if old_docs[n].get("text_hash")}
    kept_built = []
    for b in sorted(built, key=lambda b: b.name):
        if b.text_hash in text_seen:
            duplicates.append((b.name, text_seen[b.text_hash]))
            Path(b.fragment).unlink(missing_ok=True)
            continue
        text_seen[b.text_hash] = b.name
        kept_built.append(b)
    built = kept_built

    given = {s.name for s in sources}
    carried = [n for n in old_docs if n not in given and not prune and (cache / (_cache_key(n) + ".nq")).exists()]
    pruned = sorted(n for n in old_docs if n not in given and prune)
    documents = sorted(set(reused) | set(carried) | {b.name for b in built})
    if not documents:
        return BuildReport(out, (), tuple(errors), {}, (), duplicates=tuple(duplicates))
    changed_graphs = bool(built) or bool(pruned) or set(documents) != set(old_docs)

    # the gazetteer's agency successions (org:ChangeEvent) form a named graph of their own
    from policykg.ontology.iris import Iris, base_from_env
    from policykg.ontology.successions import succession_quads

    gazetteer_nq = "\n".join(st.nquads_lines(succession_quads(Iris(base_iri or base_from_env())))) + "\n"
    gazetteer = cache / "gazetteer.nq"  # kept in the cache while it does not change
    current = old.get("version") == CACHE_VERSION  # else the cached Turtle files are rewritten
    if not (current and gazetteer.is_file() and gazetteer.with_suffix(".ttl").is_file()
            and gazetteer.with_suffix(".hash.npy").is_file() and gazetteer.read_text(encoding="utf-8") == gazetteer_nq):
        gazetteer = frag_dir / "gazetteer.nq"
        gazetteer.write_text(gazetteer_nq, encoding="utf-8")
        _write_turtle_fragment(gazetteer, gazetteer_nq)

    def fragment(name: str) -> Path:
        new = frag_dir / (_cache_key(name) + ".nq")
        return new if new.exists() else cache / (_cache_key(name) + ".nq")

    info_of = {**{n: old_docs[n] for n in reused + carried}, **{b.name: b.info for b in built}}
    for n in carried:
        if "quads" not in info_of[n]:  # carried over from a build that did not count them
            with open(fragment(n), "rb") as fh:
                info_of[n]["quads"] = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 22), b""))
    network = None
    try:
        # turtle/: each document's graph as a Turtle file and the gazetteer's, hard links to the
        # cached fragments (an unchanged document costs one link, whatever its size); the N-Quads
        # fragments stay in the cache: the store is loaded and updated from them
        import numpy as np

        pieces = [fragment(name) for name in documents] + [gazetteer]
        for name, f in zip(documents + [None], pieces):
            if (not f.with_suffix(".ttl").exists() or not f.with_suffix(".hash.npy").exists()
                    or (name in carried and not current)):  # a cache from an older build
                _write_turtle_fragment(f, f.read_text(encoding="utf-8"))
        for name, f in zip(documents, pieces):
            _link(f.with_suffix(".ttl"), tmp / "turtle" / "documents" / (name + ".ttl"))
        _link(gazetteer.with_suffix(".ttl"), tmp / "turtle" / "gazetteer.ttl")
        quads = sum(info_of[n]["quads"] for n in documents) + sum(1 for line in gazetteer_nq.splitlines() if line)
        base = preloaded_base[0] if preloaded_base and preloaded_base[0][0] <= set(documents) else None
        hashes = [np.load(f.with_suffix(".hash.npy")) for name, f in zip(documents + [None], pieces)
                  if base is None or name not in base[0]]
        triples = st.count_distinct_triples(hashes, base[1] if base else None)
        phase("turtle/")
        # the coordination network (as projections.coordination_network(store) makes it) from the rows
        # cached per document, the summary's brokers and the view: they need no store, so they are
        # computed in a thread while the store is written (Oxigraph's loader and compaction release
        # the GIL); not earlier: while that thread holds the GIL, each of the Turtle files' links waits
        # for it (measured: that phase 0.07 → 0.6 s)
        network = _start(lambda: _network_and_view(documents, fragment, tmp if view else None, preloaded))
        # the store: updated in place (one transaction) when it exists, else written anew
        # (rewritten when most documents changed; otherwise updated in one transaction)
        store_is_new = (not (out / "store").is_dir() or not old_docs
                        or len(built) + len(pruned) > 0.3 * len(documents))
        if store_is_new:
            st.write_store_from_files(tmp / "store", pieces, with_ontology=True,
                                      threads=workers if workers is not None else os.cpu_count())
        elif changed_graphs:
            st.replace_graphs(out / "store", [fragment(b.name) for b in built] + [gazetteer],
                              drop=[old_docs[n]["graph"] for n in pruned if old_docs[n].get("graph")])
        phase("store")
        manifest = {
            "version": CACHE_VERSION,
            "hashed_at_ns": hashed_at,
            "documents": {},
            "errors": {e.path: e.reason for e in errors},
            "duplicates": {a: b for a, b in duplicates},
            "duplicate_sha256": {a: shas[a] for a, _ in duplicates if shas.get(a)},
        }
        diagnostics = json.loads((out / "diagnostics.json").read_text(encoding="utf-8")) if (out / "diagnostics.json").exists() else {}
        for b in built:
            manifest["documents"][b.name] = {**b.info, "sha256": b.sha256, "text_hash": b.text_hash,
                                             "stat": stats.get(b.name)}
            diagnostics[b.name] = b.diagnostics
        for n in reused + carried:
            manifest["documents"][n] = {**old_docs[n], "stat": stats.get(n, old_docs[n].get("stat"))}
        diagnostics = {k: v for k, v in diagnostics.items() if k in manifest["documents"]}
        st.write_json(tmp / "manifest.json", manifest)
        st.write_json(tmp / "diagnostics.json", diagnostics)
        outputs = ["turtle", "manifest.json", "diagnostics.json"]
        store_dir = tmp / "store" if store_is_new else out / "store"
        store = st.open_store(store_dir)
        counts = _counts(store)
        counts.update(triples=triples, quads=quads)
    except BaseException:
        try:  # the thread writes into the staging folder: let it finish before that is removed
            if network is not None:
                network()
        except BaseException:
            pass
        raise
    top, sampled, network_s = network()
    timings["network, brokers, view (alongside the store)"] = round(network_s, 3)
    if view:
        outputs.append("coordination.html")
    phase("summary")
    del store
    # the cache: new fragments in, pruned ones out
    cache.mkdir(parents=True, exist_ok=True)
    for f in (tmp / CACHE).iterdir():
        os.replace(f, cache / f.name)
    for n in pruned:
        for suffix in (".nq", ".ttl", ".hash.npy", ".rows.json"):
            (cache / (_cache_key(n) + suffix)).unlink(missing_ok=True)
    st.publish(tmp, out, (["store"] if store_is_new else []) + outputs)
    for stale in ("graph.nq", "graph.ttl", "graph.trig"):  # what earlier versions wrote instead of turtle/
        (out / stale).unlink(missing_ok=True)
    phase("publish")
    return BuildReport(out, tuple(documents), tuple(errors), counts, tuple(top), tuple(["store"] + outputs),
                       tuple(b.name for b in built), tuple(reused), tuple(duplicates), tuple(pruned), sampled,
                       timings)


def turtle_files(out_dir: str | Path) -> list[tuple[str, Path]]:
    """The Turtle files of a build directory with the named graph each holds: (graph IRI, path)
    for every document (in name order, as ``manifest.json`` lists them), then the gazetteer's."""
    from policykg.ontology.iris import GAZETTEER_GRAPH

    out = Path(out_dir)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = [(info["graph"], out / "turtle" / "documents" / (name + ".ttl"))
             for name, info in sorted(manifest["documents"].items())]
    return files + [(GAZETTEER_GRAPH, out / "turtle" / "gazetteer.ttl")]


def _network_and_view(documents, fragment, view_dir: Path | None, preloaded: dict | None = None):
    """The summary's brokers (and the view, into ``view_dir``) from the rows cached per document
    (``preloaded``: those already read, by document)."""
    from policykg.graph.projections import coordination_from_rows

    started = time.perf_counter()
    preloaded = preloaded or {}
    rows = sorted((r for name in documents
                   for r in (preloaded[name] if name in preloaded else _cached_rows(fragment(name)))),
                  key=lambda r: (r.document, r.task, r.role, r.agent))
    G = coordination_from_rows(rows)
    top, sampled = _top_betweenness(G)
    if view_dir is not None:
        from policykg.graph.views import render_html

        render_html(G, view_dir / "coordination.html", title="Coordination network 协同网络",
                    caption=f"Agencies linked by shared tasks. Sources: {', '.join(documents)}. "
                            f"Built {_dt.date.today().isoformat()}.")
    return top, sampled, time.perf_counter() - started


def _start(job: Callable):
    """Run ``job`` in a thread; the returned function waits for its result (or raises its error)."""
    import threading

    box: dict = {}

    def run():
        try:
            box["result"] = job()
        except BaseException as exc:  # re-raised by the caller
            box["error"] = exc

    thread = threading.Thread(target=run, name="policykg-summary", daemon=True)
    thread.start()

    def result():
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["result"]

    return result


def _run(sources: list[_Source], max_bytes: int, base_iri, workers, frag_dir: str, validate: bool,
         while_waiting: Callable | None = None):
    """The built documents (or their errors), in order: in this process with one worker, else in a
    pool of worker processes (even for one document, so that ``while_waiting`` runs in this
    process meanwhile, after the workers were started)."""
    if not sources:
        return iter(())
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n <= 1:
        from policykg.builders.pipeline import Builder

        builder = Builder(base_iri)
        return (_build_one(s, max_bytes, frag_dir, validate, builder) for s in sources)
    return _pooled(sources, max_bytes, base_iri, min(n, len(sources)), frag_dir, validate, while_waiting)


def _pooled(sources, max_bytes, base_iri, n, frag_dir, validate, while_waiting=None):
    k = len(sources)
    with ProcessPoolExecutor(max_workers=n, initializer=_worker_init, initargs=(base_iri,)) as pool:
        results = pool.map(_build_one, sources, [max_bytes] * k, [frag_dir] * k, [validate] * k,
                           chunksize=max(1, k // (n * 8)))  # submitted (and the workers forked) at once
        if while_waiting is not None:  # never before the fork: a thread holding an import lock
            while_waiting()
        yield from results


def _counts(store) -> dict:
    from policykg.graph.projections import query_rows

    counts = {}
    for key, cls in SUMMARY_CLASSES.items():
        q = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a <https://w3id.org/policykg/ontology#{cls}> }} }}"
        counts[key] = int(next(iter(query_rows(store, q)))["n"].value)
    return counts


SUMMARY_SOURCES = 100  # above this many agencies, the summary's betweenness is estimated from a sample


def _top_betweenness(G, n: int = 5) -> tuple[list[tuple[str, float]], int]:
    """The ``n`` agencies of highest betweenness (weighted, as ``policykg centrality`` computes it),
    and the number of sampled sources (0: exact).  Each node gets ``size_value`` for the view.

    On networks of more than :data:`SUMMARY_SOURCES` agencies the summary estimates betweenness
    from that many sources (seed 0; the estimate is reproducible): exact betweenness of a
    1,500-agency network takes seconds, which an incremental build of one document should not
    pay for a summary line.  ``policykg centrality`` computes it exactly.
    """
    from policykg.graph.analytics import top_betweenness

    if G.number_of_nodes() == 0:
        return [], 0
    k = SUMMARY_SOURCES if G.number_of_nodes() > SUMMARY_SOURCES else None
    return [(label, value) for _, label, value in top_betweenness(G, n, k=k, seed=0)], k or 0
