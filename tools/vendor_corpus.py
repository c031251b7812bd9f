"""Build the vendor-identification development corpus from a LibreNMS checkout (a git directory).

LibreNMS's ``tests/snmpsim/<os>[_<variant>].snmprec`` files are SNMP recordings of real devices, named after the
OS LibreNMS detects on them. This tool keeps, per recording, only the objects netcomply reads (sysDescr,
sysObjectID, the ENTITY-MIB rows it uses, the SNMPv3 engine id, the brand scalars of the knowledge base and up to
four of the device's own hardware MACs: dot1dBaseBridgeAddress and ifPhysAddress, filtered by
collectors.vendor.own_macs.candidates) and writes them with their source (repository, path, commit). It also keeps
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
SYS_DESCR, SYS_OBJECT_ID, ENGINE_ID = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.6.3.10.2.1.1.0"
ENT = "1.3.6.1.2.1.47.1.1.1.1."
ENT_COLUMNS = {"2": "descr", "5": "class", "8": "hardware_rev", "9": "firmware_rev", "10": "software_rev",
               "11": "serial", "12": "mfg_name", "13": "model_name"}
MAX_ENTITY_ROWS = 4
ENTERPRISES = "1.3.6.1.4.1."
MAX_SUBTREES = 6  # the private subtrees a few GETNEXT hops find (collectors.vendor.collector.enterprise_subtrees)
BRIDGE_ADDRESS, IF_PHYS_ADDRESS = "1.3.6.1.2.1.17.1.1.0", "1.3.6.1.2.1.2.2.1.6."
MAX_IF_ROWS = 64  # the collector's bounded ifPhysAddress walk (collectors.vendor.collector.MAX_IF_ROWS)
MAX_MACS = 4


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


def _value(tag: str, raw: str) -> str | int | None:
    """One snmprec value: hex-encoded octets (tag ``4x``) decoded as text, integers as int, the rest as text."""
    base = tag.split(":", 1)[0]
    if base.endswith("x"):
        try:
            octets = bytes.fromhex(raw)
        except ValueError:
            return raw
        if base == "4x" and octets and not all(32 <= b < 127 or b in (9, 10, 13) for b in octets.rstrip(b"\0")):
            return "0x" + octets.hex()
        return octets.rstrip(b"\0").decode("utf-8", "replace")
    if base == "2":
        try:
            return int(raw)
        except ValueError:
            return None
    return raw


def _mac_hex(tag: str, raw: str) -> str:
    """An snmprec MAC value as hex digits: ``4x`` is hex already; six plain octets are the MAC's bytes; a MAC
    written as text (``00:1b:21:...``) is left for normalise_mac."""
    if tag.split(":", 1)[0].endswith("x"):
        return raw
    return raw.encode("latin-1", "replace").hex() if len(raw) == 6 else raw


def mac_line(oid: str, tag: str, raw: str, found: dict[int, str]) -> bool:
    """Keep one line if it is the bridge address (key -1) or an ifPhysAddress row (key ifIndex)."""
    if oid == BRIDGE_ADDRESS:
        found[-1] = _mac_hex(tag, raw)
    elif oid.startswith(IF_PHYS_ADDRESS) and oid[len(IF_PHYS_ADDRESS):].isdigit():
        found[int(oid[len(IF_PHYS_ADDRESS):])] = _mac_hex(tag, raw)
    else:
        return False
    return True


def own_macs(found: dict[int, str]) -> list[str]:
    """The device's own hardware MACs as the collector reads them: the bridge address, then the first
    ``MAX_IF_ROWS`` ifPhysAddress rows in ifIndex order, filtered and cut to ``MAX_MACS``."""
    from collectors.vendor.own_macs import candidates

    rows = [found[i] for i in sorted(i for i in found if i >= 0)[:MAX_IF_ROWS]]
    return candidates([found.get(-1), *rows], MAX_MACS)


def trim(text: str, vendor_oids: set[str]) -> dict[str, Any]:
    """The objects netcomply reads from one recording."""
    rec: dict[str, Any] = {}
    rows: dict[str, dict[str, Any]] = {}
    subtrees: set[int] = set()
    macs: dict[int, str] = {}
    for line in text.splitlines():
        oid, _, rest = line.partition("|")
        tag, _, raw = rest.partition("|")
        oid = oid.lstrip(".")
        if mac_line(oid, tag, raw, macs):
            continue
        if oid.startswith(ENTERPRISES):
            head = oid[len(ENTERPRISES):].split(".", 1)[0]
            if head.isdigit():
                subtrees.add(int(head))
        if oid == SYS_DESCR:
            rec["sys_descr"] = _value(tag, raw)
        elif oid == SYS_OBJECT_ID:
            rec["sys_object_id"] = str(_value(tag, raw) or "").lstrip(".") or None
        elif oid == ENGINE_ID:
            val = raw if tag.startswith("4x") else raw.encode("latin-1", "replace").hex()
            rec["engine_id"] = val.lower()
        elif oid in vendor_oids:
            rec.setdefault("vendor_oids", {})[oid] = _value(tag, raw)
        elif oid.startswith(ENT):
            column, _, index = oid[len(ENT):].partition(".")
            name = ENT_COLUMNS.get(column)
            if name:
                rows.setdefault(index, {"index": index})[name] = _value(tag, raw)
    if subtrees:
        rec["enterprises"] = sorted(subtrees)[:MAX_SUBTREES]
    if own_macs(macs):
        rec["macs"] = own_macs(macs)
    ordered = sorted(rows.values(), key=lambda r: [int(p) for p in r["index"].split(".") if p.isdigit()])
    chassis = [r for r in ordered if r.get("class") == 3]
    kept = (chassis + [r for r in ordered if r.get("class") != 3])[:MAX_ENTITY_ROWS]
    if kept:
        rec["entity"] = kept
    return rec


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
            rec = trim(blob.decode("utf-8", "replace"), vendor_oids)
            if not (rec.get("sys_descr") or rec.get("sys_object_id") or rec.get("entity")):
                continue  # a recording without any identity object (skeletons, context-only files)
            fh.write(json.dumps({"id": stem, "os": os_of(stem, set(defs)), "path": path, **rec},
                                ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    (OUT / "librenms_os.json").write_text(json.dumps(defs, indent=0, sort_keys=True, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    (OUT / "SOURCES").write_text(
        f"librenms.jsonl: {count} recordings trimmed to the objects netcomply reads, from\n"
        f"  repository {repo}, commit {commit}, paths tests/snmpsim/<id>.snmprec (each row's 'path').\n"
        f"librenms_os.json: labels (text, icon, group, type) and detection rules (discovery) of\n"
        f"  repository {repo}, commit {commit}, paths resources/definitions/os_detection/<os>.yaml.\n"
        "Re-build: .venv/bin/python tools/vendor_corpus.py <librenms git dir> <owner/name>\n", encoding="utf-8")
    print(f"{count} recordings, {len(defs)} OS definitions -> {OUT}")


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
    with (OUT / "SOURCES").open("a", encoding="utf-8") as fh:
        fh.write(f"ntc_cli.jsonl: {len(paths)} CLI captures (first {MAX_CLI_LINES} lines each) from\n"
                 f"  repository {repo}, commit {commit},\n"
                 "  paths tests/<platform>/<command>/<file>.raw (each row's 'path').\n"
                 "Re-build: .venv/bin/python tools/vendor_corpus.py --ntc <ntc-templates git dir> <owner/name>\n")
    print(f"{len(paths)} CLI captures -> {OUT}")


if __name__ == "__main__":
    if sys.argv[1] == "--ntc":
        ntc(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "networktocode/ntc-templates")
    else:
        main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Jellyfrog/librenms")
