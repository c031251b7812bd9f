"""Verify runs in bounded memory on hostile packs: peak RSS measured in a fresh process (resource.getrusage).

The issue's case: a 2 MB pack with one 2 GiB member of zeros took 4.3 GB to verify, because every member was
read whole. Now sizes are judged on the ZIP header before anything is inflated, and content is hashed in chunks.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .zipbomb import GIB, MIB, bomb_pack, zeros_sha256

LIMIT_MIB = 200  # the bound for the 2 GiB bomb

# The child's own peak (VmHWM of its address space): ru_maxrss would carry the peak of a large parent (a full
# pytest run) across fork and exec, and fail the bound for memory verify never used.
VERIFY = """
import json, sys
from pathlib import Path
from reports.evidence import verify_pack
def peak_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmHWM in /proc/self/status")
imported = peak_mib()
result = verify_pack(sys.argv[1], public_key=Path(sys.argv[2]))
print(json.dumps({"ok": result.ok, "problems": [[p.member, p.kind] for p in result.problems],
                  "imported_rss_mib": imported, "max_rss_mib": peak_mib()}))
"""


def verify_in_subprocess(pack: Path, pub: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", VERIFY, str(pack), str(pub)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_listed_2gib_bomb_is_refused_by_its_declared_size(pack: Path, key: Path, pub: Path, tmp_path: Path) -> None:
    """Signed by the trusted key and listed with its true size: still never inflated (over the 1 GiB cap)."""
    bomb = tmp_path / "bomb.zip"
    name = bomb_pack(pack, bomb, key, size=2 * GIB, sha256="0" * 64)  # refused on the header: hash never read
    assert bomb.stat().st_size < 4 * MIB
    seen = verify_in_subprocess(bomb, pub)
    assert seen["max_rss_mib"] < LIMIT_MIB, seen
    assert not seen["ok"] and [name, "oversize"] in seen["problems"], seen


def test_unlisted_2gib_bomb_is_named_and_never_read(pack: Path, key: Path, pub: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    name = bomb_pack(pack, bomb, key, size=2 * GIB, sha256="1" * 64, listed=False)
    seen = verify_in_subprocess(bomb, pub)
    assert seen["max_rss_mib"] < LIMIT_MIB, seen
    assert not seen["ok"] and seen["problems"] == [[name, "extra"]], seen


def test_a_big_honest_member_is_hashed_in_chunks(pack: Path, key: Path, pub: Path, tmp_path: Path) -> None:
    """A 384 MiB member under the caps is verified for real, in far less memory than its size (peak RSS grows
    by less than 64 MiB over what the imports took)."""
    size = 384 * MIB
    big = tmp_path / "big.zip"
    bomb_pack(pack, big, key, size=size, sha256=zeros_sha256(size))
    seen = verify_in_subprocess(big, pub)
    assert seen["ok"] and not seen["problems"], seen
    assert seen["max_rss_mib"] - seen["imported_rss_mib"] < 64, seen
