"""Write an evaluation's report.json, summary.md and chart.png."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from eval.runner import EvalResult, ItemResult
from eval.stage_report import stage_markdown
from eval.thresholds import ThresholdMiss, Thresholds

__all__ = ["METRIC_HELP", "render_markdown", "write_chart", "write_report"]

log = logging.getLogger(__name__)

# (key in the summary, label, explanation for someone who never saw the code)
METRIC_HELP: tuple[tuple[str, str, str], ...] = (
    (
        "recall@1",
        "Retrieval recall@1",
        "Share of the item's gold sources (programme, ordinance article or report section) "
        "found by the search the assistant uses, counting only the first result "
        "(divided by min(1, number of sources)).",
    ),
    (
        "recall@5",
        "Retrieval recall@5",
        "The same within the first five results (divided by min(5, number of sources)).",
    ),
    (
        "mrr",
        "MRR",
        "Mean reciprocal rank: 1 / rank of the first result that comes from a gold source "
        "(1.0 = always first, 0.5 = second, 0 = not retrieved).",
    ),
    (
        "key_fact_accuracy",
        "Key-fact accuracy",
        "Answerable questions only: share answered (not refused) whose text states every "
        "required fact (amounts, rates, names…). Compared after normalisation: full/half width, "
        "spaces and thousands separators ignored, 万円/千円/円 and 平成/西暦 aliases accepted.",
    ),
    (
        "citation_precision",
        "Citation precision",
        "Answerable questions only: share of the answer's citations whose verbatim quote "
        "contains at least one required fact (an answer without citations scores 0).",
    ),
    (
        "fact_support",
        "Fact support",
        "Of the required facts the answer states, the share that a cited quote also contains.",
    ),
    (
        "unfaithful_numbers",
        "Unfaithful numbers (count)",
        "Numbers in answer texts that none of the answer's cited quotes supports "
        "(reference markers, list numbers, cited page/line/article numbers and numbers from "
        "the question are allowed). Must be 0: the assistant may never invent a figure.",
    ),
    (
        "refusal_accuracy",
        "Refusal accuracy",
        "Unanswerable questions only: share refused (answerable=false) AND pointing somewhere "
        "useful — at least one citation or a sentence naming what the report does say.",
    ),
    (
        "false_refusal_rate",
        "False refusal rate",
        "Answerable questions only: share the assistant refused.",
    ),
    ("latency_p50_ms", "Latency p50 (ms)", "Median time of one ask() call."),
    ("latency_p95_ms", "Latency p95 (ms)", "95th percentile time of one ask() call."),
    (
        "answer_chars_p50",
        "Answer length p50 (chars)",
        "Median length of the answers to answerable questions (informational: pasting a whole "
        "passage can contain the facts and still be a poor answer).",
    ),
    ("errors", "Errors", "Items whose ask() raised a project error."),
)

_CHART_METRICS = ("recall@5", "mrr", "key_fact_accuracy", "citation_precision", "refusal_accuracy")
_MAX_SHOWN = 400


def write_report(
    result: EvalResult,
    out_dir: Path,
    thresholds: Thresholds | None = None,
    misses: Sequence[ThresholdMiss] = (),
    meta: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write the three files into ``out_dir`` (created) and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "markdown": out_dir / "summary.md",
        "chart": out_dir / "chart.png",
    }
    payload = {
        "meta": {**(meta or {}), "seconds": round(result.seconds, 2)},
        "passed": not misses,
        "threshold_misses": [str(m) for m in misses],
        "thresholds": (
            {"min": thresholds.minimum, "max": thresholds.maximum} if thresholds else None
        ),
        "summary": result.summary,
        "items": [_item_json(r) for r in result.items],
    }
    paths["json"].write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    markdown = render_markdown(result, misses, meta or {}, thresholds)
    paths["markdown"].write_text(markdown, encoding="utf-8")
    write_chart(result.summary, paths["chart"])
    log.info("wrote evaluation report to %s", out_dir)
    return paths


def _item_json(r: ItemResult) -> dict[str, Any]:
    data = asdict(r)
    data["failed"] = r.failures()
    return data


def _fmt(value: Any, key: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and key.endswith(("_ms", "_chars_p50")):
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(value)


def _table(groups: dict[str, dict[str, Any]]) -> list[str]:
    names = list(groups)
    lines = [
        "| metric | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        "| items | " + " | ".join(str(groups[n]["n"]) for n in names) + " |",
    ]
    for key, label, _ in METRIC_HELP:
        cells = " | ".join(_fmt(groups[n].get(key), key) for n in names)
        lines.append(f"| {label} | {cells} |")
    return lines


def _acceptance_table(overall: dict[str, Any], thresholds: Thresholds) -> list[str]:
    lines = ["| acceptance metric | value | needs | ok |", "|---|---|---|---|"]
    for kind, bounds in (("≥", thresholds.minimum), ("≤", thresholds.maximum)):
        for metric, bound in bounds.items():
            value = overall.get(metric)
            if value is None:
                ok = "n/a"
            else:
                ok = "yes" if (value >= bound if kind == "≥" else value <= bound) else "**no**"
            lines.append(f"| {metric} | {_fmt(value)} | {kind} {bound:g} | {ok} |")
    return lines


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + " …"


def render_markdown(
    result: EvalResult,
    misses: Sequence[ThresholdMiss],
    meta: dict[str, Any],
    thresholds: Thresholds | None = None,
) -> str:
    """The human-readable summary: verdict, tables, metric explanations, failures."""
    summary = result.summary
    overall = summary["overall"]
    out = ["# Evaluation summary", ""]
    for key, value in meta.items():
        out.append(f"- **{key}**: {value}")
    out.append(
        f"- **items**: {overall['n']} ({overall['n_answerable']} answerable, "
        f"{overall['n_unanswerable']} unanswerable), {result.seconds:.1f} s"
    )
    out.append("")
    if misses:
        out.append("**Verdict: FAILED** — below the acceptance thresholds:")
        out.extend(f"- {m}" for m in misses)
    else:
        out.append("**Verdict: passed** — every acceptance threshold is met.")
    if thresholds is not None:
        out += ["", *_acceptance_table(overall, thresholds)]
    gap = overall.get("colloquial_key_fact_gap")
    out += ["", f"Formal vs colloquial key-fact accuracy gap: {_fmt(gap)}", ""]
    out += ["Tables: one column per group; – means the metric does not apply to its items.", ""]
    out += stage_markdown(summary)
    out += ["## By category", "", *_table({"overall": overall, **summary["by_category"]}), ""]
    out += ["## By style", "", *_table({"overall": overall, **summary["by_style"]}), ""]
    out += ["## What the metrics mean", ""]
    out.extend(f"- **{label}** — {text}" for _, label, text in METRIC_HELP)
    failed = [r for r in result.items if r.failures()]
    out += ["", f"## Failures ({len(failed)} of {len(result.items)} items)", ""]
    if not failed:
        out.append("None.")
    for r in failed:
        out += _failure_lines(r)
    return "\n".join(out) + "\n"


def _failure_lines(r: ItemResult) -> list[str]:
    question = " → ".join(r.turns)
    lines = [
        f"### {r.id} ({r.category}, {r.style}) — failed: {', '.join(r.failures())}",
        "",
        f"- **question**: {_short(question)}",
        f"- **expected**: {_short(r.expected)}"
        + (f" (must include: {', '.join(r.must_include)})" if r.must_include else ""),
        f"- **got** ({'answered' if r.got_answerable else 'refused'}, "
        f"{len(r.citations)} citations): {_short(r.got) or '(empty)'}",
    ]
    if r.missing_facts:
        lines.append(f"- **missing facts**: {', '.join(r.missing_facts)}")
    if r.unfaithful_numbers:
        lines.append(f"- **unsupported numbers**: {', '.join(r.unfaithful_numbers)}")
    if r.retrieval is not None and r.retrieval.get("recall@5", 1.0) < 1.0:
        lines.append(f"- **retrieved**: {'; '.join(r.retrieved) or '(nothing)'}")
    if r.error:
        lines.append(f"- **error**: {r.error}")
    lines.append("")
    return lines


def write_chart(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars: one group per category, one bar per headline metric (0–1)."""
    # Lazy: matplotlib is heavy and only this function needs it (house style rule 5).
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    groups = {"overall": summary["overall"], **summary["by_category"]}
    names = list(groups)
    width = 0.8 / len(_CHART_METRICS)
    fig, ax = plt.subplots(figsize=(max(8.0, 1.1 * len(names) + 2), 4.5))
    for i, metric in enumerate(_CHART_METRICS):
        values = [groups[n].get(metric) for n in names]
        xs = [j + (i - (len(_CHART_METRICS) - 1) / 2) * width for j in range(len(names))]
        ax.bar(xs, [v if v is not None else 0.0 for v in values], width, label=metric)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (0–1)")
    ax.set_title("Evaluation by category")
    ax.legend(
        fontsize="small", ncol=len(_CHART_METRICS), loc="upper center", bbox_to_anchor=(0.5, -0.25)
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
