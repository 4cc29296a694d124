"""Document metadata: title, document number, date, issuers, addressees, jurisdiction."""
from __future__ import annotations

import re
from collections import Counter

from policykg.builders.extract.agencies import AgencyRecognizer, Jurisdiction, Mention
from policykg.builders.extract.records import Metadata
from policykg.ontology.gazetteer import Place

# a place at the head of a title (after the year, if the title opens with one: "2025年德化县…"): two to
# six characters and an administrative suffix, then more text
_TITLE_PLACE = re.compile(r"(?:(?:19|20)\d{2}\s*年度?)?(?P<place>(?:(?!关于|印发|全|本|我)[\u4e00-\u9fff]){2,6}?(?:自治县|县|旗|区|市))(?=[\u4e00-\u9fff\d])")

DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,10}?(?:发|办|函|字|令|规|复|通|电|呈|党发)[\u4e00-\u9fff]{0,3}?)"
    r"\s*[〔\[［(（【]?\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]?\s*(?:第\s*)?(?P<n>\d{1,4})\s*号"
)
DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
CN_DATE_DIGITS = {"〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
TITLE_END = r"(?:实施意见|指导意见|若干意见|意见|通知|决定|办法|方案|规划|纲要|计划|要点|规定|细则|条例|措施|通告|公告|批复|报告|分工表|任务表|责任清单|清单|台账)"
TITLE = re.compile(rf"(?P<t>[^\s。；;,，:：|]{{4,80}}?{TITLE_END})")
NOTICE_OF = re.compile(r"(?:印发|转发|发布)\s*《?(?P<t>[^》《\s]{2,80}?)》?\s*的(?:通知|决定)")


def normalise_doc_number(m: re.Match) -> str:
    return f"{m.group('org')}〔{m.group('year')}〕{m.group('n')}号"


def extract_metadata(text: str, rec: AgencyRecognizer, html_meta: dict | None = None) -> Metadata:
    """Metadata from the text (and a web page's metadata table, when the reader found one)."""
    html_meta = dict(html_meta or {})
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    head = lines[:30]

    # -- document number: a number standing on its own line near the top
    doc_number, doc_span = "", None
    for a, b, line in head:
        stripped = line.strip()
        m = DOC_NUMBER.search(text, a, b)
        if m and len(re.sub(r"\s", "", stripped)) <= len(re.sub(r"\s", "", m.group())) + 2:
            doc_number, doc_span = normalise_doc_number(m), (m.start(), m.end())
            break
    if not doc_number and html_meta.get("发文字号"):
        m = DOC_NUMBER.search(html_meta["发文字号"])
        if m:
            doc_number = normalise_doc_number(m)

    # -- title
    title, title_span = "", None
    for a, b, line in head:
        m = NOTICE_OF.search(text, a, b)
        if m and len(text[a:m.start()].strip()) <= 32 and not re.search(r"[，,。；;]", text[a:m.start()]):
            title, title_span = m.group("t"), (m.start("t"), m.end("t"))
            break
    if not title:
        for a, b, line in head:
            if "|" in line or DATE.fullmatch(line.strip()):
                continue
            m = TITLE.search(text, a, b)
            if m:
                s, e = m.start("t"), m.end("t")
                t = text[s:e]
                k = t.find("关于")
                if k > 0:
                    s += k
                    t = t[k:]
                title, title_span = t, (s, e)
                break
    if not title and html_meta.get("标题"):
        title = html_meta["标题"]

    # -- issuers and date: a signature (agency line followed by a date line), or "X 印发"
    issuers: list[Mention] = []
    date, date_span = "", None
    sig_candidates = []
    for i, (a, b, line) in enumerate(lines):
        dm = DATE.search(text, a, b)
        if not dm:
            continue
        rest = re.sub(r"\s|印发|发布|签发", "", text[a:dm.start()] + text[dm.end():b])
        prev = lines[i - 1] if i else None
        own_line = len(rest) == 0
        inline_org = []
        if not own_line:
            before = rec.find(text, Jurisdiction(), None, max(a, dm.start() - 40), dm.start())
            if before and not text[before[-1].end:dm.start()].strip():
                inline_org = [before[-1]]
        if own_line and prev:
            orgs = rec.find(text, Jurisdiction(), None, prev[0], prev[1])
            covered = sum(m.end - m.start for m in orgs)
            if orgs and covered >= 0.8 * len(prev[2].strip()):
                sig_candidates.append((orgs, dm))
        elif inline_org and "印发" in text[dm.end():b]:
            sig_candidates.append((inline_org, dm))
        elif own_line and not sig_candidates:
            sig_candidates.append(([], dm))
    if sig_candidates:
        orgs, dm = sig_candidates[0]
        if orgs and "印发" in text[dm.end():dm.end() + 4]:
            orgs = [_printing_office_owner(o, rec) for o in orgs]
        issuers = list(orgs)
        date = f"{int(dm.group('y')):04d}-{int(dm.group('m')):02d}-{int(dm.group('d')):02d}"
        date_span = (dm.start(), dm.end())
    if not issuers:
        # "X关于印发…的通知" / "X、Y关于…": the issuers precede 关于 in the title line
        for a, b, line in head:
            k = line.find("关于")
            if k > 0:
                orgs = rec.find(text, Jurisdiction(), None, a, a + k)
                if orgs and sum(m.end - m.start for m in orgs) >= 0.7 * len(line[:k].strip()):
                    issuers = orgs
                    break
    if not issuers and html_meta.get("发布机构"):
        pass  # web metadata names a publisher, not necessarily the issuer: left to the caller
    if not date:
        for key in ("成文日期", "发布日期"):
            m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", html_meta.get(key, "") or "")
            if m:
                date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                break

    # -- jurisdiction: from the issuers, else the most frequent full place name
    jur = None
    for org in issuers:
        if org.ref.level == "national":
            jur = Jurisdiction((), national=True)
            break
        if org.ref.jurisdiction:
            chain = rec.gazetteer.place_chain(_innermost_place(org.ref.jurisdiction, rec))
            if chain:
                jur = Jurisdiction(chain)
                break
    if jur is None and title:
        # no issuer: the listed place heading the title ("伊犁哈萨克自治州…任务分工表"), before the most
        # frequent one (a table of tasks names its counties and cities more often than itself)
        opening = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", title)
        title_places = []
        for found in re.finditer(rec.places_re, opening):  # the run of place names opening the title
            if found.start() != sum(map(len, title_places)):
                break
            title_places.append(found.group())
        # the names must nest (重庆市渝中区) and the last be a full name: "南京江北新区…" names no 江北区
        if title_places and len("".join(title_places)) > 2 \
                and rec.chain_suffix("".join(title_places)) == title_places:
            place = rec.gazetteer.resolve(title_places, ())
            if place is not None and not place.common_word and title_places[-1] == place.full:
                jur = Jurisdiction(rec.gazetteer.place_chain(place))
    if jur is None:
        counts = Counter(re.findall(rec.places_re, text[:20000]))
        for name, _ in counts.most_common():
            place = rec.gazetteer.place_by_name.get(name)
            if place is not None and name == place.full and len(name) > 2:
                # a duplicated name (江北区) is the one whose city the text also names (宁波市)
                place = next((p for p in rec.gazetteer.places_by_name[name] if p.parent in counts), place)
                jur = Jurisdiction(rec.gazetteer.place_chain(place))
                break
    # the place heading the title ("雷山县…", "2025年德化县…"), for the three cases below
    m = _TITLE_PLACE.match(title) if title else None
    if jur is not None and jur.chain and jur.chain[0].level == "province":
        # a county the gazetteer does not list heads the title of a document whose most frequent
        # listed place is its province ("雷山县人民政府办公室关于印发《雷山县2024年…》", citing
        # 《贵州省…条例》): the document is the county's, its 省 forms the province's
        if m and m.group("place").endswith(("县", "自治县", "旗")) \
                and m.group("place") not in rec.gazetteer.place_by_name:
            full = m.group("place")
            jur = Jurisdiction((Place(full, _place_short(full), "district", ""), *jur.chain))
    if jur is None:
        # a county or district the gazetteer does not list, named at the head of the title
        # ("旺苍县知识产权强县建设实施方案"): its 县/区 abbreviations still refer to it
        if m:
            full = m.group("place")
            jur = Jurisdiction((Place(full, _place_short(full), "city" if full.endswith("市") else "district", ""),))
    if jur is not None and jur.chain and jur.chain[0].level == "city":
        # a district or county of a listed city that the gazetteer does not list, heading the title
        # ("良庆区2024年…清单", issued by 南宁市良庆区…): the document is the district's
        city = jur.chain[0]
        if m and m.group("place") != city.full and m.group("place") not in rec.gazetteer.place_by_name:
            full = m.group("place").removeprefix(city.full)
            if full.endswith(("区", "县", "自治县", "旗")) and re.search(re.escape(city.full + full), text[:5000]):
                jur = Jurisdiction((Place(full, _place_short(full), "district", city.full),
                                    *jur.chain))
    if jur is not None and jur.chain and jur.chain[0].level in ("city", "province") and issuers \
            and issuers[0].ref.kind == "zone_admin" and not any(o.ref.level == "district" for o in issuers):
        # a development zone's committee issuing ("武汉东湖新技术开发区管理委员会"): its 区 forms are the
        # zone's own bureaus (区科技创新局 = 武汉东湖新技术开发区科技创新局), as a district's would be
        zone = re.sub(r"(?:管理委员会|管委会)$", "", issuers[0].ref.canonical)
        if re.search(r"(?:开发区|高新区|新区|示范区|试验区|合作区)$", zone) and len(zone) >= 4:
            jur = Jurisdiction((Place(zone, zone, "zone", ""), *jur.chain))  # answers to 区 only, not to 县
    if jur is None:
        jur = Jurisdiction()

    # -- addressees: a line ending with a colon right after the title block
    addressees: list[Mention] = []
    for a, b, line in head:
        if re.search(r"[:：]\s*$", line) and len(line) < 200:
            men = rec.find(text, jur, None, a, b)
            if men and sum(m.end - m.start for m in men) >= 0.6 * len(line.strip()):
                addressees = men
                break
    # re-resolve issuers in the document's own jurisdiction (relative forms)
    return Metadata(title, title_span, doc_number, doc_span, date, date_span, tuple(issuers), tuple(addressees),
                    jur.name, jur.level), jur


def _place_short(full: str) -> str:
    """A place's short name without its administrative suffix (德化县 → 德化)."""
    return re.sub(r"(?:自治县|县|区|旗|市)$", "", full)


def _innermost_place(name: str, rec: AgencyRecognizer) -> Place | str:
    """The place a jurisdiction's name ends with (宁波市江北区: Ningbo's 江北区, not Chongqing's)."""
    return rec.gazetteer.resolve(rec.chain_suffix(name)) or name


def _printing_office_owner(m: Mention, rec: AgencyRecognizer) -> Mention:
    """In a "X办公室 2017年11月22日印发" line the issuer is X (its office prints)."""
    surface = m.surface
    for suffix in ("办公室",):
        if surface.endswith(suffix) and len(surface) > len(suffix) + 3:
            inner = rec.find(surface[: -len(suffix)], Jurisdiction(), None)
            if inner and inner[0].start == 0 and inner[0].end == len(surface) - len(suffix):
                return Mention(m.start, m.end - len(suffix), inner[0].surface, inner[0].ref, "printing-office")
    return m
