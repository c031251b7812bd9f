"""Where, in the whole LibreNMS recording, a missed device names its maker: the limit of what identification can do.

Why: the corpus rows keep only the objects netcomply reads. When a device is missed, the question that decides what
to do next is whether its answers name the maker anywhere at all (then reading another object, or a better rule,
would find it) or nowhere (an OEM or white-label product whose every answer names someone else: the chip maker's
reference agent, the ODM's enterprise number, net-snmp on Linux; no rule can name its brand without naming it for
every other product built the same way). This tool reads each missed row's whole ``.snmprec`` from a LibreNMS git
directory and reports, per MIB area, in how many of them any name the label accepts appears (``name_key`` words,
hex-encoded strings decoded).

Parts as in ``tools/vendor_partial.py``: ``tuned`` may be listed row by row (``--rows``); ``held-out`` is counted
only, never listed (its misses stay unread).

Run: .venv/bin/python tools/vendor_miss_traces.py [--part tuned|held-out] [--rows] [--git-dir DIR] [--commit C]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors.vendor import corpus
from collectors.vendor.kb import load_kb
from collectors.vendor.pen import name_key
from collectors.vendor.recordings import decode, read_text
from netcomply.errors import InputError
from tools.toolmodule import load as load_tool

#: The LibreNMS tree ``librenms.jsonl`` was built from (tests/vendor/corpus/SOURCES).
COMMIT = "4ab87302fab931133343754d0c9b3ffe5ec278bc"
GIT_DIR = "/work/.mirror/Jellyfrog+librenms/repo"
#: MIB areas by OID prefix, most specific first.
AREAS = (("1.3.6.1.2.1.1.9.", "sysORTable"), ("1.3.6.1.2.1.1.1.", "sysDescr"), ("1.3.6.1.2.1.1.4.", "sysContact"),
         ("1.3.6.1.2.1.1.5.", "sysName"), ("1.3.6.1.2.1.1.6.", "sysLocation"), ("1.3.6.1.2.1.1.", "system"),
         ("1.3.6.1.2.1.25.", "HOST-RESOURCES"), ("1.3.6.1.2.1.47.", "ENTITY"), ("1.0.8802.", "LLDP"),
         ("1.3.6.1.2.1.2.", "interfaces"), ("1.3.6.1.2.1.31.", "IF-MIB ifX"), ("1.3.6.1.2.1.", "other MIB-2"),
         ("1.3.6.1.4.1.", "private"))


def area(oid: str) -> str:
    """The MIB area an OID lies in (``other`` outside the listed ones)."""
    bare = oid.lstrip(".") + "."
    return next((name for prefix, name in AREAS if bare.startswith(prefix)), "other")


def _words(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return f" {name_key(str(value))} "


def traces(objects: Iterable[tuple[str, Any, str]], accept: Iterable[str]) -> set[str]:
    """The MIB areas whose values name any of ``accept`` as whole words (a name of fewer than 3 characters is too
    short to tell from other words and is not looked for)."""
    keys = [f" {k} " for k in (name_key(a) for a in accept) if len(k) >= 3]
    return {area(oid) for oid, value, _ in objects if any(k in _words(value) for k in keys)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("tuned", "held-out"), default="tuned")
    ap.add_argument("--rows", action="store_true", help="list the tuned part's misses one by one")
    ap.add_argument("--git-dir", default=GIT_DIR, help="a LibreNMS git directory holding --commit")
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args(argv)
    held = args.part == "held-out"
    m = corpus.measure(load_kb(), corpus.load_rows(), corpus.load_labels())
    misses = [o for o in m.labelled() if not o.right and corpus.holdout(o.label.vendor) == held]
    blobs = load_tool("vendor_corpus")._blobs(args.git_dir, args.commit, [str(o.row["path"]) for o in misses])
    found: Counter[tuple[str, ...]] = Counter()
    missing = 0
    for o in misses:
        blob = blobs.get(str(o.row["path"]))
        text = decode(blob) if blob is not None else None
        try:
            where = tuple(sorted(traces(read_text(text, str(o.row["path"])).objects, o.label.accept))) if text else None
        except InputError:
            where = None
        if where is None:
            missing += 1
            continue
        found[where] += 1
        if args.rows and not held:
            print(f"{o.row['id']:45} {o.label.vendor:18} {', '.join(where) or '-'}")
    total = sum(found.values())
    print(f"{args.part}: {total} misses read whole ({missing} not readable at {args.commit[:12]}); "
          f"the label's maker named nowhere in {found[()]}")
    for where, n in found.most_common():
        if where:
            print(f"  {n:3}  named in {', '.join(where)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
