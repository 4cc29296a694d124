"""Normalise the raw text of a policy document, keeping an exact offset map.

The one public function, :func:`normalise`, turns the raw decoded text of a
document into a :class:`~policykg.builders.model.NormalisedText`: clean,
simplified-script text plus, for every normalised character, the raw
``[start, end)`` it came from.

What it does, in the order it is done here:

1. **Line endings and invisible debris**: ``\\r\\n`` -> ``\\n``; a lone ``\\r``
   and the other line separators (form feed, U+2028, ...) -> ``\\n``;
   zero-width spaces, BOMs and soft hyphens are dropped.
2. **NFKC**, character by character (full-width forms -> ASCII, ``①`` -> ``1``,
   ``㈠`` -> ``(一)``, Kangxi radicals -> ideographs, ideographic space -> space).
   A character that NFKC expands maps every produced character to itself.
3. **Traditional -> simplified** with OpenCC ``t2s``, only when the document is
   traditional (more than 3 % of its Han characters change), line by line; a
   line whose length OpenCC changes is converted character by character so the
   map stays 1:1.  ``script`` is then ``"traditional"``.
4. **Web-page chrome**: font-size / print / close / share / "scan to read on
   your phone" / error-report / editor lines, language switches, bare URLs,
   "来源: 作者: 时间: 阅读数:" bylines, and a trailing block of site furniture
   (biographies, contact bullets, "点击进入免费咨询>>", copyright lines...).
   A removed line disappears together with its newline.
5. **PDF page debris**: a running header (the same short line opening two or more pages, right
   after their page numbers); lines that are only a page number (``- 3 -``, ``—3—``,
   ``第3页``, ``3/12``, ``3``) and per-page counters ``N、`` opening each page
   line (detected as a run of >= 3 consecutive numbers whose page breaks mostly
   fall mid-sentence, after long lines, so that a real numbered list or a
   list of headings is left alone); when the break is mid-sentence the two
   halves are rejoined, and a lone page number right after the counter goes
   too.  In a table document a line holding only a bare number is kept (it
   may be a cell).  Then, in a hard-wrapped text (most lines as wide as the
   widest usual line, at most 45 Chinese characters), the newline after a
   full line is removed unless the line ends a sentence or the next line
   opens a numbered part: "省\n知识产权局" is one name again.
6. **Spaces**: whitespace runs between Han characters, and between a Han
   character and CJK punctuation or a digit, are removed (PDF / web extraction
   debris) -- unless the document is a flattened table (it has a column-header
   line such as ``工作措施 工作目标 具体措施 ...``), where spaces separate cells and
   runs are only collapsed to one space.  Leading and trailing spaces of every
   line are stripped, runs of blank lines are collapsed to one blank line and
   blank lines at the start and end of the document are dropped.

Detection of chrome and table headers looks at the t2s-converted text, so it
also works for a traditional page that falls below the conversion threshold.

The implementation works on numpy arrays of code points and offsets (no
per-character Python objects), at about 20 MB of text per CPU-second.
Regular expressions, the OpenCC converter and the character table are built
on first use, not at import.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from array import array

import numpy as np

from .model import NormalisedText

__all__ = ["normalise"]

# --------------------------------------------------------------------------
# character classes (bit flags in a lookup table indexed by code point)
# --------------------------------------------------------------------------
_HAN = 1  # Han ideographs (and 〇 々)
_CJKP = 2  # CJK punctuation: 、。《》「」【】“”‘’…—·
_ASCP = 4  # ASCII punctuation that full-width forms become: , . ; : ! ? ( ) [ ] %
_DIG = 8  # ASCII digits
_HWS = 16  # horizontal whitespace (everything .isspace() but the newline)
_STABLE = 32  # known to be unchanged by NFKC (fast path)
_EOL = 64  # "\r" and the other line separators that become "\n"
_INVISIBLE = 128  # zero-width space, BOM, soft hyphen: dropped

_MAXCP = 0x110000
_LF = 10

_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
    (0x3005, 0x3005),
    (0x3007, 0x3007),
)
_CJKP_RANGES = (
    (0x3001, 0x3003),
    (0x3008, 0x3011),
    (0x3014, 0x301F),
    (0x2018, 0x201F),
    (0x2014, 0x2015),
    (0x2026, 0x2026),
    (0x00B7, 0x00B7),
    (0x2022, 0x2022),
    (0x2236, 0x2236),
    (0x2E3A, 0x2E3B),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE4F),
    (0xFF5F, 0xFF65),
)
_ASCP_CHARS = ",.;:!?()[]%"
# whitespace other than the line separators turned into "\n" in step 1
_HWS_CPS = (
    (0x09, 0x09),
    (0x1C, 0x1F),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
)
# code points NFKC leaves alone (checked in the tests): the bulk of a Chinese text
_STABLE_RANGES = (
    (0x09, 0x0A),
    (0x20, 0x7E),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x3001, 0x3002),
    (0x3008, 0x3011),
    (0x2018, 0x2019),
    (0x201C, 0x201D),
    (0x2014, 0x2014),
)

# line separators that become "\n" (besides "\r"), and invisible debris dropped
_TO_LF = (0x0B, 0x0C, 0x85, 0x2028, 0x2029)
_DROP = (0x200B, 0x2060, 0xFEFF, 0x00AD)

# traditional / variant forms that some OpenCC versions keep (applied only to a
# document detected as traditional; all 1:1)
_T2S_SUPPLEMENT = {
    "産": "产",
    "淸": "清",
    "靑": "青",
    "値": "值",
    "硏": "研",
    "吿": "告",
    "衞": "卫",
    "鬭": "斗",
}
_TRADITIONAL_SHARE = 0.03

_IDX = np.int64 if array("l").itemsize == 8 else np.int32


@functools.lru_cache(maxsize=1)
def _flags() -> np.ndarray:
    """Read-only uint8 table of the class bits above, indexed by code point."""
    t = np.zeros(_MAXCP, dtype=np.uint8)
    for ranges, bit in (
        (_HAN_RANGES, _HAN),
        (_CJKP_RANGES, _CJKP),
        (_HWS_CPS, _HWS),
        (_STABLE_RANGES, _STABLE),
    ):
        for lo, hi in ranges:
            t[lo : hi + 1] |= bit
    for c in _ASCP_CHARS:
        t[ord(c)] |= _ASCP
    t[[13, *_TO_LF]] |= _EOL
    t[list(_DROP)] |= _INVISIBLE
    t[ord("0") : ord("9") + 1] |= _DIG
    t.setflags(write=False)
    return t


@functools.lru_cache(maxsize=1)
def _t2s_converter():
    """The OpenCC traditional -> simplified converter (created on first use)."""
    import opencc

    last_error: Exception | None = None
    for config in ("t2s", "t2s.json"):  # the config name differs across versions
        try:
            return opencc.OpenCC(config)
        except Exception as exc:  # noqa: BLE001 - try the other spelling
            last_error = exc
    raise RuntimeError(f"cannot create an OpenCC t2s converter: {last_error}")


# --------------------------------------------------------------------------
# the working buffer: code points + raw offsets, with the text decoded lazily
# --------------------------------------------------------------------------
def _encode(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _decode(cp: np.ndarray) -> str:
    return np.ascontiguousarray(cp, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


class _Buf:
    """Normalised-so-far text as code points, with raw [start, end) per code point."""

    __slots__ = ("cp", "st", "en", "_s")

    def __init__(self, cp: np.ndarray, st: np.ndarray, en: np.ndarray, s: str | None = None):
        self.cp, self.st, self.en, self._s = cp, st, en, s

    @property
    def s(self) -> str:
        if self._s is None:
            self._s = _decode(self.cp)
        return self._s

    def __len__(self) -> int:
        return len(self.cp)

    def drop(self, mask: np.ndarray) -> None:
        """Remove the code points where ``mask`` is true."""
        if mask.any():
            keep = ~mask
            self.cp, self.st, self.en = self.cp[keep], self.st[keep], self.en[keep]
            self._s = None

    def drop_spans(self, spans) -> None:
        """Remove the half-open ``[a, b)`` spans (may overlap) of the current text."""
        if spans:
            self.drop(_span_mask(len(self.cp), spans))

    def set_cp(self, positions: np.ndarray, values) -> None:
        """Replace code points 1:1 (the offsets stay)."""
        if len(positions):
            cp = self.cp.copy()
            cp[positions] = values
            self.cp, self._s = cp, None


def _span_mask(n: int, spans) -> np.ndarray:
    a = np.fromiter((x for x, _ in spans), dtype=np.int64, count=len(spans))
    b = np.fromiter((y for _, y in spans), dtype=np.int64, count=len(spans))
    return _span_mask_arrays(n, a, b)


def _span_mask_arrays(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Boolean mask of length ``n``, true inside any of the spans ``[a[k], b[k])``."""
    b = np.minimum(b, n)
    ok = b > a
    a, b = a[ok], b[ok]
    mask = np.zeros(n, dtype=bool)
    if a.size:
        lengths = b - a
        # every index inside a span, in O(total span length)
        offsets = np.repeat(a - (np.cumsum(lengths) - lengths), lengths)
        mask[offsets + np.arange(int(lengths.sum()))] = True
    return mask


# --------------------------------------------------------------------------
# step 1a: line endings and invisible characters
# --------------------------------------------------------------------------
def _line_endings(buf: _Buf) -> None:
    cp = buf.cp
    if len(cp) == 0:
        return
    f = _flags()[cp]
    special = np.flatnonzero(f & (_EOL | _INVISIBLE))
    if special.size == 0:
        return
    drop = np.zeros(len(cp), dtype=bool)
    drop[special[(f[special] & _INVISIBLE) != 0]] = True
    eol = special[(f[special] & _EOL) != 0]
    # "\r\n" -> drop the "\r"; any other separator -> "\n"
    nxt = np.minimum(eol + 1, len(cp) - 1)
    crlf = (cp[eol] == 13) & (eol + 1 < len(cp)) & (cp[nxt] == _LF)
    drop[eol[crlf]] = True
    buf.set_cp(eol[~crlf], _LF)
    buf.drop(drop)


# --------------------------------------------------------------------------
# step 2: NFKC, per character
# --------------------------------------------------------------------------
def _nfkc(buf: _Buf) -> None:
    cp = buf.cp
    if len(cp) == 0:
        return
    flags = _flags()
    idx = np.flatnonzero((flags[cp] & _STABLE) == 0)
    if idx.size == 0:
        return
    uniq, inv = np.unique(cp[idx], return_inverse=True)
    outs = [unicodedata.normalize("NFKC", chr(int(u))) for u in uniq]
    changed_u = np.fromiter((o != chr(int(u)) for o, u in zip(outs, uniq)), dtype=bool, count=len(uniq))
    if not changed_u.any():
        return
    sel = changed_u[inv]
    pos = idx[sel]  # positions of changed characters
    upos = inv[sel]  # their index into uniq
    lens_u = np.fromiter((len(o) for o in outs), dtype=np.int64, count=len(outs))
    if np.all(lens_u[changed_u] == 1):
        single = np.fromiter((ord(o) if len(o) == 1 else 0 for o in outs), dtype=np.uint32, count=len(outs))
        buf.set_cp(pos, single[upos])
        return
    # some characters expand (or vanish): rebuild with np.repeat
    out_len = np.ones(len(cp), dtype=np.int64)
    out_len[pos] = lens_u[upos]
    src = np.repeat(np.arange(len(cp)), out_len)
    new_cp = cp[src].copy()
    first = np.cumsum(out_len) - out_len  # output index of each source character
    order = np.argsort(upos, kind="stable")
    bounds = np.flatnonzero(np.diff(upos[order])) + 1
    for group in np.split(order, bounds):
        if group.size == 0:
            continue
        o = outs[int(upos[group[0]])]
        starts = first[pos[group]]
        for j, ch in enumerate(o):
            new_cp[starts + j] = ord(ch)
    buf.cp, buf.st, buf.en, buf._s = new_cp, buf.st[src], buf.en[src], None


# --------------------------------------------------------------------------
# step 3: traditional -> simplified
# --------------------------------------------------------------------------
def _t2s_text(s: str, cp: np.ndarray) -> tuple[str, np.ndarray]:
    """``s`` (code points ``cp``) converted by OpenCC t2s, same length and line breaks.

    Returns the converted text and its code points.
    """
    conv = _t2s_converter()
    out = conv.convert(s)
    out_cp = _encode(out)
    if len(out_cp) == len(cp) and np.array_equal(out_cp == _LF, cp == _LF):
        return out, out_cp  # every line kept its length
    lines_in = s.split("\n")
    lines_out = out.split("\n")
    if len(lines_out) != len(lines_in):  # OpenCC touched a line break (never seen)
        lines_out = [conv.convert(line) for line in lines_in]
    for i, (a, b) in enumerate(zip(lines_in, lines_out)):
        if len(a) != len(b):  # a phrase changed the length: go character by character
            chars = []
            for ch in a:
                c2 = conv.convert(ch)
                chars.append(c2 if len(c2) == 1 else ch)
            lines_out[i] = "".join(chars)
    out = "\n".join(lines_out)
    return out, _encode(out)


def _t2s(buf: _Buf) -> tuple[str, bool]:
    """Convert ``buf`` to simplified if it is traditional.

    Returns the t2s-converted text (aligned 1:1 with ``buf`` after the call,
    used for detecting chrome and table headers) and whether it was converted.
    """
    s = buf.s
    flags = _flags()
    han = (flags[buf.cp] & _HAN) != 0
    n_han = int(han.sum())
    if n_han == 0:
        return s, False
    conv, conv_cp = _t2s_text(s, buf.cp)
    changed = int(np.count_nonzero((conv_cp != buf.cp) & han))
    if changed <= _TRADITIONAL_SHARE * n_han:
        return conv, False
    extra = np.fromiter(map(ord, _T2S_SUPPLEMENT), dtype=np.uint32, count=len(_T2S_SUPPLEMENT))
    hits = np.flatnonzero(np.isin(conv_cp, extra))
    if hits.size:
        conv_cp = conv_cp.copy()
        table = {ord(a): ord(b) for a, b in _T2S_SUPPLEMENT.items()}
        conv_cp[hits] = [table[int(c)] for c in conv_cp[hits]]
        conv = _decode(conv_cp)
    buf.cp, buf._s = conv_cp, conv
    return conv, True


# --------------------------------------------------------------------------
# regular expressions, compiled on first use (nothing is compiled at import)
# --------------------------------------------------------------------------
_compile = functools.lru_cache(maxsize=None)(re.compile)


class _LazyRe:
    """A regular expression compiled on first use; behaves like ``re.Pattern``."""

    __slots__ = ("pattern",)

    def __init__(self, pattern: str):
        self.pattern = pattern

    def __getattr__(self, name: str):
        return getattr(_compile(self.pattern), name)


# --------------------------------------------------------------------------
# step 4: web-page chrome
# --------------------------------------------------------------------------
_H = r"[^\S\n]*"  # optional horizontal whitespace
_SEP = r"[\s|/·•:\[\]【】()<>«»_\-]"
_FURN = (
    r"打印本页|打印此页|打印文章|打印|关闭本页|关闭窗口|关闭|分享到|分享|加入收藏|收藏本页|收藏|"
    r"我要纠错|纠错|返回顶部|返回首页|返回|顶部|上一篇|下一篇|保存本页|保存|无障碍浏览|无障碍|"
    r"扫一扫在手机打开当前页|字号|默认|繁体|简体|繁體"
)
_SIZE = r"超大|特大|大|中|小|标准|默认|放大|缩小|加大|减小|A\+|A-|A"
_LANG = r"EN|English|ENGLISH|English Version|中文版|中文|繁体|简体|繁體|簡體|简|繁"
_DATETIME = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"

_CHROME_LINE_RES = tuple(
    _LazyRe(p)
    for p in (
        rf"(?:{_SEP}*(?:{_FURN}))+{_SEP}*",  # 【打印】【关闭】, 打印本页 关闭窗口, 分享到
        rf"{_SEP}*字号{_SEP}*(?:(?:{_SIZE}|{_FURN}){_SEP}*)*",  # 字号: 默认 超大 | 打印 |
        rf"(?:{_SEP}|{_FURN})*(?:责任编辑|编辑|责编|校对)\s*:\s*[^。,;:\s]{{1,12}}(?:\s+[^。,;:\s]{{1,12}}){{0,3}}{_SEP}*",
        r"[^。]{0,12}扫一扫[^。]{0,24}",  # 扫一扫在手机打开当前页
        r"分享到[^。]{0,40}",
        r"(?:https?://|www\.)\S*",  # a bare URL
        r"(?:当前位置|您当前的位置|您的位置|当前位置是)\s*:.{0,80}",  # breadcrumbs
    )
)
_CHROME_TRIGGER = _LazyRe(
    r"字号|打印|关闭|纠错|编辑|责编|校对|扫一扫|分享|收藏|返回|顶部|上一篇|下一篇|保存|"
    r"https?://|www\.|来源|作者|阅读|浏览|点击|访问|无障碍|默认|位置"
)
# a language switch alone on its line: "EN", "English | 中文", "繁体"
_LANG_LINE = _LazyRe(rf"\n{_H}(?:{_LANG})(?:{_H}[|/]?{_H}(?:{_LANG}))*{_H}(?=\n)")
_BYLINE_LABEL = _LazyRe(
    r"(信息来源|文章来源|来源|作者|发布时间|发布日期|更新时间|时间|日期|阅读数|阅读次数|阅读量|浏览次数|"
    r"浏览量|点击数|点击量|点击率|访问量|访问次数|字号|责任编辑|编辑)\s*:"
)
_COUNTER_LABELS = frozenset({"阅读数", "阅读次数", "阅读量", "浏览次数", "浏览量", "点击数", "点击量", "点击率", "访问量", "访问次数"})
# labels that also open lines of a notice's content ("时间:5月1日 地点:...")
_TIME_LABELS = frozenset({"时间", "日期", "发布时间", "发布日期", "更新时间"})
_SOURCE_LINE = _LazyRe(rf"(?:{_DATETIME}\s*)?(?:信息|文章)?来源\s*:")
_MAX_CHROME_LEN = 160


def _is_chrome_line(line: str) -> bool:
    """Whether one stripped line (simplified, NFKC) is web-page chrome."""
    if not line or len(line) > _MAX_CHROME_LEN:
        return False
    for rx in _CHROME_LINE_RES:
        if rx.fullmatch(line):
            return True
    if "。" in line:
        return False
    labels = {m.group(1) for m in _BYLINE_LABEL.finditer(line)}
    if len(labels) >= 2 and labels - _TIME_LABELS:  # 来源:... 作者: 时间:... 阅读数:
        return True
    if len(labels) == 1 and len(line) <= 60:
        (label,) = labels
        if label in _COUNTER_LABELS:
            return True
        if _SOURCE_LINE.match(line):  # "2016-11-13 07:10 来源: 某网站"
            return True
    return False


# trailing furniture: a block at the very end of the document that starts with
# an unmistakable furniture line and contains only furniture-like lines
_TRAILER_STRONG = _LazyRe(
    r"个人简介|点击进入|点击查看|点击咨询|免费咨询|>>|版权所有|版权声明|Copyright|COPYRIGHT|©|ICP备|ICP证|"
    r"公网安备|网站标识码|网站地图|联系我们|关于我们|相关链接|相关文章|相关阅读|相关新闻|相关信息|"
    r"上一篇|下一篇|返回顶部|分享到|扫一扫|责任编辑|我要纠错|打印本页|关闭窗口|主办单位|承办单位|"
    r"技术支持|友情链接|网站声明|免责声明|隐私政策"
)
_TRAILER_WEAK = _LazyRe(
    r"[-•·*●◆■▪]\s*\S|"  # a bullet line
    r"(?:地址|电话|传真|邮编|邮箱|电子邮箱|电子邮件|e-?mail|E-?mail|EMAIL|联系人|联系电话|通讯处|通讯地址|网址|Zip|QQ|微信)\s*:|"
    r".*[\w.+-]+@[\w-]+\.[\w.]+"  # an e-mail address
)
_SENTENCE_PUNCT = _LazyRe(r"[。;!?]")
_TRAILER_MAX_LINES = 120


def _trailer_start(s: str) -> int | None:
    """Start of a trailing block of site furniture, or None.

    Walking up from the end, the block may contain furniture lines (strong:
    "版权所有", "点击进入...>>", "个人简介", chrome lines...), furniture-like lines
    (weak: bullets, "地址:" / "邮箱:" contact lines, e-mail addresses) and,
    between those, short lines without sentence punctuation.  It must end with
    a strong or weak line, start with a strong one, and have document content
    above it.
    """
    end = len(s)
    top = None
    seen = 0
    while end > 0 and seen < _TRAILER_MAX_LINES:
        start = s.rfind("\n", 0, end) + 1
        line = s[start:end].strip()
        if line:
            short = len(line) <= 80 and "。" not in line
            if short and (_TRAILER_STRONG.search(line) or _is_chrome_line(line)):
                top = start
            elif short and _TRAILER_WEAK.match(line):
                pass
            elif seen and len(line) <= 30 and not _SENTENCE_PUNCT.search(line):
                pass  # e.g. a name between two furniture lines
            else:
                return top if seen else None
            seen += 1
        if start == 0:
            return None  # no document content above: not a trailer
        end = start - 1
    return None


def _chrome_spans(det: str) -> list[tuple[int, int]]:
    """Spans of chrome lines (each with one adjacent newline) in ``det``."""
    spans: list[tuple[int, int]] = []
    n = len(det)
    seen_lines: set[int] = set()
    for m in _CHROME_TRIGGER.finditer(det):
        a = det.rfind("\n", 0, m.start()) + 1
        if a in seen_lines:
            continue
        seen_lines.add(a)
        b = det.find("\n", m.start())
        if b < 0:
            b = n
        if b - a > _MAX_CHROME_LEN + 40:
            continue
        if _is_chrome_line(det[a:b].strip()):
            spans.append(_line_span(a, b, n))
    for m in _LANG_LINE.finditer("\n" + det + "\n"):
        spans.append(_line_span(m.start(), m.end() - 1, n))
    top = _trailer_start(det)
    if top is not None:
        spans.append((top - 1 if top > 0 else 0, n))
    return spans


def _line_span(a: int, b: int, n: int) -> tuple[int, int]:
    """The line ``[a, b)`` plus one of its newlines (the following one, else the preceding one)."""
    if b < n:
        return a, b + 1
    return (a - 1 if a > 0 else a), b


# --------------------------------------------------------------------------
# table documents: a column-header line with >= 3 known header words
# --------------------------------------------------------------------------
_HEADER_WORDS = (
    "工作措施", "工作目标", "具体措施", "进度安排", "执行部门", "牵头单位", "配合单位", "协办单位",
    "责任单位", "责任部门", "责任处室", "完成时限", "序号", "主要任务", "工作任务", "牵头部门",
    "配合部门", "协办部门", "完成时间", "时间节点", "时间安排", "工作内容", "任务内容", "具体任务",
    "目标任务", "任务分工", "责任领导", "考核指标", "评分标准", "备注",
)  # fmt: skip
_HEADER_WORD_RE = _LazyRe("|".join(_HEADER_WORDS))
# a header word possibly broken across one line break ("执行\n部门")
_HEADER_SPLIT_RE = _LazyRe(
    "|".join(r"[^\S\n]*\n?[^\S\n]*".join(map(re.escape, w)) for w in _HEADER_WORDS)
)
_NONSPACE_SEP = _LazyRe(r"[\s|]+")


def _has_table_header(det: str) -> bool:
    """Whether ``det`` has a table-header line (header cells may be split over lines)."""
    tried: set[int] = set()
    for m in _HEADER_SPLIT_RE.finditer(det):
        a = det.rfind("\n", 0, m.start()) + 1
        if a in tried:
            continue
        tried.add(a)
        window = ""
        pos = a
        for _ in range(5):  # grow the window over at most 5 short lines
            b = det.find("\n", pos)
            if b < 0:
                b = len(det)
            line = det[pos:b]
            if len(line) > 80:
                break
            window += _NONSPACE_SEP.sub("", line)
            words = _HEADER_WORD_RE.findall(window)
            if len(set(words)) >= 3 and sum(map(len, words)) >= 0.6 * len(window):
                return True
            if b >= len(det) or len(window) > 120:
                break
            pos = b + 1
    return False


# --------------------------------------------------------------------------
# step 5: PDF page debris
# --------------------------------------------------------------------------
_DASH = r"[-—–~_]+"
_PAGE_LINE_DECORATED = (
    rf"{_DASH}{_H}\d{{1,4}}{_H}{_DASH}"  # - 3 -   —3—
    rf"|第{_H}\d{{1,4}}{_H}页(?:{_H}[,/]?{_H}共{_H}\d{{1,4}}{_H}页)?"  # 第3页 (共12页)
    rf"|共{_H}\d{{1,4}}{_H}页{_H}[,/]?{_H}第{_H}\d{{1,4}}{_H}页"
    rf"|\d{{1,4}}{_H}/{_H}\d{{1,4}}"  # 3/12
    rf"|[Pp](?:age|AGE){_H}\d{{1,4}}(?:{_H}(?:of|/){_H}\d{{1,4}})?"
)
_PAGE_LINE = _LazyRe(rf"\n{_H}(?:{_PAGE_LINE_DECORATED}|\d{{1,3}}){_H}(?=\n)")
_PAGE_LINE_NO_BARE = _LazyRe(rf"\n{_H}(?:{_PAGE_LINE_DECORATED}){_H}(?=\n)")
_COUNTER = _LazyRe(rf"\n{_H}(\d{{1,4}})、{_H}")
_LONE_NUMBER = _LazyRe(rf"(\d{{1,4}})[^\S\n]+(?=[^\d\s年月日号个项条款%.、])")
_SENTENCE_END = frozenset("。;:!?；：！？")


def _page_debris_spans(s: str, table: bool) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(s)
    padded = "\n" + s + "\n"  # padded index i <-> s index i - 1
    rx = _PAGE_LINE_NO_BARE if table else _PAGE_LINE
    after_page: dict[str, list[tuple[int, int]]] = {}  # the line after each page number
    for m in rx.finditer(padded):
        a, b = m.start(), m.end() - 1  # the line [a, b) in s
        spans.append(_line_span(a, b, n))
        if b < n:
            e = s.find("\n", b + 1)
            e = n if e < 0 else e
            line = s[b + 1:e].strip()
            if line:
                after_page.setdefault(line, []).append((b + 1, e))
    # a running header: the same short line opening two or more pages ("XX省人民政府办公厅行政规范性文件")
    for line, where in after_page.items():
        if len(where) >= 2 and len(line) <= 40 and not (_SENTENCE_END & set(line)) and not _MARKER_START.match(line):
            spans += [_line_span(a, b, n) for a, b in where]

    # page counters "N、" opening every page line
    chains: list[list[tuple[int, int, int]]] = []
    open_chains: dict[int, list[tuple[int, int, int]]] = {}
    for m in _COUNTER.finditer(padded):
        num = int(m.group(1))
        item = (num, m.start(), m.end() - 1)  # number, line start, end of "N、 " in s
        chain = open_chains.pop(num, None)
        if chain is None:
            chain = []
            chains.append(chain)
        chain.append(item)
        open_chains[num + 1] = chain
    for chain in chains:
        if len(chain) < 3:
            continue
        breaks = []  # (line start, end of the previous line's text or None)
        prev_lengths = []
        for _, line_start, _ in chain:
            if line_start == 0:
                continue
            pstart = s.rfind("\n", 0, line_start - 1) + 1
            prev = s[pstart : line_start - 1].rstrip()
            mid = bool(prev) and prev[-1] not in _SENTENCE_END
            breaks.append((line_start, pstart + len(prev) if mid else None))
            prev_lengths.append(len(prev))
        n_mid = sum(1 for _, e in breaks if e is not None)
        if len(breaks) < 2 or n_mid < 0.6 * len(breaks) or sorted(prev_lengths)[len(prev_lengths) // 2] < 30:
            continue
        join_at = dict(breaks)
        for num, line_start, token_end in chain:
            b = token_end
            lone = _LONE_NUMBER.match(s, token_end)
            if lone and abs(int(lone.group(1)) - num) <= 1:
                b = lone.end()
            prev_end = join_at.get(line_start)
            a = prev_end if prev_end is not None else line_start
            spans.append((a, b))
    return spans


# a line opening a numbered part (一、 (一) 1. 1.1 (1) 第X条 附件): never the tail of a wrapped line
_MARKER_START = _LazyRe(
    r"[^\S\n]*(?:第[一二三四五六七八九十百零〇]+[章节条]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)"
    r"|\d{1,2}\.\d{1,2}(?!\d)|\d{1,2}[.、](?!\d)|\(\d{1,2}\)|附件)"
)
_WRAP_END = frozenset("。;:!?；：！？")


def _width(line: str) -> int:
    """The printed width of a line: two for a wide (CJK) character, one for the rest."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in line)


def _wrap_spans(s: str) -> list[tuple[int, int]]:
    """The newlines of a hard-wrapped text (PDF extraction: a line break every N characters, in the
    middle of sentences and even of names: "省\n知识产权局") that only continue a line.

    The text is hard-wrapped when most of its lines are nearly as wide as the widest usual line
    (at most 45 Chinese characters); then a newline after such a full line goes, unless the line
    ends a sentence or the next line opens a numbered part or is blank.  Documents whose lines are
    paragraphs (web pages, Word files, the seeds' long PDF lines) have no such band of equal widths,
    and are left alone."""
    lines = [(m.start(), m.end(), _width(m.group().strip())) for m in re.finditer(r"[^\n]+", s)]
    widths = sorted(w for _, _, w in lines if w > 0)
    if len(widths) < 10:
        return []
    full = widths[int(0.9 * (len(widths) - 1))]  # the usual full width
    if not 30 <= full <= 90:
        return []
    near = [w for w in widths if w >= 0.85 * full]
    if len(near) < 0.5 * len(widths):
        return []
    out = []
    for (a, b, w), (na, nb, nw) in zip(lines, lines[1:]):
        if w < 0.85 * full or w > full + 4 or nw == 0 or na != b + 1:
            continue  # a short line (an item's end, a heading), an overlong one, or a blank line next
        if s[a:b].rstrip()[-1] in _WRAP_END or _MARKER_START.match(s, na):
            continue
        out.append((b, b + 1))
    return out


# --------------------------------------------------------------------------
# step 6: spaces and blank lines
# --------------------------------------------------------------------------
def _spaces(buf: _Buf, table: bool) -> None:
    cp = buf.cp
    n = len(cp)
    if n == 0:
        return
    flags = _flags()
    f = flags[cp]
    hws = (f & _HWS) != 0
    if hws.any():
        edges = np.diff(np.concatenate(([0], hws.view(np.int8), [0])))
        rs = np.flatnonzero(edges == 1)
        re_ = np.flatnonzero(edges == -1)
        left_cp = np.where(rs > 0, cp[np.maximum(rs - 1, 0)], _LF)
        right_cp = np.where(re_ < n, cp[np.minimum(re_, n - 1)], _LF)
        at_edge = (left_cp == _LF) | (right_cp == _LF)
        if table:
            remove = at_edge
        else:
            lf = flags[left_cp]
            rf = flags[right_cp]
            around = _HAN | _CJKP | _ASCP | _DIG
            remove = (
                at_edge
                | (((lf & _HAN) != 0) & ((rf & around) != 0))
                | (((rf & _HAN) != 0) & ((lf & around) != 0))
                | (((lf & _CJKP) != 0) & ((rf & (_CJKP | _ASCP | _DIG)) != 0))
                | (((rf & _CJKP) != 0) & ((lf & (_ASCP | _DIG)) != 0))
            )
        keep_one = ~remove
        # collapse the kept runs to one space: drop all but the first character
        a = np.where(remove, rs, rs + 1)
        buf.set_cp(rs[keep_one & (cp[rs] != 0x20)], 0x20)
        buf.drop(_span_mask_arrays(n, a, re_))

    # blank lines: at most one in a row, none at the start or the end
    cp = buf.cp
    n = len(cp)
    if n == 0:
        return
    lf_mask = cp == _LF
    if not lf_mask.any():
        return
    edges = np.diff(np.concatenate(([0], lf_mask.view(np.int8), [0])))
    rs = np.flatnonzero(edges == 1)
    re_ = np.flatnonzero(edges == -1)
    a = np.where(rs == 0, rs, rs + 2)
    a = np.where(re_ == n, rs, a)
    buf.drop(_span_mask_arrays(n, a, re_))


# --------------------------------------------------------------------------
# the pipeline
# --------------------------------------------------------------------------
def normalise(raw: str, *, keep_table_spaces: bool | None = None) -> NormalisedText:
    """Normalise the raw text of one document, keeping a map back to ``raw``.

    Parameters
    ----------
    raw : str
        The raw decoded text (``RawDocument.text``).
    keep_table_spaces : bool or None
        Whether spaces between Chinese characters separate cells of a flattened
        table and must be kept (collapsed to one space).  ``None`` (default)
        decides from the text: true when it has a table-header line with at
        least three known column headers (工作措施, 牵头单位, 配合单位, 完成时限 ...).

    Returns
    -------
    NormalisedText
        ``text`` with ``starts[i]``, ``ends[i]`` the raw ``[start, end)`` that
        produced ``text[i]``; ``script`` is ``"traditional"`` when the source
        was converted from traditional characters.

    The function is pure and deterministic.  See the module docstring for the
    steps.
    """
    if not isinstance(raw, str):
        raise TypeError(f"normalise() needs a str, not {type(raw).__name__}")
    cp = _encode(raw)
    st = np.arange(len(cp), dtype=np.int64)
    buf = _Buf(cp, st, st + 1, raw)

    _line_endings(buf)
    _nfkc(buf)
    det, traditional = _t2s(buf)

    table = _has_table_header(det) if keep_table_spaces is None else bool(keep_table_spaces)
    buf.drop_spans(_chrome_spans(det))
    buf.drop_spans(_page_debris_spans(buf.s, table))
    if not table:
        buf.drop_spans(_wrap_spans(buf.s))
    _spaces(buf, table)

    starts = array("l")
    ends = array("l")
    starts.frombytes(memoryview(np.ascontiguousarray(buf.st, dtype=_IDX)).cast("B"))
    ends.frombytes(memoryview(np.ascontiguousarray(buf.en, dtype=_IDX)).cast("B"))
    return NormalisedText(
        text=buf.s,
        starts=starts,
        ends=ends,
        script="traditional" if traditional else "simplified",
    )
