"""Evaluation output: a printed table, and a report folder a person can read."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from engine.refusal import curve
from eval.runner import Prediction

TABLE_COLUMNS = ("questions", "answer_accuracy", "hit@1", "hit@3", "mrr@10", "ndcg@10",
                 "unit_recall", "unit_precision", "verdict_accuracy", "deadline_accuracy",
                 "refusal_precision", "refusal_recall", "false_refusals", "latency_p50_ms",
                 "latency_p95_ms")
_SHORT = {"questions": "n", "answer_accuracy": "answer", "unit_recall": "unit_R",
          "unit_precision": "unit_P", "verdict_accuracy": "verdict",
          "deadline_accuracy": "deadline", "refusal_precision": "refuse_P",
          "refusal_recall": "refuse_R", "false_refusals": "false_R",
          "latency_p50_ms": "p50_ms", "latency_p95_ms": "p95_ms"}


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if name == "questions":
        return str(int(value))
    if name.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def format_table(rows: Mapping[str, Mapping[str, float | None]],
                 columns: Sequence[str] = TABLE_COLUMNS) -> str:
    """A fixed-width table: one row per key of ``rows`` (kinds, or retrieval modes)."""
    headers = ["", *(_SHORT.get(c, c) for c in columns)]
    body = [[name, *(_cell(c, metrics.get(c)) for c in columns)]
            for name, metrics in rows.items()]
    widths = [max(len(row[i]) for row in [headers, *body]) for i in range(len(headers))]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in [headers, *body]]
    return "\n".join(lines) + "\n"


def format_comparison(by_mode: Mapping[str, Mapping[str, Mapping[str, float | None]]],
                      metrics: Sequence[str] = ("hit@1", "hit@3", "answer_accuracy")) -> str:
    """Per-kind scores side by side: one row per kind, one column per (mode, metric)."""
    modes = list(by_mode)
    kinds = list(next(iter(by_mode.values()))) if by_mode else []
    rows = {kind: {f"{mode}:{m}": by_mode[mode][kind].get(m) for mode in modes for m in metrics}
            for kind in kinds}
    return format_table(rows, columns=[f"{mode}:{m}" for m in metrics for mode in modes])


def prediction_record(prediction: Prediction) -> dict[str, object]:
    """One prediction as a JSON object: the gold, the answer, and a correct flag per field."""
    return {
        "id": prediction.gold.id,
        "kind": prediction.gold.kind,
        "question": prediction.gold.question,
        "correct": prediction.correct.model_dump(),
        "gold": prediction.gold.model_dump(mode="json"),
        "answer": prediction.answer.model_dump(mode="json"),
        "latency_ms": round(prediction.latency_ms, 3),
    }


def write_report(folder: Path, predictions: Sequence[Prediction],
                 by_kind: Mapping[str, Mapping[str, float | None]], title: str) -> list[Path]:
    """Write metrics.json, report.md, chart.png and predictions.jsonl (failures first)."""
    folder.mkdir(parents=True, exist_ok=True)
    metrics_path = folder / "metrics.json"
    metrics_path.write_text(json.dumps(by_kind, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    ordered = sorted(predictions, key=lambda p: p.correct.answer)  # stable: failures first
    predictions_path = folder / "predictions.jsonl"
    with predictions_path.open("w", encoding="utf-8") as out:
        for prediction in ordered:
            out.write(json.dumps(prediction_record(prediction), ensure_ascii=False) + "\n")
    chart_path = folder / "chart.png"
    _chart(chart_path, by_kind, title)
    report_path = folder / "report.md"
    report_path.write_text(_markdown(predictions, by_kind, title), encoding="utf-8")
    return [metrics_path, report_path, chart_path, predictions_path]


def _markdown(predictions: Sequence[Prediction],
              by_kind: Mapping[str, Mapping[str, float | None]],
              title: str) -> str:
    failures = [p for p in predictions if not p.correct.answer]
    lines = [f"# Evaluation: {title}", "", "```", format_table(by_kind).rstrip(), "```", "",
             "![per-kind scores](chart.png)", "",
             f"## Failures ({len(failures)} of {len(predictions)})", "",
             "| id | kind | question | wrong | expected | got |", "|---|---|---|---|---|---|"]
    for p in failures:
        wrong = ", ".join(k for k, v in p.correct.model_dump().items()
                          if v is False and k != "answer")
        expected = ",".join(p.gold.clauses) or "not_found"
        got = ",".join(p.answer.clause_ids[:3]) if p.answer.status == "answered" else "not_found"
        question = p.gold.question.replace("|", "\\|")
        lines.append(f"| {p.gold.id} | {p.gold.kind} | {question} | {wrong} | {expected} | {got} |")
    return "\n".join(lines) + "\n"


def _chart(path: Path, by_kind: Mapping[str, Mapping[str, float | None]], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(by_kind)
    series = ("answer_accuracy", "hit@1", "hit@3")
    figure, axes = plt.subplots(figsize=(max(6.0, len(kinds) * 0.9), 4.0))
    width = 0.8 / len(series)
    for offset, name in enumerate(series):
        axes.bar([i + offset * width for i in range(len(kinds))],
                 [by_kind[k].get(name) or 0.0 for k in kinds], width=width, label=name)
    axes.set_xticks([i + width for i in range(len(kinds))], kinds, rotation=30, ha="right")
    axes.set_ylim(0, 1)
    axes.set_ylabel("score")
    axes.set_title(title)
    axes.legend(loc="upper right", fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def curve_table(scored: list[tuple[float, bool]], chosen: float) -> str:
    """The refusal precision/recall curve over (probability, answerable) pairs, the chosen
    operating point marked."""
    thresholds = sorted({*(round(t / 20, 2) for t in range(1, 20)), chosen})
    lines = ["threshold  refuse_P  refuse_R  false_refusals"]
    for t, precision, recall, false in curve(scored, thresholds):
        mark = "  ← operating point" if t == chosen else ""
        lines.append(f"{t:9.3f}  {precision:8.3f}  {recall:8.3f}  {false:14.3f}{mark}")
    return "\n".join(lines)


def format_curve(predictions: Sequence[Prediction], threshold: float) -> str:
    """The refusal curve of the engine's answers, when the set has unanswerable questions."""
    scored = [(p.answer.confidence, p.gold.in_scope) for p in predictions
              if p.answer.confidence is not None]
    if not any(not answerable for _, answerable in scored):
        return ""
    return ("refusal curve (the engine refuses below the threshold):\n"
            + curve_table([(c or 0.0, a) for c, a in scored], threshold) + "\n")
