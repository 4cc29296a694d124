"""Mechanisms: …机制 / …制度 / …体系 the text establishes, improves or relies on.

The phrase is the minimal complete noun phrase: walking back word by word from
the head noun until a verb (建立, 完善, 探索 …) or a clause boundary, and
dropping a short adjectival modifier before 的 (高效的, 便民利民的).
"""
from __future__ import annotations

import re

from policykg.builders.extract.agencies import ARTICLE_NUMBER
from policykg.builders.extract.records import MechanismRecord
from policykg.builders.lexicon import Lexicon

HEAD = re.compile(r"(?:体制机制|机制|制度|体系)(?!化)")
HEAD_TYPE = {"机制": "mechanism", "制度": "system", "体系": "framework"}
STOP_VERBS = {
    "建立", "建立健全", "健全", "完善", "探索", "探索建立", "构建", "形成", "推进", "深化", "实行", "落实", "加强",
    "引入", "建设", "推动", "优化", "实施", "执行", "运用", "贯彻", "制定", "出台", "发挥", "利用", "依托", "纳入", "搭建",
    "坚持", "提高", "提升", "改革", "规范", "推行", "开展", "打造", "强化", "研究", "试行", "严格", "争取", "设立",
    "做好", "用好", "培育", "建成", "基本建成", "健全完善", "完善和", "逐步建立", "逐步完善", "进一步", "加快", "加快建立",
    "着力", "积极", "全面", "不断", "逐步", "基本", "初步", "初步建立", "有效", "大力", "继续", "深入", "认真",
    "建", "立", "包含", "包括", "逐步形成", "印发", "转发", "关于", "按照", "依照", "根据", "通过", "围绕", "结合", "参照", "遵循", "运转",
    "支持", "鼓励", "引导", "指导", "帮助", "确保", "促进", "提供", "融入", "具有",
    "有", "是", "要", "应", "将", "把", "对", "从", "由", "向", "使", "让", "其", "相关",
    "加大", "用", "布局", "利用好", "发挥好",
}
# verbs that also head nominal compounds inside a name (强市建设工作领导机制, 政策优化专家问诊机制,
# 知识产权促进创新创业服务机制, 创造质量提升体系): a predicate only when no noun precedes them
NOMINAL_VERBS = {"建设", "优化", "促进", "培育", "改革", "规范", "执行", "运用", "实施", "提升", "提高", "发展", "保护",
                 "服务", "管理", "评价", "创新", "指导"}
CORE_VERBS = ("建立", "完善", "健全", "形成", "构建", "推进", "探索", "加强", "深化", "实行", "推动", "落实")
CLAUSE_BREAK = re.compile(r"[，。；：,;:！!？?“”《》()—]")
SENTENCE_PUNCT = "。；;：:！!？?"


COMPOUND_TAIL = re.compile(r"[和及与、][\u4e00-\u9fff]{0,2}(?:工作)?(?:机制|制度|体系)")
RELATIVE_ENDS = ("相适应", "相匹配", "相衔接", "相协调", "相结合", "相一致", "在内")


def _adjectival_cut(label: str) -> int:
    """Where a descriptive modifier "X的" ends, if the phrase after it stands alone; else 0.

    Cut: a short adjective (高效的), a list of short descriptors
    (企业主体、市场导向、产学研协同的), "与…相适应的", "包括…在内的".  Kept: modifiers
    that say what the mechanism is for or about (以…为导向的, 面向…的, …项目的).
    """
    pos = label.find("的")
    while pos > 0:
        pre, post = label[:pos], label[pos + 1:]
        if len(post) >= 6:
            if pre.endswith(RELATIVE_ENDS):
                return pos + 1
            if not pre.startswith(("以", "面向", "对", "针对", "与", "按照")):
                items = pre.split("、")
                if len(pre) <= 4 or (len(items) > 1 and all(len(x) <= 5 for x in items)):
                    return pos + 1
        pos = label.find("的", pos + 1)
    return 0


def _noun_like(tok: str) -> bool:
    """Whether a token can be the noun a nominal verb (建设, 优化 …) attaches to."""
    return (len(tok) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", tok) is not None and tok not in STOP_VERBS
            and not any(tok.endswith(v) for v in CORE_VERBS))


def _wrapped_line(text: str, nl: int) -> bool:
    """Whether the newline at ``nl`` breaks a running sentence (a long line cut mid-sentence, as in PDF text)."""
    j = nl
    while j > 0 and text[j - 1] == "\n":
        j -= 1
    start = text.rfind("\n", 0, j) + 1
    line = text[start:j]
    # a line of several cells (a flattened table's row, "… 市市场监管局、 市版权局 持续推进") goes on
    # in its next line cell by cell, not as one sentence
    return len(line) >= 30 and not line.rstrip().endswith(tuple(SENTENCE_PUNCT)) and " " not in line.strip()


def extract_mechanisms(text: str, lexicon: Lexicon, skip: list[tuple[int, int]] = ()) -> list[MechanismRecord]:
    """Mechanism phrases in ``text`` (positions in ``skip``, e.g. inside 《》, are ignored)."""
    out = []
    for m in HEAD.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        if COMPOUND_TAIL.match(text, m.end()):
            continue  # 制度 in "制度和工作机制": the compound is taken at its last head
        end = m.end()
        # the clause window before the head
        s = m.start()
        lo = max(0, s - 60)
        k = s
        while k > lo and not (CLAUSE_BREAK.match(text[k - 1]) and text[k - 1] not in "“”") and not (
                text[k - 1] == "\n" and not _wrapped_line(text, k - 1)):
            k -= 1
        window = text[k:end]
        toks = lexicon.cut(window)
        label_toks: list[str] = []
        for i in range(len(toks) - 1, -1, -1):
            tok = toks[i]
            if label_toks:
                nxt = label_toks[0]
                verb = tok in STOP_VERBS or any(tok.endswith(v) for v in CORE_VERBS if len(tok) > len(v)) \
                    or (len(tok) == 4 and tok[:2] in STOP_VERBS and tok[2:] in STOP_VERBS)  # 积极开展, 大力推进
                if verb and tok in NOMINAL_VERBS and i > 0 and _noun_like(toks[i - 1]) and nxt not in ("和", "及", "与", "、"):
                    verb = False  # 强市|建设|工作领导机制: part of the name
                if verb and tok in NOMINAL_VERBS and HEAD.fullmatch(nxt) and i > 1 and toks[i - 1] in ("和", "及", "与") \
                        and _noun_like(toks[i - 2]) and not HEAD.search(toks[i - 2]):
                    verb = False  # 产品|认定|和|培育|制度: coordinated with the noun before the head
                if verb and nxt != "的":
                    break
                if CLAUSE_BREAK.fullmatch(tok) and tok not in "“”":
                    break
                if tok in ("和", "及", "与", "、") and len("".join(label_toks)) >= 6 and i > 0 and HEAD.search(toks[i - 1]) and toks[i - 1].endswith(("机制", "制度", "体系")):
                    break
            label_toks.insert(0, tok)
        label = "".join(label_toks)
        start = end - len(label)
        while label and label[0] in "的、和及与—- \n":
            label = label[1:]
            start += 1
        cut = _adjectival_cut(label)
        if cut:
            start = end - len(label) + cut
            label = label[cut:]
        marker = ARTICLE_NUMBER.match(label)
        if marker:  # "第五章 协作机制", "第十九条 本制度": a chapter's or article's number is no part of a name
            label = label[marker.end():]
            start += marker.end()
        for scope in ("全市", "全省", "全区", "全县", "全国", "我市", "我区", "我省"):
            if label.startswith(scope):
                label = label[len(scope):]
                start += len(scope)
        clean = re.sub(r"\s", "", label)
        if len(clean) < 5 or clean in ("体制机制",):
            continue
        head = m.group()
        mtype = HEAD_TYPE["机制" if head.endswith("机制") else head]
        out.append(MechanismRecord(clean, start, end, mtype, None))
    return out
