"""Fixtures of the compliance tests: a real SQLite store in a temp dir, with runs built from realistic
device results (artifacts through the redactor, observations citing them, failures with their error class)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from netcomply.errors import ErrorClass
from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, RunStatus, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id

CONFIG = """hostname {name}
!
interface GigabitEthernet0/1
 description uplink
 ip address 10.0.0.{n} 255.255.255.0
!
snmp-server community ******** RO
line vty 0 4
 transport input ssh
end
"""


@dataclass(frozen=True)
class DeviceSpec:
    """One device of a fake run: ``ok`` devices yield identity and config; failed ones an error class."""

    name: str
    error: ErrorClass | None = None
    config: bool = True


def device_results(spec: DeviceSpec, n: int) -> list[DeviceResult]:
    start = utcnow()
    end = start + timedelta(seconds=1)
    if spec.error is not None:
        return [DeviceResult(spec.name, collector, DeviceStatus.ERROR, start, end, error_class=spec.error,
                             cause=f"{spec.error.value} on purpose") for collector in ("cli_facts", "running_config")]
    facts_art = capture_artifact(spec.name, "cli_facts", "ssh:show version", f"Cisco IOS Software\n{spec.name} uptime")
    facts = DeviceResult(spec.name, "cli_facts", DeviceStatus.OK, start, end, artifacts=[facts_art], observations=[
        Observation(spec.name, "cli_facts", "device.cli_facts", {"hostname": spec.name, "vendor": "Cisco"},
                    "ssh:show version", artifacts=[facts_art.sha256])])
    out = [facts]
    if spec.config:
        art = capture_artifact(spec.name, "running_config", "ssh:show running-config",
                               CONFIG.format(name=spec.name, n=n))
        out.append(DeviceResult(spec.name, "running_config", DeviceStatus.OK, start, end, artifacts=[art],
                                observations=[Observation(
                                    spec.name, "running_config", "device.config",
                                    {"platform": "cisco_ios", "command": "show running-config", "lines": 10,
                                     "bytes": len(art.content), "sha256": art.sha256, "redactions": 1},
                                    "ssh:show running-config", artifacts=[art.sha256])]))
    return out


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store" / "netcomply.db") as opened:
        yield opened


@pytest.fixture
def make_run(store: Store) -> Callable[..., str]:
    """Create a finished run with these devices; returns its id."""

    def make(specs: list[DeviceSpec], started_at: datetime | None = None,
             parameters: dict[str, Any] | None = None) -> str:
        run = store.create_run(Run(id=new_run_id(), started_at=started_at or utcnow(), operator="tester",
                                   tool_version="0.0-test", parameters=parameters or {}))
        for n, spec in enumerate(specs, start=1):
            for result in device_results(spec, n):
                store.record_device_result(run.id, result)
        failed = any(s.error for s in specs)
        store.finish_run(run.id, RunStatus.PARTIAL if failed else RunStatus.COMPLETE)
        return run.id

    return make
