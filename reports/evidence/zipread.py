"""Reading a pack's ZIP without trusting it: names as standard zip tools write them, sizes bounded before any
byte is inflated, content hashed in chunks.

Why: a pack is attacker-controlled input. A 2 MB ZIP can declare (or really inflate to) gigabytes; reading
members whole would hold them in memory. Here nothing is read whole except the three small members verify
needs (manifest, signature, signer key), each under its own cap, and every other member is only ever streamed
through SHA-256, after its ZIP header size has been checked against the manifest and against the caps.

Re-zipped packs are accepted as long as the *files* are the same: folder entries (``artifacts/``, which
``zip -r``, ``shutil.make_archive`` and Windows Explorer add), backslash separators (older Windows tools), a
leading ``./``, and one enclosing folder (a pack zipped from its unpacked folder).
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field

from reports.evidence import layout
from reports.evidence.result import Problem

CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Caps that bound memory and work. ``max_ratio`` is above what DEFLATE can reach (about 1032:1), so it
    only stops headers that lie or exotic-compression bombs; with it a pack costs at most ``max_ratio`` times
    its own size to hash."""

    max_member: int = 1 << 30  # 1 GiB: far above any config, walk or tech-support capture
    max_manifest: int = 64 << 20  # a manifest of ~150,000 artifacts; parsed in memory, so kept small
    max_small: int = 64 << 10  # manifest.sig and signer.pub are a few hundred bytes
    max_ratio: int = 1100


@dataclass
class PackIndex:
    """The pack's file members under their normalized names, and the folder entries seen."""

    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    folders: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _normalized(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def index(zf: zipfile.ZipFile) -> PackIndex:
    """Name every member as the manifest would; a name seen twice is a problem (which copy counts?)."""
    infos = [(info, _normalized(info.filename)) for info in zf.infolist()]
    root = _enclosing_folder([name for _, name in infos])
    result = PackIndex()
    for info, name in infos:
        if root and name.startswith(root):
            name = name[len(root):]
        if not name or name == root:
            continue  # the enclosing folder's own entry
        if name.endswith("/") and info.file_size == 0:
            result.folders[name] = info
        elif name in result.files:
            result.problems.append(Problem(name, "extra", "appears more than once in the ZIP"))
        else:
            result.files[name] = info
    return result


def _enclosing_folder(names: list[str]) -> str:
    """``X/`` when every member sits in one folder X and the manifest is at ``X/manifest.json``."""
    if layout.MANIFEST in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) != 1 or not all("/" in n for n in names):
        return ""
    root = tops.pop() + "/"
    return root if root + layout.MANIFEST in names else ""


def unexpected_folders(pack: PackIndex, listed: set[str]) -> list[str]:
    """Folder entries that are not a folder of some listed file (an empty folder no tool needed to add)."""
    parents = {name[: i + 1] for name in listed for i, ch in enumerate(name) if ch == "/"}
    return sorted(set(pack.folders) - parents)


def size_problem(name: str, info: zipfile.ZipInfo, limits: Limits, cap: int | None = None) -> Problem | None:
    """Why ``info`` must not be read, judged on its header alone; None when it may be."""
    cap = limits.max_member if cap is None else cap
    if info.file_size > cap:
        return Problem(name, "oversize", f"the ZIP header declares {info.file_size} bytes, over the {cap}-byte "
                       "limit of this member; not read")
    if info.file_size > max(info.compress_size, 1) * limits.max_ratio:
        return Problem(name, "oversize", f"inflates {info.file_size // max(info.compress_size, 1)}:1, over the "
                       f"{limits.max_ratio}:1 no honest DEFLATE member reaches; not read")
    return None


def read_small(zf: zipfile.ZipFile, name: str, info: zipfile.ZipInfo, limits: Limits, cap: int) -> bytes | Problem:
    """The whole member, when its header and its content stay under ``cap``; otherwise the problem."""
    refused = size_problem(name, info, limits, cap)
    if refused:
        return refused
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)  # the header may lie: never more than cap + 1 bytes, whatever it says
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error) as exc:
        return Problem(name, "changed", f"unreadable ZIP member: {exc}")
    if len(data) > cap:
        return Problem(name, "oversize", f"holds more than its {cap}-byte limit")
    return data


def sha256_of(zf: zipfile.ZipFile, name: str, info: zipfile.ZipInfo) -> tuple[str, int] | Problem:
    """SHA-256 and size of the member's content, streamed ``CHUNK`` bytes at a time (zipfile stops at the
    header's size and checks the CRC, so a lying header ends as a mismatch, never as unbounded output)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error) as exc:
        return Problem(name, "changed", f"unreadable ZIP member: {exc}")
    return digest.hexdigest(), size
