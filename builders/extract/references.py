"""References: laws and documents cited by title (《专利法》) or number (国发〔2015〕71号)."""
from __future__ import annotations

import re

from policykg.builders.extract.metadata import DOC_NUMBER, normalise_doc_number
from policykg.builders.extract.records import CitedRecord

TITLE = re.compile(r"《(?P<t>[^《》\n]{2,80})》")


def extract_references(text: str, own_number_span=None) -> list[CitedRecord]:
    out = []
    for m in TITLE.finditer(text):
        out.append(CitedRecord(m.group("t"), "work", m.start("t"), m.end("t")))
    for m in DOC_NUMBER.finditer(text):
        if own_number_span and m.start() < own_number_span[1] and m.end() > own_number_span[0]:
            continue
        out.append(CitedRecord(normalise_doc_number(m), "docnum", m.start(), m.end()))
    return out


def title_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside 《》, where agencies and mechanisms are part of a title, not of the text's own claims."""
    return [(m.start("t"), m.end("t")) for m in TITLE.finditer(text)]
