"""Process entry point: serve the lab's SSH devices until SIGTERM.

``python -m netcomply.app.lab.sshsim --profiles FILE.json --host-keys DIR --ready-file PATH``

FILE.json is a list of :class:`DeviceProfile` dicts (``DeviceProfile.to_dict()``). The ready file is written
(atomically, with every device's endpoint and the known_hosts lines) only once every device listens, so
``lab up`` can wait for it. A taken port ends the process with exit code 3 and a one-line message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from netcomply.app.lab.sshsim.profile import DeviceProfile
from netcomply.app.lab.sshsim.server import LabPortInUse, SshLab

EXIT_PORT_IN_USE = 3
EXIT_BAD_INPUT = 2


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m netcomply.app.lab.sshsim", description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", required=True, type=Path, help="JSON list of device profiles")
    ap.add_argument("--host-keys", required=True, type=Path, help="directory of the lab's host keys")
    ap.add_argument("--ready-file", required=True, type=Path, help="written once every device listens")
    ap.add_argument("--known-hosts", type=Path, help="also write the lab's known_hosts here")
    return ap.parse_args(argv)


def _load_profiles(path: Path) -> list[DeviceProfile]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [DeviceProfile.from_dict(item) for item in raw]
    except (OSError, ValueError, TypeError) as exc:
        raise SystemExit(f"sshsim: cannot read profiles from {path}: {exc}") from None


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


async def _serve(args: argparse.Namespace) -> int:
    profiles = _load_profiles(args.profiles)
    try:
        lab = await SshLab.start(profiles, host_key_dir=args.host_keys)
    except LabPortInUse as exc:
        print(f"sshsim: {exc.strerror}", file=sys.stderr)
        return EXIT_PORT_IN_USE
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.known_hosts:
        lab.write_known_hosts(args.known_hosts)
    ready = {"pid": os.getpid(), "devices": {n: list(ep) for n, ep in lab.endpoints.items()},
             "known_hosts": lab.known_hosts_lines()}
    _write_atomic(args.ready_file, json.dumps(ready, indent=1))
    try:
        await stop.wait()
    finally:
        await lab.close()
        args.ready_file.unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        return asyncio.run(_serve(args))
    except ValueError as exc:
        print(f"sshsim: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
