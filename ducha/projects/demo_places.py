"""Where the demo's projects are: a plausible WGS-84 point and address for each, inside its unit's area.

    demo_location(project_name, unit) -> (lon, lat, address)

`unit` is a `ducha.units.models.Unit` (its name, kind and region are read) or a `(unit_name, region_code)`
pair such as `("直溪镇", "320413")`. The result is a pure function of the project's name, the unit's name and
its region: the same project always lands on the same point, whatever order the demo loads in.

How the point is chosen:

1. a town or street with a bundled township outline (`regions.boundaries.township_for_unit`): a point inside
   that outline. No township outlines are bundled today (see regions/data/boundaries/SOURCE.md), so:
2. a unit of the demo listed in PLACES: a point within `radius_km` of the unit's seat or of the park's
   location — approximate public-knowledge coordinates (to a kilometre or two, WGS-84), each with the reason
   it is there — and inside the county's bundled outline;
3. any other unit (a department, a unit added later): a point anywhere inside the county's outline.

Every point is checked against the county outline with a point-in-polygon test; a candidate outside is
replaced by the next one drawn from the same hash. The address names the county and the unit's town, street
or park, never a road or a number ("常州市金坛区直溪镇").
"""

import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ducha.lib.geo import bbox, point_in_geometry
from ducha.regions.boundaries import outline, properties, township_for_unit

if TYPE_CHECKING:
    from ducha.units.models import Unit

KM_PER_DEGREE = 111.195  # of latitude, on the mean sphere


@dataclass(frozen=True)
class Place:
    lon: float  # WGS-84, approximate (±1–2 km)
    lat: float
    radius_km: float  # how far from (lon, lat) its projects are spread
    address: str  # after the city and county: the town, street or park as addresses write it
    why: str  # where the location comes from


PLACES: dict[str, dict[str, Place]] = {
    "320413": {  # 金坛区
        "常州金坛经济开发区": Place(
            119.625,
            31.750,
            1.8,
            "金坛经济开发区",
            "the zone spreads east and north-east of the old town, towards 尧塘",
        ),
        "常州金坛华罗庚科技产业园": Place(
            119.600,
            31.705,
            1.5,
            "华罗庚科技产业园",
            "the high-tech park lies south-east of the old town, along 金坛大道",
        ),
        "常州金坛金城科技产业园": Place(
            119.545, 31.720, 1.5, "金城科技产业园", "金城镇's industrial park, south-west of the old town"
        ),
        "江苏茅山旅游度假区": Place(
            119.330,
            31.730,
            2.0,
            "茅山旅游度假区",
            "the resort covers 茅山's eastern slopes, in 薛埠镇's west",
        ),
        "江苏长荡湖旅游度假区": Place(
            119.600, 31.655, 1.5, "长荡湖旅游度假区", "the resort lines 长荡湖's north-eastern shore"
        ),
        "金城镇": Place(
            119.575, 31.725, 2.0, "金城镇", "the town around the district seat, south of the old town"
        ),
        "儒林镇": Place(119.495, 31.665, 2.5, "儒林镇", "south-west of the seat, north-west of 长荡湖"),
        "直溪镇": Place(119.495, 31.835, 2.5, "直溪镇", "north of the seat, towards 丹阳"),
        "朱林镇": Place(119.420, 31.800, 2.5, "朱林镇", "north-west of the seat, towards 句容"),
        "薛埠镇": Place(119.365, 31.705, 2.5, "薛埠镇", "west of the seat, at the foot of 茅山"),
        "指前镇": Place(119.600, 31.610, 2.5, "指前镇", "south of the seat, on 长荡湖's south-eastern shore"),
        "东城街道": Place(119.590, 31.745, 1.2, "东城街道", "the eastern half of the old town"),
        "西城街道": Place(119.555, 31.745, 1.2, "西城街道", "the western half of the old town"),
        "尧塘街道": Place(119.665, 31.760, 2.0, "尧塘街道", "east of the seat on the road to 常州"),
    },
    "320412": {  # 武进区
        "武进国家高新区": Place(
            119.935,
            31.675,
            2.0,
            "武进国家高新区",
            "the national high-tech zone lies south of 湖塘, around 淹城",
        ),
        "湖塘镇": Place(119.955, 31.705, 2.0, "湖塘镇", "the district seat, south of 常州's centre"),
        "遥观镇": Place(120.050, 31.740, 2.0, "遥观镇", "east of the city centre, south of 戚墅堰"),
        "横林镇": Place(120.085, 31.720, 2.0, "横林镇", "the district's east, towards 无锡"),
        "潞城街道": Place(
            120.045, 31.765, 1.2, "潞城街道", "the former 戚墅堰区, north-east of the city centre"
        ),
    },
    "320481": {  # 溧阳市
        "溧阳经济开发区": Place(119.515, 31.430, 1.8, "溧阳经济开发区", "east of the old town"),
        "溧城街道": Place(119.485, 31.420, 1.2, "溧城街道", "the old town, the city's seat"),
        "昆仑街道": Place(119.505, 31.445, 1.2, "昆仑街道", "the north-eastern new town"),
        "天目湖镇": Place(119.440, 31.330, 2.5, "天目湖镇", "south of the city, around 天目湖"),
        "社渚镇": Place(119.280, 31.420, 2.5, "社渚镇", "the city's west, towards 高淳"),
    },
}


def _draws(key: str):
    """An endless deterministic stream of pairs of numbers in [0, 1) from the key (SHA-256 in counter mode)."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{key}#{counter}".encode()).digest()
        yield int.from_bytes(digest[:8], "big") / 2**64, int.from_bytes(digest[8:16], "big") / 2**64
        counter += 1


def _near(place: Place, u: float, v: float) -> tuple[float, float]:
    """A point uniformly spread over the disc of `place.radius_km` around the place."""
    r = place.radius_km * math.sqrt(u)
    angle = 2 * math.pi * v
    dlat = r * math.sin(angle) / KM_PER_DEGREE
    dlon = r * math.cos(angle) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
    return place.lon + dlon, place.lat + dlat


def _inside(geometry: dict, key: str, candidates) -> tuple[float, float]:
    for _, (u, v) in zip(range(500), _draws(key), strict=False):
        point = candidates(u, v)
        if point_in_geometry(point, geometry):
            return round(point[0], 6), round(point[1], 6)
    raise ValueError(f"no point found inside the area for {key}")


def _in_area(geometry: dict, key: str) -> tuple[float, float]:
    west, south, east, north = bbox(geometry)
    return _inside(geometry, key, lambda u, v: (west + u * (east - west), south + v * (north - south)))


def _unit_fields(unit: "Unit | tuple[str, str]") -> tuple[str, str, "Unit | None"]:
    if isinstance(unit, tuple):
        return unit[0], unit[1], None
    return unit.name, unit.region.code, unit


def demo_location(project_name: str, unit: "Unit | tuple[str, str]") -> tuple[float, float, str]:
    """(lon, lat, address) of a demo project: WGS-84, inside its unit's county outline (see the module)."""
    unit_name, region_code, instance = _unit_fields(unit)
    county_area, county = outline(region_code), properties(region_code)
    if county_area is None or county is None:
        raise ValueError(f"no bundled outline for region {region_code}")
    city = properties(county["parent"]) if county["level"] == "county" else None
    prefix = f"{city['name'] if city else ''}{county['name']}"
    key = f"{region_code}/{unit_name}/{project_name}"
    township = township_for_unit(instance) if instance is not None else None
    place = PLACES.get(region_code, {}).get(unit_name)
    if township is not None:
        lon, lat = _in_area(township["geometry"], key)
        address = unit_name
    elif place is not None:
        lon, lat = _inside(county_area, key, lambda u, v: _near(place, u, v))
        address = place.address
    else:
        lon, lat = _in_area(county_area, key)
        address = ""
    return lon, lat, f"{prefix}{address}"
