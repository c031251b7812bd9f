"""judge_run over a real SQLite store: every registered check, findings stored, re-judging is stable."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar

from compliance.checks.base import Check, JudgeContext
from compliance.checks.collection import AssetVerifiable, ConfigCaptured
from compliance.engine import evaluate_run
from compliance.judge import judge_run, load_checks
from compliance.status import ControlStatus
from netcomply.errors import ErrorClass
from netcomply.models import Finding, FindingStatus, Observation
from netcomply.store import Store

from .conftest import DeviceSpec

COLLECTION = {"collection.asset_verifiable": AssetVerifiable, "collection.config_captured": ConfigCaptured}
SPECS = [DeviceSpec("sw1"), DeviceSpec("sw2"), DeviceSpec("cam1", config=False),
         DeviceSpec("sw3", error=ErrorClass.AUTH_FAILED)]


def essence(findings: Iterable[Finding]) -> list[tuple[object, ...]]:
    return [(f.check_id, f.subject, f.status, f.message, f.observations, f.artifacts, f.controls, f.details)
            for f in findings]


def test_collection_checks_judge_each_device(store: Store, make_run: Callable[..., str]) -> None:
    run_id = make_run(SPECS)
    findings = judge_run(store, run_id, checks=COLLECTION)
    by = {(f.check_id, f.subject): f for f in findings}
    assert by[("collection.asset_verifiable", "sw3")].status is FindingStatus.FAIL
    assert "auth_failed" in by[("collection.asset_verifiable", "sw3")].message
    assert by[("collection.asset_verifiable", "sw1")].status is FindingStatus.PASS
    assert by[("collection.config_captured", "sw3")].status is FindingStatus.FAIL
    cfg = by[("collection.config_captured", "sw1")]
    config_obs = list(store.observations(run_id, kind="device.config", device="sw1"))
    assert cfg.status is FindingStatus.PASS and cfg.observations == [config_obs[0].id]
    assert cfg.artifacts == config_obs[0].artifacts
    assert ("collection.config_captured", "cam1") not in by  # no config collector there: nothing to say
    assert essence(store.findings(run_id)) == essence(findings)


def test_rejudging_a_stored_run_gives_the_same_findings(store: Store, make_run: Callable[..., str]) -> None:
    run_id = make_run(SPECS)
    first = essence(judge_run(store, run_id, checks=COLLECTION))
    second = essence(judge_run(store, run_id, checks=COLLECTION))
    assert first == second
    assert essence(store.findings(run_id)) == first  # replaced, not appended
    assert len(store.findings(run_id)) == len(first)


class _Broken(Check):
    id: ClassVar[str] = "collection.config_captured"  # borrows real metadata; the registry is not touched

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        raise RuntimeError("boom")


def test_a_broken_check_becomes_an_error_finding_and_others_still_run(
        store: Store, make_run: Callable[..., str]) -> None:
    run_id = make_run(SPECS)
    findings = judge_run(store, run_id, checks={"collection.asset_verifiable": AssetVerifiable,
                                                "collection.config_captured": _Broken})
    errors = [f for f in findings if f.status is FindingStatus.ERROR]
    assert len(errors) == 1 and "boom" in errors[0].message
    assert any(f.check_id == "collection.asset_verifiable" for f in findings)
    ev = evaluate_run(store, run_id)
    assert ev.get("iso27001:2022/A.8.9").status is ControlStatus.NOT_ASSESSED


def test_evaluated_run_shows_config_management_and_inventory(store: Store, make_run: Callable[..., str]) -> None:
    run_id = make_run(SPECS)
    judge_run(store, run_id, checks=COLLECTION)
    ev = evaluate_run(store, run_id)
    a89 = ev.get("iso27001:2022/A.8.9")
    # sw1 and sw2 captured, sw3 failed: partial, with the config artifacts as evidence
    assert a89.status is ControlStatus.PARTIAL
    configs = {o.artifacts[0] for o in store.observations(run_id, kind="device.config")}
    assert configs <= set(a89.artifacts)
    assert ev.get("iso27001:2022/A.5.9").status is ControlStatus.PARTIAL
    # 2022 A.5.9 reaches its 2013 predecessors A.8.1.1 and A.8.1.2
    assert ev.get("iso27001:2013/A.8.1.1").status is ControlStatus.PARTIAL
    vans = ev.get("tw-cyber:vans")  # mapped from the A.5.9 findings, at partial coverage
    assert vans.status is ControlStatus.PARTIAL
    assert vans.findings and all(f.via.startswith("mapping:") for f in vans.findings)


def test_all_pass_run_passes_a_8_9(store: Store, make_run: Callable[..., str]) -> None:
    run_id = make_run([DeviceSpec("r1"), DeviceSpec("r2")])
    judge_run(store, run_id, checks=COLLECTION)
    result = evaluate_run(store, run_id).get("iso27001:2022/A.8.9")
    assert result.status is ControlStatus.PASS and len(result.artifacts) == 2


def test_load_checks_registers_the_collection_checks() -> None:
    assert set(COLLECTION) <= set(load_checks())
