"""Under the Content-Security-Policy (no inline script, no eval) the pages with charts and scripts still work in
Chromium: no violation in the console, no script error, and every chart drawn."""

import datetime

import pytest

from ducha.accounts.models import User
from ducha.supervision.models import SupervisionRound

from .conftest import MONTH, YEAR

pytestmark = pytest.mark.browser


@pytest.fixture
def console(browser_page):
    """Console errors and uncaught script errors of the page, as text."""
    messages = []
    browser_page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    browser_page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def test_chart_pages_draw_their_charts_without_violating_the_policy(
    world, industries, office, browser_page, sign_in_browser, console
):
    page = browser_page
    sign_in_browser(page, office.username)
    pages = {
        "cockpit": (
            f"/?year={YEAR}&month={MONTH}",
            ["#chart-monthly", "#chart-industry", "#chart-unit", "#chart-indicator-1"],
        ),
        "chain": (f"/cockpit/chains/?industry={industries['car'].pk}", ["#chain-sankey"]),
        "project": (f"/projects/{world['cell'].pk}/", ["#progress-chart"]),
        "trend": (f"/indicators/trend/sales/?year={YEAR}", ["#value-chart", "#growth-chart"]),
        "stats": (f"/supervision/problems/stats/?year={YEAR}", ["#department-chart", "#unit-chart"]),
    }
    for name, (url, charts) in pages.items():
        response = page.goto(page.base_url + url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        for chart in charts:
            page.wait_for_selector(f"{chart} canvas, {chart} svg")
        page.wait_for_timeout(1000)  # the charts' entry animation, for the screenshot
        page.screenshot(path=f"/tmp/csp-{name}.png", full_page=True)
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console


def test_clicking_a_project_on_the_chain_map_opens_it(
    world, industries, office, browser_page, sign_in_browser
):
    page = browser_page
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/cockpit/chains/?industry={industries['car'].pk}")
    page.wait_for_selector("#chain-sankey canvas")
    page.wait_for_timeout(1500)  # the sankey's entry animation
    # Where ECharts laid out the node of 蜂巢能源's project, in page coordinates.
    x, y = page.evaluate(
        """() => {
          const element = document.getElementById("chain-sankey");
          const data = echarts.getInstanceByDom(element).getModel().getSeriesByIndex(0).getData();
          let index = 0;
          while (!String(data.getName(index)).includes("蜂巢能源")) index++;
          const node = data.getItemLayout(index), box = element.getBoundingClientRect();
          return [box.left + node.x + node.dx / 2, box.top + node.y + node.dy / 2];
        }"""
    )
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url.endswith(f"/projects/{world['cell'].pk}/")


def test_the_chain_map_leaves_room_for_its_labels_on_a_phone(
    world, industries, office, browser_page, sign_in_browser
):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/cockpit/chains/?industry={industries['car'].pk}")
    page.wait_for_selector("#chain-sankey canvas")
    series = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chain-sankey')).getOption().series[0]"
    )
    assert (series["right"], series["label"]["fontSize"]) == (90, 9)
    page.wait_for_timeout(1000)
    page.screenshot(path="/tmp/csp-chain-390.png", full_page=True)


def test_the_trend_unit_choice_submits_itself(world, units, office, browser_page, sign_in_browser, console):
    page = browser_page
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/indicators/trend/sales/?year={YEAR}")
    with page.expect_navigation():
        page.select_option("select[name=unit]", str(units["park"].pk))
    assert f"unit={units['park'].pk}" in page.url
    assert not [m for m in console if "Content Security Policy" in m], console


def test_the_import_page_refuses_an_over_large_paste_before_sending_it(
    office, browser_page, sign_in_browser, console, settings
):
    settings.DUCHA_MAX_UPLOAD_BYTES = 1000
    page = browser_page
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/imports/new/")
    page.fill("#id_title", "金坛时报")
    page.fill("#id_text", "重点项目" * 200)
    page.click("#import-form button[type=submit]")
    assert page.locator("#size-warning").is_visible()
    assert page.url.endswith("/imports/new/")
    page.screenshot(path="/tmp/csp-import.png", full_page=True)
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console


def test_the_print_button_prints(world, office, browser_page, sign_in_browser, console):
    page = browser_page
    page.add_init_script("window.print = () => { window.printed = true; };")
    rnd = SupervisionRound.objects.create(title="集中督查", year=YEAR, date=datetime.date(YEAR, 5, 6))
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/supervision/rounds/{rnd.pk}/itinerary/")
    page.click("button[data-print]")
    assert page.evaluate("window.printed") is True
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console


def test_the_admin_works_under_the_policy(world, browser_page, console):
    """Django's admin has no inline script since 5.0: its list actions and inline rows still work."""
    page = browser_page
    admin = User.objects.create_superuser("breakglass", password="pw-for-tests-1")
    sign_in_verified(page, admin)
    page.goto(f"{page.base_url}/admin/projects/project/")
    page.click("#action-toggle")  # actions.js ticks every row
    assert page.locator("input.action-select:checked").count() == len(world)
    page.goto(f"{page.base_url}/admin/projects/project/{world['cell'].pk}/change/")
    rows = page.locator("#phases-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.click("#phases-group .add-row a")  # inlines.js adds a row
    assert rows.count() == before + 1
    page.screenshot(path="/tmp/csp-admin.png", full_page=True)
    assert not [m for m in console if "Content Security Policy" in m or m.startswith("pageerror")], console


def sign_in_verified(page, user):
    """A session signed in and past the one-time code (as the admin site requires of a superuser)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": page.base_url}]
    )
