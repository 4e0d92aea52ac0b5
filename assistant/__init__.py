"""Assistant: grounded Japanese answers with citations."""

from assistant.models import Answer, Answerer, Citation, Intent
from assistant.service import Assistant, build_assistant

__all__ = ["Answer", "Answerer", "Assistant", "Citation", "Intent", "build_assistant"]
