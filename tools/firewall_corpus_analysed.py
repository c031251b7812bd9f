"""The issue-17 goal figure on the firewall corpus: the share of files holding rules that are *analysed* (at least
one rule parsed, exactly or as an honest approximation), per platform and overall, and why each other file is not.

Run: ``.venv/bin/python tools/firewall_corpus_analysed.py`` (prints JSON; reads tests/firewall/corpus/manifest.json).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.firewall.parsers import parse_text  # noqa: E402


def main() -> None:
    folder = ROOT / "tests" / "firewall" / "corpus"
    manifest = json.loads((folder / "manifest.json").read_text())["files"]
    per: dict[str, dict[str, Any]] = {}
    missed: list[dict[str, Any]] = []
    for e in manifest:
        sets = parse_text((folder / "files" / e["file"]).read_text(), None, e["file"])
        rules = [r for rs in sets for r in rs.rules]
        p = per.setdefault(e["platform"], {"files": 0, "analysed": 0, "rules": 0, "exact": 0, "approximate": 0,
                                           "unparsed": 0})
        p["files"] += 1
        ok = any(r.status != "unparsed" for r in rules)
        p["analysed"] += ok
        p["rules"] += len(rules)
        for r in rules:
            p[str(r.status)] += 1
        if not ok:
            missed.append({"file": e["file"], "platform": e["platform"],
                           "reasons": sorted({r.reason or "" for r in rules})})
    for p in per.values():
        p["analysed_pct"] = round(100 * p["analysed"] / p["files"], 1)
    files = sum(p["files"] for p in per.values())
    analysed = sum(p["analysed"] for p in per.values())
    print(json.dumps({"files": files, "analysed": analysed, "analysed_pct": round(100 * analysed / files, 1),
                      "per_platform": per, "not_analysed": missed}, indent=1))


if __name__ == "__main__":
    main()
