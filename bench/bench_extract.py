"""Extraction throughput on one core (MB of UTF-8 text per second) and peak memory.

usage: .venv/bin/python bench/bench_extract.py [--mb 10] [--corpus DIR]

Reads the reports of the repository's development corpus (ducha/extraction/corpus/dev; only
that part: the test part is kept for reporting results) and times the rule path two ways
after a warm-up (jieba's dictionary loads once per process, about a second, reported apart):

- per report: every report extracted on its own, repeated until about --mb MB were read,
  which is how imports run;
- one input: the reports concatenated into one document of about --mb MB, which bounds the
  cost of a very long input; its peak memory (resident set growth while extracting, and the
  Python heap peak from tracemalloc in a second run) shows that memory stays bounded.

Times are CPU seconds of this process (time.process_time), so that a machine shared with
other work still gives the throughput of one core.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ducha.extraction.engine import extract_document  # noqa: E402
from ducha.extraction.engine.gazetteer import word_frequencies  # noqa: E402

CORPUS = ROOT / "ducha" / "extraction" / "corpus" / "dev"


def reports(corpus: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no *.txt reports in {corpus}")
    return texts


def megabytes(text: str) -> float:
    return len(text.encode("utf-8")) / 2**20


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="how much text to read (MB)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a directory of *.txt reports")
    args = parser.parse_args()

    started = time.perf_counter()
    word_frequencies()
    print(f"jieba dictionary load: {time.perf_counter() - started:.2f} s (once per process)")
    texts = reports(args.corpus)
    unit = sum(megabytes(t) for t in texts)
    rounds = max(1, round(args.mb / unit))
    for text in texts:  # warm-up: regexes compiled, segmentation caches filled once
        extract_document(text, source="warm-up")

    started = time.process_time()
    facts = 0
    for _ in range(rounds):
        for text in texts:
            result = extract_document(text, source="bench")
            facts += sum(len(result[k]) for k in ("projects", "indicators", "people", "events"))
    elapsed = time.process_time() - started
    size = unit * rounds
    print(
        f"per report: {len(texts)} reports × {rounds} = {size:.1f} MB in {elapsed:.2f} s: "
        f"{size / elapsed:.2f} MB/s on one core ({facts} facts)"
    )

    big = "\n".join(texts * rounds)
    size = megabytes(big)
    rss_before = max_rss_mb()
    started = time.process_time()
    result = extract_document(big, source="bench")
    elapsed = time.process_time() - started
    rss_growth = max_rss_mb() - rss_before
    facts = sum(len(result[k]) for k in ("projects", "indicators", "people", "events"))
    print(
        f"one input: {size:.1f} MB in {elapsed:.2f} s: {size / elapsed:.2f} MB/s on one core "
        f"({facts} merged facts); peak resident set grew {rss_growth:.0f} MB"
    )
    del result
    tracemalloc.start()
    extract_document(big, source="bench")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"one input: Python heap peak while extracting {peak / 2**20:.0f} MB ({peak / 2**20 / size:.1f}× the input)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
