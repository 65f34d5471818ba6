"""`ducha extract FILE... [--date YYYY-MM-DD]`: one JSON object per file, as JSON Lines."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from .extract import extract_document
from .text import ExtractionError, decode_bytes

# Reports larger than this are not news pages or 汇报材料; refuse rather than stall.
MAX_BYTES = 64 * 1024 * 1024


def parse_doc_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ExtractionError(f"--date must be YYYY-MM-DD, got {value!r}") from None


def extract_file(path: str, doc_date: date | None) -> dict:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise ExtractionError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        data = file.read_bytes()
    except OSError as error:
        raise ExtractionError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = decode_bytes(data)
    except ExtractionError as error:
        raise ExtractionError(f"{path}: {error}") from None
    return extract_document(text, source=path, doc_date=doc_date)


def run(paths: list[str], date: str | None, stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Write one JSON line per readable file; report the others on stderr. Exit status 0 when
    every file was extracted, 1 when some could not be read, 2 for a bad --date."""
    stderr = stderr or sys.stderr
    try:
        doc_date = parse_doc_date(date)
    except ExtractionError as error:
        print(f"ducha extract: error: {error}", file=stderr)
        return 2
    status = 0
    for path in paths:
        try:
            result = extract_file(path, doc_date)
        except ExtractionError as error:
            print(f"ducha extract: error: {error}", file=stderr)
            status = 1
            continue
        except Exception as error:  # a bug must not lose the other files' results
            print(f"ducha extract: error: {path}: internal error: {error!r}", file=stderr)
            status = 1
            continue
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ducha extract",
        description="Extract projects, indicators, people and events from text reports as JSON Lines.",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE")
    parser.add_argument("--date", help="the reports' date, YYYY-MM-DD (resolves 昨天, 12月18日)")
    args = parser.parse_args(argv)
    return run(args.paths, args.date, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
