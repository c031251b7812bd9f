"""Issue 16, round 9: brands written in Chinese, as an agency's asset register (財產清冊) writes its brand column.

A register writes "華為", "海康威視", "思科", "HUAWEI 華為", "华为技术有限公司"; PRC devices sometimes answer in
Simplified Chinese. Before this round the knowledge base held no Chinese name, and an alias needed non-word
characters around it, which never holds inside Chinese text (華為技術: 為 is followed by 技, a word character), so
even "HUAWEI華為" named no brand.

The rule (``collectors.vendor.kb._cjk_word``): a Chinese name is read where it is a word of its own: not preceded by
a Chinese character unless a place or origin prefix ends there (杭州海康威視, 美商思科), not followed by one unless a
company or equipment word follows (華為技術有限公司, 海康威视摄像机). Names that are also ordinary words or other
companies' names are written in the data with the words that make them the company's (大華技術股份, 中興通訊,
蘋果公司), and a PRC brand's name must never read a Taiwanese company's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.vendor import corpus, makers, pen, recordings
from collectors.vendor.kb import CJK_FOLLOWERS, CJK_PREFIXES, HAN, load_kb
from netcomply.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "recordings"
_HAN = re.compile(f"[{HAN}]")

#: brand -> its Chinese names that are read alone (Traditional and Simplified where they differ).
BARE: dict[str, tuple[str, ...]] = {
    # PRC brands
    "Huawei": ("華為", "华为"), "H3C": ("新華三", "新华三", "華三", "华三"), "Hikvision": ("海康威視", "海康威视"),
    "TP-Link": ("普聯", "普联"), "Uniview": ("宇視", "宇视"), "Ruijie": ("銳捷", "锐捷"), "Reyee": ("睿易",),
    "Xiaomi": ("小米",), "Lenovo": ("聯想", "联想"), "Inspur": ("浪潮",), "DJI": ("大疆",),
    "Hytera": ("海能達", "海能达"), "Hisense": ("海信",), "vivo": ("維沃", "维沃"), "Meizu": ("魅族",),
    "xFusion": ("超聚變", "超聚变"), "Sangfor": ("深信服",), "Hillstone": ("山石網科", "山石网科"),
    "Maipu": ("邁普", "迈普"), "Topsec": ("天融信",), "Venustech": ("啟明星辰", "启明星辰"), "Qihoo 360": ("奇虎",),
    "FiberHome": ("烽火通信",), "Raisecom": ("瑞斯康達", "瑞斯康达"), "DCN": ("神州數碼", "神州数码"),
    "ZTE": ("中興通訊", "中兴通讯"), "Dahua": ("大華技術股份", "大华技术股份", "浙江大華", "大华股份"),
    "BDCOM": ("上海博達", "博达数据"), "Honor": ("榮耀終端", "荣耀终端"), "EZVIZ": ("螢石網路", "萤石网络"),
    "Imou": ("樂橙", "乐橙"), "Tenda": ("吉祥騰達", "吉祥腾达"), "HIKMICRO": ("海康微影",),
    "Hikrobot": ("海康機器人",), "HIKSEMI": ("海康存储",), "Aqara": ("绿米联创",), "Anker": ("安克创新",),
    "INVT": ("英威騰",), "East": ("易事特",), "InHand Networks": ("映翰通",), "TerraMaster": ("铁威马",),
    # brands of other countries common in Taiwan's agencies
    "Cisco": ("思科",), "HPE": ("慧與", "慧与"), "HP": ("惠普",), "Juniper": ("瞻博",), "Fortinet": ("飛塔", "飞塔"),
    "ZyXEL": ("合勤",), "D-Link": ("友訊", "友讯"), "Netgear": ("網件", "网件"), "Synology": ("群暉", "群晖"),
    "QNAP": ("威聯通", "威联通"), "Axis": ("安訊士",), "Vivotek": ("晶睿",), "Dell": ("戴爾", "戴尔"),
    "Moxa": ("四零四科技",), "DrayTek": ("居易科技",), "Edgecore": ("智邦",), "IBM": ("國際商業機器",),
    "Microsoft": ("微軟", "微软"), "Schneider Electric": ("施耐德",), "Siemens": ("西門子", "西门子"),
    "Epson": ("愛普生", "爱普生"), "FUJIFILM": ("富士軟片", "富士全錄", "富士施乐"), "ASUS": ("華碩", "华硕"),
    "Acer": ("宏碁",), "MSI": ("微星",), "Gigabyte": ("技嘉",), "Advantech": ("研華", "研华"),
    "Delta Electronics": ("台達電",), "Eaton": ("伊頓",), "CyberPower": ("碩天",), "Edimax": ("訊舟",),
    "PLANET": ("普萊德",), "Quanta": ("廣達",), "NVIDIA": ("輝達", "英伟达"), "Sony": ("索尼",),
    "Toshiba": ("東芝",), "Alpha Networks": ("明泰科技",), "GeoVision": ("奇偶科技",),
}

#: brand -> Chinese names read only before a company or equipment word (alone they are ordinary words).
WITH_COMPANY_WORD: dict[str, tuple[str, ...]] = {
    "Apple": ("蘋果公司", "苹果公司", "蘋果電腦"), "Oracle": ("甲骨文公司",), "OnePlus": ("一加手機", "一加科技"),
    "nubia": ("努比亚技术",), "DPtech": ("迪普科技",), "Four-Faith": ("四信通信",),
}

CASES = [(brand, name) for brand, names in BARE.items() for name in names]


def _forms(brand: str, name: str) -> list[str]:
    """The ways a register or a company's own text writes a name: bare, with its company words, with the English
    name before or after (with and without a space), after its head office's city, after an origin prefix."""
    english = brand.upper()
    return [name, f"{name}技術有限公司", f"{name}股份有限公司", f"{name}科技", f"{name}网络", f"{name}交換器",
            f"{english} {name}", f"{english}{name}", f"{name} {english}", f"{name}({english})", f"杭州{name}",
            f"深圳市{name}", f"美商{name}", f"廠牌：{name}", f"{name}、其他"]


@pytest.mark.parametrize(("brand", "name"), CASES)
def test_a_chinese_name_names_its_brand_in_every_register_form(brand: str, name: str) -> None:
    kb = load_kb()
    for text in _forms(brand, name):
        named = dict(kb.brands_in_text(text))
        assert brand in named, (text, named)
        if _HAN.match(text):  # the text starts with the Chinese name: it is the brand the text states
            assert kb.brand_named(text) == brand, text


@pytest.mark.parametrize(("brand", "name"), [(b, n) for b, ns in WITH_COMPANY_WORD.items() for n in ns])
def test_a_name_that_is_an_ordinary_word_names_its_brand_with_its_company_word(brand: str, name: str) -> None:
    kb = load_kb()
    for text in (name, f"{name}股份有限公司", f"{brand} {name}", f"{name}{brand}", f"美商{name}"):
        assert brand in dict(kb.brands_in_text(text)), text
    assert kb.brand_named(name) == brand


@pytest.mark.parametrize(("brand", "name"), CASES + [(b, n) for b, ns in WITH_COMPANY_WORD.items() for n in ns])
def test_each_chinese_name_keeps_its_brands_prc_state(brand: str, name: str) -> None:
    """The Chinese name judges as its brand does: a PRC brand's name is PRC, another's is not (kb.prc)."""
    kb = load_kb()
    named = kb.brand_named(name)
    assert named == brand
    assert kb.prc(named) is kb.brands[brand].prc and kb.prc(named) is not None


def test_the_lead_s_register_examples() -> None:
    kb = load_kb()
    assert kb.brand_named("海康威視") == "Hikvision" and kb.prc("Hikvision") is True
    assert kb.brand_named("思科") == "Cisco" and kb.prc("Cisco") is False
    assert kb.brand_named("HUAWEI 華為") == "Huawei"
    assert kb.brand_named("華為技術有限公司") == "Huawei"
    assert kb.brand_named("华为技术有限公司") == "Huawei"
    assert kb.brand_named("HUAWEI華為") == "Huawei"  # was None: 'huawei' followed by 華, a word character
    assert kb.brand_named("海康威視數位技術") == "Hikvision"
    assert kb.brand_named("杭州海康威视数字技术股份有限公司") == "Hikvision"
    assert kb.brand_named("浙江大华技术股份有限公司") == "Dahua"
    assert kb.brand_named("新華三集團") == "H3C"
    assert kb.brand_named("深圳市大疆创新科技有限公司") == "DJI"


def test_a_latin_name_ends_at_a_chinese_character() -> None:
    """Chinese text puts no space between a brand written in Latin letters and its words."""
    kb = load_kb()
    assert kb.brand_named("Aruba無線基地台") == "Aruba"
    assert kb.brand_named("Cisco交換器") == "Cisco"
    assert kb.brand_named("採購Fortinet防火牆") == "Fortinet"


def test_each_brand_is_named_once_at_its_earliest_name_in_the_knowledge_bases_order() -> None:
    kb = load_kb()
    assert kb.brands_in_text("HUAWEI 華為") == [("Huawei", "HUAWEI")]
    assert kb.brands_in_text("華為 HUAWEI") == [("Huawei", "華為")]
    found = [b for b, _ in kb.brands_in_text("思科 Cisco、華為")]
    assert found == sorted(found, key=list(kb.brands).index) and set(found) == {"Cisco", "Huawei"}


#: Texts that name none of the knowledge base's brands: ordinary words the names are made of, other companies
#: of the same names (Taiwanese ones above all), a name inside a run of text.
NEAR_MISSES = (
    "大華銀行", "大華技術學院", "大華科技大學", "大華證券", "大華",  # UOB, Ta Hwa University, a broker
    "中華電信", "中華為民服務", "中華三民", "中華郵政",  # Chunghwa Telecom: 華為 / 華三 inside other words
    "小米粥", "小米酒", "兄弟", "蘋果", "蘋果日報", "國際", "曙光", "水星", "迅捷", "方位",
    "中興", "中興大學", "中興電工", "中興保全",  # Taiwanese names: ZTE is 中興通訊
    "博達", "博達科技",  # Procomp Informatics (Taiwan), not BDCOM
    "白居易", "居易", "榮耀", "螢石", "烽火", "烽火台", "山石", "騰達", "飛黃騰達", "一加一", "甲骨文", "甲骨文字",
    "努比亞", "奇偶", "三菱", "富士山", "海康", "迪普", "四信", "四零四", "數位浪潮", "讓人聯想到", "聯想起",
    "台灣大哥大", "遠傳電信", "聯發科技", "鴻海精密", "台積電",
)


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_near_miss_names_no_brand(text: str) -> None:
    kb = load_kb()
    assert kb.brands_in_text(text) == [] and kb.brand_named(text) is None, text


#: Taiwanese and other non-PRC companies' names (as registered): none may be read as a PRC brand.
NOT_PRC = (
    "中華電信股份有限公司", "大同股份有限公司", "中興電工機械股份有限公司", "中興保全科技股份有限公司",
    "博達科技股份有限公司", "大華銀行", "華碩電腦股份有限公司", "宏碁股份有限公司", "友訊科技股份有限公司",
    "合勤科技股份有限公司", "四零四科技股份有限公司", "研華股份有限公司", "威聯通科技股份有限公司",
    "群暉科技股份有限公司", "智邦科技股份有限公司", "神達電腦股份有限公司", "明泰科技股份有限公司",
    "光寶科技股份有限公司", "英業達股份有限公司", "緯穎科技服務股份有限公司", "廣達電腦股份有限公司",
    "台達電子工業股份有限公司", "晶睿通訊股份有限公司", "訊舟科技股份有限公司", "居易科技股份有限公司",
    "台灣大哥大股份有限公司", "聯華電子股份有限公司", "華邦電子股份有限公司", "中華郵政股份有限公司",
    "台灣思科系統股份有限公司", "慧與科技股份有限公司", "台灣惠普資訊科技股份有限公司", "台灣愛普生科技股份有限公司",
)


@pytest.mark.parametrize("text", NOT_PRC)
def test_no_prc_brand_reads_a_non_prc_company(text: str) -> None:
    kb = load_kb()
    assert [b for b, _ in kb.brands_in_text(text) if kb.prc(b) is not False] == [], text


def test_no_chinese_name_reads_an_iana_registrant_written_in_chinese() -> None:
    """The IANA registry holds about a hundred registrants written in Chinese (all PRC companies: 深圳凌特华盛科技,
    杭州众兴慧智能科技, 四川虹信软件, ...), none of them a knowledge-base brand: no Chinese name may read one (众兴
    is not 中興, 虹信 not 海信)."""
    kb = load_kb()
    names = [str(n) for n in pen.load().names.values() if n and _HAN.search(str(n))]
    assert len(names) >= 50
    read = [(n, b, m) for n in names for b, m in kb.brands_in_text(n) if _HAN.search(m)]
    assert read == []


def test_the_chinese_sysdescr_of_a_real_device_names_no_maker() -> None:
    """LibreNMS's ird recording (tests/vendor/fixtures/recordings/SOURCES) answers a Linux banner whose build date
    is in Chinese ('2013年 10月 24日 星期四'): it names no maker (the brand comes from its enterprise MIB), and the
    Chinese names must not find one in it (日 is not 日立)."""
    facts = recordings.read(FIXTURES / "ird.snmprec")
    descr = facts["sys_descr"]
    assert "星期四" in descr
    kb = load_kb()
    assert kb.brands_in_text(descr) == []
    assert corpus.verdict_of(kb, facts).brand == "PBI"


def test_every_chinese_name_has_a_needle() -> None:
    """Each Chinese alias is screened by a substring test before its search (benchmarks/bench_vendor.py: device
    answers must not pay for them), and Chinese names are searched only in text that is not all ASCII."""
    kb = load_kb()
    chinese = [(b.name, n) for b in kb.brands.values() for n in b.cjk_needles]
    assert len(chinese) >= 150
    assert [c for c in chinese if not c[1]] == []
    assert all(n is None or n.isascii() for b in kb.brands.values() for n in b.needles)  # the Latin names


def test_a_user_file_adds_a_chinese_name(tmp_path: Path) -> None:
    """An agency adds a brand in Chinese without a release; ``{CO}`` asks for a company word after it."""
    user = tmp_path / "kb.yaml"
    user.write_text("brands:\n  Brother: {prc: false, aliases: ['brother', '兄弟{CO}'], note: 'test'}\n",
                    encoding="utf-8")
    kb = load_kb(str(user))
    assert kb.brand_named("兄弟工業") == "Brother" and kb.brand_named("台灣兄弟國際") == "Brother"
    assert kb.brand_named("兄弟") is None and kb.brand_named("好兄弟工業") is None


def test_a_bad_chinese_name_in_a_user_file_is_a_clear_error(tmp_path: Path) -> None:
    user = tmp_path / "kb.yaml"
    user.write_text("brands:\n  Brother: {prc: false, aliases: ['兄弟(工業'], note: 'test'}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_kb(str(user))
    assert "brands.Brother" in str(err.value) and "bad pattern" in str(err.value)


# ------------------------------------------------------------------------------------------ properties

#: Ordinary words of an agency's Chinese text, none a brand's name, none a word that makes a name a company's, and
#: no single character that could join another into a name (華 + 為).
ORDINARY = (
    "兄弟", "蘋果", "國際", "曙光", "水星", "迅捷", "方位", "榮耀", "螢石", "烽火", "山石", "騰達", "奇偶", "三菱",
    "富士", "大華", "中興", "博達", "居易", "中華", "電信", "銀行", "學校", "大學", "證券", "政府", "機關", "資料",
    "管理", "辦公室", "財產", "清冊", "廠牌", "型號", "數量", "單位", "地址", "電話", "年度", "預算", "採購", "維護",
    "臺北市", "新北市", "高雄", "民眾", "服務", "安全", "檢查", "報告", "早餐", "粥", "天氣", "星期四", "年",
    "月", "日", "是", "的", "在", "起來", "已經",
)
SEPARATORS = ("", " ", "、", "，", "：", "/", "\n", "(", ")", "-")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ORDINARY), st.sampled_from(SEPARATORS)), min_size=1, max_size=12))
def test_no_chinese_name_fires_in_text_made_of_ordinary_words(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + s for w, s in parts)
    assert load_kb().brands_in_text(text) == [], text


_INSIDE = "的是在了我他們不有這"  # characters that neither end a prefix nor start a company word


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CASES), st.sampled_from(_INSIDE), st.sampled_from(_INSIDE))
def test_a_chinese_name_inside_a_run_of_chinese_is_not_read(case: tuple[str, str], left: str, right: str) -> None:
    brand, name = case
    assert brand not in dict(load_kb().brands_in_text(f"{left}{name}{right}"))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CASES), st.text(alphabet=" -_/:;,.()[]0123456789", max_size=6),
       st.text(alphabet=" -_/:;,.()[]0123456789", max_size=6),
       st.sampled_from(("", *CJK_FOLLOWERS)), st.sampled_from(("", *CJK_PREFIXES)))
def test_a_chinese_name_between_non_chinese_text_or_its_words_is_read(
        case: tuple[str, str], before: str, after: str, follower: str, prefix: str) -> None:
    brand, name = case
    assert brand in dict(load_kb().brands_in_text(f"{before}{prefix}{name}{follower}{after}"))


def test_the_rule_s_word_lists_are_chinese() -> None:
    """A follower or prefix holding a Latin letter would change what the Latin names match."""
    assert all(_HAN.fullmatch(c) for w in (*CJK_FOLLOWERS, *CJK_PREFIXES) for c in w)


# ------------------------------------------------------------------------------------------ prc_makers.yaml groups

#: PRC makers the knowledge base does not list as brands but prc_makers.yaml does (makers.judge_maker's group rule):
#: a register row in Chinese that names one is a PRC maker.
GROUP_NAMES = (
    ("億聯", "Yealink"), ("亿联网络技术股份有限公司", "Yealink"), ("天地偉業", "Tiandy"), ("苏州科达科技", "Kedacom"),
    ("中維世紀", "Jovision"), ("移远通信", "Quectel"), ("京信通信", "Comba"), ("中科曙光", "Sugon"),
    ("紫光股份", "Unisplendour"), ("中國移動", "China Mobile"), ("中国电信", "China Mobile"), ("綠盟科技", "NSFOCUS"),
    ("奇安信", "Qi-Anxin"), ("創維集團", "Skyworth"), ("陽光電源", "Sungrow"), ("磊科", "Netcore"),
    ("方位通訊", "Fanvil"), ("鼎信通达", "Dinstar"), ("景陽科技", "Sunell"), ("科华数据", "Kehua"),
)


@pytest.mark.parametrize(("text", "group"), GROUP_NAMES)
def test_a_prc_group_written_in_chinese_is_judged_prc(text: str, group: str) -> None:
    judged = makers.judge_maker(load_kb(), text)
    assert (judged.prc, judged.rule) == (True, makers.RULE_GROUP) and group in judged.detail, judged


@pytest.mark.parametrize("text", ("中華電信", "中華電信股份有限公司", "曙光", "方位", "石頭", "紫光", "科達", "大唐",
                                  "陽光", "移動電話", "台灣大哥大", "景陽"))
def test_a_near_miss_of_a_prc_group_is_not_judged_prc(text: str) -> None:
    """Ordinary words a group's Chinese name is made of, and Taiwan's Chunghwa Telecom, are never "PRC" by it."""
    assert makers.judge_maker(load_kb(), text).prc is not True, text
