"""GoPhish 0.12 exports (results CSV + raw events CSV) and the saved API JSON, against the fixture's plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from drill_plan import PLAN, department, email, human, people_tested, recorded

from collectors.drill.ingest import load_drill
from collectors.drill.roster import load_roster
from compliance.drill.config import load_thresholds
from compliance.drill.privacy import Pseudonymiser, load_key
from netcomply.app.pipelines.drill import run
from netcomply.drill.csvsrc import unescape_formula
from netcomply.drill.model import NOT_IN_ROSTER
from netcomply.errors import InputError


@pytest.fixture
def result(fixtures: Path):  # type: ignore[no-untyped-def]
    drill = load_drill([fixtures / "gophish-results.csv", fixtures / "gophish-events.csv"])
    return run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(fixtures / "roster.csv"))


def test_agency_counts_match_the_plan(result) -> None:  # type: ignore[no-untyped-def]
    doc = result.document
    n = len(people_tested())
    assert doc["participants"] == n
    assert doc["excluded"] == sum(1 for v in PLAN.values() if v.get("excluded"))
    for flag in ("opened", "clicked", "submitted", "reported"):
        assert doc[flag] == human(flag), flag
    assert doc["raw"]["opened"] == recorded("opened")
    assert doc["raw"]["clicked"] == recorded("clicked")
    assert doc["open_rate"] == pytest.approx(human("opened") / n, abs=1e-6)
    assert doc["click_rate"] == pytest.approx(human("clicked") / n, abs=1e-6)
    assert doc["open_ci95"][0] <= doc["open_rate"] <= doc["open_ci95"][1]


def test_every_bot_click_is_discounted_with_its_reason(result) -> None:  # type: ignore[no-untyped-def]
    pseudo = Pseudonymiser(load_key())
    by_person = {b["email"]: b for b in result.document["bot_events"]}
    expected = {pseudo(email(k)): v["bot"] for k, v in PLAN.items() if v["bot"]}
    assert set(by_person) == set(expected)
    for who, signal in expected.items():
        assert signal in by_person[who]["signals"]
        assert by_person[who]["reason"]
        assert by_person[who]["time"].endswith("+08:00")


def test_departments_from_the_roster(result) -> None:  # type: ignore[no-untyped-def]
    depts = {d["name"]: d for d in result.document["departments"]}
    for name in ("資訊科", "秘書科"):
        people = department(name)
        assert depts[name]["participants"] == len(people)
        assert depts[name]["opened"] == human("opened", people)
        assert depts[name]["clicked"] == human("clicked", people)
    # leo is not in the roster: shown as a group of his own (suppressed: one person), not dropped
    assert depts[NOT_IN_ROSTER]["participants"] == len(department(None))
    assert depts[NOT_IN_ROSTER]["suppressed"] is True and depts[NOT_IN_ROSTER]["clicked"] is None
    assert result.document["not_in_roster"] == [Pseudonymiser(load_key())(email("leo"))]


def test_formula_escapes_stripped_and_errors_listed(result) -> None:  # type: ignore[no-untyped-def]
    people = {p["email"]: p for p in result.annex["people"]}
    assert people[email("judy")]["name"] == "=cmd|' /C calc'!A0 @home"
    assert people[email("-kim")]["department"] == "秘書科"  # '-kim@... matched the roster's -kim@...
    assert people[email("bob")]["department"] == "資訊科"  # roster says Bob@: case-insensitive
    frank = people[email("frank")]
    assert not frank["tested"] and "550 5.1.1" in frank["excluded"]
    assert people[email("mallory")]["tested"]  # 421 then delivered on retry
    assert people[email("alice")]["sent_at"] == "2026-10-05T09:00:00+08:00"  # UTC in, Asia/Taipei out


def test_results_csv_alone_uses_final_status(fixtures: Path) -> None:
    drill = load_drill([fixtures / "gophish-results.csv"])
    doc = run(drill, load_thresholds(), Pseudonymiser(load_key())).document
    assert doc["bot_filtering"]["judged"] is False  # no timeline: nothing to judge
    assert doc["clicked"] == recorded("clicked") and doc["raw"]["clicked"] == recorded("clicked")
    assert doc["opened"] == recorded("opened")
    assert doc["participants"] == len(people_tested())


def test_api_json_gives_the_same_figures(fixtures: Path, result) -> None:  # type: ignore[no-untyped-def]
    drill = load_drill([fixtures / "gophish-api-results.json"])
    doc = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(fixtures / "roster.csv")).document
    for key in ("participants", "excluded", "opened", "clicked", "submitted", "reported", "raw", "departments"):
        assert doc[key] == result.document[key], key


@pytest.mark.parametrize(("raw", "value"), [("'=SUM(A1)", "=SUM(A1)"), ("'-", "-"), ("'+886", "+886"), ("'@x", "@x"),
                                            ("O'Brien", "O'Brien"), ("'plain", "'plain"), ("'", "'")])
def test_unescape_formula(raw: str, value: str) -> None:
    assert unescape_formula(raw) == value


def test_bad_rows_say_file_and_line(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "gophish-events.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace("Email Sent", "Email Teleported")
    bad = tmp_path / "events.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_drill([bad])
    problem = err.value.problems[0]
    assert problem.file == str(bad) and problem.line == 4 and "Email Teleported" in problem.message

    bad.write_text("id,foo\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_drill([bad])
    assert err.value.problems[0].line == 1
