"""The Python API for notebooks: build or open a graph, query it, measure it, view it.

Example
-------
>>> import policykg
>>> g = policykg.build(out="/tmp/policykg-doctest")          # the bundled seeds  # doctest: +SKIP
>>> g.query("lead-counts").head(3)                              # a named query → DataFrame  # doctest: +SKIP
>>> G = g.projection("coordination")                            # a networkx graph  # doctest: +SKIP
>>> g.centrality().head()                                       # measures as a DataFrame  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence


class PolicyGraph:
    """A built policykg graph: its store, SPARQL, projections, measures and views.

    Parameters
    ----------
    path : a build directory written by :func:`build` / ``policykg build``.
    """

    def __init__(self, path: str | Path = "policykg-out"):
        from policykg.graph.store import open_store

        self.path = Path(path)
        self.store = open_store(self.path)

    def __repr__(self) -> str:
        return f"PolicyGraph({str(self.path)!r})"

    # ---------------------------------------------------------------- RDF
    def rdflib(self):
        """An rdflib ``Dataset`` backed by the build's Oxigraph store (oxrdflib): rdflib's API,
        Oxigraph's speed. The default graph is the union of the document graphs; nothing is copied.
        """
        import rdflib
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self.store), default_union=True)

    def rdflib_graph(self):
        """The union of all document graphs as an rdflib ``Graph`` (parsed from the Turtle files
        under turtle/).

        For very large builds prefer :meth:`query`, which runs in the Oxigraph store.
        """
        import rdflib

        from policykg.graph.build import turtle_files

        g = rdflib.Graph()
        for _, path in turtle_files(self.path):
            g.parse(str(path), format="turtle")
        return g

    def rdflib_dataset(self):
        """The named graphs (one per document, and the gazetteer's) as an rdflib ``Dataset``
        (parsed from the Turtle files under turtle/)."""
        import rdflib

        from policykg.graph.build import turtle_files

        ds = rdflib.Dataset()
        for graph, path in turtle_files(self.path):
            ds.graph(rdflib.URIRef(graph)).parse(str(path), format="turtle")
        return ds

    def query(self, sparql_or_name: str, **params):
        """Run a named research query or ad hoc SPARQL and return a pandas DataFrame.

        Parameters are bound by the engine (never pasted): ``g.query("tasks-of-agency",
        agency="区市场监管局")``. Labels are resolved to IRIs. ASK returns a bool;
        CONSTRUCT/DESCRIBE return a list of triples.
        """
        import pandas as pd

        from policykg.graph.query import named_queries, run_query

        catalogue = named_queries()
        named = catalogue.get(sparql_or_name)
        text = named.text if named else sparql_or_name
        res = run_query(self.store, text, {k: str(v) for k, v in params.items()},
                        resources=tuple(named.parameters) if named else ())
        if res.kind == "ask":
            return res.boolean
        if res.kind == "graph":
            return list(res.triples)
        rows = [[_py(t) for t in row] for row in res.rows]
        return pd.DataFrame(rows, columns=list(res.variables))

    def documents(self):
        """The documents in the graph: file name, title, document number, issue date and year, level."""
        import pandas as pd

        q = """PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?document ?title ?number ?issued ?jurisdiction WHERE {
          ?d a pk:PolicyDocument ; pk:sourceFile ?document .
          OPTIONAL { ?d dct:title ?title } OPTIONAL { ?d dct:identifier ?number }
          OPTIONAL { ?d dct:issued ?issued } OPTIONAL { ?d pk:jurisdiction ?jurisdiction } } ORDER BY ?document"""
        df = self.query(q)
        df["year"] = [int(str(x)[:4]) if x else None for x in df["issued"]]
        return df

    @staticmethod
    def named_queries():
        """name → the question each named query answers."""
        from policykg.graph.query import named_queries

        return {n: q.question for n, q in named_queries().items()}

    # ---------------------------------------------------------------- networks
    def projection(self, kind: str = "coordination", *, layer: str | None = None, documents: Sequence[str] = (),
                   years: tuple[int, int] | None = None, roles: Sequence[str] | None = None,
                   jurisdiction: str | None = None, level: str | None = None, collectives: bool = False):
        """A networkx view of the graph.

        kind: ``coordination`` (agencies sharing tasks; ``layer`` lead-support / lead-responsible /
        co-responsible), ``lead`` (directed lead → support/responsible), ``agency-task`` (two-mode),
        ``zone-industry``, ``coissuance``.
        """
        from policykg.graph import projections as pj

        f = pj.Filters(tuple(documents), years, tuple(roles) if roles else pj.ROLES, jurisdiction, level, collectives)
        if kind == "coordination":
            return pj.coordination_network(self.store, f, layer=layer)
        if kind == "lead":
            return pj.lead_network(self.store, f)
        if kind == "agency-task":
            return pj.agency_task_network(self.store, f)
        if kind == "zone-industry":
            return pj.zone_industry_network(self.store)
        if kind == "coissuance":
            return pj.coissuance_network(self.store)
        raise ValueError(f"unknown projection {kind!r}")

    def centrality(self, measures: Sequence[str] | None = None, **projection_kw):
        """Centrality measures of the coordination network as a DataFrame (see ``analytics.MEASURES``)."""
        from policykg.graph.analytics import CENTRALITY_MEASURES, centrality_table

        G = self.projection(projection_kw.pop("kind", "coordination"), **projection_kw)
        return centrality_table(G, measures=tuple(measures or CENTRALITY_MEASURES))

    def brokerage(self, **projection_kw):
        """Burt's constraint and effective size per agency (DataFrame)."""
        from policykg.graph.analytics import brokerage

        return brokerage(self.projection(**projection_kw))

    def communities(self, *, seed: int = 0, **projection_kw):
        """Louvain communities (fixed seed) as a DataFrame with a community id per agency."""
        from policykg.graph.analytics import community_table

        return community_table(self.projection(**projection_kw), seed=seed)

    def view(self, out: str | Path, *, kind: str = "coordination", title: str | None = None, max_nodes: int = 200,
             **projection_kw):
        """Render a projection as one self-contained offline HTML file; returns the view's info."""
        import datetime

        import networkx as nx

        from policykg.graph.views import render_html

        G = self.projection(kind, **projection_kw)
        if G.number_of_nodes():
            for n, v in nx.betweenness_centrality(G, seed=0).items():
                G.nodes[n]["size_value"] = v
        docs = sorted({d for _, data in G.nodes(data=True) for d in data.get("documents", [])})
        caption = f"Sources: {', '.join(docs) or 'all documents'}. Built {datetime.date.today().isoformat()}."
        return render_html(G, out, title=title or f"{kind} network", caption=caption, max_nodes=max_nodes)


def build(paths: Sequence[str | Path] | None = None, out: str | Path = "policykg-out", **kwargs) -> PolicyGraph:
    """Build documents (default: the bundled seeds) into ``out`` and open the result.

    Keyword arguments go to :func:`policykg.graph.build.build_corpus` (``view``, ``validate``,
    ``max_bytes``, ``keep_going``, ``base_iri``). Raises ``RuntimeError`` when nothing could be built.
    """
    from policykg.graph.build import build_corpus

    report = build_corpus(list(paths) if paths else None, out, **kwargs)
    if not report.documents:
        raise RuntimeError("no document could be built: " + "; ".join(str(e) for e in report.errors))
    g = PolicyGraph(out)
    g.report = report
    return g


def open_graph(path: str | Path = "policykg-out") -> PolicyGraph:
    """Open an existing build directory."""
    return PolicyGraph(path)


def evaluate(gold_dir: str | Path, docs: str | Path | None = None) -> dict:
    """Score extraction against gold annotations (see ``policykg eval``)."""
    from policykg.graph.evaluate import evaluate as _evaluate

    return _evaluate(gold_dir, docs)


def _py(term):
    if term is None:
        return None
    value = term.value
    dt = getattr(term, "datatype", None)
    if dt is not None:
        local = dt.value.rsplit("#", 1)[-1]
        if local in ("integer", "nonNegativeInteger", "int", "long"):
            return int(value)
        if local in ("decimal", "double", "float"):
            return float(value)
    return value
