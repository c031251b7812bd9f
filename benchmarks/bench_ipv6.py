"""IPv6 service checks: N services (default 500) checked concurrently against the lab's services, wall time.

Workload: the lab services in scale mode (``scale_scenario``: the packaged scenario plus N generated services --
one DNS and one mail service per sub-zone and web aliases cycling over the lab's web hosts, so the verdicts are
mixed: AAAA without a listener, IPv4-only name servers and MX hosts, broken TLS over IPv6, stale IPv6 content),
served on free ports of 127.0.0.1 / ::1 by ``python -m netcomply.app.lab.services --scale N`` (its own process);
the checker resolves every name through the lab resolver and
probes DNS (UDP+TCP), HTTP, HTTPS and SMTP (banner, EHLO, STARTTLS) over both families. Timed: the whole
``check_services`` call, then judging every result. Verdicts are compared with the lab's truth (a benchmark whose
answers are wrong measures nothing).

Prints JSON. Run: .venv/bin/python benchmarks/bench_ipv6.py [--services 500] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from collectors.ipv6.service_pass import check_services
from compliance.ipv6_readiness import load_rules, service_verdict
from compliance.thresholds import load_thresholds
from netcomply.app.lab.services import load_scenario
from netcomply.app.lab.services.scenario import scale_scenario
from netcomply.models import Service


def _start_lab(state: Path, services: int) -> subprocess.Popen[bytes]:
    """The services in their own process (as ``lab up`` runs them), so server work is not counted as ours."""
    ready = state / "ready"
    proc = subprocess.Popen([sys.executable, "-m", "netcomply.app.lab.services", "--state-dir", str(state),
                             "--ready-file", str(ready), "--auto-ports", "--scale", str(services)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"lab services did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    return proc


def _services(state: dict, scenario: dict) -> list[Service]:
    ports = {h: e["ports"] for h, e in state["endpoints"].items()}
    out = []
    for svc in scenario["services"]:
        hosts = {h["host"]: ports[h["host"]] for h in state["truth"][f"{svc['kind']}:{svc['name']}"]["hosts"]}
        if svc["kind"] == "web":
            hosts[svc["name"]] = next(iter(hosts.values()))
        out.append(Service(name=svc["name"], kind=svc["kind"], agency="bench", phase=1, endpoints={
            "resolver": f"[::1]:{state['dns_port']}", "hosts": hosts, "ca_file": state["ca_file"]}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--services", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=100)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ipv6-") as tmp:
        proc = _start_lab(Path(tmp), args.services)
        try:
            state = json.loads((Path(tmp) / "services.json").read_text(encoding="utf-8"))
            services = _services(state, scale_scenario(load_scenario(), args.services))
            t0 = time.perf_counter()
            results = asyncio.run(check_services(services, concurrency=args.concurrency))
            check_s = time.perf_counter() - t0
            rules = load_rules(load_thresholds())
            t1 = time.perf_counter()
            verdicts = {r.device: service_verdict(r.observations[0].data, rules) for r in results if r.observations}
            judge_s = time.perf_counter() - t1
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    truth = state["truth"]
    wrong = sorted(k for k, v in verdicts.items() if v.ready != truth[k]["ipv6_ready"])
    probes = sum(len(json.loads(r.artifacts[0].content)) for r in results if r.artifacts)
    print(json.dumps({
        "benchmark": "ipv6_services",
        "services": len(services),
        "concurrency": args.concurrency,
        "check_seconds": round(check_s, 2),
        "services_per_second": round(len(services) / check_s, 1),
        "probes": probes,
        "judge_seconds": round(judge_s, 3),
        "errors": sum(r.status.value == "error" for r in results),
        "ready": sum(v.ready for v in verdicts.values()),
        "verdicts_wrong": len(wrong),
        "wrong_examples": wrong[:5],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }, indent=2))


if __name__ == "__main__":
    main()
