"""A separate process that writes device results to a store, for the kill and concurrency tests.

Usage: python writer_child.py URL PREFIX COUNT OBSERVATIONS_PER_RESULT

It opens the store (creating it if needed), creates its own run, prints ``run ID``, then records COUNT
device results named PREFIX0000, PREFIX0001 ... printing ``committed NAME`` after each commit returns.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id


def main(url: str, prefix: str, count: int, per_result: int) -> None:
    with Store.open(url) as store:
        run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="child", tool_version="t"))
        print(f"run {run.id}", flush=True)
        for i in range(count):
            device = f"{prefix}{i:04d}"
            start = utcnow()
            art = capture_artifact(device, "cli", "show interfaces", f"{device} Gi0/{i} up\n" * 50)
            obs = [Observation(device, "cli", "ipv6.interface", {"n": n, "pad": "x" * 64}, "ssh:show ipv6",
                               artifacts=[art.sha256]) for n in range(per_result)]
            store.record_device_result(run.id, DeviceResult(
                device, "cli", DeviceStatus.OK, start, start + timedelta(seconds=1), observations=obs,
                artifacts=[art]))
            print(f"committed {device}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
