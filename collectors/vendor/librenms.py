"""LibreNMS's own OS detection, replayed offline on the corpus, to compare its vendor with netcomply's brand.

LibreNMS (``LibreNMS/Modules/Core.php``, ``detectOS``) tries every OS definition's ``discovery`` items in order; an
item matches when all its conditions hold: ``sysObjectID`` (starts with any), ``sysDescr`` (contains any),
``sysDescr_regex`` / ``sysObjectID_regex`` (PCRE, any), each with an ``_except`` negation. Definitions with
``snmpget`` / ``snmpwalk`` conditions are tried after the others, and the generic ones (airos, freebsd, linux) last.
Those two kinds of condition read objects outside the trimmed recordings, so they are not evaluated here: such an
item never matches, and where LibreNMS would have needed one, the replay names no OS (and no vendor).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

GENERIC_OS = ("airos", "freebsd", "linux")
SLOW = ("snmpget", "snmpwalk")


@lru_cache(maxsize=4096)
def _pcre(pattern: str) -> re.Pattern[str] | None:
    """A PHP ``/.../flags`` regex as a Python pattern (None when Python cannot compile it)."""
    if len(pattern) < 2:
        return None
    delim = pattern[0]
    end = pattern.rfind(delim)
    if end <= 0:
        return None
    body, flags = pattern[1:end], pattern[end + 1:]
    f = (re.IGNORECASE if "i" in flags else 0) | (re.DOTALL if "s" in flags else 0) | (
        re.MULTILINE if "m" in flags else 0) | (re.VERBOSE if "x" in flags else 0)
    try:
        return re.compile(body, f)
    except re.error:
        return None


def _any(values: Any) -> list[str]:
    return [str(v) for v in (values if isinstance(values, list) else [values])]


def _holds(key: str, values: Any, descr: str, oid: str) -> bool | None:
    if key == "sysObjectID":
        return any(oid.startswith(v) for v in _any(values))
    if key == "sysDescr":
        return any(v in descr for v in _any(values))
    if key in ("sysDescr_regex", "sysObjectID_regex"):
        text = descr if key == "sysDescr_regex" else oid
        return any((p := _pcre(v)) is not None and p.search(text) is not None for v in _any(values))
    return None  # snmpget / snmpwalk: not evaluable on a trimmed recording


def item_matches(item: Mapping[str, Any], descr: str, oid: str) -> bool:
    for key, values in item.items():
        negate = key.endswith("_except")
        base = key[: -len("_except")] if negate else key
        held = _holds(base, values, descr, oid)
        if held is None or held == negate:
            return False
    return True


def detection_order(defs: Mapping[str, Mapping[str, Any]]) -> list[str]:
    quick: list[str] = []
    slow: list[str] = []
    for name in sorted(defs):
        items = defs[name].get("discovery") or []
        if not items or name in GENERIC_OS:
            continue
        (slow if any(k in it for it in items for k in SLOW) else quick).append(name)
    return quick + slow + [g for g in GENERIC_OS if g in defs]


def detect(defs: Mapping[str, Mapping[str, Any]], order: Sequence[str], sys_descr: str | None,
           sys_object_id: str | None) -> str | None:
    """The OS LibreNMS would pick from sysDescr and sysObjectID (numeric, with its leading dot), or None."""
    descr = sys_descr or ""
    oid = "." + (sys_object_id or "").lstrip(".") if sys_object_id else ""
    for name in order:
        for item in defs[name].get("discovery") or []:
            if isinstance(item, Mapping) and item_matches(item, descr, oid):
                return name
    return None
