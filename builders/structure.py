"""Structure: the heading hierarchy and flattened task tables of a normalised text.

Chinese policy documents number their provisions with a small set of markers
(第一章 / 第一条 in measures and regulations, 一、 / (一) / 1. / (1)); a marker's depth is the order in which marker types
nest in *this* document (a stack), so documents that start at (一) work too.
Markers inside a line (PDF text where page lines were joined) are accepted only
when they continue the numbering sequence, which keeps "2017年" or "第3.5条"
from becoming headings.

Task tables come in two flattened shapes:

* pipe rows (``序号 | 工作任务 | 牵头单位 | 配合单位``) as written by the DOCX,
  HTML and PDF readers or in Markdown (outer bars, ``|---|`` rules, group rows that
  span the table, columns without a role such as 备注), and
* space-separated cells (a PDF/web table flattened to text, header rows
  repeated on every page, one cell's paragraphs running over several lines).

Both become :class:`TableRow` values whose cells carry the header's column
name and role.  All offsets are into the normalised text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 999 (``十二`` → 12, ``二十`` → 20)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


# marker type -> regex (the number is group "n")
_CN = "[一二三四五六七八九十]{1,3}"
MARKERS = {
    "chap": re.compile(rf"第(?P<n>{_CN})章"),  # regulations and measures (办法, 条例): chapters and articles
    "art": re.compile(rf"第(?P<n>{_CN})条"),
    "cn": re.compile(rf"(?P<n>{_CN})、"),
    "pcn": re.compile(rf"\((?P<n>{_CN})\s*\)"),
    "num": re.compile(r"(?<![\d.])(?P<n>\d{1,2})[.、](?!\d)"),
    # decimal item numbers "1.1", "2.3" (at line starts only: "增长1.5倍" is a quantity)
    "dec": re.compile(r"(?<![\d.])\d{1,2}\.(?P<n>\d{1,2})(?![\d.])(?=[ \t]*[\u4e00-\u9fff])"),
    "pnum": re.compile(r"\((?P<n>\d{1,2})\)(?=\s*[\u4e00-\u9fff])"),
    # items of a checklist labelled with their number ("任务3：健全…", "事项12：…"), at line starts only
    "lab": re.compile(r"(?:重点任务|工作任务|任务|事项)(?P<n>\d{1,3})\s*[:：]"),
}
MARKER_ORDER = ("chap", "art", "cn", "pcn", "lab", "num", "dec", "pnum")
LINE_ONLY = ("chap", "art", "dec", "lab")  # "依照本办法第三条" in prose is a reference, never a heading
SENTENCE_END = "。；;！!？?"
HEADING_STOP = re.compile(r"[。；;！!？?:：\n]")

# Table column headers and the role each column carries.
COLUMN_ROLES = {
    "执行部门": "lead", "牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "牵头责任单位": "lead",
    "责任单位": "responsible", "责任部门": "responsible", "实施单位": "responsible", "承办单位": "responsible",
    "配合单位": "support", "配合部门": "support", "协办单位": "support", "参与单位": "support", "协同单位": "support",
    "责任处室": "division", "责任科室": "division", "承办处室": "division",
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "进度安排": "schedule", "时间安排": "schedule",
    "工作措施": "task", "工作任务": "task", "主要任务": "task", "重点任务": "task", "任务": "task", "工作内容": "task", "任务名称": "task",
    "工作目标": "goal", "目标": "goal", "具体措施": "measures", "主要措施": "measures", "具体内容": "measures",
    "序号": "number", "编号": "number",
    "责任主体": "responsible", "完成期限": "deadline", "办结时限": "deadline", "时限要求": "deadline",
    "任务内容": "task", "任务事项": "task", "工作事项": "task", "重点工作": "task", "具体任务": "task", "改革任务": "task",
}
ASSIGNMENT_ROLES = ("lead", "responsible", "support", "division")
# Beyond the words above, the general shape of a role column or field label: a role morpheme and a
# unit word (协助单位, 主责部门, 配合责任单位, 牵头处室 …); 处室/科室 name an internal division.
_ROLE_MORPHEMES = {"牵头": "lead", "主责": "lead", "主办": "lead", "执行": "lead",
                   "责任": "responsible", "实施": "responsible", "承办": "responsible", "负责": "responsible",
                   "落实": "responsible",
                   "配合": "support", "协办": "support", "参与": "support", "协同": "support", "协助": "support",
                   "协作": "support", "支持": "support"}
# one branch per morpheme, each opening with a literal, so that the scanning regexes built from it
# keep their fast first-character skip (a group of morphemes in front made _COLUMN_RE ~3× slower)
ROLE_UNIT = "|".join(m + "(?:责任|落实)?(?:单位|部门|处室|科室)" for m in _ROLE_MORPHEMES)  # 牵头落实单位
_ROLE_UNIT_RE = re.compile("(?:" + ROLE_UNIT + ")")
_COLUMN_RE = re.compile(ROLE_UNIT + "|" + "|".join(sorted(map(re.escape, COLUMN_ROLES), key=len, reverse=True)))
# the labels of the assignment fields only (牵头单位, 配合部门, 责任处室 …), longest first
ROLE_LABEL = (ROLE_UNIT + "|" + "|".join(sorted((re.escape(k) for k, r in COLUMN_ROLES.items() if r in ASSIGNMENT_ROLES),
                                               key=len, reverse=True)))


# every assignment column ends in one of these (牵头单位, 执行部门, 责任处室, 责任主体 …)
_ASSIGNMENT_UNITS = ("单位", "部门", "处室", "科室", "主体")
assert all(k.endswith(_ASSIGNMENT_UNITS) for k, r in COLUMN_ROLES.items() if r in ASSIGNMENT_ROLES)

# a role morpheme alone is a field label only right before a colon ("牵头：省科技厅", "参与：…")
BARE_ROLE_LABEL = "|".join(sorted(_ROLE_MORPHEMES, key=len, reverse=True))


def column_role(name: str, *, bare: bool = False) -> str | None:
    """The role a table column or a field label carries (``牵头单位`` → lead, ``协助单位`` →
    support, ``责任处室`` → division, ``完成时限`` → deadline …), None for other words.  With
    ``bare`` (a field label before its colon) a role word alone is one too (牵头 → lead)."""
    role = COLUMN_ROLES.get(name) or (_ROLE_MORPHEMES.get(name) if bare else None)
    if role is None and _ROLE_UNIT_RE.fullmatch(name):
        role = "division" if name.endswith(("处室", "科室")) else _ROLE_MORPHEMES[name[:2]]
    return role


@dataclass(frozen=True)
class Section:
    """A numbered provision.  ``start``/``end`` cover marker to the next marker."""

    index: int
    marker: str  # marker type
    number: str  # as printed, e.g. "(三)", "2.", "十二、"
    value: int
    depth: int
    parent: int | None
    start: int
    heading_start: int
    heading_end: int
    end: int
    heading: str

    @property
    def path(self) -> str:
        return f"s{self.index}"


@dataclass(frozen=True)
class Cell:
    column: str  # header name, e.g. "配合单位"
    role: str  # column_role of the column
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TableRow:
    """One task row of a task table."""

    index: int
    number: str
    title: str
    title_start: int
    title_end: int
    start: int
    end: int
    cells: tuple[Cell, ...]  # pipe tables: every non-empty cell; space tables: role cells found
    category: str = ""  # the row group (e.g. "(一)完善专利法规政策"), if any
    layout: str = "pipe"  # "pipe" | "spaced"
    residue: tuple[tuple[int, int], ...] = ()  # spans no column claimed (diagnostics)


@dataclass(frozen=True)
class Structure:
    sections: tuple[Section, ...]
    rows: tuple[TableRow, ...]
    table_spans: tuple[tuple[int, int], ...] = field(default=())  # regions covered by tables

    def innermost(self, pos: int) -> Section | None:
        """The deepest section containing ``pos``."""
        best = None
        for sec in self.sections:
            if sec.start <= pos < sec.end and (best is None or sec.depth >= best.depth):
                best = sec
        return best

    def children(self, index: int) -> list[Section]:
        return [s for s in self.sections if s.parent == index]

    def own_end(self, sec: Section) -> int:
        """End of a section's own text (before its first child)."""
        kids = self.children(sec.index)
        return kids[0].start if kids else sec.end


def _line_starts(text: str) -> set[int]:
    starts = {0}
    for m in re.finditer("\n", text):
        starts.add(m.end())
    return starts


# an item written as fields opens with its task's label ("1. 任务名称：开展…"): the heading follows it
_TASK_FIELD = re.compile("(?:" + "|".join(sorted((re.escape(k) for k, r in COLUMN_ROLES.items() if r == "task"),
                                                key=len, reverse=True)) + r")[ \t]*[:：][ \t]*")


# an item that opens with the body it concerns and a colon ("(一)市知识产权局：负责…"): its heading
# is what follows the colon
_BODY_LABEL = re.compile(r"[^\s:：。，,；;、()]{2,24}?(?:局|委|办|院|部|署|厅|会|室|中心|单位|小组|政府|海关|管委会)[ \t]*[:：][ \t]*")
# words ending like a body that name none ("加强…专利布局：在集成电路…领域…" is a heading and its text)
_NOT_BODY_ENDS = ("布局", "格局", "大局", "全局", "结局", "开局", "新局", "社会", "机会", "内部", "外部", "全部",
                  "局部", "干部", "举办", "创办", "承办", "开办", "主办", "督办", "大厅")


def _heading_bounds(text: str, start: int, limit: int) -> tuple[int, int]:
    while start < limit and text[start] in " \t":
        start += 1
    field = _TASK_FIELD.match(text, start, limit)
    if field is None:
        field = _BODY_LABEL.match(text, start, limit)
        if field is not None and field.group().rstrip(" \t:：").endswith(_NOT_BODY_ENDS):
            field = None
    if field and field.end() < limit and text[field.end()] != "\n":
        start = field.end()
    m = HEADING_STOP.search(text, start, min(limit, start + 80))
    end = m.start() if m else min(limit, start + 80)
    if not m:
        # no stop within 80 chars: cut at the first comma, else keep 40 chars
        c = re.compile(r"[,，]").search(text, start, end)
        end = c.start() if c else min(end, start + 40)
    return start, end


def find_sections(text: str, *, exclude: tuple[tuple[int, int], ...] = ()) -> tuple[Section, ...]:
    """Numbered provisions of ``text`` (outside the ``exclude`` spans, e.g. tables)."""
    starts = _line_starts(text)
    cands = []
    for mtype in MARKER_ORDER:
        for m in MARKERS[mtype].finditer(text):
            pos = m.start()
            if any(a <= pos < b for a, b in exclude):
                continue
            value = chinese_number(m.group("n"))
            if value is None:
                continue
            line_start = pos in starts or text[max(0, pos - 1)] in " \t" and (pos - 1) in starts
            prev = text[pos - 1] if pos else "\n"
            after_break = prev in SENTENCE_END or prev in "\n :：" or (prev == " " and pos - 1 in starts)
            cands.append((pos, m.end(), mtype, value, m.group(0).strip(), line_start, after_break))
    cands.sort(key=lambda c: (c[0], MARKER_ORDER.index(c[2])))
    accepted: list[list] = []  # [pos, end, mtype, value, printed, depth, parent]
    stack: list[tuple[str, int, int]] = []  # (mtype, value, accepted index)
    last_value: dict[str, int] = {}
    last_pos = -1
    for pos, mend, mtype, value, printed, line_start, after_break in cands:
        if pos < last_pos:
            continue
        types = [t for t, _, _ in stack]
        expected = stack[types.index(mtype)][1] + 1 if mtype in types else 1
        continuing = value == last_value.get(mtype, 0) + 1  # numbering that runs on across parents
        if not line_start:
            if mtype in LINE_ONLY:
                continue
            if value != expected and not (after_break and value == 1) and not (continuing and mtype not in types):
                continue
            if mtype == "num" and not after_break and expected == 1 and not continuing:
                continue  # a bare "1." glued to prose is too weak a signal
        if mtype in types:
            stack = stack[: types.index(mtype)]
        parent = stack[-1][2] if stack else None
        accepted.append([pos, mend, mtype, value, printed, len(stack) + 1, parent])
        last_value[mtype] = value
        stack.append((mtype, value, len(accepted) - 1))
        last_pos = mend
    sections = []
    n = len(accepted)
    for i, (pos, mend, mtype, value, printed, depth, parent) in enumerate(accepted):
        # a section ends where the next section at the same or a shallower depth begins
        end = len(text)
        for j in range(i + 1, n):
            if accepted[j][5] <= depth:
                end = accepted[j][0]
                break
        for a, b in exclude:
            if pos < a < end:
                end = a
        nxt = accepted[i + 1][0] if i + 1 < n else end
        hs, he = _heading_bounds(text, mend, min(nxt, end))
        heading = text[hs:he].strip()
        sections.append(Section(i, mtype, printed, value, depth, parent, pos, hs, he, end, heading))
    return tuple(sections)


# ---------------------------------------------------------------- tables

_PIPE_SPLIT = re.compile(r"\s*\|\s*")


def _header_columns(line: str) -> list[str] | None:
    """Column names if ``line`` is a table header (≥3 known column words, little else, one of
    them an assignment column)."""
    if not any(w in line for w in _ASSIGNMENT_UNITS):
        return None  # cheap: most lines name no unit at all (the regex scan costs ~7 µs a line)
    found = _COLUMN_RE.findall(line)
    if len(found) < 3:
        return None
    rest = _COLUMN_RE.sub("", line)
    if len(re.sub(r"[\s|]", "", rest)) > 6:
        return None
    return found


def find_pipe_tables(text: str) -> list[TableRow]:
    """Task rows of ``|``-separated tables with a recognised header row."""
    rows: list[TableRow] = []
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*", text) if m.group()]
    i = 0
    while i < len(lines):
        pos, line = lines[i]
        if "|" in line:
            cells = [c.strip() for c in _PIPE_SPLIT.split(line.strip().strip("|"))]
            roles = [column_role(c) for c in cells if c]
            known = [r for r in roles if r]
            # a header: at least three known columns, one of them an assignment column, and no more
            # other columns (备注, 完成标准 …) than known ones
            if len(known) >= 3 and len(known) * 2 >= len(roles) and any(r in ASSIGNMENT_ROLES for r in known):
                header = cells
                i += 1
                while i < len(lines):
                    rpos, rline = lines[i]
                    if "|" not in rline:
                        # a group row ("一、加强知识产权保护", a cell spanning the table) goes on to rows
                        # of the same table; anything else ends it
                        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
                        if len(rline.strip()) <= 40 and "|" in nxt and nxt.count("|") == line.count("|"):
                            i += 1
                            continue
                        break
                    row = _pipe_row(text, rpos, rline, header, len(rows))
                    if row is not None:
                        rows.append(row)
                    i += 1
                continue
        i += 1
    return rows


_RULE_ROW = re.compile(r"[\s|:：\-—–=+]*")  # a Markdown separator "|---|:--:|" or a drawn rule


def _pipe_row(text: str, pos: int, line: str, header: list[str], index: int) -> TableRow | None:
    if _RULE_ROW.fullmatch(line):
        return None
    cells = []
    col = -1 if line.lstrip().startswith("|") else 0  # "| a | b |": the first bar opens column 0
    for m in re.finditer(r"[^|]+|\|", line):
        if m.group() == "|":
            col += 1
            continue
        raw = m.group()
        stripped = raw.strip()
        if not stripped or not 0 <= col < len(header) or column_role(header[col]) is None:
            continue
        s = pos + m.start() + (len(raw) - len(raw.lstrip()))
        cells.append(Cell(header[col], column_role(header[col]), s, s + len(stripped), stripped))
    task = next((c for c in cells if c.role == "task"), None)
    if task is None:
        return None
    number = next((c.text for c in cells if c.role == "number"), "")
    m = re.match(r"\s*(\d{1,3}[.、]?|\(?[一二三四五六七八九十]+[)、])\s*", task.text)
    t_start = task.start + (m.end() if m else 0)
    if m and not number:
        number = m.group(1)
    stop = HEADING_STOP.search(text, t_start, task.end)
    t_end = stop.start() if stop else task.end
    return TableRow(index, number, text[t_start:t_end], t_start, t_end, pos, pos + len(line), tuple(cells))


# a line opening a new part of the document (一、 / 第X章), which no cell of a flattened table begins with
_TABLE_END = re.compile(rf"\s*(?:{_CN}、|第{_CN}章)")
_ROW_NUM = re.compile(r"(\d{1,3})\s*[.、．]?\s*(?=[\u4e00-\u9fff])")
_ROW_NUM_ALONE = re.compile(r"\s*(\d{1,3})\s*[.、．]?\s*$")
_CELL_STOP = re.compile(r"[。；;\n]")
# the closing lines of a notice (抄送 / 印发 / 主送 lines, "(此件公开发布)"): no table row goes on into them
_TABLE_TAIL = re.compile(r"\s*(?:抄送|主送|[(（]此件)|.{0,40}\d{1,2}日印发\s*$")
_CATEGORY = re.compile(rf"\(({_CN})\)\s*([^\s\d|]{{2,40}}?)[。.]?\s*(?=\d{{1,3}}\s*[.、]?\s*[\u4e00-\u9fff]|$)", re.M)


def find_spaced_tables(text: str, header_re=None) -> tuple[list[tuple[int, int, list[str]]], list[dict]]:
    """Flattened tables with space-separated cells.

    Returns the header spans with their columns, and raw rows as dicts with the
    row number, the title span, the row span and the row group (category).
    Role cells are found later, by the extractor that knows what an agency is.
    """
    headers: list[tuple[int, int, list[str]]] = []
    # a header may be broken over up to 4 lines ("执行\n部门 配合\n单位")
    line_iter = list(re.finditer(r"[^\n]+", text))
    k = 0
    while k < len(line_iter):
        found = None
        for span in range(1, 5):
            if k + span > len(line_iter):
                break
            a, b = line_iter[k].start(), line_iter[k + span - 1].end()
            if "|" in text[a:b]:
                break
            joined = re.sub(r"\n", "", text[a:b])
            cols = _header_columns(joined)
            if cols and any(column_role(c) in ASSIGNMENT_ROLES for c in cols):
                # prefer the span whose join yields the most columns
                found = (a, b, cols, span)
                if len(cols) >= 5 or span == 4:
                    break
                nxt = _header_columns(re.sub(r"\n", "", text[a:line_iter[min(k + span, len(line_iter) - 1)].end()]))
                if not nxt or len(nxt) <= len(cols):
                    break
        if found:
            headers.append(found[:3])
            k += found[3]
        else:
            k += 1
    if not headers:
        return [], []
    columns = headers[0][2]
    rows: list[dict] = []
    last_number = -1
    category = ""
    lines = [m for m in line_iter if m.start() >= headers[0][0]]
    header_spans = [(a, b) for a, b, _ in headers]
    pending_row = False
    groups: list[tuple[int, int]] = []
    for i, m in enumerate(lines):
        a, b = m.start(), m.end()
        if any(ha <= a < hb for ha, hb in header_spans):
            continue
        line = m.group()
        if rows and _TABLE_TAIL.match(line):
            break  # the closing lines of a document (抄送：…, …印发): the table has ended
        if not rows and _TABLE_END.match(line) and not _ROW_NUM.match(line):
            # a row group headed like a part ("一、强化知识产权创造") right under the header
            category = line.strip()
            pending_row = True
            groups.append((a, b))
            continue
        if rows and _TABLE_END.match(line):
            nxt = lines[i + 1].group() if i + 1 < len(lines) else ""
            nm = _ROW_NUM_ALONE.match(nxt) or _ROW_NUM.match(nxt)
            if not (nm and int(nm.group(1)) == last_number + 1):
                break  # the document's next part ("四、保障措施"): the table has ended
            # a row group headed like a part ("二、水污染防治") that the next row continues
            category = line.strip()
            pending_row = True
            groups.append((a, b))
            continue
        cat = _CATEGORY.match(line)
        body_at = a
        if cat:
            category = cat.group(0).strip()
            pending_row = True
            body_at = a + cat.end()
            if body_at >= b:
                continue
        rm = _ROW_NUM.match(text, body_at)
        is_row = False
        if rm:
            num = int(rm.group(1))
            if pending_row and num >= last_number:
                is_row = True
            elif num == (last_number + 1 if last_number >= 0 else 1) and body_at == a and \
                    (not category or _ROW_NUM_ALONE.match(line) or len(line.split()) >= 3):
                # rows numbered 1, 2, 3 … at line starts, in a table without group rows, pasted
                # cell by cell (the number alone on its line), or numbered on across its groups with
                # the row's cells on its first line ("7 促进专利转化运用，… 市科技局、 市教育局、 2025年12月底")
                is_row = True
        if is_row:
            num = int(rm.group(1))
            t_start = rm.end()
            if t_start > b:
                # the number alone on its line (a table pasted cell by cell): the title is the
                # next line's text up to its first sentence break
                stop = _CELL_STOP.search(text, t_start)
                t_end = stop.start() if stop else len(text)
            else:
                sep = re.compile(r"\s|。").search(text, t_start, b)
                t_end = sep.start() if sep else b
            if num == last_number and rows and rows[-1]["number"] == str(num):
                rows[-1]["spans"].append((a, b))
            else:
                rows.append({"number": str(num), "title": (t_start, t_end), "spans": [*groups, (a, b)],
                             "category": category})
                groups = []
            last_number = num
            pending_row = False
        elif rows:
            rows[-1]["spans"].append((a, b))
    return [(a, b, c) for a, b, c in headers], [dict(r, columns=columns) for r in rows]
