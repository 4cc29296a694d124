"""Policy-instrument coding: facts a person can check in the seeds, the rules that keep
cues honest, and RDF whose provenance spans quote the raw text."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, Store
from rdflib.namespace import RDFS

from policykg.builders.extract.instruments import (
    DIMENSIONS, TYPES, classify, classify_extraction, confidence, extraction_masks, instrument_iri,
    instrument_quads, measure_provisions, parse_instrument, scheme, scheme_quads,
)
from policykg.builders.extract.records import Provision
from policykg.ontology.iris import Iris, doc_key_for

ROOT = Path(__file__).resolve().parents[2]
TTL = ROOT / "ontology" / "instruments.ttl"
PK = "https://w3id.org/policykg/ontology#"
OA = "http://www.w3.org/ns/oa#"
SEED0 = "000_eb2995fcb8108479.txt"
SEED2 = "002_2bca6094475032cd.txt"


def _item(text: str, number: str = "1.") -> tuple[str, list[Provision]]:
    """A one-item document: "1.<text>"."""
    body = number + text
    title_end = len(number) + min([i for i in (text.find("。"), text.find("，"), text.find(",")) if i >= 0] + [len(text)])
    return body, [Provision("s0", number, text[:title_end - len(number)], len(number), title_end, 0, len(body), 1, None)]


def _coded(text: str, **kw) -> dict[str, object]:
    body, provs = _item(text)
    return {r.instrument: r for r in classify(body, provs, **kw)}


def _record(result, number: str, title: str = ""):
    prov = next(p for p in result.extraction.provisions if p.number == number and title in p.title)
    recs = {r.instrument: r for r in classify_extraction(result.norm.text, result.extraction) if r.provision == prov.key}
    return prov, recs


# ---------------------------------------------------------------------------------------------
# facts a person can check


def test_seed_000_financing_measures_are_environment_finance(seed_results):
    """000, item 8.: 知识产权质押融资, 专利(执行)保险 … → environment/finance, with those words as cues."""
    res = seed_results[SEED0]
    prov, recs = _record(res, "8.")
    assert "质押融资" in prov.title
    fin = recs["finance"]
    assert fin.notation == "environment/finance" and fin.dimension == "environment"
    assert fin.confidence >= 0.9 and fin.rule.startswith("cue-lexicon:")
    text = res.norm.text
    contexts = {text[max(0, c.start - 4):c.end + 2] for c in fin.cues}
    assert any("质押融资" in x for x in contexts)
    cue_texts = {c.text for c in fin.cues}
    assert "知识产权质押融资" in cue_texts
    assert "专利执行保险" in cue_texts  # 专利保险
    # every cue lies in one of the sentences recorded as evidence
    for c in fin.cues:
        assert any(s <= c.start and c.end <= e for s, e in fin.sentences)


def test_seed_002_pledge_financing_task_and_other_checkable_codings(seed_results):
    res = seed_results[SEED2]
    _, recs = _record(res, "(十六)")  # 推动知识产权质押融资
    assert "finance" in recs
    _, recs = _record(res, "(三)")  # 健全知识产权法规执行: 《专利法》《商标法》… 修订
    assert "regulation" in recs
    _, recs = _record(res, "(八)")  # 鼓励知识产权海外布局
    assert "overseas-agencies" in recs
    _, recs = _record(res, "(十九)")  # 加大知识产权文化建设: 宣传, 普及
    assert "strategic-measures" in recs
    res0 = seed_results[SEED0]
    assert "talent" in _record(res0, "17.")[1]  # 加快知识产权人才培养
    assert "funding" in _record(res0, "(三)", "保障资金投入")[1]  # 保障资金投入: 财政资金
    assert "pilot-demonstration" in _record(res0, "1.", "改革试点")[1]


def test_framing_sections_and_category_headings_are_not_measures(seed_results):
    res = seed_results[SEED0]
    tasks = {a.provision for a in res.extraction.assignments}
    titles = {p.title for p, _, _ in measure_provisions(res.extraction.provisions, tasks, res.norm.text)}
    assert not any(t.startswith(("指导思想", "工作目标")) for t in titles)
    assert "主要任务" not in titles  # a section with sub-items is not itself a measure
    res4 = seed_results["004_cf21342dc1278932.txt"]
    tasks = {a.provision for a in res4.extraction.assignments}
    measures = measure_provisions(res4.extraction.provisions, tasks, res4.norm.text)
    assert all(p.kind == "row" for p, _, _ in measures)  # "(一)完善专利法规政策" lines are categories


# ---------------------------------------------------------------------------------------------
# the rules


def test_unclassifiable_measures_stay_unclassified():
    assert _coded("认真做好相关工作，确保各项任务落到实处。") == {}
    # weak cues never code on their own, however many
    assert _coded("鼓励和引导企业积极推广先进经验，培育良好风尚。") == {}


def test_several_types_per_measure_and_confidence():
    recs = _coded("支持保险机构开展专利执行保险业务，加大对侵权假冒行为的打击力度。")
    assert {"finance", "ip-protection", "regulation"} <= set(recs)
    assert 0.6 <= recs["finance"].confidence <= 1.0


def test_masked_spans_and_titles_are_not_cues():
    text = "1.重庆市金融工作办公室负责相关工作。"
    body, provs = _item(text[2:])
    assert "finance" in {r.instrument for r in classify(body, provs)}
    start = body.index("重庆市金融工作办公室")
    masked = classify(body, provs, masks=[(start, start + len("重庆市金融工作办公室"))])
    assert "finance" not in {r.instrument for r in masked}
    # words inside a title are not cues; the title counts as a whole
    recs = _coded("贯彻落实《重庆市知识产权保护和运用规划》。")
    assert "ip-protection" not in recs and "goal-planning" in recs
    assert [c.text for c in recs["goal-planning"].cues] == ["重庆市知识产权保护和运用规划"]
    recs = _coded("贯彻落实《专利法》《商标法》。")
    assert recs["regulation"].rule.endswith("法律文件")


def test_false_friends():
    assert "trade-control" not in _coded("支持中国(重庆)自由贸易试验区建设。")
    assert "goal-planning" not in _coded("培育战略性新兴产业的龙头企业，开展试点。")
    assert "technology-support" not in _coded("支持高校和科研院所开展试点。")


def test_no_cue_overlaps_an_agency_or_assignment_in_the_seeds(seed_results):
    for name, res in seed_results.items():
        masks = extraction_masks(res.norm.text, res.extraction)
        for rec in classify_extraction(res.norm.text, res.extraction):
            for c in rec.cues:
                assert not any(a < c.end and c.start < b for a, b in masks), (name, rec.provision, c)


def test_every_seed_has_codings_and_unclassified_measures_are_absent(seed_results):
    for name, res in seed_results.items():
        recs = classify_extraction(res.norm.text, res.extraction)
        assert recs, name
        assert all(r.instrument in TYPES and r.cues and r.sentences for r in recs)
        assert len({(r.provision, r.instrument) for r in recs}) == len(recs)
        assert recs == classify_extraction(res.norm.text, res.extraction)  # deterministic


def test_confidence_formula():
    from policykg.builders.extract.instruments import Cue

    a = Cue("finance", "finance:质押", 0, 2, "质押", 0.9)
    b = Cue("finance", "finance:保险", 3, 5, "保险", 0.8)
    assert confidence([a]) == 0.9
    assert confidence([a, b]) == pytest.approx(0.98)
    # one cue rule counts at most twice
    many = [Cue("finance", "finance:基金", i, i + 2, "基金", 0.6) for i in range(0, 20, 4)]
    assert confidence(many) == pytest.approx(1 - 0.4 ** 2)


# ---------------------------------------------------------------------------------------------
# the scheme


def test_scheme_has_every_type_with_labels_definitions_and_examples():
    sch = scheme()
    assert set(sch) == set(TYPES) | set(DIMENSIONS)
    for cid, d in sch.items():
        assert d["zh"] and d["en"] and d["definition_zh"] and d["definition_en"], cid
        if cid in TYPES:
            assert d["notation"] == f"{TYPES[cid]}/{cid}" and d["dimension"] == TYPES[cid]
            assert d["examples"], cid
    assert sch["finance"]["zh"] == "金融支持" and sch["pilot-demonstration"]["zh"] == "示范工程"


def test_scheme_examples_are_coded_as_their_type():
    for cid, d in scheme().items():
        for example in d["examples"]:
            assert cid in _coded(example + "。"), (cid, example)


def test_pk_terms_of_instruments_ttl_are_labelled_in_zh_and_en():
    g = rdflib.Graph().parse(TTL)
    terms = {s for s in g.subjects() if str(s).startswith(PK)}
    assert {PK + t for t in ("InstrumentType", "InstrumentCoding", "instrument", "qualifiedInstrument", "cue",
                             "confidence", "placedUnder", "principalSuccessor")} == {str(t) for t in terms}
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            assert {"zh-Hans", "en"} <= {o.language for o in g.objects(term, prop)}, (term, prop)
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    assert len(set(g.subjects(rdflib.RDF.type, skos.Concept))) == len(TYPES) + len(DIMENSIONS)


def test_parse_instrument():
    assert parse_instrument("environment/finance") == "finance"
    assert parse_instrument("finance") == parse_instrument("金融支持") == parse_instrument("Finance") == "finance"
    assert parse_instrument(instrument_iri("tax")) == "tax"
    with pytest.raises(ValueError):
        parse_instrument("subsidy")


# ---------------------------------------------------------------------------------------------
# RDF


@pytest.fixture(scope="module")
def seed_quads(seed_results, builder):
    return {name: instrument_quads(res.raw, res.norm, res.extraction, builder.iris) for name, res in seed_results.items()}


def test_quads_are_in_the_document_graph_and_quote_the_raw_text(seed_results, seed_quads, builder):
    for name, quads in seed_quads.items():
        res = seed_results[name]
        key = doc_key_for(name)
        doc = NamedNode(str(builder.iris.document(key)))
        assert quads and all(q.graph_name == doc for q in quads)
        store = Store()
        store.bulk_extend(quads)
        rows = store.query(f"""PREFIX pk: <{PK}> PREFIX oa: <{OA}>
            SELECT ?sp ?s ?e ?exact WHERE {{ ?c pk:cue ?sp . ?sp oa:start ?s ; oa:end ?e ; oa:exact ?exact }}""", use_default_graph_as_union=True)
        n = 0
        for r in rows:
            s, e = int(r["s"].value), int(r["e"].value)
            assert res.raw.text[s:e] == r["exact"].value
            assert r["sp"].value == str(builder.iris.span(key, s, e))
            n += 1
        assert n


def test_seed_000_finance_in_rdf(seed_results, seed_quads, builder):
    store = Store()
    store.bulk_extend(list(seed_results[SEED0].assembled.quads) + seed_quads[SEED0])
    rows = list(store.query(f"""PREFIX pk: <{PK}> PREFIX oa: <{OA}>
        SELECT ?heading ?conf ?rule ?exact WHERE {{
          ?p pk:instrument <{instrument_iri('finance')}> ; pk:heading ?heading ; pk:qualifiedInstrument ?c .
          ?c pk:instrument <{instrument_iri('finance')}> ; pk:confidence ?conf ; pk:rule ?rule ; pk:cue ?sp .
          ?sp oa:exact ?exact }}""", use_default_graph_as_union=True))
    by_heading: dict[str, set[str]] = {}
    for r in rows:
        by_heading.setdefault(r["heading"].value, set()).add(r["exact"].value)
    pledge = next(h for h in by_heading if "质押融资" in h)
    assert {"知识产权质押融资", "专利执行保险"} <= by_heading[pledge]


def test_assembled_plus_instrument_quads_validate(seed_results, seed_quads):
    from policykg.graph.store import nquads_lines
    from policykg.graph.validate import validate_ntriples

    quads = [q for name, res in seed_results.items() for q in (*res.assembled.quads, *seed_quads[name])]
    nq = nquads_lines(quads)
    assert validate_ntriples("\n".join(sorted({line.rsplit(" ", 2)[0] + " ." for line in nq}))) == []


def test_scheme_quads_parse_into_the_ontology_graph():
    from policykg.ontology.iris import ONTOLOGY_GRAPH

    quads = scheme_quads()
    assert quads and all(q.graph_name == NamedNode(ONTOLOGY_GRAPH) for q in quads)
    assert Iris().document("x")  # the minter is untouched
