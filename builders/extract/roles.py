"""The grammar of assignments: who leads, who is responsible, who supports.

Forms recognised (all general, none tied to one document):

* tails in parentheses: "(X牵头, Y、Z按职责分工负责)", "(X、Y负责)", "(X负责)",
  "(牵头单位: X; 配合单位: Y)", "(由X牵头, Y配合)", "(X会同Y负责)", a deadline beside the
  roles ("(责任单位: X; 完成时限: 2025年底)");
* sentences whose subject is a list of agencies: "X会同Y, …" (lead + support),
  "X牵头…", "由X负责…", "X、Y要/应…" (responsible; a single named agency leads),
  and, in the first sentence of an item, "X + verb" (lead); a 由-phrase inside a
  sentence ("本办法由X负责解释");
* task tables and fields (the extractor finds them): columns or labels 执行部门 /
  牵头单位 (lead), 责任单位 (responsible), 配合单位 / 协办单位 (support), 责任处室
  (division), and any label of the same shape (``structure.column_role``).

Role rules follow the annotation guide: 负责 names the lead when it is the only
body in the assignment, otherwise the bodies are responsible.
"""
from __future__ import annotations

import re

from policykg.builders.extract.agencies import LEAD_MARK_WORDS, AgencyRecognizer, AgentRef, Jurisdiction, Mention
from policykg.builders.structure import BARE_ROLE_LABEL, COLUMN_ROLES, ROLE_LABEL, column_role

# field labels (牵头单位: X; 配合单位: Y): the table columns' words and their general shape
LABEL_RE = re.compile(r"^\s*(?:(" + ROLE_LABEL + r")\s*[:：]?|(" + BARE_ROLE_LABEL + r")\s*[:：])\s*")
# the other fields a tail may hold beside the roles (deadlines, schedules)
OTHER_FIELD_RE = re.compile(r"^\s*(?:" + "|".join(re.escape(k) for k, r in COLUMN_ROLES.items() if r in ("deadline", "schedule"))
                            + r"|时限)\s*[:：]")
# any other "label：value" clause of a tail ("牵头市领导：王某某", "联系人：…"): skipped when its label
# names no body (a label that is a body, "市科技局：负责…", is read as the body's duty)
OTHER_LABEL_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,8})\s*[:：]")
ROLE_LABEL_END = re.compile("(" + ROLE_LABEL + ")$")
VERB_CUES = [
    ("牵头负责", "lead"), ("牵头抓总", "lead"), ("牵头", "lead"),
    ("按职责分工负责", "responsible"), ("按照职责分工负责", "responsible"), ("按职责分工落实", "responsible"),
    ("按职责分工", "responsible"), ("分工负责", "responsible"), ("按职责负责", "responsible"), ("共同负责", "responsible"),
    ("负责落实", "sole"), ("具体负责", "sole"), ("负责", "sole"), ("具体承办", "sole"), ("承办", "sole"),
    ("配合", "support"), ("参与", "support"), ("协助", "support"), ("协同", "support"), ("协办", "support"),
]
VERB_RE = re.compile(r"(?:等)?(" + "|".join(v for v, _ in VERB_CUES) + r")\s*$")
VERB_ROLE = dict(VERB_CUES)
CUE_WORDS = re.compile("牵头|负责|配合|参与|协助|协同|协办|会同|" + ROLE_LABEL)
MODALS = ("要", "应当", "应", "须", "必须", "需要", "需", "将")
LIST_GLUE = re.compile(r"[\s、,，和及与]*(?:以及)?[\s、,，和及与]*")


LEAD_MARK = re.compile(r"\s*\((?:" + "|".join(LEAD_MARK_WORDS) + r")\)")
MODAL_BEFORE_HUITONG = re.compile("(?:" + "|".join(MODALS) + ")(?=会同)")  # "X要会同Y…" is "X会同Y…"


def lead_marked(text: str, m: Mention) -> bool:
    """Whether a body in a list is marked as the lead: "市市场监管局(牵头)、市财政局"."""
    return LEAD_MARK.match(text, m.end) is not None


def top_level_parens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans ``(open, close+1)`` of top-level parenthesised groups in ``text[start:end]``."""
    out, depth, open_at = [], 0, -1
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((open_at, i + 1))
        elif ch == "\n" and depth:
            depth = 0
    return out


def _split_clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, depth, cur = [], 0, s
    for i in range(s, e):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ";；,，。" and depth == 0:
            out.append((cur, i))
            cur = i + 1
    out.append((cur, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _coverage(text: str, s: int, e: int, mentions: list[Mention]) -> float:
    content = len(re.sub(r"[\s、,，;；和及与等]", "", text[s:e])) or 1
    return sum(m.end - m.start for m in mentions) / content


def parse_assignment(text: str, s: int, e: int, rec: AgencyRecognizer, jur: Jurisdiction,
                     aliases: dict[str, AgentRef], index=None) -> list[tuple[str, Mention]] | None:
    """Roles in an assignment phrase ``text[s:e]`` (without the parentheses), or None."""
    if not CUE_WORDS.search(text, s, e) and e - s > 60:
        return None
    if re.match(r"\s*(?:以下简称|简称|下称|含|包括|即)", text[s:e]):
        return None
    pending: list[tuple[str, Mention]] = []
    any_cue = False
    label_role = None  # the role of the last label: its list goes on after a comma ("责任单位：X、Y，Z")
    for a, b in _split_clauses(text, s, e):
        clause = text[a:b]
        if OTHER_FIELD_RE.match(clause):
            label_role = None
            continue  # "完成时限：2025年12月底" beside the roles in a tail
        lm = LABEL_RE.match(clause)
        if lm:
            role = column_role(lm.group(1) or lm.group(2), bare=True)
            men, _ = rec.parse_list(text, a + lm.end(), b, jur, aliases, index)
            label_role = role
            if not men:
                continue
            any_cue = True
            pending += _labelled(text, role, men)
            continue
        om = OTHER_LABEL_RE.match(clause)
        if om and not rec.parse_list(text, a + om.start(1), a + om.end(1), jur, aliases, index)[0]:
            inner = ROLE_LABEL_END.search(om.group(1))  # 市级牵头单位, 主要责任单位: the role's label
            label_role = column_role(inner.group(1)) if inner else None
            if label_role is not None:
                men, _ = rec.parse_list(text, a + om.end(), b, jur, aliases, index)
                if men:
                    any_cue = True
                    pending += _labelled(text, label_role, men)
            continue
        if label_role is not None and not VERB_RE.search(text, a, b):
            men, _ = rec.parse_list(text, a, b, jur, aliases, index)
            if men and _coverage(text, a, b, men) >= 0.9:
                pending += _labelled(text, label_role, men)
                continue
        label_role = None
        body_s = a
        if clause.lstrip().startswith("由"):
            body_s = a + clause.index("由") + 1
        k = clause.find("会同")
        if k > 0:
            left, _ = rec.parse_list(text, body_s, a + k, jur, aliases, index)
            rest_s = a + k + 2
            vm = VERB_RE.search(text, rest_s, b)
            right_e = vm.start() if vm else b
            right, _ = rec.parse_list(text, rest_s, right_e, jur, aliases, index)
            if left and _coverage(text, body_s, a + k, left) >= 0.8:
                any_cue = True
                pending += [("lead", m) for m in left] + [("support", m) for m in right]
                continue
        vm = VERB_RE.search(text, body_s, b)
        if vm:
            men, _ = rec.parse_list(text, body_s, vm.start(), jur, aliases, index)
            if men and _coverage(text, body_s, vm.start(), men) >= 0.8:
                any_cue = True
                pending += [(VERB_ROLE[vm.group(1)], m) for m in men]
                continue
            return None
        men, _ = rec.parse_list(text, body_s, b, jur, aliases, index)
        if men and _coverage(text, body_s, b, men) >= 0.9:
            pending += [("bare", m) for m in men]
        else:
            return None
    if not pending:
        return None
    if not any_cue and len({m.ref.key for _, m in pending}) < 2:
        return None  # a lone name in parentheses is a dual name or an aside, not an assignment
    return _finalise(pending)


def _labelled(text: str, role: str, men: list[Mention]) -> list[tuple[str, Mention]]:
    """The roles of the bodies listed after a label; a 责任单位 naming the tail's only body is that
    body alone charged: it leads, as "X负责"."""
    return [("lead" if lead_marked(text, m) else "sole" if role == "responsible" else role, m) for m in men]


def _finalise(pending: list[tuple[str, Mention]]) -> list[tuple[str, Mention]]:
    # the bodies charged with the task (its supporters do not share the charge: "X负责，Y、Z配合" is X's)
    bodies = {m.ref.key for role, m in pending if role != "support"}
    out = []
    for role, m in pending:
        if role in ("sole", "bare"):
            role = "lead" if len(bodies) == 1 and not m.ref.collective else "responsible"
        if m.ref.kind == "division" and role != "lead":
            role = "division"
        out.append((role, m))
    return out


def leading_list(text: str, s: int, e: int, mentions: list[Mention]) -> tuple[list[Mention], int]:
    """Mentions forming a list at the very start of ``text[s:e]`` and where the list ends."""
    out: list[Mention] = []
    pos = s
    while pos < e and text[pos] in " \t":
        pos += 1
    for m in mentions:
        if m.start < pos:
            continue
        glue = text[pos:m.start]
        if m.start == pos or (out and LIST_GLUE.fullmatch(glue)):
            out.append(m)
            pos = m.end
            # a dual name "A(B)" stays one item
            if pos < e and text[pos] == "(":
                close = text.find(")", pos)
                if 0 < close - pos < 20:
                    pos = close + 1
        else:
            break
    return out, pos


# an enumerator opening a sentence or clause: 一是 / 二是 … / 其一
ENUMERATOR = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}是|其[一二三四五六七八九十])[,，]?")


def subject_assignments(text: str, s: int, e: int, mentions: list[Mention], rec: AgencyRecognizer,
                        jur: Jurisdiction, aliases: dict[str, AgentRef]) -> list[tuple[str, Mention, int, int, str]]:
    """Assignments from sentences whose subject is a list of agencies (see module doc).

    ``text[s:e]`` is the own text of one provision after its heading.  Returns
    (role, mention, sentence start, sentence end, rule).
    """
    out = []
    first = True
    units = []
    for sm in re.finditer(r"[^。；;！!？?\n]+[。；;！!？?]?", text[s:e]):
        a0, b0 = s + sm.start(), s + sm.end()
        # the sentence, then its later clauses ("X要…，Y会同Z…", "…格局：一是X会同Y…"): clauses only
        # take the explicit cues
        units.append((a0, b0, True))
        for cm in re.finditer(r"[,，:：]", text[a0:b0]):
            units.append((a0 + cm.end(), b0, False))
    sentence_leads: list[Mention] = []  # who leads the sentence so far (for a later "，会同Y…" clause)
    provision_led = False  # whether a sentence of the provision so far has a lead (for a sentence "会同Y…")
    for a, b, whole in units:
        while a < b and text[a] in " \t":
            a += 1
        if whole:
            sentence_leads = []
        en = ENUMERATOR.match(text, a, b)
        if en:  # "一是X会同Y…；二是…": the enumerator opens the sentence
            a = en.end()
        if a >= b:
            continue
        in_sentence = [m for m in mentions if a <= m.start < b]
        if text.startswith("会同", a) and (sentence_leads if not whole else provision_led):
            # "由X负责，会同Y、Z建立…" / "X：负责…。会同Y完善…": the partners support the lead
            partners, _ = leading_list(text, a + 2, b, in_sentence)
            out += [("support", m, a, b, "subject-会同") for m in partners]
            continue
        # "由X负责…", "请X牵头…" (a notice asking a body to lead)
        by = text.startswith(("由", "请"), a)
        if whole:
            # "本办法由X负责解释", "该项工作由X牵头": a 由-phrase inside the sentence names who leads
            for bm in re.finditer("由", text[a + 1:b]):
                k = a + 1 + bm.start()
                agents, end_k = leading_list(text, k + 1, b, in_sentence)
                cue = re.match(r"(?:共同|联合)?(牵头|负责|统筹|办理|承办)", text[end_k:b])
                if agents and cue:
                    # "由X牵头" / "由X、Y共同牵头": they lead; "由X负责": X leads, "由X、Y负责": responsible
                    # (so do "由X统筹", "交由X办理")
                    sole = len(agents) == 1 and not agents[0].ref.collective
                    role = "lead" if sole or (cue.group(1) in ("牵头", "统筹") and not any(m.ref.collective for m in agents)) \
                        else "responsible"
                    out += [(role, m, a, b, "by-phrase") for m in agents]
                    sentence_leads += agents
        subj, pos = leading_list(text, a + (1 if by else 0), b, in_sentence)
        if not subj:
            if whole:
                first = False
            continue
        if text.startswith((":", "："), pos):  # "市公安局：负责…" (an item opening with its body)
            pos += 1
        joint = re.match(r"(?:共同|联合)(?=牵头|负责)", text[pos:b])
        if joint:  # "X、Y共同负责…", "由X、Y共同牵头": both are charged, as without the adverb
            pos += joint.end()
        rest = text[pos:b]
        named = [m for m in subj if not m.ref.collective]
        modal = MODAL_BEFORE_HUITONG.match(rest)
        if modal:
            pos += modal.end()
            rest = text[pos:b]
        if rest.startswith("会同"):
            partners, _ = leading_list(text, pos + 2, b, in_sentence)
            out += [("lead", m, a, b, "subject-会同") for m in subj]
            out += [("support", m, a, b, "subject-会同") for m in partners]
            sentence_leads += subj
        elif rest.startswith("牵头"):
            out += [("lead", m, a, b, "subject-牵头") for m in subj]
            sentence_leads += subj
            k = re.match(r"牵头(?:负责)?[,，]?\s*(?:会同|联合)", rest)
            if k:  # "由X牵头，会同Y…"
                partners, _ = leading_list(text, pos + k.end(), b, in_sentence)
                out += [("support", m, a, b, "subject-会同") for m in partners]
        elif re.match(r"(?:按职责分工|分工|分别)?负责|(?:具体)?承办", rest) or re.match(r"按照?(?:各自)?职责(?:分工)?", rest):
            # "X、Y分别负责…": each its part, none leads; "X具体承办": X is charged with it
            role = "responsible" if "分工" in rest[:6] or "分别" in rest[:2] or len(subj) > 1 or not named else "lead"
            out += [(role, m, a, b, "subject-负责") for m in subj]
            sentence_leads += subj
        elif re.match(r"(?:积极|做好(?:属地)?)?(?:配合|协助|协同|参与)(?:[,，。；;]|$)", rest) or (
                not whole and sentence_leads and re.match(r"(?:积极)?(?:配合|协助|协同)", rest)):
            # "…，X、Y配合。": the bodies of a clause that only says they support; after a clause with
            # a lead, also "X负责…，Y、Z协同做好…"
            out += [("support", m, a, b, "subject-配合") for m in subj]
        elif rest.startswith(MODALS) or re.match(r"抓好[^,，。；;]{0,12}落实", rest) or re.match(r"作为[^,，。；;]{1,30}[,，]\s*(?:" + "|".join(MODALS) + ")", rest):
            # "X要…" / "X作为…的责任主体，要…"
            role = "lead" if len(subj) == 1 and named else "responsible"
            out += [(role, m, a, b, "subject-modal") for m in subj]
        elif whole and first and len(subj) == 1 and named and not by and re.match(r"[\u4e00-\u9fff]", rest or "") \
                and not rest.startswith(("的", "和", "与", "及", "等", "在", "对", "关于", "是", "为", "作为")) \
                and subj[0].ref.kind != "leading_group":
            # (a leading group or joint meeting with a bare verb is how it works, "联席会议由…组成",
            # "办公室设在…", not a task it is given)
            out += [("lead", m, a, b, "subject-verb") for m in subj]
        if whole:
            first = False
        provision_led = provision_led or bool(sentence_leads)
    # several bodies, each the subject of its own duty sentence in one provision, share it:
    # none of them leads
    modal = {m.ref.key for role, m, *_ , rule in out if rule == "subject-modal"}
    if len(modal) > 1:
        out = [("responsible" if rule == "subject-modal" else role, m, a, b, rule) for role, m, a, b, rule in out]
    return out
