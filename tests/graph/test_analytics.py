"""Tests for policykg.graph.analytics on hand-checkable coordination networks.

The main fixture is the coordination network of seed 002 (《2023年渝中区知识产权
工作要点》): each task lists the agencies assigned to it, agencies co-assigned
to a task are linked, and the weight is the number of tasks they share.  The
expected numbers below were counted by hand from the task list; each is also
re-derived in the test by a separate count that does not use networkx.
"""
from __future__ import annotations

import doctest
import itertools
import math
import random

import networkx as nx
import pandas as pd

import pytest

from policykg.graph import analytics
from policykg.graph.analytics import (
    CENTRALITY_MEASURES,
    MEASURES,
    brokerage,
    centrality_table,
    changes,
    communities,
    community_table,
    compare_periods,
    network_summary,
    shortest_connections,
)

# Tasks of the 2023 渝中区 work plan and the agencies assigned to each.
SEED_002_TASKS: dict[str, list[str]] = {
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

PARTY = {"区委宣传部", "区委组织部"}
JUDICIAL = {"区法院"}
PROCURATORATE = {"区检察院"}

BASE = "https://w3id.org/policykg/id/"


def iri(label: str) -> str:
    return BASE + "agency/" + label


def kind_of(label: str) -> str:
    if label in PARTY:
        return "party"
    if label in JUDICIAL:
        return "judicial"
    if label in PROCURATORATE:
        return "procuratorate"
    if label.endswith("管委会"):
        return "zone_admin"
    return "gov"


def build_seed_002(tasks: dict[str, list[str]] = SEED_002_TASKS) -> nx.Graph:
    """Co-assignment projection, the way the projection module builds it."""
    G = nx.Graph()
    for task, agencies in tasks.items():
        for a in agencies:
            G.add_node(iri(a), label=a, kind=kind_of(a), jurisdiction="渝中区",
                       level="district", documents=["002_2bca6094475032cd.txt"], year=2023)
        for a, b in itertools.combinations(agencies, 2):
            u, v = iri(a), iri(b)
            if G.has_edge(u, v):
                G[u][v]["weight"] += 1
                G[u][v]["tasks"].append(BASE + "task/" + task)
            else:
                G.add_edge(u, v, weight=1, role="co_assigned", tasks=[BASE + "task/" + task])
    return G


@pytest.fixture(scope="module")
def seed002() -> nx.Graph:
    return build_seed_002()


SAMR = iri("区市场监管局")
PROPAGANDA = iri("区委宣传部")


# ---------------------------------------------------------------------------
# the seed-002 network, counted by hand
# ---------------------------------------------------------------------------


def test_seed002_size_matches_hand_count(seed002):
    # Hand count: 19 distinct agencies; their partner counts (市场监管局 18,
    # 文化旅游委 13, 宣传部 12, 公安分局 9, 法院/检察院/教委 8, 司法局/科技局/
    # 组织部 7, 经信委/大石化 6, 财政局/商务委/发改委/规自局 5, 卫健委/大数据局 4,
    # 金融办 3) sum to 140, so there are 70 ties.
    assert seed002.number_of_nodes() == 19
    assert seed002.number_of_edges() == 70
    # separate count: distinct agencies and distinct unordered pairs
    agencies = {a for group in SEED_002_TASKS.values() for a in group}
    pairs = {frozenset(p) for group in SEED_002_TASKS.values() for p in itertools.combinations(group, 2)}
    assert len(agencies) == 19
    assert len(pairs) == 70


def test_seed002_degree_and_weights_of_market_regulator(seed002):
    t = centrality_table(seed002)
    # 区市场监管局 is on every multi-agency task, so it is tied to all 18 others.
    assert t.loc[SAMR, "degree"] == 18
    # tasks 三, 十, 十五, 十七, 十九, 二十 name both it and 区委宣传部
    assert seed002[SAMR][PROPAGANDA]["weight"] == 6
    # weighted degree = sum over its tasks of (task size - 1):
    # 6+4+1+3+4+0+5+2+4+3+4+1+3+7 = 47
    assert t.loc[SAMR, "weighted_degree"] == 47

    # separate count straight from the task list
    with_samr = [g for g in SEED_002_TASKS.values() if "区市场监管局" in g]
    partners = {a for g in with_samr for a in g} - {"区市场监管局"}
    assert len(partners) == 18
    assert sum(1 for g in with_samr if "区委宣传部" in g) == 6
    assert sum(len(g) - 1 for g in with_samr) == 47

    # other hand-counted degrees
    assert t.loc[iri("区卫生健康委"), "degree"] == 4
    assert t.loc[iri("区金融办"), "degree"] == 3
    assert t.loc[iri("区文化旅游委"), "degree"] == 13
    assert t["degree"].sum() == 140


def test_seed002_market_regulator_is_top_broker(seed002):
    weighted = centrality_table(seed002, ("betweenness", "degree"))
    binary = centrality_table(seed002, ("betweenness", "degree"), weight=None)
    for t in (weighted, binary):
        assert t.index[0] == SAMR
        assert t.loc[SAMR, "label"] == "区市场监管局"
        assert t["betweenness"].iloc[0] > t["betweenness"].iloc[1]


def test_seed002_unweighted_betweenness_by_common_neighbours(seed002):
    # 区市场监管局 is tied to everyone, so any two other agencies are at most
    # two steps apart; for a non-adjacent pair its share of the shortest paths
    # is 1 / (number of common partners).  Normalised betweenness divides by
    # the C(18, 2) = 153 pairs of other agencies.
    partners: dict[str, set[str]] = {}
    for group in SEED_002_TASKS.values():
        for a in group:
            partners.setdefault(a, set()).update(set(group) - {a})
    others = sorted(set(partners) - {"区市场监管局"})
    share = 0.0
    for a, b in itertools.combinations(others, 2):
        if b not in partners[a]:
            share += 1 / len(partners[a] & partners[b])
    expected = share / math.comb(18, 2)
    t = centrality_table(seed002, ("betweenness",), weight=None)
    assert t.loc[SAMR, "betweenness"] == pytest.approx(expected)
    # 101 of the 153 pairs are not directly tied (153 - (70 - 18))
    assert sum(1 for a, b in itertools.combinations(others, 2) if b not in partners[a]) == 101


def test_seed002_clique_members_have_zero_betweenness(seed002):
    # Each of these agencies only works inside one task group whose members
    # are all tied to each other, so it never lies between two agencies.
    t = centrality_table(seed002, ("betweenness",), weight=None)
    for label in ("区卫生健康委", "区金融办", "区大数据局", "区发展改革委", "区规划自然资源局", "区委组织部"):
        assert t.loc[iri(label), "betweenness"] == 0.0


def test_seed002_summary(seed002):
    s = network_summary(seed002)
    assert s["nodes"] == 19
    assert s["edges"] == 70
    assert s["density"] == pytest.approx(70 / 171)
    assert s["components"] == 1
    assert s["largest_component"] == 19
    assert s["isolates"] == 0
    # Freeman: sum(18 - d_i) / (18 * 17) = (19 * 18 - 140) / 306 = 202 / 306
    assert s["degree_centralization"] == pytest.approx(202 / 306)
    b = centrality_table(seed002, ("betweenness",), weight=None)["betweenness"]
    assert s["betweenness_centralization"] == pytest.approx((b.max() - b).sum() / 18)
    assert s["average_clustering"] == pytest.approx(nx.average_clustering(seed002))


def test_seed002_brokerage(seed002):
    b = brokerage(seed002, weight=None)
    # Borgatti's effective size n - 2t/n: 18 partners, 70 - 18 = 52 ties among
    # them, so 18 - 104/18 = 110/9.
    assert b.loc[SAMR, "effective_size"] == pytest.approx(110 / 9)
    assert b.loc[SAMR, "efficiency"] == pytest.approx(110 / 9 / 18)
    # 卫生健康委's four partners (教委, 科技局, 经信委, 市场监管局) all share
    # task 七, so only one of them is non-redundant.
    assert b.loc[iri("区卫生健康委"), "effective_size"] == pytest.approx(1.0)
    assert b.index[0] == SAMR  # the least constrained agency
    assert list(b.columns) == ["label", "kind", "constraint", "effective_size", "efficiency", "hierarchy"]


def test_seed002_shortest_connections(seed002):
    # 卫生健康委 and 委组织部 share no task; their only common partner is 市场监管局
    assert shortest_connections(seed002, iri("区卫生健康委"), iri("区委组织部"), max_paths=10) == [
        [iri("区卫生健康委"), SAMR, iri("区委组织部")]
    ]
    # 金融办 reaches 卫生健康委 via 市场监管局 or 科技局 (ordered by label)
    paths = shortest_connections(seed002, iri("区金融办"), iri("区卫生健康委"))
    assert paths == [
        [iri("区金融办"), SAMR, iri("区卫生健康委")],
        [iri("区金融办"), iri("区科技局"), iri("区卫生健康委")],
    ]
    assert shortest_connections(seed002, iri("区金融办"), iri("区卫生健康委"), max_paths=1) == paths[:1]
    assert shortest_connections(seed002, SAMR, PROPAGANDA) == [[SAMR, PROPAGANDA]]


def test_seed002_communities_deterministic(seed002):
    first = communities(seed002, seed=0)
    second = communities(seed002, seed=0)
    assert first == second
    again = communities(build_seed_002(), seed=0)
    assert again == first
    assert set().union(*first) == set(seed002)
    assert sum(len(c) for c in first) == 19
    sizes = [len(c) for c in first]
    assert sizes == sorted(sizes, reverse=True)
    t1 = community_table(seed002, seed=0)
    t2 = community_table(seed002, seed=0)
    pd.testing.assert_frame_equal(t1, t2)
    assert t1.attrs["modularity"] == t2.attrs["modularity"]
    q = nx.community.modularity(seed002, first, weight="weight")
    assert t1.attrs["modularity"] == pytest.approx(q)
    for cid, c in enumerate(first):
        assert set(t1.index[t1["community"] == cid]) == set(c)


# ---------------------------------------------------------------------------
# centrality_table on tiny graphs
# ---------------------------------------------------------------------------


def test_measures_documented():
    assert set(CENTRALITY_MEASURES) <= set(MEASURES)
    assert "broker" in MEASURES["betweenness"]
    for name, meaning in MEASURES.items():
        assert isinstance(meaning, str) and len(meaning) > 20, name


def test_columns_order_and_unknown_measure():
    G = nx.path_graph(3)
    t = centrality_table(G)
    assert list(t.columns) == ["label", "kind", *CENTRALITY_MEASURES]
    assert t.index.name == "node"
    with pytest.raises(ValueError, match="unknown measure"):
        centrality_table(G, ("degree", "fame"))


def test_weighted_betweenness_uses_inverse_weight():
    # s and t are linked through x (two strong ties) and through y (two weak
    # ties).  With distance = 1/weight the path through x (0.4) is shorter
    # than through y (2), so x is the only broker; ignoring weights x and y
    # split the s-t pair.  Normalisation for n = 4 is 1 / 3.
    G = nx.Graph()
    G.add_edge("s", "x", weight=5)
    G.add_edge("x", "t", weight=5)
    G.add_edge("s", "y", weight=1)
    G.add_edge("y", "t", weight=1)
    w = centrality_table(G, ("betweenness",))
    assert w.loc["x", "betweenness"] == pytest.approx(1 / 3)
    assert w.loc["y", "betweenness"] == pytest.approx(0.0)
    # x-y: x-s-y and x-t-y are both 0.2 + 1 long, so s and t get half each
    assert w.loc["s", "betweenness"] == pytest.approx(1 / 6)
    u = centrality_table(G, ("betweenness",), weight=None)
    assert u.loc["x", "betweenness"] == pytest.approx(1 / 6)
    assert u.loc["y", "betweenness"] == pytest.approx(1 / 6)


def test_weighted_closeness_uses_inverse_weight():
    # a -(2)- b -(1)- c : distances from b are 0.5 and 1, from a 0.5 and 1.5
    G = nx.Graph()
    G.add_edge("a", "b", weight=2)
    G.add_edge("b", "c", weight=1)
    t = centrality_table(G, ("closeness",))
    assert t.loc["b", "closeness"] == pytest.approx(2 / 1.5)
    assert t.loc["a", "closeness"] == pytest.approx(2 / 2.0)
    assert t.loc["c", "closeness"] == pytest.approx(2 / 2.5)


def test_nonpositive_weight_rejected_for_path_measures():
    G = nx.Graph()
    G.add_edge("a", "b", weight=0)
    with pytest.raises(ValueError, match="positive"):
        centrality_table(G, ("betweenness",))
    # degree-type measures do not need distances
    assert centrality_table(G, ("degree",)).loc["a", "degree"] == 1


def test_eigenvector_connected_matches_networkx(seed002):
    t = centrality_table(seed002, ("eigenvector",))
    ref = nx.eigenvector_centrality_numpy(seed002, weight="weight")
    for v, x in ref.items():
        assert t.loc[v, "eigenvector"] == pytest.approx(x, abs=1e-9)


def test_eigenvector_disconnected_per_component():
    # P3 (a-b-c) + K2 (d-e) + isolate f, n = 6.
    # P3's unit eigenvector is (1, sqrt2, 1)/2, K2's (1, 1)/sqrt2; each is
    # scaled by sqrt(component size / 6); the isolate scores 0.
    G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    G.add_node("f")
    t = centrality_table(G, ("eigenvector",), weight=None)
    assert t.loc["b", "eigenvector"] == pytest.approx(math.sqrt(2) / 2 * math.sqrt(3 / 6))
    assert t.loc["a", "eigenvector"] == pytest.approx(0.5 * math.sqrt(3 / 6))
    assert t.loc["c", "eigenvector"] == pytest.approx(0.5 * math.sqrt(3 / 6))
    assert t.loc["d", "eigenvector"] == pytest.approx(math.sqrt(1 / 6))
    assert t.loc["f", "eigenvector"] == 0.0


def test_pagerank_is_networkx_pagerank(seed002):
    t = centrality_table(seed002, ("pagerank",))
    assert t["pagerank"].sum() == pytest.approx(1.0)
    ref = nx.pagerank(seed002, weight="weight")
    for v, x in ref.items():
        assert t.loc[v, "pagerank"] == pytest.approx(x)


def test_collective_nodes_excluded_before_computing(seed002):
    G = seed002.copy()
    hub = BASE + "collective/各有关单位"
    G.add_node(hub, label="各有关单位", kind="collective")
    for v in seed002:
        G.add_edge(hub, v, weight=1)
    t = centrality_table(G)
    assert hub not in t.index
    pd.testing.assert_frame_equal(t, centrality_table(seed002))
    kept = centrality_table(G, exclude_kinds=())
    assert hub in kept.index


def test_deterministic_sort_order():
    # ties on degree are broken by label, then by IRI
    G = nx.Graph()
    G.add_node("ex:3", label="乙")
    G.add_node("ex:2", label="甲")
    G.add_node("ex:1", label="甲")
    G.add_edge("ex:3", "ex:2")
    G.add_edge("ex:1", "ex:0")
    G.nodes["ex:0"]["label"] = "丙"
    t = centrality_table(G, ("degree", "betweenness"))
    labels = t["label"].tolist()
    assert t["degree"].tolist() == [1, 1, 1, 1]
    assert labels == sorted(labels)
    # by code point 丙 (U+4E19) < 乙 (U+4E59) < 甲 (U+7532); the two 甲 by IRI
    assert t.index.tolist() == ["ex:0", "ex:3", "ex:1", "ex:2"]
    assert t.index.tolist() == centrality_table(G, ("degree", "betweenness")).index.tolist()


def test_betweenness_sampling_is_seeded():
    G = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    a = centrality_table(G, ("betweenness",), weight=None, k=10, seed=3)
    b = centrality_table(G, ("betweenness",), weight=None, k=10, seed=3)
    pd.testing.assert_frame_equal(a, b)
    ref = nx.betweenness_centrality(G, k=10, seed=3)
    for v, x in ref.items():
        assert a.loc[v, "betweenness"] == pytest.approx(x)
    exact = centrality_table(G, ("betweenness",), weight=None)
    ref = nx.betweenness_centrality(G)
    for v, x in ref.items():
        assert exact.loc[v, "betweenness"] == pytest.approx(x)


def test_exact_betweenness_of_a_graph_in_many_components_is_networkx_s():
    """Exact betweenness is computed one component at a time (the coordination network of a corpus
    falls apart into many); the values are networkx's for the whole graph, weighted or not,
    undirected or directed."""
    from policykg.graph.analytics import _exact_betweenness

    rng = random.Random(7)
    parts = [nx.gnm_random_graph(n, 2 * n, seed=n) for n in (40, 12, 5, 2, 1)]
    G = nx.disjoint_union_all(parts)
    for u, v in G.edges:
        G.edges[u, v]["distance"] = rng.choice([0.5, 1.0, 1 / 3])
    D = nx.DiGraph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if rng.random() < 0.7)
    D.add_edges_from((v, u, d) for u, v, d in G.edges(data=True) if rng.random() < 0.5)
    assert nx.number_connected_components(G) >= 5 and nx.number_weakly_connected_components(D) >= 5
    for H in (G, D):
        for weight in ("distance", None):
            ref = nx.betweenness_centrality(H, normalized=True, weight=weight)
            got = _exact_betweenness(H, weight)
            assert list(got) == list(ref)
            assert max(ref.values()) > 0.01
            for v, x in ref.items():
                assert got[v] == pytest.approx(x, rel=1e-12, abs=1e-15)
    t = centrality_table(G, ("betweenness",), weight=None)
    for v, x in nx.betweenness_centrality(G).items():
        assert t.loc[v, "betweenness"] == pytest.approx(x, rel=1e-12, abs=1e-15)


def test_directed_graph_degree_counts_partners_once():
    D = nx.DiGraph()
    D.add_edge("a", "b", weight=2)
    D.add_edge("b", "a", weight=1)
    D.add_edge("a", "c", weight=1)
    t = centrality_table(D)
    assert t.loc["a", "degree"] == 2  # b (both ways) and c
    assert t.loc["a", "weighted_degree"] == 4
    assert t.loc["c", "degree"] == 1
    assert not t[list(CENTRALITY_MEASURES)].isna().any().any()


def test_multigraph_weights_are_summed():
    M = nx.MultiGraph()
    M.add_edge("a", "b", weight=2)
    M.add_edge("a", "b", weight=3)
    M.add_edge("b", "c", weight=1)
    t = centrality_table(M, ("weighted_degree", "degree"))
    assert t.loc["b", "weighted_degree"] == 6
    assert t.loc["a", "degree"] == 1


def test_empty_graph():
    t = centrality_table(nx.Graph())
    assert t.empty and list(t.columns) == ["label", "kind", *CENTRALITY_MEASURES]
    s = network_summary(nx.Graph())
    assert s["nodes"] == 0 and s["degree_centralization"] is None
    assert communities(nx.Graph()) == []


# ---------------------------------------------------------------------------
# brokerage, summary, communities on textbook graphs
# ---------------------------------------------------------------------------


def test_brokerage_star_and_hierarchy_by_hand():
    b = brokerage(nx.star_graph(4), weight=None)
    # the centre: four unconnected partners, each p = 1/4, constraint 4/16
    assert b.loc[0, "constraint"] == pytest.approx(0.25)
    assert b.loc[0, "effective_size"] == pytest.approx(4.0)
    assert b.loc[0, "hierarchy"] == pytest.approx(0.0)
    # a leaf depends on one partner entirely
    assert b.loc[1, "constraint"] == pytest.approx(1.0)
    assert math.isnan(b.loc[1, "hierarchy"])

    # ego 0 with ties of weight 3 and 1 to unconnected partners:
    # p = 3/4 and 1/4, c = 9/16 and 1/16, C = 10/16; r = 9/5 and 1/5
    G = nx.Graph()
    G.add_edge(0, 1, weight=3)
    G.add_edge(0, 2, weight=1)
    w = brokerage(G)
    assert w.loc[0, "constraint"] == pytest.approx(10 / 16)
    assert w.loc[0, "effective_size"] == pytest.approx(2.0)
    expected_h = (1.8 * math.log(1.8) + 0.2 * math.log(0.2)) / (2 * math.log(2))
    assert w.loc[0, "hierarchy"] == pytest.approx(expected_h)
    assert w.loc[0, "hierarchy"] == pytest.approx(0.5310, abs=1e-4)


def test_brokerage_isolate_is_nan():
    G = nx.Graph([("a", "b")])
    G.add_node("z")
    b = brokerage(G)
    assert b.index[-1] == "z"
    assert b.loc["z", ["constraint", "effective_size", "efficiency", "hierarchy"]].isna().all()


def test_network_summary_textbook_values():
    star = network_summary(nx.star_graph(4))
    assert star["degree_centralization"] == pytest.approx(1.0)
    assert star["betweenness_centralization"] == pytest.approx(1.0)
    complete = network_summary(nx.complete_graph(5))
    assert complete["degree_centralization"] == pytest.approx(0.0)
    assert complete["betweenness_centralization"] == pytest.approx(0.0)
    assert complete["average_clustering"] == pytest.approx(1.0)
    assert complete["density"] == pytest.approx(1.0)
    # P4 a-b-c-d: inner nodes have normalised betweenness 2/3, ends 0
    path = network_summary(nx.path_graph(4))
    assert path["betweenness_centralization"] == pytest.approx((2 / 3 + 2 / 3) / 3)
    assert path["degree_centralization"] == pytest.approx(2 / 6)
    assert path["average_clustering"] == 0.0
    two = nx.Graph([("a", "b"), ("c", "d")])
    two.add_node("e")
    s = network_summary(two)
    assert (s["components"], s["largest_component"], s["isolates"]) == (3, 2, 1)
    assert network_summary(nx.path_graph(2))["degree_centralization"] is None


def test_communities_sorted_by_size_then_label():
    G = nx.Graph()
    G.add_edges_from(itertools.combinations(["d1", "d2", "d3", "d4"], 2))
    G.add_edges_from(itertools.combinations(["b1", "b2", "b3"], 2))
    G.add_edges_from(itertools.combinations(["a1", "a2", "a3"], 2))
    G.add_edge("d1", "b1")
    G.add_edge("d2", "a1")
    comms = communities(G)
    assert [sorted(c) for c in comms] == [["d1", "d2", "d3", "d4"], ["a1", "a2", "a3"], ["b1", "b2", "b3"]]
    t = community_table(G)
    assert t.loc["a2", "community"] == 1
    assert t.loc["b3", "community"] == 2


# ---------------------------------------------------------------------------
# periods
# ---------------------------------------------------------------------------


def test_compare_periods_and_changes_on_seed002(seed002):
    # "2022": only tasks 三 to 十; "2023": the whole plan
    early = {k: v for k, v in SEED_002_TASKS.items() if k in ("三", "四", "五", "六", "七", "八", "九", "十")}
    G22 = build_seed_002(early)
    t = compare_periods({"2022": G22, "2023": seed002}, "degree")
    assert list(t.columns) == ["label", "kind", "2022", "2023"]
    # 市场监管局 in tasks 三-十 meets 司法 宣传 文旅 法院 检察 公安 科技 经信 财政
    # 大石化 商务 教委 卫健 发改 规自 = 15 partners
    assert t.loc[SAMR, "2022"] == 15
    assert t.loc[SAMR, "2023"] == 18
    for label in ("区大数据局", "区金融办", "区委组织部"):  # first named in 十五-二十
        assert math.isnan(t.loc[iri(label), "2022"])
    assert t.index[0] == SAMR

    c = changes(G22, seed002, "degree", top=None)
    entered = {e[1] for e in c["entered"]}
    assert entered == {"区大数据局", "区金融办", "区委组织部"}
    assert c["left"] == []
    assert (SAMR, "区市场监管局", 15, 18) in c["rose"]
    assert c["fell"] == []
    # 区委组织部 enters with 7 partners, more than 大数据局 (4) and 金融办 (3)
    assert c["entered"][0] == (iri("区委组织部"), "区委组织部", None, 7)
    rises = [after - before for _, _, before, after in c["rose"]]
    assert rises == sorted(rises, reverse=True)
    assert len(changes(G22, seed002, "degree", top=2)["rose"]) == 2


def test_changes_left_and_fell():
    before = nx.Graph([("a", "b"), ("a", "c"), ("a", "d")])
    after = nx.Graph([("a", "b"), ("b", "c")])
    c = changes(before, after, "degree")
    assert c["left"] == [("d", "d", 1, None)]
    assert c["fell"] == [("a", "a", 3, 1)]
    assert c["rose"] == [("b", "b", 1, 2)]  # c keeps its single partner
    assert c["entered"] == []


# ---------------------------------------------------------------------------
# paths and doctests
# ---------------------------------------------------------------------------


def test_shortest_connections_edge_cases():
    G = nx.Graph([("a", "b")])
    G.add_node("z")
    assert shortest_connections(G, "a", "z") == []
    assert shortest_connections(G, "a", "a") == [["a"]]
    with pytest.raises(nx.NodeNotFound):
        shortest_connections(G, "a", "nowhere")
    with pytest.raises(ValueError):
        shortest_connections(G, "a", "b", max_paths=0)
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    assert shortest_connections(D, "a", "c") == [["a", "b", "c"]]
    assert shortest_connections(D, "c", "a") == []


def test_shortest_connections_capped_on_many_paths():
    # a complete bipartite ladder has 10**4 shortest paths from s to t
    G = nx.Graph()
    layers = [["s"]] + [[f"{i}-{j}" for j in range(10)] for i in range(4)] + [["t"]]
    for left, right in zip(layers, layers[1:]):
        G.add_edges_from(itertools.product(left, right))
    paths = shortest_connections(G, "s", "t", max_paths=3)
    assert paths == [
        ["s", "0-0", "1-0", "2-0", "3-0", "t"],
        ["s", "0-0", "1-0", "2-0", "3-1", "t"],
        ["s", "0-0", "1-0", "2-0", "3-2", "t"],
    ]


def test_docstring_examples_run():
    result = doctest.testmod(analytics, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_function_documented():
    for name in analytics.__all__:
        obj = getattr(analytics, name)
        if callable(obj):
            doc = obj.__doc__ or ""
            for section in ("Parameters", "Returns", "Examples"):
                assert section in doc, (name, section)


def test_top_betweenness_is_the_head_of_the_centrality_table(seed002):
    """The build's summary line (no pandas) gives the table's first rows, exact and sampled."""
    from policykg.graph.analytics import top_betweenness

    for k in (None, 5):
        G = seed002.copy()
        table = centrality_table(G, ("betweenness",), k=k, seed=0)
        top = top_betweenness(G, 4, k=k, seed=0)
        assert [(node, label) for node, label, _ in top] == list(zip(table.index[:4], table["label"][:4]))
        assert [v for _, _, v in top] == pytest.approx(list(table["betweenness"][:4]))
        assert top[0][1] == "区市场监管局"
        assert G.nodes[SAMR]["size_value"] == pytest.approx(table.loc[SAMR, "betweenness"])


def test_importing_analytics_does_not_import_pandas():
    import subprocess
    import sys

    code = "import sys, policykg.graph.analytics, policykg.graph.build; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
