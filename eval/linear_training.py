"""What the stage trainers share: folds by item and the command line of a trainer."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["Scorer", "out_of_fold", "trainer_arguments", "write_weights"]

SEED = 0


class Scorer(Protocol):
    def scores(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...


class _Rows(Protocol):
    @property
    def rows(self) -> npt.NDArray[np.float64]: ...


E = TypeVar("E", bound=_Rows)


def out_of_fold(
    examples: Sequence[E], folds: int, fit: Callable[[list[E]], Scorer]
) -> list[npt.NDArray[np.float64]]:
    """Out-of-fold scores per example: each item scored by weights fitted without it (folds
    split items in a fixed order, so every figure is reproducible)."""
    order = np.random.default_rng(SEED).permutation(len(examples))
    fold_of = np.empty(len(examples), dtype=np.intp)
    fold_of[order] = np.arange(len(examples)) % folds
    out: list[npt.NDArray[np.float64]] = [np.zeros(0)] * len(examples)
    for fold in range(folds):
        weights = fit([e for e, f in zip(examples, fold_of, strict=True) if f != fold])
        for i in np.flatnonzero(fold_of == fold).tolist():
            out[i] = weights.scores(examples[i].rows)
    return out


def trainer_arguments(
    argv: list[str] | None, prog: str, doc: str | None, *, out: Path, folds: int, c: float
) -> argparse.Namespace:
    """The options every trainer takes (``--out``, ``--folds``, ``--c``); logging set up."""
    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--out", type=Path, default=out, help="weights file")
    parser.add_argument("--folds", type=int, default=folds)
    parser.add_argument("--c", type=float, default=c, help="inverse regularisation strength")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args


def write_weights(out: Path, weights_json: str, report: str) -> int:
    """Print the trainer's report, write the weights file; the trainer's exit status."""
    print(report)
    out.write_text(weights_json, encoding="utf-8")
    print(f"weights: {out}")
    return 0
