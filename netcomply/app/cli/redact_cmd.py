"""``netcomply redact FILE... [-o OUT]``: the redactor of the store, logs and packs, as a command.

For sending configurations to a vendor's support or to an auditor: every device secret is masked with a name
(``<secret:radius-key>``), every other byte stays. Results go to stdout (or ``-o``: a file, or a folder for
several files); a count of masks per kind goes to stderr (``--format json`` makes it JSON, on stdout when the
redacted text went to files). Unreadable input is bad input: ``FILE: why``, exit 2.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli.options import Format, FormatOpt, QuietOpt
from netcomply.errors import InputError, InputProblem
from netcomply.safety.redact import REDACTOR, mask_kinds
from netcomply.safety.redaction.platforms import FAMILIES, detect_platform, family_of

_MAX_BYTES = 512 * 1024 * 1024  # a configuration, a log or a capture; not a disk image


def redact(
    files: Annotated[list[str], typer.Argument(help="Files to redact ('-' reads stdin).", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout: a file, or a folder (needed for several "
                     "files; created if missing). Never overwrites an input.", show_default=False),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", "-p", help=f"Platform family ({', '.join(FAMILIES)}) or netmiko device type; "
                     "detected per file when not given.", show_default=False),
    ] = None,
    fmt: FormatOpt = Format.table,
    quiet: QuietOpt = False,
) -> None:
    """Mask every device secret (passwords, keys, communities, hashes, private keys) in configuration files."""
    family = _family(platform)
    inputs = _read_all(files)
    targets = _targets(files, output)
    report: list[dict[str, Any]] = []
    for (name, data), target in zip(inputs, targets, strict=True):
        text = data.decode("utf-8", "surrogateescape")
        used = family or detect_platform(text)
        redacted = REDACTOR.redact(text, used)
        out_bytes = redacted.encode("utf-8", "surrogateescape")
        if target is None:
            sys.stdout.buffer.write(out_bytes)
            sys.stdout.buffer.flush()
        else:
            _write(target, out_bytes)
        added = Counter(mask_kinds(redacted)) - Counter(mask_kinds(text))
        report.append({"file": name, "output": str(target) if target else "-", "platform": used,
                       "masked": sum(added.values()), "kinds": dict(sorted(added.items()))})
    _summary(report, fmt, quiet, to_stdout=output is not None)


def _family(platform: str | None) -> str | None:
    if platform is None:
        return None
    family = family_of(platform)
    if family is None:
        raise InputError(f"unknown platform {platform!r}; expected one of {', '.join(FAMILIES)} or a netmiko "
                         "device type of one of them", file="--platform")
    return family


def _read_all(files: list[str]) -> list[tuple[str, bytes]]:
    """Every input, or one error naming every file that cannot be read (fixed in one pass, not one by one)."""
    inputs, problems = [], []
    for name in files:
        try:
            inputs.append((name, _read(name)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return inputs


def _read(name: str) -> bytes:
    """The bytes of ``name`` (``-``: stdin), or bad input saying why they cannot be read."""
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError(InputProblem(file=name, line=None, message="is a folder; expected a text file"))
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(InputProblem(file=name, line=None,
                                          message=f"is {size} bytes; expected a text file of at most {_MAX_BYTES}"))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(file=name, line=None, message=f"cannot be read: {exc.strerror or exc}")) from None
    if b"\0" in data[:8192]:
        raise InputError(InputProblem(file=name, line=None, message="holds NUL bytes; expected a text file "
                                      "(a configuration, a log or a capture)"))
    return data


def _targets(files: list[str], output: Path | None) -> list[Path | None]:
    """Where each input goes: stdout (None), the ``-o`` file, or a same-named file in the ``-o`` folder."""
    if output is None:
        return [None] * len(files)
    folder = output.is_dir() or len(files) > 1
    if folder:
        names = [Path(f).name if f != "-" else "stdin.txt" for f in files]
        dupes = sorted(n for n, c in Counter(names).items() if c > 1)
        if dupes:
            raise InputError(f"-o {output}: several inputs are named {', '.join(dupes)}; redact them separately",
                             file=str(output))
        if output.exists() and not output.is_dir():
            raise InputError(f"-o {output}: several files need a folder, and this is a file", file=str(output))
        targets: list[Path | None] = [output / n for n in names]
    else:
        targets = [output]
    inputs = {Path(f).resolve() for f in files if f != "-"}
    for target in targets:
        if target is not None and target.resolve() in inputs:
            raise InputError(f"-o {output}: would overwrite the input {target}; choose another place",
                             file=str(output))
    return targets


def _write(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise InputError(InputProblem(file=str(target), line=None,
                                      message=f"cannot be written: {exc.strerror or exc}")) from None


def _summary(report: list[dict[str, Any]], fmt: Format, quiet: bool, *, to_stdout: bool) -> None:
    """Masks per file and kind: JSON (stdout when the text went to files, else stderr) or one line per file."""
    if fmt == Format.json:
        stream = sys.stdout if to_stdout else sys.stderr
        stream.write(json.dumps({"files": report, "masked": sum(r["masked"] for r in report)}, indent=2) + "\n")
        return
    if quiet:
        return
    for r in report:
        kinds = ", ".join(f"{k} {n}" for k, n in r["kinds"].items()) or "nothing to mask"
        sys.stderr.write(f"{r['file']}: {r['masked']} masked ({kinds}); platform {r['platform'] or 'not detected'}\n")
