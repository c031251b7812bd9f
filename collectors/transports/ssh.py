"""SSH CLI transport: netmiko, read-only by construction, host keys verified.

Why a wrapper and not plain ``ConnectHandler``: netmiko sends commands from several places (session
preparation, enable, cleanup, and drivers that enter configuration mode to change the terminal width). To be
sure that *nothing* but an allow-listed read command ever leaves the process, the guard sits on the lowest
layer every driver writes through, the connection's ``write_channel``: each line is checked by
:func:`netcomply.safety.readonly.check_command` before it is written. Credentials pass only while logging in
or entering enable mode, and only as the exact values netmiko was given.

Host keys are checked against a known_hosts file by default (``ssh_strict``: an unknown or changed key is a
refused login); ``insecure_host_keys=True`` turns that off, explicitly.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from collectors.transports.ssh_worker import current_scope
from netcomply.errors import DeviceError, ErrorClass, ReadOnlyViolation
from netcomply.models import Device
from netcomply.safety.readonly import check_command, platform_family
from netcomply.safety.redact import REDACTOR
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

#: Answers a driver may type at a login-time question (Huawei "change the password? [Y/N]": N).
_DECLINE_ANSWERS = frozenset({"n", "N"})

#: Platforms where netmiko's ``enable()`` means privileged EXEC. On Huawei and Comware netmiko maps "enable" to
#: ``system-view`` (configuration mode), which a read-only audit must never enter.
_ENABLE_FAMILIES = frozenset({"cisco"})

#: Driver options that keep netmiko itself from changing anything on the device.
_READ_ONLY_DRIVER_OPTIONS: dict[str, dict[str, Any]] = {
    # ASA's driver otherwise enters "configure terminal" to set "terminal width 511".
    "cisco_asa": {"allow_auto_change": False},
}


@dataclass(frozen=True)
class SshCredentials:
    username: str
    password: str | None
    key_file: str | None
    secret: str | None

    def __repr__(self) -> str:  # never show secrets, even in a debugger or a traceback
        return f"SshCredentials(username={self.username!r}, password=***, key_file={self.key_file!r}, secret=***)"


def credentials_for(device: Device, secrets: SecretResolver) -> SshCredentials:
    """Resolve a device's SSH credentials (secrets are registered with the redactor as they are read)."""
    ssh = device.ssh
    if ssh is None or not ssh.username:
        raise DeviceError(ErrorClass.CONFIG, "no ssh.username in the inventory", device=device.name)
    password = secrets.get(ssh.password_env, device=device.name, what="SSH password")
    secret = secrets.get(ssh.secret_env, device=device.name, what="enable secret")
    if password is None and ssh.key_file is None:
        raise DeviceError(ErrorClass.CONFIG, "neither ssh.password_env nor ssh.key_file is set", device=device.name)
    return SshCredentials(ssh.username, password, ssh.key_file, secret)


class _KnownHosts:
    """A known_hosts file parsed once (and again only when it changes), indexed by host entry.

    paramiko re-reads the whole file on every connection; with a thousand devices that is a thousand parses of
    a thousand lines per audit, which cut netmiko's session rate from about 80/s to 6/s in the lab. Verification
    is unchanged: each session still gets a RejectPolicy client holding exactly the keys listed for its host.
    """

    _lock = threading.Lock()
    _cache: ClassVar[dict[str, tuple[float, Any, dict[str, list[tuple[str, Any]]]]]] = {}

    @classmethod
    def for_host(cls, path: str, host: str, port: int) -> Any:
        import paramiko

        with cls._lock:
            mtime = os.stat(path).st_mtime
            cached = cls._cache.get(path)
            if cached is None or cached[0] != mtime:
                full = paramiko.HostKeys(path)
                index: dict[str, list[tuple[str, Any]]] = {}
                for entry in full._entries:
                    for name in entry.hostnames:
                        index.setdefault(name, []).append((entry.key.get_name(), entry.key))
                cached = cls._cache[path] = (mtime, full, index)
        _, full, index = cached
        name = host if port == 22 else f"[{host}]:{port}"
        keys = paramiko.HostKeys()
        found = index.get(name)
        if found is None:  # hashed entries (|1|...) cannot be indexed: ask paramiko, which tries each
            match = full.lookup(name)
            found = list(match.items()) if match else []
        for keytype, key in found:
            keys.add(name, keytype, key)
        return keys


class _ChannelGuard:
    """Installed on a netmiko connection's ``write_channel``: checks every line before it is written."""

    def __init__(self, conn: Any, platform: str, creds: SshCredentials) -> None:
        self._conn = conn
        self._platform = platform
        self._write = conn.write_channel
        self._credentials = {v for v in (creds.username, creds.password, creds.secret) if v}
        self._credential_phase = threading.local()
        self.sent: list[str] = []  # the commands that left the process (never credentials)

    @contextlib.contextmanager
    def credential_phase(self) -> Iterator[None]:
        """While logging in or entering enable mode the exact credentials may be typed."""
        self._credential_phase.active = True
        try:
            yield
        finally:
            self._credential_phase.active = False

    def __call__(self, out_data: str) -> None:
        in_credentials = getattr(self._credential_phase, "active", False)
        for line in re.split(r"[\r\n]+", out_data):
            text = line.strip(" ")  # only spaces: Python's strip() would drop \x0b, \x1c-\x1f, \x85, U+2028 unchecked
            if not text:
                continue
            if in_credentials and (text in self._credentials or text in _DECLINE_ANSWERS):
                continue
            check_command(text, self._platform)  # raises ReadOnlyViolation before anything is written
            self.sent.append(text)
        self._write(out_data)


class _Aborted(Exception):
    """Raised in the worker thread by a read after :meth:`SshSession.abort`."""


class SshSession:
    """One read-only CLI session to one device.

    Blocking (netmiko is); collectors run it in a worker thread. Use as a context manager::

        with SshSession(device, secrets, known_hosts=path) as cli:
            text = cli.send("show version")
    """

    def __init__(
        self,
        device: Device,
        secrets: SecretResolver,
        *,
        known_hosts: str | None = None,
        insecure_host_keys: bool = False,
        policy: TargetPolicy | None = None,
        fast_cli: bool = True,
    ) -> None:
        if not device.platform:
            raise DeviceError(ErrorClass.CONFIG, "no platform (netmiko device_type) in the inventory", device.name)
        if device.ssh is None:
            raise DeviceError(ErrorClass.CONFIG, "no ssh settings in the inventory", device=device.name)
        if policy is not None:
            policy.check(device.address)
        if not insecure_host_keys and not known_hosts:
            raise DeviceError(
                ErrorClass.CONFIG,
                "no known_hosts file to verify the SSH host key (set settings.known_hosts in the inventory, "
                "or pass --insecure-host-keys to skip verification explicitly)",
                device=device.name,
            )
        self.device = device
        self._secrets = secrets
        self._known_hosts = known_hosts
        self._insecure = insecure_host_keys
        self._fast_cli = fast_cli
        self._conn: Any = None
        self.guard: _ChannelGuard | None = None
        # Set by abort() (any thread): the collector's budget ran out. _live is the connection from its creation
        # on (self._conn only once it is open), so that abort() can close a session that is still logging in.
        self._aborted = threading.Event()
        self._live: Any = None
        self._reader: PromptReader | None = None  # _send_in_step's, made at its first command

    # ------------------------------------------------------------------ lifecycle
    def open(self) -> SshSession:
        from netmiko import ConnectHandler  # imported here: netmiko takes ~0.3 s to import

        creds = credentials_for(self.device, self._secrets)
        ssh = self.device.ssh
        assert ssh is not None and self.device.platform is not None
        params: dict[str, Any] = {
            "device_type": self.device.platform,
            "host": self.device.address,
            "port": ssh.port,
            "username": creds.username,
            "password": creds.password or "",
            "secret": creds.secret or "",
            "conn_timeout": ssh.timeout,
            "auth_timeout": ssh.timeout,
            "banner_timeout": ssh.timeout,
            "read_timeout_override": None,
            "fast_cli": self._fast_cli,
            "auto_connect": False,
            "allow_agent": False,
            "ssh_strict": not self._insecure,
            "system_host_keys": False,
            "alt_host_keys": not self._insecure,
            "alt_key_file": self._known_hosts or "",
            **_READ_ONLY_DRIVER_OPTIONS.get(self.device.platform, {}),
        }
        if creds.key_file:
            params.update(use_keys=True, key_file=creds.key_file)
        params = {k: v for k, v in params.items() if v is not None}
        conn: Any = None
        scope = current_scope()
        if scope is not None:
            scope.track(self)
        try:
            conn = ConnectHandler(**params)
            self._live = conn
            conn.read_channel = self._abortable_read(conn.read_channel)
            if self._aborted.is_set():
                raise _Aborted
            if not self._insecure and self._known_hosts:
                conn._build_ssh_client = self._strict_client_builder(conn)
            self.guard = _ChannelGuard(conn, self.device.platform, creds)
            conn.write_channel = self.guard  # the guard is the channel's only door
            with self.guard.credential_phase():
                conn._open()
                if creds.secret and platform_family(self.device.platform) in _ENABLE_FAMILIES \
                        and not conn.check_enable_mode():
                    conn.enable()
        except ReadOnlyViolation as exc:
            self._safe_disconnect(conn)
            raise DeviceError(
                ErrorClass.CONFIG,
                f"the {self.device.platform} driver wanted to send a command that is not read-only ({exc}); "
                "nothing was sent",
                device=self.device.name,
            ) from None
        except Exception as exc:
            self._safe_disconnect(conn)
            raise self._error(exc) from None
        self._conn = conn
        return self

    def _abortable_read(self, read: Any) -> Any:
        """netmiko polls its channel (``read_channel``) until a pattern or its read timeout; a closed paramiko
        channel just reads empty, so without this a closed session would still be polled until that timeout."""

        def read_channel() -> str:
            if self._aborted.is_set():
                raise _Aborted
            return str(read())

        return read_channel

    def abort(self) -> None:
        """Close the connection now, from any thread (the event loop, when the collector's budget ran out): the
        channel, then the transport and its socket. The worker thread's pending read fails at once with a
        ``timeout`` :class:`DeviceError`; nothing is sent to the device (no ``exit``, no command)."""
        self._aborted.set()
        conn = self._live
        if conn is None:
            return
        channel: Any = getattr(conn, "remote_conn", None)
        client: Any = getattr(conn, "remote_conn_pre", None)
        transport: Any = None
        with contextlib.suppress(Exception):  # the client holds the transport while it is still logging in
            transport = (client or channel).get_transport()
        for closable in (channel, transport):
            if closable is not None:
                with contextlib.suppress(Exception):  # already closed by the device or by netmiko
                    closable.close()

    def _error(self, exc: BaseException) -> DeviceError:
        """What an exception during login or a command means; after :meth:`abort` it is the budget's timeout."""
        if self._aborted.is_set():
            return DeviceError(ErrorClass.TIMEOUT, "the collector's time budget ran out; the SSH session was closed",
                               device=self.device.name)
        return classify_ssh_error(exc, self.device.name)

    def _strict_client_builder(self, conn: Any) -> Any:
        """What netmiko's ``_build_ssh_client`` does, with host keys from the shared, parsed known_hosts."""
        import paramiko

        known_hosts, address, port = self._known_hosts, self.device.address, conn.port

        def build() -> paramiko.SSHClient:
            client = conn._get_ssh_client_instance()
            assert known_hosts is not None
            client._host_keys = _KnownHosts.for_host(known_hosts, address, port)
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
            return client

        return build

    def close(self) -> None:
        self._safe_disconnect(self._conn)
        self._conn = None
        self._live = None
        self._reader = None

    @staticmethod
    def _safe_disconnect(conn: Any) -> None:
        if conn is None:
            return
        with contextlib.suppress(Exception):
            conn.disconnect()

    def __enter__(self) -> SshSession:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ commands
    def send(self, command: str, *, read_timeout: float | None = None) -> str:
        """Run one read-only command and return its output. Refused commands raise before anything is sent."""
        check_command(command, self.device.platform)
        if self._conn is None:
            raise RuntimeError("session is not open")
        ssh = self.device.ssh
        assert ssh is not None
        timeout = read_timeout or ssh.read_timeout
        try:
            if getattr(self._conn, "global_cmd_verify", None) is False:
                output = self._send_in_step(command, timeout)
            else:
                output = self._conn.send_command(command, read_timeout=timeout, strip_prompt=True, strip_command=True)
        except ReadOnlyViolation:
            raise
        except Exception as exc:
            if self._aborted.is_set():
                raise self._error(exc) from None
            if self._channel_closed():
                # netmiko reports a channel the device closed as a read timeout; say what really happened.
                raise DeviceError(
                    ErrorClass.PROTOCOL, f"the device closed the SSH session during {command!r}", self.device.name
                ) from None
            raise classify_ssh_error(exc, self.device.name) from None
        return strip_echo(str(output), command, self.prompt)

    def _send_in_step(self, command: str, timeout: float) -> str:
        """One command on a driver that does not wait for the command's echo (ASA without netmiko's terminal-width
        change, Comware): the answer is the text between the echo of *this* command and the next prompt.

        netmiko's ``send_command`` there asks for the prompt with a spare Enter before each command and takes the
        first prompt that follows as the end of the output. A busy device answers those Enters late, so each
        command got the previous one's answer (or an empty one) and the last answer was lost: an ASA read under
        load came back with no access lists at all. Here nothing but the command is sent, and every prompt-ended
        chunk that does not carry this command's echo (an answer to an earlier Enter) is dropped.
        """
        conn = self._conn
        base = str(conn.base_prompt)
        if self._reader is None:  # one per session: what followed a prompt waits there for the next command
            self._reader = PromptReader(conn.read_channel, re.compile(_prompt_pattern(base), re.M))
        conn.write_channel(conn.normalize_cmd(command))
        deadline = time.monotonic() + timeout
        while True:
            answer = after_echo(self._reader.next_chunk(deadline, command), command, base)
            if answer is not None:
                return str(conn.strip_prompt(answer))

    def _channel_closed(self) -> bool:
        channel = getattr(self._conn, "remote_conn", None)
        if channel is None:
            return True
        transport = channel.get_transport() if hasattr(channel, "get_transport") else None
        return bool(getattr(channel, "closed", False) or (transport is not None and not transport.is_active())
                    or getattr(channel, "eof_received", False))

    @property
    def prompt(self) -> str | None:
        return getattr(self._conn, "base_prompt", None)


class PromptReader:
    """Reads a channel chunk by chunk, each chunk ending with a prompt line, in time linear in the output.

    netmiko's ``read_until_pattern`` searches everything read so far after each read: a 20 MB configuration took
    88 s. Here only the line being received is searched again; finished lines are set aside. What follows the
    prompt in the same read is kept (``rest``) for the next chunk, so nothing the device said is lost.
    """

    #: Longest unfinished line searched again; a prompt is far shorter. A longer line keeps only its end, after a
    #: character that cannot start a prompt (so ``^`` cannot match in the middle of the line).
    TAIL = 4096

    def __init__(self, read: Callable[[], str], prompt: re.Pattern[str]) -> None:
        self._read = read
        self._prompt = prompt
        self.rest = ""

    def next_chunk(self, deadline: float, what: str) -> str:
        """The text up to and including the next prompt line; a netmiko ``ReadTimeout`` past ``deadline``."""
        from netmiko.exceptions import ReadTimeout

        done: list[str] = []
        line, data = "", self.rest  # line: the unfinished line, from the newline before it
        self.rest = ""
        trimmed = False  # the line lost its start: no prompt can begin where it now begins
        while True:
            if data:
                line += data
                found = self._prompt.search("\x00" + line if trimmed else line)
                if found:
                    end = found.end() - trimmed
                    self.rest = line[end:]
                    return "".join(done) + line[:end]
                cut = line.rfind("\n")
                if cut > 0:
                    done.append(line[:cut])
                    line, trimmed = line[cut:], False
                if len(line) > self.TAIL:
                    done.append(line[:-self.TAIL])
                    line, trimmed = line[-self.TAIL:], True
            if time.monotonic() >= deadline:  # also while the device keeps talking without a prompt
                raise ReadTimeout(f"no prompt after {what!r} in time")
            if not data:
                time.sleep(0.01)
            data = str(self._read())


def _prompt_pattern(base_prompt: str) -> str:
    """A prompt line of this session: the base prompt (``fw1``, ``fw1/ctx``; Comware's ``<sw1>``), an optional mode
    in parentheses, ``#``, ``>`` or ``]``, at the start of a line; never output that merely starts with the host
    name."""
    return r"(?:^|\r)[<\[]?" + re.escape(base_prompt) + r"(?:\([^)\r\n]*\))?[#>\]][ \t]*$"


def after_echo(chunk: str, command: str, base_prompt: str) -> str | None:
    """The output in ``chunk`` (text up to and including a prompt) when it follows the echo of ``command``; None
    when the chunk is the answer to something else (a spare Enter, an earlier command).

    The echo is the command as typed after the prompt, or after what is left of it (netmiko may have read the
    prompt, or part of it, before); a device whose line is too narrow shows the line cut with ``$`` (its start or
    its end scrolled out of view), so a ``$``-cut echo counts when what is left of it is part of the command.
    """
    want = " ".join(command.split())
    lead = re.compile(r"[<\[]?(?:" + re.escape(base_prompt) + r")?(?:\([^)]*\))?[#>\]]? ?")
    lines = chunk.split("\n")
    for i, raw in enumerate(lines[:-1]):  # the last line is the prompt that ended the chunk
        typed = " ".join(raw.replace("\r", "").replace("\x08", "").split())
        if typed.endswith(want) and lead.fullmatch(typed[:len(typed) - len(want)]):
            return "\n".join(lines[i + 1:])
        head = lead.match(typed)  # every part of it is optional: it always matches, if only the empty text
        if head is not None and _cut_echo(typed[head.end():], want):
            return "\n".join(lines[i + 1:])
    return None


def _cut_echo(typed: str, want: str) -> bool:
    """``show run | inc clock|te$`` or ``$nning-config object-group``: an echo scrolled sideways."""
    if len(typed) < 8 or "$" not in (typed[0], typed[-1]):
        return False
    core = typed.strip("$").strip()
    if typed.startswith("$") and typed.endswith("$"):
        return len(core) >= 6 and core in want
    return want.startswith(core) if typed.endswith("$") else want.endswith(core)


def strip_echo(output: str, command: str, prompt: str | None) -> str:
    """Drop a leading ``<prompt><command>`` echo line that netmiko left in the output.

    When a device's prompt arrives late (a busy device, a slow link), netmiko's echo handling can return the
    prompt and the echoed command as the first line of the output, and parsers then stop at it. Only that
    exact line is removed: the prompt (with any of its terminators) followed by the command.
    """
    if not prompt:
        return output
    first, sep, rest = output.lstrip("\r\n").partition("\n")
    line = first.rstrip("\r").strip()
    if line[:1] in "<[" and not prompt.startswith(("<", "[")):  # Comware/VRP: <name> and [name]
        line = line[1:]
    if line.startswith(prompt) and line.endswith(command.strip()):
        middle = line[len(prompt):-len(command.strip())].strip()
        if middle in {"", "#", ">", "]", "$", "%"}:
            return rest if sep else ""
    return output


_CLI_TABLES = threading.local()


def _cli_table() -> Any:
    """ntc-templates' CliTable, one per thread: building it parses the template index (about 9 ms), which
    ``ntc_templates.parse.parse_output`` does on every call; a CliTable is not safe to share between threads."""
    table = getattr(_CLI_TABLES, "table", None)
    if table is None:
        from ntc_templates.parse import _get_template_dir
        from textfsm import clitable

        table = _CLI_TABLES.table = clitable.CliTable("index", _get_template_dir())
    return table


def parse_with_ntc(platform: str, command: str, output: str) -> list[dict[str, Any]] | None:
    """Parse ``output`` with ntc-templates; None when no template exists for (platform, command).

    A template that exists but matches nothing returns ``[]``: the caller decides whether that is a parse error.
    """
    from textfsm import clitable

    table = _cli_table()
    try:
        table.ParseCmd(output, {"Command": command, "Platform": platform})
    except clitable.CliTableError as exc:
        if "No template found" in str(exc):
            return None
        raise DeviceError(ErrorClass.PARSE, f"ntc-templates failed on {command!r}: {exc}") from None
    except Exception as exc:  # TextFSM's own state errors on output a template cannot follow
        raise DeviceError(ErrorClass.PARSE, f"ntc-templates failed on {command!r}: {exc}") from None
    headers = [h.lower() for h in table.header]
    return [dict(zip(headers, row, strict=False)) for row in table]


def classify_ssh_error(exc: BaseException, device: str | None = None) -> DeviceError:
    """Map netmiko/paramiko/socket failures to netcomply's error classes, with a short redacted cause."""
    import paramiko
    from netmiko.exceptions import (
        NetmikoAuthenticationException,
        NetmikoTimeoutException,
        ReadException,
        ReadTimeout,
    )

    if isinstance(exc, DeviceError):
        return exc
    text = REDACTOR.redact(" ".join(str(exc).split()))[:300]
    chain = [exc, exc.__cause__, exc.__context__]
    if any(isinstance(e, paramiko.BadHostKeyException) for e in chain) or "not found in known_hosts" in text:
        return DeviceError(
            ErrorClass.AUTH_FAILED,
            "SSH host key verification failed: the key the device presented is not the one in known_hosts "
            "(device replaced, or someone in the middle)",
            device=device,
        )
    if isinstance(exc, NetmikoAuthenticationException | paramiko.AuthenticationException):
        return DeviceError(ErrorClass.AUTH_FAILED, "SSH login refused (wrong username, password or key)", device)
    if isinstance(exc, ReadTimeout | socket.timeout | TimeoutError):
        return DeviceError(ErrorClass.TIMEOUT, f"the device did not answer in time: {text}", device=device)
    if isinstance(exc, NetmikoTimeoutException):
        if "TCP connection to device failed" in text or "DNS failure" in text:
            return DeviceError(ErrorClass.UNREACHABLE, "TCP connection to the SSH port failed", device=device)
        return DeviceError(ErrorClass.TIMEOUT, f"timed out: {text}", device=device)
    if isinstance(exc, ConnectionRefusedError):
        return DeviceError(ErrorClass.UNREACHABLE, "connection refused", device=device)
    if isinstance(exc, EOFError | ConnectionResetError | BrokenPipeError | paramiko.SSHException | ReadException):
        return DeviceError(ErrorClass.PROTOCOL, f"SSH session dropped: {text or type(exc).__name__}", device)
    if isinstance(exc, OSError):
        if "closed" in text.lower() or "socket is closed" in text.lower():
            return DeviceError(ErrorClass.PROTOCOL, f"SSH session dropped: {text}", device=device)
        return DeviceError(ErrorClass.UNREACHABLE, f"network error: {text}", device=device)
    if isinstance(exc, ValueError) and ("prompt" in text.lower() or "enable mode" in text.lower()):
        return DeviceError(ErrorClass.PROTOCOL, f"unexpected CLI behaviour: {text}", device=device)
    return DeviceError(ErrorClass.PROTOCOL, f"{type(exc).__name__}: {text}", device=device)
