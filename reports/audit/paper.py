"""What the paper (PDF) edition of the audit report adds and leaves out.

Why a separate edition: a report that is printed, signed and filed is read front to back by people who want the
verdict first. It gets a cover (agency, scope, period, version, classification), a table of contents with page
numbers, running headers and footers, and a sign-off block; and its long tables are condensed (findings grouped
by check, controls without automated evidence listed by id), because every row is still in the HTML report,
report.json, the XLSX and the evidence pack.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from netcomply.models import Inventory

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
#: Subjects named per group of findings on paper; the rest are counted ("+12").
SUBJECTS_SHOWN = 6


def document_facts(runs: list[Any], inventory: Inventory | None, *, version: str | None,
                   classification: str | None) -> dict[str, Any]:
    """The cover's facts: the agencies (names from the inventory), the scope counted apart (devices, services,
    hotspots), the period the runs cover (ISO 8601 with offsets), the document version and classification
    (``None``: the report's default wording)."""
    agencies = []
    if inventory is not None:
        agencies = [{"id": key, "name": a.name, "name_zh": a.name_zh, "level": a.level}
                    for key, a in sorted(inventory.agencies.items())]
    scope = ({"devices": len(inventory.devices), "services": len(inventory.services),
              "hotspots": len(inventory.hotspots)} if inventory is not None else None)
    started = min(r.started_at for r in runs)
    finished = max((r.finished_at for r in runs if r.finished_at is not None), default=None)
    return {
        "version": version or "1.0",
        "classification": classification,
        "agencies": agencies,
        "scope": scope,
        "period": {"from": started.isoformat(), "to": finished.isoformat() if finished else None},
    }


def finding_groups(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings other than passes, one row per (check, status, severity): how many, about which subjects, with
    one message as an example. Worst first (severity, then count)."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in findings:
        if f["status"] != "pass":
            groups[(f["check_id"], f["status"], f["severity"] or "info")].append(f)
    rows = []
    for (check_id, status, severity), members in groups.items():
        subjects = sorted({f["subject"] for f in members})
        rows.append({
            "check_id": check_id, "status": status, "severity": severity, "count": len(members),
            "title": members[0]["title"], "title_zh": members[0]["title_zh"],
            "subjects": subjects[:SUBJECTS_SHOWN], "more": max(0, len(subjects) - SUBJECTS_SHOWN),
            "refs": [f["ref"] for f in members[:3]], "example": members[0]["message"], "first": members[0],
            "remediation": members[0].get("remediation"), "remediation_zh": members[0].get("remediation_zh"),
        })
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r["severity"], 9), r["status"] != "fail", -r["count"],
                                       r["check_id"]))


def control_digest(controls: list[dict[str, Any]], standard_reasons: dict[str, str]) -> dict[str, Any]:
    """Per framework: the controls the audit has something to say about (shown in full), and the ids of those
    left to the auditor with one of the standard reasons (listed compactly, by reason mark)."""
    shown: dict[str, list[dict[str, Any]]] = defaultdict(list)
    compact: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in controls:
        if c["reason"] in standard_reasons and not c["findings"]:
            compact[c["framework"]][standard_reasons[c["reason"]]].append(c["id"])
        else:
            shown[c["framework"]].append(c)
    return {"shown": dict(shown), "compact": {fw: dict(marks) for fw, marks in compact.items()}}


def status_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    """Findings per status (for the condensed findings table's caption)."""
    return dict(Counter(f["status"] for f in findings))
