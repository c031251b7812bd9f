"""A 1,000-device lab audit (SSH + SNMP), and the same SSH commands through Nornir + netmiko on the same lab.

DESIGN.md's goal: at most 60 s on 2 cores, and at least as fast as Nornir + netmiko running the same commands.
netcomply verifies SSH host keys (strict, against the lab's known_hosts); Nornir's netmiko plugin does not by
default, so Nornir is measured both ways. Prints JSON.
Run: .venv/bin/python benchmarks/bench_audit.py [--scale 1000] [--workers 50]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import lab_down, lab_up
from netcomply.inventory import load_inventory
from netcomply.models import Device
from netcomply.secrets import SecretResolver
from netcomply.store import Store

COMMANDS = {  # what collectors/cli_facts.py sends, per platform
    "cisco_ios": ("show version", "show inventory"),
    "cisco_asa": ("show version", "show inventory"),
    "huawei": ("display version", "display device"),
    "hp_comware": ("display device manuinfo", "display version"),
    "fortinet": ("get system status",),
    "juniper_junos": ("show version", "show chassis hardware"),
}


def nornir_run(devices: list[Device], secrets: SecretResolver, workers: int, known_hosts: str | None) -> dict[str, Any]:
    from nornir.core import Nornir
    from nornir.core.inventory import ConnectionOptions, Defaults, Groups, Host, Hosts, Inventory
    from nornir.core.plugins.connections import ConnectionPluginRegister
    from nornir.core.task import Result, Task
    from nornir.plugins.runners import ThreadedRunner
    from nornir_netmiko.tasks import netmiko_send_command

    hosts = Hosts()
    for d in devices:
        extras = {"secret": secrets.get("NC_LAB_ENABLE_SECRET"), "fast_cli": True}
        if known_hosts:
            extras.update(ssh_strict=True, alt_host_keys=True, alt_key_file=known_hosts)
        if d.platform == "cisco_asa":
            extras["allow_auto_change"] = False
        hosts[d.name] = Host(
            name=d.name, hostname=d.address, port=d.ssh.port if d.ssh else 22, platform=d.platform,
            username="netcomply", password=secrets.get("NC_LAB_SSH_PASSWORD"),
            connection_options={"netmiko": ConnectionOptions(extras=extras)},
        )
    ConnectionPluginRegister.auto_register()  # what InitNornir does: makes the "netmiko" plugin available
    nr = Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                runner=ThreadedRunner(num_workers=workers))

    def collect(task: Task) -> Result:
        for command in COMMANDS[task.host.platform or ""]:
            task.run(task=netmiko_send_command, command_string=command, use_textfsm=True)
        return Result(host=task.host)

    t = time.perf_counter()
    result = nr.run(task=collect)
    elapsed = time.perf_counter() - t
    nr.close_connections()
    return {"seconds": round(elapsed, 2), "devices": len(devices), "failed": len(result.failed_hosts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=50)
    args = parser.parse_args()
    out: dict[str, Any] = {"scale": args.scale, "workers": args.workers}
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "lab"
        info = lab_up(state, scale=args.scale, with_services=False, ssh_port=42222, snmp_port=41161)
        try:
            inv = load_inventory(info.inventory)
            with Store.open(Path(tmp) / "bench.db") as store:
                t = time.perf_counter()
                _, outcome = run_audit(inv, store, AuditOptions(collectors=["cli_facts", "snmp_system"],
                                                                  concurrency=args.workers, operator="bench"))
                out["netcomply_audit"] = {"seconds": round(time.perf_counter() - t, 2), **outcome.summary,
                                          "ssh_devices": info.ssh_devices, "snmp_devices": info.snmp_devices}
                t = time.perf_counter()
                _, outcome = run_audit(inv, store, AuditOptions(collectors=["cli_facts"], concurrency=args.workers,
                                                                  operator="bench"))
                out["netcomply_ssh_only"] = {"seconds": round(time.perf_counter() - t, 2), "ok": outcome.ok,
                                             "failed": outcome.failed}
            ssh_devices = [d for d in inv.devices if d.platform in COMMANDS]
            secrets = SecretResolver.from_env_file(inv.env_file)
            out["nornir_netmiko_strict_host_keys"] = nornir_run(ssh_devices, secrets, args.workers,
                                                                str(info.known_hosts))
            out["nornir_netmiko_no_host_key_check"] = nornir_run(ssh_devices, secrets, args.workers, None)
            out["ratio_netcomply_ssh_vs_nornir_strict"] = round(
                out["netcomply_ssh_only"]["seconds"] / out["nornir_netmiko_strict_host_keys"]["seconds"], 2)
            out["ratio_netcomply_ssh_vs_nornir_unchecked"] = round(
                out["netcomply_ssh_only"]["seconds"] / out["nornir_netmiko_no_host_key_check"]["seconds"], 2)
        finally:
            lab_down(state)
    print(json.dumps({"bench_audit": out}, indent=2))


if __name__ == "__main__":
    main()
