"""A throwaway PostgreSQL server for tests and benchmarks, from the Debian binaries on this machine.

``start_postgres()`` runs ``initdb`` and ``pg_ctl start`` on a fresh data directory, listening on a free
TCP port of 127.0.0.1 (and a unix socket in the same directory), with trust authentication, and returns
``(url, stop)``. ``stop()`` shuts the server down and deletes the directory.

As root we run the server as the ``postgres`` user (PostgreSQL refuses to run as root) through
``runuser -u postgres --``; the directory is created in a place that user can reach (``/tmp`` by default:
pytest's own tmp dirs live under a 0700 root folder the postgres user cannot traverse).

By default durability is traded for speed (``fsync=off``, no synchronous commit); pass ``durable=True``
when measuring.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")
BIN_ENV = "NETCOMPLY_PG_BIN"


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries (initdb, pg_ctl) are not installed here."""


def find_bin_dir() -> Path:
    """``$NETCOMPLY_PG_BIN``, else the newest ``/usr/lib/postgresql/N/bin``, else initdb on PATH."""
    configured = os.environ.get(BIN_ENV)
    candidates: list[Path] = [Path(configured)] if configured else []
    if DEBIAN_PG_ROOT.is_dir():
        versions = [p for p in DEBIAN_PG_ROOT.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: int(p.name), reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for cand in candidates:
        if (cand / "initdb").is_file() and (cand / "pg_ctl").is_file():
            return cand
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (looked in $NETCOMPLY_PG_BIN, /usr/lib/postgresql/*/bin, PATH); "
        "install Debian's postgresql-15"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_postgres(
    base_dir: str | os.PathLike[str] | None = None, *, durable: bool = False
) -> tuple[str, Callable[[], None]]:
    """Start a private server; return ``(url, stop)``. ``url`` is ``postgresql://postgres@127.0.0.1:PORT/
    postgres``. ``base_dir`` is where the data directory goes when the postgres user can reach it."""
    bin_dir = find_bin_dir()
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    work = _work_dir(base_dir, prefix, env)
    data, log = work / "data", work / "server.log"

    def run(*args: str) -> None:
        proc = subprocess.run([*prefix, *args], env=env, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip()
            if log.exists():
                detail += "\n--- server log ---\n" + _tail(log)
            raise RuntimeError(f"{Path(args[0]).name} failed ({proc.returncode}): {detail}")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync")
        port = free_port()
        options = [f"-p {port}", "-c listen_addresses=127.0.0.1", f"-k {work}", "-c max_connections=100"]
        if not durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", " ".join(options),
            "start")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    stopped = False

    def stop() -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       env=env, capture_output=True, timeout=60, check=False)
        shutil.rmtree(work, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def _work_dir(base_dir: str | os.PathLike[str] | None, prefix: list[str], env: dict[str, str]) -> Path:
    """A fresh directory owned by the server's user. A ``base_dir`` the postgres user cannot reach (pytest's
    ``tmp_path`` lives under a 0700 folder of root's) falls back to the system temp dir."""
    for parent in ([base_dir] if base_dir is not None else []) + [None]:
        work = Path(tempfile.mkdtemp(prefix="netcomply-pg-", dir=parent))
        if not prefix:
            return work
        pg = pwd.getpwnam("postgres")
        os.chmod(work, 0o700)
        os.chown(work, pg.pw_uid, pg.pw_gid)
        reachable = subprocess.run([*prefix, "test", "-w", str(work)], env=env, check=False).returncode == 0
        if reachable:
            return work
        shutil.rmtree(work, ignore_errors=True)
    raise RuntimeError("no directory the postgres user can write to")  # pragma: no cover


def create_database(server_url: str, name: str | None = None) -> str:
    """Create an empty database on the server and return its URL (one per test keeps tests apart)."""
    import psycopg

    name = name or f"t_{uuid.uuid4().hex[:12]}"
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe database name {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def create_schema(server_url: str, name: str | None = None) -> str:
    """Create an empty schema and return a URL whose connections use it (``search_path``).

    Far cheaper than a database (about 5 ms against 0.5 s for ``CREATE DATABASE``), and just as good at
    keeping tests apart: everything the store creates lands in the schema.
    """
    import psycopg

    name = name or f"t_{uuid.uuid4().hex[:12]}"
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe schema name {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in server_url else "?"
    return f"{server_url}{separator}options=-csearch_path%3D{name}"


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
