"""Observation contract of the agency's registers: ``vendor.register`` (one per run, device ``*``; written by the
audit from ``netcomply.inventory.registers.register_observation_data`` when ``--register`` / ``--exceptions``
are given; read back by the vendor judge through ``registers_from_observation``).

Why kept with the run: a stored run is re-judged months later against the registers it was audited with, not
against whatever file is on disk then. A module of its own (not ``vendor``): the registers belong to the
inventory, and the vendor area's contracts are kept by the vendor engineer. Base layer: standard library only.
"""

from __future__ import annotations

from typing import TypedDict


class AssetRecord(TypedDict):
    """One row of the asset register (財產清冊): what the agency says it owns."""

    asset_id: str
    name: str | None  # the device name the inventory uses, if given
    address: str | None
    brand: str | None
    model: str | None
    serial: str | None
    owner: str | None  # unit or person responsible
    line: int  # 1-based line in the register file


class ExceptionRecord(TypedDict):
    """One approved exception: a PRC-brand product that may stay, with its approvals and isolation."""

    device: str
    ciso_approval: str | None  # ISO date of the CISO's approval
    authority_approval: str | None  # ISO date of the competent authority's approval
    isolation: str | None  # how it is isolated (text as written)
    isolated: bool
    end_of_life: str | None  # ISO date by which it is replaced
    line: int


class AssetRegister(TypedDict):
    """The asset register file and its rows."""

    source: str  # absolute path of the file read
    sha256: str  # of the file's bytes
    records: list[AssetRecord]


class ExceptionRegister(TypedDict):
    """The exception register file and its rows."""

    source: str
    sha256: str
    records: list[ExceptionRecord]


class VendorRegister(TypedDict):
    """``vendor.register``, version 1: the registers the run was audited with (None: not given)."""

    asset_register: AssetRegister | None
    exceptions: ExceptionRegister | None


class RegisterBrandReading(TypedDict):
    """One asset-register row's brand column as the vendor knowledge base reads it."""

    text: str  # the register's words
    brand: str | None  # the knowledge base's name of the brand they name, None when it knows none
    family: str  # the top of the brand's ownership chain (the words themselves when unknown)
    prc: bool | None  # PRC brand: yes, no, unknown
    prc_rule: str  # the rule that decided (collectors.vendor.makers)
    prc_detail: str


class VendorRegisterReading(TypedDict):
    """``vendor.register_reading``, version 1 (device ``*``; written by the vendor judge step when the run holds a
    ``vendor.register``): what the banned-vendor checks need of the knowledge base, which they may not import."""

    register_brands: dict[str, RegisterBrandReading]  # asset id -> its brand column read
    brand_families: dict[str, str]  # each brand and manufacturer the verdicts name -> its family


CONTRACTS: dict[str, tuple[type, int]] = {
    "vendor.register": (VendorRegister, 1),
    "vendor.register_reading": (VendorRegisterReading, 1),
}
