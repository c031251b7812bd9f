"""Screenshots of the demo's audit report for docs/reading-the-report.md: ``make screenshots``.

Runs ``netcomply demo`` (the lab, a full audit, the report) into a scratch folder, opens report.zh-TW.html and
report.en.html in headless Debian Chromium through Playwright (as tests/reports do) and writes one PNG per part
of the report to docs/img/ (``<lang>-<part>.png``). The guide names these files, so re-running the command after
the report changes refreshes every picture the guide shows. ``--report-dir DIR`` screenshots an existing
report instead of running the demo (faster while editing the guide).

Nothing here talks to any network but the lab's loopback: the report is opened from a file and Chromium runs
without background networking.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--font-render-hinting=none"]
WIDTH, HEIGHT = 1280, 900
MAX_HEIGHT = 1100  # a part taller than this is cut: the guide shows its beginning


@dataclass(frozen=True)
class Part:
    """A picture: from the top of ``start`` to the bottom of ``end`` (CSS selectors), at most MAX_HEIGHT."""

    name: str
    start: str
    end: str | None = None
    open_details: bool = False


PARTS = (
    Part("summary", "header#top", "#summary ul.nc-lines"),
    Part("charts", "#summary .nc-charts"),
    Part("duties-by-agency", "#duties-by-agency", "#duties-by-agency + p + table"),
    Part("sections", "#summary ~ section.nc-section"),
    Part("agencies", "#agencies"),
    Part("devices", "#devices"),
    Part("controls", "#controls"),
    Part("findings", "#findings", open_details=True),
)

BOX_JS = """([start, end]) => {
  const a = document.querySelector(start);
  if (!a) return null;
  const b = end ? document.querySelector(end) : a;
  if (!b) return null;
  const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
  return {x: 0, y: ra.top + window.scrollY, bottom: rb.bottom + window.scrollY};
}"""


def run_demo(work: Path) -> Path:
    """The demo's report folder. The demo uses its own lab ports; one retry covers a port still in TIME_WAIT
    from a demo that just ended."""
    cli = Path(sys.executable).with_name("netcomply")
    command = [str(cli), "demo", "--out", str(work), "--formats", "html,json", "--quiet"]
    for attempt in (1, 2):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode == 0 and (work / "report.zh-TW.html").is_file():
            return work
        print(f"netcomply demo failed (attempt {attempt}, exit {done.returncode}):\n{done.stderr[-2000:]}",
              file=sys.stderr)
    raise SystemExit(1)


def shoot(report_dir: Path, out_dir: Path, langs: tuple[str, ...]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1, locale="zh-TW")
        try:
            page = context.new_page()
            for lang in langs:
                html = report_dir / f"report.{lang}.html"
                if not html.is_file():
                    print(f"skipped {lang}: {html} does not exist", file=sys.stderr)
                    continue
                page.goto(html.as_uri(), wait_until="load")
                for part in PARTS:
                    written += _shot(page, part, out_dir / f"{lang}-{part.name}.png")
        finally:
            context.close()
    return written


def _shot(page: Any, part: Part, path: Path) -> list[Path]:
    if part.open_details:
        page.evaluate("() => document.querySelectorAll('#findings details').forEach(d => d.open = true)")
    box = page.evaluate(BOX_JS, [part.start, part.end])
    if box is None:
        print(f"skipped {path.name}: {part.start} is not in this report", file=sys.stderr)
        return []
    height = max(1, min(MAX_HEIGHT, int(box["bottom"] - box["y"]) + 16))
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": max(0, box["y"] - 8), "width": WIDTH, "height": height})
    return [path]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="Folder for the PNG files.")
    parser.add_argument("--report-dir", type=Path, help="Use this report folder instead of running the demo.")
    parser.add_argument("--keep", action="store_true", help="Keep the demo's folder (printed).")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian chromium (tools/system-deps.sh)", file=sys.stderr)
        return 2
    if args.report_dir is not None:
        files = shoot(args.report_dir, args.out, ("zh-TW", "en"))
    else:
        work = Path(tempfile.mkdtemp(prefix="netcomply-screenshots-"))
        try:
            files = shoot(run_demo(work), args.out, ("zh-TW", "en"))
        finally:
            if args.keep:
                print(f"demo output kept in {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    for path in files:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
