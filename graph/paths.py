"""How two actors are connected: shortest paths through the knowledge graph, with their sources.

The coordination network only links agencies to agencies.  To *explain* a
connection — "the 司法局 leads task (三) on which the 法院 is responsible" — this
module builds a heterogeneous knowledge graph from the store (through SPARQL)
whose edges are the facts the documents state:

==============================  ==================================================
edge                            read from
==============================  ==================================================
agency —lead/responsible/…→ task  ``pk:lead`` … and the qualified attribution's span
task —establishes→ mechanism      ``pk:establishes`` and a span denoting the mechanism
task —concerns zone→ zone         ``pk:concernsZone`` and a span denoting the zone
zone —has industry→ industry      ``pk:hasIndustry`` and a span denoting the industry
zone —part of→ zone               ``pk:zoneOf`` (a 片区 of a free-trade zone)
==============================  ==================================================

Numbered provisions that are not tasks (no agency is assigned to them) but
establish a mechanism or concern a pilot zone are kept as ``provision`` nodes,
because most mechanisms and zones are named there; they never touch an agency
directly.  Every edge carries its provenance: the document's file name and the
exact quote of the text span it was read from (for an assignment, the tail such
as “(区司法局牵头,区委宣传部、…按职责分工负责)”; for a mechanism, zone or industry,
the words that name it, taken from the span nearest to the provision).

Only public networkx functions are used (see :func:`analytics.shortest_connections`).
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field

import networkx as nx

from policykg.graph.projections import PREFIXES, ROLES, query_rows

__all__ = [
    "AmbiguousName",
    "UnknownName",
    "Candidate",
    "Step",
    "RELATION_LABELS",
    "candidates",
    "resolve_name",
    "resolve_one",
    "label_of",
    "knowledge_graph",
    "explain_paths",
    "format_path",
    "format_paths",
    "paths_as_dicts",
]

#: How each relation is written in an explanation.
RELATION_LABELS = {
    "lead": "lead",
    "responsible": "responsible",
    "support": "support",
    "division": "division",
    "establishes": "establishes",
    "concernsZone": "concerns zone",
    "hasIndustry": "has industry",
    "zoneOf": "part of",
}

_ENTITY_TYPES = {
    "Agency": "agency",
    "CollectiveActor": "collective",
    "PilotZone": "zone",
    "Mechanism": "mechanism",
    "Industry": "industry",
}


class UnknownName(LookupError):
    """No agency, pilot zone, mechanism or industry has this name."""

    def __init__(self, name: str, suggestions: list["Candidate"]):
        self.name = name
        self.suggestions = suggestions
        msg = f"no agency, pilot zone, mechanism or industry is called {name!r}"
        if suggestions:
            msg += "; names containing it: " + "; ".join(f"{c.label} ({c.kind})" for c in suggestions)
        super().__init__(msg)


class AmbiguousName(LookupError):
    """A name that several entities carry (e.g. 区市场监管局 in two districts)."""

    def __init__(self, name: str, candidates: list["Candidate"]):
        self.name = name
        self.candidates = candidates
        lines = "; ".join(c.describe() for c in candidates)
        super().__init__(f"{name!r} could mean {len(candidates)} entities: {lines}. "
                         "Give the full name (skos:prefLabel) or the IRI.")


@dataclass(frozen=True)
class Candidate:
    """An entity a name may refer to."""

    iri: str
    label: str
    kind: str  # agency | collective | zone | mechanism | industry

    def describe(self) -> str:
        return f"{self.label} ({self.kind}, <{self.iri}>)"


@dataclass(frozen=True)
class Step:
    """One edge of a path, in the direction the path walks it.

    ``forward`` is True when the path walks from the relation's subject to its
    object (agency → task, task → mechanism, zone → industry, 片区 → zone).
    """

    source: str
    source_label: str
    target: str
    target_label: str
    relation: str
    forward: bool
    document: str = ""
    quote: str = ""
    start: int | None = None
    end: int | None = None
    sources: tuple = field(default=(), compare=False)


def _v(term) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def _int(term) -> int | None:
    value = _v(term)
    return int(value) if value.lstrip("-").isdigit() else None


def _normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


# ---------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------

_NAME_QUERY = PREFIXES + """
SELECT DISTINCT ?name ?x ?pred ?type ?pref WHERE {
  VALUES ?pred { skos:prefLabel skos:altLabel skos:hiddenLabel rdfs:label }
  VALUES ?type { pk:Agency pk:CollectiveActor pk:PilotZone pk:Mechanism pk:Industry }
  GRAPH ?g {
    ?x ?pred ?l .
    FILTER(STR(?l) = ?name)
    ?x a ?type ; skos:prefLabel ?pref .
  }
}
"""

_CONTAINS_QUERY = PREFIXES + """
SELECT DISTINCT ?name ?x ?type ?pref WHERE {
  VALUES ?pred { skos:prefLabel skos:altLabel }
  VALUES ?type { pk:Agency pk:CollectiveActor pk:PilotZone pk:Mechanism pk:Industry }
  GRAPH ?g {
    ?x ?pred ?l .
    FILTER(CONTAINS(STR(?l), ?name))
    ?x a ?type ; skos:prefLabel ?pref .
  }
}
"""


def _kind(type_iri: str) -> str:
    return _ENTITY_TYPES.get(type_iri.rsplit("#", 1)[-1], "entity")


def _collect(solutions) -> dict[str, Candidate]:
    found: dict[str, Candidate] = {}
    for sol in solutions:
        iri, kind = _v(sol["x"]), _kind(_v(sol["type"]))
        prev = found.get(iri)
        # an agency is also an org:Organization etc.; CollectiveActor wins over Agency
        if prev is None or (kind == "collective" and prev.kind != "collective"):
            found[iri] = Candidate(iri, _v(sol["pref"]), kind)
    return found


def candidates(store, name: str, *, limit: int = 10) -> list[Candidate]:
    """Entities whose prefLabel or altLabel *contains* ``name`` (for suggestions)."""
    from pyoxigraph import Literal, Variable

    name = _normalise(name)
    if not name:
        return []
    sols = query_rows(store, _CONTAINS_QUERY, {Variable("name"): Literal(name)})
    found = sorted(_collect(sols).values(), key=lambda c: (len(c.label), c.label, c.iri))
    return found[:limit]


def resolve_name(store, name: str) -> list[str]:
    """The IRIs of the agencies, collective actors, pilot zones, mechanisms or industries called ``name``.

    ``name`` may be any of an entity's names: its canonical ``skos:prefLabel``
    (重庆市渝中区市场监督管理局), a surface form recorded as ``skos:altLabel``
    (区市场监管局, 自贸试验区), a traditional-character ``skos:hiddenLabel`` or
    an IRI.  Full-width punctuation is normalised (NFKC) first.  When some
    entity has ``name`` as its prefLabel, only those entities are returned, so
    a canonical name is never ambiguous with another body's short form.

    Returns every match (sorted); an empty list when nothing matches.  Use
    :func:`resolve_one` to get exactly one or an explanatory error.
    """
    from pyoxigraph import Literal, Variable

    text = _normalise(name)
    if not text:
        return []
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(("http://", "https://")):
        ask = "ASK { { <%s> ?p ?o } UNION { ?s ?p <%s> } }" % (text, text)
        try:
            return [text] if bool(store.query(ask, use_default_graph_as_union=True)) else []
        except (SyntaxError, ValueError):
            return []
    by_pref: set[str] = set()
    found: set[str] = set()
    for sol in query_rows(store, _NAME_QUERY, {Variable("name"): Literal(text)}):
        found.add(_v(sol["x"]))
        if _v(sol["pred"]).endswith("#prefLabel"):
            by_pref.add(_v(sol["x"]))
    return sorted(by_pref or found)


def resolve_one(store, name: str) -> str:
    """Exactly one IRI for ``name``; :class:`UnknownName` or :class:`AmbiguousName` otherwise."""
    from pyoxigraph import Literal, Variable

    iris = resolve_name(store, name)
    if len(iris) == 1:
        return iris[0]
    if not iris:
        raise UnknownName(_normalise(name), candidates(store, name))
    text = _normalise(name)
    found = _collect(query_rows(store, _NAME_QUERY, {Variable("name"): Literal(text)}))
    raise AmbiguousName(text, [found[i] for i in iris if i in found])


def label_of(store, iri: str) -> str:
    """The ``skos:prefLabel`` of ``iri`` (its IRI when it has none)."""
    from pyoxigraph import NamedNode

    pref = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    for quad in store.quads_for_pattern(NamedNode(iri), pref, None, None):
        return quad.object.value
    return iri


# ---------------------------------------------------------------------------
# the knowledge graph
# ---------------------------------------------------------------------------

_ASSIGNMENT_QUERY = PREFIXES + """
SELECT DISTINCT ?task ?number ?heading ?docName ?date ?agent ?role ?label ?collective ?quote ?start ?end WHERE {
  VALUES (?p ?role ?hr) {
    (pk:lead "lead" pk:LeadRole) (pk:responsible "responsible" pk:ResponsibleRole)
    (pk:support "support" pk:SupportRole) (pk:division "division" pk:DivisionRole)
  }
  GRAPH ?g {
    ?task ?p ?agent ; pk:inDocument ?doc .
    ?doc pk:sourceFile ?docName .
    OPTIONAL { ?doc dct:issued ?date }
    OPTIONAL { ?task pk:number ?number }
    OPTIONAL { ?task pk:heading ?heading }
    ?agent skos:prefLabel ?label .
    BIND(EXISTS { ?agent a pk:CollectiveActor } AS ?collective)
    OPTIONAL {
      ?task prov:qualifiedAttribution ?asg .
      ?asg prov:agent ?agent ; prov:hadRole ?hr ; prov:wasDerivedFrom ?span .
      ?span oa:exact ?quote ; oa:start ?start ; oa:end ?end .
    }
  }
}
"""

_PROVISION_QUERY = PREFIXES + """
SELECT DISTINCT ?prov ?isTask ?number ?heading ?docName ?date ?rel ?entity ?label ?pstart WHERE {
  VALUES (?p ?rel) { (pk:establishes "establishes") (pk:concernsZone "concernsZone") }
  GRAPH ?g {
    ?prov ?p ?entity ; pk:inDocument ?doc .
    ?doc pk:sourceFile ?docName .
    OPTIONAL { ?doc dct:issued ?date }
    BIND(EXISTS { ?prov a pk:Task } AS ?isTask)
    OPTIONAL { ?prov pk:number ?number }
    OPTIONAL { ?prov pk:heading ?heading }
    ?entity skos:prefLabel ?label .
    OPTIONAL { ?prov prov:wasDerivedFrom ?hspan . ?hspan oa:start ?pstart }
  }
}
"""

_SPAN_QUERY = PREFIXES + """
SELECT DISTINCT ?entity ?docName ?quote ?start ?end WHERE {
  VALUES ?type { pk:PilotZone pk:Mechanism pk:Industry }
  GRAPH ?g {
    ?entity a ?type .
    ?span pk:denotes ?entity ; oa:hasSource ?doc ; oa:exact ?quote ; oa:start ?start ; oa:end ?end .
    ?doc pk:sourceFile ?docName .
  }
}
"""

_ZONE_QUERY = PREFIXES + """
SELECT DISTINCT ?zone ?zoneLabel ?rel ?other ?otherLabel WHERE {
  VALUES (?p ?rel) { (pk:hasIndustry "hasIndustry") (pk:zoneOf "zoneOf") }
  GRAPH ?g {
    ?zone a pk:PilotZone ; skos:prefLabel ?zoneLabel ; ?p ?other .
    ?other skos:prefLabel ?otherLabel .
  }
}
"""


class _Spans:
    """Spans naming each mechanism, zone and industry: (document, start) → quote."""

    def __init__(self, store):
        self.by_entity: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
        for sol in query_rows(store, _SPAN_QUERY):
            start, end = _int(sol["start"]), _int(sol["end"])
            if start is None:
                continue
            docs = self.by_entity.setdefault(_v(sol["entity"]), {})
            docs.setdefault(_v(sol["docName"]), []).append((start, end, _v(sol["quote"])))
        for docs in self.by_entity.values():
            for spans in docs.values():
                spans.sort()

    def near(self, entity: str, document: str, position: int | None) -> dict | None:
        """The span naming ``entity`` in ``document`` at or after ``position`` (else the last before it)."""
        spans = self.by_entity.get(entity, {}).get(document)
        if not spans:
            return None
        if position is None:
            chosen = spans[0]
        else:
            i = bisect.bisect_left(spans, (position,))
            chosen = spans[i] if i < len(spans) else spans[-1]
        return {"document": document, "quote": chosen[2], "start": chosen[0], "end": chosen[1]}

    def closest_pair(self, a: str, b: str) -> dict | None:
        """The span naming ``b`` closest to a span naming ``a`` in a document that names both."""
        best = None
        by_doc_a = self.by_entity.get(a, {})
        for doc, spans_b in sorted(self.by_entity.get(b, {}).items()):
            spans_a = by_doc_a.get(doc)
            if not spans_a:
                continue
            starts_a = [sa[0] for sa in spans_a]  # sorted: spans are kept in text order
            for sb in spans_b:
                i = bisect.bisect_left(starts_a, sb[0])
                gap = min(abs(sb[0] - starts_a[j]) for j in (i - 1, i) if 0 <= j < len(starts_a))
                if best is None or gap < best[0]:
                    best = (gap, doc, sb)
        if best is None:
            docs = sorted(self.by_entity.get(b, {}).items())
            if not docs:
                return None
            doc, spans = docs[0]
            return {"document": doc, "quote": spans[0][2], "start": spans[0][0], "end": spans[0][1]}
        _, doc, sb = best
        return {"document": doc, "quote": sb[2], "start": sb[0], "end": sb[1]}


def _year(date: str) -> int | None:
    return int(date[:4]) if date[:4].isdigit() else None


def _add_edge(G: nx.Graph, subject: str, obj: str, relation: str, provenance: dict | None) -> None:
    if G.has_edge(subject, obj):
        data = G[subject][obj]
        if relation not in data["relations"]:
            data["relations"].append(relation)
    else:
        G.add_edge(subject, obj, subject=subject, relations=[relation], provenance=[], weight=1)
        data = G[subject][obj]
    if provenance and provenance.get("quote"):
        item = {"relation": relation, **provenance}
        if item not in data["provenance"]:
            data["provenance"].append(item)


def _provision_label(number: str, heading: str) -> str:
    return f"{number} {heading}".strip() or "(untitled provision)"


def knowledge_graph(store, *, collectives: bool = True, provisions: bool = True) -> nx.Graph:
    """The agency–task–mechanism–zone–industry graph of the whole store.

    Parameters
    ----------
    store : pyoxigraph.Store
        A build's store (see :func:`policykg.graph.store.open_store`).
    collectives : bool, optional
        Keep collective actors (各有关部门, 领导小组各成员单位 …) as nodes.
    provisions : bool, optional
        Keep numbered provisions that are not tasks but establish a mechanism or
        concern a pilot zone (kind ``provision``).  With False only tasks link
        agencies to mechanisms and zones.

    Returns
    -------
    networkx.Graph
        Nodes keyed by IRI with ``label`` and ``kind`` (``agency``,
        ``collective``, ``task``, ``provision``, ``mechanism``, ``zone``,
        ``industry``); tasks and provisions also carry ``document``, ``year``,
        ``number`` and ``heading``.  Each edge has ``subject`` (the node the
        relation reads from), ``relations`` (e.g. ``["lead"]``) and
        ``provenance``: a list of ``{"relation", "document", "quote", "start",
        "end"}`` dicts.  Nodes and edges are added in sorted order, so the
        graph (and path order) is the same on every run.
    """
    G = nx.Graph(layer="knowledge")
    spans = _Spans(store)

    assignments = []
    for sol in query_rows(store, _ASSIGNMENT_QUERY):
        collective = _v(sol["collective"]) == "true"
        if collective and not collectives:
            continue
        assignments.append((
            _v(sol["task"]), _v(sol["number"]), _v(sol["heading"]), _v(sol["docName"]), _year(_v(sol["date"])),
            _v(sol["agent"]), _v(sol["role"]), _v(sol["label"]), collective, _v(sol["quote"]),
            _int(sol["start"]), _int(sol["end"]),
        ))
    # one assignment per (task, agent, role): keep the longest quote (the full tail)
    best: dict[tuple, tuple] = {}
    for row in assignments:
        key = (row[0], row[5], row[6])
        if key not in best or (len(row[9]), row[10] or 0) > (len(best[key][9]), best[key][10] or 0):
            best[key] = row
    role_order = {r: i for i, r in enumerate(ROLES)}
    for row in sorted(best.values(), key=lambda r: (r[3], r[0], role_order.get(r[6], 9), r[7], r[5])):
        task, number, heading, doc, year, agent, role, label, collective, quote, start, end = row
        if agent not in G:
            G.add_node(agent, label=label, kind="collective" if collective else "agency")
        if task not in G or G.nodes[task].get("kind") != "task":
            G.add_node(task, label=_provision_label(number, heading), kind="task", document=doc, year=year,
                       number=number, heading=heading)
        prov = {"document": doc, "quote": quote, "start": start, "end": end} if quote else None
        _add_edge(G, agent, task, role, prov)

    rows = sorted(query_rows(store, _PROVISION_QUERY),
                  key=lambda s: (_v(s["docName"]), _v(s["prov"]), _v(s["rel"]), _v(s["entity"])))
    for sol in rows:
        node, entity, rel = _v(sol["prov"]), _v(sol["entity"]), _v(sol["rel"])
        is_task = _v(sol["isTask"]) == "true"
        if node not in G:
            if not provisions and not is_task:
                continue
            G.add_node(node, label=_provision_label(_v(sol["number"]), _v(sol["heading"])),
                       kind="task" if is_task else "provision", document=_v(sol["docName"]),
                       year=_year(_v(sol["date"])), number=_v(sol["number"]), heading=_v(sol["heading"]))
        if entity not in G:
            G.add_node(entity, label=_v(sol["label"]), kind="mechanism" if rel == "establishes" else "zone")
        doc = _v(sol["docName"])
        _add_edge(G, node, entity, rel, spans.near(entity, doc, _int(sol["pstart"])))

    for sol in sorted(query_rows(store, _ZONE_QUERY), key=lambda s: (_v(s["zone"]), _v(s["rel"]), _v(s["other"]))):
        zone, other, rel = _v(sol["zone"]), _v(sol["other"]), _v(sol["rel"])
        if zone not in G:
            G.add_node(zone, label=_v(sol["zoneLabel"]), kind="zone")
        if other not in G:
            G.add_node(other, label=_v(sol["otherLabel"]), kind="industry" if rel == "hasIndustry" else "zone")
        if rel == "hasIndustry":
            prov = spans.closest_pair(zone, other)
        else:  # the 片区 named near its parent zone
            prov = spans.closest_pair(other, zone)
        _add_edge(G, zone, other, rel, prov)
    return G


# ---------------------------------------------------------------------------
# paths
# ---------------------------------------------------------------------------


def _step(G: nx.Graph, u: str, v: str) -> Step:
    data = G[u][v]
    forward = data["subject"] == u
    relation = "/".join(data["relations"])
    sources = tuple(data["provenance"])
    first = sources[0] if sources else {}
    return Step(u, G.nodes[u].get("label", u), v, G.nodes[v].get("label", v), relation, forward,
                first.get("document", ""), first.get("quote", ""), first.get("start"), first.get("end"), sources)


def explain_paths(store, a: str, b: str, max_paths: int = 3, *, collectives: bool = False,
                  provisions: bool = True, graph: nx.Graph | None = None) -> list[list[Step]]:
    """The shortest chains of stated facts linking ``a`` and ``b``.

    Parameters
    ----------
    store : pyoxigraph.Store
        A build's store.
    a, b : str
        Names (any prefLabel/altLabel, see :func:`resolve_name`) or IRIs of
        agencies, collective actors, pilot zones, mechanisms or industries.
    max_paths : int, optional
        At most this many paths (all of the shortest length), ordered by the
        labels along them.
    collectives : bool, optional
        Allow collective actors (各有关部门 …) as links in between.  They are
        left out by default because "all relevant departments" would connect
        almost everything; a collective named as ``a`` or ``b`` is always kept.
    provisions : bool, optional
        Allow provisions that are not tasks as links (see :func:`knowledge_graph`).
    graph : networkx.Graph, optional
        A graph from :func:`knowledge_graph` to reuse.

    Returns
    -------
    list of list of Step
        One list of steps per path; ``[]`` when the two are not connected (or
        one of them takes part in no stated fact).

    Raises
    ------
    UnknownName, AmbiguousName
        When ``a`` or ``b`` names no entity or several.
    """
    from policykg.graph.analytics import shortest_connections

    if max_paths < 1:
        raise ValueError(f"max_paths must be >= 1, got {max_paths!r}")
    source, target = resolve_one(store, a), resolve_one(store, b)
    if source == target:
        raise ValueError(f"{a!r} and {b!r} name the same entity <{source}>")
    G = graph if graph is not None else knowledge_graph(store, collectives=True, provisions=provisions)
    if source not in G or target not in G:
        return []
    keep = [n for n, d in G.nodes(data=True)
            if (collectives or d.get("kind") != "collective" or n in (source, target))
            and (provisions or d.get("kind") != "provision")]
    H = G.subgraph(keep)
    return [[_step(H, u, v) for u, v in zip(p, p[1:])] for p in shortest_connections(H, source, target,
                                                                                       max_paths=max_paths)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bracket(step: Step) -> str:
    if not step.quote:
        return ""
    return f" [{step.document}: “{_one_line(step.quote)}”]"


def format_path(path: list[Step]) -> str:
    """One line: ``A —lead→ task [doc: “quote”] ←responsible— B``.

    A source is printed after the node an edge reaches, unless it repeats the
    one just printed (both roles of a task usually come from the same tail).
    """
    if not path:
        return ""
    parts = [path[0].source_label]
    last = None
    for step in path:
        rel = RELATION_LABELS.get(step.relation, step.relation.replace("/", " / "))
        if "/" in step.relation:
            rel = "/".join(RELATION_LABELS.get(r, r) for r in step.relation.split("/"))
        arrow = f" —{rel}→ " if step.forward else f" ←{rel}— "
        bracket = _bracket(step)
        parts.append(arrow + step.target_label)
        if bracket and bracket != last:
            parts.append(bracket)
            last = bracket
    return "".join(parts)


def format_paths(paths: list[list[Step]], a_label: str, b_label: str) -> str:
    """A researcher-readable explanation of :func:`explain_paths`' result."""
    if not paths:
        return (f"{a_label} and {b_label} are not connected: no chain of task assignments, mechanisms, "
                "pilot zones and industries stated in the documents links them.")
    hops = len(paths[0])
    lines = [f"{a_label} → {b_label}: {len(paths)} shortest connection(s), {hops} step(s) each"]
    for i, path in enumerate(paths, 1):
        lines.append(f"{i}. {format_path(path)}")
    return "\n".join(lines)


def paths_as_dicts(paths: list[list[Step]]) -> list[list[dict]]:
    """JSON-ready form of :func:`explain_paths`' result."""
    out = []
    for path in paths:
        out.append([{
            "source": s.source, "source_label": s.source_label, "target": s.target,
            "target_label": s.target_label, "relation": s.relation, "forward": s.forward,
            "document": s.document, "quote": s.quote, "start": s.start, "end": s.end,
        } for s in path])
    return out
