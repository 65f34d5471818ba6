import pytest

from ducha.lib.geo import (
    bbox,
    gcj02_to_wgs84,
    haversine_km,
    out_of_china,
    point_in_geometry,
    ring_area,
    wgs84_to_gcj02,
)

# The reference pair published with coordtransform (wandergis/coordtransform, test/app.js): the WGS-84 point
# (116.404, 39.915) in Beijing is (116.41024449916938, 39.91640428150164) in GCJ-02, and that library's one-step
# inverse of (116.404, 39.915) is (116.39775550083061, 39.91359571849836).
WGS = (116.404, 39.915)
GCJ = (116.41024449916938, 39.91640428150164)
ONE_STEP_INVERSE = (116.39775550083061, 39.91359571849836)


def test_forward_matches_the_published_pair():
    assert wgs84_to_gcj02(*WGS) == pytest.approx(GCJ, abs=1e-12)


def test_inverse_gives_back_the_published_wgs84_point():
    lon, lat = gcj02_to_wgs84(*GCJ)
    assert lon == pytest.approx(WGS[0], abs=1e-9)
    assert lat == pytest.approx(WGS[1], abs=1e-9)


def test_inverse_is_within_metres_of_the_published_one_step_inverse():
    # The one-step inverse is off by a few metres; the iterated one is closer to the truth but not far from it.
    lon, lat = gcj02_to_wgs84(*WGS)
    assert haversine_km((lon, lat), ONE_STEP_INVERSE) < 0.005
    assert wgs84_to_gcj02(lon, lat) == pytest.approx(WGS, abs=1e-9)


@pytest.mark.parametrize(
    "point", [(119.5657, 31.7232), (119.9741, 31.8112), (119.4843, 31.4167), (87.6, 43.8)]
)
def test_round_trip_and_size_of_the_shift(point):
    gcj = wgs84_to_gcj02(*point)
    # Inside China the shift is a few hundred metres, never zero and never kilometres.
    assert 0.05 < haversine_km(point, gcj) < 1.0
    assert gcj02_to_wgs84(*gcj) == pytest.approx(point, abs=1e-9)


def test_outside_china_is_unchanged():
    assert out_of_china(2.35, 48.85)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)


def test_haversine_against_the_published_example():
    # Rosetta Code's haversine task: Nashville BNA (36.12 N, 86.67 W) to Los Angeles LAX (33.94 N, 118.40 W)
    # is 2887.2599506071106 km on a sphere of radius 6372.8 km; the distance scales with the radius.
    expected = 2887.2599506071106 * 6371.0 / 6372.8
    assert haversine_km((-86.67, 36.12), (-118.40, 33.94)) == pytest.approx(expected, rel=1e-12)


def test_haversine_basics():
    assert haversine_km((119.5, 31.7), (119.5, 31.7)) == 0
    # One degree of latitude is 111.19 km on the mean sphere.
    assert haversine_km((119.5, 31.0), (119.5, 32.0)) == pytest.approx(111.195, abs=0.001)
    assert haversine_km((0, 0), (180, 0)) == pytest.approx(20015.087, abs=0.001)


SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


@pytest.mark.parametrize(
    ("point", "inside"),
    [
        ((1, 1), True),
        ((9.9, 5), True),
        ((5, 5), False),
        ((11, 5), False),
        ((-0.1, 5), False),
        ((5, 10.5), False),
    ],
)
def test_point_in_polygon_with_a_hole(point, inside):
    assert point_in_geometry(point, SQUARE_WITH_HOLE) is inside


def test_point_in_multipolygon_and_concave_outline():
    # An L-shaped outline and a separate island.
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [4, 0], [4, 1], [1, 1], [1, 4], [0, 4], [0, 0]]],
            [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]],
        ],
    }
    assert point_in_geometry((0.5, 3), multi)
    assert point_in_geometry((3, 0.5), multi)
    assert not point_in_geometry((3, 3), multi)  # in the L's notch
    assert point_in_geometry((10.5, 10.5), multi)
    assert not point_in_geometry((7, 7), multi)
    assert bbox(multi) == (0, 0, 11, 11)


def test_ring_area_sign():
    ring = SQUARE_WITH_HOLE["coordinates"][0]
    assert ring_area(ring) == 100
    assert ring_area(list(reversed(ring))) == -100
