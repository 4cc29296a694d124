"""Tests for policykg.builders.read on real files the tests make themselves."""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pytest

from policykg.builders.model import DocumentError, RawDocument
from policykg.builders.read import SUPPORTED_SUFFIXES, read_bytes, read_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# One policy text, written into every container format.
TITLE = "2023年渝中区知识产权工作要点"
HEADING = "一、完善知识产权工作体系"
PARA_1 = ("（一）巩固知识产权组织领导。进一步发挥渝中区知识产权工作领导小组牵头统领作用，"
          "加强统筹协调和多部门联动，定期召开工作会议，研究解决重点难点问题。"
          "（领导小组办公室牵头，各领导小组成员单位按职责分工负责）")
PARA_2 = ("（二）健全知识产权法规执行。贯彻落实《专利法》《商标法》《著作权法》《反垄断法》"
          "和《重庆市反不正当竞争条例》等法律法规，配合推进商标法及其实施条例、专利法实施细则、"
          "著作权法实施条例等修订工作。（区司法局牵头，区委宣传部、区法院、区检察院按职责分工负责）")
TABLE = [
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "健全知识产权法规执行", "区司法局", "区法院、区检察院", "2023年12月底"],
    ["2", "推进商标品牌培育", "区商务委", "区市场监管局", "长期坚持"],
]
ROWS = [" | ".join(r) for r in TABLE]
KEY_SENTENCES = [
    "区司法局牵头",
    "（区司法局牵头，区委宣传部、区法院、区检察院按职责分工负责）",
    "（领导小组办公室牵头，各领导小组成员单位按职责分工负责）",
    HEADING,
    *ROWS,
]


def plain_text() -> str:
    return "\n".join([TITLE, HEADING, PARA_1, PARA_2, *ROWS]) + "\n"


# --------------------------------------------------------------------------- file builders


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=1)
    d.add_paragraph(HEADING)
    d.add_paragraph(PARA_1)
    d.add_paragraph(PARA_2)
    table = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("表后说明：以上任务按季度报送进展。")
    d.save(path)
    return path


def _register_cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(path: Path, footer: str = "- {n} -") -> Path:
    """Two A4 pages: title, heading, two wrapping paragraphs, a ruled task table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)

    font = _register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    head = ParagraphStyle("head", fontName=font, fontSize=16, leading=24, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13, wordWrap="CJK")

    def page_number(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 30, footer.format(n=doc.page))
        canvas.restoreState()

    table = Table([[Paragraph(v, cell) for v in row] for row in TABLE],
                  colWidths=[36, 130, 70, 110, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph(TITLE, head), Spacer(1, 12), Paragraph(HEADING, body),
             Paragraph(PARA_1, body), PageBreak(), Paragraph(PARA_2, body), Spacer(1, 12),
             table, Spacer(1, 12), Paragraph("表后说明：以上任务按季度报送进展。", body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=page_number,
                                                    onLaterPages=page_number)
    return path


def make_image_only_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(72, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    return path


GOV_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_重庆市渝中区人民政府</title>
<meta name="ArticleTitle" content="{title}">
<style>.nav {{ color: red }} body {{ font-size: 16px }}</style>
<script>var shareText = "区司法局牵头"; function printPage() {{ window.print(); }}</script>
</head>
<body>
<header class="top"><a href="/">重庆市渝中区人民政府</a><a href="#">无障碍</a><a href="#">长者模式</a></header>
<div class="nav" id="nav">
  <ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul>
</div>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="zwxl-main">
  <table class="gkxl-top">
    <tbody>
      <tr><td class="t1">[ 索引号 ]</td><td>11500000MB1633299M/2024-00041</td>
          <td class="t1">[ 发文字号 ]</td><td>渝中知识产权办〔2023〕3号</td></tr>
      <tr><td class="t1">[ 主题分类 ]</td><td>市场监管、安全生产监管</td>
          <td class="t1">[ 体裁分类 ]</td><td>计划、发展目标</td></tr>
      <tr><td class="t1">[ 发布机构 ]</td><td colspan="3"> 重庆市渝中区市场监督管理局 </td></tr>
      <tr><td class="t1">[ 成文日期 ]</td><td>2023-07-31</td>
          <td class="t1">[ 发布日期 ]</td><td>2023-08-03</td></tr>
    </tbody>
  </table>
  <div class="zwxl-article">
    <h1 class="zwxl-title">{title}</h1>
    <div class="fontsize">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
    <div id="printContent" class="view TRS_UEDITOR trs_paper_default">
      <p style="text-indent: 2em;">{heading}</p>
      <p style="text-indent: 2em;">{para_1}</p>
      <p style="text-indent: 2em;">{para_2_a}
      {para_2_b}</p>
      <table border="1" cellspacing="0">
        <thead><tr>{head_cells}</tr></thead>
        <tbody>{body_rows}</tbody>
      </table>
      <p>表后说明：以上任务按季度报送进展。</p>
    </div>
  </div>
  <div class="share-box bdsharebuttonbox"><span>分享到：</span>
    <a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
  <div class="zwxl-bottom"><a href="javascript:window.print()">【打印本页】</a>
    <a href="javascript:window.close()">【关闭窗口】</a></div>
  <div style="display:none">隐藏的统计代码文字</div>
</div>
<div class="footer">
  <p>主办：重庆市渝中区人民政府办公室　　网站标识码：5001030001</p>
  <p>渝ICP备05003300号-1　渝公网安备 50010302000123号</p>
</div>
<script src="/js/stat.js"></script>
</body>
</html>
"""


def make_html(path: Path, encoding: str = "utf-8", charset: str | None = None) -> Path:
    cut = PARA_2.index("区司法局") + 4  # a source line break inside "区司法局|牵头"
    page = GOV_PAGE.format(
        charset=charset or encoding, title=TITLE, heading=HEADING, para_1=PARA_1,
        para_2_a=PARA_2[:cut], para_2_b=PARA_2[cut:],
        head_cells="".join(f"<th>{v}</th>" for v in TABLE[0]),
        body_rows="".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
                          for row in TABLE[1:]),
    )
    path.write_bytes(page.encode(encoding))
    return path


def lines_of(doc: RawDocument) -> list[str]:
    return doc.text.split("\n")


# --------------------------------------------------------------------------- plain text


def test_seeds_read_as_utf8():
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds
    for seed in seeds:
        doc = read_document(seed)
        raw = seed.read_bytes()
        assert doc.fmt == "txt" and doc.encoding == "utf-8"
        assert doc.text == raw.decode("utf-8").replace("\r\n", "\n")
        assert doc.sha256 == hashlib.sha256(raw).hexdigest()
        assert doc.name == seed.name and doc.path == str(seed)
    # seed 002 is a saved gov page whose header lines hold the metadata table
    assert read_document(SEEDS / "002_2bca6094475032cd.txt").metadata == {
        "索引号": "11500000MB1633299M/2024-00041",
        "主题分类": "市场监管、安全生产监管",
        "体裁分类": "计划、发展目标",
        "发布机构": "重庆市渝中区市场监督管理局",
        "发布日期": "2023-08-03",
    }
    assert read_document(SEEDS / "003_9c80ff83156f27fc.txt").metadata == {}


def test_read_bytes_for_bundled_seed():
    seed = SEEDS / "002_2bca6094475032cd.txt"
    doc = read_bytes(seed.read_bytes(), seed.name, path=f"seeds/{seed.name}")
    assert doc.path == f"seeds/{seed.name}" and doc.name == seed.name
    assert "区司法局牵头" in doc.text
    assert read_bytes(b"abc", "x.txt").path == "x.txt"


def _seed_lines(name: str, encoding: str) -> str:
    """The seed's lines that ``encoding`` can encode (strictly).

    Seed 001 writes 産 (U+7523, the Japanese form) where Big5 has 產 (U+7522):
    for Big5 it is converted first, as a Taiwanese editor would have it.
    """
    text = (SEEDS / name).read_text(encoding="utf-8")
    if encoding == "big5":
        text = text.replace("\u7523", "\u7522")
    keep = []
    for line in text.splitlines():
        try:
            line.encode(encoding, errors="strict")
        except UnicodeEncodeError:
            continue
        keep.append(line)
    return "\n".join(keep)


@pytest.mark.parametrize("encoding, expected", [
    ("gb18030", "gb18030"), ("gbk", "gb18030"), ("gb2312", "gb18030"),
])
def test_txt_simplified_chinese_legacy_encodings(tmp_path, encoding, expected):
    text = _seed_lines("002_2bca6094475032cd.txt", encoding)
    assert "区司法局牵头" in text
    path = tmp_path / f"doc_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.encoding == expected
    assert doc.text == text


def test_txt_big5_traditional(tmp_path):
    text = _seed_lines("001_f24d6cf811bb1823.txt", "big5")
    assert len(text) > 2000 and "知識" in text
    path = tmp_path / "trad.txt"
    path.write_bytes(text.encode("big5"))
    doc = read_document(path)
    assert doc.encoding == "big5"
    assert doc.text == text


def test_txt_gb18030_traditional_text(tmp_path):
    # traditional characters saved as GB18030 must not be mistaken for Big5
    text = (SEEDS / "001_f24d6cf811bb1823.txt").read_text(encoding="utf-8")
    path = tmp_path / "trad_gb.txt"
    path.write_bytes(text.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and doc.text == text


def test_txt_short_lines_pick_the_right_legacy_encoding():
    """Line by line, GBK bytes that also decode as Big5 (and back) are told apart."""
    checked = 0
    cases = [(name, "gbk") for name in ("002_2bca6094475032cd.txt", "003_9c80ff83156f27fc.txt",
                                        "004_cf21342dc1278932.txt")]
    cases.append(("001_f24d6cf811bb1823.txt", "big5"))
    for name, encoding in cases:
        for line in _seed_lines(name, encoding).splitlines():
            for sample in (line[:16], line):
                data = sample.encode(encoding)
                if data.isascii() or not sample.strip():
                    continue
                doc = read_bytes(data, "line.txt")
                assert doc.text == sample, (name, sample, doc.encoding)
                checked += 1
    assert checked > 300


@pytest.mark.parametrize("encoding, expected", [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_txt_with_byte_order_mark(tmp_path, encoding, expected):
    path = tmp_path / "bom.txt"
    path.write_bytes(plain_text().encode(encoding))
    doc = read_document(path)
    assert doc.encoding == expected
    assert doc.text == plain_text()
    assert not doc.text.startswith("\ufeff")


def test_txt_utf16_without_bom_and_damaged_utf8(tmp_path):
    doc = read_bytes(plain_text().encode("utf-16-le"), "u16.txt")
    assert doc.text == plain_text() and doc.encoding.startswith("utf-16")
    cut = plain_text().encode("utf-8") + "区司法局牵头".encode("utf-8")[:2]  # cut mid-character
    with pytest.warns(UserWarning, match="damaged UTF-8"):
        doc = read_bytes(cut, "cut.txt")
    assert doc.encoding == "utf-8" and doc.text.endswith("\ufffd")
    assert PARA_2 in doc.text


def test_html_stale_charset_declaration(tmp_path):
    path = tmp_path / "resaved.html"
    make_html(path, encoding="utf-8", charset="gb2312")
    doc = read_document(path)
    assert doc.encoding == "utf-8" and PARA_2 in lines_of(doc)


def test_txt_crlf_and_other_suffixes(tmp_path):
    for suffix in (".text", ".md", ".TXT"):
        path = tmp_path / f"doc{suffix}"
        path.write_bytes(plain_text().replace("\n", "\r\n").encode("utf-8"))
        doc = read_document(path)
        assert doc.fmt == "txt" and doc.text == plain_text()


# --------------------------------------------------------------------------- HTML


def test_html_gov_page_chrome_removed_and_metadata_parsed(tmp_path):
    doc = read_document(make_html(tmp_path / "page.html"))
    assert doc.fmt == "html" and doc.encoding == "utf-8"
    text = doc.text
    for chrome in ("首页", "政务公开", "当前位置", "无障碍", "分享到", "微信", "打印", "关闭",
                   "字号：", "主办", "ICP", "隐藏的统计代码", "window.print", "font-size",
                   "shareText"):
        assert chrome not in text, chrome
    assert doc.metadata == {
        "索引号": "11500000MB1633299M/2024-00041",
        "发文字号": "渝中知识产权办〔2023〕3号",
        "主题分类": "市场监管、安全生产监管",
        "体裁分类": "计划、发展目标",
        "发布机构": "重庆市渝中区市场监督管理局",
        "成文日期": "2023-07-31",
        "发布日期": "2023-08-03",
        "标题": TITLE,  # from <meta name="ArticleTitle">
    }
    lines = lines_of(doc)
    # the metadata table is part of the page body, so it stays in the text
    assert "[ 发布机构 ] | 重庆市渝中区市场监督管理局" in lines
    assert lines[lines.index(TITLE) + 1] == HEADING
    assert PARA_1 in lines and PARA_2 in lines  # the source line break is gone
    for row in ROWS:
        assert row in lines
    assert lines[-1] == "表后说明：以上任务按季度报送进展。"
    for sentence in KEY_SENTENCES:
        assert sentence in text


def test_html_declared_gb2312_with_gbk_bytes(tmp_path):
    doc = read_document(make_html(tmp_path / "page.htm", encoding="gbk", charset="gb2312"))
    assert doc.encoding == "gb18030"
    assert PARA_2 in lines_of(doc) and doc.metadata["发文字号"] == "渝中知识产权办〔2023〕3号"


def test_html_undeclared_big5(tmp_path):
    body = _seed_lines("001_f24d6cf811bb1823.txt", "big5").split("\n")[:40]
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in body) + "</body></html>"
    path = tmp_path / "trad.shtml"
    path.write_bytes(page.encode("big5"))
    doc = read_document(path)
    assert doc.encoding == "big5"
    chrome = "字號: 默認 超大 | 打印 |"  # the page's font-size/print widget, as the seed has it
    assert chrome in body
    assert lines_of(doc) == [line.strip() for line in body if line.strip() and line != chrome]


def test_html_govcn_inline_labels(tmp_path):
    page = """<html><head><meta charset="utf-8"></head><body>
    <table class="bd1"><tr><td>
      <table>
        <tr><td><b>索　引　号：</b></td><td>000014349/2023-00012</td>
            <td><b>主题分类：</b></td><td>科技、教育\\知识产权</td></tr>
        <tr><td><b>发文机关：</b></td><td>国务院办公厅</td>
            <td><b>成文日期：</b></td><td>2023年01月05日</td></tr>
        <tr><td><b>标　　题：</b></td><td colspan="3">国务院办公厅关于知识产权工作的通知</td></tr>
        <tr><td><b>发文字号：</b></td><td>国办发〔2023〕1号</td>
            <td><b>发布日期：</b></td><td>2023年01月10日</td></tr>
      </table>
    </td></tr></table>
    <div class="pages-date">2023-01-10 10:00 <span class="font">字号：<span>默认</span>
      <span>大</span><span>超大</span></span>
      <span class="spacer">|</span><span class="printIco">打印</span></div>
    <div class="pages_content" id="UCAP-CONTENT"><p>各省、自治区、直辖市人民政府：</p>
    <p>知识产权工作由国家知识产权局牵头，各部门按职责分工负责。</p></div>
    <div class="editor">【我要纠错】 责任编辑：张三</div>
    </body></html>"""
    path = tmp_path / "govcn.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.metadata == {
        "索引号": "000014349/2023-00012", "主题分类": "科技、教育\\知识产权",
        "发文机关": "国务院办公厅", "成文日期": "2023年01月05日",
        "标题": "国务院办公厅关于知识产权工作的通知", "发文字号": "国办发〔2023〕1号",
        "发布日期": "2023年01月10日",
    }
    assert "知识产权工作由国家知识产权局牵头，各部门按职责分工负责。" in lines_of(doc)
    assert "打印" not in doc.text and "超大" not in doc.text
    assert "2023-01-10 10:00" in lines_of(doc)  # the date stays, the widget and its "|" go
    assert "发文字号： | 国办发〔2023〕1号 | 发布日期： | 2023年01月10日" in lines_of(doc)


def test_html_govcn_colon_free_labels(tmp_path):
    page = """<html><body><table>
    <tr><td><b>索 引 号</b></td><td>000014349/2024-00012</td><td><b>主题分类</b></td>
        <td>工业、交通\\其他</td></tr>
    <tr><td><b>发文机关</b></td><td>国务院办公厅</td><td><b>成文日期</b></td><td>2024年01月05日</td></tr>
    <tr><td><b>发文字号</b></td><td>国办发〔2024〕1号</td><td><b>有效性</b></td><td></td></tr>
    </table><p>正文：区司法局牵头。</p></body></html>"""
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    assert read_document(path).metadata == {
        "索引号": "000014349/2024-00012", "主题分类": "工业、交通\\其他", "发文机关": "国务院办公厅",
        "成文日期": "2024年01月05日", "发文字号": "国办发〔2024〕1号",
    }


def test_html_rowspan_repeated_colspan_once(tmp_path):
    page = """<html><body><table>
    <tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>完成时限</td></tr>
    <tr><td>1</td><td>健全法规执行</td><td rowspan="2">区司法局</td><td>年底</td></tr>
    <tr><td>2</td><td>完善纠纷调解</td><td>长期</td></tr>
    <tr><td>3</td><td colspan="2">由领导小组统筹</td><td>长期</td></tr>
    </table></body></html>"""
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    assert lines_of(read_document(path)) == [
        "序号 | 工作任务 | 牵头单位 | 完成时限",
        "1 | 健全法规执行 | 区司法局 | 年底",
        "2 | 完善纠纷调解 | 区司法局 | 长期",
        "3 | 由领导小组统筹 | 长期",
    ]


def test_html_layout_table_is_read_as_blocks(tmp_path):
    article = "".join(f"<p>{p}</p>" for p in (HEADING, PARA_1, PARA_2))
    page = f"""<html><body><table width="100%"><tr>
    <td class="left"><a href="/a">机构概况</a><br><a href="/b">政策文件</a></td>
    <td class="right"><h2>{TITLE}</h2>{article}</td>
    </tr></table></body></html>"""
    path = tmp_path / "layout.html"
    path.write_text(page, encoding="utf-8")
    assert lines_of(read_document(path)) == ["机构概况", "政策文件", TITLE, HEADING, PARA_1, PARA_2]


def test_html_asp_net_form_wrapping_the_page_is_kept(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in (HEADING, PARA_1, PARA_2))
    page = f"""<html><body><form id="form1" method="post" action="./show.aspx">
    <input type="hidden" name="__VIEWSTATE" value="abc"><div class="search"><form><input
    type="text" name="q"><button>搜索</button></form></div>{body}</form></body></html>"""
    path = tmp_path / "show.aspx.html"
    path.write_text(page, encoding="utf-8")
    assert lines_of(read_document(path)) == [HEADING, PARA_1, PARA_2]


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_task_table_in_order(tmp_path):
    doc = read_document(make_docx(tmp_path / "plan.docx"))
    assert doc.fmt == "docx" and doc.encoding == "" and doc.metadata == {}
    assert lines_of(doc) == [TITLE, HEADING, PARA_1, PARA_2, *ROWS,
                             "表后说明：以上任务按季度报送进展。"]
    for sentence in KEY_SENTENCES:
        assert sentence in doc.text


def test_docx_merged_cells_cell_newlines_and_numbering(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("健全知识产权法规执行", style="List Number")
    d.add_paragraph("加速知识产权政策完善", style="List Number")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "牵头单位"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "配合单位"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "区司法局"
    table.cell(1, 1).text = "区法院\n区检察院"
    table.cell(1, 2).text = "2023年"
    table.cell(2, 1).text = "区公安分局"
    table.cell(2, 2).text = "长期"
    path = tmp_path / "merged.docx"
    d.save(path)
    assert lines_of(read_document(path)) == [
        "1. 健全知识产权法规执行",
        "2. 加速知识产权政策完善",
        "牵头单位 | 配合单位",  # horizontal merge: once
        "区司法局 | 区法院 区检察院 | 2023年",
        "区司法局 | 区公安分局 | 长期",  # vertical merge: the value holds for every row
    ]


def test_docx_chinese_list_numbering(tmp_path):
    """Word's automatic （一）/1. numbering is rendered as text, counting per level."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("完善知识产权工作体系", 0)
    numbered("巩固知识产权组织领导。", 1)
    for _ in range(10):
        numbered("健全知识产权法规执行。（区司法局牵头）", 1)
    numbered("坚持知识产权创新创造", 0)
    numbered("实施知识产权质量提升。", 1)
    path = tmp_path / "numbered.docx"
    d.save(path)
    lines = lines_of(read_document(path))
    assert lines[:3] == ["一、完善知识产权工作体系", "（一）巩固知识产权组织领导。",
                         "（二）健全知识产权法规执行。（区司法局牵头）"]
    assert lines[11] == "（十一）健全知识产权法规执行。（区司法局牵头）"
    assert lines[12:] == ["二、坚持知识产权创新创造", "（一）实施知识产权质量提升。"]


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("footer", ["- {n} -", "第{n}页", "{n}", "第 {n} 页 共 2 页"])
def test_pdf_cjk_text_tables_and_page_numbers(tmp_path, footer):
    doc = read_document(make_pdf(tmp_path / "plan.pdf", footer))
    assert doc.fmt == "pdf" and doc.encoding == ""
    lines = lines_of(doc)
    # pdfplumber reads the STSong-Light CID font text back as the same Chinese text,
    # wrapped paragraphs are re-joined and the task table comes back row by row
    assert lines == [TITLE, HEADING, PARA_1, PARA_2, *ROWS, "表后说明：以上任务按季度报送进展。"]
    for sentence in KEY_SENTENCES:
        assert sentence in doc.text


def test_pdf_merged_cells_like_docx(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = _register_cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13, wordWrap="CJK")
    data = [["牵头单位", "配合单位", "完成时限"], ["区司法局", "区法院", "2023年"],
            ["", "区公安分局", "长期"], ["由领导小组统筹", "", "年底"]]
    table = Table([[Paragraph(v, cell) for v in row] for row in data], colWidths=[100] * 3)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (1, 3))]))
    path = tmp_path / "merged.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([table])
    assert lines_of(read_document(path)) == [
        "牵头单位 | 配合单位 | 完成时限",
        "区司法局 | 区法院 | 2023年",
        "区司法局 | 区公安分局 | 长期",  # vertical merge: repeated, as for DOCX
        "由领导小组统筹 | 年底",  # horizontal merge: once
    ]


def test_pdf_paragraph_across_a_page_break_is_rejoined(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _register_cjk_font()
    text = PARA_2 + PARA_2  # long enough for four full lines and a short one
    lines = [text[:38]] + [text[38 + 40 * i: 78 + 40 * i]
                           for i in range((len(text) - 38) // 40 + 1)]
    path = tmp_path / "across.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 200
    for i, line in enumerate(lines):
        if i == 3:  # page break in the middle of the paragraph
            c.setFont(font, 10)
            c.drawCentredString(A4[0] / 2, 30, "- 1 -")
            c.showPage()
            y = 780
        c.setFont(font, 12)
        c.drawString(96 if i == 0 else 72, y, line)
        y -= 20
    c.setFont(font, 10)
    c.drawCentredString(A4[0] / 2, 30, "- 2 -")
    c.showPage()
    c.save()
    assert read_document(path).text == text


def test_pdf_mixed_scanned_page_warns(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _register_cjk_font()
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(font, 12)
    c.drawString(72, 760, "区司法局牵头，区法院配合。")
    c.showPage()
    c.rect(72, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    with pytest.warns(UserWarning, match="pages 2 have no text layer"):
        doc = read_document(path)
    assert doc.text == "区司法局牵头，区法院配合。"


# --------------------------------------------------------------------------- every format


def test_every_format_yields_the_same_key_sentences(tmp_path):
    txt = tmp_path / "plan.txt"
    txt.write_text(plain_text(), encoding="utf-8")
    docs = [read_document(txt), read_document(make_html(tmp_path / "plan.html")),
            read_document(make_docx(tmp_path / "plan.docx")),
            read_document(make_pdf(tmp_path / "plan.pdf"))]
    assert [d.fmt for d in docs] == ["txt", "html", "docx", "pdf"]
    for doc in docs:
        lines = lines_of(doc)
        for line in (HEADING, PARA_1, PARA_2, *ROWS):
            assert line in lines, (doc.fmt, line)


# --------------------------------------------------------------------------- errors


def expect_error(path, *fragments, **kwargs) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(path, **kwargs)
    err = info.value
    assert err.path == str(path)
    message = str(err)
    assert Path(str(path)).name in message
    for fragment in fragments:
        assert fragment in err.reason, (fragment, err.reason)
    return err


def test_missing_path(tmp_path):
    expect_error(tmp_path / "nope.txt", "no such file")
    expect_error(tmp_path / "no_dir" / "nope.pdf", "no such file", "does not exist")


def test_directory(tmp_path):
    folder = tmp_path / "docs.txt"
    folder.mkdir()
    expect_error(folder, "is a directory")


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    expect_error(path, "empty file")


def test_whitespace_only(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\u3000\n", encoding="utf-8")
    expect_error(path, "only whitespace")
    page = tmp_path / "blank.html"
    page.write_text("<html><head><title>x</title><script>var a=1;</script></head><body>"
                    "<div class='nav'><a>首页</a></div><p>  </p></body></html>", encoding="utf-8")
    expect_error(page, "no text")
    import docx

    empty_docx = tmp_path / "blank.docx"
    d = docx.Document()
    d.add_paragraph("   ")
    d.save(empty_docx)
    expect_error(empty_docx, "no text")


def test_over_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("区司法局牵头。" * 100, encoding="utf-8")
    err = expect_error(path, "over the size limit", "--max-size", max_bytes=1000)
    assert "1000 bytes" in err.reason
    with pytest.raises(DocumentError, match="--max-size"):
        read_bytes(path.read_bytes(), "big.txt", max_bytes=1000)
    assert read_document(path, max_bytes=10_000).text.startswith("区司法局牵头")


def test_binary_txt(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 4)
    expect_error(path, "binary content")
    controls = tmp_path / "controls.txt"
    controls.write_bytes(b"\x01\x02\x03\x04\x05\x06abc" * 50)
    expect_error(controls, "binary content")
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    expect_error(png, "not a text file", "image")


def test_undecodable_txt(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(("区司法局牵头".encode("gbk") + b"\x81\x20\xff\xfe abc\n") * 20)
    expect_error(path, "cannot decode", "UTF-8", "GB18030", "Big5")


def test_truncated_docx(tmp_path):
    data = make_docx(tmp_path / "full.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    expect_error(path, "corrupt or truncated DOCX")
    junk = tmp_path / "junk.docx"
    junk.write_text("这不是Word文件", encoding="utf-8")
    expect_error(junk, "corrupt DOCX")


def test_docx_missing_document_part(tmp_path):
    import zipfile

    path = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    expect_error(path, "corrupt DOCX", "missing")


def test_renamed_doc_as_docx(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    expect_error(path, "not a DOCX file", "soffice --headless --convert-to docx")


def test_corrupt_pdf(tmp_path):
    data = make_pdf(tmp_path / "full.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    expect_error(path, "corrupt or truncated PDF")
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + b"this is not really a pdf\n" * 20)
    expect_error(garbage, "corrupt or truncated PDF")
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("区司法局牵头", encoding="utf-8")
    expect_error(not_pdf, "corrupt PDF", "%PDF")


def test_password_protected_pdf(tmp_path):
    from reportlab.pdfgen import canvas

    font = _register_cjk_font()
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.setFont(font, 12)
    c.drawString(72, 700, "区司法局牵头。")
    c.showPage()
    c.save()
    expect_error(path, "password-protected PDF", "qpdf --decrypt")


def test_image_only_pdf(tmp_path):
    path = make_image_only_pdf(tmp_path / "scan.pdf")
    expect_error(path, "scanned PDF without a text layer: OCR is needed (e.g. ocrmypdf) before "
                       "policykg can read it")


@pytest.mark.parametrize("name, data, fragments", [
    ("notice.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     ["convert .doc to .docx with LibreOffice: soffice --headless --convert-to docx FILE"]),
    ("notice.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["WPS", "--convert-to docx"]),
    ("notice.rtf", b"{\\rtf1\\ansi hello}", ["RTF", "--convert-to docx"]),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(100), ["OCR"]),
    ("scan.JPG", b"\xff\xd8\xff\xe0" + bytes(100), ["OCR"]),
    ("tasks.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["spreadsheet", "soffice"]),
    ("notice.xyz", b"hello", ["unsupported file type '.xyz'", ".docx"]),
    ("notice", b"hello", ["no extension"]),
    ("notice.doc", b"PK\x03\x04" + b"[Content_Types].xml word/document.xml" + bytes(100),
     ["rename the file to .docx"]),
])
def test_unsupported_formats(tmp_path, name, data, fragments):
    path = tmp_path / name
    path.write_bytes(data)
    expect_error(path, *fragments)
    with pytest.raises(DocumentError) as info:
        read_bytes(data, name, path=f"seeds/{name}")
    assert info.value.path == f"seeds/{name}"


def test_error_is_raised_from_read_bytes_with_given_path():
    with pytest.raises(DocumentError) as info:
        read_bytes(b"", "a.txt", path="seeds/a.txt")
    assert info.value.path == "seeds/a.txt" and info.value.reason == "empty file (0 bytes)"
    assert str(info.value) == "seeds/a.txt: empty file (0 bytes)"


def test_no_warnings_for_clean_files(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_document(make_pdf(tmp_path / "plan.pdf"))
        read_document(make_docx(tmp_path / "plan.docx"))


def test_markdown_marks_are_removed_from_md_files(tmp_path):
    from policykg.builders.read import read_document

    p = tmp_path / "plan.md"
    p.write_text("# 重点任务分工 #\n\n> 按职责分工\n\n- **市科技局**牵头，见[附件](a.html)。\n1. 第一项\n"
                 "| 序号 | 工作任务 |\n|---|---|\n", encoding="utf-8")
    text = read_document(p).text
    assert text == "重点任务分工\n\n按职责分工\n\n市科技局牵头，见附件。\n1. 第一项\n| 序号 | 工作任务 |\n|---|---|\n"
    txt = tmp_path / "plan.txt"  # the same bytes in a .txt file are read as they are
    txt.write_bytes(p.read_bytes())
    assert read_document(txt).text.startswith("# 重点任务分工 #")


# --------------------------------------------------------------------------- spreadsheets

SHEET_HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]


def make_xlsx(path: Path) -> Path:
    """A task-division workbook as such attachments are made: a title merged across the table, a
    header, category rows merged across, a 牵头单位 merged down over two tasks, a cell with a line
    break, an empty cell, a date, a hidden sheet and a notes sheet."""
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点任务分工"
    ws.append(["常州市2024年数字经济发展重点任务分工表"])
    ws.merge_cells("A1:F1")
    ws.append(SHEET_HEADER)
    ws.append(["一、夯实数字基础设施"])
    ws.merge_cells("A3:F3")
    ws.append([1, "建设“双千兆”城市", "新建5G基站2000个以上。", "市工业和信息化局", "市住房城乡建设局\n市数据局",
               datetime.datetime(2024, 12, 31)])
    ws.append([2, "建设算力基础设施", "智能算力规模达到500PFlops。", None, None, "持续推进"])
    ws.merge_cells("D4:D5")
    ws.append([3.0, "培育数据要素市场", "建立数据要素市场化配置协调机制。", "市数据局、市发展改革委", "市财政局", "2024年底"])
    hidden = wb.create_sheet("lists")
    hidden.append(["下拉选项"])
    hidden.sheet_state = "hidden"
    notes = wb.create_sheet("说明")
    notes.append(["牵头单位列第一个单位为主要牵头单位。"])
    wb.save(path)
    return path


def test_xlsx_task_table_rows_merges_and_sheets(tmp_path):
    doc = read_document(make_xlsx(tmp_path / "tasks.xlsx"))
    assert doc.fmt == "xlsx" and doc.encoding == ""
    assert doc.text.split("\n") == [
        "常州市2024年数字经济发展重点任务分工表",
        " | ".join(SHEET_HEADER),
        "一、夯实数字基础设施",
        "1 | 建设“双千兆”城市 | 新建5G基站2000个以上。 | 市工业和信息化局 | 市住房城乡建设局 市数据局 | 2024年12月31日",
        "2 | 建设算力基础设施 | 智能算力规模达到500PFlops。 | 市工业和信息化局 |  | 持续推进",  # merged lead repeated
        "3 | 培育数据要素市场 | 建立数据要素市场化配置协调机制。 | 市数据局、市发展改革委 | 市财政局 | 2024年底",
        "",
        "牵头单位列第一个单位为主要牵头单位。",  # the notes sheet; the hidden sheet is left out
    ]


def test_xls_task_table_with_merged_cells(tmp_path):
    import datetime

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("分工表")
    ws.write_merge(0, 0, 0, 4, "某市2024年任务分工表")
    for c, v in enumerate(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        ws.write(1, c, v)
    ws.write(2, 0, 1)
    ws.write(2, 1, "完善保护体系")
    ws.write_merge(2, 3, 2, 2, "市知识产权局")
    ws.write(2, 3, "市公安局、市法院")
    ws.write(2, 4, datetime.date(2024, 12, 31), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    ws.write(3, 0, 2)
    ws.write(3, 1, "强化执法协作")
    ws.write(3, 3, "市商务局")
    path = tmp_path / "tasks.xls"
    book.save(str(path))
    doc = read_document(path)
    assert doc.fmt == "xls"
    assert doc.text.split("\n") == [
        "某市2024年任务分工表",
        "序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限",
        "1 | 完善保护体系 | 市知识产权局 | 市公安局、市法院 | 2024年12月31日",
        "2 | 强化执法协作 | 市知识产权局 | 市商务局",
    ]


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ","), ("gbk", ","), ("utf-8", "\t")])
def test_csv_task_table(tmp_path, encoding, delimiter):
    rows = [["序号", "重点任务", "牵头单位", "配合单位"],
            ["1", "完善保护体系", "市知识产权局", "市公安局、市法院"],
            ["2", "强化执法协作，形成合力", "市市场监管局", ""]]
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path = tmp_path / "tasks.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    doc = read_document(path)
    assert doc.fmt == "csv" and doc.encoding.replace("_", "") in (encoding, "gb18030", "utf-8")
    assert doc.text.split("\n") == ["序号 | 重点任务 | 牵头单位 | 配合单位",
                                    "1 | 完善保护体系 | 市知识产权局 | 市公安局、市法院",
                                    "2 | 强化执法协作，形成合力 | 市市场监管局"]


def test_spreadsheet_task_table_is_extracted_like_a_docx_table(tmp_path):
    """The workbook's rows become tasks with their lead and supporting units, the merged lead
    applying to both rows it spans."""
    from policykg.builders.pipeline import Builder

    r = Builder().build_raw(read_document(make_xlsx(tmp_path / "tasks.xlsx")))
    roles = {(a.provision, a.role, a.mention.ref.canonical) for a in r.extraction.assignments}
    heads = {p.key: p.title for p in r.extraction.provisions}
    got = {(heads[k], role, name) for k, role, name in roles}
    assert ("建设“双千兆”城市", "lead", "常州市工业和信息化局") in got
    assert ("建设算力基础设施", "lead", "常州市工业和信息化局") in got
    assert ("建设“双千兆”城市", "support", "常州市数据局") in got
    assert {("培育数据要素市场", "lead", "常州市数据局"), ("培育数据要素市场", "support", "常州市财政局")} <= got


@pytest.mark.parametrize("name, data, fragments", [
    ("tasks.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["Excel 97-2003", "rename the file to .xls"]),
    ("tasks.xlsx", b"PK\x03\x04 not really a zip", ["corrupt or truncated XLSX"]),
    ("tasks.xlsx", "序号,任务\n1,完善体系\n".encode("utf-8"), ["corrupt XLSX", "not a zip archive"]),
    ("tasks.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", ["HTML page", ".html"]),
    ("tasks.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["XLS"]),
    ("tasks.xls", "序号\t任务\n".encode("utf-8"), ["not an Excel 97-2003 workbook"]),
    ("tasks.csv", bytes(range(256)) * 8, ["binary content, not CSV text"]),
    ("tasks.csv", b"%PDF-1.7\n" + bytes(100), ["not a CSV file", ".pdf"]),
    ("tasks.csv", b",,,\n,,\n", ["every cell of the CSV is empty"]),
])
def test_broken_spreadsheets(tmp_path, name, data, fragments):
    path = tmp_path / name
    path.write_bytes(data)
    expect_error(path, *fragments)


def test_empty_workbook_and_docx_renamed_xlsx(tmp_path):
    import openpyxl

    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    expect_error(path, "no text", "worksheet")
    import docx

    d = docx.Document()
    d.add_paragraph("区司法局牵头")
    d.save(tmp_path / "notice.xlsx")
    expect_error(tmp_path / "notice.xlsx", "rename the file to .docx")
