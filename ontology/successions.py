"""Agency successions across institutional reforms (``successions.tsv`` → ``org:ChangeEvent``).

A succession is **not** an alias.  重庆市工商行政管理局 (until 2018) and
重庆市市场监督管理局 (since 2018) are different bodies at different times: each
keeps its own IRI, and a 2014 document still names the body of 2014.  The
reform that links them is an ``org:ChangeEvent`` with ``org:originalOrganization``
and ``org:resultingOrganization`` (W3C ORG), a date (``dct:date``, and
``prov:atTime`` when the day is known), the source of the fact (``dct:source``
and ``rdfs:comment``), and two policykg terms: ``pk:placedUnder`` (a body that
continues but is now managed by another, 由…管理) and ``pk:principalSuccessor``
(of a split, the body that carries on the main line of work).

Analytics may *follow* successions (merge predecessors into successors, see
:func:`resolve_successors` and ``policykg.graph.instruments.follow_successions``);
the RDF itself never merges anything.

Nothing is read at import time; :func:`load_successions` is cached.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from policykg.ontology.iris import GAZETTEER_GRAPH, Iris

ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PK = "https://w3id.org/policykg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
ZH = "zh-Hans"

DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
COLUMNS = ("key", "date", "original", "resulting", "under", "source")


@dataclass(frozen=True)
class Succession:
    """One reform event: which organisations went in, which came out, when, on what authority.

    ``resulting[0]`` is the principal successor when the event splits a body
    into several.  A body listed both in ``original`` and ``resulting``
    continues (restructured, or placed ``under`` another body).
    """

    key: str
    date: str  # YYYY-MM-DD | YYYY-MM | YYYY
    original: tuple[str, ...]
    resulting: tuple[str, ...]
    under: str
    source: str

    @property
    def continuing(self) -> tuple[str, ...]:
        """Bodies on both sides: they continue and are not succeeded."""
        return tuple(o for o in self.original if o in self.resulting)

    @property
    def ended(self) -> tuple[str, ...]:
        """Bodies that cease to exist as such (``不再保留``)."""
        return tuple(o for o in self.original if o not in self.resulting)

    @property
    def kind(self) -> str:
        """``reassignment`` (continues under another body), ``restructuring`` (continues and
        absorbs others or is reorganised), ``split``, ``merger`` or ``renaming`` (one to one)."""
        new = [r for r in self.resulting if r not in self.original]
        if not self.ended:
            return "reassignment" if self.under else "restructuring"
        if self.continuing:
            return "restructuring"
        if len(new) > 1:
            return "split"
        if len(self.ended) > 1:
            return "merger"
        return "renaming"

    @property
    def principal(self) -> str | None:
        """The principal successor of a split (the first resulting body), else None."""
        return self.resulting[0] if self.kind == "split" else None

    def successor_of(self, name: str, *, splits: str = "principal") -> str | None:
        """The body ``name`` is succeeded by through this event, or None.

        None when ``name`` is not an original organisation, when it continues,
        or when the event is a split and ``splits`` is ``"keep"``.
        """
        if name not in self.ended:
            return None
        if len(self.resulting) == 1:
            return self.resulting[0]
        if splits == "principal":
            return self.principal
        return None

    @property
    def source_document(self) -> str:
        """The decision document the fact comes from (the part of ``source`` before the colon)."""
        return self.source.split(":", 1)[0].strip()


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.strip() for x in cell.split(";") if x.strip()))


def parse_successions(text: str, origin: str = "successions.tsv") -> tuple[Succession, ...]:
    """Parse the TSV format (see the header of ``successions.tsv``); errors name the line."""
    out: list[Succession] = []
    keys: set[str] = set()
    header_seen = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen and tuple(c.strip() for c in cells) == COLUMNS:
            header_seen = True
            continue
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{origin}:{n}: expected {len(COLUMNS)} tab-separated columns, got {len(cells)}")
        key, date, original, resulting, under, source = (c.strip() for c in cells)
        if not key or key in keys:
            raise ValueError(f"{origin}:{n}: missing or duplicate key {key!r}")
        if not DATE_RE.match(date):
            raise ValueError(f"{origin}:{n}: date {date!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
        ev = Succession(key, date, _split(original), _split(resulting), under, source)
        if not ev.original or not ev.resulting:
            raise ValueError(f"{origin}:{n}: an event needs original and resulting organisations")
        if not source:
            raise ValueError(f"{origin}:{n}: every succession names its source")
        if under and not ev.continuing:
            raise ValueError(f"{origin}:{n}: 'under' is for a body that continues (listed on both sides)")
        keys.add(key)
        out.append(ev)
    return tuple(sorted(out, key=lambda e: (e.date, e.key)))


@functools.lru_cache(maxsize=1)
def load_successions() -> tuple[Succession, ...]:
    """The bundled successions (``ontology/successions.tsv``), sorted by date."""
    text = resources.files("policykg.ontology").joinpath("successions.tsv").read_text(encoding="utf-8")
    return parse_successions(text)


# ---------------------------------------------------------------------------------------------
# following successions (shared by the analytics)


def _start(date: str) -> str:
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10] if len(date) == 7 else date


def _end(date: str) -> str:
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"
    return date


def resolve_successors(events: Iterable[Succession], *, until: str | int | None = None,
                       splits: str = "principal") -> dict[str, str]:
    """Predecessor → its latest successor, following chains (A → B → C gives A → C).

    Parameters
    ----------
    events : successions (names or IRIs as organisations; the same kind throughout).
    until : follow only events that may have happened by then: a year (2018) or an ISO
        date ("2019-06-30"); an event dated only by year counts from 1 January of that year.
    splits : ``"principal"`` merges a split body into its principal successor;
        ``"keep"`` leaves split bodies unmerged.

    Bodies that continue (restructured, or placed under another body) are never mapped.
    """
    if splits not in ("principal", "keep"):
        raise ValueError("splits must be 'principal' or 'keep'")
    limit = _end(str(until)) if until is not None else None
    step: dict[str, str] = {}
    for ev in sorted(events, key=lambda e: (e.date, e.key)):
        if limit is not None and _start(ev.date) > limit:
            continue
        for name in ev.ended:
            succ = ev.successor_of(name, splits=splits)
            if succ is not None and succ != name:
                step[name] = succ
    out: dict[str, str] = {}
    for name in step:
        seen = {name}
        cur = step[name]
        while cur in step and step[cur] not in seen:
            seen.add(cur)
            cur = step[cur]
        if cur != name:
            out[name] = cur
    return out


# ---------------------------------------------------------------------------------------------
# RDF


def _n(iri) -> NamedNode:
    return NamedNode(str(iri))


def _date_literal(date: str) -> Literal:
    dtype = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(date)]
    return Literal(date, datatype=NamedNode(XSD + dtype))


def succession_quads(iris: Iris | None = None, events: Iterable[Succession] | None = None) -> list[Quad]:
    """The successions as quads in the gazetteer's named graph (``GAZETTEER_GRAPH``).

    Organisations are minted with ``iris.agency(canonical)`` (the IRIs documents use) and
    typed ``org:Organization`` with ``skos:prefLabel`` — not ``pk:Agency``, so bodies that no
    document mentions do not count as agencies of the corpus.
    """
    iris = iris or Iris()
    events = load_successions() if events is None else tuple(events)
    g = NamedNode(GAZETTEER_GRAPH)
    quads: list[Quad] = []

    def add(s, p, o):
        quads.append(Quad(s, NamedNode(p), o, g))

    def org(name: str) -> NamedNode:
        node = _n(iris.agency(name))
        add(node, RDF_TYPE, NamedNode(ORG + "Organization"))
        add(node, SKOS + "prefLabel", Literal(name, language=ZH))
        add(node, RDFS_LABEL, Literal(name, language=ZH))
        return node

    for ev in events:
        node = _n(iris.change_event(ev.key))
        add(node, RDF_TYPE, NamedNode(ORG + "ChangeEvent"))
        add(node, RDFS_LABEL, Literal(f"{'、'.join(ev.original)} → {'、'.join(ev.resulting)}（{ev.date}）", language=ZH))
        add(node, RDFS_COMMENT, Literal(ev.source, language=ZH))
        add(node, DCT + "source", Literal(ev.source_document, language=ZH))
        add(node, DCT + "date", _date_literal(ev.date))
        if len(ev.date) == 10:
            add(node, PROV + "atTime", Literal(ev.date + "T00:00:00", datatype=NamedNode(XSD + "dateTime")))
        for name in ev.original:
            o = org(name)
            add(node, ORG + "originalOrganization", o)
            add(o, ORG + "changedBy", node)
        for name in ev.resulting:
            r = org(name)
            add(node, ORG + "resultingOrganization", r)
            add(r, ORG + "resultedFrom", node)
        if ev.under:
            add(node, PK + "placedUnder", org(ev.under))
        if ev.principal:
            add(node, PK + "principalSuccessor", _n(iris.agency(ev.principal)))
    return list(dict.fromkeys(quads))
