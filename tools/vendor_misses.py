"""Print the corpus misses by cause: label vendor, netcomply's brand, the sysObjectID enterprise, its IANA
registrant and the head of sysDescr, grouped so a cause shows as one block (not one file at a time).

Run: .venv/bin/python tools/vendor_misses.py [--part tuned|held-out|all] [--unknown-only]
The default part is ``tuned``: the held-out vendor families (``corpus.holdout``) are measured, never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors.vendor import corpus
from collectors.vendor.kb import load_kb
from collectors.vendor.pen import load as load_registry


def _enterprise(oid: str | None) -> int | None:
    parts = (oid or "").lstrip(".").split(".")
    if parts[:6] == ["1", "3", "6", "1", "4", "1"] and len(parts) > 6 and parts[6].isdigit():
        return int(parts[6])
    return None


def _cell(text: object, width: int) -> str:
    return " ".join(str(text or "-").split())[:width]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=("tuned", "held-out", "all"), default="tuned")
    ap.add_argument("--unknown-only", action="store_true")
    args = ap.parse_args(argv)
    kb, reg = load_kb(), load_registry()
    m = corpus.measure(kb, corpus.load_rows(), corpus.load_labels())
    misses = []
    for o in m.labelled():
        held = corpus.holdout(o.label.vendor)
        if (args.part == "tuned" and held) or (args.part == "held-out" and not held) or o.right:
            continue
        if args.unknown_only and o.verdict.brand is not None:
            continue
        ent = _enterprise(o.row.get("sys_object_id"))
        misses.append((o.label.vendor or "", o.verdict.brand or "(unknown)", ent, reg.registrant(ent),
                       o.row.get("sys_descr"), o.row["id"]))
    misses.sort(key=lambda r: (r[0].lower(), r[1], r[2] or 0))
    print(f"{'label':14} {'our brand':18} {'ent':>6} {'registrant':28} sysDescr head / recording")
    for lab, brand, ent, registrant, descr, rid in misses:
        print(f"{_cell(lab, 14):14} {_cell(brand, 18):18} {ent or '-':>6} {_cell(registrant, 28):28} "
              f"{_cell(descr, 70)} [{rid}]")
    print(f"\n{len(misses)} misses; by label: {Counter(r[0] for r in misses).most_common(15)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
