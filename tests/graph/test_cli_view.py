"""`policykg view` and the four view graphs (policykg.graph.viewsets) on the real seed build.

The browser tests open the written pages in the system Chromium (/usr/bin/chromium)
through playwright. They are skipped only on a developer machine without that
browser (or playwright); when CI is set they always run.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from policykg.graph import viewsets as vs
from policykg.graph.cli import cli
from policykg.graph.projections import Filters, coordination_network
from policykg.graph.views import KIND_STYLES, ROLE_STYLES, render_html

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
PNG_COPY = "/tmp/policykg_cli_view.png"

ID = "https://w3id.org/policykg/id/"
SFJ = ID + "agency/重庆市渝中区司法局"
DOC002 = "002_2bca6094475032cd.txt"
QUOTE_SFJ_LEAD = "(区司法局牵头"
LIANGJIANG_INDUSTRIES = {"高端装备", "电子核心部件", "云计算", "生物医药"}
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'

REMOTE_LOAD = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s*(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""",
    re.I,
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build_dir(seed_build) -> Path:
    return Path(seed_build.out_dir)


@pytest.fixture(scope="module")
def store(build_dir):
    from policykg.graph.store import open_store

    return open_store(build_dir)


def run_view(build_dir, *args):
    return CliRunner().invoke(cli, ["view", "--store", str(build_dir), *map(str, args)])


def page_data(html: str) -> dict:
    from policykg.graph.views import read_page_data

    return read_page_data(html)


def edge_pairs(G) -> list[tuple[str, str]]:
    if G.is_directed():
        return sorted(G.edges())
    return sorted(tuple(sorted(e)) for e in G.edges())


def by_label(G, text: str) -> list[str]:
    return [n for n, label in G.nodes(data="label") if text in label]


# ---------------------------------------------------------------------------
# The view graphs (no browser)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graphs(store):
    return {
        "overview": vs.overview(store),
        "ego": vs.ego(store, "区司法局"),
        "zone": vs.zone_view(store, "两江片区"),
        "document": vs.document_view(store, DOC002),
    }


def test_graphs_follow_the_views_contract(graphs):
    for name, G in graphs.items():
        assert G.number_of_nodes() > 0, name
        for n, d in G.nodes(data=True):
            assert n.startswith(ID), (name, n)
            assert d["label"] and d["kind"] in KIND_STYLES, (name, n, d.get("kind"))
            assert isinstance(d["size_value"], float) and d["size_value"] >= 0
            assert isinstance(d["provenance"], list)
            assert all(set(p) <= {"document", "quote", "task"} for p in d["provenance"])
        for u, v, d in G.edges(data=True):
            assert d["role"] in vs.VIEW_ROLES and d["role"] in ROLE_STYLES, (name, d["role"])
            assert d["weight"] >= 1
        # quotes on the edges (the zone view's parent-zone link is a bare pk:zoneOf fact)
        with_quotes = [1 for *_, d in G.edges(data=True) if any(p.get("quote") for p in d["provenance"])]
        assert len(with_quotes) >= G.number_of_edges() - 1, name
        assert G.graph["title"] and G.graph["documents"], name


def test_overview_is_the_coordination_network_sized_without_collectives(store, graphs):
    G = graphs["overview"]
    P = coordination_network(store, Filters(collectives=True))
    assert set(G) == set(P) and edge_pairs(G) == edge_pairs(P)
    assert {d["role"] for *_, d in G.edges(data=True)} == {"coordination"}
    collectives = [n for n, k in G.nodes(data="kind") if k == "collective"]
    assert collectives and all(G.nodes[n]["size_value"] == 0.0 for n in collectives)
    top = max(G, key=lambda n: G.nodes[n]["size_value"])
    assert G.nodes[top]["label"] == "重庆市渝中区市场监督管理局"  # the broker `policykg build` reports
    # agency provenance: every assignment, leads first
    quotes = [p["quote"] for p in G.nodes[SFJ]["provenance"]]
    assert quotes[0].startswith(QUOTE_SFJ_LEAD)
    # coordination edges name the shared tasks
    assert all(p.get("task") for *_, d in G.edges(data=True) for p in d["provenance"])

    T = vs.overview(store, top=5)
    ranked = sorted(G, key=lambda n: (-G.nodes[n]["size_value"], -G.degree(n), n))
    assert set(T) == set(ranked[:5]) and T.graph["nodes_total"] == G.number_of_nodes()
    assert edge_pairs(T) == edge_pairs(G.subgraph(ranked[:5]))
    L = vs.overview(store, layer="lead-support")
    assert L.number_of_edges() < G.number_of_edges()


def test_ego_names_depth_and_collectives(store, graphs):
    G = graphs["ego"]
    full = graphs["overview"]
    assert G.graph["focus"] == SFJ
    assert set(G) == {SFJ, *full[SFJ]}  # depth 1: the agencies sharing a task with it
    assert edge_pairs(G) == edge_pairs(full.subgraph(G))  # and every tie among them
    assert G.nodes[SFJ]["size_value"] == max(d for _, d in G.nodes(data="size_value"))
    for n in full[SFJ]:
        assert G.nodes[n]["size_value"] == full[SFJ][n]["weight"]  # tasks shared with the focus
    for same in ("重庆市渝中区司法局", " 区司法局 ", SFJ, f"<{SFJ}>"):
        assert vs.ego(store, same).graph["focus"] == SFJ
    G2 = vs.ego(store, "区司法局", depth=2)
    # two hops, walking through agencies only: a collective is shown but not walked through
    first = set(full[SFJ])
    second = {w for m in first if full.nodes[m]["kind"] != "collective" for w in full[m]}
    assert set(G2) == {SFJ} | first | second and set(G) < set(G2)
    assert {n: G2.nodes[n]["hops"] for n in G2} == {
        n: 0 if n == SFJ else 1 if n in first else 2 for n in G2}
    assert edge_pairs(G2) == edge_pairs(full.subgraph(G2))
    with pytest.raises(ValueError):
        vs.ego(store, "区司法局", depth=0)


def test_names_unknown_and_ambiguous(store):
    with pytest.raises(vs.AmbiguousName) as exc:
        vs.resolve_agency(store, "渝中区")
    assert len(exc.value.candidates) > 1
    assert "重庆市渝中区司法局" in str(exc.value)
    with pytest.raises(vs.UnknownName):
        vs.resolve_agency(store, "不存在的机构")
    with pytest.raises(vs.UnknownName):
        vs.zone_view(store, "火星片区")
    assert vs.resolve_document(store, "002_2bca6094475032cd") == ID + "doc/002_2bca6094475032cd"
    assert vs.resolve_document(store, "2023年渝中区知识产权工作要点") == ID + "doc/002_2bca6094475032cd"
    assert vs.resolve_zone(store, "重庆自贸试验区") == ID + "zone/中国%28重庆%29自由贸易试验区"


def test_zone_view_liangjiang(graphs):
    G = graphs["zone"]
    zone = ID + "zone/两江片区"
    industries = {G.nodes[v]["label"] for _, v, r in G.out_edges(zone, data="role") if r == "industry"}
    assert industries == LIANGJIANG_INDUSTRIES
    tasks = by_label(G, "开展专利导航产业发展工作")
    assert len(tasks) == 1
    for i in industries:  # the provision names each industry
        assert G.has_edge(by_label(G, i)[0], tasks[0])
    assert G.has_edge(ID + "zone/中国%28重庆%29自由贸易试验区", zone)  # pk:zoneOf as context


def test_zone_view_with_agencies_and_mechanisms(store):
    G = vs.zone_view(store, "自贸试验区")
    roles = {r for *_, r in G.edges(data="role")}
    assert {"lead", "mechanism", "contains"} <= roles
    for u, v, r in G.edges(data="role"):
        if r in ("lead", "responsible", "support", "division"):
            assert G.nodes[v]["kind"] == "task" and G.nodes[u]["kind"] not in ("task", "zone", "industry")


def test_document_view_002(graphs):
    G = graphs["document"]
    doc = ID + "doc/002_2bca6094475032cd"
    assert G.nodes[doc]["kind"] == "document"
    sec3 = [n for n, label in G.nodes(data="label") if label.startswith("(三)")]
    assert len(sec3) == 1
    assert G.has_edge(SFJ, sec3[0]) and G[SFJ][sec3[0]]["role"] == "lead"
    assert QUOTE_SFJ_LEAD in G[SFJ][sec3[0]]["provenance"][0]["quote"]
    assert nx.has_path(G, doc, sec3[0])  # document → section → task
    assert {r for *_, r in G.edges(data="role")} >= {"contains", "lead", "responsible", "mechanism"}
    assert G.graph["documents"] == [DOC002]


# ---------------------------------------------------------------------------
# The command (no browser)
# ---------------------------------------------------------------------------


def test_cli_writes_default_out_and_reports(build_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_view(build_dir)
    assert result.exit_code == 0, result.output
    out = tmp_path / "policykg-out" / "view.html"
    assert out.is_file()
    # 45 until seed 001's duty-bearing collectives (各城市人民政府, 各知识产权强省建设试点省, 各有关城市)
    # were recognised and 有关行业协会 (a generic category) was no longer taken for a collective
    assert "nodes shown: 47 of 47 (not capped)" in result.output
    html = out.read_text(encoding="utf-8")
    assert not REMOTE_LOAD.search(html) and "<link" not in html.lower()
    caption = re.search(r'<p id="policykg-caption">(.*?)</p>', html, re.S).group(1)
    for i in range(5):
        assert f"00{i}_" in caption
    assert re.search(r"Built 构建日期: \d{4}-\d{2}-\d{2}", caption)

    capped = run_view(build_dir, "--top", 7, "--out", tmp_path / "top.html")
    assert capped.exit_code == 0 and "nodes shown: 7 of 47 (capped" in capped.output


def test_cli_errors(build_dir, tmp_path):
    out = tmp_path / "x.html"
    r = run_view(build_dir, "--focus", "区司法局", "--document", DOC002, "--out", out)
    assert r.exit_code == 2 and "--focus and --document" in r.output
    r = run_view(build_dir, "--depth", 2, "--out", out)
    assert r.exit_code == 2 and "--focus" in r.output
    r = run_view(build_dir, "--zone", "两江片区", "--layer", "lead-support", "--out", out)
    assert r.exit_code == 2
    r = run_view(build_dir, "--focus", "渝中区", "--out", out)
    assert r.exit_code == 1 and "重庆市渝中区司法局" in r.output and "names" in r.output
    r = run_view(build_dir, "--focus", "不存在的机构", "--out", out)
    assert r.exit_code == 1 and "no agency named" in r.output
    r = run_view(tmp_path / "nowhere", "--out", out)
    assert r.exit_code == 1 and "policykg build" in r.output
    assert not out.exists()


# ---------------------------------------------------------------------------
# In a real headless browser
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    in_ci = bool(os.environ.get("CI"))
    if not os.path.exists(CHROMIUM) and not in_ci:
        pytest.skip(f"{CHROMIUM} is not installed; the browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright is not installed (pip install -e .[test])")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Page:
    """One view opened from file://, recording every request, console error and dialog."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1500, "height": 950})
        self.page = self.context.new_page()
        self.url = Path(path).resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)

    def stabilised(self, timeout_ms=30000):
        # a function predicate: the page's CSP forbids eval, so string expressions fail
        self.page.wait_for_function("() => window.__policykgStabilized === true", timeout=timeout_ms)

    def other_requests(self):
        return [u for u in self.requests if u != self.url]

    def ids_and_edges(self):
        ids = self.page.evaluate("() => window.__policykgNetwork.nodes.getIds()")
        edges = self.page.evaluate("() => window.__policykgNetwork.edges.get().map(e => [e.from, e.to])")
        return sorted(ids), sorted(map(tuple, edges))

    def point_on_node(self, node_id):
        """A page point where vis finds this node (its centre, or nearby if another node covers it)."""
        return self.page.evaluate(
            """(id) => {
                const net = window.__policykgNetwork.network;
                const c = net.getPositions([id])[id];
                const box = net.getBoundingBox(id);
                const r = document.getElementById('policykg-graph').getBoundingClientRect();
                const w = (box.right - box.left) / 2, h = (box.bottom - box.top) / 2;
                const offsets = [[0, 0], [0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3], [0.5, 0.5], [-0.5, -0.5]];
                for (const [fx, fy] of offsets) {
                    const p = net.canvasToDOM({x: c.x + fx * w, y: c.y + fy * h});
                    if (net.getNodeAt(p) === id) { return {x: r.left + p.x, y: r.top + p.y}; }
                }
                return null;
            }""", node_id)

    def click_node(self, node_id) -> str:
        pt = self.point_on_node(node_id)
        assert pt is not None, f"node {node_id} is covered"
        self.page.mouse.click(pt["x"], pt["y"])
        return self.page.inner_text("#policykg-details")

    def hover_node(self, node_id, contains: str):
        pt = self.point_on_node(node_id)
        assert pt is not None
        self.page.mouse.move(pt["x"] - 40, pt["y"] - 40)
        self.page.mouse.move(pt["x"], pt["y"], steps=5)
        self.page.wait_for_function(
            "(q) => { const t = document.querySelector('div.vis-tooltip');"
            " return !!t && t.style.visibility !== 'hidden' && t.textContent.includes(q); }",
            arg=contains, timeout=5000)
        return self.page.inner_text("div.vis-tooltip")

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    pages: list[Page] = []

    def _open(path):
        p = Page(browser, path)
        pages.append(p)
        return p

    yield _open
    for p in pages:
        p.close()


VIEWS = {
    # name: (CLI options, viewsets graph, node to click, text its panel must show)
    "overview": ([], lambda s: vs.overview(s), SFJ, QUOTE_SFJ_LEAD),
    "ego": (["--focus", "区司法局"], lambda s: vs.ego(s, "区司法局"), SFJ, QUOTE_SFJ_LEAD),
    # the raw text has a space in 云 计算: the panel shows the document's words, not the label
    "zone": (["--zone", "两江片区"], lambda s: vs.zone_view(s, "两江片区"), ID + "industry/云计算", "云 计算"),
    "document": (["--document", DOC002], lambda s: vs.document_view(s, DOC002), SFJ, QUOTE_SFJ_LEAD),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_in_browser(name, build_dir, store, tmp_path, open_page):
    options, make, node, quote = VIEWS[name]
    out = tmp_path / f"{name}.html"
    result = run_view(build_dir, *options, "--out", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert not REMOTE_LOAD.search(html), REMOTE_LOAD.search(html).group(0)
    assert "sourceMappingURL" not in html and "<link" not in html.lower()

    G = make(store)
    p = open_page(out)
    p.stabilised()
    assert p.page.evaluate("() => window.__policykgNetwork.network.physics.physicsEnabled") is False
    ids, edges = p.ids_and_edges()
    assert ids == sorted(G.nodes)
    assert edges == edge_pairs(G)
    m = re.search(r"nodes shown: (\d+) of (\d+)", result.output)
    assert (int(m.group(1)), int(m.group(2))) == (len(ids), G.number_of_nodes())

    details = p.click_node(node)
    assert quote in details, details
    assert G.nodes[node]["documents"][0] in details  # the quote names its document
    assert p.page.get_attribute("#policykg-details", "data-selected") == "node"
    caption = p.page.inner_text("#policykg-caption")
    assert "Built 构建日期" in caption and all(d in caption for d in G.graph["documents"])
    if name == "ego":
        assert QUOTE_SFJ_LEAD in p.hover_node(SFJ, QUOTE_SFJ_LEAD)
    if name == "zone":
        labels = p.page.evaluate("() => window.__policykgNetwork.nodes.get().map(n => n.label)")
        assert LIANGJIANG_INDUSTRIES <= set(labels)
    if name == "document":
        sec3 = [n for n, label in G.nodes(data="label") if label.startswith("(三)")][0]
        lead = p.page.evaluate(
            "(ft) => window.__policykgNetwork.edges.get({filter: e => e.from === ft[0] && e.to === ft[1]})"
            ".map(e => e.dashes === false && e.width)", [SFJ, sec3])
        assert lead == [ROLE_STYLES["lead"]["width"]]  # one solid, thickest edge: 区司法局 leads (三)
        assert "(三)" in p.click_node(sec3)

    assert p.other_requests() == [], p.other_requests()
    assert p.errors == [], p.errors


def test_png_for_slides(build_dir, tmp_path, browser):
    out, png = tmp_path / "ego.html", tmp_path / "ego.png"
    result = run_view(build_dir, "--focus", "区司法局", "--out", out, "--png", png)
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10 * 1024
    assert struct.unpack(">II", data[16:24]) == (1600, 1000)
    shutil.copyfile(png, PNG_COPY)  # to look at: Chinese labels must render


XSS_DOC = f"""重庆市渝中区人民政府办公室关于印发{XSS_SCRIPT}工作要点的通知
各有关单位:
一、加强{XSS_IMG}组织领导
(一)健全{XSS_SCRIPT}工作机制。建立{XSS_IMG}联席会议制度,完善知识产权纠纷多元化解机制。(区司法局牵头,区{XSS_SCRIPT}局、区法院按职责分工负责)
(二)强化执法协作。加强执法协作。(区市场监管局牵头,区司法局配合)
"""


def test_document_text_cannot_run_script(tmp_path, open_page):
    src = tmp_path / "evil.txt"
    src.write_text(XSS_DOC, encoding="utf-8")
    build = tmp_path / "build"
    r = CliRunner().invoke(cli, ["build", str(src), "--out", str(build)])
    assert r.exit_code == 0, r.output
    for options in (["--document", "evil.txt"], ["--focus", "区司法局"], []):
        out = tmp_path / f"v{len(options)}.html"
        r = run_view(build, *options, "--out", out)
        assert r.exit_code == 0, r.output
        html = out.read_text(encoding="utf-8")
        labels = [n["label"] for n in page_data(html)["nodes"]]
        assert any(XSS_SCRIPT in label for label in labels)  # the payload did reach the page, as text
        assert "<script>window" not in html and "<img src=x" not in html
        p = open_page(out)
        p.stabilised()
        assert p.page.evaluate("() => typeof window.__xss") == "undefined"
        ids = p.page.evaluate("() => window.__policykgNetwork.nodes.getIds()")
        evil = [n for n in ids if "script" in n or "%3Cscript" in n or "img" in n]
        for nid in sorted(ids, key=lambda n: n not in evil):
            if p.point_on_node(nid) is None:
                continue
            p.click_node(nid)
        p.page.wait_for_timeout(300)  # time for a would-be onerror handler
        assert p.page.evaluate("() => typeof window.__xss") == "undefined"
        assert XSS_SCRIPT in p.page.inner_text("body") or XSS_IMG in p.page.inner_text("body")
        assert p.page.evaluate("() => document.querySelectorAll('img').length") == 0
        assert p.page.evaluate("() => document.scripts.length") == 3
        assert p.dialogs == [] and p.errors == [] and p.other_requests() == []


def test_arrowheads_are_drawn_over_labels(tmp_path, open_page):
    """An edge arriving from below ends under the target's label: its arrowhead must stay visible."""
    from PIL import Image

    G = nx.DiGraph()
    G.add_node("t", label="重庆市渝中区市场监督管理局牵头任务", kind="task", size_value=1)
    G.add_node("a", label="区司法局", kind="gov", size_value=1)
    G.add_edge("a", "t", role="lead")
    info = render_html(G, tmp_path / "arrow.html", title="t", positions={"t": (0, 1), "a": (0, -1)})
    p = open_page(info.path)
    p.stabilised()
    pt = p.page.evaluate(
        """() => { const d = window.__policykgNetwork, net = d.network;
            const c = net.getPositions(['t'])['t'];
            const q = net.canvasToDOM({x: c.x, y: c.y + d.nodes.get('t').size});
            const r = document.getElementById('policykg-graph').getBoundingClientRect();
            return {x: r.left + q.x, y: r.top + q.y, scale: net.getScale()}; }""")
    assert pt["scale"] == 1
    img = Image.open(io.BytesIO(p.page.screenshot())).convert("RGB")
    x, y = round(pt["x"]), round(pt["y"])

    def arrow_pixels(dy):
        px = [img.getpixel((x + dx, y + dy)) for dx in range(-8, 9)]
        return sum(1 for r, g, b in px if b > r + 50 and r < 120)  # the lead edge's dark blue

    # from the node's border down through the label band the arrowhead widens, never vanishes
    widths = [arrow_pixels(dy) for dy in range(0, 16)]
    assert all(w >= 3 for w in widths), widths
    assert widths[-1] > widths[0]
    assert p.errors == []
