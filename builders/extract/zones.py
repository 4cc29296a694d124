"""Pilot zones (FTZ areas, demonstration cities and parks named as pilots) and their industries."""
from __future__ import annotations

import re
from dataclasses import replace

from policykg.builders.extract.records import IndustryRecord, ZoneRecord
from policykg.builders.extract.targets import pipe_cells
from policykg.builders.lexicon import Lexicon

FTZ = re.compile(r"中国\((?P<p>[\u4e00-\u9fff]{2,4})\)自由贸易试验区")
AREA = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,8}?)片区")
NOT_ZONE_NAME = ("各", "该", "本", "所在", "三个", "有关", "相关", "其他", "每个", "全部")
ZONE_VERBS = (
    "围绕", "支持", "推动", "鼓励", "引导", "依托", "建设", "推进", "在", "对", "为", "将", "由", "和", "与", "及", "是",
    "设立", "开展", "组织", "加快", "服务", "入驻", "作为", "赋予", "面向", "覆盖", "联动", "统筹",
    "提高", "提升", "促进", "加强", "强化", "深化", "完善", "创建", "争创", "发挥", "以",
)
DEMO = re.compile(
    r"(?:支持|推动|鼓励|指导|引导)(?P<list>[\u4e00-\u9fff、]{2,60}?)等?(?:建设|创建|争创|申报|打造|开展)"
    r"(?P<what>[\u4e00-\u9fff]{0,16}?(?:示范|试点)(?:城市|园区|区|县|基地|市|城区|园))"
)
# "重点发展A、B等产业", "围绕A、B、C产业": with 等 a few more characters may precede the head
# (等战略性新兴产业); without it the list runs up to the head (…机器人产业)
_INDUSTRY_LIST = r"(?P<list>[\u4e00-\u9fff、]{2,80}?)(?:等[\u4e00-\u9fff]{0,10}?|)(?:产业(?!化)|制造业|行业|领域|业态|业务)(?!基地|中心|高地)"
INDUSTRY = re.compile(r"(?:重点)?(?:发展|布局|培育|聚焦|打造|主攻|做强|壮大|拓展|突出|面向)的?" + _INDUSTRY_LIST)
# "深圳高新区以新一代信息技术、高端装备制造为主导产业"
INDUSTRY_AS = re.compile(r"以(?P<list>[\u4e00-\u9fff、]{2,60}?)等?为(?:(?:主导|重点|核心|支柱|特色|首位|优势)?产业(?![链集园发])|(?:主导|重点|主攻)方向)")
# what may stand between a zone and its industries: nothing, or a modal or an adverb (兰州新区要…,
# …片区则突出…), not a noun (兰州新区金融机构拓展…业务: the institutions')
NEAR_GAP = re.compile(r"[)）]?(?:要|将|则|还|也|可|应|重点|着力|大力|加快|积极|主要|进一步|继续|率先)*")
CLAUSE_JOINT = re.compile(r"[,，、和与]")
# an item that names no industry: what a list after 突出/聚焦 often holds instead
NOT_INDUSTRY_ITEM = re.compile(r"(?:导向|问题|关切|意识|理念|作用|优势|短板|瓶颈|需求|目标|任务|要求|机制|体系|能力|水平|企业|群众)$")
# industries whose standard names hold 和 (国民经济行业分类): not split there
AND_COMPOUND = re.compile(r"软件和信息技术|文化和旅游|批发和零售|住宿和餐饮|租赁和商务|科学研究和技术|卫生和社会|生产和供应|新能源和智能网联")
# a zone named in one sentence, its industries in the next: "该园区聚焦…"
ANAPHOR = re.compile(r"该(?:园区|片区|合作区|示范区|试验区|新区|高新区|开发区|经开区)(?:则|还|要|将|也)?$")
# "X片区围绕A、B产业…": matched on its own, as "围绕" also opens phrases that name the zone after it
# (围绕两江片区重点发展的…)
INDUSTRY_AROUND = re.compile(r"围绕" + _INDUSTRY_LIST)


# a named development zone or park (成都高新区, 绵阳科技城, 钦州综合保税区, 中马钦州产业园区,
# 中国(常州)跨境电子商务综合试验区): a zone when the text gives it industries or a pilot's work
PARK = re.compile(
    r"中国\([\u4e00-\u9fff]{2,4}\)[\u4e00-\u9fff]{2,14}?(?:综合试验区|示范区|先行区)"
    r"|(?:高新技术产业开发区|经济技术开发区|新技术开发区|经济开发区|合作区|高新区|经开区|新区"
    r"|科技城(?!区)|科学城(?!区)|知识城|生物城|医药城|航天城|航空城|软件城|汽车城|综合保税区|保税港区|工业园区|产业园区|物流园区|产业园|港务区|经济区|示范区|试验区|先行区|开发区)"
    r"(?!管委会|管理委员会|管理局|片区)"
)
# what makes a named park a pilot zone: industries right after it, or a pilot's task in its clause
PARK_INDUSTRY = re.compile(r"(?:要|将|则|)(?:(?:重点|着力|大力)?(?:围绕|聚焦|主攻|面向|发展(?!水平|质量|环境|能级|动能|空间|绩效|规划|纲要|报告)|培育|打造|突出)|(?:重点|着力)布局|做大做强"
                           r"|以[^,，。;；]{2,40}?为(?:主导|重点|核心|支柱|特色)?产业(?![链集园发]))")
PARK_PILOT = re.compile(r"先行先试|开展[^，。；]{0,20}?试点|创建[^，。；]{0,20}?示范|建设[^，。；]{0,24}?示范(?:区|园区|基地)")
# "成都高新区围绕电子信息、生物医药，绵阳科技城…": after a zone a 围绕 (聚焦) list may end at the clause
AROUND_CLAUSE = re.compile(r"(?:围绕|聚焦|突出|主攻)(?P<list>[\u4e00-\u9fff]{2,12}?(?:(?:、[\u4e00-\u9fff]{2,12}?){1,7}|和[\u4e00-\u9fff]{2,12}?))(?=[，,；;。]|建设|打造|开展)")
# a park's industries right after its name, as a list closed by 等…产业: "推动哈尔滨临空经济区航空物流、临空制造、跨境电商等产业形成…"
BARE_LIST = re.compile(r"(?!重点|着力|大力|发展|聚焦|围绕|做大|做强|打造|培育|布局|主攻|突出|拓展|开展|推进|推动|支持|加快|建设|实施|"
                       r"加强|促进|引导|鼓励|提升|形成|以|为|要|将|则|在|和|及|与)(?P<list>[\u4e00-\u9fff]{2,12}?(?:、[\u4e00-\u9fff]{2,12}?){1,7})(?:等[\u4e00-\u9fff]{0,4}?)?(?:产业(?![化链集园发])|业态)")
# "支持南昌高新区开展电子信息产业集群数字化转型试点": the industry of a zone's pilot
# (not a pilot's kind: 创新型产业集群, 国家级产业链)
PILOT_NOT_INDUSTRY = re.compile(r"(?:型|级|类|性|首批|特色|优势|重点|新兴|现代)$")
PILOT_INDUSTRY = re.compile(r"开展(?P<list>[\u4e00-\u9fff、]{2,16}?)产业(?:集群|链|园区|基地)?[\u4e00-\u9fff]{0,12}?试点")


# words that end a park's name when read backwards from its suffix (支持…等国家级高新区)
PARK_NAME_STOPS = ("等", "和", "及", "的", "区域", "地区", "重点", "国家级", "省级", "国家", "以", "在")


def _name_before(lexicon: Lexicon, window: str, longest: int, stops=(), one_word: bool = False) -> str:
    """The words at the end of ``window`` that name a zone (at most ``longest`` characters), read
    backwards up to a verb, a quantifier, punctuation or a word of ``stops``; with ``one_word`` the
    first word of two or more characters ends it (两江 in 支持两江)."""
    name = ""
    for tok in reversed(lexicon.cut(window)):
        if tok in ZONE_VERBS or tok in NOT_ZONE_NAME or tok in stops or not re.fullmatch(r"[\u4e00-\u9fff]+", tok):
            break
        if len(name) + len(tok) > longest:
            break
        name = tok + name
        if one_word and len(name) >= 2 and len(tok) >= 2:
            break
    return name


def _park_name(lexicon: Lexicon, text: str, m: re.Match) -> tuple[int, str] | None:
    """The park's whole name: 中国(X)… as matched, else its suffix with the words before it that
    name it (绵阳科技城, 中马钦州产业园区), stopping at a verb, a place word of the sentence or punctuation."""
    if m.group().startswith("中国("):
        return m.start(), m.group()
    name = _name_before(lexicon, text[max(0, m.start() - 10):m.start()], 10, PARK_NAME_STOPS)
    # a preposition the segmenter joined to the name's first character (以前海… cut as 以前/海…);
    # these five open no place name (向阳区, 从化区, 将乐县, 于都县 do, so those are kept)
    if len(name) > 3 and name[0] in "以在对把为":
        name = name[1:]
    if len(name) < 2:
        return None
    s = m.start() - len(name)
    if s > 0 and text[s - 1] in "-－":  # a park of two places: 奎屯-独山子经济技术开发区
        first = _name_before(lexicon, text[max(0, s - 7):s - 1], 6, PARK_NAME_STOPS, one_word=True)
        if len(first) >= 2:
            s -= len(first) + 1
            name = first + "-" + name
    return s, name + m.group()


# words that describe an area rather than name it: a 片区 so named is named by the words before
# (成都天府|新区片区, 青白江|铁路港片区, 川南|临港片区)
AREA_DESCRIPTORS = {"新区", "港", "铁路港", "临港", "港区", "空港", "港务区", "国际港务区", "示范区", "中心", "机场",
                    "保税区", "综合保税区", "高新区", "经开区", "开发区", "商务区", "中心商务区"}


# verbs that may stand before a 片区's descriptor ("落实临港片区规划", "做强机场片区") and name nothing
AREA_NOT_NAME = re.compile(r"落实|优化|规划|做强|做大|壮大|带动|辐射|对接|连接|包括|涵盖|扩大|启动|协调|联通|推进|实施|构建|拓展|"
                           r"整合|申建|升级|打造|发展|培育|加快|聚焦|建成|形成|用好|利用|支撑|引领|突出|办好|管好|抓好|"
                           r"新设|增设|扩区|调整|明确|确定|划定|设置|布局|谋划|"
                           + "|".join(ZONE_VERBS))


def _zone_name(lexicon: Lexicon, text: str, s: int, e: int, place_names=None) -> tuple[int, str] | None:
    """The proper name right before 片区: the last one or two words of ``text[s:e]`` (before a
    自贸 that ends it, as in 前海蛇口自贸片区, the words before that); when those only describe an
    area (新区, 铁路港), the word before them too, and places before a place (成都青白江铁路港片区)."""
    ftz = "自贸" if text[max(s, e - 2):e] == "自贸" else ""
    name = _name_before(lexicon, text[max(0, s - len(ftz)):e - len(ftz)], 4, one_word=not ftz)
    if len(name) < 2:
        return None
    if not ftz and place_names is not None:
        end = e - len(name)
        toks = lexicon.cut(text[max(0, end - 10):end])
        described = False

        def place(tok: str) -> bool:
            return any(tok + suffix in place_names for suffix in ("", "市", "区", "县"))
        while toks and len(name) + len(toks[-1]) <= 10 and re.fullmatch(r"[\u4e00-\u9fff]{2,}", toks[-1]) \
                and toks[-1] not in ZONE_VERBS and toks[-1] not in NOT_ZONE_NAME and not AREA_NOT_NAME.fullmatch(toks[-1]) \
                and (name in AREA_DESCRIPTORS or (place(toks[-1]) and (described or any(place(name[:k]) for k in (2, 3, 4))))):
            described = described or name in AREA_DESCRIPTORS
            name = toks.pop() + name
    return e - len(ftz) - len(name), name + ftz


def extract_zones(text: str, lexicon: Lexicon, place_names: dict) -> tuple[list[ZoneRecord], list[IndustryRecord], dict[str, str]]:
    """Zones, industries, and zone aliases (surface → canonical) in ``text``."""
    zones: list[ZoneRecord] = []
    aliases: dict[str, str] = {}
    ftz_name = ""
    for m in FTZ.finditer(text):
        ftz_name = m.group()
        zones.append(ZoneRecord(ftz_name, m.start(), m.end(), m.group()))
        p = m.group("p")
        for short in (f"{p}自贸试验区", f"{p}自贸区", "自贸试验区", "自贸区"):
            aliases.setdefault(short, ftz_name)
    defined = re.finditer(r"\(\s*(?:以下简称|简称|下称)\s*[:：“\"]?\s*(?P<a>[^()”\"]{2,16}?)\s*[”\"]?\s*\)", text)
    for m in defined:
        before = text[max(0, m.start() - 40):m.start()].rstrip()
        fm = None
        for fm in FTZ.finditer(before):
            pass
        if fm is not None and fm.end() == len(before):
            aliases[m.group("a").strip()] = fm.group()
    if aliases:
        alias_re = re.compile("|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)))
        taken = [(z.start, z.end) for z in zones]
        for m in alias_re.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            zones.append(ZoneRecord(aliases[m.group()], m.start(), m.end(), m.group()))
    for m in AREA.finditer(text):
        found = _zone_name(lexicon, text, max(0, m.end() - 2 - 6), m.end() - 2, place_names)
        if not found:
            continue
        s, name = found
        if name.startswith(NOT_ZONE_NAME) or name.endswith(("各", "该")):
            continue
        full = name + "片区"
        zones.append(ZoneRecord(full, s, m.end(), text[s:m.end()], parent=ftz_name))
    for m in DEMO.finditer(text):
        for item in re.finditer(r"[^、]+", m.group("list")):
            name = item.group().strip()
            s = m.start("list") + item.start()
            if name in place_names or re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:新区|高新区|开发区|经开区|园区)", name):
                zones.append(ZoneRecord(name, s, s + len(name), name))
    # a park's short name defined in the text ("前海深港现代服务业合作区（以下简称前海合作区）"): its
    # mentions are the park's
    park_alias: dict[str, str] = {}
    for m in re.finditer(r"\(\s*(?:以下简称|简称|下称)\s*[:：“\"]?\s*(?P<a>[^()”\"]{2,16}?)\s*[”\"]?\s*\)", text):
        pm = None
        for pm in PARK.finditer(text, max(0, m.start() - 30), m.start()):
            pass
        if pm is None or pm.end() != m.start():
            continue
        found = _park_name(lexicon, text, pm)
        alias = m.group("a").strip()
        if found and len(alias) >= 4 and not PARK.fullmatch(alias):  # not a bare 高新区 or 示范区
            park_alias[alias] = found[1]
    candidates: list[ZoneRecord] = []  # parks that are zones if the text gives them industries
    for m in PARK.finditer(text):
        if any(z.start <= m.start() < z.end for z in zones) or _in_title(text, m.start()):
            continue
        found = _park_name(lexicon, text, m)
        if not found:
            continue
        s, name = found
        if m.group().endswith("城") and PARK.search(text, s, m.start()):
            continue  # a park's quarter (南昌高新技术产业开发区航空城): the park is the zone
        short = next((a for a in park_alias if len(a) > len(m.group()) and text[max(0, m.end() - len(a)):m.end()] == a), None)
        if name in park_alias:
            name = park_alias[name]
        elif short is not None:
            s, name = m.end() - len(short), park_alias[short]
        after = text[m.end():m.end() + 60]
        clause = re.split(r"[，,；;。\n]", after, maxsplit=1)[0]
        record = ZoneRecord(name, s, m.end(), text[s:m.end()])
        if PARK_INDUSTRY.match(after) or PARK_PILOT.search(clause) or name in park_alias.values() \
                or (re.search(r"(?:发挥|依托)$", text[max(0, s - 2):s]) and re.match(r"[\u4e00-\u9fff]{0,2}?(?:功能|作用|平台|枢纽|载体)", clause)):
            zones.append(record)
        else:
            candidates.append(record)
    # the other mentions of a park's short name
    if park_alias:
        alias_re = re.compile("|".join(re.escape(a) for a in sorted(park_alias, key=len, reverse=True)))
        for m in alias_re.finditer(text):
            if not any(z.start < m.end() and m.start() < z.end for z in zones + candidates):
                zones.append(ZoneRecord(park_alias[m.group()], m.start(), m.end(), m.group()))
    table_zones, table_industries = _table_zones(text)
    renamed = {}
    for z in table_zones:
        other = next((o for o in zones if o.start < z.end and z.start < o.end), None)
        if other is None:
            zones.append(z)
        else:  # the cell names a zone found otherwise ("东湖高新区", defined as the park's short name)
            renamed[z.name] = other.name
    table_industries = [replace(i, zone=renamed.get(i.zone, i.zone)) for i in table_industries]
    candidates = [c for c in candidates if not any(z.start < c.end and c.start < z.end for z in table_zones)]
    zones.sort(key=lambda z: (z.start, z.end))
    industries: list[IndustryRecord] = list(table_industries)
    seen: set[tuple[str, int]] = {(i.zone, i.start) for i in table_industries}
    accepted: list[ZoneRecord] = []
    bare = [m for z in sorted(zones + candidates, key=lambda z: z.start)
            if (m := BARE_LIST.match(text, z.end)) and ("等" in m.group() or _developed_list(text, z.start, m))]
    for m in sorted([*INDUSTRY.finditer(text), *INDUSTRY_AROUND.finditer(text), *AROUND_CLAUSE.finditer(text),
                     *PILOT_INDUSTRY.finditer(text), *INDUSTRY_AS.finditer(text), *bare], key=lambda m: m.start()):
        zone = _industry_zone(text, m, zones, candidates, place_names)
        if zone is None or "片区" in m.group("list"):
            continue
        if any(NOT_INDUSTRY_ITEM.search(name) for name, _ in _items(m)):
            continue  # 突出问题导向和目标导向, 聚焦企业和群众关切: no industries
        if m.re is PILOT_INDUSTRY and PILOT_NOT_INDUSTRY.search(m.group("list")):
            continue
        if zone in candidates and zone not in accepted:
            accepted.append(zone)
        for name, s in _items(m):
            if 2 <= len(name) <= 12 and (zone.name, s) not in seen:
                seen.add((zone.name, s))
                industries.append(IndustryRecord(zone.name, name, s, s + len(name)))
    if accepted:
        zones = sorted(zones + accepted, key=lambda z: (z.start, z.end))
    industries.sort(key=lambda i: (i.start, i.zone))
    return zones, industries, aliases


# a table of zones (as the readers flatten tables: one row a line, cells between " | "): a column
# naming the zones and one naming their industries
ZONE_COLUMN = re.compile(r"(?:重点)?(?:园区|片区|功能区|开发区|产业园区?|经济区)(?:名称)?")
INDUSTRY_COLUMN = re.compile(r"(?:主导|重点|特色|优势|首位|支柱|核心)?产业(?:方向|定位|领域|布局)?|(?:主攻|发展)方向")


def _table_zones(text: str) -> tuple[list[ZoneRecord], list[IndustryRecord]]:
    """Zones and their industries read from tables whose header has a zone column and an industry
    column (| 园区 | 主导产业 | … |): each row's zone cell names a zone, its industry cell lists them."""
    zones: list[ZoneRecord] = []
    industries: list[IndustryRecord] = []
    header = None
    pos = 0
    for line in text.split("\n"):
        off, pos = pos, pos + len(line) + 1
        if line.count("|") < 2:
            header = None
            continue
        cells = [(c, s) for c, s, _ in pipe_cells(line, off)]
        if header is None or len(cells) != header[0]:
            zc = next((j for j, (c, _) in enumerate(cells) if ZONE_COLUMN.fullmatch(c)), None)
            ic = next((j for j, (c, _) in enumerate(cells) if INDUSTRY_COLUMN.fullmatch(c)), None)
            header = (len(cells), zc, ic) if zc is not None and ic is not None else None
            continue
        _, zc, ic = header
        name, zs = cells[zc]
        if not re.fullmatch(r"[\u4e00-\u9fff()]{3,30}", name) or name.startswith(NOT_ZONE_NAME):
            continue
        zones.append(ZoneRecord(name, zs, zs + len(name), name))
        cell, cs = cells[ic]
        for item in re.finditer(r"[^、,，;；/和及]+", cell):
            label = item.group().strip()
            label = re.sub(r"(?:等|产业|行业)+$", "", label)
            if 2 <= len(label) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", label):
                industries.append(IndustryRecord(name, label, cs + item.start(), cs + item.start() + len(label)))
    return zones, industries


# without 等, a list right after a park names its industries only as the object of a development
# verb before the park ("推进昆山高新区机器人、生物医药产业…"), not as figures ("两江新区一季度、二季度产业增加值")
DEVELOPING = re.compile(r"(?:推进|推动|支持|发展|布局|围绕|聚焦|打造|培育|壮大|做强|促进|加快|提升|引导|依托|立足)$")
NOT_INDUSTRY_FIGURE = re.compile(r"增加值|结构|规模|产值|占比|投资|比重|收入")


def _developed_list(text: str, zone_start: int, m: re.Match) -> bool:
    return DEVELOPING.search(text, max(0, zone_start - 4), zone_start) is not None \
        and not NOT_INDUSTRY_FIGURE.match(text, m.end()) \
        and not any(re.search(r"[季年月日]度?$", name) for name in m.group("list").split("、"))


def _in_title(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a cited title (《…示范区发展规划纲要》 names no zone of this text)."""
    opened = text.rfind("《", max(0, pos - 60), pos)
    return opened >= 0 and text.find("》", opened, pos) < 0


def _items(m: re.Match) -> list[tuple[str, int]]:
    """The items of an industry list with their offsets: split at 、, and the last item at 和
    (A、B和C; a single item is split too: 保税维修和跨境电商); an earlier item keeps its 和
    (软件和信息技术服务、文化旅游), and 及 stays inside a name (新能源及智能汽车)."""
    items = [(it.group().strip(), m.start("list") + it.start()) for it in re.finditer(r"[^、]+", m.group("list"))]
    if items:
        last, s = items[-1]
        parts = re.split(r"(和)", last)
        if len(parts) == 3 and len(parts[0]) >= 2 and len(parts[2]) >= 2 and not AND_COMPOUND.search(last):
            items[-1:] = [(parts[0], s), (parts[2], s + len(parts[0]) + len(parts[1]))]
    return items


def _industry_zone(text: str, m: re.Match, zones: list[ZoneRecord], candidates: list[ZoneRecord],
                   place_names=()) -> ZoneRecord | None:
    """The zone an industry list belongs to: a zone (or a park not yet known as one) right before
    it (nothing, or a modal or adverb, between); after "该园区/该片区…" the zone named last before that
    whose name ends with that noun; else, for a list led by a verb
    (重点发展…, 聚焦…), the first zone of its sentence when it opens the sentence (支持兰州高新区发挥…
    优势，重点发展…产业)."""
    both = sorted(zones + candidates, key=lambda z: (z.start, z.end))
    near = next((z for z in reversed(both) if z.end <= m.start() and m.start() - z.end <= 4
                 and (NEAR_GAP.fullmatch(text[z.end:m.start()])  # a pilot's place in the zone may stand between
                      or (m.re is PILOT_INDUSTRY and not re.search(r"[。；;,，|\n]", text[z.end:m.start()])))), None)
    if near is not None:
        return near
    before = text[max(0, m.start() - 8):m.start()]
    anaphor = ANAPHOR.search(before)
    if anaphor:  # the zone named last before it whose name ends with its noun (该园区: …园区)
        at = m.start() - len(anaphor.group())
        noun = re.sub(r"^该|(?:则|还|要|将|也)$", "", anaphor.group())
        return next((z for z in reversed(both) if z.end <= at and at - z.end <= 200 and z.name.endswith(noun)), None)
    if m.re is PILOT_INDUSTRY:
        return None
    j = m.start()
    while j > 0 and text[j - 1] not in "。；;|\n":
        j -= 1
    first = next((z for z in both if j <= z.start and z.end <= m.start()), None)
    if first is not None and re.fullmatch(r"(?:支持|推动|鼓励|引导|发挥|依托|推进|加快)?", text[j:first.start].strip()):
        # not when a clause between names another subject (…协同发展,榆中县重点发展…)
        for c in CLAUSE_JOINT.finditer(text, first.end, m.start()):
            if _places_at(text, c.end(), place_names):
                return None
        return first
    return None


def _places_at(text: str, pos: int, place_names) -> list[str]:
    """The place names of ``place_names`` that ``text`` holds at ``pos`` (at most 8 characters long)."""
    return [text[pos:pos + n] for n in range(2, 9) if text[pos:pos + n] in place_names]
