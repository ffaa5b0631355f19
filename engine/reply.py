"""How a yes/no verdict is said: 需要 / 不可以 / 会，按计划…完成, 对，不需要 for a negated
supposition that holds, or what the notice says instead of yes or no."""

from __future__ import annotations

from engine.question import Question
from engine.reading import Reading
from engine.schedule import asked_span

_YES = {"need": "需要。", "can": "可以。", "will": "会。", "is": "是的。", "has": "有。"}
_NO = {"need": "不需要。", "can": "不可以。", "will": "不会。", "is": "不是。", "has": "没有。"}


def yes_no_line(q: Question, reading: Reading, deadline: str | None, quote: str) -> str:
    """The direct answer to a yes/no question, or what the notice says instead of yes or no."""
    polarity = q.polarity or "is"
    if reading.turned:  # 总不会还得重新办证吧: 对，不需要 / 不，需要
        return f"对，{_NO[polarity]}" if reading.verdict == "yes" else f"不，{_YES[polarity]}"
    if reading.action == "schedule" and reading.verdict:  # the day as the notice lists it
        day = "上班" if "上班" in reading.segment or "补班" in reading.segment else "放假"
        when = "这几天" if asked_span(q) else "这天"
        return f"{'是' if reading.verdict == 'yes' else '不是'}，{when}{day}：{reading.segment}。"
    if reading.action in ("sequence", "keep", "agent", "term", "member", "revise", "choice",
                          "figure") \
            and reading.verdict:
        # The order the notice puts the steps in; what it keeps as it is (待遇不变); whom it
        # gives the task to; how long it runs; the places it lists; the figure it revises.
        # 由官方认定的吗 reads as 有…吗 when no cue says 是不是; its answer is still 不是, as
        # is that of an order (先放行再检测的吗) asked without a 有.
        shape = "is" if reading.action in ("agent", "member", "choice", "figure") or (
            polarity == "has" and reading.action in ("sequence", "revise", "term")
            and "有" not in q.asking) \
            else polarity
        said = (_YES if reading.verdict == "yes" else _NO)[shape].rstrip("。")
        return f"{said}，文件规定：{reading.segment}。"
    if reading.verdict == "no":
        return _NO[polarity]
    if reading.verdict == "yes":
        if polarity == "will" and deadline:  # 会不会…: yes, and by when
            return f"会，{deadline}。" if deadline.startswith("按") else f"会，按计划{deadline}完成。"
        return _YES[polarity]
    if reading.trial:
        return f"文件只提出试点：{reading.segment}。"
    said = reading.segment or quote.rstrip("。；;")
    return f"文件没有直接回答是或否，相关规定是：{said}。"
