"""The same document as plain text, an HTML page, GB18030 and Big5 text and a PDF gives the same
agencies and assignments."""
from __future__ import annotations

import html
from pathlib import Path

import opencc
import pyoxigraph

from policykg.graph.build import build_corpus

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
QUERY = """PREFIX pk: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?h ?r ?l WHERE { VALUES (?p ?r) { (pk:lead "lead") (pk:responsible "responsible") (pk:support "support") }
  ?t pk:heading ?h ; ?p ?a . ?a skos:prefLabel ?l } ORDER BY ?h ?r ?l"""


def _facts(folder: Path, out: Path):
    build_corpus([folder], out, view=False, validate=False)
    store = pyoxigraph.Store.read_only(str(out / "store"))
    return [(s["h"].value, s["r"].value, s["l"].value) for s in store.query(QUERY, use_default_graph_as_union=True)]


def _gov_page(text: str) -> str:
    lines = text.splitlines()
    body = "\n".join(f"<p>{html.escape(l)}</p>" for l in lines)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(lines[0])}</title></head><body>
<div class="nav"><a href="/">首页</a> | <a href="/zc">政策</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政策文件</div>
<table class="metadata"><tr><td>[ 索引号 ]</td><td>11440000MB2D0001/2022-00015</td><td>[ 发文字号 ]</td><td>粤府办〔2022〕15号</td></tr>
<tr><td>[ 发布机构 ]</td><td>广东省人民政府办公厅</td><td>[ 成文日期 ]</td><td>2022-05-20</td></tr></table>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博</div><div class="footer">【打印】【关闭】 网站地图 | 联系我们</div>
</body></html>"""


def test_html_gb18030_big5_and_pdf_give_the_same_assignments(tmp_path):
    text = (LAYOUTS / "gd_provincial_plan.txt").read_text(encoding="utf-8")
    variants = {
        "txt": ("plan.txt", text.encode("utf-8")),
        "html": ("plan.html", _gov_page(text).encode("utf-8")),
        "gb18030": ("plan.txt", text.encode("gb18030")),
        "big5": ("plan.txt", opencc.OpenCC("s2t").convert(text).encode("big5", errors="strict")),
    }
    facts = {}
    for key, (name, data) in variants.items():
        folder = tmp_path / key
        folder.mkdir()
        (folder / name).write_bytes(data)
        facts[key] = _facts(folder, tmp_path / f"out-{key}")
    assert facts["txt"] and ("推进跨区域执法协作", "support", "广东省公安厅") in facts["txt"]
    for key in ("html", "gb18030", "big5"):
        assert facts[key] == facts["txt"], key


def test_pdf_gives_the_same_assignments(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    text = (LAYOUTS / "state_council_plan.txt").read_text(encoding="utf-8")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    folder = tmp_path / "pdf"
    folder.mkdir()
    c = canvas.Canvas(str(folder / "plan.pdf"), pagesize=A4)
    y = 800
    page = 1
    for line in text.splitlines():
        c.setFont("STSong-Light", 11)
        c.drawString(40, y, line)
        y -= 20
        if y < 80:
            c.drawString(280, 40, f"- {page} -")  # a page number the reader must drop
            c.showPage()
            page += 1
            y = 800
    c.drawString(280, 40, f"- {page} -")
    c.save()
    plain = tmp_path / "txt"
    plain.mkdir()
    (plain / "plan.txt").write_text(text, encoding="utf-8")
    got, want = _facts(folder, tmp_path / "o1"), _facts(plain, tmp_path / "o2")
    assert want and got == want
