"""Load the real-device fixture (facts from published recordings) and turn one entry into evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from collectors.vendor import evidence as E
from collectors.vendor.identify import Verdict, identify
from collectors.vendor.kb import KnowledgeBase

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "real_devices.yaml"


def entries() -> list[dict[str, Any]]:
    return list(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


def evidence_of(kb: KnowledgeBase, entry: dict[str, Any]) -> list[E.Evidence]:
    ev: list[E.Evidence] = []
    src = entry["source"]
    if entry.get("snmp"):
        ev += E.from_snmp_system(kb, entry["snmp"], src)
    if entry.get("vendor_oids"):
        ev += E.from_vendor_oids(kb, {str(k): v for k, v in entry["vendor_oids"].items()}, src)
    if entry.get("cli"):
        ev += E.from_cli(kb, entry["cli"], entry.get("facts"), src)
    if entry.get("arp_mac"):
        ev += E.from_mac(kb, str(entry["arp_mac"]), "arp.mac", src)
    return ev


def verdict_of(kb: KnowledgeBase, entry: dict[str, Any]) -> Verdict:
    return identify(kb, evidence_of(kb, entry), name=entry["id"])
