"""Tests of policykg.builders.normalise on the bundled seed documents and on generated text."""
from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.builders.model import NormalisedText
from policykg.builders.normalise import normalise

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
LINE_SEPARATORS = "\r\x0b\x0c\x85\u2028\u2029"


def seed(prefix: str) -> str:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def seed_result(prefix: str) -> NormalisedText:
    return normalise(seed(prefix))


@lru_cache(maxsize=1)
def t2s():
    import opencc

    try:
        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - older/newer config spelling
        return opencc.OpenCC("t2s.json")


def is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK")


def allowed_change(raw_piece: str, out: str, script: str) -> bool:
    """Whether ``out`` is a legitimate normalisation of the raw characters ``raw_piece``."""
    if raw_piece == out:
        return True
    nf = unicodedata.normalize("NFKC", raw_piece)
    if out in nf:  # NFKC-changed (possibly expanded) character
        return True
    if script == "traditional":  # t2s-changed character (phrases may differ from chars)
        if out in t2s().convert(nf) or (is_han(out) and all(map(is_han, nf))):
            return True
    if out == "\n" and raw_piece in LINE_SEPARATORS:
        return True
    if out == " " and nf.isspace():  # a collapsed whitespace run (tab, ideographic space...)
        return True
    return False


def assert_valid_map(raw: str, r: NormalisedText) -> None:
    assert isinstance(r.starts, array) and isinstance(r.ends, array)
    assert r.starts.typecode == "l" and r.ends.typecode == "l"
    assert len(r.starts) == len(r.ends) == len(r.text)
    assert r.script in ("simplified", "traditional")
    prev_s = prev_e = 0
    for i, (s, e) in enumerate(zip(r.starts, r.ends)):
        assert 0 <= s < e <= len(raw), (i, s, e)
        assert s >= prev_s and e >= prev_e, f"map not monotone at {i}"
        prev_s, prev_e = s, e
        assert allowed_change(raw[s:e], r.text[i], r.script), (i, raw[s:e], r.text[i])


def assert_same(a: NormalisedText, b: NormalisedText) -> None:
    assert a.text == b.text
    assert a.starts == b.starts and a.ends == b.ends
    assert a.script == b.script


# ---------------------------------------------------------------------------
# the seed documents
# ---------------------------------------------------------------------------
def test_seeds_present():
    assert len(SEED_FILES) == 5


def test_seed_000_pdf_page_counters_and_spaces():
    r = seed_result("000")
    t = r.text
    assert "法治保障的体制机制;搭建" in t  # "…体制机\n3、制;搭建" rejoined across the page break
    assert "3、制" not in t
    assert "知识 产权" not in t and "知识产权" in t
    assert not re.search(r"(?:^|\n)\s*\d+、", t), "a page counter survived"
    assert not t.startswith("1")  # "1、 1 加强…": counter and page number both gone
    assert t.startswith("加强中国(重庆)自由贸易试验区知识产权工作的意见")
    assert "1.开展知识产权综合管理服务改革试点" in t
    assert "2.探索建立统一的知识产权行政执法和保护协作机制" in t
    assert "治国理政新理念新思想新战略" in t  # "治国理政\n2、新 理念 新 思想新战略"
    assert "“五位一体”总体布局" in t  # "“ 五 位一体 ” 总体 布局"
    assert "2017年11月22日印发" in t
    assert "(国发2017 19号)" in t  # spaces between two numbers are kept
    assert r.script == "simplified"


def test_seed_001_traditional_web_page():
    r = seed_result("001")
    t = r.text
    assert r.script == "traditional"
    assert "知识产权局关于加快建设知识产权强市的指导意见" in t
    assert "国知发管字〔2016〕86号" in t
    assert "知識" not in t and "産" not in t and "國" not in t
    assert t.startswith("知识产权局关于加快建设知识产权强市的指导意见")
    for chrome in ("EN", "https://", "www.gov.cn", "字号", "默认", "打印", "纠错", "责任编辑",
                   "扫一扫", "来源", "07:10"):  # fmt: skip
        assert chrome not in t, chrome
    assert t.endswith("国家知识产权局\n2016年11月9日")


def test_seed_002_metadata_table_and_body_kept():
    raw = seed("002")
    r = seed_result("002")
    assert r.script == "simplified"
    assert r.text.startswith("[索引号] | 11500000MB1633299M/2024-00041 |")
    assert "重庆市渝中区知识产权工作领导小组办公室关于印发《2023年渝中区知识产权工作要点》的通知" in r.text
    assert r.text.endswith("区市场监管局及其他领导小组成员单位按职责分工负责)")
    # nothing but spaces was removed from this clean page
    removed = set(range(len(raw))) - {i for s, e in zip(r.starts, r.ends) for i in range(s, e)}
    assert all(raw[i].isspace() for i in removed)


def test_seed_003_full_width_punctuation():
    r = seed_result("003")
    t = r.text
    assert r.script == "simplified"
    assert not re.search("[\uff01-\uff5e]", t)  # no full-width ASCII forms left
    assert "各区县(自治县)人民政府,市政府各部门,有关单位:" in t
    assert "渝府办发〔2014〕83号" in t
    assert "\n\n\n" not in t and not t.startswith("\n")


def test_seed_004_flattened_table_and_biography():
    r = seed_result("004")
    t = r.text
    assert "重庆市知识产权局 有关行业协会 专利管理处" in t
    assert "工作措施 工作目标 具体措施 进度安排 执行部门 配合单位 责任处室" in t
    for furniture in ("个人简介", "中国政法大学", "fengxiaoqingipr", "邮箱", "通讯处", "点击进入免费咨询",
                      "Zip", "阅读数", "知识产权学术与实务研究网"):  # fmt: skip
        assert furniture not in t, furniture
    assert t.endswith("2.建立健全专利代理人知识更新培训体系,全市不低于80%的执业专利代理人参加实务技能培训。")
    # the automatic decision is "table"; forcing the other way removes the cell spaces
    assert_same(r, normalise(seed("004"), keep_table_spaces=True))
    forced = normalise(seed("004"), keep_table_spaces=False)
    assert "重庆市知识产权局有关行业协会专利管理处" in forced.text


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_map_valid_and_deterministic(path):
    raw = path.read_text(encoding="utf-8")
    r = normalise(raw)
    assert_valid_map(raw, r)
    assert_same(r, normalise(raw))
    assert all(line == line.strip() for line in r.text.split("\n"))


TABLE_SEEDS = {"004"}


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_spans_renormalise(path):
    """A sentence of the normalised text maps to raw text that, re-normalised, contains it."""
    raw = path.read_text(encoding="utf-8")
    table = path.name[:3] in TABLE_SEEDS
    r = normalise(raw)
    assert_same(r, normalise(raw, keep_table_spaces=table))
    checked = 0
    pos = 0
    for sentence in re.split(r"(?<=[。;\n])", r.text):
        start, end = pos, pos + len(sentence)
        pos = end
        sentence = sentence.strip()
        if len(sentence) < 4:
            continue
        start += len(r.text[start:end]) - len(r.text[start:end].lstrip())
        a, b = r.raw_span(start, start + len(sentence))
        if "\n" in raw[a:b]:
            continue  # rejoined across a PDF page break: the counter needs the whole page run
        again = normalise(raw[a:b], keep_table_spaces=table).text
        assert sentence in again, (sentence, raw[a:b], again)
        checked += 1
    assert checked >= 10


# ---------------------------------------------------------------------------
# the steps, on small inputs
# ---------------------------------------------------------------------------
def test_empty_and_blank():
    for raw in ("", "   ", "\n\n\n", "\r\n\t\u3000"):
        r = normalise(raw)
        assert r.text == "" and len(r.starts) == 0 and len(r.ends) == 0


def test_line_endings_and_trailing_spaces():
    r = normalise("第一行  \r\n第二行\r第三行\t\n")
    assert r.text == "第一行\n第二行\n第三行"
    assert r.raw_span(4, 7) == (7, 10)


def test_nfkc_maps_expansions():
    raw = "①㈠（１２）ＡＢ"
    r = normalise(raw)
    assert r.text == "1(一)(12)AB"
    assert list(r.starts[:4]) == [0, 1, 1, 1] and list(r.ends[:4]) == [1, 2, 2, 2]
    assert r.raw_span(1, 4) == (1, 2)


def test_traditional_detection_and_map():
    r = normalise("知識産權 國家")
    assert r.text == "知识产权国家" and r.script == "traditional"
    assert list(r.starts) == [0, 1, 2, 3, 5, 6]
    # one stray traditional character in a simplified text does not convert it
    simp = "我国城市发展已经进入新的发展时期,知识产权正在成为城市创新驱动发展的新引擎。" * 3 + "國"
    r = normalise(simp)
    assert r.script == "simplified" and r.text.endswith("國")


def test_spaces_in_chinese_text():
    assert normalise("2017 年 11 月 22 日").text == "2017年11月22日"
    assert normalise("“ 五 位一体 ” 总体 布局").text == "“五位一体”总体布局"
    assert normalise("六中 、 七中 (四 )创新").text == "六中、七中(四)创新"
    assert normalise("Hello  world 2016 25 号").text == "Hello world 2016 25号"


def test_table_spaces_kept():
    raw = "工作措施 工作目标 具体措施 进度安排 执行\n部门 配合\n单位 责任处室\n重庆市知识产权局   有关行业协会 专利管理处"
    r = normalise(raw)
    assert r.text.endswith("重庆市知识产权局 有关行业协会 专利管理处")
    split_header = "序\n号 牵头\n单位 配合\n单位\n1 市知识产权局 市财政局"
    assert normalise(split_header).text.endswith("1 市知识产权局 市财政局")
    # the same cells without a header line are treated as extraction debris
    assert normalise("重庆市知识产权局 有关行业协会").text == "重庆市知识产权局有关行业协会"


def test_page_number_lines():
    raw = "正文第一段\n- 3 -\n第3页\n—4—\n3/12\n7\n正文。"
    assert normalise(raw).text == "正文第一段\n正文。"


def test_page_counter_rejoins_but_numbered_list_untouched():
    page = "一二三四五六七八九十" * 5
    raw = f"1、 1 {page}体\n2、制{page}知识\n3、产权{page}。\n4、{page}"
    r = normalise(raw)
    assert r.text == f"{page}体制{page}知识产权{page}。\n{page}"
    lst = "1、加强组织领导。\n2、强化政策引导。\n3、开展检查评估。\n4、加大宣传力度。"
    assert normalise(lst).text == lst
    toc = "1、指导思想\n2、基本原则\n3、发展目标\n4、主要任务"
    assert normalise(toc).text == toc


def test_chrome_lines_removed():
    raw = (
        "字号：大 中 小\n打印本页 关闭窗口\n分享到\nEN\nhttps://www.gov.cn/\n【打印】【关闭】\n"
        "来源:某某网 作者: 时间:2015-03-02 阅读数:\n正文。\n字號: 默認 超大 | 打印 |\n"
        "【我要糾錯】 責任編輯:劉淼\n掃一掃在手機打開當前頁\n"
    )
    assert normalise(raw).text == "正文。"
    # lines of a notice that merely look like a byline are kept
    notice = "会议通知。\n日期:2023年5月1日,时间:上午9:00\n地点:第一会议室"
    assert normalise(notice).text == notice


def test_trailing_furniture_block_only_at_the_end():
    body = "正文第一段,内容很长很长。\n重庆市知识产权局\n2014年4月15日"
    trailer = "\n- 个人简介:(学术)\n- 某大学教授\n- 邮箱:someone@example.com\n地址:某路1号\n点击进入免费咨询>>"
    assert normalise(body + trailer).text == body
    assert normalise(body).text == body
    # a contact line at the end of a notice is content, not furniture
    notice = body + "\n联系人:张三\n地址:重庆市渝中区某路1号"
    assert normalise(notice).text == notice


def test_determinism_and_no_shared_state():
    raw = seed("001") + "\n" + seed("004")
    a = normalise(raw)
    normalise(seed("000"))
    b = normalise(raw)
    assert_same(a, b)


# ---------------------------------------------------------------------------
# generated text
# ---------------------------------------------------------------------------
SIMPLIFIED = list("知识产权局关于加快建设强市的指导意见重庆市政府工作措施目标单位部门配合牵头")
TRADITIONAL = list("知識産權國發號關於強導實際區縣業務機構")
PIECES = (
    SIMPLIFIED
    + [" ", "  ", "\u3000", "\t", "\n", "\n\n", "\r\n", "\r", "\u2028"]
    + list("0123456789") + list("０１２３（）：，；．")
    + ["①", "㈠", "⑴", "…", "℃", "。", "、", "“", "”", "《", "》", "(", ")", ",", ";", ":", "-", "—", "|"]
    + ["1、", "2、", "3、", "\n1、", "\n2、", "\n3、", "\n4、", "- 3 -", "第3页", "3/12", "序号 ", "责任单位 "]
)
CHROME = ["字号", "打印", "关闭", "EN", "https://x.cn/", "来源:", "阅读数:", ">>", "点击", "- ", "邮箱:"]

simplified_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
any_text = st.lists(st.sampled_from(PIECES + TRADITIONAL * 2 + CHROME), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text, st.sampled_from([None, True, False]))
def test_generated_map_valid(raw, keep):
    r = normalise(raw, keep_table_spaces=keep)
    assert_valid_map(raw, r)
    assert_same(r, normalise(raw, keep_table_spaces=keep))
    assert "\r" not in r.text and "\n\n\n" not in r.text
    assert all(line == line.strip() for line in r.text.split("\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simplified_text, st.booleans())
def test_generated_lines_renormalise(raw, keep):
    """Each normalised line maps to raw text that, re-normalised alone, contains it."""
    r = normalise(raw, keep_table_spaces=keep)
    pos = 0
    for line in r.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line:
            continue
        a, b = r.raw_span(start, start + len(line))
        if "\n" in unicodedata.normalize("NFKC", raw[a:b]).replace("\r", "\n").replace("\u2028", "\n"):
            continue  # joined across a page break
        assert line in normalise(raw[a:b], keep_table_spaces=keep).text


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_arbitrary_unicode_map_valid(raw):
    r = normalise(raw)
    assert_valid_map(raw, r)


def test_nfkc_fast_path_table_is_correct():
    """The code points the normaliser assumes NFKC-stable really are."""
    from policykg.builders.normalise import _STABLE, _flags

    flags = _flags()
    stable = [c for c in range(0x110000) if flags[c] & _STABLE]
    assert len(stable) > 20000
    assert all(unicodedata.normalize("NFKC", chr(c)) == chr(c) for c in stable)
