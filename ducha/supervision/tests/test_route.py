"""The round planner's route: the picked projects in driving order, with distances and arrival times."""

from datetime import time
from types import SimpleNamespace

import pytest

from ducha.lib.geo import haversine_km
from ducha.supervision import route
from ducha.supervision.route import Stop, planned_stops, route_legs, route_order


def _line(xs):
    """Stops on one parallel, keyed 1… in the order given, at the given hundredths of a degree east of 119."""
    return [Stop(key, 119 + x / 100, 31.7) for key, x in enumerate(xs, start=1)]


def test_stops_on_a_road_are_visited_along_it_whatever_the_order_they_were_picked_in():
    stops = _line([5, 1, 4, 2, 3])  # picked out of order
    order = [stop.key for stop in route_order(stops)]
    assert order in ([2, 4, 5, 3, 1], [1, 3, 5, 4, 2])  # west to east or east to west
    assert order == [1, 3, 5, 4, 2]  # equal lengths: the order with the lower keys first


def test_the_route_is_no_longer_than_any_other_order_of_a_small_set():
    import itertools

    stops = [
        Stop(1, 119.50, 31.70),
        Stop(2, 119.60, 31.80),
        Stop(3, 119.52, 31.78),
        Stop(4, 119.61, 31.71),
        Stop(5, 119.55, 31.75),
    ]

    def length(order):
        return sum(haversine_km((a.lon, a.lat), (b.lon, b.lat)) for a, b in itertools.pairwise(order))

    best = min(length(p) for p in itertools.permutations(stops))
    assert length(route_order(stops)) == pytest.approx(best, rel=1e-9)


def test_a_start_point_is_left_from_and_not_visited():
    stops = _line([1, 2, 3])
    east = Stop(0, 119.10, 31.7)
    assert [s.key for s in route_order(stops, start=east)] == [3, 2, 1]


def test_legs_give_distance_drive_and_arrival_with_the_stay_at_each_project():
    stops = _line([0, 10])  # 0.1° of longitude apart at 31.7° N: about 9.5 km
    legs = route_legs(route_order(stops), departure=time(14, 0), stay_minutes=20)
    assert legs[0].km == 0 and legs[0].arrival == time(14, 0)
    km = haversine_km((119.0, 31.7), (119.1, 31.7))
    assert legs[1].km == round(km, 1)
    assert legs[1].minutes == round(km * route.ROAD_FACTOR / route.SPEED_KMH * 60)
    assert legs[1].arrival.hour == 14 and legs[1].arrival.minute == 20 + legs[1].minutes


def test_without_a_departure_there_are_no_arrival_times():
    assert all(leg.arrival is None for leg in route_legs(_line([1, 2]), departure=None))


def test_projects_without_a_location_come_last_in_the_order_picked():
    placed = [
        SimpleNamespace(pk=k, longitude=119 + x / 100, latitude=31.7) for k, x in ((1, 3), (2, 1), (3, 2))
    ]
    unplaced = [
        SimpleNamespace(pk=9, longitude=None, latitude=None),
        SimpleNamespace(pk=8, longitude=None, latitude=None),
    ]
    stops = planned_stops([unplaced[0], *placed, unplaced[1]], departure=None)
    assert [p.pk for p, _leg in stops] == [1, 3, 2, 9, 8]
    assert [leg is None for _p, leg in stops] == [False, False, False, True, True]


def test_a_round_has_at_most_max_stops():
    with pytest.raises(ValueError):
        route_order(_line(range(route.MAX_STOPS + 1)))
