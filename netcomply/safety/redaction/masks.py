"""What a mask looks like, and how to recognise one.

A mask names what it hides (``<secret:radius-key>``) so an auditor reading a redacted configuration still sees
*that* a RADIUS key is set, and where, without seeing the key. A value netcomply itself holds (a registered
credential, whose syntax no pattern saw) becomes :data:`MASK`, the older ``<redacted>`` that inventories, stores
and packs already use. Every place that must not mask twice (idempotency keeps artifact hashes stable) asks
:data:`MASK_RE`.
"""

from __future__ import annotations

import re

#: The mask for a registered (known) secret found outside any secret-bearing syntax.
MASK = "<redacted>"

#: Any mask this package writes: ``<redacted>`` or ``<secret:KIND>`` (KIND is lower-case words and dashes).
MASK_RE = re.compile(r"<redacted>|<secret:[a-z0-9-]+>")

#: The start of a mask, for the "never mask a mask" look-aheads of the patterns.
MASK_START = r"(?:<redacted>|<secret:[a-z0-9-]+>)"


#: Look-ahead: no pattern mask later on this line. A line that holds one was redacted by this package already,
#: and every secret of it masked in that pass; what remains is syntax. (A ``<redacted>`` mask can stand alone,
#: so only ``<secret:...>`` masks count.) This makes a second pass change nothing.
NO_MASK_AHEAD = r"(?![^\n]*<secret:[a-z0-9-]+>)"


def mask(kind: str) -> str:
    """The mask for a secret of ``kind`` (e.g. ``mask("radius-key") == "<secret:radius-key>"``)."""
    return f"<secret:{kind}>"


def count_masks(text: str) -> int:
    """How many masks ``text`` holds (e.g. the ``redactions`` count of a stored configuration)."""
    return sum(1 for _ in MASK_RE.finditer(text))


def mask_kinds(text: str) -> dict[str, int]:
    """Masks in ``text`` per kind (``known`` for :data:`MASK`), for the ``netcomply redact`` summary."""
    counts: dict[str, int] = {}
    for m in MASK_RE.finditer(text):
        token = m.group(0)
        kind = "known" if token == MASK else token[len("<secret:"):-1]
        counts[kind] = counts.get(kind, 0) + 1
    return counts
