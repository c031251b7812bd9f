"""Fixtures of the audit report tests: a real SQLite store with judged runs built through the Store API.

Device output is shaped like what the collectors store from real devices (Cisco IOS ``show version`` facts,
SNMP system group of a Hikvision camera, a refused login), judged by the real compliance checks, so the
report is built from the same kinds of records an audit leaves. Times are fixed so reports can be compared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compliance.judge import judge_run
from netcomply.errors import ErrorClass
from netcomply.inventory import load_inventory
from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, RunStatus
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)

INVENTORY = """\
agencies:
  city-gov: {name: Example City Government, name_zh: 範例市政府, level: A, level_approved: 2023-08-01}
  district: {name: Example District Office, name_zh: 範例區公所, level: C, level_approved: 2022-11-30}
defaults:
  ssh: {username: nc-audit, password_env: NC_TEST_SSH_PASSWORD}
hosts:
  cg-core1: {address: 192.0.2.1, platform: cisco_ios, role: switch, site: city-hall, agency: city-gov}
  cg-cam1: {address: 192.0.2.31, role: camera, site: city-hall, agency: city-gov,
            snmp: {version: "2c", community_env: NC_TEST_COMMUNITY}}
  dt-sw1: {address: 198.51.100.11, platform: cisco_ios, role: switch, site: district-office, agency: district}
"""

SHOW_VERSION = """\
Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)
{name} uptime is 12 weeks, 3 days, 4 hours, 10 minutes
System image file is "flash:packages.conf"
cisco C9300-48P (X86) processor with 1419044K/6147K bytes of memory.
Processor board ID FOC2419X0AB
"""

RUNNING_CONFIG = """\
hostname {name}
!
enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM
snmp-server community {community} RO
interface GigabitEthernet1/0/1
 description uplink
!
end
"""


def _cli(name: str, at: datetime, community: str = "public-ro") -> DeviceResult:
    version = capture_artifact(name, "cli_facts", "ssh:show version", SHOW_VERSION.format(name=name),
                               collected_at=at)
    facts = Observation(name, "cli_facts", "device.cli_facts",
                        {"platform": "cisco_ios", "hostname": name, "model": "C9300-48P",
                         "serial": "FOC2419X0AB", "os_version": "17.9.4a"},
                        "ssh:show version", collected_at=at, artifacts=[version.sha256])
    return DeviceResult(name, "cli_facts", DeviceStatus.OK, at, at + timedelta(seconds=2),
                        observations=[facts], artifacts=[version])


def _config(name: str, at: datetime, community: str) -> DeviceResult:
    config = capture_artifact(name, "running_config", "ssh:show running-config",
                              RUNNING_CONFIG.format(name=name, community=community), collected_at=at)
    obs = Observation(name, "running_config", "device.config",
                      {"platform": "cisco_ios", "command": "show running-config", "lines": 8,
                       "bytes": len(config.content), "sha256": config.sha256, "redactions": 2},
                      "ssh:show running-config", collected_at=at, artifacts=[config.sha256])
    return DeviceResult(name, "running_config", DeviceStatus.OK, at, at + timedelta(seconds=3),
                        observations=[obs], artifacts=[config])


def _camera(name: str, at: datetime) -> DeviceResult:
    walk = capture_artifact(name, "snmp_system", "snmp:system",
                            "1.3.6.1.2.1.1.1.0 = Linux cg-cam1 4.9.37 armv7l\n1.3.6.1.2.1.1.2.0 = 1.3.6.1.4.1.8072.3.2.10\n",
                            collected_at=at)
    obs = Observation(name, "snmp_system", "device.snmp_system",
                      {"sys_descr": "Linux cg-cam1 4.9.37 #1 PREEMPT armv7l", "sys_object_id": "1.3.6.1.4.1.8072.3.2.10",
                       "sys_name": name, "sys_location": "city-hall, city-gov", "enterprise": 8072, "entity": []},
                      "snmp:system+entPhysicalTable", collected_at=at, artifacts=[walk.sha256])
    return DeviceResult(name, "snmp_system", DeviceStatus.OK, at, at + timedelta(seconds=1),
                        observations=[obs], artifacts=[walk])


def _refused(name: str, at: datetime) -> list[DeviceResult]:
    return [
        DeviceResult(name, "cli_facts", DeviceStatus.ERROR, at, at + timedelta(seconds=1),
                     error_class=ErrorClass.AUTH_FAILED,
                     cause="SSH login refused (wrong username, password or key)"),
        DeviceResult(name, "running_config", DeviceStatus.SKIPPED, at, at, attempts=0,
                     error_class=ErrorClass.AUTH_FAILED,
                     cause="not tried: ssh to this device failed in cli_facts (SSH login refused)"),
    ]


def make_run(store: Store, inventory: Path, run_id: str, started: datetime, *, batch: str | None = None,
             devices: tuple[str, ...] = ("cg-core1", "cg-cam1", "dt-sw1"), community: str = "public-ro") -> str:
    """Store one judged run of the small city: cg-core1 answers SSH, cg-cam1 SNMP, dt-sw1 refuses the login."""
    inv = load_inventory(inventory)
    params = {"collectors": ["cli_facts", "running_config", "snmp_system"], **({"batch": batch} if batch else {})}
    store.create_run(Run(id=run_id, started_at=started, operator="auditor@example.gov.tw", tool_version="0.1.0-test",
                         inventory_sha256=inv.sha256, inventory_source=str(inventory), parameters=params))
    at = started + timedelta(seconds=5)
    for name in devices:
        if name == "cg-core1":
            results = [_cli(name, at), _config(name, at, community)]
        elif name == "cg-cam1":
            results = [_camera(name, at)]
        else:
            results = _refused(name, at)
        for result in results:
            store.record_device_result(run_id, result)
    judge_run(store, run_id, data={"devices": {d.name: d for d in inv.devices}})
    store.finish_run(run_id, RunStatus.PARTIAL, finished_at=started + timedelta(minutes=2))
    return run_id


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "city.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store.db") as opened:
        yield opened


@pytest.fixture
def run_id(store: Store, inventory: Path) -> str:
    return make_run(store, inventory, "20260302T013000Z-rep1", T0)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
