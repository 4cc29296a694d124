"""What the extractors find, as immutable records (offsets into the normalised text)."""
from __future__ import annotations

from dataclasses import dataclass, field

from policykg.builders.extract.agencies import Mention


@dataclass(frozen=True)
class Provision:
    key: str  # stable within the document: "s<i>" for sections, "r<number>" for table rows
    number: str
    title: str
    title_start: int
    title_end: int
    start: int
    end: int
    depth: int
    parent: str | None
    kind: str = "section"  # section | row


@dataclass(frozen=True)
class Assignment:
    provision: str  # Provision.key
    role: str  # lead | responsible | support | division
    mention: Mention
    cue_start: int  # the assignment phrase (e.g. the whole "(X牵头,Y负责)")
    cue_end: int
    rule: str


@dataclass(frozen=True)
class Schedule:
    provision: str
    kind: str  # schedule | deadline
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ZoneRecord:
    name: str  # canonical zone name
    start: int
    end: int
    surface: str
    parent: str = ""  # e.g. the FTZ a 片区 belongs to
    provision: str | None = None


@dataclass(frozen=True)
class IndustryRecord:
    zone: str
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class MechanismRecord:
    label: str
    start: int
    end: int
    mtype: str  # mechanism | system | framework
    provision: str | None


@dataclass(frozen=True)
class TargetRecord:
    indicator: str
    value: float
    unit: str
    year: int | None
    comparator: str
    start: int
    end: int
    provision: str | None
    upper: float | None = None  # a range "2-3家": value is 2, upper 3


@dataclass(frozen=True)
class CitedRecord:
    key: str  # title (for 《》) or normalised document number
    kind: str  # work | docnum
    start: int
    end: int


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    title_span: tuple[int, int] | None = None
    doc_number: str = ""
    doc_number_span: tuple[int, int] | None = None
    date: str = ""
    date_span: tuple[int, int] | None = None
    issuers: tuple[Mention, ...] = ()
    addressees: tuple[Mention, ...] = ()
    jurisdiction: str = ""
    level: str = ""


@dataclass(frozen=True)
class Extraction:
    metadata: Metadata
    mentions: tuple[Mention, ...]
    provisions: tuple[Provision, ...]
    assignments: tuple[Assignment, ...]
    schedules: tuple[Schedule, ...]
    zones: tuple[ZoneRecord, ...]
    industries: tuple[IndustryRecord, ...]
    mechanisms: tuple[MechanismRecord, ...]
    targets: tuple[TargetRecord, ...]
    cited: tuple[CitedRecord, ...]
    diagnostics: tuple[dict, ...] = field(default=())
    # the header spans of the space-separated tables (structure.find_spaced_tables), kept for the
    # instrument coder, which masks them; None when the extraction did not record them
    table_headers: tuple[tuple[int, int], ...] | None = None
