"""``python -m netcomply.app.lab.services``: serve the lab's IPv6 services until SIGTERM or SIGINT.

``netcomply lab up`` starts this in the background and waits for the ready file, which is written only once
every server listens (after ``services.json`` with the endpoints), so a caller never races a half-started lab.
On SIGTERM the servers stop, and the ready file is removed so a stale one never claims a dead lab is up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from netcomply.app.lab.services.runtime import start_services
from netcomply.app.lab.services.scenario import load_scenario, scale_scenario
from netcomply.errors import InputError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m netcomply.app.lab.services", description=__doc__.splitlines()[0])
    p.add_argument("--state-dir", required=True, type=Path, help="where the CA, keys and services.json go")
    p.add_argument("--ready-file", type=Path, help="written when every service listens")
    p.add_argument("--scenario", type=Path, help="scenario YAML (default: the packaged services.yaml)")
    p.add_argument("--host4", default="127.0.0.1")
    p.add_argument("--host6", default="::1")
    p.add_argument("--auto-ports", action="store_true", help="pick free ports instead of the scenario's")
    p.add_argument("--scale", type=int, metavar="N", help="serve N generated services (benchmarks) instead")
    return p


async def _serve(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    if args.scale:
        scenario = scale_scenario(scenario, args.scale)
    services = await start_services(scenario, args.state_dir, host4=args.host4,
                                    host6=args.host6, auto_ports=args.auto_ports)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        endpoints = services.write_json()
        if args.ready_file:
            tmp = args.ready_file.with_name(args.ready_file.name + ".tmp")
            tmp.write_text(f"{os.getpid()}\n{endpoints}\n", encoding="utf-8")
            os.replace(tmp, args.ready_file)
        logging.info("lab services ready: DNS on port %d, %d endpoints", services.dns_port,
                     len(services.endpoints))
        await stop.wait()
    finally:
        if args.ready_file:
            with contextlib.suppress(FileNotFoundError):
                args.ready_file.unlink()
        await services.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_serve(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
