"""Build and measure the blind vendor corpus (``tests/vendor/corpus/blind.jsonl``): real devices' SNMP answers from
public projects that nobody here has tuned the identification on, labelled by those projects.

Why a third corpus: the LibreNMS corpus is what the rules were written against, and the independent corpus
(``walks.jsonl``) has been read while tuning since. The maintainers measure on recordings nobody here has seen;
this corpus stands in for them. It is built once, measured once, and its misses are not looked at: it judges,
it is not tuned on. The rows are reduced by the reader ``netcomply identify`` uses (``collectors.vendor.recordings``)
through the helpers of ``tools/vendor_corpus_walks.py``, in the same shape as ``walks.jsonl`` rows.

Sources (git directories fetched with the ``fetch`` tool; each row names repository, path and commit):

* ``inexio/thola``: ``test/testdata/devices/<class>/<device>/public.snmprec``, snmpsim recordings of the devices
  thola's integration tests run against; label: the vendor the test expects (``public.testdata``,
  ``expectations.identify.properties.vendor``).
* ``spearheadsys/checkmk-agent-output``: ``snmp/<maker>-<model>``, Checkmk stored walks (``cmk --snmpwalk``:
  ``.OID value``, strings as quoted hex) of real devices; label: the file name's first word.
* ``Seneca-CDOT/simengine``: ``data/<kind>/<maker>-<kind>.snmprec``, recordings of the real PDUs and UPSes the
  simulator plays; label: the file name's first word.
* ``roskens/opennms-pre-github`` (OpenNMS before its move to GitHub): snmpwalk dumps under
  ``**/src/test/resources/`` (``.properties``, ``.txt``) whose file name names a maker (``cisco1700.properties``,
  ``mikrotik-192.168.0.1-walk.txt``, ``entPhysicalTable-cisco-r1.properties``); label: the first word of the file
  name that ``blind_labels.yaml`` lists as a maker's. Walks whose sysDescr says they are a mock or a simulation
  are left out (the source says they are not a device).

Devices already in ``librenms.jsonl`` or ``walks.jsonl`` (same sysDescr and sysObjectID) are left out, and a device
recorded twice (same sysDescr, sysObjectID, ENTITY rows and MACs) is kept once.

Run::

    .venv/bin/python tools/vendor_corpus_blind.py build /work/.mirror/inexio+thola/repo \\
        /work/.mirror/spearheadsys+checkmk-agent-output/repo /work/.mirror/Seneca-CDOT+simengine/repo \\
        /work/.mirror/roskens+opennms-pre-github/repo
    .venv/bin/python tools/vendor_corpus_blind.py measure   # aggregate figures only, never which rows miss
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
ROWS = OUT / "blind.jsonl"
LABELS = OUT / "blind_labels.yaml"
SOURCES_BEGIN = "# --- blind.jsonl (tools/vendor_corpus_blind.py) ---"
SOURCES_END = "# --- end of blind.jsonl ---"
#: A sysDescr in which the source says the walk is not a real device.
_NOT_A_DEVICE = re.compile(r"\b(?:mock|simulation|simulated)\b", re.I)
_CMK_HEX = re.compile(r'^"((?:[0-9A-Fa-f]{2} )*[0-9A-Fa-f]{2}) ?"$')
_CMK_LINE = re.compile(r"^(\.?\d+(?:\.\d+)+)(?: (.*))?$")


sys.path.insert(0, str(ROOT))
from tools.toolmodule import load as load_tool  # noqa: E402

W = load_tool("vendor_corpus_walks")  # its git and reduction helpers are reused, not copied


def _row(repo: str, commit: str, path: str, kind: str, label: str | None, rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"{repo.split('/')[1]}:{path}", "source_repo": repo, "commit": commit, "path": path,
            "kind": kind, "label": label, **rec}


def _files(gitdir: str, under: str) -> tuple[str, str, list[str]]:
    commit = W._git(gitdir, "rev-parse", "HEAD").strip()
    paths = W._git(gitdir, "ls-tree", "-r", "--name-only", commit, *([under] if under else [])).splitlines()
    return W._repo_of(gitdir), commit, paths


def thola_rows(gitdir: str, vendor_oids: set[str]) -> Iterator[dict[str, Any]]:
    """thola's device recordings, labelled by the vendor its identify test expects of each."""
    repo, commit, paths = _files(gitdir, "test/testdata/devices")
    for path in paths:
        if not path.endswith(".snmprec"):
            continue
        expected = json.loads(W._show(gitdir, commit, path[: -len(".snmprec")] + ".testdata") or "{}")
        vendor = (((expected.get("expectations") or {}).get("identify") or {}).get("properties") or {}).get("vendor")
        rec = W._facts(W._show(gitdir, commit, path) or "", path, vendor_oids)
        if W._identity(rec):
            yield _row(repo, commit, path, "snmprec", vendor, rec)


def checkmk_value(raw: str) -> Any:
    """One value of a Checkmk stored walk: quoted hex octets (``"43 69 73 "``), an OID (``.1.3.6...``, kept
    without its leading dot as snmprec values are), a quoted or a bare string."""
    from collectors.vendor.recordings import octets_value

    if m := _CMK_HEX.match(raw):
        return octets_value(bytes.fromhex(m.group(1).replace(" ", "")))
    if re.fullmatch(r"\.\d+(?:\.\d+)+", raw):
        return raw.lstrip(".")
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1]
    return raw


def checkmk_objects(text: str) -> list[tuple[str, Any, str]]:
    """``.OID value`` lines (Checkmk's stored walk format) -> the (oid, value, type) triples ``recordings.facts``
    reads; lines of any other shape are not objects and are passed over."""
    out = []
    for line in text.splitlines():
        m = _CMK_LINE.match(line.rstrip("\r"))
        if m:
            out.append((m.group(1).lstrip("."), checkmk_value(m.group(2) or ""), "checkmk"))
    return out


def _first_word(path: str) -> str:
    return Path(path).name.split(".", 1)[0].split("-", 1)[0].lower()


def checkmk_rows(gitdir: str, vendor_oids: set[str]) -> Iterator[dict[str, Any]]:
    """checkmk-agent-output's stored SNMP walks (``snmp/<maker>-<model>``); files of 4 MiB and more are not in
    the snapshot and are passed over."""
    from collectors.vendor import recordings

    repo, commit, paths = _files(gitdir, "snmp")
    for path in paths:
        text = W._show(gitdir, commit, path)
        rec = recordings.facts(checkmk_objects(text or ""), vendor_oids)
        if W._identity(rec):
            yield _row(repo, commit, path, "checkmk", _first_word(path), rec)


def simengine_rows(gitdir: str, vendor_oids: set[str]) -> Iterator[dict[str, Any]]:
    """simengine's recordings of real PDUs and UPSes (``data/<kind>/<maker>-<kind>.snmprec``)."""
    repo, commit, paths = _files(gitdir, "data")
    for path in paths:
        if path.endswith(".snmprec"):
            rec = W._facts(W._show(gitdir, commit, path) or "", path, vendor_oids)
            if W._identity(rec):
                yield _row(repo, commit, path, "snmprec", _first_word(path), rec)


def name_words(path: str) -> list[str]:
    """The words of a file name, lower case: ``entPhysicalTable-cisco-r1.properties`` -> entphysical, table,
    cisco, r; ``cisco1700b.properties`` -> cisco, b; ``mikrotik-192.168.0.1-walk.txt`` -> mikrotik, walk."""
    stem = Path(path).name.rsplit(".", 1)[0]
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", stem)]


def maker_in_name(path: str, makers: set[str]) -> str | None:
    return next((w for w in name_words(path) if w in makers), None)


def opennms_rows(gitdir: str, vendor_oids: set[str], makers: set[str]) -> Iterator[dict[str, Any]]:
    """OpenNMS's test walks whose file name names a maker (``makers``: the maker words of ``blind_labels.yaml``)."""
    repo, commit, paths = _files(gitdir, "")
    for path in paths:
        if "/src/test/resources/" not in path or not path.endswith((".properties", ".txt")):
            continue
        label = maker_in_name(path, makers)
        if label is None:
            continue
        rec = W._facts(W._show(gitdir, commit, path) or "", path, vendor_oids)
        if W._identity(rec) and not _NOT_A_DEVICE.search(str(rec.get("sys_descr") or "")):
            yield _row(repo, commit, path, "walk", label, rec)


def _tuned_keys() -> set[tuple[Any, Any]]:
    """(sysDescr, sysObjectID) of every device in the corpora the rules were tuned on or measured with."""
    keys = set()
    for name in ("librenms.jsonl", "walks.jsonl"):
        with (OUT / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    if r.get("sys_descr") or r.get("sys_object_id"):
                        keys.add((r.get("sys_descr"), r.get("sys_object_id")))
    return keys


def keep_new(rows: list[dict[str, Any]], tuned: set[tuple[Any, Any]]) -> tuple[list[dict[str, Any]], int, int]:
    """Rows of devices not in the other corpora, each device once; and how many were left out for each reason."""
    seen: set[str] = set()
    out, known, twice = [], 0, 0
    for row in rows:
        if (row.get("sys_descr") or row.get("sys_object_id")) and (row.get("sys_descr"),
                                                                  row.get("sys_object_id")) in tuned:
            known += 1
            continue
        key = json.dumps([row.get(k) for k in ("sys_descr", "sys_object_id", "entity", "macs")], sort_keys=True)
        if key in seen:
            twice += 1
            continue
        seen.add(key)
        out.append(row)
    return out, known, twice


def load_labels(path: Path = LABELS) -> Any:
    """The labels (``blind_labels.yaml``) as ``corpus.WalkLabels``: the same shape and rules as ``walks.jsonl``'s."""
    import yaml

    from collectors.vendor.corpus import WalkLabels

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return WalkLabels(dict(doc.get("manufacturers") or {}), dict(doc.get("aliases") or {}))


def load_rows(path: Path = ROWS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _maker_words() -> set[str]:
    """Lower-case single-word spellings of ``blind_labels.yaml``: the words a file name is searched for."""
    return {k for k in load_labels().manufacturers if re.fullmatch(r"[a-z0-9]+", k)}


def build(thola: str, checkmk: str, simengine: str, opennms: str) -> None:
    sys.path.insert(0, str(ROOT))
    from collectors.vendor.kb import load_kb

    oids = {v.oid for v in load_kb().vendor_oids}
    found = [*thola_rows(thola, oids), *checkmk_rows(checkmk, oids), *simengine_rows(simengine, oids),
             *opennms_rows(opennms, oids, _maker_words())]
    rows, known, twice = keep_new(found, _tuned_keys())
    with ROWS.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    _sources(rows, known, twice)
    print(f"{len(rows)} rows -> {ROWS} ({known} left out: in librenms.jsonl or walks.jsonl; {twice} recorded twice)")


_WHERE: dict[str, str] = {
    "inexio/thola": "test/testdata/devices/<class>/<device>/public.snmprec (label: public.testdata's expected vendor)",
    "spearheadsys/checkmk-agent-output": "snmp/<maker>-<model> (Checkmk stored walks; label: the file name's first "
                                         "word)",
    "Seneca-CDOT/simengine": "data/<kind>/<maker>-<kind>.snmprec (label: the file name's first word)",
    "roskens/opennms-pre-github": "**/src/test/resources/*.properties|*.txt (snmpwalk dumps; label: the maker word "
                                  "in the file name)",
}


def _sources(rows: list[dict[str, Any]], known: int, twice: int) -> None:
    """This corpus's delimited block of ``SOURCES`` (:func:`tools.vendor_corpus.set_delimited_block`)."""
    groups: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r["source_repo"], r["commit"])] = groups.get((r["source_repo"], r["commit"]), 0) + 1
    lines = [SOURCES_BEGIN,
             f"blind.jsonl: {len(rows)} devices' SNMP answers, trimmed to the objects netcomply reads "
             "(collectors.vendor.recordings), labelled by their source project (blind_labels.yaml):"]
    lines += [f"  {n:4d} from repository {repo}, commit {commit}, paths {_WHERE.get(repo, '?')} (each row's 'path')."
              for (repo, commit), n in groups.items()]
    lines += [f"  Left out: {known} devices also in librenms.jsonl or walks.jsonl (same sysDescr and sysObjectID), "
              f"{twice} recorded twice.",
              "Re-build: .venv/bin/python tools/vendor_corpus_blind.py build <thola git dir> "
              "<checkmk-agent-output git dir> <simengine git dir> <opennms-pre-github git dir>",
              SOURCES_END]
    load_tool("vendor_corpus").set_delimited_block(SOURCES_BEGIN, SOURCES_END, "\n".join(lines) + "\n")


def parts(measure: Any) -> dict[str, Any]:
    """The whole corpus and each source repository: aggregate ``Measure`` objects only."""
    from collectors.vendor import corpus

    out = {"all": measure}
    for repo in sorted({o.row["source_repo"] for o in measure.outcomes}):
        out[repo] = corpus.Measure([o for o in measure.outcomes if o.row["source_repo"] == repo])
    return out


def figures(measure: Any) -> dict[str, dict[str, Any]]:
    """Counts per part (rows, labelled, brand right, unknown, PRC wrong, PRC needs review): never row ids."""
    keep = ("recordings", "labelled", "brand_right", "unknown", "prc_wrong", "prc_needs_review", "vendors")
    return {name: {k: part.summary()[k] for k in keep} for name, part in parts(measure).items()}


def measure() -> dict[str, dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    return figures(corpus.measure_walks(load_kb(), load_rows(), load_labels()))


def main(argv: list[str]) -> None:
    if argv[:1] == ["build"] and len(argv) == 5:
        build(*argv[1:])
    elif argv[:1] == ["measure"]:
        print(json.dumps(measure(), indent=1))
    else:
        print(__doc__)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
