"""The IPv6 readiness pipeline: this run's readiness per phase and agency, with the trend against the latest earlier
run of the store that has IPv6 facts.

Why here and not in the CLI module: ``netcomply audit`` prints it after a run and tests call it directly; the CLI
(:mod:`netcomply.app.cli.ipv6_cmd`) only prints it (issue 15: pipelines in the application layer).
"""

from __future__ import annotations

from typing import Any


def audit_readiness(store: Any, run: Any) -> dict[str, Any] | None:
    """This run's readiness and its change since the latest earlier run of the store that has IPv6 facts."""
    from compliance.ipv6_readiness import compare, load_rules, run_readiness
    from compliance.thresholds import load_thresholds

    rules = load_rules(load_thresholds())
    current = run_readiness(store, run, rules)
    if current is None:
        return None
    previous = None
    for earlier in sorted((r for r in store.list_runs(limit=200) if r.started_at < run.started_at),
                          key=lambda r: r.started_at, reverse=True):
        previous = run_readiness(store, earlier, rules)
        if previous is not None:
            break
    return {"readiness": current, "trend": compare(current, previous)}
