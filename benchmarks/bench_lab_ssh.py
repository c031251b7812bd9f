"""Benchmark the simulated SSH devices: start N devices in one process, then netmiko sessions against them.

Prints one JSON object:
  devices, start_seconds (process start until every device listens), rss_mib (the simulator process),
  sessions, threads, sessions_per_second per platform mix (connect + `show version` + disconnect), errors.

    .venv/bin/python benchmarks/bench_lab_ssh.py [--devices 1000] [--sessions 500] [--threads 50]

The simulator runs in its own process (as `lab up` runs it), so netmiko's threads and the server do not share
one interpreter lock.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml
from netmiko import ConnectHandler

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netcomply.app.lab.sshsim import profiles_from_topology  # noqa: E402

ENABLE = "bench-enable"
VERSION_COMMAND = {"cisco_ios": "show version", "cisco_asa": "show version", "huawei": "display version",
                   "hp_comware": "display version", "juniper_junos": "show version",
                   "fortinet": "get system status"}


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _session(target: tuple[str, str, int, str, str]) -> str | None:
    platform, host, port, user, password = target
    try:
        with ConnectHandler(device_type=platform, host=host, port=port, username=user, password=password,
                            secret=ENABLE, fast_cli=True, conn_timeout=20, auth_timeout=20, banner_timeout=20) as conn:
            if not conn.send_command(VERSION_COMMAND[platform]):
                return "empty output"
    except Exception as exc:  # a benchmark counts failures, it does not stop on them
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def _rate(targets: list[tuple[str, str, int, str, str]], threads: int) -> dict[str, Any]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        errors = [e for e in pool.map(_session, targets) if e]
    seconds = time.perf_counter() - start
    return {"sessions": len(targets), "seconds": round(seconds, 2),
            "sessions_per_second": round(len(targets) / seconds, 1), "errors": len(errors),
            "first_errors": errors[:3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--sessions", type=int, default=500)
    ap.add_argument("--threads", type=int, default=50)
    ap.add_argument("--port", type=int, default=2299, help="one port on every 127.1.x.y address")
    args = ap.parse_args()

    topology = yaml.safe_load((REPO / "netcomply/app/lab/data/city.yaml").read_text())
    password = "bench-pw"
    profiles = profiles_from_topology(topology, scale=args.devices, port=args.port, password=password,
                                      enable_secret=ENABLE)
    with tempfile.TemporaryDirectory(prefix="bench-sshsim-") as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "profiles.json").write_text(json.dumps([p.to_dict() for p in profiles]))
        keys = tmpdir / "keys"
        subprocess.run([sys.executable, "-c", "from pathlib import Path; import sys;"
                        "from netcomply.app.lab.sshsim.hostkeys import load_pool; load_pool(Path(sys.argv[1]))",
                        str(keys)], cwd=REPO, check=True)  # keys are made once per key dir, not per start
        ready = tmpdir / "ready.json"
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "netcomply.app.lab.sshsim", "--profiles",
                                 str(tmpdir / "profiles.json"), "--host-keys", str(keys), "--ready-file",
                                 str(ready)], cwd=REPO, stderr=subprocess.PIPE, text=True)
        try:
            while not ready.exists():
                if proc.poll() is not None:
                    raise SystemExit(f"simulator exited: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.02)
            start_seconds = time.perf_counter() - start
            rss_idle = _rss_mib(proc.pid)
            by_platform: dict[str, list[tuple[str, str, int, str, str]]] = {}
            for p in profiles:
                by_platform.setdefault(p.platform, []).append((p.platform, p.address, p.port, p.username,
                                                                password))
            ios = by_platform["cisco_ios"]
            ios_targets = [ios[i % len(ios)] for i in range(args.sessions)]
            mixed = [(p.platform, p.address, p.port, p.username, password) for p in profiles]
            mixed_targets = [mixed[i % len(mixed)] for i in range(args.sessions)]
            result = {
                "devices": args.devices,
                "start_seconds": round(start_seconds, 2),
                "rss_mib_idle": round(rss_idle, 1),
                "threads": args.threads,
                "cisco_ios": _rate(ios_targets, args.threads),
                "mixed_platforms": _rate(mixed_targets, args.threads),
                "rss_mib_after": round(_rss_mib(proc.pid), 1),
                "cpu_count": os.cpu_count(),
            }
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
