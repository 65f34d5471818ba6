"""The project map (issue 15): a project's location from the form and the API, the map page and its points in
the user's scope, and the cockpit's map of red and yellow projects."""

from decimal import Decimal

import pytest

from ducha.api.tests.test_conditional import send
from ducha.lib.geo import gcj02_to_wgs84, wgs84_to_gcj02
from ducha.projects.models import PeriodFigures, Project
from ducha.projects.tests.factories import make_project
from ducha.projects.tests.test_views import _form_data

pytestmark = pytest.mark.django_db


def _placed(unit, name, lon, lat, light=None) -> Project:
    project = make_project(unit, name, longitude=Decimal(str(lon)), latitude=Decimal(str(lat)))
    if light:  # as the rules would have lit it (stored for every month, as the light filter reads it)
        Project.objects.filter(pk=project.pk).update(light=light)
        PeriodFigures.objects.filter(project=project).update(light=light)
    return project


@pytest.fixture
def placed(units):
    return {
        "park": _placed(units["park"], "金科园项目", 119.57, 31.74, light="red"),
        "other": _placed(units["other_park"], "华科园项目", 119.52, 31.70, light="yellow"),
        "town": _placed(units["town"], "金城镇项目", 119.60, 31.75, light="green"),
        "unplaced": make_project(units["park"], "未定位项目"),
    }


def test_the_map_page_draws_from_the_apps_own_assets(client_for, park_user, placed):
    response = client_for(park_user).get("/projects/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-map="map-config"' in html and "/static/vendor/leaflet-1.9.4/leaflet.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_a_park_user_gets_only_its_units_points(client_for, park_user, placed):
    data = client_for(park_user).get("/projects/map/points.json?counted=1").json()
    assert [p["name"] for p in data["points"]] == ["金科园项目"]
    assert data["points"][0]["light"] == "red" and data["points"][0]["unit"] == "金坛区金科园"
    assert (data["total"], data["placed"], data["truncated"]) == (2, 1, False)


def test_the_office_gets_every_placed_project_and_can_ask_for_several_lights(client_for, office, placed):
    client = client_for(office)
    every = client.get("/projects/map/points.json").json()
    assert {p["name"] for p in every["points"]} == {"金科园项目", "华科园项目", "金城镇项目"}
    warned = client.get("/projects/map/points.json?light=red&light=yellow").json()
    assert {p["name"] for p in warned["points"]} == {"金科园项目", "华科园项目"}
    one = client.get("/projects/map/points.json?light=green").json()
    assert [p["name"] for p in one["points"]] == ["金城镇项目"]


def test_a_map_shows_the_largest_projects_when_more_are_placed_than_it_may_show(
    client_for, office, placed, settings
):
    settings.DUCHA_MAP_MAX_POINTS = 2
    data = client_for(office).get("/projects/map/points.json?counted=1").json()
    assert len(data["points"]) == 2 and data["truncated"] and data["placed"] == 3


def test_the_points_take_the_same_queries_for_three_projects_as_for_thirty(
    client_for, office, units, django_assert_num_queries
):
    client = client_for(office)
    for i in range(3):
        _placed(units["park"], f"项目{i}", 119.5 + i / 100, 31.7)
    client.get("/projects/map/points.json")  # warm the session and the stored-years cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/projects/map/points.json")
    for i in range(3, 30):
        _placed(units["town"], f"项目{i}", 119.5 + i / 100, 31.7)
    with django_assert_num_queries(len(few)):
        assert len(client.get("/projects/map/points.json").json()["points"]) == 30


def test_the_form_stores_a_point_read_off_amap_as_wgs84(client_for, office, units):
    lon, lat = wgs84_to_gcj02(119.57, 31.74)
    response = client_for(office).post(
        "/projects/new/",
        _form_data(
            units["park"],
            longitude=f"{lon:.6f}",
            latitude=f"{lat:.6f}",
            coordinate_system="gcj02",
            address="金坛区金城镇南环二路",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="新项目")
    assert abs(float(project.longitude) - 119.57) < 1e-5 and abs(float(project.latitude) - 31.74) < 1e-5
    assert project.address == "金坛区金城镇南环二路"


def test_the_form_keeps_wgs84_as_typed(client_for, office, units):
    client_for(office).post(
        "/projects/new/", _form_data(units["park"], longitude="119.570001", latitude="31.740002")
    )
    project = Project.objects.get(name="新项目")
    assert (project.longitude, project.latitude) == (Decimal("119.570001"), Decimal("31.740002"))


def test_the_form_refuses_one_coordinate_without_the_other(client_for, office, units):
    response = client_for(office).post("/projects/new/", _form_data(units["park"], longitude="119.57"))
    assert response.status_code == 200
    assert "经度和纬度" in response.content.decode()
    assert not Project.objects.filter(name="新项目").exists()


def test_the_api_reads_and_writes_the_location(client, park_user, placed):
    project = placed["unplaced"]
    etag = client.get(f"/api/projects/{project.pk}", **_bearer(park_user))["ETag"]
    lon, lat = wgs84_to_gcj02(119.58, 31.73)
    response = send(
        client,
        "patch",
        f"/api/projects/{project.pk}",
        {"longitude": lon, "latitude": lat, "coordinate_system": "gcj02", "address": "金科园"},
        user=park_user,
        if_match=etag,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert abs(float(body["longitude"]) - 119.58) < 1e-5 and abs(float(body["latitude"]) - 31.73) < 1e-5
    assert body["address"] == "金科园"
    back = gcj02_to_wgs84(lon, lat)
    assert abs(back[0] - 119.58) < 1e-5


def test_the_api_refuses_one_coordinate_without_the_other(client, park_user, placed):
    project = placed["unplaced"]
    etag = client.get(f"/api/projects/{project.pk}", **_bearer(park_user))["ETag"]
    response = send(
        client, "patch", f"/api/projects/{project.pk}", {"longitude": 119.5}, user=park_user, if_match=etag
    )
    assert response.status_code == 422
    project.refresh_from_db()
    assert project.longitude is None


def test_the_cockpit_maps_the_red_and_yellow_projects(client_for, office, placed):
    html = client_for(office).get("/").content.decode()
    assert 'id="cockpit-map"' in html
    assert "/projects/map/points.json?light=red&amp;light=yellow" in html


def _bearer(user):
    from ducha.api.tests.test_api import bearer

    return bearer(user)


# Province scale (issue 13): at most DUCHA_MAP_MAX_POINTS points, the largest of the map's view (?bbox=), and
# counts that stop at twice that.


def _points(client, query=""):
    response = client.get(f"/projects/map/points.json{query}")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def spread(units):
    """Twelve projects on a line of longitudes 119.00 … 119.11 at latitude 31.7, the larger the further east,
    lit red, yellow and green in turn; and one not placed."""
    lights = ["red", "yellow", "green"]
    made = [
        _placed(units["park"], f"项目{i:02d}", 119 + i / 100, 31.7, light=lights[i % 3]) for i in range(12)
    ]
    for i, project in enumerate(made):
        Project.objects.filter(pk=project.pk).update(total_investment=Decimal(1000 + i))
        PeriodFigures.objects.filter(project=project).update(total_investment=Decimal(1000 + i))
    make_project(units["park"], "未定位项目", total_investment=Decimal(99999))
    return made


def test_the_points_are_read_from_the_months_stored_figures(spread):
    # The light filter walks the stored month's rows of each light: the tests below go that way.
    assert PeriodFigures.objects.filter(project=spread[0], light="red").exists()


def test_the_points_of_a_box_are_the_largest_in_it_with_how_many_it_holds(
    client_for, office, spread, settings
):
    settings.DUCHA_MAP_MAX_POINTS = 3
    client = client_for(office)
    data = _points(client, "?bbox=119.015,31.6,119.075,31.8&counted=1")  # 项目02 … 项目07
    assert [p["name"] for p in data["points"]] == ["项目07", "项目06", "项目05"]
    assert data["truncated"] and data["in_view"] == 6 and data["total"] is None and data["placed"] is None
    zoomed = _points(client, "?bbox=119.015,31.6,119.035,31.8&counted=1")
    assert [p["name"] for p in zoomed["points"]] == ["项目03", "项目02"]
    assert (zoomed["truncated"], zoomed["in_view"]) == (False, 2)


def test_the_points_of_a_box_of_some_lights(client_for, office, spread):
    data = _points(client_for(office), "?light=red&light=yellow&bbox=119.015,31.6,119.075,31.8")
    assert [(p["name"], p["light"]) for p in data["points"]] == [
        ("项目07", "yellow"),
        ("项目06", "red"),
        ("项目04", "yellow"),
        ("项目03", "red"),
    ]


def test_the_whole_map_counts_up_to_twice_the_points_it_shows(client_for, office, spread, settings):
    settings.DUCHA_MAP_MAX_POINTS = 5
    data = _points(client_for(office), "?counted=1")
    assert [p["name"] for p in data["points"]] == ["项目11", "项目10", "项目09", "项目08", "项目07"]
    # 13 projects: more than 10 counted; how many of them are placed is not known from the 11 read.
    assert (data["total"], data["placed"], data["counted_up_to"]) == (11, None, 10)
    settings.DUCHA_MAP_MAX_POINTS = 7
    data = _points(client_for(office), "?counted=1")
    assert (data["total"], data["placed"], data["in_view"], data["truncated"]) == (13, 12, 12, True)
    warned = _points(client_for(office), "?counted=1&light=red&light=yellow")
    assert [p["name"] for p in warned["points"]] == [
        "项目10",
        "项目09",
        "项目07",
        "项目06",
        "项目04",
        "项目03",
        "项目01",
    ]
    assert (warned["total"], warned["placed"], warned["truncated"]) == (8, 8, True)


def test_only_a_page_that_shows_counts_gets_them(client_for, office, spread):
    data = _points(client_for(office), "?light=red&light=yellow")
    assert len(data["points"]) == 8 and not data["truncated"]
    assert (data["total"], data["placed"], data["in_view"]) == (None, None, None)


@pytest.mark.parametrize("bbox", ["", "119,31", "a,b,c,d", "119.1,31.6,119.0,31.8", "nan,31,120,32"])
def test_a_box_that_is_not_one_means_the_whole_map(client_for, office, spread, bbox):
    assert len(_points(client_for(office), f"?bbox={bbox}")["points"]) == 12


def test_a_box_over_the_edge_of_the_world_is_clamped(client_for, office, spread):
    assert len(_points(client_for(office), "?bbox=-540,-100,540,100")["points"]) == 12


@pytest.mark.parametrize("few", [True, False], ids=["zoomed-in", "zoomed-out"])
def test_both_plans_of_a_box_give_the_same_points(client_for, office, spread, monkeypatch, few, settings):
    """SQLite reads a box holding few projects by the location index and walks the investment index for one
    holding many: the same points either way (PostgreSQL chooses for itself)."""
    from ducha.projects import selectors

    monkeypatch.setattr(selectors, "_FEW_IN_BOX", 1000 if few else 1)
    settings.DUCHA_MAP_MAX_POINTS = 2
    client = client_for(office)
    assert [p["name"] for p in _points(client, "?bbox=119.015,31.6,119.075,31.8")["points"]] == [
        "项目07",
        "项目06",
    ]
    warned = _points(client, "?bbox=119.015,31.6,119.075,31.8&light=red&light=green&counted=1")
    assert [p["name"] for p in warned["points"]] == ["项目06", "项目05"]
    assert warned["in_view"] == 4


@pytest.mark.parametrize("query", ["?counted=1", "?light=red&light=yellow&counted=1&bbox=119,31,120,32"])
def test_a_view_takes_the_same_queries_for_three_projects_as_for_thirty(
    client_for, office, units, django_assert_num_queries, settings, query
):
    settings.DUCHA_MAP_MAX_POINTS = 2  # more in view than shown, counted, with three as with thirty
    client = client_for(office)
    for i in range(3):
        _placed(units["park"], f"项目{i}", 119.5 + i / 100, 31.7, light="red")
    _points(client, query)  # warm the session and the stored-years cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _points(client, query)
    for i in range(3, 30):
        _placed(units["town"], f"项目{i}", 119.5 + i / 100, 31.7, light=["red", "yellow"][i % 2])
    with django_assert_num_queries(len(few)):
        assert len(_points(client, query)["points"]) == 2
