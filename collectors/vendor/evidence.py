"""Evidence: one signal, what it claims, and where it came from.

Every extractor here is pure (data in, evidence out) so the same code judges a live scan, a stored run months
later and a published recording in a test. An :class:`Evidence` keeps the raw ``value`` and its ``source``
(observation, OID, command) so that an auditor can retrace every verdict; ``brand`` / ``manufacturer`` /
``model`` / ``serial`` are what the signal claims, ``weight`` how far it is trusted alone, and ``kind`` whether
it names the product's *label* (text a brand writes about itself) or only its *maker* (enterprise numbers, OUIs,
engine ids: who built the agent or the NIC).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from collectors.snmp_system import enterprise_number
from collectors.vendor import cli_models, kernel_tags, makers, pen, recog, recog_banners
from collectors.vendor.cli_parsers import inventory_facts
from collectors.vendor.kb import DescrModel, KnowledgeBase
from collectors.vendor.makers import oui_countries
from collectors.vendor.oui import lookup as oui_lookup

Kind = Literal["label", "maker", "info"]


@dataclass(frozen=True)
class Evidence:
    signal: str  # snmp.sysObjectID, snmp.sysDescr, snmp.entPhysicalMfgName, ssh.show_version, lldp.sysDesc, ...
    value: str
    source: str  # where it was read: "snmp:1.3.6.1.2.1.1.2.0 (device.snmp_system #12)", "ssh:show version", ...
    brand: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    weight: float = 0.0
    kind: Kind = "info"
    note: str | None = None
    registrant: str | None = None  # the registry's name of the organisation the signal names (IANA PEN, IEEE)
    version: str | None = None  # firmware / software version the signal states (for the CPE name)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        value = value.get("value", "")
    return str(value).strip()


# --------------------------------------------------------------------------------------------- text


def from_text(kb: KnowledgeBase, signal: str, text: str, source: str, weight_key: str,
              *, model: str | None = None, serial: str | None = None) -> list[Evidence]:
    """Brand names in free text (label claims) and, failing those, model-number patterns.

    An operating system built for several brands (``os_makers``: Comware -> H3C) names the maker, not the brand.
    A brand named only in the host name of a uname-style banner ("Linux UBNT 2.6.32 ...") is marked with the
    signal ``<signal>.hostname``: often the factory's name for the product, but anyone who installs a device can
    set it ("Linux huawei-backup 5.4" on any server), so alone it names the brand but never decides ``prc_brand``
    (:data:`HOSTNAME_SUFFIX`; the rule is in :mod:`collectors.vendor.identify`)."""
    out = _from_text(kb, signal, text, source, weight_key, model=model, serial=serial)
    span = uname_host(text) if signal in DESCR_SIGNALS and any(e.kind == "label" for e in out) else None
    if span is None:
        return out
    text = text.strip()
    rest = text[:span[0]] + "host" + text[span[1]:]
    elsewhere = {e.brand for e in _from_text(kb, signal, rest, source, weight_key, model=model, serial=serial)
                 if e.kind == "label"}
    host = text[span[0]:span[1]]
    return [replace(e, signal=f"{signal}{HOSTNAME_SUFFIX}", weight=round(e.weight * HOSTNAME_FACTOR, 3),
                    note=f"{e.note}; only in the host name {host!r} of an OS banner (set by whoever installed the "
                         "device)") if e.kind == "label" and e.brand not in elsewhere
            else e for e in out]


HOSTNAME_SUFFIX = ".hostname"
#: A brand named only in a banner's host name weighs less than one the rest of the text names ("Linux ESXI
#: 4.14.235-xcc": the kernel's tag names the product, the host name is whatever its installer typed).
HOSTNAME_FACTOR = 0.75
#: A uname-style banner: system name, node (host) name, then a release that starts with a digit.
_UNAME = re.compile(r"^(?:Linux|FreeBSD|NetBSD|OpenBSD|SunOS|Darwin)\s+(\S+)\s+(?=\d)")


def uname_host(text: str) -> tuple[int, int] | None:
    """Where the node name sits in a uname-style banner (``Linux <host> 2.6.32 #1 SMP ...``), or None."""
    m = _UNAME.match(text.strip())
    return m.span(1) if m else None


def _from_text(kb: KnowledgeBase, signal: str, text: str, source: str, weight_key: str,
               *, model: str | None = None, serial: str | None = None) -> list[Evidence]:
    text = text.strip()
    if not text:
        return []
    out: list[Evidence] = []
    short = text if len(text) <= 300 else text[:297] + "..."
    named = kb.brands_in_text(text)
    for brand, matched in named:
        compatible = _named_as_compatible(text, matched)
        out.append(Evidence(signal, short, source, brand=brand, model=model, serial=serial,
                            weight=round(kb.weight(weight_key) * (COMPATIBLE_FACTOR if compatible else 1.0), 3),
                            kind="label",
                            note=f"names {matched!r}" + ("; named as what the product is compatible with"
                                                         if compatible else "")))
    if not named:
        out += _groups_named(kb, signal, short, text, source, weight_key, model, serial)
    if not out:
        for brand, matched in kb.brands_by_model(text):
            out.append(Evidence(signal, short, source, brand=brand, model=model or matched, serial=serial,
                                weight=kb.weight("model_pattern"), kind="label",
                                note=f"model number {matched!r} follows {brand}'s numbering"))
    if not out and signal in DESCR_SIGNALS:  # CLI output is full of ordinary words that some company registered
        out += _kernel_tagged(kb, signal, short, text, source, model, serial)
    if not out and signal in DESCR_SIGNALS:
        out += _registrants_named(kb, signal, short, text, source, model, serial)
    if signal in DESCR_SIGNALS and not _OS_BANNER.search(text):
        out = _leading_name_first(kb, signal, short, text, source, model, serial, named, out)
    if model is None and (signal in DESCR_SIGNALS or signal.startswith("ssh.")):
        found = kb.model_in_text(text, [b for b, _ in named] or [b for e in out if (b := e.brand)])
        if found:
            out = _with_descr_model(out, *found)
    for os_name, maker in kb.os_makers_in(text):
        out.append(Evidence(signal, short, source, manufacturer=maker, weight=0.0, kind="maker",
                            note=f"{os_name} is {maker}'s operating system, also sold under other brands"))
    if not out and (model or serial):
        out.append(Evidence(signal, short, source, model=model, serial=serial, kind="info"))
    return out


#: How far a brand named as what the product is compatible with is trusted (a fraction of the text weight).
COMPATIBLE_FACTOR = 0.4
_COMPATIBLE = re.compile(r"(?:compatible\s+(?:with|to)|emulat(?:es|ing|ion\s+of)|replacement\s+for|alternative\s+to)"
                         r"\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)


def _named_as_compatible(text: str, matched: str) -> bool:
    """"Monarch 7410 Print Adapter compatible with an HP JETDIRECT EX": HP is what the product works like, not its
    brand. True when the first place ``matched`` occurs follows such words."""
    at = text.find(matched)
    return at > 0 and _COMPATIBLE.search(text[max(0, at - 40):at]) is not None


def plain_words(text: str) -> str:
    """Lower-case letters and digits, one space between words: how two spellings of a name are compared."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_MARK = r"\s*(?:\(R\)|\(TM\)|®|™)"


def _names_a_processor(word: str, text: str) -> bool:
    """``Intel(R) Xeon(R) CPU E5-2620`` in a server's or NAS's sysDescr names the processor inside, not the product:
    the maker's word with a trademark sign, then a product word, then ``CPU`` or ``Processor``."""
    pattern = rf"\b{re.escape(word)}{_MARK}\s*[\w-]+(?:{_MARK})?[\w\s().-]{{0,40}}?\b(?:CPU|Processor)\b"
    return re.search(pattern, text) is not None


def _registrants_named(kb: KnowledgeBase, signal: str, short: str, text: str, source: str, model: str | None,
                       serial: str | None) -> list[Evidence]:
    """A maker the knowledge base does not know, named in the text by its registered name (IANA PEN), or by the
    word that leads a family of registrations (``Samsung`` Electronics, ``Samsung`` SDS) outside OS banners.

    A word the knowledge base knows as an operating system one maker builds for several brands (``os_makers``:
    "Comware") names that OS, not the organisation registered under the same word (IANA 28755 "comWare GmbH")."""
    out = []
    named = pen.registrants_in_text(text, leading_words=not _OS_BANNER.search(text))
    os_names = {plain_words(os_name) for os_name, _ in kb.os_makers_in(text)} if named else set()
    for name, word in named:
        if kb.is_chip_maker(name) or _names_a_processor(word, text) or plain_words(word) in os_names:
            continue  # "Realtek RTL8380", "Marvell Prestera": the chip a white-label product is built on, no brand
        out.append(_registrant_claim(kb, signal, short, source, model, serial, name, word))
    return out


def _groups_named(kb: KnowledgeBase, signal: str, short: str, text: str, source: str, weight_key: str,
                  model: str | None, serial: str | None) -> list[Evidence]:
    """A maker the knowledge base does not list as a brand but the PRC-maker judgement knows as an organisation
    (``prc_makers.yaml`` groups: Yeastar, Kedacom, Sundray, ...), named in the text by one of its longer aliases."""
    return [Evidence(signal, short, source, brand=group.name, model=model, serial=serial,
                     weight=kb.weight(weight_key), kind="label",
                     note=f"names {matched!r}, an organisation the PRC-maker list knows: {group.source}")
            for group, matched in makers.groups_in_text(text) if not _named_as_compatible(text, matched)]


def _kernel_tagged(kb: KnowledgeBase, signal: str, short: str, text: str, source: str, model: str | None,
                   serial: str | None) -> list[Evidence]:
    """The maker a Linux banner's kernel release is tagged with (:mod:`collectors.vendor.kernel_tags`)."""
    return [Evidence(signal, short, source, brand=tag.brand, model=model, serial=serial,
                     weight=kb.weight("kernel_tag"), kind="label", registrant=tag.registrant,
                     note=f"the kernel release is tagged {tag.word!r}, the maker's own build"
                          + (f" (IANA registrant {tag.registrant!r})" if tag.registrant else ""))
            for tag in kernel_tags.makers_tagged(kb, text)]


def _registrant_claim(kb: KnowledgeBase, signal: str, short: str, source: str, model: str | None,
                      serial: str | None, name: str, word: str) -> Evidence:
    """The claim of one registered name (or leading word of registrations) found in the text."""
    if _names_one_maker(word, name):
        return Evidence(signal, short, source, brand=pen.registrant_brand(name), model=model, serial=serial,
                        weight=kb.weight("registrant_text"), kind="label", registrant=name,
                        note=f"names {word!r}: the one IANA registrant named so, {name!r}, also an IEEE "
                             "OUI registrant (a hardware maker)")
    if plain_words(word) != plain_words(pen.registrant_brand(name)):
        # the text names part of a registered name ("SHARP" of "Sharp Laboratories of America") or a word that
        # leads a family of registrations: the brand is the word; no one registrant is claimed
        return Evidence(signal, short, source, brand=word.title() if word.isupper() else word, model=model,
                        serial=serial, weight=kb.weight("registrant_text"), kind="label",
                        note=f"names {word!r}, the leading word of IANA registrations such as {name!r}")
    return Evidence(signal, short, source, brand=pen.registrant_brand(name), model=model, serial=serial,
                    weight=kb.weight("registrant_text"), kind="label", registrant=name,
                    note=f"names {word!r}: IANA registrant {name!r}")


_SOFTWARE_HOUSE = re.compile(r"\bsoft(?:ware)?\b", re.IGNORECASE)
#: How far a brand named after the text's leading name is still trusted (a fraction of its usual weight).
LATER_NAME_FACTOR = 0.5


def _leading_name_first(kb: KnowledgeBase, signal: str, short: str, text: str, source: str, model: str | None,
                        serial: str | None, named: list[tuple[str, str]], out: list[Evidence]) -> list[Evidence]:
    """The name a description starts with outranks names it mentions further on.

    A product writes its own maker first ("Xerox Phaser 3320; ... PCL6 ..., IBM/EPSON 5.29.01", "TANDBERG Codec");
    names that follow are parts, partners, emulations or version fields ("Net 24.38" of a printer's firmware list).
    So when the first word(s) name a brand (the knowledge base's, or a registered maker's), claims for other
    families found later in the same text keep half their weight and say why; a registered leading name that the
    knowledge-base names later in the text had hidden is added as a claim of its own."""
    claims = [e for e in out if e.kind == "label" and e.brand]
    if not claims:
        return out
    lead = _leading_kb_brand(text, named, claims)
    if lead is None:
        found = pen.leading_registrant(text)
        if (found is None or kb.is_chip_maker(found[0]) or _names_a_processor(found[1], text)
                or not holds_oui(found[0]) or _SOFTWARE_HOUSE.search(found[0])):
            return out  # a leading name of no hardware maker is as often the software's ("SONiC Software Version")
        lead_claim = _registrant_claim(kb, signal, short, source, model, serial, *found)
        lead_brand, lead_word = lead_claim.brand or "", found[1]
        if kb.family_of(lead_brand) not in {kb.family_of(e.brand) for e in claims}:
            out = [lead_claim, *out]
    else:
        lead_brand, lead_word = lead
    lead_family = kb.family_of(lead_brand)
    return [replace(e, weight=round(e.weight * LATER_NAME_FACTOR, 3),
                    note=f"{e.note}; named after the leading {lead_word!r} (a part, partner or emulation it mentions)")
            if e.kind == "label" and e.brand and kb.family_of(e.brand) != lead_family else e for e in out]


def _leading_kb_brand(text: str, named: list[tuple[str, str]], claims: list[Evidence]) -> tuple[str, str] | None:
    """``(brand, the words)`` when a knowledge-base brand the text names (``named``) is where the text starts."""
    low = text.lower().lstrip(" \"'")
    for brand, matched in named:
        if matched and low.startswith(matched.lower()) and any(e.brand == brand for e in claims):
            return brand, matched
    return None


def _names_one_maker(word: str, registrant: str) -> bool:
    """Does ``word`` (part of a registered name, or the word leading it) name that one organisation outright?
    Only when no other registered name holds the word and the organisation also registered an IEEE OUI (it builds
    hardware): "Rittal" (Rittal-Werk Rudolf Loh), "Zebra" (Zebra Technologies). A word in several names is a
    product line as often as a brand ("Orion", "Pulsar", "Comet"): it stays a weaker, registrant-less claim."""
    if plain_words(word) == plain_words(pen.registrant_brand(registrant)) or pen.registrations_naming(word) != 1:
        return False
    return holds_oui(registrant)


@functools.lru_cache(maxsize=1)
def _oui_words() -> dict[str, frozenset[str]]:
    """word -> the IEEE OUI registrant names (as :func:`pen.name_key`) that hold it."""
    index: dict[str, set[str]] = {}
    for key in oui_countries():
        for w in key.split():
            index.setdefault(w, set()).add(key)
    return {w: frozenset(keys) for w, keys in index.items()}


@functools.lru_cache(maxsize=4096)
def holds_oui(registrant: str) -> bool:
    """Did the organisation also register an IEEE OUI? Its name there may carry a city or a longer form
    ("Hangzhou Hikvision Digital Technology" for IANA's "Hikvision Digital Technology"): an OUI registrant whose
    name holds every word of this one (two words at least) counts."""
    key = pen.name_key(registrant)
    words = key.split()
    if len(words) < 2:  # one word ("Watchdog") is in many unrelated names: the same name only
        return bool(oui_countries().get(key))
    return bool(frozenset.intersection(*(_oui_words().get(w, frozenset()) for w in words)))


#: Free-text signals whose model is read by the knowledge base's ``descr_models`` patterns (and CLI output, where
#: the device's parsed facts gave no model).
DESCR_SIGNALS = ("snmp.sysDescr", "snmp.entPhysicalDescr", "lldp.sysDesc")


def _with_descr_model(ev: list[Evidence], model: str, version: str | None, pattern: DescrModel) -> list[Evidence]:
    """Set the model a ``descr_models`` pattern read on the text's brand claims, and say so in the note."""
    said = f"model {model!r}" + (f", version {version!r}" if version else "") + f" read by the {pattern.brand} pattern"
    return [replace(e, model=model, version=e.version or version, note=f"{e.note}; {said}" if e.note else said)
            if e.brand else e for e in ev]


# --------------------------------------------------------------------------------------------- SNMP


def from_sys_object_id(kb: KnowledgeBase, oid: str | None, source: str) -> list[Evidence]:
    """The enterprise number names who built the agent: the knowledge base's reading when it has one, else the
    IANA registrant (every number resolves, so a maker the knowledge base never heard of still has a name)."""
    number = enterprise_number(oid)
    if number is None or not oid:
        return []
    return enterprise_evidence(kb, number, "snmp.sysObjectID", oid, source)


def enterprise_evidence(kb: KnowledgeBase, number: int, signal: str, value: str, source: str,
                        weight_key: str = "enterprise") -> list[Evidence]:
    """What enterprise ``number`` says (sysObjectID, engine id): a brand claim, a maker note, or nothing."""
    registrant = pen.load().registrant(number)
    said = f"IANA registrant {registrant!r}" if registrant else "not in the IANA registry snapshot"
    # the knowledge base's reading: an OID-prefix entry, the number's entry, or the registrant's brand today
    ent = kb.reading(number, value, registrant)
    if ent is not None and ent.generic:
        return [Evidence(signal, value, source, kind="info", registrant=registrant,
                         note=f"enterprise {number} ({said}): {ent.note or 'generic agent'}; says nothing about "
                              "the brand")]
    if ent is not None:
        weight = min(ent.weight if ent.weight is not None else 1.0, kb.weight(weight_key))
        note = f"enterprise {number}" + (f" ({ent.status})" if ent.status != "registered" else "")
        note += f", {said}" + (f": {ent.note}" if ent.note else "")
        return [Evidence(signal, value, source, brand=ent.brand, manufacturer=ent.manufacturer or ent.brand,
                         weight=weight if ent.brand else 0.0, kind="maker", note=note, registrant=registrant)]
    if not registrant or pen.generic(registrant):
        return [Evidence(signal, value, source, kind="info", registrant=registrant,
                         note=f"enterprise {number}: {said}" + ("; a standards body or generic agent, says nothing "
                                                                 "about the brand" if registrant else ""))]
    if kb.is_chip_maker(registrant):  # a chip maker's reference agent (white-label switches): the chip, not the brand
        return [Evidence(signal, value, source, manufacturer=pen.registrant_brand(registrant), kind="maker",
                         registrant=registrant, note=f"enterprise {number}, {said}: a chip maker's reference agent, "
                                                     "which white-label products of any brand run; names no brand")]
    brand = next((b for b, _ in kb.brands_in_text(registrant)), None) or pen.registrant_brand(registrant)
    return [Evidence(signal, value, source, brand=brand, manufacturer=pen.registrant_brand(registrant),
                     weight=kb.weight("registrant"), kind="maker", registrant=registrant,
                     note=f"enterprise {number}, {said} (not in the knowledge base: brand read from the registry)")]


def from_enterprise_subtrees(kb: KnowledgeBase, numbers: Iterable[int], sys_object_id: str | None, source: str
                             ) -> list[Evidence]:
    """Private subtrees the agent answers besides its sysObjectID's: the maker's own MIB (weaker than the
    sysObjectID; generic and standards trees say nothing)."""
    own = enterprise_number(sys_object_id)
    out: list[Evidence] = []
    generic = {n for n, e in kb.enterprises.items() if e.generic}
    seen: list[int] = []
    for n in numbers:  # what the collector's hops see: up to the first subtree that is not generic
        seen.append(int(n))
        if int(n) not in generic:
            break
    for n in seen:
        if n == own:
            continue
        out += [e for e in enterprise_evidence(kb, int(n), "snmp.enterpriseSubtree", f"1.3.6.1.4.1.{n}",
                                               f"{source} 1.3.6.1.4.1.{n}", "enterprise_subtree") if e.brand]
    return out


def from_engine_id(kb: KnowledgeBase, engine_hex: str | None, source: str) -> list[Evidence]:
    """RFC 3411 snmpEngineID: top bit set -> the first 4 bytes are the enterprise number; format 3 carries a MAC."""
    raw = (engine_hex or "").lower().removeprefix("0x").replace(":", "").replace(" ", "")
    if len(raw) < 6 or len(raw) % 2 or not re.fullmatch(r"[0-9a-f]+", raw):
        return []
    if len(raw) < 10 or not int(raw[:8], 16) & 0x80000000:
        return _engine_text(kb, raw, raw, source)  # no RFC 3411 layout: some agents set a name ("APC")
    number = int(raw[:8], 16) & 0x7FFFFFFF
    out = [replace(e, note=f"{e.note}; read in the engine id") for e in
           enterprise_evidence(kb, number, "snmp.engineID", raw, source, "engine_id")]
    if raw[8:10] == "03" and len(raw) >= 22:
        out += from_mac(kb, raw[10:22], "snmp.engineID.mac", source)
    if raw[8:10] == "04":  # format 4: administratively assigned text
        out += _engine_text(kb, raw[10:], raw, source)
    return out


def _engine_text(kb: KnowledgeBase, text_hex: str, raw: str, source: str) -> list[Evidence]:
    """An engine id that is printable text (RFC 3411 format 4, or an agent that ignores the layout: an APC ePDU
    answers "APC"): the knowledge base's brands named in it, at the engine id's weight."""
    try:
        text = bytes.fromhex(text_hex).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return []
    if len(text.strip()) < 3 or not text.isprintable():
        return []
    return [Evidence("snmp.engineID", raw, source, brand=brand, weight=kb.weight("engine_id"), kind="label",
                     note=f"the engine id is the text {text.strip()!r}, naming {matched!r}")
            for brand, matched in kb.brands_in_text(text)]


def from_snmp_system(kb: KnowledgeBase, data: Mapping[str, Any], source: str) -> list[Evidence]:
    """``device.snmp_system`` data: sysObjectID, sysDescr and the chassis ENTITY rows."""
    out = from_sys_object_id(kb, _text(data.get("sys_object_id")), f"{source} sysObjectID")
    descr = hex_text(_text(data.get("sys_descr")))
    if descr:
        out += from_text(kb, "snmp.sysDescr", descr, f"{source} sysDescr", "sysdescr_text") or [
            Evidence("snmp.sysDescr", descr[:300], f"{source} sysDescr", kind="info",
                     note="answered; names no brand the knowledge base or the registries know")]
        out += recog.descr_evidence(kb, descr, _text(data.get("sys_object_id")), f"{source} sysDescr", out)
    if descr and not any(e.model for e in out):
        out += _guessed_model(descr, f"{source} sysDescr")
    for row in data.get("entity") or []:
        idx = row.get("index", "?")
        mfg = hex_text(_text(row.get("mfg_name")))
        model: str | None = _text(row.get("model_name")) or None
        serial: str | None = _text(row.get("serial")) or None
        where = f"{source} entPhysicalEntry.{idx}"
        descr_row = hex_text(_text(row.get("descr")))
        version = _revision(row.get("software_rev")) or _revision(row.get("firmware_rev"))
        if mfg:
            brand = kb.brand_named(mfg)
            # a maker the knowledge base does not list counts from a chassis row only: a classless row that names
            # a maker (chassis_rows) may be a power supply's or an optic's ("Delta", "FINISAR")
            if brand or row.get("class") != 3 or not _names_a_maker(mfg):
                out.append(Evidence("snmp.entPhysicalMfgName", mfg, where, brand=brand, model=model, serial=serial,
                                    weight=kb.weight("entity_mfg") if brand else 0.0,
                                    kind="label" if brand else "info", version=version))
            else:
                out.append(replace(_entity_maker_claim(kb, mfg, where, _text(data.get("sys_object_id")), model,
                                                       version), serial=serial))
        elif descr_row or model or serial:
            # a chassis row's description is the device's own; a classless first row's (chassis_rows) is the top of
            # the tree, often the device, sometimes the hardware under another brand's OS (Edgecore under PicOS)
            weight_key = "sysdescr_text" if row.get("class") == 3 else "entity_top_descr"
            ev = from_text(kb, "snmp.entPhysicalDescr", descr_row, where, weight_key, model=model, serial=serial)
            out += ev or [Evidence("snmp.entPhysicalModelName", model or "", where, model=model, serial=serial)]
        if model and not mfg:
            out += [e for e in from_text(kb, "snmp.entPhysicalModelName", model, where, "model_pattern", model=model)
                    if e.brand]
    return out


#: A maker's name starts with a word of letters ("Teleste", "QTECH LLC", "Shenzhen ... Co., Ltd."); a value that
#: starts with digits or a model number ("MP-118 FXS", "UN344269584") is some other column's text in this one.
_MAKER_NAME = re.compile(r"[A-Za-z][A-Za-z&.'-]+(?=[\s,]|$)")


def _names_a_maker(mfg: str) -> bool:
    """Does an entPhysicalMfgName value the knowledge base does not know read as a maker's name at all?"""
    return PLACEHOLDER.fullmatch(mfg) is None and _MAKER_NAME.match(mfg) is not None


def _entity_maker_claim(kb: KnowledgeBase, mfg: str, where: str, sys_object_id: str, model: str | None,
                        version: str | None) -> Evidence:
    """entPhysicalMfgName names a maker the knowledge base does not list: "the name of the manufacturer of this
    physical component" (RFC 6933), so it is read as UPS-MIB's and 802.11's manufacturer objects are
    (:func:`manufacturer_claim`), except that a chip maker's name ("Realtek", "Broadcom" on a white-box board) is the
    part's maker, never the brand, and an organisation the PRC-maker list knows is named as that list names it."""
    if kb.is_chip_maker(mfg):
        return Evidence("snmp.entPhysicalMfgName", mfg, where, manufacturer=mfg, model=model, kind="maker",
                        version=version, note="names a chip maker: the board's, not the brand")
    named = _groups_named(kb, "snmp.entPhysicalMfgName", mfg, mfg, where, "entity_mfg_unlisted", model, None)
    if named:
        return replace(named[0], version=version)
    # weaker than any brand the device's words or number name: the column often names whoever built the board for
    # the brand (Sanmina, a contract manufacturer, in ADVA's FSP 150 whose sysDescr is its model number)
    return manufacturer_claim(kb, "snmp.entPhysicalMfgName", mfg, where, sys_object_id or None, model, version,
                              "entity_mfg_unlisted")


def _revision(value: Any) -> str | None:
    """An ENTITY-MIB revision as text, or None when it is binary (a row of NULs and line ends that no decoding makes
    a version: "0x0000...0a3030..." would otherwise become the CPE's version)."""
    text = hex_text(_text(value)).strip()
    return text if text and not text.startswith("0x") and _HEX.fullmatch(text) is None else None


_HEX = re.compile(r"(?:0x)?((?:[0-9a-fA-F]{2}){8,})")
HEX_PRINTABLE_SHARE = 0.9


def hex_text(value: str) -> str:
    """A text the transport could only give as hex: one byte that is not printable UTF-8 (a Latin-1 "ä", a stray
    0xDA between "Compiled Mar 30 2017" and "SoftWare Version") turns the whole sysDescr into hex digits
    (``0x4353...`` in recordings, bare in a live scan). Decoded as UTF-8, a byte that is not UTF-8 and a control
    character read as a space (they separate words); kept as it came when more than 10 % of its characters are
    such strays (a binary value, or a text that only looks like hex)."""
    m = _HEX.fullmatch(value.strip())
    if not m:
        return value
    text = bytes.fromhex(m.group(1)).rstrip(b"\0").decode("utf-8", errors="replace")
    stray = sum(1 for c in text if c == "\ufffd" or not (c.isprintable() or c in "\t\r\n"))
    shown = "".join(c if c.isprintable() and c != "\ufffd" else " " for c in text)
    if not shown.strip() or stray > (1 - HEX_PRINTABLE_SHARE) * len("".join(text.split())):
        return value
    return " ".join(shown.split())


#: A model number: capital letters (with an optional hyphen) then digits, then letters, digits and hyphens
#: (``DM4610``, ``S6220-48XS4QXS``, ``GS1900-8``, ``CS121``, ``TL-SG2008``).
_MODEL_TOKEN = re.compile(r"(?<![\w.#/-])(?:[A-Z]{1,4}-?[A-Z]{0,4}\d{2,5}[A-Z0-9]*(?:-[A-Z0-9]+)*)(?![\w.])")
#: Operating-system banners (a kernel version and a host name, never a product model).
_OS_BANNER = re.compile(r"^\s*(?:Linux|FreeBSD|NetBSD|OpenBSD|SunOS|Darwin|Hardware:|Windows|VxWorks)\b")
GUESS_MAX_DESCR = 120


def _guessed_model(descr: str, source: str) -> list[Evidence]:
    """The first model-like token of a short sysDescr that is not an OS banner: a last resort when no pattern of
    the knowledge base read a model. Marked as a guess (the asset list shows where each model came from)."""
    if len(descr) > GUESS_MAX_DESCR or _OS_BANNER.search(descr):
        return []
    m = _MODEL_TOKEN.search(descr)
    if not m:
        return []
    return [Evidence("snmp.sysDescr.model", descr[:300], source, model=m.group(0), kind="info",
                     note=f"model {m.group(0)!r} guessed: the first model-like token of a short sysDescr")]


def from_vendor_oids(kb: KnowledgeBase, values: Mapping[str, Any], source: str) -> list[Evidence]:
    """Brand-specific scalars (``vendor.snmp_signals`` data ``vendor_oids``: OID -> value)."""
    out: list[Evidence] = []
    for spec in kb.vendor_oids:
        value = _text(values.get(spec.oid))
        if not value:
            continue
        where = f"{source} {spec.oid}"
        if spec.names_brand:
            brand = kb.brand_named(value)
            out.append(Evidence("snmp.vendorOID", value, where, brand=brand,
                                weight=kb.weight("vendor_oid_names_brand") if brand else 0.0,
                                kind="label" if brand else "info", note=f"{spec.brand} {spec.field}"))
        else:
            out.append(Evidence("snmp.vendorOID", value, where, brand=spec.brand, manufacturer=spec.brand,
                                model=value if spec.field == "model" else None,
                                serial=value if spec.field == "serial" else None,
                                version=value if spec.field == "firmware" else None,
                                weight=kb.weight("vendor_oid_subtree"), kind="maker",
                                note=f"{spec.brand}'s private subtree answers ({spec.field})"))
    return out


# --------------------------------------------------------------------------------------------- SSH CLI


def from_cli(kb: KnowledgeBase, outputs: Mapping[str, str], facts: Mapping[str, Any] | None, source: str
             ) -> list[Evidence]:
    """Raw CLI output per command (``show version``, ``display device manuinfo``, ...) and the parsed facts."""
    facts = facts or {}
    model = _text(facts.get("model")) or None
    serial = _text(facts.get("serial")) or None
    out: list[Evidence] = []
    for command, text in outputs.items():
        signal = "ssh." + re.sub(r"\W+", "_", command.strip().lower())
        vendor = _VENDOR_FIELD.search(text)
        if vendor:  # Comware manuinfo VENDOR_NAME, "Manufacturer:" lines: the product names its vendor outright
            name = vendor.group(1).strip()
            brand = kb.brand_named(name)
            if brand:
                out.append(Evidence(signal + ".vendor", name, f"{source} {command}", brand=brand, model=model,
                                    serial=serial, weight=kb.weight("entity_mfg"), kind="label",
                                    note=f"{vendor.group(0).strip()!r}"))
        inventory = inventory_facts(command, text)
        if inventory:
            out += from_inventory(kb, command, inventory, f"{source} {command}", models=False)
        out += _cli_text(kb, signal, text, f"{source} {command}", model, serial)
        out += _cli_models(kb, command, text, inventory, f"{source} {command}", serial)
        oid = _SYS_OID_FIELD.search(text)
        if oid:  # "System OID String: 1.3.6.1.4.1.259...": the device states its own sysObjectID
            stated = oid.group(1) if "." in oid.group(1) else f"1.3.6.1.4.1.{oid.group(1)}"
            out += from_sys_object_id(kb, stated, f"{source} {command}")
        for m in _MAC_FIELD.finditer(text):  # the device's own base MAC, when the output states it
            out += from_mac(kb, m.group(1), signal + ".mac", f"{source} {command}")
    if not out and (model or serial):
        out.append(Evidence("ssh.facts", model or serial or "", source, model=model, serial=serial))
    return out


def from_inventory(kb: KnowledgeBase, command: str, facts: Mapping[str, Any], source: str, *, models: bool = True
                   ) -> list[Evidence]:
    """A parsed inventory (Huawei elabel, Ruijie ``show version``, a Cisco or Junos chassis row): the model and serial
    the device states about itself, and the brand when a vendor field or the description names one, or (``models``)
    when the model follows a maker's part-number scheme (the judge reads stored facts without their raw text)."""
    model, serial = _text(facts.get("model")) or None, _text(facts.get("serial")) or None
    detail = "; ".join(f"{k}: {facts[k]}" for k in ("description", "manufactured", "section", "software_version")
                       if facts.get(k))
    value = " ".join(x for x in (model, serial) if x) or _text(facts.get("description"))
    named = _text(facts.get("vendor"))
    brand = kb.brand_named(named) if named else None
    if brand is None and facts.get("description"):
        brand = next((b for b, _ in kb.brands_in_text(str(facts["description"]))), None)
    how = f"VendorName={named}" if named else "the description"
    note = f"parsed {command!r}" + (f" ({how} names {brand})" if brand else "") + (f"; {detail}" if detail else "")
    signal = "ssh." + re.sub(r"\W+", "_", command.strip().lower()) + ".inventory"
    out = [Evidence(signal, value, source, brand=brand, model=model, serial=serial,
                    weight=kb.weight("entity_mfg") if brand else 0.0, kind="label" if brand else "info",
                    note=note)]
    return out + (_cli_models(kb, command, "", facts, source, serial) if models else [])


def _cli_models(kb: KnowledgeBase, command: str, text: str, facts: Mapping[str, Any] | None, source: str,
                serial: str | None) -> list[Evidence]:
    """Model numbers the output states (a PID, a ``Model number:`` line, a chassis row, its first lines) that follow a
    maker's part-number scheme (:mod:`collectors.vendor.cli_models`): a label claim of that maker's brand."""
    signal = "ssh." + re.sub(r"\W+", "_", command.strip().lower()) + ".model"
    out = []
    for c in cli_models.load().claims(command, text, facts):
        brand = kb.canonical(c.brand) or c.brand
        version = c.model if c.family.states == "version" else None
        out.append(Evidence(signal, c.value[:300], source, brand=brand, model=None if version else c.model,
                            serial=serial, weight=c.weight, kind="label", version=version,
                            note=f"{c.where}: {c.model!r} follows {brand}'s numbering ({c.family.family})"))
    return out


_VENDOR_FIELD = re.compile(r"^\s*(?:VENDOR_NAME|Vendor Name|Manufacturer)\s*:\s*(\S[^\r\n]*)$",
                           re.MULTILINE | re.IGNORECASE)


#: A CLI line stating the device's own sysObjectID (Edgecore/Accton ``show system``: "System OID String").
#: "System OID String: 1.3.6.1.4.1.259...", or a bare enterprise number ("Vendor oid: 56166", Smartbyte's show version)
_SYS_OID_FIELD = re.compile(r"^\s*(?:System (?:OID|Object ID)(?: String)?|Vendor OID)\s*:\s*\.?"
                            r"(1\.3\.6\.1\.4\.1\.\d+(?:\.\d+)*|\d{1,7})\s*$", re.MULTILINE | re.IGNORECASE)


_MAC_FIELD = re.compile(
    r"(?:base\s+mac\s+addr(?:ess)?|system\s+mac\s+address|burned\s+in\s+mac\s+address|mac[_ -]address)"
    r"[\s.:]*((?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}|[0-9a-f]{4}[.-][0-9a-f]{4}[.-][0-9a-f]{4}|[0-9a-f]{6}-[0-9a-f]{6})\b",
    re.IGNORECASE)


def _cli_excerpt(text: str) -> str:
    """The lines of CLI output that describe the product (first 40 non-empty lines: banners, version, model)."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[:40])


CLI_HEAD_LINES = 8
CLI_TAIL_FACTOR = 0.5


def _cli_text(kb: KnowledgeBase, signal: str, text: str, source: str, model: str | None, serial: str | None
              ) -> list[Evidence]:
    """Brands the output names. The first lines describe the product itself; a brand named only further down
    (an inventory's transceivers and modules, often other makers') counts half."""
    lines = _cli_excerpt(text).splitlines()
    head = from_text(kb, signal, "\n".join(lines[:CLI_HEAD_LINES]), source, "cli_text", model=model, serial=serial)
    named = {e.brand for e in head if e.brand}
    tail = [replace(e, weight=round(e.weight * CLI_TAIL_FACTOR, 3),
                    note=f"{e.note}; named after line {CLI_HEAD_LINES} (perhaps a component's maker)")
            for e in from_text(kb, signal, "\n".join(lines[CLI_HEAD_LINES:]), source, "cli_text", model=model,
                               serial=serial)
            if e.brand and e.brand not in named]
    return head + tail


# --------------------------------------------------------------------------------------------- one hop away


def from_mac(kb: KnowledgeBase, mac: str, signal: str, source: str) -> list[Evidence]:
    info = oui_lookup(mac)
    if info is None:
        return []
    if info.local:
        return [Evidence(signal, info.mac, source, kind="info",
                         note="locally administered MAC (randomised or self-assigned): its OUI means nothing")]
    if not info.org:
        return [Evidence(signal, info.mac, source, kind="info",
                         note=f"OUI {info.oui} not registered ({info.database})")]
    if kb.is_chip_maker(info.org):
        return [Evidence(signal, info.mac, source, kind="info",
                         note=f"OUI of chip maker {info.org!r}: names the radio or NIC, not the product "
                              f"({info.database})")]
    brand = next((b for b, _ in kb.brands_in_text(info.org)), None)
    return [Evidence(signal, info.mac, source, brand=brand, manufacturer=brand,
                     weight=kb.weight("oui") if brand else 0.0, kind="maker" if brand else "info",
                     note=f"OUI {info.oui}: {info.org} ({info.database})")]


def from_lldp(kb: KnowledgeBase, row: Mapping[str, Any], source: str) -> list[Evidence]:
    """One LLDP remote-table row (``chassis_id``, ``sys_name``, ``sys_desc``) as seen by a neighbour."""
    out: list[Evidence] = []
    desc = _text(row.get("sys_desc"))
    name = _text(row.get("sys_name"))
    if desc:
        out += from_text(kb, "lldp.sysDesc", desc, f"{source} lldpRemSysDesc", "lldp_text")
        out += recog.descr_evidence(kb, desc, "", f"{source} lldpRemSysDesc", out, signal="lldp.sysDesc",
                                    weight_key="lldp_text")
    if name:
        out += [e for e in from_text(kb, "lldp.sysName", name, f"{source} lldpRemSysName", "lldp_text") if e.brand]
    chassis = _text(row.get("chassis_id"))
    if chassis and row.get("chassis_subtype") in (None, 4):
        out += from_mac(kb, chassis, "lldp.chassisId", f"{source} lldpRemChassisId")
    return out


def from_nmap_host(kb: KnowledgeBase, host: Mapping[str, Any], source: str) -> list[Evidence]:
    """nmap's view (``nmap.host`` shape): nmap's name for each service (product, version), the raw strings services
    volunteered (SSH identification, HTTP Server header and title, TLS subject, Telnet/FTP greetings) read by Rapid7
    Recog's banner databases (:mod:`collectors.vendor.recog_banners`), the snmp-info script, the MAC when on-link."""
    out: list[Evidence] = []
    for port in host.get("ports") or []:
        if port.get("state") not in ("open", "open|filtered"):
            continue
        where = f"{source} {port.get('protocol')}/{port.get('port')}"
        banner = " ".join(str(port.get(k) or "") for k in ("product", "version", "extrainfo")).strip()
        found: list[Evidence] = []
        if banner and not re.search(r"SNMPv3 server", banner):  # nmap names the v3 engine's enterprise: see below
            found = from_text(kb, "nmap.banner", banner, where, "http_banner")
            if kb.os_makers_in(banner):
                # nmap calls every Comware sshd "HP Comware"; the device itself only says "Comware" (H3C's OS,
                # also under the HPE brand), so the banner names the maker, not the brand.
                found = [e for e in found if not e.brand]
            found = [with_changes(e, signal=f"nmap.{port.get('service') or 'service'}_banner") for e in found]
        for raw in recog_banners.port_banners(port):
            found += recog.banner_evidence(kb, raw.database, raw.text, raw.signal, f"{where} {raw.script}",
                                           raw.weight_key, found)
        out += found
        snmp_info = _text((port.get("scripts") or {}).get("snmp-info"))
        if snmp_info:
            out += from_snmp_info(kb, snmp_info, f"{where} snmp-info")
    mac = host.get("mac")
    if mac:
        out += from_mac(kb, str(mac), "nmap.mac", f"{source} mac")
    return out


def from_snmp_info(kb: KnowledgeBase, text: str, source: str) -> list[Evidence]:
    """nmap's ``snmp-info`` script: the enterprise (by name) and the MAC inside the SNMPv3 engine id, read
    without credentials. The enterprise names who built the agent: a maker claim, and for an enterprise whose
    products carry other brands too (H3C's 25506 answers for HPE Comware) only a manufacturer."""
    fields = dict(re.findall(r"^\s*([A-Za-z]+):\s*(.*?)\s*$", text, re.MULTILINE))
    out: list[Evidence] = []
    ent = fields.get("enterprise", "")
    value = "; ".join(f"{k}: {v}" for k, v in fields.items() if k in ("enterprise", "engineIDFormat", "engineIDData"))
    named = next((b for b, _ in kb.brands_in_text(ent)), None) if ent else None
    shared = {e.manufacturer for e in kb.enterprises.values() if e.manufacturer and not e.brand}
    if named and named in shared:
        out.append(Evidence("snmp.engineID", value, source, manufacturer=named, kind="maker",
                            note=f"engine id enterprise {ent!r} builds for other brands too"))
    elif named:
        out.append(Evidence("snmp.engineID", value, source, brand=named, manufacturer=named,
                            weight=kb.weight("engine_id"), kind="maker", note=f"engine id enterprise {ent!r}"))
    else:
        out.append(Evidence("snmp.engineID", value, source, kind="info",
                            note=f"engine id enterprise {ent or 'not named'}"))
    if fields.get("engineIDFormat") == "mac" and fields.get("engineIDData"):
        out += from_mac(kb, fields["engineIDData"], "snmp.engineID.mac", source)
    return out


def with_changes(ev: Evidence, **changes: Any) -> Evidence:
    """A copy of ``ev`` with some fields changed (evidence is immutable)."""
    return replace(ev, **changes)


def ssh_banner_evidence(kb: KnowledgeBase, banner: str, source: str) -> list[Evidence]:
    out = []
    for b in kb.ssh_banners:
        if b.pattern.search(banner):
            out.append(Evidence("ssh.banner", banner, source, brand=b.brand, manufacturer=b.manufacturer,
                                weight=kb.weight("ssh_banner") if b.brand else 0.0,
                                kind="label" if b.brand else "maker"))
    return out or [Evidence("ssh.banner", banner, source, kind="info")]


def merge(*groups: Iterable[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for g in groups:
        out.extend(g)
    return out


#: Values a maker object holds when nobody filled it in ("Unknown", "N/A", "Default", "0", "--", and the firmware
#: templates' "To be filled by O.E.M.", "Default string", "System manufacturer").
PLACEHOLDER = re.compile(r"(?:unknown|n/?a|none|null|default(?:\s+string)?|not\s+(?:set|available|specified)|"
                         r"(?:system\s+|chassis\s+|board\s+)?manufacturer|vendor|generic|undefined|empty|tbd|"
                         r"o\.?e\.?m\.?|to\s+be\s+filled\s+by\s+o\.?e\.?m\.?|[-_.?*0 x]*)", re.IGNORECASE)
_INITIALS = re.compile(r"[A-Z]{2,5}")


def manufacturer_claim(kb: KnowledgeBase, signal: str, name: str, source: str, sys_object_id: str | None,
                       model: str | None, version: str | None, weight_key: str = "standard_mfg") -> Evidence:
    """The claim of an object whose job is to name the maker (UPS-MIB ``upsIdentManufacturer``, IEEE 802.11
    ``dot11ManufacturerName``, ENTITY-MIB ``entPhysicalMfgName``): the knowledge base's brand, else the IANA
    registrant the whole value names, else the sysObjectID registrant's initials (``CPS``), else the value itself,
    a weaker claim (a name neither the knowledge base nor the registries know)."""
    weight = kb.weight(weight_key)
    brand = kb.brand_named(name)
    if brand:
        return Evidence(signal, name, source, brand=brand, model=model, version=version,
                        weight=weight, kind="label", note=f"the manufacturer object names {brand!r}")
    # the value is a name, so a registration family's leading word counts ("EATON" of "Eaton Corporation"), but only
    # when the whole value is that registrant's name ("Marathon Power" is not "Marathon Technologies")
    registered = next(iter(pen.registrants_in_text(name, leading_words=True)), None)
    if registered and plain_words(pen.registrant_brand(registered[0])) == plain_words(pen.registrant_brand(name)):
        registrant = registered[0]
        return Evidence(signal, name, source, brand=pen.registrant_brand(registrant),
                        model=model, version=version, weight=weight, kind="label", registrant=registrant,
                        note=f"the manufacturer object names IANA registrant {registrant!r}")
    number = enterprise_number(sys_object_id)
    owner = pen.load().registrant(number) if number is not None else None
    if owner and _INITIALS.fullmatch(name) and _initials(owner) == name:
        brand = kb.brand_named(owner) or pen.registrant_brand(owner)
        return Evidence(signal, name, source, brand=brand, model=model, version=version,
                        weight=weight, kind="label", registrant=owner,
                        note=f"the manufacturer object {name!r} is the initials of the sysObjectID's registrant "
                             f"{owner!r}")
    return Evidence(signal, name, source, brand=pen.registrant_brand(name) or name, model=model,
                    version=version, weight=min(weight, kb.weight("registrant_text")), kind="label",
                    note="the manufacturer object names a maker neither the knowledge base nor the registries know "
                         "by that name")


def _initials(name: str) -> str:
    """``Cyber Power Systems, Inc.`` -> ``CPS`` (legal forms dropped first)."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", pen.clean_registrant(name))).upper()
