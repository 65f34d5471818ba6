"""Two people fill in one unit's month from forms opened at the same time: the second gets the conflict page
(409) and the first figures stay."""

from decimal import Decimal as D

from django.test import Client
from django.urls import reverse

from ducha.accounts.models import Role, User
from ducha.indicators.models import IndicatorValue
from ducha.indicators.services import Entry, StaleValues, indicator_values_save
from ducha.projects.services import StaleEdit


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _opened(client, url, indicator) -> dict:
    """What the form posts back untouched: the hidden version of the indicator's figure."""
    form = client.get(url).context["form"]
    name = f"version_{indicator.pk}"
    return {name: form[name].value()}


def test_the_second_of_two_editors_gets_the_conflict_page_and_the_first_figure_stays(
    units, park_user, office, sales, put
):
    put(sales, units["park"], 2020, 3, 100)
    colleague = User.objects.create_user(
        "park2", password="pw-for-tests-1", role=Role.UNIT, unit=units["park"]
    )
    first, second = _client(park_user), _client(colleague)
    url = reverse("indicators:entry", args=[units["park"].pk]) + "?year=2020&month=3"
    opened_first, opened_second = _opened(first, url, sales), _opened(second, url, sales)
    assert opened_first == opened_second == {f"version_{sales.pk}": 1}

    assert first.post(url, {f"value_{sales.pk}": "12.5亿", **opened_first}).status_code == 302
    response = second.post(url, {f"value_{sales.pk}": "9.8亿", **opened_second})

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and "12.5" in page and "9.8" in page
    value = IndicatorValue.objects.get(unit=units["park"], indicator=sales, month=3)
    assert value.value == D("1250000000") and value.version == 2
    # opened again, the form carries the new version and saves
    assert second.post(url, {f"value_{sales.pk}": "9.8亿", **_opened(second, url, sales)}).status_code == 302
    assert IndicatorValue.objects.get(pk=value.pk).value == D("980000000")


def test_two_first_entries_of_a_month_the_second_gets_the_conflict_page(units, park_user, office, sales):
    first, second = _client(park_user), _client(office)
    url = reverse("indicators:entry", args=[units["park"].pk]) + "?year=2020&month=3"
    opened_first, opened_second = _opened(first, url, sales), _opened(second, url, sales)
    assert opened_first == {f"version_{sales.pk}": 0}
    assert first.post(url, {f"value_{sales.pk}": "300", **opened_first}).status_code == 302
    assert second.post(url, {f"value_{sales.pk}": "400", **opened_second}).status_code == 409
    assert IndicatorValue.objects.get().value == D("300")


def test_the_service_refuses_a_stale_figure_and_stores_none_of_the_others(
    units, park_user, sales, firms, put
):
    put(sales, units["park"], 2020, 3, 100)
    entries = [Entry(sales, D("200"), expected_version=0), Entry(firms, D("12"), expected_version=0)]
    try:
        indicator_values_save(unit=units["park"], year=2020, month=3, entries=entries, user=park_user)
    except StaleValues as stale:
        assert isinstance(stale, StaleEdit)  # the one lost-update error of every app
        assert [(e.indicator, v.value if v else None) for e, v in stale.stale] == [(sales, D("100"))]
    else:
        raise AssertionError("a stale figure was stored")
    assert IndicatorValue.objects.filter(indicator=firms).count() == 0
    assert IndicatorValue.objects.get(indicator=sales).value == D("100")
    # without expected versions (the .xlsx import, older API clients) the figure is replaced
    indicator_values_save(
        unit=units["park"], year=2020, month=3, entries=[Entry(sales, D("200"))], user=park_user
    )
    assert IndicatorValue.objects.get(indicator=sales).version == 2
