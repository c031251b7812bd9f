"""IPv6 readiness, judged offline from stored facts: per service, per device, per phase, per agency, over time.

Why here and not in the collector: the collector records what answered (``ipv6.service``, ``ipv6.device``);
*whether that counts as upgraded* is policy (the testable definition in taiwan-rules.md, the similarity a page
must keep, which phases count devices), so it lives with the checks and can re-judge an old run.

The definition of "ready", per kind (every host behind the service must pass):

* web -- the name has an AAAA record; every scheme (HTTP, HTTPS) that answers over IPv4 answers over IPv6; the
  IPv6 certificate verifies and is the IPv4 one; the page over IPv6 is at least ``content_similarity_min`` alike.
* dns -- every name server of the zone has an AAAA record and answers the zone's SOA authoritatively over IPv6,
  on UDP and on TCP.
* mail -- the domain has MX records; every MX host has an AAAA record and SMTP answers over IPv6 (banner 220,
  EHLO 250); STARTTLS offered over IPv4 is offered over IPv6 too, and its certificate verifies.
* device -- at least one global IPv6 address on an interface, and IPv6 routing not known to be off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from compliance.yamldata import read_yaml
from netcomply.contracts.ipv6 import Ipv6Device, Ipv6Service
from netcomply.contracts.registry import contract_of
from netcomply.models import Observation
from netcomply.timefmt import local_date

PHASES_FILE = Path(__file__).resolve().parent / "data" / "ipv6-phases.yaml"
DEFAULT_SIMILARITY = 0.9
PHASE_NUMBERS = (1, 2, 3)


# ---------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Phase:
    number: int
    name: str
    name_zh: str
    scope: str
    scope_zh: str
    counts: tuple[str, ...]
    duty: str | None
    target: float = 1.0
    due: date | None = None


@dataclass(frozen=True)
class Rules:
    """Everything readiness depends on that a user may change: the phases and the thresholds."""

    phases: dict[int, Phase]
    device_roles: tuple[str, ...] = ("switch", "router", "firewall", "wlc")
    content_similarity_min: float = DEFAULT_SIMILARITY

    def phase(self, number: int) -> Phase:
        return self.phases[number]


def load_rules(thresholds: Mapping[str, Any] | None = None, phases_file: str | Path | None = None) -> Rules:
    """The phases (``ipv6-phases.yaml`` or a user copy) with targets and due dates from ``thresholds['ipv6']``.

    Bad data raises :class:`netcomply.errors.InputError` naming the file, line and key.
    """
    doc = read_yaml(phases_file or PHASES_FILE, what="IPv6 phases file")
    raw = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        doc.problem((), "an IPv6 phases file is a mapping with 'phases' (see compliance/data/ipv6-phases.yaml)")
    marks = dict((thresholds or {}).get("ipv6") or {})
    phases: dict[int, Phase] = {}
    listed = raw.get("phases") or {}
    if not isinstance(listed, dict):
        doc.problem(("phases",), "'phases' maps 1, 2 and 3 to a mapping of name, counts ...")
        listed = {}
    for key, spec in listed.items():
        if key not in PHASE_NUMBERS or not isinstance(spec, dict):
            doc.problem(("phases", key), f"phase {key!r}: expected 1, 2 or 3 with a mapping of name, counts ...")
            continue
        written = spec.get("counts") or ("services",)
        counts = tuple(written) if isinstance(written, list | tuple) else (written,)
        bad = [c for c in counts if c not in ("services", "devices")]
        if bad:
            doc.problem(("phases", key, "counts"), f"phase {key}: counts may hold services and devices, not {bad}")
        mark = marks.get(f"phase{key}") or {}
        due = mark.get("due")
        phases[key] = Phase(key, str(spec.get("name", f"Phase {key}")), str(spec.get("name_zh", f"第{key}階段")),
                            str(spec.get("scope", "")), str(spec.get("scope_zh", "")), counts, spec.get("duty"),
                            float(mark.get("target", 1.0)), due if isinstance(due, date) else None)
    for missing in sorted(set(PHASE_NUMBERS) - set(phases)):
        doc.problem(("phases",), f"phase {missing} is not defined")
    roles = raw.get("device_roles") or Rules.device_roles
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        doc.problem(("device_roles",), "device_roles is a list of inventory roles, e.g. [switch, router]")
    doc.raise_if_problems()
    return Rules(phases=phases, device_roles=tuple(roles),
                 content_similarity_min=float(marks.get("content_similarity_min", DEFAULT_SIMILARITY)))


# ---------------------------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Verdict:
    """Whether one service or device is ready for IPv6, and why not (one reason per problem found)."""

    key: str  # "web:www.city.lab.example" or "device:cg-core1"
    kind: str  # web | dns | mail | device
    name: str
    agency: str | None
    phase: int
    ready: bool
    reasons: tuple[str, ...] = ()
    hosts_ready: int = 0
    hosts_total: int = 0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        return out


def _fam(host: Mapping[str, Any], family: str) -> Mapping[str, Any]:
    return host.get(family) or {}


def _web_problems(host: Mapping[str, Any], rules: Rules) -> list[str]:
    name = host["host"] + (f" (CNAME {host['cname']})" if host.get("cname") else "")
    if not host.get("aaaa"):
        return [f"{name} has no AAAA record"]
    v4, v6 = _fam(host, "ipv4"), _fam(host, "ipv6")
    answered6 = [s for s in ("http", "https") if (v6.get(s) or {}).get("ok")]
    if not answered6:
        errors = "; ".join(f"{s.upper()}: {(v6.get(s) or {}).get('error') or 'no answer'}" for s in ("http", "https"))
        return [f"{name} has an AAAA record but does not answer over IPv6 ({errors})"]
    problems = [f"{name} answers {s.upper()} over IPv4 but not over IPv6"
                for s in ("http", "https") if (v4.get(s) or {}).get("ok") and not (v6.get(s) or {}).get("ok")]
    https6 = v6.get("https") or {}
    if https6.get("tls_verified") is False:
        problems.append(f"{name} answers over IPv6 with a certificate that does not verify ({https6.get('tls_error')})")
    elif host.get("same_certificate") is False:
        problems.append(f"{name} presents a different certificate over IPv6 than over IPv4")
    similarity = host.get("content_similarity")
    if similarity is not None and similarity < rules.content_similarity_min:
        problems.append(f"{name} serves different content over IPv6 than over IPv4 (similarity {similarity:.2f}, "
                        f"at least {rules.content_similarity_min:.2f} expected)")
    return problems


def _dns_problems(host: Mapping[str, Any], rules: Rules) -> list[str]:
    name = host["host"]
    if not host.get("aaaa"):
        return [f"{name} has no AAAA record"]
    v6 = _fam(host, "ipv6")
    udp, tcp = (v6.get("udp") or {}).get("ok"), (v6.get("tcp") or {}).get("ok")
    if not udp and not tcp:
        why = (v6.get("udp") or {}).get("error") or (v6.get("udp") or {}).get("rcode") or "no answer"
        return [f"{name} has an AAAA record but does not answer over IPv6 ({why})"]
    if not tcp:
        return [f"{name} answers over IPv6 on UDP but not on TCP"]
    if not udp:
        return [f"{name} answers over IPv6 on TCP but not on UDP"]
    return []


def _mail_problems(host: Mapping[str, Any], rules: Rules) -> list[str]:
    name = host["host"]
    if not host.get("aaaa"):
        return [f"{name} has no AAAA record"]
    smtp4, smtp6 = _fam(host, "ipv4").get("smtp") or {}, _fam(host, "ipv6").get("smtp") or {}
    if not smtp6.get("ok"):
        why = smtp6.get("error") or f"banner {smtp6.get('banner_code')}, EHLO {smtp6.get('ehlo_code')}"
        return [f"{name} has an AAAA record but SMTP does not answer over IPv6 ({why})"]
    problems = []
    if smtp4.get("starttls_offered") and not smtp6.get("starttls_offered"):
        problems.append(f"{name} offers STARTTLS over IPv4 but not over IPv6")
    if smtp6.get("tls_verified") is False:
        problems.append(f"{name}: STARTTLS over IPv6 presents a certificate that does not verify "
                        f"({smtp6.get('tls_error')})")
    return problems


_HOST_PROBLEMS = {"web": _web_problems, "dns": _dns_problems, "mail": _mail_problems}
_ROLE = {"web": "web servers", "dns": "name servers", "mail": "MX hosts"}
_NONE = {"web": "the name does not resolve", "dns": "the zone has no NS records", "mail": "the domain has no MX record"}


def service_verdict(data: Mapping[str, Any], rules: Rules) -> Verdict:
    """The verdict of one ``ipv6.service`` observation's data."""
    kind, name = data["kind"], data["service"]
    hosts = list(data.get("hosts") or [])
    if kind == "web" and hosts and not hosts[0].get("a") and not hosts[0].get("aaaa"):
        hosts = []
    problems: list[str] = []
    good = 0
    for host in hosts:
        found = _HOST_PROBLEMS[kind](host, rules)
        good += not found
        problems += found
    if not hosts:
        errors = "; ".join(data.get("errors") or [])
        reasons = [_NONE[kind] + (f" ({errors})" if errors else "")]
    else:
        reasons = [f"{good} of {len(hosts)} {_ROLE[kind]} ready for IPv6", *problems] if problems else []
    return Verdict(f"{kind}:{name}", kind, name, data.get("agency"), int(data.get("phase") or 1), not reasons,
                   tuple(reasons), good, len(hosts))


def device_verdict(device: str, data: Mapping[str, Any]) -> Verdict:
    """The verdict of one ``ipv6.device`` observation's data (a phase-3 internal-network unit)."""
    reasons: list[str] = []
    if not data.get("global_addresses"):
        reasons.append(f"{device} has no global IPv6 address on any interface")
    if data.get("routing_enabled") is False:
        reasons.append(f"IPv6 routing is not enabled on {device}")
    return Verdict(f"device:{device}", "device", device, data.get("agency"), 3, not reasons, tuple(reasons),
                   int(not reasons), 1)


def merge_device(facts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One device's ``ipv6.device`` facts from several collectors (SSH and SNMP): global addresses together;
    routing and ACLs from the first source that says (SSH first: it reads the configuration)."""
    ordered = sorted(facts, key=lambda d: d.get("source") != "ssh")
    merged: dict[str, Any] = dict(ordered[0])
    seen: dict[str, dict[str, Any]] = {}
    for d in ordered:
        for g in d.get("global_addresses") or []:
            seen.setdefault(g["address"], g)
    merged["global_addresses"] = [seen[a] for a in sorted(seen)]
    for key in ("routing_enabled", "acls_present"):
        merged[key] = next((d.get(key) for d in ordered if d.get(key) is not None), None)
    merged["acls"] = sorted({a for d in ordered for a in d.get("acls") or []})
    merged["sources"] = sorted({str(d.get("source")) for d in ordered})
    return merged


def verdicts_of(observations: Iterable[Observation], rules: Rules) -> list[Verdict]:
    """Verdicts of every service and counted device of a run (a later observation of a service replaces an
    earlier one; a device's facts from several collectors are merged)."""
    services: dict[str, Mapping[str, Any]] = {}
    devices: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for obs in observations:
        if obs.kind == "ipv6.service":
            service = contract_of(obs, Ipv6Service)
            services[f"{service['kind']}:{service['service']}"] = service
        elif obs.kind == "ipv6.device":
            devices[obs.device].append(contract_of(obs, Ipv6Device))
    out = [service_verdict(d, rules) for _, d in sorted(services.items())]
    for name, facts in sorted(devices.items()):
        merged = merge_device(facts)
        if merged.get("role") in rules.device_roles:
            out.append(device_verdict(name, merged))
    return out


# ---------------------------------------------------------------------------------------------- roll-up


@dataclass
class Tally:
    total: int = 0
    ready: int = 0
    failing: list[dict[str, Any]] = field(default_factory=list)
    ready_keys: list[str] = field(default_factory=list)

    def add(self, v: Verdict) -> None:
        self.total += 1
        self.ready += v.ready
        if v.ready:
            self.ready_keys.append(v.key)
        else:
            self.failing.append({"key": v.key, "kind": v.kind, "name": v.name, "agency": v.agency,
                                 "reasons": list(v.reasons)})

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.ready / self.total, 1) if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "ready": self.ready, "percent": self.percent,
                "failing": sorted(self.failing, key=lambda f: f["key"]), "ready_keys": sorted(self.ready_keys)}


def counted(v: Verdict, phase: Phase) -> bool:
    """Whether verdict ``v`` is part of ``phase``'s percentage."""
    if v.kind == "device":
        return "devices" in phase.counts
    return "services" in phase.counts and v.phase == phase.number


def readiness(verdicts: Sequence[Verdict], rules: Rules, *, as_of: date | None = None) -> dict[str, Any]:
    """Percentages per phase and per agency (per phase), with the failing items and their reasons.

    ``as_of`` (the run's date) decides whether a phase's due date has passed; targets are fractions (1.0 = 100%).
    """
    phases: list[dict[str, Any]] = []
    agencies: dict[str, dict[int, Tally]] = defaultdict(lambda: {n: Tally() for n in rules.phases})
    for number, phase in sorted(rules.phases.items()):
        tally = Tally()
        for v in verdicts:
            if counted(v, phase):
                tally.add(v)
                agencies[v.agency or "(none)"][number].add(v)
        pct = tally.percent
        met = pct is not None and pct + 1e-9 >= phase.target * 100
        overdue = bool(phase.due and as_of and as_of > phase.due and not met and tally.total)
        phases.append({"phase": number, "name": phase.name, "name_zh": phase.name_zh, "scope": phase.scope,
                       "scope_zh": phase.scope_zh, "counts": list(phase.counts), "duty": phase.duty,
                       "target_percent": round(phase.target * 100, 1),
                       "due": phase.due.isoformat() if phase.due else None, "met": met, "overdue": overdue,
                       **tally.to_dict()})
    agency_rows = []
    for agency, per_phase in sorted(agencies.items()):
        total = Tally()
        for t in per_phase.values():
            total.total += t.total
            total.ready += t.ready
        agency_rows.append({"agency": agency, "total": total.total, "ready": total.ready, "percent": total.percent,
                            "phases": {str(n): t.to_dict() for n, t in sorted(per_phase.items())}})
    everything = Tally()
    for v in verdicts:
        if any(counted(v, p) for p in rules.phases.values()):
            everything.add(v)
    return {"phases": phases, "agencies": agency_rows,
            "overall": {"total": everything.total, "ready": everything.ready, "percent": everything.percent}}


# ---------------------------------------------------------------------------------------------- trend


def run_readiness(store: Any, run: Any, rules: Rules, timezone: str | None = None) -> dict[str, Any] | None:
    """Readiness of one stored run (None when the run holds no IPv6 facts), as of the run's day in the agency's
    ``timezone`` (default Asia/Taipei)."""
    observations = [o for kind in ("ipv6.service", "ipv6.device") for o in store.observations(run.id, kind=kind)]
    if not observations:
        return None
    result = readiness(verdicts_of(observations, rules), rules, as_of=local_date(run.started_at, timezone))
    result["run"] = run.id
    result["started_at"] = run.started_at.isoformat()
    return result


def history(store: Any, runs: Sequence[Any], rules: Rules, timezone: str | None = None) -> list[dict[str, Any]]:
    """Readiness of each of ``runs`` that has IPv6 facts, oldest first: the points a trend is drawn from."""
    points = [run_readiness(store, r, rules, timezone) for r in sorted(runs, key=lambda r: r.started_at)]
    return [p for p in points if p is not None]


def compare(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """Change since ``previous`` (percentage points per phase and agency; services that got better or worse)."""
    if previous is None:
        return {"previous_run": None, "phases": {}, "agencies": {}, "fixed": [], "broke": [], "new_failing": [],
                "overall": None}

    def pct(rows: Iterable[Mapping[str, Any]], key: str) -> dict[str, float | None]:
        return {str(r[key]): r["percent"] for r in rows}

    def minus(a: float | None, b: float | None) -> float | None:
        return round(a - b, 1) if a is not None and b is not None else None

    def delta(now: dict[str, float | None], before: dict[str, float | None]) -> dict[str, float | None]:
        return {k: minus(now[k], before.get(k)) for k in sorted(now)}

    def failing(r: Mapping[str, Any]) -> set[str]:
        return {f["key"] for p in r["phases"] for f in p["failing"]}

    def ready(r: Mapping[str, Any]) -> set[str]:
        return {k for p in r["phases"] for k in p["ready_keys"]}

    before_failing, now_failing = failing(previous), failing(current)
    return {
        "previous_run": previous.get("run"),
        "phases": delta(pct(current["phases"], "phase"), pct(previous["phases"], "phase")),
        "agencies": delta(pct(current["agencies"], "agency"), pct(previous["agencies"], "agency")),
        "fixed": sorted(before_failing & ready(current)),
        "broke": sorted(now_failing & ready(previous)),
        "new_failing": sorted(now_failing - before_failing - ready(previous)),
        "overall": minus(current["overall"]["percent"], previous["overall"]["percent"]),
    }
