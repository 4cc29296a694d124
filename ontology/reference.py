"""Generate the reference page of the vocabulary (``ontology/REFERENCE.md``) from the Turtle files.

Run ``python -m policykg.ontology.reference > ontology/REFERENCE.md`` after changing the vocabulary;
a test keeps the committed page equal to the generated one.
"""
from __future__ import annotations

from importlib import resources

VOCABULARIES = ("policy.ttl", "instruments.ttl")


def _graph():
    import rdflib

    g = rdflib.Graph()
    folder = resources.files("policykg.ontology")
    for name in VOCABULARIES:
        f = folder.joinpath(name)
        if f.is_file():
            g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


def reference_markdown() -> str:
    """The Markdown reference of every class, property and concept in the pk: namespace."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    g = _graph()
    ns = "https://w3id.org/policykg/ontology#"

    def text(term, prop, lang):
        for o in g.objects(term, prop):
            if getattr(o, "language", None) == lang:
                return str(o)
        return ""

    sections = [
        ("Classes", OWL.Class),
        ("Object properties", OWL.ObjectProperty),
        ("Datatype properties", OWL.DatatypeProperty),
        ("Concept schemes", SKOS.ConceptScheme),
        ("Concepts", SKOS.Concept),
    ]
    out = ["# policykg vocabulary reference", "",
           f"Namespace `pk:` = `{ns}`. Generated from `ontology/*.ttl` by `policykg.ontology.reference`.", ""]
    for title, cls in sections:
        terms = sorted({s for s in g.subjects(RDF.type, cls) if isinstance(s, rdflib.URIRef) and str(s).startswith(ns)})
        if not terms:
            continue
        out += [f"## {title}", "", "| term | 中文 | English | definition | notes |", "|---|---|---|---|---|"]
        for t in terms:
            notes = []
            for prop, name in ((RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
                               (RDFS.domain, "domain"), (RDFS.range, "range"), (SKOS.inScheme, "in scheme")):
                vals = sorted(g.namespace_manager.normalizeUri(o) for o in g.objects(t, prop))
                if vals:
                    notes.append(f"{name} {', '.join(vals)}")
            local = str(t)[len(ns):]
            out.append(f"| `pk:{local}` | {text(t, RDFS.label, 'zh-Hans')} | {text(t, RDFS.label, 'en')} | "
                       f"{text(t, RDFS.comment, 'en')} | {'; '.join(notes)} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(reference_markdown(), end="")
