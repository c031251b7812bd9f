"""100 lab Cisco IOS devices through `--transport ansible` (ansible-runner, network_cli) and through the native
transport (netmiko), same collectors, same lab: wall time of each and their ratio. Prints JSON.

The lab's scale mode cycles SSH devices over six platforms; Ansible serves cisco_ios here, so the lab is made
big enough to hold the wanted number of cisco_ios devices, and both runs are limited to exactly those.
Run: .venv/bin/python benchmarks/bench_ansible.py [--devices 100] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import SCALE_SSH_SHARE, lab_down, lab_up
from netcomply.app.lab.sshsim.profile import SCALE_CYCLE
from netcomply.inventory import load_inventory
from netcomply.store import Store

COLLECTORS = ["cli_facts", "running_config"]


def audit(inventory_path: Path, names: list[str], db: Path, transport: str, concurrency: int) -> dict[str, Any]:
    inventory = load_inventory(inventory_path)
    with Store.open(db) as store:
        started = time.perf_counter()
        run, outcome = run_audit(inventory, store, AuditOptions(
            collectors=COLLECTORS, limit=",".join(names), transport=transport, concurrency=concurrency,
            judge=False, retries=0))
        seconds = time.perf_counter() - started
        facts = {o.device: o.data for o in store.observations(run.id, kind="device.cli_facts")}
    return {"seconds": round(seconds, 2), "ok": outcome.ok, "failed": outcome.failed, "errors": dict(outcome.errors),
            "facts": facts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    share = SCALE_CYCLE.count("cisco_ios") / len(SCALE_CYCLE) * SCALE_SSH_SHARE
    scale = int(args.devices / share) + len(SCALE_CYCLE)
    out: dict[str, Any] = {"benchmark": "ansible_transport", "devices": args.devices, "collectors": COLLECTORS,
                           "concurrency": args.concurrency, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="nc-bench-ansible-") as tmp:
        state = Path(tmp) / "lab"
        info = lab_up(state, scale=scale, with_services=False, ssh_port=43222, snmp_port=43161)
        try:
            inventory = load_inventory(info.inventory)
            names = [d.name for d in inventory.devices if d.platform == "cisco_ios" and d.ssh][: args.devices]
            assert len(names) == args.devices, f"the lab has only {len(names)} cisco_ios devices"
            native = audit(info.inventory, names, Path(tmp) / "native.db", "native", args.concurrency)
            ansible = audit(info.inventory, names, Path(tmp) / "ansible.db", "ansible", args.concurrency)
        finally:
            lab_down(state)
    same = sum(1 for n in names if n in native["facts"] and native["facts"][n] == ansible["facts"].get(n))
    for result in (native, ansible):
        result.pop("facts")
    out.update(native=native, ansible=ansible, same_facts=same,
               wall_time_ratio=round(ansible["seconds"] / native["seconds"], 2) if native["seconds"] else None)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
