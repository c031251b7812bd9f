"""Parsers for the CLI inventory outputs that name a product outright: Huawei's ``display elabel`` (the electronic
label burnt in at the factory) and Ruijie RGOS's ``show version`` (ntc-templates has no template for either), the
chassis rows of Cisco's ``show inventory`` and Junos's ``show chassis hardware``, and the lines of any output that
label a model (``Model number :``, ``Board Type :``, ``DEVICE_NAME :``), which :mod:`collectors.vendor.cli_models`
reads against the makers' part-number schemes.

Both are written from published captures of real devices (see tests/vendor/fixtures/cli/): an S5730-48C-SI-AC's
``display elabel`` (``[Slot_0]`` / ``[Main_Board]`` / ``[Board Properties]`` blocks of ``Key=Value`` lines) and an
S2628G-E stack's ``show version`` (``System description : ... (MODEL) By Ruijie Networks`` and one block per
stack member). Pure functions: any text in, plain dicts out, never an exception.
"""

from __future__ import annotations

import re
from typing import Any

#: ``Key=Value`` fields of an elabel ``[Board Properties]`` block -> our names (keys matched in any case: some
#: releases write ``VENDORNAME``, ``BOARDTYPE``).
ELABEL_FIELDS = {
    "boardtype": "board_type", "barcode": "serial", "item": "item", "description": "description",
    "manufactured": "manufactured", "vendorname": "vendor", "issuenumber": "issue_number", "cleicode": "clei_code",
    "bom": "bom", "model": "model",
}

_SECTION = re.compile(r"^\s*\[([^\]\r\n]+)\]\s*$")
_FIELD = re.compile(r"^\s*(?:/\$)?([A-Za-z]+)=(.*?)\s*$")
#: Sections that hold the device itself (a fixed box's main board; a chassis' backplane or rack), best first.
_CHASSIS_HINTS = ("backplane", "chassis", "rack", "main_board", "mainboard", "slot_0", "slot_1")


def parse_huawei_elabel(text: str) -> list[dict[str, Any]]:
    """Every ``[Board Properties]`` block of ``display elabel``, in order, with the section path it sits under
    (``Slot_0/Main_Board``). Lines that are not ``[section]`` or ``Key=Value`` (prompts, ``Info:`` lines) are
    skipped; a block without a board type or bar code is dropped."""
    boards: list[dict[str, Any]] = []
    path: list[str] = []
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        m = _SECTION.match(line)
        if m:
            name = m.group(1).strip()
            if name.lower() == "board properties":
                current = {"section": "/".join(path)}
                boards.append(current)
            elif name.endswith("Version") or name.startswith("/$"):
                continue  # "[ArchivesInfo Version]" headers are metadata, not places
            else:
                current = None
                path = [name] if _is_top(name) else [*path[:1], name]
            continue
        f = _FIELD.match(line)
        if f and current is not None and f.group(1).lower() in ELABEL_FIELDS:
            current[ELABEL_FIELDS[f.group(1).lower()]] = f.group(2)
    return [b for b in boards if b.get("board_type") or b.get("serial")]


def _is_top(name: str) -> bool:
    low = name.lower()
    return low.startswith(("slot", "rack", "backplane", "chassis", "frame", "lpu", "mpu", "pwr", "fan"))


def huawei_elabel_facts(text: str) -> dict[str, Any]:
    """The device's own label from ``display elabel``: model (board type), serial (bar code), manufacture date,
    vendor, description and the number of boards; empty when nothing parsed."""
    boards = parse_huawei_elabel(text)
    if not boards:
        return {}

    def rank(b: dict[str, Any]) -> int:
        section = str(b.get("section", "")).lower()
        return next((i for i, hint in enumerate(_CHASSIS_HINTS) if hint in section), len(_CHASSIS_HINTS))

    main = min(boards, key=rank)  # min() keeps the first of equals: the order of the output
    return {
        "model": main.get("board_type") or main.get("model") or None, "serial": main.get("serial") or None,
        "manufactured": main.get("manufactured") or None, "vendor": main.get("vendor") or None,
        "description": main.get("description") or None, "item": main.get("item") or None,
        "section": main.get("section") or None, "boards": len(boards),
    }


_RUIJIE_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z -]*?)\s*:\s*(.*?)\s*$")
_RUIJIE_KEYS = {
    "system description": "description", "system start time": "start_time", "system uptime": "uptime",
    "system hardware version": "hardware_version", "system software version": "software_version",
    "system boot version": "boot_version", "system ctrl version": "ctrl_version",
    "system serial number": "serial",
}
_MEMBER_KEYS = {"hardware version": "hardware_version", "software version": "software_version",
                "boot version": "boot_version", "ctrl version": "ctrl_version", "serial number": "serial"}
_RUIJIE_MODEL = re.compile(r"\(([A-Za-z0-9][\w.+/-]*)\)\s*(?:By\s+Ruijie|$)")
_MEMBER = re.compile(r"^\s*(Device|Slot)-?\s*(\d+)\s*:?\s*$", re.IGNORECASE)


def parse_ruijie_version(text: str) -> dict[str, Any]:
    """Ruijie RGOS ``show version``: the system lines, the model named in the description's parentheses, and one
    entry per stack member (``Device-1`` ...). Empty when the text has no ``System description`` line."""
    facts: dict[str, Any] = {}
    members: list[dict[str, Any]] = []
    member: dict[str, Any] | None = None
    for line in text.splitlines():
        m = _MEMBER.match(line)
        if m:
            member = {"index": int(m.group(2))}
            members.append(member)
            continue
        kv = _RUIJIE_LINE.match(line)
        if not kv:
            continue
        key = kv.group(1).strip().lower()
        if key in _RUIJIE_KEYS and member is None:
            facts.setdefault(_RUIJIE_KEYS[key], kv.group(2))
        elif member is not None and key in _MEMBER_KEYS:
            member.setdefault(_MEMBER_KEYS[key], kv.group(2))
    if "description" not in facts:
        return {}
    model = _RUIJIE_MODEL.search(facts["description"])
    facts["model"] = model.group(1) if model else None
    facts.setdefault("serial", next((m.get("serial") for m in members if m.get("serial")), None))
    facts["members"] = members
    return facts


def is_ruijie_version(text: str) -> bool:
    return bool(re.search(r"^\s*System description\s*:", text, re.MULTILINE | re.IGNORECASE))


# ------------------------------------------------------------------------------ Cisco ``show inventory`` (UDI rows)

_UDI_NAME = re.compile(r'^\s*NAME:\s*"(?P<name>[^"]*)"\s*,\s*DESCR:\s*"(?P<descr>[^"]*)"', re.IGNORECASE)
_UDI_IDS = re.compile(r"^\s*PID:\s*(?P<pid>[^,]*?)\s*,\s*VID:\s*(?P<vid>[^,]*?)\s*,\s*SN:\s*(?P<sn>\S*)",
                      re.IGNORECASE)


def parse_cisco_inventory(text: str) -> list[dict[str, str]]:
    """The rows of a Cisco ``show inventory`` (IOS, IOS XE/XR, NX-OS, ASA, WLC): ``NAME: "..", DESCR: ".."``
    then ``PID: .., VID: .., SN: ..`` (the Unique Device Identifier). A row without its PID line keeps empty ids."""
    rows: list[dict[str, str]] = []
    for line in text.splitlines():
        m = _UDI_NAME.match(line)
        if m:
            rows.append({"name": m.group("name").strip(), "descr": m.group("descr").strip(),
                         "pid": "", "vid": "", "sn": ""})
            continue
        ids = _UDI_IDS.match(line)
        if ids and rows and not rows[-1]["pid"] and not rows[-1]["sn"]:
            rows[-1].update({k: ids.group(k).strip() for k in ("pid", "vid", "sn")})
    return rows


def udi_description(line: str) -> str | None:
    """The ``DESCR`` of a ``NAME: "..", DESCR: ".."`` inventory line (the product, in its maker's words), else None:
    the ``NAME`` beside it is an entity's name (``Chassis``, ``Slot 1``), not the product."""
    m = _UDI_NAME.match(line)
    return m.group("descr").strip() if m else None


def cisco_inventory_facts(text: str) -> dict[str, Any]:
    """The chassis of ``show inventory``: the row whose name or description says chassis, else the first row."""
    rows = parse_cisco_inventory(text)
    if not rows:
        return {}
    boxes = [r for r in rows if not _PLUGGABLE.search(r["name"]) and not _OPTIC.search(r["descr"])]
    main = next((r for r in boxes if "chassis" in f"{r['name']} {r['descr']}".lower()), boxes[0] if boxes else None)
    if main is None:  # only optics listed (an ASA's ``show inventory`` of its ports): no chassis to read
        return {"model": None, "serial": None, "description": None, "section": None,
                "component_pids": [r["pid"] for r in rows if r["pid"]], "boards": len(rows)}
    return {"model": main["pid"].rstrip("=") or None, "serial": main["sn"] or None,
            "description": main["descr"] or None, "section": main["name"] or None,
            "component_pids": [r["pid"] for r in rows if r["pid"] and r is not main], "boards": len(rows)}


#: Inventory rows of a port's pluggable optic (named after the interface, or described as a transceiver): never
#: the chassis, and often another maker's part.
_PLUGGABLE = re.compile(r"^(?:[A-Za-z]*(?:Ethernet|GigE)|Gi|Te|Fa|Fo|Hu|Tw|Twe|Eth|xe|et|ge)[\s/]?\d", re.IGNORECASE)
_OPTIC = re.compile(r"\b(?:Q?SFP\d*\+?|XFP|CFP\d?|QSFP-?DD|transceiver|GBIC)\b", re.IGNORECASE)


# ------------------------------------------------------------------------------ Junos ``show chassis hardware``

_JUNOS_HEADER = re.compile(r"^(?P<indent>\s*)Item\s+Version\s+Part number\s+Serial number\s+Description\s*$")


def parse_junos_chassis_hardware(text: str) -> list[dict[str, str]]:
    """The rows of Junos ``show chassis hardware``, cut at the header's column starts (Item, Version, Part number,
    Serial number, Description); ``depth`` is the item's indentation under the header's (modules sit under their
    slot). An output pasted or saved with every line indented (genieparser's captures are) keeps its columns: the
    header's own indentation is where the item column starts."""
    lines = text.splitlines()
    found = next(((i, m) for i, ln in enumerate(lines) if (m := _JUNOS_HEADER.match(ln))), None)
    if found is None:
        return []
    start, header_match = found
    header, indent = lines[start], len(header_match.group("indent"))
    cuts = [header.index(h) for h in ("Version", "Part number", "Serial number", "Description")]
    rows = []
    for line in lines[start + 1:]:
        if not line.strip() or not line[:cuts[0]].strip():
            continue
        cells = [line[:cuts[0]], line[cuts[0]:cuts[1]], line[cuts[1]:cuts[2]], line[cuts[2]:cuts[3]], line[cuts[3]:]]
        item, version, part, serial, descr = (c.strip() for c in cells)
        rows.append({"item": item, "version": version, "part": part, "serial": serial, "description": descr,
                     "depth": str(max(0, len(line) - len(line.lstrip()) - indent))})
    return rows


def junos_chassis_facts(text: str) -> dict[str, Any]:
    """The chassis row's description (the model: ``MX480``, ``JNP204 [MX204]``) and serial; a virtual chassis
    names no model, so its first FPC's description stands in."""
    rows = parse_junos_chassis_hardware(text)
    if not rows:
        return {}
    chassis = next((r for r in rows if r["item"].lower() == "chassis"), rows[0])
    model = chassis["description"]
    if not model or "virtual chassis" in model.lower():
        fpc = next((r for r in rows if r["item"].upper().startswith("FPC") and r["description"]), None)
        model = fpc["description"] if fpc else model
    return {"model": model or None, "serial": chassis["serial"] or None, "description": chassis["description"] or None,
            "section": chassis["item"], "boards": len(rows)}


# ------------------------------------------------------------------------------ labelled model fields in any output

#: Keys under which outputs state the device's model (lower case, runs of spaces, dots and underscores as one space):
#: IOS ``Model number``, PAN-OS ``model``, ICOS ``Machine Model``, SmartAX ``PRODUCT``, VRP ``Board Type``,
#: Comware ``PRODUCT ID``, AOS-CX ``Product Name``, FTOS ``System Type``. Keys that name the host or a neighbour
#: elsewhere (NX-OS ``Device name`` is the host name, CDP's ``Platform`` a neighbour's) are not read.
MODEL_KEYS = frozenset({
    "model", "model number", "model name", "model no", "machine model", "machine type", "product", "product name",
    "product id", "product number", "product model", "device model", "board type", "board name", "boardtype",
    "hardware model", "chassis type", "system type", "switch model",
})
#: Keys read only as written: Comware's ``DEVICE_NAME`` is the model, an ordinary ``Device name`` the host name.
MODEL_KEYS_EXACT = frozenset({"DEVICE_NAME"})
_KEY_VALUE = re.compile(r"^\s*(?:\d+\.\s*)?(?P<key>[A-Za-z][A-Za-z _.-]{0,40}?)\s*(?:\.{2,}|:|=)\s*"
                        r"(?P<value>\S[^\r\n]*?)\s*,?\s*$")


def model_fields(text: str, limit: int = 400) -> list[tuple[str, str]]:
    """``(key, value)`` of every line of the first ``limit`` lines that labels a model (``Model number : X``,
    ``Machine Model.......... X``, ``DEVICE_NAME : X``, ``3. Board Type : X``), in order."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines()[:limit]:
        m = _KEY_VALUE.match(line)
        if not m:
            continue
        raw = m.group("key").strip()
        key = " ".join(re.sub(r"[._]+", " ", raw).lower().split())
        if key in MODEL_KEYS or raw in MODEL_KEYS_EXACT:
            out.append((key, m.group("value")))
    return out


_ELABEL_BLOCK = re.compile(r"^\s*(?:/\$)?\[Board Properties\]\s*$", re.MULTILINE | re.IGNORECASE)


def inventory_facts(command: str, text: str) -> dict[str, Any]:
    """The parsed inventory of ``command``'s output when one of these parsers knows it, else ``{}``."""
    cmd = " ".join(command.lower().split())
    if cmd in ("display elabel", "display device elabel") or _ELABEL_BLOCK.search(text):
        return huawei_elabel_facts(text)  # Huawei writes the same label for ``display device manuinfo`` too
    if cmd in ("show version", "sh ver") and is_ruijie_version(text):
        return parse_ruijie_version(text)
    if cmd in ("show inventory", "admin show inventory", "sh inv", "show inventory all"):
        return cisco_inventory_facts(text)
    if cmd in ("show chassis hardware", "show chassis hardware detail"):
        return junos_chassis_facts(text)
    return {}
