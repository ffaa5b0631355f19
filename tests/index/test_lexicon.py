"""The domain lexicon: exact and one-character-gapped matches of everyday words."""

from __future__ import annotations

from index.lexicon import Lexicon


def test_exact_and_gapped_matches() -> None:
    lexicon = Lexicon(terms={"网上开店": ("小微电商",), "开网店": ("电商",), "ab": ("x",)})
    assert lexicon.expand([], "我想网上开店") == ["小微电商"]
    assert lexicon.expand([], "网上开小店要办执照吗") == ["小微电商"]  # one word slipped in
    assert lexicon.expand([], "开个网店") == ["电商"]
    assert lexicon.expand([], "网上开了个小店") == []  # two inserted: not the phrase any more
    assert lexicon.expand([], "网上开，店") == []  # punctuation is not a word
    assert lexicon.expand([], "aXb") == []  # only Chinese keys of three or more characters
    assert lexicon.expand(["ab"], "") == ["x"]
