"""Threads tokenize at the same time without tripping over one another.

A Sudachi tokenizer refuses a second caller while it works ("Tokenizer is already in use");
the server answers in several worker threads at once, so each thread needs its own.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ingest import sudachi_dictionary, sudachi_tokenizer

_TEXT = "川崎市の中小企業が補助金を申請し、融資限度額は1,500万円に拡充されました。" * 40


def _surfaces() -> list[str]:
    return [m.surface() for m in sudachi_tokenizer().tokenize(_TEXT)]


def test_each_thread_has_its_own_tokenizer_from_one_dictionary():
    seen: dict[str, tuple[object, object, object]] = {}

    def record(name: str) -> None:
        seen[name] = (sudachi_tokenizer(), sudachi_tokenizer(), sudachi_dictionary())

    threads = [threading.Thread(target=record, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(first is again for first, again, _ in seen.values())  # kept within a thread
    assert len({id(first) for first, _, _ in seen.values()}) == 3  # not shared across them
    assert len({id(dictionary) for _, _, dictionary in seen.values()}) == 1


def test_concurrent_tokenizing_succeeds_and_agrees():
    expected = _surfaces()
    barrier = threading.Barrier(4)

    def work(_: int) -> list[list[str]]:
        barrier.wait()
        return [_surfaces() for _ in range(30)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [r for batch in pool.map(work, range(4)) for r in batch]
    assert all(result == expected for result in results)
