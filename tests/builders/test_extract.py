"""Extraction on the real seeds, checked against what a person reads in the documents."""
from __future__ import annotations


def _agents(r):
    out = {}
    for m in r.extraction.mentions:
        out.setdefault(m.ref.canonical, set()).add(m.surface)
    return out


def _roles(r, title):
    prov = {p.key: p for p in r.extraction.provisions}
    out = {}
    for a in r.extraction.assignments:
        if prov[a.provision].title == title:
            out.setdefault(a.role, []).append(a.mention.surface)
    return out


def test_metadata(seed_results):
    md = seed_results["002_2bca6094475032cd.txt"].extraction.metadata
    assert md.title == "2023年渝中区知识产权工作要点"
    assert md.date == "2023-07-31"
    assert md.jurisdiction == "重庆市渝中区" and md.level == "district"
    assert [m.ref.canonical for m in md.issuers] == ["重庆市渝中区知识产权工作领导小组办公室"]
    md3 = seed_results["003_9c80ff83156f27fc.txt"].extraction.metadata
    assert md3.doc_number == "渝府办发〔2014〕83号" and md3.title == "重庆市知识产权战略纲要"
    assert [m.surface for m in md3.addressees] == ["各区县(自治县)人民政府", "市政府各部门", "有关单位"]
    md1 = seed_results["001_f24d6cf811bb1823.txt"].extraction.metadata
    assert md1.doc_number == "国知发管字〔2016〕86号" and md1.level == "national"
    md0 = seed_results["000_eb2995fcb8108479.txt"].extraction.metadata
    assert md0.title == "加强中国(重庆)自由贸易试验区知识产权工作的意见"
    assert [m.ref.canonical for m in md0.issuers] == ["重庆市知识产权局"]  # "…办公室 2017年11月22日印发": its office printed it


def test_jurisdiction_relative_agencies(seed_results):
    agents = _agents(seed_results["002_2bca6094475032cd.txt"])
    assert agents["重庆市渝中区人民法院"] == {"区法院"}
    assert agents["重庆市公安局渝中区分局"] == {"区公安分局"}
    assert agents["中共重庆市渝中区委宣传部"] == {"区委宣传部"}
    assert agents["重庆市渝中区市场监督管理局"] == {"区市场监管局", "重庆市渝中区市场监督管理局"}
    assert agents["中共重庆市委员会"] == {"市委"} and agents["重庆市人民政府"] == {"市政府"}
    # 领导小组 is defined by "(以下简称:领导小组)"; its office and member units follow it
    assert "领导小组" in agents["重庆市渝中区知识产权工作领导小组"]
    assert agents["重庆市渝中区知识产权工作领导小组办公室"] >= {"领导小组办公室"}
    # a dual name "A(B)" is one body with two labels
    assert agents["重庆市地理标志发展促进会"] == {"重庆市地理标志发展促进会", "重庆商标行业代理协会"}


def test_collectives_are_typed_and_merged(seed_results):
    r = seed_results["002_2bca6094475032cd.txt"]
    coll = {m.surface: m.ref for m in r.extraction.mentions if m.ref.collective}
    members = {coll[s].key for s in ("各领导小组成员单位", "领导小组各成员单位", "其他领导小组成员单位", "区知识产权工作领导小组成员单位") if s in coll}
    assert len(members) == 1
    assert coll["领导小组各成员单位"].members_of == "重庆市渝中区知识产权工作领导小组"


def test_assignment_grammar(seed_results):
    r = seed_results["002_2bca6094475032cd.txt"]
    assert _roles(r, "健全知识产权法规执行") == {
        "lead": ["区司法局"],
        "responsible": ["区委宣传部", "区文化旅游委", "区法院", "区检察院", "区公安分局", "区市场监管局"],
    }
    assert _roles(r, "强化知识产权司法保护") == {"lead": ["区法院"]}  # "(区法院负责)": sole body leads
    assert _roles(r, "实施知识产权质量提升") == {"lead": ["区科技局", "区市场监管局"], "responsible": ["领导小组各成员单位"]}
    assert _roles(r, "加大知识产权文化建设")["responsible"][-1] == "其他领导小组成员单位"
    r0 = seed_results["000_eb2995fcb8108479.txt"]
    assert _roles(r0, "加强组织领导") == {"lead": ["市知识产权局"], "support": ["市自贸办"]}  # X会同Y
    r3 = seed_results["003_9c80ff83156f27fc.txt"]
    assert _roles(r3, "强化政策引导") == {"responsible": ["各区县(自治县)人民政府", "市政府各部门", "有关单位"]}


def test_zones_and_industries(seed_results):
    ex = seed_results["000_eb2995fcb8108479.txt"].extraction
    inds = {}
    for i in ex.industries:
        inds.setdefault(i.zone, []).append(i.name)
    assert inds == {
        "两江片区": ["高端装备", "电子核心部件", "云计算", "生物医药"],
        "西永片区": ["电子核心部件", "智能装备"],
        "果园港片区": ["高端交通装备", "新能源及智能汽车"],
    }
    assert {"中国(重庆)自由贸易试验区", "江北区", "九龙坡区", "两江新区", "重庆高新区"} <= {z.name for z in ex.zones}


def test_targets_normalised(seed_results):
    ex = seed_results["003_9c80ff83156f27fc.txt"].extraction
    got = {(t.value, t.unit, t.year) for t in ex.targets}
    assert (120000, "件", 2020) in got  # 12万件
    assert (1000000000000, "元", 2020) in got  # 1万亿元
    assert (80, "%", None) in got  # a task-section target: no 到2020年 in its section


def test_mechanisms_minimal_phrases(seed_results):
    labels = {m.label for m in seed_results["000_eb2995fcb8108479.txt"].extraction.mechanisms}
    assert "跨部门、跨区域知识产权案件移送、信息通报、配合调查等机制" in labels
    assert "知识产权民事、行政和刑事“三合一”审判机制" in labels
    assert "知识产权公共服务体系" in labels  # "构建便民利民的…": the adjective is dropped
    assert not any(l.startswith(("建立", "完善", "探索")) for l in labels)


def test_generic_categories_are_not_agencies(seed_results):
    names = {m.surface for r in seed_results.values() for m in r.extraction.mentions}
    assert not names & {"商业银行", "保险机构", "金融机构", "高校", "企业"}


def _layout(builder, name):
    from pathlib import Path

    from policykg.builders.read import read_document

    return builder.build_raw(read_document(Path(__file__).resolve().parents[1] / "data" / "layouts" / name))


def _rows(r):
    """(task title, role, surface, rule) of every assignment of a built document."""
    prov = {p.key: p for p in r.extraction.provisions}
    return {(prov[a.provision].title, a.role, a.mention.surface, a.rule) for a in r.extraction.assignments}


def test_field_lines_assign_their_item(builder):
    """Items written as fields ("牵头单位：X" / "配合单位：Y、Z" / "责任单位：…" on lines of their own)."""
    rows = _rows(_layout(builder, "county_field_blocks.txt"))
    assert {x for x in rows if x[0] == "开展知识产权执法专项行动"} == {
        ("开展知识产权执法专项行动", "lead", "区市场监管局", "field-牵头单位"),
        ("开展知识产权执法专项行动", "support", "区公安局", "field-配合单位"),
        ("开展知识产权执法专项行动", "support", "区文化旅游委", "field-配合单位"),
    }
    assert ("完善知识产权纠纷多元化解机制", "responsible", "区法院", "field-责任单位") in rows
    # "各镇人民政府、街道办事处要…": one collective, the 各 governing both bodies
    assert ("保障措施", "responsible", "各镇人民政府、街道办事处", "subject-modal") in rows


def test_first_listed_body_leads_under_the_documents_convention(builder):
    """"排在第一位的为牵头单位": the first body of each 责任单位 list leads."""
    rows = _rows(_layout(builder, "hb_first_listed_leads.txt"))
    task2 = {(role, s) for t, role, s, _ in rows if t.startswith("完善知识产权审查机制")}
    # 省市场监管局(省知识产权局) is one body: it leads, and is not also responsible under its second name
    assert task2 == {("lead", "省市场监管局"), ("responsible", "省科技厅"), ("responsible", "省教育厅")}
    # a tail holding a deadline beside the roles, and a customs district named by its seat
    assert ("建立知识产权侵权惩罚性赔偿制度", "lead", "省法院", "tail+first-listed") in rows
    customs = [m for m in _layout(builder, "hb_first_listed_leads.txt").extraction.mentions if m.surface == "武汉海关"]
    assert customs and customs[0].ref.canonical == "武汉海关"


def test_articles_of_measures_carry_their_duties(builder):
    """A 办法 in 第X条 articles: the article's first sentence is its subject sentence, and a 由-phrase
    inside a sentence ("本办法由X负责解释") names who is charged."""
    r = _layout(builder, "cd_articles_measures.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert ("本办法由市知识产权局负责解释", "lead", "市知识产权局") in rows
    assert ("市知识产权局会同市财政局制定年度资助计划,报市政府批准后实施", "support", "市财政局") in rows
    assert not r.extraction.targets  # "每件资助3000元" is a grant's rate, not a goal


def test_tables_in_markdown_and_html_with_group_rows(builder):
    md = _rows(_layout(builder, "gz_markdown_table.md"))
    assert ("建立专利导航工作机制", "support", "黄埔区人民政府", "table-协助单位") in md
    assert not any(x[0].startswith("#") for x in md)
    html = _rows(_layout(builder, "xa_html_group_rows.html"))
    assert ("实施专利转化专项计划,推动高校专利向中小企业转移", "support", "市工业和信息化局", "table-配合单位") in html
    assert len(html) == 8


def test_tail_and_sentences_of_one_item_both_count(builder):
    """An item with a tail still takes the bodies its sentences charge before the tail, and not the
    document's closing sentence after the last item; a central bank branch is an agency in a list."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "zj_provincial_measures.txt"))}
    assert {s for t, role, s in rows if t == "健全快速协同保护机制" and role == "responsible"} == {
        "省高级人民法院", "省检察院", "省公安厅"}
    assert ("拓宽质押融资", "responsible", "人行杭州中心支行") in rows
    assert not any(s.startswith("各市") for _, _, s in rows)


def _without_places(*names):
    """A builder whose gazetteer lacks ``names`` (a county created after the division list was taken)."""
    from dataclasses import replace

    from policykg.builders.extract.agencies import AgencyRecognizer
    from policykg.builders.pipeline import Builder
    from policykg.ontology.gazetteer import load_gazetteer

    gz = load_gazetteer()
    b = Builder()
    b.recognizer = AgencyRecognizer(replace(gz, places=tuple(p for p in gz.places if p.full not in names)))
    return b


def test_a_county_missing_from_the_gazetteer_is_taken_from_the_title(builder):
    """旺苍县 (in the gazetteer, under 广元市, 四川省) and the same document read with a gazetteer that
    lacks it: either way the title names it, so 县X resolves to 旺苍县X; 县委办 is the county party
    committee's office; "…，X、Y配合" supports."""
    for b in (builder, _without_places("旺苍县")):
        r = _layout(b, "wc_county_plan.txt")
        assert r.extraction.metadata.jurisdiction == "旺苍县"
        canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
        assert canon["县委办"] == "中共旺苍县委办公室" and canon["县市场监管局"] == "旺苍县市场监督管理局"
        rows = {(t, role, s) for t, role, s, _ in _rows(r)}
        assert {("推进品牌建设", "lead", "县农业农村局"), ("推进品牌建设", "support", "县文广旅局"),
                ("推进品牌建设", "support", "县商务局"), ("加强组织协调", "lead", "县委办")} <= rows


def test_spaced_table_without_group_rows(builder):
    """A table flattened to space-separated cells, rows numbered 1, 2, 3 with no group rows; a task
    cell ending in an organisation word (建设知识产权保护中心) is the title, not a body."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "hn_spaced_task_list.txt"))}
    assert rows == {
        ("开展商标侵权专项整治", "lead", "省市场监管局"), ("开展商标侵权专项整治", "support", "省公安厅"),
        ("建设知识产权保护中心", "lead", "省知识产权局"), ("建设知识产权保护中心", "support", "郑州市人民政府"),
        ("完善知识产权仲裁调解机制", "lead", "省司法厅"), ("完善知识产权仲裁调解机制", "support", "省法院"),
        ("完善知识产权仲裁调解机制", "support", "省知识产权局"),
    }


def test_lead_marks_group_short_names_and_duty_by_remit(builder):
    """"责任单位：市市场监管局（牵头）、市财政局": the marked body leads; a leading group named once in
    full makes "领导小组办公室" its office; "各区、县(市)按照职责分工抓好落实" charges a collective."""
    r = _layout(builder, "hz_lead_marks_notice.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {("建设知识产权运营平台", "lead", "市市场监管局"), ("建设知识产权运营平台", "responsible", "市财政局"),
            ("组织保障", "lead", "领导小组办公室"), ("强化人才支撑", "responsible", "各区、县(市)")} <= rows
    office = next(m for m in r.extraction.mentions if m.surface == "领导小组办公室")
    assert office.ref.canonical == "杭州市知识产权工作领导小组办公室"
    assert not [d for d in r.extraction.diagnostics if d["text"] == "(牵头)"]


def test_modal_before_huitong_still_leads(builder):
    """"省市场监管局要会同有关部门加强督查": the body that 会同s leads, its partners support, even
    after a modal; a second duty sentence in the item ("各地各部门要…") stays responsible."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "gz_provincial_opinion.txt"))}
    assert {x for x in rows if x[0] == "加强组织保障"} == {
        ("加强组织保障", "lead", "省市场监管局"), ("加强组织保障", "support", "有关部门"),
        ("加强组织保障", "responsible", "各地各部门")}


def test_duty_clause_in_a_heading_and_central_bank_branches(builder):
    """"4.完善…机制，市中级人民法院、市人民检察院要加强…": the item is one sentence, and its second
    clause charges two bodies; "人民银行青岛市分行" is the bank's branch, not 中国人民银行."""
    r = _layout(builder, "qd_work_points.txt")
    rows = {(role, s) for t, role, s, _ in _rows(r) if t.startswith("完善知识产权快速协同保护机制")}
    assert rows == {("responsible", "市中级人民法院"), ("responsible", "市人民检察院")}
    branch = next(m for m in r.extraction.mentions if m.surface == "人民银行青岛市分行")
    assert branch.ref.canonical == "中国人民银行青岛市分行"
    assert "中国人民银行" not in {m.ref.canonical for m in r.extraction.mentions}


def test_a_sole_responsible_body_leads_and_a_county_after_the_year(builder):
    """A county plan whose title opens with its year ("2025年德化县…"): 德化县 is still taken from the
    title, and its 省 is its province's (the gazetteer lists 德化县 under 泉州市, 福建省; before it
    listed every county this stayed the relative "省知识产权局"; the annotator wrote 福建省知识产权局),
    县政府督查室 is the county government's office ("县政府督查室会同县市场监管局": 会同 is 'together
    with', not the county 会同县) and a named body may open with the county's name; "责任单位：县法院" names
    the item's only body, which leads (as "X负责" does); several responsible bodies stay responsible."""
    r = _layout(builder, "fj_county_work_plan.txt")
    assert r.extraction.metadata.jurisdiction == "德化县"
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["县市场监管局"] == "德化县市场监督管理局" and canon["县政府督查室"] == "德化县人民政府督查室"
    assert canon["省知识产权局"] == "福建省知识产权局" and canon["县直各有关单位"] == "县直各有关单位"
    association = next(m for m in r.extraction.mentions if m.surface == "德化县陶瓷行业协会")
    assert association.ref.kind == "association"
    rows = _rows(r)
    assert ("强化知识产权司法保护", "lead", "县法院", "field-责任单位+sole") in rows
    assert {x for x in rows if x[0] == "严格督查考核"} == {
        ("严格督查考核", "lead", "县政府督查室", "subject-会同"), ("严格督查考核", "support", "县市场监管局", "subject-会同")}
    assert {role for t, role, *_ in rows if t == "加强知识产权宣传教育"} == {"responsible"}


def test_a_tab_separated_table_ends_where_the_next_part_begins(builder):
    """A table exported with TABs (主办单位 leads, 协办单位 supports) whose last row is followed by
    "四、保障措施": the part after it is the document's again, not the last row's; "X牵头，Y、Z配合"
    closing an item; 市贸促会 and 市文化市场综合执法支队 are the city's; "X片区…围绕A、B、C等产业";
    cases (起) and months (个月) are target units."""
    r = _layout(builder, "ah_tab_task_table.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {("加强组织领导", "lead", "市知识产权保护工作领导小组"), ("加强组织领导", "responsible", "领导小组各成员单位"),
            ("强化督促考核", "lead", "市知识产权局"), ("健全协同保护格局", "support", "市文化市场综合执法支队"),
            ("加强展会知识产权保护", "support", "市贸促会"), ("强化知识产权司法审判", "lead", "市中院")} <= rows
    assert not any(t == "强化商业秘密保护" and s.startswith("市知识产权保护工作领导小组") for t, _, s in rows)
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["市贸促会"] == "合肥市贸易促进委员会"
    assert canon["市文化市场综合执法支队"] == "合肥市文化市场综合执法支队"
    assert {(i.zone, i.name) for i in r.extraction.industries} == {
        ("合肥片区", "集成电路"), ("合肥片区", "人工智能"), ("合肥片区", "新能源汽车")}
    assert {(t.value, t.unit) for t in r.extraction.targets} >= {(150, "起"), (3, "个月")}


def test_merged_cells_of_an_html_table_and_clause_years(builder):
    """An HTML table whose 牵头单位 cell spans three rows (rowspan) gives each row that lead; a
    leading group whose name holds 战略实施; two zones' industries in one sentence; a year opening
    the clause of a target ("，2025年全省查办…1200件以上")."""
    r = _layout(builder, "sd_html_rowspan_table.html")
    leads = [t for t, role, s, _ in _rows(r) if role == "lead" and s == "省知识产权局"]
    for merged in ("推进专利侵权纠纷行政裁决规范化建设", "健全知识产权纠纷多元化解机制", "推进中国(济南)知识产权保护中心"):
        assert any(t.startswith(merged) for t in leads), merged
    assert "山东省知识产权战略实施工作领导小组" in {m.ref.canonical for m in r.extraction.mentions}
    assert {(i.zone, i.name) for i in r.extraction.industries} == {
        ("济南片区", "集成电路"), ("济南片区", "人工智能"), ("济南片区", "新能源汽车"),
        ("青岛片区", "海洋工程装备"), ("青岛片区", "机器人")}
    assert (1200, "件", 2025) in {(t.value, t.unit, t.year) for t in r.extraction.targets}


def test_a_national_joint_notice_in_prose(builder):
    """Roles inside running prose: "由X负责，会同Y、Z建立…" (Y, Z support X), "一是X会同Y…；二是各地…要…",
    "X负责编发…，Y、Z协同做好…"; a customs regional office (海关总署广东分署) is not 海关总署; named
    bodies ending in 指导中心 or led by 国务院; "全国建成国家级知识产权保护中心" names no body."""
    r = _layout(builder, "natl_joint_notice.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {x for x in rows if x[0] == "加强进出口环节保护"} == {
        ("加强进出口环节保护", "lead", "海关总署"), ("加强进出口环节保护", "support", "市场监管总局"),
        ("加强进出口环节保护", "support", "国家知识产权局")}
    assert {x for x in rows if x[0] == "健全纠纷多元化解机制"} == {
        ("健全纠纷多元化解机制", "lead", "最高人民法院"), ("健全纠纷多元化解机制", "support", "国家知识产权局"),
        ("健全纠纷多元化解机制", "responsible", "各地知识产权管理部门")}
    assert {("加强宣传引导", "support", "公安部"), ("加强宣传引导", "support", "海关总署")} <= rows
    canon = {m.ref.canonical for m in r.extraction.mentions}
    assert {"海关总署广东分署", "国家海外知识产权纠纷应对指导中心", "国务院知识产权战略实施工作部际联席会议"} <= canon
    assert not any("建成" in c for c in canon)


def test_hard_wrapped_pdf_text_with_running_headers_and_decimal_items(builder):
    """Text extracted from a PDF: a line break every ~30 characters (inside names: "省\\n知识产权局",
    "牵\\n头"), a running header repeated after each page number, items numbered 1.1, 1.2 …: the lines
    are joined again, the header goes, and each decimal item carries its tail's roles."""
    r = _layout(builder, "sc_pdf_wrapped_plan.txt")
    assert "行政规范性文件\n知识产权局" not in r.norm.text
    assert r.norm.text.count("四川省人民政府办公厅行政规范性文件") == 1  # the first page's header only
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {("开展存量专利盘点", "lead", "省教育厅"), ("开展存量专利盘点", "lead", "省科技厅"),
            ("开展存量专利盘点", "responsible", "省知识产权局"),  # a tail broken by a page break
            ("强化专利转化金融支持", "support", "人民银行四川省分行"),
            ("加强专利快速协同保护", "support", "省司法厅")} <= rows
    numbers = {p.number for p in r.extraction.provisions}
    assert {"1.1", "2.3", "4.4"} <= numbers
    labels = {m.label for m in r.extraction.mechanisms}
    assert "专利密集型产品认定和培育制度" in labels and "海外知识产权纠纷应对指导工作体系" in labels
    assert "国务院办公厅" not in {m.ref.canonical for m in r.extraction.mentions}  # only in "国办发〔2023〕37号"


def test_a_district_of_a_listed_city_and_persons_in_a_duty_list(builder):
    """良庆区 (also when the gazetteer lacks it, but lists 南宁市): a title headed by 良庆区 in a document issued by
    南宁市良庆区… makes 区X the district's; a city bureau's district branch (市公安局良庆分局) is one
    body; the 牵头领导 and 责任人 columns (persons) give no roles; a leading group named after its remit
    (优化营商环境工作领导小组办公室)."""
    for b in (builder, _without_places("良庆区")):
        r = _layout(b, "gx_district_duty_list.md")
        assert r.extraction.metadata.jurisdiction == "南宁市良庆区"
        canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
        assert canon["区行政审批局"] == "南宁市良庆区行政审批局" and canon["区科工信局"] == "南宁市良庆区科学技术和工业信息化局"
        assert canon["市公安局良庆分局"] == "南宁市公安局良庆分局"
        rows = {(t, role, s) for t, role, s, _ in _rows(r)}
        assert {("深化企业开办“一网通办”,推行企业开办全流程线上办理", "lead", "区行政审批局"),
                ("加强统筹调度", "lead", "区优化营商环境工作领导小组办公室"), ("强化督查考核", "support", "区绩效办")} <= rows
        assert not any("某" in s for _, _, s in rows)


def test_duties_listed_by_body_with_a_colon(builder):
    """"(一)市知识产权局：负责…。会同武汉海关完善…": the body before the colon leads its item, whose
    title is what follows the colon, and a later sentence's 会同 partner supports it; the joint
    meeting's own working rules ("联席会议由…组成", "办公室设在…") are no tasks."""
    r = _layout(builder, "wh_joint_meeting_rules.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert ("负责进出口环节知识产权保护工作", "lead", "武汉海关") in rows
    assert ("负责指导企业应对海外知识产权纠纷和展会知识产权保护工作", "support", "武汉海关") in rows
    assert ("按照各自职责做好本系统、本领域知识产权保护相关工作", "responsible", "其他成员单位") in rows
    assert not any(s.startswith("联席会议") or s.startswith("武汉市知识产权保护工作联席会议") for _, _, s in rows)
    assert not [m for m in r.extraction.mechanisms if m.label.startswith("第")]


def test_a_joint_document_of_two_provinces(builder):
    """Bodies of two provinces in one plan: "由X、Y共同牵头" (both lead), "X、Y共同负责" (both
    responsible), "四川省各市(州)…" and "两地各级…" collectives, "X、Y(以下简称“双方”)" defines no
    alias of Y, and 管委会 / 管理委员会 are one body."""
    r = _layout(builder, "cy_cross_region_agreement.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {("加强组织领导", "lead", "四川省知识产权局"), ("加强组织领导", "lead", "重庆市知识产权局"),
            ("共享知识产权信息资源", "responsible", "四川省知识产权服务促进中心"),
            ("强化督促落实", "responsible", "两地各级知识产权管理部门")} <= rows
    assert not any(s == "双方" for _, _, s in rows)
    committee = {m.ref.canonical for m in r.extraction.mentions if "高竹新区" in m.surface}
    assert len(committee) == 1 and committee.pop().endswith("川渝高竹新区管理委员会")


def test_a_tail_closing_the_last_point_of_an_item_is_the_items(builder):
    """"（一）落实清单 1. 制定… 2. 开展…。（市民政局牵头，市财政局…按职责分工负责）": the points are the
    item's measures and the tail after the last of them charges the item; "（责任单位：市民政局；配合
    单位：…）" makes its only responsible body the lead; 市委社会工作部, 市残联, 人力资源社会保障局 are
    departments, 团市委 the Youth League's; a plan for 2024—2025 dates its undated targets 2025."""
    r = _layout(builder, "ha_elderly_care_plan.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {("落实基本养老服务清单", "lead", "市民政局"), ("落实基本养老服务清单", "responsible", "市医保局"),
            ("强化特困人员兜底保障", "responsible", "各县(市、区)人民政府"),
            ("大力发展居家养老服务", "lead", "市民政局"), ("大力发展居家养老服务", "support", "市商务局"),
            ("推动互助养老和志愿服务", "lead", "市委社会工作部"), ("推动互助养老和志愿服务", "support", "市残联"),
            ("加强养老服务人才队伍建设", "lead", "市人力资源社会保障局")} <= rows
    assert not any(t.startswith(("全面开展老年人能力综合评估", "建立特殊困难老年人探访关爱制度")) for t, _, _ in rows)
    # 团市委 is the Youth League's committee, not the party's 市委
    assert ("推动互助养老和志愿服务", "support", "团市委") in rows
    assert not any(s == "市委" for _, _, s in rows)
    assert len(r.extraction.targets) >= 8 and {t.year for t in r.extraction.targets} == {2025}


def test_a_table_pasted_cell_by_cell_in_an_unlisted_county(builder):
    """A PDF table copied so that every cell is a line of its own (序号 / 工作任务 / 责任单位 / 配合单位
    / 完成时限, then each row's number, task, units and deadline), its row groups headed like parts
    ("二、水污染防治"), its header repeated after a page break and the notice's 抄送 line after it; in a
    county (雷山县, also when the gazetteer lacks it, the document citing 《贵州省…条例》): 县X局 are the
    county's, a role mark inside a cell ("X(牵头)、Y") and "排在首位的单位…牵头" give the leads, and the
    2024 list dates its targets 2024."""
    for b in (builder, _without_places("雷山县")):
        r = _layout(b, "qdn_county_eco_tasks.txt")
        assert r.extraction.metadata.jurisdiction == "雷山县"
        rows_ = [p for p in r.extraction.provisions if p.kind == "row"]
        assert [p.number for p in rows_] == [f"{i}." for i in range(1, 22)]
        rows = {(t.split(",")[0], role, s) for t, role, s, _ in _rows(r)}
        assert {("巩固提升县城环境空气质量", "lead", "州生态环境局雷山分局"),
                ("加强水环境质量监测预警", "lead", "州生态环境局雷山分局"),
                ("加强水环境质量监测预警", "responsible", "县水务局"),
                ("开展水土流失综合治理", "lead", "县水务局"), ("开展水土流失综合治理", "responsible", "县林业局"),
                ("强化扬尘污染精细化管控", "lead", "县住房城乡建设局")} <= rows
        canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
        assert canon["县水务局"] == "雷山县水务局"
        last = rows_[-1]
        assert not any(a.provision == last.key and "县委办公室" in a.mention.surface for a in r.extraction.assignments)
        assert {t.year for t in r.extraction.targets} == {2024}


def test_a_workbook_task_table_and_an_ftz_plan_of_another_province(builder):
    """An .xlsx task-division table (merged 牵头单位 cells over several rows, 市委网信办/市委金融办/市数据局);
    a provincial FTZ plan: 省委金融办 and 省纪委监委 are party bodies, "作为片区考核的依据" names no zone."""
    r = _layout(builder, "cs_digital_economy_tasks.xlsx")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert len({t for t, _, _ in rows}) == 24
    assert ("强化财政金融支持", "lead", "市委金融办") in rows
    h = _layout(builder, "hun_ftz_deepening_plan.txt")
    canon = {m.surface: m.ref.canonical for m in h.extraction.mentions}
    assert canon["省委金融办"] == "中共湖南省委金融委员会办公室" and canon["省纪委监委"].startswith("中共湖南省")
    assert canon["省人力资源社会保障厅"] == "湖南省人力资源和社会保障厅"
    assert not any(z.name.startswith("作为") for z in h.extraction.zones)


def test_a_county_with_townships_and_a_joint_plan_of_four_provinces(builder):
    """A fourth blind round. In a county of an autonomous prefecture (宾川县, 大理白族自治州): a township's
    government is the county's (金牛镇人民政府 → 宾川县金牛镇人民政府), "各乡镇人民政府" stays a
    collective, and department types of small counties (县工业商务和信息化局, 县供销社). In a plan of
    上海, 江苏, 浙江 and 安徽: bodies named after a region (长三角区域合作办公室, 长三角G60科创走廊
    联席会议办公室), a centre's regional branch as one body, an IP court named by its seat, and named
    parks given industries as zones (成都高新区围绕电子信息、生物医药，绵阳科技城围绕…)."""
    r = _layout(builder, "yn_county_industry_plan.txt")
    assert r.extraction.metadata.jurisdiction == "宾川县"
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["金牛镇人民政府"] == "宾川县金牛镇人民政府" and canon["县供销社"] == "宾川县供销合作社联合社"
    assert canon["县工业商务和信息化局"] == "宾川县工业商务和信息化局"
    assert next(m for m in r.extraction.mentions if m.surface == "各乡镇人民政府").ref.kind == "collective"
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert ("稳定柑橘产业规模", "responsible", "金牛镇人民政府") in rows
    r = _layout(builder, "csj_joint_ip_plan.txt")
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["长三角区域合作办公室"] == "长三角区域合作办公室"
    assert canon["长三角G60科创走廊联席会议办公室"] == "长三角G60科创走廊联席会议办公室"
    assert canon["国家海外知识产权纠纷应对指导中心上海分中心"] == "国家海外知识产权纠纷应对指导中心上海分中心"
    assert canon["上海知识产权法院"] == "上海知识产权法院" and canon["浙江省人力社保厅"] == "浙江省人力资源和社会保障厅"
    r = _layout(builder, "sc_pdf_wrapped_plan.txt")
    assert {(i.zone, i.name) for i in r.extraction.industries} == {
        ("成都高新区", "电子信息"), ("成都高新区", "生物医药"), ("绵阳科技城", "先进材料"), ("绵阳科技城", "航空航天")}


def test_tails_with_other_fields_bracketed_fields_and_autonomous_regions(builder):
    """A fifth blind round. A government work report's breakdown whose tails name leaders before the
    units ("（牵头市领导：王某某；牵头单位：市工信局；责任单位：市发改委、…，南昌县人民政府、…）":
    the leader is no agency, the list of 责任单位 goes on after the comma); fields in brackets on a
    line of their own ("【牵头单位：X】【配合单位：Y、Z】") in a banner city of Inner Mongolia, whose
    自治区 and 旗 prefixes are the region's and the banner's; a GBK CSV task table of an autonomous
    prefecture (its title names it; a court's and procuratorate's branch, a central bank branch
    written 人行…, a park of two places written with a hyphen, industries after 聚焦)."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "jx_gov_report_task_split.txt"))}
    task = "推动汽车及新能源汽车产业提质扩量"
    assert {(role, s) for t, role, s in rows if t == task} == {
        ("lead", "市工信局"), ("responsible", "市发改委"), ("responsible", "市商务局"), ("responsible", "市公安局"),
        ("responsible", "南昌县人民政府"), ("responsible", "小蓝经济技术开发区管委会")}
    assert not any("李国华" in s for _, _, s in rows)
    r = _layout(builder, "jx_gov_report_task_split.txt")
    targets = {(t.value, t.unit) for t in r.extraction.targets}
    assert {(500000000, "美元"), (150000, "辆"), (120000000, "人次"), (100000, "亩")} <= targets  # 5亿美元, 15万辆 …
    r = _layout(builder, "nmg_banner_bracket_plan.txt")
    rows = {(t, role, s) for t, role, s, _ in _rows(r)}
    assert {(role, s) for t, role, s in rows if t == "加强知识产权行政执法"} == {
        ("lead", "市市场监督管理局"), ("support", "市公安局"), ("support", "市司法局"), ("support", "鄂尔多斯海关")}
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["自治区知识产权局"] == "内蒙古自治区知识产权局"
    assert ("鄂尔多斯高新区", "现代煤化工") in {(i.zone, i.name) for i in r.extraction.industries}
    r = _layout(builder, "xj_gbk_task_table.csv")
    assert r.extraction.metadata.jurisdiction == "伊犁哈萨克自治州"
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["自治区高级人民法院伊犁州分院"] == "新疆维吾尔自治区高级人民法院伊犁哈萨克自治州分院"
    assert canon["人行伊犁州中心支行"].startswith("中国人民银行伊犁")
    industries = {(i.zone, i.name) for i in r.extraction.industries}
    assert ("奎屯-独山子经济技术开发区", "石油化工") in industries and ("霍尔果斯经济开发区", "纺织服装") in industries
    assert (300000000, "元", 2023) in {(t.value, t.unit, t.year) for t in r.extraction.targets}


def test_a_two_row_table_header_and_bare_role_labels(builder):
    """A sixth blind round. A web page's table whose header is two rows (责任单位 spanning 牵头单位 |
    配合单位): the second row names the columns; Markdown bullets whose sub-bullets are labelled with a
    role word alone ("牵头：…", "参与：…") and a bureau written with its second plaque
    ("省市场监管局（知识产权局）": one name); a Tianjin district's plan (市市场监管委, a zone
    administration named after an eco-city)."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "cq_html_two_row_header.html"))}
    assert {(role, s) for t, role, s in rows if t == "提升高价值专利创造质量"} == {
        ("lead", "区市场监管局"), ("lead", "区科技局"), ("support", "区经济信息委"), ("support", "区教委"),
        ("support", "区卫生健康委"), ("support", "大渡口经开区管委会")}
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "js_markdown_bullet_duties.md"))}
    assert {(role, s) for t, role, s in rows if t == "加强地理标志保护"} == {
        ("lead", "省市场监管局(知识产权局)"), ("support", "省农业农村厅"), ("support", "省商务厅"), ("support", "南京海关")}
    r = _layout(builder, "tj_circled_points_plan.txt")
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["市市场监管委"] == "天津市市场监督管理委员会"
    assert canon["中新天津生态城管委会"].endswith("中新天津生态城管理委员会")


def test_dash_tails_and_a_corps_division_city(builder):
    """A seventh blind round. A task list whose lines close with their assignment after a dash
    ("——牵头单位：X；参与单位：Y", "——X牵头，Y配合", a deadline in parentheses after it); a plan of a
    corps division and its city under one administration (师市市场监管局: the prefix 师市 is the city's;
    兵团市场监管局: the corps' own bureau)."""
    rows = {(t, role, s) for t, role, s, _ in _rows(_layout(builder, "xm_dash_task_list.txt"))}
    leads = {s for t, role, s in rows if role == "lead"}
    supports = {s for t, role, s in rows if role == "support"}
    assert {"市市场监管局(知识产权局)", "市商务局", "市司法局"} <= leads and {"厦门海关", "市财政局"} <= supports
    r = _layout(builder, "bt_division_city_plan.txt")
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["师市市场监管局"].endswith("石河子市市场监督管理局")
    assert canon["兵团市场监管局"] == "新疆生产建设兵团市场监督管理局"


def test_guards_of_the_fifth_to_seventh_rounds_rules(builder):
    """Ordinary prose that the rules of those rounds must leave alone (found in review): 大学生 is no
    university, a bare 布局 after a park makes no zone, 创新型 is no industry, a dash opening a line is
    no tail, a 牵头 label inside a longer label still leads, and a dash tail closing the text keeps
    its last character."""
    from policykg.builders.model import RawDocument

    def run(body):
        text = "重庆市渝中区知识产权局关于印发2023年工作要点的通知\n\n各有关单位：\n一、重点任务\n" + body
        return builder.build_raw(RawDocument("guard.txt", "guard.txt", text, "0", "txt", "utf-8"))

    r = run("1.举办重庆市大学生创新大赛，推动重庆各高校开设知识产权学院。（区教委负责）")
    assert not [m for m in r.extraction.mentions if m.surface.endswith(("大学", "学院"))]
    r = run("1.优化重庆高新区布局，支持重庆高新区开展创新型产业集群试点。（区科技局负责）")
    assert not any(z.name.startswith("优化") for z in r.extraction.zones)
    assert not any(i.name == "创新型" for i in r.extraction.industries)
    r = run("1.完善工作机制。领导小组成员单位如下：\n——区科技局、区财政局")
    assert not r.extraction.assignments
    rows = {(t, role, s) for t, role, s, _ in _rows(run("1.推动专利导航。——区科技局牵头，区财政局配合"))}
    assert rows == {("推动专利导航", "lead", "区科技局"), ("推动专利导航", "support", "区财政局")}
    r = run("1.推动专利导航。（市级牵头单位：区科技局；配合单位：区财政局）")
    assert ("lead", "区科技局") in {(role, s) for _, role, s, _ in _rows(r)}


def _zone_industries(r) -> dict[str, set[str]]:
    out = {z.name: set() for z in r.extraction.zones}
    for i in r.extraction.industries:
        out.setdefault(i.zone, set()).add(i.name)
    return out


def test_an_indicator_table_and_zones_given_industries_in_varied_sentences(builder):
    """An eighth blind round. A plan opening with a table of indicators (指标名称 | 单位 | 2023年（基期）
    | 2024年 | 2025年 | 2026年): each year's value is a target of that year, the base year's is not,
    and 亿元 in the unit column puts its magnitude into the value.  Zones given industries in the
    ways prose does: "以A、B为主导产业", a park's short name defined once ("以下简称前海合作区"),
    "突出A和B", the subject of a sentence whose industries come after a clause ("支持兰州高新区发挥
    …优势，重点发展…产业"), a list right after the name ("推动哈尔滨临空经济区航空物流、…等产业…"),
    and a web page's labels spaced with &emsp; (索　引　号) that no longer stop it being read."""
    r = _layout(builder, "ty_indicator_table_plan.txt")
    targets = {(t.indicator, t.year): (t.value, t.unit) for t in r.extraction.targets}
    assert targets[("知识产权质押融资登记金额", 2025)] == (3600000000, "元")
    assert targets[("每万人口高价值发明专利拥有量", 2026)] == (23.5, "件")
    assert ("每万人口高价值发明专利拥有量", 2023) not in targets  # the base year
    assert targets[("累计盘活高校和科研机构存量专利", 2024)] == (1500, "件")
    assert _zone_industries(r)["山西转型综合改革示范区"] == {"信息技术应用创新", "新材料", "高端装备制造", "节能环保"}
    assert "山西大学" in {m.surface for m in r.extraction.mentions}
    z = _zone_industries(_layout(builder, "sz_qianhai_cross_border.txt"))
    assert z["前海深港现代服务业合作区"] == {"金融科技", "现代物流", "专业服务"}  # said of 前海合作区
    assert z["深圳高新区"] == {"新一代信息技术", "高端装备制造"}
    assert z["前海蛇口自贸片区"] == {"国际航运服务", "跨境电子商务"}
    z = _zone_industries(_layout(builder, "lz_html_span_table.html"))
    assert z["兰州高新区"] == {"生物医药", "新材料", "电子信息"}
    assert z["兰州国际港务区"] == {"多式联运", "冷链物流", "进口商品分拨"}
    assert z["兰州新区综合保税区"] == {"保税加工", "保税物流", "保税维修", "跨境电商"}
    assert "兰白科技创新改革试验区" not in z  # named in 兰州高新区's sentence, given nothing itself
    z = _zone_industries(_layout(builder, "hrb_township_duties.txt"))
    assert z["哈尔滨临空经济区"] == {"航空物流", "临空制造", "跨境电商"}


def test_guards_of_the_eighth_rounds_rules(builder):
    """What those rules must leave alone: a table whose year columns are all before the document's
    year holds no targets; "发挥…协会作用" makes no zone of the place before 协会; 产业化 and an
    industry base are no industries; "该园区" finds no zone not named …园区; 及 stays inside an
    industry's name."""
    from policykg.builders.model import RawDocument

    def run(body):
        text = ("重庆市渝中区知识产权局关于印发2023年工作要点的通知\n\n各有关单位：\n一、重点任务\n" + body
                + "\n\n重庆市渝中区知识产权局\n2023年3月1日")
        return builder.build_raw(RawDocument("guard.txt", "guard.txt", text, "0", "txt", "utf-8"))

    r = run("指标 | 单位 | 2021年 | 2022年\n专利授权量 | 件 | 1200 | 1500\n1.推动专利导航。（区科技局负责）")
    assert not r.extraction.targets
    r = run("指标 | 单位 | 2022年 | 2025年目标\n专利授权量 | 万件 | 1.2 | 1.5\n1.推动专利导航。（区科技局负责）")
    assert [(t.value, t.unit, t.year) for t in r.extraction.targets] == [(15000, "件", 2025)]
    r = run("1.发挥渝中新区知识产权协会作用，加强行业自律。（区科技局负责）")
    assert not r.extraction.zones
    r = run("1.支持重庆高新区打造专利产业化集聚区，建设高端装备制造业基地。（区科技局负责）")
    assert not r.extraction.industries
    r = run("1.建设知识产权先行区。该园区聚焦生物医药、人工智能等领域。（区科技局负责）")
    assert not r.extraction.industries
    r = run("1.支持果园港片区重点发展高端交通装备、新能源及智能汽车等产业。（区科技局负责）")
    assert {i.name for i in r.extraction.industries} == {"高端交通装备", "新能源及智能汽车"}
    # found in review
    for body in ("1.兰州新区要突出问题导向和目标导向，加强知识产权保护。（区科技局负责）",
                 "1.支持兰州新区金融机构拓展跨境结算业务。（区科技局负责）",
                 "1.加强兰州新区危化企业、建筑工地等重点领域安全监管。（区科技局负责）",
                 "1.推动兰州高新区与榆中县协同发展，榆中县重点发展高原夏菜、中药材等产业。（区科技局负责）"):
        r = run(body)
        assert not r.extraction.industries, body
    r = run("1.落实《苏南国家自主创新示范区发展规划纲要》。（区科技局负责）")
    assert not r.extraction.zones
    r = run("1.兰州高新技术产业开发区（以下简称高新区）重点发展生物医药产业，对标成都高新区。（区科技局负责）")
    assert "成都高新区" not in {z.surface for z in r.extraction.zones if z.name == "兰州高新技术产业开发区"}
    r = run("1.支持重庆高新区重点发展集成电路、软件和信息技术服务等产业。（区科技局负责）")
    assert {i.name for i in r.extraction.industries} == {"集成电路", "软件和信息技术服务"}
    r = run("一级指标 | 二级指标 | 单位 | 2025年\n创新能力 | 发明专利授权量 | 件 | 1500\n"
            "绿色发展 | 光伏装机容量 | 千瓦 | 3000\n1.推动专利导航。（区科技局负责）")
    assert {(t.indicator, t.value, t.unit) for t in r.extraction.targets} == {
        ("发明专利授权量", 1500, "件"), ("光伏装机容量", 3000, "千瓦")}
    r = run("1.支持国家大学科技园建设，推动山西大学成果转化。（区科技局负责）")
    assert {m.surface for m in r.extraction.mentions if "大学" in m.surface} == {"山西大学"}


def _roles_of(r, title_start: str) -> set[tuple[str, str]]:
    """(role, surface) of the assignments of the task whose title opens with ``title_start``."""
    prov = {p.key: p for p in r.extraction.provisions}
    return {(a.role, a.mention.surface) for a in r.extraction.assignments
            if prov[a.provision].title.startswith(title_start)}


def test_a_ninth_rounds_layouts(builder):
    """A ninth blind round. A task table extracted from a PDF with its columns aligned by spaces and
    its cells wrapped over lines, numbered on across its groups, with a page break and the header
    repeated: an agency cell left open at a line's end ("市科技局、") goes on in the row's next line.
    A development zone's committee, whose 区 bureaus are the zone's; universities, an academy's
    institutes, companies and laboratories charged in lists and in sentences; varied verbs of
    charging (请X牵头, 具体承办, 交由X办理, 由X统筹, 分别负责, 做好属地配合, 抓好…落实); a table
    of parks with their industries and a year's column of several goals; 片区 named by places and
    a descriptor (成都青白江铁路港片区, 川南临港片区)."""
    r = _layout(builder, "cd_pdf_column_table.txt")
    assert _roles_of(r, "促进专利转化运用") == {
        ("lead", "市科技局"), ("lead", "市市场监管局"),  # the lead cell wrapped after "市科技局、"
        ("support", "市教育局"), ("support", "市经信局"), ("support", "市国资委")}
    assert _roles_of(r, "深化知识产权金融创新") == {
        ("lead", "市委金融办"), ("support", "市市场监管局"), ("support", "市财政局"),
        ("support", "人行四川省分行"), ("support", "四川金融监管局")}  # four lines of one cell
    assert ("lead", "市发改委") in _roles_of(r, "推进知识产权信用监管")  # row 20, after the page break
    # a mechanism's words wrapped in the task cell are not read across the other cells of the line
    labels = {m.label for m in r.extraction.mechanisms}
    assert "执法与刑事司法衔接机制" in labels and not any("监管局" in label for label in labels)

    r = _layout(builder, "wh_donghu_industry_academia.txt")
    assert r.extraction.metadata.jurisdiction == "武汉东湖新技术开发区"
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["区知识产权局"] == "武汉东湖新技术开发区知识产权局"
    assert _roles_of(r, "支持湖北实验室开展成果就地转化") == {
        ("lead", "区科技创新局"), ("responsible", "光谷实验室"), ("responsible", "九峰山实验室"),
        ("responsible", "洪山实验室"), ("support", "华中农业大学"), ("support", "湖北省农业科学院")}
    assert ("responsible", "中国科学院武汉病毒研究所") in _roles_of(r, "建设科研院所成果转化基地")
    assert ("responsible", "长江存储科技有限责任公司") in _roles_of(r, "推动龙头企业牵头组建创新联合体")
    assert ("responsible", "中国地质大学(武汉)") in _roles_of(r, "深化职务科技成果赋权改革")
    assert "中国科学院" not in canon.values()

    r = _layout(builder, "gz_supervision_notice.txt")
    assert ("lead", "市科技局") in _roles_of(r, "强化关键核心技术领域专利储备")  # 请市科技局牵头
    assert ("support", "黄埔区政府") in _roles_of(r, "强化关键核心技术领域专利储备")  # 做好属地配合
    assert ("lead", "市司法局") in _roles_of(r, "完善知识产权法治保障")  # 交由市司法局办理
    assert ("lead", "市金融局") in _roles_of(r, "深化知识产权金融服务")  # 由市金融局统筹
    assert {x for x in _roles_of(r, "推动专利产业化和开放许可")} >= {
        ("responsible", "市工业和信息化局"), ("responsible", "市发展改革委")}  # 分别负责
    assert {role for role, s in _roles_of(r, "打造重点平台知识产权集聚区")} == {"responsible"}  # 抓好本辖区落实

    r = _layout(builder, "hn_fp_park_table.md")
    z = _zone_industries(r)
    assert z["洋浦经济开发区"] == {"港航物流", "石化新材料"}
    assert z["陵水黎安国际教育创新试验区"] == {"国际教育"}
    targets = {(t.indicator, t.year, t.value, t.unit) for t in r.extraction.targets}
    assert {("知识产权质押融资额", 2027, 2000000000, "元"), ("知识产权质押融资额", 2027, 1500000000, "元"),
            ("商标注册量", 2027, 12000, "件")} <= targets  # two parks' rows, and 1.2万件

    r = _layout(builder, "sc_province_city_duties.txt")
    # a financial regulator's provincial office is one body, not the national body and a 监管局
    assert ("lead", "国家金融监督管理总局四川监管局") in _roles_of(r, "拓展知识产权金融服务")
    # "X负责，Y、Z配合": X alone is charged, so X leads
    assert _roles_of(r, "支持绵阳科技城知识产权创新发展") >= {("lead", "绵阳市人民政府"), ("support", "省科技厅")}
    z = _zone_industries(r)
    assert z["成都青白江铁路港片区"] == {"国际铁路物流", "整车进口", "跨境电子商务"}
    assert z["川南临港片区"] == {"装备制造", "现代医药", "食品饮料"}
    assert "成都天府新区片区" in z


def test_guards_of_the_ninth_rounds_rules(builder):
    """What those rules must leave alone: a verb before a body is no part of a listed name; a
    bulleted line's dash is no part of one; a park's quarter named after the park is the park's."""
    from policykg.builders.model import RawDocument

    def run(body):
        text = ("重庆市渝中区知识产权局关于印发2023年工作要点的通知\n\n各有关单位：\n一、重点任务\n" + body
                + "\n\n重庆市渝中区知识产权局\n2023年3月1日")
        return builder.build_raw(RawDocument("guard.txt", "guard.txt", text, "0", "txt", "utf-8"))

    r = run("1.推动专利转化。支持光谷实验室牵头组建创新联合体。")
    assert not any("支持" in a.mention.surface for a in r.extraction.assignments)
    r = run("1.深化两岸交流。\n——区台港澳办负责两岸知识产权交流。")
    assert not any(a.mention.surface.startswith("—") for a in r.extraction.assignments)
    r = run("1.支持重庆高新区航空城重点发展航空制造产业。（区科技局负责）")
    assert "重庆高新区航空城" not in {z.name for z in r.extraction.zones}
    # found in review: a kind of body, or a verb before one, is no listed name; 负责人 is no verb
    for body in ("1.推动转化。引导科技型公司牵头组建联合体。", "1.推动转化。国有控股公司负责落实。",
                 "1.推动转化。股份有限公司负责落实。", "1.推动转化。重点实验室牵头攻关。", "1.推动转化。新建实验室负责运营。",
                 "1.推动转化。入驻企业集团按职责分工负责。", "1.推动转化。区属国有公司配合。",
                 "1.推动转化。光谷实验室负责人要抓好落实。"):
        assert not run(body).extraction.assignments, body
    r = run("1.光谷实验室牵头，推动专利转化。")  # after the item's number
    assert [(a.role, a.mention.surface) for a in r.extraction.assignments] == [("lead", "光谷实验室")]
    r = run("1.推进临港片区建设。落实临港片区规划，做强机场片区。")
    assert {z.name for z in r.extraction.zones} == {"临港片区", "机场片区"}
    r = run("1.成都中心城区重点发展金融、商贸产业。")
    assert not r.extraction.zones
    # a table's zone cell naming a zone found otherwise gives that zone its industries
    r = run("1.武汉东湖新技术开发区（以下简称东湖高新区）要重点发展光电子信息产业。\n| 园区 | 主导产业 |\n|---|---|\n"
            "| 东湖高新区 | 生物医药 |")
    assert _zone_industries(r) == {"武汉东湖新技术开发区": {"光电子信息", "生物医药"}}
    r = run("1.推动。\n| 区域 | 重点产业 |\n|---|---|\n| 江岸区 | 生物医药 |")
    assert not r.extraction.zones
    r = run("1.推动。\n| 指标 | 2025年目标 |\n|---|---|\n| 专利质押融资额 | 约20亿元 |")
    assert [(t.indicator, t.value, t.unit, t.year) for t in r.extraction.targets] == [("专利质押融资额", 2000000000, "元", 2025)]
    # a development zone's committee: its 区 bureaus are the zone's, a 县 bureau is not
    text = ("绵阳高新技术产业开发区管理委员会关于印发2023年工作要点的通知\n\n各有关单位：\n一、重点任务\n"
            "1.推动专利转化。区科技局牵头，县科技局配合。\n\n绵阳高新技术产业开发区管理委员会\n2023年3月1日")
    r = builder.build_raw(RawDocument("zone.txt", "zone.txt", text, "0", "txt", "utf-8"))
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["区科技局"] == "绵阳高新技术产业开发区科学技术局" and canon["县科技局"] == "县科技局"
    # a university's campus is the university's; a bracketed place after another body is not
    r = run("1.深化校地合作。西南大学、重庆市市场监督管理局(重庆)按职责分工负责。")
    assert "重庆市市场监督管理局(重庆)" not in {m.ref.canonical for m in r.extraction.mentions}


def test_a_tenth_rounds_layouts(builder):
    """A tenth blind round. A duty list by agency (a heading names the body, its numbered duties open
    with their verb: 牵头… / 会同X… / 配合X…); a checklist of "任务N：" blocks with varied labels
    (责任主体, 主责部门, 牵头落实单位, 协同部门, 协作单位, 责任科室 naming the body's own division); a
    national bureau's work points charging its own departments (保护司, 条法司) and its newspaper and
    publisher; deep nesting with a point charged before its colon ("1.区科技局牵头，区财政局配合：实施…")
    and a tail on a line of its own closing an item after its points."""
    r = _layout(builder, "ks_agency_duty_list.txt")
    assert _roles_of(r, "会同市财政局落实科技创新券政策") == {("lead", "市科技局"), ("support", "市财政局")}
    assert _roles_of(r, "配合市科技局落实科技创新券政策") == {("lead", "市科技局"), ("support", "市财政局")}
    canon = {m.surface: m.ref.canonical for m in r.extraction.mentions}
    assert canon["市台办"] == "昆山市人民政府台湾事务办公室" and canon["市委人才办"] == "中共昆山市委人才工作领导小组办公室"

    r = _layout(builder, "gy_checklist_labels.txt")
    assert _roles_of(r, "健全知识产权纠纷快速处理机制") == {
        ("lead", "市市场监管局"), ("support", "市司法局"), ("support", "市中级人民法院"), ("support", "贵安新区管委会"),
        ("division", "市市场监管局知识产权保护科")}  # one division, not the bureau and a 科
    assert ("lead", "市公安局") in _roles_of(r, "完善行政执法与刑事司法衔接")  # 牵头落实单位

    r = _layout(builder, "cnipa_internal_divisions.txt")
    assert _roles_of(r, "加强知识产权保护宣传") == {
        ("lead", "办公室"), ("support", "保护司"), ("support", "中国知识产权报社"), ("support", "知识产权出版社")}

    r = _layout(builder, "nb_deep_nested_points.txt")
    assert _roles_of(r, "实施高价值专利培育计划") == {("lead", "区科技局"), ("support", "区财政局")}
    assert _roles_of(r, "培育知名商标品牌") == {
        ("responsible", "区市场监管局"), ("responsible", "区农业农村局"), ("responsible", "区商务局"),
        ("support", "姜山镇人民政府"), ("support", "咸祥镇人民政府")}
    assert not _roles_of(r, "推动地理标志产业发展")  # the point before the tail's line

    # a park's industries listed right after its name, without 等 ("推进昆山高新区机器人及智能装备、小核酸及生物医药产业…")
    assert _zone_industries(_layout(builder, "ks_agency_duty_list.txt"))["昆山高新区"] == {"机器人及智能装备", "小核酸及生物医药"}
    # … but not a verb's object ("在文昌国际航天城开展航天装备、卫星应用产业专利导航")
    assert not any(i.name.startswith("开展") for i in _layout(builder, "hn_fp_park_table.md").extraction.industries)


def test_guards_of_the_tenth_rounds_rules(builder):
    """A heading that says more than a body's name makes no duty list; a tail on its own line stays
    its point's when the item's other points name roles; a point whose colon follows no assignment
    keeps its heading."""
    from policykg.builders.model import RawDocument

    def run(body):
        text = ("重庆市渝中区知识产权局关于印发2023年工作要点的通知\n\n各有关单位：\n" + body
                + "\n\n重庆市渝中区知识产权局\n2023年3月1日")
        return builder.build_raw(RawDocument("guard.txt", "guard.txt", text, "0", "txt", "utf-8"))

    r = run("一、区科技局要加强统筹\n1. 牵头推进专利导航工作，服务重点产业。\n2. 配合区财政局落实资助政策。")
    assert not any(a.rule == "agency-section" for a in r.extraction.assignments)
    r = run("一、区科技局\n1. 牵头推进专利导航工作，服务重点产业。\n2. 配合区财政局落实资助政策。")
    assert _roles_of(r, "牵头推进专利导航工作") == {("lead", "区科技局")}
    assert _roles_of(r, "配合区财政局落实资助政策") == {("lead", "区财政局"), ("support", "区科技局")}
    # a tail alone on its line stays the point's when another point of the item names its own roles
    r = run("一、重点任务\n（一）培育品牌\n1. 加强商标培育。（区商务局负责）\n2. 推进地理标志运用。\n（区市场监管局负责）\n（二）加强保护")
    assert _roles_of(r, "推进地理标志运用") == {("lead", "区市场监管局")}
    assert _roles_of(r, "培育品牌") == set()
    r = run("一、重点任务\n1.工作目标：到2025年新增专利100件。（区科技局负责）")
    assert {p.title for p in r.extraction.provisions if p.number.startswith("1")} == {"工作目标"}


def test_guards_found_in_the_tenth_rounds_review(builder):
    """A body's division named with another body keeps its own owner and does not make the other the
    sole lead; generic words glued to a body are no division; 负责人 opens no duty; the nearest body
    heading is a duty's subject; a tail on its own line stays its point's when a sentence of the item
    names roles; a title after a colon stops at the first sub-point; a list after a park without 等 is
    no industries unless a development verb precedes the park."""
    from policykg.builders.model import RawDocument

    def run(body):
        text = ("重庆市渝中区知识产权局关于印发2023年工作要点的通知\n\n各有关单位：\n" + body
                + "\n\n重庆市渝中区知识产权局\n2023年3月1日")
        return builder.build_raw(RawDocument("guard.txt", "guard.txt", text, "0", "txt", "utf-8"))

    def roles(r):
        return {(a.role, a.mention.surface, a.mention.ref.canonical) for a in r.extraction.assignments}

    r = run("一、重点任务\n1.加强执法。（责任单位：区市场监管局知识产权保护科、区公安分局）")
    assert ("division", "区市场监管局知识产权保护科", "重庆市渝中区市场监督管理局知识产权保护科") in roles(r)
    assert not any(role == "lead" for role, *_ in roles(r))
    r = run("一、重点任务\n1.加强执法。（责任单位：区科技局等相关科室）")
    assert not any("等" in c for _, _, c in roles(r))
    r = run("一、区科技局\n1. 负责人要亲自抓专利导航工作。")
    assert not r.extraction.assignments
    r = run("一、区科技局\n（一）区财政局\n1. 配合区科技局落实资助政策。")
    assert {(role, s) for role, s, _ in roles(r)} == {("lead", "区科技局"), ("support", "区财政局")}
    r = run("一、重点任务\n（一）加强保护\n1.区科技局牵头开展专利导航。\n2.建立快速维权中心。\n（责任单位：区市场监管局）\n（二）加强运用")
    assert _roles_of(r, "建立快速维权中心") == {("lead", "区市场监管局")}
    r = run("一、重点任务\n1.区科技局牵头：(1)开展专利导航；(2)建设服务站。")
    assert not any("(1)" in p.title for p in r.extraction.provisions)
    r = run("一、重点任务\n1.两江新区一季度、二季度产业增加值持续增长。（区科技局负责）")
    assert not r.extraction.industries
    # a park named X开发区 (昆山开发区) is a zone when given industries; 各类开发区, 国家级开发区 are none
    z = _zone_industries(_layout(builder, "ks_agency_duty_list.txt"))
    assert z["昆山开发区"] == {"光电显示", "半导体"}
    r = run("一、重点任务\n1.推动各类开发区、国家级开发区重点发展生物医药、电子信息等产业。（区科技局负责）")
    assert not r.extraction.zones
