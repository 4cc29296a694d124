"""Round-trip tests for policykg.graph.export.

Every format is written to tmp_path and read back with an independent reader
(networkx's GraphML / GEXF / Pajek readers, the csv module, and our own DL
parser), checking nodes, Chinese labels, ties and weights.
"""
from __future__ import annotations

import csv
import doctest
import itertools
from pathlib import Path

import networkx as nx
import pytest

from policykg.graph import export
from policykg.graph.export import (
    EXPORT_FORMATS,
    export_graph,
    read_ucinet_dl,
    write_csv,
    write_gexf,
    write_graphml,
    write_pajek,
    write_ucinet_dl,
)

BASE = "https://w3id.org/policykg/id/"

# Agencies assigned to each task of the 2023 渝中区 work plan (seed 002).
TASKS: dict[str, list[str]] = {
    "三": ["区司法局", "区委宣传部", "区文化旅游委", "区法院", "区检察院", "区公安分局", "区市场监管局"],
    "四": ["区科技局", "区经信委", "区财政局", "区市场监管局", "大石化新区管委会"],
    "五": ["区科技局", "区市场监管局"],
    "六": ["区商务委", "区文化旅游委", "区市场监管局", "大石化新区管委会"],
    "七": ["区教委", "区科技局", "区经信委", "区卫生健康委", "区市场监管局"],
    "八": ["区市场监管局"],
    "九": ["区法院"],
    "十": ["区委宣传部", "区发展改革委", "区文化旅游委", "区公安分局", "区规划自然资源局", "区市场监管局"],
    "十一": ["区检察院"],
    "十二": ["区公安分局"],
    "十三": ["区司法局", "区法院", "区市场监管局"],
    "十五": ["区委宣传部", "区商务委", "区文化旅游委", "区大数据局", "区市场监管局"],
    "十六": ["区科技局", "区财政局", "区金融办", "区市场监管局"],
    "十七": ["区委宣传部", "区教委", "区文化旅游委", "区检察院", "区市场监管局"],
    "十八": ["区金融办", "区市场监管局"],
    "十九": ["区委宣传部", "区教委", "区法院", "区市场监管局"],
    "二十": ["区委组织部", "区委宣传部", "区文化旅游委", "区司法局", "区法院", "区检察院", "区公安分局", "区市场监管局"],
}


def iri(label: str) -> str:
    return BASE + "agency/" + label


def build_seed_002() -> nx.Graph:
    G = nx.Graph(name="2023年渝中区知识产权工作要点")
    for task, agencies in TASKS.items():
        for a in agencies:
            G.add_node(iri(a), label=a, kind="party" if a.startswith("区委") else "gov",
                       jurisdiction="渝中区", level=None,
                       documents=["002_2bca6094475032cd.txt"], year=2023)
        for a, b in itertools.combinations(agencies, 2):
            u, v = iri(a), iri(b)
            if G.has_edge(u, v):
                G[u][v]["weight"] += 1
                G[u][v]["tasks"].append(BASE + "task/" + task)
            else:
                G.add_edge(u, v, weight=1, role="co_assigned", tasks=[BASE + "task/" + task])
    return G


@pytest.fixture
def seed002() -> nx.Graph:
    G = build_seed_002()
    # an agency named in the plan without co-assigned partners (an isolate),
    # a label that needs quoting in DL files, and a betweenness score stored
    # as a node attribute, as an analysis notebook would add it
    G.add_node(BASE + "agency/x", label="区 应急局, 值班室", kind="gov", documents=["a", "b"])
    for v in G:
        G.nodes[v]["betweenness"] = 0.5 if v == iri("区市场监管局") else 0.0
    return G


SAMR = iri("区市场监管局")


def weights_by_label(G: nx.Graph, label_of=None) -> dict[frozenset, float]:
    label_of = label_of or (lambda v: G.nodes[v].get("label", v))
    return {frozenset((label_of(u), label_of(v))): w for u, v, w in G.edges(data="weight")}


def test_seed002_fixture_matches_hand_count(seed002):
    assert seed002.number_of_nodes() == 20  # 19 agencies + the isolate
    assert seed002.number_of_edges() == 70
    assert seed002[SAMR][iri("区委宣传部")]["weight"] == 6


# ---------------------------------------------------------------------------
# GraphML
# ---------------------------------------------------------------------------


def test_graphml_round_trip(seed002, tmp_path):
    path = tmp_path / "seed002.graphml"
    write_graphml(seed002, path)
    raw = path.read_bytes().decode("utf-8")
    assert "区市场监管局" in raw  # literal UTF-8, not character references
    H = nx.read_graphml(path)
    assert set(H) == set(seed002)
    for v in seed002:
        assert H.nodes[v]["label"] == seed002.nodes[v]["label"]
        assert "level" not in H.nodes[v]  # None is dropped
    assert H.nodes[SAMR]["year"] == 2023
    assert H.nodes[SAMR]["documents"] == "002_2bca6094475032cd.txt"
    assert H.nodes[BASE + "agency/x"]["documents"] == "a; b"
    assert H.nodes[SAMR]["betweenness"] == 0.5
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in seed002.edges}
    for u, v, w in seed002.edges(data="weight"):
        assert H[u][v]["weight"] == w
        assert isinstance(H[u][v]["weight"], int)
    tasks = H[SAMR][iri("区委宣传部")]["tasks"].split("; ")
    assert [t.rsplit("/", 1)[1] for t in tasks] == ["三", "十", "十五", "十七", "十九", "二十"]
    assert H.graph["name"] == "2023年渝中区知识产权工作要点"


def test_graphml_mixed_attribute_types(tmp_path):
    G = nx.Graph()
    G.add_node("a", level=1, score=1)
    G.add_node("b", level="区级", score=2.5)
    G.add_edge("a", "b")
    path = tmp_path / "mixed.graphml"
    write_graphml(G, path)
    H = nx.read_graphml(path)
    assert H.nodes["a"]["level"] == "1" and H.nodes["b"]["level"] == "区级"
    assert H.nodes["a"]["score"] == 1.0 and H.nodes["b"]["score"] == 2.5
    assert H.nodes["a"]["label"] == "a"  # every node gets a label
    assert G.nodes["a"] == {"level": 1, "score": 1}  # input untouched


# ---------------------------------------------------------------------------
# GEXF
# ---------------------------------------------------------------------------


def test_gexf_round_trip(seed002, tmp_path):
    path = tmp_path / "seed002.gexf"
    write_gexf(seed002, path)
    assert "区委宣传部" in path.read_text(encoding="utf-8")
    H = nx.read_gexf(path)
    assert not H.is_directed()
    assert set(H) == set(seed002)
    for v in seed002:
        assert H.nodes[v]["label"] == seed002.nodes[v]["label"]
        assert H.nodes[v]["kind"] == seed002.nodes[v]["kind"]
    assert H.nodes[SAMR]["year"] == 2023
    assert H.nodes[BASE + "agency/x"]["documents"] == "a; b"
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in seed002.edges}
    for u, v, w in seed002.edges(data="weight"):
        assert H[u][v]["weight"] == w
        assert H[u][v]["role"] == "co_assigned"


def test_gexf_directed_and_reserved_names(tmp_path):
    D = nx.DiGraph()
    D.add_node("ex:a", label="区政府办公室", id="should-not-replace-the-IRI")
    D.add_edge("ex:a", "ex:b", weight=2, type="lead")
    path = tmp_path / "d.gexf"
    write_gexf(D, path)
    H = nx.read_gexf(path)
    assert H.is_directed()
    assert set(H) == {"ex:a", "ex:b"}
    assert H.nodes["ex:a"]["id_attr"] == "should-not-replace-the-IRI"
    assert H["ex:a"]["ex:b"]["weight"] == 2
    assert H["ex:a"]["ex:b"]["type_attr"] == "lead"


# ---------------------------------------------------------------------------
# Pajek
# ---------------------------------------------------------------------------


def test_pajek_round_trip(seed002, tmp_path):
    path = tmp_path / "seed002.net"
    write_pajek(seed002, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*Vertices 20"
    assert any(line.endswith('"区市场监管局"') for line in lines)  # always quoted
    H = nx.Graph(nx.read_pajek(path))
    labels = {seed002.nodes[v]["label"] for v in seed002}
    assert set(H) == labels
    assert weights_by_label(H, lambda v: v) == weights_by_label(seed002)
    assert H.number_of_edges() == 70


def test_pajek_attributes_and_duplicate_labels(tmp_path):
    G = nx.Graph()
    G.add_node("ex:yz/samr", label="区市场监管局", kind="gov", documents=["002", "003"], year=2023)
    G.add_node("ex:jb/samr", label="区市场监管局", kind="gov", year=2024)
    G.add_edge("ex:yz/samr", "ex:jb/samr", weight=2.5, role="co_assigned")
    path = tmp_path / "dup.net"
    write_pajek(G, path, attributes=True)
    H = nx.read_pajek(path)
    assert set(H) == {"区市场监管局 <ex:yz/samr>", "区市场监管局 <ex:jb/samr>"}
    a = H.nodes["区市场监管局 <ex:yz/samr>"]
    assert a["iri"] == "ex:yz/samr" and a["kind"] == "gov"
    assert a["documents"] == "002; 003" and a["year"] == "2023"
    (u, v, data), = H.edges(data=True)
    assert data["weight"] == 2.5 and data["role"] == "co_assigned"


def test_pajek_directed_uses_arcs(tmp_path):
    D = nx.DiGraph()
    D.add_edge("ex:a", "ex:b", weight=3)
    path = tmp_path / "d.net"
    write_pajek(D, path)
    assert "*Arcs" in path.read_text(encoding="utf-8")
    H = nx.read_pajek(path)
    assert H.is_directed() and list(H.edges(data="weight")) == [("ex:a", "ex:b", 3.0)]


# ---------------------------------------------------------------------------
# UCINET DL
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["edgelist1", "fullmatrix"])
def test_ucinet_dl_round_trip(seed002, tmp_path, fmt):
    path = tmp_path / f"seed002_{fmt}.dl"
    write_ucinet_dl(seed002, path, format=fmt)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("dl n=20\n")
    assert f"format = {fmt}" in text
    assert '"区 应急局, 值班室"' in text  # quoted: contains a space and a comma
    H = read_ucinet_dl(path)
    assert not H.is_directed()
    labels = {seed002.nodes[v]["label"] for v in seed002}
    assert set(H) == labels
    assert all(H.nodes[v]["label"] == v for v in H)
    assert H.degree("区 应急局, 值班室") == 0  # the isolate survives
    assert weights_by_label(H) == weights_by_label(seed002)
    assert H["区市场监管局"]["区委宣传部"]["weight"] == 6


def test_ucinet_edgelist1_layout(tmp_path):
    G = nx.Graph()
    G.add_node("ex:a", label="区法院")
    G.add_node("ex:b", label="区检察院")
    G.add_node("ex:c", label="区委组织部")
    G.add_edge("ex:a", "ex:b", weight=4)
    path = tmp_path / "g.dl"
    write_ucinet_dl(G, path)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "dl n=3",
        "format = edgelist1",
        "labels embedded:",
        "data:",
        "区法院 区检察院 4",
        "区检察院 区法院 4",
        "区委组织部 区委组织部 0",
    ]


def test_ucinet_directed_and_weightless(tmp_path):
    D = nx.DiGraph()
    D.add_edge("ex:a", "ex:b", weight=2)
    D.add_edge("ex:b", "ex:c", weight=1.5)
    path = tmp_path / "d.dl"
    write_ucinet_dl(D, path)
    H = read_ucinet_dl(path)
    assert H.is_directed()
    assert sorted(H.edges(data="weight")) == [("ex:a", "ex:b", 2), ("ex:b", "ex:c", 1.5)]
    write_ucinet_dl(D, path, weight=None, format="fullmatrix")
    H = read_ucinet_dl(path)
    assert sorted(H.edges(data="weight")) == [("ex:a", "ex:b", 1), ("ex:b", "ex:c", 1)]
    U = read_ucinet_dl(path, directed=False)
    assert not U.is_directed() and U.number_of_edges() == 2


def test_read_ucinet_dl_other_layouts(tmp_path):
    # labels listed over several lines, numeric edgelist1 rows without values
    p = tmp_path / "listed.dl"
    p.write_text('DL N = 3\nFORMAT = EDGELIST1\nLABELS:\n区法院,\n"区 检察院"\n区司法局\nDATA:\n1 2\n2 1\n3 1 2\n1 3 2\n',
                 encoding="utf-8")
    G = read_ucinet_dl(p)
    assert list(G) == ["区法院", "区 检察院", "区司法局"]
    assert G["区法院"]["区 检察院"]["weight"] == 1 and G["区司法局"]["区法院"]["weight"] == 2
    # fullmatrix with labels embedded (column header row, row labels)
    p = tmp_path / "embedded.dl"
    p.write_text("dl n=3 format=fullmatrix labels embedded\ndata:\n甲 乙 丙\n甲 0 1 0\n乙 1 0 3\n丙 0 3 0\n",
                 encoding="utf-8")
    G = read_ucinet_dl(p)
    assert sorted(G.edges(data="weight")) == [("乙", "丙", 3), ("甲", "乙", 1)]
    # no labels at all: nodes are positions
    p = tmp_path / "plain.dl"
    p.write_text("dl n=2\ndata:\n0 1\n0 0\n", encoding="utf-8")
    G = read_ucinet_dl(p)
    assert G.is_directed() and list(G.edges) == [("1", "2")]
    # unsupported input is rejected, not misread
    p.write_text("dl n=2 nm=2\ndata:\n0 1\n1 0\n!\n0 1\n1 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="multiple matrices"):
        read_ucinet_dl(p)
    p.write_text("dl n=2\nlabels:\na,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="data"):
        read_ucinet_dl(p)


def test_ucinet_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="edgelist1"):
        write_ucinet_dl(nx.path_graph(2), tmp_path / "x.dl", format="nodelist1")


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def test_csv_round_trip(seed002, tmp_path):
    nodes_path, edges_path = tmp_path / "nodes.csv", tmp_path / "edges.csv"
    write_csv(seed002, nodes_path, edges_path)
    assert not nodes_path.read_bytes().startswith(b"\xef\xbb\xbf")  # no BOM
    with open(nodes_path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        nodes = {row["id"]: row for row in reader}
    assert header[:3] == ["id", "label", "kind"]
    assert {"betweenness", "documents", "jurisdiction", "level", "year"} <= set(header)
    assert set(nodes) == set(seed002)
    for v in seed002:
        assert nodes[v]["label"] == seed002.nodes[v]["label"]
    assert nodes[SAMR]["betweenness"] == "0.5"
    assert nodes[SAMR]["level"] == ""  # None -> empty cell
    assert nodes[BASE + "agency/x"]["documents"] == "a; b"
    assert nodes[BASE + "agency/x"]["label"] == "区 应急局, 值班室"

    with open(edges_path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        edges = list(reader)
    assert header[:6] == ["source", "target", "source_label", "target_label", "weight", "role"]
    assert len(edges) == 70
    got = {frozenset((e["source"], e["target"])): int(e["weight"]) for e in edges}
    assert got == {frozenset((u, v)): w for u, v, w in seed002.edges(data="weight")}
    for e in edges:
        assert e["source_label"] == seed002.nodes[e["source"]]["label"]
        assert e["target_label"] == seed002.nodes[e["target"]]["label"]
        assert e["role"] == "co_assigned"
    tie = next(e for e in edges if {e["source_label"], e["target_label"]} == {"区市场监管局", "区委宣传部"})
    assert tie["weight"] == "6" and len(tie["tasks"].split("; ")) == 6


def test_csv_multigraph_has_key_column(tmp_path):
    M = nx.MultiGraph()
    M.add_edge("a", "b", weight=1, role="lead")
    M.add_edge("a", "b", weight=2, role="assist")
    write_csv(M, tmp_path / "n.csv", tmp_path / "e.csv")
    with open(tmp_path / "e.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["role"], r["weight"], r["key"]) for r in rows] == [("lead", "1", "0"), ("assist", "2", "1")]


# ---------------------------------------------------------------------------
# export_graph
# ---------------------------------------------------------------------------


def test_export_graph_every_format(seed002, tmp_path):
    written = {}
    for fmt in EXPORT_FORMATS:
        written[fmt] = export_graph(seed002, fmt, tmp_path / "out" / "seed002")
    assert [p.name for p in written["graphml"]] == ["seed002.graphml"]
    assert [p.name for p in written["gexf"]] == ["seed002.gexf"]
    assert [p.name for p in written["pajek"]] == ["seed002.net"]
    assert [p.name for p in written["ucinet"]] == ["seed002.dl"]
    assert [p.name for p in written["csv"]] == ["seed002_nodes.csv", "seed002_edges.csv"]
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(p.name for ps in written.values() for p in ps)  # no temp files left
    assert set(nx.read_graphml(written["graphml"][0])) == set(seed002)
    assert set(nx.read_gexf(written["gexf"][0])) == set(seed002)
    assert read_ucinet_dl(written["ucinet"][0]).number_of_edges() == 70
    assert nx.Graph(nx.read_pajek(written["pajek"][0])).number_of_edges() == 70

    # an explicit suffix is kept; csv accepts a .csv name; case-insensitive fmt
    assert export_graph(seed002, "GEXF", tmp_path / "g.xml") == [tmp_path / "g.xml"]
    assert [p.name for p in export_graph(seed002, "csv", tmp_path / "net.csv")] == ["net_nodes.csv", "net_edges.csv"]
    assert export_graph(seed002, "ucinet", tmp_path / "out") == [tmp_path / "out" / "network.dl"]
    with pytest.raises(ValueError, match="unknown format"):
        export_graph(seed002, "xlsx", tmp_path / "x.xlsx")


def test_failed_write_leaves_old_file_and_no_temp(seed002, tmp_path, monkeypatch):
    path = tmp_path / "keep.graphml"
    path.write_text("previous export", encoding="utf-8")

    def broken(G, target, **kwargs):
        Path(target).write_text("half a file", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(export.nx, "write_graphml", broken)
    with pytest.raises(OSError, match="disk full"):
        export_graph(seed002, "graphml", path)
    assert path.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.graphml"]


def test_docstring_examples_run():
    result = doctest.testmod(export, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
