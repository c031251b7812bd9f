"""Property tests of the evaluation rules: nothing without evidence passes, every control is listed, and the
result depends on the set of findings only."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.catalog import catalogs
from compliance.evaluate import Evaluation, evaluate
from compliance.status import ControlStatus, combine
from netcomply.models import Finding, FindingStatus, Severity

CONTROLS = [
    "iso27001:2022/A.8.9", "iso27001:2022/A.5.9", "iso27001:2022/A.8.20", "iso27001:2022/A.8.15",
    "iso27001:2013/A.12.4.1", "iso27001:2013/A.13.1.1", "iso27001:2013/A.8.1.1", "tw-cyber:prc-products",
    "tw-cyber:A/internal-audit",
]
DAY = date(2026, 11, 22)
ASSESSABLE = frozenset({"iso27001:2022/A.8.9", "iso27001:2022/A.5.9"})

findings_st = st.builds(
    Finding,
    check_id=st.sampled_from(["collection.a", "vendor.b", "firewall.c", "drill.d"]),
    subject=st.sampled_from(["sw1", "sw2", "fw1", "*"]),
    status=st.sampled_from(list(FindingStatus)),
    severity=st.just(Severity.LOW),
    message=st.sampled_from(["m1", "m2"]),
    observations=st.lists(st.integers(1, 50), max_size=2),
    artifacts=st.lists(st.sampled_from(["a" * 64, "b" * 64]), max_size=1),
    controls=st.lists(st.sampled_from(CONTROLS), min_size=1, max_size=3, unique=True),
)


def run(findings: list[Finding]) -> Evaluation:
    return evaluate(findings, as_of=DAY, assessable=ASSESSABLE)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(findings_st, max_size=12))
def test_nothing_passes_without_evidence_and_every_control_is_listed(findings: list[Finding]) -> None:
    ev = run(findings)
    assert len(ev.results) == len(catalogs().by_qid)
    assert {r.control for r in ev.results} == set(catalogs().by_qid)
    for r in ev.results:
        if r.status is ControlStatus.PASS:
            assert r.has_evidence
            assert any(f.status == "pass" and f.counts_as is ControlStatus.PASS for f in r.findings) or r.records
        if not r.findings and r.schedule is None:
            assert r.status in (ControlStatus.MANUAL, ControlStatus.NOT_ASSESSED)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(findings_st, max_size=10), st.randoms(use_true_random=False))
def test_evaluation_is_order_independent_and_deterministic(findings: list[Finding], rnd: random.Random) -> None:
    shuffled = list(findings)
    rnd.shuffle(shuffled)
    assert run(findings).to_dict() == run(shuffled).to_dict() == run(findings).to_dict()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(findings_st, max_size=8), st.sampled_from(CONTROLS))
def test_a_failing_finding_never_lets_its_control_pass(findings: list[Finding], control: str) -> None:
    fail = Finding("x.fail", "sw9", FindingStatus.FAIL, Severity.HIGH, "broken", [1], [], [control])
    ev = run([*findings, fail])
    qid = control.replace("tw-cyber:A/", "tw-cyber:")
    assert ev.get(qid).status in (ControlStatus.FAIL, ControlStatus.PARTIAL)


def test_pass_without_evidence_is_manual_not_pass() -> None:
    claim = Finding("x.claim", "sw1", FindingStatus.PASS, Severity.LOW, "trust me", [], [], ["iso27001:2022/A.8.20"])
    assert run([claim]).get("iso27001:2022/A.8.20").status is ControlStatus.MANUAL
    proved = Finding("x.claim", "sw1", FindingStatus.PASS, Severity.LOW, "seen", [7], ["c" * 64],
                     ["iso27001:2022/A.8.20"])
    result = run([proved]).get("iso27001:2022/A.8.20")
    assert result.status is ControlStatus.PASS
    assert result.observations == (7,) and result.artifacts == ("c" * 64,)


def test_2013_sourced_results_land_on_2022_through_the_crosswalk() -> None:
    equal = Finding("x.old", "fw1", FindingStatus.PASS, Severity.LOW, "ok", [3], [], ["iso27001:2013/A.13.1.1"])
    subset = Finding("x.old", "fw2", FindingStatus.PASS, Severity.LOW, "ok", [4], [], ["iso27001:2013/A.12.4.1"])
    failing = Finding("x.old", "fw3", FindingStatus.FAIL, Severity.LOW, "no", [5], [], ["iso27001:2013/A.12.4.4"])
    ev = run([equal, subset, failing])
    assert ev.get("iso27001:2022/A.8.20").status is ControlStatus.PASS  # equal: full coverage
    assert ev.get("iso27001:2022/A.8.15").status is ControlStatus.PARTIAL  # subset: only part of A.8.15
    assert ev.get("iso27001:2022/A.8.17").status is ControlStatus.FAIL  # clock synchronisation
    assert "crosswalk" in ev.get("iso27001:2022/A.8.20").findings[0].via


def test_no_findings_is_manual_or_not_assessed_by_what_checks_exist() -> None:
    ev = run([])
    assert ev.get("iso27001:2022/A.8.9").status is ControlStatus.NOT_ASSESSED
    assert ev.get("iso27001:2022/A.6.1").status is ControlStatus.MANUAL
    assert not [r for r in ev.results if r.status is ControlStatus.PASS]


def test_excluded_control_is_not_applicable_but_keeps_its_failures_visible() -> None:
    failing = Finding("x", "sw1", FindingStatus.FAIL, Severity.LOW, "no", [1], [], ["iso27001:2022/A.8.28"])
    ev = evaluate([failing], as_of=DAY, applicability={"iso27001:2022/A.8.28": (False, "no development")})
    result = ev.get("iso27001:2022/A.8.28")
    assert result.status is ControlStatus.NOT_APPLICABLE
    assert "no development" in result.reason and "1 failing" in result.reason


@given(st.lists(st.sampled_from(list(ControlStatus)), max_size=8))
def test_combine_rules(statuses: list[ControlStatus]) -> None:
    got = combine(statuses)
    present = set(statuses) - {ControlStatus.NOT_APPLICABLE}
    if not statuses:
        assert got is None
    elif not present:
        assert got is ControlStatus.NOT_APPLICABLE
    elif got is ControlStatus.PASS:
        assert present == {ControlStatus.PASS}
    elif ControlStatus.FAIL in present:
        assert got in (ControlStatus.FAIL, ControlStatus.PARTIAL)
    assert combine(list(reversed(statuses))) == got
