"""Build and measure the LibreNMS history corpus (``tests/vendor/corpus/history.jsonl``): real SNMP recordings that
LibreNMS once held (older trees of its history, branches of forks) but that are not in the LibreNMS corpus
(``librenms.jsonl``, Jellyfrog/librenms@4ab87302).

Why: the rules were written against ``librenms.jsonl``; devices recorded in LibreNMS's history or in forks' branches,
and dropped or never merged since, were never read while tuning. Like ``blind.jsonl`` this corpus was built once
and measured blind (its misses unread up to netcomply d83cf31: 137 of 167 right); round 6 opened its tuned families'
rows as a development corpus, while its held-out families stay unread. ``measure`` prints aggregate figures only.

Rows: every ``tests/snmpsim/*.snmprec`` blob in the trees of the given repositories' refs, and, in the history of
every repository given (``git log --all``), the last version of each path (for a path deleted since, the version
before its deletion). Each is reduced exactly as ``tools/vendor_corpus.py`` reduces the LibreNMS corpus (its
``trim``: ``recordings.facts(recordings.read_text(text).objects, vendor_oids)``). A blob recorded in several places is
read once (the first place it is found: the repositories in the order given, ref trees before history). Dropped: a
device already in ``librenms.jsonl``, ``walks.jsonl`` or ``blind.jsonl`` (same sysDescr and sysObjectID, the rule
of ``tools/vendor_corpus_walks.py`` and ``tools/vendor_corpus_blind.py``, sysDescr compared with white space collapsed
and case folded; or same sysDescr and the same non-empty set of ENTITY serial numbers; or, for a file name
``librenms.jsonl`` also holds, followed through its renames in the first repository's history (``3com1`` ->
``3com_1``), the same sysDescr or the same sysObjectID: LibreNMS re-recorded that device), and a
device recorded twice here by the same rule (the first is kept).

Labels, as the LibreNMS corpus's (``collectors.vendor.corpus.Labels``): the file name's OS (``tools/vendor_corpus.py``
``os_of``: the longest OS defined at 4ab87302, ``librenms_os.json``, that the name is cut to at an underscore); old
LibreNMS names without the underscore (``3com1``, ``ciscosb-srw208``) get the longest defined OS the name starts with
followed by a digit, ``-`` or ``@``. A recording whose OS is not defined at 4ab87302 is kept unlabelled, not counted.

Run::

    .venv/bin/python tools/vendor_corpus_history.py build /work/.mirror/Jellyfrog+librenms/repo \\
        /work/.mirror/Npeca75+librenms/repo ...   # the Jellyfrog mirror first: its history is the reference
    .venv/bin/python tools/vendor_corpus_history.py measure   # aggregate figures only, never which rows miss
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "vendor" / "corpus"
ROWS = OUT / "history.jsonl"
SOURCES_BEGIN = "# --- history.jsonl (tools/vendor_corpus_history.py) ---"
SOURCES_END = "# --- end of history.jsonl ---"
SNMPSIM = "tests/snmpsim"
#: What a summary part reports: counts only, never row ids.
KEEP = ("recordings", "labelled", "brand_right", "unknown", "prc_wrong", "prc_needs_review", "vendors")

sys.path.insert(0, str(ROOT))
from tools.toolmodule import load as load_tool  # noqa: E402

V = load_tool("vendor_corpus")  # git batch reading, the reduction and the OS of a file name are reused, not copied
W = load_tool("vendor_corpus_walks")  # and the repository name of a mirror


Place = tuple[str, str, str]  # (repository, commit, path)


def _tree_blobs(gitdir: str, commit: str) -> Iterator[tuple[str, str]]:
    """(blob, path) of every ``.snmprec`` file under tests/snmpsim in one commit's tree."""
    for line in W._git(gitdir, "ls-tree", "-r", commit, SNMPSIM).splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith(".snmprec"):
            yield parts[2], path


def ref_places(gitdir: str) -> Iterator[tuple[str, Place]]:
    """The recordings in the trees of a repository's refs (branches and tags): (blob, place)."""
    repo = W._repo_of(gitdir)
    seen_trees: set[str] = set()
    for commit in sorted(set(W._git(gitdir, "for-each-ref", "--format=%(objectname)^{commit}").split())):
        proc = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", commit, f"{commit}:{SNMPSIM}"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            continue  # a ref to no commit, or a tree without tests/snmpsim
        resolved, tree = proc.stdout.split()
        if tree in seen_trees:
            continue
        seen_trees.add(tree)
        for blob, path in _tree_blobs(gitdir, resolved):
            yield blob, (repo, resolved, path)


_RAW = re.compile(r"^:\d+ \d+ ([0-9a-f]{40}) ([0-9a-f]{40}) ([AMDT])\d*\t(.+)$")


def history_places(gitdir: str) -> Iterator[tuple[str, Place]]:
    """The last version of every tests/snmpsim path in a repository's history (``git log --all``, newest first):
    the blob a commit wrote there, or, for a path whose newest change deleted it, the blob the deletion removed
    (recorded at the deleting commit's parent)."""
    repo = W._repo_of(gitdir)
    out = W._git(gitdir, "log", "--all", "--format=commit %H", "--raw", "--no-abbrev", "--no-renames", "--", SNMPSIM)
    seen: set[str] = set()
    deleted: list[tuple[str, str, str]] = []
    commit = ""
    for line in out.splitlines():
        if line.startswith("commit "):
            commit = line.split()[1]
            continue
        m = _RAW.match(line)
        if not m or not m.group(4).endswith(".snmprec") or m.group(4) in seen:
            continue
        old, new, status, path = m.groups()
        seen.add(path)
        if status == "D":
            deleted.append((old, commit, path))
        else:
            yield new, (repo, commit, path)
    parents = W._git(gitdir, "rev-parse", *(f"{c}^" for _, c, _ in deleted)).split() if deleted else []
    for (old, _, path), parent in zip(deleted, parents, strict=True):
        yield old, (repo, parent, path)


def places(gitdirs: Iterable[str]) -> dict[str, Place]:
    """Each distinct recording (blob) once, at the first place it is found."""
    found: dict[str, Place] = {}
    for gitdir in gitdirs:
        for blob, place in [*ref_places(gitdir), *history_places(gitdir)]:
            found.setdefault(blob, place)
    return found


def _gitdir_of(repo: str, gitdirs: Iterable[str]) -> str:
    return next(g for g in gitdirs if W._repo_of(g) == repo)


def read_places(found: dict[str, Place], gitdirs: list[str]) -> tuple[dict[str, bytes], int]:
    """The blobs' bytes (through ``tools/vendor_corpus.py``'s batch reader, one call per commit) and how many
    the mirrors do not hold."""
    by_commit: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for blob, (repo, commit, path) in found.items():
        by_commit.setdefault((repo, commit), []).append((blob, path))
    data: dict[str, bytes] = {}
    for (repo, commit), items in by_commit.items():
        got = V._blobs(_gitdir_of(repo, gitdirs), commit, [p for _, p in items])
        data.update({blob: got[path] for blob, path in items if path in got})
    return data, len(found) - len(data)


_OLD_NAME = re.compile(r"[0-9@-]")


def os_label(stem: str, known: set[str]) -> str | None:
    """The OS a recording's file name names (None: no OS defined at 4ab87302): ``tools/vendor_corpus.py``'s rule
    (``<os>`` or ``<os>_<variant>``), then old LibreNMS names (``<os><n>``, ``<os>-<variant>``, ``<os>@<n>``): the
    longest defined OS the name starts with, followed by a digit, ``-`` or ``@``."""
    os_name = V.os_of(stem, known)
    if os_name in known:
        return str(os_name)
    head = stem.split("_", 1)[0]
    cuts = [head[:i] for i in range(len(head) - 1, 0, -1) if _OLD_NAME.match(head[i])]
    return next((c for c in cuts if c in known), None)


def serials(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted({str(e["serial"]) for e in row.get("entity") or () if str(e.get("serial") or "").strip()}))


def _text(value: Any) -> str:
    """A sysDescr as compared: white space collapsed, case folded (a re-recording may wrap or re-case it)."""
    return " ".join(str(value or "").split()).casefold()


def renames(gitdir: str) -> dict[str, str]:
    """Old name -> new name of every tests/snmpsim file a commit of the repository's history renamed (git's rename
    detection; the newest rename of a name wins)."""
    out = W._git(gitdir, "log", "--all", "--format=", "--raw", "--no-abbrev", "-M", "--diff-filter=R", "--", SNMPSIM)
    found: dict[str, str] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[1] != parts[2]:
            found.setdefault(parts[1], parts[2])
    return found


def final_name(path: str, renamed: dict[str, str]) -> str:
    """The name a file ended up with, through every rename (``3com1.snmprec`` -> ``3com_1.snmprec``)."""
    seen = {path}
    while path in renamed and renamed[path] not in seen:
        path = renamed[path]
        seen.add(path)
    return path


def device_keys(row: dict[str, Any], renamed: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
    """The keys that say two rows are one device: sysDescr and sysObjectID; sysDescr and ENTITY serial numbers;
    and one file (``tests/snmpsim/<name>.snmprec``, followed through its renames) with the same sysDescr or the same
    sysObjectID, a device LibreNMS re-recorded under that file (new firmware, an edited fixture)."""
    keys: list[tuple[Any, ...]] = []
    path = final_name(str(row.get("path")), renamed or {})
    descr, oid = _text(row.get("sys_descr")), row.get("sys_object_id")
    if descr or oid:
        keys.append(("oid", descr, oid))
    if serials(row):
        keys.append(("serials", descr, serials(row)))
    keys += [("file", path, kind, value) for kind, value in (("descr", descr), ("oid", oid)) if value]
    return keys


def known_devices(renamed: dict[str, str] | None = None) -> set[tuple[Any, ...]]:
    """Device keys of every other corpus: the one the rules were tuned on and the ones measured blind."""
    from collectors.vendor import corpus

    rows = [*corpus.load_rows(), *corpus.load_walks()[0], *corpus.load_rows(OUT / "blind.jsonl")]
    return {k for r in rows for k in device_keys(r, renamed)}


def keep_new(rows: list[dict[str, Any]], known: set[tuple[Any, ...]],
             renamed: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], int, int]:
    """Rows of devices not in the other corpora, each device once; and how many were left out for each reason."""
    seen: set[tuple[Any, ...]] = set()
    out, dropped_known, twice = [], 0, 0
    for row in rows:
        keys = device_keys(row, renamed)
        if any(k in known for k in keys):
            dropped_known += 1
        elif any(k in seen for k in keys):
            twice += 1
        else:
            seen.update(keys)
            out.append(row)
    return out, dropped_known, twice


def make_rows(found: dict[str, Place], data: dict[str, bytes], vendor_oids: set[str],
              os_names: set[str]) -> list[dict[str, Any]]:
    from collectors.vendor import recordings

    rows = []
    for blob, (repo, commit, path) in sorted(found.items(), key=lambda kv: (kv[1][2], kv[1][0], kv[1][1])):
        if blob not in data:
            continue
        rec = V.trim(recordings.decode(data[blob]), vendor_oids)
        if not W._identity(rec):
            continue  # no identity object (skeletons, context-only files), as tools/vendor_corpus.py skips them
        stem = Path(path).stem
        rows.append({"id": f"{repo.split('/')[0]}:{stem}@{blob[:10]}", "os": os_label(stem, os_names),
                     "source_repo": repo, "commit": commit, "path": path, **rec})
    return rows


def build(gitdirs: list[str]) -> None:
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    found = places(gitdirs)
    data, missing = read_places(found, gitdirs)
    rows = make_rows(found, data, {v.oid for v in load_kb().vendor_oids}, set(corpus.load_labels().os_defs))
    renamed = renames(gitdirs[0])
    kept, dropped, twice = keep_new(rows, known_devices(renamed), renamed)
    with ROWS.open("w", encoding="utf-8") as fh:
        for row in kept:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    counts = {"blobs": len(found), "missing": missing, "read": len(data), "with_identity": len(rows),
              "known": dropped, "twice": twice}
    write_sources_block(sources_block(kept, counts))
    print(json.dumps({**counts, "kept": len(kept), "labelled": sum(1 for r in kept if r["os"])}))


def sources_block(rows: list[dict[str, Any]], counts: dict[str, int]) -> str:
    groups: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r["source_repo"], r["commit"])] = groups.get((r["source_repo"], r["commit"]), 0) + 1
    lines = [SOURCES_BEGIN,
             f"history.jsonl: {len(rows)} devices' SNMP recordings LibreNMS once held (older trees, forks' branches) "
             "and librenms.jsonl does not, trimmed as librenms.jsonl is (tools/vendor_corpus.py trim), labelled by "
             "the file name's OS (librenms_os.json, label_vendors.yaml). Each row names its repository, commit and "
             "path tests/snmpsim/<name>.snmprec:"]
    lines += [f"  {n:4d} from repository {repo}, commit {commit}" for (repo, commit), n in sorted(groups.items())]
    lines += [f"  Read {counts['read']} distinct recordings of {counts['blobs']} found "
              f"({counts['missing']} blobs not in the mirrors); {counts['with_identity']} name a device; "
              f"left out: {counts['known']} devices also in "
              "librenms.jsonl, walks.jsonl or blind.jsonl (same sysDescr and sysObjectID, or same sysDescr and ENTITY "
              "serials, or the same file, followed through its renames, with the same sysDescr or sysObjectID), "
              f"{counts['twice']} recorded twice.",
              "Re-build: .venv/bin/python tools/vendor_corpus_history.py build <Jellyfrog/librenms git dir> "
              "<fork git dirs...>",
              SOURCES_END]
    return "\n".join(lines) + "\n"


def write_sources_block(block: str) -> None:
    """This corpus's delimited block of ``SOURCES`` (:func:`tools.vendor_corpus.set_delimited_block`)."""
    V.set_delimited_block(SOURCES_BEGIN, SOURCES_END, block)


def load_rows(path: Path = ROWS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def measured(rows: list[dict[str, Any]] | None = None) -> Any:
    """Identification over every row, labelled as the LibreNMS corpus is (``corpus.Labels.of``); a row whose OS is
    not defined at 4ab87302 gets no vendor."""
    from collectors.vendor import corpus
    from collectors.vendor.kb import load_kb

    kb, labels = load_kb(), corpus.load_labels()
    out = corpus.Measure()
    for row in load_rows() if rows is None else rows:
        label = labels.of(str(row["os"])) if row.get("os") else corpus.Label(str(row.get("os")), None, None)
        verdict = corpus.verdict_of(kb, row)
        right = corpus.same_vendor(kb, verdict, label) if label.vendor is not None else None
        wrong = label.prc is not None and verdict.prc_brand is not None and verdict.prc_brand != label.prc
        out.outcomes.append(corpus.Outcome(row, label, verdict, right, wrong))
    return out


def figures(measure: Any) -> dict[str, dict[str, Any]]:
    """Counts of the whole corpus and of its parts (held-out vendor families or not; OS in librenms.jsonl or not;
    file name one of librenms.jsonl's or not; labelled by the old-name rule; what identity the row holds): never
    row ids, never which rows miss."""
    from collectors.vendor import corpus

    librenms = corpus.load_rows()
    os_seen, names = {r["os"] for r in librenms}, {r["path"] for r in librenms}
    defined = set(corpus.load_labels().os_defs)

    def old_name(o: Any) -> bool:
        stem = Path(o.row["path"]).stem
        return o.row.get("os") is not None and V.os_of(stem, defined) != o.row["os"]

    tests = {"held-out families": lambda o: corpus.holdout(o.label.vendor),
             "tuned families": lambda o: not corpus.holdout(o.label.vendor),
             "OS in librenms.jsonl": lambda o: o.row.get("os") in os_seen,
             "OS not in librenms.jsonl": lambda o: o.row.get("os") not in os_seen,
             "file name in librenms.jsonl": lambda o: o.row["path"] in names,
             "file name not in librenms.jsonl": lambda o: o.row["path"] not in names,
             "labelled by the old-name rule": old_name,
             "sysDescr and sysObjectID": lambda o: bool(o.row.get("sys_descr") and o.row.get("sys_object_id")),
             "sysDescr, no sysObjectID": lambda o: bool(o.row.get("sys_descr") and not o.row.get("sys_object_id")),
             "sysObjectID, no sysDescr": lambda o: bool(o.row.get("sys_object_id") and not o.row.get("sys_descr"))}
    parts = {"all": measure, **{name: corpus.Measure([o for o in measure.outcomes if test(o)])
                                for name, test in tests.items()}}
    return {name: {k: part.summary()[k] for k in KEEP} for name, part in parts.items()}


def main(argv: list[str]) -> None:
    if argv[:1] == ["build"] and len(argv) > 1:
        build(argv[1:])
    elif argv == ["measure"]:
        print(json.dumps(figures(measured()), indent=1))
    else:
        print(__doc__)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
