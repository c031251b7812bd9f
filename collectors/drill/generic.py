"""The generic drill CSV, for any other tool (or a spreadsheet kept by hand). One row per event.

Columns (header required, order free; UTF-8 or Big5):

=============  ========  ============================================================================
column         required  meaning
=============  ========  ============================================================================
email          yes       the person's address
action         yes       sent | send_error | opened | clicked | attachment_opened | submitted |
                         reported | forwarded
time           no        UTC timestamp (ISO 8601; a naive time is UTC); empty = unknown
ip             no        the address the interaction came from (used by bot filtering)
user_agent     no        the browser's user agent (used by bot filtering)
first_name     no        given name (restricted annex only)
last_name      no        family name (restricted annex only)
department     no        used when no HR roster is given
campaign       no        a label, e.g. the wave or group the person was sent in
=============  ========  ============================================================================
"""

from __future__ import annotations

from pathlib import Path

from netcomply.drill.csvsrc import read_text, rows
from netcomply.drill.model import Action, Drill, Event, Target, norm_email
from netcomply.drill.timeutil import parse_utc
from netcomply.errors import InputError, InputProblem

REQUIRED = ("email", "action")


def is_generic(header: list[str]) -> bool:
    return set(REQUIRED) <= set(header)


def load(path: Path, drill: Drill) -> None:
    file = str(path)
    problems: list[InputProblem] = []
    for row in rows(read_text(path), file, REQUIRED):
        email = norm_email(row.get("email"))
        try:
            action = Action(row.get("action").strip().lower())
        except ValueError:
            problems.append(InputProblem(file, row.line, f"unknown action {row.get('action')!r}; expected one of "
                                         + ", ".join(a.value for a in Action)))
            continue
        if not email:
            problems.append(InputProblem(file, row.line, "email is empty"))
            continue
        try:
            when = parse_utc(row.get("time"))
        except ValueError as exc:
            problems.append(InputProblem(file, row.line, str(exc)))
            continue
        where = f"{file}:{row.line}"
        drill.add_target(Target(email=email, first_name=row.get("first_name"), last_name=row.get("last_name"),
                                department=row.get("department") or None, campaign=row.get("campaign"),
                                source=where))
        drill.events.append(Event(email, action, when, ip=row.get("ip") or None,
                                  user_agent=row.get("user_agent") or None, source=where,
                                  campaign=row.get("campaign")))
    if problems:
        raise InputError(problems)
