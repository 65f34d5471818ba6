"""Regression guard: micro-F1 on the shared gold annotations stays at or above 0.92."""

import importlib.util
from pathlib import Path

import pytest

from ducha.extraction.engine.cli import extract_file

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
GOLD, SEEDS = SHARED / "extraction" / "gold", SHARED / "seeds"
SCORER = SHARED / "extraction" / "score.py"

pytestmark = pytest.mark.skipif(not SCORER.is_file(), reason="../shared is not checked out")


def load_scorer():
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_micro_f1_on_gold_is_at_least_0_92():
    score = load_scorer()
    gold = score.load_documents(GOLD, True)
    board = score.Scoreboard()
    for key in sorted(gold):
        [seed] = SEEDS.glob(f"{key}.txt")
        prediction = extract_file(str(seed), None)
        score.validate(prediction, key)
        board.document = key
        score.score_document(board, gold[key], prediction)
    counts = board.counts.values()
    micro = score.Counts(*(sum(getattr(c, f) for c in counts) for f in ("tp", "fp", "fn")))
    assert micro.summary()["f1"] >= 0.92, board.notes
