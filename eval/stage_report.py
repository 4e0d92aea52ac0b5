"""The "Stage metrics" part of summary.md and the eval command's stage line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eval.stage_metrics import TOPIC_KS

__all__ = ["STAGE_METRIC_HELP", "stage_line", "stage_markdown"]

# (key in the summary, label, explanation); none of these gates.
STAGE_METRIC_HELP: tuple[tuple[str, str, str], ...] = (
    *(
        (
            f"topic@{k}",
            f"Topic@{k}",
            f"Answerable questions: share whose gold source's topic (programme, ordinance "
            f"article or report section) is among the first {k} distinct topics ranked for "
            "the question — by the answerer's Topics stage when it has one, else read off the "
            "search hits (each hit's programme, else article, else section, repeats dropped).",
        )
        for k in TOPIC_KS
    ),
    (
        "desk_precision",
        "Desk precision",
        "Contact questions whose gold names a programme: of the organisations and desks the "
        "answer names (any contact in the records), the share that programme lists as its "
        "own contact or names in its own record.",
    ),
    (
        "wrong_desk_rate",
        "Contact answers naming a wrong desk",
        "The same questions: share of answers naming at least one desk of another programme.",
    ),
    *(
        (
            f"rank_facts@{k}",
            f"Key facts in the top {k} ranked fact{'s' if k > 1 else ''}",
            f"Answerable questions: share whose every required fact is stated by the first {k} "
            "candidate facts the answerer's Rank stage orders (record fields, KPI rows, "
            "sentences), when it has one.",
        )
        for k in (1, 3)
    ),
    (
        "key_facts_top3_ceiling",
        "Key facts in top-3 chunks",
        "Answerable questions: share whose every required fact is in the text of one of the "
        "first three retrieved chunks — the most a fact selector could reach from retrieval.",
    ),
    (
        "answer_chars_p50_focused",
        "Median answer length, focused (chars)",
        "Answerable questions except exploratory ones (gold spread over two or more "
        "programmes or articles).",
    ),
    ("answer_chars_p50_all", "Median answer length, all (chars)", "Every question."),
)

_COLUMNS = ("overall", "colloquial", "formal")


def _fmt(value: Any, key: str) -> str:
    if value is None:
        return "–"
    if "chars" in key:
        return f"{value:.0f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def stage_markdown(summary: Mapping[str, Any]) -> list[str]:
    """Stage metrics overall / casual / formal, topic@k per category, and what they mean."""
    groups = {"overall": summary["overall"], **summary.get("by_style", {})}
    names = [n for n in _COLUMNS if n in groups]
    overall = summary["overall"]
    out = [
        "## Stage metrics",
        "",
        "Informational (not gated): where an answer goes wrong, stage by stage.",
        "",
        "| stage metric | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key, label, _ in STAGE_METRIC_HELP:
        cells = " | ".join(_fmt(groups[n].get(key), key) for n in names)
        out.append(f"| {label} | {cells} |")
    out += [
        "",
        f"- contact items judged for desks: {overall.get('desk_items', 0)}, "
        f"desks named: {overall.get('desks_named', 0)}",
        f"- exploratory answerable items (left out of the focused length): "
        f"{overall.get('n_exploratory', 0)}",
        "- unanswerable items with gold sources, topic@1/3/5: "
        + " / ".join(_fmt(overall.get(f"unanswerable_topic@{k}"), "") for k in TOPIC_KS),
        "",
        "### Topic@k by category",
        "",
        "| category | " + " | ".join(f"topic@{k}" for k in TOPIC_KS) + " |",
        "|---|" + "---|" * len(TOPIC_KS),
    ]
    for category, group in summary.get("by_category", {}).items():
        if category == "unanswerable":
            continue
        cells = " | ".join(_fmt(group.get(f"topic@{k}"), "") for k in TOPIC_KS)
        out.append(f"| {category} | {cells} |")
    out += ["", "### What the stage metrics mean", ""]
    out.extend(f"- **{label}** — {text}" for _, label, text in STAGE_METRIC_HELP)
    return [*out, ""]


def stage_line(summary: Mapping[str, Any]) -> str:
    """One line for the terminal: topic@k and ranked facts@k (casual), desks, ceiling,
    median length."""
    overall = summary["overall"]
    casual = summary.get("by_style", {}).get("colloquial", {})
    topics = ", ".join(
        f"topic@{k} {_fmt(overall.get(f'topic@{k}'), '')} ({_fmt(casual.get(f'topic@{k}'), '')})"
        for k in TOPIC_KS
    )
    return (
        f"stages — {topics} [casual in brackets], "
        f"desk precision {_fmt(overall.get('desk_precision'), '')} "
        f"(wrong desk in {_fmt(overall.get('wrong_desk_rate'), '')} of contact answers), "
        f"ranked facts@1 {_fmt(overall.get('rank_facts@1'), '')} "
        f"({_fmt(casual.get('rank_facts@1'), '')}), "
        f"@3 {_fmt(overall.get('rank_facts@3'), '')} ({_fmt(casual.get('rank_facts@3'), '')}), "
        f"facts in top-3 chunks {_fmt(overall.get('key_facts_top3_ceiling'), '')}, "
        f"median length {_fmt(overall.get('answer_chars_p50_focused'), 'chars')} chars "
        f"(all items {_fmt(overall.get('answer_chars_p50_all'), 'chars')})"
    )
