"""Assemble: extraction records → RDF quads in one named graph per document.

Every fact carries provenance: a ``pk:TextSpan`` with an ``oa:TextPositionSelector``
(code points of the *raw* text, half-open) and an ``oa:TextQuoteSelector`` with
the exact raw quote.  Quads are pyoxigraph terms (fast to build, store and
serialise); IRIs come from :mod:`policykg.ontology.iris` only.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad

from policykg.builders.extract.agencies import AgentRef
from policykg.builders.extract.records import Extraction
from policykg.builders.model import NormalisedText, RawDocument
from policykg.ontology.iris import Iris, doc_key_for
from policykg.ontology.namespace import PK

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ZH = "zh-Hans"

KIND_CONCEPT = {
    "gov": "GovernmentBody", "judicial": "Court", "procuratorate": "Procuratorate", "party": "PartyOrgan",
    "legislature": "Legislature", "zone_admin": "ZoneAdministration", "institution": "Institution",
    "leading_group": "LeadingGroup", "association": "Association", "division": "Division",
}
ROLE_CONCEPT = {"lead": "LeadRole", "responsible": "ResponsibleRole", "support": "SupportRole", "division": "DivisionRole"}
LEVEL_CONCEPT = {"national": "National", "provincial": "Provincial", "city": "City", "district": "District"}
MTYPE_CONCEPT = {"mechanism": "MechanismProper", "system": "SystemRule", "framework": "Framework"}


@lru_cache(maxsize=4096)
def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


@lru_cache(maxsize=256)
def pk(term: str) -> NamedNode:
    return _n(str(getattr(PK, term)))


def _ns(base: str, local: str) -> NamedNode:
    return _n(base + local)


def _zh(text: str) -> Literal:
    return Literal(text, language=ZH)


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=_n(XSD + "integer"))


@dataclass(frozen=True)
class AssembledDocument:
    graph: NamedNode
    quads: tuple[Quad, ...]
    counts: dict


def assemble(raw: RawDocument, norm: NormalisedText, ex: Extraction, iris: Iris) -> AssembledDocument:
    """Quads of one document's named graph."""
    key = doc_key_for(raw.name)
    doc = _n(str(iris.document(key)))
    g = doc
    quads: list[Quad] = []

    def add(s, p, o):
        quads.append(Quad(s, p, o, g))

    def span(start: int, end: int, denotes=None) -> NamedNode:
        rs, re_ = norm.raw_span(start, end)
        node = _n(str(iris.span(key, rs, re_)))
        pos = _n(str(iris.selector(key, rs, re_, "pos")))
        quote = _n(str(iris.selector(key, rs, re_, "quote")))
        add(node, RDF_TYPE, pk("TextSpan"))
        add(node, _ns(OA, "hasSource"), doc)
        add(node, _ns(OA, "hasSelector"), pos)
        add(node, _ns(OA, "hasSelector"), quote)
        add(pos, RDF_TYPE, _ns(OA, "TextPositionSelector"))
        add(pos, _ns(OA, "start"), Literal(str(rs), datatype=_n(XSD + "nonNegativeInteger")))
        add(pos, _ns(OA, "end"), Literal(str(re_), datatype=_n(XSD + "nonNegativeInteger")))
        add(quote, RDF_TYPE, _ns(OA, "TextQuoteSelector"))
        add(quote, _ns(OA, "exact"), Literal(raw.text[rs:re_]))
        add(node, pk("inDocument"), doc)
        if denotes is not None:
            add(node, pk("denotes"), denotes)
        return node

    # -- the document
    md = ex.metadata
    add(doc, RDF_TYPE, pk("PolicyDocument"))
    add(doc, pk("sourceFile"), Literal(raw.name))
    add(doc, pk("sha256"), Literal(raw.sha256))
    add(doc, pk("format"), Literal(raw.fmt))
    add(doc, pk("script"), Literal(norm.script))
    if md.title:
        add(doc, _ns(DCT, "title"), _zh(md.title))
        add(doc, RDFS_LABEL, _zh(md.title))
    else:
        add(doc, RDFS_LABEL, Literal(raw.name))
    if md.doc_number:
        add(doc, _ns(DCT, "identifier"), Literal(md.doc_number))
    if md.date:
        add(doc, _ns(DCT, "issued"), Literal(md.date, datatype=_n(XSD + "date")))
    if md.jurisdiction:
        add(doc, pk("jurisdiction"), _zh(md.jurisdiction))
    if md.level:
        add(doc, pk("level"), pk(LEVEL_CONCEPT[md.level]))
    for sp in (md.title_span, md.doc_number_span, md.date_span):
        if sp:
            span(*sp)

    # -- agents
    agents: dict[str, NamedNode] = {}
    labels: dict[str, set[str]] = {}
    hidden: dict[str, set[str]] = {}

    def agent(ref: AgentRef) -> NamedNode:
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

    def label_mention(m) -> NamedNode:
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
            add(node, pk("number"), Literal(p.number))
        if p.title:
            add(node, pk("heading"), _zh(p.title))
            add(node, RDFS_LABEL, _zh(p.title))
        add(node, pk("order"), _int(order))
        add(node, pk("depth"), _int(p.depth))
        if p.title_end > p.title_start:
            add(node, _ns(PROV, "wasDerivedFrom"), span(p.title_start, p.title_end))
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
        add(asg, pk("rule"), Literal(a.rule))
        add(asg, _ns(PROV, "wasDerivedFrom"), span(a.cue_start, a.cue_end))
        span(a.mention.start, a.mention.end, who)
        if a.mention.surface != a.mention.ref.canonical:
            labels.setdefault(a.mention.ref.key, set()).add(a.mention.surface)
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
            add(agents[k], _ns(SKOS, "hiddenLabel"), Literal(f, language="zh-Hant"))

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
        add(node, pk("value"), Literal(str(t.value), datatype=_n(XSD + "decimal")))
        add(node, pk("unit"), Literal(t.unit))
        if t.year:
            add(node, pk("targetYear"), _int(t.year))
        if t.comparator:
            add(node, pk("comparator"), Literal(t.comparator))
        add(node, _ns(PROV, "wasDerivedFrom"), span(t.start, t.end))
        add(prov_nodes.get(t.provision, doc) if t.provision else doc, pk("hasTarget"), node)

    # -- references
    for c in ex.cited:
        node = _n(str(iris.cited(c.key)))
        add(node, RDF_TYPE, pk("CitedWork"))
        add(node, _ns(DCT, "title") if c.kind == "work" else _ns(DCT, "identifier"), _zh(c.key) if c.kind == "work" else Literal(c.key))
        add(node, RDFS_LABEL, _zh(c.key))
        add(doc, _ns(DCT, "references"), node)
        span(c.start, c.end, node)

    # -- policy-instrument coding of each measure, with its cue words as spans
    from policykg.builders.extract.instruments import instrument_quads

    codings = instrument_quads(raw, norm, ex, iris)
    quads.extend(codings)
    qualified = pk("qualifiedInstrument")

    unique = tuple(dict.fromkeys(quads))
    counts = {
        "instrument_codings": sum(1 for q in codings if q.predicate == qualified),
        "agencies": sum(1 for k in agents if not k.startswith("collective:")),
        "collectives": sum(1 for k in agents if k.startswith("collective:")),
        "tasks": len(tasks),
        "mechanisms": len({m.label for m in ex.mechanisms}),
        "zones": len(zone_nodes),
        "targets": len(ex.targets),
        "triples": len(unique),
    }
    return AssembledDocument(g, unique, counts)
