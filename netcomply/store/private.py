"""A SQLite store's files are private: the database and its -wal/-shm 0600, netcomply's own folder 0700.

The store keeps device configurations (redacted, but still a map of the network) and every finding. SQLite
creates a new database with 0644 filtered by the umask, and gives -wal and -shm the mode of the database
file, so we create the database file ourselves with the policy's mode (:mod:`netcomply.safety.files`) before
SQLite opens it; the files SQLite adds then follow.

A store that already exists with a looser mode (written by an older netcomply, or copied with ``cp``) is
*tightened* on open, with a warning naming the file and both modes, rather than only warned about: a warning
in a nightly cron job's log is read by nobody, while the exposure is real every day it lasts. Only bits are
taken away, never added, and only on files this user owns (anything else is warned about). The folder is
tightened only when it is netcomply's default store folder; a folder the user chose (``--db /srv/x.db``) may
be shared on purpose and is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

from netcomply.safety.files import create_private_file, tighten
from netcomply.store.location import default_store_dir

log = logging.getLogger("netcomply.store")

#: Files SQLite keeps beside the database in WAL mode.
SIDE_FILES = ("-wal", "-shm", "-journal")


def secure_sqlite_files(database: Path) -> list[str]:
    """Create ``database`` privately if missing and tighten it, its side files and (if it is netcomply's
    default folder) its folder. Returns the sentences logged, for callers and tests."""
    notes: list[str] = []
    if database.parent == default_store_dir():
        notes.append(tighten(database.parent, folder=True) or "")
    create_private_file(database)
    for path in (database, *(database.with_name(database.name + suffix) for suffix in SIDE_FILES)):
        notes.append(tighten(path) or "")
    said = [n for n in notes if n]
    for note in said:
        log.warning("store: %s (the store holds device configurations; see README, Security)", note)
    return said
