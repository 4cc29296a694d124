"""Interactive, self-contained HTML views of policy knowledge-graph projections.

``render_html`` turns a networkx projection (nodes keyed by IRI, with ``label``,
``kind``, ``size_value`` and ``provenance`` attributes; edges with ``role``,
``weight`` and ``provenance``) into ONE offline HTML file:

* vis-network's JS and CSS are inlined from the copy bundled with pyvis, so the
  page loads nothing from the network (no CDN, no remote fonts);
* all graph data travel as JSON inside ``<script type="application/json">``
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, parsed with
  ``JSON.parse``; tooltips and the side panel are built as DOM nodes with
  ``textContent``, so labels and quotes taken from documents are never
  interpreted as HTML;
* a Content-Security-Policy allows only the page's own two inline scripts
  (by hash) and no fetches at all, as a second line of defence.

pyvis provides the ``Network`` object that carries the vis options (physics
solver, stabilisation, smoothing); node and edge lists are built here directly
(adding edges one by one through pyvis is quadratic) and rendered with this
package's own Jinja2 template ``templates/view.html.j2``.

The page exposes, for tests and for scripting in a browser console:

* ``window.__policykgNetwork = {nodes, edges, network}`` (vis DataSets and the
  ``vis.Network`` instance);
* ``window.__policykgStabilized`` which becomes ``true`` once the layout is
  final (physics switched off after ``stabilizationIterationsDone``, or at once
  when positions are given).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import functools
import hashlib
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx

__all__ = ["ViewInfo", "render_html", "screenshot", "KIND_STYLES", "ROLE_STYLES"]

# ---------------------------------------------------------------------------
# Fixed palette
# ---------------------------------------------------------------------------

#: Node styling per ``kind``: fill, border, vis shape, dashed border, legend text.
#: Agency kinds are all dots with distinct saturated colours; the collective
#: actor is a light dot with a dashed border; the other kinds get their own
#: shape so they remain distinguishable in greyscale prints.
KIND_STYLES: dict[str, dict[str, Any]] = {
    "gov": {"color": "#1f5fa8", "border": "#143f70", "shape": "dot", "dashed": False,
            "legend": "Government department 政府部门"},
    "judicial": {"color": "#6c3483", "border": "#4a235a", "shape": "dot", "dashed": False,
                 "legend": "Judicial organ 审判机关"},
    "procuratorate": {"color": "#a04000", "border": "#6e2c00", "shape": "dot", "dashed": False,
                      "legend": "Procuratorate 检察机关"},
    "party": {"color": "#c0392b", "border": "#7b241c", "shape": "dot", "dashed": False,
              "legend": "Party organ 党委部门"},
    "legislature": {"color": "#7e5109", "border": "#4d3206", "shape": "dot", "dashed": False,
                    "legend": "Legislature 人大"},
    "zone_admin": {"color": "#117a65", "border": "#0b5345", "shape": "dot", "dashed": False,
                   "legend": "Zone administration 园区管理机构"},
    "institution": {"color": "#34495e", "border": "#1c2833", "shape": "dot", "dashed": False,
                    "legend": "Public institution 事业单位"},
    "association": {"color": "#b03a8e", "border": "#78285f", "shape": "dot", "dashed": False,
                    "legend": "Association 社会组织"},
    "leading_group": {"color": "#e67e22", "border": "#a04000", "shape": "dot", "dashed": False,
                      "legend": "Leading group 领导小组"},
    # projections.KIND_NAMES maps pk:Division (规划发展处 …) to "division"
    "division": {"color": "#5dade2", "border": "#21618c", "shape": "dot", "dashed": False,
                 "legend": "Internal division 内设处室"},
    "collective": {"color": "#eef1f2", "border": "#7f8c8d", "shape": "dot", "dashed": True,
                   "legend": "Collective actor 集合主体"},
    "task": {"color": "#f7dc6f", "border": "#b7950b", "shape": "square", "dashed": False,
             "legend": "Task 任务"},
    "mechanism": {"color": "#48c9b0", "border": "#148f77", "shape": "diamond", "dashed": False,
                  "legend": "Mechanism 机制"},
    "zone": {"color": "#58d68d", "border": "#1d8348", "shape": "triangle", "dashed": False,
             "legend": "Pilot zone 试点区域"},
    "industry": {"color": "#f1948a", "border": "#b03a2e", "shape": "hexagon", "dashed": False,
                 "legend": "Industry 产业"},
    "document": {"color": "#aab7b8", "border": "#616a6b", "shape": "star", "dashed": False,
                 "legend": "Document 文件"},
    "section": {"color": "#d5dbdb", "border": "#909497", "shape": "dot", "dashed": False,
                "legend": "Section 章节"},
    "other": {"color": "#cccccc", "border": "#888888", "shape": "dot", "dashed": False,
              "legend": "Other 其他"},
}

#: Edge styling per ``role``: colour, base width, dash pattern (False = solid),
#: whether an arrow is drawn even on an undirected graph, legend text.
ROLE_STYLES: dict[str, dict[str, Any]] = {
    "lead": {"color": "#1a237e", "width": 4.0, "dashes": False, "legend": "Lead 牵头"},
    "responsible": {"color": "#3949ab", "width": 2.2, "dashes": False, "legend": "Responsible 负责"},
    "support": {"color": "#5c6bc0", "width": 1.8, "dashes": [8, 5], "legend": "Support 配合"},
    "division": {"color": "#7986cb", "width": 1.8, "dashes": [2, 4], "legend": "Division of labour 分工"},
    "coordination": {"color": "#00897b", "width": 2.0, "dashes": [10, 4, 2, 4],
                     "legend": "Coordination 协调"},
    "contains": {"color": "#9e9e9e", "width": 1.0, "dashes": False, "legend": "Contains 包含"},
    "industry": {"color": "#ef6c00", "width": 1.5, "dashes": False, "legend": "Industry 产业"},
    "mechanism": {"color": "#6d4c41", "width": 1.5, "dashes": [4, 3], "legend": "Mechanism 机制"},
    "succession": {"color": "#c2185b", "width": 2.6, "dashes": False, "legend": "Succession 承继"},
    "coissuance": {"color": "#7cb342", "width": 1.5, "dashes": [6, 3], "legend": "Co-issuance 联合发文"},
    "other": {"color": "#b0b0b0", "width": 1.0, "dashes": False, "legend": "Other 其他"},
}

CJK_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", '
                  '"Microsoft YaHei", "PingFang SC", sans-serif')

#: Above these sizes edges are drawn straight and the layout uses forceAtlas2.
LARGE_NODES = 150
LARGE_EDGES = 400

MIN_NODE_SIZE = 10.0
MAX_NODE_SIZE = 40.0

#: Limits on untrusted text carried into the page (keeps files small).
MAX_LABEL_CHARS = 300
MAX_QUOTE_CHARS = 400
MAX_DOC_CHARS = 300
MAX_PROVENANCE_ITEMS = 8

_VIS_DIR = ("lib", "vis-9.1.2")
_TEMPLATE_NAME = "view.html.j2"
_DATA_ELEMENT_ID = "policykg-data"


@dataclass(frozen=True)
class ViewInfo:
    """What ``render_html`` wrote."""

    path: Path
    nodes_shown: int
    nodes_total: int
    capped: bool
    edges_shown: int

    def _repr_html_(self) -> str:
        """Shown inline in Jupyter: the page itself in an iframe (srcdoc: works offline, no server)."""
        import html as _html

        page = Path(self.path).read_text(encoding="utf-8")
        return (f'<iframe srcdoc="{_html.escape(page, quote=True)}" style="width:100%;height:640px;border:0"'
                f' sandbox="allow-scripts"></iframe>')


# ---------------------------------------------------------------------------
# Assets and template
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _vis_assets() -> tuple[str, str]:
    """vis-network JS and CSS from pyvis's bundled copy, safe to inline."""
    base = resources.files("pyvis").joinpath(*_VIS_DIR)
    js = base.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = base.joinpath("vis-network.css").read_text(encoding="utf-8")
    # A source-map comment would make devtools try to load a sibling file.
    # (split on "\n" only: str.splitlines would also cut at U+2028 etc.
    # inside string literals)
    js = "\n".join(line for line in js.split("\n")
                   if not line.lstrip().startswith("//# sourceMappingURL="))
    css = "\n".join(line for line in css.split("\n")
                    if "sourceMappingURL=" not in line)
    return _inline_safe(js, "script"), _inline_safe(css, "style")


def _inline_safe(code: str, element: str) -> str:
    """Make sure inlined code cannot close its element early.

    Only ``</script`` (``</style``) ends the element; inside JS string literals,
    regexes and comments ``<\\/script`` means the same. ``<!--`` would switch
    the HTML parser into the "escaped" script state, so refuse it.
    """
    if element == "script" and "<!--" in code:
        raise ValueError("inline script contains '<!--'")
    return re.sub("</(" + element + ")", lambda m: "<\\/" + m.group(1), code, flags=re.I)


def _templates_dir() -> Path:
    return Path(__file__).resolve().parent / "templates"


@functools.lru_cache(maxsize=None)
def _own_asset(name: str) -> str:
    text = (_templates_dir() / name).read_text(encoding="utf-8")
    return _inline_safe(text, "script" if name.endswith(".js") else "style")


@functools.lru_cache(maxsize=None)
def _template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(_TEMPLATE_NAME)


def _csp_hash(script_text: str) -> str:
    digest = hashlib.sha256(script_text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# ---------------------------------------------------------------------------
# Cleaning untrusted values
# ---------------------------------------------------------------------------


def _text(value: Any, limit: int) -> str:
    """A str that is valid UTF-8 (no lone surrogates) and at most ``limit`` chars."""
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        s = bytes(value).decode("utf-8", "replace")
    else:
        s = value if isinstance(value, str) else str(value)
    s = s.encode("utf-8", "replace").decode("utf-8")
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def _number(value: Any, default: float = 0.0) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return default
    return x if math.isfinite(x) else default


def _local_name(iri: str) -> str:
    """Fallback label: the part of an IRI after its last '#', '/' or ':'."""
    stem = iri.rstrip("#/")
    cut = max(stem.rfind("#"), stem.rfind("/"), stem.rfind(":"))
    return stem[cut + 1:] or iri


def _display_label(label: str) -> str:
    """Canvas label: one line of text, wrapped every 12 characters, 3 lines max.

    Chinese names have no spaces for vis to wrap on, so wrap by length.
    """
    flat = " ".join(label.split())
    if len(flat) <= 14:
        return flat
    lines = [flat[i:i + 12] for i in range(0, len(flat), 12)]
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:11] + "…"
    return "\n".join(lines)


def _provenance(value: Any) -> tuple[list[dict[str, str]], int]:
    """Normalise a provenance attribute to [{"document", "quote"}], plus the
    number of further items left out of the page."""
    if value is None:
        return [], 0
    if isinstance(value, Mapping):
        items: Iterable[Any] = [value]
    elif isinstance(value, (str, bytes)):
        items = [{"quote": value}]
    else:
        try:
            items = list(value)
        except TypeError:
            return [], 0
    out: list[dict[str, str]] = []
    for item in items:
        task = ""
        if isinstance(item, Mapping):
            doc = _text(item.get("document", ""), MAX_DOC_CHARS)
            quote = _text(item.get("quote", ""), MAX_QUOTE_CHARS)
            task = _text(item.get("task", ""), MAX_LABEL_CHARS)  # coordination edges name the task
        else:
            doc, quote = "", _text(item, MAX_QUOTE_CHARS)
        if doc or quote:
            entry = {"document": doc, "quote": quote}
            if task:
                entry["task"] = task
            out.append(entry)
    extra = max(0, len(out) - MAX_PROVENANCE_ITEMS)
    return out[:MAX_PROVENANCE_ITEMS], extra


def _pack_provenance(nodes: list[dict], edges: list[dict]) -> tuple[list[str], list[dict], list[dict]]:
    """Provenance items as indices into one table of strings: [document, quote] or
    [document, quote, task].  The quote of a task is repeated on every edge between two of its
    agencies and the document name on every item, so a 1,000-node view holds each string once
    (5.3 MB → under 3 MB on the 10 MB corpus).  The page script expands them when it loads."""
    index: dict[str, int] = {}
    strings: list[str] = []

    def ref(s: str) -> int:
        i = index.get(s)
        if i is None:
            i = index[s] = len(strings)
            strings.append(s)
        return i

    def pack(items: list[dict]) -> list[list[int]]:
        out = []
        for p in items:
            row = [ref(p.get("document", "")), ref(p.get("quote", ""))]
            if p.get("task"):
                row.append(ref(p["task"]))
            out.append(row)
        return out

    return (strings, [{**n, "prov": pack(n["prov"])} for n in nodes], [{**e, "prov": pack(e["prov"])} for e in edges])


def read_page_data(html: str) -> dict:
    """The data block of a view page, with provenance expanded to {"document", "quote", "task"}
    dicts as the page script sees it (for checking or re-using what a view shows)."""
    m = re.search(rf'<script type="application/json" id="{_DATA_ELEMENT_ID}">(.*?)</script>', html, re.S)
    if m is None:
        raise ValueError("not a policykg view page: no data block")
    data = json.loads(m.group(1))
    strings = data.get("strings", [])

    def expand(items):
        out = []
        for row in items:
            p = {"document": strings[row[0]], "quote": strings[row[1]]}
            if len(row) > 2:
                p["task"] = strings[row[2]]
            out.append(p)
        return out

    for item in (*data["nodes"], *data["edges"]):
        item["prov"] = expand(item.get("prov", []))
    return data


def _script_json(obj: Any) -> str:
    """JSON that can sit inside a <script> element without ending it."""
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                   allow_nan=False)
    return (s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
             .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# ---------------------------------------------------------------------------
# Graph -> page data
# ---------------------------------------------------------------------------


def _select_nodes(G, ids: dict[Any, str], size_by: str, max_nodes: int) -> list[Any]:
    """All nodes, or the ``max_nodes`` most central (size_by desc, degree desc, IRI)."""
    nodes = list(G.nodes)
    if len(nodes) <= max_nodes:
        return nodes
    degree = dict(G.degree())
    ranked = sorted(
        nodes,
        key=lambda n: (-_number(G.nodes[n].get(size_by)), -degree.get(n, 0), ids[n]),
    )
    return ranked[:max_nodes]


def _node_sizes(values: dict[str, float]) -> dict[str, float]:
    """sqrt-scaled sizes in [MIN_NODE_SIZE, MAX_NODE_SIZE]."""
    if not values:
        return {}
    roots = {k: math.sqrt(max(v, 0.0)) for k, v in values.items()}
    lo, hi = min(roots.values()), max(roots.values())
    if hi - lo <= 1e-12:
        mid = round((MIN_NODE_SIZE + MAX_NODE_SIZE) / 3, 2)
        return {k: mid for k in roots}
    span = MAX_NODE_SIZE - MIN_NODE_SIZE
    return {k: round(MIN_NODE_SIZE + span * (r - lo) / (hi - lo), 2) for k, r in roots.items()}


def _scaled_positions(positions: Mapping[Any, Any], ids: dict[Any, str],
                      shown: set[str]) -> dict[str, tuple[float, float]]:
    """Positions for the shown nodes, scaled to a canvas-sized box.

    Layouts from networkx live in [-1, 1]; vis draws nodes 10–40 px wide, so
    coordinates are scaled uniformly (aspect kept) so that the larger extent is
    about 120 px per sqrt(node); y is flipped (networkx/matplotlib y points up,
    canvas y points down).
    """
    raw: dict[str, tuple[float, float]] = {}
    for key, value in positions.items():
        try:
            nid = ids.get(key, str(key))
        except TypeError:  # unhashable key
            continue
        if nid not in shown:
            continue
        try:
            x, y = value[0], value[1]
        except (TypeError, IndexError, KeyError):
            continue
        x, y = _number(x, math.nan), _number(y, math.nan)
        if math.isnan(x) or math.isnan(y):
            continue
        raw[nid] = (x, -y)
    if not raw:
        return {}
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    target = max(600.0, 120.0 * math.sqrt(len(raw)))
    scale = target / extent if extent > 0 else 1.0
    return {k: (round((x - cx) * scale, 2), round((y - cy) * scale, 2)) for k, (x, y) in raw.items()}


def _edge_width(role_style: Mapping[str, Any], weight: float) -> float:
    bonus = 0.35 * min(math.log2(weight), 4.0) if weight > 1 else 0.0
    return round(role_style["width"] * (1.0 + bonus), 2)


def _build_data(G, *, size_by: str, max_nodes: int,
                positions: Mapping[Any, Any] | None) -> dict[str, Any]:
    ids: dict[Any, str] = {}
    seen: dict[str, Any] = {}
    for n in G.nodes:
        nid = n if isinstance(n, str) else str(n)
        if nid in seen:
            raise ValueError(f"two nodes share the id {nid!r}")
        seen[nid] = n
        ids[n] = nid

    selected = _select_nodes(G, ids, size_by, max_nodes)
    selected.sort(key=lambda n: ids[n])
    shown = {ids[n] for n in selected}

    # Size: the size_by attribute; degree when no node carries it.
    has_attr = any(size_by in G.nodes[n] for n in selected)
    sub_degree = dict(G.degree(selected)) if not has_attr else {}
    raw_sizes = {
        ids[n]: (_number(G.nodes[n].get(size_by)) if has_attr else float(sub_degree.get(n, 0)))
        for n in selected
    }
    sizes = _node_sizes(raw_sizes)
    pos = _scaled_positions(positions, ids, shown) if positions else {}

    nodes_out: list[dict[str, Any]] = []
    kinds_present: set[str] = set()
    for n in selected:
        attrs = G.nodes[n]
        nid = ids[n]
        kind = attrs.get("kind")
        kind = kind if isinstance(kind, str) and kind in KIND_STYLES else "other"
        kinds_present.add(kind)
        label = _text(attrs.get("label"), MAX_LABEL_CHARS).strip() or _text(_local_name(nid), MAX_LABEL_CHARS)
        prov, prov_more = _provenance(attrs.get("provenance"))
        meta = {}
        for key in ("jurisdiction", "level"):
            if attrs.get(key) not in (None, ""):
                meta[key] = _text(attrs.get(key), MAX_DOC_CHARS)
        if size_by in attrs:
            meta[size_by] = _text(_fmt_number(_number(attrs.get(size_by))), 40)
        node = {
            "id": nid,
            "label": label,
            "display": _display_label(label),
            "kind": kind,
            "size": sizes[nid],
            "prov": prov,
            "meta": meta,
        }
        if prov_more:
            node["provMore"] = prov_more
        if nid in pos:
            node["x"], node["y"] = pos[nid]
        nodes_out.append(node)

    # Edges of the induced subgraph, sorted, endpoints normalised for undirected graphs.
    directed = G.is_directed()
    multi = G.is_multigraph()
    raw_edges = []
    edge_iter = G.edges(keys=True, data=True) if multi else ((u, v, None, d) for u, v, d in G.edges(data=True))
    for u, v, k, d in edge_iter:
        su, sv = ids[u], ids[v]
        if su not in shown or sv not in shown:
            continue
        if not directed and sv < su:
            su, sv = sv, su
        raw_edges.append((su, sv, "" if k is None else str(k), d))
    raw_edges.sort(key=lambda e: (e[0], e[1], e[2]))

    # Edges that would lie on top of each other get a curve index: reciprocal
    # edges of a digraph curve to opposite sides, parallel edges fan out.
    ordered_count: dict[tuple[str, str], int] = {}
    for e in raw_edges:
        ordered_count[(e[0], e[1])] = ordered_count.get((e[0], e[1]), 0) + 1
    ordinal: dict[tuple[str, str], int] = {}

    edges_out: list[dict[str, Any]] = []
    roles_present: set[str] = set()
    for i, (su, sv, _k, d) in enumerate(raw_edges):
        role = d.get("role")
        role = role if isinstance(role, str) and role in ROLE_STYLES else "other"
        roles_present.add(role)
        weight = _number(d.get("weight"), 1.0)
        prov, prov_more = _provenance(d.get("provenance"))
        edge = {
            "id": f"e{i}",
            "from": su,
            "to": sv,
            "role": role,
            "weight": weight,
            "width": _edge_width(ROLE_STYLES[role], weight),
            "prov": prov,
        }
        if prov_more:
            edge["provMore"] = prov_more
        if su != sv:
            k = ordinal[(su, sv)] = ordinal.get((su, sv), 0) + 1
            if ordered_count[(su, sv)] > 1 or (directed and (sv, su) in ordered_count):
                edge["curve"] = k
        edges_out.append(edge)

    return {
        "nodes": nodes_out,
        "edges": edges_out,
        "directed": directed,
        "kinds": sorted(kinds_present, key=list(KIND_STYLES).index),
        "roles": sorted(roles_present, key=list(ROLE_STYLES).index),
        "has_positions": bool(pos),
    }


def _fmt_number(x: float) -> str:
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _vis_options(*, directed: bool, n_nodes: int, n_edges: int, physics_iterations: int,
                 has_positions: bool) -> dict[str, Any]:
    """vis options, configured through a pyvis Network and extended."""
    from pyvis.network import Network

    large = n_nodes > LARGE_NODES or n_edges > LARGE_EDGES
    net = Network(directed=directed, cdn_resources="local")
    if large:
        net.force_atlas_2based(gravity=-60, central_gravity=0.01, spring_length=110,
                               spring_strength=0.06, damping=0.5, overlap=0.2)
    else:
        net.barnes_hut(gravity=-9000, central_gravity=0.25, spring_length=170,
                       spring_strength=0.03, damping=0.2, overlap=0.3)
    stabilize = physics_iterations > 0 and not has_positions
    net.toggle_physics(stabilize)
    net.toggle_stabilization(stabilize)
    net.options.physics.stabilization.iterations = max(int(physics_iterations), 0)
    net.options.physics.stabilization.updateInterval = 25
    net.options.edges.inherit_colors(False)
    # Straight edges; edges that would overlap are curved one by one in JS.
    net.options.edges.smooth.enabled = False
    net.toggle_hide_edges_on_drag(n_edges > 1500)

    options = json.loads(net.options.to_json())
    options["physics"]["minVelocity"] = 0.75
    options["physics"]["maxVelocity"] = 60
    if large:
        # Barnes-Hut repulsion dominates the cost; a coarser opening angle
        # (vis default 0.5) halves the time per iteration on ~1,000 nodes.
        options["physics"]["forceAtlas2Based"]["theta"] = 1.0
    options["layout"] = {"randomSeed": 7, "improvedLayout": n_nodes <= 100}
    options["interaction"].update({
        "hover": True,
        "tooltipDelay": 120,
        "multiselect": False,
        "navigationButtons": False,
        "keyboard": False,
    })
    options["nodes"] = {
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {"face": CJK_FONT_STACK, "size": 14, "color": "#1b1b1b",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
    }
    options["edges"].update({
        "font": {"face": CJK_FONT_STACK, "size": 11},
        "selectionWidth": 2,
        "hoverWidth": 1.5,
        "arrows": {"to": {"enabled": bool(directed), "scaleFactor": 0.6}},
    })
    return options


def _legend_kinds(kinds: list[str]) -> list[dict[str, Any]]:
    rows = []
    for k in kinds:
        s = KIND_STYLES[k]
        rows.append({"kind": k, "color": s["color"], "border": s["border"], "shape": s["shape"],
                     "dashed": s["dashed"], "legend": s["legend"]})
    return rows


def _legend_roles(roles: list[str], directed: bool) -> list[dict[str, Any]]:
    rows = []
    for r in roles:
        s = ROLE_STYLES[r]
        dashes = s["dashes"]
        rows.append({"role": r, "color": s["color"], "width": s["width"],
                     "dasharray": " ".join(str(x) for x in dashes) if dashes else "",
                     "arrow": bool(directed), "legend": s["legend"]})
    return rows


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def render_html(G, path, *, title: str, caption: str = "", max_nodes: int = 200,
                size_by: str = "size_value", physics_iterations: int = 200,
                positions: dict | None = None) -> ViewInfo:
    """Write an interactive, offline HTML view of ``G`` to ``path``.

    G: networkx Graph/DiGraph (Multi* accepted) following the projections
    contract. ``title`` and ``caption`` (sources and build date, supplied by
    the caller) are shown as text. If ``G`` has more than ``max_nodes`` nodes,
    the ``max_nodes`` with the largest ``size_by`` (ties: degree, then IRI) are
    kept with the edges among them, and the page says so. ``positions`` (node
    -> (x, y), e.g. from a networkx layout) fixes the layout and turns physics
    off (coordinates are rescaled uniformly to canvas pixels and y is flipped
    so the picture matches matplotlib; nodes without a position are placed by
    vis's seeded random layout); otherwise vis lays the graph out for
    ``physics_iterations`` stabilisation iterations (0 = no layout) and then
    switches physics off. Sizes are the sqrt-scaled ``size_by`` values
    (degree when no shown node has that attribute). Node ids in the page are
    ``str(node)``. Output is deterministic for the same input. The file is
    written atomically (temp file in the same directory + os.replace).
    """
    if not isinstance(G, (nx.Graph,)):
        raise TypeError("G must be a networkx graph")
    if int(max_nodes) < 1:
        raise ValueError("max_nodes must be at least 1")
    max_nodes = int(max_nodes)
    physics_iterations = int(physics_iterations)
    path = Path(os.path.abspath(os.fspath(path)))

    data = _build_data(G, size_by=size_by, max_nodes=max_nodes, positions=positions)
    n_total = G.number_of_nodes()
    n_shown = len(data["nodes"])
    capped = n_shown < n_total
    options = _vis_options(directed=data["directed"], n_nodes=n_shown,
                           n_edges=len(data["edges"]), physics_iterations=physics_iterations,
                           has_positions=data["has_positions"])
    stabilize = bool(options["physics"]["enabled"]) and n_shown > 0

    strings, nodes_packed, edges_packed = _pack_provenance(data["nodes"], data["edges"])
    page_data = {
        "strings": strings,
        "nodes": nodes_packed,
        "edges": edges_packed,
        "directed": data["directed"],
        "options": options,
        "stabilize": stabilize,
        "kindStyles": {k: KIND_STYLES[k] for k in data["kinds"]},
        "roleStyles": {r: ROLE_STYLES[r] for r in data["roles"]},
    }

    vis_js, vis_css = _vis_assets()
    app_js = _own_asset("view.js")
    app_css = _own_asset("view.css")
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + _csp_hash(vis_js) + " " + _csp_hash(app_js),
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src 'none'",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    cap_note = f"Showing {n_shown} of {n_total} nodes (most central)" if capped else ""

    html = _template().render(
        title=_text(title, 500),
        caption=_text(caption, 4000),
        cap_note=cap_note,
        csp=csp,
        font_stack=CJK_FONT_STACK,
        vis_css=vis_css,
        app_css=app_css,
        vis_js=vis_js,
        app_js=app_js,
        data_json=_script_json(page_data),
        data_element_id=_DATA_ELEMENT_ID,
        legend_kinds=_legend_kinds(data["kinds"]),
        legend_roles=_legend_roles(data["roles"], data["directed"]),
        n_shown=n_shown,
        n_total=n_total,
        n_edges=len(data["edges"]),
        directed=data["directed"],
    )
    _atomic_write_text(path, html)
    return ViewInfo(path=path, nodes_shown=n_shown, nodes_total=n_total, capped=capped,
                    edges_shown=len(data["edges"]))


def _atomic_write_bytes(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _atomic_write_text(path: Path, text: str) -> None:
    _atomic_write_bytes(path, text.encode("utf-8"))


# ---------------------------------------------------------------------------
# PNG export
# ---------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    env = os.environ.get("POLICYKG_CHROMIUM")
    if env:
        return env
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def screenshot(html_path, png_path, *, width: int = 1600, height: int = 1000,
               timeout_s: float = 60.0) -> Path:
    """Render a view written by ``render_html`` to a PNG (e.g. for slides).

    Uses playwright with the system Chromium (``/usr/bin/chromium``, or
    ``$POLICYKG_CHROMIUM``); every non-file request is refused. Waits until the
    layout has stabilised, then writes the PNG atomically and returns its path.
    Works inside a running asyncio loop (Jupyter, or another playwright
    session) by doing the capture on a worker thread.
    """
    html_path = Path(os.path.abspath(os.fspath(html_path)))
    png_path = Path(os.path.abspath(os.fspath(png_path)))
    if not html_path.is_file():
        raise FileNotFoundError(html_path)
    try:
        asyncio.get_running_loop()
        in_loop = True
    except RuntimeError:
        in_loop = False
    if in_loop:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            payload = pool.submit(_capture_png, html_path, int(width), int(height), timeout_s).result()
    else:
        payload = _capture_png(html_path, int(width), int(height), timeout_s)
    _atomic_write_bytes(png_path, payload)
    return png_path


def _capture_png(html_path: Path, width: int, height: int, timeout_s: float) -> bytes:
    from playwright.sync_api import sync_playwright  # lazy: optional test extra

    launch: dict[str, Any] = {"args": CHROMIUM_ARGS, "headless": True}
    exe = _chromium_path()
    if exe:
        launch["executable_path"] = exe
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:", "blob:"))
                       else route.abort())
            page.goto(html_path.as_uri())
            page.wait_for_function("() => window.__policykgStabilized === true",
                                   timeout=timeout_s * 1000)
            # Let the final frame (physics off, fitted) paint.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            return page.screenshot(type="png")
        finally:
            browser.close()
