"""The one message catalog (netcomply.i18n): every id has both languages with the same parameters, the loader
reports a broken entry with file, line and id, and stored English texts are matched back to their messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcomply import i18n

CJK = "\u4e00-\u9fff"


def test_the_shipped_catalog_has_no_problem() -> None:
    entries, problems = i18n.load_catalog()
    assert not problems, "\n".join(str(p) for p in problems)
    assert {e.split(".")[0] for e in entries} >= {"audit", "soa", "drill", "reason", "finding", "cli"}
    for entry in entries.values():  # an empty text is an affix one language does without ("第 {n} 頁" / "page {n}")
        assert entry.texts["en"].strip() or entry.texts["zh-TW"].strip(), entry.id


def test_a_missing_language_is_reported_with_file_line_and_id(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("ok: {en: fine, zh-TW: 好}\ngroup:\n  half: {en: only English}\n",
                                     encoding="utf-8")
    entries, problems = i18n.load_catalog(tmp_path)
    assert set(entries) == {"x.ok"}
    assert len(problems) == 1
    assert problems[0].line == 3 and "x.group.half" in problems[0].message and "zh-TW" in problems[0].message


def test_parameters_that_differ_between_languages_are_reported(tmp_path: Path) -> None:
    (tmp_path / "y.yaml").write_text('m: {en: "{n} hotspots down", zh-TW: "{count} 個熱點中斷"}\n', encoding="utf-8")
    entries, problems = i18n.load_catalog(tmp_path)
    assert not entries and "parameters differ" in problems[0].message and "count" in problems[0].message


def test_a_duplicate_id_is_reported(tmp_path: Path) -> None:
    (tmp_path / "z.yaml").write_text("a: {en: x, zh-TW: 甲}\na: {en: y, zh-TW: 乙}\n", encoding="utf-8")
    _, problems = i18n.load_catalog(tmp_path)
    assert any("written twice" in p.message for p in problems)


def test_msg_refuses_unknown_ids_and_wrong_parameters() -> None:
    with pytest.raises(KeyError):
        i18n.msg("finding.no.such.message")
    some = next(e for e in i18n.catalog().values() if e.params)
    with pytest.raises(KeyError):
        i18n.msg(some.id)  # parameters missing


def test_every_finding_message_renders_in_both_languages() -> None:
    for entry in i18n.catalog().values():
        if not entry.id.startswith("finding."):
            continue
        message = {"id": entry.id, "params": {p: 7 for p in entry.params}}
        zh, en = i18n.render(message, "zh-TW"), i18n.render(message, "en")
        assert zh and en, entry.id
        if len(re.findall(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", entry.texts["en"]))) >= 3:  # has words to say
            assert any(CJK[0] <= ch <= CJK[-1] for ch in zh), (entry.id, zh)


def test_unknown_or_old_messages_fall_back_to_the_stored_english() -> None:
    assert i18n.render(None, "zh-TW", "as stored") == "as stored"
    assert i18n.render({"id": "finding.gone"}, "zh-TW", "as stored") == "as stored"


@given(due=st.dates().map(str), last=st.dates().map(str), amount=st.integers(1, 48))
def test_duty_reasons_round_trip_into_chinese(due: str, last: str, amount: int) -> None:
    english = f"overdue since {due} (last done {last}; every {amount} months)"
    zh = i18n.reason(english, "zh-TW")
    assert due in zh and last in zh and str(amount) in zh
    assert "overdue" not in zh and "last done" not in zh
    assert i18n.reason(english, "en") == english


def test_finding_counts_in_a_reason_use_the_status_names() -> None:
    zh = i18n.reason("findings: 2 fail, 5 pass", "zh-TW")
    assert zh == "稽核發現：不符合 2、符合 5"
    assert i18n.reason("something nobody catalogued", "zh-TW") == "something nobody catalogued"


def test_an_unknown_language_is_bad_input() -> None:
    from netcomply.errors import InputError

    with pytest.raises(InputError, match="unknown language 'fr'"):
        i18n.check_lang("fr")


def test_every_check_has_title_rationale_and_remediation_in_both_languages() -> None:
    from compliance.checks.base import _all_meta

    for check_id, meta in _all_meta().items():
        for field in ("title", "rationale", "remediation"):
            assert getattr(meta, field).strip(), (check_id, field)
            zh = getattr(meta, f"{field}_zh")
            assert zh.strip() and any(CJK[0] <= ch <= CJK[-1] for ch in zh), (check_id, f"{field}_zh")


def test_stored_reasons_whose_errors_hold_semicolons_are_translated_part_by_part() -> None:
    """Seen in the full suite: two IPv6 reasons joined with "; ", each with an error list that itself holds "; ",
    stayed English in the zh-TW report (29 English function words)."""
    from netcomply import i18n

    ns = "ns1.district.lab has an AAAA record but does not answer over IPv6 (timeout; connection refused)"
    smtp = ("mail.district.lab has an AAAA record but SMTP does not answer over IPv6 (connection refused: [Errno 111] "
            "Connect call failed ('::1', 37891, 0, 0); timeout)")
    text = i18n.stored(f"{ns}; {smtp}", "zh-TW")
    assert "does not answer" not in text and "has an AAAA" not in text
    assert text.count("未以 IPv6 回應") == 2 and "（timeout; connection refused）" in text
    assert i18n.stored(f"{ns}; {smtp}", "en") == f"{ns}; {smtp}"


def test_a_number_parameter_matches_only_a_number() -> None:
    """Stored English is matched back to its message to translate it: a note that merely says "... line ..." is not
    "{ruleset} line {line}" (it was: a firewall generalization read as a rule set's line, and a brand note's
    "product line (...)" rendered as "第 (...) 行")."""
    assert i18n.parse("finding", "fw.nft line 7") == {"id": "finding.firewall.set_line",
                                                      "params": {"ruleset": "fw.nft", "line": "7"}}
    assert i18n.parse("finding", "Brocade's product line (FastIron)") is None
    generalizes = ("line 179 (block-quarantine) generalizes line 138 (web-in): it matches all of that rule's traffic "
                   "and more, with the opposite action")
    found = i18n.parse("finding", generalizes)
    assert found is not None and found["id"] == "finding.firewall.generalization"
    assert i18n.render(found, "zh-TW").startswith("第 179 行（block-quarantine） 涵蓋 第 138 行（web-in）")
