"""The ``policyqa`` console command."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from corpus.document import Clause, Document
from corpus.reader import read_documents
from eval.floors import FLOORS_FILE, load_floors, violations
from policyqa.errors import ConfigurationError, PolicyQAError, QualityError
from policyqa.settings import Settings

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.run(args, settings)
        return code
    except PolicyQAError as exc:
        print(f"policyqa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policyqa", description="Cited answers from Chinese government policy notices.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parse = commands.add_parser(
        "parse", help="parse notices into clauses (JSON lines, or --pretty)",
        description="Parse notice files (UTF-8 or GBK .txt, govcn .jsonl, or folders of them) "
                    "into clauses. Without FILE, parses the configured corpus.")
    parse.add_argument("files", nargs="*", type=Path, metavar="FILE")
    parse.add_argument("--pretty", action="store_true", help="a readable view instead of JSON")
    parse.set_defaults(run=_run_parse)

    evaluate = commands.add_parser(
        "eval", help="score answers against gold questions",
        description="Ask every gold question, score the answers and print a table per kind.")
    evaluate.add_argument("--gold", nargs="+", type=Path, metavar="FILE",
                          help="gold JSON-lines files (default: eval/gold/fujian.jsonl)")
    evaluate.add_argument("--corpus", nargs="+", type=Path, metavar="FILE",
                          help="notices to answer from (default: the configured corpus)")
    evaluate.add_argument("--mode", help="answering mode (default: the best available)")
    evaluate.add_argument("--compare", action="store_true",
                          help="run every available mode and print them side by side")
    evaluate.add_argument("--report", type=Path, metavar="DIR",
                          help="write metrics.json, report.md, chart.png, predictions.jsonl")
    evaluate.add_argument("--floors", type=Path, metavar="FILE", nargs="?", const=FLOORS_FILE,
                          help="fail (exit 5) when a score drops below its floor "
                               "(default file: eval/floors.json)")
    evaluate.set_defaults(run=_run_eval)
    return parser


def _run_parse(args: argparse.Namespace, settings: Settings) -> int:
    documents = read_documents(args.files or settings.corpus)
    out = sys.stdout
    for document in documents:
        if args.pretty:
            out.write(render_document(document))
        else:
            for clause in document.clauses:
                out.write(json.dumps(clause_json(clause), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from eval.baseline import OverlapAnswerer
    from eval.gold import DEFAULT_GOLD, load_gold
    from eval.report import format_table, write_report
    from eval.runner import Answerer, Metrics, run, summarise_by_kind

    documents = read_documents(args.corpus or settings.corpus)
    questions = [q for path in (args.gold or DEFAULT_GOLD) for q in load_gold(path)]
    modes: dict[str, Answerer] = {"overlap": OverlapAnswerer(documents)}
    default_mode = "overlap"
    if args.mode and args.mode not in modes:
        raise ConfigurationError(f"unknown mode {args.mode!r}; available: {', '.join(modes)}")
    chosen = list(modes) if args.compare else [args.mode or default_mode]

    overall: dict[str, Metrics] = {}
    failed: list[str] = []
    floors = load_floors(args.floors) if args.floors else {}
    for mode in chosen:
        predictions = run(modes[mode], questions)
        by_kind = summarise_by_kind(predictions)
        overall[mode] = by_kind["all"]
        if not args.compare:
            sys.stdout.write(f"mode: {mode}\n" + format_table(by_kind))
        if args.report:
            folder = args.report / mode if args.compare else args.report
            written = write_report(folder, predictions, by_kind, title=mode)
            logger.info("report written: %s", ", ".join(str(p) for p in written))
        failed += [f"{mode}: {v}" for v in violations(by_kind["all"], floors.get(mode, {}))]
    if args.compare:
        sys.stdout.write(format_table(overall))
    if failed:
        raise QualityError("below the quality floors: " + "; ".join(failed))
    return 0


def clause_json(clause: Clause) -> dict[str, object]:
    """A clause as a JSON object, with its first deadline spelled out."""
    data: dict[str, object] = clause.model_dump(mode="json")
    data["deadline"] = clause.deadline.model_dump(mode="json") if clause.deadline else None
    return data


def render_document(document: Document) -> str:
    """A readable, indented view of a parsed document."""
    lines = [
        f"== {document.doc_id}: {document.title}",
        f"   文号 {document.number or '—'} · 发文 {document.issuer or '—'} · "
        f"成文 {document.signed or '—'} · 发布 {document.published or '—'} · "
        f"{len(document.clauses)} 条",
        "",
    ]
    for clause in document.clauses:
        lines.append(f"[{clause.clause_id}] {clause.label}")
        if clause.units:
            lines.append("    责任单位: " + "、".join(
                f"{u.name}（牵头）" if u.lead else u.name for u in clause.units))
        if clause.standing_units:
            lines.append("    另需落实: " + "、".join(clause.standing_units))
        if clause.deadlines:
            lines.append("    时限: " + "；".join(
                d.text + (f"（{d.date}）" if d.date else "") for d in clause.deadlines))
        if clause.links:
            lines.append("    关联: " + ", ".join(clause.links))
        for paragraph in clause.text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width=60, initial_indent="    ",
                                       subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
