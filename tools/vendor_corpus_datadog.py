"""Build, measure and report the Datadog vendor corpus (``tests/vendor/corpus/datadog.jsonl``): the SNMP test
recordings of DataDog/integrations-core (``snmp/tests/compose/data/*.snmprec|*.snmpwalk``) whose identity objects
were evidently captured from a real device.

Why: one more source nobody here wrote or tuned on. Most of those recordings are generated from Datadog's profiles,
not captured (``docs/vendor-blind-corpus.md`` set the source aside for that reason): their sysDescr is the
generator's template (``huawei-routers Device Description``), their strings are made of the generator's filler
words (``oxen acted but acted kept``), their sysName is ``<profile>.device.name`` or ``<model>.example``. Only the
files none of :func:`placeholder_reason`'s rules flag are kept (one rule per class of file, written before any
verdict was seen; the snmp-info corpus's ``placeholder_serial``/``placeholder_mac`` are reused, not copied).

Input: ``build <dir>`` takes either a git directory of the repository (a ``fetch`` snapshot: the files under
``snmp/tests/compose/data`` at its HEAD) or a plain directory holding the files and a ``MANIFEST`` (``<file>
<commit>`` a line, ``#`` comments). The snapshot of DataDog/integrations-core is over the 500 MiB ``fetch`` limit,
so round 8 built from a directory of the files' identity lines as the file index served them (``read_file``, the
first 16,000 characters of each: the system group; ENTITY and MACs where they came that early), one commit per
file. Rows go through ``collectors.vendor.recordings`` (``read_text`` + ``facts``), so they have the shape of
``blind.jsonl`` rows. Devices already in ``librenms``, ``walks``, ``blind``, ``history`` or ``snmpinfo`` (same
sysDescr and sysObjectID) are left out. Labels: ``datadog_labels.yaml``, the maker the file name and Datadog's
profile for it (``snmp/datadog_checks/snmp/data/default_profiles/<profile>.yaml``, ``device.vendor``) say.

Run::

    .venv/bin/python tools/vendor_corpus_datadog.py build <git dir | extract dir>
    .venv/bin/python tools/vendor_corpus_datadog.py measure   # aggregate figures (whole rows, partial answers)
    .venv/bin/python tools/vendor_corpus_datadog.py report    # write docs/vendor-datadog-corpus.md
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "vendor" / "corpus"
ROWS = OUT / "datadog.jsonl"
LABELS = OUT / "datadog_labels.yaml"
DOC = ROOT / "docs" / "vendor-datadog-corpus.md"
REPO = "DataDog/integrations-core"
UNDER = "snmp/tests/compose/data"
SOURCES_BEGIN = "# --- datadog.jsonl (tools/vendor_corpus_datadog.py) ---"
SOURCES_END = "# --- end of datadog.jsonl ---"
OTHERS = ("librenms.jsonl", "walks.jsonl", "blind.jsonl", "history.jsonl", "snmpinfo.jsonl")
SYS_NAME = "1.3.6.1.2.1.1.5.0"

sys.path.insert(0, str(ROOT))
from tools.toolmodule import load as load_tool  # noqa: E402

W = load_tool("vendor_corpus_walks")  # git reading (_git, _show, _identity) and report cells, reused
B = load_tool("vendor_corpus_blind")  # row shape, label loading, per-part figures
S = load_tool("vendor_corpus_snmpinfo")  # placeholder_serial/mac, not_new, held_out, cause, figure lines

# --- which files are captured from real devices (one rule per class of file) -----------------------------------

#: The words Datadog's recording generator fills strings with (seen in every generated file read: sysDescr,
#: ENTITY, process and interface names, hex-encoded or not).
FILLER = frozenset({"oxen", "acted", "but", "kept", "jaded", "quaintly", "driving", "zombies", "their", "forward"})
_TEMPLATE = re.compile(r"\bDevice Desc(?:ription)?\s*$|\bgenerated\b", re.I)
_NAME = re.compile(r"(?:\.device\.name|\.example)$", re.I)
RULES = {
    "no-descr": "no sysDescr: nothing the device said about itself to judge by",
    "template": "sysDescr is the generator's template ('<profile> Device Description') or says it was generated",
    "filler": "sysDescr made of the generator's filler words only",
    "placeholder": "a hand-written fixture: sysName '<x>.device.name' / '<x>.example', an invented serial or MAC "
                   "(snmp-info's placeholder_serial / placeholder_mac), or a sysObjectID ending in .999/.9999",
}


def placeholder_reason(objects: dict[str, Any], facts: dict[str, Any]) -> str | None:
    """The first :data:`RULES` class a recording falls in, or None for one evidently captured from a device (a
    sysDescr with a product and version string, no invented value beside it)."""
    descr = facts.get("sys_descr")
    if not isinstance(descr, str) or not descr.strip():
        return "no-descr"
    if _TEMPLATE.search(descr):
        return "template"
    if set(descr.lower().split()) <= FILLER:
        return "filler"
    serials = [v for e in facts.get("entity") or [] for k, v in e.items() if k != "index"]
    if (_NAME.search(str(objects.get(SYS_NAME) or "")) or any(S.placeholder_serial(v) for v in serials)
            or any(S.placeholder_mac(m.replace(":", "")) for m in facts.get("macs") or [])
            or re.search(r"\.9{3,4}$", str(facts.get("sys_object_id") or ""))):
        return "placeholder"
    return None


# --- files -> rows ----------------------------------------------------------------------------------------------

def _files(source: str) -> Iterator[tuple[str, str, str]]:
    """(path, commit, text) of each recording: from a git directory's HEAD, or from an extract's MANIFEST."""
    root = Path(source)
    if (root / "MANIFEST").is_file():
        for line in (root / "MANIFEST").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, commit = line.split()
                yield f"{UNDER}/{name}", commit, (root / name).read_text(encoding="utf-8")
        return
    commit = W._git(source, "rev-parse", "HEAD").strip()
    for path in W._git(source, "ls-tree", "-r", "--name-only", commit, UNDER).split():
        if path.endswith((".snmprec", ".snmpwalk")):
            yield path, commit, W._show(source, commit, path) or ""


def _stem(path: str) -> str:
    return Path(path).name.rsplit(".", 1)[0]


def file_row(path: str, commit: str, text: str, vendor_oids: set[str]) -> tuple[dict[str, Any], str | None]:
    """One file -> (its row, the :data:`RULES` class that leaves it out, or None when kept)."""
    from collectors.vendor import recordings

    reading = recordings.read_text(text, path)
    facts = recordings.facts(reading.objects, vendor_oids)
    objects = {oid: value for oid, value, _ in reading.objects}
    return B._row(REPO, commit, path, "walk", _stem(path), facts), placeholder_reason(objects, facts)


def others() -> list[dict[str, Any]]:
    return [r for name in OTHERS for r in B.load_rows(OUT / name)]


def rows_of(source: str) -> tuple[list[dict[str, Any]], int, dict[str, list[str]]]:
    """The kept rows, how many kept files were already in another corpus, and the files each rule left out. Reads
    only ``source`` and the other corpora: the same inputs give the same rows."""
    from collectors.vendor.kb import load_kb

    oids = {v.oid for v in load_kb().vendor_oids}
    known, rows = others(), []
    dropped: dict[str, list[str]] = {k: [] for k in RULES}
    for path, commit, text in sorted(_files(source)):
        row, reason = file_row(path, commit, text, oids)
        if reason:
            dropped[reason].append(_stem(path))
        elif W._identity(row):
            rows.append(row)
    new = [r for r in rows if not S.not_new(r, known)]
    return new, len(rows) - len(new), dropped


def build(source: str) -> None:
    rows, known, dropped = rows_of(source)
    ROWS.write_text(S.jsonl(rows), encoding="utf-8")
    _sources(rows, known, dropped)
    print(f"{len(rows)} rows -> {ROWS} ({known} left out: in another corpus; files left out per rule: "
          f"{json.dumps({k: len(v) for k, v in dropped.items()})})")


def _sources(rows: list[dict[str, Any]], known: int, dropped: dict[str, list[str]]) -> None:
    lines = [SOURCES_BEGIN,
             f"datadog.jsonl: {len(rows)} devices' SNMP answers from {REPO}'s SNMP test recordings, only those "
             "evidently captured from a device, trimmed to the objects netcomply reads (collectors.vendor."
             "recordings), labelled by file name and Datadog profile (datadog_labels.yaml):"]
    lines += [f"  {r['path']} (repository {REPO}, commit {r['commit']})" for r in rows]
    lines += [f"  Left out: {known} devices also in another corpus; files the placeholder rules of "
              "tools/vendor_corpus_datadog.py flag: " + "; ".join(f"{k} {len(v)} ({', '.join(v)})"
                                                                   for k, v in dropped.items() if v) + ".",
              f"  Read: the {sum(map(len, dropped.values())) + len(rows) + known} files named above and in the rows "
              f"(of the 208 under {UNDER}); the rest were not read (snapshot over the fetch size limit).",
              "Re-build: .venv/bin/python tools/vendor_corpus_datadog.py build <git dir | extract dir with MANIFEST>",
              SOURCES_END]
    load_tool("vendor_corpus").set_delimited_block(SOURCES_BEGIN, SOURCES_END, "\n".join(lines) + "\n")


# --- measure ----------------------------------------------------------------------------------------------------

def load_rows() -> list[dict[str, Any]]:
    return B.load_rows(ROWS)


def load_labels() -> Any:
    return B.load_labels(LABELS)


def measures() -> dict[str, Any]:
    """Whole rows and partial answers (``tools/vendor_partial.partial``: no sysObjectID, no numbers)."""
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    kb, rows, labels = load_kb(), load_rows(), load_labels()
    partial = load_tool("vendor_partial")
    return {"whole": corpus.measure_walks(kb, rows, labels),
            "partial": corpus.measure_walks(kb, [partial.partial(r) for r in rows], labels)}


def figures(m: Any) -> dict[str, Any]:
    partial = load_tool("vendor_partial")
    return {**B.figures(m)["all"], **{k: v for k, v in partial.figures(m).items() if k.startswith("prc_")}}


def measure() -> dict[str, Any]:
    """Aggregate figures only: the blind measure printed these and nothing about which row missed."""
    return {name: figures(m) for name, m in measures().items()}


# --- the report (docs/vendor-datadog-corpus.md) ------------------------------------------------------------------

#: The blind measure: printed once by ``measure`` in a clean worktree of the commit that added the corpus and its
#: labels, before any verdict on a row was looked at. Kept here because it cannot be measured again blind.
BLIND_COMMIT = "d749781"
BLIND = {"whole": {"labelled": 3, "brand_right": 3, "unknown": 0, "prc_wrong": 0, "prc_needs_review": 0,
                   "prc_labelled": 0, "prc_yes": 0, "prc_unknown": 0, "prc_no": 0},
         "partial": {"labelled": 3, "brand_right": 3, "unknown": 0, "prc_wrong": 0, "prc_needs_review": 0,
                     "prc_labelled": 0, "prc_yes": 0, "prc_unknown": 0, "prc_no": 0}}


def _cause_lines(ms: dict[str, Any]) -> list[str]:
    """Misses per general cause (snmp-info's ``cause``); held-out families counted, never listed."""
    lines = ["| answer | row | label | netcomply | cause |", "|---|---|---|---|---|"]
    held = 0
    for name, m in ms.items():
        for o in sorted(m.labelled(), key=lambda o: o.row["id"]):
            if o.right:
                continue
            if S.held_out(o.label.vendor):
                held += 1
                continue
            lines.append(f"| {name} | {o.row['path'].rsplit('/', 1)[-1]} | {o.label.vendor} | "
                         f"{o.verdict.brand or '(unknown)'} | {S.CAUSES[S.cause(o)]} |")
    return [*lines, "", f"Misses of held-out families (counted, not listed): {held}."]


#: Realistic strings seen in the hand-written fixtures the rules leave out: probed as partial answers after the blind
#: measure, to see whether the words alone would name the maker (they are not corpus rows: not captured).
PROBES = ("Cisco Controller", "Cisco Catalyst 1200 C1200-24P-4G Smart Switch",
          "Thunder Series Unified Application Service Gateway TH5630, ACOS 4.1.0-P5", "APC Smart-UPS 600")
PROPOSALS = [
    "No miss to group by cause: every kept row (three Cisco ASR routers, IOS XE and IOS XR) is right whole and "
    "as a partial answer, and no rule is proposed from this corpus. The figure says little: three rows, one maker, "
    "no PRC maker.",
    "Do not spend more rounds on this source's recordings for identification: of the 26 files read, chosen because "
    "their names looked most like captures (all 4 `.snmpwalk` files, model numbers, `customer`), 23 are generated or "
    "hand-written; the 182 unread files are mostly named `<maker>-<product>.snmprec` like the generated ones read.",
    "Its useful public facts are the profiles, not the recordings: `default_profiles/<profile>.yaml` (BSD-3-Clause) "
    "pairs a `device: vendor:` with the sysObjectIDs it serves, each named in a comment (`cisco-asr.yaml`: "
    "1.3.6.1.4.1.9.1.2658 ciscoASR9901, and the other ASR models). A cross-check tool (the knowledge-base "
    "owner's call) could read the profiles and list every sysObjectID whose vendor netcomply's sysObjectID "
    "reading disagrees with, for review one by one: a second source for the OID table, never facts added unreviewed.",
    "The builder's rules are reusable for any source made with Datadog's generator (its filler words and "
    "`<profile> Device Description` template are those of every generated file read here): "
    "`placeholder_reason` flags them; the snmp-info rules `placeholder_serial`/`placeholder_mac` catch "
    "hand-written serials (`FOC1200ABCD`) and MACs (`00:00:00:00:00:01`).",
    "To read the other 182 files the lead needs a snapshot of DataDog/integrations-core: `fetch` refuses it (924 MB, "
    "over the 500 MiB limit); `build` takes its git directory as is.",
]


def _probe_lines() -> list[str]:
    from collectors.vendor import recordings
    from collectors.vendor.kb import load_kb

    kb = load_kb()
    lines = ["| sysDescr of a left-out fixture (words only) | netcomply brand | prc_brand |", "|---|---|---|"]
    for descr in PROBES:
        v = recordings.verdict_of(kb, {"sys_descr": descr})
        lines.append(f"| {descr} | {v.brand or '(unknown)'} | {v.prc_brand} |")
    return lines


def write() -> str:
    ms = measures()
    rows = load_rows()
    now = {name: figures(m) | {"prc_needs_review": m.summary()["prc_needs_review"]} for name, m in ms.items()}
    rule_lines = [f"- `{k}`: {v}" for k, v in RULES.items()]
    text = "\n".join([
        "# Vendor identification on the Datadog corpus (generated)",
        "",
        "Generated by `.venv/bin/python tools/vendor_corpus_datadog.py report`; do not edit by hand.",
        "",
        f"{REPO} keeps ~200 SNMP recordings for its SNMP check's tests (`{UNDER}`). Most are generated from",
        "Datadog's profiles, not captured; only files whose identity objects were evidently captured from a device",
        "are kept, by the builder's rules (one per class of file, written before any verdict was seen):",
        "",
        *rule_lines,
        "",
        f"- Rows: `tests/vendor/corpus/datadog.jsonl`, {len(rows)} devices (SOURCES, block `datadog.jsonl`, names",
        "  every file read, kept or left out, and why).",
        "- Reading: the repository snapshot is over the 500 MiB `fetch` limit; the files were read through the",
        "  file index, 16,000 characters each (the system group; ENTITY and MACs where they came that early), so",
        "  the rows hold sysDescr and sysObjectID. 26 of the 208 files were read (all 4 `.snmpwalk` files and the",
        "  `.snmprec` files whose names suggested a captured device); 182 were not read.",
        "- Labels: `tests/vendor/corpus/datadog_labels.yaml`, per file: the maker its name and Datadog's profile",
        "  (`default_profiles/<profile>.yaml`, `device.vendor`, which lists the sysObjectID) give, before any verdict.",
        "",
        "## Figures, measured once, blind",
        "",
        f"At netcomply `{BLIND_COMMIT}`, `measure`. Partial answers: each row without its numbers "
        "(`tools/vendor_partial.py`).",
        "",
        S._HEAD,
        *[S._figure_line(name, f) for name, f in BLIND.items()],
        "",
        "## Figures now",
        "",
        S._HEAD,
        *[S._figure_line(name, f) for name, f in now.items()],
        "",
        "## Misses and their general causes (development corpus after the blind measure)",
        "",
        *_cause_lines(ms),
        "",
        "## Left-out fixtures with realistic words (probe, not part of the measure)",
        "",
        *_probe_lines(),
        "",
        "## Proposals",
        "",
        *[f"{i}. {text}" for i, text in enumerate(PROPOSALS, 1)],
        "",
    ])
    DOC.write_text(text, encoding="utf-8")
    w = now["whole"]
    return (f"whole: {w['brand_right']}/{w['labelled']} right, {w['unknown']} unknown, PRC wrong {w['prc_wrong']} "
            f"-> {DOC}")


def main(argv: list[str]) -> None:
    if argv[:1] == ["build"] and len(argv) == 2:
        build(argv[1])
    elif argv[:1] == ["measure"]:
        print(json.dumps(measure(), indent=1))
    elif argv[:1] == ["report"]:
        print(write())
    else:
        print(__doc__)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
