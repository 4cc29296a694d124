"""RDF terms as N-Triples text.

The builders write each document's graph as text: a triple is a tuple of three
N-Triples terms (``"<iri>"``, ``'"literal"@zh-hans'`` …), a document's graph is a
sorted set of such tuples, and Oxigraph parses the text once, when the store is
loaded.  Building a Python object per term and per quad (and serialising them
again) was the largest cost of a build after extraction itself.

The text is exactly what Oxigraph writes for the same terms (canonical N-Quads:
the same escapes, language tags in lower case), so a document's N-Quads are the same
whichever side wrote it; a test compares the two.
"""
from __future__ import annotations

from functools import lru_cache

XSD = "http://www.w3.org/2001/XMLSchema#"

# N-Triples escapes as Oxigraph writes them: \b \t \n \f \r \" \\ by name, other
# control characters (and DEL) as \\uXXXX, everything else (CJK included) as is
_ESCAPES = {i: f"\\u{i:04X}" for i in range(0x20)}
_ESCAPES.update({0x7F: "\\u007F", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
                 ord('"'): '\\"', ord("\\"): "\\\\"})


@lru_cache(maxsize=65536)
def iri(value: str) -> str:
    """``<value>``.  IRIs come from :mod:`policykg.ontology.iris`, which %-encodes whatever an
    IRI may not hold, so no check is made here (Oxigraph rejects a bad one at load time)."""
    return f"<{value}>"


def text(value: str) -> str:
    """A plain (xsd:string) literal."""
    return '"' + value.translate(_ESCAPES) + '"'


def lang(value: str, tag: str = "zh-hans") -> str:
    """A language-tagged literal (tags are written in lower case, as Oxigraph does)."""
    return '"' + value.translate(_ESCAPES) + '"@' + tag.lower()


def typed(value: str, datatype: str) -> str:
    """A literal of an XSD datatype given by its local name (``integer``, ``date`` …) or full IRI."""
    dt = datatype if ":" in datatype else XSD + datatype
    if dt == XSD + "string":
        return text(value)
    return '"' + value.translate(_ESCAPES) + '"^^<' + dt + ">"


def integer(value: int) -> str:
    return f'"{int(value)}"^^<{XSD}integer>'


def nquads(triples, graph: str) -> list[str]:
    """N-Quads lines of ``triples`` (tuples of terms) in the named graph ``graph`` (an IRI), sorted."""
    g = f" <{graph}> ."
    return [f"{s} {p} {o}{g}" for s, p, o in sorted(set(triples))]


_UNESCAPE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(body: str) -> str:
    """The characters of an N-Triples string or IRI body: ``\\n``, ``\\"``, ``\\uXXXX`` … decoded."""
    if "\\" not in body:
        return body
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
        elif body[i + 1] == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif body[i + 1] == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        else:
            out.append(_UNESCAPE[body[i + 1]])
            i += 2
    return "".join(out)
