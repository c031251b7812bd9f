"""Rule sets -> ``firewall.ruleset`` / ``firewall.rule`` / ``firewall.anomaly`` observations.

Shared by the SSH collector and the offline ``netcomply firewall analyze`` command, so that both hand the
compliance checks exactly the same facts. The anomaly analysis runs here (it derives facts from the rule set,
it does not judge them): the checks decide what is a finding. Each observation's data is built as its contract
(:mod:`netcomply.contracts.firewall`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from collectors.firewall.anomaly import AnalysisOptions, analyze
from collectors.firewall.model import RuleSet
from netcomply.contracts.firewall import AnomalyKind, FirewallAnomaly
from netcomply.models import Observation


def observations(rulesets: Iterable[RuleSet], device: str, collector: str, source: str,
                 artifacts: list[str] | None = None, options: AnalysisOptions | None = None) -> list[Observation]:
    out: list[Observation] = []
    arts = list(artifacts or [])
    for rs in rulesets:
        name = rs.name
        out.append(Observation(device, collector, "firewall.ruleset", dict(rs.summary()), source, artifacts=arts))
        for r in rs.rules:
            out.append(Observation(device, collector, "firewall.rule", dict(r.to_dict(name)), source,
                                   artifacts=arts))
        for a in analyze(rs, options):
            anomaly: FirewallAnomaly = {
                "ruleset": name, "kind": cast(AnomalyKind, a.kind), "rule": a.rule, "related": list(a.related),
                "message": a.message, "minimum": a.minimum, "approximate": a.approximate,
                "details": dict(a.observed_details())}
            out.append(Observation(device, collector, "firewall.anomaly", dict(anomaly), source, artifacts=arts))
    return out
