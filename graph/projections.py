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

from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from policykg.builders.terms import unescape

PREFIXES = """PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

# Simple graph patterns, joined in Python: on large stores a single query with OPTIONAL
# joins over the union graph is orders of magnitude slower than these.
ROLE_ROWS = PREFIXES + """SELECT ?g ?task ?p ?agent WHERE {
  VALUES ?p { pk:lead pk:responsible pk:support pk:division }
  GRAPH ?g { ?task ?p ?agent } }"""
DOC_ROWS = PREFIXES + """SELECT ?g ?name ?date WHERE {
  GRAPH ?g { ?g pk:sourceFile ?name . OPTIONAL { ?g dct:issued ?date } } }"""
TASK_ROWS = PREFIXES + """SELECT ?task ?heading ?number WHERE {
  GRAPH ?g { ?task a pk:Task . OPTIONAL { ?task pk:heading ?heading } OPTIONAL { ?task pk:number ?number } } }"""
AGENT_ROWS = PREFIXES + """SELECT ?agent ?label ?kind ?jurisdiction ?level ?collective WHERE {
  GRAPH ?g { { ?agent a pk:Agency } UNION { ?agent a pk:CollectiveActor . BIND(true AS ?collective) }
    ?agent skos:prefLabel ?label .
    OPTIONAL { ?agent pk:agencyKind ?kind } OPTIONAL { ?agent pk:jurisdiction ?jurisdiction }
    OPTIONAL { ?agent pk:level ?level } } }"""
QUOTE_ROWS = PREFIXES + """SELECT ?task ?agent ?role ?quote WHERE {
  GRAPH ?g { ?task prov:qualifiedAttribution ?a . ?a prov:agent ?agent ; prov:hadRole ?role ;
             prov:wasDerivedFrom ?span . ?span oa:exact ?quote } }"""
ROLE_CONCEPTS = {"LeadRole": "lead", "ResponsibleRole": "responsible", "SupportRole": "support", "DivisionRole": "division"}

KIND_NAMES = {
    "GovernmentBody": "gov", "Court": "judicial", "Procuratorate": "procuratorate", "PartyOrgan": "party",
    "Legislature": "legislature", "ZoneAdministration": "zone_admin", "Institution": "institution",
    "LeadingGroup": "leading_group", "Association": "association", "Division": "division",
}
LEVEL_NAMES = {"National": "national", "Provincial": "provincial", "City": "city", "District": "district"}
ROLES = ("lead", "responsible", "support", "division")


@dataclass(frozen=True)
class Filters:
    """Which part of the graph a projection covers.

    ``documents``: source file names; ``years``: (first, last) inclusive;
    ``roles``: role layers to keep; ``jurisdiction`` / ``level``: of the agencies;
    ``collectives``: keep collective actors (各有关部门 …) as nodes;
    ``follow_successions``: merge agencies ended by a reform into their successors
    (市工商局 → 市场监管局), so an agency's role before a reform and its successor's after line up.
    """

    documents: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    roles: tuple[str, ...] = ROLES
    jurisdiction: str | None = None
    level: str | None = None
    collectives: bool = False
    follow_successions: bool = False


@dataclass(frozen=True)
class AssignmentRow:
    task: str
    task_label: str
    number: str
    document: str
    year: int | None
    agent: str
    role: str
    label: str
    kind: str
    jurisdiction: str
    level: str
    quote: str = ""


def _value(term) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def query_rows(store, query: str, substitutions: dict | None = None):
    """Run a SELECT on a pyoxigraph store (default graph = union of all graphs)."""
    kwargs = {"use_default_graph_as_union": True}
    if substitutions:
        kwargs["substitutions"] = substitutions
    return store.query(query, **kwargs)


def _local(term) -> str:
    return _value(term).rsplit("#", 1)[-1]


def assignment_rows(store, filters: Filters = Filters()) -> list[AssignmentRow]:
    """Every (task, agent, role) assignment with labels and a quote, filtered."""
    docs: dict[str, tuple[str, int | None]] = {}
    for sol in query_rows(store, DOC_ROWS):
        date = _value(sol["date"])
        docs[_value(sol["g"])] = (_value(sol["name"]), int(date[:4]) if date[:4].isdigit() else None)
    tasks: dict[str, tuple[str, str]] = {}
    for sol in query_rows(store, TASK_ROWS):
        prev = tasks.get(_value(sol["task"]), ("", ""))
        tasks[_value(sol["task"])] = (_value(sol["heading"]) or prev[0], _value(sol["number"]) or prev[1])
    agents: dict[str, tuple] = {}
    for sol in query_rows(store, AGENT_ROWS):
        a = _value(sol["agent"])
        if a in agents:
            continue
        collective = sol["collective"] is not None
        kind = "collective" if collective else KIND_NAMES.get(_local(sol["kind"]), "gov")
        agents[a] = (_value(sol["label"]), kind, _value(sol["jurisdiction"]), LEVEL_NAMES.get(_local(sol["level"]), ""))
    quotes: dict[tuple[str, str, str], str] = {}
    for sol in query_rows(store, QUOTE_ROWS):
        key = (_value(sol["task"]), _value(sol["agent"]), ROLE_CONCEPTS.get(_local(sol["role"]), ""))
        q = _value(sol["quote"])
        if len(q) > len(quotes.get(key, "")):
            quotes[key] = q
    rows: dict[tuple, AssignmentRow] = {}
    for sol in query_rows(store, ROLE_ROWS):
        g, task, agent, role = _value(sol["g"]), _value(sol["task"]), _value(sol["agent"]), _local(sol["p"])
        if g not in docs or agent not in agents:
            continue
        name, year = docs[g]
        heading, number = tasks.get(task, ("", ""))
        label, kind, jurisdiction, level = agents[agent]
        row = AssignmentRow(task, heading, number, name, year, agent, role, label, kind, jurisdiction, level,
                            quotes.get((task, agent, role), ""))
        if _keep(row, filters):
            rows[(task, agent, role)] = row
    return sorted(rows.values(), key=lambda r: (r.document, r.task, r.role, r.agent))


_PK = "https://w3id.org/policykg/ontology#"


def _term_value(term: str) -> str:
    """The value of an N-Triples term: an IRI without brackets, a literal's unescaped lexical form."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] != '"':
        return term
    return unescape(term[1:term.rindex('"')])


def document_rows(triples, graph: str, filters: Filters = Filters()) -> list[AssignmentRow]:
    """:func:`assignment_rows` of one document's graph given as triples of N-Triples terms (as the
    builders write them), without a store: a build caches these per document and assembles the
    summary's coordination network from them.  A test checks they equal the store's rows."""
    v = _term_value
    roles = {f"<{_PK}{r}>": r for r in ROLES}
    by_p: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in triples:
        by_p.setdefault(p, []).append((s, o))

    def objects(pred: str) -> dict[str, str]:
        return {s: o for s, o in by_p.get(pred, ())}

    g = f"<{graph}>"
    name = next((v(o) for s, o in by_p.get(f"<{_PK}sourceFile>", ()) if s == g), None)
    if name is None:
        return []
    date = next((v(o) for s, o in by_p.get("<http://purl.org/dc/terms/issued>", ()) if s == g), "")
    year = int(date[:4]) if date[:4].isdigit() else None
    types: dict[str, set[str]] = {}
    for s, o in by_p.get("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", ()):
        types.setdefault(s, set()).add(o)
    headings, numbers = objects(f"<{_PK}heading>"), objects(f"<{_PK}number>")
    labels = objects("<http://www.w3.org/2004/02/skos/core#prefLabel>")
    kinds, jurisdictions, levels = objects(f"<{_PK}agencyKind>"), objects(f"<{_PK}jurisdiction>"), objects(f"<{_PK}level>")
    agents: dict[str, tuple] = {}
    for a, label in labels.items():
        t = types.get(a, ())
        if f"<{_PK}Agency>" not in t and f"<{_PK}CollectiveActor>" not in t:
            continue
        collective = f"<{_PK}CollectiveActor>" in t
        kind = "collective" if collective else KIND_NAMES.get(v(kinds.get(a, "<>")).rsplit("#", 1)[-1], "gov")
        agents[a] = (v(label), kind, v(jurisdictions[a]) if a in jurisdictions else "",
                     LEVEL_NAMES.get(v(levels.get(a, "<>")).rsplit("#", 1)[-1], ""))
    agent_of, role_of = objects("<http://www.w3.org/ns/prov#agent>"), objects("<http://www.w3.org/ns/prov#hadRole>")
    exact = objects("<http://www.w3.org/ns/oa#exact>")
    derived: dict[str, list[str]] = {}
    for s, o in by_p.get("<http://www.w3.org/ns/prov#wasDerivedFrom>", ()):
        derived.setdefault(s, []).append(o)
    quotes: dict[tuple[str, str, str], str] = {}
    for task, asg in by_p.get("<http://www.w3.org/ns/prov#qualifiedAttribution>", ()):
        if asg not in agent_of or asg not in role_of:
            continue
        key = (v(task), v(agent_of[asg]), ROLE_CONCEPTS.get(v(role_of[asg]).rsplit("#", 1)[-1], ""))
        for span in derived.get(asg, ()):
            if span in exact:
                q = v(exact[span])
                if len(q) > len(quotes.get(key, "")):
                    quotes[key] = q
    rows: dict[tuple, AssignmentRow] = {}
    for p, role in roles.items():
        for task, agent in by_p.get(p, ()):
            if agent not in agents:
                continue
            is_task = f"<{_PK}Task>" in types.get(task, ())
            heading = v(headings[task]) if is_task and task in headings else ""
            number = v(numbers[task]) if is_task and task in numbers else ""
            label, kind, jurisdiction, level = agents[agent]
            t, a = v(task), v(agent)
            row = AssignmentRow(t, heading, number, name, year, a, role, label, kind, jurisdiction, level,
                                quotes.get((t, a, role), ""))
            if _keep(row, filters):
                rows[(t, a, role)] = row
    return sorted(rows.values(), key=lambda r: (r.document, r.task, r.role, r.agent))


def _keep(row: AssignmentRow, f: Filters) -> bool:
    if f.documents and row.document not in f.documents:
        return False
    if f.years and (row.year is None or not f.years[0] <= row.year <= f.years[1]):
        return False
    if row.role not in f.roles:
        return False
    if not f.collectives and row.kind == "collective":
        return False
    if f.jurisdiction and f.jurisdiction not in row.jurisdiction:
        return False
    if f.level and row.level != f.level:
        return False
    return True


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
