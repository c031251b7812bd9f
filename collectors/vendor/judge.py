"""The judge step: read a run's stored observations, weigh them into verdicts, store ``vendor.identity``.

It runs after collection and touches no network, so a stored run can be re-judged (a newer knowledge base, a
user's additions) at any time. Inputs per device: ``device.snmp_system``, ``device.cli_facts`` (+ its raw CLI
artifacts), ``vendor.snmp_signals`` and ``nmap.host``. Devices one hop away that are not in the inventory (LLDP
neighbours; ARP entries with a brand OUI) get ``vendor.neighbour_identity`` observations under the device that
saw them.

Observation kinds written
-------------------------
``vendor.identity`` — one per device: :meth:`Verdict.to_dict` plus ``{"kb_version", "kb_sources", "oui_db"}``.
``vendor.neighbour_identity`` — one per stranger: the same, plus ``{"via": "lldp"|"arp", "seen_by": [...],
"chassis_id", "sys_name", "ip"}``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from collectors.vendor import evidence as E
from collectors.vendor import own_macs as own_mac_evidence
from collectors.vendor import standard_identity
from collectors.vendor.collector import ENGINE_ID
from collectors.vendor.identify import Verdict, identify
from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.oui import database_label, locally_administered, normalise_mac
from netcomply.models import Observation

INPUT_KINDS = ("device.snmp_system", "device.cli_facts", "vendor.cli_inventory", "vendor.snmp_signals", "nmap.host",
               "ssh.banner")
ArtifactText = Callable[[str], str | None]


def _ref(obs: Observation) -> str:
    return f"{obs.kind}#{obs.id}" if obs.id is not None else obs.kind


def evidence_for(kb: KnowledgeBase, observations: Iterable[Observation], artifact_text: ArtifactText | None = None
                 ) -> list[E.Evidence]:
    """Every piece of evidence the observations of one device hold."""
    out: list[E.Evidence] = []
    observations_of_device = list(observations)
    for obs in observations_of_device:
        ref = _ref(obs)
        d = obs.data
        if obs.kind == "device.snmp_system":
            out += E.from_snmp_system(kb, d, f"snmp ({ref})")
            out += standard_identity.descr_evidence(kb, d.get("sys_descr"), d.get("sys_object_id"),
                                                    f"snmp ({ref}) sysDescr")
        elif obs.kind == "vendor.snmp_signals":
            out += E.from_vendor_oids(kb, d.get("vendor_oids") or {}, f"snmp ({ref})")
            how = ENGINE_ID if d.get("engine_id_source") in (None, "snmpEngineID.0") else d["engine_id_source"]
            out += E.from_engine_id(kb, d.get("engine_id"), f"snmp {how} ({ref})")
            system = next((o.data for o in observations_of_device if o.kind == "device.snmp_system"), {})
            out += E.from_enterprise_subtrees(kb, d.get("enterprises") or [], system.get("sys_object_id"),
                                              f"snmp ({ref})")
            out += own_mac_evidence.evidence(kb, d.get("own_macs") or [],
                                             f"snmp dot1dBaseBridgeAddress/ifPhysAddress ({ref})",
                                             own_mac_evidence.own_words(system), out)
            out += standard_identity.evidence(kb, d.get("standard_identity") or {}, system.get("sys_object_id"),
                                              f"snmp ({ref})")
        elif obs.kind in ("device.cli_facts", "vendor.cli_inventory"):
            texts: dict[str, str] = {}
            commands = list(d.get("commands") or [])
            for command, sha in zip(commands, obs.artifacts, strict=False):
                text = artifact_text(sha) if artifact_text else None
                if text:
                    texts[command] = text
            if not texts and obs.kind == "vendor.cli_inventory":  # no raw output at hand: the parsed facts
                out += [e for c, f in (d.get("parsed") or {}).items() if f
                        for e in E.from_inventory(kb, c, f, f"ssh ({ref}) {c}")]
                continue
            if not texts:  # no raw output at hand: the parsed rows still carry the device's own words
                texts = {c: _rows_text(rows) for c, rows in (d.get("parsed") or {}).items()}
            out += E.from_cli(kb, texts, d, f"ssh ({ref})")
        elif obs.kind == "nmap.host":
            out += E.from_nmap_host(kb, d, f"nmap ({ref})")
        elif obs.kind == "ssh.banner" and d.get("banner"):
            out += E.ssh_banner_evidence(kb, str(d["banner"]), f"ssh ({ref})")
    return out


def _rows_text(rows: Sequence[Mapping[str, Any]]) -> str:
    parts: list[str] = []
    for row in rows[:5]:
        for v in row.values():
            parts.extend(str(x) for x in v) if isinstance(v, list) else parts.append(str(v))
    return " \n".join(p for p in parts if p)


def stamp(kb: KnowledgeBase, data: dict[str, Any]) -> dict[str, Any]:
    """Which knowledge base and OUI database judged, and whether the manufacturer is itself a PRC brand (so that
    checks, which never import collectors, can apply the agency's manufacturer policy)."""
    data["manufacturer_prc"] = kb.prc(data.get("manufacturer"))
    data.update({"kb_version": kb.version, "kb_sources": list(kb.sources), "oui_db": database_label()})
    return data


@dataclass
class Judgement:
    devices: list[Verdict] = field(default_factory=list)
    neighbours: list[tuple[Verdict, dict[str, Any]]] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)


def judge(kb: KnowledgeBase, observations: Iterable[Observation], *, addresses: Mapping[str, str] | None = None,
          artifact_text: ArtifactText | None = None, collector: str = "vendor_judge") -> Judgement:
    """Verdicts for every device the observations mention, and for their strangers one hop away."""
    addresses = addresses or {}
    per_device: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        if obs.kind in INPUT_KINDS:
            per_device[obs.device].append(obs)
    result = Judgement()
    heard = _lldp_about(kb, per_device)
    for name in sorted(set(per_device) | set(addresses)):
        obs_list = per_device.get(name, [])
        ev = evidence_for(kb, obs_list, artifact_text)
        ev += _as_corroboration(heard.get(name.lower(), [])) if any(e.brand for e in ev) else heard.get(
            name.lower(), [])
        address = addresses.get(name) or next((o.data.get("address") for o in obs_list if o.kind == "nmap.host"), None)
        verdict = identify(kb, ev, name=name, address=address)
        result.devices.append(verdict)
        result.observations.append(Observation(
            device=name, collector=collector, kind="vendor.identity", data=stamp(kb, verdict.to_dict()),
            source="judge:" + ",".join(sorted({o.kind for o in obs_list})) if obs_list else "judge:none",
            artifacts=sorted({a for o in obs_list for a in o.artifacts}),
        ))
    _strangers(kb, per_device, result, collector, inventory=set(addresses))
    return result


def _as_corroboration(ev: Sequence[E.Evidence]) -> list[E.Evidence]:
    """A neighbour's LLDP entry repeats the device's own sysDescr: shown, but not counted twice."""
    return [E.with_changes(e, weight=0.0, kind="info", note=(e.note or "") + "; repeats the device's own "
                                "description, not counted") for e in ev]


def _lldp_about(kb: KnowledgeBase, per_device: Mapping[str, Sequence[Observation]]) -> dict[str, list[E.Evidence]]:
    """What neighbours' LLDP tables say about each device, by the system name they advertise: corroboration, and
    the only evidence left when the device itself does not answer."""
    out: dict[str, list[E.Evidence]] = defaultdict(list)
    for obs_list in per_device.values():
        for o in obs_list:
            if o.kind != "vendor.snmp_signals":
                continue
            for row in o.data.get("lldp_neighbours") or []:
                name = str(row.get("sys_name") or "").lower()
                if name:
                    out[name] += E.from_lldp(kb, row, f"lldp via {o.device} ({_ref(o)})")
    return {k: _dedupe(v) for k, v in out.items()}


def _known(per_device: Mapping[str, Sequence[Observation]], inventory: set[str] | None
           ) -> tuple[set[str], set[str], list[Observation]]:
    """The names and MACs of devices we already judge (so they are not strangers), and the SNMP signal
    observations that list neighbours."""
    names = {n.lower() for n in per_device} | {n.lower() for n in inventory or ()}
    known_macs: set[str] = set()
    signals: list[Observation] = []
    for obs_list in per_device.values():
        for o in obs_list:
            if o.kind == "device.snmp_system" and o.data.get("sys_name"):
                names.add(str(o.data["sys_name"]).lower())
            if o.kind == "vendor.snmp_signals":
                signals.append(o)
                known_macs |= _own_macs(o)
            if o.kind == "nmap.host" and o.data.get("mac"):
                known_macs.add(str(normalise_mac(o.data["mac"]) or ""))
    for o in signals:  # a neighbour's LLDP entry for an inventory device tells its MAC, even if it never answers
        for row in o.data.get("lldp_neighbours") or []:
            if str(row.get("sys_name") or "").lower() in names and row.get("chassis_id"):
                known_macs.add(str(row["chassis_id"]))
    return names, known_macs, signals


def _own_macs(o: Observation) -> set[str]:
    """A device's own MACs from its SNMP signals: the LLDP local chassis, a MAC-format engine id, the bridge and
    interface MACs."""
    out: set[str] = set(o.data.get("own_macs") or [])
    if o.data.get("lldp_local_chassis"):
        out.add(str(o.data["lldp_local_chassis"]))
    eng = str(o.data.get("engine_id") or "")
    if len(eng) >= 22 and eng[8:10] == "03":
        mac = normalise_mac(eng[10:22])
        if mac:
            out.add(mac)
    return out


def _lldp_strangers(signals: Sequence[Observation], names: set[str], known_macs: set[str]
                    ) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for o in signals:
        for row in o.data.get("lldp_neighbours") or []:
            sys_name = str(row.get("sys_name") or "")
            chassis = str(row.get("chassis_id") or "")
            if sys_name.lower() in names or (chassis and chassis in known_macs):
                continue
            entry = found.setdefault(chassis or sys_name, {"via": "lldp", "sys_name": sys_name or None,
                                                           "chassis_id": chassis or None, "seen_by": [], "rows": [],
                                                           "obs": []})
            if o.device not in entry["seen_by"]:
                entry["seen_by"].append(o.device)
            entry["rows"].append(row)
            entry["obs"].append(o)
    return found


def _arp_strangers(kb: KnowledgeBase, arp_by_mac: Mapping[str, list[tuple[str, str, Observation]]],
                   known_macs: set[str], found: dict[str, dict[str, Any]]) -> None:
    """ARP entries whose OUI names a brand, for MACs no device or LLDP neighbour already accounts for."""
    for mac, seen in arp_by_mac.items():
        if mac in known_macs or mac in found or locally_administered(mac):
            continue
        if not any(e.brand for e in E.from_mac(kb, mac, "arp.mac", "arp")):
            continue  # an unbranded or chip-maker OUI says nothing worth a finding
        entry = found.setdefault(mac, {"via": "arp", "sys_name": None, "chassis_id": mac, "seen_by": [],
                                       "rows": [], "obs": []})
        for _ip, dev, o in seen:
            if dev not in entry["seen_by"]:
                entry["seen_by"].append(dev)
            entry["obs"].append(o)


def _stranger_observation(kb: KnowledgeBase, key: str, entry: Mapping[str, Any],
                          arp_by_mac: Mapping[str, list[tuple[str, str, Observation]]], result: Judgement,
                          collector: str) -> None:
    ev = []
    for row, o in zip(entry["rows"], entry["obs"], strict=False):
        ev += E.from_lldp(kb, row, f"lldp via {o.device} ({_ref(o)})")
    ip = None
    chassis = entry["chassis_id"]
    if chassis and chassis in arp_by_mac:
        ip, dev, o = arp_by_mac[chassis][0]
        if entry["via"] == "arp" or not any(e.signal == "lldp.chassisId" for e in ev):
            ev += E.from_mac(kb, chassis, "arp.mac", f"arp via {dev} ({_ref(o)})")
    verdict = identify(kb, _dedupe(ev), name=entry["sys_name"] or key, address=ip)
    extra = {"via": entry["via"], "seen_by": entry["seen_by"], "chassis_id": chassis,
             "sys_name": entry["sys_name"], "ip": ip}
    result.neighbours.append((verdict, extra))
    result.observations.append(Observation(
        device=entry["seen_by"][0], collector=collector, kind="vendor.neighbour_identity",
        data=stamp(kb, {**verdict.to_dict(), **extra}), source=f"judge:{entry['via']}",
        artifacts=sorted({a for o in entry["obs"] for a in o.artifacts}),
    ))


def _strangers(kb: KnowledgeBase, per_device: Mapping[str, Sequence[Observation]], result: Judgement,
               collector: str, inventory: set[str] | None = None) -> None:
    """LLDP neighbours and ARP entries that are none of the inventory's devices."""
    names, known_macs, signals = _known(per_device, inventory)
    arp_by_mac: dict[str, list[tuple[str, str, Observation]]] = defaultdict(list)
    for o in signals:
        for row in o.data.get("arp") or []:
            arp_by_mac[row["mac"]].append((row["ip"], o.device, o))
    found = _lldp_strangers(signals, names, known_macs)
    _arp_strangers(kb, arp_by_mac, known_macs, found)
    for key, entry in sorted(found.items()):
        _stranger_observation(kb, key, entry, arp_by_mac, result, collector)


def _dedupe(ev: list[E.Evidence]) -> list[E.Evidence]:
    """The same neighbour seen by both ends of a link: keep one of each (signal, value, claim)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in ev:
        key = (e.signal, e.value, e.brand, e.manufacturer)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def judge_run(store: Any, run_id: str, kb: KnowledgeBase, *, addresses: Mapping[str, str] | None = None,
              save: bool = True) -> Judgement:
    """Judge a stored run and store the verdicts. Re-running stores only verdicts that changed; readers take
    the newest ``vendor.identity`` per device (see :func:`latest_identities`)."""
    inputs = [o for kind in INPUT_KINDS for o in store.observations(run_id, kind=kind)]

    def text(sha: str) -> str | None:
        try:
            return bytes(store.artifact_content(sha)).decode("utf-8", "replace")
        except Exception:
            return None

    result = judge(kb, inputs, addresses=addresses, artifact_text=text)
    if save:
        _save_register_reading(store, run_id, kb, result)
        previous = {(o.kind, o.device, _identity_key(o.data)): o
                    for kind in ("vendor.identity", "vendor.neighbour_identity")
                    for o in store.observations(run_id, kind=kind)}
        fresh = [o for o in result.observations if (o.kind, o.device, _identity_key(o.data)) not in previous]
        store.add_observations(run_id, fresh)
        reuse = {(o.kind, o.device, _identity_key(o.data)): o for o in previous.values()}
        for o in result.observations:
            old = reuse.get((o.kind, o.device, _identity_key(o.data)))
            if o.id is None and old is not None:
                o.id, o.run_id = old.id, old.run_id
    return result


def _save_register_reading(store: Any, run_id: str, kb: KnowledgeBase, result: Judgement) -> None:
    """Store what the run's asset register says of brands, read through this knowledge base, unless the newest
    reading stored already says the same (``collectors.vendor.register_brands``)."""
    from collectors.vendor import register_brands
    from netcomply.inventory.registers import REGISTER_KIND

    register = store.newest_observation(run_id, REGISTER_KIND)
    if register is None:
        return
    reading = register_brands.reading_observation(
        kb, register.data, (o.data for o in result.observations if o.kind in register_brands.VERDICT_KINDS))
    newest = store.newest_observation(run_id, register_brands.KIND)
    if newest is None or _identity_key(newest.data) != _identity_key(reading.data):
        store.add_observations(run_id, [reading])


def _identity_key(data: Mapping[str, Any]) -> str:
    import json

    return json.dumps({k: v for k, v in data.items() if k != "kb_sources"}, sort_keys=True, default=str)


def latest_identities(observations: Iterable[Observation]) -> list[Observation]:
    """The newest ``vendor.identity`` per device and ``vendor.neighbour_identity`` per stranger."""
    latest: dict[tuple[str, str], Observation] = {}
    for o in observations:
        if o.kind == "vendor.identity":
            key = (o.kind, o.device)
        elif o.kind == "vendor.neighbour_identity":
            key = (o.kind, str(o.data.get("chassis_id") or o.data.get("name")))
        else:
            continue
        if key not in latest or (o.id or 0) >= (latest[key].id or 0):
            latest[key] = o
    return list(latest.values())
