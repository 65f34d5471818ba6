import pytest

from .conftest import MONTH, YEAR

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_cockpit_fits_the_screen_without_horizontal_scrolling(
    world, office, browser_page, sign_in_browser, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/?year={YEAR}&month={MONTH}")
    page.wait_for_selector("#chart-monthly canvas")
    page.screenshot(path=f"/tmp/cockpit-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("[data-figure=red]").is_visible()


def test_clicking_the_red_figure_opens_the_ledger_of_red_projects(
    world, office, browser_page, sign_in_browser
):
    page = browser_page
    sign_in_browser(page, office.username)
    page.goto(f"{page.base_url}/?year={YEAR}&month={MONTH}")
    page.click("[data-figure=red]")
    page.wait_for_load_state("networkidle")
    assert "light=red" in page.url
    assert page.locator("text=贝特瑞正极材料项目").count() == 1
