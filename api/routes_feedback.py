"""Rating answers (👍/👎) and the staff list of questions to improve (「未回答・要改善」)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import anyio
from fastapi import APIRouter

from api.answer_ids import GivenAnswer
from api.deps import FeedbackDep, SettingsDep
from api.feedback_store import FeedbackGroup
from api.questions import check_question, check_text
from api.schemas import ErrorOut, FeedbackIn, FeedbackOut, UnansweredGroupOut, UnansweredOut
from core import Settings

__all__ = ["router"]

router = APIRouter(tags=["feedback"])

_RATE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "model": ErrorOut,
        "description": "answer_not_found: 発行していない・古い answer_id、"
        "または送られた回答が answer_id の署名と一致しない",
    },
    422: {
        "model": ErrorOut,
        "description": "長すぎるコメント・質問・回答、使用できない文字、不正な JSON",
    },
}


def _sent(body: FeedbackIn, settings: Settings) -> GivenAnswer | None:
    """The rated answer as the client carries it back, checked as the question was (the
    routes sign the question as they answer it: stripped); None unless all of it came."""
    if body.question is None or body.answer is None or body.intent is None:
        return None
    if body.answerable is None:
        return None
    return GivenAnswer(
        question=check_question(body.question, settings),
        answer=check_text(body.answer, "回答"),
        intent=check_text(body.intent, "分類"),
        answerable=body.answerable,
    )


@router.post("/api/feedback", response_model=FeedbackOut, responses=_RATE_ERRORS)
async def rate(body: FeedbackIn, feedback: FeedbackDep, settings: SettingsDep) -> FeedbackOut:
    """回答を評価します（👍 up / 👎 down、👎 には任意のコメント）。

    👎 は質問・回答・分類・コメント・時刻とともに記録され、職員の「未回答・要改善」に
    並びます（IP アドレスやブラウザの情報は記録しません）。同じ回答にもう一度送ると、
    前の評価を置き換えます（👍 は 👎 を取り消します）。

    記録するのはサーバーが返した質問と回答だけです。回答したプロセスが覚えていれば
    それを、別のプロセスに届いた評価は、送られた question・answer・intent・answerable が
    answer_id の署名と一致したときだけそれを記録します（一致しなければ 404）。"""
    answer_id = check_text(body.answer_id, "回答ID").strip()
    comment = check_text(body.comment or "", "コメント").strip() or None
    pending = feedback.rate(answer_id, body.rating, comment, _sent(body, settings))
    recorded = False
    if pending is not None:
        stored = await anyio.to_thread.run_sync(pending.result)
        recorded = stored and body.rating == "down"
    return FeedbackOut(answer_id=answer_id, rating=body.rating, recorded=recorded)


def _group_out(group: FeedbackGroup) -> UnansweredGroupOut:
    return UnansweredGroupOut(
        question=group.normalised,
        example=group.question,
        count=group.count,
        last_at=dt.datetime.fromtimestamp(group.last_at, dt.UTC).isoformat(timespec="seconds"),
        reasons=list(group.reasons),
        answer=group.answer,
        intent=group.intent,
        comments=list(group.comments),
    )


@router.get(
    "/api/feedback/unanswered",
    response_model=UnansweredOut,
    responses={503: {"model": ErrorOut, "description": "記録を読めない"}},
)
async def unanswered(feedback: FeedbackDep) -> UnansweredOut:
    """答えられなかった質問・確信度の低い回答・👎 の付いた回答を、正規化した質問ごとに
    まとめて、件数の多い順に返します（職員ビュー「未回答・要改善」）。"""
    groups = await anyio.to_thread.run_sync(feedback.groups().result)
    return UnansweredOut(
        recording=feedback.recording, groups=[_group_out(group) for group in groups]
    )
