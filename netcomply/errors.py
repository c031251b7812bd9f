"""Error types shared by every layer.

Two families matter to users:

* :class:`InputError` -- something the user gave us is wrong (inventory, CSV, flags). It always carries
  *where* (file, line or key) and *what was expected*, and the CLI turns it into exit code 2 with no traceback.
* :class:`DeviceError` -- one device failed. It carries an :class:`ErrorClass` so that a run can be summarised
  ("3 timeouts, 1 auth failure") and so that the runner knows which faults are worth a retry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class NetcomplyError(Exception):
    """Base class of every error netcomply raises on purpose."""


@dataclass(frozen=True)
class InputProblem:
    """One problem in one input file: ``FILE:LINE: message``."""

    file: str
    line: int | None
    message: str
    key: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" [{self.key}]" if self.key else ""
        return f"{where}:{key} {self.message}"


class InputError(NetcomplyError):
    """Bad user input. Holds every problem found, not only the first, so a user fixes them in one pass."""

    def __init__(self, problems: list[InputProblem] | InputProblem | str, file: str = "<input>") -> None:
        if isinstance(problems, str):
            problems = [InputProblem(file=file, line=None, message=problems)]
        elif isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class ErrorClass(StrEnum):
    """Why a device could not be collected. Stored with the device's result and shown in reports."""

    UNREACHABLE = "unreachable"  # no route, connection refused, no SNMP answer at all
    AUTH_FAILED = "auth_failed"  # credentials refused, host key mismatch
    TIMEOUT = "timeout"  # the device answered too slowly
    PROTOCOL = "protocol"  # the session broke or the device spoke something unexpected
    PARSE = "parse"  # the device answered, but not with anything we can read
    CONFIG = "config"  # our side: missing secret, unsupported platform
    INTERNAL = "internal"  # a bug in netcomply; reported, never hides other devices' results


#: Faults that may go away on their own; only these are retried.
TRANSIENT_ERRORS = frozenset({ErrorClass.UNREACHABLE, ErrorClass.TIMEOUT, ErrorClass.PROTOCOL})


@dataclass
class DeviceError(NetcomplyError):
    """A failure talking to one device. ``cause`` is a short human sentence, already redacted."""

    error_class: ErrorClass
    cause: str
    device: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    #: Raw evidence captured before the failure (netcomply.models.Artifact objects): what the device said when
    #: its output could not be read is exactly what a human needs to see. The runner stores it with the error.
    artifacts: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        who = f"{self.device}: " if self.device else ""
        return f"{who}{self.error_class.value}: {self.cause}"

    @property
    def transient(self) -> bool:
        return self.error_class in TRANSIENT_ERRORS


class ReadOnlyViolation(NetcomplyError):
    """A command or SNMP operation that could change a device was about to leave the process."""


class TargetNotAllowed(NetcomplyError):
    """A network target lies outside the ranges this run may touch."""
