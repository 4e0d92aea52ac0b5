"""API: the FastAPI service, the web chat and the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.services import Services

if TYPE_CHECKING:
    from fastapi import FastAPI

    from core import Settings

__all__ = ["Services", "create_app"]


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """The FastAPI app (see :mod:`api.app`); FastAPI is imported only when an app is built."""
    from api.app import create_app as build  # noqa: PLC0415 (keeps `import api` light)

    return build(settings, services=services)
