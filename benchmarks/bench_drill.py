"""Drill reports at scale: >= 100,000 GoPhish events ingested from CSV and reported (HTML + JSON).

Plain script, prints one JSON object: the sizes, wall time per stage, and peak memory (max RSS of the process,
which includes the interpreter; and the generator's share measured before the timed stages).

    .venv/bin/python benchmarks/bench_drill.py [--events 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("NETCOMPLY_DRILL_KEY", "benchmark-key-0123456789abcdef")

    from collectors.drill.ingest import load_drill
    from collectors.drill.roster import load_roster
    from collectors.drill.synth import generate
    from compliance.drill.config import load_thresholds
    from compliance.drill.privacy import Pseudonymiser, load_key
    from netcomply.app.pipelines.drill import run
    from reports.drill.render import html, write_json

    # Busy drill: ~2.4 events per person, so the event count is reached with a city-sized staff.
    people = max(100, int(args.events / 2.35))
    synth = generate(args.seed, people=people, departments=max(53, people // 150), p_open=0.35, p_click=0.2,
                     p_report=0.25, p_bot=0.05)
    while synth.events < args.events:
        people = int(people * args.events / synth.events) + 50
        synth = generate(args.seed, people=people, departments=max(53, people // 150), p_open=0.35, p_click=0.2,
                         p_report=0.25, p_bot=0.05)
    rss_after_generate = _rss_mib()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, text in (("results.csv", synth.results_csv), ("events.csv", synth.events_csv),
                           ("hr.csv", synth.roster_csv)):
            (d / name).write_text(text, encoding="utf-8")
        sizes = {p.name: p.stat().st_size for p in d.iterdir()}
        del synth
        t0 = time.perf_counter()
        drill = load_drill([d / "results.csv", d / "events.csv"])
        roster = load_roster(d / "hr.csv")
        t1 = time.perf_counter()
        result = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=roster)
        t2 = time.perf_counter()
        page = html(result.document, "zh-TW")
        (d / "report.html").write_text(page, encoding="utf-8")
        write_json(result.document, d / "report.json")
        t3 = time.perf_counter()
        out_sizes = {p.name: p.stat().st_size for p in d.iterdir() if p.name.startswith("report")}
    doc = result.document
    print(json.dumps({
        "benchmark": "drill_report",
        "python": sys.version.split()[0],
        "events": len(drill.events),
        "people": len(drill.targets),
        "departments": doc["department_count"],
        "bot_events_discounted": len(doc["bot_events"]),
        "input_bytes": sizes,
        "output_bytes": out_sizes,
        "seconds": {"ingest": round(t1 - t0, 3), "analyse": round(t2 - t1, 3), "render_html_json": round(t3 - t2, 3),
                    "total": round(t3 - t0, 3)},
        "events_per_second": round(len(drill.events) / (t3 - t0)),
        "peak_rss_mib": round(_rss_mib(), 1),
        "rss_after_generating_input_mib": round(rss_after_generate, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
