"""One spot-check draw (issue 15): the report's proposed sample is netcomply.vendor.sampling's, not a copy."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from netcomply.vendor.sampling import spot_check
from reports.sections import vendor as section

_device = st.fixed_dictionaries({"name": st.text(min_size=1, max_size=6), "address": st.just("192.0.2.1"),
                                 "brand": st.sampled_from(["Huawei", "Cisco", "Hikvision"]), "model": st.just("m"),
                                 "serial": st.just("s"), "prc_brand": st.sampled_from([True, False, None])})


def _old_report_draw(devices: list[dict[str, Any]], run_id: str, size: int) -> list[dict[str, Any]]:
    """The report's former private copy of the draw, kept here as the reference the merge must equal."""
    population = sorted((dict(d) for d in devices), key=lambda d: str(d["name"]))
    rng = random.Random(f"netcomply-spot-check:{run_id}")
    prc = [d for d in population if d["prc_brand"] is True]
    rest = [d for d in population if d["prc_brand"] is not True]
    first = rng.sample(prc, min(size, len(prc)))
    return first + rng.sample(rest, min(size - len(first), len(rest)))


@given(st.lists(_device, max_size=40, unique_by=lambda d: d["name"]), st.text(min_size=1, max_size=8))
def test_report_proposal_is_the_vendor_sampler(devices: list[dict[str, Any]], run_id: str) -> None:
    ctx = SimpleNamespace(observations=[], run=SimpleNamespace(id=run_id))
    got = section.spot_check(ctx, devices)  # type: ignore[arg-type]
    size = min(section.DEFAULT_SAMPLE, len(devices))
    assert got["devices"] == spot_check(devices, size, run_id) == _old_report_draw(devices, run_id, size)
    assert "random" not in vars(section)
