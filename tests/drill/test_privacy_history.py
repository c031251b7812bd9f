"""Pseudonyms, the restricted annex, submitted values never stored; trends and repeat clickers across drills."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from collectors.drill.ingest import load_drill
from collectors.drill.synth import generate
from compliance.drill.config import load_thresholds
from compliance.drill.history import compare, record_from_json, record_of
from compliance.drill.privacy import DEFAULT_KEY_FILE, Pseudonymiser, load_key
from netcomply.app.pipelines.drill import previous_records, run
from netcomply.errors import InputError
from reports.drill.render import write_json


def test_pseudonyms_are_keyed_and_stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a, b = Pseudonymiser(load_key()), Pseudonymiser(load_key())
    assert a("Alice@Agency.gov.tw") == b("alice@agency.gov.tw")
    assert a("alice@agency.gov.tw") != a("bob@agency.gov.tw")
    assert a.fingerprint == b.fingerprint
    other = Pseudonymiser(b"another-key-0123456789abcdef")
    assert other("alice@agency.gov.tw") != a("alice@agency.gov.tw") and other.fingerprint != a.fingerprint
    # key file: explicit path must exist; the default one is created 0600 on first use
    monkeypatch.delenv("NETCOMPLY_DRILL_KEY")
    with pytest.raises(InputError):
        load_key(tmp_path / "missing.key")
    monkeypatch.setenv("HOME", str(tmp_path))
    key = load_key()
    path = DEFAULT_KEY_FILE.expanduser()
    assert path.stat().st_mode & 0o777 == 0o600 and load_key() == key
    with pytest.raises(InputError):
        Pseudonymiser(b"short")


def test_no_names_emails_or_form_values_outside_the_annex(fixtures: Path, tmp_path: Path) -> None:
    from collectors.drill.roster import load_roster
    from reports.drill.render import annex_html, html

    drill = load_drill([fixtures / "gophish-results.csv", fixtures / "gophish-events.csv"])
    res = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(fixtures / "roster.csv"))
    main = json.dumps(res.document, ensure_ascii=False) + html(res.document, "en") + html(res.document, "zh-TW")
    for secret in ("S3cret!Pass", "Alice", "Wang", "alice@", "agency.gov.tw", "王愛麗"):
        assert secret not in main, secret
    restricted = json.dumps(res.annex, ensure_ascii=False) + annex_html(res.annex, "en")
    assert "alice@agency.gov.tw" in restricted and "Alice Wang" in restricted
    assert "S3cret!Pass" not in restricted  # submitted form values are never kept, not even in the annex
    assert not any("password" in repr(e) for e in drill.events)
    revealed = run(drill, load_thresholds(), Pseudonymiser(load_key()), reveal=True).document
    assert "alice@agency.gov.tw" in json.dumps(revealed) and "Alice" not in json.dumps(revealed)


def _drill_files(tmp: Path, seed: int, start: datetime) -> Path:
    s = generate(seed, people=120, departments=6, start=start, p_open=0.4, p_click=0.3, p_bot=0.0, p_error=0.0)
    d = tmp / f"d{seed}"
    d.mkdir()
    (d / "results.csv").write_text(s.results_csv, encoding="utf-8")
    (d / "events.csv").write_text(s.events_csv, encoding="utf-8")
    return d


def test_repeat_clickers_and_improved_match_the_truth(tmp_path: Path) -> None:
    starts = [datetime(2025, 4, 7, tzinfo=UTC), datetime(2025, 10, 6, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC)]
    truths = [generate(seed, people=120, departments=6, start=st, p_open=0.4, p_click=0.3, p_bot=0.0,
                       p_error=0.0).truth for seed, st in zip((11, 12, 13), starts, strict=True)]
    dirs = [_drill_files(tmp_path, seed, st) for seed, st in zip((11, 12, 13), starts, strict=True)]
    th = load_thresholds()
    pseudo = Pseudonymiser(load_key())
    prev = previous_records(dirs[:2][::-1], th, None, pseudo)  # given out of order on purpose
    res = run(load_drill([dirs[2]]), th, pseudo, previous=prev)
    assert res.history is not None and res.history.drills[-1] == "d13"
    emails = sorted(truths[2])
    expect_streak = {}
    for e in emails:
        clicks = [t[e].clicked for t in truths]
        streak = 0
        for c in reversed(clicks):
            if not c:
                break
            streak += 1
        if streak >= th.repeat.in_a_row or sum(clicks[-th.repeat.m:]) >= th.repeat.k:
            expect_streak[pseudo(e)] = streak
    got = {r["id"]: r["in_a_row"] for r in res.document["repeat_clickers"]}
    assert got == expect_streak and got  # the seeds give some repeat clickers
    expect_improved = {pseudo(e) for e in emails if not truths[2][e].clicked and any(t[e].clicked for t in truths[:2])}
    assert {r["id"] for r in res.document["improved"]} == expect_improved
    trend = res.document["trend"]
    assert [p["drill"] for p in trend["agency"]] == ["d11", "d12", "d13"]
    for point, truth in zip(trend["agency"], truths, strict=True):
        assert point["click_rate"] == pytest.approx(sum(t.clicked for t in truth.values()) / len(truth), abs=1e-6)


def test_previous_json_report_works_like_raw_exports(tmp_path: Path) -> None:
    th, pseudo = load_thresholds(), Pseudonymiser(load_key())
    d1 = _drill_files(tmp_path, 21, datetime(2026, 4, 6, tzinfo=UTC))
    d2 = _drill_files(tmp_path, 22, datetime(2026, 10, 5, tzinfo=UTC))
    first = run(load_drill([d1]), th, pseudo)
    saved = tmp_path / "first.json"
    write_json(first.document, saved)
    via_json = run(load_drill([d2]), th, pseudo, previous=previous_records([saved], th, None, pseudo)).document
    via_raw = run(load_drill([d2]), th, pseudo, previous=previous_records([d1], th, None, pseudo)).document
    assert via_json["repeat_clickers"] == via_raw["repeat_clickers"]
    assert via_json["improved"] == via_raw["improved"]
    # a report written under another key is detected, not silently matched to nobody
    other = Pseudonymiser(b"another-key-0123456789abcdef")
    rec = record_from_json(saved)
    hist = compare([rec], record_of(first.analysis, other, other.fingerprint), th.repeat)
    assert hist.key_mismatch == [rec.name]
    assert rec.start is not None and rec.start - datetime(2026, 4, 6, tzinfo=UTC) < timedelta(hours=2)
