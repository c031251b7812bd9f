"""Observation contracts of the vendor area: ``vendor.snmp_signals`` (written by the ``vendor_signals``
collector), ``vendor.cli_inventory`` (``vendor_cli``), ``vendor.identity`` and ``vendor.neighbour_identity``
(written by the judge step, read by ``compliance.checks.vendor`` and ``reports.sections.vendor``).

Why here: the checks never import collectors, so the shape of a verdict is written down once, in the base, and
both sides read it from here. ``prc_brand`` is tri-state: True (PRC brand), False (not), None (unknown: needs
review); ``prc_state`` spells the same as ``"yes"`` / ``"no"`` / ``"unknown"``, and ``prc_rule`` names the rule that
decided (:data:`PRC_RULES`). A reader must treat None as "needs review", never as "not PRC".
"""

from __future__ import annotations

from typing import Literal, TypedDict

PrcState = Literal["yes", "no", "unknown"]
Status = Literal["identified", "conflict", "unknown", "no_answer"]

#: The rules that can decide ``prc_brand`` (collectors.vendor.makers and collectors.vendor.identify).
PRC_RULES = ("knowledge_base", "prc_group", "registered_place", "oui_country", "maker_only", "signals_disagree",
             "label_and_maker_disagree", "borrowed_number", "host_name_only", "no_rule")

PRC_STATE: dict[bool | None, PrcState] = {True: "yes", False: "no", None: "unknown"}


def prc_state(prc_brand: bool | None) -> PrcState:
    """The tri-state as words; anything but True/False is "unknown" (never "no")."""
    return PRC_STATE.get(prc_brand, "unknown") if isinstance(prc_brand, bool) or prc_brand is None else "unknown"


class EvidenceItem(TypedDict, total=False):
    signal: str  # required: snmp.sysObjectID, snmp.sysDescr, snmp.entPhysicalMfgName, ssh.show_version, ...
    value: str  # required
    source: str  # required
    brand: str
    manufacturer: str
    model: str
    serial: str
    weight: float
    kind: Literal["label", "maker", "info"]
    note: str
    registrant: str  # the IANA / IEEE registrant the signal names
    version: str


class Conflict(TypedDict):
    signal: str
    value: str
    source: str
    brand: str | None
    weight: float


class VendorIdentity(TypedDict):
    """``vendor.identity``, version 2 (version 1 had no prc_state / prc_rule / prc_detail / version)."""

    name: str
    address: str | None
    brand: str | None
    manufacturer: str | None
    model: str | None
    serial: str | None
    version: str | None
    prc_brand: bool | None
    prc_state: PrcState
    prc_rule: str | None
    prc_detail: str | None
    confidence: float
    evidence: list[EvidenceItem]
    conflicts: list[Conflict]
    status: Status
    model_from: str | None
    manufacturer_prc: bool | None
    kb_version: str
    kb_sources: list[str]
    oui_db: str


class VendorNeighbourIdentity(VendorIdentity):
    """``vendor.neighbour_identity``, version 2: a device one hop away that is not in the inventory."""

    via: Literal["lldp", "arp"]
    seen_by: list[str]
    chassis_id: str | None
    sys_name: str | None
    ip: str | None


class LldpNeighbour(TypedDict, total=False):
    local_port: int
    index: str
    chassis_subtype: int
    chassis_id: str
    port_id: str
    sys_name: str
    sys_desc: str


class ArpEntry(TypedDict):
    ip: str
    mac: str
    if_index: int | None


class VendorSnmpSignals(TypedDict):
    """``vendor.snmp_signals``, version 4 (version 3 had no ``standard_identity``, version 2 no ``own_macs``,
    version 1 no ``enterprises``; readers take a missing key as empty, so stored runs of older versions are judged the
    same)."""

    vendor_oids: dict[str, str]
    engine_id: str | None
    engine_id_source: str | None
    lldp_local_chassis: str | None
    lldp_neighbours: list[LldpNeighbour]
    arp: list[ArpEntry]
    enterprises: list[int]  # private subtrees (1.3.6.1.4.1.N) the agent answers, in GETNEXT order
    own_macs: list[str]  # the device's own hardware MACs (dot1dBaseBridgeAddress, then the first 64 ifPhysAddress
    #                      rows): distinct, globally administered unicast, not virtual, "00:19:c6:aa:bb:cc"
    standard_identity: dict[str, str]  # standard MIBs' identity objects (collectors.vendor.standard_identity):
    #                      ups_manufacturer, ups_model, ups_software, ups_agent_software (UPS-MIB upsIdent),
    #                      dot11_manufacturer, dot11_product, dot11_version (IEEE 802.11 dot11ResourceInfoTable);
    #                      only the fields the device answered, placeholders left out


class CliStackMember(TypedDict, total=False):
    """One member of a stack, as Ruijie RGOS ``show version`` lists it (``Device-1`` ...)."""

    index: int
    hardware_version: str
    software_version: str
    boot_version: str
    ctrl_version: str
    serial: str


class CliInventoryFacts(TypedDict, total=False):
    """What one inventory command's output says about the device itself (collectors.vendor.cli_parsers); every key is
    optional and a value the output did not state is None. Huawei ``display elabel``: the main board's label
    (``item``, ``manufactured``, ``vendor``, ``boards``); Ruijie ``show version``: the system lines and ``members``;
    Cisco ``show inventory`` / Junos ``show chassis hardware``: the chassis row (``section``) and, for Cisco, the
    other rows' product ids (``component_pids``)."""

    model: str | None
    serial: str | None
    description: str | None
    section: str | None
    boards: int
    manufactured: str | None
    vendor: str | None
    item: str | None
    component_pids: list[str]
    start_time: str
    uptime: str
    hardware_version: str
    software_version: str
    boot_version: str
    ctrl_version: str
    members: list[CliStackMember]


class VendorCliInventory(TypedDict):
    """``vendor.cli_inventory``, version 1 (written by the ``vendor_cli`` collector, read by the judge step): the
    inventory commands sent to one device, each command's parsed facts (empty when no parser knows the output), and
    the first model and serial they state. The raw outputs are the observation's artifacts, in ``commands`` order."""

    platform: str
    commands: list[str]
    parsed: dict[str, CliInventoryFacts]
    model: str | None
    serial: str | None


CONTRACTS: dict[str, tuple[type, int]] = {
    "vendor.cli_inventory": (VendorCliInventory, 1),
    "vendor.identity": (VendorIdentity, 2),
    "vendor.neighbour_identity": (VendorNeighbourIdentity, 2),
    "vendor.snmp_signals": (VendorSnmpSignals, 4),
}
