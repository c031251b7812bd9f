"""The IPv6 services scenario as data: loading, validation, and the expected verdicts ("truth").

The scenario (``netcomply/app/lab/data/services.yaml``) says which servers exist, which families each really listens
on, and which records the zones publish. Keeping *listening* apart from *published* is what makes the lab
useful: an AAAA record with nothing behind it is the most common half-done IPv6 rollout an auditor meets.

The truth is derived from the same data (never written by hand) with the testable definition of "upgraded"
from taiwan-rules.md, so the lab tests can check that the running servers behave as the truth says and the
IPv6 collector's tests can compare their verdicts with it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from netcomply.errors import InputError, InputProblem

SCENARIO_RESOURCE = "services.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameServerSpec(_Strict):
    """An authoritative name server: its port, the families it listens on, whether its AAAA is published."""

    port: int = Field(ge=0, le=65535)
    ipv4: bool = True
    ipv6: bool
    aaaa: bool


class MxSpec(_Strict):
    preference: int = Field(ge=0, le=65535)
    host: str


class ZoneSpec(_Strict):
    name_servers: list[str] = Field(min_length=1)
    mx: list[MxSpec] = []
    txt: list[str] = []
    cname: dict[str, str] = {}


class WebSpec(_Strict):
    """A web server: ``tls6: wrong_cert`` serves a self-signed certificate for another name over IPv6 only;
    ``content6: different`` serves another page over IPv6 (a stale dual-stack mirror)."""

    http: int = Field(ge=0, le=65535)
    https: int = Field(ge=0, le=65535)
    aaaa: bool
    ipv6: bool
    tls6: Literal["same", "wrong_cert"] = "same"
    content6: Literal["same", "different"] = "same"


class SmtpSpec(_Strict):
    port: int = Field(ge=0, le=65535)
    aaaa: bool
    ipv6: bool


class ServiceRef(_Strict):
    name: str
    kind: Literal["web", "dns", "mail"]


class Scenario(_Strict):
    """The validated scenario. Cross-references (name servers, CNAME targets, MX hosts) are checked here."""

    zone: str
    ttl: int = Field(300, ge=0)
    dns_port: int = Field(5353, ge=0, le=65535)
    name_servers: dict[str, NameServerSpec]
    zones: dict[str, ZoneSpec]
    web: dict[str, WebSpec] = {}
    smtp: dict[str, SmtpSpec] = {}
    services: list[ServiceRef] = []

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems: list[str] = []
        for zname, zone in self.zones.items():
            if not _within(zname, self.zone):
                problems.append(f"zone {zname} is not inside {self.zone}")
            problems += [f"zone {zname}: unknown name server {ns}" for ns in zone.name_servers
                         if ns not in self.name_servers]
            problems += [f"zone {zname}: MX host {mx.host} is not an smtp server" for mx in zone.mx
                         if mx.host not in self.smtp]
            for alias, target in zone.cname.items():
                if not _within(alias, zname):
                    problems.append(f"zone {zname}: CNAME {alias} is outside the zone")
                if target not in self.web and target not in self.smtp:
                    problems.append(f"zone {zname}: CNAME target {target} is not a lab host")
        hosts = [*self.name_servers, *self.web, *self.smtp]
        problems += [f"host {h} is in no zone" for h in hosts if self.zone_of(h) is None]
        for svc in self.services:
            if svc.kind == "web" and self.web_host(svc.name) is None:
                problems.append(f"web service {svc.name} resolves to no web server")
            if svc.kind in ("dns", "mail") and svc.name not in self.zones:
                problems.append(f"{svc.kind} service {svc.name} is not a zone")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def zone_of(self, name: str) -> str | None:
        """The most specific zone holding ``name`` (the lab's parent zone counts too)."""
        candidates = [z for z in (*self.zones, self.zone) if _within(name, z)]
        return max(candidates, key=len) if candidates else None

    def cname_target(self, name: str) -> str | None:
        for zone in self.zones.values():
            if name in zone.cname:
                return zone.cname[name]
        return None

    def web_host(self, name: str) -> str | None:
        """The web server a service name leads to, following one CNAME as a resolver would."""
        target = self.cname_target(name) or name
        return target if target in self.web else None


def _within(name: str, zone: str) -> bool:
    return name == zone or name.endswith("." + zone)


def default_scenario_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / SCENARIO_RESOURCE


def load_scenario(path: str | Path | None = None) -> dict[str, Any]:
    """Read and validate a scenario file (default: the packaged ``services.yaml``); return it as a dict.

    The dict (not the model) is the public form so that a test or the lab can tweak a case with plain
    dict edits before handing it to :func:`start_services`, which validates again.
    """
    file = Path(path) if path else default_scenario_path()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the services scenario: {exc}", file=str(file)) from None
    return parse_scenario(raw, source=str(file)).model_dump(mode="json")


def parse_scenario(raw: Any, source: str = "<scenario>") -> Scenario:
    """Validate a scenario dict; every problem is reported with its key, as :class:`InputError` promises."""
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [
            InputProblem(file=source, line=None, message=err["msg"],
                         key=".".join(str(p) for p in err["loc"]) or None)
            for err in exc.errors()
        ]
        raise InputError(problems) from None


# --------------------------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class HostTruth:
    """What one server of a service is expected to do over IPv6."""

    host: str
    aaaa: bool  # the zone publishes an AAAA record
    answers_ipv6: bool  # it answers on ::1
    tls_ok_ipv6: bool | None = None  # web only: the IPv6 certificate verifies against the lab CA for the name
    same_content_ipv6: bool | None = None  # web only: the page over IPv6 is the page over IPv4


@dataclass(frozen=True)
class ServiceTruth:
    """The expected IPv6 verdict of one service, with the reason an auditor would write down."""

    name: str
    kind: str
    ipv6_ready: bool
    reason: str
    hosts: tuple[HostTruth, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _host_problem(h: HostTruth) -> str | None:
    if not h.aaaa:
        return f"{h.host} has no AAAA record"
    if not h.answers_ipv6:
        return f"{h.host} has an AAAA record but does not answer over IPv6"
    if h.tls_ok_ipv6 is False:
        return f"{h.host} answers over IPv6 with a certificate that does not verify (self-signed, wrong name)"
    if h.same_content_ipv6 is False:
        return f"{h.host} serves different content over IPv6 than over IPv4"
    return None


def _verdict(name: str, kind: str, role: str, hosts: list[HostTruth]) -> ServiceTruth:
    problems = [p for p in (_host_problem(h) for h in hosts) if p]
    good = len(hosts) - len(problems)
    if not problems:
        reason = f"all {len(hosts)} {role} have AAAA records and answer over IPv6"
    else:
        reason = f"{good} of {len(hosts)} {role} ready for IPv6: " + "; ".join(problems)
    return ServiceTruth(name, kind, not problems, reason, tuple(hosts))


def derive_truth(scenario: Scenario) -> dict[str, ServiceTruth]:
    """Expected verdict per service (key ``kind:name``), from what the scenario publishes and listens on."""
    out: dict[str, ServiceTruth] = {}
    for svc in scenario.services:
        if svc.kind == "web":
            host = scenario.web_host(svc.name)
            assert host is not None  # validated
            spec = scenario.web[host]
            hosts = [HostTruth(host, spec.aaaa, spec.ipv6, spec.ipv6 and spec.tls6 == "same",
                               spec.content6 == "same" if spec.ipv6 else None)]
            truth = _verdict(svc.name, "web", "web servers", hosts)
        elif svc.kind == "dns":
            nss = scenario.zones[svc.name].name_servers
            hosts = [HostTruth(ns, scenario.name_servers[ns].aaaa, scenario.name_servers[ns].ipv6) for ns in nss]
            truth = _verdict(svc.name, "dns", "name servers", hosts)
        else:
            mxs = [mx.host for mx in scenario.zones[svc.name].mx]
            hosts = [HostTruth(mx, scenario.smtp[mx].aaaa, scenario.smtp[mx].ipv6) for mx in mxs]
            truth = (_verdict(svc.name, "mail", "MX hosts", hosts) if hosts
                     else ServiceTruth(svc.name, "mail", False, "the domain has no MX record"))
        out[truth.key] = truth
    return out


# --------------------------------------------------------------------------------------------- scale


def scale_scenario(base: dict[str, Any], services: int, *, per_zone: int = 20) -> dict[str, Any]:
    """``base`` plus ``services`` more services for benchmarks, served by the base scenario's own servers.

    Why CNAMEs and shared servers: 500 services with their own web ports would need a thousand listening
    sockets; what a benchmark measures is the checker (resolution, probes, concurrency), and every extra
    service here is resolved and probed exactly as a real one. Sub-zones ``s<k>.<zone>`` each get a DNS and a
    mail service (name servers and MX cycling over the base ones) and web aliases cycling over the base web
    hosts, so the verdicts are mixed like a real city's. The result replaces ``services`` by the new list only.
    """
    out: dict[str, Any] = {**base, "zones": dict(base["zones"]), "services": []}
    ns_pairs = [spec["name_servers"] for spec in base["zones"].values()]
    mx_hosts = list(base["smtp"])
    web_hosts = list(base["web"])
    made: list[dict[str, str]] = []
    k = 0
    while len(made) < services:
        zone = f"s{k}.{base['zone']}"
        aliases = {f"w{j}.{zone}": web_hosts[(k + j) % len(web_hosts)] for j in range(max(per_zone - 2, 1))}
        out["zones"][zone] = {"name_servers": list(ns_pairs[k % len(ns_pairs)]),
                              "mx": [{"preference": 10, "host": mx_hosts[k % len(mx_hosts)]}],
                              "cname": aliases}
        made += [{"name": zone, "kind": "dns"}, {"name": zone, "kind": "mail"}]
        made += [{"name": alias, "kind": "web"} for alias in aliases]
        k += 1
    out["services"] = made[:services]
    return out
