"""The vendor knowledge base: data (YAML), not code, so that an agency can add a brand, an enterprise number
or a sub-brand link without a release.

The brand it names is the brand the product carries today: a registrant whose name is a brand's former or legal
name (a brand's ``aliases``: "Compaq" is HPE, "American Power Conversion" APC), a registrant whose line another
company carries on (``successors``: Merlin Gerin's UPS MIB is Eaton's) and a subtree another company took over
(``oid_prefixes``: Motorola's 161.19 Canopy subtree is Cambium Networks') are read as that brand, while the
registered name stays on the evidence as the manufacturer and in its note (:meth:`KnowledgeBase.reading`).

The shipped file is ``collectors/vendor/data/knowledge.yaml``. A user file with the same shape is merged over it
(brands, enterprises and weights entry by entry; lists extended), so a local addition never has to copy the
whole base (a user file's ``descr_models`` are tried before the shipped ones). Patterns are compiled once per
load; a bad pattern or a wrong type is an :class:`InputError` naming the file and the key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from collectors.vendor import pen
from netcomply.errors import InputError, InputProblem

SHIPPED = Path(__file__).resolve().parent / "data" / "knowledge.yaml"


@dataclass(frozen=True)
class Brand:
    name: str
    prc: bool | None
    owner: str | None = None
    note: str | None = None
    aliases: tuple[re.Pattern[str], ...] = ()
    models: tuple[re.Pattern[str], ...] = ()
    needles: tuple[str | None, ...] = ()  # per alias: its lower-case text when it is a plain word or phrase
    cjk_aliases: tuple[ChineseName, ...] = ()  # the aliases written in Chinese characters
    cjk_needles: tuple[str | None, ...] = ()  # per Chinese alias: the literal text every match contains


@dataclass(frozen=True)
class Enterprise:
    number: int
    brand: str | None = None
    manufacturer: str | None = None
    generic: bool = False
    status: str = "registered"
    weight: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Successor:
    """A registrant whose products carry another organisation's brand today, that organisation not being a
    knowledge-base brand (it is judged like any registrant: by the PRC rules of :mod:`collectors.vendor.makers`)."""

    registrant: re.Pattern[str]
    brand: str
    note: str


@dataclass(frozen=True)
class VendorOid:
    oid: str
    brand: str
    field: str
    names_brand: bool = False


@dataclass(frozen=True)
class Banner:
    pattern: re.Pattern[str]
    brand: str | None = None
    manufacturer: str | None = None


@dataclass(frozen=True)
class DescrModel:
    """A model (and version) pattern for free text of one brand family, with named groups ``model``/``version``."""

    brand: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    sources: tuple[str, ...]
    ban_list: Mapping[str, Any]
    brands: Mapping[str, Brand]
    enterprises: Mapping[int, Enterprise]
    vendor_oids: tuple[VendorOid, ...]
    ssh_banners: tuple[Banner, ...]
    chip_makers: tuple[str, ...]
    weights: Mapping[str, float]
    os_makers: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # (pattern, OS name, manufacturer)
    descr_models: tuple[DescrModel, ...] = ()
    oid_prefixes: Mapping[str, Enterprise] = field(default_factory=dict)  # "1.3.6.1.4.1.161.19" -> its reading
    successors: tuple[Successor, ...] = ()
    _lower: Mapping[str, str] = field(default_factory=dict)
    _has_chinese: bool = False  # some brand has a Chinese alias
    _readings: dict[tuple[int, str], Enterprise | None] = field(default_factory=dict, compare=False, repr=False)

    # ---- lookups ---------------------------------------------------------------------------------

    def brand(self, name: str | None) -> Brand | None:
        if not name:
            return None
        key = self._lower.get(name.strip().lower())
        return self.brands.get(key) if key else None

    def canonical(self, name: str | None) -> str | None:
        """The knowledge base's spelling of a brand name (``tp-link`` -> ``TP-Link``), or None."""
        b = self.brand(name)
        return b.name if b else None

    def family(self, name: str) -> str:
        """The top of the ownership chain: EZVIZ -> Hikvision, HP -> HPE, Cisco -> Cisco."""
        seen: set[str] = set()
        current = name
        while True:
            b = self.brands.get(current)
            if b is None or not b.owner or b.owner in seen:
                return current
            seen.add(current)
            current = b.owner

    def family_of(self, name: str | None) -> str:
        """The family of any brand name, known or not: the knowledge base's spelling up its ownership chain, else
        the name as given ("" for none). Claims are grouped, compared and judged by this key."""
        canon = self.canonical(name) or name or ""
        return self.family(canon) if canon else ""

    def prc(self, name: str | None) -> bool | None:
        b = self.brand(name)
        return None if b is None else b.prc

    def weight(self, key: str) -> float:
        return float(self.weights.get(key, 0.5))

    def brands_in_text(self, text: str) -> list[tuple[str, str]]:
        """Every brand whose name pattern occurs in ``text``: ``(brand, the matched text)``, the brand's earliest
        name in the text (where a description starts decides whose it is). A pattern that is a plain word or phrase
        is tried only when its text occurs (a substring test, far cheaper than a search). A text that holds Chinese
        characters goes to :meth:`_in_chinese_text`; device answers, nearly all ASCII, pay nothing for the Chinese
        names."""
        if not text.isascii() and self._has_chinese and _HAN.search(text):
            return self._in_chinese_text(text)
        low = text.lower()
        found: list[tuple[str, str]] = []
        for b in self.brands.values():
            first = _earliest(b.aliases, b.needles, text, low)
            if first is not None:
                found.append((b.name, first.group(0)))
        return found

    def _in_chinese_text(self, text: str) -> list[tuple[str, str]]:
        """:meth:`brands_in_text` for a text that holds Chinese characters: the names in Latin letters are searched
        with each Chinese character read as a space (Chinese text puts none between "HUAWEI" and "華為", or "Aruba"
        and "無線基地台"), the Chinese names (``cjk_aliases``) in the text itself; each brand's earliest name is kept,
        in the brands' order."""
        spaced = _HAN.sub(" ", text)  # one character for one: positions stay the text's
        low, spaced_low = text.lower(), spaced.lower()
        firsts: dict[str, tuple[int, int]] = {}
        for b in self.brands.values():
            latin = _earliest(b.aliases, b.needles, spaced, spaced_low)
            chinese = _earliest(b.cjk_aliases, b.cjk_needles, text, low) if b.cjk_aliases else None
            m = min((x for x in (latin, chinese) if x is not None), key=lambda x: x.start(), default=None)
            if m is not None:
                firsts[b.name] = m.span()
        return [(name, text[start:end]) for name, (start, end) in firsts.items()]

    def brand_named(self, text: str) -> str | None:
        """The brand a name or a short text states: the knowledge base's spelling of the whole name
        (``tp-link`` -> ``TP-Link``), else the first brand named in it ("Hewlett-Packard Company" -> HP)."""
        return self.canonical(text) or next((b for b, _ in self.brands_in_text(text)), None)

    def brands_by_model(self, text: str) -> list[tuple[str, str]]:
        """Brands whose model-number pattern occurs in ``text`` (``DS-2CD2143G2-I`` -> Hikvision)."""
        found: list[tuple[str, str]] = []
        for b in self.brands.values():
            for pat in b.models:
                m = pat.search(text)
                if m:
                    found.append((b.name, m.group(0)))
                    break
        return found

    def os_makers_in(self, text: str) -> list[tuple[str, str]]:
        """``(OS name, manufacturer)`` for every multi-brand OS the text names (``Comware`` -> H3C)."""
        return [(name, maker) for pat, name, maker in self.os_makers if pat.search(text)]

    def model_in_text(self, text: str, brands: list[str]) -> tuple[str, str | None, DescrModel] | None:
        """``(model, version, pattern)`` from the first ``descr_models`` pattern of the families of ``brands``
        that matches ``text``."""
        families = {self.family(self.canonical(b) or b) for b in brands}
        for dm in self.descr_models:
            if self.family(dm.brand) not in families:
                continue
            m = dm.pattern.search(text)
            if m and m.group("model") and m.group("model").strip():
                version = m.groupdict().get("version")
                return m.group("model").strip(), version.strip() if version else None, dm
        return None

    def is_chip_maker(self, org: str) -> bool:
        low = org.lower()
        return any(c in low for c in self.chip_makers)

    # ---- enterprise numbers: the brand on the product today ------------------------------------------

    def reading(self, number: int, value: str = "", registrant: str | None = None) -> Enterprise | None:
        """What the knowledge base reads in enterprise ``number`` as a device states it (``value``: the
        sysObjectID, when there is one; ``registrant``: the IANA registrant of ``number``), or None (then the
        registry's reading in :func:`collectors.vendor.evidence.enterprise_evidence` decides).

        In order: the longest ``oid_prefixes`` entry the OID falls under (a subtree another company took over:
        Motorola's 161.19 is Cambium's Canopy/PTP line, while the rest of 161 is Motorola Solutions'); the
        ``enterprises`` entry of the number; then, for a registrant that is neither a standards body nor a chip
        maker, the brand its current name names (a brand's alias: "Compaq" is HPE, "Network Appliance" NetApp),
        or its ``successors`` entry, or -- when the registry notes a former name ("Nokia # formerly
        'Alcatel-Lucent'") -- the current name alone, so that the former owner's brand is never the one shown.
        The registrant stays the manufacturer and is named in the evidence note."""
        oid = value.strip().lstrip(".")
        if self.oid_prefixes and oid.startswith("1.3.6.1.4.1."):
            parts = oid.split(".")
            for end in range(len(parts), 7, -1):
                found = self.oid_prefixes.get(".".join(parts[:end]))
                if found is not None:
                    return found
        ent = self.enterprises.get(number)
        if ent is not None or not registrant:
            return ent
        key = (number, registrant)
        if key not in self._readings:
            self._readings[key] = self._registered(number, registrant)
        return self._readings[key]

    def _registered(self, number: int, registrant: str) -> Enterprise | None:
        if pen.generic(registrant) or self.is_chip_maker(registrant):
            return None  # the registry reading says why it names no brand
        current = current_name(registrant)
        maker = pen.registrant_brand(registrant)
        weight = self.weight("registrant")
        named = self.brands_in_text(current)
        if named:
            b = self.brands[named[0][0]]
            return Enterprise(number, b.name, maker, weight=weight,
                              note=f"the products carry the {b.name} brand today" + (f" ({b.note})" if b.note else ""))
        for s in self.successors:
            if s.registrant.match(current):
                return Enterprise(number, s.brand, maker, weight=weight,
                                  note=f"the products carry the {s.brand} brand today ({s.note})")
        former_brands = [self.brands[b] for b, _ in self.brands_in_text(registrant)]
        if current == registrant.strip() or not former_brands or any(b.prc is not False for b in former_brands):
            return None  # no former name, or one whose brand is PRC or open: the registry reading keeps it
        former = registrant.strip()[len(current):].strip(" \t#()")
        return Enterprise(number, maker, maker, weight=weight,
                          note=f"registered today as {current!r}; the former name in the registry ({former}) is not "
                               "the brand the products carry")


_FORMERLY = re.compile(r"\s*[#(]\s*(?:formerly|previous(?:ly)?(?:\s+was)?)\b.*$", re.IGNORECASE | re.DOTALL)


def current_name(registrant: str) -> str:
    """An IANA registrant without the registry's note of its former name: ``Nokia # formerly 'Alcatel-Lucent'``,
    ``Nokia (Formerly 'Alcatel-Lucent')``, ``Schneider Electric Buildings AB (previous was 'TAC AB')`` -> the name
    it has today."""
    return _FORMERLY.sub("", registrant).strip() or registrant.strip()


class Searcher(Protocol):
    """A compiled name: a regular expression, or a :class:`ChineseName`."""

    def search(self, text: str, /) -> re.Match[str] | None: ...


def _earliest(patterns: Sequence[Searcher], needles: Sequence[str | None], text: str,
              low: str) -> re.Match[str] | None:
    """The earliest match in ``text`` of any of one brand's ``patterns`` ("Emerson Network Power Liebert" starts
    with Vertiv's name); a pattern whose needle is not in ``low`` (the text in lower case) is not searched."""
    first: re.Match[str] | None = None
    for pat, needle in zip(patterns, needles, strict=True):
        if needle is not None and needle not in low:
            continue
        m = pat.search(text)
        if m and (first is None or m.start() < first.start()):
            first = m
    return first


# --------------------------------------------------------------------------------------------- loading


#: Chinese (Han) characters: the CJK unified ideographs, extension A and the compatibility ideographs.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = re.compile(f"[{HAN}]")

#: What may follow a Chinese brand name inside a run of Chinese text and still leave it that company's name: the
#: words of a company's name (華為技術有限公司, 海康威視數位技術股份有限公司, 华为通信, 新華三集團, 思科台灣) and
#: the kinds of equipment an asset register writes after the brand (華為交換器, 海康威视摄像机), Traditional and
#: Simplified. ``{CO}`` in an alias stands for them (a name that is an ordinary word alone: ``兄弟{CO}``).
CJK_FOLLOWERS = (
    "技術", "技术", "科技", "網路", "网路", "網絡", "网络", "網通", "网通", "通信", "通訊", "通讯", "電子", "电子",
    "電腦", "电脑", "電機", "电机", "電氣", "电气", "資訊", "资讯", "信息", "數位", "数位", "數字", "数字", "數碼",
    "数码", "智能", "智慧", "系統", "系统", "股份", "有限", "公司", "集團", "集团", "企業", "企业", "控股", "國際",
    "国际", "中國", "中国", "台灣", "臺灣", "台湾", "雲", "云", "創新", "创新", "數據", "数据", "軟件", "软件",
    "軟體", "软体", "移動", "移动", "工業", "工业", "實業", "实业", "光電", "光电", "物聯", "物联", "傳感", "传感",
    "視訊", "视讯", "終端", "终端", "安防",
    "交換器", "交換機", "交换机", "路由器", "防火牆", "防火墙", "攝影機", "摄影机", "摄像机", "攝像頭", "摄像头",
    "監控", "监控", "錄影機", "录像机", "無線", "无线", "基地台", "伺服器", "服务器", "儲存", "存储", "印表機",
    "打印机", "事務機", "筆電", "笔记本", "手機", "手机", "產品", "产品", "設備", "设备", "網卡", "网卡",
)

#: What may precede a Chinese brand name inside a run of Chinese text: the place a company's registered name starts
#: with (杭州海康威視, 深圳市華為, 浙江大华, 蘇州科達) and the origin prefix a Taiwanese register or contract writes
#: (美商思科, 日商愛普生, 台灣惠普), each with or without 市 / 省.
CJK_PREFIXES = (
    "深圳", "杭州", "浙江", "北京", "上海", "武漢", "武汉", "福建", "福州", "廣州", "广州", "廣東", "广东", "蘇州",
    "苏州", "江蘇", "江苏", "廈門", "厦门", "天津", "濟南", "济南", "山東", "山东", "南京", "成都", "重慶", "重庆",
    "合肥", "珠海", "東莞", "东莞", "鄭州", "郑州", "無錫", "无锡", "寧波", "宁波", "西安", "中國", "中国", "香港",
    "台灣", "臺灣", "台湾", "美國", "美国", "日本", "德國", "德国", "美商", "日商", "德商", "荷商", "英商", "法商",
    "韓商", "韩商", "港商", "瑞商", "新加坡商",
)


def _lookbehind(words: tuple[str, ...]) -> str:
    """``(?<=a|b)`` groups, one per length (a look-behind has one width), for words ending just before a match."""
    widths = sorted({len(w) for w in words})
    return "|".join(f"(?<={'|'.join(w for w in words if len(w) == n)})" for n in widths)


_CJK_LEFT = "(?:(?<![{han}])|{prefixes})".format(
    han=HAN, prefixes=_lookbehind(tuple(p + s for p in CJK_PREFIXES for s in ("", "市", "省"))))
_CJK_RIGHT = "(?:(?![{han}])|(?={followers}))".format(han=HAN, followers="|".join(CJK_FOLLOWERS))


def is_cjk(pattern: str) -> bool:
    """Whether an alias is written in Chinese characters (then :class:`ChineseName` compiles it)."""
    return _HAN.search(pattern) is not None


def expand_followers(pattern: str) -> str:
    """An alias with ``{CO}`` (the name needs a company or equipment word after it) as a plain pattern."""
    return pattern.replace("{CO}", "(?:" + "|".join(CJK_FOLLOWERS) + ")")


_LEFT = re.compile(_CJK_LEFT)
_RIGHT = re.compile(_CJK_RIGHT)


@dataclass(frozen=True)
class ChineseName:
    """A Chinese name, matched where it is a word of its own, which Chinese text does not mark by spaces (in
    華為技術有限公司, 為 is followed by 技, a word character): not preceded by a Chinese character unless that ends a
    place or origin prefix (:data:`CJK_PREFIXES`: 杭州海康威視, 美商思科), and not followed by one unless a company
    or equipment word follows (:data:`CJK_FOLLOWERS`: 華為技術, 海康威视摄像机). So "HUAWEI華為", "華為",
    "华为技术有限公司" and "杭州海康威視數位技術" name their brand while 中華為民 or 大華銀行 do not (a name that is
    also an ordinary word or another company's is written in the data with the words that make it the company's:
    ``大華技術股份``, ``蘋果{CO}``). The two boundary patterns are compiled once for all names (a look-behind over
    every prefix compiled into each name took seconds to load)."""

    pattern: str
    core: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str) -> ChineseName:
        return cls(pattern, re.compile(expand_followers(pattern)))

    def search(self, text: str, /) -> re.Match[str] | None:
        for m in self.core.finditer(text):
            if _LEFT.match(text, m.start()) and _RIGHT.match(text, m.end()):
                return m
        return None


def _word(pattern: str) -> re.Pattern[str]:
    """An alias matches on word boundaries; all-capital aliases (``HP``, ``ZTE``, ``UNV``) match case-sensitively
    so that ordinary words are not read as brands. An underscore separates words here (``NEC_SV9300_VFE``,
    ``TA_UTAX Printing System``): firmware writes names joined by it, and no brand name holds one; so does a Chinese
    character, read as a space (:meth:`KnowledgeBase._in_chinese_text`: "HUAWEI華為", "Aruba無線基地台")."""
    flags = 0 if (pattern.upper() == pattern and any(c.isalpha() for c in pattern)) else re.IGNORECASE
    return re.compile(rf"(?<![^\W_]|-)(?:{pattern})(?![^\W_])", flags)


def _needle(pattern: str) -> str | None:
    """The lower-case text every match of an alias contains, or None when there is none to test cheaply: the whole
    alias when it is a plain word or phrase (``huawei``; ``Hewlett Packard``; ``海康威視``), else the literal text it
    starts with (``tp-?link`` -> ``tp``; ``Digi(?= TransPort)`` -> ``digi``; ``大華技術股份`` -> itself) when that
    is two characters or more, or one Chinese character (rare in device answers, so still a cheap screen)."""
    plain = pattern.replace("\\.", ".").replace("\\-", "-").replace("\\ ", " ")
    if re.fullmatch(rf"[A-Za-z0-9 .\-&{HAN}]+", plain):
        return plain.lower()
    head = literal_head(pattern)
    return head if len(head) >= 2 or _HAN.match(head) else None


def literal_head(pattern: str) -> str:
    """The lower-case literal text a pattern starts with, up to its first pattern syntax (``qi-?anxin`` -> ``qi``;
    ``ZX(?:CTN|DSL)`` -> ``zx``): every text the pattern matches contains it. A pattern with alternatives at its top
    level has none (the empty text, which every text contains)."""
    if _top_level_alternation(pattern):
        return ""
    raw = re.match(rf"(?:\\[.\- ]|[A-Za-z0-9 &{HAN}-])*", pattern).group(0)  # type: ignore[union-attr]  # always matches
    literal = raw.replace("\\", "")
    if pattern[len(raw):len(raw) + 1] in ("?", "*", "{"):
        literal = literal[:-1]  # a quantifier makes the head's last character optional
    return literal.lower()


def _top_level_alternation(pattern: str) -> bool:
    depth, escaped, in_class = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False


def _model(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])")


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if key in ("brands", "enterprises", "weights", "ban_list", "os_makers", "oid_prefixes") and isinstance(
                value, Mapping):
            merged = dict(out.get(key) or {})
            for k, v in value.items():
                if isinstance(v, Mapping) and isinstance(merged.get(k), Mapping):
                    merged[k] = {**merged[k], **v}
                else:
                    merged[k] = v
            out[key] = merged
        elif key == "descr_models" and isinstance(value, list):
            out[key] = list(value) + list(out.get(key) or [])  # the user's patterns are tried first
        elif key in ("vendor_oids", "ssh_banners", "chip_makers", "successors") and isinstance(value, list):
            out[key] = list(out.get(key) or []) + list(value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read vendor knowledge base: {exc.strerror}")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(InputProblem(str(path), line, f"not valid YAML: {getattr(exc, 'problem', exc)}")) from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(InputProblem(str(path), 1, "expected a mapping at the top of the vendor knowledge base"))
    return doc


Bad = Callable[[str, str], None]


def _names(sources: list[str]) -> dict[str, tuple[Any, ...]]:
    """A brand's aliases compiled: those in Latin letters (``aliases``, ``needles``) and those in Chinese
    characters (``cjk_aliases``, ``cjk_needles``), which match by another rule and are searched only in text that
    is not all ASCII. Raises :class:`re.error` for a bad pattern."""
    latin = [a for a in sources if not is_cjk(a)]
    chinese = [a for a in sources if is_cjk(a)]
    return {"aliases": tuple(_word(a) for a in latin), "needles": tuple(_needle(a) for a in latin),
            "cjk_aliases": tuple(ChineseName.compile(a) for a in chinese),
            "cjk_needles": tuple(_needle(expand_followers(a)) for a in chinese)}


def _brands(doc: Mapping[str, Any], bad: Bad) -> dict[str, Brand]:
    brands: dict[str, Brand] = {}
    for name, raw in (doc.get("brands") or {}).items():
        raw = raw or {}
        if not isinstance(raw, Mapping):
            bad(f"brands.{name}", "expected a mapping")
            continue
        prc = raw.get("prc")
        if prc not in (True, False, None):
            bad(f"brands.{name}.prc", "expected true, false or null")
            continue
        sources = [str(a) for a in (raw.get("aliases") or [re.escape(str(name))])]
        try:
            names = _names(sources)
            models = tuple(_model(m) for m in (raw.get("models") or []))
        except re.error as exc:
            bad(f"brands.{name}", f"bad pattern: {exc}")
            continue
        brands[str(name)] = Brand(str(name), prc, raw.get("owner"), raw.get("note"), names["aliases"], models,
                                  names["needles"], names["cjk_aliases"], names["cjk_needles"])
    for b in brands.values():
        if b.owner and b.owner not in brands:
            bad(f"brands.{b.name}.owner", f"owner {b.owner!r} is not a brand of the knowledge base")
    return brands


def _enterprises(doc: Mapping[str, Any], brands: Mapping[str, Brand], bad: Bad) -> dict[int, Enterprise]:
    enterprises: dict[int, Enterprise] = {}
    for number, raw in (doc.get("enterprises") or {}).items():
        raw = raw or {}
        try:
            n = int(number)
        except (TypeError, ValueError):
            bad(f"enterprises.{number}", "an enterprise number must be an integer")
            continue
        brand = raw.get("brand")
        if brand and brand not in brands:
            bad(f"enterprises.{number}.brand", f"unknown brand {brand!r}")
            continue
        enterprises[n] = Enterprise(n, brand, raw.get("manufacturer"), bool(raw.get("generic", False)),
                                    str(raw.get("status", "registered")), raw.get("weight"), raw.get("note"))
    return enterprises


_PREFIX = re.compile(r"1\.3\.6\.1\.4\.1\.(\d+)(?:\.\d+)+")


def _oid_prefixes(doc: Mapping[str, Any], brands: Mapping[str, Brand], bad: Bad) -> dict[str, Enterprise]:
    """``oid_prefixes``: a subtree below an enterprise number that names another brand than the number itself."""
    out: dict[str, Enterprise] = {}
    for prefix, raw in (doc.get("oid_prefixes") or {}).items():
        oid = str(prefix).strip().lstrip(".")
        m = _PREFIX.fullmatch(oid)
        if m is None:
            bad(f"oid_prefixes.{prefix}", "expected an OID below an enterprise number (1.3.6.1.4.1.N.x...)")
            continue
        if not isinstance(raw, Mapping) or not (raw.get("brand") or raw.get("manufacturer")):
            bad(f"oid_prefixes.{prefix}", "expected a mapping with a brand or a manufacturer")
            continue
        if raw.get("brand") and raw["brand"] not in brands:
            bad(f"oid_prefixes.{prefix}.brand", f"unknown brand {raw['brand']!r}")
            continue
        if not raw.get("note"):
            bad(f"oid_prefixes.{prefix}.note", "say why the subtree is that brand's, and the source")
            continue
        out[oid] = Enterprise(int(m.group(1)), raw.get("brand"), raw.get("manufacturer"), False, "registered",
                              raw.get("weight"), str(raw["note"]))
    return out


def _successors(doc: Mapping[str, Any], brands: Mapping[str, Brand], bad: Bad) -> tuple[Successor, ...]:
    """``successors``: registrant name patterns (matched from the start of the current name, to a word end, in any
    case) whose products carry another, non-knowledge-base organisation's brand today."""
    out = []
    for i, raw in enumerate(doc.get("successors") or []):
        if not isinstance(raw, Mapping) or not raw.get("registrant") or not raw.get("brand") or not raw.get("note"):
            bad(f"successors[{i}]", "expected registrant (a pattern), brand and note (why, with the source)")
            continue
        if str(raw["brand"]).lower() in {b.lower() for b in brands}:
            bad(f"successors[{i}].brand", f"{raw['brand']!r} is a knowledge-base brand: add the name to its aliases")
            continue
        try:
            pattern = re.compile(rf"(?:{raw['registrant']})(?![\w])", re.IGNORECASE)
        except re.error as exc:
            bad(f"successors[{i}].registrant", f"bad pattern: {exc}")
            continue
        out.append(Successor(pattern, str(raw["brand"]), str(raw["note"])))
    return tuple(out)


def _vendor_oids(doc: Mapping[str, Any], brands: Mapping[str, Brand], bad: Bad) -> tuple[VendorOid, ...]:
    oids = []
    for i, raw in enumerate(doc.get("vendor_oids") or []):
        if raw.get("brand") not in brands:
            bad(f"vendor_oids[{i}].brand", f"unknown brand {raw.get('brand')!r}")
            continue
        oids.append(VendorOid(str(raw["oid"]).lstrip("."), raw["brand"], str(raw.get("field", "other")),
                              bool(raw.get("names_brand", False))))
    return tuple(oids)


def _banners(doc: Mapping[str, Any], bad: Bad) -> tuple[Banner, ...]:
    banners = []
    for i, raw in enumerate(doc.get("ssh_banners") or []):
        try:
            banners.append(Banner(re.compile(raw["pattern"]), raw.get("brand"), raw.get("manufacturer")))
        except (re.error, KeyError) as exc:
            bad(f"ssh_banners[{i}]", f"bad entry: {exc}")
    return tuple(banners)


def _descr_models(doc: Mapping[str, Any], brands: Mapping[str, Brand], bad: Bad) -> tuple[DescrModel, ...]:
    descr_models = []
    for i, raw in enumerate(doc.get("descr_models") or []):
        if not isinstance(raw, Mapping) or raw.get("brand") not in brands:
            bad(f"descr_models[{i}].brand", f"unknown brand {raw.get('brand') if isinstance(raw, Mapping) else raw!r}")
            continue
        try:
            compiled = re.compile(str(raw.get("pattern", "")), re.MULTILINE)
        except re.error as exc:
            bad(f"descr_models[{i}].pattern", f"bad pattern: {exc}")
            continue
        if "model" not in compiled.groupindex:
            bad(f"descr_models[{i}].pattern", "needs a named group (?P<model>...)")
            continue
        descr_models.append(DescrModel(str(raw["brand"]), compiled))
    return tuple(descr_models)


def build(doc: Mapping[str, Any], sources: tuple[str, ...]) -> KnowledgeBase:
    """Validate and compile a merged document. Problems name the last source file and the key."""
    where = sources[-1] if sources else "<knowledge base>"
    problems: list[InputProblem] = []

    def bad(key: str, message: str) -> None:
        problems.append(InputProblem(where, None, message, key=key))

    brands = _brands(doc, bad)
    enterprises = _enterprises(doc, brands, bad)
    oids = _vendor_oids(doc, brands, bad)
    banners = _banners(doc, bad)
    descr_models = _descr_models(doc, brands, bad)
    prefixes = _oid_prefixes(doc, brands, bad)
    successors = _successors(doc, brands, bad)
    weights = {str(k): float(v) for k, v in (doc.get("weights") or {}).items()}
    os_makers = tuple((_word(re.escape(str(name))), str(name), str(maker))
                      for name, maker in (doc.get("os_makers") or {}).items())
    if problems:
        raise InputError(problems)
    return KnowledgeBase(
        version=str(doc.get("version", "")), sources=sources, ban_list=dict(doc.get("ban_list") or {}),
        brands=brands, enterprises=enterprises, vendor_oids=oids, ssh_banners=banners,
        chip_makers=tuple(str(c).lower() for c in doc.get("chip_makers") or ()), weights=weights,
        os_makers=os_makers, descr_models=descr_models, oid_prefixes=prefixes, successors=successors,
        _lower={name.lower(): name for name in brands},
        _has_chinese=any(b.cjk_aliases for b in brands.values()),
    )


@functools.lru_cache(maxsize=8)
def load_kb(user_file: str | None = None) -> KnowledgeBase:
    """The shipped knowledge base, with ``user_file`` (if any) merged over it. Cached per path."""
    doc = _read(SHIPPED)
    sources: tuple[str, ...] = (str(SHIPPED),)
    if user_file:
        doc = _merge(doc, _read(Path(user_file)))
        sources += (str(user_file),)
    return build(doc, sources)
