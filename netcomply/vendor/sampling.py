"""Reproducible spot-check samples for auditors (the competent authority spot-checks listed products).

The same seed and the same population always give the same sample, whatever order the devices came in:
the population is sorted first, then drawn with :class:`random.Random` seeded by the auditor's seed.
PRC-brand devices are drawn first (``prc_first``): they are what a spot check is about.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any


def spot_check(devices: Iterable[Mapping[str, Any]], size: int, seed: int | str, *, prc_first: bool = True
               ) -> list[dict[str, Any]]:
    """``size`` devices out of ``devices`` (dicts with at least ``name``), reproducibly for ``seed``."""
    population = sorted((dict(d) for d in devices), key=lambda d: str(d.get("name")))
    rng = random.Random(f"netcomply-spot-check:{seed}")
    if size <= 0:
        return []
    if not prc_first:
        return rng.sample(population, min(size, len(population)))
    prc = [d for d in population if d.get("prc_brand") is True]
    rest = [d for d in population if d.get("prc_brand") is not True]
    first = rng.sample(prc, min(size, len(prc)))
    return first + rng.sample(rest, min(size - len(first), len(rest)))
