"""The one place policykg mints IRIs.

IRIs are derived from canonical keys (an agency's canonical name, a document's
file name, a provision's number path), never from counters or run order, so
rebuilding gives the same IRIs and the same agency in two documents is one IRI.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

DEFAULT_BASE = "https://w3id.org/policykg/id/"
GAZETTEER_GRAPH = "https://w3id.org/policykg/graph/gazetteer"
ONTOLOGY_GRAPH = "https://w3id.org/policykg/graph/ontology"


@functools.lru_cache(maxsize=200_000)
def _segment(key: str) -> str:
    """A readable IRI path segment: letters and digits (CJK included) kept, the rest %-encoded."""
    out = []
    for ch in key.strip():
        if ch.isalnum() or ch in "-_.~":
            out.append(ch)
        else:
            out.append(quote(ch, safe=""))
    return "".join(out) or "_"


def base_from_env() -> str:
    """The instance base IRI: ``$POLICYKG_BASE`` or :data:`DEFAULT_BASE`."""
    return os.environ.get("POLICYKG_BASE", DEFAULT_BASE)


@dataclass(frozen=True)
class Iris:
    """Mints instance IRIs under one base.

    Example
    -------
    >>> Iris().agency("重庆市渝中区司法局")
    rdflib.term.URIRef('https://w3id.org/policykg/id/agency/重庆市渝中区司法局')
    """

    base: str = DEFAULT_BASE

    def _iri(self, *parts: str) -> URIRef:
        # segments are %-encoded here, so the IRI is valid by construction: skip rdflib's re-validation
        return str.__new__(URIRef, self.base + "/".join(_segment(p) for p in parts))

    def document(self, doc_key: str) -> URIRef:
        return self._iri("doc", doc_key)

    def document_graph(self, doc_key: str) -> URIRef:
        """Named graph of one document (the document IRI itself)."""
        return self.document(doc_key)

    def provision(self, doc_key: str, path: str) -> URIRef:
        return self._iri("doc", doc_key, "p", path)

    def span(self, doc_key: str, start: int, end: int) -> URIRef:
        # the most frequent IRI (a document has thousands of spans): written out, the same as
        # self._iri("doc", doc_key, "span", f"{start}-{end}") (digits and "-" need no encoding)
        return str.__new__(URIRef, f"{self.base}doc/{_segment(doc_key)}/span/{int(start)}-{int(end)}")

    def assignment(self, task: URIRef, role: str, agent: URIRef) -> URIRef:
        digest = hashlib.sha1(str(agent).encode("utf-8")).hexdigest()[:12]
        return URIRef(f"{task}/role/{role}/{digest}")

    def co_assignment(self, doc_key: str, first: str, second: str) -> URIRef:
        digest = hashlib.sha1(f"{first} {second}".encode("utf-8")).hexdigest()[:16]
        return self._iri("doc", doc_key, "pair", digest)

    def target(self, doc_key: str, start: int, end: int) -> URIRef:
        return self._iri("doc", doc_key, "target", f"{start}-{end}")

    def agency(self, canonical: str) -> URIRef:
        return self._iri("agency", canonical)

    def collective(self, key: str) -> URIRef:
        return self._iri("collective", key)

    def zone(self, name: str) -> URIRef:
        return self._iri("zone", name)

    def industry(self, name: str) -> URIRef:
        return self._iri("industry", name)

    def mechanism(self, label: str) -> URIRef:
        return self._iri("mechanism", label)

    def cited(self, key: str) -> URIRef:
        return self._iri("work", key)

    def change_event(self, key: str) -> URIRef:
        return self._iri("change", key)


def doc_key_for(name: str) -> str:
    """Canonical key of a document from its name: the file name without its extension, after
    the folders of the name as built (``2023/附件1.docx`` → ``2023/附件1``, so that the
    attachments of two notices, both called 附件1, are two documents; in an IRI the ``/`` is
    written ``%2F``)."""
    folder, _, stem = name.rpartition("/")
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return f"{folder}/{stem}" if folder else stem
