"""The drill's own vocabulary: one normalised shape that every source (GoPhish API/CSV, Microsoft Attack
Simulation Training, the generic CSV) is read into, so metrics, bot filtering and reports never care where the
data came from.

Times are timezone-aware UTC everywhere in here; only reports convert to Asia/Taipei.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Action(StrEnum):
    """What happened to one target. ``CLICKED`` and ``ATTACHMENT`` both count as a click (the national rule
    says "clicked a link or opened an attachment")."""

    SENT = "sent"
    SEND_ERROR = "send_error"
    OPENED = "opened"
    CLICKED = "clicked"
    ATTACHMENT = "attachment_opened"
    SUBMITTED = "submitted"
    REPORTED = "reported"
    FORWARDED = "forwarded"


#: Interactions that a mail scanner can fake; only these are ever judged as bot traffic.
INTERACTIONS = frozenset({Action.OPENED, Action.CLICKED, Action.ATTACHMENT, Action.SUBMITTED})
CLICKS = frozenset({Action.CLICKED, Action.ATTACHMENT, Action.SUBMITTED})


@dataclass(slots=True)
class Event:
    """One timeline entry. ``derived`` marks events inferred from a final status (no timeline available):
    they carry no timing, so bot filtering cannot judge them."""

    email: str
    action: Action
    time: datetime | None
    ip: str | None = None
    user_agent: str | None = None
    source: str = ""  # "file:line" or "api:/api/campaigns/3/results#12", for the reason list
    campaign: str = ""
    derived: bool = False
    detail: str | None = None  # a send error's text; never a submitted form value


@dataclass(slots=True)
class Target:
    """One person the drill email was addressed to, as the source knows them (name, position, and for
    Microsoft exports the department at simulation time)."""

    email: str
    first_name: str = ""
    last_name: str = ""
    position: str = ""
    department: str | None = None
    campaign: str = ""
    status: str = ""  # the source's own final status word, kept for the annex
    source: str = ""

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p).strip()


@dataclass
class Drill:
    """Everything one drill's inputs say: targets keyed by lower-case email and their events."""

    name: str
    targets: dict[str, Target] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    kind: str = ""  # gophish | msast | generic | mixed

    def add_target(self, target: Target) -> Target:
        """Keep the first record of a person but fill in what a later source knows better (names, position)."""
        key = target.email
        have = self.targets.get(key)
        if have is None:
            self.targets[key] = target
            return target
        for attr in ("first_name", "last_name", "position", "department", "status", "campaign"):
            if not getattr(have, attr) and getattr(target, attr):
                setattr(have, attr, getattr(target, attr))
        return have

    @property
    def start(self) -> datetime | None:
        """When the drill began: its earliest send (None when nothing was sent)."""
        sent = [e.time for e in self.events if e.action is Action.SENT and e.time is not None]
        return min(sent) if sent else None


NOT_IN_ROSTER = "(not in roster)"
UNASSIGNED = "(no department)"


@dataclass(frozen=True)
class Member:
    """One person of the HR roster at drill time (read by :mod:`collectors.drill.roster`, grouped by the metrics)."""

    email: str
    department: str
    title: str = ""
    name: str = ""


def norm_email(value: str) -> str:
    """Addresses compare case-insensitively (HR rosters and mail systems disagree on case)."""
    return value.strip().lower()
