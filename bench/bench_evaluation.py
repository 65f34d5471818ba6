"""Benchmark: evaluate 1,000 synthetic units × 12 items for one period with the pure engine.

Run: .venv/bin/python bench/bench_evaluation.py [units] [items]
"""

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ducha.evaluation.scoring import FlagRule, ItemSpec, Method, UnitInput, evaluate  # noqa: E402


def synthetic(units: int, items: int, seed: int = 42):
    rng = random.Random(seed)
    specs = [
        ItemSpec(
            f"item{i}",
            f"Item {i}",
            Decimal(rng.randint(5, 20)),
            Method.RATIO if i % 3 == 0 else Method.RANK_POINTS,
            target=Decimal(100) if i % 3 == 0 else None,
        )
        for i in range(items)
    ]
    inputs = [
        UnitInput(
            u,
            "parks" if u % 4 == 0 else "towns_streets",
            {
                s.key: None if rng.random() < 0.02 else Decimal(rng.randint(-3000, 15000)) / Decimal(100)
                for s in specs
            },
        )
        for u in range(units)
    ]
    return specs, inputs


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    items = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    specs, inputs = synthetic(units, items)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        results = evaluate(specs, inputs, FlagRule())
        timings.append(time.perf_counter() - start)
    assert len(results) == units
    print(
        f"evaluate {units} units × {items} items: best {min(timings):.3f} s, worst {max(timings):.3f} s (5 runs)"
    )


if __name__ == "__main__":
    main()
