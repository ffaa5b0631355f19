"""A choice left to the one who acts, against a question whether they can be made to."""

from __future__ import annotations

import pytest

from engine.compulsion import left_to_them
from engine.verdict import decide, load_signals
from tests.engine.test_verdict import Places, q

SIGNALS = load_signals()
LEFT = "业主可自主选择物业保洁服务。"


@pytest.mark.parametrize(("question", "verdict"), [
    ("物业能不能强制我们用他们的保洁", "no"),
    ("物业保洁必须用物业的吗", "no"),
    # No compulsion asked about, or an act the part does not name: nothing settled here.
    ("物业能不能收保洁费", None),
    ("物业能不能强制我们交停车费", None),
])
def test_a_choice_left_to_the_asker(question: str, verdict: str | None) -> None:
    reading = left_to_them(q(question), [LEFT], [], SIGNALS)
    assert (reading.verdict if reading else None) == verdict


def test_an_english_question_reaches_compulsion_through_its_glossary() -> None:
    question = q("Can the property manager make it compulsory for us to use their cleaning?")
    reading = left_to_them(question, [LEFT], ["强制", "物业", "保洁"], SIGNALS)
    assert reading is not None and reading.verdict == "no"


def test_a_part_that_leaves_nothing_to_anyone_settles_nothing() -> None:
    assert left_to_them(q("物业能不能强制我们用他们的保洁"), ["加强物业保洁服务监管。"], [],
                        SIGNALS) is None
    # …and the verdict reading answers as before.
    assert decide(q("物业能不能强制我们用他们的保洁"), [LEFT], [], SIGNALS, Places()).verdict == "no"
