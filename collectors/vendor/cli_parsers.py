"""Parsers for the CLI inventory outputs that name a product outright, where ntc-templates has no template:
Huawei's ``display elabel`` (the electronic label burnt in at the factory) and Ruijie RGOS's ``show version``.

Both are written from published captures of real devices (see tests/vendor/fixtures/cli/): an S5730-48C-SI-AC's
``display elabel`` (``[Slot_0]`` / ``[Main_Board]`` / ``[Board Properties]`` blocks of ``Key=Value`` lines) and an
S2628G-E stack's ``show version`` (``System description : ... (MODEL) By Ruijie Networks`` and one block per
stack member). Pure functions: any text in, plain dicts out, never an exception.
"""

from __future__ import annotations

import re
from typing import Any

#: ``Key=Value`` fields of an elabel ``[Board Properties]`` block -> our names.
ELABEL_FIELDS = {
    "BoardType": "board_type", "BarCode": "serial", "Item": "item", "Description": "description",
    "Manufactured": "manufactured", "VendorName": "vendor", "IssueNumber": "issue_number", "CLEICode": "clei_code",
    "BOM": "bom", "Model": "model",
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
            if name == "Board Properties":
                current = {"section": "/".join(path)}
                boards.append(current)
            elif name.endswith("Version") or name.startswith("/$"):
                continue  # "[ArchivesInfo Version]" headers are metadata, not places
            else:
                current = None
                path = [name] if _is_top(name) else [*path[:1], name]
            continue
        f = _FIELD.match(line)
        if f and current is not None and f.group(1) in ELABEL_FIELDS:
            current[ELABEL_FIELDS[f.group(1)]] = f.group(2)
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


def inventory_facts(command: str, text: str) -> dict[str, Any]:
    """The parsed inventory of ``command``'s output when one of these parsers knows it, else ``{}``."""
    cmd = " ".join(command.lower().split())
    if cmd in ("display elabel", "display device elabel"):
        return huawei_elabel_facts(text)
    if cmd in ("show version", "sh ver") and is_ruijie_version(text):
        return parse_ruijie_version(text)
    return {}
