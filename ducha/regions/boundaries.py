"""The bundled outlines of divisions (data/boundaries/, WGS-84; see its SOURCE.md), for maps that draw with no
tiles: a region's own outline and its direct children's, as GeoJSON ready for Leaflet.

The files are read once per process and kept in memory (江苏省 with its cities and counties is about 0.6 MB of
parsed JSON). The features handed out share their geometry with that cache: callers must not change them.
"""

import gzip
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ducha.units.models import Unit

    from .models import Region

BOUNDARIES_DIR = Path(__file__).resolve().parent / "data" / "boundaries"


@cache
def _features() -> dict[str, dict]:
    """Every bundled feature by division code."""
    features: dict[str, dict] = {}
    for path in sorted(BOUNDARIES_DIR.glob("*.geojson.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for feature in json.load(f)["features"]:
                features[feature["properties"]["code"]] = feature
    return features


@cache
def _children() -> dict[str, list[str]]:
    """The codes of the bundled features under each parent code, in code order."""
    children: dict[str, list[str]] = {}
    for code in sorted(_features()):
        children.setdefault(_features()[code]["properties"]["parent"], []).append(code)
    return children


def _with_role(feature: dict, role: str) -> dict:
    return {
        "type": "Feature",
        "properties": {**feature["properties"], "role": role},
        "geometry": feature["geometry"],
    }


def outline(code: str) -> dict | None:
    """The GeoJSON geometry (Polygon or MultiPolygon, WGS-84) of the division with this code, if bundled."""
    feature = _features().get(code)
    return feature["geometry"] if feature else None


def has_boundary(code: str) -> bool:
    return code in _features()


def properties(code: str) -> dict | None:
    """The bundled feature's properties (code, name, level, parent) of the division with this code, if any."""
    feature = _features().get(code)
    return dict(feature["properties"]) if feature else None


def region_geojson(region: "Region") -> dict:
    """A FeatureCollection of the region's outline (role "self") and its direct children's (role "child").

    Properties: code, name, level, parent, role. A region without bundled data, and the children without it
    (townships: none are bundled, see data/boundaries/SOURCE.md), are simply absent: a county's collection
    holds its own outline only, a region outside the bundled provinces an empty collection.
    """
    features = []
    own = _features().get(region.code)
    if own is not None:
        features.append(_with_role(own, "self"))
    features += [_with_role(_features()[code], "child") for code in _children().get(region.code, ())]
    return {"type": "FeatureCollection", "features": features}


def township_for_unit(unit: "Unit") -> dict | None:
    """The township feature of a town or street unit, matched by name among its region's townships.

    None for parks and departments, for units without a region, and whenever no township outlines are
    bundled for the unit's region — today for every region (see data/boundaries/SOURCE.md): a caller then
    places the unit by its county's outline.
    """
    from ducha.units.models import UnitKind

    if unit.kind not in (UnitKind.TOWN, UnitKind.STREET) or unit.region_id is None:
        return None
    for code in _children().get(unit.region.code, ()):
        feature = _features()[code]
        if feature["properties"]["level"] == "township" and feature["properties"]["name"] == unit.name:
            return _with_role(feature, "unit")
    return None
