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
    aliases: tuple[str, ...] = ()  # other names in use (黔东南州 beside 黔东南)
    common_word: bool = False  # the name without its suffix is a common word (会同县, 合作市)


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
    def places_by_name(self) -> dict[str, tuple[Place, ...]]:
        """Every place a name may denote (鼓楼区: four cities have one), listed order first."""
        out: dict[str, list[Place]] = {}
        for place in self.places:
            out.setdefault(place.full, []).append(place)
        full_names = set(out)
        for place in self.places:
            for name in dict.fromkeys((place.short, *place.aliases)):
                if len(name) >= 2 and name not in full_names:
                    out.setdefault(name, []).append(place)
        return {name: tuple(places) for name, places in out.items()}

    @functools.cached_property
    def place_by_name(self) -> dict[str, Place]:
        """The first place a name denotes (a full name before another place's short form)."""
        return {name: places[0] for name, places in self.places_by_name.items()}

    @functools.cached_property
    def _parents(self) -> dict[str, Place]:
        out: dict[str, Place] = {}
        for place in self.places:
            if place.level != "district":
                out.setdefault(place.full, place)
        return out

    def place_chain(self, place: Place | str) -> tuple[Place, ...]:
        """The place (or the first place of that name) and its ancestors, innermost first."""
        if isinstance(place, str):
            place = self.place_by_name.get(place)
        chain: list[Place] = []
        while place is not None and place not in chain:
            chain.append(place)
            place = self._parents.get(place.parent) if place.parent else None
        return tuple(chain)

    def resolve(self, names: list[str] | tuple[str, ...], context: tuple[Place, ...] = ()) -> Place | None:
        """The place the last of ``names`` denotes, read with the names before it (宁波市江北区) and
        else with ``context`` (a document's own chain): the 江北区 of 宁波市 in a Ningbo document."""
        if not names:
            return None
        found = self.places_by_name.get(names[-1], ())
        if len(found) < 2:
            return found[0] if found else None
        outer = set(names[:-1])
        for within in (outer, {p.full for p in context}):
            if within:
                for place in found:
                    chain = self.place_chain(place)[1:]
                    if any(p.full in within or p.short in within for p in chain):
                        return place
        return found[0]


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
        aliases = tuple(a for a in row[4].split(";") if a) if len(row) > 4 else ()
        common_word = len(row) > 5 and row[5] == "word"
        places.append(Place(full, short, level, parent, aliases, common_word))
    return Gazetteer(tuple(departments), tuple(national), tuple(places))
