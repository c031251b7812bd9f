"""Build the vendor-identification development corpus from a LibreNMS checkout (a git directory).

LibreNMS's ``tests/snmpsim/<os>[_<variant>].snmprec`` files are SNMP recordings of real devices, named after the
OS LibreNMS detects on them. This tool keeps, per recording, only the objects netcomply reads (sysDescr,
sysObjectID, the ENTITY-MIB rows it uses, the SNMPv3 engine id, the brand scalars of the knowledge base and up to
four of the device's own hardware MACs: dot1dBaseBridgeAddress and ifPhysAddress, filtered by
collectors.vendor.own_macs.candidates), reduced by collectors.vendor.recordings as ``netcomply identify`` reduces a
user's recording, and writes them with their source (repository, path, commit). It also keeps
the OS definitions' labels and detection rules (``resources/definitions/os_detection/*.yaml``: os, text, icon,
group, discovery), which the labels of the corpus and the LibreNMS comparison (tools/vendor_librenms_compare.py)
come from.

It also keeps ntc-templates' CLI captures of the commands netcomply reads (``tests/<platform>/<command>/*.raw``:
show version, display version, display device manuinfo, get system status, show system info, show inventory,
show chassis hardware, show system), labelled by their platform directory, cut to their first 200 lines.

Run::

    .venv/bin/python tools/vendor_corpus.py /work/.mirror/Jellyfrog+librenms/repo Jellyfrog/librenms
    .venv/bin/python tools/vendor_corpus.py --ntc /work/.mirror/networktocode+ntc-templates/repo \\
        networktocode/ntc-templates
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parents[1] / "tests" / "vendor" / "corpus"

def _git(gitdir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True).stdout


def _blobs(gitdir: str, commit: str, paths: list[str]) -> dict[str, bytes]:
    """Many files at once through one ``git cat-file --batch``."""
    proc = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                          input="".join(f"{commit}:{p}\n" for p in paths).encode(), capture_output=True, check=True)
    out, data, pos = {}, proc.stdout, 0
    for p in paths:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        out[p] = data[pos:pos + size]
        pos += size + 1
    return out


def trim(text: str, vendor_oids: set[str]) -> dict[str, Any]:
    """The objects netcomply reads from one recording: the reduction ``netcomply identify`` applies
    (collectors.vendor.recordings), so the corpus measures what a user's recording would give. A file with no
    readable object gives an empty record (skipped by the caller)."""
    from collectors.vendor import recordings
    from netcomply.errors import InputError

    try:
        return recordings.facts(recordings.read_text(text).objects, vendor_oids)
    except InputError:
        return {}


def os_definitions(gitdir: str, commit: str) -> dict[str, Any]:
    paths = [p for p in _git(gitdir, "ls-tree", "-r", "--name-only", commit,
                             "resources/definitions/os_detection").split() if p.endswith(".yaml")]
    defs: dict[str, Any] = {}
    for path, blob in _blobs(gitdir, commit, paths).items():
        doc = yaml.safe_load(blob.decode("utf-8", "replace")) or {}
        os_name = str(doc.get("os") or Path(path).stem)
        defs[os_name] = {k: doc[k] for k in ("text", "icon", "group", "type", "discovery") if k in doc}
    return defs


def os_of(stem: str, known: set[str]) -> str:
    """The OS a recording is labelled with: the longest known OS name its file name starts with
    (``<os>.snmprec`` or ``<os>_<variant>.snmprec``; some OS names hold an underscore themselves)."""
    for cut in sorted({i for i, c in enumerate(stem) if c == "_"} | {len(stem)}, reverse=True):
        if stem[:cut] in known:
            return stem[:cut]
    return stem.split("_", 1)[0]


def main(gitdir: str, repo: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from collectors.vendor import recordings
    from collectors.vendor.kb import load_kb

    commit = _git(gitdir, "rev-parse", "HEAD").strip()
    vendor_oids = {v.oid for v in load_kb().vendor_oids}
    defs = os_definitions(gitdir, commit)
    paths = sorted(p for p in _git(gitdir, "ls-tree", "-r", "--name-only", commit, "tests/snmpsim").split()
                   if p.endswith(".snmprec"))
    OUT.mkdir(parents=True, exist_ok=True)
    count = 0
    with (OUT / "librenms.jsonl").open("w", encoding="utf-8") as fh:
        for path, blob in sorted(_blobs(gitdir, commit, paths).items()):
            stem = Path(path).stem
            rec = trim(recordings.decode(blob), vendor_oids)
            if not (rec.get("sys_descr") or rec.get("sys_object_id") or rec.get("entity")):
                continue  # a recording without any identity object (skeletons, context-only files)
            fh.write(json.dumps({"id": stem, "os": os_of(stem, set(defs)), "path": path, **rec},
                                ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    (OUT / "librenms_os.json").write_text(json.dumps(defs, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    set_sources_block(
        "librenms.jsonl:",
        f"librenms.jsonl: {count} recordings trimmed to the objects netcomply reads, from\n"
        f"  repository {repo}, commit {commit}, paths tests/snmpsim/<id>.snmprec (each row's 'path').\n"
        f"librenms_os.json: labels (text, icon, group, type) and detection rules (discovery) of\n"
        f"  repository {repo}, commit {commit}, paths resources/definitions/os_detection/<os>.yaml.\n"
        "Re-build: .venv/bin/python tools/vendor_corpus.py <librenms git dir> <owner/name>\n")
    print(f"{count} recordings, {len(defs)} OS definitions -> {OUT}")


BLOCK_MARKS = ("librenms.jsonl:", "ntc_cli.jsonl:", "walks.jsonl:")  # each corpus's block of SOURCES, in this order


def set_delimited_block(begin: str, end: str, block: str) -> None:
    """Write another corpus tool's block of ``SOURCES`` (``block``: its lines from ``begin`` to ``end``): in place of
    its previous version, or, the first time, before the ``walks.jsonl`` block, whose builder rewrites the file from
    that block on. The blind, history and cli_more tools write theirs this way."""
    path = OUT / "SOURCES"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in old:
        head, _, rest = old.partition(begin)
        text = head + block + rest.partition(end)[2].lstrip("\n")
    else:
        head, mark, tail = old.partition("\n" + BLOCK_MARKS[2])
        text = (head.rstrip("\n") + "\n" + block + mark.lstrip("\n") + tail) if mark else (
            old.rstrip("\n") + "\n" + block)
    path.write_text(text, encoding="utf-8")


def set_sources_block(mark: str, text: str) -> None:
    """Replace one corpus's block of ``SOURCES`` (from its mark to the next block), keeping the others in place:
    the blocks of :data:`BLOCK_MARKS` and the delimited blocks other tools write (``# --- name ---`` to
    ``# --- end of name ---``: blind.jsonl, history.jsonl, cli_more.jsonl), which a rebuild here must not drop."""
    path = OUT / "SOURCES"
    blocks: list[tuple[str, list[str]]] = []
    delimited: str | None = None
    for line in (path.read_text(encoding="utf-8").splitlines() if path.exists() else []):
        if delimited is not None:
            blocks[-1][1].append(line)
            if line.startswith("# --- end of "):
                delimited = None
            continue
        if line.startswith("# --- "):
            delimited = line
            blocks.append((line, [line]))
            continue
        started = next((m for m in BLOCK_MARKS if line.startswith(m)), None)
        if started is not None or not blocks:
            blocks.append((started or "", [line]))
        else:
            blocks[-1][1].append(line)
    lines = text.rstrip("\n").splitlines()
    at = next((k for k, (key, _) in enumerate(blocks) if key == mark), None)
    if at is None:
        blocks.append((mark, lines))
    else:
        blocks[at] = (mark, lines)
    path.write_text("".join("\n".join(body) + "\n" for _, body in blocks), encoding="utf-8")


CLI_COMMANDS = ("show_version", "display_version", "display_device_manuinfo", "get_system_status", "show_system_info",
                "show_inventory", "display_elabel", "show_chassis_hardware", "show_system")
MAX_CLI_LINES = 200


def ntc(gitdir: str, repo: str) -> None:
    commit = _git(gitdir, "rev-parse", "HEAD").strip()
    paths = sorted(p for p in _git(gitdir, "ls-tree", "-r", "--name-only", commit, "tests").split()
                   if p.endswith(".raw") and len(p.split("/")) == 4 and p.split("/")[2] in CLI_COMMANDS)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "ntc_cli.jsonl").open("w", encoding="utf-8") as fh:
        for path, blob in sorted(_blobs(gitdir, commit, paths).items()):
            _, platform, command, name = path.split("/")
            text = "\n".join(blob.decode("utf-8", "replace").splitlines()[:MAX_CLI_LINES])
            fh.write(json.dumps({"id": f"{platform}/{command}/{Path(name).stem}", "platform": platform,
                                 "command": command.replace("_", " "), "path": path, "text": text},
                                ensure_ascii=False, sort_keys=True) + "\n")
    set_sources_block(
        "ntc_cli.jsonl:",
        f"ntc_cli.jsonl: {len(paths)} CLI captures (first {MAX_CLI_LINES} lines each) from\n"
        f"  repository {repo}, commit {commit},\n"
        "  paths tests/<platform>/<command>/<file>.raw (each row's 'path').\n"
        "Re-build: .venv/bin/python tools/vendor_corpus.py --ntc <ntc-templates git dir> <owner/name>\n")
    print(f"{len(paths)} CLI captures -> {OUT}")


if __name__ == "__main__":
    if sys.argv[1] == "--ntc":
        ntc(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "networktocode/ntc-templates")
    else:
        main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Jellyfrog/librenms")
