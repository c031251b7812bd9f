"""``python -m netcomply.app.lab.realtier up|down|status --state-dir DIR`` for ``netcomply lab up`` and for humans.

``up`` prints the SSH target as JSON (and writes it to ``DIR/realtier/target.json``); ``down`` removes whatever
the state dir records, also after a crash; both exit 3 with the reason when the machine cannot run the tier.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from netcomply.app.lab.realtier.tier import STATE_SUBDIR, RealTier


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m netcomply.app.lab.realtier", description=__doc__.splitlines()[0])
    p.add_argument("action", choices=("up", "down", "status"))
    p.add_argument("--state-dir", required=True, type=Path)
    args = p.parse_args(argv)
    ok, reason = RealTier.available()
    if args.action == "status":
        print(json.dumps({"available": ok, "reason": reason}))
        return 0 if ok else 3
    if not ok:
        print(f"error: {reason}", file=sys.stderr)
        return 3
    if args.action == "down":
        removed = RealTier.down_from_state(args.state_dir)
        print("removed" if removed else "nothing to remove")
        return 0
    tier = RealTier.up(args.state_dir)
    target = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(tier.ssh_target).items()}
    target.update(lab_id=tier.names.lab_id, client_namespace=tier.names.client_ns,
                  firewall_namespace=tier.names.firewall_ns)
    text = json.dumps(target, indent=2)
    (args.state_dir / STATE_SUBDIR / "target.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
