"""The HR roster at drill time: email -> department and title.

Drill tools know only addresses and names, so departments come from the agency's own roster. Headers may be
English or Chinese (電子郵件/信箱, 單位/部門, 職稱, 姓名). A person the drill reached but the roster does not know is
kept, in a group of their own, and listed: dropping them would quietly improve the rates.
"""

from __future__ import annotations

from pathlib import Path

from netcomply.drill.csvsrc import header_of, read_text, rows
from netcomply.drill.model import UNASSIGNED, Member, norm_email
from netcomply.errors import InputError, InputProblem

ALIASES = {
    "email": ("email", "e-mail", "mail", "電子郵件", "信箱", "電子信箱", "UserMail"),
    "department": ("department", "dept", "單位", "部門", "科室", "Department"),
    "title": ("title", "position", "職稱", "Title"),
    "name": ("name", "姓名", "UserName"),
}

def _column(header: list[str], key: str) -> str | None:
    lowered = {h.lower(): h for h in header}
    for alias in ALIASES[key]:
        if alias.lower() in lowered:
            return lowered[alias.lower()]
    return None


def load_roster(path: Path) -> dict[str, Member]:
    """Read the roster; every bad row is reported at once (``FILE:LINE: ...``)."""
    text = read_text(path)
    file = str(path)
    header = header_of(text, file)
    cols = {k: _column(header, k) for k in ALIASES}
    if cols["email"] is None or cols["department"] is None:
        raise InputError(InputProblem(file, 1, "the roster needs an email column and a department column "
                                      f"(e.g. email,department,title); found {', '.join(header)}"))
    out: dict[str, Member] = {}
    problems: list[InputProblem] = []
    for row in rows(text, file):
        email = norm_email(row.values.get(cols["email"] or "", ""))
        dept = row.values.get(cols["department"] or "", "").strip()
        if not email or "@" not in email:
            problems.append(InputProblem(file, row.line, f"not an email address: {email!r}"))
            continue
        if email in out:
            problems.append(InputProblem(file, row.line, f"{email} is listed twice"))
            continue
        out[email] = Member(email, dept or UNASSIGNED, row.values.get(cols["title"] or "", ""),
                            row.values.get(cols["name"] or "", ""))
    if problems:
        raise InputError(problems)
    return out
