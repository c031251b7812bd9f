"""GoPhish 0.12: its results and timeline, from the web UI's CSV exports or from the REST API.

Shapes (models/result.go, models/campaign.go, static/js/app/campaign_results.js):

* result: ``id`` (7-char rid), ``status``, ``ip``, ``latitude``, ``longitude``, ``send_date``, ``reported``,
  ``modified_date``, ``email``, ``first_name``, ``last_name``, ``position``. Status only moves forward
  (Email Sent -> Email Opened -> Clicked Link -> Submitted Data); ``Error`` stands apart; ``reported`` is a flag.
* timeline event: ``campaign_id``, ``email``, ``time``, ``message``, ``details`` (a JSON string:
  ``{"payload": {...form fields...}, "browser": {"address": ..., "user-agent": ...}}`` or ``{"error": ...}``).

Submitted form values are read past and dropped here, at the edge: nothing downstream ever sees them.

GoPhish's CSV export guards text starting with ``= + - @`` (tab, CR) with an apostrophe (PapaParse
``escapeFormulae``); :func:`netcomply.drill.csvsrc.unescape_formula` removes it so that ``'-kim@...`` matches the
roster's ``-kim@...``, and the API's JSON never had it. Names, positions and departments are therefore kept as
their true text here, which may be ``=HYPERLINK(...)``: every spreadsheet netcomply writes re-neutralises them
(:mod:`netcomply.safety.cells`), so the protection is restored on the way out, for the CSV and the API alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from netcomply.drill.model import Action, Drill, Event, Target, norm_email
from netcomply.drill.timeutil import parse_utc
from netcomply.errors import InputError, InputProblem

RESULT_COLUMNS = ("id", "status", "ip", "latitude", "longitude", "send_date", "reported", "modified_date",
                  "email", "first_name", "last_name", "position")
EVENT_COLUMNS = ("campaign_id", "email", "time", "message", "details")

MESSAGES: dict[str, Action] = {
    "Email Sent": Action.SENT,
    "Error Sending Email": Action.SEND_ERROR,
    "Email Opened": Action.OPENED,
    "Clicked Link": Action.CLICKED,
    "Submitted Data": Action.SUBMITTED,
    "Email Reported": Action.REPORTED,
}
IGNORED_MESSAGES = frozenset({"Campaign Created", "Proxied request"})

#: What a final result status implies when there is no timeline (status only moves forward).
STATUS_IMPLIES: dict[str, tuple[Action, ...]] = {
    "Email Sent": (Action.SENT,),
    "Email Opened": (Action.SENT, Action.OPENED),
    "Clicked Link": (Action.SENT, Action.CLICKED),
    "Submitted Data": (Action.SENT, Action.CLICKED, Action.SUBMITTED),
    "Error": (Action.SEND_ERROR,),
    "Success": (Action.SENT,),
}
NOT_SENT_STATUSES = frozenset({"Scheduled", "Queued", "Sending", "Retrying", "Unknown", ""})


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"true", "1", "yes"}


def parse_details(raw: str | None) -> tuple[str | None, str | None, str | None]:
    """(ip, user agent, error) from an event's ``details`` JSON; the form ``payload`` is deliberately ignored."""
    if not raw:
        return None, None, None
    try:
        doc = raw if isinstance(raw, dict) else json.loads(raw)  # the API's string, or an object a tool decoded
    except (ValueError, TypeError, RecursionError):
        return None, None, None
    if not isinstance(doc, dict):
        return None, None, None
    found = doc.get("browser")
    browser: dict[str, Any] = found if isinstance(found, dict) else {}
    error = doc.get("error")
    return (browser.get("address") or None, browser.get("user-agent") or None,
            str(error) if error is not None else None)


def add_result(drill: Drill, rec: Mapping[str, Any], where: str, campaign: str) -> None:
    """One result row/object: the target, and its status for use when no timeline covers them."""
    email = norm_email(str(rec.get("email") or ""))
    if not email:
        raise _problem(where, "result without an email")
    status = str(rec.get("status") or "").strip()
    drill.add_target(Target(email=email, first_name=str(rec.get("first_name") or ""),
                            last_name=str(rec.get("last_name") or ""), position=str(rec.get("position") or ""),
                            campaign=campaign, status=status, source=where))
    try:
        sent = parse_utc(str(rec.get("send_date") or ""))
        modified = parse_utc(str(rec.get("modified_date") or ""))
    except ValueError as exc:
        raise _problem(where, str(exc)) from None
    implied = STATUS_IMPLIES.get(status)
    if implied is None and status not in NOT_SENT_STATUSES:
        raise _problem(where, f"unknown GoPhish status {status!r}")
    actions = list(implied or ())
    if _truthy(rec.get("reported")):
        actions.append(Action.REPORTED)
    for action in actions:
        when = sent if action is Action.SENT else (None if action is Action.REPORTED else modified)
        drill.events.append(Event(email, action, when, ip=str(rec.get("ip") or "") or None, source=where,
                                  campaign=campaign, derived=True))


def add_event(drill: Drill, rec: Mapping[str, Any], where: str) -> None:
    """One timeline entry; campaign-level entries ("Campaign Created") and unknown messages are skipped."""
    message = str(rec.get("message") or "").strip()
    if message in IGNORED_MESSAGES:
        return
    action = MESSAGES.get(message)
    if action is None:
        raise _problem(where, f"unknown GoPhish event {message!r}")
    email = norm_email(str(rec.get("email") or ""))
    if not email:
        raise _problem(where, f"{message!r} event without an email")
    try:
        when = parse_utc(str(rec.get("time") or ""))
    except ValueError as exc:
        raise _problem(where, str(exc)) from None
    ip, ua, error = parse_details(rec.get("details"))
    campaign = str(rec.get("campaign_id") or "")
    drill.add_target(Target(email=email, campaign=campaign, source=where))
    drill.events.append(Event(email, action, when, ip=ip, user_agent=ua, source=where, campaign=campaign,
                              detail=error))


def settle(drill: Drill) -> None:
    """Where a real timeline exists for a person, drop the status-derived events for them (the timeline is
    the better witness: it has times, addresses and user agents)."""
    timed = {e.email for e in drill.events if not e.derived}
    drill.events = [e for e in drill.events if not (e.derived and e.email in timed)]


def _problem(where: str, message: str) -> InputError:
    """``file:line`` when the origin is a CSV row; ``file [key]`` for JSON (``origin#key``)."""
    head, _, tail = where.rpartition(":")
    if head and tail.isdigit():
        return InputError(InputProblem(head, int(tail), message))
    origin, hash_, key = where.rpartition("#")
    if hash_:
        return InputError(InputProblem(origin, None, message, key))
    return InputError(InputProblem(where, None, message))


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", type(None): "null"}.get(type(value), "a number")


def campaigns_of(doc: Any, origin: str) -> list[tuple[str, Mapping[str, Any]]]:
    """A saved API answer (one campaign object, or a list of them) as (key prefix, campaign) pairs."""
    items = list(enumerate(doc)) if isinstance(doc, list) else [(None, doc)]
    out: list[tuple[str, Mapping[str, Any]]] = []
    for index, item in items:
        key = "" if index is None else f"[{index}]"
        if not isinstance(item, dict):
            raise InputError(InputProblem(origin, None, "expected a GoPhish campaign object (id, results, timeline);"
                                          f" got {_kind(item)}", key or "$"))
        if "results" not in item and "timeline" not in item:  # e.g. Microsoft Graph's userSimulationDetails
            raise InputError(InputProblem(origin, None, "not a GoPhish campaign: no 'results' or 'timeline' (for a "
                                          "Microsoft attack simulation, give its user CSV export)", key or "$"))
        out.append((key, item))
    return out


def _objects(doc: Mapping[str, Any], name: str, where: str) -> list[Mapping[str, Any]]:
    """``doc[name]`` as a list of objects, or the InputError that says which item is not one."""
    found = doc.get(name) or []
    if not isinstance(found, list):
        raise _problem(f"{where}{name}", f"expected a list of objects; got {_kind(found)}")
    for i, item in enumerate(found):
        if not isinstance(item, dict):
            raise _problem(f"{where}{name}[{i}]", f"expected an object; got {_kind(item)}")
    return found


def load_campaign_json(drill: Drill, doc: Mapping[str, Any], origin: str, key: str = "") -> None:
    """A ``/api/campaigns/{id}/results`` (or full campaign) object: results plus timeline. Problems name
    ``origin`` and the key of the item (``[0].results[3]``)."""
    campaign = str(doc.get("id", ""))
    where = f"{origin}#{key}{'.' if key else ''}"
    results: Iterable[Mapping[str, Any]] = _objects(doc, "results", where)
    for i, rec in enumerate(results):
        add_result(drill, rec, f"{where}results[{i}]", campaign)
    for i, ev in enumerate(_objects(doc, "timeline", where)):
        add_event(drill, {**ev, "campaign_id": ev.get("campaign_id", campaign)}, f"{where}timeline[{i}]")
