"""The measuring commands of ``policyqa``: ``bench``, ``eval`` and ``calibrate``."""

from __future__ import annotations

import sys
import time

from contract.errors import ConfigurationError, QualityError
from corpus.reader import read_documents
from policyqa.commands import Args, Context, require
from policyqa.runtime import open_service


def bench(args: Args, context: Context) -> int:
    """Latency of each operation in-process, and peak memory."""
    from eval.bench import bench as measure
    from eval.bench import report
    from eval.gold import DEFAULT_GOLD, load_gold

    questions = [q.question for path in (args.gold or DEFAULT_GOLD) for q in load_gold(path)]
    started = time.perf_counter()
    service = context.service()
    print(f"loaded model and index in {time.perf_counter() - started:.1f} s; "
          f"{len(questions)} questions × {max(1, args.rounds)} rounds per operation, "
          "one at a time")
    print(report(measure(service, questions, args.rounds)))
    return 0


def evaluate(args: Args, context: Context) -> int:
    """Score every answering mode asked for against gold questions (and their floors)."""
    from eval.baseline import OverlapAnswerer
    from eval.floors import load_floors, set_name, violations
    from eval.gold import DEFAULT_GOLD, load_gold
    from eval.report import format_comparison, format_curve, format_table, write_report
    from eval.runner import Answerer, Metrics, modes_of, run, summarise_by_kind

    gold = list(args.gold or DEFAULT_GOLD)
    questions = [q for path in gold for q in load_gold(path)
                 if not args.split or q.split in (None, args.split)]
    threshold: float | None = None
    if args.corpus:
        documents = list(read_documents(args.corpus))
        modes: dict[str, Answerer] = {"overlap": OverlapAnswerer(documents)}
    else:
        service = context.service()
        documents = list(service.documents)
        modes = modes_of(service)
        threshold = service.answerer.refusal.threshold
    if args.mode and args.mode not in modes:
        raise ConfigurationError(f"unknown mode {args.mode!r}; available: {', '.join(modes)}")
    chosen = list(modes) if args.compare else [args.mode or list(modes)[-1]]
    floors: dict[str, dict[str, float]] = {}
    if args.floors:
        name = set_name(gold, args.split, len(documents))
        every = load_floors(args.floors)
        if name not in every:
            raise ConfigurationError(f"{args.floors} has no floors for the set {name!r}; "
                                     f"it has: {', '.join(every)}")
        floors = every[name]

    overall: dict[str, Metrics] = {}
    per_mode: dict[str, dict[str, Metrics]] = {}
    failed: list[str] = []
    for mode in chosen:
        predictions = run(modes[mode], questions)
        by_kind = summarise_by_kind(predictions, args.by)
        overall[mode], per_mode[mode] = by_kind["all"], by_kind
        if not args.compare:
            sys.stdout.write(f"mode: {mode}\n" + format_table(by_kind))
            if mode == "engine" and threshold is not None:
                sys.stdout.write(format_curve(predictions, threshold))
        if args.report:
            require("matplotlib", "charts")
            write_report(args.report / mode if args.compare else args.report, predictions,
                         by_kind, title=mode)
        failed += [f"{mode}: {v}" for v in violations(by_kind["all"], floors.get(mode, {}))]
    if args.compare:
        sys.stdout.write(format_table(overall) + "\n" + format_comparison(per_mode))
    if failed:
        raise QualityError("below the quality floors: " + "; ".join(failed))
    return 0


def calibrate(args: Args, context: Context) -> int:
    """Fit the refusal model and store it; print its weights and the refusal curve."""
    from engine.refusal import ANSWER_ALL, fit, save_refusal
    from eval.calibrate import DEFAULT_CALIBRATION, NEGATIVES_FILE, examples, load_negatives
    from eval.gold import load_gold
    from eval.report import curve_table

    gold = [q for path in (args.gold or DEFAULT_CALIBRATION) for q in load_gold(path)]
    negatives = [q for path in (args.negatives or [NEGATIVES_FILE]) for q in load_negatives(path)]
    indexes = [(d, True) for d in args.indexes or [context.index_dir]] + \
        [(d, False) for d in args.gold_only_index]
    collected = []
    model_id = ""
    for index_dir, with_negatives in indexes:
        service = open_service(context.settings, index_dir, refusal=ANSWER_ALL)  # fitted below
        model_id = service.encoder.model_id
        found = examples(service.answerer, {d.doc_id for d in service.documents}, gold,
                         negatives if with_negatives else [])
        print(f"{index_dir}: {sum(a for _, a in found)} answerable, "
              f"{sum(not a for _, a in found)} unanswerable", file=sys.stderr)
        collected += found
    model = fit(collected, model_id, max_false_refusals=args.max_false_refusals)
    save_refusal(model)
    print(f"refusal model for {model_id}: threshold {model.threshold:.3f}")
    print(" ".join(f"{k}={v:+.2f}" for k, v in model.weights.items()))
    print(curve_table([(model.probability(e), a) for e, a in collected], model.threshold))
    return 0
