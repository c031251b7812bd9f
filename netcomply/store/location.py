"""Where the store lives: turning what a user typed (a URL, a file path, nothing) into a SQLAlchemy URL.

Users write ``postgresql://host/db`` as every PostgreSQL tool accepts it; we pin the driver to psycopg 3
(``postgresql+psycopg``) so that SQLAlchemy never falls back to psycopg2, which we do not ship. A bare path
is a SQLite file, which is what almost every agency runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from netcomply.errors import InputError
from netcomply.safety.files import make_private_dir

ENV_VAR = "NETCOMPLY_DB"

_PG_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
_SQLITE_SCHEMES = {"sqlite", "sqlite+pysqlite"}


def default_db_url() -> str:
    """``$NETCOMPLY_DB`` if set (a URL or a file path), else ``$XDG_DATA_HOME/netcomply/netcomply.db``
    (``~/.local/share/netcomply/netcomply.db`` when ``XDG_DATA_HOME`` is unset or empty, per the XDG spec)."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return configured
    return str(default_store_dir() / "netcomply.db")


def default_store_dir() -> Path:
    """The folder of the default SQLite store: netcomply's own, so the store may make it private."""
    data_home = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(data_home) if data_home and Path(data_home).is_absolute() else Path.home() / ".local" / "share"
    return base / "netcomply"


def is_url(text: str) -> bool:
    return "://" in text


def resolve_url(url_or_path: str) -> URL:
    """Return the SQLAlchemy URL for a URL or a SQLite file path.

    A SQLite file's missing parent folders are created here (private: 0700, see
    :mod:`netcomply.safety.files`), because "unable to open database file" is the least helpful message
    SQLite has. Unsupported schemes are an :class:`InputError` naming what works.
    """
    text = url_or_path.strip()
    if not text:
        raise InputError("empty database location: give a SQLite file path or a postgresql:// URL",
                         file=ENV_VAR)
    if not is_url(text):
        path = Path(text).expanduser().absolute()
        if path.is_dir():
            raise InputError(f"{path} is a directory; give the path of a SQLite file inside it", file=str(path))
        make_private_dir(path.parent)
        return URL.create("sqlite+pysqlite", database=str(path))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise InputError(f"not a database URL: {exc}", file=mask(text)) from None
    if url.drivername in _PG_SCHEMES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in _SQLITE_SCHEMES:
        if not url.database or url.database == ":memory:":
            raise InputError("an in-memory SQLite store would lose every run; give a file path",
                             file=mask(text))
        path = Path(url.database).expanduser().absolute()
        make_private_dir(path.parent)
        return url.set(drivername="sqlite+pysqlite", database=str(path))
    raise InputError(
        f"unsupported database URL scheme {url.drivername!r}: use a SQLite file path, sqlite:///PATH "
        "or postgresql://USER@HOST:PORT/DB",
        file=mask(text),
    )


def mask(url: str | URL) -> str:
    """The URL with its password replaced by ``***``, safe for logs and reports."""
    if isinstance(url, str):
        if not is_url(url):
            return url
        try:
            url = make_url(url)
        except ArgumentError:
            return "<unparsable database URL>"
    return url.render_as_string(hide_password=True)
