"""A second CLI corpus: captured output of real devices for the commands netcomply reads, from projects other than
ntc-templates, measured as ``netcomply identify --command CMD`` judges it (collectors.vendor.recordings.cli_verdict_of).

Why: ntc_cli.jsonl is the only CLI corpus and identification was tuned on it; a corpus nobody tuned on says whether
the CLI rules generalise. Sources (bare git directories; every row keeps repository, commit and path):

- CiscoTestAutomation/genieparser ``src/genie/libs/parser/<os>[/...]/tests/<Parser>/cli/equal/*_output.txt``: the
  raw device output each golden test feeds its parser (never the expected dicts);
- napalm-automation/napalm ``test/<driver>/**/mock(ed)_data/**/<command>.txt|.json`` (EOS and NX-API answer JSON);
- napalm-automation-community/napalm-huawei-vrp and napalm-ce ``test/unit/**/display_version.txt``;
- ytti/oxidized ``spec/model/data/<model>#<case>#simulation.yaml``: SSH sessions recorded from real devices by
  oxidized's device2yaml (command echo and prompt removed as an SSH collector removes them).

The label is the vendor the source's directory names (genie's OS, napalm's driver, oxidized's model), never
netcomply's answer; directories that name an OS several makers ship (genie ``generic`` and ``sonic``, oxidized
``cumulus``, ``vyos``, ...) are left out. Outputs already in ntc_cli.jsonl, and repeats, are dropped; at most
``PER_GROUP`` outputs per source, OS and command (first by path) so one family of golden outputs does not dominate.

Run::

    .venv/bin/python tools/vendor_corpus_cli.py build   # writes tests/vendor/corpus/cli_more.jsonl and its SOURCES
    .venv/bin/python tools/vendor_corpus_cli.py measure # aggregate figures (JSON), overall and per source / OS
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import toolmodule

V = toolmodule.load("vendor_corpus")
MIRROR = Path("/work/.mirror")
OUT_NAME = "cli_more.jsonl"
PER_GROUP = 5

#: The commands netcomply reads (tools/vendor_corpus.py CLI_COMMANDS, and the Junos detail form cli_parsers reads).
COMMANDS = frozenset(c.replace("_", " ") for c in V.CLI_COMMANDS) | {"show chassis hardware detail"}

#: Each source's directory name -> the vendor it names (a list: any of these brands; None: left out).
LABELS: dict[str, dict[str, Any]] = {
    "genie": {"ios": "Cisco", "iosxe": "Cisco", "iosxr": "Cisco", "nxos": "Cisco", "asa": "Cisco", "apic": "Cisco",
              "viptela": "Cisco", "staros": "Cisco", "cheetah": "Cisco", "junos": "Juniper", "gaia": "Check Point",
              "generic": None, "sonic": None},
    "napalm": {"eos": "Arista", "ios": "Cisco", "iosxr": "Cisco", "nxos": "Cisco", "nxos_ssh": "Cisco",
               "vrp": "Huawei", "ce": "Huawei"},
    "oxidized": {"aoscx": "Aruba", "aosw": "Aruba", "arubainstant": "Aruba", "asa": "Cisco", "ios": "Cisco",
                 "nxos": "Cisco", "firelinuxos": "Cisco", "eos": "Arista", "junos": "Juniper", "fortigate": "Fortinet",
                 "fortios": "Fortinet", "fsos": "FS", "h3c": ["HPE", "HP", "H3C"], "ironware": "Brocade",
                 "routeros": "MikroTik", "sonicos": "SonicWall", "tplink": "TP-Link", "vsololt": "V-SOL",
                 "netgear": "Netgear", "smartbyte": "Smartbyte", "saos10": "Ciena", "garderos": "Garderos",
                 "perle": "Perle", "apcaos": "APC", "eatonnetwork": "Eaton", "mlnxos": "Mellanox"},
}

GENIE = ("CiscoTestAutomation/genieparser", "CiscoTestAutomation+genieparser")
NAPALM = ("napalm-automation/napalm", "napalm-automation+napalm")
VRP = ("napalm-automation-community/napalm-huawei-vrp", "napalm-automation-community+napalm-huawei-vrp")
CE = ("napalm-automation-community/napalm-ce", "napalm-automation-community+napalm-ce")
OXIDIZED = ("ytti/oxidized", "ytti+oxidized")
_GENIE_PATH = re.compile(r"^src/genie/libs/parser/(?P<os>[^/]+)(?:/[^/]+)*/tests/(?P<parser>[A-Za-z]+)/cli/equal/"
                         r"[^/]+_output\.txt$")
_GENIE_COMMANDS = {"ShowVersion": "show version", "ShowInventory": "show inventory",
                   "ShowChassisHardware": "show chassis hardware",
                   "ShowChassisHardwareDetail": "show chassis hardware detail"}


def _gitdir(mirror: str) -> str:
    return str(MIRROR / mirror / "repo")


def _files(mirror: str, commit: str) -> list[str]:
    return V._git(_gitdir(mirror), "ls-tree", "-r", "--name-only", commit).split("\n")


def _cut(text: str) -> str:
    return "\n".join(text.replace("\r\n", "\n").replace("\r", "\n").splitlines()[:V.MAX_CLI_LINES])


def genie(commit: str) -> Iterator[dict[str, Any]]:
    picked = []
    for path in _files(GENIE[1], commit):
        m = _GENIE_PATH.match(path)
        if m and m.group("parser") in _GENIE_COMMANDS:
            picked.append((path, m.group("os"), _GENIE_COMMANDS[m.group("parser")]))
    blobs = V._blobs(_gitdir(GENIE[1]), commit, [p for p, _, _ in picked])
    for path, os_name, command in picked:
        if path in blobs:
            yield {"source": "genie", "repo": GENIE[0], "os": os_name, "command": command, "path": path,
                   "raw": blobs[path]}


_NAPALM_PATH = re.compile(r"^test/(?P<driver>[a-z_]+)/.*?(?P<cmd>show_version|show_inventory|display_version)"
                          r"\.(?P<ext>txt|json)$")


def napalm(repo: tuple[str, str], commit: str, driver: str | None = None) -> Iterator[dict[str, Any]]:
    """napalm's mocked device answers; ``driver`` names the OS when the repository holds one driver."""
    picked = [(p, m) for p in _files(repo[1], commit) if (m := _NAPALM_PATH.match(p))
              and "plumbing" not in p]
    blobs = V._blobs(_gitdir(repo[1]), commit, [p for p, _ in picked])
    for path, m in picked:
        if path in blobs:
            yield {"source": "napalm", "repo": repo[0], "os": driver or m.group("driver"),
                   "command": m.group("cmd").replace("_", " "),
                   "path": path, "raw": blobs[path], "format": m.group("ext")}


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|[rnte\\\"])")


def _unescape(text: str) -> str:
    """oxidized writes control characters and trailing spaces as Ruby escapes inside YAML block scalars."""
    simple = {"r": "\r", "n": "\n", "t": "\t", "e": "\x1b", "\\": "\\", '"': '"'}
    return _ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x" else simple[m.group(1)], text)


def _session_output(command: str, answer: str) -> str:
    """The output alone: the echoed command line and the trailing prompt line removed."""
    lines = _unescape(answer).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip() == command:
        lines = lines[1:]
    if lines and re.fullmatch(r"\s*[<\[]?[\w.@:/()-]+[>\]#$]\s*", lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines)


def oxidized(commit: str) -> Iterator[dict[str, Any]]:
    picked = [p for p in _files(OXIDIZED[1], commit)  # "#dummy_..." cases are written by hand, not recorded
              if p.startswith("spec/model/data/") and p.endswith("#simulation.yaml") and "#dummy" not in p]
    blobs = V._blobs(_gitdir(OXIDIZED[1]), commit, picked)
    for path in picked:
        doc = yaml.safe_load(blobs.get(path, b"").decode("utf-8", "replace")) or {}
        commands = doc.get("commands") or {}
        pairs = ([kv for item in commands for kv in item.items()] if isinstance(commands, list)
                 else list(commands.items()))
        for key, answer in pairs:
            command = " ".join(str(key).split("|", 1)[0].split())
            if command in COMMANDS and isinstance(answer, str):
                model = Path(path).name.split("#", 1)[0]
                yield {"source": "oxidized", "repo": OXIDIZED[0], "os": model, "command": command, "path": path,
                       "raw": _session_output(command, answer).encode()}


def _key(text: str) -> str:
    return " ".join(text.split())


def build() -> list[dict[str, Any]]:
    commits = {repo: V._git(_gitdir(mirror), "rev-parse", "HEAD").strip()
               for repo, mirror in (GENIE, NAPALM, VRP, CE, OXIDIZED)}
    found = [*genie(commits[GENIE[0]]), *napalm(NAPALM, commits[NAPALM[0]]), *napalm(VRP, commits[VRP[0]], "vrp"),
             *napalm(CE, commits[CE[0]], "ce"), *oxidized(commits[OXIDIZED[0]])]
    from collectors.vendor import corpus, recordings

    seen = {_key(str(r["text"])) for r in corpus.load_cli()}
    per_group: dict[tuple[str, str, str], int] = {}
    rows = []
    for item in sorted(found, key=lambda r: (r["source"], r["os"], r["command"], r["path"])):
        if LABELS[item["source"]].get(item["os"]) is None:
            continue  # the directory names no single maker
        text = _cut(recordings.decode(item["raw"]))
        group = (item["source"], item["os"], item["command"])
        if not text.strip() or _key(text) in seen or per_group.get(group, 0) >= PER_GROUP:
            continue
        seen.add(_key(text))
        per_group[group] = per_group.get(group, 0) + 1
        repo = item["repo"]
        rows.append({"id": f"{item['source']}/{item['os']}/{item['command'].replace(' ', '_')}/{per_group[group]}",
                     "platform": f"{item['source']}/{item['os']}", "command": item["command"],
                     "format": item.get("format", "txt"), "source_repo": repo, "commit": commits[repo],
                     "path": item["path"], "text": text})
    return rows


SOURCES_BEGIN = "# --- cli_more.jsonl (tools/vendor_corpus_cli.py) ---"
SOURCES_END = "# --- end of cli_more.jsonl ---"


def write(rows: list[dict[str, Any]]) -> None:
    with (V.OUT / OUT_NAME).open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    groups: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r["source_repo"], r["commit"])] = groups.get((r["source_repo"], r["commit"]), 0) + 1
    where = {GENIE[0]: "src/genie/libs/parser/<os>/**/tests/<ShowVersion|ShowInventory|ShowChassisHardware[Detail]>"
                       "/cli/equal/*_output.txt (label: <os>)",
             NAPALM[0]: "test/<driver>/**/<show_version|show_inventory>.txt|.json (label: <driver>)",
             VRP[0]: "test/unit/mocked_data/test_get_facts/*/display_version.txt (label: Huawei)",
             CE[0]: "test/unit/**/display_version.txt (label: Huawei)",
             OXIDIZED[0]: "spec/model/data/<model>#<case>#simulation.yaml, the commands netcomply reads (label: "
                          "<model>)"}
    lines = [SOURCES_BEGIN,
             f"{OUT_NAME}: {len(rows)} CLI outputs of real devices (first {V.MAX_CLI_LINES} lines each), labelled "
             "by the vendor their source directory names (tools/vendor_corpus_cli.py LABELS):"]
    lines += [f"  {n:4d} from repository {repo}, commit {commit}, paths {where[repo]} (each row's 'path')."
              for (repo, commit), n in sorted(groups.items())]
    lines += [f"  Left out: outputs also in ntc_cli.jsonl, repeats, beyond {PER_GROUP} per source, OS and command; "
              "oxidized's hand-written '#dummy' cases; directories naming no single maker (genie generic, sonic).",
              "Re-build: .venv/bin/python tools/vendor_corpus_cli.py build", SOURCES_END]
    V.set_delimited_block(SOURCES_BEGIN, SOURCES_END, "\n".join(lines) + "\n")


def load() -> list[dict[str, Any]]:
    from collectors.vendor import corpus

    return corpus.load_rows(V.OUT / OUT_NAME)


def measure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate figures only (overall, per source repository, per source/OS): never a row's verdict."""
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    labels = dataclasses.replace(corpus.load_labels(), cli_platforms={
        f"{source}/{os_name}": vendor for source, table in LABELS.items() for os_name, vendor in table.items()})
    m = corpus.measure_cli(load_kb(), rows, labels)

    def figures(outcomes: list[Any]) -> dict[str, Any]:
        s = corpus.Measure(outcomes).summary()
        return {k: s[k] for k in ("recordings", "labelled", "brand_right", "brand_accuracy", "unknown",
                                  "prc_wrong", "prc_needs_review")}

    out: dict[str, Any] = {"all": figures(m.outcomes)}
    for key, field in (("source_repo", "by_source"), ("platform", "by_os")):
        out[field] = {v: figures([o for o in m.outcomes if o.row[key] == v])
                      for v in sorted({str(o.row[key]) for o in m.outcomes})}
    return out


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"]:
        built = build()
        write(built)
        print(f"{len(built)} CLI outputs -> {V.OUT / OUT_NAME}")
    elif sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(load()), indent=1, sort_keys=True))
    else:
        sys.exit("usage: vendor_corpus_cli.py build | measure")
