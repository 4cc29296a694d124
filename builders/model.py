"""Immutable values passed between the pipeline stages.

Every stage of ``policykg.builders`` is a function from one of these values to
the next.  Offsets are Python string indices (Unicode code points) into the
*raw* decoded text of a document, half-open ``[start, end)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from array import array
from typing import Mapping


class DocumentError(Exception):
    """A document that cannot be built, with a reason a researcher understands.

    Parameters
    ----------
    path : str
        The file (or name) of the document.
    reason : str
        Why it failed, e.g. ``"empty file"`` or ``"scanned PDF without a text layer: OCR is needed"``.
    """

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self):  # picklable across worker processes
        return (DocumentError, (self.path, self.reason))


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk: decoded text plus what the container told us.

    ``text`` is the raw text every provenance span points into.
    ``metadata`` holds fields a container carried (e.g. a gov.cn page's
    发文字号 / 发布机构 / 成文日期 table): keys are the Chinese field names.
    """

    name: str  # file name, e.g. "002_2bca6094475032cd.txt"
    path: str  # path as given (or "seeds/<name>" for bundled seeds)
    text: str
    sha256: str  # of the raw bytes
    fmt: str  # "txt" | "html" | "docx" | "pdf" | "xlsx" | "xls" | "csv"
    encoding: str  # e.g. "utf-8", "utf-8-sig", "gb18030", "big5"; "" for docx/pdf
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NormalisedText:
    """Normalised text with a map back to the raw text.

    ``starts[i]`` and ``ends[i]`` are the raw ``[start, end)`` of the raw
    characters that produced ``text[i]`` (usually ``ends[i] == starts[i] + 1``;
    NFKC may turn one raw character into several normalised ones, and removed
    raw characters simply have no normalised counterpart).  Both are
    ``array.array('l')`` of ``len(text)``.  Use :meth:`raw_span` to turn a span
    of ``text`` into a span of the raw text.
    """

    text: str
    starts: "array"
    ends: "array"
    script: str = "simplified"  # or "traditional": the script of the source

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering normalised ``text[start:end]`` (``end > start``)."""
        if end <= start:
            raise ValueError(f"empty span [{start}, {end})")
        return self.starts[start], self.ends[end - 1]
