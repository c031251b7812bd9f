"""Benchmark reading one long SSH answer up to its prompt (the ASA/Comware path of SshSession.send).

netmiko's ``read_until_pattern`` searches everything read so far after each read, so its time grows with the
square of the output; collectors.transports.ssh.PromptReader searches only the unfinished line. Both read the
same ASA ``show access-list`` answer, delivered in 32 KiB reads as paramiko hands them over.

Prints one JSON object: megabytes, reads, seconds for each reader, and their ratio.

    .venv/bin/python benchmarks/bench_ssh_read.py [--lines 50000]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from netmiko.base_connection import BaseConnection  # noqa: E402

from collectors.transports.ssh import PromptReader, _prompt_pattern  # noqa: E402

READ = 32 * 1024


def _answer(lines: int) -> str:
    body = "".join(f"access-list OUTSIDE_IN line {i} extended permit tcp any4 host 198.51.100.{i % 250} eq www "
                   f"(hitcnt={i}) 0x{i:08x}\n" for i in range(lines))
    return f"fw1# show access-list\n{body}fw1# "


def _reads(text: str) -> Callable[[], str]:
    pieces = iter([text[i:i + READ] for i in range(0, len(text), READ)])
    return lambda: next(pieces, "")


def _netmiko(text: str) -> float:
    conn = BaseConnection.__new__(BaseConnection)  # only the reading loop is used: no connection is opened
    conn._read_buffer = ""
    conn.read_timeout_override = None
    conn.read_channel = _reads(text)  # type: ignore[method-assign]
    start = time.perf_counter()
    out = conn.read_until_pattern(pattern=_prompt_pattern("fw1"), read_timeout=3600, re_flags=re.M)
    assert out == text
    return time.perf_counter() - start


def _ours(text: str) -> float:
    reader = PromptReader(_reads(text), re.compile(_prompt_pattern("fw1"), re.M))
    start = time.perf_counter()
    out = reader.next_chunk(time.monotonic() + 3600, "show access-list")
    assert out == text
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=50_000, help="access-list lines in the answer")
    args = ap.parse_args()
    text = _answer(args.lines)
    netmiko_s, ours_s = _netmiko(text), _ours(text)
    print(json.dumps({"megabytes": round(len(text) / 1e6, 2), "reads": -(-len(text) // READ),
                      "netmiko_read_until_pattern_s": round(netmiko_s, 3), "prompt_reader_s": round(ours_s, 3),
                      "ratio": round(netmiko_s / max(ours_s, 1e-9), 1)}))


if __name__ == "__main__":
    main()
