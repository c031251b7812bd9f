"""Build the audit report as one JSON-able dict: the single source every writer (JSON, HTML, PDF, XLSX) renders.

Determinism is the point: the dict depends only on what the store holds for the runs (and the inventory and
agency files given), never on the clock or on database row ids that re-judging changes. Findings get stable
references (``F0001`` ...) from their sorted order; every list is sorted; times are the run's own; and every
string passes the redactor, so no report file can carry a secret the process knows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from compliance.catalog import catalogs
from compliance.checks.base import check_meta
from compliance.engine import AgencyInputs
from compliance.evaluate import Evaluation, evaluate
from compliance.judge import finding_key, load_checks
from netcomply.models import Finding, Inventory, Observation, Run
from netcomply.safety.redact import REDACTOR
from netcomply.timefmt import DEFAULT_ZONE, iso_local, local_date, zone
from reports.audit.gather import RunData, gather, resolve_runs
from reports.audit.locale import check_lang
from reports.audit.paper import document_facts
from reports.audit.progress import comparison, duties_by_agency
from reports.audit.sections_run import run_sections
from reports.audit.subjects import KINDS, hotspot_devices, inventory_kinds, kind_of, listed_agencies

FORMAT = "netcomply.audit-report/1"
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
WORST = 10  # items in each "most serious" list of the summary
IDENTITY_KINDS = ("device.cli_facts", "device.snmp_system", "vendor.identity")


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def run_dict(run: Run) -> dict[str, Any]:
    return {
        "id": run.id, "started_at": iso(run.started_at), "finished_at": iso(run.finished_at),
        "operator": run.operator, "tool_version": run.tool_version, "inventory_sha256": run.inventory_sha256,
        "inventory_source": run.inventory_source, "status": str(run.status.value if hasattr(run.status, "value")
                                                                 else run.status),
        "parameters": dict(sorted((run.parameters or {}).items())),
    }


def build_report(
    store: Any,
    run_ids: Sequence[str],
    *,
    inventory: Inventory | None = None,
    inputs: AgencyInputs | None = None,
    lang: str = "zh-TW",
    sections: Sequence[Any] | None = None,
    timezone: str | None = None,
    doc_version: str | None = None,
    classification: str | None = None,
) -> dict[str, Any]:
    """The report of one run, or the combined report of several runs of one store (devices and findings of
    all of them, controls evaluated over the union of their findings).

    ``inventory`` adds agency, site and role to devices (otherwise each run's own inventory file is used when it
    is unchanged since the run); ``inputs`` are the agency's level, duty record and SoA decisions;
    ``sections`` overrides the registered report sections (tests); ``timezone`` (an IANA name) overrides the
    inventory's ``settings.timezone`` (the given inventory's, else the run's; default Asia/Taipei): the zone
    every date a person reads is in. ``doc_version`` and ``classification`` go on the paper edition's cover and
    running header (defaults: 1.0 and the report's own wording for restricted use)."""
    check_lang(lang)
    runs = resolve_runs(store, list(run_ids))
    data = gather(store, runs, inventory)
    # The zone is the agency's setting: an inventory given now counts even if edited since the run.
    chosen = timezone or (inventory.settings.timezone if inventory is not None else None)
    report = build_from(store, data, inputs=inputs, lang=lang, sections=sections, timezone=chosen)
    inv = inventory or next((d.inventory for d in reversed(data) if d.inventory is not None), None)
    document = document_facts([d.run for d in data], inv, version=doc_version, classification=classification)
    report["document"] = redact_tree(document, {})
    return report


def report_zone(data: list[RunData], timezone: str | None) -> str:
    """The report's time zone: the caller's, else the latest inventory's setting, else Asia/Taipei."""
    if timezone:
        return zone(timezone).key
    inv = next((d.inventory for d in reversed(data) if d.inventory is not None), None)
    return inv.settings.timezone if inv is not None else DEFAULT_ZONE


def build_from(store: Any, data: list[RunData], *, inputs: AgencyInputs | None = None, lang: str = "zh-TW",
               sections: Sequence[Any] | None = None, timezone: str | None = None) -> dict[str, Any]:
    inputs = inputs or AgencyInputs()
    load_checks()
    primary = data[-1].run  # the latest run anchors a combined report (its day is the evaluation day)
    tz = report_zone(data, timezone)
    findings = _stable_findings(data)
    evaluation = _evaluate(store, data, findings, inputs, tz)
    devices = _devices(data, findings)
    device_index = {(d["run"], d["name"]): d for d in devices}
    finding_rows = _findings(data, findings, device_index)
    controls = _controls(evaluation, findings)
    mapped: dict[str, set[str]] = defaultdict(set)
    for c in controls:
        for fr in c["findings"]:
            mapped[fr["ref"]].add(c["control"])
    order = {c["control"]: i for i, c in enumerate(controls)}
    for row in finding_rows:  # the catalog controls a finding reached (crosswalk and aliases resolved)
        row["mapped_controls"] = sorted(mapped.get(row["ref"], ()), key=order.__getitem__)
    observations = [o for d in data for o in d.observations]
    inv = next((d.inventory for d in reversed(data) if d.inventory is not None), None)
    section_data, section_index = run_sections(
        store, primary, observations, [f for _, f in findings], evaluation, inv, lang, data, sections, tz)
    report: dict[str, Any] = {
        "format": FORMAT,
        "lang": lang,
        "combined": len(data) > 1,
        "timezone": tz,
        "run": {**run_dict(primary), **({"runs": [run_dict(d.run) for d in data]} if len(data) > 1 else {}),
                "batch": _batch(data), "started_local": iso_local(primary.started_at, tz)},
        "inventory": [{"run": d.run.id, "source": d.run.inventory_source, "sha256": d.run.inventory_sha256,
                       "used": d.inventory is not None, "note": d.inventory_note} for d in data],
        "agency": evaluation.agency.model_dump(mode="json") if evaluation.agency else None,
        "devices": devices,
        "findings": finding_rows,
        "frameworks": _frameworks(evaluation),
        "controls": controls,
        "evaluation": {"as_of": evaluation.as_of.isoformat(),
                       "unknown_controls": {k: list(v) for k, v in evaluation.unknown_controls.items()}},
        "sections": section_data,
        "section_index": section_index,
        # Duties of each agency when the report spans several (judged as `compliance controls --agency` does),
        # and better / worse than the previous comparable run (counted as `netcomply diff` does).
        "duties_by_agency": duties_by_agency(inv, [f for _, f in findings], inputs, evaluation.as_of),
        "comparison": comparison(store, primary.id, inputs, tz) if len(data) == 1 else {"previous": None},
    }
    report["summary"] = _summary(report)
    redacted = redact_tree(report, {})
    assert isinstance(redacted, dict)
    return redacted


def redact_tree(value: Any, memo: dict[str, str]) -> Any:
    """Every string of a JSON-like tree (dict keys too) through the redactor, each distinct string once: a
    report repeats the same device names, sources and hashes tens of thousands of times, and redacting each
    occurrence separately cost 40x more than redacting each distinct string."""
    if isinstance(value, str):
        if value not in memo:
            memo[value] = REDACTOR.redact(value)
        return memo[value]
    if isinstance(value, dict):
        return {redact_tree(k, memo): redact_tree(v, memo) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_tree(v, memo) for v in value]
    return value


def _batch(data: list[RunData]) -> str | None:
    names = {(d.run.parameters or {}).get("batch") for d in data}
    return str(names.pop()) if len(names) == 1 and None not in names else None


def _stable_findings(data: list[RunData]) -> list[tuple[str, Finding]]:
    """Every run's findings in a stable order, each a copy whose ``id`` is its 1-based position: ids the store
    assigns change when a run is re-judged, positions in this order do not."""
    ordered = sorted(((d.run.id, f) for d in data for f in d.findings),
                     key=lambda pair: (pair[0], *finding_key(pair[1]), sorted(pair[1].controls)))
    return [(run_id, replace(f, id=n, observations=sorted(f.observations), artifacts=sorted(f.artifacts)))
            for n, (run_id, f) in enumerate(ordered, start=1)]


def ref(number: int | None) -> str:
    return f"F{number or 0:04d}"


def _evaluate(store: Any, data: list[RunData], findings: list[tuple[str, Finding]],
              inputs: AgencyInputs, tz: str = DEFAULT_ZONE) -> Evaluation:
    """What :func:`compliance.engine.evaluate_run` does for one run, over the union of the runs' findings (with
    their stable ids), on the day the latest run started in the agency's zone (a run at 01:30 Taipei time is
    that day's, not UTC's day before): re-evaluating an old report gives the same answer."""
    return evaluate(
        [f for _, f in findings],
        as_of=local_date(data[-1].run.started_at, tz),
        agency=inputs.agency,
        record=inputs.record,
        applicability=inputs.decisions.applicability() if inputs.decisions else None,
    )


# ------------------------------------------------------------------------------------------------ devices


def _device_of(finding: Finding, names: set[str], obs_device: dict[int, str]) -> str | None:
    """The device a finding is about: its subject, else the one device its observations came from, else the
    subject's leading ``device:`` part (firewall rules are ``fw1:ACL:rule``)."""
    if finding.subject in names:
        return finding.subject
    cited = {obs_device[o] for o in finding.observations if o in obs_device}
    if len(cited) == 1:
        return cited.pop()
    head = finding.subject.split(":", 1)[0]
    return head if head in names else None


def _identity(observations: list[Observation]) -> dict[str, Any]:
    """What a device said about itself (CLI facts first, then SNMP, then the vendor judgement)."""
    out: dict[str, Any] = {}
    for obs in sorted(observations, key=lambda o: (IDENTITY_KINDS.index(o.kind), o.id or 0)):
        d = obs.data or {}
        if obs.kind == "device.cli_facts":
            for key in ("hostname", "model", "serial", "os_version"):
                if d.get(key) and key not in out:
                    out[key] = d[key]
        elif obs.kind == "device.snmp_system":
            descr = (d.get("sys_descr") or "").splitlines()
            if descr and "sys_descr" not in out:
                out["sys_descr"] = descr[0][:160]
            for key in ("sys_name", "sys_object_id", "sys_location", "enterprise"):
                if d.get(key) is not None and key not in out:
                    out[key] = d[key]
            ent = (d.get("entity") or [{}])[0] or {}
            if ent.get("model_name") and "model" not in out:
                out["model"] = ent["model_name"]
            if ent.get("serial") and "serial" not in out:
                out["serial"] = ent["serial"]
        elif obs.kind == "vendor.identity":
            for key in ("brand", "manufacturer", "model", "prc_brand", "confidence"):
                if d.get(key) is not None and key not in out:
                    out[key] = d[key]
    return dict(sorted(out.items()))


def _device_status(statuses: list[str]) -> str:
    if not statuses:
        return "not_tried"
    if all(s == "ok" for s in statuses):
        return "ok"
    if any(s == "ok" for s in statuses):
        return "partial"
    return "failed"


def _devices(data: list[RunData], findings: list[tuple[str, Finding]]) -> list[dict[str, Any]]:
    rows = []
    per_run_findings: dict[str, list[Finding]] = defaultdict(list)
    for run_id, f in findings:
        per_run_findings[run_id].append(f)
    # A device is listed under each run that touched it; an inventory device no run touched is listed once
    # (as not tried), under the latest run whose inventory has it, so a batch does not repeat it per run.
    touched = {d.run.id: {r.device for r in d.results} | {o.device for o in d.observations} for d in data}
    untouched: dict[str, str] = {}
    everywhere = set().union(*touched.values())
    for d in data:
        # Services and hotspots of the inventory too: one nobody reached is counted (as not tried), not dropped.
        for listed in inventory_kinds(d.inventory):
            if listed not in everywhere:
                untouched[listed] = d.run.id
    for d in data:
        inv_devices = {dev.name: dev for dev in (d.inventory.devices if d.inventory else ())}
        known, other_agency = inventory_kinds(d.inventory), listed_agencies(d.inventory)
        device_hotspots = hotspot_devices(d.inventory)
        results = defaultdict(list)
        for r in d.results:
            results[r.device].append(r)
        obs_by_device: dict[str, list[Observation]] = defaultdict(list)
        for o in d.observations:
            obs_by_device[o.device].append(o)
        names = touched[d.run.id] | {name for name, run_id in untouched.items() if run_id == d.run.id}
        obs_device = {o.id: o.device for o in d.observations if o.id is not None}
        counts, failed_sev = _finding_counts(per_run_findings[d.run.id], names, obs_device)
        for name in sorted(names):
            dev = inv_devices.get(name)
            collections = _collections(results.get(name, []))
            kinds = Counter(o.kind for o in obs_by_device.get(name, []))
            rows.append({
                "name": name, "run": d.run.id, "kind": kind_of(name, known, kinds),
                "hotspot": name in device_hotspots,  # an AP that is a hotspot too: counted in both
                **_listing(dev, other_agency.get(name)), "in_inventory": dev is not None or name in known,
                # A hotspot is read through its controller: its own observations are its collection.
                "status": _device_status([str(c["status"]) for c in collections]) if collections or not kinds
                else "ok",
                "collections": collections,
                "identity": _identity([o for o in obs_by_device.get(name, []) if o.kind in IDENTITY_KINDS]),
                "observations": dict(sorted(kinds.items())),
                "findings": dict(sorted(counts[name].items())),
                "failed_by_severity": {s: failed_sev[name][s] for s in SEVERITY_ORDER if failed_sev[name][s]},
            })
    return sorted(rows, key=lambda r: (r["agency"] or "", r["name"], r["run"]))


def _finding_counts(findings: list[Finding], names: set[str], obs_device: dict[int, str]
                    ) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Per subject: its findings by status, and its failed findings by severity."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    failed_sev: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        device = _device_of(f, names, obs_device)
        if device:
            counts[device][f.status.value] += 1
            if f.status.value == "fail":
                failed_sev[device][f.severity.value] += 1
    return counts, failed_sev


def _collections(results: list[Any]) -> list[dict[str, Any]]:
    return [{"collector": r.collector, "status": r.status.value,
             "error_class": r.error_class.value if r.error_class else None, "cause": r.cause,
             "attempts": r.attempts, "seconds": round(r.seconds, 3)}
            for r in sorted(results, key=lambda r: (r.collector, r.started_at))]


def _listing(dev: Any, agency: str | None) -> dict[str, Any]:
    """What the inventory says of a subject: a device's address, agency, site, role, platform and level; a
    service's or hotspot's agency only."""
    if dev is None:
        return {"address": None, "agency": agency, "site": None, "role": None, "platform": None, "level": None}
    return {"address": dev.address, "agency": dev.agency, "site": dev.site, "role": dev.role,
            "platform": dev.platform, "level": dev.level}


# ------------------------------------------------------------------------------------------------ findings


def _meta(check_id: str) -> dict[str, Any]:
    try:
        meta = check_meta(check_id)
    except KeyError:
        return {"title": check_id, "title_zh": check_id, "area": check_id.split(".", 1)[0],
                "rationale": "", "remediation": "", "rationale_zh": "", "remediation_zh": ""}
    return {"title": meta.title, "title_zh": meta.title_zh, "area": meta.area, "rationale": meta.rationale,
            "remediation": meta.remediation, "rationale_zh": meta.rationale_zh, "remediation_zh": meta.remediation_zh}


def _findings(data: list[RunData], findings: list[tuple[str, Finding]],
              device_index: dict[tuple[str, str], dict[str, Any]]) -> list[dict[str, Any]]:
    by_run = {d.run.id: d for d in data}
    obs_index = {o.id: o for d in data for o in d.observations if o.id is not None}
    art_index: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for d in data:
        for a in d.artifacts:
            art_index[(d.run.id, a.sha256)].append(a)
    metas: dict[str, dict[str, Any]] = {}
    names_of: dict[str, set[str]] = defaultdict(set)
    for rid, name in device_index:
        names_of[rid].add(name)
    obs_device_of = {rid: {o.id: o.device for o in d.observations if o.id is not None} for rid, d in by_run.items()}
    rows = []
    for run_id, f in findings:
        device = _device_of(f, names_of[run_id], obs_device_of[run_id])
        meta = metas.setdefault(f.check_id, _meta(f.check_id))
        observations = [{"id": oid, "device": obs_index[oid].device, "kind": obs_index[oid].kind,
                         "collector": obs_index[oid].collector, "source": obs_index[oid].source,
                         "collected_at": iso(obs_index[oid].collected_at)} if oid in obs_index else {"id": oid}
                        for oid in f.observations]
        artifacts = []
        for sha in f.artifacts:
            records = sorted(art_index.get((run_id, sha), []), key=lambda a: (a.device, a.collector, a.source,
                                                                              a.collected_at))
            first = records[0] if records else None
            artifacts.append({"sha256": sha, "device": first.device if first else None,
                              "collector": first.collector if first else None,
                              "source": first.source if first else None,
                              "collected_at": iso(first.collected_at) if first else None,
                              "size": first.size if first else None, "captures": len(records)})
        rows.append({
            "ref": ref(f.id), "run": run_id, "check_id": f.check_id, "title": meta["title"],
            "title_zh": meta["title_zh"], "area": meta["area"], "subject": f.subject, "device": device,
            "agency": device_index[(run_id, device)]["agency"] if device else None,
            "status": f.status.value, "severity": f.severity.value, "message": f.message,
            "remediation": meta["remediation"], "rationale": meta["rationale"],
            "remediation_zh": meta["remediation_zh"], "rationale_zh": meta["rationale_zh"],
            "controls": sorted(f.controls), "details": f.details or {},
            "evidence": {"observations": observations, "artifacts": artifacts},
        })
    return rows


# ------------------------------------------------------------------------------------------------ controls


def _frameworks(evaluation: Evaluation) -> list[dict[str, Any]]:
    cats = catalogs()
    summary = evaluation.summary()
    return [{"id": fw.id, "title": fw.title, "title_zh": fw.title_zh, "controls": len(fw.controls),
             "counts": summary.get(fw.id, {}),
             "groups": [{"id": g.id, "title": g.title, "title_zh": g.title_zh} for g in fw.groups]}
            for fw in cats.frameworks.values()]


def _controls(evaluation: Evaluation, findings: list[tuple[str, Finding]]) -> list[dict[str, Any]]:
    """Every control of every framework, in catalog order, with the findings (by stable ref) behind it."""
    runs_of = {f.id: run_id for run_id, f in findings}
    out = []
    for result in evaluation.results:
        row = result.to_dict(with_findings=False)
        row["findings"] = sorted(
            ({"ref": ref(fr.id), "run": runs_of.get(fr.id), "check_id": fr.check_id, "subject": fr.subject,
              "status": fr.status, "severity": fr.severity, "via": fr.via, "coverage": fr.coverage,
              "counts_as": fr.counts_as.value} for fr in result.findings),
            key=lambda x: x["ref"])
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------------ summary


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    devices = report["devices"]
    findings = report["findings"]
    failed = [f for f in findings if f["status"] == "fail"]
    collections = Counter(c["status"] for d in devices for c in d["collections"])
    errors = Counter(c["error_class"] or "unclassified" for d in devices for c in d["collections"]
                     if c["status"] == "error")
    worst = sorted(failed, key=lambda f: (SEVERITY_RANK.get(f["severity"], 9), f["check_id"], f["subject"]))
    worst_devices = sorted(
        (d for d in devices if d["findings"].get("fail") or d["status"] in ("failed", "partial")),
        key=lambda d: ([-d["failed_by_severity"].get(s, 0) for s in SEVERITY_ORDER], d["status"] == "ok",
                       d["name"], d["run"]))
    failing_controls = [c["control"] for c in report["controls"] if c["status"] in ("fail", "partial")]
    subjects = _subject_counts(devices)
    return {
        "devices": subjects["device"], "services": subjects["service"], "hotspots": subjects["hotspot"],
        "collections": {s: collections.get(s, 0) for s in ("ok", "error", "skipped")},
        "errors_by_class": dict(sorted(errors.items())),
        "findings": {s: sum(f["status"] == s for f in findings)
                     for s in ("pass", "fail", "error", "manual", "not_assessed", "not_applicable")},
        "findings_total": len(findings),
        "failed_by_severity": {s: sum(f["severity"] == s for f in failed) for s in SEVERITY_ORDER},
        "controls": {fw["id"]: fw["counts"] for fw in report["frameworks"]},
        "worst_findings": [f["ref"] for f in worst[:WORST]],
        "worst_devices": [{"name": d["name"], "run": d["run"], "status": d["status"],
                           "failed_by_severity": d["failed_by_severity"]} for d in worst_devices[:WORST]],
        "failing_controls": failing_controls,
        "agencies": _agency_rows(devices, findings),
        "section_errors": {k["key"]: k["error"] for k in report["section_index"] if k.get("error")},
        "comparison": report.get("comparison") or {"previous": None},
        "duties_by_agency": [{"agency": a["agency"], "level": a["level"], "counts": a["counts"]}
                             for a in report.get("duties_by_agency") or []],
    }


def _subject_counts(devices: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Devices, services and hotspots counted apart: a probed web name is no device of the agency (an AP that is
    a hotspot too counts in both)."""
    return {kind: _status_counts([d for d in devices if d["kind"] == kind or (kind == "hotspot" and d.get("hotspot"))])
            for kind in KINDS}


def _agency_rows(devices: list[dict[str, Any]], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per agency: its devices (devices only) by status, its findings by status, failed ones by severity."""
    agencies: dict[str, dict[str, Any]] = {}

    def of(agency: str | None) -> dict[str, Any]:
        return agencies.setdefault(agency or "", {"agency": agency, "devices": 0, "device_status": Counter(),
                                                  "failed_by_severity": Counter(), "findings": Counter()})

    for d in devices:
        if d["kind"] == "device":
            of(d["agency"])["devices"] += 1
            of(d["agency"])["device_status"][d["status"]] += 1
    for f in findings:
        of(f["agency"])["findings"][f["status"]] += 1
        if f["status"] == "fail":
            of(f["agency"])["failed_by_severity"][f["severity"]] += 1
    return [{"agency": a["agency"], "devices": a["devices"], "device_status": dict(sorted(a["device_status"].items())),
             "findings": dict(sorted(a["findings"].items())),
             "failed_by_severity": {s: a["failed_by_severity"][s] for s in SEVERITY_ORDER}}
            for _, a in sorted(agencies.items())]


def _status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {"total": len(rows), **{s: sum(d["status"] == s for d in rows) for s in ("ok", "partial", "failed",
                                                                                      "not_tried")}}
