"""``policyqa report``: what people asked, how it was answered, what they rated 👎 and what the
notices did not answer, over the last days of the question log (:mod:`usage.report`).

    policyqa report [--since DAYS] [--format text|csv|html] [--out F] [--table NAME]

Days are those of ``POLICYQA_REPORT_TIMEZONE`` (Asia/Shanghai), cut at local midnight.

Text and HTML go to standard output or to the file ``--out``; CSV goes to the folder ``--out``
(one file per table, with a BOM so that spreadsheets read UTF-8) or, for one ``--table``, to
standard output. Files written hold questions and comments: only their owner may read them
(mode 0600, also when they existed; a new CSV folder 0700). The unanswered questions are
grouped with the configured embedding model, opened only when there are some (``--no-groups``
lists each question on its own); the clause labels come from the index when there is one.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from contract.errors import InputError, PolicyQAError
from index.lexicon import load_stopwords
from index.store import load_index
from policyqa.commands import Args, Context
from policyqa.privatefiles import open_private
from policyqa.runtime import open_encoder
from usage.clusters import DEFAULT_THRESHOLD, Embed, query_embedding
from usage.database import open_database
from usage.page import render_page
from usage.report import Label, Period, Report, build_report
from usage.tables import CSV_BOM, NAMES, tables, to_csv, to_plain_text, to_text

logger = logging.getLogger(__name__)
FORMATS = ("text", "csv", "html")


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``policyqa report``."""
    report = sub.add_parser(
        "report", help="the usage report: topics, answer rate and latency, 👎, unanswered",
        description="Report on the question log (POLICYQA_DATABASE_URL) over the last DAYS days: "
                    "the most cited clauses, answer rate and latency per day and channel, the "
                    "answers rated 👎 with their reasons, and the questions not answered, "
                    "grouped by similarity.")
    report.add_argument("--since", type=int, default=30, metavar="DAYS",
                        help="the last DAYS days of POLICYQA_REPORT_TIMEZONE, today included "
                             "(default 30)")
    report.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), csv or html")
    report.add_argument("--out", type=Path, metavar="F",
                        help="a file (text, html) or a folder (csv); default: standard output")
    report.add_argument("--table", choices=NAMES,
                        help="only this table (csv and text)")
    report.add_argument("--no-groups", action="store_true",
                        help="list the unanswered questions one by one, without the model")
    report.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=f"similarity at which questions are grouped ({DEFAULT_THRESHOLD})")
    report.add_argument("--index", type=Path, metavar="DIR",
                        help="index folder whose clause labels are shown (default: "
                             "POLICYQA_INDEX_DIR)")
    report.set_defaults(run=run)


def run(args: Args, context: Context) -> int:
    """Build the report and write it in the chosen format."""
    if args.since < 1:
        raise InputError(f"--since must be 1 day or more, not {args.since}")
    if args.format == "csv" and args.out is None and args.table is None:
        raise InputError("CSV goes to a folder (--out DIR) or, for one --table, to stdout")
    if args.format == "html" and args.table is not None:
        raise InputError("--table is for csv and text; the page shows every table")
    embed = None if args.no_groups else lazy_embedding(context)
    engine = open_database(context.settings.database_url.get_secret_value())
    try:
        period = Period.last_days(args.since, ZoneInfo(context.settings.report_timezone))
        report = build_report(engine, period, embed=embed,
                              label=clause_labels(context.index_dir), threshold=args.threshold)
    finally:
        engine.dispose()
    write(report, args.format, args.out, args.table)
    return 0


def lazy_embedding(context: Context) -> Embed:
    """The configured model's question embedding, opened on the first call."""
    opened: list[Embed] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        if not opened:
            opened.append(query_embedding(open_encoder(context.settings)))
        return opened[0](texts)

    return embed


def clause_labels(index_dir: Path) -> Label | None:
    """(doc_id, clause_id) → label from the index, or None when it cannot be read."""
    try:
        index = load_index(index_dir, None, load_stopwords(), vectors=False)
    except PolicyQAError as exc:
        logger.warning("clauses shown without their labels: %s", exc)
        return None
    labels = {(c.doc_id, c.clause_id): c.label for c in index.clauses}
    return lambda doc_id, clause_id: labels.get((doc_id, clause_id))


def write(report: Report, fmt: str, out: Path | None, table: str | None) -> None:
    """The report in ``fmt`` to ``out`` (stdout when None)."""
    parts = tables(report)
    if fmt == "csv":
        chosen = [table] if table else list(NAMES)
        if out is None:
            sys.stdout.write(to_csv(parts[chosen[0]]))
            return
        try:
            out.mkdir(mode=0o700, parents=True, exist_ok=True)
            for name in chosen:  # questions and comments: readable by their owner only
                with open_private(out / f"{name}.csv", newline="") as stream:
                    stream.write(CSV_BOM + to_csv(parts[name]))
        except OSError as exc:
            raise InputError(f"cannot write the CSV files into {out}: {exc}") from exc
        print(f"{len(chosen)} CSV files written to {out}", file=sys.stderr)
        return
    if fmt == "html":
        text = render_page(report)
    else:
        text = to_text(parts[table]) if table else to_plain_text(report)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        with open_private(out) as stream:
            stream.write(text)
    except OSError as exc:
        raise InputError(f"cannot write the report to {out}: {exc}") from exc
    print(f"report written to {out}", file=sys.stderr)
