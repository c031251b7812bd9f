"""Redaction: secrets never leave the process.

One redactor (:data:`REDACTOR`, a :class:`~netcomply.safety.redaction.engine.Redactor`) serves the store
(artifacts are redacted before they are hashed, and refused if a secret is still in them), every log handler,
reports, evidence packs and ``netcomply redact``. It masks:

1. **Known secrets.** Every secret netcomply resolves (passwords, enable secrets, SNMP communities, v3 keys)
   is registered the moment it is read; any later occurrence of that exact string becomes ``<redacted>``.
2. **Secret-bearing syntax of every platform netcomply reads**: netconan's detection (the Batfish team's
   anonymiser) plus netcomply's rules for what it lacks (:mod:`netcomply.safety.redaction.rules`). The keyword
   and type code stay and the value becomes a mask naming it (``radius-server host 192.0.2.1 key 7
   <secret:radius-key>``), so an auditor still sees *that* a secret is set.

Redacting twice changes nothing (artifact hashes stay stable); lines without secrets stay byte for byte.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime
from typing import Any

from netcomply.models import Artifact, utcnow
from netcomply.safety.redaction import MASK, MASK_RE, WELL_KNOWN_DEFAULTS, Redactor, count_masks, mask, mask_kinds

__all__ = [
    "MASK", "MASK_RE", "REDACTOR", "WELL_KNOWN_DEFAULTS", "RedactingFilter", "Redactor", "capture_artifact",
    "count_masks", "install_log_redaction", "mask", "mask_kinds", "redact",
]

#: The process-wide redactor. Secret resolution registers values here; every writer redacts through it.
REDACTOR = Redactor()


def redact(text: str) -> str:
    return REDACTOR.redact(text)


def capture_artifact(
    device: str,
    collector: str,
    source: str,
    content: str | bytes,
    *,
    collected_at: datetime | None = None,
    media_type: str = "text/plain",
    redactor: Redactor | None = None,
) -> Artifact:
    """Make an :class:`Artifact`: redact first, then hash, so the stored bytes and the hash hold no secret."""
    r = redactor or REDACTOR
    raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogateescape")
    return Artifact(
        device=device,
        collector=collector,
        source=r.redact(source),
        content=r.redact_bytes(raw),
        collected_at=collected_at or utcnow(),
        media_type=media_type,
    )


def _redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Mask a record in place: its formatted message, its traceback and its stack, before any handler or
    formatter sees them (a formatter reuses ``exc_text`` once it is set). Each redactor masks a record once; a
    record masked by the global redactor (the record factory) is still masked by another one that knows other
    secrets (a filter with its own redactor)."""
    done: set[int] = getattr(record, "_netcomply_redacted_by", set())
    if id(redactor) in done:
        return
    try:
        message = record.getMessage()
    except Exception:  # a badly formatted record still must not leak
        message = str(record.msg)
    record.msg = redactor.redact(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redactor.redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor.redact(record.stack_info)
    record._netcomply_redacted_by = done | {id(redactor)}


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record, message, arguments and traceback alike."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self._redactor = redactor or REDACTOR

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record, self._redactor)
        return True


_factory_installed: list[Callable[..., logging.LogRecord]] = []


def install_log_redaction(redactor: Redactor | None = None) -> None:
    """Redact every log record where it is made (a record factory), so every handler sees only masked text:
    the ones configured now, ones a library adds later, ``-vv`` debug output. The filter on the root's handlers
    stays as a second line for records made elsewhere (e.g. unpickled from another process)."""
    r = redactor or REDACTOR
    flt = RedactingFilter(r)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    if not any(isinstance(f, RedactingFilter) for f in root.filters):
        root.addFilter(flt)
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        _redact_record(record, r)
        return record

    _factory_installed.append(previous)
    logging.setLogRecordFactory(factory)
