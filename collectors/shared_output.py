"""One device output, fetched once per run, read by every collector that needs it.

Why: the running configuration is evidence of its own (``running_config``) and also what the firewall collector
needs to know what each ACL is bound to. Asking a device twice for a configuration of hundreds of kilobytes
doubles the slowest command of the audit. So a collector that fetched an output *offers* it, redacted, to the
run's :class:`~collectors.base.CollectContext`, and a collector that needs it *takes* it back instead of asking
again. Only outputs some collector said it wants (:func:`want`) for that device are kept, and taking one
removes it, so the run holds at most one configuration per device that a wanting collector has not yet read
(none at all once it has). A device's collectors run one after another (:mod:`netcomply.app.runner`), so
whichever runs second reads what the first fetched; when the order is the other way round, each fetches its own.

What is shared is the stored :class:`~netcomply.models.Artifact` (already redacted): a taker parses exactly the
text that the evidence holds, and can cite it by SHA-256.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from collectors.base import CollectContext
from netcomply.models import Artifact, Device

_KEY = "shared_output"
_LOCK = threading.Lock()
#: artifact source ("ssh:show running-config") -> predicates of the collectors that want it for a device
_WANTED: dict[str, list[Callable[[Device], bool]]] = {}


def want(source: str, wanted_for: Callable[[Device], bool]) -> None:
    """Declare (at import) that some collector reads the output ``source`` on devices ``wanted_for`` accepts."""
    with _LOCK:
        _WANTED.setdefault(source, []).append(wanted_for)


def offer(ctx: CollectContext, device: Device, art: Artifact) -> bool:
    """Keep ``art`` for a later collector on ``device`` if one wants it; True when kept."""
    if not any(p(device) for p in _WANTED.get(art.source, ())):
        return False
    with _LOCK:
        ctx.shared.setdefault(_KEY, {})[(device.name, art.source)] = art
    return True


def take(ctx: CollectContext, device: Device, source: str) -> Artifact | None:
    """The output ``source`` of ``device`` that another collector fetched in this run (removed once taken)."""
    with _LOCK:
        kept: dict[tuple[str, str], Artifact] = ctx.shared.get(_KEY, {})
        return kept.pop((device.name, source), None)
