"""Same-sounding typos mended towards corpus terms, and only where safe."""

from __future__ import annotations

from engine.spelling import Speller

TERMS = ["营业执照", "施工许可", "网上卖"]
WORDS = {"营业", "网上", "需要", "办", "买", "卖", "我", "在", "许可", "施工"}


def _cut(text: str) -> list[str]:
    """A greedy two-character segmentation over WORDS (a stand-in for jieba)."""
    out, i = [], 0
    while i < len(text):
        if text[i:i + 2] in WORDS:
            out.append(text[i:i + 2])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return out


SPELLER = Speller(TERMS, WORDS.__contains__, _cut)


def test_a_stranded_same_sounding_character_is_mended() -> None:
    assert SPELLER.correct("需要办营业执找吗") == "需要办营业执照吗"
    assert SPELLER.correct("施工许克") == "施工许可"


def test_a_character_inside_a_word_is_left_alone() -> None:
    assert SPELLER.correct("我在网上买") == "我在网上买"  # 网上 is a word; 买 is not a typo of 卖
    assert SPELLER.correct("营业执照") == "营业执照"
    assert SPELLER.correct("hello") == "hello"
