"""Which prompt-ended chunk of an ASA session is the answer to the command just sent (``after_echo``).

On drivers that do not wait for the command's echo (ASA without netmiko's terminal-width change), a busy device's
late answers to earlier Enters come first; only the chunk that carries this command's echo is its answer. The
echo forms are the ones real ASAs print: the prompt and the command, or the line scrolled sideways with ``$`` when
prompt and command are wider than the terminal (netmiko issues #105 and #281 show both)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.transports.ssh import _prompt_pattern, after_echo

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
