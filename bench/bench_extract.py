"""Extraction throughput on one core: MB of UTF-8 text per second.

usage: .venv/bin/python bench/bench_extract.py [--mb 10] [--seeds DIR]

Builds one document of about --mb MB from the seed reports (default ../shared/seeds) or,
without them, from a built-in sample, and times extract_document on it after a warm-up
(jieba's dictionary loads once per process, about a second, and is reported separately).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ducha.extraction.engine import extract_document  # noqa: E402
from ducha.extraction.engine.gazetteer import word_frequencies  # noqa: E402

SAMPLE = (
    "本报讯 4月18日下午,区委书记张明华、区长李建国率队督查重点项目,先后实地督查了"
    "华科新材料年产5万吨锂电池正极材料项目等8个项目。总投资60亿元的华科新材料项目,"
    "建成达产后可形成10GWh动力电池的年生产能力,预计可实现年销售收入超100亿元。\n"
    "1-3月,全区累计实现工业开票销售收入321.71亿元,同比增长6.89%。\n"
)


def corpus(seeds: Path, megabytes: float) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))] if seeds.is_dir() else []
    unit = "\n".join(texts) or SAMPLE
    size = len(unit.encode("utf-8"))
    return "\n".join([unit] * max(1, round(megabytes * 2**20 / size)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()
    started = time.perf_counter()
    word_frequencies()
    print(f"jieba dictionary load: {time.perf_counter() - started:.2f} s (once per process)")
    text = corpus(args.seeds, args.mb)
    size = len(text.encode("utf-8")) / 2**20
    extract_document(text[:20000], source="warm-up")
    started = time.perf_counter()
    result = extract_document(text, source="bench")
    elapsed = time.perf_counter() - started
    facts = sum(len(result[k]) for k in ("projects", "indicators", "people", "events"))
    print(f"{size:.1f} MB in {elapsed:.2f} s: {size / elapsed:.2f} MB/s on one core ({facts} merged facts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
