"""A separate process that writes device results to a store, for the kill and concurrency tests.

Usage: python writer_child.py URL PREFIX COUNT OBSERVATIONS_PER_RESULT [RUN_ID]

It opens the store (creating it if needed), creates its own run unless RUN_ID is given, prints ``run ID``,
then records COUNT device results named PREFIX0000, PREFIX0001 ... printing ``committed NAME`` after each
commit returns. Every result also carries one artifact whose content is the same in every process
(``SHARED``), so concurrent writers race on inserting the same blob.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id

SHARED = "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4\n" * 30


def main(url: str, prefix: str, count: int, per_result: int, run_id: str | None = None) -> None:
    with Store.open(url) as store:
        if run_id is None:
            run_id = store.create_run(
                Run(id=new_run_id(), started_at=utcnow(), operator="child", tool_version="t")).id
        print(f"run {run_id}", flush=True)
        for i in range(count):
            device = f"{prefix}{i:04d}"
            start = utcnow()
            art = capture_artifact(device, "cli", "show interfaces", f"{device} Gi0/{i} up\n" * 50)
            obs = [Observation(device, "cli", "ipv6.interface", {"n": n, "pad": "x" * 64}, "ssh:show ipv6",
                               artifacts=[art.sha256]) for n in range(per_result)]
            shared = capture_artifact(device, "cli", "show version", SHARED)
            store.record_device_result(run_id, DeviceResult(
                device, "cli", DeviceStatus.OK, start, start + timedelta(seconds=1), observations=obs,
                artifacts=[art, shared]))
            print(f"committed {device}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *sys.argv[5:6])
