"""Scores of a held-out report split into its inspected and blind halves.

Protocol for ``eval/heldout_v2/``: failures of items with an even number (``h2-kpi-04``) may be
read to find classes of mistakes; items with an odd number are never inspected, so their scores
stay an honest estimate of how the assistant does on questions nobody tuned it on.

    python -m eval.halves reports/eval-heldout-v2/report.json
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["half_of", "split_scores"]

_NUMBER = re.compile(r"(\d+)$")


def half_of(item_id: str) -> str:
    """``inspected`` for an even trailing number, ``blind`` for an odd one (or none)."""
    m = _NUMBER.search(item_id)
    return "inspected" if m and int(m.group(1)) % 2 == 0 else "blind"


def split_scores(items: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float | int]]:
    """Per half: item count, key-fact accuracy (answerable), refusal accuracy (unanswerable)
    and the number of items with unfaithful numbers."""
    out: dict[str, dict[str, float | int]] = {}
    groups: dict[str, list[Mapping[str, Any]]] = {"inspected": [], "blind": []}
    for item in items:
        groups[half_of(str(item["id"]))].append(item)
    for half, members in groups.items():
        answerable = [i for i in members if i.get("answerable")]
        declined = [i for i in members if not i.get("answerable")]
        out[half] = {
            "items": len(members),
            "key_fact_accuracy": _share(i.get("key_fact_ok") is True for i in answerable),
            "refusal_accuracy": _share(bool(i.get("refusal_ok")) for i in declined),
            "unfaithful_items": sum(1 for i in members if i.get("unfaithful_numbers")),
        }
    return out


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return round(sum(values) / len(values), 3) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m eval.halves REPORT.json", file=sys.stderr)
        return 2
    try:
        report = json.loads(Path(args[0]).read_text(encoding="utf-8"))
        items = report["items"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot read an evaluation report from {args[0]}: {exc}", file=sys.stderr)
        return 2
    for half, scores in split_scores(items).items():
        figures = ", ".join(f"{k} {v}" for k, v in scores.items())
        print(f"{half}: {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
