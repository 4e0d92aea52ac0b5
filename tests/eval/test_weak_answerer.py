"""The metrics can fail: a weak answerer scores clearly below a good one.

The weak answerer returns the top retrieved passage verbatim and never refuses. The good one
is an oracle built from the gold answers (fast tests) or the real assistant (slow, CI).
"""

from __future__ import annotations

import pytest

from core import get_settings
from eval.baselines import TopPassageAnswerer
from eval.gold_schema import default_gold_paths, load_gold
from eval.runner import EvalRunner
from ingest import Chunk, ChunkKind, Span

_WINDOW = 6  # raw report lines per fake chunk


def _overall(answerer, items, search=None):
    return EvalRunner(answerer, search, progress=False).run(items).summary["overall"]


def _assert_clearly_weaker(weak, good):
    assert weak["key_fact_accuracy"] <= good["key_fact_accuracy"] - 0.3
    assert weak["refusal_accuracy"] <= good["refusal_accuracy"] - 0.5
    assert weak["refusal_accuracy"] == 0.0  # it never refuses


def test_top_passage_is_clearly_weaker_than_the_oracle_on_handmade_items(kit, gold_items, search):
    good = _overall(kit.OracleAnswerer(gold_items, kit.CHUNKS), gold_items, search)
    weak = _overall(TopPassageAnswerer(search), gold_items, search)
    _assert_clearly_weaker(weak, good)
    assert good["unfaithful_numbers"] == 0


def _corpus_chunks() -> list[Chunk]:
    lines = get_settings().corpus.read_text(encoding="utf-8").split("\n")
    chunks = []
    for start in range(0, len(lines), _WINDOW):
        window = lines[start : start + _WINDOW]
        text = "\n".join(window).strip()
        if text:
            span = Span(start + 1, start + len(window))
            chunks.append(Chunk(id=f"w{start}", kind=ChunkKind.SECTION, text=text, lines=span))
    return chunks


def test_top_passage_is_clearly_weaker_than_the_oracle_on_the_gold_set(kit):
    assert default_gold_paths(), "the gold set is missing"  # fail, never skip, without it
    items = load_gold()
    search = kit.bigram_search(_corpus_chunks())
    good = _overall(kit.OracleAnswerer(items, _corpus_chunks()[:1]), items)
    weak = _overall(TopPassageAnswerer(search), items)
    assert good["key_fact_accuracy"] >= 0.9  # gold answers state their own facts
    _assert_clearly_weaker(weak, good)


@pytest.mark.slow
def test_real_assistant_beats_the_top_passage_baseline():
    from eval.cli import load_pipeline  # noqa: PLC0415 - loads real models; slow tests only

    # No skip on SmeError: this is the acceptance check that the metrics can fail, so a
    # broken pipeline in CI must fail it rather than hide it.
    answerer, search, names = load_pipeline(get_settings())
    items = load_gold()
    good = EvalRunner(answerer, search, programme_names=names, progress=False).run(items)
    weak = EvalRunner(TopPassageAnswerer(search), search, programme_names=names, progress=False)
    good_o, weak_o = good.summary["overall"], weak.run(items).summary["overall"]
    # On the real index the top passage often holds the facts (0.71 on 2026-11-29), so the
    # margin is what an assistant at the 0.90 acceptance level clears, not more.
    assert good_o["key_fact_accuracy"] >= weak_o["key_fact_accuracy"] + 0.15
    assert good_o["refusal_accuracy"] >= weak_o["refusal_accuracy"] + 0.5
