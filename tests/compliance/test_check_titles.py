"""A check's title names what is checked; the status says pass or fail. Issue 18: a Cisco switch was listed as
"通過 官方網路上有大陸廠牌設備" (a pass under a title that states the defect)."""

from __future__ import annotations

from compliance.checks.base import _all_meta

#: Titles that state the requirement itself ("...captured as evidence", "...at or above the minimum"): a pass
#: reads "met", a fail "not met". Every other check's title names the subject of the check (…檢查 / …比對).
REQUIREMENT_TITLES = {
    "collection.asset_verifiable", "collection.config_captured", "drill.semiannual", "hotspot.admin_ssid_encrypted",
    "hotspot.availability_min", "hotspot.per_user_bandwidth", "hotspot.public_ssid_authenticates",
    "hotspot.sampling_coverage",
}
#: Words that state a defect in an English title.
DEFECT_WORDS = (" not ", "does not", "missing", "without", "below", "exposed", " on the official network")


def test_titles_name_what_is_checked() -> None:
    wrong = {}
    for check_id, meta in sorted(_all_meta().items()):
        if check_id in REQUIREMENT_TITLES:
            continue
        if not meta.title_zh.endswith(("檢查", "比對")) or any(w in f" {meta.title} " for w in DEFECT_WORDS):
            wrong[check_id] = (meta.title, meta.title_zh)
    assert wrong == {}


def test_the_prc_brand_check_reads_right_when_it_passes() -> None:
    meta = _all_meta()["vendor.prc_brand_on_network"]
    assert (meta.title, meta.title_zh) == ("PRC-brand devices", "大陸廠牌設備檢查")
