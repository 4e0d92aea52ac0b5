"""CLI command of the recorded questions: ``sme-assistant feedback export``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import click

from api.feedback_store import (
    FeedbackGroup,
    feedback_db_path,
    group_entries,
    open_feedback_store,
)
from core import ConfigError, get_settings

__all__ = ["COMMANDS", "feedback_group", "gold_stub"]


def gold_stub(group: FeedbackGroup) -> dict[str, Any]:
    """One gold item to complete (the keys of ``eval/gold/*.jsonl``, in their order).

    What staff must decide is left blank: the category, the style, the facts an answer must
    include, the sources, whether the report answers it at all. Until then the evaluation's
    loader refuses the line, so a stub cannot be scored by mistake."""
    digest = hashlib.sha256(group.normalised.encode("utf-8")).hexdigest()[:10]
    return {
        "id": f"feedback-{digest}",
        "category": "",
        "style": "",
        "question": group.question,
        "answer": group.answer,
        "must_include": [],
        "sources": [],
        "answerable": None,
    }


@click.group("feedback")
def feedback_group() -> None:
    """記録した質問（未回答・要改善）/ Questions recorded for staff to improve."""


@click.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL file to write (one gold-format stub per recorded question).",
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def export_command(out: Path, force: bool) -> None:
    """正解データの下書きを書き出す / Write gold-format stubs of the recorded questions.

    One line per normalised question, most recorded first: the question, the answer given,
    an empty must_include. Complete them and add them to eval/."""
    settings = get_settings()
    if out.exists() and not force:
        raise ConfigError(f"{out} already exists (use --force to overwrite it)")
    groups: list[FeedbackGroup] = []
    # Never creates the store: with nothing recorded there is nothing to open.
    if feedback_db_path(settings).exists():
        with open_feedback_store(settings) as store:
            groups = group_entries(store.entries())
    lines = [json.dumps(gold_stub(group), ensure_ascii=False) + "\n" for group in groups]
    try:
        out.write_text("".join(lines), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {out}: {exc}") from exc
    click.echo(f"{len(lines)} 件を書き出しました / wrote {len(lines)} stubs to {out}")


feedback_group.add_command(export_command)

COMMANDS: list[click.Command] = [feedback_group]
