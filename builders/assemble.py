"""Assemble: extraction records → RDF triples in one named graph per document.

Every fact carries provenance: a ``pk:TextSpan`` naming its document (``oa:hasSource``),
the code points of the *raw* text (``oa:start``/``oa:end``, half-open) and the exact raw
quote (``oa:exact``).  Triples are tuples of N-Triples terms (:mod:`policykg.builders.terms`);
IRIs come from :mod:`policykg.ontology.iris` only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pyoxigraph import NamedNode

from policykg.builders import terms as T
from policykg.builders.extract.agencies import AgentRef
from policykg.builders.extract.records import Extraction
from policykg.builders.model import NormalisedText, RawDocument
from policykg.ontology.iris import Iris, doc_key_for
from policykg.ontology.namespace import PK

RDF_TYPE = T.iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = T.iri("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"

KIND_CONCEPT = {
    "gov": "GovernmentBody", "judicial": "Court", "procuratorate": "Procuratorate", "party": "PartyOrgan",
    "legislature": "Legislature", "zone_admin": "ZoneAdministration", "institution": "Institution",
    "leading_group": "LeadingGroup", "association": "Association", "division": "Division",
}
ROLE_CONCEPT = {"lead": "LeadRole", "responsible": "ResponsibleRole", "support": "SupportRole", "division": "DivisionRole"}
LEVEL_CONCEPT = {"national": "National", "provincial": "Provincial", "city": "City", "district": "District"}
MTYPE_CONCEPT = {"mechanism": "MechanismProper", "system": "SystemRule", "framework": "Framework"}


_n = T.iri


@lru_cache(maxsize=256)
def pk(term: str) -> str:
    return T.iri(str(getattr(PK, term)))


def _ns(base: str, local: str) -> str:
    return T.iri(base + local)


_zh = T.lang
_int = T.integer


@dataclass(frozen=True)
class AssembledDocument:
    """One document's named graph: ``triples`` are sorted, unique tuples of N-Triples terms."""

    graph: NamedNode
    triples: tuple[tuple[str, str, str], ...]
    counts: dict

    def nquads_lines(self) -> list[str]:
        """The graph as sorted N-Quads lines (the triples are sorted and unique already, and
        the lines of sorted term tuples are in sorted order: a term is never followed by a
        character below the space that separates it from the next one)."""
        g = f" <{self.graph.value}> ."
        return [f"{s} {p} {o}{g}" for s, p, o in self.triples]

    @cached_property
    def quads(self) -> tuple:
        """The graph as pyoxigraph quads (parsed from the text; for tests and small in-memory stores)."""
        import pyoxigraph

        data = "\n".join(self.nquads_lines()).encode("utf-8")
        return tuple(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))


def _first_words(text: str, p, limit: int = 40) -> tuple[str, int, int]:
    """The heading of an untitled provision: its text up to the first sentence break (at most
    ``limit`` characters), after its number; (text, start, end) in normalised offsets."""
    s = p.start
    if p.number and text.startswith(p.number, s):
        s += len(p.number)
    m = re.compile(r"\s*([^。；;！!？?\n]{1,%d})" % limit).match(text, s, p.end)
    if m and m.group(1).strip():
        a, b = m.start(1), m.end(1)
        while b > a and text[b - 1].isspace():
            b -= 1
        return text[a:b], a, b
    label = p.number or "任务"
    return label, 0, 0


def span_writer(add, raw: RawDocument, norm: NormalisedText, iris: Iris, key: str, doc: str):
    """``span(start, end, denotes=None)`` → the IRI term of the span of normalised ``[start, end)``,
    written once per document with ``add``: its type, document, raw code points and quote."""
    seen: dict[tuple[int, int], str] = {}
    text = raw.text
    span_type, source = pk("TextSpan"), _ns(OA, "hasSource")
    start_p, end_p, exact_p, denotes_p = _ns(OA, "start"), _ns(OA, "end"), _ns(OA, "exact"), pk("denotes")
    nni = XSD + "nonNegativeInteger"

    def span(start: int, end: int, denotes: str | None = None) -> str:
        rs, re_ = norm.raw_span(start, end)
        node = seen.get((rs, re_))
        if node is None:
            node = T.iri(str(iris.span(key, rs, re_)))
            seen[(rs, re_)] = node
            add(node, RDF_TYPE, span_type)
            add(node, source, doc)
            add(node, start_p, f'"{rs}"^^<{nni}>')
            add(node, end_p, f'"{re_}"^^<{nni}>')
            add(node, exact_p, T.text(text[rs:re_]))
        if denotes is not None:
            add(node, denotes_p, denotes)
        return node

    return span


def assemble(raw: RawDocument, norm: NormalisedText, ex: Extraction, iris: Iris) -> AssembledDocument:
    """Triples of one document's named graph."""
    key = doc_key_for(raw.name)
    doc_iri = str(iris.document(key))
    doc = _n(doc_iri)
    triples: list[tuple[str, str, str]] = []
    add3 = triples.append

    def add(s, p, o):
        add3((s, p, o))

    span = span_writer(add, raw, norm, iris, key, doc)
    # -- the document
    md = ex.metadata
    add(doc, RDF_TYPE, pk("PolicyDocument"))
    add(doc, pk("sourceFile"), T.text(raw.name))
    add(doc, pk("sha256"), T.text(raw.sha256))
    add(doc, pk("format"), T.text(raw.fmt))
    add(doc, pk("script"), T.text(norm.script))
    if md.title:
        add(doc, _ns(DCT, "title"), _zh(md.title))
        add(doc, RDFS_LABEL, _zh(md.title))
    else:
        add(doc, RDFS_LABEL, T.text(raw.name))
    if md.doc_number:
        add(doc, _ns(DCT, "identifier"), T.text(md.doc_number))
    if md.date:
        add(doc, _ns(DCT, "issued"), T.typed(md.date, "date"))
    if md.jurisdiction:
        add(doc, pk("jurisdiction"), _zh(md.jurisdiction))
    if md.level:
        add(doc, pk("level"), pk(LEVEL_CONCEPT[md.level]))
    for sp in (md.title_span, md.doc_number_span, md.date_span):
        if sp:
            span(*sp)

    # -- agents
    agents: dict[str, str] = {}
    labels: dict[str, set[str]] = {}
    hidden: dict[str, set[str]] = {}

    def agent(ref: AgentRef) -> str:
        node = agents.get(ref.key)
        if node is None:
            if ref.collective:
                node = _n(str(iris.collective(ref.key.split(":", 1)[1])))
                add(node, RDF_TYPE, pk("CollectiveActor"))
                add(node, RDF_TYPE, _ns(PROV, "Agent"))
                if ref.members_of:
                    add(node, pk("membersOf"), _n(str(iris.agency(ref.members_of))))
            else:
                node = _n(str(iris.agency(ref.canonical)))
                add(node, RDF_TYPE, pk("Agency"))
                add(node, RDF_TYPE, _ns(ORG, "Organization"))
                add(node, pk("agencyKind"), pk(KIND_CONCEPT.get(ref.kind, "GovernmentBody")))
                if ref.level in LEVEL_CONCEPT:
                    add(node, pk("level"), pk(LEVEL_CONCEPT[ref.level]))
            add(node, _ns(SKOS, "prefLabel"), _zh(ref.canonical))
            add(node, RDFS_LABEL, _zh(ref.canonical))
            if ref.jurisdiction:
                add(node, pk("jurisdiction"), _zh(ref.jurisdiction))
            add(doc, pk("mentions"), node)
            agents[ref.key] = node
        return node

    def label_mention(m) -> str:
        node = agent(m.ref)
        if m.surface != m.ref.canonical:
            labels.setdefault(m.ref.key, set()).add(m.surface)
        rs, re_ = norm.raw_span(m.start, m.end)
        raw_form = raw.text[rs:re_]
        if norm.script == "traditional" and raw_form != m.surface:
            hidden.setdefault(m.ref.key, set()).add(raw_form)
        span(m.start, m.end, node)
        return node

    for m in ex.mentions:
        label_mention(m)
    for m in md.issuers:
        add(doc, _ns(DCT, "creator"), agent(m.ref))
    for m in md.addressees:
        add(doc, pk("addressee"), agent(m.ref))

    # -- provisions, tasks and roles
    prov_nodes = {}
    tasks = {a.provision for a in ex.assignments}
    for order, p in enumerate(ex.provisions):
        node = _n(str(iris.provision(key, p.key)))
        prov_nodes[p.key] = node
    for order, p in enumerate(sorted(ex.provisions, key=lambda p: (p.start, p.key))):
        node = prov_nodes[p.key]
        add(node, RDF_TYPE, pk("Provision"))
        if p.key in tasks:
            add(node, RDF_TYPE, pk("Task"))
        add(node, pk("inDocument"), doc)
        add(node, _ns(DCT, "isPartOf"), prov_nodes.get(p.parent, doc) if p.parent else doc)
        if p.number:
            add(node, pk("number"), T.text(p.number))
        heading, h_start, h_end = p.title, p.title_start, p.title_end
        if not heading and p.key in tasks:
            # every task has a heading (queries match it without OPTIONAL): an untitled one
            # takes the first words of its own text
            heading, h_start, h_end = _first_words(norm.text, p)
        if heading:
            add(node, pk("heading"), _zh(heading))
            add(node, RDFS_LABEL, _zh(heading))
        add(node, pk("order"), _int(order))
        add(node, pk("depth"), _int(p.depth))
        if h_end > h_start:
            add(node, _ns(PROV, "wasDerivedFrom"), span(h_start, h_end))
    iris_ = iris
    for a in ex.assignments:
        task = prov_nodes[a.provision]
        who = agent(a.mention.ref)
        add(task, pk(a.role), who)
        asg = _n(str(iris_.assignment(iris_.provision(key, a.provision), a.role, str(who))))
        add(task, _ns(PROV, "qualifiedAttribution"), asg)
        add(asg, RDF_TYPE, pk("RoleAssignment"))
        add(asg, _ns(PROV, "agent"), who)
        add(asg, _ns(PROV, "hadRole"), pk(ROLE_CONCEPT[a.role]))
        add(asg, pk("rule"), T.text(a.rule))
        add(asg, _ns(PROV, "wasDerivedFrom"), span(a.cue_start, a.cue_end))
        span(a.mention.start, a.mention.end, who)
        if a.mention.surface != a.mention.ref.canonical:
            labels.setdefault(a.mention.ref.key, set()).add(a.mention.surface)
    # -- co-assignments: pairs of agencies sharing tasks in this document (for network queries)
    sharing: dict[str, set[str]] = {}
    for a in ex.assignments:
        if not a.mention.ref.collective:
            sharing.setdefault(a.provision, set()).add(agents[a.mention.ref.key])
    pairs: dict[tuple[str, str], int] = {}
    for members in sharing.values():
        ordered = sorted(members, key=lambda t: t[1:-1])  # by IRI
        for i, first in enumerate(ordered):
            for second in ordered[i + 1:]:
                pairs[(first, second)] = pairs.get((first, second), 0) + 1
    for (first, second), n in pairs.items():
        node = _n(str(iris.co_assignment(key, first[1:-1], second[1:-1])))
        add(node, RDF_TYPE, pk("CoAssignment"))
        add(node, pk("firstAgency"), first)
        add(node, pk("secondAgency"), second)
        add(node, pk("sharedTasks"), _int(n))
        add(node, pk("inDocument"), doc)

    for sch in ex.schedules:
        if sch.provision in prov_nodes:
            add(prov_nodes[sch.provision], pk(sch.kind), _zh(sch.text))
            span(sch.start, sch.end)

    for k, forms in labels.items():
        node = agents[k]
        for f in sorted(forms):
            add(node, _ns(SKOS, "altLabel"), _zh(f))
    for k, forms in hidden.items():
        for f in sorted(forms):
            add(agents[k], _ns(SKOS, "hiddenLabel"), T.lang(f, "zh-Hant"))

    # -- zones and industries
    zone_nodes = {}
    for z in ex.zones:
        node = zone_nodes.get(z.name)
        if node is None:
            node = _n(str(iris.zone(z.name)))
            zone_nodes[z.name] = node
            add(node, RDF_TYPE, pk("PilotZone"))
            add(node, _ns(SKOS, "prefLabel"), _zh(z.name))
            add(node, RDFS_LABEL, _zh(z.name))
            add(doc, pk("mentions"), node)
        if z.parent:
            add(node, pk("zoneOf"), _n(str(iris.zone(z.parent))))
        if z.surface != z.name:
            add(node, _ns(SKOS, "altLabel"), _zh(z.surface))
        span(z.start, z.end, node)
        if z.provision and z.provision in prov_nodes:
            add(prov_nodes[z.provision], pk("concernsZone"), node)
    for ind in ex.industries:
        node = _n(str(iris.industry(ind.name)))
        add(node, RDF_TYPE, pk("Industry"))
        add(node, _ns(SKOS, "prefLabel"), _zh(ind.name))
        add(node, RDFS_LABEL, _zh(ind.name))
        add(zone_nodes[ind.zone], pk("hasIndustry"), node)
        add(doc, pk("mentions"), node)
        span(ind.start, ind.end, node)

    # -- mechanisms
    for mm in ex.mechanisms:
        node = _n(str(iris.mechanism(mm.label)))
        add(node, RDF_TYPE, pk("Mechanism"))
        add(node, _ns(SKOS, "prefLabel"), _zh(mm.label))
        add(node, RDFS_LABEL, _zh(mm.label))
        add(node, pk("mechanismType"), pk(MTYPE_CONCEPT[mm.mtype]))
        add(doc, pk("mentions"), node)
        span(mm.start, mm.end, node)
        if mm.provision and mm.provision in prov_nodes:
            add(prov_nodes[mm.provision], pk("establishes"), node)

    # -- targets
    for t in ex.targets:
        rs, re_ = norm.raw_span(t.start, t.end)
        node = _n(str(iris.target(key, rs, re_)))
        add(node, RDF_TYPE, pk("Target"))
        add(node, pk("inDocument"), doc)
        if t.indicator:
            add(node, pk("indicator"), _zh(t.indicator))
            add(node, RDFS_LABEL, _zh(f"{t.indicator} {t.value}{t.unit}"))
        add(node, pk("value"), T.typed(str(t.value), "decimal"))
        add(node, pk("unit"), T.text(t.unit))
        if t.year:
            add(node, pk("targetYear"), _int(t.year))
        if t.comparator:
            add(node, pk("comparator"), T.text(t.comparator))
        if t.upper is not None:
            add(node, pk("upperValue"), T.typed(str(t.upper), "decimal"))
        add(node, _ns(PROV, "wasDerivedFrom"), span(t.start, t.end))
        add(prov_nodes.get(t.provision, doc) if t.provision else doc, pk("hasTarget"), node)

    # -- references
    for c in ex.cited:
        node = _n(str(iris.cited(c.key)))
        add(node, RDF_TYPE, pk("CitedWork"))
        add(node, _ns(DCT, "title") if c.kind == "work" else _ns(DCT, "identifier"), _zh(c.key) if c.kind == "work" else T.text(c.key))
        add(node, RDFS_LABEL, _zh(c.key))
        add(doc, _ns(DCT, "references"), node)
        span(c.start, c.end, node)

    # -- policy-instrument coding of each measure, with its cue words as spans
    from policykg.builders.extract.instruments import instrument_triples

    codings = instrument_triples(norm.text, ex, iris, key, add=add, span=span)
    unique = tuple(sorted(set(triples)))
    counts = {
        "instrument_codings": codings,
        "agencies": sum(1 for k in agents if not k.startswith("collective:")),
        "collectives": sum(1 for k in agents if k.startswith("collective:")),
        "tasks": len(tasks),
        "mechanisms": len({m.label for m in ex.mechanisms}),
        "zones": len(zone_nodes),
        "targets": len(ex.targets),
        "triples": len(unique),
    }
    return AssembledDocument(NamedNode(doc_iri), unique, counts)
