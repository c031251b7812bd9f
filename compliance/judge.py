"""The judge step: run every registered check over a stored run, offline, and store the findings.

Why a separate step from collection: checks are pure functions of what was stored, so a run collected in
March can be re-judged in September with new checks or corrected data, and judging twice gives the same
findings (they are sorted, and the store's findings of the run are replaced as a whole).

A check that raises does not stop the others: it becomes one ``error`` finding naming the check, which the
evaluation shows as *not assessed* for the controls that check evidences.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

import compliance.checks
from compliance.checks.base import Check, JudgeContext, check_meta, registered
from compliance.thresholds import load_thresholds
from netcomply.inventory.registers import REGISTER_KIND, REGISTER_READING_KIND, registers_from_observation
from netcomply.models import Finding, FindingStatus, Observation, Severity
from netcomply.store import Store
from netcomply.timefmt import local_date

log = logging.getLogger(__name__)


#: Check modules that failed to import (module -> reason): judged as one ``error`` finding each.
IMPORT_ERRORS: dict[str, str] = {}


def load_checks() -> dict[str, type[Check]]:
    """Import every module of :mod:`compliance.checks` (so each registers its checks) and return the registry.

    A module that fails to import (a bug, or metadata missing from its YAML) does not stop the others: it is
    logged, kept in :data:`IMPORT_ERRORS`, and :func:`judge_run` reports it as an error finding."""
    for info in pkgutil.iter_modules(compliance.checks.__path__, "compliance.checks."):
        if info.name == "compliance.checks.base":
            continue
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            IMPORT_ERRORS[info.name] = f"{type(exc).__name__}: {exc}"
            log.error("check module %s cannot be imported: %s", info.name, exc)
        else:
            IMPORT_ERRORS.pop(info.name, None)
    return registered()


def finding_key(f: Finding) -> tuple[Any, ...]:
    """Sort key that makes the order of findings independent of the order checks yielded them."""
    return (f.check_id, f.subject, str(f.status), f.message, sorted(f.observations), sorted(f.artifacts))


def run_checks(
    observations: Iterable[Observation], ctx: JudgeContext, checks: Mapping[str, type[Check]]
) -> list[Finding]:
    """Run ``checks`` over the observations (materialised once, every check reads them all)."""
    obs = list(observations)
    findings: list[Finding] = []
    for check_id in sorted(checks):
        check = checks[check_id]()
        try:
            findings.extend(check.run(obs, ctx))
        except Exception as exc:  # one broken check never hides the others
            meta = check_meta(check_id)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            findings.append(Finding(
                check_id=check_id, subject="*", status=FindingStatus.ERROR, severity=Severity.INFO,
                message=f"check failed: {type(exc).__name__}: {exc}", controls=list(meta.controls),
                details={"where": f"{where.filename}:{where.lineno}"},
            ))
    findings.sort(key=finding_key)
    return findings


def register_reading(store: Any, run_id: str) -> dict[str, Any]:
    """What the vendor judge step read of the run's asset register through the knowledge base (the newest
    ``vendor.register_reading``): ``register_brands`` and ``brand_families`` for the banned-vendor checks, which
    may not read the knowledge base themselves. Empty when the run has none."""
    newest = store.newest_observation(run_id, REGISTER_READING_KIND)
    if newest is None:
        return {}
    return {key: dict(newest.data.get(key) or {}) for key in ("register_brands", "brand_families")}


def judge_run(
    store: Store,
    run_id: str,
    *,
    data: Mapping[str, Any] | None = None,
    checks: Mapping[str, type[Check]] | None = None,
) -> list[Finding]:
    """Judge a stored run and replace its findings; returns them (with ids assigned by the store).

    ``data`` is what checks may read besides observations (:class:`JudgeContext.data`): ``thresholds`` (the
    shipped ones when absent), ``devices`` (name -> Device, when an inventory is at hand), the agency's
    registers (else those recorded with the run as a ``vendor.register`` observation), ``today`` (else the
    day the run started). The run's device results are added as ``device_results``.
    """
    run = store.get_run(run_id)
    payload: dict[str, Any] = dict(data or {})
    payload.setdefault("thresholds", load_thresholds())
    # Dates are judged as of the run, never "now": re-judging an old run must give its findings again. The run's
    # day is the agency's (``timezone``, default Asia/Taipei): an audit at 01:30 Taipei time is that day's.
    payload.setdefault("today", local_date(run.started_at, payload.get("timezone")))
    for recorded in store.observations(run.id, kind=REGISTER_KIND):  # registers the audit was given
        for key, value in registers_from_observation(recorded.data).items():
            payload.setdefault(key, value)
    for key, value in register_reading(store, run.id).items():
        payload.setdefault(key, value)
    payload["device_results"] = store.device_results(run.id)
    devices = payload.get("devices") or {}
    ctx = JudgeContext(run_id=run.id, devices=devices, data=payload, store=store)
    if checks is None:
        checks = load_checks()
        broken = [Finding(check_id=module, subject="*", status=FindingStatus.ERROR, severity=Severity.INFO,
                          message=f"check module cannot be imported: {reason}")
                  for module, reason in sorted(IMPORT_ERRORS.items())]
    else:
        broken = []
    findings = run_checks(store.observations(run.id), ctx, checks) + broken
    store.replace_findings(run.id, findings)
    return findings
