"""The pipeline: read → normalise → structure/extract → resolve → assemble, per document.

A :class:`Builder` holds what one build shares (compiled gazetteer patterns, a
jieba tokenizer, the IRI minter); each document is built independently, so a
broken document is reported and the others are still built.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from policykg.builders.assemble import AssembledDocument, assemble
from policykg.builders.extract import extract_document
from policykg.builders.extract.agencies import AgencyRecognizer
from policykg.builders.extract.records import Extraction
from policykg.builders.lexicon import Lexicon
from policykg.builders.model import DocumentError, NormalisedText, RawDocument
from policykg.builders.normalise import normalise
from policykg.builders.read import _UNSUPPORTED, DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, read_bytes, read_document
from policykg.ontology.gazetteer import load_gazetteer
from policykg.ontology.iris import Iris, base_from_env

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentResult:
    raw: RawDocument
    norm: NormalisedText
    extraction: Extraction
    assembled: AssembledDocument


@dataclass(frozen=True)
class BuildResult:
    documents: tuple[DocumentResult, ...]
    errors: tuple[DocumentError, ...] = field(default=())


class Builder:
    """Builds documents into RDF with shared, per-build resources.

    Example
    -------
    >>> from policykg.builders.pipeline import Builder, bundled_seeds
    >>> result = Builder().build_raw(bundled_seeds()[2])
    >>> result.extraction.metadata.jurisdiction
    '重庆市渝中区'
    """

    def __init__(self, base_iri: str | None = None):
        self.iris = Iris(base_iri or base_from_env())
        self.recognizer = AgencyRecognizer(load_gazetteer())
        self.lexicon = Lexicon()

    def build_raw(self, raw: RawDocument) -> DocumentResult:
        norm = normalise(raw.text)
        if not norm.text.strip():
            raise DocumentError(raw.path, "no text left after removing page furniture")
        extraction = extract_document(norm.text, self.recognizer, self.lexicon, dict(raw.metadata))
        return DocumentResult(raw, norm, extraction, assemble(raw, norm, extraction, self.iris))

    def build_path(self, path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentResult:
        return self.build_raw(read_document(path, max_bytes=max_bytes))


def bundled_seeds() -> list[RawDocument]:
    """The five Chongqing IP-policy documents shipped with policykg (the default corpus)."""
    root = resources.files("policykg.seeds")
    docs = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            docs.append(read_bytes(entry.read_bytes(), entry.name, path=f"seeds/{entry.name}"))
    return docs


def collect_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[DocumentError]]:
    """Files to build from files and folders (recursively), sorted; missing paths are errors."""
    found: list[Path] = []
    errors: list[DocumentError] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                # supported formats, and formats we can name a conversion for (reported as errors)
                if f.is_file() and not f.name.startswith(".") and (
                        f.suffix.lower() in SUPPORTED_SUFFIXES or f.suffix.lower() in _UNSUPPORTED):
                    found.append(f)
        elif path.exists():
            found.append(path)
        else:
            errors.append(DocumentError(str(path), "no such file or folder"))
    return sorted(dict.fromkeys(found)), errors


def iter_build(builder: Builder, sources: list, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[DocumentResult | DocumentError]:
    """Build each source (a path or a RawDocument), yielding results or errors in order."""
    for src in sources:
        try:
            if isinstance(src, RawDocument):
                yield builder.build_raw(src)
            else:
                yield builder.build_path(src, max_bytes=max_bytes)
        except DocumentError as exc:
            yield exc
