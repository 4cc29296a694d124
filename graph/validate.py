"""SHACL validation of a build (pyshacl) against ``ontology/shapes.ttl``."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import rdflib


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


def validate_ntriples(ntriples: str, extra_shapes: str | None = None) -> list[Violation]:
    """Violations of the shapes in a graph given as N-Triples (empty list when it conforms).

    ``extra_shapes``: a Turtle file of further shapes (a project's own constraints), checked
    together with policykg's.
    """
    from pyshacl import validate

    data = rdflib.Graph().parse(data=ntriples, format="nt")
    data += ontology_graph()  # concept types (pk:AgencyKind …) for sh:class
    shapes = shapes_graph()
    if extra_shapes:
        shapes.parse(extra_shapes, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes,
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
