"""Audit report speed and memory: build and write the report (report.json, HTML in zh-TW and English, XLSX) of a
1,000-device run, and the zh-TW PDF separately (it is by far the slowest format).

Workload: one run with N devices (default 1,000) across three agencies: each switch answers SSH (``show version``
facts and a redacted running configuration, two artifacts) and SNMP (system group), every 25th device refuses
the login. Written into a temporary SQLite store through the Store API and judged by the real compliance checks
(so findings, control mappings and report sections are the ones an audit gives). Only the report is timed.

Prints JSON. Run: .venv/bin/python benchmarks/bench_report.py [--devices 1000] [--no-pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from compliance.judge import judge_run
from netcomply.errors import ErrorClass
from netcomply.models import Device, DeviceResult, DeviceStatus, Observation, Run, RunStatus
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store
from reports.audit import build_report, write_report

T0 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)
AGENCIES = ("city-gov", "edu-bureau", "district")


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def populate(store: Store, devices: int) -> tuple[str, dict[str, Device]]:
    run = store.create_run(Run(id="20261101T010000Z-bench", started_at=T0, operator="bench", tool_version="bench",
                               parameters={"collectors": ["cli_facts", "running_config", "snmp_system"]}))
    inventory: dict[str, Device] = {}
    for i in range(devices):
        name = f"sw{i:05d}"
        agency = AGENCIES[i % len(AGENCIES)]
        inventory[name] = Device(name=name, address=f"198.51.100.{i % 250 + 1}", platform="cisco_ios", role="switch",
                                 site=f"site-{i % 40:02d}", agency=agency, level="A" if agency == "city-gov" else "C")
        at = T0 + timedelta(milliseconds=i)
        if i % 25 == 24:
            store.record_device_result(run.id, DeviceResult(
                name, "cli_facts", DeviceStatus.ERROR, at, at + timedelta(seconds=1),
                error_class=ErrorClass.AUTH_FAILED, cause="SSH login refused (wrong username, password or key)"))
            continue
        version = capture_artifact(name, "cli_facts", "ssh:show version",
                                   f"Cisco IOS XE Software, Version 17.9.4a\n{name} uptime is 3 weeks\n"
                                   f"cisco C9300-48P (X86) processor\nProcessor board ID FOC24{i:05d}\n",
                                   collected_at=at)
        config = capture_artifact(name, "running_config", "ssh:show running-config",
                                  f"hostname {name}\nsnmp-server community s3cret{i} RO\n"
                                  + "".join(f"interface Gi1/0/{p}\n description port {p}\n" for p in range(24)),
                                  collected_at=at)
        walk = capture_artifact(name, "snmp_system", "snmp:system", f"sysName.0 = {name}\n", collected_at=at)
        store.record_device_result(run.id, DeviceResult(
            name, "cli_facts", DeviceStatus.OK, at, at + timedelta(seconds=1), artifacts=[version],
            observations=[Observation(name, "cli_facts", "device.cli_facts",
                                      {"platform": "cisco_ios", "hostname": name, "model": "C9300-48P",
                                       "serial": f"FOC24{i:05d}", "os_version": "17.9.4a"},
                                      "ssh:show version", collected_at=at, artifacts=[version.sha256])]))
        store.record_device_result(run.id, DeviceResult(
            name, "running_config", DeviceStatus.OK, at, at + timedelta(seconds=2), artifacts=[config],
            observations=[Observation(name, "running_config", "device.config",
                                      {"platform": "cisco_ios", "command": "show running-config", "lines": 50,
                                       "bytes": len(config.content), "sha256": config.sha256, "redactions": 1},
                                      "ssh:show running-config", collected_at=at, artifacts=[config.sha256])]))
        store.record_device_result(run.id, DeviceResult(
            name, "snmp_system", DeviceStatus.OK, at, at + timedelta(seconds=1), artifacts=[walk],
            observations=[Observation(name, "snmp_system", "device.snmp_system",
                                      {"sys_descr": "Cisco IOS Software, C9300", "sys_name": name,
                                       "sys_object_id": "1.3.6.1.4.1.9.1.2494", "enterprise": 9, "entity": []},
                                      "snmp:system+entPhysicalTable", collected_at=at, artifacts=[walk.sha256])]))
    store.finish_run(run.id, RunStatus.PARTIAL, finished_at=T0 + timedelta(minutes=5))
    return run.id, inventory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--no-pdf", action="store_true", help="Skip the PDF (the slowest part).")
    args = parser.parse_args()
    figures: dict[str, object] = {"benchmark": "audit_report", "devices": args.devices}
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        base = Path(tmp)
        with Store.open(base / "store.db") as store:
            t0 = time.perf_counter()
            run_id, devices = populate(store, args.devices)
            findings = judge_run(store, run_id, data={"devices": devices})
            figures["populate_and_judge_s"] = round(time.perf_counter() - t0, 3)
            figures["findings"] = len(findings)
            figures["rss_before_report_mib"] = peak_rss_mib()
            t0 = time.perf_counter()
            report = build_report(store, [run_id])
            figures["build_s"] = round(time.perf_counter() - t0, 3)
        out = base / "out"
        timings: dict[str, float] = {}
        for fmt, langs in (("json", ["zh-TW"]), ("html", ["zh-TW", "en"]), ("xlsx", ["zh-TW"])):
            t0 = time.perf_counter()
            files = write_report(report, out, langs=langs, formats=[fmt])
            timings[fmt] = round(time.perf_counter() - t0, 3)
            for path in files:
                figures[f"{path.name}_bytes"] = path.stat().st_size
        figures["write_s"] = timings
        figures["json_html_xlsx_total_s"] = round(figures["build_s"] + sum(timings.values()), 3)  # type: ignore[operator]
        figures["peak_rss_mib"] = peak_rss_mib()
        if not args.no_pdf:
            t0 = time.perf_counter()
            pdf = write_report(report, out, langs=["zh-TW"], formats=["pdf"])[0]
            figures["pdf_s"] = round(time.perf_counter() - t0, 3)
            figures["pdf_bytes"] = pdf.stat().st_size
            from pypdf import PdfReader

            figures["pdf_pages"] = len(PdfReader(pdf).pages)
            figures["peak_rss_with_pdf_mib"] = peak_rss_mib()
    figures.update({"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg_1m": round(os.getloadavg()[0], 2)})
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
