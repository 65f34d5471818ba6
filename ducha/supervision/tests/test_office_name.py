"""The office that issues formal orders is a setting (DUCHA_OFFICE_NAME) until the office saves its own name."""

import datetime

from django.urls import reverse

from ducha.supervision.models import SupervisionSettings
from ducha.supervision.selectors import supervision_settings
from ducha.supervision.services import order_issue

ISSUED = datetime.date(2020, 5, 8)


def issue(problem, office):
    return order_issue(
        user=office,
        problem=problem,
        kind="order",
        text="请于5月15日前落实二期用地指标并书面反馈。",
        issued_on=ISSUED,
        due_on=ISSUED + datetime.timedelta(days=7),
    )


def test_orders_name_the_configured_office_while_none_is_saved(make_problem, office, settings):
    settings.DUCHA_OFFICE_NAME = "溧阳市重点项目督查办公室"
    assert not SupervisionSettings.objects.exists()
    assert supervision_settings().office_name == "溧阳市重点项目督查办公室"
    assert issue(make_problem(), office).office_name == "溧阳市重点项目督查办公室"


def test_the_office_name_saved_on_the_settings_page_wins(make_problem, office, settings):
    settings.DUCHA_OFFICE_NAME = "溧阳市重点项目督查办公室"
    SupervisionSettings.objects.create(office_name="金坛区委区政府督查室")
    assert issue(make_problem(), office).office_name == "金坛区委区政府督查室"


def test_a_new_settings_row_starts_from_the_configured_office(settings):
    settings.DUCHA_OFFICE_NAME = "武进区重点项目督查办公室"
    assert SupervisionSettings().office_name == "武进区重点项目督查办公室"


def test_the_settings_page_offers_the_configured_office(client_for, office, settings):
    settings.DUCHA_OFFICE_NAME = "武进区重点项目督查办公室"
    page = client_for(office).get(reverse("supervision:settings")).content.decode()
    assert 'value="武进区重点项目督查办公室"' in page
