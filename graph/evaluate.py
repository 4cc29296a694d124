"""``policykg eval``: score the graph against hand annotations in the gold format.

The rules are those of the gold format's SCHEMA.md.  Scoring reads the RDF
graph through SPARQL (not an internal structure), so it measures what users
get.  Every comparison is on normalised strings: NFKC, traditional →
simplified, all whitespace removed.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx

Q = """PREFIX pk: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
AGENTS = Q + """SELECT DISTINCT ?name ?agent ?label ?collective WHERE {
  ?doc pk:sourceFile ?name ; pk:mentions ?agent .
  { ?agent a pk:Agency } UNION { ?agent a pk:CollectiveActor }
  { ?agent skos:prefLabel ?label } UNION { ?agent skos:altLabel ?label }
  BIND(EXISTS { ?agent a pk:CollectiveActor } AS ?collective)
}"""
ASSIGN = Q + """SELECT DISTINCT ?name ?task ?title ?agent ?role WHERE {
  VALUES (?p ?role) { (pk:lead "lead") (pk:responsible "responsible") (pk:support "support") (pk:division "division") }
  ?doc pk:sourceFile ?name . ?task pk:inDocument ?doc ; ?p ?agent .
  OPTIONAL { ?task pk:heading ?title }
}"""
ZONES = Q + """SELECT DISTINCT ?name ?zone ?label ?industry WHERE {
  ?doc pk:sourceFile ?name ; pk:mentions ?zone . ?zone a pk:PilotZone .
  { ?zone skos:prefLabel ?label } UNION { ?zone skos:altLabel ?label }
  OPTIONAL { ?zone pk:hasIndustry ?ind . ?doc pk:mentions ?ind . ?ind skos:prefLabel ?industry }
}"""
MECHS = Q + """SELECT DISTINCT ?name ?label WHERE {
  ?doc pk:sourceFile ?name ; pk:mentions ?m . ?m a pk:Mechanism ; skos:prefLabel ?label .
}"""
TARGETS = Q + """SELECT DISTINCT ?name ?t ?value ?unit ?year WHERE {
  ?doc pk:sourceFile ?name . ?t a pk:Target ; pk:inDocument ?doc ; pk:value ?value ; pk:unit ?unit .
  OPTIONAL { ?t pk:targetYear ?year }
}"""
KEYS = ("agencies", "assignments", "assignment_pairs", "zones", "zone_industries", "mechanisms", "targets", "instruments")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """NFKC, traditional → simplified, whitespace removed."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _t2s().convert(s)
    return re.sub(r"\s+", "", s)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        if self.tp + self.fp + self.fn == 0:
            p = r = f = 1.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _matching(left: list, right: list, ok) -> int:
    """Size of a maximum one-to-one matching between ``left`` and ``right`` under ``ok``."""
    G = nx.Graph()
    G.add_nodes_from((("L", i) for i in range(len(left))), bipartite=0)
    G.add_nodes_from((("R", j) for j in range(len(right))), bipartite=1)
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if ok(a, b):
                G.add_edge(("L", i), ("R", j))
    if G.number_of_edges() == 0:
        return 0
    top = [n for n in G if n[0] == "L"]
    return len(nx.bipartite.maximum_matching(G, top_nodes=top)) // 2


def titles_match(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 6 and short in long_


def mechanisms_match(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and short in long_ and len(short) >= 0.7 * len(long_)


def _rows(store, query, name):
    from pyoxigraph import Literal, Variable

    return list(store.query(query, use_default_graph_as_union=True, substitutions={Variable("name"): Literal(name)}))


def _v(term):
    return None if term is None else term.value


def score_document(store, gold: dict) -> dict[str, dict]:
    """Scores of one document (``gold`` is one parsed gold file)."""
    name = gold["doc"]
    # -- agencies
    sys_labels: dict[str, set[str]] = {}
    for r in _rows(store, AGENTS, name):
        sys_labels.setdefault(_v(r["agent"]), set()).add(norm(_v(r["label"])))
    gold_agencies = [(a, {norm(m) for m in a.get("mentions", [])} | {norm(a["canonical"])}) for a in gold.get("agencies", [])]
    real = [g for g in gold_agencies if g[0].get("kind") != "collective"]
    coll = [g for g in gold_agencies if g[0].get("kind") == "collective"]
    sys_items = sorted(sys_labels.items())
    tp = _matching(real, sys_items, lambda g, s: bool(g[1] & s[1]))
    fp = sum(1 for _, labels in sys_items if not any(labels & g[1] for g in gold_agencies))
    agencies = Score(tp, fp, len(real) - tp)
    coll_found = _matching(coll, sys_items, lambda g, s: bool(g[1] & s[1]))
    collective_recall = round(coll_found / len(coll), 4) if coll else 1.0

    def gold_forms(mention: str) -> set[str]:
        n = norm(mention)
        for _, forms in gold_agencies:
            if n in forms:
                return forms
        return {n}

    # -- assignments
    sys_assign = []
    for r in _rows(store, ASSIGN, name):
        sys_assign.append((_v(r["title"]) or "", sys_labels.get(_v(r["agent"]), set()) or {""}, _v(r["role"]),
                           _v(r["task"]), _v(r["agent"])))
    gold_assign = []
    for t in gold.get("tasks", []):
        for role in ("lead", "responsible", "support", "division"):
            for m in t.get(role, []):
                gold_assign.append((t["title"], gold_forms(m), role))
    if not sys_labels:
        pass
    for a in sys_assign:
        if a[1] == {""}:
            pass

    def assign_ok(g, s):
        return g[2] == s[2] and titles_match(g[0], s[0]) and bool(g[1] & _all_labels(store, s[4], name, sys_labels))

    tp = _matching(gold_assign, sys_assign, assign_ok)
    assignments = Score(tp, len(sys_assign) - tp, len(gold_assign) - tp)
    gold_pairs = list({(g[0], frozenset(g[1])) for g in gold_assign})
    sys_pairs = list({(s[0], s[3], s[4]) for s in sys_assign})
    tp = _matching(gold_pairs, sys_pairs,
                   lambda g, s: titles_match(g[0], s[0]) and bool(g[1] & _all_labels(store, s[2], name, sys_labels)))
    pairs = Score(tp, len(sys_pairs) - tp, len(gold_pairs) - tp)

    # -- zones and industries
    sys_zone_labels: dict[str, set[str]] = {}
    sys_zone_ind: set[tuple[str, str]] = set()
    for r in _rows(store, ZONES, name):
        sys_zone_labels.setdefault(_v(r["zone"]), set()).add(norm(_v(r["label"])))
        if r["industry"] is not None:
            sys_zone_ind.add((_v(r["zone"]), norm(_v(r["industry"]))))
    gold_zones = [({norm(z["name"])} | {norm(m) for m in z.get("mentions", [])}, z) for z in gold.get("zones", [])]
    zitems = sorted(sys_zone_labels.items())
    tp = _matching(gold_zones, zitems, lambda g, s: norm(g[1]["name"]) in s[1] or bool(g[0] & s[1]))
    zones = Score(tp, sum(1 for _, l in zitems if not any(l & g[0] for g in gold_zones)), len(gold_zones) - tp)
    gold_zi = [(g[0], norm(i)) for g in gold_zones for i in g[1].get("industries", [])]
    sys_zi = sorted(sys_zone_ind)
    tp = _matching(gold_zi, sys_zi, lambda g, s: g[1] == s[1] and bool(g[0] & sys_zone_labels.get(s[0], set())))
    zone_industries = Score(tp, len(sys_zi) - tp, len(gold_zi) - tp)

    # -- mechanisms
    sys_mech = sorted({norm(_v(r["label"])) for r in _rows(store, MECHS, name)})
    gold_mech = sorted({norm(m) for m in gold.get("mechanisms", [])})
    tp = _matching(gold_mech, sys_mech, mechanisms_match)
    mechanisms = Score(tp, len(sys_mech) - tp, len(gold_mech) - tp)

    # -- targets
    sys_t = []
    for r in _rows(store, TARGETS, name):
        year = r["year"]
        sys_t.append((float(_v(r["value"])), norm(_v(r["unit"])), int(_v(year)) if year is not None else None))
    gold_t = [(float(t["value"]), norm(t["unit"]), t.get("year")) for t in gold.get("targets", [])]
    tp = _matching(gold_t, sys_t, lambda g, s: abs(g[0] - s[0]) < 1e-6 * max(1.0, abs(g[0])) and g[1] == s[1]
                   and (g[2] is None or g[2] == s[2]))
    targets = Score(tp, len(sys_t) - tp, len(gold_t) - tp)

    from policykg.graph.instruments import score_instruments

    return {"agencies": agencies, "collective_recall": collective_recall, "collective_counts": (coll_found, len(coll)),
            "instruments": score_instruments(store, gold),
            "assignments": assignments, "assignment_pairs": pairs, "zones": zones,
            "zone_industries": zone_industries, "mechanisms": mechanisms, "targets": targets}


def _gold_network(golds: list[dict]) -> nx.Graph:
    """The coordination network a researcher would draw from the gold assignments (collectives left out)."""
    G = nx.Graph()
    for gold in golds:
        forms = [(a, {norm(m) for m in a.get("mentions", [])} | {norm(a["canonical"])}) for a in gold.get("agencies", [])]

        def key(mention: str):
            n = norm(mention)
            for a, f in forms:
                if n in f:
                    return None if a.get("kind") == "collective" else norm(a["canonical"])
            return n

        for i, t in enumerate(gold.get("tasks", [])):
            members = sorted({k for role in ("lead", "responsible", "support", "division") for m in t.get(role, [])
                              if (k := key(m))})
            G.add_nodes_from(members)
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    u, v = members[x], members[y]
                    G.add_edge(u, v, weight=G[u][v]["weight"] + 1 if G.has_edge(u, v) else 1)
    return G


def _system_network(store, golds: list[dict]) -> nx.Graph:
    """The system's coordination network of the same documents, with nodes renamed to the gold agencies they match."""
    from policykg.graph.projections import Filters, coordination_network

    S = coordination_network(store, Filters(documents=tuple(g["doc"] for g in golds)))
    names = {}
    labels_of = {}
    for gold in golds:
        name = gold["doc"]
        for r in _rows(store, AGENTS, name):
            labels_of.setdefault(_v(r["agent"]), set()).add(norm(_v(r["label"])))
        for a in gold.get("agencies", []):
            f = {norm(m) for m in a.get("mentions", [])} | {norm(a["canonical"])}
            for agent, labels in labels_of.items():
                if labels & f and agent not in names:
                    names[agent] = norm(a["canonical"])
    return nx.relabel_nodes(S, {n: names.get(n, norm(S.nodes[n].get("label", n))) for n in S}, copy=True)


def network_agreement(store, golds: list[dict], top: int = 5) -> dict:
    """Does extraction change the conclusions?  Gold vs system coordination network.

    Spearman rank correlation of degree and of betweenness (over the agencies of either network;
    an agency missing from one counts 0 there), Jaccard overlap of the edge sets, and the top-N
    agencies by degree in each with their overlap.
    """
    from scipy.stats import spearmanr

    G, S = _gold_network(golds), _system_network(store, golds)
    nodes = sorted(set(G) | set(S))
    out: dict = {"gold_agencies": G.number_of_nodes(), "system_agencies": S.number_of_nodes()}
    for measure in ("degree", "betweenness"):
        if measure == "degree":
            a = [G.degree(n) if n in G else 0 for n in nodes]
            b = [S.degree(n) if n in S else 0 for n in nodes]
        else:
            bg, bs = nx.betweenness_centrality(G), nx.betweenness_centrality(S)
            a = [bg.get(n, 0.0) for n in nodes]
            b = [bs.get(n, 0.0) for n in nodes]
        if len(nodes) >= 2 and len(set(a)) > 1 and len(set(b)) > 1:
            rho = float(spearmanr(a, b).statistic)
        else:
            rho = 1.0 if a == b else 0.0
        out[f"spearman_{measure}"] = round(rho, 4)
    eg = {frozenset(e) for e in G.edges()}
    es = {frozenset(e) for e in S.edges()}
    out["edge_jaccard"] = round(len(eg & es) / len(eg | es), 4) if eg | es else 1.0

    def top_n(H):
        return [n for n, _ in sorted(H.degree(), key=lambda x: (-x[1], x[0]))[:top]]

    tg, ts = top_n(G), top_n(S)
    out[f"top{top}_gold"], out[f"top{top}_system"] = tg, ts
    out[f"top{top}_overlap"] = len(set(tg) & set(ts))
    out[f"top{top}_size"] = max(len(tg), len(ts))
    out[f"top{top}_agree"] = set(tg) == set(ts)
    return out


def _all_labels(store, agent: str, name: str, cache: dict) -> set[str]:
    return cache.get(agent, set())


def load_gold(gold_dir: str | Path) -> list[dict]:
    """Every ``*.json`` gold file in ``gold_dir`` (sorted by name)."""
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold annotation files (*.json) in {gold_dir}")
    out = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{f}: not valid JSON: {exc}") from exc
        if "doc" not in data:
            raise ValueError(f"{f}: a gold file needs a 'doc' field naming the document")
        out.append(data)
    return out


def evaluate(gold_dir: str | Path, docs_dir: str | Path | None = None, *, store=None) -> dict:
    """Build the documents the gold files name and score them.

    Parameters
    ----------
    gold_dir : folder of gold ``*.json`` files.
    docs_dir : folder holding the documents (default: the bundled seeds).
    store : an existing pyoxigraph store to score instead of building.

    Returns
    -------
    ``{"micro": {...}, "documents": {name: {...}}}`` as in the CLI's ``--json``.
    """
    golds = load_gold(gold_dir)
    if store is None:
        store = build_store_for([g["doc"] for g in golds], docs_dir)
    per_doc = {}
    micro = {k: Score() for k in KEYS}
    coll_found = coll_total = 0
    for g in golds:
        s = score_document(store, g)
        for k in KEYS:
            micro[k].add(s[k])
        coll_found += s["collective_counts"][0]
        coll_total += s["collective_counts"][1]
        per_doc[g["doc"]] = {k: s[k].as_dict() for k in KEYS} | {"collective_recall": s["collective_recall"]}
    out_micro = {k: micro[k].as_dict() for k in KEYS}
    out_micro["collective_recall"] = round(coll_found / coll_total, 4) if coll_total else 1.0
    for g in golds:
        per_doc[g["doc"]]["network"] = network_agreement(store, [g])
    out_micro["network"] = network_agreement(store, golds)
    return {"micro": out_micro, "documents": per_doc}


def build_store_for(names: list[str], docs_dir: str | Path | None):
    """An in-memory store with the named documents built (from ``docs_dir`` or the bundled seeds)."""
    from pyoxigraph import Store

    from policykg.builders.model import DocumentError
    from policykg.builders.pipeline import Builder, bundled_seeds

    builder = Builder()
    store = Store()
    if docs_dir is None:
        seeds = {d.name: d for d in bundled_seeds()}
        sources = []
        for n in names:
            if n not in seeds:
                raise FileNotFoundError(f"{n} is not a bundled seed: pass --docs with the folder holding it")
            sources.append(seeds[n])
        results = [builder.build_raw(s) for s in sources]
    else:
        results = []
        for n in names:
            path = Path(docs_dir) / n
            if not path.exists():
                raise FileNotFoundError(f"{path}: the gold file names a document that is not in {docs_dir}")
            try:
                results.append(builder.build_path(path))
            except DocumentError as exc:
                raise ValueError(str(exc)) from exc
    from pyoxigraph import RdfFormat

    for r in results:
        store.load("\n".join(r.assembled.nquads_lines()).encode("utf-8"), format=RdfFormat.N_QUADS)
    return store


def format_table(result: dict) -> str:
    """A plain-text table: one line per document and metric, plus the micro average."""
    cols = KEYS
    head = f"{'document':<32}" + "".join(f"{c[:14]:>16}" for c in cols) + f"{'collective R':>14}"
    lines = [head, "-" * len(head)]

    def row(name, d):
        return f"{name[:32]:<32}" + "".join(f"{d[c]['f1']:>8.3f} ({d[c]['tp']:>2}/{d[c]['tp'] + d[c]['fn']:>2})"[:16].rjust(16)
                                             for c in cols) + f"{d['collective_recall']:>14.3f}"

    for name, d in sorted(result["documents"].items()):
        lines.append(row(name, d))
    lines.append("-" * len(head))
    lines.append(row("micro", result["micro"]))
    lines.append("cells: F1 (true positives / gold items)")
    lines.append("")
    lines.append("Network agreement (gold vs extracted coordination network):")
    lines.append(f"{'document':<32}{'Spearman deg':>14}{'Spearman btw':>14}{'edge Jaccard':>14}{'top-5 overlap':>15}")
    for name, d in sorted(result["documents"].items()) + [("all documents", result["micro"])]:
        n = d["network"]
        lines.append(f"{name[:32]:<32}{n['spearman_degree']:>14.3f}{n['spearman_betweenness']:>14.3f}"
                     f"{n['edge_jaccard']:>14.3f}{str(n['top5_overlap']) + '/' + str(n['top5_size']):>15}")
    return "\n".join(lines)
