"""SHACL validation of a build (pyshacl) against ``ontology/shapes.ttl``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import rdflib

from policykg.builders.terms import unescape


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.focus}: {self.path}: {self.message}"


def shapes_graph() -> rdflib.Graph:
    data = resources.files("policykg.ontology").joinpath("shapes.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=data, format="turtle")


def ontology_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for name in ("policy.ttl", "instruments.ttl"):
        g.parse(data=resources.files("policykg.ontology").joinpath(name).read_text(encoding="utf-8"), format="turtle")
    return g


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple:
    """The ontology's triples, parsed once per process (a build validates every document)."""
    return tuple(ontology_graph())


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    """policykg's shapes, parsed once per process (pyshacl only reads the shapes graph)."""
    return shapes_graph()


def rdflib_term(term: str):
    """The rdflib term of an N-Triples term (``<iri>``, ``_:b``, ``"lex"``, ``"lex"@tag``,
    ``"lex"^^<datatype>``), as rdflib's own N-Triples parser makes it."""
    if term[0] == "<":
        return rdflib.URIRef(unescape(term[1:-1]))
    if term[0] == "_":
        return rdflib.BNode(term[2:])
    close = term.rindex('"')
    lexical, rest = unescape(term[1:close]), term[close + 1:]
    if rest.startswith("@"):
        return rdflib.Literal(lexical, lang=rest[1:])
    if rest.startswith("^^"):
        return rdflib.Literal(lexical, datatype=rdflib.URIRef(unescape(rest[3:-1])))
    return rdflib.Literal(lexical)


def validate_triples(triples, extra_shapes: str | None = None) -> list[Violation]:
    """Violations of the shapes in a graph given as triples of N-Triples terms (as the builders
    write them).  Each distinct term is converted once, without rdflib's N-Triples parser (on a
    document of ~4,000 triples: 0.22 s to parse the text, about 0.07 s this way)."""
    data = rdflib.Graph()
    add = data.add
    memo: dict[str, object] = {}
    for triple in triples:
        terms = []
        for term in triple:
            node = memo.get(term)
            if node is None:
                node = memo[term] = rdflib_term(term)
            terms.append(node)
        add(tuple(terms))
    return _validate(data, extra_shapes)


def validate_ntriples(ntriples: str, extra_shapes: str | None = None) -> list[Violation]:
    """Violations of the shapes in a graph given as N-Triples (empty list when it conforms).

    ``extra_shapes``: a Turtle file of further shapes (a project's own constraints), checked
    together with policykg's.
    """
    return _validate(rdflib.Graph().parse(data=ntriples, format="nt"), extra_shapes)


def _validate(data: rdflib.Graph, extra_shapes: str | None) -> list[Violation]:
    from pyshacl import validate

    for triple in _ontology_triples():  # concept types (pk:AgencyKind …) for sh:class
        data.add(triple)
    if extra_shapes:
        shapes = shapes_graph()
        shapes.parse(extra_shapes, format="turtle")
    else:
        shapes = _shapes()
    # inplace: the data graph is this call's own, so pyshacl need not copy it
    conforms, report, _ = validate(data, shacl_graph=shapes, inplace=True,
                                   inference="none", abort_on_first=False, allow_warnings=True)
    if conforms:
        return []
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for res in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        msg = report.value(res, SH.resultMessage)
        out.append(Violation(str(focus), str(path) if path is not None else "-", str(msg) if msg else "violation"))
    return sorted(out, key=lambda v: (v.focus, v.path, v.message))
