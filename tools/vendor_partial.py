"""Partial answers: how far identification gets when a device answers only part of SNMP.

Why: an agency's audit often reaches a device only partly: an SNMP view without sysObjectID, a saved sysDescr, an
ENTITY row. Each corpus row is reduced to its sysDescr, ENTITY rows and own MACs (no sysObjectID, no private
enterprise subtrees or brand scalars, no engine id) and judged again; the figures say how often the device's own
words still name the right brand, and what ``prc_brand`` becomes for PRC-labelled gear.

Parts: ``tuned`` (LibreNMS recordings outside the held-out families), ``held-out`` (``corpus.holdout``),
``walks`` (the independent corpus) and ``blind`` (the blind corpus): aggregate figures only. ``--misses`` prints the
misses of the tuned part, never a row of the other parts.

Run: .venv/bin/python tools/vendor_partial.py [--json] [--misses [--prc-only]]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.vendor import corpus  # noqa: E402
from collectors.vendor.kb import KnowledgeBase, load_kb  # noqa: E402
from tools.toolmodule import load as load_tool  # noqa: E402

#: What a partial answer leaves out: everything read from the agent's numbers rather than its words.
NUMBERS = ("sys_object_id", "enterprises", "engine_id", "vendor_oids")


def partial(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row as a device answering only sysDescr, ENTITY and its MACs would leave it."""
    return {k: v for k, v in row.items() if k not in NUMBERS}


def measures(kb: KnowledgeBase, *, reduce: bool = True) -> dict[str, corpus.Measure]:
    """Each part's outcomes, rows reduced to their words (``reduce``) or whole."""
    shape = partial if reduce else dict
    lib = corpus.measure(kb, [shape(r) for r in corpus.load_rows()], corpus.load_labels())
    walk_rows, walk_labels = corpus.load_walks()
    blind = load_tool("vendor_corpus_blind")
    return {
        "tuned": corpus.Measure([o for o in lib.outcomes if not corpus.holdout(o.label.vendor)]),
        "held-out": corpus.Measure([o for o in lib.outcomes if corpus.holdout(o.label.vendor)]),
        "walks": corpus.measure_walks(kb, [shape(r) for r in walk_rows], walk_labels),
        "blind": corpus.measure_walks(kb, [shape(r) for r in blind.load_rows()], blind.load_labels()),
    }


def figures(m: corpus.Measure) -> dict[str, Any]:
    """Aggregate counts of one part: brand right, unknown, PRC-labelled rows judged yes / unknown / no, PRC wrong."""
    s = m.summary()
    prc = [o for o in m.labelled() if o.label.prc]
    return {"labelled": s["labelled"], "brand_right": s["brand_right"], "brand_accuracy": s["brand_accuracy"],
            "unknown": s["unknown"], "prc_wrong": s["prc_wrong"], "prc_labelled": len(prc),
            "prc_yes": sum(o.verdict.prc_brand is True for o in prc),
            "prc_unknown": sum(o.verdict.prc_brand is None for o in prc),
            "prc_no": sum(o.verdict.prc_brand is False for o in prc)}


def _line(name: str, f: Mapping[str, Any]) -> str:
    acc = f"{f['brand_accuracy']:.1%}" if f["brand_accuracy"] is not None else "-"
    return (f"{name:9} right {f['brand_right']:4}/{f['labelled']:<4} ({acc:>6})  unknown {f['unknown']:4}  "
            f"prc wrong {f['prc_wrong']}  | PRC-labelled {f['prc_labelled']}: yes {f['prc_yes']}, "
            f"unknown {f['prc_unknown']}, no {f['prc_no']}")


def _cell(text: object, width: int) -> str:
    return " ".join(str(text or "-").split())[:width]


def _entity(row: Mapping[str, Any]) -> str:
    rows = row.get("entity") or []
    return "; ".join(f"{e.get('mfg_name', '')}/{e.get('model_name', '')}/{e.get('descr', '')}".strip("/")
                     for e in rows[:1] if isinstance(e, Mapping))


def misses(outcomes: Iterable[corpus.Outcome], *, prc_only: bool = False) -> list[str]:
    """Lines for the tuned part's misses (the caller passes that part only)."""
    out = []
    for o in sorted(outcomes, key=lambda o: ((o.label.vendor or "").lower(), o.row["id"])):
        if o.label.vendor is None or (o.right and not (prc_only and o.verdict.prc_brand is not True)):
            continue
        if prc_only and not o.label.prc:
            continue
        out.append(f"{_cell(o.label.vendor, 14):14} {_cell(o.verdict.brand or '(unknown)', 16):16} "
                   f"{o.verdict.prc_state:7} {_cell(o.row.get('sys_descr'), 80):80} | {_cell(_entity(o.row), 50)} "
                   f"[{o.row['id']}]")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--whole", action="store_true", help="judge whole rows instead (the full-recording figures)")
    ap.add_argument("--misses", action="store_true", help="print the tuned part's misses (never other parts')")
    ap.add_argument("--prc-only", action="store_true", help="with --misses: PRC-labelled rows not judged PRC")
    args = ap.parse_args(argv)
    parts = measures(load_kb(), reduce=not args.whole)
    if args.misses:
        lines = misses(parts["tuned"].outcomes, prc_only=args.prc_only)
        print("\n".join(lines))
        print(f"\n{len(lines)} rows of the tuned part")
        return 0
    figs = {name: figures(m) for name, m in parts.items()}
    if args.json:
        print(json.dumps(figs, indent=1))
    else:
        for name, f in figs.items():
            print(_line(name, f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
