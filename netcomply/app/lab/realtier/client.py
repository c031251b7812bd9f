"""The client that runs *inside* the tier's client namespace: ``ip netns exec NS python -m ...client``.

It logs into a Linux target with netmiko (device_type ``linux``), host key verified against a known_hosts file
(never auto-added), sends only commands the read-only guard allows, and prints one JSON object on stdout:
``{"ok": true, "prompt": ..., "outputs": {command: text}}`` or ``{"ok": false, "error": ..., "cause": ...}``
(exit status 1). The target must lie in the lab's own prefixes: a typo cannot send a probe off the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from netcomply.app.lab.realtier.names import LAB_PREFIX4, LAB_PREFIX6
from netcomply.errors import ReadOnlyViolation, TargetNotAllowed
from netcomply.safety.readonly import check_commands
from netcomply.safety.targets import TargetPolicy

LAB_POLICY = TargetPolicy.of([str(LAB_PREFIX4), str(LAB_PREFIX6)], reason="not in the real tier's prefixes")


def collect(host: str, port: int, user: str, key_file: str, known_hosts: str, commands: list[str],
            timeout: float = 15.0) -> dict[str, Any]:
    """Log in, run ``commands`` (each checked by the read-only guard first), return prompt and outputs."""
    from netmiko import ConnectHandler  # imported here: the module's --help must work without netmiko's cost

    LAB_POLICY.check(host)
    check_commands(commands, "linux")
    outputs: dict[str, str] = {}
    with ConnectHandler(device_type="linux", host=host, port=port, username=user, use_keys=True,
                        key_file=key_file, allow_agent=False, ssh_strict=True, system_host_keys=False,
                        alt_host_keys=True, alt_key_file=known_hosts, conn_timeout=timeout,
                        auth_timeout=timeout, banner_timeout=timeout) as conn:
        prompt = conn.find_prompt()
        for command in commands:
            outputs[command] = str(conn.send_command(command, read_timeout=timeout))
    return {"ok": True, "prompt": prompt, "outputs": outputs}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m netcomply.app.lab.realtier.client", description=__doc__.splitlines()[0])
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=22)
    p.add_argument("--user", default="root")
    p.add_argument("--key", required=True)
    p.add_argument("--known-hosts", required=True)
    p.add_argument("--command", action="append", default=[], dest="commands")
    args = p.parse_args(argv)
    try:
        result = collect(args.host, args.port, args.user, args.key, args.known_hosts, args.commands)
    except (ReadOnlyViolation, TargetNotAllowed) as exc:
        result = {"ok": False, "error": type(exc).__name__, "cause": str(exc)}
    except Exception as exc:  # reported as data: the caller classifies it (auth, host key, timeout ...)
        result = {"ok": False, "error": type(exc).__name__, "cause": str(exc)}
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
