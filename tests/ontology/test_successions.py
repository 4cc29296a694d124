"""Agency successions: the reforms recorded, names the pipeline produces, and org:ChangeEvent RDF."""
from __future__ import annotations

import pytest
import rdflib
from pyoxigraph import NamedNode, Store

from policykg.builders.extract.agencies import AgencyRecognizer, Jurisdiction
from policykg.ontology.gazetteer import load_gazetteer
from policykg.ontology.iris import GAZETTEER_GRAPH, Iris
from policykg.ontology.successions import (
    Succession, load_successions, parse_successions, resolve_successors, succession_quads,
)

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PK = rdflib.Namespace("https://w3id.org/policykg/ontology#")


def _event(original: str, resulting: str) -> Succession:
    for ev in load_successions():
        if original in ev.original and resulting in ev.resulting:
            return ev
    raise AssertionError(f"no succession {original} → {resulting}")


def test_the_2018_reforms_are_recorded_with_their_source():
    # national: 工商, 质监, 食药监 → 市场监管总局
    ev = _event("国家工商行政管理总局", "国家市场监督管理总局")
    assert set(ev.original) == {"国家工商行政管理总局", "国家质量监督检验检疫总局", "国家食品药品监督管理总局"}
    assert ev.kind == "merger" and ev.date == "2018-03-21" and "深化党和国家机构改革方案" in ev.source
    # Chongqing: 市工商局, 市质监局, 市食药监局 → 市市场监管局
    ev = _event("重庆市工商行政管理局", "重庆市市场监督管理局")
    assert set(ev.original) == {"重庆市工商行政管理局", "重庆市质量技术监督局", "重庆市食品药品监督管理局"}
    assert ev.date.startswith("2018") and "重庆市机构改革方案" in ev.source
    # 知识产权局: continues, placed under 市场监管 (national and Chongqing)
    ev = _event("国家知识产权局", "国家知识产权局")
    assert ev.kind == "reassignment" and ev.under == "国家市场监督管理总局" and ev.date.startswith("2018")
    cq = _event("重庆市知识产权局", "重庆市知识产权局")
    assert cq.kind == "reassignment" and cq.under == "重庆市市场监督管理局"
    # 2023: 国家知识产权局 becomes a body directly under the State Council
    later = [e for e in load_successions() if "国家知识产权局" in e.original and e.date.startswith("2023")]
    assert later and later[0].under == "中华人民共和国国务院"
    # split, renamings
    ev = _event("国家新闻出版广电总局", "国家广播电视总局")
    assert ev.kind == "split" and set(ev.resulting) == {"国家广播电视总局", "国家新闻出版署"}
    assert ev.principal == "国家广播电视总局"
    assert _event("文化部", "文化和旅游部").kind == "merger"
    assert _event("农业部", "农业农村部").kind == "renaming"
    assert _event("重庆市科学技术委员会", "重庆市科学技术局").kind == "renaming"


def test_every_event_is_sourced_and_dated():
    events = load_successions()
    assert len({e.key for e in events}) == len(events) >= 15
    for e in events:
        assert e.source and e.source_document and e.date[:4].isdigit()
        assert e.kind in ("merger", "renaming", "split", "restructuring", "reassignment")


def test_names_are_the_canonical_names_the_pipeline_produces():
    """A name the recogniser knows resolves to exactly itself (so IRIs meet the documents');
    the bodies of the issue are all known."""
    gz = load_gazetteer()
    rec = AgencyRecognizer(gz)
    chongqing, national = Jurisdiction(gz.place_chain("重庆市")), Jurisdiction(national=True)
    names = {n for e in load_successions() for n in (*e.original, *e.resulting, *([e.under] if e.under else []))}
    for name in sorted(names):
        found = rec.find(name, chongqing if name.startswith("重庆") else national)
        assert all(m.ref.canonical == name for m in found if m.start == 0 and m.end == len(name)), name
        assert not [m for m in found if (m.start, m.end) != (0, len(name))], (name, found)
    required = {"国家工商行政管理总局", "国家质量监督检验检疫总局", "国家食品药品监督管理总局", "国家市场监督管理总局",
                "国家知识产权局", "国家新闻出版广电总局", "国家广播电视总局", "国家新闻出版署", "文化部", "文化和旅游部",
                "农业部", "农业农村部", "重庆市工商行政管理局", "重庆市质量技术监督局", "重庆市食品药品监督管理局",
                "重庆市市场监督管理局", "重庆市知识产权局", "重庆市科学技术委员会", "重庆市科学技术局"}
    for name in required:
        found = rec.find(name, chongqing if name.startswith("重庆") else national)
        assert [(m.start, m.end, m.ref.canonical) for m in found] == [(0, len(name), name)], name


def test_the_seeds_name_predecessors_with_their_own_iris(seed_results):
    """A 2014 document names 重庆市科学技术委员会 and 重庆市工商行政管理局 — not their successors:
    successions are not aliases."""
    iris = Iris()
    named = {m.ref.canonical for res in seed_results.values() for m in res.extraction.mentions}
    assert {"重庆市科学技术委员会", "重庆市工商行政管理局"} <= named
    assert not {"重庆市科学技术局", "重庆市市场监督管理局"} & {
        m.ref.canonical for m in seed_results["004_cf21342dc1278932.txt"].extraction.mentions}
    for ev in load_successions():
        for a in ev.ended:
            for b in ev.resulting:
                assert iris.agency(a) != iris.agency(b)


def test_succession_quads_are_org_change_events_in_the_gazetteer_graph():
    iris = Iris()
    quads = succession_quads(iris)
    assert quads and all(q.graph_name == NamedNode(GAZETTEER_GRAPH) for q in quads)
    g = rdflib.Graph()
    for q in quads:
        g.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    events = set(g.subjects(rdflib.RDF.type, ORG.ChangeEvent))
    assert len(events) == len(load_successions())
    ev = rdflib.URIRef(str(iris.change_event("2018-chongqing-market")))
    assert ev in events
    orig = set(g.objects(ev, ORG.originalOrganization))
    assert rdflib.URIRef(str(iris.agency("重庆市工商行政管理局"))) in orig and len(orig) == 3
    assert set(g.objects(ev, ORG.resultingOrganization)) == {rdflib.URIRef(str(iris.agency("重庆市市场监督管理局")))}
    assert (rdflib.URIRef(str(iris.agency("重庆市工商行政管理局"))), ORG.changedBy, ev) in g
    assert any("重庆市机构改革方案" in str(c) for c in g.objects(ev, rdflib.RDFS.comment))
    assert str(g.value(ev, DCT.date)) == "2018"
    nat = rdflib.URIRef(str(iris.change_event("2018-national-samr")))
    assert g.value(nat, DCT.date).datatype == rdflib.XSD.date
    assert g.value(nat, rdflib.URIRef("http://www.w3.org/ns/prov#atTime")) is not None
    split = rdflib.URIRef(str(iris.change_event("2018-national-radio-press")))
    assert g.value(split, PK.principalSuccessor) == rdflib.URIRef(str(iris.agency("国家广播电视总局")))
    cnipa = rdflib.URIRef(str(iris.change_event("2018-national-cnipa")))
    assert g.value(cnipa, PK.placedUnder) == rdflib.URIRef(str(iris.agency("国家市场监督管理总局")))
    # organisations are labelled but are not counted as agencies of the corpus
    assert not set(g.subjects(rdflib.RDF.type, PK.Agency))
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert str(g.value(rdflib.URIRef(str(iris.agency("重庆市科学技术局"))), skos.prefLabel)) == "重庆市科学技术局"
    # the pk: terms used are declared in instruments.ttl
    from pathlib import Path

    ttl = rdflib.Graph().parse(Path(__file__).resolve().parents[2] / "ontology" / "instruments.ttl")
    used = {p for p in g.predicates() if str(p).startswith(str(PK))}
    assert used and all((p, rdflib.RDF.type, None) in ttl for p in used)


def test_succession_quads_in_a_store_answer_sparql():
    store = Store()
    store.bulk_extend(succession_quads(Iris()))
    rows = list(store.query("""PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?before ?after WHERE { ?e org:originalOrganization ?o ; org:resultingOrganization ?r .
          ?o skos:prefLabel ?before . ?r skos:prefLabel ?after . FILTER(?o != ?r) }""",
                            use_default_graph_as_union=True))
    pairs = {(r["before"].value, r["after"].value) for r in rows}
    assert ("重庆市科学技术委员会", "重庆市科学技术局") in pairs
    assert ("国家新闻出版广电总局", "国家新闻出版署") in pairs


def test_resolve_successors_follows_chains_dates_and_splits():
    events = load_successions()
    m = resolve_successors(events)
    assert m["重庆市工商行政管理局"] == "重庆市市场监督管理局"
    assert m["中国银行业监督管理委员会"] == "国家金融监督管理总局"  # 2018 → 2023 chain
    assert m["国家新闻出版广电总局"] == "国家广播电视总局"  # principal successor of a split
    assert "国家知识产权局" not in m and "重庆市知识产权局" not in m and "科学技术部" not in m
    assert m["国家外国专家局"] == "科学技术部"
    assert resolve_successors(events, until=2020)["中国银行业监督管理委员会"] == "中国银行保险监督管理委员会"
    assert resolve_successors(events, until="2017-12-31") == {}
    assert "重庆市科学技术委员会" in resolve_successors(events, until="2018-06")  # dated by year only
    assert "国家新闻出版广电总局" not in resolve_successors(events, splits="keep")
    with pytest.raises(ValueError):
        resolve_successors(events, splits="all")


def test_parse_errors_name_the_line():
    head = "key\tdate\toriginal\tresulting\tunder\tsource\n"
    with pytest.raises(ValueError, match=":2: date"):
        parse_successions(head + "k\t2018-3\tA\tB\t\tsrc\n")
    with pytest.raises(ValueError, match="source"):
        parse_successions(head + "k\t2018\tA\tB\t\t\n")
    with pytest.raises(ValueError, match="duplicate"):
        parse_successions(head + "k\t2018\tA\tB\t\ts\nk\t2019\tB\tC\t\ts\n")
    with pytest.raises(ValueError, match="under"):
        parse_successions(head + "k\t2018\tA\tB\tC\ts\n")
    with pytest.raises(ValueError, match="columns"):
        parse_successions(head + "k\t2018\tA\tB\n")
    ok = parse_successions(head + "b\t2019\tB\tC\t\ts\na\t2018\tA\tB\t\ts\n")
    assert [e.key for e in ok] == ["a", "b"] and resolve_successors(ok) == {"A": "C", "B": "C"}
