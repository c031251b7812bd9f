"""Issue 16, round 7: a maker named plainly in a device's own words is the brand.

A device that answers only words (sysDescr, ENTITY descriptions; no sysObjectID: the issue's partial answers) is
identified only when the knowledge base or the IANA registry text index finds a maker's name in them. The text
index skips names shorter than five letters and words leading more than 15 registrations, and two common words
(``Alpha Networks``, ``Western Digital``), so many well-known makers written plainly came back unknown: ``NEC``,
``ABB``, ``LG``, ``ASUS``, ``Hitachi``, ``Siemens``, ``3Com``...

The candidates were built from data, not from memory: every vendor LibreNMS's OS definitions name (their text and
icon, through ``label_vendors.yaml``), every knowledge-base brand and every maker the walks corpus's labels name,
each tried as "<name> <model>". Those that named no brand (or another) were added to
``collectors/vendor/data/knowledge.yaml`` as the maker writes its name on its products, each with its home and the
source in the brand's note. Short acronyms match in capitals only; ordinary words ("Delta", "Digi", "Poly",
"Palo Alto", "Quantum") only before one of the maker's product names; names that are part of another company's
name are excluded by context ("Nokia Siemens Networks" is Nokia's, "Siemens Enterprise" Unify's).

Guards: each added name in a short text names its brand (from the table below); no added pattern fires on a
device another vendor's label names in any corpus; the registry's names the added aliases now read hold no PRC
place unless the brand is itself a PRC brand (a PRC-place registration stays with the PRC rules); near
words name none of them.
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
    "NEC", "ABB", "LG", "AVM", "ASUS", "ASUSTOR", "Acer", "MSI", "Sony", "Bosch", "Hitachi", "ACTi", "Gigabyte",
    "Mitsubishi Electric", "Snom", "Digi International", "GeoVision", "AVer", "Alpha Networks", "MiTAC", "Tyan",
    "IEI", "Vodafone", "3Com", "4RF", "Western Digital", "Quantum", "Advantech", "C&C Power", "CET Power",
    "Comtrol", "CTC Union", "Connection Technology Systems", "EfficientIP", "EUROstor", "ExaGrid", "Exterity",
    "Gude", "Himoinsa", "Inteno", "Minkels", "NVT Phybridge", "OSNEXUS", "Red Lion", "SIAE", "Kyocera", "UTAX", "WISI",
    "Wiesemann & Theis", "Four-Faith", "InHand Networks", "TerraMaster",
)

#: Patterns added to existing brands (alias sources, as written in the YAML).
ADDED: dict[str, tuple[str, ...]] = {
    "Siemens": (r"(?<!Nokia )(?<!Fujitsu )(?<!Bosch und )Siemens(?! Enterprise| Home| Nixdorf| Mobile| Schweiz| Switzerland| Shenzhen| Ltd\.?,? China)",),
    "Delta Electronics": (r"Delta(?= (?:Energy Systems|UPS|Orion|InfraSuite|Amplon|Ultron|Modulon|PDU))",),
    "Polycom": (r"Poly(?= (?:Studio|Trio|Edge|CCX|VVX|RealPresence|G7500|Sync|Voyager|Rove)\b)", "RealPresence",
                r"VVX ?\d{3}"),
    "A10 Networks": (r"A10(?= (?:Thunder|vThunder|AX|ACOS)\b)", "vThunder"),
    "Palo Alto Networks": (r"Palo Alto(?= (?:PA-\d|PA-VM|VM-\d|Panorama|NGFW|Next-Generation))",),
    "F5": (r"F5(?=,? (?:Inc\b|BIG-?IP|Big ?IP|VIPRION|VELOS|rSeries))", "VIPRION"),
    "Check Point": ("(?-i:CheckPoint)",),
    "Brocade": ("Foundry Networking",),
    "Geist": ("IT ?Watch[Dd]ogs",),
    "Riedo Networks": ("E3 Meter",),
    "Dell": (r"EMC(?= (?:Data Domain|Isilon|VNX|Unity|CLARiiON|Celerra|Symmetrix|VMAX|Centera|RecoverPoint|Avamar"
             r"|VPLEX|XtremIO|ScaleIO|PowerMax))",),
    "DDN": (r"DDN(?= (?:Storage|SFA|EXAScaler|GRIDScaler)\b)",),
    "RAD": (r"RAD(?= (?:RICi|ETX|Megaplex|IPmux|Airmux|SecFlow|MiNID)\b)",),
    "Symbol": (r"Symbol(?= (?:AP|WS|RFS)(?:[- ]?\d|\b))",),
    "Tait": (r"Tait(?= (?:Infra ?93|TB\d|TN\d))",),
    "TSC": (r"TSC(?= (?:Printer|T[TD]P-?\d|TE\d{3}|TX\d{3}|M[BEHX]\d{3}))",),
    "WTI": (r"WTI(?= (?:CONSOLE|Console|NPS|RPC|VMR|TSM|DSM|CPM|MPC|IPS)\b)",),
    "Server Technology": ("ServerTech",),
    "XKL": ("XKL",),
    "MRV": (r"MRV(?= (?:OptiDriver|OptiSwitch|LambdaDriver|Fiber ?Driver|Media ?Cross)\b)",),
    "Schneider Electric": ("PowerLogic", "Modicon"),
    "2N": (r"2N(?= (?:Helios|Access Unit|Indoor (?:Touch|Compact|View|Talk)|EasyGate|VoiceBlue|StarGate|BlueTower"
           r"|OfficeRoute|SIP (?:Speaker|Audio)|Net ?Speaker|LTE Verso)\b)",),
    "Kemp": (r"Kemp(?= (?:Load ?balancer|Virtual LoadMaster|VLM-\d|LM-\d))",),
    "AirPort": ("AirPort (?:Extreme|Express|Time Capsule)",),
    "Montclair": (r"Montclair(?= (?:EDFA|Fiber)\b)",),
    "Arbor": ("(?-i:ArbOS)",),
}

#: (brand, the words a device writes: its maker's name as on the products, then a product or model word).
NAMES: tuple[tuple[str, str], ...] = (
    ("NEC", "NEC UNIVERGE IX2215"), ("NEC", "NEC Model X100"), ("NEC", "Express5800/R120h-1M"),
    ("ABB", "ABB Model X100"), ("ABB", "ABB UPS PowerValue 11RT"), ("LG", "LG Model X100"),
    ("AVM", "AVM Model X100"), ("AVM", "FRITZ!Box 7590"), ("ASUS", "ASUS Model X100"), ("ASUS", "Asus RT-AX88U"),
    ("ASUS", "ASUSTeK COMPUTER INC. RS520-E9"), ("ASUSTOR", "ASUSTOR AS6604T"), ("Acer", "Acer Model X100"),
    ("MSI", "MSI Model X100"), ("Sony", "Sony Model X100"), ("Sony", "SONY SNC-VB770"),
    ("Bosch", "Bosch Model X100"), ("Bosch", "BOSCH AUTODOME IP 5000i"), ("Hitachi", "Hitachi Model X100"),
    ("Hitachi", "HITACHI VSP G350"), ("ACTi", "ACTi Model X100"), ("Gigabyte", "GIGABYTE Model X100"),
    ("Gigabyte", "Gigabyte R282-Z90"), ("Mitsubishi Electric", "Mitsubishi Model X100"),
    ("Mitsubishi Electric", "MITSUBISHI ELECTRIC UPS 9900"), ("Snom", "snom D785"), ("Snom", "Snom Model X100"),
    ("Digi International", "Digi TransPort WR21"), ("Digi International", "Digi International Model X100"),
    ("Digi International", "ConnectPort X4"), ("GeoVision", "GeoVision Model X100"), ("AVer", "AVer Model X100"),
    ("Alpha Networks", "Alpha Networks Model X100"), ("MiTAC", "MiTAC Model X100"), ("Tyan", "Tyan Model X100"),
    ("IEI", "IEI Model X100"), ("Vodafone", "Vodafone Model X100"), ("3Com", "3Com Model X100"),
    ("3Com", "3Com SuperStack 3 Switch 4400"), ("4RF", "4RF Model X100"), ("4RF", "Aprisa XE"),
    ("Western Digital", "Western Digital Model X100"), ("Western Digital", "WD My Cloud EX2 Ultra"),
    ("Quantum", "Quantum Scalar i500"), ("Advantech", "Advantech Model X100"), ("Advantech", "ICR-3241"),
    ("C&C Power", "C&C Power Commander plus"), ("CET Power", "CE+T Power TSI Controller"),
    ("Comtrol", "Comtrol Model X100"), ("CTC Union", "CTC Union Model X100"),
    ("Connection Technology Systems", "Connection Technology Systems Model X100"),
    ("EfficientIP", "EfficientIP SOLIDserver"), ("EUROstor", "EUROstor RAID Subsystem"),
    ("ExaGrid", "ExaGrid EX10"), ("Exterity", "AvediaStream Encoder"), ("Gude", "GUDE Expert Power Control 8226"),
    ("Gude", "Expert Sensor Box 7211"), ("Himoinsa", "Himoinsa Generator Sets"), ("Inteno", "Inteno GW"),
    ("Minkels", "Minkels RMS"), ("NVT Phybridge", "NVT Phybridge FLEX24"), ("OSNEXUS", "OSNEXUS QuantaStor"),
    ("Red Lion", "Red Lion N-Tron NT24k"), ("Red Lion", "N-Tron 7018TX"), ("SIAE", "SIAE ALFOplus80HD"),
    ("UTAX", "UTAX Model X100"), ("Kyocera", "KYOCERA ECOSYS M3655idn"), ("WISI", "WISI Tangram"), ("Wiesemann & Theis", "Web-Thermo-Hygrometer"),
    ("Four-Faith", "Four-Faith F3836"), ("InHand Networks", "InHand IR615"),
    ("InHand Networks", "InHand Networks Model X100"), ("TerraMaster", "TerraMaster F4-423"),
    ("Siemens", "Siemens Model X100"), ("Siemens", "SIEMENS SCALANCE X208"),
    ("Delta Electronics", "Delta Orion Controller"), ("Delta Electronics", "DELTA UPS Amplon RT"),
    ("Polycom", "Poly Studio X50"), ("Polycom", "RealPresence Group 500"), ("Polycom", "VVX 450"),
    ("A10 Networks", "A10 Thunder 3040S"), ("Palo Alto Networks", "Palo Alto PA-3220"),
    ("F5", "F5 BIG-IP i5800"), ("F5", "F5 VIPRION 2400"), ("Check Point", "CheckPoint SecurePlatform"),
    ("Brocade", "Foundry Networking Model X100"), ("Geist", "ITWatchDogs Goose"),
    ("Riedo Networks", "E3 Meter"), ("Dell", "EMC VNX5300"), ("DDN", "DDN Storage SFA7990"),
    ("RAD", "RAD ETX-203AX"), ("Symbol", "Symbol AP-5131"), ("Tait", "Tait Infra93 Series"),
    ("TSC", "TSC Printer"), ("WTI", "WTI CONSOLE"), ("Server Technology", "ServerTech Sentry3"),
    ("XKL", "XKL DXM10"), ("MRV", "MRV OptiDriver"), ("Schneider Electric", "Schneider PowerLogic ION7650"),
    ("2N", "2N Helios IP Vario"), ("Kemp", "Kemp Loadbalancer"), ("AirPort", "AirPort Extreme"),
    ("Montclair", "Montclair EDFA"), ("Arbor", "ArbOS 9.1"),
)

#: The prc value of each added brand: PRC makers (their home in the note), the agency's call (null), else not PRC.
PRC = {"Four-Faith": True, "InHand Networks": True, "TerraMaster": True, "Snom": None, "Vodafone": None}

#: Makers of UPS network cards that other makers' UPSs ship with (Generex's CS141 is the SNMP card of ABB's UPSs,
#: among others; generex.de): LibreNMS labels such a device by the card, while the UPS it reports on (UPS-MIB
#: upsIdentManufacturer, its sysDescr) names the UPS's maker. An added UPS maker's name read there is not a fire.
UPS_CARD_MAKERS = frozenset({"Generex"})
UPS_MAKERS = frozenset({"ABB", "Mitsubishi Electric", "Delta Electronics"})


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _added(kb: KnowledgeBase) -> list[tuple[str, str, re.Pattern[str]]]:
    out = [(brand, src, _compiled(brand, src, kb)) for brand, sources in ADDED.items() for src in sources]
    for brand in NEW_BRANDS:
        out += [(brand, p.pattern, p) for p in (*kb.brands[brand].aliases, *kb.brands[brand].models)]
    return out


@pytest.mark.parametrize(("brand", "text"), NAMES, ids=[t for _, t in NAMES])
def test_a_maker_named_plainly_is_the_brand(kb: KnowledgeBase, brand: str, text: str) -> None:
    verdict = corpus.verdict_of(kb, {"id": "t", "sys_descr": text})
    assert verdict.brand is not None and kb.family(kb.canonical(verdict.brand) or verdict.brand) == kb.family(brand)
    assert verdict.prc_brand is kb.brands[brand].prc


def test_every_added_brand_and_pattern_is_exercised(kb: KnowledgeBase) -> None:
    """The table names every brand this round touched, so no addition goes untested."""
    assert {b for b, _ in NAMES} == {*NEW_BRANDS, *ADDED}


def test_every_addition_is_shipped_with_a_sourced_note(kb: KnowledgeBase) -> None:
    doc = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for brand in (*ADDED, *NEW_BRANDS):
        raw = doc["brands"][brand]
        if brand in ADDED:
            assert set(ADDED[brand]) <= set(raw.get("aliases", ())), brand
        assert re.search(r"product pages|Wikipedia|LibreNMS|IANA|Recog|-MIB\b|\w+\.(?:com|net|de|se|nl|eu|tw|be|it)\b", raw.get("note", "")), brand
    for brand in NEW_BRANDS:
        assert kb.brands[brand].prc is PRC.get(brand, False), brand


def test_no_added_pattern_fires_on_another_vendors_device(kb: KnowledgeBase) -> None:
    # the card's maker is the label; the UPS it reports for names its own maker
    fired, caught = pattern_hits(kb, _added(kb), lambda _name, _row, label, brand, _text: (
        label.vendor in UPS_CARD_MAKERS and brand in UPS_MAKERS))
    assert fired == []
    assert len(caught) >= 10  # many of the patterns do read real devices of their own brand


@lru_cache(maxsize=1)
def _registrants_read() -> dict[int, tuple[str, str]]:
    """number -> (added brand, registrant) for every IANA registrant whose current name an added pattern reads."""
    kb = load_kb()
    added = {*NEW_BRANDS, *ADDED}
    out: dict[int, tuple[str, str]] = {}
    for number, name in pen.load().names.items():
        if number in kb.enterprises:
            continue
        reading = kb.reading(number, "", name)
        if reading is not None and reading.brand in added and reading.brand in {
                b for b, _ in kb.brands_in_text(current_name(name))}:
            out[number] = (reading.brand, name)
    return out


def test_no_registrant_in_a_prc_place_is_read_as_a_brand_not_prc() -> None:
    """A registrant whose name holds a PRC place (the PRC rules' own test) is read by an added alias only when the
    brand is itself a PRC brand: "ABB Xiamen", "Siemens Shenzhen", "Shanghai Mitac Research" stay with the place
    rule, as "Nokia Shanghai Bell" does (test_round3_brands checks the same for every alias)."""
    kb = load_kb()
    places = makers.load_makers().places
    read = {n: (b, name) for n, (b, name) in _registrants_read().items() if places.search(name)}
    assert read and all(kb.brands[b].prc is True for b, _ in read.values()), read


@pytest.mark.parametrize(("registrant", "brand"), [
    ("Nokia Siemens Networks", "Nokia"), ("Siemens Enterprise Communications GmbH & Co. KG", None),
    ("Fujitsu Siemens Computers", "Fujitsu"), ("NIPPON MITSUBISHI OIL CORPORATION", None),
    ("Mitsubishi Heavy Industries", None), ("LG&E-KU LLC", None), ("AVM Informatique", None),
    ("Alpha Networks S.A.", None), ("Advantech Wireless", None), ("Siemens AG", "Siemens"),
    ("Hitachi, Ltd.", "Hitachi"), ("Mitsubishi Electric Corporation", "Mitsubishi Electric"),
    ("ULAF+ OMI SNMP, (c) 2000 by Siemens Schweiz AG", None),  # Albis Technologies' line since 2007
])
def test_names_inside_other_companies_names_are_theirs(kb: KnowledgeBase, registrant: str, brand: str | None) -> None:
    named = [b for b, _ in kb.brands_in_text(registrant)]
    assert (named[0] if named else None) == brand


@pytest.mark.parametrize("text", [
    "NEC Class 2 power supply", "1 gigabyte of memory", "Gigabyte Ethernet Switch", "Delta", "delta time",
    "Digi", "Poly", "Alpha", "Palo Alto, CA", "Press F5 to refresh", "A10", "quantum", "acti", "aver", "in hand",
    "Check point 3", "emc", "RAD", "Symbol", "Kemp", "TSC", "MRV", "avm", "lg", "msi", "iei", "Planet",
    "Horizon Quantum", "Tait", "2N+1 redundancy", "AN5506-04-F5",
])
def test_near_words_name_none_of_the_added_brands(kb: KnowledgeBase, text: str) -> None:
    """Ordinary words, units and other makers' product names that hold an added name: the National Electrical
    Code's power class, 'gigabyte' the unit (and its misspelling for gigabit), DragonWave's Horizon Quantum
    radios, a FiberHome ONU model ending in F5, lower-case acronyms."""
    assert [(b, s) for b, s, p in _added(kb) if p.search(text)] == []
