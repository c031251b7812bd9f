"""Resuming a run with the inventory it was planned for, and saying what changed when the inventory is not it.

A run records the SHA-256 of its inventory file. Resuming with a different file would mix two audits in one
run (devices added since are collected into it, devices removed stay in it, changed addresses or platforms
are judged against the old ones), so a resume whose inventory hash differs is refused unless the user says
``--allow-changed-inventory``. To make the refusal useful, a run also keeps a short digest per device and
service (:func:`inventory_digest`); :func:`describe_change` turns two digests into "2 devices added (a, b),
1 removed (c), 1 changed (d)". Secrets are not in the inventory (only the names of the variables holding
them), and the one inline secret it may hold, an SNMP v2c community, is left out of the digest.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from netcomply.errors import InputError, InputProblem
from netcomply.models import Device, Inventory, Run

#: Hex digits kept per device: enough to tell a change, too few to be worth attacking.
_DIGEST_CHARS = 16
#: Names listed per category in a message before "and N more".
_SHOWN = 8


def _short_hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


def _device_facts(device: Device) -> dict[str, Any]:
    facts = device.model_dump(mode="json")
    snmp = facts.get("snmp")
    if isinstance(snmp, dict):
        snmp.pop("community", None)
    return facts


def inventory_digest(inventory: Inventory) -> dict[str, Any]:
    """``{"devices": {name: hash}, "services": {kind:name: hash}}`` of the whole (unfiltered) inventory."""
    return {
        "devices": {d.name: _short_hash(_device_facts(d)) for d in inventory.devices},
        "services": {f"{s.kind}:{s.name}": _short_hash(s.model_dump(mode="json")) for s in inventory.services},
    }


def describe_change(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    """What differs between two digests, in one sentence; a generic sentence when the run kept none."""
    if not before:
        return "the run kept no per-device record of its inventory, so what changed cannot be named"
    parts: list[str] = []
    for kind in ("devices", "services"):
        old, new = before.get(kind) or {}, after.get(kind) or {}
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        changed = sorted(n for n in set(old) & set(new) if old[n] != new[n])
        for label, names in (("added", added), ("removed", removed), ("changed", changed)):
            if names:
                parts.append(f"{len(names)} {_noun(kind, len(names))} {label} ({_names(names)})")
    if not parts:
        return "no device or service was added, removed or changed (other settings, groups or comments changed)"
    return "; ".join(parts)


def check_resume_inventory(run: Run, inventory: Inventory, stored_digest: dict[str, Any] | None, *,
                           allow_changed: bool) -> str | None:
    """Refuse (:class:`InputError`, exit 2) resuming ``run`` with an inventory whose hash differs, unless
    ``allow_changed``; returns the sentence describing the change when it is allowed, None when unchanged."""
    if run.inventory_sha256 is None or run.inventory_sha256 == inventory.sha256:
        return None
    change = describe_change(stored_digest, inventory_digest(inventory))
    if allow_changed:
        return change
    was = f" ({run.inventory_source})" if run.inventory_source else ""
    raise InputError(InputProblem(
        inventory.source, None,
        f"the inventory changed since run {run.id} started: its SHA-256 was {run.inventory_sha256[:12]}...{was}, "
        f"now {inventory.sha256[:12]}...; {change}. Resume with the inventory the run started with, start a new "
        "run, or pass --allow-changed-inventory to resume anyway (the run records the resume and the new hash)",
    ))


def _noun(kind: str, count: int) -> str:
    singular = kind[:-1]
    return kind if count != 1 else singular


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
