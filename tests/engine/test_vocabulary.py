"""Word classes: Chinese words anywhere, English words only as words of their own."""

from __future__ import annotations

import pytest

from engine.vocabulary import Vocabulary, occurs


@pytest.mark.parametrize(("word", "text", "found"), [
    ("许可", "取消许可证", True),
    ("who", "who is responsible", True),
    ("who", "across the whole province", False),
    ("app", "can i apply online", False),
    ("app", "is there an app", True),
    ("any", "is there any subsidy", True),
    ("any", "our company", False),
    ("need", "it needs a licence", True),  # inflected
    ("can", "can i cancel it", True),
    ("can", "cancel it", False),
    ("do ", "do i still", True),
    ("cancel", "was it cancelled", True),

])
def test_english_words_occur_as_words(word: str, text: str, found: bool) -> None:
    assert occurs(word, text) is found


def test_found_and_has_read_words_the_same_way() -> None:
    vocabulary = Vocabulary({"who": ("who", "负责")})
    assert vocabulary.found("who", "the whole province") == []
    assert not vocabulary.has("who", "the whole province")
    assert vocabulary.found("who", "who is 负责") == ["负责", "who"] or \
        vocabulary.found("who", "who is 负责") == ["who", "负责"]
