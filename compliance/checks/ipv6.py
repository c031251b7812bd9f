"""IPv6 readiness checks: per service and device (ready or not, and why), per phase and agency (against target).

Pure and offline: they read ``ipv6.service`` and ``ipv6.device`` observations and the thresholds; the meaning
of "ready" and the phases are in :mod:`compliance.ipv6_readiness` and its data files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, ClassVar

from compliance.checks.base import Check, JudgeContext, register
from compliance.ipv6_readiness import Rules, Verdict, counted, load_rules, merge_device, readiness, verdicts_of
from netcomply.contracts.ipv6 import Ipv6Device
from netcomply.contracts.registry import contract_of
from netcomply.i18n import listing, msg, parsed
from netcomply.models import Finding, FindingStatus, Observation, Severity

KINDS = ("ipv6.service", "ipv6.device")


def _ipv6(observations: Iterable[Observation]) -> list[Observation]:
    return [o for o in observations if o.kind in KINDS]


def rules_for(ctx: JudgeContext) -> Rules:
    return load_rules(ctx.data.get("thresholds"), ctx.data.get("ipv6_phases"))


def as_of(observations: list[Observation]) -> date | None:
    """The day the facts were collected (the latest one): due dates are judged against it, never "today"."""
    return max(o.collected_at for o in observations).date() if observations else None


def _subject_observations(observations: list[Observation], v: Verdict) -> list[Observation]:
    if v.kind == "device":
        return [o for o in observations if o.kind == "ipv6.device" and o.device == v.name]
    return [o for o in observations if o.kind == "ipv6.service" and o.device == v.key]


class _PhaseItems(Check):
    """One finding per service (and device, for phases that count devices) of ``phase``."""

    phase: ClassVar[int]
    kinds: ClassVar[tuple[str, ...]] = ("web", "dns", "mail")

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        obs = _ipv6(observations)
        rules = rules_for(ctx)
        phase = rules.phase(self.phase)
        for v in verdicts_of(obs, rules):
            if v.kind not in self.kinds or not counted(v, phase):
                continue
            status = FindingStatus.PASS if v.ready else FindingStatus.FAIL
            message = (msg("finding.ipv6.ready") if v.ready else
                       msg("finding.ipv6.not_ready",
                           reasons=listing([parsed("ipv6reason", r) for r in v.reasons], "; ")))
            yield self.finding(v.key, status, message, observations=_subject_observations(obs, v),
                               details=v.to_dict())


@register
class Phase1Service(_PhaseItems):
    id: ClassVar[str] = "ipv6.phase1.service"
    phase: ClassVar[int] = 1


@register
class Phase2Service(_PhaseItems):
    id: ClassVar[str] = "ipv6.phase2.service"
    phase: ClassVar[int] = 2


@register
class Phase3Service(_PhaseItems):
    id: ClassVar[str] = "ipv6.phase3.service"
    phase: ClassVar[int] = 3


@register
class Phase3Device(_PhaseItems):
    id: ClassVar[str] = "ipv6.phase3.device"
    phase: ClassVar[int] = 3
    kinds: ClassVar[tuple[str, ...]] = ("device",)


#: The collectors whose results carry each kind of phase item.
_COLLECTORS = {"services": ("ipv6_service",), "devices": ("ipv6_cli", "ipv6_snmp")}


def _collection_coverage(ctx: JudgeContext, counts: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(message, details) when fewer than ``ipv6.coverage_min`` of the subjects the IPv6 collectors tried gave
    data (the others failed: timeouts, refused logins); None when enough did or nothing was tried."""
    wanted = {c for kind in counts for c in _COLLECTORS.get(kind, ())}
    outcome: dict[str, bool] = {}
    for r in ctx.data.get("device_results") or ():
        if r.collector in wanted:
            outcome[r.device] = outcome.get(r.device, False) or str(getattr(r.status, "value", r.status)) == "ok"
    if not outcome:
        return None
    needed = float(((ctx.data.get("thresholds") or {}).get("ipv6") or {}).get("coverage_min", 0.8))
    reached = sum(outcome.values())
    if reached >= needed * len(outcome):
        return None
    share = f"{reached / len(outcome):.0%}"
    return (msg("finding.evidence.ipv6_coverage", reached=reached, tried=len(outcome), share=share,
                needed=f"{needed:.0%}"),
            {"reason": "insufficient_data", "reached": reached, "tried": len(outcome), "coverage_min": needed})


class _PhaseTarget(Check):
    """The phase's readiness percentage against its target: overall and per agency.

    Met: pass. Below target after the due date: fail at the check's severity. Below target with no due date
    or before it: fail at low severity (progress to report, not yet a missed deadline).
    """

    phase: ClassVar[int]

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        obs = _ipv6(observations)
        rules = rules_for(ctx)
        day = as_of(obs)
        result = readiness(verdicts_of(obs, rules), rules, as_of=day)
        row = next(p for p in result["phases"] if p["phase"] == self.phase)
        if not row["total"]:
            return
        thin = _collection_coverage(ctx, rules.phases[self.phase].counts)
        if thin is not None:  # a percentage of the few subjects that answered says little about the phase
            yield self.finding(f"phase {self.phase}", FindingStatus.NOT_ASSESSED, thin[0], details=thin[1])
            return
        yield self._judge(f"phase {self.phase}", row, row, day, obs)
        for agency in result["agencies"]:
            tally = agency["phases"][str(self.phase)]
            if tally["total"]:
                yield self._judge(f"phase {self.phase} / {agency['agency']}", {**row, **tally}, row, day, obs)

    def _judge(self, subject: str, tally: dict[str, Any], phase_row: dict[str, Any], day: date | None,
               obs: list[Observation]) -> Finding:
        pct, target = tally["percent"], phase_row["target_percent"]
        due = phase_row["due"]
        failing = [f["key"] for f in tally["failing"]]
        details = {"percent": pct, "target_percent": target, "due": due, "ready": tally["ready"],
                   "total": tally["total"], "failing": failing}
        numbers = {"pct": f"{pct:g}", "ready": tally["ready"], "total": tally["total"], "target": f"{target:g}"}
        if pct is not None and pct + 1e-9 >= target:
            return self.finding(subject, FindingStatus.PASS, msg("finding.ipv6.target_met", **numbers),
                                details=details)
        overdue = bool(due and day and day.isoformat() > due)
        missed = (msg("finding.ipv6.target_missed_overdue", **numbers, due=due, failing=failing) if overdue else
                  msg("finding.ipv6.target_missed_due", **numbers, due=due, failing=failing) if due else
                  msg("finding.ipv6.target_missed_open", **numbers, failing=failing))
        return self.finding(subject, FindingStatus.FAIL, missed,
                            severity=None if overdue else Severity.LOW, details=details)


@register
class Phase1Target(_PhaseTarget):
    id: ClassVar[str] = "ipv6.phase1.target"
    phase: ClassVar[int] = 1


@register
class Phase2Target(_PhaseTarget):
    id: ClassVar[str] = "ipv6.phase2.target"
    phase: ClassVar[int] = 2


@register
class Phase3Target(_PhaseTarget):
    id: ClassVar[str] = "ipv6.phase3.target"
    phase: ClassVar[int] = 3


@register
class DeviceAcl(Check):
    """Devices with global IPv6 addresses must filter IPv6 too (IPv4 ACLs do not)."""

    id: ClassVar[str] = "ipv6.device_acl"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        by_device: dict[str, list[Observation]] = {}
        for o in observations:
            if o.kind == "ipv6.device":
                by_device.setdefault(o.device, []).append(o)
        for device, obs in sorted(by_device.items()):
            facts = merge_device([contract_of(o, Ipv6Device) for o in obs])
            if not facts.get("global_addresses"):
                continue
            n = len(facts["global_addresses"])
            if facts.get("acls_present") is True:
                yield self.finding(device, FindingStatus.PASS, msg("finding.ipv6.acls", acls=list(facts["acls"])),
                                   observations=obs)
            elif facts.get("acls_present") is False:
                yield self.finding(device, FindingStatus.FAIL, msg("finding.ipv6.no_acl", n=n), observations=obs)
            else:
                yield self.finding(device, FindingStatus.MANUAL, msg("finding.ipv6.acl_unknown", n=n),
                                   observations=obs)
