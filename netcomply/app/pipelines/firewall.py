"""The offline firewall audit: parse saved rule sets, bind them, analyse, judge; one JSON document.

Why here and not in the CLI module: ``netcomply firewall analyze``, the tests, the corpus measure and the benchmark
all run the same steps; the typer command only reads options and prints (issue 15: pipelines in the application
layer, CLI modules thin).
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netcomply.errors import InputError, InputProblem

KIND_ORDER = ("shadowed", "redundant", "generalization", "correlation", "irrelevant", "any_any", "wide",
              "insecure_service", "no_final_deny", "no_log", "no_comment", "disabled", "after_final_deny",
              "expired", "unused", "mgmt_exposure", "zone_violation", "parse_coverage", "unbound")


def load_rule_sets(files: list[Path], platform: str | None) -> list[Any]:
    """Every file parsed and its ACLs bound (what each is bound to decides which checks apply); every file's
    problems reported at once."""
    from collectors.firewall.bindings import assign_roles
    from collectors.firewall.parsers import parse_text

    sets = []
    problems: list[InputProblem] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            problems.append(InputProblem(str(f), None, f"cannot read: {exc.strerror}"))
            continue
        try:
            found = parse_text(text, platform, str(f))
            assign_roles(found, text, str(f))  # what each ACL is bound to decides which checks apply
            sets.extend(found)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)  # every file's problems at once
    return sets


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror}")) from None


def audit(files: list[Path], platform: str | None, *, counters_since: datetime | None = None,
          now: datetime | None = None, zones: dict[str, Any] | None = None,
          linux_ip: tuple[Path, Path, Path] | None = None) -> dict[str, Any]:
    """Parse, analyse and judge; returns the JSON document ``analyze --format json`` prints.

    ``linux_ip``: saved ``ip -j address show``, ``ip -j route show`` and ``ip -6 -j route show`` of the host
    whose nftables rule sets these are, so ``iifname``/``oifname`` matches can be checked (irrelevant rules)."""
    from collectors.firewall import linux
    from collectors.firewall.observe import observations
    from compliance.checks.base import JudgeContext, registered
    from compliance.checks.firewall import group
    from netcomply.models import FindingStatus

    sets = load_rule_sets(files, platform)
    nets: dict[str, Any] = {}
    if linux_ip:
        texts = [_read(p) for p in linux_ip]
        expected = ("ip -j address show", "ip -j route show", "ip -6 -j route show")
        bad = [InputProblem(str(p), None, f"not the JSON list of '{what}'")
               for p, text, what in zip(linux_ip, texts, expected, strict=True) if linux.json_list(text) is None]
        if bad:
            raise InputError(bad)
        nets = linux.routing(*texts)  # {} when routing is dynamic: then no rule is called irrelevant
    obs = []
    for rs in sets:
        if nets and rs.platform == "nft":
            rs.zone_networks = dict(nets)
        if counters_since is not None:
            rs.counters_since = counters_since
        obs.extend(observations([rs], "offline", "firewall_rules", f"file:{rs.source}"))
    for k, o in enumerate(obs):
        o.id = k
    data: dict[str, Any] = {"now": (now or datetime.now(UTC)).isoformat()}
    if zones:
        data["firewall_zones"] = zones
    ctx = JudgeContext(run_id="offline", data=data)
    findings = []
    for check_id, cls in sorted(registered().items()):
        if not check_id.startswith("firewall."):
            continue
        for f in cls().run(obs, ctx):
            if f.status != FindingStatus.FAIL:
                continue
            d = f.details
            joint: dict[str, Any] = {k: d[k] for k in ("removable_set", "removable_set_size") if k in d}
            findings.append({"kind": d["kind"], "severity": str(f.severity), "rule": d["rule"],
                             "related": d["related"], "message": f.message, "fix": d["fix"],
                             "ruleset": d["ruleset"], "check": f.check_id, "controls": f.controls, **joint})
    findings.sort(key=lambda x: (x["ruleset"], (x["rule"] or {}).get("line", 0), KIND_ORDER.index(x["kind"])))
    n_rules = sum(len(rs.rules) for rs in sets)
    exact = sum(1 for rs in sets for r in rs.rules if r.status == "exact")
    groups = group(obs)
    return {"rules": n_rules, "coverage": round(exact / n_rules, 4) if n_rules else 1.0,
            "rulesets": [g.summary for g in groups.values()], "findings": findings}


def load_zones(path: Path | None) -> dict[str, Any] | None:
    """Load and shape-check the zone policy; every problem names the file and the key."""
    if path is None:
        return None
    import yaml

    where = str(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(InputProblem(where, None, f"cannot read the zone policy: {exc}")) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("zones"), dict):
        raise InputError(InputProblem(where, None, "expected a mapping with 'zones' (and optionally 'allowed')"))
    problems: list[InputProblem] = []
    for name, z in doc["zones"].items():
        if not isinstance(z, dict) or z.get("trust") not in ("untrusted", "dmz", "internal", "management"):
            problems.append(InputProblem(where, None, "needs trust: untrusted | dmz | internal | management",
                                         key=f"zones.{name}"))
            continue
        for net in z.get("networks") or []:
            try:
                ipaddress.ip_network(str(net), strict=False)
            except ValueError:
                problems.append(InputProblem(where, None, f"not a network: {net!r}", key=f"zones.{name}.networks"))
    if problems:
        raise InputError(problems)
    return doc
