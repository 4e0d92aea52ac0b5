"""FastAPI dependencies: tests swap any of them through ``app.dependency_overrides``."""

from __future__ import annotations

from fastapi import Request

from api.services import Services
from assistant import Answerer
from index import Retriever
from ingest import Corpus, CorpusError, IndexBuildError, Settings

__all__ = ["get_answerer", "get_app_settings", "get_corpus", "get_searcher", "get_services"]

_NOT_READY = "サービスの準備ができていません。しばらくしてから、もう一度お試しください。"


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_corpus(request: Request) -> Corpus:
    corpus = get_services(request).corpus
    if corpus is None:
        raise CorpusError(_NOT_READY)
    return corpus


def get_searcher(request: Request) -> Retriever:
    searcher = get_services(request).searcher
    if searcher is None:
        raise IndexBuildError(_NOT_READY)
    return searcher


def get_answerer(request: Request) -> Answerer:
    answerer = get_services(request).answerer
    if answerer is None:
        raise CorpusError(_NOT_READY)
    return answerer
