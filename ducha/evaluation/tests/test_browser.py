"""In Chromium: a park enters its month, the office computes and publishes, the flag table shows the flags."""

from decimal import Decimal

import pytest
from django.utils import timezone

from ducha.evaluation.models import Scheme, SchemeItem
from ducha.indicators.models import IndicatorValue
from ducha.lib.periods import Period


@pytest.mark.browser
def test_park_enters_figures_office_publishes_and_flags_show(
    browser_page, sign_in_browser, units, park_user, office, sales
):
    page = browser_page
    year, month = Period.just_ended(timezone.localdate())
    scheme = Scheme.objects.create(year=year, name=f"{year}年重点工作绩效评价")
    SchemeItem.objects.create(
        scheme=scheme, label="开票增幅", source="indicator_growth", indicator=sales, weight=100
    )
    for unit in (units["town"], units["street"], units["park"], units["other_park"]):
        IndicatorValue.objects.create(indicator=sales, unit=unit, year=year - 1, month=month, value=100)
    for unit, value in ((units["town"], 120), (units["street"], 110), (units["other_park"], 90)):
        IndicatorValue.objects.create(indicator=sales, unit=unit, year=year, month=month, value=value)

    sign_in_browser(page, park_user.username)
    page.goto(page.base_url + "/indicators/")
    page.get_by_role("link", name="填报本月指标").click()
    page.fill(f"input[name=value_{sales.pk}]", "105")
    page.click("form.ducha-card button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert IndicatorValue.objects.get(unit=units["park"], year=year, month=month).value == Decimal(105)
    assert page.locator(f"tr[data-unit='{units['park'].pk}']").inner_text().count("105") >= 1

    page.context.clear_cookies()
    sign_in_browser(page, office.username)
    page.goto(page.base_url + "/evaluation/")
    page.select_option("select[name=scheme]", str(scheme.pk))
    page.select_option("select[name=month]", str(month))
    page.click("form[action$='/compute/'] button")
    page.wait_for_load_state("networkidle")
    page.click("form[action$='/publish/'] button")
    page.wait_for_load_state("networkidle")
    assert page.locator(".badge.text-bg-success").count() == 1
    flags = {
        unit: page.locator(f"tr[data-unit='{units[unit].pk}'] [data-flag]").get_attribute("data-flag")
        for unit in ("town", "street", "park", "other_park")
    }
    assert flags == {"town": "red", "street": "blue", "park": "red", "other_park": "blue"}
    assert "红旗" in page.locator(f"tr[data-unit='{units['park'].pk}']").inner_text()
    page.screenshot(path="/tmp/ind2-flags.png", full_page=True)
