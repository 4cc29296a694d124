"""SPARQL over a build's store: named research queries, parameters, typed results.

Named queries live in ``queries/*.rq``; each opens with a ``#`` comment stating
the question it answers.  Parameters are bound by the query engine
(pyoxigraph substitutions, SPARQL SEP-0007), never pasted into the query text as
text; a parameter must therefore appear in the query's SELECT projection.  The
same terms, validated and serialised by Oxigraph, are also given to the planner
as a ``VALUES`` block opening the outermost ``WHERE`` group (see
:func:`with_values_hint`).
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib import resources

from pyoxigraph import Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Variable

SKOS_PREF = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SKOS_ALT = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    question: str
    text: str

    @property
    def parameters(self) -> list[str]:
        m = re.search(r"Parameters?:\s*([^.\n]+)", self.question)
        if not m:
            return []
        return [p.strip().split(" ")[0] for p in m.group(1).split(",")]


def named_queries() -> dict[str, NamedQuery]:
    """The catalogue of research queries shipped with policykg."""
    out = {}
    folder = resources.files("policykg.graph").joinpath("queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            question = " ".join(l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#"))
            out[entry.name[:-3]] = NamedQuery(entry.name[:-3], question, text)
    return out


@dataclass(frozen=True)
class QueryResult:
    kind: str  # select | ask | graph
    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()  # pyoxigraph terms or None
    boolean: bool | None = None
    triples: tuple = ()


def resolve_parameter(store, value: str):
    """An RDF term for a parameter value: an IRI, the agency/zone/mechanism with that label, or a literal."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return NamedNode(v[1:-1])
    if re.match(r"https?://", v):
        return NamedNode(v)
    found = set()
    for pred in (SKOS_PREF, SKOS_ALT):
        for lit in (Literal(v, language="zh-Hans"), Literal(v)):
            for q in store.quads_for_pattern(None, pred, lit, None):
                found.add(q.subject.value)
    if len(found) == 1:
        return NamedNode(found.pop())
    if len(found) > 1:
        raise ValueError(f"{v!r} names {len(found)} resources ({', '.join(sorted(found)[:3])} …): give the IRI")
    return Literal(v)


def run_query(store, text: str, params: dict[str, str] | None = None, *, resources: tuple[str, ...] = ()) -> QueryResult:
    """Run SELECT / ASK / CONSTRUCT / DESCRIBE on ``store`` (union of all document graphs).

    ``resources`` names the parameters that must denote a resource (an IRI or the label of
    one): a value that resolves to nothing is an error rather than a silent empty result.
    """
    subs = {}
    for k, v in (params or {}).items():
        term = resolve_parameter(store, v)
        if k in resources and isinstance(term, Literal):
            raise ValueError(f"no agency, zone or other resource is labelled {v!r} (parameter {k}); "
                             f"check the name, or give its IRI")
        subs[Variable(k)] = term
    kwargs = {"use_default_graph_as_union": True}
    if subs:
        kwargs["substitutions"] = subs
        text = with_values_hint(text, subs)
    ordering = client_ordering(text)
    if ordering is not None:  # the same rows in the same order, sorted here (see client_ordering)
        unordered, keys = ordering
        order = _sorted_rows(_execute(store, unordered, kwargs), keys)
        if order is not None:
            return order
    return _execute(store, text, kwargs)


# the lexical pieces of SPARQL that may hold a "WHERE {" that is not one: IRIs, long and short
# strings, comments (a "<" that does not open an IRI is an operator)
_SKIP = re.compile(
    r"<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|#[^\n]*")
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def with_values_hint(text: str, subs: dict) -> str:
    """``text`` with ``VALUES (?a ?b) { (<a> "b") }`` of the substituted terms opening its first
    (outermost) ``WHERE {`` group, or ``text`` itself when it has none.

    With the terms also bound by substitution, the block restricts nothing: it gives Oxigraph's
    planner the values to start from (measured on the 10 MB benchmark store: tasks-of-agency
    193 → 75 ms, supporters-of 111 → 32 ms, same rows in the same order).  The terms are pyoxigraph
    ``NamedNode``/``Literal`` objects, written in their validated N-Triples form, so a parameter can
    never change the query's structure.
    """
    pos = 0
    while True:
        where = _WHERE.search(text, pos)
        if where is None:
            return text
        skip = _SKIP.search(text, pos)
        if skip is None or skip.start() > where.start():  # nothing before it could hide it: the keyword
            variables = " ".join(str(v) for v in subs)
            values = " ".join(str(t) for t in subs.values())
            return f"{text[:where.end()]}\n  VALUES ({variables}) {{ ({values}) }}{text[where.end():]}"
        pos = skip.end()


def _execute(store, text: str, kwargs: dict):
    try:
        result = store.query(text, **kwargs)
    except RuntimeError as exc:
        if "projection" in str(exc):
            raise ValueError(f"{exc}: a parameter must be a variable the query SELECTs") from exc
        raise
    if isinstance(result, QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, QueryTriples):
        return QueryResult("graph", triples=tuple(result))
    assert isinstance(result, QuerySolutions)
    variables = tuple(v.value for v in result.variables)
    rows = tuple(map(tuple, result))  # a solution iterates over its values in the order of the variables
    return QueryResult("select", variables, rows)


# A final ORDER BY of plain variables (each bare or in ASC()/DESC()), nothing after it.
_ORDER_BY = re.compile(r"\bORDER\s+BY((?:\s*(?:(?:ASC|DESC)\s*\(\s*[?$]\w+\s*\)|[?$]\w+))+)\s*\Z", re.I)
_ORDER_KEY = re.compile(r"(?:(ASC|DESC)\s*\(\s*)?[?$](\w+)", re.I)
_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte",
                              "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_STRING = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_LEXICAL = {XSD + t for t in ("date", "gYear", "gYearMonth")}  # no time zones in our data: lexical = chronological


def client_ordering(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The query without its comments and its final ``ORDER BY``, and the sort keys ``(variable, descending)``, when
    that clause orders by plain variables; None otherwise (the engine orders).

    Oxigraph's on-disk store orders solutions by decoding the compared strings from its
    dictionary at every comparison: on the 10 MB benchmark corpus ``ORDER BY`` was 40–55 % of the
    time of the named queries returning thousands of rows (assignment-provenance 5.3 s → 2.9 s
    without it).  Sorting the decoded rows in Python costs milliseconds."""
    # without comments (whole-line or after the clause: "ORDER BY ?x  # by name"); IRIs and
    # strings are skipped whole, so a "#" inside them is kept
    body = _SKIP.sub(lambda m: "" if m.group().startswith("#") else m.group(), text).rstrip()
    m = _ORDER_BY.search(body)
    if not m or re.search(r"\b(LIMIT|OFFSET)\b", body[m.start():], re.I):
        return None
    keys = [(name, (direction or "").upper() == "DESC") for direction, name in _ORDER_KEY.findall(m.group(1))]
    return body[:m.start()], keys


def _order_key(term) -> tuple[str | None, tuple]:
    """The kind of a term for ordering and its sort key in solution order (SPARQL 1.1 §15.1, as
    Oxigraph orders): unbound, blank nodes, IRIs, then literals.  The kind is None for a literal
    only the engine can place (NaN, infinities, unparsable numbers, other datatypes)."""
    from decimal import Decimal, InvalidOperation

    if term is None:
        return "unbound", (0, 0, "")
    if isinstance(term, NamedNode):
        return "iri", (2, 0, term.value)
    if not isinstance(term, Literal):
        return "blank", (1, 0, term.value)
    dt = term.datatype.value if term.datatype is not None else XSD + "string"
    if dt in _NUMERIC:
        try:
            number = Decimal(term.value.strip())
        except (InvalidOperation, ValueError):
            return None, ()
        return ("number" if number.is_finite() else None), (3, 1, number)
    if dt in _STRING:
        return "string", (3, 2, term.value)
    return (dt if dt in _LEXICAL else None), (3, 3, term.value)


def _sorted_rows(result: QueryResult, keys: list[tuple[str, bool]]) -> QueryResult | None:
    """``result`` ordered by ``keys``, or None when a key is not projected or a column holds
    literals whose relative order only the engine defines (numbers and strings, dates of two
    types, NaN …)."""
    if result.kind != "select":
        return None
    index = {v: i for i, v in enumerate(result.variables)}
    if any(name not in index for name, _ in keys):
        return None
    order = list(range(len(result.rows)))
    for name, descending in reversed(keys):  # stable sorts, last key first
        i = index[name]
        kinds, keyed = set(), {}  # each distinct term keyed once: columns repeat years, units, files
        for term in {row[i] for row in result.rows}:
            kind, keyed[term] = _order_key(term)
            if kind is None:
                return None
            kinds.add(kind)
        if len(kinds - {"unbound", "blank", "iri"}) > 1:
            return None
        column = [keyed[row[i]] for row in result.rows]
        order.sort(key=column.__getitem__, reverse=descending)
    return QueryResult("select", result.variables, tuple(result.rows[i] for i in order))


def _label(store, term) -> str | None:
    if not isinstance(term, NamedNode):
        return None
    for pred in (SKOS_PREF, RDFS_LABEL):
        for q in store.quads_for_pattern(term, pred, None, None):
            return q.object.value
    return None


def _plain(term) -> str:
    return "" if term is None else term.value


def format_result(store, result: QueryResult, fmt: str = "table") -> str:
    """Render a result: ``table`` (IRIs shown with their labels), ``csv``, ``tsv``, ``json``.

    Graph results (CONSTRUCT/DESCRIBE) are Turtle, or N-Triples with ``fmt="nt"``.
    """
    if result.kind == "ask":
        return json.dumps({"boolean": result.boolean}) if fmt == "json" else ("true" if result.boolean else "false")
    if result.kind == "graph":
        from pyoxigraph import serialize

        return serialize(result.triples, format=RdfFormat.N_TRIPLES if fmt == "nt" else RdfFormat.TURTLE).decode("utf-8")
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([_plain(t) for t in row])
        return buf.getvalue()
    if fmt == "json":
        rows = []
        for row in result.rows:
            rows.append({v: _json_term(t) for v, t in zip(result.variables, row) if t is not None})
        return json.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": rows}},
                          ensure_ascii=False, indent=2)
    # table
    cells = [list(result.variables)]
    for row in result.rows:
        line = []
        for t in row:
            label = _label(store, t)
            line.append(f"{label} <{t.value}>" if label else _plain(t))
        cells.append(line)
    widths = [max(_width(r[i]) for r in cells) for i in range(len(result.variables))] if result.variables else []
    out = []
    for k, r in enumerate(cells):
        out.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append(f"({len(result.rows)} rows)")
    return "\n".join(out)


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _json_term(t) -> dict:
    if isinstance(t, NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, Literal):
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d
    return {"type": "bnode", "value": t.value}
