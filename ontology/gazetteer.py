"""The agency gazetteer: department types, national bodies and places.

Loaded from the TSV files beside this module (package data).  Nothing is read
at import time: call :func:`load_gazetteer` (cached per process, immutable).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Department:
    full: str
    forms: tuple[str, ...]  # every surface form, full form included
    kind: str
    level: str  # "any" | "local" | "national"


@dataclass(frozen=True)
class NationalBody:
    canonical: str
    forms: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Place:
    full: str
    short: str
    level: str  # province | city | district
    parent: str  # full name of the parent place, "" for provinces


@dataclass(frozen=True)
class Gazetteer:
    departments: tuple[Department, ...]
    national: tuple[NationalBody, ...]
    places: tuple[Place, ...]

    @functools.cached_property
    def department_by_form(self) -> dict[str, Department]:
        out: dict[str, Department] = {}
        for dep in self.departments:
            for form in dep.forms:
                out.setdefault(form, dep)
        return out

    @functools.cached_property
    def national_by_form(self) -> dict[str, NationalBody]:
        out: dict[str, NationalBody] = {}
        for body in self.national:
            for form in (body.canonical, *body.forms):
                out.setdefault(form, body)
        return out

    @functools.cached_property
    def place_by_name(self) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for place in self.places:
            out.setdefault(place.full, place)
            if len(place.short) >= 2:
                out.setdefault(place.short, place)
        return out

    def place_chain(self, full: str) -> tuple[Place, ...]:
        """The place and its ancestors, innermost first."""
        chain = []
        place = self.place_by_name.get(full)
        while place is not None and place not in chain:
            chain.append(place)
            place = self.place_by_name.get(place.parent) if place.parent else None
        return tuple(chain)


def _rows(name: str):
    text = resources.files("policykg.ontology").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer (read once per process)."""
    departments = []
    for full, forms, kind, level in _rows("departments.tsv"):
        all_forms = tuple(dict.fromkeys([full, *[f for f in forms.split(";") if f]]))
        departments.append(Department(full, all_forms, kind, level))
    national = []
    for canonical, forms, kind in _rows("national.tsv"):
        national.append(NationalBody(canonical, tuple(f for f in forms.split(";") if f), kind))
    places = []
    for row in _rows("places.tsv"):
        full, short, level = row[0], row[1], row[2]
        parent = row[3] if len(row) > 3 else ""
        places.append(Place(full, short, level, parent))
    return Gazetteer(tuple(departments), tuple(national), tuple(places))
