"""The catalogs are data: their counts, themes, crosswalk and translations are checked against the reference."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from compliance.catalog import CATALOGS_DATA, ISO2013, ISO2022, LEVELS, RELATIONS, TW, catalogs, load_catalogs
from compliance.checks.base import check_meta
from netcomply.errors import InputError

REFERENCE = Path("/work/shared/reference")
NEW_IN_2022 = ("A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16", "A.8.23", "A.8.28")


def test_2022_has_93_controls_in_four_themes() -> None:
    fw = catalogs().frameworks[ISO2022]
    assert len(fw.controls) == 93
    assert Counter(c.group for c in fw.controls) == {"organizational": 37, "people": 8, "physical": 14,
                                                     "technological": 34}


def test_2013_has_114_controls_in_14_clauses() -> None:
    fw = catalogs().frameworks[ISO2013]
    assert len(fw.controls) == 114
    assert len({c.group for c in fw.controls}) == 14
    assert all(c.id.startswith(c.group + ".") for c in fw.controls)


def test_crosswalk_ids_exist_and_relations_are_known() -> None:
    cats = catalogs()
    old = {c.id for c in cats.frameworks[ISO2013].controls}
    new = {c.id for c in cats.frameworks[ISO2022].controls}
    assert cats.crosswalk
    for pair in cats.crosswalk:
        assert pair.old in old and pair.new in new and pair.relation in RELATIONS
    # every 2013 control has a successor
    assert {p.old for p in cats.crosswalk} == old


def test_new_2022_controls_have_no_predecessor_and_all_others_have_one() -> None:
    cats = catalogs()
    listed = set(NEW_IN_2022)
    tsv = REFERENCE / "iso27001-2013-to-2022.tsv"
    if tsv.exists():  # the list in the reference's header, when the reference is at hand
        header = next(line for line in tsv.read_text().splitlines() if "no 2013 predecessor" in line)
        assert set(header.split(":", 1)[1].split()) == listed
    assert set(cats.new_in_2022) == listed
    with_predecessor = {p.new for p in cats.crosswalk}
    assert not listed & with_predecessor
    assert with_predecessor | listed == {c.id for c in cats.frameworks[ISO2022].controls}


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference TSVs not present")
def test_titles_match_the_reference_tsv() -> None:
    rows = [line.split("\t") for line in (REFERENCE / "iso27001-2022-annexA.tsv").read_text().splitlines()
            if line and not line.startswith("#")]
    fw = catalogs().frameworks[ISO2022]
    assert [(c.id, c.title) for c in fw.controls] == [(r[0], r[1]) for r in rows]


def test_every_control_has_a_chinese_title_and_says_where_it_comes_from() -> None:
    for fw in catalogs().frameworks.values():
        assert fw.translation.get("zh_source") == "project"
        for c in fw.controls:
            assert c.title_zh and c.title_zh != c.title
            assert c.zh_source in ("project", "cns")
    titles = {c.id: c.title_zh for c in catalogs().frameworks[ISO2022].controls}
    assert titles["A.5.1"] == "資訊安全政策"
    assert titles["A.8.20"] == "網路安全"
    assert titles["A.8.15"] == "日誌記錄"


def test_identical_english_titles_get_identical_chinese_titles_across_editions() -> None:
    """Consistency: where 2013 and 2022 use the same English title, the translation is the same too."""
    cats = catalogs()
    zh22 = {c.title: c.title_zh for c in cats.frameworks[ISO2022].controls}
    for c in cats.frameworks[ISO2013].controls:
        if c.title in zh22:
            assert c.title_zh == zh22[c.title], c.id


def test_tw_cyber_schedules_follow_taiwan_rules() -> None:
    duties = {c.id: c for c in catalogs().frameworks[TW].controls}
    assert duties["internal-audit"].schedule == {"kind": "periodic", "months": {"A": 6, "B": 12, "C": 24}}
    assert duties["security-staff"].schedule == {"kind": "headcount", "count": {"A": 4, "B": 2, "C": 1}}
    assert (duties["social-engineering-drill"].schedule or {})["months"] == dict.fromkeys(LEVELS, 6)
    for duty in duties.values():
        sched = duty.schedule or {}
        assert sched.get("kind") in ("periodic", "deadline", "headcount", "findings")
        for level in (sched.get("months") or sched.get("count") or {}):
            assert level in LEVELS


def test_qualified_ids_are_unique_and_edition_qualified() -> None:
    cats = catalogs()
    assert len(cats.by_qid) == 93 + 114 + len(cats.frameworks[TW].controls)
    assert "iso27001:2022/A.8.20" in cats.by_qid and "iso27001:2013/A.13.1.1" in cats.by_qid
    assert cats.control("tw-cyber:A/internal-audit").id == "internal-audit"


def test_collection_checks_cite_existing_controls() -> None:
    for check_id in ("collection.asset_verifiable", "collection.config_captured"):
        for qid in check_meta(check_id).controls:
            assert qid in catalogs().by_qid


def test_a_broken_crosswalk_row_is_reported_with_its_line(tmp_path: Path) -> None:
    data = CATALOGS_DATA
    for name in ("iso27001-2022.yaml", "iso27001-2013.yaml", "tw-cyber.yaml"):
        (tmp_path / name).write_text((data / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (data / "crosswalk-2013-2022.yaml").read_text(encoding="utf-8")
    broken = text.replace("{from: A.13.1.1, to: A.8.20, relation: equal}", "{from: A.13.1.1, to: A.8.99, relation: same}")
    assert broken != text
    (tmp_path / "crosswalk-2013-2022.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_catalogs(tmp_path)
    line = next(i for i, ln in enumerate(broken.splitlines(), start=1) if "A.8.99" in ln)
    messages = [str(p) for p in err.value.problems]
    assert any(f":{line}:" in m and "A.8.99" in m for m in messages), messages
    assert any("relation 'same'" in m for m in messages)
