"""`netcomply lab up --scale 1000`: time to a usable lab (SSH and SNMP answering, inventory written), and `lab down`.

Prints JSON. Every `lab up` builds snmpsim's index anew (each lab gets fresh random SNMP communities, so the
recordings change), which is most of the time.
Ports are offset from the defaults so a developer's own lab can keep running.
Run: .venv/bin/python benchmarks/bench_lab_up.py [--scale 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from netcomply.app.lab.manager import lab_down, lab_up


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1000)
    args = parser.parse_args()
    results: dict[str, object] = {"scale": args.scale}
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "lab"
        for label in ("first", "second"):
            t = time.perf_counter()
            info = lab_up(state, scale=args.scale, with_services=False, ssh_port=32222, snmp_port=31161)
            up = time.perf_counter() - t
            t = time.perf_counter()
            lab_down(state)
            down = time.perf_counter() - t
            results[label] = {"lab_up_s": round(up, 2), "lab_down_s": round(down, 2), "devices": info.devices,
                              "ssh_devices": info.ssh_devices, "snmp_devices": info.snmp_devices}
    print(json.dumps({"bench_lab_up": results}, indent=2))


if __name__ == "__main__":
    main()
