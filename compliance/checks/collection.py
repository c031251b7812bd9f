"""Checks about the audit itself: could each device be collected, and was its configuration captured.

These two read what every run has -- the store's per-device results and ``device.config`` observations -- so
that a run can be evaluated before any area-specific check exists:

* ``collection.asset_verifiable``: a device every collector failed on is a *fail* (the asset is not
  verifiable; the error class and cause are the evidence); a device with at least one observation is a
  *pass*, with those observations as evidence; a device that answered but produced nothing is *manual*.
* ``collection.config_captured``: each ``device.config`` observation is a *pass* for its device, with the
  configuration artifact as evidence; a failed ``running_config`` collection is a *fail*.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import ClassVar

from compliance.checks.base import Check, JudgeContext, register
from netcomply import i18n
from netcomply.contracts.device import DeviceConfig
from netcomply.contracts.registry import contract_of
from netcomply.i18n import msg, parsed
from netcomply.models import DeviceResult, DeviceStatus, Finding, FindingStatus, Observation

CONFIG_KIND = "device.config"
CONFIG_COLLECTOR = "running_config"  # the collector that yields device.config (by name: no collectors import)


def _results(ctx: JudgeContext) -> list[DeviceResult]:
    return list(ctx.data.get("device_results") or ())


@register
class AssetVerifiable(Check):
    id: ClassVar[str] = "collection.asset_verifiable"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        by_device: dict[str, list[Observation]] = defaultdict(list)
        for obs in observations:
            by_device[obs.device].append(obs)
        results: dict[str, list[DeviceResult]] = defaultdict(list)
        for res in _results(ctx):
            results[res.device].append(res)
        for device in sorted(set(results) | set(by_device)):
            if ctx.devices and device not in ctx.devices:
                continue  # a service or hotspot subject is no asset of the inventory's devices: not counted as one
            mine = results.get(device, [])
            failed = sorted((r for r in mine if r.status is DeviceStatus.ERROR), key=lambda r: r.collector)
            ok = [r for r in mine if r.status is DeviceStatus.OK]
            seen = by_device.get(device, [])
            errors = {r.collector: {"error_class": r.error_class.value if r.error_class else None, "cause": r.cause}
                      for r in failed}
            if seen:
                collectors = sorted({o.collector for o in seen})
                message = (msg("finding.collection.asset_verified_partly", n=len(seen), collectors=collectors,
                               failed=list(errors)) if errors else
                           msg("finding.collection.asset_verified", n=len(seen), collectors=collectors))
                yield self.finding(device, FindingStatus.PASS, message,
                                   observations=seen, details={"failed_collectors": errors})
            elif failed and not ok:
                causes = [msg("finding.collection.collector_failed", collector=c,
                              error_class=msg(f"audit.error_classes.{e['error_class']}") if i18n.has(
                                  f"audit.error_classes.{e['error_class']}") else e["error_class"],
                              cause=parsed("legacy", e["cause"] or "")) for c, e in errors.items()]
                yield self.finding(device, FindingStatus.FAIL, msg("finding.collection.asset_not_verifiable",
                                                                   causes=causes),
                                   details={"failed_collectors": errors})
            elif ok:
                yield self.finding(device, FindingStatus.MANUAL, msg("finding.collection.asset_no_observation"),
                                   details={"failed_collectors": errors})


@register
class ConfigCaptured(Check):
    id: ClassVar[str] = "collection.config_captured"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        configs: dict[str, list[Observation]] = defaultdict(list)
        for obs in observations:
            if obs.kind == CONFIG_KIND:
                configs[obs.device].append(obs)
        for device in sorted(configs):
            obs_list = configs[device]
            data = contract_of(obs_list[-1], DeviceConfig)
            yield self.finding(device, FindingStatus.PASS,
                               msg("finding.collection.config_captured", lines=data.get("lines", "?"),
                                   sha=str(data.get("sha256", ""))[:12]), observations=obs_list)
        for res in sorted(_results(ctx), key=lambda r: r.device):
            if res.collector == CONFIG_COLLECTOR and res.status is DeviceStatus.ERROR and res.device not in configs:
                cls = res.error_class.value if res.error_class else "error"
                error_class = msg(f"audit.error_classes.{cls}") if i18n.has(f"audit.error_classes.{cls}") else cls
                yield self.finding(res.device, FindingStatus.FAIL,
                                   msg("finding.collection.config_not_captured", error_class=error_class,
                                       cause=parsed("legacy", res.cause or "")),
                                   details={"error_class": cls, "cause": res.cause})
