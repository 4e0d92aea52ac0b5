"""Evaluation: gold Q&A, retrieval and answer metrics (imports every layer; nothing imports it)."""

__all__: list[str] = []
