"""Agencies and collective actors: recognition (gazetteer plus patterns) and
jurisdiction-aware resolution to canonical agencies.

A mention is recognised by one of a few general patterns, each built from the
gazetteer rather than from any one document:

* ``department``: [中共][place…][省|市|区|县|州]<department type>[办公室], e.g.
  重庆市知识产权局, 区市场监管局, 区委宣传部, 市委, 重庆市人民政府办公厅;
* ``national``: a national body by its full or short name (国务院, 国家知识产权局;
  bare short forms such as 知识产权局 only in a national document);
* ``named``: a place- or 国家-led proper name ending in an institution word
  (中心, 仲裁院, 法庭, 基地, 工作站, 促进会, 协会, 领导小组, 管委会 …);
* ``collective``: 各… / 有关… / 其他… / …成员单位 / …等部门 references;
* ``alias``: a short form the document defines itself ("(以下简称:领导小组)").

Resolution turns a relative form (区法院 in a 渝中区 document) into a canonical
name (重庆市渝中区人民法院) using the document's jurisdiction chain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from policykg.ontology.gazetteer import Gazetteer, Place

REL_CHARS = "省市区县州旗盟"  # and 自治区 (an autonomous region's own bodies: 自治区知识产权局)
# words ending in a relative character that are not a jurisdiction prefix
REL_STOP = {
    "城市", "都市", "上市", "超市", "全市", "本市", "我市", "该市", "各市", "省市", "城区", "地区", "片区", "园区",
    "辖区", "市区", "景区", "山区", "小区", "街区", "全区", "本区", "我区", "该区", "各区", "分区", "校区", "新区",
    "试验区", "示范区", "集聚区", "开发区", "保税区", "专区", "全县", "本县", "各县", "全省", "本省", "我省", "各省",
    "外省", "所在区", "所在市", "所在县", "社区", "港区", "郊区", "湾区", "自治区", "自治州", "自治县", "高新区", "经开区",
}
LEADING_FUNCTION_WORDS = (
    "进一步", "积极", "支持", "推动", "依托", "联合", "会同", "鼓励", "指导", "协调", "组织", "督促", "要求", "配合",
    "发挥", "加强", "围绕", "引导", "通过", "推进", "建立", "完善", "设立", "成立", "组建", "筹备", "由", "在", "对", "与",
    "和", "及", "向", "请", "经", "将", "把", "为", "从", "是", "以",
)
INSTITUTION_SUFFIXES = (
    "领导小组办公室", "联席会议办公室", "工作领导小组", "领导小组", "联席会议", "管理委员会", "管委会", "执行委员会",
    "合作办公室", "知识产权法庭",
    "法庭", "仲裁委员会", "仲裁院", "研究院", "研究所", "研究中心", "服务中心", "信息中心", "协作中心", "中心", "基地",
    "指导站", "工作站", "促进会", "行业协会", "协会", "联盟", "商会", "学会", "大学", "学院",
)
# regions that name cross-provincial bodies (长三角区域合作办公室, 京津冀协同发展领导小组)
REGIONS = "长江三角洲|长三角|京津冀|粤港澳大湾区|粤港澳|泛珠三角|珠三角|成渝地区双城经济圈|成渝|川渝|长江经济带|黄河流域"
# words that cannot be inside a proper institution name (verbs, prepositions)
NAME_BREAKERS = re.compile(
    r"设立|建设|建立|依托|推动|支持|开展|发挥|加强|围绕|引进|组建|成立|筹备|争取|转发|印发|关于|通过|制定|申报|"
    r"推荐|指导(?!中心|站)|认定|培育|打造|形成|提升|提供|(?<!战略)实施|推进|建成|完善|优化|组织|联合|会同|作为|以及|的|在|为|向|及|和|、|，|。"
)
LEADING_GROUP_SUFFIXES = ("领导小组", "工作领导小组", "联席会议", "领导小组办公室", "联席会议办公室")
LEADING_GROUP_BREAKERS = re.compile(r"关于|印发|转发|通过|负责|牵头|会同|以及|要|对|的|在|为|向|及|、|，|。|,")
PLACE_HEADS = r"(?:城市|省份|省|地区|地方|区县|市州)"  # 各…城市 / 各…省 as collectives (before a duty word)
COLLECTIVE_HEADS = r"(?:街道办事处|成员单位|人民政府|知识产权局|社会团体|委办局|办事处|管委会|部门|单位|政府|机构|乡镇|镇街|部委|街道|直属海关)"
# generic categories: whatever precedes them (有关行业协会, 各类服务机构, 咨询辅导机构), they name no body
GENERIC_HEADS = re.compile(r"(?:行业协会|协会|学会|服务机构|中介机构|咨询机构|辅导机构|金融机构|保险机构|投资机构|银行|高校|院校|"
                           r"高等学校|科研院所|科研机构|企业|市场主体|园区|律师事务所|事务所)$")
# the last word of an organisation named in an assignment list that the gazetteer does not know:
# offices and bureaus, courts, a place's government (黄埔区人民政府), customs, a central bank's
# branches (人行杭州中心支行)
LIST_ITEM_HEAD = re.compile(r"(?:局|委|办|厅|部|署|院|中心|处|室|科|站|队|所|会|组|庭|海关|支行|分行|"
                            r"[\u4e00-\u9fff]人民政府|[区县市州镇乡旗]政府|大学|学院|公司|集团|实验室|司|报社|出版社|杂志社)$")  # 司: a ministry's department
# list items that are institutions rather than offices: universities, companies, laboratories, institutes
LIST_ITEM_INSTITUTION = re.compile(r"(?:大学|学院|公司|集团|实验室|研究所|研究院|社)$")
# an academy and the institutes under it, named together (中国科学院武汉病毒研究所, 湖北省农业科学院植物保护土肥研究所)
ACADEMIES = ("科学院", "工程院")
ACADEMY_UNITS = ("研究所", "研究院", "研究中心", "研究室", "实验室")
# the tail of a central bank branch's name after "(中国)人民银行": 青岛市分行, 杭州中心支行, 重庆营业管理部
# a place's branch of a body (上海分中心, 伊犁州分院): the place is checked by AgencyRecognizer._place_branch
BRANCH_TAIL = re.compile(r"(?P<place>[\u4e00-\u9fff]{2,12}?)(?P<tail>分中心|分院|分会)")
BANK_BRANCH = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:分行营业管理部|中心支行|分行|支行|营业管理部)")
# a bureau's branch named after the district it serves (市公安局|良庆分局)
BRANCH_OFFICE = re.compile(r"[\u4e00-\u9fff]{2,4}?分局")
# what follows the issuer code of a document number (国办|发〔2023〕, 国知|发保字〔2025〕)
DOC_NUMBER_TAIL = re.compile(r"[\u4e00-\u9fff]{0,4}?\s*[〔\[(]\s*(?:19|20)\d{2}\s*[〕\])]")
# national bodies whose regional branches are named after them: canonical → (the branch's name prefix, its tail)
NATIONAL_BRANCHES = {
    "中国人民银行": ("中国人民银行", BANK_BRANCH),
    "中华人民共和国海关总署": ("海关总署", re.compile(r"[\u4e00-\u9fff]{2,4}?分署")),  # 海关总署广东分署
    # the financial regulators' offices in a province or city: 国家金融监督管理总局四川监管局, 中国银保监会宁波监管局
    "国家金融监督管理总局": ("国家金融监督管理总局", re.compile(r"[\u4e00-\u9fff]{2,4}?监管(?:分)?局")),
    "中国银行保险监督管理委员会": ("中国银行保险监督管理委员会", re.compile(r"[\u4e00-\u9fff]{2,4}?监管(?:分)?局")),
    "中国证券监督管理委员会": ("中国证券监督管理委员会", re.compile(r"[\u4e00-\u9fff]{2,4}?监管局")),
}
# short forms that name a national body's regional branches only (人行青岛市分行), never the body itself
BRANCH_ONLY_FORMS = {"人行"}
# a role written after a body in a list: "市市场监管局(牵头)、市财政局"
LEAD_MARK_WORDS = ("牵头单位", "牵头部门", "牵头", "主责", "主办")
ROLE_MARK = re.compile(r"\((?:" + "|".join(LEAD_MARK_WORDS + ("配合", "协办")) + r")\)")
GENERIC_NOT_AGENCY = {
    "商业银行", "保险机构", "金融机构", "行业协会", "高校", "企业", "科研院所", "服务机构", "中介机构", "社会团体",
    "知识产权局", "政府", "法院", "检察院", "公安", "海关",
}


@dataclass(frozen=True)
class AgentRef:
    """A resolved actor: a real agency or a typed collective actor."""

    key: str  # canonical key: the canonical name (agencies) or "collective:<key>"
    canonical: str
    kind: str  # gov | judicial | procuratorate | party | legislature | zone_admin | institution | association | leading_group | collective
    jurisdiction: str = ""
    level: str = ""  # national | provincial | city | district | ""
    members_of: str = ""  # for "…成员单位": the canonical name of the body

    @property
    def collective(self) -> bool:
        return self.kind == "collective"


@dataclass(frozen=True)
class Mention:
    start: int  # normalised text offsets
    end: int
    surface: str
    ref: AgentRef
    rule: str


@dataclass(frozen=True)
class Jurisdiction:
    """Whose 省/市/区/县 a document's abbreviations refer to."""

    chain: tuple[Place, ...] = ()  # innermost first; empty means national
    national: bool = False

    @property
    def name(self) -> str:
        if self.national or not self.chain:
            return "中华人民共和国" if self.national else ""
        return self._full(0)

    @property
    def level(self) -> str:
        if self.national:
            return "national"
        if not self.chain:
            return ""
        # a development zone administered below its city is at a district's level
        return {"province": "provincial", "city": "city", "district": "district", "zone": "district"}[self.chain[0].level]

    def for_rel(self, rel: str) -> tuple[str, str] | None:
        """(jurisdiction name, level) that a relative prefix 省/市/区/县/州/盟/旗/自治区 refers to here
        (师市, a corps division and its city under one administration, is the city's)."""
        if rel == "师市":
            rel = "市"
        for i, place in enumerate(self.chain):
            full = place.full
            if rel == "自治区":
                if place.level == "province" and full.endswith("自治区"):
                    return full, "provincial"
                continue
            if rel == "旗" and place.level == "district" and full.endswith("旗"):
                return self._full(i), "district"
            if rel == "盟" and place.level == "city" and full.endswith("盟"):
                return full, "city"
            if rel in "区县" and place.level == "district" or rel == "区" and place.level == "zone":
                return self._full(i), "district"
            if rel == "市" and full.endswith("市"):
                # a county-level city's 市 is itself (汨罗市's 市市场监管局)
                return self._full(i), {"city": "city", "province": "provincial"}.get(place.level, "district")
            if rel == "省" and place.level == "province" and full.endswith("省"):
                return full, "provincial"
            if rel == "州" and full.endswith("州"):
                return full, "city"
        return None

    def _full(self, i: int) -> str:
        """A district's name with its city's (重庆市渝中区, 宁波市江北区); a county's or county-level
        city's alone (栾川县, 凯里市) unless it belongs to a municipality (重庆市城口县)."""
        place = self.chain[i]
        if place.level != "district" or not place.parent or place.full.startswith(place.parent):
            return place.full
        outer = self.chain[i + 1] if i + 1 < len(self.chain) else None
        if place.full.endswith("区") or outer is None or outer.level == "province":
            return place.parent + place.full
        return place.full


class MentionIndex:
    """The mentions of a whole document, for fast lookup of those inside a span."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]

    def between(self, start: int, end: int) -> list[Mention]:
        import bisect

        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out


# a township's government or a street's office: 2–8 characters of name that hold no other body's
# ending (县财政局、金牛镇人民政府 names 金牛镇, not 县财政局、金牛镇)
TOWNSHIP = re.compile(
    r"(?P<name>(?:(?![局委办厅院会社室和与及、或等])[\u4e00-\u9fff]){1,8}?(?:镇|乡|街道))(?:人民政府|办事处)"
)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# a two-character county name (和县, 理县, 高县) is also the tail of words of policy text (市和县两级,
# 管理县级, 提高县域): it is read as a place only when no such word goes on after it
SHORT_PLACE_GUARD = "(?![域级城乡镇直际])"


def _trie(words, guarded=frozenset()) -> str:
    """One alternation of ``words`` as a trie (the longest word wins at each position, and the
    engine tries one branch per character instead of every word): 3,000 place names stay fast."""
    root: dict = {}
    for word in set(words):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = SHORT_PLACE_GUARD if word in guarded else ""

    def pattern(node: dict) -> str:
        end = node.get("")
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return end or ""
        if end is None:
            return branches[0] if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{'|'.join(branches)})"
        if end:
            return f"(?:{'|'.join(branches)}|{end})"
        return f"(?:{'|'.join(branches)})?"

    chars = sorted(root)
    if len(chars) <= 48:
        return pattern(root)
    # the engine tries an alternation's branches one by one: 1,600 first characters would be 1,600
    # tests at every position, so they are tried in groups, each behind a one-test character class
    size = int(len(chars) ** 0.5) + 1
    groups = []
    for i in range(0, len(chars), size):
        part = {ch: root[ch] for ch in chars[i:i + size]}
        groups.append(f"(?=[{''.join(re.escape(ch) for ch in part)}]){pattern(part)}")
    return f"(?=[{''.join(re.escape(ch) for ch in chars)}])(?:{'|'.join(groups)})"


@dataclass
class AgencyRecognizer:
    """Compiled patterns for one build (construct once per build, reuse per document)."""

    gazetteer: Gazetteer
    _compiled: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        gz = self.gazetteer
        dept_forms = [f for d in gz.departments for f in d.forms]
        places = [name for name in gz.places_by_name if len(name) >= 2]
        guarded = {name for name in places if len(name) == 2 and name[-1] in "县区市旗"}
        # 会同县 in "县政府督查室会同县市场监管局" is 会同 'together with' + 县市场监管局: such a name is a
        # place after punctuation, at the start, or after its city's or province's name
        words = {name for name, found in gz.places_by_name.items() if all(p.common_word for p in found)}
        self.places_re = _trie(set(places) - words, guarded)
        if words:
            self.places_re += f"|(?:(?<![\u4e00-\u9fff])|(?<=[省市州盟])){_trie(words)}"
        nat_forms = []
        self.bare_national: dict[str, str] = {}
        for body in gz.national:
            for form in (body.canonical, *body.forms):
                if form in gz.department_by_form and form != body.canonical:
                    self.bare_national[form] = body.canonical
                else:
                    nat_forms.append(form)
        self.department_re = re.compile(
            rf"(?P<cpc>中共)?(?P<place>(?:{self.places_re})+)?(?P<rel>自治区|师市|[{REL_CHARS}])?"
            rf"(?P<dept>{_trie(dept_forms)})(?P<office>办公室)?"
        )
        self.national_re = re.compile(rf"(?:{_alt(nat_forms)})")
        self.named_re = self._named_pattern(self.places_re)

        self.zone_admin_re = re.compile(
            r"[\u4e00-\u9fff]{2,10}?(?:[-－][\u4e00-\u9fff]{2,8}?)?(?:新区|园区|开发区|合作区|高新区|经开区|试验区|示范区|产业园|港区"
            r"|保税区|片区|合作中心|生态城|科学城|科技城)(?:管委会|管理委员会)"
        )
        self.collective_re = re.compile(
            rf"(?:(?:重庆)?自贸试验区|[\u4e00-\u9fff]{{2,6}}?(?:新区|片区))?"
            # a place or 省/市/县直 before the quantifier (四川省各市(州)…, 县直各有关单位), or the two
            # places of a joint document (川渝两地各级…, 两地有关单位)
            rf"(?:(?:{self.places_re})+(?=各有关|有关|相关|各)|[省市区县]直?(?=各有关|有关|相关|各)"
            rf"|(?:[\u4e00-\u9fff]{{2}})?两地(?=各有关|各级|有关|相关|各))?"
            rf"(?:各有关|各级|各|有关|相关|其他|所在|市级相关|区级相关|市级有关)"
            rf"(?:[\u4e00-\u9fff、和]|\([\u4e00-\u9fff、]{{1,8}}\)){{0,26}}?{COLLECTIVE_HEADS}(?:人民政府|政府)?(?:\([\u4e00-\u9fff、]{{1,8}}\))?"
            # "各乡镇人民政府、街道办事处": the 各 governs the township-level bodies listed after it too
            rf"(?:、(?:街道办事处|办事处|街道(?!办|社区)|乡镇|镇街|管委会))*"
            # places as the subject of a duty: 各有关城市要… / 各知识产权强省建设试点省要…
            rf"|(?:各有关|各级|各)(?:[\u4e00-\u9fff、]|\([\u4e00-\u9fff、]{{1,8}}\)){{0,12}}?(?:{PLACE_HEADS}|区、县(?:\([\u4e00-\u9fff、]{{1,8}}\))?)"
            rf"(?=要|将|应|须|必须|需要|需|负责|牵头|按照?(?:各自)?职责)"
            rf"|(?:(?!及|和|与|以及)[\u4e00-\u9fff]){{2,14}}?(?:各成员单位|成员单位|各部门|各单位|直属各单位|各部委|各直属机构|各委、?办、?局|各委、?局)"
            rf"|[\u4e00-\u9fff、]{{2,30}}?等[\u4e00-\u9fff]{{0,6}}?(?:部门|单位)"
        )

    def _named_pattern(self, places_re: str) -> re.Pattern:
        """The pattern of named bodies (institutions, associations, leading groups …) led by a place
        of ``places_re``, a national prefix, or a relative 省/市/区/县 before a leading group."""
        inst = _alt(INSTITUTION_SUFFIXES)
        return re.compile(
            rf"(?P<lead>(?:{places_re})+|{REGIONS}|国家(?!级)|国务院|中国|欧洲|全国|[{REL_CHARS}](?=[\u4e00-\u9fff]{{2,16}}(?:领导小组|联席会议)))"
            # a name holds no preposition (按照国家局对地方…中心的要求 names no 国家…中心); a place and
            # 大学 alone name a university (山西大学), a place and another suffix alone nothing (市中心)
            rf"(?P<body>(?:(?![向在把按由从于]|[局委厅部院办署][对与和])[\u4e00-\u9fff]|\([\u4e00-\u9fff]{{2,8}}\)|[A-Z][A-Z0-9]{{1,5}}){{1,24}}?|(?=大学))(?P<suffix>{inst})(?P<office>办公室)?"
        )

    # ------------------------------------------------------------ finding
    def _anchors(self):
        """An Aho-Corasick automaton of the words every pattern must contain (built once)."""
        if self._compiled.get("ac") is None:
            import ahocorasick

            gz = self.gazetteer
            kinds: dict[str, set[str]] = {}
            for d in gz.departments:
                for f in d.forms:
                    kinds.setdefault(f, set()).add("dept")
            for body in gz.national:
                for f in (body.canonical, *body.forms):
                    kinds.setdefault(f, set()).add("national")
            for suf in INSTITUTION_SUFFIXES:
                kinds.setdefault(suf, set()).add("named")
            for w in ("管委会", "管理委员会"):
                kinds.setdefault(w, set()).add("zone_admin")
            for w in ("镇人民政府", "乡人民政府", "街道办事处"):
                kinds.setdefault(w, set()).add("township")
            for w in re.findall(r"[\u4e00-\u9fff]+", COLLECTIVE_HEADS + PLACE_HEADS) + ["各成员单位", "成员单位", "各部门", "各单位",
                                                                     "直属各单位", "各部委", "各直属机构", "各委办局", "部门", "单位",
                                                                     "职责"]:  # "各区、县(市)按照职责分工…"
                kinds.setdefault(w, set()).add("collective")
            ac = ahocorasick.Automaton()
            for word, k in kinds.items():
                ac.add_word(word, (word, frozenset(k)))
            ac.make_automaton()
            self._compiled["ac"] = ac
        return self._compiled["ac"]

    def find(self, text: str, ctx: Jurisdiction, aliases: dict[str, AgentRef] | None = None,
             start: int = 0, end: int | None = None) -> list[Mention]:
        """All non-overlapping mentions in ``text[start:end]``, leftmost-longest.

        One Aho-Corasick pass finds the anchor words (department types, national bodies,
        institution suffixes, collective heads); each pattern then runs only in a small
        window around its anchors, which keeps the scan linear and fast.
        """
        end = len(text) if end is None else end
        windows: dict[str, list[tuple[int, int]]] = {"dept": [], "national": [], "named": [], "zone_admin": [], "collective": [],
                                                      "township": []}
        for e_idx, (word, kinds) in self._anchors().iter(text, start, end):
            e = e_idx + 1
            s = e - len(word)
            for k in kinds:
                windows[k].append((s, e))
        cands: list[Mention] = []
        seen: set[tuple[int, int, str]] = set()

        def run(regex, kind, before, after, handle):
            # merge the anchors' windows into ranges, then scan each range once
            ranges: list[list[int]] = []
            for s, e in sorted(windows[kind]):
                lo, hi = max(start, s - before), min(end, e + after)
                if ranges and lo <= ranges[-1][1]:
                    ranges[-1][1] = max(ranges[-1][1], hi)
                else:
                    ranges.append([lo, hi])
            for lo, hi in ranges:
                for m in regex.finditer(text, lo, hi):
                    key = (m.start(), m.end(), kind)
                    if key in seen:
                        continue
                    seen.add(key)
                    men = handle(m)
                    if men:
                        cands.append(men)

        run(self.department_re, "dept", 30, 3, lambda m: self._department(text, m, ctx))
        for s, e in windows["national"]:
            form = text[s:e]
            if form in self.gazetteer.national_by_form and not (form in self.bare_national):
                body = self.gazetteer.national_by_form[form]
                prefix, tail = NATIONAL_BRANCHES.get(body.canonical, (None, None))
                branch = tail.match(text, e, end) if tail is not None else None
                if branch is None and form in BRANCH_ONLY_FORMS:
                    continue  # "人行" alone is no name; "人行伊犁州中心支行" is
                if branch:  # 人民银行青岛市分行, 海关总署广东分署: a regional branch, not the national body
                    name = prefix + branch.group()
                    cands.append(Mention(s, branch.end(), text[s:branch.end()], AgentRef(name, name, "gov", "", ""),
                                         "national-branch"))
                    continue
                if DOC_NUMBER_TAIL.match(text, e, end):
                    continue  # "国办发〔2023〕37号": the issuer code of a document number, not a mention
                cands.append(Mention(s, e, form, _national_ref(body), "national"))
        run(self._named_re_for(ctx), "named", 34, 3, lambda m: self._named(text, m, ctx))

        def township(m):
            # a township's or street's government named in a county's document (金牛镇人民政府,
            # 宾川县金牛镇人民政府): the county's; "各乡镇人民政府" is a collective, read below
            name = m.group("name")
            if name.startswith(("各", "有关", "相关", "所在", "乡", "其他")) or text[max(0, m.start() - 1):m.start()] == "各":
                return None
            surface = m.group()
            place = ctx.name if ctx.level == "district" else ""
            canonical = surface if not place or surface.startswith(place) or re.match(self.places_re, surface) \
                else place + surface
            return Mention(m.start(), m.end(), surface, AgentRef(canonical, canonical, "gov", ctx.name, ctx.level), "township")

        run(TOWNSHIP, "township", 12, 0, township)

        def zone_admin(m):
            s = _trim_leading(text, m.start(), m.end())
            surface = text[s:m.end()]
            key = ctx.name + surface if ctx.name and not surface.startswith(ctx.name[:2]) else surface
            key = _full_committee(key)
            return Mention(s, m.end(), surface, AgentRef(key, key, "zone_admin", ctx.name, ctx.level), "zone_admin")

        run(self.zone_admin_re, "zone_admin", 16, 0, zone_admin)

        def collective(m):
            s = _trim_leading(text, m.start(), m.end())
            if m.end() - s < 3:
                return None
            return self._collective(text[s:m.end()], s, m.end(), ctx, aliases)

        run(self.collective_re, "collective", 44, 12, collective)
        if aliases:
            for surface, ref in aliases.items():
                i = text.find(surface, start, end)
                while i >= 0 and i + len(surface) <= end:
                    cands.append(Mention(i, i + len(surface), surface, ref, "alias"))
                    i = text.find(surface, i + 1, end)
        if ctx.national:
            for s, e in windows["dept"]:
                form = text[s:e]
                if form in self.bare_national and (s == 0 or text[s - 1] not in REL_CHARS):
                    body = self.gazetteer.national_by_form[self.bare_national[form]]
                    cands.append(Mention(s, e, form, _national_ref(body), "national-short"))
        return self._compound_institutions(text, _select(cands), end)

    def _compound_institutions(self, text: str, mentions: list[Mention], end: int) -> list[Mention]:
        """Institutions whose names hold another's: an academy's institute (中国科学院 +
        武汉病毒研究所 is one body, 中国科学院武汉病毒研究所) and a university's campus named after
        it in brackets (中国地质大学(武汉))."""
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if prev is not None and m.start == prev.end and prev.ref.kind == "institution" and m.ref.kind == "institution" \
                    and prev.surface.endswith(ACADEMIES) and m.surface.endswith(ACADEMY_UNITS):
                surface = text[prev.start:m.end]
                canonical = prev.ref.canonical + m.surface
                out[-1] = Mention(prev.start, m.end, surface, replace(prev.ref, key=canonical, canonical=canonical), prev.rule)
                continue
            if m.ref.kind == "institution" and m.surface.endswith(("大学", "学院")):
                if self._compiled.get("campus") is None:
                    self._compiled["campus"] = re.compile(rf"\((?:{self.places_re})\)")
                campus = self._compiled["campus"].match(text, m.end, end)
                if campus is not None:
                    canonical = m.ref.canonical + campus.group()
                    m = Mention(m.start, campus.end(), text[m.start:campus.end()],
                                replace(m.ref, key=canonical, canonical=canonical), m.rule)
            out.append(m)
        return out

    def _unlisted_place(self, ctx: Jurisdiction):
        """The document's own place when the gazetteer does not list it (a county named in the title)."""
        if ctx.chain and ctx.chain[0].full not in self.gazetteer.place_by_name:
            return ctx.chain[0]
        return None

    def _named_re_for(self, ctx: Jurisdiction) -> re.Pattern:
        """:attr:`named_re`, or for a document whose place the gazetteer does not list, the same
        pattern that also takes that place as a lead ("德化县陶瓷行业协会"); compiled once per place."""
        place = self._unlisted_place(ctx)
        if place is None:
            return self.named_re
        key = ("named", place.full)
        if key not in self._compiled:
            extra = _alt([place.full] + ([place.short] if len(place.short) >= 2 else []))
            self._compiled[key] = self._named_pattern(extra + "|" + self.places_re)
        return self._compiled[key]

    def _department(self, text: str, m: re.Match, ctx: Jurisdiction) -> Mention | None:
        gz = self.gazetteer
        dept_form = m.group("dept")
        dept = gz.department_by_form[dept_form]
        place_s, rel, cpc = m.group("place"), m.group("rel"), m.group("cpc")
        s = m.start()
        if place_s:
            names = self.chain_suffix(place_s)
            kept = "".join(names)
            if kept != place_s:
                s = m.start("place") + len(place_s) - len(kept)
                place_s = kept
                cpc = None
        if dept_form == "委" and m.end("dept") < len(text) and text[m.end("dept")] in "员托":
            return None
        if not place_s and not rel:
            return None  # a bare department word: generic unless a national body (handled elsewhere)
        if rel and not place_s:
            before = text[max(0, m.start("rel") - 2):m.start("rel") + 1]
            if before[-2:] in REL_STOP or before in REL_STOP:
                return None
            if m.start("rel") > 0 and text[m.start("rel") - 1] in "各全本我该":
                return None
        if place_s and rel and (place_s + rel)[-2:] in REL_STOP:
            # e.g. 重庆市 + 区 … is fine, but 两江新 + 区 is not a place
            pass
        jur, level = self._jurisdiction_of(place_s, rel, ctx)
        if jur is None:
            return None
        surface_end = m.end("office") if m.group("office") else m.end("dept")
        canonical = _canonical_department(jur, dept.full, dept.kind, ctx, self.gazetteer)
        kind = dept.kind
        if m.group("office"):
            canonical += "办公室"
        elif dept.full.endswith("局") and (branch := BRANCH_OFFICE.match(text, surface_end)):
            # a bureau's district branch: 市自然资源局良庆分局, 市公安局经开分局
            canonical += branch.group()
            surface_end = branch.end()
        elif dept.full.endswith("院") and (branch := self._place_branch(text, surface_end, ("分院",), chain=True)):
            # a court's or procuratorate's branch for a prefecture: 自治区高级人民法院伊犁州分院
            branch_end, names = branch
            place = self.gazetteer.resolve(names, ctx.chain)
            canonical += (place.full if place is not None else "".join(names)) + "分院"
            surface_end = branch_end
        if dept_form == "委" and not m.group("office") and not cpc and s > 0 and text[s - 1] == "团":
            # 团市委 / 团县委: the Communist Youth League committee, not the party committee
            s -= 1
            canonical = "共青团" + canonical.removeprefix("中共").removesuffix("委员会") + "委员会"
            kind = "association"
        surface = text[s:surface_end]
        return Mention(s, surface_end, surface, AgentRef(canonical, canonical, kind, jur, level), "department")

    def _place_branch(self, text: str, pos: int, tails: tuple[str, ...],
                      chain: bool = False) -> tuple[int, list[str]] | None:
        """Where a place's branch right at ``pos`` ends and the place names it holds ("上海分中心", with
        ``chain`` also "伊犁州分院" after a run of places), else None.  The place is checked with the places pattern already compiled, instead
        of compiling it once more into a pattern of its own (≈0.1 s each time a builder starts)."""
        m = BRANCH_TAIL.match(text, pos)
        if m is None or m.group("tail") not in tails:
            return None
        names = re.findall(self.places_re, m.group("place"))
        if "".join(names) != m.group("place") or not names or (len(names) > 1 and not chain):
            return None
        return m.end(), names

    def chain_suffix(self, place_s: str) -> list[str]:
        """The longest run at the end of ``place_s`` whose places nest (重庆市渝中区, not 江北区重庆)."""
        names = re.findall(self.places_re, place_s)
        by_name = self.gazetteer.places_by_name
        out: list[str] = []
        for name in reversed(names):
            if out and not any(inner.parent == outer.full for inner in by_name.get(out[0], ())
                               for outer in by_name.get(name, ())):
                break
            out.insert(0, name)
        return out

    def _jurisdiction_of(self, place_s: str | None, rel: str | None, ctx: Jurisdiction):
        gz = self.gazetteer
        if place_s:
            # the innermost named place wins: split the run of place names
            names = self.chain_suffix(place_s)
            place = gz.resolve(names, ctx.chain)
            if place is None:
                return None, ""
            chain = gz.place_chain(place)
            j = Jurisdiction(chain)
            if rel:
                # 重庆市 + 区 is not a thing; 重庆 + 市 is
                if names[-1] == place.short and rel in place.full[len(place.short):]:
                    return j.name, j.level
                return None, ""
            return j.name, j.level
        found = ctx.for_rel(rel)
        if found is None:
            if not ctx.chain and not ctx.national:
                return rel, ""  # unknown jurisdiction: keep the relative form
            top = ctx.chain[-1] if ctx.chain else None
            if top is not None and top.level != "province" and not top.parent and rel in "省市州":
                # a county known only from the title ("德化县…计划"): the levels above it are unknown,
                # so its 省/市 stay relative forms ("省知识产权局")
                return rel, ""
            return None, ""
        return found

    def _named(self, text: str, m: re.Match, ctx: Jurisdiction) -> Mention | None:
        def lead_is_national(lead: str) -> bool:  # 国家大学科技园, 中国大学: no university of a place
            return lead in ("国家", "中国", "全国", "国务院", "欧洲") or re.fullmatch(REGIONS, lead) is not None

        s = m.start()
        body = m.group("body")
        suffix = m.group("suffix")
        if suffix in LEADING_GROUP_SUFFIXES:
            # a leading group is named after its remit, which is often a verb phrase
            # (优化营商环境工作领导小组, 推进知识产权强市建设工作领导小组): only clause words break it
            if LEADING_GROUP_BREAKERS.search(body):
                return None
        elif NAME_BREAKERS.search(body + suffix):  # with the suffix: 指导中心 is a name, 指导 a verb
            return None
        if suffix in ("大学", "学院") and (text[m.end():m.end() + 1] in ("生", "城") or text.startswith("科技园", m.end())
                                          or (not body and lead_is_national(m.group("lead"))) or len(body) > 8 or "各" in body):
            return None  # 大学生, 大学城; "各高校开设知识产权学院" names no college
        lead = m.group("lead")
        unlisted = self._unlisted_place(ctx)
        if unlisted is not None and lead in (unlisted.full, unlisted.short):
            # the document's own place, which the gazetteer does not list: its name, in full
            place = ctx.name if ctx.name.endswith(unlisted.full) else unlisted.full  # 南宁市良庆区 …
            canonical = place + text[m.start() + len(lead):m.end()]
            kind = _named_kind(suffix)
            return Mention(s, m.end(), text[s:m.end()], AgentRef(canonical, canonical, kind, ctx.name, ctx.level), "named")
        if len(lead) > 1 and lead not in ("国家", "中国", "欧洲", "全国", "国务院") and not re.fullmatch(REGIONS, lead):
            kept = "".join(self.chain_suffix(lead))
            s = m.start("lead") + len(lead) - len(kept)
            lead = kept
        surface = text[s:m.end()]
        kind = _named_kind(suffix)
        if len(lead) == 1 and lead in REL_CHARS:
            found = ctx.for_rel(lead)
            if found is None:
                return None
            canonical = found[0] + surface[1:]
            return Mention(s, m.end(), surface, AgentRef(canonical, canonical, kind, found[0], found[1]), "named")
        place = self.gazetteer.resolve(re.findall(self.places_re, lead), ctx.chain)
        canonical = surface
        jur, level = "", ""
        if place is not None:
            j = Jurisdiction(self.gazetteer.place_chain(place))
            jur, level = j.name, j.level
            if kind == "leading_group" and not surface.startswith(j.name):
                canonical = j.name + surface[len(lead):]
        if kind == "zone_admin":
            canonical = _full_committee(canonical)
        end = m.end()
        branch = self._place_branch(text, end, ("分中心", "分院", "分会")) if kind == "institution" else None
        if branch:
            # "国家海外知识产权纠纷应对指导中心上海分中心": the centre's regional branch is one body
            end = branch[0]
            surface = canonical = text[s:end]
        return Mention(s, end, surface, AgentRef(canonical, canonical, kind, jur, level), "named")

    def _collective(self, surface: str, s: int, e: int, ctx: Jurisdiction, aliases) -> Mention:
        key = _collective_key(surface)
        members_of = ""
        mm = re.match(r"(.*?)(?:各|其他)?(?:各)?成员单位$", key)
        if mm and mm.group(1):
            group = mm.group(1).lstrip("各其他")
            ref = None
            if aliases and group in aliases:
                ref = aliases[group]
            elif group and group[0] in REL_CHARS:
                found = ctx.for_rel(group[0])
                if found:
                    members_of = found[0] + group[1:]
            if ref is not None:
                members_of = ref.canonical
            if members_of:
                key = members_of + "成员单位"
        if ctx.name and not key.startswith(ctx.name[:2]):
            canonical = key
        else:
            canonical = key
        scope = ctx.name or "national"
        ref = AgentRef(f"collective:{scope}:{key}", canonical, "collective", ctx.name, ctx.level, members_of)
        return Mention(s, e, surface, ref, "collective")

    # ------------------------------------------------------------ lists
    def parse_list(self, text: str, start: int, end: int, ctx: Jurisdiction,
                   aliases: dict[str, AgentRef] | None = None,
                   index: MentionIndex | None = None) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Mentions in an assignment list ``text[start:end]`` (A、B和C…).

        Grammar of lists: items the gazetteer does not know are still accepted
        when they end in an organisation word (局/委/办/院/中心…), with their
        relative prefix resolved; shared suffixes are distributed
        (广州、深圳、珠海市人民政府 → three governments).  Returns the mentions and
        the spans of items that were not recognised (for diagnostics).  A division named right
        after its body (市市场监管局知识产权保护科) is one item, the body's own division.
        """
        found = index.between(start, end) if index is not None else self.find(text, ctx, aliases, start, end)
        out: list[Mention] = []
        unknown: list[tuple[int, int]] = []
        pos = start
        pieces: list[tuple[int, int]] = []
        for men in found + [None]:
            gap_end = men.start if men else end
            for g in re.finditer(r"[^、,，;；\s]+", text[pos:gap_end]):
                gs, ge = pos + g.start(), pos + g.end()
                piece = text[gs:ge]
                piece_s = re.sub(r"^(?:和|及|以及|与|由|等)", "", piece)  # "X等相关科室": no name of X's
                gs += len(piece) - len(piece_s)
                piece_s = re.sub(r"(?:和|及|以及|与|等)$", "", piece_s)
                mark = ROLE_MARK.search(piece_s)
                if mark is not None and mark.end() == len(piece_s) and mark.start() >= 2:
                    # "州生态环境局雷山分局(牵头)": the item without its role mark (read by the caller)
                    piece_s = piece_s[:mark.start()]
                ge = gs + len(piece_s)
                if len(piece_s) >= 2:
                    pieces.append((gs, ge))
            if men:
                out.append(men)
                pos = men.end
        extra: list[Mention] = []
        for gs, ge in pieces:
            piece = text[gs:ge]
            place = self.gazetteer.place_by_name.get(piece)
            if place is not None:
                nxt = next((m for m in out if m.start >= ge and m.rule == "department"), None)
                if nxt is not None:
                    dep_start = _dept_suffix_start(nxt.surface, self)
                    if dep_start is not None:
                        full = place.full + nxt.surface[dep_start:]
                        sub = self.find(full, ctx, None)
                        if sub and sub[0].end == len(full):
                            extra.append(replace(sub[0], start=gs, end=ge, surface=piece, rule="shared-suffix"))
                            continue
            if ROLE_MARK.fullmatch(piece):
                continue  # "市市场监管局(牵头)": the item's role, read by the caller
            collective_prefix = re.match(r"(?:各类|各|有关|相关|其他|所属)", piece)
            if GENERIC_HEADS.search(piece) and (collective_prefix or not self.find(piece, ctx, aliases)):
                continue  # a generic category (有关行业协会, 咨询辅导机构): no agency, and nothing missed
            if collective_prefix and len(piece) >= 3:
                extra.append(self._collective(piece, gs, ge, ctx, aliases))
                continue
            if LIST_ITEM_HEAD.search(piece) and piece not in GENERIC_NOT_AGENCY:
                canonical = piece
                jur, level = "", ""
                if piece[0] in REL_CHARS:
                    found_j = ctx.for_rel(piece[0])
                    if found_j:
                        jur, level = found_j
                        canonical = jur + piece[1:]
                kind = "institution" if LIST_ITEM_INSTITUTION.search(piece) else \
                    "division" if re.search(r"(?:处|室|科)$", piece) and not piece.endswith("管理办公室") else "gov"
                extra.append(Mention(gs, ge, piece, AgentRef(canonical, canonical, kind, jur, level), "list-item"))
            else:
                unknown.append((gs, ge))
        merged: list[Mention] = []
        for m in sorted(out + extra, key=lambda m: m.start):
            prev = merged[-1] if merged else None
            if prev is not None and m.start == prev.end and m.rule == "list-item" and m.ref.kind == "division" \
                    and not prev.ref.collective and prev.ref.kind != "division" and len(m.surface) >= 3 \
                    and not re.match(r"(?:等|相关|有关|内设|牵头|所属|各|其他|下属)", m.surface):
                # "市市场监管局知识产权保护科": the body's own division, one item
                name = prev.ref.canonical + m.surface
                merged[-1] = Mention(prev.start, m.end, text[prev.start:m.end],
                                     AgentRef(name, name, "division", prev.ref.jurisdiction, prev.ref.level), "owned-division")
                continue
            if prev is not None and m.start == prev.end + 1 and text[prev.end] == "(" and text[m.end:m.end + 1] == ")" \
                    and not prev.ref.collective and not m.ref.collective:
                m = replace(m, ref=prev.ref, rule="dual-name")  # 省市场监管局(省知识产权局): one body
            merged.append(m)
        return merged, unknown


def _full_committee(name: str) -> str:
    """A zone's administrative committee under its full name: …管委会 is …管理委员会 (one body, one IRI)."""
    return name[:-3] + "管理委员会" if name.endswith("管委会") else name


def _named_kind(suffix: str) -> str:
    """The kind of a named body from its suffix."""
    if suffix in LEADING_GROUP_SUFFIXES:
        return "leading_group"
    if suffix in ("管理委员会", "管委会"):
        return "zone_admin"
    if suffix.endswith("法庭"):
        return "judicial"
    if suffix in ("促进会", "行业协会", "协会", "联盟", "商会", "学会"):
        return "association"
    return "institution"


def _dept_suffix_start(surface: str, rec: AgencyRecognizer) -> int | None:
    m = rec.department_re.fullmatch(surface)
    if m and m.group("place"):
        return m.start("rel") if m.group("rel") else m.start("dept")
    return None


def _national_ref(body) -> AgentRef:
    return AgentRef(body.canonical, body.canonical, body.kind, "中华人民共和国", "national")


def _canonical_department(jur: str, full: str, kind: str, ctx: Jurisdiction, gz: Gazetteer) -> str:
    if kind == "party":
        if full == "委":
            return f"中共{jur}委员会"
        return f"中共{jur}{full}"
    if full == "人民法院" and not jur.endswith(("区", "县", "旗")):
        # a province-level jurisdiction's court is its 高级人民法院, a city's its 中级人民法院
        level = gz.place_by_name[jur].level if jur in gz.place_by_name else ""
        if level == "province":
            return jur + "高级人民法院"
        if level == "city":
            return jur + "中级人民法院"
    if full == "公安分局":
        # 重庆市公安局渝中区分局: the district branch of the city bureau
        place = next((p for p in gz.places if p.level == "district" and jur in (p.full, p.parent + p.full)), None)
        if place is not None and place.parent:
            return f"{place.parent}公安局{place.full}分局"
    if full in ("海关", "知识产权法院"):
        # a customs district and an IP court are named by their seat's short name: 武汉海关,
        # 上海知识产权法院 (not 武汉市海关, 上海市知识产权法院)
        place = max((p for p in gz.places if jur.endswith(p.full)), key=lambda p: len(p.full), default=None)
        if place is not None and place.short:
            return place.short + full
    return jur + full


def _collective_key(surface: str) -> str:
    key = surface
    key = re.sub(r"^(?:其他|各)", "", key) if re.search(r"成员单位$", key) else key
    key = key.replace("各成员单位", "成员单位")
    return key


# a chapter's or article's number (第五章, 第十七条): never part of a name
ARTICLE_NUMBER = re.compile(r"第[一二三四五六七八九十百零〇\d]+[章节条款]\s*")


def _trim_leading(text: str, s: int, e: int) -> int:
    art = ARTICLE_NUMBER.match(text, s, e)
    if art and e - art.end() >= 3:
        s = art.end()  # "第十七条各成员单位要…": the article's number is no part of the name
    changed = True
    while changed and s < e:
        changed = False
        for w in LEADING_FUNCTION_WORDS:
            if text.startswith(w, s) and e - s - len(w) >= 3:
                s += len(w)
                changed = True
                break
    return s


def _select(cands: list[Mention]) -> list[Mention]:
    """Leftmost-longest non-overlapping selection (deterministic)."""
    priority = {"alias": 0, "department": 1, "national": 1, "named": 2, "zone_admin": 2, "collective": 3, "national-short": 4}
    cands.sort(key=lambda m: (m.start, -(m.end - m.start), priority.get(m.rule, 5), m.ref.key))
    out: list[Mention] = []
    last = -1
    for m in cands:
        if m.start >= last:
            out.append(m)
            last = m.end
    return out
