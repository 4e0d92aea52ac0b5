"""CPU time per answering stage, summed over answers (load tests read it from /healthz).

Thread CPU time (not wall time) is what a stage costs the machine: with several requests
in flight, wall time also counts waiting for the GIL and the other core.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["StageClock"]


class StageClock:
    """Cumulative thread-CPU milliseconds per named stage, and the number of answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ms: dict[str, float] = {}
        self._answers = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.thread_time()
        try:
            yield
        finally:
            spent = (time.thread_time() - started) * 1000
            with self._lock:
                self._ms[name] = self._ms.get(name, 0.0) + spent

    def answered(self) -> None:
        with self._lock:
            self._answers += 1

    def stats(self) -> dict[str, float]:
        """``{"answers": n, <stage>: total CPU ms, …}`` since the process started."""
        with self._lock:
            return {"answers": self._answers, **{k: round(v, 1) for k, v in self._ms.items()}}
