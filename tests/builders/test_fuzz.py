"""Fuzzing the structure parser and the whole extraction: no crash, every span valid."""
from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from policykg.builders.model import RawDocument
from policykg.builders.structure import find_pipe_tables, find_sections, find_spaced_tables

PIECES = [
    "一、", "二、", "（一）", "(二)", "1.", "2、", "（1）", "十二、", "(十三)", "-", "——",
    "区司法局牵头", "区委宣传部、区法院按职责分工负责", "（区市场监管局负责）", "(市知识产权局牵头,市财政局配合)",
    "由省市场监管局牵头，会同省公安厅", "各区县(自治县)知识产权局", "领导小组各成员单位", "（以下简称：领导小组）",
    "建立健全知识产权纠纷多元化解机制", "到2025年，有效专利达到12万件以上", "国发 2017 19 号", "《专利法》",
    "序号 | 工作任务 | 牵头单位 | 配合单位", "1 | 建立机制 | 区法院 | 区检察院、", "执行部门 配合单位 责任处室 工作措施",
    "重庆市知识产权局", "规划发展处", "第一季度，", "两江片区重点发展的高端装备、云计算等新兴产业",
    "知識産權局關於", "（", "）", "(", ")", "|", "。", "，", "；", "\n", " ", "\u3000", "①", "㈠", "",
]


def _doc(text: str) -> RawDocument:
    import hashlib

    return RawDocument("fuzz.txt", "fuzz.txt", text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), "txt", "utf-8")


texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_structure_parser_never_crashes(text):
    secs = find_sections(text)
    for s in secs:
        assert 0 <= s.start <= s.heading_start <= s.heading_end <= s.end <= len(text)
        assert s.parent is None or secs[s.parent].depth < s.depth
    for row in find_pipe_tables(text):
        for c in row.cells:
            assert text[c.start:c.end] == c.text
    headers, rows = find_spaced_tables(text)
    for r in rows:
        for a, b in r["spans"]:
            assert 0 <= a <= b <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts)
def test_whole_pipeline_spans_are_valid(builder, text):
    from policykg.builders.model import DocumentError

    raw = _doc(text)
    try:
        result = builder.build_raw(raw)
    except DocumentError:
        return  # nothing left after normalisation: reported, not crashed
    starts, ends, quotes = {}, {}, {}
    for q in result.assembled.quads:
        p = q.predicate.value
        if p.endswith("#start"):
            starts[q.subject.value] = int(q.object.value)
        elif p.endswith("#end"):
            ends[q.subject.value] = int(q.object.value)
        elif p.endswith("#exact"):
            quotes[q.subject.value] = q.object.value
    for span, s in starts.items():
        e = ends[span]
        assert 0 <= s < e <= len(text)
        assert text[s:e] == quotes[span]
