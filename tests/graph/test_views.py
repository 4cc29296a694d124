"""Tests for policykg.graph.views: offline interactive HTML views.

Browser tests drive the system Chromium (/usr/bin/chromium) through playwright.
They are skipped only when that browser (or playwright) is missing on a
developer machine; under CI (CI set) they always run.
"""

from __future__ import annotations

import json
import os
import random
import re
import struct
import time
from pathlib import Path

import networkx as nx
import pytest

from policykg.graph.views import ROLE_STYLES, ViewInfo, render_html, screenshot

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOT_PNG = "/tmp/policykg_view.png"

B = "http://example.org/policykg/id/"
DOC = "002_渝中区法治宣传教育工作要点.txt"
QUOTE_LEAD = "(区司法局牵头,区委宣传部、区市场监管局等按职责分工负责)"
QUOTE_EDGE = "建立健全区司法局与区市场监管局联席会议制度,定期会商执法协作事项。"
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'


# ---------------------------------------------------------------------------
# Graph builders
# ---------------------------------------------------------------------------


def coordination_graph() -> nx.DiGraph:
    """A small agency -> task coordination projection (Chongqing Yuzhong)."""
    G = nx.DiGraph()

    def node(key, label, kind, size, prov=None, **extra):
        G.add_node(B + key, label=label, kind=kind, size_value=size,
                   provenance=prov or [], **extra)

    lead_prov = [{"document": DOC, "quote": QUOTE_LEAD}]
    node("sfj", "重庆市渝中区司法局", "gov", 0.42, lead_prov, jurisdiction="渝中区", level="district")
    node("scjg", "区市场监管局", "gov", 0.21, [{"document": DOC, "quote": QUOTE_EDGE}])
    node("xcb", "区委宣传部", "party", 0.18)
    node("fy", "区人民法院", "judicial", 0.05)
    node("jcy", "区人民检察院", "procuratorate", 0.04)
    node("gjdw", "各街道、区级有关部门", "collective", 0.0)
    node("t_pf", "深入开展“八五”普法宣传教育", "task", 0.35, lead_prov)
    node("t_zf", "加强市场监管领域行政执法协作", "task", 0.12)
    node("m_lx", "联席会议制度", "mechanism", 0.08)
    node("z_sf", "中新(重庆)战略性互联互通示范项目", "zone", 0.02)
    node("i_sz", "数字经济", "industry", 0.01)

    def edge(u, v, role, weight=1, prov=None):
        G.add_edge(B + u, B + v, role=role, weight=weight, provenance=prov or [])

    edge("sfj", "t_pf", "lead", 3, lead_prov)
    edge("xcb", "t_pf", "responsible", 1, lead_prov)
    edge("scjg", "t_pf", "responsible", 1, lead_prov)
    edge("fy", "t_pf", "support")
    edge("jcy", "t_pf", "division")
    edge("gjdw", "t_pf", "responsible")
    edge("scjg", "t_zf", "lead", 2)
    edge("sfj", "t_zf", "support")
    edge("sfj", "scjg", "coordination", 2,
         [{"document": DOC, "task": "加强市场监管领域行政执法协作", "quote": QUOTE_EDGE}])
    edge("scjg", "sfj", "coordination", 2, [{"document": DOC, "quote": QUOTE_EDGE}])
    edge("sfj", "m_lx", "mechanism")
    edge("t_zf", "i_sz", "industry")
    edge("z_sf", "i_sz", "contains")
    return G


def xss_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    evil_prov = [{"document": XSS_IMG, "quote": XSS_SCRIPT},
                 {"document": "</script><script>window.__xss=1</script>", "quote": XSS_IMG}]
    G.add_node(B + "evil", label=XSS_SCRIPT, kind="gov", size_value=0.9, provenance=evil_prov)
    G.add_node(B + "evil2", label=XSS_IMG, kind="<b>task</b>", size_value=0.5, provenance=evil_prov)
    G.add_node(B + "ok", label="区市场监管局", kind="gov", size_value=0.1)
    G.add_edge(B + "evil", B + "ok", role="lead", weight=1, provenance=evil_prov)
    G.add_edge(B + "evil2", B + "ok", role="<script>", weight="x", provenance=XSS_IMG)
    return G


def large_graph(n=1000, m=3000) -> nx.DiGraph:
    U = nx.gnm_random_graph(n, m, seed=11)
    rnd = random.Random(5)
    kinds = ["gov", "party", "judicial", "collective", "task", "mechanism", "zone", "industry"]
    roles = ["lead", "responsible", "support", "division", "coordination", "industry"]
    G = nx.DiGraph()
    for i in U.nodes:
        G.add_node(f"{B}n{i:04d}", label=f"重庆市渝中区第{i}工作单位", kind=rnd.choice(kinds),
                   size_value=U.degree(i) / m,
                   provenance=[{"document": f"{i % 40:03d}_渝中区文件.txt", "quote": QUOTE_LEAD}])
    for u, v in U.edges:
        G.add_edge(f"{B}n{u:04d}", f"{B}n{v:04d}", role=rnd.choice(roles), weight=rnd.randint(1, 4),
                   provenance=[{"document": f"{u % 40:03d}_渝中区文件.txt", "quote": QUOTE_EDGE}])
    return G


def page_data(html: str) -> dict:
    from policykg.graph.views import read_page_data

    return read_page_data(html)


REMOTE_LOAD = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s*(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""",
    re.I,
)


# ---------------------------------------------------------------------------
# Without a browser
# ---------------------------------------------------------------------------


def test_render_returns_viewinfo_and_writes_utf8(tmp_path):
    out = tmp_path / "sub" / "view.html"
    info = render_html(coordination_graph(), out, title="渝中区协调网络",
                       caption="来源: 002_…txt · 构建 2024-05-01")
    assert isinstance(info, ViewInfo)
    assert info.path == out and out.is_file()
    assert (info.nodes_shown, info.nodes_total, info.capped, info.edges_shown) == (11, 11, False, 13)
    with pytest.raises(Exception):
        info.nodes_shown = 3  # frozen
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "渝中区协调网络" in html and "构建 2024-05-01" in html
    assert '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei"' in html
    # only the final file remains (atomic write through a temp file)
    assert sorted(p.name for p in out.parent.iterdir()) == ["view.html"]


def test_no_remote_loads_in_html(tmp_path):
    info = render_html(coordination_graph(), tmp_path / "v.html", title="t", caption="c")
    html = info.path.read_text(encoding="utf-8")
    assert not REMOTE_LOAD.search(html), REMOTE_LOAD.search(html).group(0)
    assert "sourceMappingURL" not in html
    assert "<link" not in html.lower()


def test_output_is_deterministic(tmp_path):
    a = render_html(coordination_graph(), tmp_path / "a.html", title="t", caption="c")
    # same graph, nodes and edges inserted in another order
    G = coordination_graph()
    H = nx.DiGraph()
    H.add_nodes_from(sorted(G.nodes(data=True), reverse=True))
    H.add_edges_from(sorted(G.edges(data=True), reverse=True))
    b = render_html(H, tmp_path / "b.html", title="t", caption="c")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_data_block_is_escaped_and_round_trips(tmp_path):
    G = xss_graph()
    G.add_node(B + "sep", label="行\u2028分隔\u2029符 & <b>", kind="task", size_value=0.2)
    info = render_html(G, tmp_path / "x.html", title=XSS_SCRIPT, caption=XSS_IMG)
    html = info.path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="policykg-data">(.*?)</script>', html, re.S)
    block = m.group(1)
    for ch in ("<", ">", "&", "\u2028", "\u2029"):
        assert ch not in block
    data = page_data(html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[B + "evil"] == XSS_SCRIPT
    assert labels[B + "evil2"] == XSS_IMG
    assert labels[B + "sep"] == "行\u2028分隔\u2029符 & <b>"
    # unknown kind / role fall back to "other"; a bare-string provenance is kept as a quote
    kinds = {n["id"]: n["kind"] for n in data["nodes"]}
    assert kinds[B + "evil2"] == "other"
    bad = [e for e in data["edges"] if e["from"] == B + "evil2"][0]
    assert bad["role"] == "other" and bad["weight"] == 1.0
    assert bad["prov"] == [{"document": "", "quote": XSS_IMG}]
    # title and caption are escaped HTML text, no live markup from data anywhere
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_provenance_task_is_kept(tmp_path):
    data = page_data(render_html(coordination_graph(), tmp_path / "p.html", title="t")
                     .path.read_text(encoding="utf-8"))
    e = [e for e in data["edges"] if (e["from"], e["to"]) == (B + "sfj", B + "scjg")][0]
    assert e["prov"] == [{"document": DOC, "task": "加强市场监管领域行政执法协作", "quote": QUOTE_EDGE}]


def test_cap_selection_and_legend(tmp_path):
    G = nx.Graph()
    for i in range(30):
        G.add_node(f"{B}n{i:02d}", label=f"单位{i}", kind="gov" if i % 2 else "task",
                   size_value=float(i // 3))  # ties in groups of three
    # degree breaks the tie among 27, 28, 29 (size 9): n27 gets most edges
    G.add_edge(f"{B}n27", f"{B}n00", role="lead")
    G.add_edge(f"{B}n27", f"{B}n01", role="lead")
    G.add_edge(f"{B}n28", f"{B}n02", role="support")
    info = render_html(G, tmp_path / "cap.html", title="t", max_nodes=4)
    assert info.capped and info.nodes_shown == 4 and info.nodes_total == 30
    html = info.path.read_text(encoding="utf-8")
    assert "Showing 4 of 30 nodes (most central)" in html
    data = page_data(html)
    # size 9: n27 (deg 2), n28 (deg 1), n29 (deg 0); then size 8: n24/n25/n26 all deg 0 -> IRI
    assert [n["id"] for n in data["nodes"]] == sorted([f"{B}n27", f"{B}n28", f"{B}n29", f"{B}n24"])
    assert data["edges"] == []  # no edge has both ends among the kept nodes
    assert info.edges_shown == 0
    # legend lists only kinds present; no role legend without edges
    assert set(re.findall(r'data-kind="([a-z_]+)"', html)) == {"gov", "task"}
    assert re.findall(r'data-role="([a-z_]+)"', html) == []

    info2 = render_html(G, tmp_path / "all.html", title="t")
    html2 = info2.path.read_text(encoding="utf-8")
    assert not info2.capped and "Showing" not in html2
    assert set(re.findall(r'data-role="([a-z_]+)"', html2)) == {"lead", "support"}


def test_options_and_styles(tmp_path):
    info = render_html(coordination_graph(), tmp_path / "o.html", title="t", physics_iterations=123)
    data = page_data(info.path.read_text(encoding="utf-8"))
    opts = data["options"]
    assert opts["physics"]["enabled"] is True
    assert opts["physics"]["stabilization"]["iterations"] == 123
    assert opts["physics"].get("solver", "barnesHut") in ("barnesHut", "forceAtlas2Based")
    assert opts["edges"]["smooth"]["enabled"] is False
    assert opts["edges"]["arrows"]["to"]["enabled"] is True
    assert "Noto Sans CJK SC" in opts["nodes"]["font"]["face"]
    # lead thicker than responsible; support dashed; division dotted; succession distinct colour
    rs = data["roleStyles"]
    assert rs["lead"]["width"] > rs["responsible"]["width"]
    assert rs["responsible"]["dashes"] is False and rs["support"]["dashes"] and rs["division"]["dashes"]
    assert ROLE_STYLES["succession"]["color"] not in {
        s["color"] for r, s in ROLE_STYLES.items() if r != "succession"}
    ks = data["kindStyles"]
    assert ks["collective"]["dashed"] is True and ks["gov"]["dashed"] is False
    # reciprocal coordination edges are curved apart, others straight
    curved = {(e["from"], e["to"]) for e in data["edges"] if e.get("curve")}
    assert curved == {(B + "sfj", B + "scjg"), (B + "scjg", B + "sfj")}
    # sizes scaled by size_value
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size[B + "sfj"] > size[B + "scjg"] > size[B + "i_sz"]

    und = render_html(nx.Graph(coordination_graph()), tmp_path / "u.html", title="t")
    udata = page_data(und.path.read_text(encoding="utf-8"))
    assert udata["options"]["edges"]["arrows"]["to"]["enabled"] is False
    assert all(e["from"] < e["to"] for e in udata["edges"])


def test_large_graph_uses_straight_edges_and_fa2(tmp_path):
    info = render_html(large_graph(300, 600), tmp_path / "l.html", title="t", max_nodes=1000)
    opts = page_data(info.path.read_text(encoding="utf-8"))["options"]
    assert opts["edges"]["smooth"]["enabled"] is False
    assert opts["physics"]["solver"] == "forceAtlas2Based"
    assert opts["layout"]["improvedLayout"] is False


def test_sizes_fall_back_to_degree_and_physics_can_be_off(tmp_path):
    G = nx.star_graph(4)  # integer ids, no size_value, no labels
    info = render_html(G, tmp_path / "s.html", title="t", physics_iterations=0)
    data = page_data(info.path.read_text(encoding="utf-8"))
    size = {n["id"]: n["size"] for n in data["nodes"]}
    assert size["0"] > size["1"] == size["4"]
    assert {n["label"] for n in data["nodes"]} == {"0", "1", "2", "3", "4"}
    assert data["options"]["physics"]["enabled"] is False and data["stabilize"] is False


def test_multigraph_parallel_edges_fan_out(tmp_path):
    M = nx.MultiDiGraph()
    M.add_edge(B + "a", B + "b", role="lead")
    M.add_edge(B + "a", B + "b", role="support")
    M.add_edge(B + "b", B + "a", role="succession")
    info = render_html(M, tmp_path / "m.html", title="t")
    assert info.edges_shown == 3
    edges = page_data(info.path.read_text(encoding="utf-8"))["edges"]
    assert [(e["from"][-1], e["to"][-1], e.get("curve")) for e in edges] == [
        ("a", "b", 1), ("a", "b", 2), ("b", "a", 1)]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        render_html(coordination_graph(), tmp_path / "x.html", title="t", max_nodes=0)
    with pytest.raises(TypeError):
        render_html({"a": 1}, tmp_path / "x.html", title="t")


# ---------------------------------------------------------------------------
# In a real headless browser
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    in_ci = bool(os.environ.get("CI"))
    if not os.path.exists(CHROMIUM) and not in_ci:
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright not installed (pip install -e .[test])")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Opened:
    """A page opened on a file:// view, recording requests and errors."""

    def __init__(self, browser, html_path: Path, width=1400, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.url = Path(html_path).resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", on_dialog)
        t0 = time.monotonic()
        self.page.goto(self.url)
        self.goto_s = time.monotonic() - t0

    def wait_stable(self, timeout_ms=20000) -> float:
        t0 = time.monotonic()
        self.page.wait_for_function("() => window.__policykgStabilized === true", timeout=timeout_ms)
        return time.monotonic() - t0

    def foreign_requests(self):
        return [u for u in self.requests
                if u != self.url and not u.startswith(("data:", "blob:"))]

    def dom_point_of_node(self, node_id):
        return self.page.evaluate(
            """(id) => {
                const net = window.__policykgNetwork.network;
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const r = document.getElementById('policykg-graph').getBoundingClientRect();
                return {x: r.left + p.x, y: r.top + p.y};
            }""", node_id)

    def dom_point_of_edge(self, edge_id):
        return self.page.evaluate(
            """(eid) => {
                const d = window.__policykgNetwork;
                const e = d.edges.get(eid);
                const pos = d.network.getPositions([e.from, e.to]);
                const mid = {x: (pos[e.from].x + pos[e.to].x) / 2, y: (pos[e.from].y + pos[e.to].y) / 2};
                const p = d.network.canvasToDOM(mid);
                const r = document.getElementById('policykg-graph').getBoundingClientRect();
                return {x: r.left + p.x, y: r.top + p.y, domx: p.x, domy: p.y};
            }""", edge_id)

    def close(self):
        self.context.close()


@pytest.fixture
def opened(browser):
    pages = []

    def _open(path, **kw):
        o = Opened(browser, path, **kw)
        pages.append(o)
        return o

    yield _open
    for o in pages:
        o.close()


def test_page_offline_datasets_and_stabilisation(tmp_path, opened):
    G = coordination_graph()
    info = render_html(G, tmp_path / "coord.html", title="渝中区协调网络", caption="来源: " + DOC)
    o = opened(info.path)
    waited = o.wait_stable(20000)
    assert waited < 20
    assert o.foreign_requests() == [], o.foreign_requests()
    assert o.requests and o.requests[0] == o.url
    ids = o.page.evaluate("() => window.__policykgNetwork.nodes.getIds()")
    assert sorted(ids) == sorted(G.nodes)
    edges = o.page.evaluate(
        "() => window.__policykgNetwork.edges.get().map(e => [e.from, e.to])")
    assert sorted(map(tuple, edges)) == sorted(G.edges)
    # physics is off after stabilisation
    assert o.page.evaluate(
        "() => window.__policykgNetwork.network.physics.physicsEnabled") is False
    # the tooltip objects are DOM elements, not HTML strings
    assert o.page.evaluate(
        "() => window.__policykgNetwork.nodes.get().every(n => n.title instanceof HTMLElement)")
    assert o.page.evaluate(
        "() => window.__policykgNetwork.edges.get().every(e => e.title instanceof HTMLElement)")
    # title, caption and legend are visible
    assert o.page.inner_text("#policykg-title") == "渝中区协调网络"
    assert DOC in o.page.inner_text("#policykg-caption")
    assert "Lead 牵头" in o.page.inner_text("#policykg-legend")
    assert o.page.query_selector("#policykg-cap-note") is None
    assert o.errors == [], o.errors


def test_click_edge_and_node_show_provenance(tmp_path, opened):
    G = coordination_graph()
    info = render_html(G, tmp_path / "click.html", title="t", caption="c")
    o = opened(info.path)
    o.wait_stable()
    edge_id = o.page.evaluate(
        """(pair) => window.__policykgNetwork.edges.get({filter: e => e.from === pair[0] && e.to === pair[1]})[0].id""",
        [B + "sfj", B + "t_pf"])
    pt = o.dom_point_of_edge(edge_id)
    # the midpoint lies on the (straight) edge and not on a node
    hit = o.page.evaluate(
        "(p) => [window.__policykgNetwork.network.getEdgeAt(p), window.__policykgNetwork.network.getNodeAt(p)]",
        {"x": pt["domx"], "y": pt["domy"]})
    assert hit[0] == edge_id and hit[1] is None
    o.page.mouse.click(pt["x"], pt["y"])
    details = o.page.inner_text("#policykg-details")
    assert QUOTE_LEAD in details and DOC in details
    assert "Lead 牵头" in details
    assert o.page.get_attribute("#policykg-details", "data-selected") == "edge"

    # hover a node: vis shows our DOM tooltip containing the quote
    npt = o.dom_point_of_node(B + "sfj")
    o.page.mouse.move(npt["x"] - 30, npt["y"] - 30)
    o.page.mouse.move(npt["x"], npt["y"], steps=4)
    o.page.wait_for_function(
        "(q) => { const t = document.querySelector('div.vis-tooltip'); "
        "return t && t.style.visibility !== 'hidden' && t.textContent.includes(q); }",
        arg=QUOTE_LEAD, timeout=5000)
    assert "重庆市渝中区司法局" in o.page.inner_text("div.vis-tooltip")

    # click the node: panel shows label, kind, metadata and quote
    o.page.mouse.click(npt["x"], npt["y"])
    details = o.page.inner_text("#policykg-details")
    assert "重庆市渝中区司法局" in details and QUOTE_LEAD in details and "渝中区" in details
    assert o.page.get_attribute("#policykg-details", "data-selected") == "node"
    assert o.errors == [], o.errors
    assert o.foreign_requests() == []


def test_xss_labels_and_quotes_are_inert(tmp_path, opened):
    G = xss_graph()
    info = render_html(G, tmp_path / "xss.html", title=XSS_SCRIPT, caption=XSS_IMG)
    o = opened(info.path)
    o.wait_stable()
    assert o.page.evaluate("() => typeof window.__xss") == "undefined"
    assert o.page.inner_text("#policykg-title") == XSS_SCRIPT
    assert o.page.inner_text("#policykg-caption") == XSS_IMG

    for nid in (B + "evil", B + "evil2"):
        pt = o.dom_point_of_node(nid)
        o.page.mouse.move(pt["x"] - 25, pt["y"] - 25)
        o.page.mouse.move(pt["x"], pt["y"], steps=4)
        o.page.wait_for_function(
            "() => { const t = document.querySelector('div.vis-tooltip'); "
            "return t && t.style.visibility !== 'hidden' && t.textContent.includes('__xss'); }",
            timeout=5000)
        o.page.mouse.click(pt["x"], pt["y"])
        details = o.page.inner_text("#policykg-details")
        assert XSS_SCRIPT in details and XSS_IMG in details
        o.page.wait_for_timeout(300)  # give a would-be onerror handler time to run
        assert o.page.evaluate("() => typeof window.__xss") == "undefined"

    # nothing from the data became markup
    assert o.page.evaluate(
        "() => document.querySelectorAll('#policykg-details img, div.vis-tooltip img, "
        "#policykg-details script, div.vis-tooltip script').length") == 0
    assert o.page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert o.page.evaluate("() => document.scripts.length") == 3  # data, vis, app
    assert o.dialogs == []
    assert o.errors == [], o.errors
    assert o.foreign_requests() == []


def test_cap_note_visible_in_page(tmp_path, opened):
    G = large_graph(60, 120)
    info = render_html(G, tmp_path / "cap.html", title="t", max_nodes=25)
    assert info.capped and info.nodes_shown == 25 and info.nodes_total == 60
    o = opened(info.path)
    o.wait_stable()
    note = o.page.locator("#policykg-cap-note")
    assert note.is_visible()
    assert note.inner_text() == "Showing 25 of 60 nodes (most central)"
    ids = o.page.evaluate("() => window.__policykgNetwork.nodes.getIds()")
    expected = sorted(G.nodes, key=lambda n: (-G.nodes[n]["size_value"], -G.degree(n), n))[:25]
    assert sorted(ids) == sorted(expected)
    n_edges = o.page.evaluate("() => window.__policykgNetwork.edges.length")
    assert n_edges == G.subgraph(expected).number_of_edges() == info.edges_shown
    assert o.errors == []


def test_positions_fix_layout_without_physics(tmp_path, opened):
    G = coordination_graph()
    pos = nx.circular_layout(sorted(G.nodes))
    info = render_html(G, tmp_path / "pos.html", title="t", positions=pos)
    data = page_data(info.path.read_text(encoding="utf-8"))
    assert data["options"]["physics"]["enabled"] is False
    o = opened(info.path)
    o.wait_stable(5000)
    got = o.page.evaluate("() => window.__policykgNetwork.network.getPositions()")
    assert set(got) == set(G.nodes)
    # same arrangement (uniform scale, y flipped): pairwise orderings agree
    for a in G.nodes:
        for b in G.nodes:
            if pos[a][0] < pos[b][0] - 1e-6:
                assert got[a]["x"] < got[b]["x"]
            if pos[a][1] < pos[b][1] - 1e-6:
                assert got[a]["y"] > got[b]["y"]
    assert o.errors == []


def test_screenshot_png(tmp_path, browser):
    info = render_html(coordination_graph(), tmp_path / "shot.html", title="重庆市渝中区 部门协同网络",
                       caption="来源: " + DOC + " · 构建日期 2024-05-01")
    png = screenshot(info.path, SCREENSHOT_PNG, width=1600, height=1000)
    assert png == Path(SCREENSHOT_PNG)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1600, 1000)


def test_large_graph_size_and_stabilises(tmp_path, opened):
    G = large_graph(1000, 3000)
    info = render_html(G, tmp_path / "big.html", title="1000 nodes", caption="synthetic",
                       max_nodes=1000)
    assert (info.nodes_shown, info.edges_shown, info.capped) == (1000, 3000, False)
    size = info.path.stat().st_size
    assert size < 3 * 1024 * 1024, size
    o = opened(info.path, width=1600, height=1000)
    waited = o.wait_stable(30000)
    in_page_ms = o.page.evaluate("() => window.__policykgStabilizedAt")
    print(f"\n1000/3000 view: {size / 1e6:.2f} MB, stabilised after {in_page_ms / 1000:.1f} s in page "
          f"({o.goto_s + waited:.1f} s wall)")
    assert o.page.evaluate("() => window.__policykgNetwork.nodes.length") == 1000
    assert o.page.evaluate("() => window.__policykgNetwork.edges.length") == 3000
    assert o.errors == []
    assert o.foreign_requests() == []
