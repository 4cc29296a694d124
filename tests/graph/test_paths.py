"""Tests for policykg.graph.paths: names, the knowledge graph and path explanations.

Everything is checked on the bundled seeds, against what a reader finds in the
documents themselves (the quotes must occur verbatim in the seed files).
Seed 002 is the 2023 渝中区 work plan; seed 000 the 2017 opinion on the
Chongqing free-trade zone (中国(重庆)自由贸易试验区), whose item 13 names the
two-river, Xiyong and Guoyuan-port areas (两江片区 …) and their industries.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from policykg.graph import paths as P

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ID = "https://w3id.org/policykg/id/"
SCJ = ID + "agency/重庆市渝中区市场监督管理局"
SFJ = ID + "agency/重庆市渝中区司法局"
FY = ID + "agency/重庆市渝中区人民法院"
CQIPO = ID + "agency/重庆市知识产权局"
FTZ = ID + "zone/中国%28重庆%29自由贸易试验区"
LIANGJIANG = ID + "zone/两江片区"
TAIL_3 = "(区司法局牵头,区委宣传部、区文化旅游委、区法院、区检察院、区公安分局、区市场监管局按职责分工负责)"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kg(seed_store):
    return P.knowledge_graph(seed_store)


# ---------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, iri", [
    ("区市场监管局", SCJ),                       # the short form used in the 002 tails (altLabel)
    ("重庆市渝中区市场监督管理局", SCJ),         # the canonical name (prefLabel)
    ("区司法局", SFJ),
    ("区法院", FY),
    ("市知识产权局", CQIPO),
    ("两江片区", LIANGJIANG),
    ("自贸试验区", FTZ),                         # altLabel defined by 000's “(以下简称 重庆自贸试验区)”
    ("中国（重庆）自由贸易试验区", FTZ),         # full-width brackets are normalised (NFKC)
    ("生物医药", ID + "industry/生物医药"),
    ("知识产权行政执法和保护协作机制", ID + "mechanism/知识产权行政执法和保护协作机制"),
    (f"<{SCJ}>", SCJ),
    (SCJ, SCJ),
])
def test_resolve_name_accepts_every_form(seed_store, name, iri):
    assert P.resolve_name(seed_store, name) == [iri]
    assert P.resolve_one(seed_store, name) == iri


def test_unknown_name_suggests_names_containing_it(seed_store):
    assert P.resolve_name(seed_store, "不存在的机构") == []
    with pytest.raises(P.UnknownName) as exc:
        P.resolve_one(seed_store, "片区")
    labels = {c.label for c in exc.value.suggestions}
    assert {"两江片区", "西永片区", "果园港片区"} <= labels
    assert "两江片区" in str(exc.value)


def _two_districts_store(tmp_path):
    """Two district market regulators that both call themselves 区市场监管局."""
    from pyoxigraph import Literal, NamedNode, Quad

    from policykg.graph.store import open_store, write_store

    rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    pref = NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    alt = NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
    agency = NamedNode("https://w3id.org/policykg/ontology#Agency")
    g = NamedNode("urn:test:graph")
    quads = []
    for district in ("渝中区", "江北区"):
        a = NamedNode(f"{ID}agency/重庆市{district}市场监督管理局")
        quads += [Quad(a, rdf_type, agency, g),
                  Quad(a, pref, Literal(f"重庆市{district}市场监督管理局", language="zh-hans"), g),
                  Quad(a, alt, Literal("区市场监管局", language="zh-hans"), g)]
    write_store(tmp_path / "store", quads)
    return open_store(tmp_path)


def test_ambiguous_name_lists_the_candidates(tmp_path):
    store = _two_districts_store(tmp_path)
    assert len(P.resolve_name(store, "区市场监管局")) == 2
    with pytest.raises(P.AmbiguousName) as exc:
        P.resolve_one(store, "区市场监管局")
    message = str(exc.value)
    assert "重庆市渝中区市场监督管理局" in message and "重庆市江北区市场监督管理局" in message
    # the canonical name is never ambiguous
    assert P.resolve_one(store, "重庆市江北区市场监督管理局").endswith("江北区市场监督管理局")


# ---------------------------------------------------------------------------
# the knowledge graph
# ---------------------------------------------------------------------------


def test_knowledge_graph_holds_the_stated_facts(kg):
    kinds = {d["kind"] for _, d in kg.nodes(data=True)}
    assert kinds == {"agency", "collective", "task", "provision", "mechanism", "zone", "industry"}
    # 002 item (三): 区司法局牵头, 区法院 responsible — with the tail as provenance
    task3 = ID + "doc/002_2bca6094475032cd/p/s3"
    assert kg.nodes[task3]["label"] == "(三) 健全知识产权法规执行"
    lead = kg[SFJ][task3]
    assert lead["relations"] == ["lead"] and lead["subject"] == SFJ
    assert lead["provenance"][0]["document"] == "002_2bca6094475032cd.txt"
    assert lead["provenance"][0]["quote"] == TAIL_3
    assert TAIL_3 in seed_text("002_2bca6094475032cd.txt")
    assert kg[FY][task3]["relations"] == ["responsible"]
    # 000 item 13 names 两江片区 and its industries; 两江片区 is part of the free-trade zone
    assert kg.has_edge(LIANGJIANG, ID + "industry/生物医药")
    assert kg[LIANGJIANG][FTZ]["relations"] == ["zoneOf"] and kg[LIANGJIANG][FTZ]["subject"] == LIANGJIANG
    assert kg.nodes[ID + "doc/000_eb2995fcb8108479/p/s21"]["kind"] == "provision"  # no agency assigned


def test_every_quote_occurs_in_its_document(kg):
    texts = {}
    checked = 0
    for _, _, data in kg.edges(data=True):
        for prov in data["provenance"]:
            text = texts.setdefault(prov["document"], seed_text(prov["document"]))
            assert prov["quote"] in text, prov
            checked += 1
    assert checked > 300


def test_knowledge_graph_is_deterministic(seed_store, kg):
    again = P.knowledge_graph(seed_store)
    assert list(again.nodes) == list(kg.nodes)
    assert list(again.edges) == list(kg.edges)


def test_options_drop_collectives_and_provisions(seed_store):
    G = P.knowledge_graph(seed_store, collectives=False, provisions=False)
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert "collective" not in kinds and "provision" not in kinds


# ---------------------------------------------------------------------------
# paths
# ---------------------------------------------------------------------------


def test_sifaju_and_court_share_three_tasks(seed_store, kg):
    # Both are named in the tails of items (三), (十三) and (二十) of seed 002.
    paths = P.explain_paths(seed_store, "区司法局", "区法院", 3, graph=kg)
    assert len(paths) == 3 and all(len(p) == 2 for p in paths)
    first = paths[0]
    assert first[0].source == SFJ and first[0].relation == "lead" and first[0].forward
    assert first[0].target_label == "(三) 健全知识产权法规执行"
    assert first[0].quote == TAIL_3 and first[0].document == "002_2bca6094475032cd.txt"
    assert first[1].relation == "responsible" and not first[1].forward and first[1].target == FY
    labels = {p[0].target_label for p in paths}
    assert labels == {"(三) 健全知识产权法规执行", "(十三) 健全知识产权纠纷多元化解机制", "(二十) 加大知识产权能力建设"}
    line = P.format_path(first)
    assert line == (f"重庆市渝中区司法局 —lead→ (三) 健全知识产权法规执行 [002_2bca6094475032cd.txt: “{TAIL_3}”] "
                    "←responsible— 重庆市渝中区人民法院")  # the shared tail is quoted once


def test_city_ip_office_reaches_liangjiang_through_the_free_trade_zone(seed_store, kg):
    # 000 assigns the 市知识产权局 to lead tasks that concern the free-trade zone (e.g. item 2,
    # “市知识产权局采取委托执法方式,支持重庆自贸试验区各片区…”), and 两江片区 is an area of that
    # zone (pk:zoneOf). So a path exists: office —lead→ task —concerns zone→ zone ←part of— 两江片区.
    paths = P.explain_paths(seed_store, "市知识产权局", "两江片区", 3, graph=kg)
    assert paths and all(len(p) == 3 for p in paths)
    for p in paths:
        assert [s.relation for s in p] == ["lead", "concernsZone", "zoneOf"]
        assert p[1].target == FTZ and p[2].target == LIANGJIANG and not p[2].forward
    # only through tasks (no bare provisions) the answer is the same
    assert P.explain_paths(seed_store, "市知识产权局", "两江片区", 3, provisions=False) == paths
    # and on to the industries the text assigns to 两江片区
    longer = P.explain_paths(seed_store, "市知识产权局", "生物医药", 1, graph=kg)
    assert [s.relation for s in longer[0]] == ["lead", "concernsZone", "zoneOf", "hasIndustry"]


def test_city_ip_office_establishes_a_mechanism_directly(seed_store, kg):
    # 000 item 2 “探索建立统一的知识产权行政执法和保护协作机制” is led by the 市知识产权局.
    paths = P.explain_paths(seed_store, "市知识产权局", "知识产权行政执法和保护协作机制", 3, graph=kg)
    assert len(paths) == 1
    lead, establishes = paths[0]
    assert lead.relation == "lead" and lead.target_label == "2. 探索建立统一的知识产权行政执法和保护协作机制"
    assert establishes.relation == "establishes" and establishes.forward
    assert establishes.quote == "知识产权行政执法和保护协作机制"


def test_district_plan_is_not_connected_to_the_pilot_zones(seed_store, kg):
    # The 渝中区 plan (002) names no pilot zone and none of its mechanisms recurs in the
    # municipal documents, so nothing links its agencies to 两江片区.
    assert P.explain_paths(seed_store, "区市场监管局", "两江片区", 3, graph=kg) == []
    assert P.explain_paths(seed_store, "区市场监管局", "两江片区", 3, collectives=True, graph=kg) == []
    assert "are not connected" in P.format_paths([], "重庆市渝中区市场监督管理局", "两江片区")


def test_named_collective_is_kept_as_an_endpoint(seed_store, kg):
    # “…区市场监管局及其他领导小组成员单位按职责分工负责” in item (二十): the collective is responsible too.
    paths = P.explain_paths(seed_store, "领导小组各成员单位", "区司法局", 3, graph=kg)
    assert len(paths) == 1 and paths[0][0].target_label == "(二十) 加大知识产权能力建设"


def test_same_entity_is_refused(seed_store, kg):
    with pytest.raises(ValueError):
        P.explain_paths(seed_store, "区市场监管局", "重庆市渝中区市场监督管理局", graph=kg)


def test_paths_as_dicts_is_json_ready(seed_store, kg):
    import json

    data = P.paths_as_dicts(P.explain_paths(seed_store, "区司法局", "区法院", 1, graph=kg))
    assert json.loads(json.dumps(data, ensure_ascii=False))[0][0]["quote"] == TAIL_3
