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
from collections.abc import Callable, Iterable, Sequence
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


@dataclass
class _Facts:
    """What every signal may look at: the settings and the drill's timeline, indexed once per judgement."""

    settings: BotSettings
    nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
    keywords: tuple[str, ...]
    burst: set[int]
    any_opens: bool
    per: dict[str, dict[Action, list[datetime]]]
    firsts: dict[str, dict[Action, datetime]]


def _facts(events: Sequence[Event], live: Sequence[Event], settings: BotSettings) -> _Facts:
    per: dict[str, dict[Action, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for e in events:
        if e.time is not None and not e.derived:
            per[e.email][e.action].append(e.time)
    return _Facts(settings, settings.networks(), tuple(k.lower() for k in settings.user_agent_keywords),
                  _burst_events(live, settings.burst.recipients, settings.burst.window_seconds),
                  any(e.action is Action.OPENED for e in live), per,
                  {email: {a: min(ts) for a, ts in acts.items()} for email, acts in per.items()})


def _fast_after_send(e: Event, when: datetime, f: _Facts) -> Signal | None:
    sent = f.firsts.get(e.email, {}).get(Action.SENT)
    if e.action not in CLICKS or sent is None:
        return None
    delay = (when - sent).total_seconds()
    if 0 <= delay <= f.settings.click_after_send_seconds:
        return Signal("fast_after_send", f"{e.action.value} {delay:.0f} s after delivery "
                      f"(<= {f.settings.click_after_send_seconds:g} s)")
    return None


def _open_to_click(e: Event, when: datetime, f: _Facts) -> Signal | None:
    near = [abs((when - o).total_seconds()) for o in f.per[e.email].get(Action.OPENED, [])]
    if e.action in CLICKS and near and min(near) < f.settings.open_to_click_seconds:
        return Signal("open_to_click", f"clicked {min(near):.2f} s after the open "
                      f"(< {f.settings.open_to_click_seconds:g} s)")
    return None


def _click_without_open(e: Event, when: datetime, f: _Facts) -> Signal | None:
    if e.action in CLICKS and f.any_opens and not f.per[e.email].get(Action.OPENED):
        return Signal("click_without_open", "click with no open recorded")
    return None


def _burst_ip(e: Event, when: datetime, f: _Facts) -> Signal | None:
    if id(e) not in f.burst:
        return None
    return Signal("burst_ip", f"{e.ip} touched >= {f.settings.burst.recipients} recipients within "
                  f"{f.settings.burst.window_seconds:g} s")


def _scanner_user_agent(e: Event, when: datetime, f: _Facts) -> Signal | None:
    ua = (e.user_agent or "").lower()
    hit = next((k for k in f.keywords if k in ua), None) if ua else None
    return Signal("scanner_user_agent", f"scanner user agent ({hit!r})") if hit else None


def _scanner_range(e: Event, when: datetime, f: _Facts) -> Signal | None:
    if not e.ip or not f.nets:
        return None
    try:
        addr = ipaddress.ip_address(e.ip)
    except ValueError:
        return None
    net = next((n for n in f.nets if addr.version == n.version and addr in n), None)
    return Signal("scanner_range", f"{e.ip} is in the configured scanner range {net}") if net is not None else None


def _after(action: Action, code: str, verb: str) -> _SignalTest:
    def test(e: Event, when: datetime, f: _Facts) -> Signal | None:
        then = f.firsts.get(e.email, {}).get(action)
        if then is not None and when > then:
            return Signal(code, f"{e.action.value} after the person {verb} the email")
        return None
    return test


_SignalTest = Callable[[Event, datetime, _Facts], "Signal | None"]

#: Every signal, in the order the reasons are written. One test per signal, each a sentence a reviewer checks.
SIGNALS: tuple[_SignalTest, ...] = (
    _fast_after_send, _open_to_click, _click_without_open, _burst_ip, _scanner_user_agent, _scanner_range,
    _after(Action.REPORTED, "after_report", "reported"), _after(Action.FORWARDED, "after_forward", "forwarded"),
)


def _judge_one(e: Event, when: datetime, f: _Facts, strength: dict[str, str]) -> Judgement | None:
    """The event's signals (those switched off left out); discounted on one strong or two weak ones."""
    sigs = [s for test in SIGNALS if (s := test(e, when, f)) is not None]
    sigs = [s for s in sigs if strength.get(s.code, "strong") != "off"]
    if not sigs:
        return None
    strong = sum(1 for s in sigs if strength.get(s.code, "strong") == "strong")
    return Judgement(e, sigs, discounted=strong >= 1 or len(sigs) - strong >= 2)


def _apply_overrides(live: Sequence[Event], overrides: Iterable[Override],
                     verdicts: dict[int, Judgement]) -> list[tuple[Override, int]]:
    """A reviewer's decision wins over the signals; each override is returned with how many events it matched."""
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
    return applied


def judge(events: Sequence[Event], settings: BotSettings, overrides: Iterable[Override] = ()) -> FilterResult:
    """Split events into kept and discounted, with every reason. Pure: same input, same answer."""
    strength = {**DEFAULT_STRENGTH, **settings.signals}
    live = [e for e in events if e.action in INTERACTIONS and not e.derived and e.time is not None]
    facts = _facts(events, live, settings)
    verdicts: dict[int, Judgement] = {}
    for e in live:
        assert e.time is not None
        j = _judge_one(e, e.time, facts, strength)
        if j is not None:
            verdicts[id(e)] = j
    applied = _apply_overrides(live, overrides, verdicts)
    discounted = [j for j in verdicts.values() if j.discounted]
    restored = [j for j in verdicts.values() if not j.discounted and j.override is not None and j.signals]
    gone = {id(j.event) for j in discounted}
    kept = [e for e in events if id(e) not in gone]
    discounted.sort(key=lambda j: (j.event.time or _NEVER, j.event.email))
    return FilterResult(kept, discounted, restored, applied, bool(live))


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
