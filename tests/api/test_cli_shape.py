"""`ask --json` and `POST /api/ask` share one converter, so their JSON cannot drift apart."""

from api.cli_assistant import answer_to_dict
from api.schemas import AnswerOut
from assistant import Answer, Citation, Intent
from ingest import Span


def _answer() -> Answer:
    citation = Citation(
        id="c1",
        kind="programme",
        quote="補助限度額 100万円",
        lines=Span(10, 12),
        page=3,
        programme="p1",
        article=None,
        section=None,
    )
    return Answer("限度額は？", "100万円です。", True, Intent.SUBSIDY, (citation,), 12.34, "conv")


def test_cli_json_matches_the_api_model():
    row = answer_to_dict(_answer())
    assert list(row) == list(AnswerOut.model_fields)
    assert row["citations"][0]["lines"] == [10, 12]
    assert row["citations"][0]["quote"] == "補助限度額 100万円"
    assert row["intent"] == str(Intent.SUBSIDY)
    assert row["conversation_id"] == "conv"
    assert AnswerOut.model_validate(row).model_dump() == row
