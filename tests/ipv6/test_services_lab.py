"""The IPv6 service checks against the lab: every verdict agrees with the lab's truth file.

The truth is derived from the lab scenario (what each server publishes and listens on), never from what the
checker found; the checker only sees DNS answers and what the servers do over IPv4 and IPv6.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from collectors.ipv6.service_pass import check_services
from collectors.ipv6.services import check_service, service_key
from compliance.ipv6_readiness import load_rules, service_verdict
from compliance.thresholds import load_thresholds
from netcomply.app.lab.services import LabServices
from netcomply.models import DeviceResult, Service

pytestmark = pytest.mark.lab

RULES = load_rules(load_thresholds())


@pytest.fixture(scope="module")
def results(lab_services: list[Service]) -> dict[str, DeviceResult]:
    found = asyncio.run(check_services(lab_services, concurrency=8))
    assert all(r.status.value == "ok" for r in found), [(r.device, r.cause) for r in found]
    return {r.device: r for r in found}


def test_every_verdict_matches_the_truth(services_lab: LabServices, lab_services: list[Service], results) -> None:
    truth = services_lab.truth()
    assert {service_key(s) for s in lab_services} <= set(truth)
    wrong = {}
    for key, result in results.items():
        verdict = service_verdict(result.observations[0].data, RULES)
        expected = truth[key]
        if verdict.ready != expected.ipv6_ready:
            wrong[key] = (verdict.reasons, expected.reason)
        for host in expected.hosts:  # every host the truth blames is named in the reasons, and only those
            blamed = any(host.host in r for r in verdict.reasons[1:])
            host_ok = host.aaaa and host.answers_ipv6 and host.tls_ok_ipv6 is not False \
                and host.same_content_ipv6 is not False
            assert blamed == (not host_ok), (key, host, verdict.reasons)
    assert not wrong


def test_tricky_cases_have_the_right_reason(results) -> None:
    def reasons(key: str) -> str:
        return " | ".join(service_verdict(results[key].observations[0].data, RULES).reasons)

    assert "app.city.lab.example (CNAME app-gw.city.lab.example)" in reasons("web:app.city.lab.example")
    assert "AAAA record but does not answer over IPv6" in reasons("web:app.city.lab.example")
    assert "1 of 2 name servers" in reasons("dns:edu.lab.example")
    assert "ns2.edu.lab.example has an AAAA record but does not answer over IPv6" in reasons("dns:edu.lab.example")
    assert "SMTP does not answer over IPv6" in reasons("mail:edu.lab.example")
    assert "certificate that does not verify" in reasons("web:www.edu.lab.example")
    assert "different content over IPv6" in reasons("web:portal.city.lab.example")
    assert "has no AAAA record" in reasons("web:www.district.lab.example")


def test_each_probe_keeps_question_answer_and_time(results) -> None:
    result = results["dns:edu.lab.example"]
    (art,) = result.artifacts
    transcript = json.loads(art.content)
    assert result.observations[0].artifacts == [art.sha256]
    for rec in transcript:
        assert rec["question"] and rec["target"] and rec["at"] and rec["family"] in ("ipv4", "ipv6")
        assert rec["ok"] or rec["error"] or rec["answer"] is not None
    refused = [r for r in transcript if r["family"] == "ipv6" and not r["ok"]]
    assert refused and all("refused" in r["error"] for r in refused)  # UDP too: ICMP unreachable, not a timeout


def test_smtp_on_ipv4_only_is_seen_on_both_families(results) -> None:
    host = results["mail:edu.lab.example"].observations[0].data["hosts"][0]
    assert host["ipv4"]["smtp"]["banner_code"] == 220 and host["ipv4"]["smtp"]["starttls_offered"]
    assert host["ipv6"]["smtp"]["ok"] is False and host["aaaa"] == ["::1"]


def test_a_probe_never_leaves_loopback_for_a_lab_service(services_lab: LabServices) -> None:
    """A lab service whose records pointed off the machine would be refused by the target policy, not probed."""
    from collectors.ipv6.services import ServicePlan, service_policy

    plan = ServicePlan(resolver=("::1", services_lab.dns_port))
    policy = service_policy(Service(name="x.lab.example", kind="web"), plan, ["192.0.2.0/24"])
    assert policy.allows("::1") and policy.allows("127.0.0.1")
    assert not policy.allows("192.0.2.10") and not policy.allows("2001:db8::1")


def test_unresolvable_service_is_not_ready_with_a_reason(services_lab: LabServices) -> None:
    svc = Service(name="nowhere.city.lab.example", kind="web",
                  endpoints={"resolver": f"[::1]:{services_lab.dns_port}"})
    data, _ = asyncio.run(check_service(svc))
    verdict = service_verdict(data, RULES)
    assert not verdict.ready and "does not resolve" in verdict.reasons[0]


def test_probes_outside_allowed_ranges_make_a_config_error_not_a_verdict(services_lab: LabServices) -> None:
    """A service resolved through a non-loopback resolver may only be probed inside settings.allowed_ranges;
    here nothing is allowed, so not even the resolver is asked and the service is an error, not "not ready"."""
    svc = Service(name="www.city.lab.example", kind="web", endpoints={"resolver": "192.0.2.53"})
    (result,) = asyncio.run(check_services([svc], allowed_ranges=[]))
    assert result.status.value == "error" and result.error_class == "config"
    assert "192.0.2.53:53" in (result.cause or "") and "allowed_ranges" in (result.cause or "")
    assert result.observations == [] and len(result.artifacts) == 1
