"""CPE 2.3 names for the asset list Taiwan's vulnerability reporting mechanism (VANS) asks of agencies.

Each identified device gets a CPE 2.3 formatted string built from its verdict. VANS matches the list against NVD's
CVEs by CPE, so the strings are NVD's (:mod:`netcomply.vendor.cpe_rules`, facts in ``data/``):

- vendor: NVD's vendor string for the brand ("paloaltonetworks", "dahuasecurity"); a brand the data does not know
  keeps its own name (lower case, spaces to ``_``) and the row says so (``cpe_vendor``: ``brand name``);
- ``cpe_basis`` ``os``: where the brand's CVEs are filed under its operating system (Cisco IOS / IOS XE / NX-OS /
  ASA, Junos, FortiOS, PAN-OS, RouterOS, ArubaOS, ...), the product is the OS and the version (and NVD's update
  field: Junos ``r3-s1``, PAN-OS ``h6``) the OS release read from the device's texts (its sysDescr and other
  evidence values, its version);
- ``cpe_basis`` ``firmware``: a rule that names the firmware after the product family (Huawei's
  ``s5700_firmware:v200r010c00spc600``), or the model with ``_firmware`` and the firmware version a signal stated
  (TP-Link's ``archer_c7_firmware``: NVD's naming for embedded devices);
- ``cpe_basis`` ``hardware``: the model as hardware (part ``h``) when no version is known.

The CPE is for the *product*, so a device with no brand, or with a brand but neither a model nor an OS a rule
names, cannot have one: it is listed with what is missing instead, never with a guessed name. An OS named without
its version gets version ``-`` and says ``version`` is missing. Values are escaped by the CPE 2.3 formatted-string
rules (lower case, spaces to ``_``, punctuation quoted); each name is checked by parsing it back with the ``cpe``
package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cpe import CPE

from netcomply.contracts.vendor import prc_state
from netcomply.vendor import cpe_rules

FIELDS = ("name", "address", "brand", "manufacturer", "model", "model_from", "version", "prc_brand", "cpe", "part",
          "cpe_basis", "cpe_vendor", "missing", "brand_from")


@dataclass(frozen=True)
class AssetCpe:
    name: str
    address: str | None
    brand: str | None
    manufacturer: str | None
    model: str | None
    model_from: str | None  # the signal the model was read from (a guessed one says so)
    version: str | None
    prc_brand: str
    cpe: str | None
    part: str | None
    cpe_basis: str | None  # "os", "firmware" or "hardware": what the CPE's product names
    cpe_vendor: str | None  # the vendor string's source: "nvd (cpe_names.yaml)", "nvd (Recog ...)", "brand name"
    missing: str  # "" when the CPE is complete; else the facts that would complete it
    brand_from: str | None = None  # set when the brand is not the device's own: "asset register A-12"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _component(value: str) -> str:
    """One CPE 2.3 component: printable ASCII only (other characters transliterated or dropped), lower case,
    whitespace to ``_``, punctuation escaped with a backslash. Empty when nothing printable is left."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\s+", "_", re.sub(r"[^\x20-\x7e]|\\", "", ascii_text).strip().lower())
    escaped = re.sub(r"([^a-z0-9._\-])", r"\\\1", text)
    return "\\" + escaped if escaped.startswith("-") else escaped  # a leading "-" would read as "not applicable"


def vendor_string(brand: str) -> tuple[str, str]:
    """``(CPE vendor component, where it comes from)``: NVD's string when the data names the brand, else the
    brand's own name (``brand name``: the auditor should check it against NVD)."""
    known = cpe_rules.nvd_vendor(brand)
    if known:
        return known[0], f"nvd ({known[1]})"
    return _component(brand), "brand name"


def _format(part: str, vendor: str, product: str, version: str | None, update: str | None = None) -> str:
    """A CPE 2.3 formatted string from unescaped values; validated by parsing it back with the ``cpe`` package."""
    comps = [_component(vendor), _component(product), _component(version) if version else "-",
             _component(update) if update else "*"]
    if not all(comps[:2]):
        raise ValueError("vendor and product need printable characters")
    name = f"cpe:2.3:{part}:{comps[0]}:{comps[1]}:{comps[2] or '-'}:{comps[3] or '*'}:*:*:*:*:*:*"
    CPE(name)  # raises on a malformed name
    return name


def cpe_name(brand: str, model: str, version: str | None) -> tuple[str, str]:
    """``(cpe 2.3 string, part)`` by the hardware/firmware naming: ``o:<vendor>:<model>_firmware:<version>`` with a
    version, ``h:<vendor>:<model>:-`` without. A brand or model with nothing printable left is a
    :class:`ValueError` (the caller lists the device as missing that fact)."""
    if not _component(brand) or not _component(model):
        raise ValueError("brand and model need printable characters")
    if version and not _component(version):
        version = None
    part = "o" if version else "h"
    product = _component(model) + ("_firmware" if version else "")
    return _format(part, vendor_string(brand)[0], product, version), part


def _texts(row: Mapping[str, Any], brand: str) -> list[str]:
    """What the device said about itself, for the OS rules: its version, its model, then each evidence value whose
    signal named this brand or no brand (a conflicting brand's text is not this device's OS)."""
    key = cpe_rules.brand_key(brand)
    texts = [str(row[k]) for k in ("version", "model") if row.get(k)]
    for e in row.get("evidence") or ():
        if isinstance(e, Mapping) and e.get("value") and (not e.get("brand")
                                                          or cpe_rules.brand_key(str(e["brand"])) == key):
            texts.append(str(e["value"]))
    return texts


def _entry(row: Mapping[str, Any], cpe: str | None, part: str | None, basis: str | None, vendor_from: str | None,
           missing: str) -> AssetCpe:
    return AssetCpe(str(row.get("name") or ""), row.get("address"), row.get("brand"), row.get("manufacturer"),
                    row.get("model"), row.get("model_from"), row.get("version"), prc_state(row.get("prc_brand")),
                    cpe, part, basis, vendor_from, missing, row.get("brand_from"))


def _os_entry(row: Mapping[str, Any], brand: str, found: cpe_rules.OsName) -> AssetCpe | None:
    """The OS (or per-family firmware) CPE a rule named; None when it named no version and the model can stand in
    as hardware (the caller's naming then applies, saying the version is missing)."""
    if not found.version:
        return None
    vendor, vendor_from = (found.vendor, "nvd (cpe_names.yaml)") if found.vendor else vendor_string(brand)
    try:
        name = _format(found.part, vendor, found.product, found.version, found.update)
    except ValueError:
        return None
    return _entry(row, name, found.part, found.basis, vendor_from, "")


def asset(row: Mapping[str, Any]) -> AssetCpe:
    """One device (a ``vendor.identity`` data dict or a device row) as an asset-list entry."""
    brand, model, version = row.get("brand"), row.get("model"), row.get("version")
    if not brand:
        return _entry(row, None, None, None, None, ", ".join(w for w, v in (("brand", brand), ("model", model))
                                                                if not v))
    found = cpe_rules.os_name(str(brand), _texts(row, str(brand)))
    if found:
        entry = _os_entry(row, str(brand), found)
        if entry:
            return entry
    os_missing = f"version (of {found.product}, named by the device's texts)" if found else None
    if not model:
        return _entry(row, None, None, None, None, os_missing or "model")
    if found:
        version = None  # the device's version belongs to the OS, not to a firmware named after the model
    try:
        name, part = cpe_name(str(brand), str(model), str(version) if version else None)
    except ValueError:
        return _entry(row, None, None, None, None, "printable brand and model")
    return _entry(row, name, part, "firmware" if part == "o" else "hardware", vendor_string(str(brand))[1],
                  "" if part == "o" else (os_missing or "version (hardware CPE only)"))


def asset_list(rows: Iterable[Mapping[str, Any]]) -> list[AssetCpe]:
    """Devices without a CPE first (they need a look), then by name."""
    out = [asset(r) for r in rows]
    return sorted(out, key=lambda a: (a.cpe is not None, a.name))
