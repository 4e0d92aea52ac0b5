"""Assistant: grounded Japanese answers with citations."""

from assistant.models import Answer, Answerer, Citation, Intent

__all__ = ["Answer", "Answerer", "Citation", "Intent"]
