"""``sme-assistant eval``: the gold batch through the same path as ``sme-assistant ask``.

Registered through the ``sme_assistant.commands`` entry point, so the CLI never imports
evaluation. The corpus, searcher and assistant are loaded once, by
``assistant.build_assistant``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from core import Settings, get_settings
from eval.desks import DeskDirectory
from eval.gold_schema import GoldItem, load_gold
from eval.report import write_report
from eval.runner import EvalRunner, SearchFn
from eval.stage_metrics import find_topic_ranker
from eval.stage_report import stage_line
from eval.thresholds import load_thresholds

__all__ = ["eval_command", "load_pipeline", "take_round_robin"]

log = logging.getLogger(__name__)


def load_pipeline(settings: Settings) -> tuple[Any, SearchFn, dict[str, str]]:
    """The assistant, the search it uses and programme id → name, each loaded once.

    Retrieval is scored on the assistant's own searcher, so on exactly the index the answers
    come from.
    """
    from assistant import build_assistant  # noqa: PLC0415 - loads the corpus, index and models

    answerer = build_assistant(settings)
    searcher, corpus = answerer.searcher, answerer.corpus

    def search(query: str, k: int) -> Any:
        return searcher.search(query, k)

    return answerer, search, {p.id: p.name for p in corpus.programmes}


@click.command("eval")
@click.option(
    "--gold",
    "gold",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Gold JSONL file or folder (repeatable); default: the bundled eval/gold/.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/eval"),
    show_default=True,
    help="Folder for report.json, summary.md and chart.png.",
)
@click.option(
    "--thresholds",
    "thresholds_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Acceptance thresholds TOML; default: eval/thresholds.toml.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Only N items, taken in turn from each category (a quick, still mixed run).",
)
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def eval_command(
    gold: tuple[Path, ...],
    out: Path,
    thresholds_path: Path | None,
    limit: int | None,
    no_progress: bool,
) -> None:
    """正解データで評価する (run the gold Q&A evaluation and write a report).

    Exits with status 1 when a metric misses its threshold.
    """
    thresholds = load_thresholds(thresholds_path)
    items = load_gold(list(gold) if gold else None)
    if limit is not None:
        items = take_round_robin(items, limit)
    settings = get_settings()
    t0 = time.perf_counter()
    answerer, search, names = load_pipeline(settings)
    load_s = time.perf_counter() - t0
    corpus = getattr(answerer, "corpus", None)
    runner = EvalRunner(
        answerer,
        search,
        settings.search_k,
        names,
        progress=not no_progress,
        desks=DeskDirectory.from_corpus(corpus) if corpus is not None else None,
        topics=find_topic_ranker(answerer, getattr(answerer, "searcher", None)),
    )
    result = runner.run(items)
    misses = thresholds.check(result.summary["overall"])
    meta = {
        "gold": ", ".join(str(g) for g in gold) if gold else "eval/gold (bundled)",
        "date (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "load time": f"{load_s:.1f} s",
        "topic ranking": runner.stages.topic_source,
    }
    paths = write_report(result, out, thresholds, misses, meta)
    overall = result.summary["overall"]
    click.echo(
        f"{overall['n']} items in {result.seconds:.1f} s — "
        f"recall@5 {_fmt(overall['recall@5'])}, MRR {_fmt(overall['mrr'])}, "
        f"key facts {_fmt(overall['key_fact_accuracy'])}, "
        f"refusal {_fmt(overall['refusal_accuracy'])}, "
        f"unfaithful numbers {overall['unfaithful_numbers']}"
    )
    click.echo(stage_line(result.summary))
    click.echo(f"report: {paths['markdown']}")
    if misses:
        for miss in misses:
            click.echo(f"below threshold: {miss}", err=True)
        raise SystemExit(1)


def take_round_robin(items: Sequence[GoldItem], limit: int) -> list[GoldItem]:
    """The first ``limit`` items taking one per category in turn, in file order."""
    queues: dict[str, list[GoldItem]] = {}
    for item in items:
        queues.setdefault(item.category, []).append(item)
    out: list[GoldItem] = []
    depth = 0
    while len(out) < min(limit, len(items)):
        out.extend(q[depth] for q in queues.values() if depth < len(q))
        depth += 1
    return out[:limit]


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
