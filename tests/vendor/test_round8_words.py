"""Issue 16, round 8: where a brand's name stands in a text.

A description names its own maker first ("Xerox Phaser ...; IBM/EPSON 5.29.01"), so the leading-name rule
(:func:`collectors.vendor.evidence._leading_name_first`) asks whether the text starts with a brand's name. The
knowledge base reported, per brand, the name of its first alias that occurs anywhere, not its earliest
occurrence: "Emerson Network Power Liebert GXT4" reported Vertiv's "Liebert", so the leading word "Emerson" (an
IANA registrant's) won, and Vertiv's UPS came out as Emerson's. The brand's earliest name is reported now.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.vendor import corpus
from collectors.vendor.kb import KnowledgeBase, load_kb


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.mark.parametrize(("text", "brand"), [
    ("Emerson Network Power Liebert GXT4", "Vertiv"),   # Vertiv's names, both of them (its note's sources)
    ("Liebert GXT4 UPS", "Vertiv"),
    ("Emerson Electric Co. process controller", "Emerson"),
])
def test_a_description_that_starts_with_a_brands_name_is_that_brands(kb: KnowledgeBase, text: str,
                                                                      brand: str) -> None:
    assert corpus.verdict_of(kb, {"id": "t", "sys_descr": text}).brand == brand


KNOWN = ["Vertiv", "Liebert", "Emerson Network Power", "IntelliSlot"]


@given(st.permutations(KNOWN), st.text(alphabet="xyz 0123456789-", max_size=20))
def test_the_matched_name_is_the_earliest_in_the_text(names: list[str], filler: str) -> None:
    """However a brand's names are ordered in a text, the one reported is the one that comes first."""
    kb = load_kb()
    text = f" {filler} ".join(names)
    found = dict(kb.brands_in_text(text))
    assert found["Vertiv"] == names[0]


def test_an_older_namesake_of_a_prc_group_is_left_to_review(kb: KnowledgeBase) -> None:
    """IANA 329 "Netcore, Inc." was registered years before Shenzhen Netcore (netis) existed: the PRC group's name
    had judged it PRC; its home is unknown, so the agency decides. The Shenzhen company's own words stay PRC."""
    old = corpus.verdict_of(kb, {"id": "t", "sys_descr": "", "sys_object_id": "1.3.6.1.4.1.329.1"})
    assert (old.brand, old.prc_brand) == ("Netcore Inc", None)
    assert corpus.verdict_of(kb, {"id": "t", "sys_descr": "Netcore NW755"}).prc_brand is True
