"""Audit report section: the banned-vendor (PRC-brand) device inventory.

What a reader of this section needs, in the order they ask for it: which devices are PRC brands and whether
each is listed as an approved, isolated exception (or overdue for disposal); which devices the asset register
misses and which register entries the audit never saw; which devices nobody could identify; which strangers one
hop away (LLDP, ARP) are on the network; a reproducible spot-check sample; and, behind every verdict, the
evidence (signal, value, source) an auditor can retrace.

Everything comes from the run's ``vendor.identity`` / ``vendor.neighbour_identity`` / ``vendor.spot_check``
observations and the findings of the ``vendor.*`` checks; the inventory (when the caller has one) adds agency,
site and role. No network, no clock: a re-rendered run gives the same data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from compliance.checks.vendor import register_judgement
from netcomply.i18n import msg, parsed, render
from netcomply.models import Finding, Observation
from netcomply.vendor.sampling import spot_check as draw_spot_check
from reports.charts import stacked_bar_chart
from reports.sections.base import ReportSection, SectionContext, Sheet, section

#: Colours readers should see for the three answers to "is it a PRC brand?".
PRC_COLOURS = {"PRC brand": "#D55E00", "not PRC": "#009E73", "unknown": "#BBBBBB",
               "大陸廠牌": "#D55E00", "非大陸廠牌": "#009E73", "未知": "#BBBBBB"}

#: Default size of the spot-check sample the report proposes when the run stored none (seeded by the run id).
DEFAULT_SAMPLE = 5

_IDENTITY = "vendor.identity"
_NEIGHBOUR = "vendor.neighbour_identity"
_SAMPLE = "vendor.spot_check"


def latest(observations: Iterable[Observation]) -> tuple[list[Observation], list[Observation]]:
    """The newest verdict per device and per stranger (a re-judged run stores only verdicts that changed)."""
    newest: dict[tuple[str, str], Observation] = {}
    for o in observations:
        if o.kind == _IDENTITY:
            key = (o.kind, o.device)
        elif o.kind == _NEIGHBOUR:
            key = (o.kind, str(o.data.get("chassis_id") or o.data.get("name")))
        else:
            continue
        if key not in newest or (o.id or 0) >= (newest[key].id or 0):
            newest[key] = o
    devices = sorted((o for o in newest.values() if o.kind == _IDENTITY), key=lambda o: o.device)
    strangers = sorted((o for o in newest.values() if o.kind == _NEIGHBOUR),
                       key=lambda o: (str(o.data.get("via")), str(o.data.get("name"))))
    return devices, strangers


def _evidence(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    keep = ("signal", "value", "source", "brand", "manufacturer", "model", "serial", "weight", "kind", "note")
    return [{k: e.get(k) for k in keep} for e in rows]


def _conflicts(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{k: c.get(k) for k in ("signal", "value", "source", "brand")} for c in rows]


def _by_subject(findings: Iterable[Finding], check_id: str) -> dict[str, Finding]:
    return {f.subject: f for f in findings if f.check_id == check_id}


def register_state(subject: str, prc: bool | None, findings: Sequence[Finding], obs_device: Mapping[int, str],
                   device: str) -> dict[str, Any]:
    """What the registers say about one device: its asset id, and for a PRC brand its exception's state.

    ``state`` is one of ``approved`` (listed, both approvals, isolated, within its service life), ``overdue``
    (past its end of life), ``not_isolated``, ``not_approved`` (an approval or the end-of-life date missing),
    ``not_listed`` (no exception at all), or None for a device that is not a PRC brand."""
    registered = _by_subject(findings, "vendor.not_in_register").get(subject)
    out: dict[str, Any] = {
        "in_register": None if registered is None else registered.status.value == "pass",
        "asset_id": (registered.details or {}).get("asset_id") if registered else None,
        "state": None, "exception": None, "problems": [],
    }
    if prc is not True:
        return out
    on_network = _by_subject(findings, "vendor.prc_brand_on_network").get(subject)
    exception = next((f for f in findings if f.check_id == "vendor.prc_exception_invalid"
                      and any(obs_device.get(i) == device for i in f.observations)), None)
    if exception is not None:
        out["exception"] = (exception.details or {}).get("exception")
        out["problems"] = list((exception.details or {}).get("problems") or [])
    problems = " ".join(out["problems"])
    if on_network is not None and on_network.status.value == "pass":
        out["state"] = "approved"
    elif exception is None:
        out["state"] = "not_listed"
    elif "end of life (" in problems:
        out["state"] = "overdue"
    elif "not isolated" in problems:
        out["state"] = "not_isolated"
    else:
        out["state"] = "not_approved"
    return out


def register_brand(subject: str, findings: Sequence[Finding]) -> dict[str, Any] | None:
    """What the asset register records for a device whose own answers left its brand or PRC status open (from the
    finding that used it): ``asset_id``, ``text`` (the register's words), ``prc`` and ``decided`` (the PRC-brand
    check judged the device by it). None when no finding used the register."""
    for check_id in ("vendor.prc_brand_on_network", "vendor.unknown_vendor"):
        used = next((f for f in findings if f.subject == subject and f.check_id == check_id
                     and (f.details or {}).get("register_brand")), None)
        if used is not None:
            d = used.details or {}
            return {"asset_id": d.get("asset_id"), "text": d["register_brand"], "prc": d.get("register_prc"),
                    "decided": check_id == "vendor.prc_brand_on_network"}
    return None


def _device_row(o: Observation, findings: Sequence[Finding], obs_device: Mapping[int, str],
                where: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    d = o.data
    inv = where.get(o.device, {})
    registered = register_brand(o.device, findings)
    prc = True if registered and registered["decided"] else d.get("prc_brand")
    return {
        "name": o.device, "address": d.get("address"), "agency": inv.get("agency"), "site": inv.get("site"),
        "role": inv.get("role"), "brand": d.get("brand"), "manufacturer": d.get("manufacturer"),
        "model": d.get("model"), "model_from": d.get("model_from"), "serial": d.get("serial"),
        "prc_brand": d.get("prc_brand"), "manufacturer_prc": d.get("manufacturer_prc"),
        "prc_rule": d.get("prc_rule"), "prc_detail": d.get("prc_detail"),
        "confidence": d.get("confidence"), "status": d.get("status"), "conflicts": _conflicts(d.get("conflicts") or []),
        "evidence": _evidence(d.get("evidence") or []),
        "register": register_state(o.device, prc, findings, obs_device, o.device),
        "register_brand": registered, "prc_effective": prc,
    }


def _stranger_row(o: Observation, where: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    d = o.data
    seen_by = sorted(str(s) for s in d.get("seen_by") or [o.device])
    return {
        "name": d.get("name"), "via": d.get("via"), "seen_by": seen_by, "address": d.get("ip") or d.get("address"),
        "chassis_id": d.get("chassis_id"), "agency": where.get(seen_by[0], {}).get("agency"),
        "brand": d.get("brand"), "manufacturer": d.get("manufacturer"), "model": d.get("model"),
        "prc_brand": d.get("prc_brand"), "confidence": d.get("confidence"),
        "evidence": _evidence(d.get("evidence") or []),
    }


def _prc_key(row: Mapping[str, Any]) -> tuple[int, str]:
    """Unknown first (they need a human), then PRC brands, then the rest."""
    order = {None: 0, True: 1, False: 2}
    return (order[row["prc_brand"]], str(row["name"]))


def settle_message(d: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence that would settle an unknown verdict, in words an auditor can act on (a catalog message, so
    the report shows it in the reader's language)."""
    registered = d.get("register_brand")
    if registered and d.get("brand") is None:
        return msg("section.vendor.settle_register", asset=registered.get("asset_id"), registered=registered["text"],
                   judged=register_judgement(registered.get("prc")))
    if d.get("status") == "no_answer":
        return msg("section.vendor.settle_no_answer")
    if d.get("brand") is None:
        return msg("section.vendor.settle_no_brand")
    maker = d.get("manufacturer") or "?"
    detail = str(d.get("prc_detail") or "").rstrip("; ")
    if not detail:
        return msg("section.vendor.settle_unlisted_short", brand=d["brand"], maker=maker)
    return msg("section.vendor.settle_unlisted", brand=d["brand"], maker=maker, detail=parsed("legacy", detail))


def settle(d: Mapping[str, Any]) -> str:
    """:func:`settle_message` in English (report.json's ``settle``)."""
    return render(settle_message(d), "en")


def _unknown_rows(devices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"name": d["name"], "address": d["address"], "brand": d["brand"], "manufacturer": d["manufacturer"],
             "status": d["status"], "confidence": d["confidence"], "prc_rule": d.get("prc_rule"),
             "signals": sorted({e["signal"] for e in d["evidence"]}), "settle": settle(d),
             "settle_msg": settle_message(d)}
            for d in devices if d["brand"] is None or d["prc_brand"] is None]


def _register_rows(by_check: Mapping[str, list[Finding]], by_name: Mapping[str, Mapping[str, Any]]
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    missing = [{"name": f.subject, "address": by_name.get(f.subject, {}).get("address"),
                "brand": by_name.get(f.subject, {}).get("brand"), "model": by_name.get(f.subject, {}).get("model"),
                "prc_brand": by_name.get(f.subject, {}).get("prc_brand"), "message": f.message}
               for f in by_check.get("vendor.not_in_register", []) if f.status.value == "fail"]
    not_seen = [{**{k: (f.details.get("asset") or {}).get(k) for k in
                    ("asset_id", "name", "address", "brand", "model", "serial", "owner")}, "message": f.message}
                for f in by_check.get("vendor.register_not_seen", []) if f.status.value == "fail"]
    return missing, not_seen


def _exception_rows(by_check: Mapping[str, list[Finding]], obs_device: Mapping[int, str]) -> list[dict[str, Any]]:
    return [{**(f.details.get("exception") or {}), "status": f.status.value,
             "problems": list(f.details.get("problems") or []), "seen": bool(f.details.get("seen")),
             "device_seen": next((obs_device[i] for i in f.observations if i in obs_device), None)}
            for f in by_check.get("vendor.prc_exception_invalid", [])]


def _count_block(devices: Sequence[Mapping[str, Any]], neighbours: Sequence[Mapping[str, Any]],
                 missing: Sequence[Any], not_seen: Sequence[Any]) -> dict[str, int]:
    return {"devices": len(devices), **_counts(devices),
            "brand_unknown": sum(1 for d in devices if d["brand"] is None),
            "conflicts": sum(1 for d in devices if d["conflicts"]),
            "neighbours": len(neighbours), "prc_neighbours": sum(1 for n in neighbours if n["prc_brand"]),
            "prc_by_register": sum(1 for d in devices if d["register_brand"] and d["register_brand"]["decided"]),
            "prc_approved": sum(1 for d in devices if d["register"]["state"] == "approved"),
            "prc_overdue": sum(1 for d in devices if d["register"]["state"] == "overdue"),
            "not_in_register": len(missing), "register_not_seen": len(not_seen)}


def spot_check(ctx: SectionContext, devices: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The sample the operator drew (stored with the run) or, when none was, one the report proposes: PRC brands
    first, drawn reproducibly with the run id as the seed."""
    stored = [o for o in ctx.observations if o.kind == _SAMPLE]
    if stored:
        s = max(stored, key=lambda o: o.id or 0).data
        return {"seed": str(s.get("seed")), "size": int(s.get("size") or 0), "drawn_by": "operator",
                "devices": [dict(x) for x in s.get("devices") or []]}
    keys = ("name", "address", "brand", "model", "serial", "prc_brand")
    population = [{k: d[k] for k in keys} for d in devices]
    size = min(DEFAULT_SAMPLE, len(population))
    return {"seed": ctx.run.id, "size": size, "drawn_by": "report",
            "devices": draw_spot_check(population, size, ctx.run.id)}


def _counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    c = Counter({True: "prc", False: "not_prc", None: "unknown"}[r.get("prc_effective", r["prc_brand"])] for r in rows)
    return {"prc": c["prc"], "not_prc": c["not_prc"], "unknown": c["unknown"]}


@section
class VendorSection(ReportSection):
    key: ClassVar[str] = "vendor"
    order: ClassVar[int] = 200
    title: ClassVar[dict[str, str]] = {"en": "Banned-vendor (PRC-brand) device inventory",
                                       "zh-TW": "大陸廠牌資通訊產品盤點"}
    template: ClassVar[str] = "sections/vendor.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        identities, strangers = latest(ctx.observations_of("vendor"))
        if not identities and not strangers:
            return None
        findings = sorted(ctx.findings_of("vendor"), key=lambda f: (f.check_id, f.subject))
        obs_device = {o.id: o.device for o in identities if o.id is not None}
        where: dict[str, dict[str, Any]] = {}
        if ctx.inventory is not None:
            where = {d.name: {"agency": d.agency, "site": d.site, "role": d.role} for d in ctx.inventory.devices}
        devices = sorted((_device_row(o, findings, obs_device, where) for o in identities), key=_prc_key)
        neighbours = [_stranger_row(o, where) for o in strangers]
        by_check: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_check[f.check_id].append(f)
        register_used = bool(by_check.get("vendor.not_in_register") or by_check.get("vendor.register_not_seen"))
        by_name = {d["name"]: d for d in devices}
        missing, not_seen = _register_rows(by_check, by_name)
        unknown = _unknown_rows(devices)
        low = [f.subject for f in by_check["vendor.unknown_vendor"] if f.subject in by_name
               and by_name[f.subject]["brand"] is not None]
        exceptions = _exception_rows(by_check, obs_device)
        actions = [{"check_id": f.check_id, "subject": f.subject, "status": f.status.value,
                    "severity": f.severity.value, "message": f.message, "msg": (f.details or {}).get("msg")}
                   for f in findings if f.status.value in ("fail", "manual", "error")]
        brands = Counter((d["brand"], d["prc_brand"]) for d in devices if d["brand"])
        agencies: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in devices:
            agencies[d["agency"] or "-"].append(d)
        return {
            "counts": _count_block(devices, neighbours, missing, not_seen),
            "register_used": register_used,
            "devices": devices,
            "prc_devices": [d["name"] for d in devices if d["prc_effective"] is True],
            "not_in_register": missing,
            "register_not_seen": not_seen,
            "unknown": unknown,
            "low_confidence": sorted(low),
            "neighbours": neighbours,
            "exceptions": exceptions,
            "actions": actions,
            "spot_check": spot_check(ctx, devices),
            "by_brand": [{"brand": b, "prc_brand": p, "count": n}
                         for (b, p), n in sorted(brands.items(), key=lambda x: (-x[1], str(x[0][0])))],
            "by_agency": [{"agency": a, **_counts(rows)} for a, rows in sorted(agencies.items())],
            "knowledge_base": sorted({str(o.data.get("kb_version")) for o in identities if o.data.get("kb_version")}),
        }

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        zh = lang.startswith("zh")
        names = ("大陸廠牌", "非大陸廠牌", "未知") if zh else ("PRC brand", "not PRC", "unknown")
        out: dict[str, str] = {}
        if data["by_brand"]:
            brands = [str(b["brand"]) for b in data["by_brand"]]
            stacks = {name: [float(b["count"]) if b["prc_brand"] is flag else 0.0 for b in data["by_brand"]]
                      for name, flag in zip(names, (True, False, None), strict=True)}
            out["vendor-brands"] = str(stacked_bar_chart(
                "vendor-brands", "各廠牌設備數" if zh else "Devices by brand", brands, stacks, colours=PRC_COLOURS))
        if data["by_agency"]:
            agencies = [str(a["agency"]) for a in data["by_agency"]]
            stacks = {name: [float(a[key]) for a in data["by_agency"]]
                      for name, key in zip(names, ("prc", "not_prc", "unknown"), strict=True)}
            out["vendor-agencies"] = str(stacked_bar_chart(
                "vendor-agencies", "各機關大陸廠牌設備" if zh else "PRC-brand devices per agency", agencies, stacks,
                colours=PRC_COLOURS))
        return out

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        yn = {True: "yes", False: "no", None: "unknown"}
        devices = Sheet("Vendor devices", ["name", "address", "agency", "brand", "manufacturer", "model", "serial",
                                           "prc_brand", "confidence", "status", "register_state", "asset_id",
                                           "conflicts"],
                        [[d["name"], d["address"], d["agency"], d["brand"], d["manufacturer"], d["model"], d["serial"],
                          yn[d["prc_brand"]], d["confidence"], d["status"], d["register"]["state"],
                          d["register"]["asset_id"], "; ".join(f"{c['signal']}={c['brand']}" for c in d["conflicts"])]
                         for d in data["devices"]])
        evidence = Sheet("Vendor evidence", ["device", "signal", "value", "source", "brand", "manufacturer", "model",
                                             "weight", "note"],
                         [[d["name"], e.get("signal"), e.get("value"), e.get("source"), e.get("brand"),
                           e.get("manufacturer"), e.get("model"), e.get("weight"), e.get("note")]
                          for d in [*data["devices"], *data["neighbours"]] for e in d["evidence"]])
        gaps = Sheet("Vendor register gaps", ["kind", "name_or_asset", "address", "brand", "model", "message"],
                     [["not_in_register", m["name"], m["address"], m["brand"], m["model"], m["message"]]
                      for m in data["not_in_register"]]
                     + [["register_not_seen", m["asset_id"], m["address"], m["brand"], m["model"], m["message"]]
                        for m in data["register_not_seen"]])
        neighbours = Sheet("Vendor neighbours", ["name", "via", "seen_by", "address", "chassis_id", "brand", "model",
                                                 "prc_brand", "confidence"],
                           [[n["name"], n["via"], ", ".join(n["seen_by"]), n["address"], n["chassis_id"], n["brand"],
                             n["model"], yn[n["prc_brand"]], n["confidence"]] for n in data["neighbours"]])
        sample = data["spot_check"]
        spot = Sheet("Vendor spot check", ["seed", "name", "address", "brand", "model", "serial", "prc_brand"],
                     [[sample["seed"], s.get("name"), s.get("address"), s.get("brand"), s.get("model"),
                       s.get("serial"), yn[s.get("prc_brand")]] for s in sample["devices"]])
        return [devices, evidence, gaps, neighbours, spot]

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        c = data["counts"]
        zh = lang.startswith("zh")
        pending = c["prc"] - c["prc_approved"]
        if zh:
            out = [f"盤點 {c['devices']} 台設備，其中 {c['prc']} 台為大陸廠牌（{c['prc_approved']} 台已列冊核定並隔離，"
                   f"{pending} 台待處理），{c['unknown']} 台廠牌未能辨識。"]
            if c["prc_by_register"]:
                out.append(f"其中 {c['prc_by_register']} 台之大陸廠牌係依財產清冊記載判定"
                           "（設備本身之回應未能確認廠牌）。")
            if c["prc_neighbours"]:
                out.append(f"清冊外另發現 {c['prc_neighbours']} 台大陸廠牌鄰接設備（LLDP/ARP）。")
            if data["register_used"]:
                out.append(f"{c['not_in_register']} 台設備未列入資產清冊，"
                           f"{c['register_not_seen']} 筆清冊項目未於網路上發現。")
            return out
        out = [f"{c['devices']} devices inventoried: {c['prc']} PRC brand ({c['prc_approved']} listed, approved and "
               f"isolated; {pending} to act on), {c['unknown']} of unknown brand."]
        if c["prc_by_register"]:
            out.append(f"{c['prc_by_register']} of the PRC-brand devices are judged by the asset register's brand "
                       "(their own answers do not settle it).")
        if c["prc_neighbours"]:
            out.append(f"{c['prc_neighbours']} PRC-brand device(s) one hop away are not in the inventory (LLDP/ARP).")
        if data["register_used"]:
            out.append(f"{c['not_in_register']} device(s) missing from the asset register; {c['register_not_seen']} "
                       "register entr(y/ies) not seen on the network.")
        return out


__all__ = ["VendorSection", "latest", "register_state", "spot_check"]
