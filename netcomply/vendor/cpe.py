"""CPE 2.3 names for the asset list Taiwan's vulnerability reporting mechanism (VANS) asks of agencies.

Each identified device gets a CPE 2.3 formatted string built from its verdict: vendor (the brand), product (the
model) and version (the firmware a signal stated). The CPE is for the *product*, so a device with a brand but no
model, or with no brand, cannot have one: it is listed with what is missing instead, never with a guessed name.
Values are escaped by the CPE 2.3 formatted-string rules (lower case, spaces to ``_``, punctuation quoted); each
name is checked by parsing it back with the ``cpe`` package. Part: ``h`` (hardware) when no firmware version is
known, ``o`` (the device's operating system / firmware) with one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cpe import CPE

from netcomply.contracts.vendor import prc_state

FIELDS = ("name", "address", "brand", "manufacturer", "model", "model_from", "version", "prc_brand", "cpe", "part",
          "missing")


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
    missing: str  # "" when the CPE is complete; else the facts that would complete it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _component(value: str) -> str:
    """One CPE 2.3 component: printable ASCII only (other characters transliterated or dropped), lower case,
    whitespace to ``_``, punctuation escaped with a backslash. Empty when nothing printable is left."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\s+", "_", re.sub(r"[^\x20-\x7e]|\\", "", ascii_text).strip().lower())
    escaped = re.sub(r"([^a-z0-9._\-])", r"\\\1", text)
    return "\\" + escaped if escaped.startswith("-") else escaped  # a leading "-" would read as "not applicable"


def cpe_name(brand: str, model: str, version: str | None) -> tuple[str, str]:
    """``(cpe 2.3 string, part)``; validated by parsing it back with the ``cpe`` package. A brand or model with
    nothing printable left is a :class:`ValueError` (the caller lists the device as missing that fact)."""
    if not _component(brand) or not _component(model):
        raise ValueError("brand and model need printable characters")
    if version and not _component(version):
        version = None
    part = "o" if version else "h"
    product = _component(model) + ("_firmware" if version else "")
    name = f"cpe:2.3:{part}:{_component(brand)}:{product}:{_component(version) if version else '-'}:*:*:*:*:*:*:*"
    CPE(name)  # raises on a malformed name
    return name, part


def asset(row: Mapping[str, Any]) -> AssetCpe:
    """One device (a ``vendor.identity`` data dict or a device row) as an asset-list entry."""
    brand, model, version = row.get("brand"), row.get("model"), row.get("version")
    missing = [what for what, value in (("brand", brand), ("model", model)) if not value]
    prc = prc_state(row.get("prc_brand"))
    if missing:
        return AssetCpe(str(row.get("name") or ""), row.get("address"), brand, row.get("manufacturer"), model,
                        row.get("model_from"), version, prc, None, None, ", ".join(missing))
    try:
        name, part = cpe_name(str(brand), str(model), str(version) if version else None)
    except ValueError:
        return AssetCpe(str(row.get("name") or ""), row.get("address"), brand, row.get("manufacturer"), model,
                        row.get("model_from"), version, prc, None, None, "printable brand and model")
    return AssetCpe(str(row.get("name") or ""), row.get("address"), brand, row.get("manufacturer"), model,
                    row.get("model_from"), version, prc, name, part, "" if version else "version (hardware CPE only)")


def asset_list(rows: Iterable[Mapping[str, Any]]) -> list[AssetCpe]:
    """Devices without a CPE first (they need a look), then by name."""
    out = [asset(r) for r in rows]
    return sorted(out, key=lambda a: (a.cpe is not None, a.name))
