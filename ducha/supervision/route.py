"""A round's route: the picked projects in the order that drives the least, with distances and times.

Pure: points in, order out. Distances are great-circle distances between the projects' points (no road network
ships with ducha); the drive time assumes roads ROAD_FACTOR longer than the straight line at SPEED_KMH.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ducha.lib.geo import haversine_km

ROAD_FACTOR = 1.3  # roads are about this much longer than the straight line between two sites in a county
SPEED_KMH = 40  # an official car between sites, towns and parks included
STAY_MINUTES = 20  # the seeds' rounds see 6–9 projects in an afternoon
MAX_STOPS = 30


@dataclass(frozen=True)
class Stop:
    key: int  # the project's id
    lon: float
    lat: float


@dataclass(frozen=True)
class Leg:
    key: int
    km: float  # straight-line distance from the previous stop (0 for the first)
    minutes: int  # estimated drive from the previous stop
    arrival: time | None  # with a start time: drive and the stays before it added up


def drive_minutes(km: float) -> int:
    return round(km * ROAD_FACTOR / SPEED_KMH * 60)


def _length(order: Sequence[Stop]) -> float:
    return sum(haversine_km((a.lon, a.lat), (b.lon, b.lat)) for a, b in itertools.pairwise(order))


def _nearest_neighbour(first: Stop, rest: list[Stop]) -> list[Stop]:
    order, left = [first], list(rest)
    while left:
        here = order[-1]
        nearest = min(left, key=lambda s: (haversine_km((here.lon, here.lat), (s.lon, s.lat)), s.key))
        left.remove(nearest)
        order.append(nearest)
    return order


def _two_opt(order: list[Stop], *, fixed_start: bool) -> list[Stop]:
    """Reverse any stretch of the path that makes it shorter, until none does (an open path)."""
    best, improved = order, True
    while improved:
        improved = False
        for i in range(1 if fixed_start else 0, len(best) - 1):
            for j in range(i + 1, len(best)):
                candidate = best[:i] + best[i : j + 1][::-1] + best[j + 1 :]
                if _length(candidate) < _length(best) - 1e-9:
                    best, improved = candidate, True
    return best


def route_order(stops: Sequence[Stop], *, start: Stop | None = None) -> list[Stop]:
    """The stops in driving order. From `start` (the assembly point, not itself a stop) when given; else from
    whichever end makes the whole path shortest. Deterministic: ties go to the lower key."""
    if len(stops) > MAX_STOPS:
        raise ValueError(f"at most {MAX_STOPS} stops")
    stops = sorted(stops, key=lambda s: s.key)
    if len(stops) < 3 and start is None:
        return list(stops)
    if start is not None:
        path = _two_opt(_nearest_neighbour(start, stops), fixed_start=True)
        return path[1:]
    candidates = (
        _two_opt(_nearest_neighbour(first, [s for s in stops if s is not first]), fixed_start=False)
        for first in stops
    )
    return min(candidates, key=lambda path: (round(_length(path), 9), [s.key for s in path]))


def route_legs(
    order: Sequence[Stop],
    *,
    start: Stop | None = None,
    departure: time | None = None,
    stay_minutes: int = STAY_MINUTES,
) -> list[Leg]:
    """Each stop with the distance and drive from the one before (from `start` for the first) and, given a
    departure time, the arrival time."""
    legs: list[Leg] = []
    clock = datetime.combine(date(2000, 1, 1), departure) if departure else None
    previous = start
    for index, stop in enumerate(order):
        km = haversine_km((previous.lon, previous.lat), (stop.lon, stop.lat)) if previous else 0.0
        minutes = drive_minutes(km)
        if clock is not None:
            clock += timedelta(minutes=minutes + (stay_minutes if index else 0))
        legs.append(
            Leg(key=stop.key, km=round(km, 1), minutes=minutes, arrival=clock.time() if clock else None)
        )
        previous = stop
    return legs


def planned_stops(
    projects: Sequence, *, departure: time | None, stay_minutes: int = STAY_MINUTES
) -> list[tuple]:
    """(project, leg) in route order for projects (anything with pk, longitude and latitude); those without
    a location follow in the order given, with no leg."""
    placed = [p for p in projects if p.longitude is not None]
    order = route_order([Stop(p.pk, float(p.longitude), float(p.latitude)) for p in placed])
    legs = route_legs(order, departure=departure, stay_minutes=stay_minutes)
    by_id = {p.pk: p for p in placed}
    return [(by_id[leg.key], leg) for leg in legs] + [(p, None) for p in projects if p.longitude is None]
