"""Every drill finding reads in the report's language: the checks give a reason and numbers, the report phrases
them (the English message stays for the store and JSON)."""

from __future__ import annotations

import re

import pytest

from compliance.checks import drill as drill_checks
from compliance.checks.base import JudgeContext
from reports.drill.phrasing import phrase
from reports.drill.render import messages

DOC = {
    "participants": 120, "opened": 15, "clicked": 4, "open_ci95": [0.077, 0.196], "click_ci95": [0.013, 0.083],
    "thresholds": {"open_rate_max": 0.10, "click_rate_max": 0.06},
    "departments": [
        {"name": "資訊科", "participants": 40, "clicked": 4, "verdict": "inconclusive"},
        {"name": "人事室", "participants": 3, "clicked": 0, "suppressed": True},
    ],
    "drill": {"name": "2026H2", "start": "2026-10-05T01:00:00+00:00", "sources": ["results.csv"]},
}


def _findings(previous: list[str | None]) -> list:
    obs = drill_checks.summary_observation(DOC, previous)
    out = []
    for cls in (drill_checks.DrillOpenRate, drill_checks.DrillClickRate, drill_checks.DrillSemiannual,
                drill_checks.DrillDepartmentClickRate):
        out.extend(cls().run([obs], JudgeContext(run_id="t")))
    return out


@pytest.mark.parametrize("previous", [[], ["2026-04-06T01:00:00+00:00"]])
def test_zh_tw_lines_have_no_english_words_and_en_lines_keep_the_numbers(previous: list[str | None]) -> None:
    findings = _findings(previous)
    assert {f.details.get("reason") for f in findings} >= {"rate", "department_rate", "suppressed"}
    for f in findings:
        zh = phrase(f.details, "zh-TW", fallback="FALLBACK")
        en = phrase(f.details, "en", fallback="FALLBACK")
        assert "FALLBACK" not in (zh, en), f.details
        assert not re.search(r"\b(below|interval|verdict|people|previous|drill|mark)\b", zh), zh
        assert re.findall(r"\d+", zh) == re.findall(r"\d+", en) or f.details["reason"] == "gap"


def test_every_reason_has_both_languages() -> None:
    from netcomply.i18n import catalog
    from reports.drill import render

    assert render.messages("en").keys() == render.messages("zh-TW").keys()
    for key, value in catalog().items():
        if key.startswith("drill.finding_"):
            assert set(value.texts) == {"en", "zh-TW"}, key
    assert messages("zh-TW")["finding_rate"].count("{") == messages("en")["finding_rate"].count("{")
