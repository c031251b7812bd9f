"""The brands an agency's asset register records, read through the knowledge base for the banned-vendor checks.

Why: some devices never name their brand. An OEM or white-label product answers with the chip maker's reference
agent, the ODM's enterprise number or net-snmp on Linux (``tools/vendor_miss_traces.py``: 24 of 28 held-out misses
name their maker in no object at all), so the verdict leaves the brand to review. The agency's asset register
(財產清冊) does name it, in the words a clerk typed: "海康威視", "HUAWEI 華為", "Cisco Systems", "HPE". The checks
(``compliance.checks.vendor``) may not import the knowledge base (DESIGN.md's layers), so the application layer hands
them what this module reads:

* :func:`register_readings`: per asset id, the register's brand as the knowledge base knows it, its family (the top
  of its ownership chain) and the PRC judgement of :func:`collectors.vendor.makers.judge_maker` (which rule decided);
* :func:`brand_families`: the family of every brand and manufacturer the verdicts name, so that "HPE" in the
  register and "Aruba" on the device, or "惠普" and "HP", compare as the same maker.

The vendor judge step stores both with the run (:func:`reading_observation`, ``vendor.register_reading``), so that
a re-judge of the run months later (``compliance.judge``) reads the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.makers import judge_maker
from netcomply.contracts.registers import RegisterBrandReading as RegisterReading
from netcomply.contracts.registers import VendorRegisterReading
from netcomply.inventory.registers import REGISTER_READING_KIND as KIND
from netcomply.inventory.registers import registers_from_observation
from netcomply.models import Observation

VERDICT_KINDS = ("vendor.identity", "vendor.neighbour_identity")


def read_brand(kb: KnowledgeBase, text: str) -> RegisterReading:
    """What a register's brand column says: the brand it names and whether that is a PRC brand. A text naming no
    known brand is judged by its own words (a registered name's PRC place, a PRC group's name) or left unknown."""
    text = " ".join(text.split())
    brand = kb.brand_named(text)
    judged = judge_maker(kb, brand or text)
    return {"text": text, "brand": brand, "family": kb.family_of(brand) if brand else text,
            "prc": judged.prc, "prc_rule": judged.rule, "prc_detail": judged.detail}


def register_readings(kb: KnowledgeBase, assets: Iterable[Any]) -> dict[str, RegisterReading]:
    """Per asset id, the reading of every register row that has a brand (rows are
    :class:`netcomply.inventory.registers.AssetRecord`)."""
    out: dict[str, RegisterReading] = {}
    for asset in assets:
        text = str(getattr(asset, "brand", None) or "").strip()
        if text:
            out[str(asset.asset_id)] = read_brand(kb, text)
    return out


def brand_families(kb: KnowledgeBase, verdicts: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The family of each brand and manufacturer name the verdicts (``vendor.identity`` data) hold."""
    names = {str(d[k]) for d in verdicts for k in ("brand", "manufacturer") if d.get(k)}
    return {name: kb.family_of(name) for name in sorted(names)}


def reading_observation(kb: KnowledgeBase, register: Mapping[str, Any], verdicts: Iterable[Mapping[str, Any]]
                        ) -> Observation:
    """The ``vendor.register_reading`` observation of a run's ``vendor.register`` data and its verdicts."""
    assets = registers_from_observation(register).get("asset_register") or []
    data: VendorRegisterReading = {"register_brands": register_readings(kb, assets),
                                   "brand_families": brand_families(kb, verdicts)}
    return Observation(device="*", collector="vendor_judge", kind=KIND, data=dict(data), source="vendor knowledge base")
