"""Extract the brand -> NVD CPE vendor pairs that Rapid7 Recog's fingerprints state, as data netcomply ships.

Why: a CPE name only finds CVEs when its vendor string is NVD's own ("paloaltonetworks", not "palo_alto_networks"),
and no NVD dictionary is on the machines netcomply runs on. Recog's fingerprints carry ``os.cpe23`` / ``hw.cpe23`` /
``service.cpe23`` strings that its maintainers wrote in NVD's spelling beside the vendor name they print
(``os.vendor`` "Palo Alto Networks" -> ``cpe:/o:paloaltonetworks:pan-os``). This tool reads every Recog XML file,
collects those pairs, matches the printed vendor names to the knowledge base's brands (name or a plain-word alias),
and writes ``netcomply/vendor/data/cpe_recog.yaml`` (generated; the Recog commit named in it). Hand-written facts
(PRC brands, the OS rules) live beside it in ``cpe_names.yaml``.

Run::

    .venv/bin/python tools/vendor_cpe_names.py --git-dir /work/.mirror/rapid7+recog/repo [--commit HEAD]
    .venv/bin/python tools/vendor_cpe_names.py --xml-dir /path/to/recog/xml     # a checkout (.xml or .xml.gz)
    .venv/bin/python tools/vendor_cpe_names.py ... --check                     # exit 1 when the file is stale

A source that cannot be read is a clear error and exit code 2.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors.vendor import recog
from collectors.vendor.kb import load_kb
from netcomply.errors import InputError
from netcomply.vendor.cpe_rules import brand_key

OUT = Path(__file__).resolve().parents[1] / "netcomply" / "vendor" / "data" / "cpe_recog.yaml"
_CPE = re.compile(r"^cpe:/([aho]):([^:]+):([^:]+)")
_PREFIXES = ("os", "hw", "service")


def fingerprints(xml_text: str, source: str) -> Iterator[Mapping[str, str]]:
    """The literal params of each fingerprint (captured ones, ``pos`` > 0, are left out: they name no constant), read
    by the parser netcomply's Recog matcher uses (:func:`collectors.vendor.recog.parse`)."""
    try:
        database = recog.parse(xml_text, source, source)
    except InputError as exc:
        raise SystemExit(f"error: {source}: not Recog XML ({'; '.join(str(p) for p in exc.problems)})") from None
    for fp in database.fingerprints:
        if fp.constants:
            yield fp.constants


def pairs(params: Iterable[Mapping[str, str]]) -> Iterator[tuple[str, str, str, str]]:
    """``(printed vendor, cpe vendor, part, cpe product)`` for each fingerprint's prefix that states both."""
    for p in params:
        for prefix in _PREFIXES:
            m = _CPE.match(p.get(f"{prefix}.cpe23", ""))
            vendor = p.get(f"{prefix}.vendor", "")
            if m and vendor and "{" not in vendor and "{" not in m.group(2):
                yield vendor, m.group(2), m.group(1), m.group(3)


def read_git(git_dir: str, commit: str) -> tuple[str, list[tuple[str, str]]]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True,
                                  text=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            raise SystemExit(f"error: {git_dir}: cannot read the Recog repository ({exc})") from None
    sha = git("rev-parse", commit).strip()
    names = [n for n in git("ls-tree", "--name-only", sha, "xml/").split() if n.endswith(".xml")]
    return sha, [(n, git("show", f"{sha}:{n}")) for n in names]


def read_dir(xml_dir: Path) -> tuple[str, list[tuple[str, str]]]:
    files = sorted([*xml_dir.glob("*.xml"), *xml_dir.glob("*.xml.gz")])
    if not files:
        raise SystemExit(f"error: {xml_dir}: no Recog .xml or .xml.gz files")
    out = []
    for f in files:
        try:
            out.append((f.name, recog.read_file(f)))
        except InputError as exc:
            raise SystemExit(f"error: {'; '.join(str(p) for p in exc.problems)}") from None
    source = (xml_dir / "SOURCE").read_text(encoding="utf-8") if (xml_dir / "SOURCE").exists() else ""
    m = re.search(r"commit: ([0-9a-f]{40})", source)
    return (m.group(1) if m else "unknown"), out


def brand_keys() -> dict[str, str]:
    """Normalised brand name or plain-word alias -> the knowledge base's brand name."""
    keys: dict[str, str] = {}
    for name, brand in load_kb().brands.items():
        keys.setdefault(brand_key(name), name)
        for needle in brand.needles:
            if needle and len(brand_key(needle)) >= 3:
                keys.setdefault(brand_key(needle), name)
    return keys


def collect(files: list[tuple[str, str]]) -> dict[str, dict[str, object]]:
    """Brand -> {cpe vendor, Recog's printed vendor names, how many fingerprints, products seen}."""
    keys = brand_keys()
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    printed: dict[str, set[str]] = defaultdict(set)
    products: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, text in files:
        for vendor, cpe_vendor, part, product in pairs(fingerprints(text, name)):
            brand = keys.get(brand_key(vendor))
            if brand:
                seen[brand][cpe_vendor] += 1
                printed[brand].add(vendor)
                products[(brand, cpe_vendor)].add(f"{part}:{product}")
    out: dict[str, dict[str, object]] = {}
    for brand in sorted(seen):
        cpe_vendor, count = seen[brand].most_common(1)[0]
        out[brand] = {"vendor": cpe_vendor, "recog_vendor": sorted(printed[brand]), "fingerprints": count,
                      "products": sorted(products[(brand, cpe_vendor)])[:12],
                      **({"others": dict(sorted(seen[brand].items()))} if len(seen[brand]) > 1 else {})}
    return out


def render(commit: str, data: dict[str, dict[str, object]]) -> str:
    """YAML by hand (stable, one brand a line): re-running on the same Recog commit gives the same bytes."""
    def q(s: object) -> str:
        return "'" + str(s).replace("'", "''") + "'"

    lines = ["# Generated by tools/vendor_cpe_names.py from Rapid7 Recog's XML fingerprints (BSD-2-Clause,",
             "# https://github.com/rapid7/recog): the CPE vendor string Recog writes beside each vendor name, for the",
             "# knowledge base's brands. Do not edit: re-run the tool. Hand-written facts are in cpe_names.yaml.",
             f"recog_commit: {commit}", "brands:"]
    for brand, d in data.items():
        prods = ", ".join(q(p) for p in d["products"])  # type: ignore[attr-defined]
        printed = ", ".join(q(p) for p in d["recog_vendor"])  # type: ignore[attr-defined]
        others = d.get("others")
        extra = (", others: {" + ", ".join(f"{q(k)}: {v}" for k, v in others.items()) + "}"  # type: ignore[attr-defined]
                 if others else "")
        lines.append(f"  {q(brand)}: {{vendor: {q(d['vendor'])}, recog_vendor: [{printed}], "
                     f"fingerprints: {d['fingerprints']}, products: [{prods}]{extra}}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--git-dir", help="a Recog git directory (reads xml/ at --commit)")
    src.add_argument("--xml-dir", type=Path, help="a directory of Recog .xml / .xml.gz files")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)
    try:
        commit, files = read_git(args.git_dir, args.commit) if args.git_dir else read_dir(args.xml_dir)
        text = render(commit, collect(files))
    except SystemExit as exc:  # a source that cannot be read or parsed: said, never a traceback
        print(exc, file=sys.stderr)
        return 2
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        print("current" if current == text else f"stale: re-run without --check to rewrite {args.out}")
        return 0 if current == text else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {text.count(chr(10)) - 5} brands from Recog {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
