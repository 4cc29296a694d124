"""The graphs behind ``policykg view``: four briefing views computed from the store.

Every graph here is read from the RDF store through SPARQL (directly or through
:mod:`policykg.graph.projections`) and follows the attribute contract of
:func:`policykg.graph.views.render_html`: nodes keyed by IRI with ``label``,
``kind``, ``size_value`` and ``provenance`` (``[{document, quote, task?}]``);
edges with ``role``, ``weight`` and ``provenance``.

* :func:`overview` — the coordination network: agencies linked when they are
  assigned to the same task (undirected, ``weight`` = shared tasks). Sized by
  betweenness computed *without* collective actors (各有关部门 … would otherwise
  bridge everything); collectives are shown with size 0.
* :func:`ego` — one agency and the agencies within ``depth`` hops of it in the
  coordination network, with every coordination tie among them. One-mode: the
  tasks that create a tie are named in the tie's provenance (``task``).
  Collective actors are shown when they are adjacent but are never walked
  through (a placeholder such as 各有关单位 is tied to almost everyone).
  Sized by the tasks an agency shares with the focus.
* :func:`zone_view` — a pilot zone → its industries (``pk:hasIndustry``) → the
  provisions that concern the zone (``pk:concernsZone``) → the agencies
  assigned to them (edge role = lead/responsible/support/division) and the
  mechanisms they establish. A provision hangs under an industry when the
  industry is named inside the provision's text, otherwise under the zone
  itself; the zone's parent zone and areas (``pk:zoneOf``) are shown as
  context.
* :func:`document_view` — one document's structure: document → sections
  (``dct:isPartOf``) → tasks → agencies (edge role = their role) and
  mechanisms (``pk:establishes``).

Names are resolved against ``skos:prefLabel``/``skos:altLabel`` (documents:
source file name, its stem, title); an ambiguous name raises
:class:`AmbiguousName` listing the candidates, an unknown one
:class:`UnknownName` with the closest labels.

Each graph carries ``G.graph["view"]``, ``["title"]``, ``["description"]``
and ``["documents"]`` (the source files it draws on) for captions
(:func:`caption`).
"""
from __future__ import annotations

import datetime as _dt
import difflib
import math
import os
import unicodedata
from pathlib import Path
from typing import Iterable

import networkx as nx

from policykg.graph.projections import (
    PREFIXES,
    ROLES,
    AssignmentRow,
    Filters,
    assignment_rows,
    coordination_network,
    query_rows,
)

__all__ = [
    "ViewNameError",
    "UnknownName",
    "AmbiguousName",
    "overview",
    "ego",
    "zone_view",
    "document_view",
    "resolve_agency",
    "resolve_zone",
    "resolve_document",
    "caption",
    "build_date",
    "VIEW_ROLES",
]

#: The edge roles these views use (all in ``views.ROLE_STYLES``).
VIEW_ROLES = ("lead", "responsible", "support", "division", "coordination", "contains", "industry", "mechanism")

ROLE_NAMES = {"lead": "牵头 lead", "responsible": "负责 responsible", "support": "配合 support",
              "division": "责任处室 division"}
_ROLE_RANK = {r: i for i, r in enumerate(ROLES)}
#: How many quotes a node or edge carries into the page (the page shows 50 at most).
MAX_PROVENANCE = 20
_MAX_CANDIDATES = 20


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class ViewNameError(ValueError):
    """A name given for a view does not identify exactly one resource."""

    def __init__(self, message: str, candidates: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.candidates = list(candidates)


class UnknownName(ViewNameError):
    """No agency / zone / document has this name."""


class AmbiguousName(ViewNameError):
    """Several resources have this name; ``candidates`` lists (IRI, label)."""


# ---------------------------------------------------------------------------
# SPARQL
# ---------------------------------------------------------------------------

AGENT_NAMES_QUERY = PREFIXES + """
SELECT DISTINCT ?e ?pref ?label WHERE {
  { ?e a pk:Agency } UNION { ?e a pk:CollectiveActor }
  ?e skos:prefLabel ?pref .
  { ?e skos:prefLabel ?label } UNION { ?e skos:altLabel ?label }
}
"""

ZONE_NAMES_QUERY = PREFIXES + """
SELECT DISTINCT ?e ?pref ?label WHERE {
  ?e a pk:PilotZone ; skos:prefLabel ?pref .
  { ?e skos:prefLabel ?label } UNION { ?e skos:altLabel ?label }
}
"""

DOCUMENTS_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?file ?title ?label ?issued WHERE {
  ?doc a pk:PolicyDocument ; pk:sourceFile ?file .
  OPTIONAL { ?doc dct:title ?title }
  OPTIONAL { ?doc rdfs:label ?label }
  OPTIONAL { ?doc dct:issued ?issued }
}
"""

AGENT_QUERY = PREFIXES + """
SELECT DISTINCT ?agent ?pref ?kind ?collective ?jurisdiction WHERE {
  ?agent skos:prefLabel ?pref .
  OPTIONAL { ?agent pk:agencyKind ?kindC . BIND(STRAFTER(STR(?kindC), "#") AS ?kind) }
  BIND(EXISTS { ?agent a pk:CollectiveActor } AS ?collective)
  OPTIONAL { ?agent pk:jurisdiction ?jurisdiction }
}
"""

AGENT_MENTIONS_QUERY = PREFIXES + """
SELECT DISTINCT ?agent ?file ?quote WHERE {
  ?sp pk:denotes ?agent ; oa:hasSource ?doc ; oa:exact ?quote .
  ?doc pk:sourceFile ?file .
}
"""

TASK_ORDER_QUERY = PREFIXES + """
SELECT DISTINCT ?task ?order WHERE { ?task a pk:Task ; pk:order ?order . }
"""

PROVISIONS_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?p ?parent ?number ?heading ?label ?order ?depth ?isTask ?quote ?start WHERE {
  ?p pk:inDocument ?doc ; a pk:Provision .
  OPTIONAL { ?p dct:isPartOf ?parent }
  OPTIONAL { ?p pk:number ?number }
  OPTIONAL { ?p pk:heading ?heading }
  OPTIONAL { ?p rdfs:label ?label }
  OPTIONAL { ?p pk:order ?order }
  OPTIONAL { ?p pk:depth ?depth }
  BIND(EXISTS { ?p a pk:Task } AS ?isTask)
  OPTIONAL { ?p prov:wasDerivedFrom ?sp . ?sp oa:exact ?quote ; oa:start ?start }
}
"""

MENTIONS_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?sp ?e ?quote ?start WHERE {
  ?sp pk:denotes ?e ; oa:hasSource ?doc ; oa:exact ?quote ; oa:start ?start .
}
"""

ESTABLISHES_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?p ?m ?label WHERE {
  ?p pk:inDocument ?doc ; pk:establishes ?m .
  OPTIONAL { ?m skos:prefLabel ?label }
}
"""

ZONE_INDUSTRIES_QUERY = PREFIXES + """
SELECT DISTINCT ?zone ?i ?label WHERE {
  ?zone pk:hasIndustry ?i .
  OPTIONAL { ?i skos:prefLabel ?label }
}
"""

ZONE_RELATIVES_QUERY = PREFIXES + """
SELECT DISTINCT ?zone ?other ?label ?dir WHERE {
  { ?zone pk:zoneOf ?other . BIND("parent" AS ?dir) }
  UNION
  { ?other pk:zoneOf ?zone . BIND("child" AS ?dir) }
  OPTIONAL { ?other skos:prefLabel ?label }
}
"""

ZONE_PROVISIONS_QUERY = PREFIXES + """
SELECT DISTINCT ?zone ?p ?doc WHERE { ?p pk:concernsZone ?zone ; pk:inDocument ?doc . }
"""


def _v(term) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def _int(term) -> int | None:
    try:
        return int(_v(term))
    except ValueError:
        return None


def _rows(store, query: str, **bind) -> list[dict[str, str]]:
    """SELECT results as dicts of plain strings ('' for unbound), one per solution."""
    from pyoxigraph import NamedNode, Variable

    subs = {Variable(k): NamedNode(v) for k, v in bind.items()} or None
    res = query_rows(store, query, subs)
    names = [v.value for v in res.variables]
    return [{n: sol[n] for n in names} for sol in res]


# ---------------------------------------------------------------------------
# Name resolution
# ---------------------------------------------------------------------------


def _key(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(s.split()).casefold()


def _t2s(s: str) -> str:
    try:
        import opencc

        for config in ("t2s", "t2s.json"):
            try:
                return opencc.OpenCC(config).convert(s)
            except Exception:  # noqa: BLE001 - config spelling differs across versions
                continue
    except ImportError:
        pass
    return s


def _resolve(name: str, labels: dict[str, set[str]], pref: dict[str, str], what: str) -> str:
    """The one IRI ``name`` denotes among ``labels`` (IRI → every label)."""
    raw = (name or "").strip()
    if not raw:
        raise UnknownName(f"no {what} name given")
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if raw in labels:
        return raw

    def fmt(iris):
        return [(iri, pref.get(iri, iri)) for iri in sorted(iris, key=lambda i: (pref.get(i, i), i))]

    keys = {iri: {_key(lbl) for lbl in lbls} for iri, lbls in labels.items()}
    tried = []
    for form in (_key(raw), _key(_t2s(raw))):
        if form in tried:
            continue
        tried.append(form)
        exact = {iri for iri, ks in keys.items() if form in ks}
        if len(exact) == 1:
            return exact.pop()
        if len(exact) > 1:
            raise AmbiguousName(_ambiguous_message(raw, what, fmt(exact)), fmt(exact))
    for form in tried:
        partial = {iri for iri, ks in keys.items() if any(form in k for k in ks)}
        if len(partial) == 1:
            return partial.pop()
        if len(partial) > 1:
            raise AmbiguousName(_ambiguous_message(raw, what, fmt(partial)), fmt(partial))
    all_labels = sorted({lbl for lbls in labels.values() for lbl in lbls})
    close = difflib.get_close_matches(raw, all_labels, n=5, cutoff=0.3)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownName(f"no {what} named {raw!r} in this build{hint}",
                      [(iri, pref.get(iri, iri)) for iri, lbls in labels.items() if lbls & set(close)])


def _ambiguous_message(raw: str, what: str, cands: list[tuple[str, str]]) -> str:
    shown = cands[:_MAX_CANDIDATES]
    lines = [f"{raw!r} names {len(cands)} {what}s; give one of these names (or the IRI):"]
    lines += [f"  {label}  <{iri}>" for iri, label in shown]
    if len(cands) > len(shown):
        lines.append(f"  … and {len(cands) - len(shown)} more")
    return "\n".join(lines)


def _name_table(store, query: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    labels: dict[str, set[str]] = {}
    pref: dict[str, str] = {}
    for r in _rows(store, query):
        iri = _v(r["e"])
        labels.setdefault(iri, set()).add(_v(r["label"]))
        p = _v(r["pref"])
        if iri not in pref or p < pref[iri]:
            pref[iri] = p
    return labels, pref


def resolve_agency(store, name: str) -> str:
    """The IRI of the agency (or collective actor) called ``name`` (any label form, or its IRI)."""
    labels, pref = _name_table(store, AGENT_NAMES_QUERY)
    return _resolve(name, labels, pref, "agency")


def resolve_zone(store, name: str) -> str:
    """The IRI of the pilot zone called ``name``."""
    labels, pref = _name_table(store, ZONE_NAMES_QUERY)
    return _resolve(name, labels, pref, "pilot zone")


def _documents(store) -> dict[str, dict[str, str]]:
    """document IRI → {file, title, issued} (first value of each, deterministic)."""
    docs: dict[str, dict[str, str]] = {}
    for r in _rows(store, DOCUMENTS_QUERY):
        iri = _v(r["doc"])
        d = docs.setdefault(iri, {"file": "", "title": "", "issued": "", "labels": set()})
        for key, var in (("file", "file"), ("title", "title"), ("issued", "issued")):
            val = _v(r[var])
            if val and (not d[key] or val < d[key]):
                d[key] = val
        for var in ("file", "title", "label"):
            if _v(r[var]):
                d["labels"].add(_v(r[var]))
        f = _v(r["file"])
        if f:
            d["labels"].add(os.path.splitext(f)[0])
    return docs


def resolve_document(store, name: str) -> str:
    """The IRI of the document whose source file, file stem or title is ``name``."""
    docs = _documents(store)
    labels = {iri: set(d["labels"]) for iri, d in docs.items()}
    pref = {iri: d["file"] or d["title"] or iri for iri, d in docs.items()}
    return _resolve(os.path.basename(name.strip()) if name else name, labels, pref, "document")


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


def _task_label(number: str, heading: str) -> str:
    return f"{number} {heading}".strip()


def _task_orders(store) -> dict[str, int]:
    out = {}
    for r in _rows(store, TASK_ORDER_QUERY):
        o = _int(r["order"])
        if o is not None:
            out[_v(r["task"])] = o
    return out


def _add_prov(items: list, item: dict, limit: int = MAX_PROVENANCE) -> None:
    if not item.get("quote") and not item.get("document"):
        return
    if item in items or len(items) >= limit:
        return
    items.append(item)


def _sorted_rows(rows: list[AssignmentRow], orders: dict[str, int]) -> list[AssignmentRow]:
    return sorted(rows, key=lambda r: (_ROLE_RANK.get(r.role, 9), r.document, orders.get(r.task, 10 ** 9), r.task))


def _agency_provenance(rows: list[AssignmentRow], orders: dict[str, int]) -> list[dict]:
    """Every assignment of one agency as provenance: leads first, then document order."""
    out: list[dict] = []
    for r in _sorted_rows(rows, orders):
        _add_prov(out, {"document": r.document,
                        "task": f"{_task_label(r.number, r.task_label)} · {ROLE_NAMES.get(r.role, r.role)}",
                        "quote": r.quote})
    return out


def _add_agency_node(G: nx.Graph, r: AssignmentRow) -> None:
    if r.agent not in G:
        G.add_node(r.agent, label=r.label, kind=r.kind, jurisdiction=r.jurisdiction, level=r.level,
                   documents=[], provenance=[])
    docs = G.nodes[r.agent].setdefault("documents", [])
    if r.document not in docs:
        docs.append(r.document)


def _graph_documents(G: nx.Graph) -> list[str]:
    docs = set()
    for _, d in G.nodes(data=True):
        docs.update(d.get("documents") or ())
    return sorted(docs)


def _betweenness(G: nx.Graph) -> dict[str, float]:
    """Betweenness of the non-collective agencies (weighted as in ``analytics``); collectives 0."""
    from policykg.graph.analytics import centrality_table

    values = {n: 0.0 for n in G}
    if G.number_of_nodes():
        table = centrality_table(G, ("betweenness",))
        for node, value in table["betweenness"].items():
            values[node] = float(value) if value == value else 0.0
    return values


def _rank_key(G: nx.Graph):
    degree = dict(G.degree())
    return lambda n: (-float(G.nodes[n].get("size_value", 0.0) or 0.0), -degree.get(n, 0), str(n))


def _size_by_degree(G: nx.Graph, root: str | None = None) -> None:
    """size_value = links in the view; the root (document, zone) as large as the largest node."""
    degree = dict(G.degree())
    for n, deg in degree.items():
        G.nodes[n]["size_value"] = float(deg)
    if root is not None and root in G:
        G.nodes[root]["size_value"] = float(max(degree.values(), default=0))


# ---------------------------------------------------------------------------
# 1. Overview
# ---------------------------------------------------------------------------


def overview(store, filters: Filters = Filters(collectives=True), layer: str | None = None,
             top: int | None = None) -> nx.Graph:
    """The coordination network of agencies, sized by betweenness.

    ``filters`` and ``layer`` are those of :func:`projections.coordination_network`
    (collective actors are kept by default, with size 0: betweenness is computed
    without them). Node provenance lists every assignment of the agency (lead
    quotes first); edge provenance names each shared task with the assignment
    quotes of both agencies. ``top`` keeps the ``top`` agencies with the highest
    betweenness (ties: degree, then IRI — the order ``render_html`` caps by)
    and the ties among them; ``G.graph["nodes_total"]`` keeps the full count.
    """
    if top is not None and int(top) < 1:
        raise ValueError("top must be at least 1")
    G = coordination_network(store, filters, layer=layer)
    rows = assignment_rows(store, filters)
    orders = _task_orders(store)
    by_agent: dict[str, list[AssignmentRow]] = {}
    by_task_agent: dict[tuple[str, str], list[AssignmentRow]] = {}
    task_doc: dict[str, str] = {}
    for r in rows:
        task_doc[r.task] = r.document
        by_agent.setdefault(r.agent, []).append(r)
        by_task_agent.setdefault((r.task, r.agent), []).append(r)
    for n in G:
        G.nodes[n]["provenance"] = _agency_provenance(by_agent.get(n, []), orders)
    for u, v, d in G.edges(data=True):
        prov: list[dict] = []
        tasks = sorted(set(d.get("tasks", ())),
                       key=lambda t: (task_doc.get(t, ""), orders.get(t, 10 ** 9), t))
        for t in tasks:
            for r in _sorted_rows(by_task_agent.get((t, u), []) + by_task_agent.get((t, v), []), orders):
                _add_prov(prov, {"document": r.document, "task": _task_label(r.number, r.task_label),
                                 "quote": r.quote})
        d["provenance"] = prov
    bc = _betweenness(G)
    for n in G:
        G.nodes[n]["size_value"] = bc[n]
    total = G.number_of_nodes()
    if top is not None and total > int(top):
        keep = sorted(G, key=_rank_key(G))[: int(top)]
        G = G.subgraph(keep).copy()
    G.graph.update(
        view="overview",
        nodes_total=total,
        title="Coordination network 协同网络" + (f" ({layer})" if layer else ""),
        description=("Agencies linked when assigned to the same task (edge width: shared tasks). "
                     "Node size: betweenness (collective actors 0)."
                     + (f" The {G.number_of_nodes()} agencies with the highest betweenness of {total}."
                        if G.number_of_nodes() < total else "")),
        documents=_graph_documents(G),
    )
    # agencies succeeding one another across a reform (both in the view): a distinct edge
    from policykg.graph.instruments import add_succession_edges

    add_succession_edges(G, store)
    return G


# ---------------------------------------------------------------------------
# 2. Ego network
# ---------------------------------------------------------------------------


def ego(store, agency_name: str, depth: int = 1, filters: Filters = Filters(collectives=True), *,
        layer: str | None = None) -> nx.Graph:
    """The ego network of one agency in the coordination network.

    ``agency_name``: any label (区司法局, 重庆市渝中区司法局 …) or the IRI.
    ``depth``: hops along coordination ties (1 = the agencies sharing a task
    with it; 2 = also their partners …). Collective actors are included when
    within reach but paths do not pass through them. All ties among the
    included agencies are kept. Provenance as in :func:`overview`; node size
    is the number of tasks an agency shares with the focus (the focus: all its
    tasks; agencies two or more hops away: 0), and ``betweenness`` (in the
    whole network) and ``hops`` are kept as node attributes.
    """
    depth = int(depth)
    if depth < 1:
        raise ValueError("depth must be at least 1")
    focus = resolve_agency(store, agency_name)
    full = overview(store, filters, layer)
    if focus in full:
        reached = {focus: 0}
        frontier = [focus]
        for hop in range(1, depth + 1):
            nxt = []
            for u in frontier:
                if u != focus and full.nodes[u].get("kind") == "collective":
                    continue  # shown, never walked through
                for w in sorted(full[u]):
                    if w not in reached:
                        reached[w] = hop
                        nxt.append(w)
            frontier = nxt
        G = full.subgraph(reached).copy()
        own_tasks = {r.task for r in assignment_rows(store, filters) if r.agent == focus}
        for n, hop in reached.items():
            d = G.nodes[n]
            d["hops"] = hop
            d["betweenness"] = d.get("size_value", 0.0)
            # size: tasks shared with the focus (the focus itself: all its tasks)
            d["size_value"] = float(len(own_tasks) if n == focus else
                                    (G[focus][n].get("weight", 1) if G.has_edge(focus, n) else 0))
    else:
        G = nx.Graph(layer=full.graph.get("layer"))
        G.add_node(focus, **_lonely_agent(store, focus))
    label = G.nodes[focus].get("label", focus)
    G.graph.update(
        view="ego",
        focus=focus,
        depth=depth,
        nodes_total=G.number_of_nodes(),
        title=f"Ego network 个体网络: {label}",
        description=(f"{label} and the agencies within {depth} hop{'s' if depth > 1 else ''} of it "
                     "(agencies sharing a task), with all ties among them; collective actors are shown "
                     "but not walked through. Edge sources name the shared tasks. "
                     f"Node size: tasks shared with {label} (its own: all its tasks)."
                     + ("" if G.number_of_edges() else " It shares no task with another agency.")),
        documents=_graph_documents(G),
    )
    return G


def _lonely_agent(store, iri: str) -> dict:
    from policykg.graph.projections import KIND_NAMES

    rows = _rows(store, AGENT_QUERY, agent=iri)
    r = rows[0] if rows else {"pref": None, "kind": None, "collective": None, "jurisdiction": None}
    kind = "collective" if _v(r["collective"]) == "true" else KIND_NAMES.get(_v(r["kind"]), "gov")
    prov: list[dict] = []
    docs: list[str] = []
    mentions = sorted({(_v(m["file"]), _v(m["quote"])) for m in _rows(store, AGENT_MENTIONS_QUERY, agent=iri)})
    for file, quote in mentions:  # where the documents name it
        _add_prov(prov, {"document": file, "quote": quote})
        if file not in docs:
            docs.append(file)
    return {"label": _v(r["pref"]) or iri, "kind": kind, "jurisdiction": _v(r["jurisdiction"]),
            "documents": docs, "provenance": prov, "size_value": 0.0, "hops": 0}


# ---------------------------------------------------------------------------
# Provisions of a document: labels, quotes, text extents
# ---------------------------------------------------------------------------


class _Provision:
    __slots__ = ("iri", "parent", "number", "heading", "order", "depth", "is_task", "quote", "start", "end")

    def __init__(self, iri):
        self.iri = iri
        self.parent = ""
        self.number = ""
        self.heading = ""
        self.order: int | None = None
        self.depth: int | None = None
        self.is_task = False
        self.quote = ""
        self.start: int | None = None
        self.end: float = math.inf

    @property
    def label(self) -> str:
        return _task_label(self.number, self.heading) or self.iri

    def contains(self, offset: int | None) -> bool:
        return offset is not None and self.start is not None and self.start <= offset < self.end


def _provisions(store, doc: str) -> dict[str, _Provision]:
    """The provisions of one document with heading, number, parent and text extent.

    A provision's extent runs from its heading to the next provision of the
    same or a higher level (code points of the raw text), so it covers its
    sub-items.
    """
    provs: dict[str, _Provision] = {}
    for r in _rows(store, PROVISIONS_QUERY, doc=doc):
        iri = _v(r["p"])
        p = provs.get(iri)
        if p is None:
            p = provs[iri] = _Provision(iri)
        parent = _v(r["parent"])
        if parent and (not p.parent or parent < p.parent):
            p.parent = parent
        p.number = p.number or _v(r["number"])
        p.heading = p.heading or _v(r["heading"]) or _v(r["label"])
        if p.order is None:
            p.order = _int(r["order"])
        if p.depth is None:
            p.depth = _int(r["depth"])
        p.is_task = p.is_task or _v(r["isTask"]) == "true"
        start = _int(r["start"])
        if start is not None and (p.start is None or start < p.start):
            p.start = start
            p.quote = _v(r["quote"])
        elif not p.quote:
            p.quote = _v(r["quote"])
    ordered = sorted((p for p in provs.values() if p.start is not None),
                     key=lambda p: (p.order if p.order is not None else 10 ** 9, p.start, p.iri))
    for i, p in enumerate(ordered):
        for q in ordered[i + 1:]:
            if q.start > p.start and (p.depth is None or q.depth is None or q.depth <= p.depth):
                p.end = q.start
                break
    return provs


def _mentions(store, doc: str) -> dict[str, list[tuple[int | None, str]]]:
    """entity IRI → [(start, quote)] of the spans naming it in one document, in text order."""
    out: dict[str, list[tuple[int | None, str]]] = {}
    for r in _rows(store, MENTIONS_QUERY, doc=doc):
        out.setdefault(_v(r["e"]), []).append((_int(r["start"]), _v(r["quote"])))
    for v in out.values():
        v.sort(key=lambda x: (x[0] if x[0] is not None else 10 ** 12, x[1]))
    return out


def _mechanisms(store, doc: str) -> list[tuple[str, str, str]]:
    return sorted({(_v(r["p"]), _v(r["m"]), _v(r["label"])) for r in _rows(store, ESTABLISHES_QUERY, doc=doc)})


def _label_of(iri: str, label: str) -> str:
    if label:
        return label
    from urllib.parse import unquote

    return unquote(iri.rstrip("/").rsplit("/", 1)[-1])


def _add_tasks_detail(G: nx.DiGraph, store, doc: str, file: str, provs: dict[str, _Provision],
                      task_iris: set[str], rows: list[AssignmentRow], mentions, orders) -> None:
    """Agencies (role edges agency → task) and mechanisms (task → mechanism) of some provisions."""
    rows = [r for r in rows if r.task in task_iris]
    for r in _sorted_rows(rows, orders):
        _add_agency_node(G, r)
        item = {"document": r.document, "task": f"{_task_label(r.number, r.task_label)} · "
                                                f"{ROLE_NAMES.get(r.role, r.role)}", "quote": r.quote}
        _add_prov(G.nodes[r.agent]["provenance"], item)
        _add_prov(G.nodes[r.task].setdefault("provenance", []),
                  {"document": r.document, "quote": r.quote})
        if G.has_edge(r.agent, r.task):
            # one edge per agency and task: keep the strongest role, note the others
            d = G[r.agent][r.task]
            if _ROLE_RANK.get(r.role, 9) < _ROLE_RANK.get(d["role"], 9):
                d["role"] = r.role
            _add_prov(d["provenance"], {"document": r.document, "task": item["task"], "quote": r.quote})
        else:
            G.add_edge(r.agent, r.task, role=r.role, weight=1,
                       provenance=[{"document": r.document, "task": item["task"], "quote": r.quote}])
    for p_iri, m, mlabel in _mechanisms(store, doc):
        if p_iri not in task_iris:
            continue
        p = provs.get(p_iri)
        spans = mentions.get(m, [])
        inside = [s for s in spans if p is not None and p.contains(s[0])]
        quotes = inside or spans[:1]
        if m not in G:
            G.add_node(m, label=_label_of(m, mlabel), kind="mechanism", documents=[], provenance=[])
        if file not in G.nodes[m]["documents"]:
            G.nodes[m]["documents"].append(file)
        task = p.label if p is not None else ""
        edge_prov = []
        for _, q in quotes or [(None, "")]:
            _add_prov(G.nodes[m]["provenance"], {"document": file, "task": task, "quote": q or mlabel})
            _add_prov(edge_prov, {"document": file, "task": task, "quote": q or mlabel})
        G.add_edge(p_iri, m, role="mechanism", weight=1, provenance=edge_prov)


def _add_provision_node(G: nx.DiGraph, p: _Provision, file: str, kind: str) -> None:
    G.add_node(p.iri, label=p.label, kind=kind, documents=[file],
               provenance=[{"document": file, "quote": p.quote or p.heading}])


# ---------------------------------------------------------------------------
# 3. Zone view
# ---------------------------------------------------------------------------


def zone_view(store, zone_name: str) -> nx.DiGraph:
    """A pilot zone, its industries, the provisions concerning it, their agencies and mechanisms.

    Edges (directed): zone → industry (``industry``), industry → provision
    (``industry``) when the industry is named in the provision's text, zone →
    provision (``contains``) otherwise, agency → provision (its role),
    provision → mechanism (``mechanism``), parent zone → zone → area
    (``contains``). Node size: number of links in the view.
    """
    zone = resolve_zone(store, zone_name)
    names, pref = _name_table(store, ZONE_NAMES_QUERY)
    zlabel = pref.get(zone, zone)
    docs = _documents(store)
    G = nx.DiGraph(layer="zone")
    G.add_node(zone, label=zlabel, kind="zone", documents=[], provenance=[])

    for r in _rows(store, ZONE_RELATIVES_QUERY, zone=zone):
        other = _v(r["other"])
        G.add_node(other, label=_label_of(other, _v(r["label"])), kind="zone", documents=[], provenance=[])
        if _v(r["dir"]) == "parent":
            G.add_edge(other, zone, role="contains", weight=1, provenance=[])
        else:
            G.add_edge(zone, other, role="contains", weight=1, provenance=[])

    industries = {}
    for r in _rows(store, ZONE_INDUSTRIES_QUERY, zone=zone):
        i = _v(r["i"])
        industries[i] = _label_of(i, _v(r["label"]))
    for i, label in sorted(industries.items()):
        G.add_node(i, label=label, kind="industry", documents=[], provenance=[])
        G.add_edge(zone, i, role="industry", weight=1, provenance=[])

    by_doc: dict[str, set[str]] = {}
    for r in _rows(store, ZONE_PROVISIONS_QUERY, zone=zone):
        by_doc.setdefault(_v(r["doc"]), set()).add(_v(r["p"]))
    files = [docs.get(d, {}).get("file", "") for d in sorted(by_doc)]
    rows = assignment_rows(store, Filters(documents=tuple(f for f in files if f), collectives=True)) if files else []
    orders = _task_orders(store)

    for doc in sorted(by_doc):
        file = docs.get(doc, {}).get("file", "") or doc
        provs = _provisions(store, doc)
        mentions = _mentions(store, doc)
        concerned = sorted(by_doc[doc], key=lambda p: (provs[p].order if p in provs and provs[p].order is not None
                                                        else 10 ** 9, p))
        for p_iri in concerned:
            p = provs.get(p_iri) or _Provision(p_iri)
            _add_provision_node(G, p, file, "task")
            zone_quotes = [q for s, q in mentions.get(zone, []) if p.contains(s)]
            for q in zone_quotes:
                _add_prov(G.nodes[zone]["provenance"], {"document": file, "task": p.label, "quote": q})
            linked = False
            for i in sorted(industries):
                inside = [q for s, q in mentions.get(i, []) if p.contains(s)]
                if not inside:
                    continue
                linked = True
                prov = [{"document": file, "task": p.label, "quote": q} for q in dict.fromkeys(inside)]
                G.add_edge(i, p_iri, role="industry", weight=1, provenance=prov[:MAX_PROVENANCE])
                for item in prov:
                    _add_prov(G.nodes[i]["provenance"], item)
                    _add_prov(G[zone][i]["provenance"], item)
                if file not in G.nodes[i]["documents"]:
                    G.nodes[i]["documents"].append(file)
            if not linked:
                prov = [{"document": file, "task": p.label, "quote": q} for q in dict.fromkeys(zone_quotes)]
                G.add_edge(zone, p_iri, role="contains", weight=1,
                           provenance=prov or [{"document": file, "task": p.label, "quote": p.quote}])
            if file not in G.nodes[zone]["documents"]:
                G.nodes[zone]["documents"].append(file)
        _add_tasks_detail(G, store, doc, file, provs, by_doc[doc], rows, mentions, orders)

    # industries never named in a concerned provision: any mention, for a quote
    if any(not G.nodes[i]["provenance"] for i in industries):
        for doc in sorted(docs):
            mentions = _mentions(store, doc)
            for i in industries:
                if not G.nodes[i]["provenance"] and mentions.get(i):
                    item = {"document": docs[doc]["file"], "quote": mentions[i][0][1]}
                    G.nodes[i]["provenance"].append(item)
                    G[zone][i]["provenance"].append(item)
    _size_by_degree(G, zone)
    n_prov = sum(1 for n, k in G.nodes(data="kind") if k == "task")
    G.graph.update(
        view="zone",
        zone=zone,
        nodes_total=G.number_of_nodes(),
        title=f"Pilot zone 试点区域: {zlabel}",
        description=(f"{zlabel}: its industries, the {n_prov} provision{'' if n_prov == 1 else 's'} that "
                     "concern it (under the industry they name, else under the zone), the agencies assigned "
                     "to them and the mechanisms they establish. Node size: links in this view."),
        documents=_graph_documents(G),
    )
    return G


# ---------------------------------------------------------------------------
# 4. Document view
# ---------------------------------------------------------------------------


def document_view(store, document_name: str) -> nx.DiGraph:
    """One document's structure: document → sections → tasks → agencies and mechanisms.

    ``document_name``: the source file name (002_2bca6094475032cd.txt), its
    stem, the title, or the IRI. Edges (directed): parent → child
    (``contains``, from ``dct:isPartOf``), agency → task (its role:
    lead/responsible/support/division), provision → mechanism (``mechanism``).
    Sections are provisions that are not tasks. Node size: links in the view.
    """
    doc = resolve_document(store, document_name)
    info = _documents(store).get(doc, {})
    file = info.get("file") or doc
    title = info.get("title") or file
    provs = _provisions(store, doc)
    mentions = _mentions(store, doc)
    orders = _task_orders(store)
    G = nx.DiGraph(layer="document")
    G.add_node(doc, label=title, kind="document", documents=[file],
               provenance=[{"document": file, "quote": title}])
    ordered = sorted(provs.values(), key=lambda p: (p.order if p.order is not None else 10 ** 9, p.iri))
    for p in ordered:
        _add_provision_node(G, p, file, "task" if p.is_task else "section")
    for p in ordered:
        parent = p.parent if p.parent in provs or p.parent == doc else doc
        G.add_edge(parent, p.iri, role="contains", weight=1,
                   provenance=[{"document": file, "quote": p.quote or p.heading}])
    rows = assignment_rows(store, Filters(documents=(file,), collectives=True))
    _add_tasks_detail(G, store, doc, file, provs, set(provs), rows, mentions, orders)
    _size_by_degree(G, doc)
    n_tasks = sum(1 for p in provs.values() if p.is_task)
    G.graph.update(
        view="document",
        document=doc,
        nodes_total=G.number_of_nodes(),
        title=f"Document 文件: {title}",
        description=(f"{len(provs) - n_tasks} sections and {n_tasks} tasks of {file}, the agencies assigned "
                     "to the tasks (edge style: role) and the mechanisms they establish. "
                     "Node size: links in this view."),
        documents=[file],
    )
    return G


# ---------------------------------------------------------------------------
# Captions
# ---------------------------------------------------------------------------


def build_date(build_dir) -> str | None:
    """The date (YYYY-MM-DD, local time) a build directory was written, from its manifest.

    ``build_dir`` may be the build directory or its ``store/`` folder.
    """
    path = Path(build_dir)
    for cand in (path / "manifest.json", path.parent / "manifest.json", path / "store", path):
        try:
            if cand.exists():
                return _dt.date.fromtimestamp(cand.stat().st_mtime).isoformat()
        except OSError:
            continue
    return None


def caption(G: nx.Graph, store, built: str | None = None, *, max_documents: int = 12) -> str:
    """A caption naming what the view shows, its source documents (file, title, date) and the build date."""
    docs = {d["file"]: d for d in _documents(store).values() if d.get("file")}
    files = list(G.graph.get("documents") or _graph_documents(G))
    parts = []
    for f in files[:max_documents]:
        d = docs.get(f, {})
        extra = ", ".join(x for x in (d.get("title", ""), d.get("issued", "")) if x)
        parts.append(f"{f} ({extra})" if extra else f)
    if len(files) > max_documents:
        parts.append(f"and {len(files) - max_documents} more")
    lines = []
    if G.graph.get("description"):
        lines.append(G.graph["description"])
    lines.append("Sources 来源: " + ("; ".join(parts) if parts else "none (no document contributes to this view)"))
    lines.append(f"Built 构建日期: {built or 'unknown'}")
    return "\n".join(lines)
