"""Who may read what netcomply writes: private by default, group-readable only when asked.

The store holds device configurations and the reports name every weakness of an agency's network, so
nothing netcomply writes is readable by other users of the machine. The CLI sets the process umask at start
(:func:`apply_umask`), which covers every file and folder any module creates with default modes; the store
and the CLI's own writers also set explicit modes, which hold even when netcomply is used as a library.

Agencies whose audit staff share a Unix group can ask for group-readable output instead
(``netcomply --group-readable ...`` or ``NETCOMPLY_GROUP_READABLE=1``): folders 0750, files 0640. Group write
and anything for "other" are never granted.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

#: Environment variable that asks for group-readable output (1/true/yes/on).
GROUP_ENV = "NETCOMPLY_GROUP_READABLE"

_TRUE = frozenset({"1", "true", "yes", "on"})


def group_readable() -> bool:
    """True when the user asked for group-readable files (``$NETCOMPLY_GROUP_READABLE``)."""
    return os.environ.get(GROUP_ENV, "").strip().lower() in _TRUE


def umask_bits() -> int:
    """The umask of the chosen policy: 077 (private) or 027 (group may read)."""
    return 0o027 if group_readable() else 0o077


def dir_mode() -> int:
    return 0o777 & ~umask_bits()


def file_mode() -> int:
    return 0o666 & ~umask_bits()


def apply_umask(group: bool | None = None) -> int:
    """Set the process umask for the policy (``group`` overrides and records the choice in the environment,
    so in-process code and child processes follow it); returns the previous umask."""
    if group is not None:
        if group:
            os.environ[GROUP_ENV] = "1"
        else:
            os.environ.pop(GROUP_ENV, None)
    return os.umask(umask_bits())


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents with the policy's folder mode; folders that already exist are
    left as they are (they may be the user's own, deliberately shared, folders such as /tmp or /srv)."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=dir_mode())
        except FileExistsError:
            continue  # another process created it meanwhile
        os.chmod(folder, dir_mode())  # mkdir's mode is filtered by the umask; make it exact
    return path


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with the policy's file mode unless it exists; True if this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode())
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, file_mode())
    return True


def tighten(path: Path, *, folder: bool = False) -> str | None:
    """Take away permission bits the policy does not allow (never add any). Returns a sentence saying what
    was changed or why it could not be, or None when the mode was already right or the path is missing."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None
    allowed = dir_mode() if folder else file_mode()
    wanted = mode & allowed
    if wanted == mode:
        return None
    try:
        os.chmod(path, wanted)
    except OSError as exc:
        return f"{path} is {mode:04o} (readable by others) and could not be tightened: {exc.strerror or exc}"
    return f"tightened {path} from {mode:04o} to {wanted:04o}"


def write_private_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` with the policy's file mode, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode())
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, stat.S_IMODE(path.stat().st_mode) & file_mode())
    return path


__all__ = [
    "GROUP_ENV",
    "apply_umask",
    "create_private_file",
    "dir_mode",
    "file_mode",
    "group_readable",
    "make_private_dir",
    "tighten",
    "write_private_text",
]
