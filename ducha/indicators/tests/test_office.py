"""The office's pages: indicator definitions and the annual target grid; the entry links on the table."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.indicators.models import Indicator, IndicatorTarget
from ducha.units.models import PeerGroup, Unit, UnitKind


def test_office_adds_an_indicator(units, office, client_for):
    response = client_for(office).post(
        reverse("indicators:definition_add"),
        {
            "name": "实际到账外资",
            "code": "fdi",
            "measure": "usd",
            "cumulative": "on",
            "higher_is_better": "on",
            "reporting_kinds": ["town", "park"],
            "order": 5,
        },
    )
    assert response.status_code == 302
    fdi = Indicator.objects.get(code="fdi")
    assert fdi.reporting_kinds == ["town", "park"] and fdi.active


def test_a_second_indicator_with_the_same_name_is_refused(units, office, sales, client_for):
    response = client_for(office).post(
        reverse("indicators:definition_add"),
        {"name": sales.name, "code": "sales2", "measure": "yuan", "reporting_kinds": ["town"], "order": 1},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Indicator.objects.count() == 1


def test_office_edits_an_indicator(units, office, sales, client_for):
    response = client_for(office).post(
        reverse("indicators:definition_edit", args=[sales.pk]),
        {"name": "工业开票销售", "code": "sales", "measure": "yuan", "reporting_kinds": ["park"], "order": 1},
    )
    assert response.status_code == 302
    sales.refresh_from_db()
    assert sales.name == "工业开票销售" and not sales.cumulative and sales.reporting_kinds == ["park"]


def test_a_deactivated_indicator_leaves_the_table_and_the_entry_form_but_keeps_its_figures(
    units, office, park_user, sales, firms, put, client_for
):
    put(sales, units["park"], 2020, 3, 100)
    client = client_for(office)
    response = client.post(reverse("indicators:definition_active", args=[sales.pk]), {"active": "0"})
    assert response.status_code == 302
    table = client.get(reverse("indicators:table"), {"year": 2020, "month": 3}).context["table"]
    assert [i.code for i in table.indicators] == ["firms"]
    entry = client_for(park_user).get(
        reverse("indicators:entry", args=[units["park"].pk]), {"year": 2020, "month": 3}
    )
    assert f"value_{sales.pk}" not in entry.context["form"].fields
    assert sales.values.count() == 1
    client_for(office).post(reverse("indicators:definition_active", args=[sales.pk]), {"active": "1"})
    assert Indicator.objects.get(pk=sales.pk).active


@pytest.mark.parametrize(
    "name", ["indicators:definitions", "indicators:definition_add", "indicators:targets"]
)
def test_only_the_office_manages_definitions_and_targets(units, park_user, leader, office, name, client_for):
    assert client_for(park_user).get(reverse(name)).status_code == 403
    assert client_for(leader).get(reverse(name)).status_code == 403
    assert client_for(office).get(reverse(name)).status_code == 200


def test_office_sets_a_years_targets_in_one_grid(units, office, sales, firms, target, client_for):
    target(sales, units["street"], 2020, 999)
    town, park = units["town"], units["park"]
    response = client_for(office).post(
        reverse("indicators:targets") + "?year=2020",
        {
            f"target_district_{sales.pk}": "1560亿",
            f"target_{town.pk}_{sales.pk}": "120亿",
            f"target_{park.pk}_{firms.pk}": "35",
            f"target_{units['street'].pk}_{sales.pk}": "",
        },
    )
    assert response.status_code == 302
    stored = {(t.unit_id, t.indicator.code): t.value for t in IndicatorTarget.objects.filter(year=2020)}
    assert stored == {
        (None, "sales"): D("156000000000"),
        (town.pk, "sales"): D("12000000000"),
        (park.pk, "firms"): D("35"),
    }


def test_a_wrong_target_cell_is_named_and_nothing_is_saved(units, office, sales, firms, target, client_for):
    target(sales, units["town"], 2020, 100)
    town, park = units["town"], units["park"]
    response = client_for(office).post(
        reverse("indicators:targets") + "?year=2020",
        {
            f"target_{town.pk}_{sales.pk}": "200",
            f"target_{park.pk}_{sales.pk}": "很多",
            f"target_{park.pk}_{firms.pk}": "-3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "金科园 · 工业开票销售收入: Type a number" in html
    assert "金科园 · 规上工业企业数: A target cannot be negative." in html
    assert IndicatorTarget.objects.get().value == D(100)


def test_target_grid_skips_indicators_a_unit_does_not_report(units, office, sales, client_for):
    sales.reporting_kinds = ["park"]
    sales.save()
    form = client_for(office).get(reverse("indicators:targets"), {"year": 2020}).context["form"]
    assert f"target_{units['park'].pk}_{sales.pk}" in form.fields
    assert f"target_{units['town'].pk}_{sales.pk}" not in form.fields


def test_target_grid_query_count_does_not_grow_with_units(units, office, sales, firms, client_for):
    client = client_for(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("indicators:targets"), {"year": 2020}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    assert count() == few


def test_office_sees_an_entry_link_on_every_units_row(units, office, sales, client_for):
    html = client_for(office).get(reverse("indicators:table"), {"year": 2020, "month": 3}).content.decode()
    for unit in Unit.objects.areas():
        assert reverse("indicators:entry", args=[unit.pk]) + "?year=2020&month=3" in html
    assert 'id="enter-figures"' not in html


def test_unit_staff_get_a_prominent_button_for_their_own_units_entry_form(
    units, park_user, sales, client_for
):
    response = client_for(park_user).get(reverse("indicators:table"), {"year": 2020, "month": 3})
    html = response.content.decode()
    year, month = response.context["entry_period"]
    assert 'id="enter-figures"' in html
    assert f"{reverse('indicators:entry', args=[units['park'].pk])}?year={year}&month={month}" in html
    assert reverse("indicators:entry", args=[units["other_park"].pk]) not in html


def test_chinese_entry_button_and_target_page(units, park_user, office, sales, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = client_for(park_user).get(reverse("indicators:table")).content.decode()
    assert "填报本月指标" in html
    html = client_for(office).get(reverse("indicators:targets"), {"year": 2020}).content.decode()
    assert "2020年度目标" in html and "全区" in html
