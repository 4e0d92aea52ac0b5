"""Two processes on one data dir: builds serialise on the lock, both end up on one build."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

from core import Settings
from index.store import IndexLayout

_CHILD = textwrap.dedent(
    """
    import json, pickle, sys
    from core import Settings
    from index import build_index, open_searcher

    store, corpus_file = sys.argv[1], sys.argv[2]
    corpus = pickle.load(open(corpus_file, "rb"))
    settings = Settings(store_dir=store, embedder="hash")
    stats = build_index(settings, corpus, progress=False)
    searcher = open_searcher(settings, corpus, build_if_needed=False)
    hits = [h.chunk.id for h in searcher.search("融資の限度額", k=3)]
    searcher.close()
    print(json.dumps({"build": stats.build_id, "unchanged": stats.unchanged, "hits": hits}))
    """
)


@pytest.mark.slow  # two Python processes building an index: ≈ 4 s, CI runs it
def test_two_processes_share_one_data_dir(tmp_path, corpus):
    corpus_file = tmp_path / "corpus.pkl"
    corpus_file.write_bytes(pickle.dumps(corpus))
    store = tmp_path / "store"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(store), str(corpus_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    # exactly one of them built; the other waited on the lock and found it up to date
    assert sorted(o["unchanged"] for o in outputs) == [False, True]
    assert outputs[0]["build"] == outputs[1]["build"]
    assert outputs[0]["hits"] == outputs[1]["hits"] and outputs[0]["hits"]
    layout = IndexLayout(settings_for(store))
    assert layout.current() == outputs[0]["build"]
    assert [p.name for p in layout.builds.iterdir() if p.is_dir()] == [outputs[0]["build"]]


def settings_for(store):
    return Settings(store_dir=store, embedder="hash")
