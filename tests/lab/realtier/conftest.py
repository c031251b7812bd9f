"""One real tier per module; every test here skips with the reason when the machine cannot run it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netcomply.app.lab.realtier import RealTier

AVAILABLE, REASON = RealTier.available()


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealTier]:
    if not AVAILABLE:
        pytest.skip(REASON)
    state = tmp_path_factory.mktemp("realtier")
    with RealTier.up(state) as running:
        yield running
