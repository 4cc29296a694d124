"""Policy-instrument coding of measures and tasks (Rothwell & Zegveld), by cue words.

Every *measure* of a document — a task (a provision with a role assignment), a
table row, or a numbered item without sub-items — is split into sentences, and
each sentence is matched against a cue lexicon: per instrument type, words and
phrases with a weight (质押融资 0.9 for finance, 鼓励 0.3 for strategic
measures).  The confidence of a type in a sentence is ``1 − ∏(1 − w)`` over
its cues there (at most two hits per cue counted); a measure is coded with a
type when one of its sentences reaches the threshold (0.6).  Several types
per measure are normal (a sentence may name finance and IP protection).
Measures with no sentence above the threshold stay **unclassified**: nothing
is forced into a category.

What is never read as a cue: agency names (市金融工作办公室 is not finance),
assignment tails and role cells ("(区财政局牵头…)"), table headers (工作目标),
the document's own title/number/date, and words inside 《》 titles — a title
counts only as a whole (《专利法》 → regulation, 《…规划》 → goal planning).

The classifier is a pure function of the normalised text and its provisions
(:func:`classify`); :func:`classify_extraction` adds the masks an
:class:`~policykg.builders.extract.records.Extraction` provides, and
:func:`instrument_quads` turns the codings into RDF with the cue words as
provenance spans, consistent with :mod:`policykg.builders.assemble`.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Sequence

from policykg.builders.extract.records import Extraction, Provision

INSTRUMENT_NS = "https://w3id.org/policykg/instrument/"
SCHEME_IRI = INSTRUMENT_NS + "scheme"
DEFAULT_THRESHOLD = 0.6
MAX_HITS_PER_CUE = 2
#: Provenance kept per coding: the strongest distinct cues, and the first sentences.
MAX_CUES = 5
MAX_SENTENCES = 5
#: A type needs at least one cue this strong in the sentence: weak cues (鼓励, 投资, 审查) only add up.
ANCHOR_WEIGHT = 0.5
RULE_PREFIX = "cue-lexicon"

#: Instrument types: id → dimension, in the scheme's order.
TYPES: dict[str, str] = {
    "talent": "supply",
    "information-services": "supply",
    "infrastructure": "supply",
    "funding": "supply",
    "technology-support": "supply",
    "goal-planning": "environment",
    "regulation": "environment",
    "finance": "environment",
    "tax": "environment",
    "ip-protection": "environment",
    "strategic-measures": "environment",
    "government-procurement": "demand",
    "outsourcing": "demand",
    "trade-control": "demand",
    "pilot-demonstration": "demand",
    "overseas-agencies": "demand",
}
DIMENSIONS = ("supply", "environment", "demand")

# Section headings that frame a document rather than state a measure.
PREAMBLE_HEADING = re.compile(
    r"^(?:指导思想|基本原则|总体要求|总体思路|指导原则|工作原则|主要原则|发展目标|工作目标|总体目标|主要目标|"
    r"目标任务|战略目标|发展思路|重要意义|现状与形势|发展现状|面临形势)"
)

# (instrument, cue name, pattern, weight).  Patterns are matched in the normalised
# (simplified, NFKC) text; look-arounds keep frequent false friends out.
_LEXICON: tuple[tuple[str, str, str, float], ...] = (
    # -- supply: talent
    ("talent", "人才", r"人才", 0.9),
    ("talent", "培训", r"培训", 0.8),
    ("talent", "培养", r"培养", 0.6),
    ("talent", "队伍", r"队伍", 0.6),
    ("talent", "教育培养", r"师资|学历教育|继续教育|实训|研修|进修|专业学位", 0.8),
    ("talent", "专业人员", r"从业人员|专业人员|专家库", 0.6),
    # -- supply: information and services
    ("information-services", "信息服务", r"信息(?:公共)?服务", 0.9),
    ("information-services", "信息资源", r"信息平台|数据库|检索|数据资源|信息资源|专题库|信息中心", 0.8),
    ("information-services", "信息流通", r"信息(?:共享|互换|交换|通报|传播|利用|公开|发布|推送)", 0.8),
    ("information-services", "公共服务", r"公共服务", 0.8),
    ("information-services", "咨询", r"咨询", 0.7),
    ("information-services", "服务平台", r"服务平台|网上服务|服务专区|一站式|服务窗口", 0.7),
    ("information-services", "分析预警", r"专利导航|分析评议|评议|预警|态势分析|分析研究报告", 0.7),
    ("information-services", "统计监测", r"统计(?!局)|监测", 0.6),
    ("information-services", "代办受理", r"代办|受理|办理", 0.5),
    ("information-services", "服务机构", r"服务业|服务机构|服务能力", 0.5),
    ("information-services", "信息化", r"信息化(?!委|局|厅|部)|信息", 0.4),
    # -- supply: infrastructure
    ("infrastructure", "基础设施", r"基础设施", 0.95),
    ("infrastructure", "工作站", r"集聚区|服务站|工作站|指导站|孵化器|众创空间", 0.7),
    ("infrastructure", "基地载体", r"基地|载体|产业园", 0.5),
    ("infrastructure", "建设平台", r"(?:建设|搭建|建立|打造|设立|组建|筹建)[^。；;，,、]{0,14}?(?:平台|中心|专区)", 0.6),
    ("infrastructure", "设施", r"设施|场地|硬件", 0.6),
    # -- supply: funding
    ("funding", "专项资金", r"专项资金|财政资金|引导资金|扶持资金|发展资金|资助资金|奖励资金|专项经费", 0.95),
    ("funding", "资助补贴", r"资助|补助|补贴|奖补|资金支持|资金扶持|经费支持|以奖代补", 0.9),
    ("funding", "资金投入", r"资金投入|资金保障|投入机制|经费保障|加大投入", 0.9),
    ("funding", "财政", r"财政(?!局|厅|部|委)", 0.8),
    ("funding", "经费", r"经费", 0.8),
    ("funding", "资金", r"资金", 0.6),
    ("funding", "奖励", r"奖励", 0.6),
    ("funding", "投入", r"投入", 0.4),
    # -- supply: technology support
    ("technology-support", "技术支持", r"技术(?:支持|支撑|服务|攻关|研发|创新|转移|改造|引进|突破)", 0.8),
    ("technology-support", "关键技术", r"关键技术|核心技术|共性技术", 0.8),
    ("technology-support", "研发", r"研发|科研(?!院所|机构|单位|院|所)|产学研|攻关", 0.7),
    ("technology-support", "成果转化", r"成果转化|转移转化|产业化", 0.7),
    # -- environment: goal planning
    ("goal-planning", "规划", r"规划(?!和自然资源|局|院)", 0.8),
    ("goal-planning", "计划", r"(?:工作|推进|行动|实施|年度|发展|专项)计划", 0.8),
    ("goal-planning", "顶层设计", r"顶层设计|路线图|发展目标|总体目标|目标任务|时间表", 0.8),
    ("goal-planning", "纲要", r"纲要", 0.7),
    ("goal-planning", "方案", r"实施方案|工作方案|行动方案|实施意见|工作要点", 0.7),
    ("goal-planning", "战略", r"战略(?!性)", 0.5),
    ("goal-planning", "目标", r"目标(?!企业)", 0.4),
    # -- environment: regulation and control
    ("regulation", "法律法规", r"法律(?!服务|咨询|援助)|法规|规章|条例|立法|司法解释|实施细则", 0.9),
    ("regulation", "执法", r"执法", 0.85),
    ("regulation", "查处", r"查处|打击|处罚|整治|取缔|惩治|严惩|追诉|立案", 0.85),
    ("regulation", "监管", r"监管|监督检查|监督管理", 0.8),
    ("regulation", "修订", r"修订|修改|废止|清理", 0.6),
    ("regulation", "政策体系", r"政策体系|政策框架|法规政策", 0.6),
    ("regulation", "督查", r"督查|检查", 0.5),
    ("regulation", "规范", r"规范(?!化)", 0.5),
    ("regulation", "标准", r"标准", 0.5),
    ("regulation", "办法", r"管理办法|暂行办法|实施办法|规定", 0.6),
    ("regulation", "审查审批", r"审查|审核|审批|备案|许可", 0.4),
    ("regulation", "制度", r"制度", 0.4),
    # -- environment: finance
    ("finance", "质押", r"(?:知识产权|专利权?|商标权?|版权)?质押(?:融资|贷款)?(?!登记)", 0.9),
    ("finance", "融资", r"融资", 0.9),
    ("finance", "贷款", r"贷款|信贷", 0.9),
    ("finance", "风险补偿", r"风险补偿|风险分担|风险投资|创业投资|创投|天使投资|股权投资|投融资", 0.9),
    ("finance", "保险", r"(?:知识产权|专利|商标|版权)[^。；;，,、]{0,6}?保险|(?<!社会)(?<!养老)(?<!医疗)(?<!失业)保险(?!机构)", 0.8),
    ("finance", "证券信托", r"证券化|证券|信托", 0.8),
    ("finance", "金融", r"金融", 0.8),
    ("finance", "担保", r"担保", 0.8),
    ("finance", "银行", r"银行", 0.7),
    ("finance", "入股", r"作价入股|出资入股|入股", 0.7),
    ("finance", "社会资本", r"社会资本|民间资本", 0.6),
    ("finance", "基金", r"基金", 0.6),
    ("finance", "上市", r"上市", 0.6),
    ("finance", "投资", r"(?<!招商)投资(?!环境)", 0.4),
    # -- environment: tax
    ("tax", "税收", r"税收|税费|减税|免税|退税|所得税|增值税|加计扣除|税前扣除", 0.9),
    ("tax", "费用减缴", r"费用减缴|减缴|费用减免|减免", 0.7),
    # -- environment: IP protection
    ("ip-protection", "维权", r"维权|侵权|假冒|盗版|仿冒|山寨", 0.9),
    ("ip-protection", "保护方式", r"(?:司法|行政|快速|协同|大|海外|综合)保护", 0.9),
    ("ip-protection", "纠纷", r"纠纷|争端", 0.8),
    ("ip-protection", "知识产权保护",
     r"(?:知识产权|专利|商标|版权|著作权|商业秘密|地理标志|品种权|新品种)[^。；;，,、]{0,6}?保护", 0.8),
    ("ip-protection", "确权", r"确权|举报投诉|投诉举报", 0.8),
    ("ip-protection", "仲裁调解", r"仲裁|调解", 0.7),
    ("ip-protection", "保护措施", r"保护(?:力度|体系|机制|平台|中心|联盟|协作|工作|意识|状况|能力|环境)", 0.7),
    ("ip-protection", "保护", r"保护", 0.4),
    # -- environment: strategic measures
    ("strategic-measures", "宣传", r"宣传|宣讲|科普|普及", 0.8),
    ("strategic-measures", "表彰", r"表彰|评选|专利奖|商标奖|奖项", 0.7),
    ("strategic-measures", "考核", r"考核|绩效评价|督导", 0.7),
    ("strategic-measures", "组织协调", r"组织领导|统筹协调|协调机制|联席会议|联动|协调配合|统筹谋划", 0.7),
    ("strategic-measures", "氛围", r"文化建设|氛围|意识", 0.6),
    ("strategic-measures", "交流合作", r"交流合作|合作交流|对外合作|国际合作|区域合作|交流|合作", 0.5),
    ("strategic-measures", "激励", r"激励", 0.6),
    ("strategic-measures", "配套政策", r"配套政策|政策措施|扶持政策", 0.5),
    ("strategic-measures", "评价", r"评价|评估|督促", 0.4),
    ("strategic-measures", "鼓励引导", r"鼓励|引导|倡导|推广|推行|培育", 0.3),
    # -- demand: government procurement
    ("government-procurement", "采购", r"采购|首购|订购", 0.9),
    # -- demand: outsourcing
    ("outsourcing", "外包", r"服务外包|外包|购买服务|政府购买", 0.9),
    ("outsourcing", "第三方", r"第三方", 0.7),
    ("outsourcing", "委托", r"委托(?![^。；;，,]{0,2}执法)", 0.5),
    # -- demand: trade control
    ("trade-control", "进出口", r"进出口|出口|进口", 0.8),
    ("trade-control", "口岸", r"口岸|边境|边防|海关|海事", 0.8),
    ("trade-control", "贸易", r"(?<!自由)贸易(?!试验区|区)", 0.7),
    ("trade-control", "跨境", r"跨境|跨国", 0.7),
    # -- demand: pilots and demonstration
    ("pilot-demonstration", "试点示范", r"试点|示范|先行先试|样板|标杆", 0.9),
    # -- demand: overseas agencies
    ("overseas-agencies", "海外", r"海外|境外|驻外|国外|走出去|涉外", 0.85),
    ("overseas-agencies", "国际申请", r"国际(?:注册|申请|布局|市场|纠纷|诉讼)|马德里|PCT", 0.8),
    ("overseas-agencies", "国际", r"国际", 0.4),
)

# Titles in 《》 count as a whole: a law or rule → regulation, a plan → goal planning.
_TITLE = re.compile(r"《(?P<t>[^《》\n]{2,80})》")
_TITLE_RULES = (
    ("regulation", "法律文件", re.compile(r"(?:法|条例|规定|办法|细则|规则|解释|规范|标准)(?:\([^()]*\))?$"), 0.8),
    ("goal-planning", "规划文件", re.compile(r"(?:规划|纲要|计划|方案|要点|意见|战略|重点任务|任务分工)(?:\([^()]*\))?(?:\(征求意见稿\))?$"), 0.6),
)
_BODY_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


@dataclass(frozen=True)
class Cue:
    instrument: str
    name: str  # e.g. "finance:质押"
    start: int  # normalised offsets
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class InstrumentRecord:
    """One measure coded with one instrument type.

    ``cues`` are the matches in the sentences that reach the threshold (their
    spans are the provenance); ``sentences`` those sentences; ``confidence``
    the best sentence's confidence; ``rule`` names the cue rules used.
    """

    provision: str  # Provision.key
    instrument: str  # type id, e.g. "finance"
    confidence: float
    rule: str
    cues: tuple[Cue, ...]
    sentences: tuple[tuple[int, int], ...]

    @property
    def dimension(self) -> str:
        return TYPES[self.instrument]

    @property
    def notation(self) -> str:
        return f"{TYPES[self.instrument]}/{self.instrument}"


@functools.lru_cache(maxsize=1)
def _compiled():
    return tuple((inst, f"{inst}:{name}", re.compile(pat), w) for inst, name, pat, w in _LEXICON)


def notation(instrument: str) -> str:
    """``"finance"`` → ``"environment/finance"``."""
    return f"{TYPES[instrument]}/{instrument}"


def instrument_iri(instrument: str) -> str:
    """IRI of an instrument type (or dimension) concept."""
    if instrument not in TYPES and instrument not in DIMENSIONS:
        raise KeyError(f"unknown instrument type {instrument!r}")
    return INSTRUMENT_NS + instrument


# ---------------------------------------------------------------------------------------------
# which provisions are measures, and their own text


def measure_provisions(provisions: Sequence[Provision], tasks: Iterable[str] = (),
                       text: str | None = None) -> list[tuple[Provision, int, int]]:
    """The measures among ``provisions`` with their own text span ``(provision, start, end)``.

    A measure is a task (a provision with an assignment, key in ``tasks``), a table row, or a
    numbered item without sub-items whose heading is not a framing one (指导思想, 基本原则,
    发展目标 …).  Its own text runs from its marker to its first sub-item (or its end).  With
    ``text``, a heading with no text of its own (a category line of a task table) is not a measure.
    """
    tasks = set(tasks)
    children: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.parent:
            children.setdefault(p.parent, []).append(p)
    out = []
    for p in sorted(provisions, key=lambda p: (p.start, p.key)):
        kids = children.get(p.key, [])
        is_task = p.key in tasks
        if not is_task and p.kind != "row" and kids:
            continue
        if not is_task and PREAMBLE_HEADING.match(p.title or ""):
            continue
        end = min([k.start for k in kids if k.start > p.start] + [p.end])
        if text is not None and not is_task and p.kind == "section" and \
                not _BODY_CHARS.search(text[max(p.title_end, p.start):end]) and \
                not re.search(r"[。；;！!]", text[p.start:end]):
            continue  # a bare heading line: a category of a task table, not a measure
        if end > p.start:
            out.append((p, p.start, end))
    return out


# ---------------------------------------------------------------------------------------------
# matching


class _Mask:
    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted((a, b) for a, b in spans if b > a):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.spans = [tuple(x) for x in merged]
        self.starts = [a for a, _ in self.spans]

    def hits(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.spans):
                s, e = self.spans[j]
                if s < b and a < e:
                    return True
        return False


class _CueIndex:
    """Every lexicon pattern run once over a whole text; sentences then look up their matches."""

    def __init__(self, text: str):
        found = []
        for order, (inst, name, rx, w) in enumerate(_compiled()):
            found += [(m.start(), order, inst, name, w, (m.start(), m.end(), m.group())) for m in rx.finditer(text)]
        found.sort(key=lambda f: (f[0], f[1]))  # by position, then lexicon order
        self.found = found
        self.starts = [f[0] for f in found]

    def within(self, start: int, end: int):
        """Matches inside ``[start, end)``: (type, rule, weight, (start, end, text))."""
        found = self.found
        i = bisect.bisect_left(self.starts, start)
        while i < len(found) and found[i][0] < end:
            _, _, inst, name, w, m = found[i]
            if m[1] <= end:
                yield inst, name, w, m
            i += 1


def sentence_cues(text: str, start: int, end: int, mask: _Mask | None = None,
                  index: _CueIndex | None = None) -> list[Cue]:
    """Cue matches in ``text[start:end]`` (one sentence), masked spans and 《》 interiors excluded.

    ``index`` (a :class:`_CueIndex` of the whole text) avoids running every pattern per sentence.
    """
    titles = [(m.start(), m.end(), m.group("t"), m.start("t"), m.end("t")) for m in _TITLE.finditer(text, start, end)]

    def blocked(a: int, b: int) -> bool:
        return (mask is not None and mask.hits(a, b)) or any(ta < b and a < tb for ta, tb, *_ in titles)

    found: list[Cue] = []
    if index is None:
        index = _CueIndex(text[start:end])
        base = start
    else:
        base = 0
    lo, hi = (0, end - start) if base else (start, end)
    for inst, name, w, (ms, me, group) in index.within(lo, hi):
        ms, me = ms + base, me + base
        if me <= ms or blocked(ms, me):
            continue
        found.append(Cue(inst, name, ms, me, group, w))
    for a, b, title, ts, te in titles:
        if mask is not None and mask.hits(a, b):
            continue
        for inst, name, rx, w in _TITLE_RULES:
            if rx.search(title):
                found.append(Cue(inst, f"{inst}:{name}", ts, te, title, w))
                break
    # within one type, a cue inside a longer cue of the same type is the same evidence
    # (the stronger of the two is kept; on equal weight, the longer)
    out = []
    for c in found:
        if any(o is not c and o.instrument == c.instrument and _nested(o, c) and
               (o.weight, o.end - o.start) > (c.weight, c.end - c.start) for o in found):
            continue
        out.append(c)
    return sorted(set(out), key=lambda c: (c.start, c.end, c.instrument, c.name))


def _nested(a: Cue, b: Cue) -> bool:
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)


def confidence(cues: Iterable[Cue]) -> float:
    """``1 − ∏(1 − w)`` over the cues, counting at most two hits of one cue rule."""
    count: dict[str, int] = {}
    rest = 1.0
    for c in sorted(cues, key=lambda c: -c.weight):
        count[c.name] = count.get(c.name, 0) + 1
        if count[c.name] > MAX_HITS_PER_CUE:
            continue
        rest *= 1.0 - c.weight
    return round(1.0 - rest, 4)


def classify(text: str, provisions: Sequence[Provision], *, tasks: Iterable[str] = (),
             masks: Iterable[tuple[int, int]] = (), threshold: float = DEFAULT_THRESHOLD) -> list[InstrumentRecord]:
    """Code every measure among ``provisions`` with the instrument types its sentences evidence.

    Parameters
    ----------
    text : the normalised document text the provisions' offsets refer to.
    provisions : the document's provisions (sections, rows).
    tasks : keys of provisions that carry an assignment (always treated as measures).
    masks : spans whose words are not cues (agency names, assignment tails, table headers …).
    threshold : the confidence a sentence must reach for a type (default 0.6).

    Returns
    -------
    Records sorted by provision position and type; measures without evidence are absent.
    """
    mask = _Mask(masks)
    index = _CueIndex(text)
    out: list[InstrumentRecord] = []
    for p, a, b in measure_provisions(provisions, tasks, text):
        best: dict[str, float] = {}
        support: dict[str, list[Cue]] = {}
        sents: dict[str, list[tuple[int, int]]] = {}
        for sm in _SENTENCE.finditer(text, a, b):
            s, e = sm.start(), sm.end()
            cues = sentence_cues(text, s, e, mask, index)
            by_type: dict[str, list[Cue]] = {}
            for c in cues:
                by_type.setdefault(c.instrument, []).append(c)
            for inst, cs in by_type.items():
                conf = confidence(cs)
                if conf + 1e-9 < threshold or max(c.weight for c in cs) < ANCHOR_WEIGHT:
                    continue
                best[inst] = max(best.get(inst, 0.0), conf)
                support.setdefault(inst, []).extend(cs)
                s2, e2 = _strip(text, s, e)
                sents.setdefault(inst, []).append((s2, e2))
        for inst in TYPES:
            if inst not in best:
                continue
            cues = _evidence(support[inst])
            names = sorted({c.name.split(":", 1)[1] for c in cues})
            out.append(InstrumentRecord(p.key, inst, best[inst], f"{RULE_PREFIX}:" + "+".join(names), cues,
                                        tuple(dict.fromkeys(sents[inst]))[:MAX_SENTENCES]))
    return out


def _evidence(cues: list[Cue]) -> tuple[Cue, ...]:
    """At most MAX_CUES cues, in text order: the strongest of each cue rule first, then each
    further distinct wording, then repeats."""
    ranked = sorted(set(cues), key=lambda c: (-c.weight, c.start, c.end, c.name))
    rules: set[str] = set()
    by_rule = [c for c in ranked if not (c.name in rules or rules.add(c.name))]
    texts = {c.text for c in by_rule}
    by_text = [c for c in ranked if c not in by_rule and not (c.text in texts or texts.add(c.text))]
    rest = [c for c in ranked if c not in by_rule and c not in by_text]
    kept = (by_rule + by_text + rest)[:MAX_CUES]
    return tuple(sorted(kept, key=lambda c: (c.start, c.end, c.name)))


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def extraction_masks(text: str, extraction: Extraction) -> list[tuple[int, int]]:
    """Spans of an extraction whose words are not cues: agency mentions, assignment
    phrases and role cells, the document's title/number/date, table headers."""
    from policykg.builders.structure import find_spaced_tables

    spans = [(m.start, m.end) for m in extraction.mentions]
    for asg in extraction.assignments:
        spans.append((asg.mention.start, asg.mention.end))
        spans.append((asg.cue_start, asg.cue_end))
    md = extraction.metadata
    for sp in (md.title_span, md.doc_number_span, md.date_span):
        if sp:
            spans.append(tuple(sp))
    for m in (*md.issuers, *md.addressees):
        spans.append((m.start, m.end))
    if extraction.table_headers is not None:  # found by the extraction already
        spans += extraction.table_headers
    else:
        headers, _ = find_spaced_tables(text)
        spans += [(a, b) for a, b, _ in headers]
    return spans


def classify_extraction(text: str, extraction: Extraction, *, threshold: float = DEFAULT_THRESHOLD) -> list[InstrumentRecord]:
    """:func:`classify` with the tasks and masks of an extraction of ``text``."""
    tasks = {a.provision for a in extraction.assignments}
    return classify(text, extraction.provisions, tasks=tasks, masks=extraction_masks(text, extraction),
                    threshold=threshold)


# ---------------------------------------------------------------------------------------------
# RDF


def instrument_quads(raw, norm, extraction: Extraction, iris, *, threshold: float = DEFAULT_THRESHOLD) -> list:
    """Quads (pyoxigraph) of the instrument codings of one document, in the document's named graph.

    For each coded measure ``P`` and type ``T``::

        P pk:instrument T ;
          pk:qualifiedInstrument C .
        C a pk:InstrumentCoding ; pk:instrument T ; pk:inDocument D ;
          pk:confidence 0.99 ; pk:rule "cue-lexicon:融资+质押" ;
          pk:cue <span of each cue> ; prov:wasDerivedFrom <span of each sentence> .

    Spans are the ``pk:TextSpan`` nodes :mod:`policykg.builders.assemble` makes (same IRIs,
    raw code points, exact raw quote), so a cue that is also a mention shares its span node.
    A build writes these triples with the rest of the document (:func:`instrument_triples`).
    """
    import pyoxigraph

    from policykg.builders import terms as T
    from policykg.builders.assemble import span_writer
    from policykg.ontology.iris import doc_key_for

    key = doc_key_for(raw.name)
    doc = str(iris.document(key))
    triples: list = []
    add = lambda s, p, o: triples.append((s, p, o))  # noqa: E731
    instrument_triples(norm.text, extraction, iris, key, add=add,
                       span=span_writer(add, raw, norm, iris, key, T.iri(doc)), threshold=threshold)
    data = "\n".join(T.nquads(triples, doc)).encode("utf-8")
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_QUADS))


def instrument_triples(text: str, extraction: Extraction, iris, key: str, *, add, span,
                       threshold: float = DEFAULT_THRESHOLD) -> int:
    """Write the instrument codings of one document with ``add(s, p, o)`` (N-Triples terms), spans
    with ``span(start, end)``; returns the number of codings."""
    from policykg.builders import terms as T

    pk = "https://w3id.org/policykg/ontology#"
    rdf_type = T.iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    derived = T.iri("http://www.w3.org/ns/prov#wasDerivedFrom")
    p_instrument, p_qualified, p_in_doc = T.iri(pk + "instrument"), T.iri(pk + "qualifiedInstrument"), T.iri(pk + "inDocument")
    p_conf, p_rule, p_cue, c_coding = T.iri(pk + "confidence"), T.iri(pk + "rule"), T.iri(pk + "cue"), T.iri(pk + "InstrumentCoding")
    doc = T.iri(str(iris.document(key)))
    n = 0
    for rec in classify_extraction(text, extraction, threshold=threshold):
        prov = str(iris.provision(key, rec.provision))
        pnode = T.iri(prov)
        concept = T.iri(instrument_iri(rec.instrument))
        coding = T.iri(coding_iri(prov, rec.instrument))
        add(pnode, p_instrument, concept)
        add(pnode, p_qualified, coding)
        add(coding, rdf_type, c_coding)
        add(coding, p_instrument, concept)
        add(coding, p_in_doc, doc)
        add(coding, p_conf, T.typed(f"{rec.confidence:.4f}".rstrip("0").rstrip("."), "decimal"))
        add(coding, p_rule, T.text(rec.rule))
        for c in rec.cues:
            add(coding, p_cue, span(c.start, c.end))
        for s, e in rec.sentences:
            if e > s:
                add(coding, derived, span(s, e))
        n += 1
    return n


def coding_iri(provision_iri: str, instrument: str) -> str:
    """IRI of the coding of a provision with an instrument type (derived from the provision's
    IRI, as role assignments are derived from their task's)."""
    return f"{provision_iri}/instrument/{instrument}"


def scheme_quads() -> list:
    """``ontology/instruments.ttl`` (the concept scheme and the new pk: terms) as quads in the
    ontology graph, for loading next to ``policy.ttl``."""
    import pyoxigraph
    from pyoxigraph import NamedNode, Quad, RdfFormat

    from policykg.ontology.iris import ONTOLOGY_GRAPH

    data = resources.files("policykg.ontology").joinpath("instruments.ttl").read_bytes()
    g = NamedNode(ONTOLOGY_GRAPH)
    return [Quad(t.subject, t.predicate, t.object, g) for t in pyoxigraph.parse(data, format=RdfFormat.TURTLE)]


@functools.lru_cache(maxsize=1)
def scheme() -> dict[str, dict]:
    """Concepts of the scheme by id: ``notation``, ``dimension``, ``zh``, ``en``, ``definition_zh``,
    ``definition_en``, ``examples`` (read from ``instruments.ttl``)."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    out: dict[str, dict] = {}
    for q in scheme_quads():
        s = q.subject.value if hasattr(q.subject, "value") else str(q.subject)
        if not s.startswith(INSTRUMENT_NS) or s == SCHEME_IRI:
            continue
        cid = s[len(INSTRUMENT_NS):]
        d = out.setdefault(cid, {"id": cid, "examples": []})
        p, o = q.predicate.value, q.object
        lang = (getattr(o, "language", None) or "").lower()
        if p == skos + "notation":
            d["notation"] = o.value
        elif p == skos + "prefLabel" and lang in ("zh-hans", "en"):
            d["zh" if lang == "zh-hans" else "en"] = o.value
        elif p == skos + "definition" and lang in ("zh-hans", "en"):
            d["definition_zh" if lang == "zh-hans" else "definition_en"] = o.value
        elif p == skos + "broader":
            d["dimension"] = o.value[len(INSTRUMENT_NS):]
        elif p == skos + "example":
            d["examples"].append(o.value)
    for d in out.values():
        d.setdefault("dimension", d["id"])
        d["examples"].sort()
    return out


def parse_instrument(value: str) -> str:
    """A type id from a code, id or label: ``"environment/finance"``, ``"finance"``, ``"金融支持"``,
    ``"Finance"`` → ``"finance"``.  Raises ValueError for anything else."""
    v = (value or "").strip()
    if v.startswith(INSTRUMENT_NS):
        v = v[len(INSTRUMENT_NS):]
    low = v.lower()
    if low in TYPES:
        return low
    for cid, d in scheme().items():
        if cid not in TYPES:
            continue
        if low in (d.get("notation", "").lower(), d.get("en", "").lower()) or v == d.get("zh"):
            return cid
    raise ValueError(f"unknown instrument type {value!r}: use a code such as 'environment/finance' "
                     f"(`policykg instruments --scheme` lists them)")
