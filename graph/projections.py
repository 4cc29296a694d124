"""Projections of the RDF graph into networkx graphs, computed through SPARQL.

RDF is the truth; these graphs are views of it, so they work the same on a
graph loaded from any SPARQL store.  Layers are kept apart: co-assignment
(coordination), lead → support/responsible, two-mode agency–task, zone–industry
and co-issuance.

Node keys are IRIs (str); nodes carry ``label``, ``kind``, ``jurisdiction``,
``level``, ``documents``; edges carry ``weight``, ``role`` and ``tasks`` or
``provenance`` (document + quote) for views and path explanations.
"""
from __future__ import annotations

from itertools import combinations

import networkx as nx

from policykg.graph.rows import (  # noqa: F401  (re-exported: projections is where callers find them)
    AGENT_ROWS,
    AssignmentRow,
    DOC_ROWS,
    Filters,
    KIND_NAMES,
    LEVEL_NAMES,
    PREFIXES,
    QUOTE_ROWS,
    ROLES,
    ROLE_CONCEPTS,
    ROLE_ROWS,
    TASK_ROWS,
    _PK,
    _keep,
    _local,
    _term_value,
    _value,
    assignment_rows,
    document_rows,
    query_rows,
)


def _add_agent(G: nx.Graph, r: AssignmentRow) -> None:
    if r.agent not in G:
        G.add_node(r.agent, label=r.label, kind=r.kind, jurisdiction=r.jurisdiction, level=r.level,
                   documents=[], provenance=[])
    data = G.nodes[r.agent]
    if r.document not in data["documents"]:
        data["documents"].append(r.document)
    if r.quote and len(data["provenance"]) < 5:
        data["provenance"].append({"document": r.document, "quote": r.quote})


def coordination_network(store, filters: Filters = Filters(), *, layer: str | None = None) -> nx.Graph:
    """Agencies linked when assigned to the same task; ``weight`` = number of shared tasks.

    ``layer`` restricts the pairs: ``"lead-support"``, ``"lead-responsible"``,
    ``"co-responsible"``; None links every pair of bodies on a task.
    """
    return _successions(coordination_from_rows(assignment_rows(store, filters), layer=layer), store, filters)


def coordination_from_rows(rows: list[AssignmentRow], *, layer: str | None = None) -> nx.Graph:
    """The coordination network of :func:`coordination_network` from its assignment rows (sorted
    as :func:`assignment_rows` returns them); a build uses it with the rows it cached per document."""
    G = nx.Graph(layer=layer or "coordination")
    by_task: dict[str, list[AssignmentRow]] = {}
    for r in rows:
        _add_agent(G, r)
        by_task.setdefault(r.task, []).append(r)
    for task, members in sorted(by_task.items()):
        pairs = set()
        for a, b in combinations(members, 2):
            if a.agent == b.agent or not _layer_pair(layer, a.role, b.role):
                continue
            pairs.add(tuple(sorted((a.agent, b.agent))))
        quote = max((m.quote for m in members), key=len, default="")
        for u, v in sorted(pairs):
            if G.has_edge(u, v):
                G[u][v]["weight"] += 1
            else:
                G.add_edge(u, v, weight=0, role="coordination", tasks=[], provenance=[])
                G[u][v]["weight"] = 1
            G[u][v]["tasks"].append(task)
            if len(G[u][v]["provenance"]) < 5:
                G[u][v]["provenance"].append({"document": members[0].document, "task": members[0].task_label,
                                              "quote": quote})
    return G


def _successions(G, store, filters: Filters):
    if not filters.follow_successions:
        return G
    from policykg.graph.instruments import follow_successions

    return follow_successions(G, store)


def _layer_pair(layer: str | None, r1: str, r2: str) -> bool:
    if layer is None:
        return True
    pair = {r1, r2}
    if layer == "lead-support":
        return pair == {"lead", "support"}
    if layer == "lead-responsible":
        return pair == {"lead", "responsible"}
    if layer == "co-responsible":
        return r1 == r2 == "responsible"
    raise ValueError(f"unknown layer {layer!r}: use lead-support, lead-responsible or co-responsible")


def lead_network(store, filters: Filters = Filters()) -> nx.DiGraph:
    """Directed lead → support / responsible / division edges, weighted by shared tasks."""
    rows = assignment_rows(store, filters)
    G = nx.DiGraph(layer="lead")
    by_task: dict[str, list[AssignmentRow]] = {}
    for r in rows:
        _add_agent(G, r)
        by_task.setdefault(r.task, []).append(r)
    for task, members in sorted(by_task.items()):
        leads = [m for m in members if m.role == "lead"]
        for lead in leads:
            for m in members:
                if m.role == "lead" or m.agent == lead.agent:
                    continue
                if G.has_edge(lead.agent, m.agent):
                    G[lead.agent][m.agent]["weight"] += 1
                else:
                    G.add_edge(lead.agent, m.agent, weight=1, role=m.role, tasks=[], provenance=[])
                G[lead.agent][m.agent]["tasks"].append(task)
                if len(G[lead.agent][m.agent]["provenance"]) < 5:
                    G[lead.agent][m.agent]["provenance"].append({"document": m.document, "quote": m.quote})
    return _successions(G, store, filters)


def agency_task_network(store, filters: Filters = Filters(collectives=True)) -> nx.Graph:
    """Two-mode network: agencies and tasks, an edge per assignment with its role."""
    G = nx.Graph(layer="agency-task")
    for r in assignment_rows(store, filters):
        _add_agent(G, r)
        if r.task not in G:
            G.add_node(r.task, label=f"{r.number} {r.task_label}".strip(), kind="task", documents=[r.document],
                       provenance=[{"document": r.document, "quote": r.task_label}], bipartite=1)
        G.nodes[r.agent]["bipartite"] = 0
        G.add_edge(r.agent, r.task, role=r.role, weight=1,
                   provenance=[{"document": r.document, "quote": r.quote}] if r.quote else [])
    return G


ZONE_QUERY = PREFIXES + """
SELECT DISTINCT ?zone ?zoneLabel ?industry ?industryLabel ?docName ?quote WHERE {
  ?zone a pk:PilotZone ; skos:prefLabel ?zoneLabel ; pk:hasIndustry ?industry .
  ?industry skos:prefLabel ?industryLabel .
  OPTIONAL { ?sp pk:denotes ?industry ; oa:hasSource ?doc ; oa:exact ?quote .
             ?doc pk:sourceFile ?docName . }
}
"""


def zone_industry_network(store) -> nx.Graph:
    """Pilot zones linked to the industries the text assigns to them."""
    G = nx.Graph(layer="zone-industry")
    for sol in query_rows(store, ZONE_QUERY):
        z, i = _value(sol["zone"]), _value(sol["industry"])
        G.add_node(z, label=_value(sol["zoneLabel"]), kind="zone")
        G.add_node(i, label=_value(sol["industryLabel"]), kind="industry")
        if not G.has_edge(z, i):
            G.add_edge(z, i, role="industry", weight=1, provenance=[])
        if sol["quote"] is not None and len(G[z][i]["provenance"]) < 3:
            G[z][i]["provenance"].append({"document": _value(sol["docName"]), "quote": _value(sol["quote"])})
    return G


COISSUE_QUERY = PREFIXES + """
SELECT DISTINCT ?doc ?docName ?agent ?label WHERE {
  ?doc a pk:PolicyDocument ; pk:sourceFile ?docName ; dct:creator ?agent .
  ?agent skos:prefLabel ?label .
}
"""


def coissuance_network(store) -> nx.Graph:
    """Agencies that issue a document together (kept apart from the assignment layers)."""
    G = nx.Graph(layer="coissuance")
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for sol in query_rows(store, COISSUE_QUERY):
        by_doc.setdefault(_value(sol["docName"]), []).append((_value(sol["agent"]), _value(sol["label"])))
    for doc, issuers in sorted(by_doc.items()):
        for agent, label in issuers:
            if agent not in G:
                G.add_node(agent, label=label, kind="gov", documents=[])
            G.nodes[agent]["documents"].append(doc)
        for (a, _), (b, _) in combinations(sorted(set(issuers)), 2):
            if G.has_edge(a, b):
                G[a][b]["weight"] += 1
            else:
                G.add_edge(a, b, weight=1, role="coissuance", documents=[])
            G[a][b]["documents"].append(doc)
    return G
