"""Targets: quantified goals with indicator, normalised value, unit, year and comparator."""
from __future__ import annotations

import re

from policykg.builders.extract.records import TargetRecord

MAGNITUDE = {"万亿": 10**12, "亿": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
# where two units share a first character the longer comes first (场次 before 场); a magnitude
# before the unit goes into the value (12亿美元: 1200000000 美元, 900万标箱: 9000000 标箱)
UNITS = ("件|个工作日|个月|个百分点|个|百分点|家次|家|人次|人|项次|项|次|场次|场|届|轮|美元|欧元|港元|元|亩|种|期|名|所|%|倍"
         "|户次|户|批次|批|座|条|台|篇|本|吨|平方公里|平方米|立方米|公里|公顷|公斤|千瓦时|千瓦|兆瓦|标箱|列|辆|艘|架|张|套|床"
         "|分(?!钟|之|类|别|析|工|布|区)|起(?!草|诉|步|点|到|来)|天|小时")
TARGET = re.compile(
    rf"(?P<cmp1>达到|超过|突破|不低于|不少于|提高到|提升到|增长到|增加到|保持在|力争|争取|培育|新增|累计)?"
    rf"(?<![\d.\-–~—])(?P<num>\d+(?:\.\d+)?)(?:\s*(?:[-–~—]|至|到)\s*(?P<num2>\d+(?:\.\d+)?))?\s*(?P<mag>万亿|亿|千万|百万|万|千)?\s*(?P<unit>{UNITS})(?![\u4e00-\u9fff]?[年月日])"
    rf"(?P<cmp2>以上|左右|以内|以下)?"
)
YEAR_CTX = re.compile(r"到\s*((?:19|20)\d{2})\s*年")
# a clause that opens with its year ("…，2025年全省查办…案件1200件以上", "力争2024年全区新增…"): that year,
# for the rest of the sentence
# (after a point's own number: "2.2023年全州…突破3亿元")
SENTENCE_YEAR = re.compile(r"\s*(?:\d{1,2}[.、]\s*(?=(?:19|20)\d{2}\s*年)|\(\d{1,2}\)\s*)?(?:力争|争取|确保)?"
                           r"((?:19|20)\d{2})\s*年(?![\d月底末内度])")
SENTENCE_START = re.compile(r"[。；;！!？?\n]")
CLAUSE_START = re.compile(r"[。；;！!？?\n，,]")
INDICATOR_BREAK = re.compile(r"[，。；：,;:、！!？?\n]")
GRANT_RATE = re.compile(r"(?:资助|奖励|补助|补贴|奖补)(?:标准)?(?:为|最高|不超过)?$|^每[\u4e00-\u9fff]{1,3}(?:资助|奖励|补助|补贴|奖补)"
                        r"|给予[^,，。；]{0,12}(?:资助|奖励|补助|补贴|奖补)")
# the comparison verb that may close an indicator before its number ("…拥有量达到")
CMP_VERB_END = re.compile(r"(?:达到|超过|突破|不低于|不少于|提高到|提升到|增长到|增加到|保持在)$")
LEAD_WORDS = re.compile(r"^(?:全市|全区|全省|全县|我市|我区|其中|使|并|和|及)")


def parse_value(num: str, mag: str | None) -> float:
    value = float(num) * (MAGNITUDE[mag] if mag else 1)
    return int(value) if value == int(value) else value


# an indicator table (as the readers flatten tables: one row a line, cells between " | "): a header
# naming year columns ("2025年", "2025年目标值"), the others' rows an indicator, maybe its unit, and
# a value per year.  A column of the base year or of actual figures is no goal.
YEAR_COLUMN = re.compile(r"((?:19|20)\d{2})\s*年?(?:底|末)?\s*(?:[(（]?(?:目标|预期|规划)值?[)）]?)?")
UNIT_COLUMN = re.compile(r"(?:计量)?单位")
NUMBER_COLUMN = re.compile(r"序号|编号|[Nn]o\.?")
INDICATOR_COLUMN = re.compile(r"指标|名称|内容|项目")
CELL_VALUE = re.compile(rf"(?P<cmp1>[≥>≤<]|不低于|不少于|达到|超过)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<mag>万亿|亿|千万|百万|万|千)?\s*(?P<unit>{UNITS})?\s*(?P<cmp2>以上|左右|以内|以下)?")
UNIT_CELL = re.compile(rf"(?P<mag>万亿|亿|千万|百万|万|千)?(?P<unit>{UNITS}|[\u4e00-\u9fff%‰/]{{1,6}})")
CMP_SIGNS = {"≥": "不低于", ">": "超过", "≤": "不超过", "<": "低于"}


def pipe_cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """The cells of a flattened table's line ("a | b | c"): (text, start, end), offsets from ``offset``."""
    out, pos = [], 0
    for part in line.split("|"):
        stripped = part.strip()
        start = offset + pos + (part.find(stripped) if stripped else 0)
        out.append((stripped, start, start + len(stripped)))
        pos += len(part) + 1
    return out


def table_targets(text: str, base_before: int | None = None) -> tuple[list[TargetRecord], list[tuple[int, int]]]:
    """Targets of indicator tables in ``text``, and the spans of the rows they were read from.

    A header row has at least one year column that is not a base year's (a header cell marked
    基期/现状/实际…, or a year before ``base_before``, the document's own year); each following row
    of as many cells gives its indicator (the indicator column, else the first that is not a
    number) one target per year column holding a number.  The unit comes from a unit column
    ("亿元": the magnitude goes into the value) or from the value's cell ("1500件")."""
    out: list[TargetRecord] = []
    spans: list[tuple[int, int]] = []
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((line, pos))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        line, off = lines[i]
        i += 1
        if line.count("|") < 2:
            continue
        head = pipe_cells(line, off)
        years = {}
        for j, (cell, _, _) in enumerate(head):
            ym = YEAR_COLUMN.fullmatch(cell)
            if ym:  # "2023年（基期）", "2023年实际" are no year columns: the pattern allows only 目标/预期/规划
                year = int(ym.group(1))
                if base_before is None or year >= base_before:
                    years[j] = year
        if not years:
            continue
        unit_col = next((j for j, (c, _, _) in enumerate(head) if UNIT_COLUMN.fullmatch(c)), None)
        # the last column naming indicators (一级指标 | 二级指标: the second names them)
        ind_col = next((j for j, (c, _, _) in reversed(list(enumerate(head)))
                        if INDICATOR_COLUMN.search(c) and j not in years and j != unit_col), None)
        if ind_col is None:
            ind_col = next((j for j, (c, _, _) in enumerate(head)
                            if c and j not in years and j != unit_col and not NUMBER_COLUMN.fullmatch(c)), None)
        if ind_col is None or ind_col in years:
            continue
        while i < len(lines) and lines[i][0].count("|") == line.count("|"):
            row = pipe_cells(*lines[i])
            i += 1
            indicator = re.sub(r"\s+", "", row[ind_col][0])
            if not re.search(r"[\u4e00-\u9fff]", indicator):
                continue
            unit_cell = row[unit_col][0].strip("()（）") if unit_col is not None else ""
            # a unit as it stands (千瓦, 千瓦时), else a magnitude and a unit (亿元, 万件)
            mag_unit = (re.fullmatch(rf"(?P<mag>)(?P<unit>{UNITS})", unit_cell) or UNIT_CELL.fullmatch(unit_cell)) if unit_cell else None
            found = False
            for j, year in years.items():
                cell, cs, ce = row[j]
                m = CELL_VALUE.fullmatch(cell)
                if cell and m is None:
                    # a year's cell of several goals ("知识产权质押融资额20亿元；有效发明专利300件"): each
                    # item is its own indicator and value, for the column's year
                    for item in re.finditer(r"[^；;，,、]+", cell):
                        tm = TARGET.search(item.group())
                        if tm is None or not tm.group("unit"):
                            continue
                        name = CMP_VERB_END.sub("", item.group()[:tm.start()].strip())
                        name = re.sub(r"^(?:约|新增|力争|累计|争取|预计|全年|年均)+", "", name)
                        if len(re.findall(r"[\u4e00-\u9fff]", name)) < 2:
                            name = indicator  # "约20亿元": the row's indicator names it
                        comparator = (tm.group("cmp2") or tm.group("cmp1") or "").strip()
                        out.append(TargetRecord(name, parse_value(tm.group("num"), tm.group("mag")), tm.group("unit"), year,
                                                comparator, cs + item.start(), cs + item.start() + tm.end(), None))
                        found = True
                    continue
                if not cell:
                    continue
                mag, unit = m.group("mag"), m.group("unit")
                if unit is None and mag_unit is not None:
                    unit = mag_unit.group("unit")
                    mag = mag or mag_unit.group("mag") or None
                if unit is None:
                    continue
                comparator = CMP_SIGNS.get(m.group("cmp1") or "", m.group("cmp1") or "") or (m.group("cmp2") or "")
                out.append(TargetRecord(indicator, parse_value(m.group("num"), mag), unit, year, comparator,
                                        row[ind_col][1], ce, None))
                found = True
            if found:
                spans.append((row[0][1], row[-1][2]))
    return out, spans


def extract_targets(text: str, section_bounds, skip: list[tuple[int, int]] = (), base_before: int | None = None) -> list[TargetRecord]:
    """Targets in ``text``; ``section_bounds(pos)`` gives the top-level section span holding pos;
    ``base_before``: the document's year (a table's column of an earlier year holds base values)."""
    out, rows = table_targets(text, base_before)
    skip = [*skip, *rows]
    for m in TARGET.finditer(text):
        s = m.start("num")
        if any(a <= s < b for a, b in skip):
            continue
        before = text[max(0, s - 2):s]
        if before.endswith("第") or re.search(r"\d\s*[-–~—]\s*$", text[max(0, s - 3):s]):
            continue
        after = text[m.end():m.end() + 2]
        if after.startswith(("年", "月", "季度", "日")):
            continue
        k = m.start()
        lo = max(0, k - 40)
        while k > lo and not INDICATOR_BREAK.match(text[k - 1]):
            k -= 1
        indicator = text[k:m.start()].strip()
        indicator = CMP_VERB_END.sub("", indicator)
        indicator = LEAD_WORDS.sub("", indicator)
        if m.group("unit") == "元" and GRANT_RATE.search(indicator):
            continue  # a grant's rate ("每件资助3000元", "给予一次性奖励10万元") is a standard, not a goal
        comparator = (m.group("cmp2") or m.group("cmp1") or "").strip()
        value = parse_value(m.group("num"), m.group("mag"))
        upper = parse_value(m.group("num2"), m.group("mag")) if m.group("num2") else None
        if upper is not None and upper <= value:
            upper = None
        year = None
        sec_start, _ = section_bounds(s)
        for ym in YEAR_CTX.finditer(text, sec_start, s):
            year = int(ym.group(1))
        # the last clause of the sentence so far that opens with a year
        j = s
        while j > sec_start and not SENTENCE_START.match(text[j - 1]):
            j -= 1
        for k in [j] + [c.end() for c in CLAUSE_START.finditer(text, j, s)]:
            sy = SENTENCE_YEAR.match(text, k, s)
            if sy:
                year = int(sy.group(1))
        out.append(TargetRecord(indicator, value, m.group("unit"), year, comparator, k, m.end(), None, upper))
    return sorted(out, key=lambda t: (t.start, t.end))
