"""Run snmpsim for the lab: one process, every device, readiness detection, clean stop.

Layout chosen and why:

* One snmpsim process serves every recording; the v2c community is the recording's path (its file stem).
* The default lab gives each device its own SNMP *engine* on its own loopback address (127.0.10.x:1161),
  whose snmpEngineID carries the vendor's enterprise number -- what nmap's ``snmp-info`` and an SNMPv3
  discovery see on a real device. Each such engine serves only its own recording (a data directory with a
  hard link to it), so ``cg-core1`` does not answer on ed-core1's address.
* SNMPv3 (authPriv, the lab's :class:`V3User`, random keys per ``lab up``, written to ``v3_user.env`` in the
  snmpsim cache dir, mode 0600): every engine takes v3; a device's own engine also serves its recording under
  the empty context name (what scanners send), through a ``self.snmprec`` link. v3 does not turn v2c off
  (snmpsim's ``--v3-only`` is global): a v3-only device is one whose community the client does not know.
* A shared engine on 127.0.0.1:1161 and [::1]:1161 serves every recording by community (tests, IPv6).
* Scale mode puts all its addresses on the shared engine: a thousand engines would cost ~2 MB each.
* As root snmpsim wants to drop privileges; ``SNMPSIM_ALLOW_ROOT=true`` is the documented escape.
* Readiness: snmpsim binds every endpoint before it serves, so the first answer to a v2c GET on the
  shared engine means the whole lab is up.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

from netcomply.app.lab.snmp.apvariation import SHIM
from netcomply.app.lab.snmp.generate import device_mac, engine_id
from netcomply.app.lab.snmp.recipes import model_for
from netcomply.app.lab.snmp.schedule import SCHEDULE_FILE
from netcomply.app.lab.snmp.topology import LabDevice

LAB_PORT = 1161
_REPO_ROOT = Path(__file__).resolve().parents[4]


@dataclass(frozen=True)
class Endpoint:
    """A UDP address snmpsim listens on. ``device`` set: its own engine serving only that recording."""

    address: str
    port: int = LAB_PORT
    device: str | None = None
    engine_id: str | None = None  # hex; None = snmpsim picks one
    community: str | None = None  # the device's recording stem (default: the device name)

    @property
    def option(self) -> str:
        if ":" in self.address:
            return f"--agent-udpv6-endpoint=[{self.address}]:{self.port}"
        return f"--agent-udpv4-endpoint={self.address}:{self.port}"


@dataclass(frozen=True)
class V3User:
    """The lab's SNMPv3 user (authPriv). Lab-only keys: they protect nothing but loopback test traffic."""

    name: str = "netcomply-lab"
    auth_protocol: str = "SHA"
    auth_key: str = "lab-auth-key-9f2c"
    priv_protocol: str = "AES"
    priv_key: str = "lab-priv-key-41d7"

    def options(self) -> list[str]:
        return [
            f"--v3-user={self.name}",
            f"--v3-auth-key={self.auth_key}",
            f"--v3-auth-proto={self.auth_protocol}",
            f"--v3-priv-key={self.priv_key}",
            f"--v3-priv-proto={self.priv_protocol}",
        ]


LAB_V3_USER = V3User()

#: Where a running lab keeps its SNMPv3 user (in the snmpsim cache dir, mode 0600), for tests and scans.
V3_ENV_FILE = "v3_user.env"


def write_v3_env(path: Path, user: V3User) -> None:
    """The lab's v3 user as ``KEY=value`` lines (``netcomply scan --snmp-v3 user=...,auth_key_env=...``)."""
    path.write_text(
        f"NC_LAB_SNMP_V3_USER={user.name}\nNC_LAB_SNMP_V3_AUTH_PROTO={user.auth_protocol.lower()}\n"
        f"NC_LAB_SNMP_V3_AUTH_KEY={user.auth_key}\nNC_LAB_SNMP_V3_PRIV_PROTO={user.priv_protocol.lower()}\n"
        f"NC_LAB_SNMP_V3_PRIV_KEY={user.priv_key}\n", encoding="utf-8")
    path.chmod(0o600)


def lab_endpoints(
    devices: Iterable[LabDevice], *, port: int = LAB_PORT, own_engines: bool = True, shared: bool = True
) -> list[Endpoint]:
    """Endpoints for ``devices``: each on its own address; plus 127.0.0.1 and ::1 (shared, by community)."""
    out = [Endpoint("127.0.0.1", port), Endpoint("::1", port)] if shared else []
    for d in devices:
        if own_engines and not d.silent:
            model = model_for(d.brand, d.model)
            eid = engine_id(model.enterprise, device_mac(d.name, model.ouis[0])).hex()
            out.append(Endpoint(d.address, port, device=d.name, engine_id=eid, community=d.community_name))
        else:
            out.append(Endpoint(d.address, port))
    return out


class SnmpsimError(RuntimeError):
    """snmpsim did not start (bad option, port in use, ...); the message quotes its log."""


@dataclass
class SnmpsimProcess:
    """A running snmpsim. ``stop()`` is idempotent; also a context manager."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    endpoints: tuple[Endpoint, ...]
    log_file: Path
    v3_user: V3User
    started_in: float = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> SnmpsimProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _responder() -> list[str]:
    exe = Path(sys.executable).with_name("snmpsim-command-responder")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("snmpsim-command-responder")
    if found:
        return [found]
    return [sys.executable, "-m", "snmpsim.commands.responder"]


def _engine_dirs(data_dir: Path, cache_dir: Path, endpoints: Sequence[Endpoint]) -> dict[str, Path]:
    """Per-device engine data dirs: each holds only a hard link to (or copy of) the device's recording.

    Not a symlink: snmpsim 1.2 resolves a symlink before computing the community from the path, and a
    link pointing outside its data dir crashes its start-up (IndexError in process_file_extension).
    """
    root = cache_dir / "engines"
    out: dict[str, Path] = {}
    for ep in endpoints:
        if ep.device is None:
            continue
        d = root / ep.device
        d.mkdir(parents=True, exist_ok=True)
        stem = ep.community or ep.device
        _place(data_dir / f"{stem}.snmprec", d / f"{stem}.snmprec")
        out[ep.device] = d
    return out


def _place(recording: Path, link: Path) -> None:
    """``recording`` also at ``link``: a hard link (no copy of a large recording), a copy where the file system
    refuses one; whatever stood at ``link`` before is replaced."""
    if link.is_symlink() or link.exists():
        link.unlink()
    try:
        os.link(recording.resolve(), link)
    except OSError:
        shutil.copyfile(recording.resolve(), link)


def _default_context_links(dirs: dict[str, Path], data_dir: Path, endpoints: Sequence[Endpoint]) -> None:
    """Let an SNMPv3 request with the empty context name (what real agents serve and every scanner sends) reach
    the device's own recording on its own engine.

    snmpsim picks a v3 request's data file by context name, and serves a data dir's ``self.snmprec`` under the
    empty name. So each device engine's data dir also holds its recording as ``self.snmprec``. (snmpsim then
    also answers v2c with the empty community on that engine: a lab-only quirk, no real device should.)"""
    for ep in endpoints:
        if ep.device is None:
            continue
        _place(data_dir / f"{ep.community or ep.device}.snmprec", dirs[ep.device] / "self.snmprec")


def build_args(
    data_dir: Path, endpoints: Sequence[Endpoint], cache_dir: Path, v3_user: V3User
) -> list[str]:
    """snmpsim's engine options, one engine block per group (shared first)."""
    args: list[str] = []
    shared = [e for e in endpoints if e.device is None]
    if shared:
        args += ["--v3-engine-id=auto", *v3_user.options(), f"--data-dir={data_dir}"]
        args += [e.option for e in shared]
    dirs = _engine_dirs(data_dir, cache_dir, endpoints)
    _default_context_links(dirs, data_dir, endpoints)
    for ep in endpoints:
        if ep.device is None:
            continue
        args += [f"--v3-engine-id={ep.engine_id or 'auto'}", *v3_user.options(), f"--data-dir={dirs[ep.device]}"]
        args.append(ep.option)
    return args


def start_snmpsim(
    data_dir: str | Path,
    endpoints: Sequence[Endpoint],
    *,
    cache_dir: str | Path,
    log_file: str | Path,
    v3_user: V3User = LAB_V3_USER,
    ready_timeout: float = 120.0,
    probe_community: str | None = None,
) -> SnmpsimProcess:
    """Start one snmpsim for ``endpoints`` serving ``data_dir``; return when it answers.

    Callable without pytest (``netcomply lab up`` uses it). Raises :class:`SnmpsimError` with the tail of
    its log if it exits or does not answer within ``ready_timeout`` seconds (first start of a large lab
    builds indexes: about 7 s per 200 recordings; warm ``cache_dir`` makes it sub-second).
    """
    data = Path(data_dir).resolve()
    cache = Path(cache_dir).resolve()
    log = Path(log_file).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    vdir = cache / "variation"
    vdir.mkdir(exist_ok=True)
    (vdir / "apstate.py").write_text(SHIM, encoding="utf-8")
    argfile = cache / "engines.args"
    argfile.write_text("\n".join(build_args(data, endpoints, cache, v3_user)) + "\n", encoding="utf-8")
    argfile.chmod(0o600)  # it holds the lab's v3 keys
    write_v3_env(cache / V3_ENV_FILE, v3_user)
    cmd = [
        *_responder(),
        f"--cache-dir={cache / 'index'}",
        f"--variation-modules-dir={vdir}",
        f"--variation-module-options=apstate:{data / SCHEDULE_FILE}",
        f"--logging-method=file:{log}",
        "--log-level=error",
        f"--args-from-file={argfile}",
    ]
    env = dict(os.environ)
    env["SNMPSIM_ALLOW_ROOT"] = "true"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    started = time.monotonic()
    with open(log, "ab") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    sim = SnmpsimProcess(proc, data, tuple(endpoints), log, v3_user)
    probe = _probe_target(endpoints)
    community = probe_community or _any_community(data)
    deadline = started + ready_timeout
    while True:
        if proc.poll() is not None:
            raise SnmpsimError(f"snmpsim exited with {proc.returncode}: {_tail(log)}")
        if probe and community and probe_v2c(probe[0], probe[1], community, timeout=0.2):
            break
        if time.monotonic() > deadline:
            sim.stop()
            raise SnmpsimError(f"snmpsim did not answer within {ready_timeout:.0f}s: {_tail(log)}")
        time.sleep(0.1)
    sim.started_in = time.monotonic() - started
    return sim


def _probe_target(endpoints: Sequence[Endpoint]) -> tuple[str, int] | None:
    for ep in endpoints:
        if ep.device is None:
            return ep.address, ep.port
    return (endpoints[0].address, endpoints[0].port) if endpoints else None


def _any_community(data_dir: Path) -> str | None:
    for p in sorted(data_dir.glob("*.snmprec")):
        return p.stem
    return None


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def probe_v2c(address: str, port: int, community: str, *, timeout: float = 0.5, oid: str = "1.3.6.1.2.1.1.5.0") -> bool:
    """One raw v2c GET (no pysnmp engine, no event loop): True when the agent answers at all.

    Only loopback: the lab never probes anything else.
    """
    if not (address.startswith("127.") or address == "::1"):
        raise ValueError(f"refusing to probe non-loopback address {address}")
    p = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    pdu = p.GetRequestPDU()
    p.apiPDU.set_defaults(pdu)
    p.apiPDU.set_varbinds(pdu, [(p.ObjectIdentifier(oid), p.Null(""))])
    msg = p.Message()
    p.apiMessage.set_defaults(msg)
    p.apiMessage.set_community(msg, community)
    p.apiMessage.set_pdu(msg, pdu)
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        try:
            s.sendto(encoder.encode(msg), (address, port))
            data, _ = s.recvfrom(65535)
        except OSError:
            return False
    try:
        decoder.decode(data, asn1Spec=p.Message())
    except Exception:
        return False
    return True
