"""Banned-vendor checks on verdict observations: PRC brands, exceptions, registers, unknowns, conflicts."""

from __future__ import annotations

from datetime import date
from typing import Any

from compliance.checks.base import JudgeContext
from compliance.checks.vendor import run_vendor_checks
from netcomply.inventory.registers import AssetRecord, ExceptionRecord
from netcomply.models import Finding, Observation
from netcomply.vendor.sampling import spot_check

TODAY = date(2026, 11, 22)


def identity(name: str, brand: str | None, prc: bool | None, *, address: str = "192.0.2.1", serial: str | None = None,
             manufacturer: str | None = None, manufacturer_prc: bool | None = None, confidence: float = 0.95,
             conflicts: list[dict[str, Any]] | None = None, oid: int = 1, kind: str = "vendor.identity",
             **extra: Any) -> Observation:
    data = {"name": name, "address": address, "brand": brand, "manufacturer": manufacturer or brand,
            "manufacturer_prc": manufacturer_prc if manufacturer_prc is not None else prc, "model": "M",
            "serial": serial, "prc_brand": prc, "confidence": confidence, "evidence": [], "conflicts": conflicts or [],
            "status": "identified" if brand else "unknown", **extra}
    return Observation(device=name, collector="vendor_judge", kind=kind, data=data, source="judge", id=oid)


def judge(obs: list[Observation], **data: Any) -> dict[str, list[Finding]]:
    found = run_vendor_checks(obs, JudgeContext(run_id="r", data={"today": TODAY, **data}))
    out: dict[str, list[Finding]] = {}
    for f in found:
        out.setdefault(f.check_id, []).append(f)
    return out


def by_subject(findings: list[Finding]) -> dict[str, str]:
    return {f.subject: f.status.value for f in findings}


def test_prc_brand_fails_unless_a_valid_exception_covers_it() -> None:
    obs = [identity("cam1", "Hikvision", True, oid=1), identity("cam2", "Dahua", True, address="192.0.2.2", oid=2),
           identity("sw1", "Cisco", False, address="192.0.2.3", oid=3), identity("x", None, None, oid=4)]
    exceptions = [ExceptionRecord("cam2", date(2024, 1, 1), date(2024, 2, 1), "VLAN 990", True, date(2027, 1, 1), 2)]
    f = judge(obs, exceptions=exceptions)
    assert by_subject(f["vendor.prc_brand_on_network"]) == {"cam1": "fail", "cam2": "pass", "sw1": "pass"}
    assert f["vendor.prc_brand_on_network"][0].controls == ["iso27001:2022/A.5.19", "iso27001:2022/A.5.21",
                                                           "iso27001:2022/A.8.22", "tw-cyber:prc-products"]
    assert by_subject(f["vendor.prc_exception_invalid"]) == {"exception:cam2": "pass"}
    assert f["vendor.prc_brand_on_network"][0].observations == [1]


def test_overdue_or_unisolated_exceptions_fail() -> None:
    obs = [identity("cam1", "Hikvision", True, oid=1)]
    exceptions = [
        ExceptionRecord("cam1", date(2024, 1, 1), date(2024, 2, 1), "VLAN 990", True, date(2025, 12, 31), 2),
        ExceptionRecord("nvr9", date(2024, 1, 1), None, None, False, date(2030, 1, 1), 3),
    ]
    f = judge(obs, exceptions=exceptions)
    assert by_subject(f["vendor.prc_brand_on_network"]) == {"cam1": "fail"}
    invalid = {x.subject: x for x in f["vendor.prc_exception_invalid"]}
    assert invalid["exception:cam1"].status.value == "fail" and "overdue" in invalid["exception:cam1"].message
    assert invalid["exception:nvr9"].details["problems"] == [
        "no approval by the competent authority", "not isolated from the official network"]


def test_register_checks() -> None:
    obs = [identity("sw1", "Cisco", False, serial="FOC1", oid=1),
           identity("sw2", "H3C", True, address="192.0.2.2", oid=2),
           identity("IPCAM-9", "Hikvision", True, address="203.0.113.9", oid=3, kind="vendor.neighbour_identity",
                    via="lldp", chassis_id="44:19:b6:00:00:01"),
           identity("44:19:b6:00:00:02", "Hikvision", True, address="203.0.113.10", oid=4,
                    kind="vendor.neighbour_identity", via="arp", chassis_id="44:19:b6:00:00:02")]
    register = [AssetRecord("A-1", "core", "198.51.100.1", "Cisco", None, "foc1", None, 2),
                AssetRecord("A-2", "sw2", None, "HPE", None, None, None, 3),
                AssetRecord("A-3", "gone", "198.51.100.9", "Cisco", None, None, None, 4)]
    f = judge(obs, asset_register=register)
    assert by_subject(f["vendor.not_in_register"]) == {"sw1": "pass", "sw2": "pass",
                                                       "neighbour:IPCAM-9 (via IPCAM-9)": "fail"}
    assert by_subject(f["vendor.register_not_seen"]) == {"asset:A-3": "fail"}
    assert by_subject(f["vendor.register_brand_mismatch"]) == {"sw1": "pass", "sw2": "fail"}
    # the ARP-only host is still judged for its brand
    assert "neighbour:44:19:b6:00:00:02 (via 44:19:b6:00:00:02)" in by_subject(f["vendor.prc_brand_on_network"])


def test_without_a_register_no_register_findings_are_invented() -> None:
    f = judge([identity("sw1", "Cisco", False)])
    assert "vendor.not_in_register" not in f and "vendor.register_not_seen" not in f


def test_unknown_low_confidence_conflict_and_manufacturer_review() -> None:
    obs = [identity("u1", None, None, oid=1, status="no_answer"),
           identity("u2", "TP-Link", True, confidence=0.3, address="192.0.2.2", oid=2),
           identity("c1", "H3C", True, conflicts=[{"signal": "snmp.sysDescr", "brand": "HPE"}], oid=3,
                    address="192.0.2.3"),
           identity("h1", "HPE", False, manufacturer="H3C", manufacturer_prc=True, oid=4, address="192.0.2.4")]
    f = judge(obs)
    unknown = {x.subject: x.message for x in f["vendor.unknown_vendor"]}
    assert set(unknown) == {"u1", "u2"} and "did not answer" in unknown["u1"]
    assert by_subject(f["vendor.signal_conflict"]) == {"c1": "manual"}
    assert by_subject(f["vendor.prc_manufacturer_review"]) == {"h1": "manual"}
    f = judge(obs, vendor_policy={"manufacturer_review": False, "min_confidence": 0.2})
    assert "vendor.prc_manufacturer_review" not in f
    assert set(by_subject(f["vendor.unknown_vendor"])) == {"u1"}


def test_the_newest_verdict_of_a_device_wins() -> None:
    old = identity("sw1", None, None, oid=1)
    new = identity("sw1", "Huawei", True, oid=7)
    f = judge([new, old])
    assert by_subject(f["vendor.prc_brand_on_network"]) == {"sw1": "fail"}
    assert "vendor.unknown_vendor" not in f


def test_spot_check_is_reproducible_and_draws_prc_devices_first() -> None:
    devices = [{"name": f"d{i:02d}", "prc_brand": i % 5 == 0} for i in range(40)]
    a = spot_check(devices, 5, seed=2026)
    b = spot_check(list(reversed(devices)), 5, seed=2026)
    assert a == b and len(a) == 5
    assert all(d["prc_brand"] for d in a)  # 8 PRC-brand devices: a sample of 5 is all PRC
    mixed = spot_check(devices, 12, seed=2026)
    assert sum(d["prc_brand"] for d in mixed) == 8 and mixed[:8] == [d for d in mixed if d["prc_brand"]]
    assert len({tuple(d["name"] for d in spot_check(devices, 5, seed=s)) for s in range(6)}) > 1
    assert len(spot_check(devices, 100, seed=1)) == 40
    assert spot_check(devices, 0, seed=1) == []
