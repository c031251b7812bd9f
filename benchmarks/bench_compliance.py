"""Judging and evaluating a 1,000-device run with ~50,000 stored observations (offline, SQLite).

Builds the run once in a temporary store (1,000 devices x 50 observations: one ``device.config`` with its
artifact, identity facts and interface-like facts; 3 % of devices failed), then measures, each several times:

* ``judge``: every registered check over the stored run, findings replaced in the store;
* ``evaluate``: every control of every framework from the stored findings (230 controls incl. tw-cyber);
* ``soa``: the SoA model plus its XLSX and both HTML pages.

Prints JSON. Run: .venv/bin/python benchmarks/bench_compliance.py [--devices 1000] [--per-device 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from compliance.engine import evaluate_run
from compliance.judge import judge_run, load_checks
from compliance.soa import build_soa
from compliance.soa.decisions import Decisions
from compliance.soa.html import write_html
from compliance.soa.xlsx import write_xlsx
from netcomply.errors import ErrorClass
from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, RunStatus, utcnow
from netcomply.safety.redact import capture_artifact
from netcomply.store import Store, new_run_id


def build_run(store: Store, devices: int, per_device: int) -> str:
    run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="bench", tool_version="bench"))
    start = utcnow()
    end = start + timedelta(seconds=1)
    for n in range(devices):
        name = f"dev{n:04d}"
        if n % 33 == 0:  # ~3 % failed
            store.record_device_result(run.id, DeviceResult(name, "cli_facts", DeviceStatus.ERROR, start, end,
                                                            error_class=ErrorClass.TIMEOUT, cause="timed out"))
            continue
        config = capture_artifact(name, "running_config", "ssh:show running-config",
                                  f"hostname {name}\n" + "".join(f"interface Gi0/{i}\n shutdown\n" for i in range(48)))
        store.record_device_result(run.id, DeviceResult(
            name, "running_config", DeviceStatus.OK, start, end, artifacts=[config],
            observations=[Observation(name, "running_config", "device.config",
                                      {"platform": "cisco_ios", "lines": 97, "sha256": config.sha256},
                                      "ssh:show running-config", artifacts=[config.sha256])]))
        facts = capture_artifact(name, "cli_facts", "ssh:show version", f"Cisco IOS Software {name}")
        store.record_device_result(run.id, DeviceResult(
            name, "cli_facts", DeviceStatus.OK, start, end, artifacts=[facts],
            observations=[Observation(name, "cli_facts", "device.cli_facts" if i == 0 else "device.interface",
                                      {"hostname": name, "index": i, "vendor": "Cisco", "model": "C9300-48P"},
                                      "ssh:show version", artifacts=[facts.sha256])
                          for i in range(per_device - 1)]))
    store.finish_run(run.id, RunStatus.PARTIAL)
    return run.id


def timed(fn: Any, repeat: int) -> tuple[Any, list[float]]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--per-device", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checks = load_checks()
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        t0 = time.perf_counter()
        run_id = build_run(store, args.devices, args.per_device)
        build_s = time.perf_counter() - t0
        observations = sum(store.run_summary(run_id)["observations"].values())
        findings, judge_times = timed(lambda: judge_run(store, run_id), args.repeat)
        evaluation, eval_times = timed(lambda: evaluate_run(store, run_id, as_of=date.today()), args.repeat)

        def soa() -> None:
            statement = build_soa(evaluation, Decisions(), run_id=run_id)
            write_xlsx(statement, Path(tmp) / "soa.xlsx")
            for lang in ("zh-TW", "en"):
                write_html(statement, Path(tmp) / f"soa.{lang}.html", lang=lang)

        _, soa_times = timed(soa, args.repeat)
        print(json.dumps({
            "benchmark": "compliance judge + evaluate",
            "devices": args.devices, "observations": observations, "checks": sorted(checks),
            "findings": len(findings), "controls": len(evaluation.results),
            "summary": evaluation.summary(),
            "build_store_s": round(build_s, 2),
            "judge_s": {"median": round(statistics.median(judge_times), 3), "all": [round(t, 3) for t in judge_times]},
            "evaluate_s": {"median": round(statistics.median(eval_times), 3), "all": [round(t, 3) for t in eval_times]},
            "judge_plus_evaluate_s": round(statistics.median(judge_times) + statistics.median(eval_times), 3),
            "soa_xlsx_html_s": {"median": round(statistics.median(soa_times), 3)},
        }, indent=2))


if __name__ == "__main__":
    main()
