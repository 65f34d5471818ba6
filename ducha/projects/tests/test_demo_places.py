"""Every demo project gets a point inside its county (ducha.projects.demo_places)."""

import pytest

from ducha.lib.geo import haversine_km, point_in_geometry
from ducha.projects import demo_places
from ducha.projects.demo_city import DISTRICTS
from ducha.projects.demo_places import PLACES, demo_location
from ducha.projects.models import Project
from ducha.regions.boundaries import outline
from ducha.regions.demo import JINTAN
from ducha.units.demo import seed_data


@pytest.fixture(scope="module")
def demo_projects(demo_loaded, django_db_blocker):
    """The demo loaded once, inside a transaction rolled back afterwards; its projects with unit and region."""
    with django_db_blocker.unblock():
        return list(Project.objects.select_related("unit__region"))


@pytest.mark.django_db
def test_every_demo_project_lands_inside_its_county_near_its_unit(demo_projects):
    assert len(demo_projects) > 100
    points = set()
    for project in demo_projects:
        region = project.unit.region
        lon, lat, address = demo_location(project.name, project.unit)
        assert point_in_geometry((lon, lat), outline(region.code)), project.name
        place = PLACES[region.code][project.unit.name]  # every demo project's unit is placed by hand
        assert haversine_km((lon, lat), (place.lon, place.lat)) <= place.radius_km + 0.01, project.name
        assert address == f"常州市{region.name}{place.address}"
        points.add((lon, lat))
    assert len(points) == len(demo_projects)  # no two projects on one spot


@pytest.mark.django_db
def test_the_same_project_lands_on_the_same_point(demo_projects):
    project = demo_projects[0]
    by_instance = demo_location(project.name, project.unit)
    assert demo_location(project.name, project.unit) == by_instance
    assert demo_location(project.name, (project.unit.name, project.unit.region.code)) == by_instance


def _demo_areas():
    """(region code, unit name) of every town, street and park of the demo, from its own data."""
    areas = [(JINTAN, u["name"]) for u in seed_data()["units"] if u["kind"] != "department"]
    areas += [(d.code, name) for d in DISTRICTS for name, _short, kind in d.units if kind != "department"]
    return areas


def test_every_demo_area_has_a_place_inside_its_county():
    areas = _demo_areas()
    assert len(areas) == 24
    for code, name in areas:
        place = PLACES[code][name]
        assert point_in_geometry((place.lon, place.lat), outline(code)), name
    # No place for a unit the demo does not have.
    assert sum(len(places) for places in PLACES.values()) == len(areas)


@pytest.mark.parametrize(("code", "name"), _demo_areas())
def test_many_projects_of_one_unit_stay_inside(code, name):
    for i in range(40):
        lon, lat, _ = demo_location(f"项目{i}", (name, code))
        assert point_in_geometry((lon, lat), outline(code))


def test_a_unit_without_a_place_lands_anywhere_in_its_county():
    lon, lat, address = demo_location("区政务服务中心改造项目", ("区行政审批局", JINTAN))
    assert point_in_geometry((lon, lat), outline(JINTAN))
    assert address == "常州市金坛区"
    with pytest.raises(ValueError):
        demo_location("项目", ("某镇", "110101"))


def test_a_township_outline_is_used_when_there_is_one(monkeypatch):
    # A made-up township square inside 金坛区, as a future township layer would provide it.
    square = {
        "type": "Polygon",
        "coordinates": [
            [[119.48, 31.82], [119.50, 31.82], [119.50, 31.84], [119.48, 31.84], [119.48, 31.82]]
        ],
    }
    monkeypatch.setattr(demo_places, "township_for_unit", lambda unit: {"geometry": square})

    class Unit:  # what demo_location reads of a unit
        name = "直溪镇"

        class region:
            code = JINTAN

    for i in range(20):
        lon, lat, address = demo_location(f"项目{i}", Unit())
        assert point_in_geometry((lon, lat), square)
        assert address == "常州市金坛区直溪镇"
