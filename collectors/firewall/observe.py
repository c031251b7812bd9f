"""Rule sets -> ``firewall.ruleset`` / ``firewall.rule`` / ``firewall.anomaly`` observations.

Shared by the SSH collector and the offline ``netcomply firewall analyze`` command, so that both hand the
compliance checks exactly the same facts. The anomaly analysis runs here (it derives facts from the rule set,
it does not judge them): the checks decide what is a finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from collectors.firewall.anomaly import AnalysisOptions, analyze
from collectors.firewall.model import RuleSet
from netcomply.models import Observation


def observations(rulesets: Iterable[RuleSet], device: str, collector: str, source: str,
                 artifacts: list[str] | None = None, options: AnalysisOptions | None = None) -> list[Observation]:
    out: list[Observation] = []
    arts = list(artifacts or [])
    for rs in rulesets:
        name = rs.name
        out.append(Observation(device, collector, "firewall.ruleset", {"ruleset": name, **rs.summary()}, source,
                               artifacts=arts))
        for r in rs.rules:
            out.append(Observation(device, collector, "firewall.rule", {"ruleset": name, **r.to_dict()}, source,
                                   artifacts=arts))
        for a in analyze(rs, options):
            out.append(Observation(device, collector, "firewall.anomaly", {
                "ruleset": name, "kind": a.kind, "rule": a.rule, "related": list(a.related), "message": a.message,
                "minimum": a.minimum, "approximate": a.approximate, "details": a.observed_details()}, source,
                artifacts=arts))
    return out
