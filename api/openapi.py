"""The OpenAPI schema, stating the limits the routes apply to the text they take."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from api.questions import TEXT_PATTERN
from core import Settings

__all__ = ["document_text_limits"]


def document_text_limits(app: FastAPI, settings: Settings) -> None:
    """State minLength/maxLength of the question (ask, chat, feedback) and the search query, and the
    characters every text parameter refuses (api.questions.check_text).

    The length limit is a setting, so it cannot sit in the pydantic model; nor should
    pydantic enforce it: the routes count characters after NFKC (api.questions), which a
    plain ``max_length`` would not, and answer in Japanese. Clients and fuzzers read it here.
    """
    build = app.openapi
    limits = {"minLength": 1, "maxLength": settings.max_question_chars}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            question = schema["components"]["schemas"]["AskIn"]["properties"]["question"]
            question.update(limits, pattern=TEXT_PATTERN)
            rated = schema["components"]["schemas"]["FeedbackIn"]["properties"]["question"]
            for variant in rated.get("anyOf", ()):
                if variant.get("type") == "string":
                    variant.update(limits, pattern=TEXT_PATTERN)
            for operations in schema["paths"].values():
                for operation in operations.values():
                    for parameter in operation.get("parameters", ()):
                        _document_text(parameter["schema"])
            for parameter in schema["paths"]["/api/search"]["get"]["parameters"]:
                if parameter["name"] == "q":
                    parameter["schema"].update(limits)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _document_text(schema: dict[str, Any]) -> None:
    for variant in (schema, *schema.get("anyOf", ())):
        if variant.get("type") == "string" and "enum" not in variant and "$ref" not in variant:
            variant.setdefault("pattern", TEXT_PATTERN)
