"""API: the FastAPI service, the web chat and the command line."""

__all__: list[str] = []
