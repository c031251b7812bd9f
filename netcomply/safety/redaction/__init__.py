"""The one redactor (see :mod:`netcomply.safety.redact` for the process-wide instance and its uses)."""

from netcomply.safety.redaction.engine import WELL_KNOWN_DEFAULTS, Redactor
from netcomply.safety.redaction.masks import MASK, MASK_RE, count_masks, mask, mask_kinds

__all__ = ["MASK", "MASK_RE", "WELL_KNOWN_DEFAULTS", "Redactor", "count_masks", "mask", "mask_kinds"]
