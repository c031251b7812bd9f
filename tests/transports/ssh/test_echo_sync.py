"""Which prompt-ended chunk of an ASA session is the answer to the command just sent (``after_echo``).

On drivers that do not wait for the command's echo (ASA without netmiko's terminal-width change), a busy device's
late answers to earlier Enters come first; only the chunk that carries this command's echo is its answer. The
echo forms are the ones real ASAs print: the prompt and the command, or the line scrolled sideways with ``$`` when
prompt and command are wider than the terminal (netmiko issues #105 and #281 show both)."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.transports.ssh import PromptReader, _prompt_pattern, after_echo

COMMANDS = ["show running-config interface", "show running-config object", "show running-config object-group",
            "show access-list", "show version", "show run | inc clock|logging|aaa|http|ssh|telnet|ntp"]

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-|0123456789", min_size=1, max_size=12)
commands = st.lists(words, min_size=1, max_size=6).map(" ".join)
hosts = st.from_regex(r"[a-z][a-z0-9-]{0,20}(/[a-z]{1,8})?", fullmatch=True)
output_lines = st.lists(st.text(alphabet="ABCDEFGHIJ KLMNOP=().:", max_size=40), max_size=8)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_answer_is_what_follows_this_commands_echo(command: str) -> None:
    chunk = f"fw1# {command}\nline one\nline two\nfw1# "
    assert after_echo(chunk, command, "fw1") == "line one\nline two\nfw1# "
    # netmiko read the prompt, or all of it but its last character, before: the echo is what is left
    assert after_echo(f"{command}\nline one\nfw1# ", command, "fw1") == "line one\nfw1# "
    assert after_echo(f"#{command}\nline one\nfw1# ", command, "fw1") == "line one\nfw1# "


@pytest.mark.parametrize("echo", ["<sw1>display version", ">display version", "display version"])
def test_comware_echoes(echo: str) -> None:
    assert after_echo(f"{echo}\nH3C Comware Software\n<sw1>", "display version", "sw1") == \
        "H3C Comware Software\n<sw1>"
    assert after_echo("<sw1>display version\nH3C\n<sw1>", "display device manuinfo", "sw1") is None


@pytest.mark.parametrize("chunk", [
    "\nfw1# ",                                              # the late answer to a spare Enter
    "fw1# \nfw1# ",                                         # two of them
    "fw1# show running-config interface\ninterface Gi1/1\nfw1# ",  # the answer to the command before
    "fw1# show running-config object-group\n\nfw1# ",       # a longer command that starts with this one
    "fw1 up 293 days 4 hours\nfw1# ",                        # output that starts with the host name
])
def test_a_chunk_without_this_commands_echo_is_not_its_answer(chunk: str) -> None:
    assert after_echo(chunk, "show running-config object", "fw1") is None


@pytest.mark.parametrize(("echo", "expected"), [
    ("fw1# show run | inc clock|logging|aaa|http|ssh|te$", True),   # end scrolled out of view
    ("fw1# $ inc clock|logging|aaa|http|ssh|telnet|ntp", True),     # start scrolled out of view
    ("fw1# $clock|logging|aaa|http$", True),                        # both
    ("fw1# show run | inc clock|logging|aaa|http|ssx$", False),      # not what was typed
    ("fw1# $|te$", False),                                          # too little left to tell
])
def test_an_echo_cut_with_a_dollar_sign_counts_when_it_is_part_of_the_command(echo: str, expected: bool) -> None:
    command = "show run | inc clock|logging|aaa|http|ssh|telnet|ntp"
    assert (after_echo(f"{echo}\nclock timezone CET 1\nfw1# ", command, "fw1") is not None) is expected


@pytest.mark.parametrize("prompt", ["fw1#", "fw1>", "fw1/admin#", "fw1(config)#", "fw1# ", "\rfw1#"])
def test_the_prompt_pattern_ends_a_chunk_only_at_a_prompt(prompt: str) -> None:
    base = prompt.strip("\r").split("#")[0].split(">")[0].split("(")[0]
    rx = re.compile(_prompt_pattern(base), re.M)
    assert rx.search(f"output\n{prompt}")
    assert not rx.search(f"{base} up 293 days 4 hours\n{base}-other# ")


@given(hosts, commands, st.lists(commands, max_size=3), st.integers(0, 3), output_lines)
def test_stale_chunks_are_dropped_and_the_answer_kept(host: str, command: str, earlier: list[str], spare: int,
                                                       lines: list[str]) -> None:
    """Whatever came before (answers to spare Enters, to earlier commands), the first chunk with this command's
    echo gives exactly its output; every chunk before it gives None."""
    prompt = f"{host}# "
    stale = [f"\n{prompt}"] * spare + [f"{prompt}{c}\n" + "\n".join(lines) + f"\n{prompt}" for c in earlier
                                       if " ".join(c.split()) != " ".join(command.split())]
    for chunk in stale:
        assert after_echo(chunk, command, host) is None
    body = "\n".join(lines)
    answer = after_echo(f"{prompt}{command}\n{body}\n{prompt}", command, host)
    assert answer == f"{body}\n{prompt}"


def _reader(stream: str, cuts: list[int]) -> tuple[PromptReader, Iterator[str]]:
    """A reader of ``stream`` delivered in reads cut at ``cuts``, and the reads not yet taken."""
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    pieces = iter([stream[a:b] for a, b in itertools.pairwise(points)])
    return PromptReader(lambda: next(pieces, ""), re.compile(_prompt_pattern("fw1"), re.M)), pieces


long_lines = st.lists(st.one_of(st.text(alphabet="abc xyz#>0123", max_size=30),
                                st.integers(4000, 9000).map(lambda n: "x" * n)), max_size=6)


@given(st.integers(0, 3), long_lines, st.lists(st.integers(0, 10**6), max_size=40))
@settings(max_examples=60, deadline=None)
def test_the_reader_cuts_at_each_prompt_and_loses_nothing(spare: int, lines: list[str], cuts: list[int]) -> None:
    """However the device's bytes are split into reads, each chunk ends at a prompt that ends a line, nothing is
    lost, and the chunk with the echo holds the whole answer (lines longer than the reader's window included)."""
    body = "".join(f"{ln}\n" for ln in lines)
    # the prompt, the answers to the spare Enters, then the command typed at the last prompt and its answer
    stream = "fw1# " + "\nfw1# " * spare + "show access-list\n" + body + "fw1# "
    reader, unread = _reader(stream, cuts)
    chunks: list[str] = []
    answer = None
    while answer is None and len(chunks) <= spare + 1:
        chunks.append(reader.next_chunk(time.monotonic() + 5, "test"))
        answer = after_echo(chunks[-1], "show access-list", "fw1")
    assert answer in (body + "fw1# ", body + "fw1#")
    assert "".join(chunks) + reader.rest + "".join(unread) == stream
    assert all(re.search(r"fw1# ?$", c) for c in chunks)  # a read may end between the prompt and its space


def test_no_prompt_in_time_is_a_read_timeout() -> None:
    from netmiko.exceptions import ReadTimeout

    reader = PromptReader(lambda: "still talking ", re.compile(_prompt_pattern("fw1"), re.M))
    with pytest.raises(ReadTimeout):
        reader.next_chunk(time.monotonic() + 0.05, "show access-list")
