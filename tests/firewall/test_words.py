"""The configuration word splitter agrees with :func:`shlex.split` wherever shlex accepts the line (it replaced
shlex in the FortiOS, Junos and PAN-OS readers because shlex is quadratic in a word's length)."""

from __future__ import annotations

import shlex

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.parsers.words import split_words

pieces = st.sampled_from(['"', "'", "\\", " ", "  ", "\t", "a", "b c", "set", "edit", '"x y"', "'q r'", "1.2.3.4/24",
                          '""', "é", "#"])


@settings(max_examples=500, deadline=None)
@given(st.lists(pieces, max_size=12))
def test_same_words_as_shlex(parts: list[str]) -> None:
    line = "".join(parts)
    try:
        expected = shlex.split(line, posix=True)
    except ValueError:  # an open quote: shlex refuses, the splitter still answers
        assert isinstance(split_words(line), list)
        return
    assert split_words(line) == expected
