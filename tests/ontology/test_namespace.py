"""The Python namespace and the Turtle vocabulary name the same terms, each labelled in zh and en."""
from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import RDFS

from policykg.ontology.namespace import PK

TTL = Path(__file__).resolve().parents[2] / "ontology" / "policy.ttl"


def _vocabulary():
    g = rdflib.Graph().parse(TTL)
    g.parse(TTL.parent / "instruments.ttl")
    return g


def test_namespace_matches_turtle():
    g = _vocabulary()
    ns = str(PK._NS)
    in_ttl = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)}
    in_py = set(PK.__annotations__)
    assert in_ttl == in_py


def test_every_term_has_zh_and_en_label_and_comment():
    g = _vocabulary()
    for name in PK.__annotations__:
        term = rdflib.URIRef(str(PK._NS) + name)
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(term, prop)}
            assert {"zh-Hans", "en"} <= langs, (name, prop)


def test_reference_page_is_current():
    from policykg.ontology.reference import reference_markdown

    committed = (TTL.parent / "REFERENCE.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "regenerate: python -m policykg.ontology.reference > ontology/REFERENCE.md"
