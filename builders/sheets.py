"""Spreadsheets (``.xlsx``, ``.xls``, ``.csv``) as text, the way :mod:`.read` gives DOCX tables.

A task-division table (重点任务分工表) often comes as a workbook attached to a notice. Each
worksheet becomes lines in row order: a row of several cells is ``cell | cell | …`` (an
empty cell stays an empty column, so every row keeps the header's columns), a row with one
filled cell is that cell alone (a title, or a category row merged across the table). A cell
merged over several rows repeats its text in each of them, as a merged cell of a DOCX table
does (a 牵头单位 merged over three tasks leads all three); a cell merged over several columns
keeps its text in the first of them. Columns and rows that are empty throughout are dropped,
and so are hidden worksheets. Line breaks inside a cell become spaces. Numbers are written
without a trailing ``.0`` and dates as ``2024年12月31日``.

Every failure is a :class:`~policykg.builders.model.DocumentError` with the reason.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import zipfile
import zlib

from .model import DocumentError

__all__ = ["read_xlsx", "read_xls", "read_csv", "rows_text", "MAX_CELLS"]

# A worksheet is loaded whole (merged cells are only known that way); beyond this many cells
# (~200 MB of memory in openpyxl) a workbook is refused rather than exhausting the machine.
MAX_CELLS = 2_000_000
# the uncompressed worksheet XML of a workbook over MAX_CELLS cells is far larger than this
_MAX_SHEET_XML = 400_000_000
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, (_dt.datetime, _dt.date)):
        return f"{value.year}年{value.month}月{value.day}日"
    return _BREAKS.sub(" ", str(value)).strip()


def rows_text(grid: list[list[str]], merges: list[tuple[int, int, int, int]] = ()) -> list[str]:
    """Lines of one sheet. ``grid[r][c]`` is a cell's text; ``merges`` are inclusive
    ``(first_row, first_col, last_row, last_col)`` ranges whose text is in their first cell."""
    width = max((len(r) for r in grid), default=0)
    cells = [list(r) + [""] * (width - len(r)) for r in grid]
    for r0, c0, r1, c1 in merges:
        if r0 >= len(cells) or c0 >= width:
            continue
        value = cells[r0][c0]
        for r in range(r0, min(r1, len(cells) - 1) + 1):
            cells[r][c0] = value
            for c in range(c0 + 1, min(c1, width - 1) + 1):
                cells[r][c] = ""
    used = [c for c in range(width) if any(row[c] for row in cells)]
    lines = []
    for row in cells:
        kept = [row[c] for c in used]
        filled = [t for t in kept if t]
        if not filled:
            continue
        if len(filled) == 1:
            lines.append(filled[0])
            continue
        while kept and not kept[-1]:
            kept.pop()
        lines.append(" | ".join(kept))
    return lines


def _count_cells(total: int, sheet_cells: int, shown: str) -> int:
    """The workbook's cells so far with one more sheet's; over :data:`MAX_CELLS` is an error."""
    total += sheet_cells
    if total > MAX_CELLS:
        raise DocumentError(shown, f"the workbook has over {MAX_CELLS:,} cells, too many for a "
                                   "policy document's table: export the sheet that holds the "
                                   "document to .csv")
    return total


def _join_sheets(sheets: list[list[str]], shown: str, what: str) -> str:
    text = "\n\n".join("\n".join(lines) for lines in sheets if lines)
    if not text.strip():
        raise DocumentError(shown, f"no text: every visible worksheet of the {what} is empty")
    return text


def read_xlsx(data: bytes, shown: str) -> str:
    """The text of an Excel 2007+ workbook (``.xlsx``/``.xlsm``)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheet_xml = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets/"))
            if "xl/workbook.xml" not in z.namelist():
                raise DocumentError(shown, "not an Excel workbook: the zip archive has no "
                                           "xl/workbook.xml (is it a renamed Word or other file?)")
    except zipfile.BadZipFile as exc:
        raise DocumentError(shown, f"corrupt or truncated XLSX: not a readable zip archive ({exc}); "
                                   "it may be an incomplete download") from None
    if sheet_xml > _MAX_SHEET_XML:
        raise DocumentError(shown, f"the workbook's sheets unpack to {sheet_xml / 1e6:.0f} MB of XML, "
                                   "too large for a policy document's table: export the sheet "
                                   "that holds the document to .csv")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise DocumentError(shown, f"corrupt or truncated XLSX: a compressed part cannot be "
                                   f"unpacked ({exc})") from None
    except KeyError as exc:
        raise DocumentError(shown, f"corrupt XLSX: a required part is missing ({exc})") from None
    except Exception as exc:  # openpyxl raises bare ValueError/TypeError/XML errors for broken parts
        raise DocumentError(shown, f"corrupt or unreadable XLSX ({type(exc).__name__}: {exc})") from None
    sheets = []
    total = 0
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        total = _count_cells(total, ws.max_row * ws.max_column, shown)
        grid = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
                  for m in ws.merged_cells.ranges]
        sheets.append(rows_text(grid, merges))
    return _join_sheets(sheets, shown, "workbook")


def read_xls(data: bytes, shown: str) -> str:
    """The text of an Excel 97-2003 workbook (``.xls``)."""
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO())
    except xlrd.biffh.XLRDError as exc:
        raise DocumentError(shown, f"not a readable Excel 97-2003 workbook ({exc}): a Word or WPS "
                                   "file named .xls?") from None
    except CompDocError as exc:
        raise DocumentError(shown, f"corrupt or truncated XLS: its container is damaged ({exc}); "
                                   "it may be an incomplete download") from None
    except (AssertionError, IndexError, ValueError, KeyError, EOFError, UnicodeDecodeError,
            TypeError) as exc:
        raise DocumentError(shown, f"corrupt or truncated XLS ({type(exc).__name__}: {exc}); "
                                   "it may be an incomplete download") from None
    sheets = []
    total = 0
    try:
        for i in range(book.nsheets):
            ws = book.sheet_by_index(i)
            if ws.visibility != 0:
                continue
            total = _count_cells(total, ws.nrows * ws.ncols, shown)
            grid = []
            for r in range(ws.nrows):
                row = []
                for c in range(ws.ncols):
                    cell = ws.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            row.append(_cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            row.append(_cell_text(cell.value))
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        row.append(_cell_text(bool(cell.value)))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                        row.append("")
                    else:
                        row.append(_cell_text(cell.value))
                grid.append(row)
            merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
            sheets.append(rows_text(grid, merges))
            book.unload_sheet(i)
    except xlrd.biffh.XLRDError as exc:
        raise DocumentError(shown, f"corrupt XLS ({exc})") from None
    return _join_sheets(sheets, shown, "workbook")


def read_csv(text: str, shown: str) -> str:
    """The text of a CSV (or TAB/semicolon-separated) table, already decoded."""
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        grid = [[_cell_text(c) for c in row]
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise DocumentError(shown, f"malformed CSV ({exc})") from None
    if not any(any(row) for row in grid):
        raise DocumentError(shown, "no text: every cell of the CSV is empty")
    return "\n".join(rows_text(grid))
