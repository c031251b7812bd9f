"""Bot-click filtering: explainable, local, and overridable.

Mail-security gateways and link scanners open and click every link seconds after delivery; GoPhish and
Microsoft record that as the person clicking. Each interaction is tested against simple signals, each with a
sentence a reviewer can check against the timeline. One *strong* signal, or two *weak* ones, discount the
event. Nothing here looks anything up outside the process: scanner ranges are the agency's own configuration.
Manual overrides (a reviewer's "this was a bot" / "this was really the person") win over the signals and are
recorded in the report with who decided and why.
"""

from __future__ import annotations

import ipaddress
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from compliance.drill.config import BotSettings
from netcomply.drill.csvsrc import read_text, rows
from netcomply.drill.model import CLICKS, INTERACTIONS, Action, Event, norm_email
from netcomply.drill.timeutil import parse_utc
from netcomply.errors import InputError, InputProblem

_NEVER = datetime.max.replace(tzinfo=UTC)

DEFAULT_STRENGTH = {
    "fast_after_send": "strong", "open_to_click": "strong", "click_without_open": "weak", "burst_ip": "strong",
    "scanner_user_agent": "strong", "scanner_range": "strong", "after_report": "strong", "after_forward": "weak",
}


@dataclass(frozen=True)
class Signal:
    code: str
    text: str  # English sentence with the numbers that triggered it


@dataclass(frozen=True)
class Override:
    """A reviewer's decision on one person's events (optionally one action, optionally one time)."""

    email: str
    decision: str  # "bot" | "human"
    reason: str
    by: str = ""
    action: Action | None = None
    time: datetime | None = None
    source: str = ""

    def matches(self, event: Event) -> bool:
        if event.email != self.email or event.action not in INTERACTIONS:
            return False
        if self.action is not None and event.action is not self.action:
            return False
        return not (self.time is not None and (event.time is None or abs((event.time - self.time).total_seconds())
                                                                            > 1))


@dataclass
class Judgement:
    event: Event
    signals: list[Signal] = field(default_factory=list)
    discounted: bool = False
    override: Override | None = None

    @property
    def reason(self) -> str:
        if self.override is not None:
            return f"manual override by {self.override.by or 'reviewer'}: {self.override.reason}"
        return "; ".join(s.text for s in self.signals)


@dataclass
class FilterResult:
    kept: list[Event]
    discounted: list[Judgement]
    restored: list[Judgement]  # flagged by signals but overridden as human
    overrides: list[tuple[Override, int]]  # each override with the number of events it matched
    judged: bool  # False when the drill had no timeline (nothing could be judged)


def _burst_events(events: Sequence[Event], recipients: int, window: float) -> set[int]:
    """ids of events where one address touched >= ``recipients`` distinct people within ``window`` seconds."""
    by_ip: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.ip and e.time is not None:
            by_ip[e.ip].append(e)
    flagged: set[int] = set()
    for evs in by_ip.values():
        if len({e.email for e in evs}) < recipients:
            continue
        evs.sort(key=lambda e: e.time)  # type: ignore[arg-type, return-value]
        win: deque[Event] = deque()
        counts: Counter[str] = Counter()
        for e in evs:
            win.append(e)
            counts[e.email] += 1
            assert e.time is not None
            while win and (e.time - win[0].time).total_seconds() > window:  # type: ignore[operator]
                old = win.popleft()
                counts[old.email] -= 1
                if not counts[old.email]:
                    del counts[old.email]
            if len(counts) >= recipients:
                flagged.update(id(x) for x in win)
    return flagged


def judge(events: Sequence[Event], settings: BotSettings, overrides: Iterable[Override] = ()) -> FilterResult:
    """Split events into kept and discounted, with every reason. Pure: same input, same answer."""
    strength = {**DEFAULT_STRENGTH, **settings.signals}
    nets = settings.networks()
    keywords = tuple(k.lower() for k in settings.user_agent_keywords)
    live = [e for e in events if e.action in INTERACTIONS and not e.derived and e.time is not None]
    judged = bool(live)
    burst = _burst_events(live, settings.burst.recipients, settings.burst.window_seconds)
    any_opens = any(e.action is Action.OPENED for e in live)

    per: dict[str, dict[Action, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for e in events:
        if e.time is not None and not e.derived:
            per[e.email][e.action].append(e.time)
    firsts = {email: {a: min(ts) for a, ts in acts.items()} for email, acts in per.items()}

    verdicts: dict[int, Judgement] = {}
    for e in live:
        assert e.time is not None
        mine = firsts.get(e.email, {})
        sigs: list[Signal] = []
        sent = mine.get(Action.SENT)
        if e.action in CLICKS and sent is not None:
            delay = (e.time - sent).total_seconds()
            if 0 <= delay <= settings.click_after_send_seconds:
                sigs.append(Signal("fast_after_send", f"{e.action.value} {delay:.0f} s after delivery "
                                   f"(<= {settings.click_after_send_seconds:g} s)"))
        if e.action in CLICKS:
            opens = per[e.email].get(Action.OPENED, [])
            near = [abs((e.time - o).total_seconds()) for o in opens]
            if near and min(near) < settings.open_to_click_seconds:
                sigs.append(Signal("open_to_click", f"clicked {min(near):.2f} s after the open "
                                   f"(< {settings.open_to_click_seconds:g} s)"))
            if any_opens and not opens:
                sigs.append(Signal("click_without_open", "click with no open recorded"))
        if id(e) in burst:
            sigs.append(Signal("burst_ip", f"{e.ip} touched >= {settings.burst.recipients} recipients within "
                               f"{settings.burst.window_seconds:g} s"))
        if e.user_agent and keywords:
            ua = e.user_agent.lower()
            hit = next((k for k in keywords if k in ua), None)
            if hit:
                sigs.append(Signal("scanner_user_agent", f"scanner user agent ({hit!r})"))
        if e.ip and nets:
            try:
                addr = ipaddress.ip_address(e.ip)
            except ValueError:
                addr = None
            net = next((n for n in nets if addr is not None and addr.version == n.version and addr in n), None)
            if net is not None:
                sigs.append(Signal("scanner_range", f"{e.ip} is in the configured scanner range {net}"))
        reported = mine.get(Action.REPORTED)
        if reported is not None and e.time > reported:
            sigs.append(Signal("after_report", f"{e.action.value} after the person reported the email"))
        forwarded = mine.get(Action.FORWARDED)
        if forwarded is not None and e.time > forwarded:
            sigs.append(Signal("after_forward", f"{e.action.value} after the person forwarded the email"))
        sigs = [s for s in sigs if strength.get(s.code, "strong") != "off"]
        strong = sum(1 for s in sigs if strength.get(s.code, "strong") == "strong")
        weak = len(sigs) - strong
        if sigs:
            verdicts[id(e)] = Judgement(e, sigs, discounted=strong >= 1 or weak >= 2)

    applied: list[tuple[Override, int]] = []
    for ov in overrides:
        n = 0
        for e in live:
            if ov.matches(e):
                n += 1
                j = verdicts.setdefault(id(e), Judgement(e))
                j.override = ov
                j.discounted = ov.decision == "bot"
        applied.append((ov, n))

    discounted = [j for j in verdicts.values() if j.discounted]
    restored = [j for j in verdicts.values() if not j.discounted and j.override is not None and j.signals]
    gone = {id(j.event) for j in discounted}
    kept = [e for e in events if id(e) not in gone]
    discounted.sort(key=lambda j: (j.event.time or _NEVER, j.event.email))
    return FilterResult(kept, discounted, restored, applied, judged)


def load_overrides(path: Path) -> list[Override]:
    """CSV with ``email,decision,reason[,by,action,time]``; decision is ``bot`` or ``human``."""
    file = str(path)
    out: list[Override] = []
    problems: list[InputProblem] = []
    for row in rows(read_text(path), file, ("email", "decision", "reason")):
        decision = row.get("decision").lower()
        if decision not in {"bot", "human"}:
            problems.append(InputProblem(file, row.line, f"decision must be bot or human, not {decision!r}"))
            continue
        if not row.get("reason"):
            problems.append(InputProblem(file, row.line, "every override needs a reason"))
            continue
        try:
            action = Action(row.get("action").lower()) if row.get("action") else None
            when = parse_utc(row.get("time"))
        except ValueError as exc:
            problems.append(InputProblem(file, row.line, str(exc)))
            continue
        out.append(Override(norm_email(row.get("email")), decision, row.get("reason"), row.get("by"), action, when,
                            f"{file}:{row.line}"))
    if problems:
        raise InputError(problems)
    return out
