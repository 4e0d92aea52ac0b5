"""CLI commands of the assistant stage: ``sme-assistant ask``."""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path
from typing import Any, cast

import click

from api.questions import check_question
from ingest import AnswerError, Settings, get_settings

__all__ = [
    "COMMANDS",
    "CONVERSATION_DB",
    "answer_to_dict",
    "ask_command",
    "conversation_store_path",
    "read_batch",
]

CONVERSATION_DB = "conversations.sqlite3"
_MAX_ID_CHARS = 200


def answer_to_dict(answer: Any) -> dict[str, Any]:
    """The JSON shape shared by ``ask --json``, ``--batch`` and the HTTP API (one converter)."""
    from api.convert import answer_out  # noqa: PLC0415 (keeps `--help` fast)

    return answer_out(answer).model_dump()


def read_batch(path: Path, max_chars: int) -> list[tuple[str, str | list[str]]]:
    """(id, question) pairs of a JSONL file; a question may be a list of turns."""
    items: list[tuple[str, str | list[str]]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerError(f"cannot read batch file {path}: {exc}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnswerError(f"{path}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or "question" not in row:
            raise AnswerError(f'{path}:{number}: expected an object with "id" and "question"')
        question = row["question"]
        turns = question if isinstance(question, list) else [question]
        if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            raise AnswerError(f"{path}:{number}: question must be a non-empty string")
        # NFKC as the assistant reads it: one character can become several (㍿ → 株式会社).
        if any(len(unicodedata.normalize("NFKC", t)) > max_chars for t in turns):
            raise AnswerError(
                f"{path}:{number}: question longer than {max_chars} characters "
                "after NFKC normalisation"
            )
        items.append((str(row.get("id", number)), question))
    return items


def conversation_store_path(settings: Settings) -> Path:
    """Where ``ask --conversation`` keeps conversations between runs."""
    return settings.store / CONVERSATION_DB


def _check_conversation_id(conversation: str) -> str:
    cid = conversation.strip()
    if not cid or len(cid) > _MAX_ID_CHARS or not cid.isprintable():
        raise AnswerError(
            f"会話IDが不正です / --conversation takes 1-{_MAX_ID_CHARS} printable characters"
        )
    return cid


def _ask_one(settings: Settings, question: str, conversation: str | None, as_json: bool) -> None:
    from assistant import SqliteConversationStore, build_assistant  # noqa: PLC0415

    if conversation is None:
        answer = build_assistant(settings).ask(question)
    else:
        cid = _check_conversation_id(conversation)
        # Opened before the models load, so an unusable store fails fast.
        with SqliteConversationStore(conversation_store_path(settings)) as store:
            assistant = build_assistant(settings)
            # Assistant types this slot as its in-memory store; both keep ConversationMemory.
            cast(Any, assistant).conversations = store
            answer = assistant.ask(question, cid)
    if as_json:
        click.echo(json.dumps(answer_to_dict(answer), ensure_ascii=False, indent=2))
        return
    click.echo(answer.answer)
    for c in answer.citations:
        where = f"{c.lines.first}-{c.lines.last}行" + (f" p.{c.page}" if c.page else "")
        click.echo(f"  [{where}] {c.quote.splitlines()[0] if c.quote else ''}")


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--batch", "batch", type=click.Path(path_type=Path), help="JSONL of {id, question}.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Where --batch writes JSONL.")
@click.option(
    "--conversation",
    "conversation",
    default=None,
    help="Conversation id of your choice; its turns are kept in the store folder, so a later "
    "`ask` with the same id resolves follow-ups (「その補助率は？」).",
)
def ask_command(
    question: str | None,
    as_json: bool,
    batch: Path | None,
    out: Path | None,
    conversation: str | None,
) -> None:
    """質問に答える（根拠の引用付き）/ answer a question with verbatim citations."""
    from assistant import build_assistant  # noqa: PLC0415 (keeps `--help` fast)

    settings = get_settings()
    if batch is None:
        if question is None:
            raise AnswerError("質問がありません / give a question or --batch FILE")
        question = check_question(question, settings)
    if batch is not None and conversation is not None:
        raise AnswerError("--conversation は1問ずつ / --batch items carry their own turns")
    items = read_batch(batch, settings.max_question_chars) if batch is not None else []
    if batch is None:
        assert question is not None
        _ask_one(settings, question, conversation, as_json)
        return
    assistant = build_assistant(settings)
    target = out.open("w", encoding="utf-8") if out is not None else None
    try:
        for item_id, q in items:
            started = time.perf_counter()
            turns = q if isinstance(q, list) else [q]
            cid = None
            for turn in turns:
                answer = assistant.ask(turn, cid)
                cid = answer.conversation_id
            row = {"id": item_id, **answer_to_dict(answer)}
            row["question"] = q
            row["latency_ms"] = round((time.perf_counter() - started) * 1000, 2)
            line = json.dumps(row, ensure_ascii=False)
            if target is not None:
                target.write(line + "\n")
            else:
                click.echo(line)
    finally:
        if target is not None:
            target.close()


COMMANDS: list[click.Command] = [ask_command]
