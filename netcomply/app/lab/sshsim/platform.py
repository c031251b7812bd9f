"""Platform specifications: how each network OS greets, prompts, pages, errs and which commands it knows.

The engine (:mod:`.session`) is generic; everything a platform does differently lives in data,
``netcomply/app/lab/data/ssh/<platform>/platform.yaml``, beside that platform's Jinja2 output templates. Adding a
platform means adding a folder, not code.

Command lookup follows the CLIs themselves: a typed word matches a command word it is a prefix of
(``sh ip int br``), and when nothing matches, the position of the first word no command continues with is
where the platform puts its ``^`` marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "ssh"


@dataclass(frozen=True)
class Command:
    """One read command: its canonical words and the template that answers it."""

    words: tuple[str, ...]
    template: str
    priv: bool = False  # needs the privileged (enable) mode
    dynamic: bool = False  # rendered on every call (state that changes), never cached
    needs: str | None = None  # a vars key that must be present and non-empty (``aps`` on controllers)
    kind: str | None = None  # ``version`` marks the command the drop_session fault cuts


@dataclass(frozen=True)
class Match:
    """Outcome of looking a typed line up: a command, or where and why nothing matched."""

    command: Command | None
    bad_word: int = 0  # index of the first word no command continues with
    incomplete: bool = False  # every word matched but the command needs more


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    prompts: dict[str, str]
    start_mode: str
    commands: tuple[Command, ...]
    session: tuple[tuple[re.Pattern[str], str], ...]
    exit_commands: tuple[str, ...]
    errors: dict[str, Any]
    banner: str = ""
    server_version: str | None = None  # the SSH identification string's software part (RFC 4253), as real gear sends
    enable: dict[str, str] | None = None
    config: dict[str, Any] = field(default_factory=dict)
    inner_login: dict[str, str] | None = None
    oneshot_config: re.Pattern[str] | None = None
    verbs: frozenset[str] = frozenset()
    pipes: bool = True

    def lookup(self, line: str, mode: str, vars_: dict[str, Any]) -> Match:
        """Find the command ``line`` names in ``mode`` (abbreviations allowed, first match wins)."""
        words = line.split()
        best = 0
        incomplete = False
        for cmd in self.commands:
            if cmd.priv and mode == "user":
                continue
            if cmd.needs and not vars_.get(cmd.needs):
                continue
            depth = 0
            for typed, canon in zip(words, cmd.words, strict=False):
                if not canon.startswith(typed.lower()):
                    break
                depth += 1
            if depth == len(words) == len(cmd.words):
                return Match(cmd)
            if depth == len(words) < len(cmd.words):
                incomplete = True
            best = max(best, depth)
        return Match(None, bad_word=best, incomplete=incomplete and best == len(words))

    def known_verb(self, word: str) -> bool:
        word = word.lower()
        return any(v.startswith(word) for v in self.verbs) or any(
            c.words[0].startswith(word) for c in self.commands
        )


def _load(platform_dir: Path) -> PlatformSpec:
    raw = yaml.safe_load((platform_dir / "platform.yaml").read_text(encoding="utf-8"))
    commands = tuple(
        Command(words=tuple(c["cmd"].split()), template=c["template"], priv=bool(c.get("priv", False)),
                dynamic=bool(c.get("dynamic", False)), needs=c.get("needs"), kind=c.get("kind"))
        for c in raw["commands"]
    )
    session = tuple((re.compile(s["match"], re.I), s.get("reply", "")) for s in raw.get("session", []))
    oneshot = raw.get("oneshot_config")
    verbs = set(raw.get("verbs", []))
    verbs.update(w.split()[0] for w in raw.get("exit", []))
    return PlatformSpec(
        name=platform_dir.name,
        prompts=raw["prompts"],
        start_mode=raw.get("start_mode", "priv"),
        commands=commands,
        session=session,
        exit_commands=tuple(raw.get("exit", ["exit"])),
        errors=raw["errors"],
        banner=raw.get("banner", ""),
        server_version=raw.get("server_version"),
        enable=raw.get("enable"),
        config=raw.get("config", {}),
        inner_login=raw.get("inner_login"),
        oneshot_config=re.compile(oneshot, re.I) if oneshot else None,
        verbs=frozenset(verbs),
        pipes=bool(raw.get("pipes", True)),
    )


@cache
def load_platform(name: str) -> PlatformSpec:
    """The spec of platform ``name`` (a netmiko device_type), read once per process."""
    folder = DATA_DIR / name
    if not (folder / "platform.yaml").is_file():
        raise ValueError(f"no simulated platform {name!r} (expected {folder}/platform.yaml)")
    return _load(folder)
