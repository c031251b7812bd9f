"""Issue 16, round 8: PRC gear left unidentified (sub-brands and business lines of PRC groups).

Taiwan's rule judges the brand (shared/reference/taiwan-rules.md, "PRC-brand products"): a sub-brand of a PRC group
is a PRC brand, and a non-PRC brand on a PRC-made box is not (HPE-branded H3C). Many brands the PRC groups sell
network-attached products under came back unknown (HIKMICRO, VIGI, Tapo, Annke, Uniarch, Redmi, Aqara, Reolink),
as another company (Pyronix's Enforcer panels read as the registrant Enforcer Group) or, worse, as "not PRC": the
registrants Lorex Industries, Sepura plc and Teltronic S.A.U. were judged by their IEEE or IANA country alone,
though Lorex was Dahua's (2018-2022) and Sepura and Teltronic Hytera's (from 2017).

The sweep went over every PRC group the knowledge base and ``prc_makers.yaml`` name and listed the brands they sell
such products under; those that named no brand or the wrong one were added, each with its source in the note:
sub-brands with ``owner`` (so the manufacturer is the group), PRC companies' own brands, and ``prc: null`` for a
brand whose PRC status the agency must decide (a PRC group's brand sold since, a US brand on Dahua-made cameras,
an owner no primary source here confirms). Ordinary words (Honor, Tapo, Deco, Kasa, Festa, Mi, VIGI, Nubia, Anker)
name a brand only before the maker's product words or a model of its shape.

Guards: each added pattern fires on no corpus row labelled with another vendor (test_round6_history.pattern_hits);
near misses (the ordinary words in other contexts, other companies with the same word) name none of them; no
added brand is judged "not PRC" (``prc`` true or null only); the registrants they read hold no PRC place unless
the brand is PRC.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
import yaml

from collectors.vendor import corpus, makers, pen
from collectors.vendor.kb import SHIPPED, KnowledgeBase, current_name, load_kb
from tests.vendor.test_round5_lines import _compiled
from tests.vendor.test_round6_history import pattern_hits

#: Brands added whole by this round (every alias and model pattern is new).
NEW_BRANDS = (
    "HIKMICRO", "Hikrobot", "HIKSEMI", "HiWatch", "Pyronix", "Uniarch", "VIGI", "Tapo", "Deco", "Kasa", "Festa",
    "Redmi", "Aqara", "Reolink", "xFusion", "nubia", "Motorola Mobility", "Anker", "eufy", "TCL", "OnePlus", "iQOO",
    "Lorex", "Amcrest", "Annke", "Sepura", "Teltronic", "Norsat",
)

#: Groups added to prc_makers.yaml (PRC makers the knowledge base does not list).
NEW_GROUPS = ("Roborock", "Ecovacs", "Dreame", "Yeelight", "Zmodo", "Autel Robotics", "Transsion")

#: Patterns added to existing brands, as written in the YAML.
ADDED: dict[str, tuple[str, ...]] = {
    "Huawei": (r"eKit ?Engine", "iMaster NCE", "FusionSolar", r"SmartLogger ?[1-3]000\w*",
               r"SUN2000-\d{1,3}(?:\.\d)?K(?:TL|W)?(?:-[A-Z0-9]+)*"),
    "Tenda": (r"nova(?= M[WX]\d{1,2}\b)",),
    "Honor": (r"Honor(?= (?:Router|Wi-?Fi|MagicBook|Magic ?Pad|Band|Watch) ?[A-Z0-9])",),
    "Hikvision": ("hik-?connect", "HikCentral"),
    "TP-Link": ("aginet",
                r"Omada(?= (?:\d{1,2}-Port|Controller|SDN|Software Controller|Hardware Controller|Cloud|Pro|Network"
                r"|Switch|Gateway|Access Point|VPN Router)\b|[ -](?:EAP|ER|SG|SX|OC)\d)",
                r"JetStream(?= (?:\d{1,2}-Port|Gigabit|10G|L2\+?|L3|Smart|Managed|PoE|Switch)\b)"),
    "Xiaomi": ("MiWiFi", "mijia",
               r"Mi(?= (?:AIoT Router|Mesh System|Wi-?Fi Range Extender|Home Security Camera|Smart Home Hub)\b)"),
    "Lenovo": ("Think(?:Station|Pad|Centre|Edge|Book|Smart)",),
    "Inspur": ("IEIT Systems",),
}

#: A brand written as its maker writes it on a product: (text, brand, PRC judgement, source).
NAMES: tuple[tuple[str, str, bool | None, str], ...] = (
    # the words
    ("HIKMICRO SP40", "HIKMICRO", True, "hikmicrotech.com product pages: SP40 thermal camera; Hikvision annual report"),
    ("VIGI C540", "VIGI", True, "vigi.tp-link.com product pages: VIGI C540"),
    ("Tapo C200", "Tapo", True, "tapo.com product pages: Tapo C200"),
    ("Pyronix Enforcer", "Pyronix", True, "pyronix.com: Enforcer, part of the Hikvision group since 2014"),
    ("Annke C800", "Annke", None, "annke.com product pages: C800; owner's home not confirmed by a primary source"),
    ("Uniarch IPC-B314", "Uniarch", True, "uniarch.com: Uniarch by Uniview"),
    ("Honor Router 3", "Honor", True, "hihonor.com product pages; Wikipedia: Honor (brand)"),
    ("Redmi AX6000", "Redmi", True, "mi.com product pages: Redmi Router AX6000; Wikipedia: Redmi"),
    ("Aqara G3", "Aqara", True, "aqara.com: Camera Hub G3, Lumi United Technology, Shenzhen"),
    ("Amcrest IP8M-2496E", "Amcrest", None, "amcrest.com product pages; a US brand on Dahua-made cameras"),
    ("Lorex N841", "Lorex", None, "Texas AG 2026-02-19: Dahua's 2018 to 2022-11-24, Skywatch (Taiwan) since"),
    ("Reolink RLC-810A", "Reolink", True, "Shenzhen Reolink Technology's ChiNext prospectus: its own brand Reolink"),
    # the sweep: the groups' other brands and lines
    ("Enforcer 32-WE APP", "Pyronix", True, "pyronix.com product pages: Enforcer 32-WE APP"),
    ("Hikrobot MV-CA050-10GM", "Hikrobot", True, "hikrobotics.com product pages"),
    ("HIKSEMI NAS", "HIKSEMI", True, "Wikipedia: Hikvision (brands: Hiksemi (HikStorage))"),
    ("HiWatch IPC-B140H", "HiWatch", True, "Wikipedia: Hikvision (brands: Hiwatch)"),
    ("Hik-Connect P2P", "Hikvision", True, "hikvision.com: Hik-Connect cloud service"),
    ("HikCentral Professional", "Hikvision", True, "hikvision.com product pages: HikCentral Professional"),
    ("VIGI NVR1008H-8MP", "VIGI", True, "vigi.tp-link.com product pages: VIGI NVR1008H-8MP"),
    ("VIGI InSight S345", "VIGI", True, "vigi.tp-link.com product pages: VIGI InSight S345"),
    ("Tapo H100", "Tapo", True, "tapo.com product pages: Tapo H100 hub"),
    ("Deco X20", "Deco", True, "tp-link.com product pages: Deco X20"),
    ("Deco M5", "Deco", True, "tp-link.com product pages: Deco M5"),
    ("Kasa Smart Plug HS110", "Kasa", True, "kasasmart.com product pages: HS110"),
    ("Kasa KC105", "Kasa", True, "kasasmart.com product pages: Kasa Cam KC105"),
    ("Festa F52", "Festa", True, "tp-link.com Festa pages: F52 access point"),
    ("Festa FS308GP", "Festa", True, "tp-link.com Festa pages: FS308GP switch"),
    ("Aginet HB810", "TP-Link", True, "tp-link.com Aginet pages"),
    ("Omada Controller 5.9.31", "TP-Link", True, "tp-link.com product pages: Omada Software Controller"),
    ("JetStream 24-Port Gigabit Smart Switch with 4 SFP Slots", "TP-Link", True,
     "LibreNMS tests/snmpsim/jetstream_t1600g-28ts.snmprec (a real T1600G-28TS's sysDescr)"),
    ("Redmi Router AX6000", "Redmi", True, "mi.com product pages: Redmi Router AX6000"),
    ("MiWiFi ROM 1.0.168", "Xiaomi", True, "mi.com: MiWiFi, its routers' firmware"),
    ("Mi AIoT Router AX3600", "Xiaomi", True, "mi.com product pages: Mi AIoT Router AX3600"),
    ("Mijia Smart Camera", "Xiaomi", True, "mi.com product pages: Mijia"),
    ("Aqara Hub M2", "Aqara", True, "aqara.com product pages: Hub M2"),
    ("Lumi United Technology Co., Ltd.", "Aqara", True, "Wikipedia: Aqara (Lumi United, Shenzhen)"),
    ("eKitEngine S110-8T", "Huawei", True, "e.huawei.com eKit product pages: eKitEngine S110"),
    ("iMaster NCE-Campus", "Huawei", True, "e.huawei.com product pages: iMaster NCE"),
    ("xFusion FusionServer 2288H V6", "xFusion", True, "Wikipedia: xFusion (Huawei's x86 servers, 2021)"),
    ("ThinkStation P520", "Lenovo", True, "lenovo.com product pages: ThinkStation P520"),
    ("ThinkEdge SE350", "Lenovo", True, "lenovo.com product pages: ThinkEdge SE350"),
    ("ThinkCentre M720q", "Lenovo", True, "lenovo.com product pages: ThinkCentre M720q"),
    ("Motorola Mobility LLC", "Motorola Mobility", True, "Wikipedia: Motorola Mobility (Lenovo since 2014)"),
    ("IEIT Systems NF5280M6", "Inspur", True, "ieisystem.com product pages: NF5280M6"),
    ("nubia Z60 Ultra", "nubia", True, "Wikipedia: Nubia Technology (Shenzhen)"),
    ("eufy Security HomeBase 3", "eufy", True, "Wikipedia: Anker Innovations (Changsha): eufy"),
    ("eufyCam 2C", "eufy", True, "eufy.com product pages: eufyCam 2C"),
    ("Anker PowerConf C300", "Anker", True, "anker.com product pages: PowerConf C300"),
    ("Sepura SC20", "Sepura", None, "Urgent Communications 2017-05-25 (Hytera's); sold to Epiris in 2022"),
    ("Teltronic NEBULA", "Teltronic", None, "Urgent Communications; Hytera's filing on its 2025 sale"),
    ("Norsat ATOM", "Norsat", None, "Global Times 2017: Hytera completes its takeover of Norsat"),
    ("Hangzhou Hikstorage Technology", "HIKSEMI", True, "Wikipedia: Hikvision (Hikstorage, 2017)"),
    ("REDMAGIC 9 Pro", "nubia", True, "Wikipedia: Nubia Technology (its REDMAGIC gaming phones)"),
    ("Anker Innovations Limited", "Anker", True, "Wikipedia: Anker Innovations; IANA 60981"),
    ("PowerTrunk TETRA base station", "Teltronic", None, "Urgent Communications: Teltronic's US brand PowerTrunk"),
    ("Qingdao Yeelink Information Technology", "Yeelight", True, "yeelight.com (Qingdao Yeelink)"),
    ("Autel Intelligent Technology", "Autel Robotics", True, "Wikipedia: Autel Robotics (Autel Intelligent, Shenzhen)"),
    ("TCL Smart TV", "TCL", True, "Wikipedia: TCL Technology (Huizhou)"),
    ("LinkHub HH132", "TCL", True, "tcl.com product pages: LinkHub HH132 5G router"),
    ("LinkZone MW43", "TCL", True, "tcl.com product pages: LinkZone MW43 mobile hotspot"),
    ("SUN2000-100KTL-M1", "Huawei", True, "solar.huawei.com product pages: SUN2000-100KTL-M1"),
    ("SUN2000-5KTL-L1", "Huawei", True, "solar.huawei.com product pages: SUN2000-5KTL-L1"),
    ("SmartLogger3000A", "Huawei", True, "solar.huawei.com product pages: SmartLogger3000"),
    ("FusionSolar Smart PV", "Huawei", True, "solar.huawei.com: FusionSolar"),
    ("nova MW6", "Tenda", True, "tendacn.com product pages: nova MW6"),
    ("OnePlus 12", "OnePlus", True, "Wikipedia: OnePlus (Shenzhen; OPPO's since 2021)"),
    ("iQOO 12", "iQOO", True, "Wikipedia: iQOO (vivo's sub-brand)"),
    ("Infinix HOT 40", "Transsion", True, "Wikipedia: Transsion (Shenzhen): Infinix"),
    ("TECNO Mobile CAMON 20", "Transsion", True, "Wikipedia: Transsion (Shenzhen): TECNO"),
    ("itel mobile A70", "Transsion", True, "Wikipedia: Transsion (Shenzhen): itel"),
    ("Transsion Holdings", "Transsion", True, "Wikipedia: Transsion"),
    ("Roborock S7", "Roborock", True, "Wikipedia: Roborock (Beijing)"),
    ("ECOVACS DEEBOT X1", "Ecovacs", True, "Wikipedia: Ecovacs (Suzhou)"),
    ("Dreame L10s Ultra", "Dreame", True, "Wikipedia: Dreame Technology (Suzhou)"),
    ("Yeelight LED Bulb", "Yeelight", True, "yeelight.com (Qingdao Yeelink)"),
    ("Zmodo ZP-IBH13", "Zmodo", True, "Shenzhen Zmodo Technology (patent assignee, CN103366483A)"),
    ("Autel Robotics EVO II Dual", "Autel Robotics", True, "Wikipedia: Autel Robotics (Shenzhen)"),
)

#: Registrants the old rules judged "not PRC" by their country alone: (IANA number, name, brand now read).
REGISTRANTS = ((14457, "Lorex Industries", "Lorex"), (46904, "Sepura", "Sepura"), (22488, "Teltronic", "Teltronic"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _added(kb: KnowledgeBase) -> list[tuple[str, str, re.Pattern[str]]]:
    out = [(brand, src, _compiled(brand, src, kb)) for brand, sources in ADDED.items() for src in sources]
    for brand in NEW_BRANDS:
        out += [(brand, p.pattern, p) for p in (*kb.brands[brand].aliases, *kb.brands[brand].models)]
    groups = {g.name: g for g in makers.load_makers().groups}
    for name in NEW_GROUPS:
        out += [(name, p.pattern, p) for p in groups[name].text_patterns]
    return out


def _same(kb: KnowledgeBase, named: str | None, brand: str) -> bool:
    return named is not None and kb.family(kb.canonical(named) or named) == kb.family(brand)


@pytest.mark.parametrize(("text", "brand", "prc", "source"), NAMES, ids=[t for t, *_ in NAMES])
def test_a_prc_groups_brand_in_its_words_is_named_and_judged(kb: KnowledgeBase, text: str, brand: str,
                                                              prc: bool | None, source: str) -> None:
    """The brand (or, for a product line, its maker) is named, and the PRC judgement is the brand's: yes for a
    PRC group's brand, needs review (never "no") where the agency must decide."""
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": text})
    assert _same(kb, verdict.brand, brand), (verdict.brand, source)
    assert verdict.prc_brand is prc, (verdict.prc_brand, verdict.prc_rule, source)


@pytest.mark.parametrize(("brand", "owner"), [
    ("HIKMICRO", "Hikvision"), ("Pyronix", "Hikvision"), ("Uniarch", "Uniview"), ("VIGI", "TP-Link"),
    ("Tapo", "TP-Link"), ("Redmi", "Xiaomi"), ("eufy", "Anker"), ("Motorola Mobility", "Lenovo"),
])
def test_a_sub_brand_keeps_its_brand_and_names_its_group_as_maker(kb: KnowledgeBase, brand: str, owner: str) -> None:
    """The brand on the box stays the brand; the group is the manufacturer (as EZVIZ / Hikvision)."""
    text = next(t for t, b, _, _ in NAMES if b == brand)
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": text})
    assert (verdict.brand, verdict.manufacturer, verdict.prc_brand) == (brand, owner, True)


@pytest.mark.parametrize(("number", "name", "brand"), REGISTRANTS, ids=[n for _, n, _ in REGISTRANTS])
def test_a_registrant_once_a_prc_groups_is_no_longer_judged_not_prc(kb: KnowledgeBase, number: int, name: str,
                                                                    brand: str) -> None:
    """A device answering under Lorex's, Sepura's or Teltronic's enterprise number was "not PRC" by the
    registrant's IEEE country (CA, GB, ES); their owners were Dahua and Hytera, so the agency decides."""
    assert pen.load().names.get(number, "").startswith(name), number
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_object_id": f"1.3.6.1.4.1.{number}.1", "sys_descr": ""})
    assert _same(kb, verdict.brand, brand), verdict.brand
    assert verdict.prc_brand is None, (verdict.prc_brand, verdict.prc_rule)


def test_no_added_brand_is_judged_not_prc(kb: KnowledgeBase) -> None:
    """Every brand added by the sweep is a PRC brand or one the agency decides: never a silent "no"."""
    assert {kb.prc(b) for b in NEW_BRANDS} <= {True, None}
    groups = {g.name: g.prc for g in makers.load_makers().groups}
    assert {groups[g] for g in NEW_GROUPS} == {True}


def test_every_added_brand_and_pattern_is_exercised(kb: KnowledgeBase) -> None:
    """The table names every brand and group this round touched, and every added pattern reads one of its texts."""
    named = {b for _, b, _, _ in NAMES}
    assert {*NEW_BRANDS, *NEW_GROUPS, *ADDED} - {"Honor"} <= named | {"HiWatch"}
    texts = [t for t, *_ in NAMES]
    unread = [(b, s) for b, s, p in _added(kb) if not any(p.search(t) for t in texts)]
    assert unread == []


def test_every_addition_is_shipped_with_a_sourced_note(kb: KnowledgeBase) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for brand in (*ADDED, *NEW_BRANDS):
        raw = doc["brands"][brand]
        if brand in ADDED:
            assert set(ADDED[brand]) <= {*raw.get("aliases", ()), *raw.get("models", ())}, brand
            assert "Round 8" in raw.get("note", ""), brand
        assert re.search(r"product pages|Wikipedia|prospectus|press release|\w+\.(?:com|tw|io|cn|co\.uk)\b",
                         raw.get("note", "")), brand
    sources = {g.name: g.source for g in makers.load_makers().groups}
    assert all(re.search(r"Wikipedia|\w+\.com|patent", sources[g]) for g in NEW_GROUPS)


def test_no_added_pattern_fires_on_another_vendors_device(kb: KnowledgeBase) -> None:
    fired, _ = pattern_hits(kb, _added(kb))
    assert fired == []


@pytest.mark.parametrize("text", [
    # the ordinary words, alone or in other contexts
    "Your Honor", "Honor Guard", "Honor roll 2024", "honor", "Tapo", "me tapo la cara", "Art Deco", "Deco",
    "Deco Tape", "Kasa", "kasa umbrella", "Festa", "Festa de Sao Joao", "Festa 2024", "Mi casa", "Mi", "Mi Band",
    "VIGI", "Vigi", "Vigil Security", "VIGITRONIC", "Vigilant Networks", "Nubia", "Nubian desert", "Anker",
    "Anker Schroeder", "anchor", "Think", "ThinkPadding", "Thinkific", "Mijas", "mijn", "Enforcer",
    "Enforcer Group, Inc.", "Teltronics, Inc.", "Motorola Solutions", "MOTOROLA", "Motorola Mobile Devices",
    "Redmine", "Aqualink", "Reo", "Lorax", "Amcrete", "Annkey", "eKit", "iMaster", "Dreamer", "Ecovacation",
    "Autel New Energy Co., Ltd", "Beijing Autelan Technologies", "Norsatellite", "Sepurator",
    "Tata Communications.Limited (TCL)", "TCL-IMAX", "TCL", "LinkHub", "LinkZone", "nova", "Nova Scotia",
    "nova MW", "nova 9 SE", "SUN2000", "Sun Fire X4100", "SUNNY BOY 5.0", "SmartLogger", "IQOO", "Tecno", "itel",
    "Intel mobile", "OnePlus2", "one plus", "Omada A/S", "Omada Health", "JetStream Software Inc.",
    "Jetstream Communications", "NATS JetStream", "Omada-1",
    # other makers' numbers of the same shape
    "HP Deco", "Cisco IE-4000", "DS-2CD2143G2-I", "IPC-B140H",
])
def test_near_misses_name_none_of_the_added_brands(kb: KnowledgeBase, text: str) -> None:
    """Ordinary words (Honor, Tapo, Deco, Kasa, Festa, Mi, VIGI, Nubia, Anker, Think), other companies with the
    same word (Enforcer Group, Teltronics Inc., Motorola Solutions, Vigil Security, Autel New Energy) and words
    that contain a brand's letters name none of the added brands."""
    assert [(b, s) for b, s, p in _added(kb) if p.search(text)] == []


@lru_cache(maxsize=1)
def _registrants_read() -> dict[int, tuple[str, str]]:
    """number -> (added brand, registrant) for every IANA registrant whose current name an added alias reads."""
    kb = load_kb()
    added = {*NEW_BRANDS, *ADDED}
    any_added = re.compile("|".join(f"(?:{p.pattern})" for b, _, p in _added(kb) if b in added), re.I)
    out: dict[int, tuple[str, str]] = {}
    for number, name in pen.load().names.items():
        if not any_added.search(current_name(name)):
            continue
        reading = kb.reading(number, "", name)
        if reading is not None and reading.brand in added and reading.brand in {
                b for b, _ in kb.brands_in_text(current_name(name))}:
            out[number] = (reading.brand, name)
    return out


def test_no_registrant_in_a_prc_place_is_read_as_a_brand_that_is_not_prc(kb: KnowledgeBase) -> None:
    """An added alias that reads a registrant in a PRC place reads it as a PRC brand (a PRC-place registration
    is never turned into "needs review" by a brand the agency decides); the registrants read are the makers."""
    read = _registrants_read()
    places = makers.load_makers().places
    assert [(b, n) for b, n in read.values() if places.search(n) and kb.prc(b) is not True] == []
    assert {b for b, _ in read.values()} >= {"Lorex", "Sepura", "Teltronic", "Norsat", "Anker"}


@pytest.mark.parametrize(("number", "name"), [
    (49726, "Tata Communications.Limited (TCL)"), (21318, "Intec NetCore"), (3075, "NetCore Systems"),
    (24685, "Omada A/S"), (5300, "Jetstream Communications"), (61373, "JetStream Software Inc."),
    (5684, "Metro Optix, Inc."), (9982, "netEngine"), (22169, "NetEngine, Inc."),
])
def test_another_company_sharing_a_prc_groups_word_is_not_judged_prc(kb: KnowledgeBase, number: int,
                                                                      name: str) -> None:
    """The sweep's audit of every registrant a PRC group's or brand's alias reads found other companies: Tata
    Communications (India) writes its initials '(TCL)', Intec NetCore is Japanese, NetCore Systems was registered
    years before Shenzhen Netcore was founded; Omada A/S (Denmark), Jetstream Communications and JetStream Software
    (US) were read as TP-Link; Metro Optix, netEngine and NetEngine, Inc. as Huawei (by its OptiX and NetEngine
    lines; Huawei answers under 2011). They were judged PRC; now the other rules (country, review) decide."""
    assert pen.load().names.get(number, "").startswith(name), number
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_object_id": f"1.3.6.1.4.1.{number}.1", "sys_descr": ""})
    assert verdict.prc_brand is not True, (verdict.brand, verdict.prc_rule)
    assert verdict.brand not in ("TP-Link", "TCL", "Netcore", "Huawei"), verdict.brand


@pytest.mark.parametrize(("text", "brand"), [
    ("TCL Holdings Co., Ltd.", "TCL"), ("Netcore NW710", "Netcore"), ("netis systems WF2780", "Netcore"),
    ("Netcore Network Technology", "Netcore Network Technology"),
    ("Omada 18-Port Gigabit Smart Switch with 16-Port PoE+", "TP-Link"), ("Omada-SG3428", "TP-Link"), ("Omada Controller 5.9.31", "TP-Link"), ("Omada EAP660 HD", "TP-Link"), ("Omada SDN", "TP-Link"),
    ("JetStream 24-Port Gigabit Smart Switch with 4 SFP Slots", "TP-Link"),
    ("JetStream 16-Port Gigabit L2 Managed Switch with 2 SFP Slots", "TP-Link"),
])
def test_the_prc_groups_themselves_stay_prc(kb: KnowledgeBase, text: str, brand: str) -> None:
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": text})
    assert (verdict.brand, verdict.prc_brand) == (brand, True)


def test_no_added_pattern_reads_another_manufacturers_model(kb: KnowledgeBase) -> None:
    """No model or part number of another manufacturer in the NetBox device-type library fixture of round 8
    (tests/vendor/fixtures/round8, 2,600 device types of 120 makers) is read by a pattern this sweep added."""
    from tests.vendor.test_round8_makers import _library

    hits = []
    for manufacturer, model, part in _library():
        own = kb.family(kb.canonical(manufacturer) or manufacturer)
        hits += [(manufacturer, text, brand) for brand, _, pat in _added(kb) if kb.family(brand) != own
                 for text in (model, part) if text and pat.search(text)]
    assert hits == []
