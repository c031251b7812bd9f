"""NVD's vendor and product strings for a verdict: which vendor string, and whether the CPE names the OS.

Why: VANS matches assets to NVD's CVEs by CPE, and NVD's strings are not the brand's name ("paloaltonetworks",
"dahuasecurity", "tp-link"), nor always the box (a Cisco router's CVEs are filed under ``cisco:ios``, a FortiGate's
under ``fortinet:fortios``). The facts are data, in ``data/cpe_names.yaml`` (written by hand, each with its source)
over ``data/cpe_recog.yaml`` (generated from Rapid7 Recog's CPE strings by ``tools/vendor_cpe_names.py``); this
module only reads them and applies them to a device's texts. It is base layer: no collector is imported, the texts
are whatever the verdict kept (its version, its model, its evidence's values).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
_TAIL = re.compile(r"(?:networks?|technology|technologies|systems|communications?|international|electronics)$")
_LEGAL = re.compile(r"\b(inc|corp|corporation|co|ltd|llc|gmbh|ag|sa|limited|company)\b\.?")


def brand_key(name: str) -> str:
    """A brand compared without case, punctuation, a legal form or a generic tail ("Aruba Networks" = "Aruba")."""
    flat = re.sub(r"[^a-z0-9]", "", _LEGAL.sub(" ", name.lower()))
    return _TAIL.sub("", flat) or flat


@dataclass(frozen=True)
class OsRule:
    """One way a brand's device names its CPE product (see the header of ``data/cpe_names.yaml``)."""

    match: re.Pattern[str]
    part: str
    product: str
    basis: str
    version: re.Pattern[str] | None
    require_version: bool = False
    vendor: str | None = None
    product_map: tuple[tuple[re.Pattern[str], str], ...] = ()
    version_map: tuple[tuple[re.Pattern[str], str], ...] = ()


@dataclass(frozen=True)
class OsName:
    """What a rule read from a device: the CPE's part, vendor override, product, version, update and basis."""

    part: str
    vendor: str | None
    product: str
    version: str | None
    update: str | None
    basis: str


@dataclass(frozen=True)
class Names:
    vendors: Mapping[str, tuple[str, str]]  # brand key -> (NVD vendor string, where it comes from)
    rules: Mapping[str, tuple[OsRule, ...]]  # brand key -> its rules, in order


def _rule(raw: Mapping[str, Any]) -> OsRule:
    def pairs(key: str) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple((re.compile(a), str(b)) for a, b in raw.get(key) or ())
    return OsRule(re.compile(raw["match"]), str(raw["part"]), str(raw["product"]), str(raw["basis"]),
                  re.compile(raw["version"]) if raw.get("version") else None, bool(raw.get("require_version")),
                  raw.get("vendor"), pairs("product_map"), pairs("version_map"))


def _read(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or {}
    return doc if isinstance(doc, dict) else {}


@functools.lru_cache(maxsize=1)
def load() -> Names:
    """The shipped facts: the hand-written vendors win over Recog's (they say why where the two differ)."""
    recog, hand = _read("cpe_recog.yaml"), _read("cpe_names.yaml")
    vendors = {brand_key(b): (str(d["vendor"]), f"Recog {str(recog.get('recog_commit', ''))[:12]}")
               for b, d in (recog.get("brands") or {}).items()}
    vendors.update({brand_key(b): (str(d["vendor"]), "cpe_names.yaml") for b, d in (hand.get("vendors") or {}).items()})
    rules = {brand_key(b): tuple(_rule(r) for r in rs) for b, rs in (hand.get("os") or {}).items()}
    return Names(vendors, rules)


def nvd_vendor(brand: str) -> tuple[str, str] | None:
    """``(NVD vendor string, source)`` for a brand, or None when neither data file names it."""
    return load().vendors.get(brand_key(brand))


def _group(m: re.Match[str], prefix: str) -> str | None:
    """The first named group starting with ``prefix`` that matched (``v`` / ``v2``: a pattern's alternatives)."""
    for name, value in m.groupdict().items():
        if name.startswith(prefix) and value:
            return value
    return None


def _rewrite(text: str, rewrites: Iterable[tuple[re.Pattern[str], str]]) -> str:
    for pattern, repl in rewrites:
        text = pattern.sub(repl, text)
    return text


def _version(rule: OsRule, first: str, texts: Sequence[str]) -> tuple[str | None, str | None]:
    if rule.version is None:
        return None, None
    for text in (first, *texts):
        m = rule.version.search(text)
        if m and _group(m, "v"):
            return _rewrite(str(_group(m, "v")), rule.version_map), _group(m, "u")
    return None, None


def _apply(rule: OsRule, matched: re.Match[str], texts: Sequence[str]) -> OsName | None:
    version, update = _version(rule, matched.string, texts)
    if rule.require_version and not version:
        return None
    product = rule.product
    if "{product}" in product:
        captured = _group(matched, "product")
        if not captured:
            return None
        product = product.replace("{product}", _rewrite(captured, rule.product_map))
    return OsName(rule.part, rule.vendor, product, version, update, rule.basis)


def os_name(brand: str, texts: Sequence[str]) -> OsName | None:
    """The OS (or per-family firmware) CPE product a brand's rule reads from the device's texts, or None (the
    hardware/firmware naming from the model applies). The first rule that matches any text and is satisfied wins."""
    for rule in load().rules.get(brand_key(brand), ()):
        for text in texts:
            m = rule.match.search(text)
            if m:
                found = _apply(rule, m, texts)
                if found:
                    return found
                break  # this rule's text but not its version form: the next rule may fit
    return None
