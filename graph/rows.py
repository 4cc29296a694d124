"""Assignment rows: every (task, agent, role) of the graph with its labels and a quote, read
from a store (:func:`assignment_rows`) or from one document's triples (:func:`document_rows`).

Kept apart from :mod:`policykg.graph.projections` so that a build's worker processes, which cache
each document's rows, do not import networkx.
"""
from __future__ import annotations

from dataclasses import dataclass

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
