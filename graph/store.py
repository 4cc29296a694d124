"""The RDF store and the build outputs.

A build directory holds:

* ``store/``: an on-disk Oxigraph store, one named graph per document (plus the
  ontology graph), queried by ``policykg query``, ``serve`` and the analytics;
* ``graph.nq``: every quad, sorted (one named graph per document);
* ``graph.ttl``: the union of the document graphs as Turtle, sorted, byte-identical
  across builds of the same input;
* ``diagnostics.json`` and ``manifest.json``.

Outputs are written into a temporary folder next to the destination and moved
into place only when everything was written, so an interrupted build never
leaves a half-written store or Turtle file behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from policykg.ontology.iris import ONTOLOGY_GRAPH

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "pk": "https://w3id.org/policykg/ontology#",
    "pki": "https://w3id.org/policykg/instrument/",
}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _compact(term: str) -> str:
    if term.startswith("<"):
        iri = term[1:-1]
        for prefix, ns in PREFIXES.items():
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
    elif "^^<" in term:
        lex, _, dt = term.rpartition("^^")
        return lex + "^^" + _compact(dt)
    return term


def nquads_lines(quads: Iterable[Quad]) -> list[str]:
    """Sorted, unique N-Quads lines (serialised by Oxigraph, canonical N-Quads escaping)."""
    data = pyoxigraph.serialize(list(quads), format=RdfFormat.N_QUADS).decode("utf-8")
    return sorted(set(data.splitlines()))


def turtle_header() -> str:
    return "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())) + "\n\n"


def _distinct_triples(nquads: str) -> list:
    """The distinct triples of N-Quads text, in their order (graph names dropped)."""
    from pyoxigraph import Triple

    triples, seen = [], set()
    for q in pyoxigraph.parse(nquads.encode("utf-8"), format=RdfFormat.N_QUADS):
        t = Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            triples.append(t)
    return triples


def turtle_body_and_hashes(nquads: str):
    """Turtle statements of sorted N-Quads text, and hashes of its distinct triples (numpy int64),
    so a caller can count the distinct triples of many documents without holding them."""
    import numpy as np

    triples = _distinct_triples(nquads)
    # a stable 64-bit digest (Python's hash() differs between processes; these are cached on disk)
    blake = hashlib.blake2b
    hashes = np.fromiter((int.from_bytes(blake(str(t).encode("utf-8"), digest_size=8).digest(), "little", signed=True)
                          for t in triples), dtype=np.int64, count=len(triples))
    return _turtle(triples), hashes


def _turtle(triples) -> str:
    """Turtle statements (no prefix lines) of ``triples`` in the order given, grouped by subject.

    Oxigraph's Turtle serializer writes the triples in the order given (sorted by the callers),
    so the output is deterministic; its prefix lines are dropped (callers write them once, in a
    fixed order).
    """
    if not triples:
        return ""
    text = pyoxigraph.serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix "))
    return body.strip("\n") + "\n"


def turtle_body_from_nquads(nquads: str) -> str:
    """Turtle statements (no prefix lines) of the triples in sorted N-Quads text, grouped by subject."""
    return _turtle(_distinct_triples(nquads))


def write_store_from_files(path: Path, files: list[Path], *, with_ontology: bool = True) -> None:
    """A new on-disk store at ``path`` from N-Quads files (and the ontology graph): one bulk load per file."""
    store = Store(str(path))
    for f in files:
        store.bulk_load(path=str(f), format=RdfFormat.N_QUADS)
    if with_ontology:
        store.bulk_extend(ontology_quads())
    store.flush()
    del store


def replace_graphs(path: Path, files: list[Path], *, drop: list[str] = ()) -> None:
    """Replace the named graphs held in N-Quads ``files`` and drop the graphs ``drop``, in one transaction."""
    from pyoxigraph import parse

    parts = []
    graphs: dict[str, list[str]] = {}
    for f in files:
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line:
                body, _, graph = line[:-2].rpartition(" ")
                graphs.setdefault(graph, []).append(body + " .")
    for g in sorted(set(graphs) | {f"<{d}>" for d in drop}):
        parts.append(f"DROP SILENT GRAPH {g}")
    for g, lines in sorted(graphs.items()):
        parts.append("INSERT DATA { GRAPH " + g + " {\n" + "\n".join(lines) + "\n} }")
    if parts:
        store = Store(str(path))
        store.update(" ;\n".join(parts))
        store.flush()
        del store


def ontology_quads() -> list[Quad]:
    """The vocabulary (policy.ttl, and instruments.ttl with the instrument scheme) as quads in its own named graph."""
    g = NamedNode(ONTOLOGY_GRAPH)
    out = []
    for name in ("policy.ttl", "instruments.ttl"):
        data = resources.files("policykg.ontology").joinpath(name).read_bytes()
        out += [Quad(t.subject, t.predicate, t.object, g) for t in pyoxigraph.parse(data, format=RdfFormat.TURTLE)]
    return list(dict.fromkeys(out))


def write_store(path: Path, quads: Iterable[Quad]) -> None:
    """A new on-disk store at ``path`` holding ``quads``."""
    store = Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    del store


def open_store(path: str | Path, *, read_only: bool = True) -> Store:
    """Open a build's store (read-only by default, so several readers can share it)."""
    p = Path(path)
    if (p / "store").is_dir():
        p = p / "store"
    if not p.is_dir():
        raise FileNotFoundError(f"no policykg store at {path}: run `policykg build` first")
    return Store.read_only(str(p)) if read_only else Store(str(p))


def publish(tmp: Path, out_dir: Path, names: list[str]) -> None:
    """Move finished outputs from ``tmp`` into ``out_dir``, replacing the old ones.

    Files are swapped with ``os.replace`` (atomic); the store folder is swapped
    by renaming the old one aside first and deleting it only afterwards.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        src, dst = tmp / name, out_dir / name
        if src.is_dir():
            old = out_dir / f".{name}.old"
            if old.exists():
                shutil.rmtree(old)
            if dst.exists():
                os.replace(dst, old)
            os.replace(src, dst)
            if old.exists():
                shutil.rmtree(old)
        else:
            os.replace(src, dst)


def staging_dir(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".building-", dir=out_dir))


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
