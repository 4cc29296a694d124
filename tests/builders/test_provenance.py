"""Every span in the graph points into the raw text: raw[start:end] == quote."""
from __future__ import annotations

from policykg.graph.projections import query_rows

SPANS = """PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pk: <https://w3id.org/policykg/ontology#>
SELECT ?name ?start ?end ?quote WHERE {
  ?span a pk:TextSpan ; oa:hasSource ?doc ; oa:start ?start ; oa:end ?end ; oa:exact ?quote .
  ?doc pk:sourceFile ?name .
}"""


def test_every_span_quotes_the_raw_text(seed_results, seed_store):
    raws = {name: r.raw.text for name, r in seed_results.items()}
    n = 0
    for sol in query_rows(seed_store, SPANS):
        raw = raws[sol["name"].value]
        s, e = int(sol["start"].value), int(sol["end"].value)
        assert 0 <= s < e <= len(raw)
        assert raw[s:e] == sol["quote"].value
        n += 1
    total = next(iter(query_rows(seed_store, "PREFIX pk: <https://w3id.org/policykg/ontology#> "
                                       "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pk:TextSpan }")))["n"].value
    assert n == int(total) > 500  # every span has exactly one document, one position and one quote


def test_traditional_seed_quotes_traditional_text(seed_results):
    """Seed 001 is extracted in simplified characters, but quotes are the raw traditional text."""
    r = seed_results["001_f24d6cf811bb1823.txt"]
    assert r.norm.script == "traditional"
    m = next(m for m in r.extraction.mentions if m.ref.canonical == "国家知识产权局")
    rs, re_ = r.norm.raw_span(m.start, m.end)
    assert r.raw.text[rs:re_] in ("國家知識産權局", "知識産權局")


def test_an_untitled_task_is_headed_by_its_first_words():
    """Every task has a heading (the queries and the shapes rely on it): an item without a title
    takes the first words of its own text, with the span they came from."""
    from policykg.builders.assemble import _first_words
    from policykg.builders.extract.records import Provision

    text = "前言。\n3. 区司法局牵头开展普法宣传；区委宣传部配合。\n"
    start = text.index("3.")
    p = Provision("s3", "3.", "", start, start, start, len(text), 1, None)
    heading, a, b = _first_words(text, p)
    assert heading == "区司法局牵头开展普法宣传" and text[a:b] == heading
    empty = Provision("s4", "4.", "", len(text), len(text), len(text), len(text), 1, None)
    assert _first_words(text, empty) == ("4.", 0, 0)
