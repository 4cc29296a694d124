"""A deterministic synthetic corpus for the benchmark, grown from the five bundled seeds.

Every document is one seed with its places, departments, pilot-zone names, years
and quantities varied by a seeded RNG, so documents differ and the graph grows
the way a real corpus does: the same department types recur in many
jurisdictions (many distinct agencies), some agencies recur across documents of
the same jurisdiction, and each document is its own named graph.

Variation per seed (the seed's "kind" is decided from its text):

* a district document (``渝中区``): moved to another Chongqing district or county
  from ``ontology/places.tsv`` (full and short name);
* a city document (``重庆市`` as issuer): moved to another city of the gazetteer
  (or left in Chongqing);
* the free-trade-zone opinion (``中国(重庆)自由贸易试验区``): moved to another
  province (``中国(四川)自由贸易试验区`` …) and its ``…片区`` names replaced;
* the national document: only years and quantities vary.

In all documents some local departments named after ``区``/``市``/``县`` are
swapped for other department types of ``ontology/departments.tsv`` (consistently
within a document), four-digit years are shifted by the same offset, and
quantities before a unit (``12万件``, ``100家``) are rescaled.  Heading numbers
are never touched, so the document structure is kept.

>>> docs = generate_corpus(total_bytes=60_000, n_docs=3, seed=1)
>>> len(docs), len({d.text for d in docs})
(3, 3)

Texts are distinct even after ``normalise`` (which drops web-page chrome), so the build
finds no duplicates among them.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["SyntheticDocument", "generate_corpus", "write_corpus", "seed_texts"]

#: Names for ``…片区`` areas of a free-trade zone (invented for the benchmark).
ZONE_NAMES = (
    "天府", "青白江", "川南", "前海", "南沙", "横琴", "蛇口", "金义", "舟山", "西咸", "浑南", "金普",
    "营口", "开封", "洛阳", "襄阳", "宜昌", "平潭", "岳阳", "郴州", "芜湖", "蚌埠", "钦州", "崇左",
    "西永", "果园港", "空港", "临港", "滨海", "东疆", "保税港", "中关村", "大兴", "雄安", "曹妃甸",
    "正定", "红河", "德宏", "满洲里", "绥芬河", "黑河", "珲春", "延吉", "喀什", "霍尔果斯", "阿拉山口",
)
#: Provinces (short form) that have a free-trade zone, for the FTZ opinion.
FTZ_PROVINCES = (
    "重庆", "四川", "陕西", "湖北", "河南", "浙江", "辽宁", "广东", "福建", "天津", "上海", "海南",
    "山东", "江苏", "广西", "河北", "云南", "黑龙江", "北京", "湖南", "安徽",
)
#: Quantities followed by one of these are rescaled (heading numbers never are).
UNITS = "万亿件家个项人名次元所户%％倍场期批份部"

_DATE_CN = re.compile(r"(?<=年)([01]?[0-9])月([0-3]?[0-9])日")
_DATE_ISO = re.compile(r"(?<=[0-9]{4}-)([01][0-9])-([0-3][0-9])(?![0-9])")
_YEAR = re.compile(r"(?<![0-9])(19[89][0-9]|20[0-3][0-9])(?![0-9])")
_QUANTITY = re.compile(r"(?<![0-9.\-－—])([1-9][0-9]{0,5})(?=[" + UNITS + r"])")


@dataclass(frozen=True)
class SyntheticDocument:
    name: str
    seed_name: str
    kind: str  # district | city | ftz | national
    place: str
    text: str

    @property
    def nbytes(self) -> int:
        return len(self.text.encode("utf-8"))


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------


def seed_texts() -> list[tuple[str, str]]:
    """(file name, decoded text) of the bundled seeds, as the pipeline reads them."""
    from policykg.builders.pipeline import bundled_seeds

    return [(raw.name, raw.text) for raw in bundled_seeds()]


def _tsv_rows(name: str) -> list[list[str]]:
    text = resources.files("policykg.ontology").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _places():
    """(Chongqing districts, cities, provinces) as (full, short) pairs."""
    districts, cities, provinces = [], [], {}
    for row in _tsv_rows("places.tsv"):
        full, short, level = row[0], row[1], row[2]
        parent = row[3] if len(row) > 3 else ""
        if level == "district" and parent == "重庆市":
            districts.append((full, short))
        elif level == "city":
            cities.append((full, short))
        elif level == "province":
            provinces[short] = full
    return districts, cities, provinces


def _departments() -> list[tuple[str, tuple[str, ...]]]:
    """Local government department types: (full name, short forms)."""
    out = []
    for row in _tsv_rows("departments.tsv"):
        full, shorts, kind, level = row[0], row[1], row[2], row[3]
        if kind != "gov" or level != "local" or "政府" in full or "分局" in full:
            continue
        forms = tuple(s for s in shorts.split(";") if s and s != full)
        out.append((full, forms))
    return out


def _kind(text: str) -> str:
    head = text[:3000]
    if "自由贸易试验区" in head and "中国(重庆)" in head.replace("（", "(").replace("）", ")"):
        return "ftz"
    if "渝中区" in head:
        return "district"
    if "重庆市" in head:
        return "city"
    return "national"


# ---------------------------------------------------------------------------
# variation
# ---------------------------------------------------------------------------


def _replace_all(text: str, mapping: dict[str, str]) -> str:
    """Replace every key (longest first, in one pass, so replacements are not re-replaced)."""
    if not mapping:
        return text
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group()], text)


def _swap_departments(text: str, rng: random.Random, departments, share: float) -> str:
    """Rename some ``区/市/县 + department`` types to types absent from the document."""
    forms: dict[str, tuple[int, int]] = {}  # surface -> (department index, form index; -1 = full)
    for i, (full, shorts) in enumerate(departments):
        forms.setdefault(full, (i, -1))
        for j, s in enumerate(shorts):
            forms.setdefault(s, (i, j))
    pattern = re.compile("(?<=[区市县])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")")
    present = sorted({forms[m.group()][0] for m in pattern.finditer(text)})
    absent = [i for i in range(len(departments)) if i not in present]
    rng.shuffle(absent)
    target: dict[int, int] = {}
    for i in present:
        if absent and rng.random() < share:
            target[i] = absent.pop()

    def sub(m: re.Match) -> str:
        i, j = forms[m.group()]
        if i not in target:
            return m.group()
        full, shorts = departments[target[i]]
        if j < 0 or not shorts:
            return full
        return shorts[min(j, len(shorts) - 1)]

    return pattern.sub(sub, text)


def _vary_dates(text: str, rng: random.Random) -> str:
    """Issue dates (``7月31日``, ``-08-03``) moved to another day of the year."""
    text = _DATE_CN.sub(lambda m: f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", text)
    return _DATE_ISO.sub(lambda m: f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", text)


def _vary_numbers(text: str, rng: random.Random, year_offset: int) -> str:
    text = _YEAR.sub(lambda m: str(int(m.group()) + year_offset), text)

    def quantity(m: re.Match) -> str:
        n = int(m.group())
        return str(max(1, round(n * rng.uniform(0.5, 2.0))))

    return _QUANTITY.sub(quantity, text)


def _resize(text: str, target: int, rng: random.Random) -> str:
    """Bring a document within about ±50% of ``target`` UTF-8 bytes, at line boundaries."""
    size = len(text.encode("utf-8"))
    if size > 1.5 * target:
        out, n = [], 0
        for line in text.split("\n"):
            b = len(line.encode("utf-8")) + 1
            if out and n + b > target:
                break
            out.append(line)
            n += b
        return "\n".join(out) + "\n"
    if size < 0.5 * target:
        lines = text.split("\n")
        body = lines[len(lines) // 4:] or lines
        parts = [text.rstrip("\n")]
        while size < 0.75 * target:
            extra = _vary_numbers("\n".join(body), rng, 0)
            parts.append(extra)
            size += len(extra.encode("utf-8")) + 1
        return "\n".join(parts) + "\n"
    return text


def generate_corpus(total_bytes: int = 10_000_000, n_docs: int = 550, seed: int = 20261121,
                    seeds: list[tuple[str, str]] | None = None) -> list[SyntheticDocument]:
    """``n_docs`` varied documents of about ``total_bytes`` UTF-8 bytes in all (deterministic)."""
    if n_docs < 1:
        raise ValueError("n_docs must be at least 1")
    seeds = seeds if seeds is not None else seed_texts()
    rng = random.Random(seed)
    districts, cities, provinces = _places()
    departments = _departments()
    per_doc = max(2_000, total_bytes // n_docs)
    from policykg.builders.normalise import normalise

    order: list[int] = []
    docs: list[SyntheticDocument] = []
    seen: set[str] = set()
    for k in range(n_docs):
        if not order:
            order = list(range(len(seeds)))
            rng.shuffle(order)
        si = order.pop()
        # every document distinct *after normalisation* (the build reports texts that differ only
        # in web-page chrome as duplicates; the national seed varies little)
        for _attempt in range(50):
            doc = _variant(k, seeds[si], rng, districts, cities, provinces, departments, per_doc)
            key = normalise(doc.text).text
            if key not in seen:
                break
        seen.add(key)
        docs.append(doc)
    return docs


def _variant(k: int, seed: tuple[str, str], rng: random.Random, districts, cities, provinces, departments,
             per_doc: int) -> SyntheticDocument:
    """Document number ``k``: one variation of ``seed`` (file name, text)."""
    seed_name, text = seed
    kind = _kind(text)
    year_offset = rng.randint(-4, 3)
    place = ""
    if kind == "district":
        full, short = rng.choice(districts)
        text = _replace_all(text, {"渝中区": full, "渝中": short})
        place = full
    elif kind == "city":
        full, short = ("重庆市", "重庆") if rng.random() < 0.2 else rng.choice(cities)
        text = _replace_all(text, {"重庆市": full, "重庆": short})
        place = full
    elif kind == "ftz":
        short = rng.choice(FTZ_PROVINCES)
        full = provinces.get(short, short + "省")
        names = rng.sample(ZONE_NAMES, 3)
        text = _replace_all(text, {"重庆市": full, "重庆": short, "两江": names[0], "西永": names[1],
                                   "果园港": names[2]})
        place = full
    if kind != "national":
        text = _swap_departments(text, rng, departments, share=0.35)
    text = _vary_numbers(_vary_dates(text, rng), rng, year_offset)
    text = _resize(text, per_doc, rng)
    name = f"doc{k:04d}_{Path(seed_name).stem.split('_')[0]}_{kind}.txt"
    return SyntheticDocument(name, seed_name, kind, place, text)


def write_corpus(docs: list[SyntheticDocument], folder: str | Path) -> list[Path]:
    """Write the documents as UTF-8 ``.txt`` files into ``folder``; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in docs:
        p = folder / d.name
        p.write_bytes(d.text.encode("utf-8"))
        paths.append(p)
    return paths
