"""Question normalisation: the shortcut for text OpenCC would leave alone gives exactly what the
full conversion gives."""

from __future__ import annotations

import json
import re
from pathlib import Path

from opencc import OpenCC

from index.normalize import _converter, normalize_question

ROOT = Path(__file__).resolve().parents[2]


def _full(text: str) -> str:
    """The conversion without the shortcut."""
    text = text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c - 0xFEE0).isalnum()})
    return str(OpenCC("t2s").convert(re.sub(r"[\s\u3000]+", " ", text).strip()))


def _texts() -> list[str]:
    lines = [line.strip() for line in
             (ROOT / "corpus" / "fujian_2021_fangguanfu.txt").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    for path in sorted((ROOT / "eval" / "gold").glob("*.jsonl")):
        lines += [json.loads(line)["question"] for line in
                  path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_the_shortcut_changes_nothing_the_conversion_would_give() -> None:
    texts = _texts()
    to_traditional = OpenCC("s2t")
    texts += [to_traditional.convert(t) for t in texts[::3]]
    texts += ["上鍊了嗎", "一目瞭然", "ＡＰＰ　能用嗎", "後台", "乾隆", "干部"]
    shortcut = 0
    _, marks = _converter()
    assert marks is not None  # OpenCC's tables are read: the shortcut is in use
    for text in texts:
        assert normalize_question(text) == _full(text), text
        shortcut += marks.isdisjoint(text)
    assert shortcut > len(texts) // 4  # and it is taken for much of ordinary simplified text


def test_traditional_questions_become_simplified() -> None:
    assert normalize_question("現在開診所還需要備案嗎") == "现在开诊所还需要备案吗"
    assert normalize_question("醫保轉移由哪些部門辦理") == "医保转移由哪些部门办理"
