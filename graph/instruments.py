"""Policy-instrument coding matrices, and agency successions for analytics over time.

Coding matrices
    :func:`coding_matrix` counts the measures coded with each instrument type
    (Rothwell & Zegveld; ``ontology/instruments.ttl``) per document, per lead
    agency, per pilot zone or per year, read from the graph through SPARQL —
    the classic "instrument type × X" table of policy-instrument studies.

Successions
    :func:`follow_successions` merges predecessor agencies into their successors
    in a networkx graph (重庆市工商行政管理局 → 重庆市市场监督管理局), so that a
    network spanning a reform can be read as today's bodies; :func:`add_succession_edges`
    instead draws each succession as an edge with ``role="succession"`` for views.

Evaluation
    :func:`score_instruments` scores the codings against the optional
    ``instruments`` lists of gold tasks (and ``measures``).
"""
from __future__ import annotations

import copy
from typing import Iterable

import networkx as nx
import pandas as pd

from policykg.graph.projections import PREFIXES, query_rows

INSTRUMENT_NS = "https://w3id.org/policykg/instrument/"
BY_CHOICES = ("document", "agency", "zone", "year")
LEVELS = ("type", "dimension")
NO_DATE = "n.d."

CODINGS_QUERY = PREFIXES + """
SELECT DISTINCT ?prov ?docName ?date ?type ?conf ?heading ?number WHERE {
  ?prov pk:qualifiedInstrument ?c ; pk:inDocument ?doc .
  ?c pk:instrument ?type ; pk:confidence ?conf .
  ?doc pk:sourceFile ?docName .
  OPTIONAL { ?doc dct:issued ?date }
  OPTIONAL { ?prov pk:heading ?heading }
  OPTIONAL { ?prov pk:number ?number }
}
"""
PARENTS_QUERY = PREFIXES + """
SELECT DISTINCT ?p ?parent WHERE { ?p a pk:Provision ; dct:isPartOf ?parent . ?parent a pk:Provision . }
"""
LEADS_QUERY = PREFIXES + """
SELECT DISTINCT ?task ?agent ?label ?collective WHERE {
  ?task pk:lead ?agent . ?agent skos:prefLabel ?label .
  BIND(EXISTS { ?agent a pk:CollectiveActor } AS ?collective)
}
"""
ZONES_QUERY = PREFIXES + """
SELECT DISTINCT ?p ?zone ?label WHERE { ?p pk:concernsZone ?zone . ?zone skos:prefLabel ?label . }
"""
SUCCESSIONS_QUERY = PREFIXES + """
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?ev ?date ?source ?comment ?rel ?o WHERE {
  ?ev a org:ChangeEvent .
  OPTIONAL { ?ev dct:date ?date }
  OPTIONAL { ?ev dct:source ?source }
  OPTIONAL { ?ev rdfs:comment ?comment }
  VALUES ?relp { org:originalOrganization org:resultingOrganization pk:principalSuccessor pk:placedUnder }
  ?ev ?relp ?o .
  BIND(STRAFTER(STR(?relp), "#") AS ?rel)
}
"""
LABELS_QUERY = PREFIXES + """
SELECT DISTINCT ?o ?label WHERE { ?o skos:prefLabel ?label . VALUES ?o { %s } }
"""


def _v(term) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


# ---------------------------------------------------------------------------------------------
# codings and matrices


def _scheme():
    from policykg.builders.extract.instruments import TYPES, scheme

    return TYPES, scheme()


def instrument_codings(store, *, min_confidence: float = 0.0) -> pd.DataFrame:
    """Every (measure, instrument type) coding in the graph, one row each.

    Columns: ``provision`` (IRI), ``document`` (source file), ``year``, ``number``,
    ``heading``, ``instrument`` (type id), ``notation`` ("environment/finance"),
    ``dimension``, ``confidence``.
    """
    types, _ = _scheme()
    rows = []
    for sol in query_rows(store, CODINGS_QUERY):
        iri = _v(sol["type"])
        inst = iri[len(INSTRUMENT_NS):] if iri.startswith(INSTRUMENT_NS) else iri
        if inst not in types:
            continue
        conf = float(_v(sol["conf"]) or 0)
        if conf + 1e-9 < min_confidence:
            continue
        date = _v(sol["date"])
        rows.append({
            "provision": _v(sol["prov"]), "document": _v(sol["docName"]),
            "year": int(date[:4]) if date[:4].isdigit() else None,
            "number": _v(sol["number"]), "heading": _v(sol["heading"]), "instrument": inst,
            "notation": f"{types[inst]}/{inst}", "dimension": types[inst], "confidence": conf,
        })
    cols = ["provision", "document", "year", "number", "heading", "instrument", "notation", "dimension", "confidence"]
    df = pd.DataFrame(rows, columns=cols)
    if len(df):
        df = df.sort_values(["document", "provision", "instrument"]).drop_duplicates(["provision", "instrument"])
    return df.reset_index(drop=True)


def _ancestors(store) -> dict[str, str]:
    return {_v(s["p"]): _v(s["parent"]) for s in query_rows(store, PARENTS_QUERY)}


def _with_ancestors(p: str, parents: dict[str, str]):
    seen = set()
    while p and p not in seen:
        seen.add(p)
        yield p
        p = parents.get(p, "")


def _columns_for(store, df: pd.DataFrame, by: str, *, collectives: bool, succession_map: dict[str, str],
                 labels: dict[str, str]) -> dict[str, list[str]]:
    """provision → the column keys it counts for."""
    out: dict[str, list[str]] = {}
    if by == "document":
        for p, d in zip(df["provision"], df["document"]):
            out[p] = [d]
            labels[d] = d
    elif by == "year":
        for p, y in zip(df["provision"], df["year"]):
            key = str(int(y)) if y is not None and not pd.isna(y) else NO_DATE
            out[p] = [key]
            labels[key] = key
    elif by == "agency":
        parents = _ancestors(store)
        leads: dict[str, list[str]] = {}
        for sol in query_rows(store, LEADS_QUERY):
            if _v(sol["collective"]) == "true" and not collectives:
                continue
            agent = succession_map.get(_v(sol["agent"]), _v(sol["agent"]))
            leads.setdefault(_v(sol["task"]), [])
            if agent not in leads[_v(sol["task"])]:
                leads[_v(sol["task"])].append(agent)
            labels.setdefault(_v(sol["agent"]), _v(sol["label"]))
        for p in df["provision"].unique():
            # the measure's own lead, or the nearest enclosing task's
            for q in _with_ancestors(p, parents):
                if q in leads:
                    out[p] = leads[q]
                    break
        missing = {a for cols in out.values() for a in cols if a not in labels}
        labels.update(_labels(store, missing))
        missing -= set(labels)
        if missing:
            labels.update({k: v for k, v in _bundled_labels().items() if k in missing})
    elif by == "zone":
        parents = _ancestors(store)
        zones: dict[str, list[str]] = {}
        for sol in query_rows(store, ZONES_QUERY):
            zones.setdefault(_v(sol["p"]), []).append(_v(sol["zone"]))
            labels[_v(sol["zone"])] = _v(sol["label"])
        for p in df["provision"].unique():
            cols = []
            for q in _with_ancestors(p, parents):
                for z in zones.get(q, []):
                    if z not in cols:
                        cols.append(z)
            if cols:
                out[p] = cols
    else:
        raise ValueError(f"unknown --by {by!r}: use one of {', '.join(BY_CHOICES)}")
    return out


def coding_matrix(store, by: str = "document", *, level: str = "type", min_confidence: float = 0.0,
                  follow_successions: bool = False, until: str | int | None = None,
                  collectives: bool = False) -> pd.DataFrame:
    """Instrument type × ``by`` matrix: the number of measures coded with each type.

    Parameters
    ----------
    by : ``"document"`` (source files), ``"agency"`` (the measure's lead agency, or the lead of
        the nearest enclosing task; measures without one are not counted), ``"zone"`` (pilot
        zones the measure or an enclosing provision concerns) or ``"year"`` (issue year).
    level : ``"type"`` (16 rows, e.g. ``environment/finance``) or ``"dimension"`` (supply,
        environment, demand; a measure counts once per dimension).
    min_confidence : ignore codings below this confidence.
    follow_successions : with ``by="agency"``, count a predecessor's measures for its successor
        (see :func:`successor_map`); ``until`` limits the reforms followed.
    collectives : with ``by="agency"``, also count collective leads (各区县知识产权局 …).

    Returns
    -------
    A DataFrame of ints: index = instrument codes in scheme order (all of them, zeros
    included), columns = the ``by`` keys in sorted order, labelled (agency and zone columns
    by their preferred labels).  ``df.attrs`` holds ``by``, ``level``, ``column_ids``
    (label → IRI or key) and ``coded_measures`` (distinct coded measures per column).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use type or dimension")
    types, _ = _scheme()
    df = instrument_codings(store, min_confidence=min_confidence)
    smap = successor_map(store, until=until) if (follow_successions and by == "agency") else {}
    labels: dict[str, str] = {}
    cols_of = _columns_for(store, df, by, collectives=collectives, succession_map=smap, labels=labels)
    index = [f"{d}/{t}" for t, d in types.items()] if level == "type" else ["supply", "environment", "demand"]
    cells: dict[tuple[str, str], set[str]] = {}
    coded: dict[str, set[str]] = {}
    for p, notation_, dim in zip(df["provision"], df["notation"], df["dimension"]):
        row = notation_ if level == "type" else dim
        for col in cols_of.get(p, []):
            cells.setdefault((row, col), set()).add(p)
            coded.setdefault(col, set()).add(p)
    col_keys = sorted(coded, key=lambda c: (labels.get(c, c), c))
    names = _unique_names([labels.get(c, c) for c in col_keys], col_keys)
    data = {name: [len(cells.get((r, c), ())) for r in index] for name, c in zip(names, col_keys)}
    out = pd.DataFrame(data, index=pd.Index(index, name="instrument"), columns=names, dtype=int)
    out.attrs.update({"by": by, "level": level, "column_ids": dict(zip(names, col_keys)),
                      "coded_measures": {n: len(coded[c]) for n, c in zip(names, col_keys)},
                      "follow_successions": bool(smap)})
    return out


def _unique_names(names: list[str], keys: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return [n if seen[n] == 1 else f"{n} <{k}>" for n, k in zip(names, keys)]


def _labels(store, iris: Iterable[str]) -> dict[str, str]:
    iris = sorted(set(iris))
    if not iris:
        return {}
    q = LABELS_QUERY % " ".join(f"<{i}>" for i in iris)
    out = {}
    for sol in query_rows(store, q):
        out.setdefault(_v(sol["o"]), _v(sol["label"]))
    return out


# ---------------------------------------------------------------------------------------------
# successions


def succession_events(store=None):
    """Successions as :class:`~policykg.ontology.successions.Succession` values whose
    organisations are IRIs, read from ``store`` (any graph).  When the store holds none (or
    ``store`` is None) the bundled ``successions.tsv`` is used, minted with the default base
    IRI (``$POLICYKG_BASE``)."""
    from policykg.ontology.iris import Iris, base_from_env
    from policykg.ontology.successions import Succession, load_successions

    events: dict[str, dict] = {}
    if store is not None:
        for sol in query_rows(store, SUCCESSIONS_QUERY):
            ev = events.setdefault(_v(sol["ev"]), {"date": "", "source": "", "comment": "", "originalOrganization": [],
                                                   "resultingOrganization": [], "principalSuccessor": [],
                                                   "placedUnder": []})
            ev["date"] = ev["date"] or _v(sol["date"])
            ev["source"] = ev["source"] or _v(sol["source"])
            ev["comment"] = ev["comment"] or _v(sol["comment"])
            o = _v(sol["o"])
            if o not in ev[_v(sol["rel"])]:
                ev[_v(sol["rel"])].append(o)
    if not events:
        iris = Iris(base_from_env())
        return tuple(Succession(str(iris.change_event(e.key)), e.date, tuple(str(iris.agency(n)) for n in e.original),
                                tuple(str(iris.agency(n)) for n in e.resulting),
                                str(iris.agency(e.under)) if e.under else "", e.source) for e in load_successions())
    out = []
    for key, ev in sorted(events.items()):
        resulting = sorted(ev["resultingOrganization"])
        principal = ev["principalSuccessor"][0] if ev["principalSuccessor"] else None
        if principal in resulting:
            resulting.remove(principal)
            resulting.insert(0, principal)
        source = ev["comment"] or ev["source"]
        out.append(Succession(key, ev["date"] or "0000", tuple(sorted(ev["originalOrganization"])), tuple(resulting),
                              ev["placedUnder"][0] if ev["placedUnder"] else "", source))
    return tuple(sorted(out, key=lambda e: (e.date, e.key)))


def successor_map(store=None, *, until: str | int | None = None, splits: str = "principal",
                  events=None) -> dict[str, str]:
    """Agency IRI → IRI of its latest successor (chains followed; see
    :func:`policykg.ontology.successions.resolve_successors` for ``until`` and ``splits``)."""
    from policykg.ontology.successions import resolve_successors

    return resolve_successors(events if events is not None else succession_events(store), until=until, splits=splits)


def _merge_value(old, new):
    if isinstance(old, list) and isinstance(new, list):
        out = list(old)
        for x in new:
            if x not in out:
                out.append(x)
        return out
    return old


def follow_successions(G: nx.Graph, store=None, *, until: str | int | None = None, splits: str = "principal",
                       events=None) -> nx.Graph:
    """A copy of ``G`` in which predecessor agencies are merged into their successors.

    Contract
    --------
    * Input: any networkx graph whose node keys are agency IRIs (the projections of
      :mod:`policykg.graph.projections`); ``store`` is the build's store (its
      ``org:ChangeEvent`` are read; without any, the bundled ``successions.tsv`` is used).
    * A node is merged when a reform *ended* it: mergers and renamings map it to the one
      resulting body, a split to its principal successor (``splits="keep"`` leaves split
      bodies alone).  Chains are followed (A → B → C merges A into C).  Bodies that continue
      (重新组建, or placed under another body, e.g. 国家知识产权局 in 2018) are never merged.
      ``until`` (a year or ISO date) follows only reforms that may have happened by then.
    * The successor node keeps its own attributes when it is in ``G``; otherwise it is
      created with the first predecessor's attributes and the successor's ``label`` (its
      ``skos:prefLabel``).  List attributes (``documents``, ``provenance`` …) are united.
      The node gets ``merged_from``: the sorted IRIs of the nodes merged into it, and
      ``merged_labels``: their labels.  Nodes that absorbed nothing get no such attribute.
    * Edges are re-attached to the merged nodes: parallel edges of a simple graph are
      combined (``weight`` summed, list attributes united, other attributes of the first
      kept); edges between a predecessor and its own successor become self-loops and are
      dropped.  Multigraphs keep parallel edges.
    * ``G`` is not modified.  The result's ``graph`` attribute gains ``successions_followed``
      (sorted ``(predecessor, successor)`` pairs applied) and ``succession_self_loops_dropped``.
    """
    mapping = successor_map(store, until=until, splits=splits, events=events)
    H = G.__class__()
    H.graph.update(copy.deepcopy(G.graph))
    applied = sorted((n, mapping[n]) for n in G if n in mapping)
    target = {n: mapping.get(n, n) for n in G}
    new_labels = _labels(store, {t for n, t in applied if t not in G}) if store is not None else {}
    missing = {t for _, t in applied if t not in G and t not in new_labels}
    if missing:
        new_labels.update({k: v for k, v in _bundled_labels().items() if k in missing})

    # nodes that stay first, so a successor present in G keeps its own attributes
    for n, data in sorted(G.nodes(data=True), key=lambda x: (x[0] in mapping, str(x[0]))):
        t = target[n]
        if t not in H:
            attrs = copy.deepcopy(dict(data))
            if t != n:
                attrs["label"] = new_labels.get(t, attrs.get("label", t))
            H.add_node(t, **attrs)
        else:
            cur = H.nodes[t]
            for k, v in data.items():
                if k in cur:
                    cur[k] = _merge_value(cur[k], copy.deepcopy(v))
                else:
                    cur[k] = copy.deepcopy(v)
        if t != n:
            cur = H.nodes[t]
            cur["merged_from"] = sorted(set(cur.get("merged_from", [])) | {n})
            cur["merged_labels"] = sorted(set(cur.get("merged_labels", [])) | {str(data.get("label", n))})

    dropped = 0
    if G.is_multigraph():
        for u, v, data in G.edges(data=True):
            tu, tv = target[u], target[v]
            if tu == tv and u != v:
                dropped += 1
                continue
            H.add_edge(tu, tv, **copy.deepcopy(dict(data)))
    else:
        for u, v, data in G.edges(data=True):
            tu, tv = target[u], target[v]
            if tu == tv and u != v:
                dropped += 1
                continue
            if H.has_edge(tu, tv):
                cur = H[tu][tv]
                for k, val in data.items():
                    if k == "weight" and isinstance(cur.get(k), (int, float)) and isinstance(val, (int, float)):
                        cur[k] = cur[k] + val
                    elif k in cur:
                        cur[k] = _merge_value(cur[k], copy.deepcopy(val))
                    else:
                        cur[k] = copy.deepcopy(val)
            else:
                H.add_edge(tu, tv, **copy.deepcopy(dict(data)))
    H.graph["successions_followed"] = applied
    H.graph["succession_self_loops_dropped"] = dropped
    return H


def _bundled_labels() -> dict[str, str]:
    from policykg.ontology.iris import Iris, base_from_env
    from policykg.ontology.successions import load_successions

    iris = Iris(base_from_env())
    out = {}
    for e in load_successions():
        for name in (*e.original, *e.resulting, *([e.under] if e.under else [])):
            out[str(iris.agency(name))] = name
    return out


def succession_edges(store=None, *, include_reassignments: bool = False) -> list[tuple[str, str, dict]]:
    """Each succession as ``(predecessor IRI, successor IRI, attributes)`` with
    ``role="succession"``, ``weight=1``, ``date``, ``kind`` (merger, renaming, split,
    restructuring) and ``provenance`` (the source of the fact).  With
    ``include_reassignments``, a body placed under another gives an edge to that body with
    ``kind="reassignment"`` (still role "succession" — draw it only if you mean it)."""
    out = []
    for ev in succession_events(store):
        attrs = {"role": "succession", "weight": 1, "date": ev.date, "kind": ev.kind, "event": ev.key,
                 "provenance": [{"document": ev.source_document, "quote": ev.source}]}
        for pred in ev.ended:
            for succ in ev.resulting:
                out.append((pred, succ, dict(attrs, principal=(ev.principal in (None, succ)))))
        if include_reassignments and ev.under:
            for body in ev.continuing:
                out.append((body, ev.under, dict(attrs, kind="reassignment")))
    return sorted(out, key=lambda e: (e[2]["date"], e[0], e[1]))


def add_succession_edges(G: nx.Graph, store=None, *, add_missing: bool = False,
                         include_reassignments: bool = False) -> int:
    """Draw successions into ``G`` (in place) as edges with ``role="succession"``.

    Only between nodes already in ``G``, unless ``add_missing`` (then the other end is added
    with its label and ``kind="gov"``).  A simple graph that already has an edge between the
    two keeps it (a multigraph gets a parallel edge).  Returns the number of edges added.
    """
    edges = succession_edges(store, include_reassignments=include_reassignments)
    ends = {x for u, v, _ in edges for x in (u, v)}
    labels = _labels(store, ends) if store is not None else {}
    labels = {**_bundled_labels(), **labels}
    added = 0
    for u, v, attrs in edges:
        if not add_missing and (u not in G or v not in G):
            continue
        if u not in G and v not in G:
            continue
        for n in (u, v):
            if n not in G:
                G.add_node(n, label=labels.get(n, n), kind="gov", documents=[], provenance=[])
        if G.is_multigraph() or not G.has_edge(u, v):
            G.add_edge(u, v, **attrs)
            added += 1
    return added


# ---------------------------------------------------------------------------------------------
# evaluation


def score_instruments(store, gold: dict):
    """Score the instrument codings of one document against its gold annotation.

    Gold items are the ``tasks`` and ``measures`` entries that carry an ``instruments`` list
    (codes such as ``"environment/finance"``, ids, or zh/en labels; ``[]`` asserts that the
    measure is unclassifiable).  Each is matched to the system provision of that document
    whose heading matches its title (the rule of the gold format: equal, or one contains the
    other and the shorter has ≥ 6 characters; on ties, the one whose number equals ``id``).
    Pairs (measure, type) are compared: a gold type the system does not give is a false
    negative, a system type on a matched measure not in gold a false positive (system codings
    of measures the gold does not annotate are not counted).

    Returns a :class:`policykg.graph.evaluate.Score` (``.as_dict()`` → precision, recall, f1,
    tp, fp, fn).
    """
    from policykg.builders.extract.instruments import parse_instrument
    from policykg.graph.evaluate import Score, norm, titles_match

    items = [x for x in (*gold.get("tasks", []), *gold.get("measures", [])) if "instruments" in x]
    score = Score()
    if not items:
        return score
    df = instrument_codings(store)
    df = df[df["document"] == gold["doc"]]
    provs = _provisions_of(store, gold["doc"])
    coded: dict[str, set[str]] = {}
    for p, inst in zip(df["provision"], df["instrument"]):
        coded.setdefault(p, set()).add(inst)
    used: set[str] = set()
    for item in items:
        want = {parse_instrument(x) for x in item["instruments"]}
        cands = [(iri, h, n) for iri, h, n in provs if iri not in used and titles_match(item.get("title", ""), h)]
        cands.sort(key=lambda c: (norm(c[2]) != norm(item.get("id", "") or ""), c[0]))
        if not cands:
            score.fn += len(want)
            continue
        iri = cands[0][0]
        used.add(iri)
        got = coded.get(iri, set())
        score.tp += len(want & got)
        score.fp += len(got - want)
        score.fn += len(want - got)
    return score


def _provisions_of(store, doc_name: str) -> list[tuple[str, str, str]]:
    from pyoxigraph import Literal, Variable

    q = PREFIXES + """SELECT DISTINCT ?name ?p ?h ?n WHERE {
      ?doc pk:sourceFile ?name . ?p pk:inDocument ?doc ; a pk:Provision ; pk:heading ?h .
      OPTIONAL { ?p pk:number ?n } }"""
    out = []
    for sol in store.query(q, use_default_graph_as_union=True, substitutions={Variable("name"): Literal(doc_name)}):
        out.append((_v(sol["p"]), _v(sol["h"]), _v(sol["n"])))
    return sorted(out)
