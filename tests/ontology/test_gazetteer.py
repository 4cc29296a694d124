"""The place gazetteer: every county-level division, duplicated names read in context, and the
county names that are also common words."""
from __future__ import annotations

import re

from policykg.builders.extract.agencies import AgencyRecognizer, Jurisdiction
from policykg.ontology.gazetteer import load_gazetteer


def test_every_level_of_the_mainland_divisions_is_listed():
    gz = load_gazetteer()
    levels = {}
    for p in gz.places:
        levels[p.level] = levels.get(p.level, 0) + 1
    # the 34 province-level divisions, and the Xinjiang Production and Construction Corps: not a
    # division but a province-level administration whose bodies documents name (兵团市场监管局)
    assert levels["province"] == 35 and levels["city"] >= 330 and levels["district"] >= 2800
    assert gz.place_by_name["兵团"].full == "新疆生产建设兵团"
    # a county-level city, a county and an autonomous prefecture with their parents
    assert [p.full for p in gz.place_chain("汨罗市")] == ["汨罗市", "岳阳市", "湖南省"]
    assert [p.full for p in gz.place_chain("雷山县")] == ["雷山县", "黔东南苗族侗族自治州", "贵州省"]
    # an autonomous prefecture is also called by its short name, with or without 州
    assert gz.place_by_name["黔东南州"].full == gz.place_by_name["黔东南"].full == "黔东南苗族侗族自治州"
    # the curated Chongqing rows come first and keep their short forms
    assert gz.place_by_name["渝中"].full == "渝中区" and gz.place_by_name["江北区"].parent == "重庆市"
    # names that are ordinary words of policy text are not places
    assert "城区" not in gz.place_by_name and "矿区" not in gz.place_by_name


def test_a_duplicated_district_name_is_read_with_its_city_or_the_documents_place():
    gz = load_gazetteer()
    assert [p.parent for p in gz.places_by_name["鼓楼区"]] == ["南京市", "徐州市", "福州市", "开封市"]  # in code order
    assert gz.resolve(["宁波市", "江北区"]).parent == "宁波市"
    assert gz.resolve(["江北区"]).parent == "重庆市"  # alone: the first listed
    assert gz.resolve(["鼓楼区"], gz.place_chain("福州市")).parent == "福州市"


def test_county_names_that_are_common_words_need_a_boundary():
    rec = AgencyRecognizer(load_gazetteer())
    assert load_gazetteer().place_by_name["会同县"].common_word
    # 会同 'together with' before 县市场监管局 in a county's document: the county's own bureau
    county = Jurisdiction(load_gazetteer().place_chain("德化县"))
    text = "县政府督查室会同县市场监管局开展督查。"
    men = {m.surface: m.ref.canonical for m in rec.find(text, county)}
    assert men == {"县政府督查室": "德化县人民政府督查室", "县市场监管局": "德化县市场监督管理局"}
    # after its prefecture's name or punctuation it is the county
    assert re.findall(rec.places_re, "怀化市会同县人民政府、会同县财政局") == ["怀化市", "会同县", "会同县"]
    # a two-character county (理县, 高县) is not the tail of 管理县级 or 提高县域
    assert re.findall(rec.places_re, "管理县级事务，提高县域经济水平；理县人民政府") == ["理县"]


def test_a_prefecture_and_a_county_level_city_resolve_relative_names():
    rec = AgencyRecognizer(load_gazetteer())
    kaili = Jurisdiction(load_gazetteer().place_chain("凯里市"))
    assert kaili.name == "凯里市" and kaili.for_rel("市") == ("凯里市", "district")
    men = {m.surface: m.ref.canonical for m in rec.find("州市场监管局指导，市市场监管局负责；黔东南州市场监管局", kaili)}
    assert men == {"州市场监管局": "黔东南苗族侗族自治州市场监督管理局", "市市场监管局": "凯里市市场监督管理局",
                   "黔东南州市场监管局": "黔东南苗族侗族自治州市场监督管理局"}
    jiangbei = Jurisdiction(load_gazetteer().place_chain(load_gazetteer().resolve(["宁波市", "江北区"])))
    assert jiangbei.name == "宁波市江北区"
    men = {m.surface: m.ref.canonical for m in rec.find("区科技局牵头，宁波市江北区市场监管局配合", jiangbei)}
    assert men == {"区科技局": "宁波市江北区科学技术局", "宁波市江北区市场监管局": "宁波市江北区市场监督管理局"}
