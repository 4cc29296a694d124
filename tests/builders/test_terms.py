"""The builders write N-Quads text themselves: it must be exactly what Oxigraph writes."""
from __future__ import annotations

import pyoxigraph
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from policykg.builders import terms as T

S, P, G = NamedNode("https://example.org/s"), NamedNode("https://example.org/p"), NamedNode("https://example.org/g")


def _oxigraph(obj) -> str:
    line = pyoxigraph.serialize([Quad(S, P, obj, G)], format=RdfFormat.N_QUADS).decode("utf-8").rstrip("\n")
    return line[len("<https://example.org/s> <https://example.org/p> "):-len(" <https://example.org/g> .")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_literals_are_written_as_oxigraph_writes_them(value):
    assert T.text(value) == _oxigraph(Literal(value))
    assert T.lang(value, "zh-Hans") == _oxigraph(Literal(value, language="zh-Hans"))
    assert T.typed(value, "date") == _oxigraph(Literal(value, datatype=NamedNode(T.XSD + "date")))


def test_control_characters_and_quotes():
    value = "".join(chr(i) for i in range(0x20)) + '\x7f"\\\u2028é中'
    assert T.text(value) == _oxigraph(Literal(value))
    assert T.integer(12) == _oxigraph(Literal("12", datatype=NamedNode(T.XSD + "integer")))


def test_a_documents_graph_is_canonical_nquads(seed_results):
    """Every seed's graph, parsed by Oxigraph and written again, is the same text."""
    for name, res in seed_results.items():
        lines = res.assembled.nquads_lines()
        again = pyoxigraph.serialize(pyoxigraph.parse("\n".join(lines).encode("utf-8"), format=RdfFormat.N_QUADS),
                                     format=RdfFormat.N_QUADS).decode("utf-8")
        assert sorted(again.splitlines()) == lines, name
        assert len(lines) == len(res.assembled.quads) == res.assembled.counts["triples"] > 1000
