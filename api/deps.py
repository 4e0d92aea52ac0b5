"""FastAPI dependencies: tests swap any of them through ``app.dependency_overrides``.

They are ``async`` although they do no I/O: FastAPI runs sync dependencies in the thread
pool, and a thread hop per dependency per request costs more than the lookups themselves.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.conversations import WebConversations
from api.feedback import Feedback
from api.services import Services
from assistant import Answerer
from core import CorpusError, IndexBuildError, Settings
from index import Retriever
from ingest import Corpus

__all__ = [
    "AnswererDep",
    "ConversationsDep",
    "CorpusDep",
    "FeedbackDep",
    "SearcherDep",
    "ServicesDep",
    "SettingsDep",
    "get_answerer",
    "get_app_settings",
    "get_conversations",
    "get_corpus",
    "get_feedback",
    "get_searcher",
    "get_services",
]

_NOT_READY = "サービスの準備ができていません。しばらくしてから、もう一度お試しください。"


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_corpus(request: Request) -> Corpus:
    corpus = (await get_services(request)).corpus
    if corpus is None:
        raise CorpusError(_NOT_READY)
    return corpus


async def get_searcher(request: Request) -> Retriever:
    searcher = (await get_services(request)).searcher
    if searcher is None:
        raise IndexBuildError(_NOT_READY)
    return searcher


async def get_answerer(request: Request) -> Answerer:
    answerer = (await get_services(request)).answerer
    if answerer is None:
        raise CorpusError(_NOT_READY)
    return answerer


async def get_conversations(request: Request) -> WebConversations:
    conversations: WebConversations = request.app.state.conversations
    return conversations


async def get_feedback(request: Request) -> Feedback:
    feedback: Feedback = request.app.state.feedback
    return feedback


# The parameter types routes declare (defined once; tests override the functions above).
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ServicesDep = Annotated[Services, Depends(get_services)]
CorpusDep = Annotated[Corpus, Depends(get_corpus)]
SearcherDep = Annotated[Retriever, Depends(get_searcher)]
AnswererDep = Annotated[Answerer, Depends(get_answerer)]
ConversationsDep = Annotated[WebConversations, Depends(get_conversations)]
FeedbackDep = Annotated[Feedback, Depends(get_feedback)]
