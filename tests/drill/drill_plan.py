"""What the GoPhish fixture (fixtures/gophish-*.csv, gophish-api-results.json) was built to contain, person by
person. Tests derive every expected figure from this table, never from the code under test.

human: what the person really did. bot: the signal that must discount a recorded interaction (None = none).
"""

from __future__ import annotations

DOMAIN = "agency.gov.tw"

PLAN: dict[str, dict[str, object]] = {
    # email local part: department (roster), human actions, bot signal on a recorded click, excluded
    "alice": {"dept": "資訊科", "human": {"opened", "clicked", "submitted"}, "bot": None},
    "bob": {"dept": "資訊科", "human": {"opened"}, "bot": None},
    "carol": {"dept": "資訊科", "human": set(), "bot": None},
    "dave": {"dept": "資訊科", "human": {"clicked"}, "bot": None},  # image blocked: click without open (one weak signal)
    "erin": {"dept": "資訊科", "human": {"reported"}, "bot": None},
    "frank": {"dept": "資訊科", "human": set(), "bot": None, "excluded": True},  # 550 user unknown
    "grace": {"dept": "秘書科", "human": set(), "bot": "fast_after_send"},  # scanner 2 s after delivery, MSIE 6 UA
    "heidi": {"dept": "秘書科", "human": {"reported"}, "bot": "after_report"},  # SOC analyst clicked after report
    "ivan": {"dept": "秘書科", "human": {"opened"}, "bot": "open_to_click"},  # click 0.4 s after the image load
    "judy": {"dept": "秘書科", "human": {"opened", "clicked"}, "bot": None},  # names formula-escaped in the export
    "-kim": {"dept": "秘書科", "human": set(), "bot": None},  # address formula-escaped in the export
    "leo": {"dept": None, "human": {"opened", "clicked"}, "bot": None},  # not in the roster
    "mallory": {"dept": "秘書科", "human": set(), "bot": None},  # 421 then delivered on retry
}


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def people_tested() -> list[str]:
    return [k for k, v in PLAN.items() if not v.get("excluded")]


def human(flag: str, people: list[str] | None = None) -> int:
    """How many tested people really did ``flag``; a click implies an open."""
    people = people_tested() if people is None else people
    acts = {k: set(PLAN[k]["human"]) for k in people}  # type: ignore[call-overload]
    if flag == "opened":
        return sum(1 for a in acts.values() if a & {"opened", "clicked"})
    if flag == "clicked":
        return sum(1 for a in acts.values() if a & {"clicked", "submitted"})
    return sum(1 for a in acts.values() if flag in a)


def recorded(flag: str) -> int:
    """What GoPhish recorded before bot filtering: humans plus every bot click (which implies an open)."""
    n = 0
    for k in people_tested():
        acts = set(PLAN[k]["human"])  # type: ignore[call-overload]
        if PLAN[k]["bot"]:
            acts |= {"clicked"}
        if flag == "opened":
            n += bool(acts & {"opened", "clicked"})
        elif flag == "clicked":
            n += bool(acts & {"clicked", "submitted"})
        else:
            n += flag in acts
    return n


def department(name: str | None) -> list[str]:
    return [k for k in people_tested() if PLAN[k]["dept"] == name]
