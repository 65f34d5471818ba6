"""Pure geometry on longitude/latitude pairs: the GCJ-02 datum of Chinese map services, distances, and
points in polygons (as GeoJSON writes them: `[lon, lat]`, rings closed, the first ring the outline).

ducha stores WGS-84 (what GPS receivers and OpenStreetMap-based tile servers use). Coordinates read off
Amap/Tencent maps, or bought from them, are GCJ-02: WGS-84 shifted by a published obfuscation formula by
a few hundred metres inside mainland China (and not at all outside it).
"""

import math
from collections.abc import Iterable, Sequence

Point = tuple[float, float]  # (lon, lat) in degrees
Ring = Sequence[Sequence[float]]

EARTH_RADIUS_KM = 6371.0  # mean radius (IUGG)

# The parameters of the GCJ-02 formula: the Krasovsky 1940 ellipsoid's semi-major axis and eccentricity².
_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lon: float, lat: float) -> bool:
    """Outside the rough box in which GCJ-02 shifts coordinates (the formula leaves the rest unchanged)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _shift(lon: float, lat: float) -> Point:
    """GCJ-02's offset (dlon, dlat) in degrees at the WGS-84 point (lon, lat)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = dlon * 180.0 / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> Point:
    """The GCJ-02 coordinates of a WGS-84 point (the published forward formula)."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _shift(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> Point:
    """The WGS-84 coordinates of a GCJ-02 point.

    The formula has no closed inverse; the usual one-step inverse (subtract the offset computed at the GCJ-02
    point) is off by up to a few metres, so it is refined by fixed-point iteration until the forward formula
    gives back the input to 1e-10° (well under a millimetre), which takes a handful of steps.
    """
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = glon - lon, glat - lat
        if abs(elon) < 1e-10 and abs(elat) < 1e-10:
            break
        wlon, wlat = wlon - elon, wlat - elat
    return wlon, wlat


def haversine_km(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance in km between two (lon, lat) points on a sphere of the Earth's mean radius."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting: does a ray from the point towards +lon cross the ring an odd number of times."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygons_of(geometry: dict) -> list:
    """A GeoJSON Polygon's or MultiPolygon's polygons, each a list of rings (outline first, then holes)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not an area: {geometry['type']}")


def point_in_geometry(point: Sequence[float], geometry: dict) -> bool:
    """Is the (lon, lat) point inside a GeoJSON Polygon or MultiPolygon (inside an outline, outside its holes)."""
    lon, lat = point[0], point[1]
    for rings in polygons_of(geometry):
        if _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON Polygon or MultiPolygon."""
    xs: list[float] = []
    ys: list[float] = []
    for rings in polygons_of(geometry):
        for x, y, *_ in rings[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def ring_area(ring: Iterable[Sequence[float]]) -> float:
    """The signed planar area of a ring in square degrees (shoelace formula; positive when anticlockwise)."""
    points = list(ring)
    return (
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1, *_), (x2, y2, *_) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )
