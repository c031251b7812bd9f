"""Read-side records the store returns that are not part of :mod:`netcomply.models`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ArtifactRecord:
    """One capture of an artifact: which run, device and collector got which content (by SHA-256), from
    which source, when. The content itself is shared between captures; read it with
    ``Store.artifact_content(sha256)``."""

    id: int
    run_id: str
    device: str
    collector: str
    source: str
    collected_at: datetime
    sha256: str
    size: int
    media_type: str
