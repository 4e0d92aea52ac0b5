"""CLI commands of the ingest stage: ``ingest`` and ``records``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from tqdm import tqdm

from core import get_settings
from ingest import INGEST_STAGES, Corpus, load_corpus, records_to_dict, run_ingest

__all__ = ["COMMANDS", "ingest_command", "records_command"]


def _summary(corpus: Corpus) -> list[str]:
    focus = sum(1 for programme in corpus.programmes if programme.focus)
    kinds = Counter(chunk.kind.value for chunk in corpus.chunks)
    sections = Counter(section.key for section in corpus.sections)
    return [
        f"source: {corpus.source} (sha256 {corpus.sha256[:12]})",
        f"programmes: {len(corpus.programmes)} (focus {focus})",
        f"articles: {len(corpus.articles)}",
        f"sections: {len(corpus.sections)} "
        + ", ".join(f"{key} {n}" for key, n in sorted(sections.items())),
        f"chunks: {len(corpus.chunks)} "
        + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())),
    ]


@click.command("ingest")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest_command(path: Path | None, quiet: bool) -> None:
    """報告書を取り込む / Parse the report (default: the bundled one) and store records + chunks."""
    settings = get_settings()
    with tqdm(
        total=len(INGEST_STAGES), desc="ingest", unit="stage", disable=quiet, leave=False
    ) as bar:

        def progress(stage: str) -> None:
            bar.set_postfix_str(stage)
            bar.update(1)

        corpus = run_ingest(settings, path, progress=progress)
    for line in _summary(corpus):
        click.echo(line)
    click.echo(f"store: {settings.store / 'corpus'}")


@click.command("records")
@click.option("--json", "as_json", is_flag=True, help="Print the records JSON.")
def records_command(as_json: bool) -> None:
    """取り込んだ記録を表示 / Show the ingested records (ingests first if needed)."""
    corpus = load_corpus(get_settings())
    if as_json:
        click.echo(json.dumps(records_to_dict(corpus), ensure_ascii=False, indent=1))
        return
    for line in _summary(corpus):
        click.echo(line)
    click.echo("")
    for programme in corpus.programmes:
        mark = "○" if programme.focus else " "
        page = f"p.{programme.page}" if programme.page else ""
        click.echo(f"{mark} 第{programme.article}条 {programme.name} {page}".rstrip())
    for article in corpus.articles:
        title = "" if article.title == article.label else f"({article.title})"
        click.echo(f"{article.label}{title}")
    for section in corpus.sections:
        click.echo(f"[{section.key}] {section.title}")


COMMANDS: list[click.Command] = [ingest_command, records_command]
