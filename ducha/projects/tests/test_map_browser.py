"""The project map in Chromium on the demo (issue 15): every project drawn in its light's colour with nothing
fetched from outside the app, at office and phone widths; a park user's map holds its own projects and a point
opens its project; a round made from five points on the map visits them in route order."""

import re

import pytest

from ducha.accounts.models import User
from ducha.core.tests.test_layout_browser import DESKTOP, PASSWORD, PHONE, demo  # noqa: F401  (fixture)
from ducha.projects.models import PeriodFigures, Project
from ducha.projects.selectors import light_labels
from ducha.supervision.models import SupervisionRound
from ducha.supervision.route import Stop, route_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the map holds once drawn: every marker of the cluster group with its light and colour, and what the
# screen shows (the numbers on the clusters and the single points).
_DRAWN = """el => {
  const map = el.duchaMap; const markers = [];
  map.eachLayer(layer => { if (layer.getAllChildMarkers) layer.getAllChildMarkers().forEach(m => markers.push(m)); });
  const group = []; map.eachLayer(layer => { if (layer._featureGroup && layer.getLayers) group.push(layer); });
  const all = group.length ? group[0].getLayers() : [];
  return {
    points: all.map(m => ({id: m.point.id, light: m.point.light, colour: m.options.fillColor})),
    clustered: [...el.querySelectorAll('.ducha-cluster span')].reduce((n, s) => n + Number(s.textContent), 0),
    single: el.querySelectorAll('path.ducha-point').length,
  };
}"""


def _sign_in(page, username):
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _open_map(page, path, selector):
    page.goto(page.base_url + path)
    page.wait_for_selector(f"{selector}[data-map-ready]")
    page.wait_for_timeout(800)  # the clusters of the first view fade out (markercluster's animation)
    return page.query_selector(selector)


def _visible_points(page, container, count, apart=24):
    """Up to `count` single points inside the map's box, at least `apart` px from each other."""
    box = container.bounding_box()
    chosen = []
    for path in page.query_selector_all("path.ducha-point"):
        b = path.bounding_box()
        if not b:
            continue
        x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        inside = (
            box["x"] + 10 < x < box["x"] + box["width"] - 10
            and box["y"] + 10 < y < box["y"] + box["height"] - 10
        )
        if inside and all(abs(x - cx) + abs(y - cy) > apart for cx, cy in chosen):
            chosen.append((x, y))
        if len(chosen) == count:
            break
    return chosen


def test_the_map_of_the_demo_offline_scoped_and_planning_a_round(demo, browser_page):  # noqa: F811
    page = browser_page
    outside = []
    page.on(
        "request", lambda r: None if r.url.startswith((page.base_url, "data:")) else outside.append(r.url)
    )
    colours = {light: spec["colour"] for light, spec in light_labels().items()}
    jintan = Project.objects.filter(unit__region__code="320413")
    lights = dict(
        PeriodFigures.objects.filter(project__in=jintan, year=2020, month=11).values_list(
            "project_id", "light"
        )
    )
    assert len(lights) == jintan.count() == 149

    # The district's office: all 149 projects, each in its light's colour, at an office screen and a phone.
    _sign_in(page, "office")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        drawn = page.evaluate(_DRAWN, _open_map(page, "/projects/map/", "#project-map"))
        assert {p["id"]: p["light"] for p in drawn["points"]} == lights
        assert all(p["colour"] == colours[p["light"]] for p in drawn["points"])
        assert drawn["clustered"] + drawn["single"] == 149, viewport
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the map page scrolls sideways at {viewport['width']} px"
    assert outside == []

    # A park's staff: the park's projects only; a point's card opens the project.
    park = User.objects.get(username="jinkeyuan").unit
    own = set(Project.objects.filter(unit=park).values_list("pk", flat=True))
    _sign_in(page, "jinkeyuan")
    page.set_viewport_size(DESKTOP)
    container = _open_map(page, "/projects/map/", "#project-map")
    drawn = page.evaluate(_DRAWN, container)
    assert {p["id"] for p in drawn["points"]} == own
    first = drawn["points"][0]["id"]
    page.evaluate(
        """([el, id]) => { let m; el.duchaMap.eachLayer(l => { if (l.point && l.point.id === id) m = l; });
           if (!m) el.duchaMap.eachLayer(l => { if (l.getLayers) l.getLayers().forEach(x => { if (x.point && x.point.id === id) m = x; }); });
           el.duchaMap.setView(m.getLatLng(), 18, {animate: false}); }""",
        [container, first],
    )
    page.wait_for_timeout(500)
    x, y = _visible_points(page, container, 1)[0]
    page.mouse.click(x, y)
    page.click(".ducha-map-card a")
    page.wait_for_load_state("networkidle")
    opened = int(re.search(r"/projects/(\d+)/$", page.url).group(1))
    assert opened in own

    # The round planner: five points clicked on the map, ordered into a route, made into a round.
    _sign_in(page, "office")
    container = _open_map(page, "/supervision/rounds/plan/", "#plan-map")
    busiest = Project.objects.filter(unit__name="常州金坛经济开发区").first()
    page.evaluate(
        "([el, lat, lon]) => el.duchaMap.setView([lat, lon], 15, {animate: false})",
        [container, float(busiest.latitude), float(busiest.longitude)],
    )
    page.wait_for_timeout(500)
    for x, y in _visible_points(page, container, 5):
        page.mouse.click(x, y)
    picked = [
        int(v)
        for v in page.eval_on_selector_all("input[name=projects]:checked", "els => els.map(e => e.value)")
    ]
    assert len(set(picked)) == 5
    page.click("button[name=action][value=route]")
    page.wait_for_load_state("networkidle")
    routed = [
        int(v)
        for v in page.eval_on_selector_all(
            "#route-table tr[data-project]", "rows => rows.map(r => r.dataset.project)"
        )
    ]
    placed = Project.objects.filter(pk__in=picked)
    expected = [
        s.key for s in route_order([Stop(p.pk, float(p.longitude), float(p.latitude)) for p in placed])
    ]
    assert routed == expected
    page.fill("#id_leaders", "狄志强、沈东")
    page.click("button[name=action][value=create]")
    page.wait_for_load_state("networkidle")
    assert "/itinerary/" in page.url
    made = SupervisionRound.objects.latest("pk")
    assert list(made.visits.order_by("order").values_list("project_id", flat=True)) == expected
    names = page.eval_on_selector_all("tbody tr td:nth-child(3)", "cells => cells.map(c => c.textContent)")
    assert names == [Project.objects.get(pk=pk).name for pk in expected]
    assert outside == []


def _drawn_after_answer(page, container, projects, answer: int):
    """Once the map has drawn its `answer`-th answer for a view: `projects` inside the view, and what it drew."""
    page.wait_for_selector(f"#project-map[data-map-loaded='{answer}']")
    page.wait_for_timeout(800)
    west, south, east, north = (
        float(v) for v in page.evaluate("el => el.duchaMap.getBounds().toBBoxString()", container).split(",")
    )
    in_view = projects.filter(longitude__range=(west, east), latitude__range=(south, north))
    return in_view, page.evaluate(_DRAWN, container)


def test_a_map_of_more_projects_than_it_draws_shows_the_largest_in_view(demo, browser_page, settings):  # noqa: F811
    """Province scale (issue 13): the map draws the largest DUCHA_MAP_MAX_POINTS and, zoomed in, asks for the
    largest in its view; the line under it says how many there are and that zooming in shows more."""
    settings.DUCHA_MAP_MAX_POINTS = 20
    page = browser_page
    _sign_in(page, "office")
    page.set_viewport_size(DESKTOP)
    jintan = Project.objects.filter(unit__region__code="320413", longitude__isnull=False)
    container = _open_map(page, "/projects/map/", "#project-map")
    # The first answer holds the largest 20 of all; the map then asks at once for the largest in its first view.
    in_view, drawn = _drawn_after_answer(page, container, jintan, 1)
    largest = list(in_view.order_by("-total_investment", "name").values_list("pk", flat=True)[:20])
    assert {p["id"] for p in drawn["points"]} == set(largest)
    # 149 projects: counted up to 40.
    assert page.text_content("#map-summary").startswith("共40多个项目。 显示视野内投资额最大的20个，共40多个")

    busiest = jintan.filter(unit__name="常州金坛经济开发区").first()
    page.evaluate(
        "([el, lat, lon]) => el.duchaMap.setView([lat, lon], 14, {animate: false})",
        [container, float(busiest.latitude), float(busiest.longitude)],
    )
    in_view, drawn = _drawn_after_answer(page, container, jintan, 2)
    expected = list(in_view.order_by("-total_investment", "name").values_list("pk", flat=True)[:20])
    assert expected and {p["id"] for p in drawn["points"]} == set(expected)
    summary = page.text_content("#map-summary")
    n = in_view.count()
    if n > 20:
        assert summary.endswith(f"显示视野内投资额最大的20个，共{n if n <= 40 else '40多'}个，放大查看更多。")
    else:
        assert summary.endswith(f"视野内{n}个。")
