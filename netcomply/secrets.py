"""Secret resolution: from environment variables, or from the env file the inventory names.

The inventory only ever holds the *name* of a secret (``password_env: CITY_SW_PASSWORD``). Values are read
here, at connection time, and every value read is registered with the redactor before it is returned, so it
is masked in everything written afterwards. The process environment wins over the env file, so an
operator (or AWX) can override a file-held secret without editing it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from netcomply.errors import DeviceError, ErrorClass, InputError, InputProblem
from netcomply.safety.redact import REDACTOR, Redactor

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def read_env_file(path: str | Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines (``export`` allowed, ``#`` comments, single or double quotes stripped)."""
    values: dict[str, str] = {}
    problems: list[InputProblem] = []
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(InputProblem(str(p), None, f"cannot read env file: {exc.strerror}")) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            problems.append(InputProblem(str(p), number, "expected KEY=VALUE"))
            continue
        key, value = m.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    if problems:
        raise InputError(problems)
    return values


@dataclass
class SecretResolver:
    """Looks secrets up by name; registers each value with the redactor as it is read."""

    environ: Mapping[str, str]
    file_values: Mapping[str, str]
    redactor: Redactor = REDACTOR

    @classmethod
    def from_env_file(cls, env_file: str | Path | None, environ: Mapping[str, str] | None = None) -> SecretResolver:
        file_values = read_env_file(env_file) if env_file else {}
        resolver = cls(environ if environ is not None else os.environ, file_values)
        # Values in the env file are secrets by definition: mask them from the start.
        resolver.redactor.add_secrets(file_values.values())
        return resolver

    def get(self, name: str | None, *, device: str | None = None, what: str = "secret") -> str | None:
        """The value of secret ``name``; None when ``name`` is None. Missing -> DeviceError(CONFIG)."""
        if not name:
            return None
        value = self.environ.get(name)
        if value is None:
            value = self.file_values.get(name)
        if value is None:
            raise DeviceError(
                ErrorClass.CONFIG,
                f"{what} environment variable {name} is not set (nor in the inventory's env file)",
                device=device,
            )
        self.redactor.add_secret(value)
        return value

