"""The domain lexicon: exact and one-character-gapped matches of everyday words."""

from __future__ import annotations

import pytest

from index.lexicon import Lexicon, load_lexicon


def test_exact_and_gapped_matches() -> None:
    lexicon = Lexicon(terms={"网上开店": ("小微电商",), "开网店": ("电商",), "ab": ("x",)})
    assert lexicon.expand([], "我想网上开店") == ["小微电商"]
    assert lexicon.expand([], "网上开小店要办执照吗") == ["小微电商"]  # one word slipped in
    assert lexicon.expand([], "开个网店") == ["电商"]
    assert lexicon.expand([], "网上开了个小店") == []  # two inserted: not the phrase any more
    assert lexicon.expand([], "网上开，店") == []  # punctuation is not a word
    assert lexicon.expand([], "aXb") == []  # only Chinese keys of three or more characters
    assert lexicon.expand(["ab"], "") == ["x"]


def _every_key(lexicon: Lexicon, tokens: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The expansion as a pass over every key would find it (what the look-up by first
    character must agree with)."""
    lowered = text.lower()
    latin = any("a" <= ch <= "z" for ch in lowered)
    found: list[str] = []
    for word, targets in lexicon.terms.items():
        pattern = lexicon._gapped.get(word)
        if word in tokens:
            matched = True
        elif word.isascii():
            matched = latin and bool(pattern and pattern.search(lowered))
        else:
            matched = word in lowered or bool(pattern and pattern.search(lowered))
        if matched:
            found.extend(t for t in targets if t not in found)
    return tuple(found)


@pytest.mark.parametrize("text", [
    "开养老院要许可吗", "网上开个小店要办执照吗", "開網店要執照嗎", "Do care homes need a licence?",
    "WIFI 和 5G 基站", "工地开工要什么手续", "", "老人 护理 补贴 fine", "我想开个网店卖饼干"])
def test_the_first_character_look_up_finds_what_every_key_would(text: str) -> None:
    lexicon = load_lexicon()
    for tokens in (tuple(text.split()), tuple(text), ("养老院", "OK", "网店"), ()):
        assert tuple(lexicon.expand(list(tokens), text)) == _every_key(lexicon, tokens, text)


@pytest.mark.parametrize(("text", "wanted"), [
    ("Can a patent agent work for two firms?", "专利代理师"),
    ("Is there a purchase subsidy for tractors?", "购置补贴"),
    ("How many days off for National Day?", "国庆节"),
    ("Do fire trucks get the right of way?", "优先通行"),
])
def test_the_english_glossary_reaches_the_state_council_topics(text: str, wanted: str) -> None:
    assert wanted in load_lexicon().expand([], text)


def test_paper_materials_meet_going_paperless() -> None:
    # 纸质材料 in everyday words, 无纸化 in a notice's.
    assert "无纸化" in load_lexicon().expand([], "报销时的纸质材料能省掉吗")


def test_skyscrapers_meet_tall_buildings() -> None:
    # 摩天大楼 in everyday words, 高楼大厦 in a plan's.
    assert "高楼大厦" in load_lexicon().expand([], "新城以后会盖摩天大楼不")
