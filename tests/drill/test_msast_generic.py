"""Microsoft Attack Simulation Training user export and the generic CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.drill.ingest import load_drill
from compliance.drill.config import load_thresholds
from compliance.drill.privacy import Pseudonymiser, load_key
from netcomply.app.pipelines.drill import run
from netcomply.errors import InputError

# What fixtures/msast-users.csv was built to contain (Department from Entra ID at simulation time).
MS_PLAN = {
    "yichun.chen": {"dept": "資訊科", "human": {"opened", "clicked", "submitted"}, "bot": None},
    "chihming.lin": {"dept": "資訊科", "human": {"opened"}, "bot": None},
    "shufen.huang": {"dept": "資訊科", "human": {"reported"}, "bot": None},
    "chiahao.chang": {"dept": "人事室", "excluded": True},
    "yating.li": {"dept": "人事室", "human": set(), "bot": "after_forward"},  # click after forwarding + no open
    "chunchieh.wang": {"dept": "人事室", "human": set(), "bot": "fast_after_send"},  # 3 s after delivery
    "meiling.wu": {"dept": "人事室", "human": {"opened", "clicked"}, "bot": None},  # attachment opened
    "chienhung.liu": {"dept": "人事室", "human": set(), "bot": None},  # deleted it
}


def _count(flag: str, dept: str | None = None, *, raw: bool = False) -> int:
    n = 0
    for v in MS_PLAN.values():
        if v.get("excluded") or (dept and v["dept"] != dept):
            continue
        acts = set(v["human"])  # type: ignore[call-overload]
        if raw and v["bot"]:
            acts.add("clicked")
        n += bool(acts & {"opened", "clicked"}) if flag == "opened" else (flag in acts)
    return n


def test_msast_export(fixtures: Path) -> None:
    drill = load_drill([fixtures / "msast-users.csv"])
    assert drill.kind == "msast"
    doc = run(drill, load_thresholds(), Pseudonymiser(load_key())).document
    tested = [k for k, v in MS_PLAN.items() if not v.get("excluded")]
    assert doc["participants"] == len(tested)
    assert doc["excluded"] == 1
    for flag in ("opened", "clicked", "submitted", "reported"):
        assert doc[flag] == _count(flag), flag
    assert doc["raw"]["clicked"] == _count("clicked", raw=True)
    assert doc["raw"]["opened"] == _count("opened", raw=True)
    depts = {d["name"]: d for d in doc["departments"]}
    assert set(depts) == {"資訊科", "人事室"}
    assert depts["人事室"]["participants"] == 4 and depts["人事室"]["suppressed"]  # fewer than 5 tested
    assert depts["資訊科"]["participants"] == 3
    signals = {s for b in doc["bot_events"] for s in b["signals"]}
    assert {"after_forward", "click_without_open", "fast_after_send"} <= signals
    # US-style timestamps read as UTC, written as Asia/Taipei
    assert doc["drill"]["start"] == "2026-10-06T10:00:05+08:00"


def test_generic_csv(fixtures: Path) -> None:
    doc = run(load_drill([fixtures / "generic.csv"]), load_thresholds(), Pseudonymiser(load_key())).document
    assert (doc["participants"], doc["excluded"]) == (3, 1)
    assert (doc["opened"], doc["clicked"], doc["reported"]) == (1, 1, 1)  # attachment opened counts as a click
    assert doc["raw"]["clicked"] == 2  # d's python-requests click 2 s after delivery is discounted
    assert [b["signals"] for b in doc["bot_events"]] == [["fast_after_send", "click_without_open", "scanner_user_agent"]]


def test_generic_csv_errors_are_collected(tmp_path: Path) -> None:
    bad = tmp_path / "g.csv"
    bad.write_text("email,action,time\na@x,sent,2026-01-01T00:00:00Z\na@x,teleported,\nb@x,sent,yesterday\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_drill([bad])
    assert [(p.line, "teleported" in p.message or "yesterday" in p.message) for p in err.value.problems] == [
        (3, True), (4, True)]


def test_big5_roster_and_unknown_format(tmp_path: Path) -> None:
    from collectors.drill.roster import load_roster

    roster = tmp_path / "hr.csv"
    roster.write_bytes("電子郵件,單位\nA@x.gov.tw,資訊科\n".encode("cp950"))
    assert load_roster(roster)["a@x.gov.tw"].department == "資訊科"
    other = tmp_path / "other.csv"
    other.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a drill export"):
        load_drill([other])
