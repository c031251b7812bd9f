"""One interactive CLI session on a simulated device: prompts, modes, echo, commands, errors, faults.

asyncssh's line editor is off (see lab-notes.md): this session echoes each line itself, from the same task
that writes the command's output, so echo, output and the next prompt always leave in order. With the line
editor on, the echo overtakes the prompt under load and netmiko reads ``sw31#sw31#`` as the prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from netcomply.app.lab.sshsim.platform import Command, PlatformSpec, load_platform
from netcomply.app.lab.sshsim.profile import DeviceProfile
from netcomply.app.lab.sshsim.render import PipeError, apply_pipe, render

log = logging.getLogger(__name__)


@dataclass
class SimDevice:
    """A simulated device's lasting state: its profile, every line it received, its cached outputs."""

    profile: DeviceProfile
    spec: PlatformSpec
    received: list[str] = field(default_factory=list)
    _cache: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_profile(cls, profile: DeviceProfile) -> SimDevice:
        return cls(profile=profile, spec=load_platform(profile.platform))

    def output(self, command: Command, mode: str = "priv") -> str:
        if command.dynamic:
            return render(self.profile.platform, command.template, self.profile, mode=mode)
        text = self._cache.get(command.template)
        if text is None:
            text = self._cache[command.template] = render(self.profile.platform, command.template, self.profile)
        return text


class _Closed(Exception):
    """The session ended (exit, EOF, fault)."""


class CliSession(asyncssh.SSHServerSession):
    """The shell of one SSH channel. Input is queued by asyncssh and handled line by line by one task."""

    def __init__(self, device: SimDevice) -> None:
        self.dev = device
        self.spec = device.spec
        self.p = device.profile
        self.mode = self.spec.start_mode
        self.ctx: str = ""
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._pending = ""
        self._lines: list[str] = []

    # ------------------------------------------------------------------ asyncssh callbacks
    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: bytes, datatype: Any) -> None:
        self._queue.put_nowait(data)

    def eof_received(self) -> bool:
        self._queue.put_nowait(None)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # ------------------------------------------------------------------ I/O helpers
    def _write(self, text: str | bytes) -> None:
        if self._chan is None or self._chan.is_closing():
            raise _Closed
        data = text if isinstance(text, bytes) else text.replace("\r\n", "\n").replace("\n", "\r\n").encode()
        self._chan.write(data)

    async def _readline(self) -> str:
        """The next line typed, without its end (CR, LF or CRLF)."""
        while not self._lines:
            chunk = await self._queue.get()
            if chunk is None:
                raise _Closed
            text = self._pending + chunk.decode("utf-8", errors="replace")
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            *complete, self._pending = text.split("\n")
            self._lines.extend(complete)
        return self._lines.pop(0)

    def prompt(self) -> str:
        key = self.mode if self.mode in self.spec.prompts else "priv"
        return self.spec.prompts[key].format(hostname=self.p.hostname, username=self.p.username, ctx=self.ctx)

    def _close(self) -> None:
        if self._chan is not None:
            self._chan.close()
        raise _Closed

    # ------------------------------------------------------------------ the session
    async def _run(self) -> None:
        try:
            if self.spec.inner_login and not await self._inner_login():
                self._close()
            if self.spec.banner:
                self._write(self.spec.banner.format(hostname=self.p.hostname, username=self.p.username))
            self._write(self.prompt())
            while True:
                line = await self._readline()
                self.dev.received.append(line)
                self._write(line + "\n")
                if self.p.fault == "laggy":
                    # A busy device: the echo at once (the terminal driver), every answer, even to an empty line,
                    # late. Clients that send a spare Enter to find the prompt get that prompt back late too.
                    await asyncio.sleep(float(self.p.vars.get("lag", 0.3)))
                reply = await self._handle(line)
                if isinstance(reply, bytes):
                    self._write(reply + b"\r\n")
                elif reply:
                    self._write(reply if reply.endswith("\n") else reply + "\n")
                self._write(self.prompt())
        except (_Closed, asyncio.CancelledError, BrokenPipeError, ConnectionError):
            pass
        finally:
            if self._chan is not None and not self._chan.is_closing():
                with contextlib.suppress(Exception):
                    self._chan.close()

    async def _inner_login(self) -> bool:
        """AireOS asks for ``User:`` and ``Password:`` inside the shell, after SSH authentication."""
        assert self.spec.inner_login is not None
        self._write(self.spec.inner_login["banner"])
        for _ in range(3):
            self._write(self.spec.inner_login["user_prompt"])
            user = await self._readline()
            self._write(user + "\n" + self.spec.inner_login["password_prompt"])
            password = await self._readline()
            self._write("\n")
            if user == self.p.username and password == self.p.password:
                return True
        return False

    async def _handle(self, line: str) -> str | bytes:
        text = " ".join(line.split())
        if not text:
            return ""
        if self.p.fault == "slow":
            await asyncio.sleep(float(self.p.vars.get("slow_delay", 3.0)))
        low = text.lower()
        for rx, reply in self.spec.session:
            if rx.fullmatch(low):
                return reply
        if self.mode == "config":
            return self._in_config(low)
        if low in self.spec.exit_commands:
            self._write(self.spec.errors.get("logout", ""))
            self._close()
        if self.spec.enable and self.mode == "user" and low in ("en", "ena", "enab", "enabl", "enable"):
            return await self._enable()
        if self.spec.enable and self.mode == "priv" and low in ("en", "ena", "enab", "enabl", "enable"):
            return ""
        entered = self._enter_config(low)
        if entered is not None:
            return entered
        if self.spec.oneshot_config is not None and self.spec.oneshot_config.fullmatch(low):
            return ""  # AireOS applies ``config ...`` at once, with no mode to enter
        return await self._command(line)

    async def _enable(self) -> str:
        assert self.spec.enable is not None
        self._write(self.spec.enable["password_prompt"])
        secret = await self._readline()
        self.dev.received.append("<enable secret>")
        self._write("\n")
        if secret == self.p.enable_secret:
            self.mode = "priv"
            return ""
        return self.spec.enable["failure"]

    def _enter_config(self, low: str) -> str | None:
        for pattern in self.spec.config.get("enter", []):
            m = re.fullmatch(pattern, low)
            if m and (self.mode == "priv" or not self.spec.enable):
                self.mode = "config"
                self.ctx = m.groupdict().get("ctx") or ""
                return str(self.spec.config.get("message", ""))
        return None

    def _in_config(self, low: str) -> str:
        if low in self.spec.config.get("leave", ["end"]):
            self.mode = "priv"
            self.ctx = ""
            return str(self.spec.config.get("leave_message", ""))
        return ""  # configuration lines are accepted without a word, as real gear does

    async def _command(self, line: str) -> str | bytes:
        head, *pipes = line.split("|") if self.spec.pipes else (line,)
        words = head.split()
        match = self.spec.lookup(head, self.mode, self.p.vars)
        if match.command is None:
            return self._error(line, words, match.bad_word, match.incomplete)
        command = match.command
        if pipes and self.p.platform == "juniper_junos" and pipes[0].split() == ["display", "set"]:
            command = Command(command.words, command.template.replace(".j2", "_set.j2"), command.priv)
        if self.p.fault == "garbage":  # raw noise: not text, no structure, not even valid UTF-8
            rnd = random.Random()
            return rnd.randbytes(rnd.randrange(200, 2000))
        try:
            output = self.dev.output(command, self.mode)
        except Exception:  # a template bug must show, not hang the client until its timeout
            log.exception("%s: rendering %s failed", self.p.name, command.template)
            return f"% Internal error rendering {' '.join(command.words)!r} (lab simulator bug)\n"
        try:
            for pipe in pipes:
                output = apply_pipe(output, pipe)
        except PipeError:
            return self._error(line, line.split(), len(words), False)
        if self.p.fault == "drop_session" and command.kind == "version":
            # Part of the output, then the whole SSH connection goes away (a reload, a flapping link).
            self._write(output[: len(output) // 3])
            await asyncio.sleep(0.05)
            if self._chan is not None:
                self._chan.get_extra_info("connection").close()
            raise _Closed
        return output

    def _error(self, line: str, words: list[str], bad: int, incomplete: bool) -> str:
        errors = self.spec.errors
        if incomplete and "incomplete" in errors:
            if not errors.get("incomplete_caret", False):
                return str(errors["incomplete"])
            message, bad = errors["incomplete"], len(words)
        elif bad == 0 and not (words and self.spec.known_verb(words[0])):
            message = errors["unknown_verb"]
        else:
            message = errors["unknown_arg"]
        word = words[bad] if bad < len(words) else (words[-1] if words else "")
        message = message.format(word=word, line=" ".join(words))
        if not errors.get("caret", False):
            return message
        # The marker sits under the offending word, counted from the prompt's first column.
        column = len(self.prompt().splitlines()[-1]) if errors.get("caret_after_prompt", True) else 0
        offset = _word_offset(line, bad)
        return " " * (column + offset) + "^\n" + message


def _word_offset(line: str, index: int) -> int:
    """Character offset of word ``index`` in ``line`` (its end when the line has fewer words)."""
    pos = 0
    for i, word in enumerate(line.split()):
        pos = line.index(word, pos)
        if i == index:
            return pos
        pos += len(word)
    return len(line.rstrip()) + 1
