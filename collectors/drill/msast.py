"""Microsoft Defender for Office 365 Attack Simulation Training: the per-user CSV export of a simulation.

One row per user (UserName, UserMail, Compromised, ..._TimeStamp columns, and the Entra ID Department, Title,
Company, Office ... at simulation time). Each timestamp column becomes one event; browser and IP columns ride
along with their click so the bot filter can judge them. Forwarding is kept as its own event: a click that
follows a forward is likely the helpdesk or a colleague, not the person (Microsoft's docs warn about it).
"""

from __future__ import annotations

from pathlib import Path

from netcomply.drill.csvsrc import Row, read_text, rows
from netcomply.drill.model import Action, Drill, Event, Target, norm_email
from netcomply.drill.timeutil import parse_utc
from netcomply.errors import InputError, InputProblem

REQUIRED = ("UserMail",)
MARKERS = frozenset({"UserMail", "Compromised"})

#: timestamp column -> (action, browser column, ip column)
COLUMNS: tuple[tuple[str, Action, str | None, str | None], ...] = (
    ("SuccessfullyDeliveredEmail_TimeStamp", Action.SENT, None, None),
    ("JustSimulationMessageDelivered_TimeStamp", Action.SENT, None, None),
    ("FailedToDeliverEmail_TimeStamp", Action.SEND_ERROR, None, None),
    ("JustSimulationMessageFailed_TimeStamp", Action.SEND_ERROR, None, None),
    ("MessageRead_TimeStamp", Action.OPENED, None, None),
    ("EmailLinkClicked_TimeStamp", Action.CLICKED, "EmailLinkClicked_Browser", "EmailLinkClicked_IP"),
    ("AttachmentLinkClicked_TimeStamp", Action.CLICKED, "AttachmentLinkClicked_Browser", "AttachmentLinkClicked_IP"),
    ("AttachmentOpened_TimeStamp", Action.ATTACHMENT, "AttachmentOpened_Browser", "AttachmentOpened_IP"),
    ("CredSupplied_TimeStamp(Compromised)", Action.SUBMITTED, "CredSupplied_Browser", "CredSupplied_IP"),
    ("CredSupplied_TimeStamp", Action.SUBMITTED, "CredSupplied_Browser", "CredSupplied_IP"),
    ("Phishing Reported On", Action.REPORTED, None, None),
    ("MessageForwarded_TimeStamp", Action.FORWARDED, None, None),
)


def is_msast(header: list[str]) -> bool:
    return set(header) >= MARKERS


def load(path: Path, drill: Drill) -> None:
    text = read_text(path)
    file = str(path)
    for row in rows(text, file, REQUIRED):
        _row(drill, row, file)


def _row(drill: Drill, row: Row, file: str) -> None:
    email = norm_email(row.get("UserMail"))
    if not email:
        raise InputError(InputProblem(file, row.line, "UserMail is empty"))
    where = f"{file}:{row.line}"
    name = row.get("UserName")
    first, _, last = name.partition(" ")
    drill.add_target(Target(email=email, first_name=first, last_name=last, position=row.get("Title"),
                            department=row.get("Department") or None, campaign=path_stem(file),
                            status="Compromised" if row.get("Compromised").lower() == "yes" else "",
                            source=where))
    seen = False
    for column, action, browser_col, ip_col in COLUMNS:
        raw = row.values.get(column, "")
        if not raw:
            continue
        try:
            when = parse_utc(raw)
        except ValueError as exc:
            raise InputError(InputProblem(file, row.line, f"{column}: {exc}")) from None
        if when is None:
            continue
        seen = True
        drill.events.append(Event(email, action, when, ip=row.get(ip_col) if ip_col else None,
                                  user_agent=row.get(browser_col) if browser_col else None, source=where,
                                  campaign=path_stem(file)))
    if not seen and row.get("Compromised").lower() == "yes":
        # Compromised without a timestamp (columns hidden before export): still a click, untimed.
        drill.events.append(Event(email, Action.SENT, None, source=where, derived=True))
        drill.events.append(Event(email, Action.CLICKED, None, source=where, derived=True))


def path_stem(file: str) -> str:
    return Path(file).stem
