"""The one percentage formatter (netcomply/fmt.py) against the format strings its seven predecessors used."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from netcomply.fmt import percent, percent_of, percent_points


@given(st.floats(0, 1), st.integers(0, 3))
def test_percent_is_what_the_copies_wrote(x: float, digits: int) -> None:
    assert percent(x) == f"{x * 100:.2f}%" == f"{x:.2%}"
    assert percent(x, digits) == f"{x:.{digits}%}"


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_percent_of_is_count_over_total(count: int, total: int) -> None:
    assert percent_of(count, total) == f"{100 * count / total:.2f}%"


def test_missing_values_read_as_the_caller_says() -> None:
    assert percent(None) == "—" and percent(None, none="no data") == "no data"
    assert percent_of(3, 0, none="–") == "–"
    assert percent_points(87.5) == "87.5%" and percent_points(None) == "—"
    assert percent(0.06, 0) == "6%" and percent_of(104, 1629) == "6.38%"
