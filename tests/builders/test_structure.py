"""Structure on the real seeds: headings, flattened tables, metadata."""
from __future__ import annotations

from policykg.builders.structure import chinese_number, find_pipe_tables, find_sections, find_spaced_tables


def test_chinese_numbers():
    assert [chinese_number(x) for x in ("三", "十", "十二", "二十", "二十三")] == [3, 10, 12, 20, 23]


def test_seed002_heading_hierarchy(seed_results):
    text = seed_results["002_2bca6094475032cd.txt"].norm.text
    secs = find_sections(text)
    top = [s for s in secs if s.depth == 1]
    assert [s.number for s in top] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    items = [s for s in secs if s.depth == 2]
    assert len(items) == 20
    assert items[2].number == "(三)" and items[2].heading == "健全知识产权法规执行"
    assert all(secs[s.parent].depth == 1 for s in items)


def test_seed000_inline_headings_in_pdf_text(seed_results):
    """Seed 000 is PDF text with pages as lines: items are found inside lines by their numbering."""
    text = seed_results["000_eb2995fcb8108479.txt"].norm.text
    secs = find_sections(text)
    numbered = [s for s in secs if s.marker == "num"]
    assert [s.value for s in numbered] == list(range(1, 18))
    two = next(s for s in numbered if s.value == 2)
    assert two.heading == "探索建立统一的知识产权行政执法和保护协作机制"


def test_seed004_flattened_table_rows_keep_their_cells(seed_results):
    r = seed_results["004_cf21342dc1278932.txt"]
    headers, rows = find_spaced_tables(r.norm.text)
    assert headers and headers[0][2] == ["工作措施", "工作目标", "具体措施", "进度安排", "执行部门", "配合单位", "责任处室"]
    numbers = [row["number"] for row in rows]
    assert numbers == ["2", "3", "4", "7", "8", "9", "10", "12", "13", "14", "15", "16", "18", "19", "22", "25", "29", "30"]
    by_task = {}
    for a in r.extraction.assignments:
        by_task.setdefault(a.provision, {}).setdefault(a.role, []).append(a.mention.surface)
    assert by_task["r2"] == {"lead": ["重庆市知识产权局"], "support": ["各区县(自治县)知识产权局"], "division": ["规划发展处"]}
    # 有关行业协会 in the 配合单位 cell is a generic category (SCHEMA.md: not an agency, and the hand
    # annotation of seed 004 leaves it out); the cell still counts, so 专利管理处 stays the division
    assert by_task["r7"] == {"lead": ["重庆市知识产权局"], "division": ["专利管理处"]}
    # an empty 配合单位 cell: executing department and division only
    assert by_task["r25"] == {"lead": ["重庆市知识产权局"], "division": ["保护协调处"]}


def test_pipe_table_rows():
    text = "序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限\n1 | 建立专利快速维权机制。 | 市知识产权局 | 市公安局、市法院 | 2024年底\n"
    rows = find_pipe_tables(text)
    assert len(rows) == 1
    roles = {c.role: c.text for c in rows[0].cells}
    assert rows[0].title == "建立专利快速维权机制"
    assert roles["lead"] == "市知识产权局" and roles["support"] == "市公安局、市法院" and roles["deadline"] == "2024年底"


def test_markdown_pipe_table_with_group_rows_and_other_columns():
    """A Markdown table: outer bars, a ``|---|`` rule, a column the tool has no role for (备注), a
    role column named by the general shape (协助单位), and a group row spanning the table."""
    text = ("| 序号 | 重点任务 | 责任单位 | 协助单位 | 备注 |\n|---|:---:|---|---|---|\n"
            "| 1 | 建设运营平台 | 市市场监管局 | 市科技局 | 持续推进 |\n"
            "一、加强保护\n"
            "| 2 | 设立运营基金。 | 市财政局 | 市金融局、市科技局 | |\n"
            "本表由市知识产权局负责解释\n| 备忘 | 不是表格 |\n")
    rows = find_pipe_tables(text)
    assert [r.title for r in rows] == ["建设运营平台", "设立运营基金"]
    assert [{c.role: c.text for c in r.cells} for r in rows] == [
        {"number": "1", "task": "建设运营平台", "responsible": "市市场监管局", "support": "市科技局"},
        {"number": "2", "task": "设立运营基金。", "responsible": "市财政局", "support": "市金融局、市科技局"},
    ]


def test_articles_and_chapters_are_provisions_only_at_line_starts():
    text = ("第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 市知识产权局负责组织实施。"
            "依照本办法第三条规定办理。\n第三条 本办法自发布之日起施行。\n第二章 附则\n第四条 本办法由市知识产权局负责解释。\n")
    secs = find_sections(text)
    assert [(s.number, s.depth) for s in secs] == [("第一章", 1), ("第一条", 2), ("第二条", 2), ("第三条", 2),
                                                   ("第二章", 1), ("第四条", 2)]
    assert secs[0].heading == "总则" and secs[2].heading == "市知识产权局负责组织实施"


def test_field_items_take_their_heading_after_the_task_label():
    text = "1. 任务名称：开展执法专项行动\n   牵头单位：区市场监管局\n2. 任务名称：\n建设服务网点\n"
    secs = find_sections(text)
    assert [s.heading for s in secs] == ["开展执法专项行动", "任务名称"]
