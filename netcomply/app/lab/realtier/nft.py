"""Load the lab's nftables rule sets into the firewall namespace (and nowhere else).

The only way this module runs ``nft`` is through ``ip netns exec <the tier's namespace>``: there is no code
path that could load a lab rule set into the host's own ruleset.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from netcomply.app.lab.realtier.netns import ns_exec, run

NFT = "nft"
RULESET_DIR = Path(__file__).resolve().parent.parent / "data" / "nftables"


def ruleset_files(directory: Path = RULESET_DIR) -> list[Path]:
    """The lab's rule sets, in load order (file name order)."""
    return sorted(directory.glob("*.nft"))


def load(namespace: str, files: list[Path]) -> None:
    """Check every file first (``nft -c``), then load them; a broken file loads nothing."""
    for file in files:
        run(ns_exec(namespace, [NFT, "-c", "-f", str(file)]))
    for file in files:
        run(ns_exec(namespace, [NFT, "-f", str(file)]))


def list_ruleset(namespace: str) -> dict[str, Any]:
    """``nft -j list ruleset`` of the namespace, parsed (libnftables JSON)."""
    result: dict[str, Any] = json.loads(run(ns_exec(namespace, [NFT, "-j", "list", "ruleset"])).stdout)
    return result
