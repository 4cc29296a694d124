"""Read a policy document from disk (or bytes) into a :class:`RawDocument`.

Supported containers are plain text, HTML pages, DOCX and PDF files, and spreadsheets::

    >>> doc = read_document("seeds/002_2bca6094475032cd.txt")   # doctest: +SKIP
    >>> doc.fmt, doc.encoding
    ('txt', 'utf-8')

Everything a researcher can get wrong with an input file (a missing path, a
scanned PDF, a ``.doc`` from Word 97, a GBK file that is not valid UTF-8 ...)
is reported as :class:`DocumentError` with a reason that says what to do.

Per format:

* text (``.txt .text .md``): the encoding is detected from the bytes (BOM,
  UTF-8, then GB18030 or Big5 chosen by plausibility); the text is returned
  as decoded; gov.cn-style label lines at the top (``[ 发布机构 ] | 重庆市…``,
  as in saved pages) are also parsed into ``metadata``; Markdown's marks (``# ``, ``**``,
  ``[text](url)`` …) are removed from a ``.md`` file (:func:`markdown_text`);
* HTML (``.html .htm .shtml``): page chrome (navigation, breadcrumbs, share and
  print/close widgets, footers, scripts) is removed; block elements become
  lines and table rows become ``cell | cell`` lines; the gov.cn-style metadata
  table (索引号, 发文字号, 发布机构, 成文日期 ...) is parsed into ``metadata`` and
  also stays in the text, as part of the page body;
* DOCX: paragraphs and tables in document order, one line per paragraph and
  per table row (cells joined by ``" | "``), Word list numbers rendered;
* PDF: text of each page with tables rendered as ``" | "`` rows in place,
  page-number lines removed and lines wrapped at the right margin re-joined;
* spreadsheets (``.xlsx .xlsm .xls .csv``), e.g. a task-division table attached to a notice:
  one line per row, cells joined by ``" | "`` as in a DOCX table, a cell merged over several
  rows repeated in each (see :mod:`.sheets`); a CSV's encoding is detected as a text's is.

Line ends are always ``"\\n"``.  A text whose bytes are damaged in a few
places (a download cut inside a character) is read with U+FFFD in those places
and a :class:`UserWarning`; so is a PDF some of whose pages have no text layer.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import stat
import warnings
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from .model import DocumentError, RawDocument

__all__ = ["SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES", "read_document", "read_bytes"]

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".shtml", ".docx", ".pdf",
                      ".xlsx", ".xlsm", ".xls", ".csv")
DEFAULT_MAX_BYTES = 50_000_000

_FMT_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".shtml": "html",
    ".docx": "docx", ".pdf": "pdf",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv",
}

_SOFFICE = "soffice --headless --convert-to {target} FILE"
_UNSUPPORTED = {
    ".doc": "Word 97-2003 .doc files are not supported: convert .doc to .docx with LibreOffice: "
            + _SOFFICE.format(target="docx"),
    ".dot": "Word 97-2003 templates are not supported: convert to .docx with LibreOffice: "
            + _SOFFICE.format(target="docx"),
    ".wps": "WPS Writer .wps files are not supported: save it as .docx in WPS, or convert with "
            "LibreOffice: " + _SOFFICE.format(target="docx"),
    ".rtf": "RTF files are not supported: convert .rtf to .docx with LibreOffice: "
            + _SOFFICE.format(target="docx"),
    ".odt": "OpenDocument .odt files are not supported: convert .odt to .docx with LibreOffice: "
            + _SOFFICE.format(target="docx"),
    ".docm": "macro-enabled .docm files are not supported: save it as .docx, or convert with "
             "LibreOffice: " + _SOFFICE.format(target="docx"),
    ".ofd": "OFD files are not supported: export it to PDF with an OFD reader first",
    ".caj": "CAJ files are not supported: export it to PDF with CAJViewer first",
    ".mht": "MHT web archives are not supported: open it in a browser and save it as .html",
    ".mhtml": "MHTML web archives are not supported: open it in a browser and save it as .html",
}
for _s in (".et", ".ods", ".numbers"):
    _UNSUPPORTED[_s] = (f"spreadsheets ({_s}) are not supported: save it as .xlsx, or convert it "
                        "with LibreOffice: " + _SOFFICE.format(target="xlsx"))
for _s in (".ppt", ".pptx", ".dps", ".odp"):
    _UNSUPPORTED[_s] = (f"presentations ({_s}) are not supported: convert it to PDF with "
                        "LibreOffice: " + _SOFFICE.format(target="pdf"))
for _s in (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"):
    _UNSUPPORTED[_s] = (f"image files ({_s}) have no text layer: OCR is needed (e.g. put the image "
                        "into a PDF and run ocrmypdf) before policykg can read it")
for _s in (".zip", ".rar", ".7z", ".gz", ".tar"):
    _UNSUPPORTED[_s] = f"archives ({_s}) are not read: unpack it and pass the documents inside"


# --------------------------------------------------------------------------- entry points


def read_document(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read the document at ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.txt/.text/.md``, ``.html/.htm/.shtml``, ``.docx``, ``.pdf``,
        ``.xlsx/.xlsm/.xls`` or ``.csv`` file.
    max_bytes : int
        Files larger than this are refused (the CLI's ``--max-size``).

    Raises
    ------
    DocumentError
        When the file is missing, not a file, empty, too large, of an
        unsupported type, undecodable, corrupt, or a PDF without a text layer.
    """
    shown = os.fspath(path)
    if isinstance(shown, bytes):
        shown = os.fsdecode(shown)
    p = Path(shown)
    try:
        st = p.stat()
    except FileNotFoundError:
        where = p.parent if str(p.parent) not in ("", ".") else Path.cwd()
        hint = "" if where.is_dir() else f" (the folder {where} does not exist either)"
        raise DocumentError(shown, f"no such file{hint}") from None
    except PermissionError:
        raise DocumentError(shown, "permission denied: cannot access the file") from None
    except OSError as exc:
        raise DocumentError(shown, f"cannot access the file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(shown, "is a directory, not a document: pass the files inside it")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(shown, "not a regular file")

    suffix = p.suffix.lower()
    if suffix not in _FMT_BY_SUFFIX:
        head = b""
        try:
            with open(p, "rb") as fh:
                head = fh.read(4096)
        except OSError:
            pass
        raise DocumentError(shown, _unsupported_reason(suffix, head))
    _check_size(st.st_size, max_bytes, shown)
    try:
        data = p.read_bytes()
    except PermissionError:
        raise DocumentError(shown, "permission denied: cannot read the file") from None
    except OSError as exc:
        raise DocumentError(shown, f"cannot read the file: {exc.strerror or exc}") from None
    return _read(data, p.name, shown, suffix, max_bytes)


def read_bytes(data: bytes, name: str, *, path: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read a document held in memory; ``name``'s suffix gives the format.

    ``path`` is what :attr:`RawDocument.path` (and any error) will show;
    it defaults to ``name`` (bundled seeds pass ``"seeds/<name>"``).
    """
    shown = path if path is not None else name
    base = Path(name).name
    suffix = Path(name).suffix.lower()
    if suffix not in _FMT_BY_SUFFIX:
        raise DocumentError(shown, _unsupported_reason(suffix, bytes(data[:4096])))
    data = bytes(data)
    return _read(data, base, shown, suffix, max_bytes)


def _read(data: bytes, name: str, shown: str, suffix: str, max_bytes: int) -> RawDocument:
    _check_size(len(data), max_bytes, shown)
    if not data:
        raise DocumentError(shown, "empty file (0 bytes)")
    fmt = _FMT_BY_SUFFIX[suffix]
    metadata: dict[str, str] = {}
    if fmt == "txt":
        text, encoding, metadata = _read_txt(data, shown)
        if suffix == ".md":
            text = markdown_text(text)
    elif fmt == "html":
        text, encoding, metadata = _read_html(data, shown)
    elif fmt == "docx":
        text, encoding = _read_docx(data, shown), ""
    elif fmt in ("xlsx", "xls", "csv"):
        text, encoding = _read_sheet(data, shown, fmt)
    else:
        text, encoding = _read_pdf(data, shown), ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(shown, _NO_TEXT[fmt])
    return RawDocument(
        name=name,
        path=shown,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        fmt=fmt,
        encoding=encoding,
        metadata=metadata,
    )


_MD_BLOCK = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+(?=\S))", re.M)
_MD_HEADING_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.M)
_MD_INLINE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)|\[([^\]\n]+)\]\([^)\n]*\)|\*\*|__|`")


def markdown_text(text: str) -> str:
    """The text of a Markdown document as a reader sees it: heading marks (``# ``), quote marks and
    list bullets at line starts, emphasis (``**``, ``__``), code ticks and link syntax removed
    (``[text](url)`` → ``text``); numbered items ("1. "), tables (``| a | b |``) and line breaks
    are kept as they are."""
    text = _MD_HEADING_CLOSE.sub("", _MD_BLOCK.sub("", text))
    return _MD_INLINE.sub(lambda m: m.group(1) or m.group(2) or "", text)


_NO_TEXT = {
    "txt": "no text: the file contains only whitespace",
    "html": "no text: the page is empty once scripts, styles, navigation and other page chrome "
            "are removed",
    "docx": "no text: the DOCX has no paragraphs or tables with text (text in headers, footers, "
            "text boxes and images is not read)",
    "pdf": "no text: the PDF's text layer holds only whitespace or page numbers",
    "xlsx": "no text: every visible worksheet of the workbook is empty",
    "xls": "no text: every visible worksheet of the workbook is empty",
    "csv": "no text: every cell of the CSV is empty",
}


def _check_size(size: int, max_bytes: int, shown: str) -> None:
    if size > max_bytes:
        raise DocumentError(
            shown,
            f"file is {_mb(size)}, over the size limit of {_mb(max_bytes)} ({max_bytes} bytes); "
            "if the document is genuine, raise the limit with --max-size "
            "(max_bytes= in read_document)",
        )


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n} bytes"


# --------------------------------------------------------------------------- sniffing

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(data: bytes) -> str | None:
    """What a container's first bytes say it is (None for nothing recognised)."""
    head = data[:1024]
    if head.startswith(b"%PDF") or (b"%PDF-" in head and not head.lstrip().startswith(b"<")):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        names = data[:65536]
        if b"word/" in names:
            return "docx"
        if b"xl/" in names:
            return "xlsx"
        return "docx" if b"[Content_Types].xml" in head else "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        return "archive"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")):
        return "html"
    return None


_SNIFF_REASON = {
    "pdf": "the content is actually a PDF document: rename the file to .pdf",
    "docx": "the content is actually a DOCX (Word 2007+) document: rename the file to .docx",
    "xlsx": "the content is actually an Excel 2007+ workbook: rename the file to .xlsx",
    "ole": "the content is an old binary Office file (Word 97-2003 .doc, WPS or Excel 97-2003): a "
           "workbook is read when named .xls; convert a document to .docx with LibreOffice: "
           + _SOFFICE.format(target="docx"),
    "rtf": "the content is actually an RTF document: convert it to .docx with LibreOffice: "
           + _SOFFICE.format(target="docx"),
    "image": "the content is actually an image: OCR is needed (e.g. ocrmypdf) before policykg "
             "can read it",
    "archive": "the content is actually a compressed archive: unpack it first",
    "zip": "the content is a zip archive but not a Word document: unpack it first",
    "html": "the content is actually an HTML page: rename the file to .html",
}


def _unsupported_reason(suffix: str, head: bytes) -> str:
    sniffed = _sniff(head) if head else None
    if suffix in (".doc", ".wps") and sniffed in ("docx", "html", "pdf"):
        return f"unsupported file type '{suffix}', but {_SNIFF_REASON[sniffed]}"
    if suffix in _UNSUPPORTED:
        return _UNSUPPORTED[suffix]
    listed = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        what = "file has no extension"
    else:
        what = f"unsupported file type '{suffix}'"
    if sniffed in ("pdf", "docx", "html"):
        return f"{what}: {_SNIFF_REASON[sniffed]}"
    return f"{what}: policykg reads {listed}"


# --------------------------------------------------------------------------- text decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Python codec names for charset labels seen in Chinese pages.
_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "gb_2312-80", "gb_2312",
              "csgb2312", "ms936", "windows-936", "chinese", "iso-ir-58", "x-euc-cn"}
_BIG5_LABELS = {"big5", "big-5", "x-x-big5", "cp950", "big5-hkscs", "big5hkscs", "cn-big5",
                "csbig5", "ms950", "windows-950"}
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
# charset-normalizer guesses accepted as a last resort (multi-byte, never a
# single-byte code page that "decodes" anything into mojibake).
_DETECTED_OK = ("utf_16", "utf_32", "hz", "iso2022", "shift_jis", "cp932", "euc_jp", "euc_kr",
                "cp949", "big5hkscs", "cp950")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"


def _codec_for_label(label: str) -> list[str]:
    label = label.strip().strip("\"'").lower()
    if label in _GB_LABELS:
        return ["gb18030"]
    if label in _BIG5_LABELS:
        return list(_BIG5_FAMILY)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return []
    return ["utf-8" if name == "utf-8" else name]


def _first_error(data: bytes, encoding: str) -> int | None:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if sample.count(b"\x00") > max(1, len(sample) // 200):
        return True  # (a stray NUL or two in a long text is damage, not a binary file)
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    return controls > 0.1 * len(sample)


def _gb_level1(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _big5_level1(ch: str) -> bool:
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and (0xA4 <= b[0] <= 0xC5 or (b[0] == 0xC6 and b[1] <= 0x7E))


_COMMON_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】〔〕—…·　「」『』﹏～％＋－．／")


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation.

    A character is common when it is in GB2312 level 1 (the 3755 most used
    simplified characters) or Big5 level 1 (the 5401 most used traditional
    ones).  Bytes decoded with the wrong one of GB18030 / Big5 turn into rare
    characters, kana, symbols or private-use code points.
    """
    counts = Counter(text[:400_000])
    total = common = 0
    for ch, n in counts.items():
        if ord(ch) < 0x80:
            continue
        total += n
        if ch in _COMMON_PUNCT or _gb_level1(ch) or _big5_level1(ch):
            common += n
    return common / total if total else 1.0


def _decode_text(data: bytes, shown: str, declared: str | None = None,
                 what: str = "text") -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)`` or raises DocumentError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    shown, f"cannot decode the {what}: it starts with a {enc} byte-order mark "
                           f"but has invalid {enc} bytes at offset {exc.start}") from None
    if _looks_binary(data):
        guess = _detect(data)
        if guess is not None and guess[1].startswith(("utf-16", "utf-32")):
            return guess
        raise DocumentError(
            shown, f"binary content, not {what}: the file contains NUL bytes or mostly control "
                   "characters (is it a renamed Word, PDF or image file?)")
    # Valid UTF-8 is UTF-8 whatever a page declares: GBK or Big5 text of any
    # length is practically never valid UTF-8, while re-saved pages often keep
    # a stale "charset=gb2312".
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    if declared:
        for enc in _codec_for_label(declared):
            if enc == "utf-8":
                continue
            try:
                decoded = data.decode(enc)
            except UnicodeDecodeError:
                continue  # the declaration is wrong: detect instead
            if _plausibility(decoded) >= 0.5:
                return decoded, enc
    # Candidates: (plausibility, strict, priority, encoding, text, damaged sequences).
    # A file with a few damaged bytes (a download cut inside a character, a stray
    # byte from another encoding) is still read, with a warning.
    tolerated = max(4, len(data) // 500)
    candidates = []
    for priority, family in ((2, ("gb18030",)), (0, _BIG5_FAMILY), (1, ("utf-8",))):
        for enc in family:
            if enc == "utf-8":
                continue
            try:
                decoded = data.decode(enc)
            except UnicodeDecodeError:
                continue
            candidates.append((_plausibility(decoded), True, priority, enc, decoded, 0))
            break
        else:
            enc = "cp950" if family is _BIG5_FAMILY else family[0]
            decoded = data.decode(enc, errors="replace")
            bad = decoded.count("\ufffd")
            if enc == "utf-8":
                bad -= data.count("\ufffd".encode("utf-8"))
            if bad <= tolerated:
                candidates.append((_plausibility(decoded), False, priority, enc, decoded, bad))
    # Big5 only when its reading is mostly common characters and beats GB18030's
    candidates = [c for c in candidates if c[3] not in _BIG5_FAMILY or c[0] >= 0.6]
    non_ascii = (len(data) - len(data.translate(None, _HIGH_BYTES))) // 2
    if candidates:
        best = max(candidates, key=lambda c: (c[0] - (0 if c[1] else 0.05), c[2]))
        score, strict, _, enc, decoded, bad = best
        if score >= 0.5 or non_ascii < 20:
            if not strict:
                warnings.warn(f"{shown}: {bad} damaged {enc.upper()} byte sequence(s) replaced "
                              "with U+FFFD", stacklevel=5)
            return decoded, enc
    guess = _detect(data)
    if guess is not None:
        return guess
    gb_error = _first_error(data, "gb18030")
    b5_error = _first_error(data, "big5")
    raise DocumentError(
        shown,
        f"cannot decode the {what}: tried UTF-8 (invalid byte at offset {utf8_error}), "
        f"GB18030 ({_where(gb_error)}), Big5/CP950/Big5-HKSCS ({_where(b5_error)}) and charset "
        f"detection, and none gives readable Chinese text; re-save the file as UTF-8")


def _where(offset: int | None) -> str:
    return "decodes" if offset is None else f"invalid at offset {offset}"


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, if it is a multi-byte encoding we trust."""
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or not best.encoding.startswith(_DETECTED_OK):
        return None
    try:
        return data.decode(best.encoding), best.encoding.replace("_", "-")
    except (UnicodeDecodeError, LookupError):
        return None


def _read_txt(data: bytes, shown: str) -> tuple[str, str, dict[str, str]]:
    sniffed = _sniff(data)
    if sniffed in ("pdf", "docx", "xlsx", "ole", "rtf", "image", "archive", "zip"):
        raise DocumentError(shown, f"not a text file: {_SNIFF_REASON[sniffed]}")
    text, encoding = _decode_text(data, shown)
    return text, encoding, _text_metadata(text)


def _text_metadata(text: str) -> dict[str, str]:
    """Metadata from a saved page's header lines, e.g. ``[ 发布机构 ] | 重庆市…``.

    Only lines among the first 20 non-empty ones that start with a known
    label (索引号, 发文字号, 发布机构 ...) are read, as for an HTML page.
    """
    found: dict[str, str] = {}
    lines = [line for line in text.splitlines()[:200] if line.strip()][:20]
    for line in lines:
        _parse_labels(line, found)
    return found


# --------------------------------------------------------------------------- CJK helpers


def _is_cjk(ch: str) -> bool:
    """East Asian wide characters and the punctuation that sits between them."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or o >= 0x20000 or 0x2010 <= o <= 0x2027 or o == 0xB7)


def _join_wrapped(a: str, b: str) -> str:
    """Join two pieces of one wrapped line: no space between CJK characters."""
    if not a:
        return b
    if not b:
        return a
    if _is_cjk(a[-1]) or _is_cjk(b[0]):
        return a + b
    return a + " " + b


# --------------------------------------------------------------------------- HTML

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"""
    rb"""|<\?xml[^>]+?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""",
    re.I)

_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "aside", "iframe", "object",
              "embed", "svg", "canvas", "button", "select", "input", "textarea", "map", "audio",
              "video", "head", "link", "meta", "footer"]
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details",
               "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
               "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main",
               "menu", "nav", "ol", "p", "section", "summary", "ul", "caption", "html", "title",
               "tr", "td", "th", "tbody", "thead", "tfoot", "option", "legend"}
# class / id tokens that mark page chrome
_CHROME_TOKENS = {"nav", "navbar", "navigation", "menu", "menubar", "breadcrumb", "breadcrumbs",
                  "crumb", "crumbs", "footer", "foot", "share", "sharing", "bdshare", "jiathis",
                  "fenxiang", "print", "dayin", "close", "guanbi", "fontsize", "zihao", "copyright",
                  "gotop", "backtop", "totop", "qrcode", "erweima", "ewm", "sidebar", "toolbar",
                  "search", "sousuo", "login", "dqwz", "skip"}
_CHROME_PAIRS = ({"font", "size"}, {"back", "top"}, {"go", "top"}, {"to", "top"}, {"bread", "nav"},
                 {"sub", "nav"}, {"top", "nav"})
# tokens that mark the content itself (e.g. id="printContent" is the article body)
_CONTENT_TOKENS = {"content", "article", "main", "zoom", "detail", "body", "zhengwen", "wenzhang",
                   "text", "con", "txt", "ucap"}
_WS = r"[\s\u200b\ufeff]"  # any Unicode space (&nbsp; &ensp; &emsp; &thinsp; 　) and the zero-width ones
_CHROME_WORDS = (r"打印(?:本页|此页|本頁|此頁|文章)?|关闭(?:窗口|本页|页面)?|關閉(?:窗口|本頁|頁面)?"
                 r"|我要纠错|我要糾錯|纠错|糾錯|收藏(?:本页|本頁)?|加入收藏|分享(?:到)?|字[号號体體]"
                 r"|返回顶部|返回頂部|扫一扫在手机打开当前页|掃一掃在手機打開當前頁|扫一扫|掃一掃"
                 r"|默认|默認|超大|[大中小]|[Aa][+-]?|微信|微博|QQ空间|QQ空間|手机版|手機版")
_CHROME_TEXT = re.compile(rf"(?:{_WS}|[|｜/／·•:：\[\]【】()（）<>＜＞「」]|{_CHROME_WORDS})+")
_CHROME_KEY = re.compile(r"打印|关闭|關閉|纠错|糾錯|收藏|分享|字[号號体體]|返回顶部|返回頂部|扫一扫|掃一掃")
_BREADCRUMB = re.compile(rf"^{_WS}*(?:当前位置|当前的位置|您的位置|您现在的位置|您当前的位置|所在位置"
                         rf"|當前位置|您的位置|您現在的位置|所在位置)\s*[：:]")

_META_KEYS = {
    "索引号": "索引号", "主题分类": "主题分类", "体裁分类": "体裁分类", "发文机关": "发文机关",
    "发布机构": "发布机构", "发文机构": "发文机构", "发文字号": "发文字号", "文号": "文号",
    "成文日期": "成文日期", "发布日期": "发布日期", "标题": "标题", "有效性": "有效性",
    "主题词": "主题词", "生效日期": "生效日期", "废止日期": "废止日期",
    "索引號": "索引号", "主題分類": "主题分类", "體裁分類": "体裁分类", "發文機關": "发文机关",
    "發布機構": "发布机构", "發文字號": "发文字号", "文號": "文号", "發布日期": "发布日期",
    "標題": "标题", "主題詞": "主题词",
}
_LABEL_ALT = "|".join(r"\s*".join(map(re.escape, k)) for k in sorted(_META_KEYS, key=len,
                                                                        reverse=True))
# a label, optionally in brackets, always followed by a colon, a bracket or a cell boundary
_META_LABEL = re.compile(
    rf"[\[【［]?{_WS}*(?P<label>{_LABEL_ALT}){_WS}*(?:[\]】］]{_WS}*[：:]?|[：:]|(?=\|)|$)")
_META_CELL_TAGS = {"td", "th", "dt", "dd", "li", "p", "div", "br", "tr", "table", "tbody", "thead",
                   "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
_META_CANDIDATES = ["table", "tbody", "tr", "ul", "li", "dl", "p", "div", "td", "th"]


def _read_html(data: bytes, shown: str) -> tuple[str, str, dict[str, str]]:
    from bs4 import BeautifulSoup

    sniffed = _sniff(data)
    if sniffed in ("pdf", "docx", "xlsx", "ole", "rtf", "image", "archive", "zip"):
        raise DocumentError(shown, f"not an HTML page: {_SNIFF_REASON[sniffed]}")
    declared = None
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii", "replace")
    markup, encoding = _decode_text(data, shown, declared, what="HTML page")
    soup = BeautifulSoup(markup, "lxml")
    metadata = _html_metadata(soup)
    body = soup.body or soup
    _drop_chrome(body)
    lines: list[str] = []
    _HtmlRenderer(lines).render(body)
    return "\n".join(lines), encoding, metadata


def _html_metadata(soup) -> dict[str, str]:
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        if not _gone(tag):
            tag.decompose()
    found: dict[str, str] = {}
    for el in soup.find_all(_META_CANDIDATES):
        first = []
        for piece in el.stripped_strings:  # cheap look at how the element starts
            first.append(piece)
            if len(first) == 2 or len(piece) > 1:
                break
        if not _META_LABEL.match(" | ".join(first)):
            continue
        text = _meta_joined_text(el)
        if len(text) <= 1500:
            _parse_labels(text, found)
    if "标题" not in found:
        meta = soup.find("meta", attrs={"name": re.compile("^ArticleTitle$", re.I)})
        if meta is not None and (meta.get("content") or "").strip():
            found["标题"] = re.sub(rf"{_WS}+", " ", meta["content"]).strip()
    return found


def _parse_labels(text: str, found: dict[str, str]) -> None:
    """Add ``label -> value`` pairs of a text starting with a label to ``found``.

    Values run to the next label; the first non-empty value of a label wins.
    """
    head = text.lstrip(" |\t\n\u3000\xa0")
    if _META_LABEL.match(head) is None:
        return
    matches = list(_META_LABEL.finditer(head))
    for i, mt in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(head)
        value = re.sub(rf"{_WS}+", " ", head[mt.end():end]).strip(" |：:")
        key = _META_KEYS[re.sub(rf"{_WS}", "", mt.group("label"))]
        if value and key not in found and len(value) <= 300:
            found[key] = value


def _meta_joined_text(el) -> str:
    """Text of ``el`` with `` | `` at cell/block boundaries and around bare labels."""
    from bs4 import NavigableString, Tag

    out: list[str] = []

    def walk(node) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                boundary = child.name in _META_CELL_TAGS
                if not boundary and len(child.get_text()) <= 20:
                    bare = re.sub(rf"{_WS}|[\[\]【】［］：:]", "", child.get_text())
                    boundary = bare in _META_KEYS
                if boundary:
                    out.append(" | ")
                walk(child)
                if boundary:
                    out.append(" | ")
            elif type(child) is NavigableString:
                out.append(str(child))

    walk(el)
    return "".join(out)


def _gone(tag) -> bool:
    """Whether ``tag`` was decomposed (without bs4's slow attribute fallback)."""
    return bool(tag.__dict__.get("_decomposed", False))


def _tokens(el) -> set[str]:
    classes = el.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    raw = " ".join([*classes, el.get("id") or ""])
    raw = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", raw).lower()
    return {t for t in re.split(r"[^a-z0-9]+", raw) if t}


def _is_chrome_marker(tokens: set[str]) -> bool:
    if not tokens or tokens & _CONTENT_TOKENS:
        return False
    return bool(tokens & _CHROME_TOKENS) or any(pair <= tokens for pair in _CHROME_PAIRS)


def _text_len(el) -> int:
    return len(re.sub(r"\s+", "", el.get_text()))


def _drop_chrome(body) -> None:
    from bs4 import Comment

    for node in list(body.descendants):
        if isinstance(node, Comment):
            node.extract()
    tags = body.find_all(True)
    drop = set(_DROP_TAGS)
    page_len = max(_text_len(body), 1)
    for tag in tags:
        if _gone(tag):
            continue
        name = tag.name
        style = re.sub(r"\s+", "", (tag.get("style") or "")).lower()
        if (name in drop or tag.has_attr("hidden") or "display:none" in style
                or "visibility:hidden" in style):
            tag.decompose()
        elif name == "header" and tag.find_parent(["article", "main"]) is None:
            tag.decompose()  # chrome, unless it is an article's own header (its title)
        elif name == "form" and _text_len(tag) < 0.5 * page_len:
            tag.decompose()  # ASP.NET pages wrap the whole body in one <form>: keep that
    body_len = max(_text_len(body), 1)
    for tag in tags:
        if _gone(tag) or not _is_chrome_marker(_tokens(tag)):
            continue
        size = _text_len(tag)
        if size > 0.4 * body_len and size > 200:
            links = sum(_text_len(a) for a in tag.find_all("a"))
            if links < 0.5 * size:
                continue  # too much prose to be a widget: likely wraps the content
        tag.decompose()
    for tag in tags:
        if _gone(tag) or tag.name in ("html", "body"):
            continue
        text = tag.get_text()
        if len(text) > 200:
            continue
        squeezed = text.strip(" \t\r\n\xa0\u3000")
        if not squeezed:
            continue
        if _CHROME_KEY.search(squeezed) and _CHROME_TEXT.fullmatch(squeezed):
            tag.decompose()
        elif len(squeezed) <= 150 and _BREADCRUMB.match(squeezed):
            tag.decompose()


class _HtmlRenderer:
    """Block elements become lines; data-table rows become ``a | b | c`` lines."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.buf: list[str] = []

    def render(self, node) -> None:
        self._walk(node)
        self._flush()

    def _flush(self) -> None:
        if not self.buf:
            return
        text = _clean_inline("".join(self.buf))
        self.buf.clear()
        if text:
            self.lines.append(text)

    def _walk(self, node) -> None:
        from bs4 import CData, NavigableString, Tag

        for child in node.children:
            if isinstance(child, Tag):
                name = child.name
                if name == "br":
                    self._flush()
                elif name == "table":
                    self._flush()
                    self._table(child)
                elif name == "pre":
                    self._flush()
                    for line in child.get_text().splitlines():
                        if line.strip():
                            self.lines.append(line.rstrip())
                elif name in _BLOCK_TAGS:
                    self._flush()
                    self._walk(child)
                    self._flush()
                else:
                    self._walk(child)
            elif type(child) is NavigableString or isinstance(child, CData):
                self.buf.append(str(child))

    def _table(self, table) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        cells = [[c for c in tr.find_all(["td", "th"], recursive=False)] for tr in rows]
        # a table laying out the page (nested tables, one column, or a cell holding a
        # whole article) is read as blocks; a data table as one line per row
        layout = (table.find("table") is not None or all(len(r) <= 1 for r in cells)
                  or any(_holds_article(c) for r in cells for c in r))
        if layout:
            for child in table.find_all(["caption", "td", "th"]):
                if child.find_parent("table") is table:
                    self._walk(child)
                    self._flush()
            return
        caption = table.find("caption")
        if caption is not None:
            self._walk(caption)
            self._flush()
        from policykg.builders.structure import column_role

        pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) from rowspan
        ncols = max((sum(_int_attr(c, "colspan") for c in r) for r in cells), default=0)
        out: list[list[str]] = []
        grouping: list[bool] = []  # a header row whose cells span sub-columns named in the next row
        for row in cells:
            texts: list[str] = []
            col = 0
            grouping.append(any(1 < _int_attr(c, "colspan") < ncols for c in row)
                            and any(_int_attr(c, "rowspan") > 1 for c in row))
            for cell in row:
                while col in pending:
                    left, text = pending[col]
                    texts.append(text)
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (left - 1, text)
                    col += 1
                sub: list[str] = []
                _HtmlRenderer(sub).render(cell)
                text = " ".join(sub)
                texts.append(text)
                span = _int_attr(cell, "colspan")
                rowspan = _int_attr(cell, "rowspan")
                if rowspan > 1:
                    pending[col] = (rowspan - 1, text)
                col += span
            while col in pending:
                left, text = pending[col]
                texts.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, text)
                col += 1
            out.append(texts)
        for i, texts in enumerate(out):
            # a two-row header (责任单位 over 牵头单位 | 配合单位): the second row, whose cells the
            # first row's spanning cells carried down, names every column
            if i < 2 and grouping[i] and i + 1 < len(out) and len(out[i + 1]) == ncols \
                    and sum(column_role(t.strip()) is not None for t in out[i + 1]) >= 2:
                continue
            if any(t.strip() for t in texts):
                self.lines.append(" | ".join(texts))


def _holds_article(cell) -> bool:
    """A table cell holding a headed or multi-paragraph article, not a data value."""
    if _text_len(cell) > 800 or cell.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is not None:
        return True
    return len(cell.find_all(["p", "div", "ul", "ol"])) >= 3


def _int_attr(tag, name: str) -> int:
    try:
        return max(1, min(int(str(tag.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


_CJK_CLASS = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2010-\u2027"


def _clean_inline(text: str) -> str:
    # a source line break between two Chinese characters is not a space
    text = re.sub(rf"(?<=[{_CJK_CLASS}])[ \t\r\f\v\xa0]*\n[ \t\r\n\f\v\xa0]*(?=[{_CJK_CLASS}])",
                  "", text)
    text = re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip(" \u3000")
    # a separator left dangling by a removed widget ("2023-01-10 | <print>")
    return re.sub(r"^(?:[|｜][ \u3000]*)+|(?:[ \u3000]*[|｜])+$", "", text)


# --------------------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_ANCESTORS = {_W + "del", _W + "moveFrom", _W + "txbxContent", _MC_FALLBACK}


def _read_sheet(data: bytes, shown: str, fmt: str) -> tuple[str, str]:
    """A spreadsheet's text (see :mod:`.sheets`) and, for a CSV, its encoding."""
    from . import sheets

    sniffed = _sniff(data)
    if fmt == "csv":
        if sniffed in ("pdf", "docx", "xlsx", "ole", "rtf", "image", "archive", "zip"):
            raise DocumentError(shown, f"not a CSV file: {_SNIFF_REASON[sniffed]}")
        text, encoding = _decode_text(data, shown, what="CSV text")
        return sheets.read_csv(text, shown), encoding
    if fmt == "xlsx":
        if sniffed in ("xlsx", "zip"):
            return sheets.read_xlsx(data, shown), ""
        if sniffed == "ole":
            raise DocumentError(shown, "not an XLSX file: the content is an Excel 97-2003 workbook "
                                       "(or another old Office file): rename the file to .xls")
        raise DocumentError(shown, f"not an XLSX file: {_SNIFF_REASON[sniffed]}" if sniffed else
                            "corrupt XLSX: it is not a zip archive as every .xlsx is (a damaged "
                            "file, or a renamed text file?)")
    if sniffed == "ole":
        return sheets.read_xls(data, shown), ""
    raise DocumentError(shown, f"not an XLS file: {_SNIFF_REASON[sniffed]}" if sniffed else
                        "not an XLS file: the content is not an Excel 97-2003 workbook (a page "
                        "exported as .xls is often HTML or text: open it and save it as .xlsx or .html)")


def _read_docx(data: bytes, shown: str) -> str:
    import docx
    from docx.opc.exceptions import OpcError
    from lxml import etree

    sniffed = _sniff(data)
    if sniffed is not None and sniffed not in ("docx", "zip"):
        raise DocumentError(shown, f"not a DOCX file: {_SNIFF_REASON[sniffed]}")
    if sniffed is None and not data.startswith(b"PK"):
        raise DocumentError(shown, "corrupt DOCX: it is not a zip archive as every .docx is "
                                   "(a damaged file, or a renamed text file?)")
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocumentError(shown, f"corrupt or truncated DOCX: not a readable zip archive "
                                   f"({exc}); it may be an incomplete download") from None
    except KeyError as exc:
        raise DocumentError(shown, f"corrupt DOCX: a required part is missing ({exc}); "
                                   "is it really a Word document?") from None
    except etree.LxmlError as exc:
        raise DocumentError(shown, f"corrupt DOCX: its XML is damaged ({exc})") from None
    except (zlib.error, EOFError) as exc:
        raise DocumentError(shown, f"corrupt or truncated DOCX: a compressed part cannot be "
                                   f"unpacked ({exc})") from None
    except NotImplementedError as exc:
        raise DocumentError(shown, f"unreadable DOCX: {exc}") from None
    except OpcError as exc:
        raise DocumentError(shown, f"corrupt DOCX: {exc}") from None
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise DocumentError(shown, f"not a Word document: {exc}") from None
        raise DocumentError(shown, f"corrupt or truncated DOCX: {exc}") from None
    numbering = _Numbering(document)
    lines = [line for line in _docx_blocks(document.element.body, document, numbering, " | ")
             if line.strip()]
    return "\n".join(lines)


def _docx_blocks(parent, document, numbering: "_Numbering", sep: str):
    """Lines of the block-level children of ``parent`` (body, cell, sdtContent)."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            yield numbering.label(child) + _docx_para_text(child)
        elif tag == _W + "tbl":
            yield from _docx_table(child, document, numbering, sep)
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _docx_blocks(content, document, numbering, sep)
        elif tag == _W + "customXml":
            yield from _docx_blocks(child, document, numbering, sep)


def _docx_para_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        parent = el.getparent()
        if parent is None or parent.tag != _W + "r":
            continue  # e.g. the tab stops in w:pPr/w:tabs
        node, skip = parent, False
        while node is not None and node is not p:
            if node.tag in _SKIP_ANCESTORS:
                skip = True
                break
            node = node.getparent()
        if skip:
            continue
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _docx_table(tbl, document, numbering: "_Numbering", sep: str):
    from docx.table import Table, _Cell

    table = Table(tbl, document)
    for row in table.rows:
        try:
            cells = row.cells
        except ValueError:  # a malformed vertical merge: read the cells as they are
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
        texts: list[str] = []
        previous = None
        for cell in cells:
            if cell._tc is previous:
                continue  # a horizontally merged cell repeats for every grid column it spans
            previous = cell._tc
            inner = _docx_blocks(cell._tc, document, numbering, " ")
            texts.append(re.sub(r"\s*\n\s*", " ", " ".join(t.strip() for t in inner if t.strip())))
        if any(t.strip() for t in texts):
            yield sep.join(texts)


class _Numbering:
    """Render Word's automatic list numbers (``1.``, ``（一）`` ...) as text."""

    def __init__(self, document):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int, str]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.seen_nums: set[str] = set()
        try:
            numbering = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            numbering = None
        if numbering is not None:
            for absn in numbering.findall(_W + "abstractNum"):
                levels = {}
                for lvl in absn.findall(_W + "lvl"):
                    ilvl = _int(lvl.get(_W + "ilvl"), 0)
                    levels[ilvl] = (
                        _val(lvl.find(_W + "numFmt")) or "decimal",
                        _val(lvl.find(_W + "lvlText")) or "",
                        _int(_val(lvl.find(_W + "start")), 1),
                        _val(lvl.find(_W + "suff")) or "tab",
                    )
                self.levels[absn.get(_W + "abstractNumId")] = levels
            for num in numbering.findall(_W + "num"):
                overrides = {}
                for ov in num.findall(_W + "lvlOverride"):
                    start = ov.find(_W + "startOverride")
                    if start is not None:
                        overrides[_int(ov.get(_W + "ilvl"), 0)] = _int(_val(start), 1)
                self.nums[num.get(_W + "numId")] = (_val(num.find(_W + "abstractNumId")) or "",
                                                    overrides)
        try:
            styles = document.part.part_related_by(RT.STYLES).element
        except KeyError:
            styles = None
        if styles is not None:
            for style in styles.findall(_W + "style"):
                sid = style.get(_W + "styleId")
                based = style.find(_W + "basedOn")
                if based is not None:
                    self.style_based[sid] = _val(based)
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    self.style_num[sid] = (_val(numpr.find(_W + "numId")),
                                           _int(_val(numpr.find(_W + "ilvl")), None))

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.style_num:
                return self.style_num[style_id]
            style_id = self.style_based.get(style_id)
        return None, None

    def label(self, p) -> str:
        if not self.nums:
            return ""
        ppr = p.find(_W + "pPr")
        num_id = ilvl = None
        style_id = None
        if ppr is not None:
            style_id = _val(ppr.find(_W + "pStyle"))
            numpr = ppr.find(_W + "numPr")
            if numpr is not None:
                num_id = _val(numpr.find(_W + "numId"))
                ilvl = _int(_val(numpr.find(_W + "ilvl")), None)
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numpr(style_id)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.seen_nums:
            self.seen_nums.add(num_id)
            for lv, start in overrides.items():
                counters[lv] = start - 1
                for deeper in [k for k in counters if k > lv]:
                    del counters[deeper]
        fmt, text, start, suff = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(m: re.Match) -> str:
            lv = int(m.group(1)) - 1
            lv_fmt, _, lv_start, _ = levels.get(lv, ("decimal", "", 1, ""))
            return _format_number(counters.get(lv, lv_start), lv_fmt)

        label = re.sub(r"%([1-9])", number, text)
        return label + ("" if suff == "nothing" else " ")


def _val(el) -> str | None:
    return None if el is None else el.get(_W + "val")


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _chinese_number(n: int) -> str:
    if n <= 0:
        return str(n)
    if n >= 100000:
        return str(n)
    out = ""
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    rest = n
    zero = False
    for value, unit in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out += "零"
                zero = False
            if not (unit == "十" and digit == 1 and not out):
                out += _CN_DIGITS[digit]
            out += unit
        elif out:
            zero = True
    if rest:
        if zero:
            out += "零"
        out += _CN_DIGITS[rest]
    return out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _letters(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting",
               "ideographDigital"):
        return _chinese_number(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


# --------------------------------------------------------------------------- PDF

_PAGE_NUMBER = re.compile(
    r"[-—–－―\s]*\d{1,4}[-—–－―\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+"
    r"|(?:page|PAGE|Page)\s*\d+(?:\s*(?:of|/)\s*\d+)?")
_CID = re.compile(r"\(cid:\d+\)")


def _read_pdf(data: bytes, shown: str) -> str:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    if _sniff(data) != "pdf":
        sniffed = _sniff(data)
        if sniffed is not None:
            raise DocumentError(shown, f"not a PDF file: {_SNIFF_REASON[sniffed]}")
        raise DocumentError(shown, "corrupt PDF: the file does not start with a %PDF header "
                                   "(it may be truncated or not a PDF at all)")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_page_items(page) for page in pdf.pages]
    except PdfminerException as exc:
        inner = exc.args[0] if exc.args else exc
        if isinstance(inner, PDFEncryptionError):
            raise DocumentError(shown, "password-protected PDF: remove the password (e.g. "
                                       "qpdf --decrypt IN.pdf OUT.pdf) before policykg can read "
                                       "it") from None
        raise DocumentError(shown, f"corrupt or truncated PDF ({type(inner).__name__}: {inner}); "
                                   "it may be an incomplete download") from None
    except (MalformedPDFException, PSException, TypeError, ValueError, KeyError,
            IndexError) as exc:
        # pdfplumber lets some errors of a broken page tree through unwrapped (e.g. a
        # MediaBox that is not four numbers: TypeError / IndexError from Page())
        raise DocumentError(shown, f"corrupt or truncated PDF ({type(exc).__name__}: {exc}); "
                                   "it may be an incomplete download") from None
    if not pages:
        raise DocumentError(shown, "the PDF has no pages")
    if not any(has_chars for _, has_chars in pages):
        raise DocumentError(shown, "scanned PDF without a text layer: OCR is needed (e.g. "
                                   "ocrmypdf) before policykg can read it")
    blank = [i + 1 for i, (_, has_chars) in enumerate(pages) if not has_chars]
    if blank:
        warnings.warn(f"{shown}: pages {', '.join(map(str, blank))} have no text layer "
                      "(scanned?); their text is missing", stacklevel=4)
    text = _pdf_join([items for items, _ in pages])
    letters = len(re.sub(r"\s", "", text))
    cid = sum(len(m) for m in _CID.findall(text))
    if letters and cid > 0.3 * letters:
        raise DocumentError(shown, "the PDF's fonts carry no Unicode mapping, so its text layer "
                                   "is unreadable ((cid:N) codes): OCR is needed (e.g. ocrmypdf "
                                   "--force-ocr) before policykg can read it")
    return text


def _pdf_page_items(page) -> tuple[list[dict], bool]:
    """Text lines and rendered tables of one page, in reading order.

    Each item is a dict with ``text``, ``x0``, ``x1``, ``top``, ``bottom``,
    ``size`` and ``table`` (True for a rendered table row block).
    """
    original, page = page, page.dedupe_chars()
    has_chars = bool(page.chars)
    if not has_chars:
        original.close()
        return [], False
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and
              max((len(r.cells) for r in t.rows), default=0) >= 2]
    items: list[dict] = []
    for table in tables:
        rows = _pdf_table_rows(table)
        if rows:
            x0, top, x1, bottom = table.bbox
            items.append({"text": "\n".join(rows), "x0": x0, "x1": x1, "top": top,
                          "bottom": bottom, "size": 0.0, "table": True})
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(return_chars=True):
        text = line["text"].strip()
        if not text:
            continue
        sizes = sorted(c.get("size", 0) for c in line["chars"]) or [0]
        items.append({"text": text, "x0": line["x0"], "x1": line["x1"], "top": line["top"],
                      "bottom": line["bottom"], "size": sizes[len(sizes) // 2], "table": False})
    original.close()
    items.sort(key=lambda it: (round(it["top"], 1), it["x0"]))
    # page numbers at the top or bottom of the page
    for _ in range(2):
        if items and not items[-1]["table"] and _PAGE_NUMBER.fullmatch(items[-1]["text"]):
            items.pop()
        if items and not items[0]["table"] and _PAGE_NUMBER.fullmatch(items[0]["text"]):
            items.pop(0)
    return items, True


def _pdf_table_rows(table) -> list[str]:
    extracted = table.extract()
    rows = table.rows
    out: list[str] = []
    for r, values in enumerate(extracted):
        texts: list[str] = []
        row_top = rows[r].bbox[1] if r < len(rows) else None
        for c, value in enumerate(values):
            if value is None:
                # covered by a merged cell: repeat a vertical merge, skip a horizontal one
                above = _pdf_cell_above(rows, extracted, r, c, row_top)
                if above is None:
                    continue
                value = above
            parts = [p.strip() for p in value.split("\n") if p.strip()]
            cell = ""
            for part in parts:
                cell = _join_wrapped(cell, part)
            texts.append(cell)
        if any(texts):
            out.append(" | ".join(texts))
    return out


def _pdf_cell_above(rows, extracted, r: int, c: int, row_top) -> str | None:
    if row_top is None:
        return None
    for up in range(r - 1, -1, -1):
        cells = rows[up].cells
        if c >= len(cells):
            return None
        box = cells[c]
        if box is None:
            continue
        if box[3] > row_top + 1:  # the cell above reaches down into this row
            return extracted[up][c] or ""
        return None
    return None


def _pdf_join(pages: list[list[dict]]) -> str:
    """Join lines into text, re-joining lines that were wrapped at the right margin."""
    text_items = [it for items in pages for it in items if not it["table"]]
    if not text_items:
        return "\n".join(it["text"] for items in pages for it in items)
    right = max(it["x1"] for it in text_items)
    lefts = sorted(round(it["x0"]) for it in text_items)
    # the body's left margin: the most common line start
    left = max(set(lefts), key=lambda x: (lefts.count(x), -x))
    full = sum(1 for it in text_items if it["x1"] >= right - 1.5 * (it["size"] or 10.0))
    if full < 2:  # no line wraps at a shared right margin: nothing to re-join
        return "\n".join(it["text"] for items in pages for it in items)
    out: list[str] = []
    previous = None
    for items in pages:
        for it in items:
            if (previous is not None and not it["table"] and not previous["table"] and out
                    and _continues(previous, it, right, left)):
                out[-1] = _join_wrapped(out[-1], it["text"])
            else:
                out.append(it["text"])
            previous = it
    return "\n".join(out)


_SENTENCE_END = re.compile(r"[。！？!?；;：:][”’」』\"']*$")


def _continues(prev: dict, cur: dict, right: float, left: float) -> bool:
    size = prev["size"] or 10.0
    if _SENTENCE_END.search(prev["text"]):
        return False  # a break after a full stop splits no sentence: keep it
    if prev["x1"] < right - 1.5 * size:
        return False  # the previous line ends early: a paragraph or heading end
    if abs(cur["x0"] - left) > 0.5 * size:
        return False  # indented (a new paragraph) or centred
    if abs((cur["size"] or size) - size) > 0.5:
        return False
    same_page = cur["top"] > prev["top"]
    if same_page and cur["top"] - prev["bottom"] > 1.2 * size:
        return False  # a gap: a new block
    return True
