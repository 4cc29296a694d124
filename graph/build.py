"""Build a corpus into a build directory (store, Turtle, N-Quads, HTML view, reports).

This is the library function behind ``policykg build``.
"""
from __future__ import annotations

import datetime as _dt
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from policykg.builders.model import DocumentError
from policykg.builders.pipeline import Builder, DocumentResult, bundled_seeds, collect_paths, iter_build
from policykg.builders.read import DEFAULT_MAX_BYTES

log = logging.getLogger(__name__)

SUMMARY_QUERY = """PREFIX pk: <https://w3id.org/policykg/ontology#>
SELECT
  (COUNT(DISTINCT ?doc) AS ?documents)
  (COUNT(DISTINCT ?agency) AS ?agencies)
  (COUNT(DISTINCT ?task) AS ?tasks)
  (COUNT(DISTINCT ?mech) AS ?mechanisms)
  (COUNT(DISTINCT ?zone) AS ?zones)
WHERE {
  { ?doc a pk:PolicyDocument } UNION { ?agency a pk:Agency } UNION { ?task a pk:Task }
  UNION { ?mech a pk:Mechanism } UNION { ?zone a pk:PilotZone }
}"""


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


def build_corpus(paths: Sequence[str | Path] | None, out_dir: str | Path = "policykg-out", *,
                 base_iri: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, keep_going: bool = True,
                 view: bool = True, validate: bool = True, progress: Callable | None = None) -> BuildReport:
    """Build documents (or the bundled seeds when ``paths`` is empty) into ``out_dir``.

    Parameters
    ----------
    paths : files and folders (searched recursively); None or empty for the bundled seeds.
    out_dir : the build directory; outputs are replaced only when the new build is complete.
    keep_going : build the other documents when one fails (the failures are reported).
    progress : optional callable wrapping an iterable (e.g. a progress bar).

    Returns
    -------
    BuildReport with the documents built, the errors, counts and the top brokers.
    """
    from policykg.graph import store as st

    out = Path(out_dir)
    errors: list[DocumentError] = []
    if paths:
        sources, missing = collect_paths(paths)
        errors += missing
    else:
        sources = bundled_seeds()
    builder = Builder(base_iri)
    results: list[DocumentResult] = []
    iterator = iter_build(builder, sources, max_bytes=max_bytes)
    if progress is not None:
        iterator = progress(iterator, len(sources))
    for item in iterator:
        if isinstance(item, DocumentError):
            errors.append(item)
            log.error("%s", item)
            if not keep_going:
                break
        else:
            results.append(item)
    results.sort(key=lambda r: r.raw.name)
    if not results:
        return BuildReport(out, (), tuple(errors), {}, ())

    tmp = st.staging_dir(out)
    try:
        quads = [q for r in results for q in r.assembled.quads]
        st.write_store(tmp / "store", quads + st.ontology_quads())
        nq = st.nquads_lines(quads)
        (tmp / "graph.nq").write_text("\n".join(nq) + "\n", encoding="utf-8")
        if validate:
            from policykg.graph.validate import validate_ntriples

            violations = validate_ntriples("\n".join(sorted({line.rsplit(" ", 2)[0] + " ." for line in nq})))
            if violations:
                raise ValidationFailed(violations)
        (tmp / "graph.ttl").write_text(st.turtle_text(quads), encoding="utf-8")
        st.write_json(tmp / "diagnostics.json", {
            r.raw.name: [dict(d, **_raw_span(r, d)) for d in r.extraction.diagnostics] for r in results})
        st.write_json(tmp / "manifest.json", {
            "documents": {r.raw.name: {"path": r.raw.path, "sha256": r.raw.sha256, "format": r.raw.fmt,
                                       "encoding": r.raw.encoding, **r.assembled.counts} for r in results},
            "errors": {e.path: e.reason for e in errors},
        })
        store = st.open_store(tmp / "store")
        counts = _counts(store, quads)
        top = _top_betweenness(store)
        outputs = ["store", "graph.nq", "graph.ttl", "diagnostics.json", "manifest.json"]
        if view:
            from policykg.graph.projections import coordination_network
            from policykg.graph.views import render_html

            G = coordination_network(store)
            _size_by_betweenness(G)
            docs = ", ".join(r.raw.name for r in results)
            render_html(G, tmp / "coordination.html", title="Coordination network 协同网络",
                        caption=f"Agencies linked by shared tasks. Sources: {docs}. Built {_dt.date.today().isoformat()}.")
            outputs.append("coordination.html")
        del store
        st.publish(tmp, out, outputs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return BuildReport(out, tuple(r.raw.name for r in results), tuple(errors), counts, tuple(top), tuple(outputs))


def _raw_span(r: DocumentResult, d: dict) -> dict:
    if d.get("end", 0) > d.get("start", 0):
        rs, re_ = r.norm.raw_span(d["start"], d["end"])
        return {"start": rs, "end": re_, "quote": r.raw.text[rs:re_]}
    return {}


def _counts(store, quads) -> dict:
    from policykg.graph.projections import query_rows

    sol = next(iter(query_rows(store, SUMMARY_QUERY)))
    counts = {k: int(sol[k].value) for k in ("documents", "agencies", "tasks", "mechanisms", "zones")}
    counts["triples"] = len({(q.subject, q.predicate, q.object) for q in quads})
    counts["quads"] = len(set(quads))
    return counts


def _size_by_betweenness(G) -> None:
    import networkx as nx

    if G.number_of_nodes():
        bc = nx.betweenness_centrality(G, seed=0)
        for n, v in bc.items():
            G.nodes[n]["size_value"] = v


def _top_betweenness(store, n: int = 5) -> list[tuple[str, float]]:
    from policykg.graph.analytics import centrality_table
    from policykg.graph.projections import coordination_network

    G = coordination_network(store)
    if G.number_of_nodes() == 0:
        return []
    table = centrality_table(G, measures=("betweenness",))
    return [(row["label"], float(row["betweenness"])) for _, row in table.head(n).iterrows()]
