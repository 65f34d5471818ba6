from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.indicators.models import IndicatorValue
from ducha.units.models import PeerGroup, Unit, UnitKind


def test_office_sees_district_and_units_with_growth_completion_and_rank(
    units, office, sales, put, target, client_for
):
    put(sales, None, 2020, 3, "32171000000")
    put(sales, None, 2019, 3, "30098231827")
    put(sales, units["town"], 2020, 3, 300)
    put(sales, units["town"], 2019, 3, 200)
    target(sales, units["town"], 2020, 1000)
    response = client_for(office).get(reverse("indicators:table"), {"year": 2020, "month": 3})
    html = response.content.decode()
    assert response.status_code == 200
    assert "321.71亿元" in html and "+6.89%" in html
    row = response.context["table"].rows[0]
    cell = row.cell("sales")
    assert (
        cell.growth == D(50)
        and cell.completion == D(30)
        and cell.rank_peer == 1
        and cell.schedule_class == "text-success"
    )


def test_park_user_sees_only_the_district_and_its_own_row(units, park_user, sales, client_for):
    response = client_for(park_user).get(reverse("indicators:table"), {"year": 2020, "month": 3})
    assert [r.unit for r in response.context["table"].rows] == [units["park"]]


def test_auditor_cannot_read_indicators(auditor, client_for):
    assert client_for(auditor).get(reverse("indicators:table")).status_code == 403


def test_table_query_count_does_not_grow_with_units(units, office, sales, firms, put, client_for):
    client = client_for(office)
    url = reverse("indicators:table") + "?year=2020&month=3"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(20):
        unit = Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
        put(sales, unit, 2020, 3, i)
        put(sales, unit, 2019, 3, i + 1)
    assert count() == few


def test_park_user_enters_own_units_figures(units, park_user, sales, client_for):
    url = reverse("indicators:entry", args=[units["park"].pk]) + "?year=2020&month=3"
    response = client_for(park_user).post(url, {f"value_{sales.pk}": "12.5亿"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(unit=units["park"]).value == D("1250000000")


def test_park_user_cannot_open_other_parks_entry_form(units, park_user, sales, client_for):
    url = reverse("indicators:entry", args=[units["other_park"].pk])
    assert client_for(park_user).get(url).status_code == 404


def test_department_user_cannot_enter_unit_figures(units, department_user, client_for):
    url = reverse("indicators:entry", args=[units["department"].pk])
    assert client_for(department_user).get(url).status_code == 404


def test_entry_form_shows_the_refusal_of_a_falling_cumulative_figure(
    units, park_user, sales, put, client_for
):
    put(sales, units["park"], 2020, 2, 500)
    url = reverse("indicators:entry", args=[units["park"].pk]) + "?year=2020&month=3"
    response = client_for(park_user).post(url, {f"value_{sales.pk}": "400"})
    assert response.status_code == 200
    assert "below last month" in response.content.decode()
    response = client_for(park_user).post(
        url, {f"value_{sales.pk}": "400", f"correction_{sales.pk}": "on", f"reason_{sales.pk}": "退税冲减"}
    )
    assert response.status_code == 302


def test_entry_form_refuses_text(units, park_user, sales, client_for):
    url = reverse("indicators:entry", args=[units["park"].pk]) + "?year=2020&month=3"
    response = client_for(park_user).post(url, {f"value_{sales.pk}": "很多"})
    assert response.status_code == 200 and not IndicatorValue.objects.exists()


@pytest.mark.parametrize("name", ["indicators:import", "indicators:template"])
def test_only_the_office_imports(units, park_user, office, sales, client_for, name):
    assert client_for(park_user).get(reverse(name)).status_code == 403
    assert client_for(office).get(reverse(name)).status_code == 200


def test_trend_page_embeds_chart_options(units, leader, sales, put, client_for):
    put(sales, None, 2020, 3, "32171000000")
    response = client_for(leader).get(
        reverse("indicators:trend", args=["sales"]), {"year": 2020, "unit": units["town"].pk}
    )
    assert response.status_code == 200
    assert response.context["value_option"]["series"][1]["data"][2] == 321.71


def test_park_user_cannot_chart_another_park(units, park_user, sales, client_for):
    url = reverse("indicators:trend", args=["sales"])
    assert client_for(park_user).get(url, {"unit": units["other_park"].pk}).status_code == 404


def test_chinese_table_and_import_messages(units, office, sales, put, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    put(sales, None, 2020, 3, "32171000000")
    html = client_for(office).get(reverse("indicators:table"), {"year": 2020, "month": 3}).content.decode()
    assert "2020年1-3月主要经济指标" in html and "序时进度" in html and "321.71亿元" in html


def test_the_table_lists_a_page_of_units_ranked_among_all_of_them(units, office, sales, put, client_for):
    from ducha.indicators.selectors import ROWS_PER_PAGE

    for i in range(ROWS_PER_PAGE + 5):
        unit = Unit.objects.create(
            name=f"测试镇{i:02d}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS
        )
        put(sales, unit, 2020, 3, 100 + i)  # the last towns grow most
        put(sales, unit, 2019, 3, 100)
    areas = Unit.objects.areas().count()
    client = client_for(office)
    first = client.get(reverse("indicators:table"), {"year": 2020, "month": 3})
    last = client.get(reverse("indicators:table"), {"year": 2020, "month": 3, "page": 2})
    assert len(first.context["table"].rows) == ROWS_PER_PAGE
    assert len(last.context["table"].rows) == areas - ROWS_PER_PAGE
    shown = [r.unit.pk for r in first.context["table"].rows + last.context["table"].rows]
    assert shown == list(Unit.objects.areas().values_list("pk", flat=True))
    # Places are among every unit, whichever page lists it: the fastest-growing town is first.
    best = next(r for r in last.context["table"].rows if r.unit.name == f"测试镇{ROWS_PER_PAGE + 4:02d}")
    assert best.cell("sales").rank_district == 1
    html = first.content.decode()
    assert "page=2" in html and "year=2020&amp;month=3" in html
