"""The policykg vocabulary as an rdflib ``DefinedNamespace``.

Kept in sync with ``policy.ttl`` and ``instruments.ttl`` by ``tests/ontology/test_namespace.py``.
"""
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class PK(DefinedNamespace):
    """Terms of ``https://w3id.org/policykg/ontology#``."""

    _fail = True
    _NS = Namespace("https://w3id.org/policykg/ontology#")

    PolicyDocument: URIRef
    Provision: URIRef
    Task: URIRef
    Measure: URIRef
    Mechanism: URIRef
    Agency: URIRef
    CollectiveActor: URIRef
    PilotZone: URIRef
    Industry: URIRef
    Target: URIRef
    RoleAssignment: URIRef
    TextSpan: URIRef
    CoAssignment: URIRef
    CitedWork: URIRef
    Role: URIRef
    AgencyKind: URIRef
    MechanismType: URIRef
    Level: URIRef
    assignedTo: URIRef
    lead: URIRef
    responsible: URIRef
    support: URIRef
    division: URIRef
    inDocument: URIRef
    establishes: URIRef
    concernsZone: URIRef
    hasIndustry: URIRef
    hasTarget: URIRef
    agencyKind: URIRef
    level: URIRef
    mechanismType: URIRef
    mentions: URIRef
    denotes: URIRef
    addressee: URIRef
    membersOf: URIRef
    zoneOf: URIRef
    number: URIRef
    heading: URIRef
    order: URIRef
    firstAgency: URIRef
    secondAgency: URIRef
    sharedTasks: URIRef
    upperValue: URIRef
    depth: URIRef
    schedule: URIRef
    deadline: URIRef
    jurisdiction: URIRef
    script: URIRef
    sourceFile: URIRef
    sha256: URIRef
    format: URIRef
    indicator: URIRef
    value: URIRef
    unit: URIRef
    targetYear: URIRef
    comparator: URIRef
    rule: URIRef
    RoleScheme: URIRef
    AgencyKindScheme: URIRef
    MechanismTypeScheme: URIRef
    LevelScheme: URIRef
    LeadRole: URIRef
    ResponsibleRole: URIRef
    SupportRole: URIRef
    DivisionRole: URIRef
    GovernmentBody: URIRef
    Court: URIRef
    Procuratorate: URIRef
    PartyOrgan: URIRef
    Legislature: URIRef
    ZoneAdministration: URIRef
    Institution: URIRef
    LeadingGroup: URIRef
    Association: URIRef
    Division: URIRef
    MechanismProper: URIRef
    SystemRule: URIRef
    Framework: URIRef
    National: URIRef
    Provincial: URIRef
    City: URIRef
    District: URIRef
    InstrumentType: URIRef
    InstrumentCoding: URIRef
    instrument: URIRef
    qualifiedInstrument: URIRef
    cue: URIRef
    confidence: URIRef
    placedUnder: URIRef
    principalSuccessor: URIRef
