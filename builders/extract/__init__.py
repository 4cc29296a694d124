"""Extraction: from a normalised text to records of agencies, tasks, roles, zones,
mechanisms, targets and references (offsets into the normalised text)."""
from __future__ import annotations

import bisect
import re
from dataclasses import replace

from policykg.builders.extract.agencies import (
    GENERIC_HEADS, NAME_BREAKERS, AgencyRecognizer, AgentRef, Jurisdiction, Mention, MentionIndex,
)
from policykg.builders.extract.mechanisms import extract_mechanisms
from policykg.builders.extract.metadata import extract_metadata
from policykg.builders.extract.records import (
    Assignment, Extraction, MechanismRecord, Provision, Schedule, TargetRecord,
)
from policykg.builders.extract.references import extract_references, title_spans
from policykg.builders.extract.roles import (
    CUE_WORDS, leading_list, lead_marked, parse_assignment, subject_assignments, top_level_parens,
)
from policykg.builders.extract.targets import extract_targets
from policykg.builders.extract.zones import extract_zones
from policykg.builders.lexicon import Lexicon
from policykg.builders.structure import (
    ASSIGNMENT_ROLES, BARE_ROLE_LABEL, ROLE_LABEL, column_role, find_pipe_tables, find_sections, find_spaced_tables,
)

ALIAS_DEF = re.compile(r"\(\s*(?:以下简称|简称|下称)\s*[:：“\"]?\s*(?P<a>[^()”\"]{2,16}?)\s*[”\"]?\s*\)")
COOPERATION_VERBS = ("依托", "联合", "会同", "协调")
SCHEDULE_RE = re.compile(r"第[一二三四1-4](?:\s*[-—–~至]+\s*[一二三四1-4])?季度[^\n]*?(?=\s\S|$|\n)")
DIVISION_RE = re.compile(r"^[\u4e00-\u9fff]{2,10}(?:处|室|科)(?:、[\u4e00-\u9fff]{2,10}(?:处|室|科))*$")
AGENCY_LIKE = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:局|委员会|委|办公室|办|厅|署|法院|检察院|管委会|中心)")


# an assignment field: a label and a colon at the start of a line or of a sentence
# a label may stand in brackets, one field after another: "【牵头单位：X】【配合单位：Y、Z】"
FIELD_START = re.compile(r"(?:^|(?<=[。；;】\]]))[ \t]*(?:[-*•·【\[][ \t]*)?(?=(?:" + ROLE_LABEL + "|" + BARE_ROLE_LABEL
                         + r")[ \t]*[:：])", re.M)
FIELD_LABEL = re.compile("(" + ROLE_LABEL + "|" + BARE_ROLE_LABEL + r")[ \t]*[:：][ \t]*")
FIELD_STOP = re.compile(r"[\n。]")
# the sentence rules that still count in an item whose tail or fields name its roles
EXPLICIT_SUBJECT_RULES = ("subject-modal", "subject-会同", "subject-牵头", "subject-负责", "subject-配合", "by-phrase")
# a document's convention that the first body of a list leads ("排在第一位的为牵头单位", "列首位者为牵头部门")
FIRST_LEADS = re.compile(r"(?:排|列)在?(?:第一位|首位|第一)(?:的|者)?(?:单位|部门)?为牵头(?:单位|部门)"
                         r"|(?:排|列)在(?:第一位|首位|最前)的?(?:单位|部门)[^。；]{0,10}?牵头"
                         r"|第一(?:个|家)?(?:单位|部门)为牵头(?:单位|部门)")


def extract_document(text: str, rec: AgencyRecognizer, lexicon: Lexicon, html_meta: dict | None = None) -> Extraction:
    """All records of one normalised document text."""
    metadata, jur = extract_metadata(text, rec, html_meta)
    in_titles = title_spans(text)

    # -- aliases the document defines: "X(以下简称:Y)"
    pre = rec.find(text, jur, None)
    aliases: dict[str, AgentRef] = {}
    for m in ALIAS_DEF.finditer(text):
        owner = next((p for p in reversed(pre) if p.end <= m.start() and m.start() - p.end <= 2), None)
        listed = owner is not None and any(p.end == owner.start - 1 and text[p.end] in "、和及与" for p in pre)
        if owner is not None and not owner.ref.collective and not listed:
            # (a list "X、Y(以下简称“双方”)" names no one body: no alias)
            alias = m.group("a").strip()
            aliases[alias] = owner.ref
            aliases[alias + "办公室"] = AgentRef(owner.ref.canonical + "办公室", owner.ref.canonical + "办公室",
                                              owner.ref.kind, owner.ref.jurisdiction, owner.ref.level)
    # one leading group named in full (市知识产权工作领导小组) and no short name defined: the document's
    # "领导小组" and "领导小组办公室" are that group and its office
    groups = {m.ref.canonical: m.ref for m in pre if not m.ref.collective and m.ref.canonical.endswith("领导小组")}
    if len(groups) == 1 and "领导小组" not in aliases:
        ref = next(iter(groups.values()))
        aliases["领导小组"] = ref
        aliases["领导小组办公室"] = AgentRef(ref.canonical + "办公室", ref.canonical + "办公室", ref.kind,
                                            ref.jurisdiction, ref.level)
    mentions = rec.find(text, jur, aliases) if aliases else pre
    # dual names "A(B)": B is another label of A; a bare department word B ("省市场监管局(知识产权局)",
    # the second plaque of the same office) is part of A's written name
    merged = []
    for i, m in enumerate(mentions):
        if text[m.end:m.end + 1] == "(" and not m.ref.collective:
            close = text.find(")", m.end, m.end + 14)
            if close > 0 and text[m.end + 1:close] in rec.gazetteer.department_by_form:
                m = replace(m, end=close + 1, surface=text[m.start:close + 1])
        prev = merged[-1] if merged else None
        if prev is not None and m.start == prev.end + 1 and text[prev.end] == "(" and text[m.end:m.end + 1] == ")" \
                and not prev.ref.collective and not m.ref.collective:
            m = replace(m, ref=prev.ref, rule="dual-name")
        merged.append(m)
    mentions = merged
    index = MentionIndex(mentions)
    # re-resolve issuers and addressees in the document's jurisdiction
    issuers = tuple(_resolve_in(text, m, rec, jur, aliases) for m in metadata.issuers)
    addressees = tuple(m for m in mentions if metadata.addressees and
                       metadata.addressees[0].start <= m.start < metadata.addressees[-1].end + 1)
    metadata = replace(metadata, issuers=issuers, addressees=addressees)

    # -- structure
    diagnostics: list[dict] = []
    headers, raw_rows = find_spaced_tables(text)
    pipe_rows = find_pipe_tables(text)
    table_spans = []
    for r in raw_rows:
        table_spans += r["spans"]
    table_spans += [(a, b) for a, b, _ in headers]
    table_spans += [(r.start, r.end) for r in pipe_rows]
    table_spans.sort()
    sections = find_sections(text, exclude=tuple(_merge_spans(table_spans)))
    provisions: list[Provision] = []
    for sec in sections:
        parent = f"s{sec.parent}" if sec.parent is not None else None
        title, ts, te = sec.heading, sec.heading_start, sec.heading_end
        if text[te:te + 1] in (":", "：") and CUE_WORDS.search(title) and parse_assignment(text, ts, te, rec, jur, aliases, index):
            # "1.区科技局牵头，区财政局配合：实施高价值专利培育计划…": the point is charged before its
            # colon, and named after it
            # (its first clause, as a heading: up to the sentence's end or a comma after six characters)
            child = min((t.start for t in sections if sec.start < t.start < sec.end), default=sec.end)
            after = re.match(r"[^。；;！!？?\n]*", text[te + 1:child]).group()
            comma = re.search(r"[，,]", after[6:])
            after = after[:6 + comma.start()] if comma else after
            if len(after.strip()) >= 4:
                title, ts, te = after.strip(), te + 1, te + 1 + len(after.rstrip())
        provisions.append(Provision(f"s{sec.index}", sec.number, title, ts, te, sec.start, sec.end, sec.depth, parent))

    def innermost(pos: int):
        best = None
        for p in provisions:
            if p.kind == "section" and p.start <= pos < p.end and (best is None or p.depth >= best.depth):
                best = p
        return best

    assignments: list[Assignment] = []
    schedules: list[Schedule] = []
    row_spans: dict[str, list[tuple[int, int]]] = {}

    # -- spaced task tables
    for r in raw_rows:
        t_s, t_e = r["title"]
        number = r["number"] + "."
        key = f"r{r['number']}"
        parent = innermost(r["spans"][0][0])
        if key not in row_spans:
            provisions.append(Provision(key, number, text[t_s:t_e].rstrip("。"), t_s, t_e, r["spans"][0][0],
                                        r["spans"][-1][1], (parent.depth + 1) if parent else 1,
                                        parent.key if parent else None, "row"))
            row_spans[key] = []
        row_spans[key] += r["spans"]
        assignments += _spaced_row_roles(text, r, key, rec, jur, aliases, diagnostics, index)
        for a, b in r["spans"]:
            for sm in SCHEDULE_RE.finditer(text, a, b):
                schedules.append(Schedule(key, "schedule", sm.group().strip(), sm.start(), sm.start() + len(sm.group().strip())))
    # -- pipe task tables
    for row in pipe_rows:
        key = f"t{row.index}"
        parent = innermost(row.start)
        provisions.append(Provision(key, row.number, row.title, row.title_start, row.title_end, row.start, row.end,
                                    (parent.depth + 1) if parent else 1, parent.key if parent else None, "row"))
        row_spans[key] = [(row.start, row.end)]
        for cell in row.cells:
            if cell.role in ("lead", "responsible", "support", "division"):
                men, unknown = rec.parse_list(text, cell.start, cell.end, jur, aliases, index)
                for m in men:
                    role = cell.role
                    if m.ref.kind == "division":
                        role = "division"
                    elif lead_marked(text, m):
                        role = "lead"
                    assignments.append(Assignment(key, role, m, cell.start, cell.end, f"table-{cell.column}"))
                for a, b in unknown:
                    diagnostics.append({"kind": "unresolved-agency", "text": text[a:b], "start": a, "end": b})
            elif cell.role in ("deadline", "schedule"):
                schedules.append(Schedule(key, cell.role, cell.text, cell.start, cell.end))

    # -- parenthetical tails and subject sentences in prose
    merged_tables = _merge_spans(table_spans)

    def in_table(pos: int) -> bool:
        return any(a <= pos < b for a, b in merged_tables)

    tail_provisions: set[str] = set()
    mention_ends = {m.end for m in mentions}
    parens = top_level_parens(text, 0, len(text))
    for s, e, words_end in sorted([(a, b, b - 1) for a, b in parens] + _dash_tails(text)):
        if in_table(s) or s in mention_ends:
            continue
        roles = parse_assignment(text, s + 1, words_end, rec, jur, aliases, index)
        if not roles:
            continue
        prov = innermost(s)
        if prov is None:
            prov = _sentence_provision(text, s, provisions)
        tail_provisions.add(prov.key)
        for role, m in roles:
            assignments.append(Assignment(prov.key, role, m, s, e, "tail"))
    # fields: a line or sentence that opens with an assignment label ("牵头单位：X", "配合单位：Y、Z"),
    # several on one line too ("牵头单位：X；配合单位：Y"), each value a list of agencies
    paren_starts = [a for a, _ in parens]
    done: set[int] = set()
    for fm in FIELD_START.finditer(text):
        pos = fm.end()
        if pos in done or in_table(pos):
            continue
        k = bisect.bisect_right(paren_starts, pos) - 1
        if k >= 0 and parens[k][0] < pos < parens[k][1]:
            continue  # inside parentheses: a tail, parsed above
        stop = FIELD_STOP.search(text, pos)
        end = stop.start() if stop else len(text)
        labels = list(FIELD_LABEL.finditer(text, pos, end))
        prov = innermost(pos) or _sentence_provision(text, pos, provisions)
        for i, lm in enumerate(labels):
            done.add(lm.start())
            vs, ve = lm.end(), labels[i + 1].start() if i + 1 < len(labels) else end
            while ve > vs and text[ve - 1] in " \t;；,，、【】[]":
                ve -= 1
            if ve <= vs:
                continue
            men, unknown = rec.parse_list(text, vs, ve, jur, aliases, index)
            for m in men:
                role = "division" if m.ref.kind == "division" else column_role(lm.group(1), bare=True)
                role = "lead" if lead_marked(text, m) else role
                assignments.append(Assignment(prov.key, role, m, lm.start(), ve, f"field-{lm.group(1)}"))
            for a, b in unknown:
                diagnostics.append({"kind": "unresolved-agency", "text": text[a:b], "start": a, "end": b})
            if men:
                tail_provisions.add(prov.key)
    assignments = _item_closing_tails(text, assignments, provisions, sections, tail_provisions)
    assignments = _closing_tail_lines(text, assignments, provisions, tail_provisions)
    # the spans of tails and fields: a sentence rule never reads a body inside one (a tail moved to
    # its item is no longer its point's, but its bodies are still not the point's subjects)
    closed = sorted({(a.cue_start, a.cue_end) for a in assignments if a.rule == "tail" or a.rule.startswith("field-")})
    listed = _clause_subject_items(text, mentions, rec, jur, aliases, index)
    for p in list(provisions):
        if p.kind != "section":
            continue
        own_end = min([c.start for c in provisions if c.parent == p.key and c.kind == "section"] + [p.end])
        body_start = p.title_end
        if in_table(body_start):
            continue
        label = [m for m in mentions if p.start < m.start < p.title_start and m.end <= p.title_start]
        if label:
            # "(一)市知识产权局：负责…": the body before the colon is the subject of the item's text
            body_start = min(m.start for m in label)
        elif p.number.endswith("条") or any(m.start == p.title_start or (p.title_start < m.start < p.title_end
                                                                         and text[m.start - 1] in ",，")
                                             for m in mentions + listed):
            # an article's "heading" is its first sentence, and so is a heading that opens with an
            # agency or has a clause that does ("第二条 市知识产权局负责…", "1. 区市场监管局牵头…",
            # "4.完善…机制，市中级人民法院、市人民检察院要…")
            body_start = p.title_start
        in_body = [m for m in mentions + listed if body_start <= m.start < own_end]
        in_body.sort(key=lambda m: m.start)
        found = subject_assignments(text, body_start, own_end, in_body, rec, jur, aliases)
        if p.key in tail_provisions:
            # the tail or the fields name the provision's roles; a sentence still adds the bodies it
            # charges explicitly ("X、Y、Z要加强协作", "X会同Y…") that they do not name
            # (the last tail or field closes the item: sentences after it, such as a document's closing
            # "各市、县人民政府要…", are not the item's)
            own = [a for a in assignments if a.provision == p.key]
            named = {a.mention.ref.key for a in own}
            closed_at = max(a.cue_end for a in own)
            found = [f for f in found if f[4] in EXPLICIT_SUBJECT_RULES and f[1].ref.key not in named
                     and f[3] <= closed_at]
        for role, m, a, b, rule in found:
            if closed and any(cs <= m.start < ce for cs, ce in closed):
                continue
            assignments.append(Assignment(p.key, role, m, a, b, rule))
    assignments += _agency_section_roles(text, provisions, mentions + listed, assignments)

    if FIRST_LEADS.search(text):
        assignments = _first_listed_leads(assignments)
    assignments = _sole_responsible_leads(text, assignments)
    assignments = _qualify_divisions(_dedupe_assignments(assignments))

    # -- which collective mentions to keep: those in a role, addressed, issuing, or cooperating
    role_spans = {(a.mention.start, a.mention.end) for a in assignments}
    keep = []
    for m in mentions:
        if not m.ref.collective:
            keep.append(m)
            continue
        if (m.start, m.end) in role_spans or any(m.start == x.start for x in addressees):
            keep.append(m)
            continue
        if text[max(0, m.start - 2):m.start] in COOPERATION_VERBS or text[m.start - 1:m.start] in ("与", "同"):
            keep.append(m)  # a partner: "会同各有关部门", "建立与X、Y等部门的联系机制"
    # role mentions found by list grammar (not by the scanner) are mentions too
    seen = {(m.start, m.end) for m in keep}
    for a in assignments:
        if (a.mention.start, a.mention.end) not in seen:
            keep.append(a.mention)
            seen.add((a.mention.start, a.mention.end))
    for m in issuers:
        if (m.start, m.end) not in seen:
            keep.append(m)
            seen.add((m.start, m.end))
    # the named members of an enumerated collective ("市经信委、市国资委、市质监局等部门" names three
    # agencies besides the collective): mentions of their own (roles stay with the collective)
    for m in mentions:
        cut = m.surface.rfind("等")
        if m.ref.collective and cut > 0 and ("、" in m.surface[:cut] or "和" in m.surface[:cut]):
            for member in rec.find(text, jur, aliases, m.start, m.start + cut):
                if not member.ref.collective and (member.start, member.end) not in seen:
                    keep.append(member)
                    seen.add((member.start, member.end))
    keep.sort(key=lambda m: (m.start, m.end))

    # -- zones, mechanisms, targets, references
    zones, industries, _ = extract_zones(text, lexicon, rec.gazetteer.place_by_name)
    zones = [replace(z, provision=(innermost(z.start).key if innermost(z.start) else None)) for z in zones]

    def owner(pos: int) -> str | None:
        for key, spans in row_spans.items():
            if any(a <= pos < b for a, b in spans):
                return key
        p = innermost(pos)
        return p.key if p else None

    mechanisms = [replace(mm, provision=owner(mm.start)) for mm in extract_mechanisms(text, lexicon, in_titles)]
    top_sections = [p for p in provisions if p.kind == "section" and p.depth == 1]

    def top_bounds(pos: int):
        for p in top_sections:
            if p.start <= pos < p.end:
                return p.start, p.end
        return 0, len(text)

    issued = int(metadata.date[:4]) if metadata.date[:4].isdigit() else None
    targets = [replace(t, provision=owner(t.start)) for t in extract_targets(text, top_bounds, in_titles, issued)]
    plan_year = _plan_year(metadata.title)
    if plan_year:
        # an annual plan's targets ("2024年…任务清单": 优良天数比率达到98%以上) are for its year, a
        # period plan's ("…实施方案（2024—2025年）") for the period's end, unless they name their own
        targets = [t if t.year is not None else replace(t, year=plan_year) for t in targets]
    cited = extract_references(text, metadata.doc_number_span)

    # -- diagnostics: agency-like strings no rule resolved; numbered items with role words but no assignment
    covered = [(m.start, m.end) for m in keep]  # the scanner's mentions and those the list grammar accepted
    for m in AGENCY_LIKE.finditer(text):
        if not any(a <= m.start() < b or a < m.end() <= b for a, b in covered) and m.group()[0] in "省市区县":
            diagnostics.append({"kind": "unresolved-agency", "text": m.group(), "start": m.start(), "end": m.end()})
    assigned = {a.provision for a in assignments}
    for p in provisions:
        if p.key not in assigned and re.search("牵头|负责|配合", text[p.title_end:p.end]) and \
                not any(c.parent == p.key for c in provisions):
            diagnostics.append({"kind": "task-without-assignment", "text": p.title, "start": p.start, "end": p.end})

    return Extraction(metadata, tuple(keep), tuple(provisions), tuple(assignments), tuple(schedules), tuple(zones),
                      tuple(industries), tuple(mechanisms), tuple(targets), tuple(cited), tuple(diagnostics),
                      tuple((a, b) for a, b, _ in headers))


_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})(?:\s*年?\s*[-—–~～至到]\s*((?:19|20)\d{2}))?\s*年")


def _plan_year(title: str) -> int | None:
    """The year a plan's title is for: "2024年…工作要点" → 2024, "…方案（2024—2025年）" → 2025;
    None for a title with no year or with two different ones outside a period."""
    found = {int(m.group(2) or m.group(1)) for m in _TITLE_YEAR.finditer(title or "")}
    return found.pop() if len(found) == 1 else None


# points numbered in arabic figures (1. / 1.1 / (1)) inside an item numbered in Chinese or as an article
_POINT_MARKERS = ("num", "dec", "pnum")
_ROLE_WORDS = re.compile("牵头|负责|配合|会同|协同|协助|责任单位|责任部门")
_CELL_ROLE_WORDS = re.compile(r"[、,，和及]|[(（](?:牵头|主责|负责|配合)[)）]|按职责分工负责|牵头|负责|配合")
_RESPONSIBLE_LABEL = re.compile("(?:责任|实施|承办)(?:单位|部门)[:：]")


def _item_closing_tails(text: str, assignments: list[Assignment], provisions: list[Provision], sections,
                        tail_provisions: set[str]) -> list[Assignment]:
    """A tail or field that closes the last numbered point of an item whose other points name no
    roles belongs to the item: in "（一）落实清单 1. 制定… 2. 开展…。（市民政局牵头，市财政局…负责）"
    the units are charged with item (一), the points being its measures. ``tail_provisions`` is
    updated in place."""
    marker = {f"s{s.index}": s.marker for s in sections}
    kids: dict[str, list[Provision]] = {}
    for p in provisions:
        if p.kind == "section" and p.parent is not None:
            kids.setdefault(p.parent, []).append(p)
    by_key = {p.key: p for p in provisions}
    moved: dict[str, str] = {}
    for key in sorted(tail_provisions):
        p = by_key.get(key)
        if p is None or p.kind != "section" or p.parent is None or key in kids:
            continue
        q = by_key[p.parent]
        points = kids[q.key]
        if len(points) < 2 or points[-1].key != key or marker.get(key) not in _POINT_MARKERS \
                or marker.get(q.key) in _POINT_MARKERS:
            continue
        if q.key in tail_provisions or any(s.key in tail_provisions or _ROLE_WORDS.search(text, s.start, s.end)
                                           for s in points[:-1]):
            continue
        own = [a for a in assignments if a.provision == key and (a.rule == "tail" or a.rule.startswith("field-"))]
        if not own or text[max(a.cue_end for a in own):q.end].strip(" \t\n。；;"):
            continue  # the roles must close the item
        moved[key] = q.key
    return _move_roles(assignments, moved, tail_provisions, fields=True)


def _move_roles(assignments: list[Assignment], moved: dict[str, str], tail_provisions: set[str], *,
                fields: bool) -> list[Assignment]:
    """The tails' (and with ``fields``, the fields') assignments of each provision in ``moved`` given
    to the provision it maps to; ``tail_provisions`` updated in place."""
    for key, parent in moved.items():
        tail_provisions.discard(key)
        tail_provisions.add(parent)
    return [replace(a, provision=moved[a.provision])
            if a.provision in moved and (a.rule == "tail" or fields and a.rule.startswith("field-")) else a
            for a in assignments]


def _closing_tail_lines(text: str, assignments: list[Assignment], provisions: list[Provision],
                        tail_provisions: set[str]) -> list[Assignment]:
    """A tail on a line of its own that closes several nested provisions at once ("（二）培育… 1. …
    2. … （1）… （2）…" then "（责任单位：…）") charges the largest of them whose other parts name no
    roles: the item, its points being its measures.  ``tail_provisions`` is updated in place."""
    by_key = {p.key: p for p in provisions}
    where = {a.provision: by_key[a.provision] for a in assignments if a.provision in by_key}
    moved: dict[str, str] = {}
    for key in sorted(tail_provisions):
        p = by_key.get(key)
        own = [a for a in assignments if a.provision == key and a.rule == "tail"]
        if p is None or p.kind != "section" or not own:
            continue
        cs, ce = min(a.cue_start for a in own), max(a.cue_end for a in own)
        if text[text.rfind("\n", 0, cs) + 1:cs].strip() or text[ce:p.end].strip(" \t\n。；;"):
            continue  # not alone on its line, or not closing the provision
        best, cur = None, p
        while cur.parent is not None and cur.parent in by_key:
            q = by_key[cur.parent]
            if text[ce:q.end].strip(" \t\n。；;") or q.key in tail_provisions or any(
                    k != key and q.start <= o.start < q.end for k, o in where.items()) \
                    or _ROLE_WORDS.search(text, q.title_end, cur.start):
                break  # the item's other parts name roles (in tails, fields or sentences)
            best = cur = q
        if best is not None:
            moved[key] = best.key
    return _move_roles(assignments, moved, tail_provisions, fields=False)


def _resolve_in(text: str, m: Mention, rec: AgencyRecognizer, jur: Jurisdiction, aliases) -> Mention:
    found = rec.find(text, jur, aliases, m.start, m.end)
    if found and found[0].start == m.start and found[0].end == m.end:
        return found[0]
    return m


# a task line's assignment after a dash: "1.推动…专利导航。——牵头单位：X；参与单位：Y", "——X牵头，Y配合"
_DASH_TAIL = re.compile(r"(?<=[^\s—－])[—－]{2}[ \t]*(?=[^\n]{2,160}$)", re.M)
_DEADLINE_PAREN = re.compile(r"\((?=\d|长期|持续|年底|年内)")


def _dash_tails(text: str) -> list[tuple[int, int, int]]:
    """``(s, e, words_end)`` of what follows a dash that ends a line's text: the words are
    ``text[s+1:words_end]``, up to a deadline in parentheses ("(2024年底前)") or the line's end."""
    out = []
    for m in _DASH_TAIL.finditer(text):
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        stop = _DEADLINE_PAREN.search(text, m.end(), eol)
        words_end = stop.start() if stop else eol
        out.append((m.end() - 1, words_end, words_end))
    return out


def _merge_spans(spans):
    out = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _sentence_provision(text: str, pos: int, provisions: list[Provision]) -> Provision:
    a = pos
    while a > 0 and text[a - 1] not in "。；;\n":
        a -= 1
    title = text[a:pos].strip()[:40]
    key = f"p{a}"
    existing = next((p for p in provisions if p.key == key), None)
    if existing:
        return existing
    prov = Provision(key, "", title, a, a + len(title), a, pos, 1, None, "sentence")
    provisions.append(prov)
    return prov


# a clause opening with a list of bodies that its verb charges ("由区科技创新局牵头，光谷实验室、九峰山实验室
# 按职责分工负责，华中农业大学配合"): the verb, the list being the clause's words before it
CHARGING_VERB = re.compile(r"(?:共同|联合|分别|具体)?(?:牵头(?!单位|部门|领导)|按职责分工负责|按照职责分工负责|负责(?!人|同志)|"
                           r"承办(?!单位)|配合(?!单位|部门)|协助|会同|抓好)")  # 负责人, 牵头单位: no verb
CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n]")
# an item number or enumerator opening the clause (1. / (2) / 三、 / 一是)
CLAUSE_NUMBER = re.compile(r"\s*(?:\d{1,3}\s*[.、．]|\(\d{1,3}\)|[一二三四五六七八九十]{1,3}(?:、|是)|\([一二三四五六七八九十]{1,3}\))\s*")
# what a listed name cannot open with (a verb charging someone else: 引导科技型公司牵头…) and what
# alone names no one (国有控股公司, 重点实验室, 区属国有公司: a kind of body, not a body)
CLAUSE_ITEM_VERB = re.compile(r"^(?:引导|鼓励|扶持|支持|推动|新建|入驻|带动|吸引|指导|培育|发展|组织|依托|建设|加强|促进|"
                              r"落实|推进|督促|要求|请|由|让|使|对|在|向|把|将)")
GENERIC_STEM = re.compile(r"(?:[省市区县]属|国有|控股|股份|有限|责任|重点|龙头|骨干|民营|私营|外资|科技型|新型|高新技术|"
                          r"各类|有关|相关|入驻|所属|下属|企业|中小|大型|本地|相应|新建|该)+")
ITEM_HEAD = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|集团公司|公司|集团|实验室|大学|学院|研究所|研究院|中心|"
                       r"报社|出版社|杂志社|[局委办厅部署院处室科站队所会组庭司])$")


def _clause_subject_items(text, mentions, rec, jur, aliases, index) -> list[Mention]:
    """Bodies the gazetteer does not know, named in a list that opens a clause and is charged by its
    verb: each item ends in an organisation word (…实验室, …大学, …有限公司, 区人才局), holds no
    verb, and every item of the list is a body.  They join the document's mentions for the subject
    rules, which otherwise only see the bodies found on their own."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out: list[Mention] = []
    done: set[int] = set()
    for vm in CHARGING_VERB.finditer(text):
        end = vm.start()
        lo = max(0, end - 80)
        start = end
        while start > lo and not CLAUSE_BREAK.match(text[start - 1]):
            start -= 1
        if start in done or (start == lo > 0 and not CLAUSE_BREAK.match(text[lo - 1])):
            continue  # already read, or no clause opens within reach
        done.add(start)
        number = CLAUSE_NUMBER.match(text, start, end)
        if number:
            start = number.end()
        while start < end and text[start] in " \t":
            start += 1
        for opener in ("并由", "由", "请"):
            if text.startswith(opener, start):
                start += len(opener)
                break
        if end - start < 2:
            continue
        men, unknown = rec.parse_list(text, start, end, jur, aliases, index)
        new = [m for m in men if m.rule in ("list-item", "shared-suffix")]
        if unknown or not new or any(not _proper_item(m.surface) for m in new):
            continue
        out += [m for m in new if not any(i in taken for i in range(m.start, m.end))]
    return out


# a duty opening with its verb, its subject left to the heading above it ("1. 牵头推进…",
# "2. 配合市科技局开展…", "3. 会同市财政局完善…")
DUTY_VERB = re.compile(r"\s*(牵头(?!单位|部门|领导)|负责(?!人|同志)|会同|配合|协助|参与|协同)")  # 负责人: no verb


def _agency_section_roles(text, provisions, mentions, assignments) -> list[Assignment]:
    """Duties listed under a heading that is a body (a list of duties by agency: "一、市科技局" then
    "1. 牵头推动…", "2. 配合市市场监管局推进…"): the heading's body is each duty's subject.  牵头/负责:
    it leads; 会同X: it leads and X supports; 配合X/协助X/参与X/协同X: X leads and it supports.  A duty
    that already has roles keeps them."""
    out: list[Assignment] = []
    charged = {a.provision for a in assignments}
    by_start = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in by_start]

    def between(a: int, b: int) -> list[Mention]:
        return by_start[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]

    bodies: dict[str, Mention] = {}  # the headings that are a body's name
    for p in provisions:
        if p.kind != "section" or p.title_end <= p.title_start:
            continue
        heads = between(p.title_start, p.title_end)
        if not heads or heads[0].start != p.title_start or any(h.ref.key != heads[0].ref.key for h in heads):
            continue
        rest = re.sub(r"^\([^()]{1,20}\)", "", text[heads[-1].end:p.title_end]).strip(" ：:。")
        if rest or heads[0].ref.collective:
            continue  # the heading says more than the body's name
        bodies[p.key] = heads[0]
    for p in provisions:
        if p.key not in bodies:
            continue
        body = bodies[p.key]
        for c in provisions:
            if c.kind != "section" or not (p.start <= c.start < p.end) or c.depth <= p.depth or c.key in charged:
                continue
            if any(q.key in bodies and q.depth > p.depth and q.start <= c.start < q.end and q.key != c.key
                   for q in provisions if q.key != p.key):
                continue  # a body's heading nearer to the duty is its subject
            vm = DUTY_VERB.match(text, c.title_start)
            if vm is None:
                continue
            verb = vm.group(1)
            partners, _ = leading_list(text, vm.end(), c.end, between(vm.end(), c.end))
            partners = [m for m in partners if m.ref.key != body.ref.key]
            cue = (c.title_start, vm.end())
            if verb in ("牵头", "负责"):
                out.append(Assignment(c.key, "lead", body, *cue, "agency-section"))
            elif verb == "会同":
                out.append(Assignment(c.key, "lead", body, *cue, "agency-section"))
                out += [Assignment(c.key, "support", m, *cue, "agency-section") for m in partners]
            elif partners:
                out.append(Assignment(c.key, "support", body, *cue, "agency-section"))
                out += [Assignment(c.key, "lead", m, *cue, "agency-section") for m in partners]
    return out


def _proper_item(surface: str) -> bool:
    """Whether a listed item the gazetteer does not know names one body: Chinese throughout, no verb
    in it or opening it, and a name before its head that is more than words for a kind of body."""
    if not re.fullmatch(r"[\u4e00-\u9fff][\u4e00-\u9fff()]+", surface) or NAME_BREAKERS.search(surface) \
            or CLAUSE_ITEM_VERB.match(surface):
        return False
    head = ITEM_HEAD.search(surface)
    stem = surface[:head.start()] if head else surface
    stem = re.sub(r"\([^()]*\)", "", stem)
    return len(GENERIC_STEM.sub("", stem)) >= 2 or (len(stem) >= 2 and stem[0] in "省市区县州" and not GENERIC_STEM.match(stem))


def _spaced_row_roles(text, r, key, rec, jur, aliases, diagnostics, index=None) -> list[Assignment]:
    """Role cells of a flattened table row, aligned to the header's agency columns by type.

    When the title's line itself holds the row's agency cells and a cell's list is left open at the
    line's end ("市科技局、"), the agency cells of the row's next lines continue the open cells, in
    order (a table extracted from a PDF with wrapped cells); otherwise the row's cells are read in
    order over all its lines (a table pasted one cell per line)."""
    columns = r["columns"]
    agency_cols = [(c, column_role(c)) for c in columns if column_role(c) in ASSIGNMENT_ROLES]
    title_end = r["title"][1]

    def kinds_of(a, b):
        out = []
        for sm in re.finditer(r"[^\s]+", text[a:b]):
            s = a + sm.start()
            seg = sm.group().rstrip("。;；,，")
            e2 = s + len(seg)
            if DIVISION_RE.match(seg) or re.fullmatch(r"[\u4e00-\u9fff]{2,10}(?:处|室)、相关处室", seg):
                out.append(("division", s, e2))
                continue
            men, unknown = rec.parse_list(text, s, e2, jur, aliases, index)
            # generic categories in a cell (有关行业协会, 咨询辅导机构) are no agency, but the cell is
            # still an agency cell: they count as covered
            generic = 0 if re.search(r"[。；;：:\d]", seg) else \
                sum(len(p) for p in re.split(r"[、,，和及]", seg) if 2 <= len(p) <= 8 and GENERIC_HEADS.search(p))
            # role words inside a cell ("X(牵头)、Y", "X牵头，Y、Z按职责分工负责") are no content either
            content = len(_CELL_ROLE_WORDS.sub("", seg)) - generic
            if (men or generic) and sum(m.end - m.start for m in men) >= 0.85 * content:
                out.append(("agents", s, e2))
            else:
                out.append(("text", s, e2))
        return out

    def first_run(kinds):
        # the first run of agent/division cells after the title (the title cell itself may end in an
        # organisation word: 建设知识产权保护中心)
        run = []
        for kind, s, e in kinds:
            if s < title_end or (s == kinds[0][1] and s <= r["title"][0]):
                continue
            if kind in ("agents", "division"):
                run.append([kind, [(s, e)]])
            elif run:
                break
        return run

    lines = r["spans"]
    kinds = [kinds_of(a, b) for a, b in lines]
    at = next((i for i, (a, b) in enumerate(lines) if a <= title_end <= b), None)
    run = first_run(kinds[at]) if at is not None else []
    if run and at + 1 < len(lines):
        for line_kinds in kinds[at + 1:]:
            cells = [(s, e) for kind, s, e in line_kinds if kind in ("agents", "division")]
            open_cells = [c for c in run if text[c[1][-1][1] - 1] == "、" or text[c[1][-1][1]:c[1][-1][1] + 1] in (",", "，")]
            for cell, span in zip(open_cells[-len(cells):] if cells else [], cells[-len(open_cells):]):
                cell[1].append(span)
    if not run:
        run = first_run([k for line_kinds in kinds for k in line_kinds])
    out = []
    non_div = [c for c in agency_cols if c[1] != "division"]
    div_col = next((c for c in agency_cols if c[1] == "division"), None)
    i = 0
    div_used = False
    for kind, spans in run:
        if kind == "division" and div_col:
            column, role = div_col
            div_used = True
        elif div_col and not div_used and i >= len(non_div) and sum(k != "division" for k, _ in run) > len(non_div):
            # more agency cells than agency columns: the one past them is the division column's
            # (a 责任处室 cell may name a centre rather than a 处/室)
            column, role = div_col
            div_used = True
        elif non_div:
            column, role = non_div[min(i, len(non_div) - 1)]
            i += 1
        else:
            continue
        for s, e in spans:
            men, unknown = rec.parse_list(text, s, e, jur, aliases, index)
            for m in men:
                rrole = "division" if m.ref.kind == "division" else "lead" if lead_marked(text, m) else role
                out.append(Assignment(key, rrole, m, s, e, f"table-{column}"))
            for a, b in unknown:
                if text[a:b] not in ("相关处室",):
                    diagnostics.append({"kind": "unclaimed-cell", "text": text[a:b], "start": a, "end": b})
    if not run:
        diagnostics.append({"kind": "row-without-roles", "text": text[r["title"][0]:r["title"][1]],
                            "start": r["spans"][0][0], "end": r["spans"][-1][1]})
    return out


def _first_listed_leads(assignments: list[Assignment]) -> list[Assignment]:
    """Under a document's convention "排在第一位的为牵头单位", the first body of each list of
    responsible bodies (a 责任单位 field, cell or tail that names no lead) leads."""
    groups: dict[tuple[str, int], list[int]] = {}
    for i, a in enumerate(assignments):
        if a.rule == "tail" or a.rule.startswith(("field-", "table-")):
            groups.setdefault((a.provision, a.cue_start), []).append(i)
    out = list(assignments)
    for idx in groups.values():
        if any(out[i].role == "lead" for i in idx):
            continue
        resp = [i for i in idx if out[i].role == "responsible" and not out[i].mention.ref.collective]
        if resp:
            first = out[min(resp, key=lambda i: out[i].mention.start)].mention.ref.key
            for i in resp:  # the first body, under each of its names ("省市场监管局(省知识产权局)")
                if out[i].mention.ref.key == first:
                    out[i] = replace(out[i], role="lead", rule=out[i].rule + "+first-listed")
    return out


def _sole_responsible_leads(text: str, assignments: list[Assignment]) -> list[Assignment]:
    """A task whose only responsible body is named in a 责任单位 field or cell ("责任单位：县法院",
    "责任单位：市民政局；配合单位：市商务局…") gives that body the task, as "X负责，Y配合" does: it
    leads, and the supporting bodies support it.  With a second responsible body, a lead, or a
    collective in charge it stays responsible."""
    by_task: dict[str, list[int]] = {}
    charged: dict[str, set[str]] = {}
    for a in assignments:
        if a.role not in ("support", "division"):
            charged.setdefault(a.provision, set()).add(a.mention.ref.canonical)
    for i, a in enumerate(assignments):
        if a.role == "division" and (a.mention.rule != "owned-division" or any(
                a.mention.ref.canonical.startswith(c) for c in charged.get(a.provision, ()))):
            continue  # a 责任处室 beside the body is its own division; one named with another body stands for it
        if a.role != "support":
            by_task.setdefault(a.provision, []).append(i)
    out = list(assignments)
    for idx in by_task.values():
        bodies = {out[i].mention.ref.key for i in idx}
        if len(bodies) != 1 or any(out[i].role != "responsible" or out[i].mention.ref.collective for i in idx):
            continue
        if any(out[i].rule.startswith(("field-", "table-")) or
               (out[i].rule == "tail" and _RESPONSIBLE_LABEL.search(text, out[i].cue_start, out[i].cue_end))
               for i in idx):
            for i in idx:
                out[i] = replace(out[i], role="lead", rule=out[i].rule + "+sole")
    return out


def _qualify_divisions(assignments: list[Assignment]) -> list[Assignment]:
    """An internal division (规划发展处) belongs to the task's lead agency: key it under that agency."""
    leads = {}
    for a in assignments:
        if a.role == "lead" and not a.mention.ref.collective:
            leads.setdefault(a.provision, a.mention.ref)
    out = []
    for a in assignments:
        ref = a.mention.ref
        if ref.kind == "division" and a.provision in leads and a.mention.rule != "owned-division" \
                and not ref.canonical.startswith(leads[a.provision].canonical):
            owner = leads[a.provision]
            name = owner.canonical + a.mention.surface
            # the kind follows from the name alone, so every document gives the same IRI the same kind
            kind = "division" if re.search(r"(?:处|科|(?<!办公)室)$", name) else "gov"
            ref = AgentRef(name, name, kind, owner.jurisdiction, owner.level, "")
            a = replace(a, mention=replace(a.mention, ref=ref))
        out.append(a)
    return out


def _dedupe_assignments(assignments: list[Assignment]) -> list[Assignment]:
    seen = set()
    out = []
    rank = {"tail": 0}
    for a in sorted(assignments, key=lambda a: (a.provision, rank.get(a.rule, 1) if a.rule == "tail" else 1 if a.rule.startswith("table") else 2, a.mention.start)):
        k = (a.provision, a.role, a.mention.ref.key)
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
    return out
