"""Which units a user may see: one function, the same answer on every page and in the API."""

import pytest
from django.urls import reverse

from ducha.accounts.access import units_visible_to
from ducha.api.models import ApiToken
from ducha.cockpit.selectors import scoped_units
from ducha.projects.tests.factories import make_project
from ducha.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def layout(department_user):
    """Three parks; the department is responsible for one project in the second park."""
    parks = [Unit.objects.create(name=f"第{i}园区", kind=UnitKind.PARK) for i in range(3)]
    make_project(parks[0], "甲项目")
    make_project(parks[1], "乙项目", responsible_department=department_user.unit)
    make_project(parks[1], "丙项目", responsible_department=department_user.unit)
    return parks


def test_office_and_leader_see_every_area_unit(layout, office, leader):
    areas = set(Unit.objects.areas())
    assert set(units_visible_to(office)) == areas
    assert set(units_visible_to(leader)) == areas


def test_unit_staff_see_their_own_unit(layout, park_user):
    assert list(units_visible_to(park_user)) == [park_user.unit]


def test_department_staff_see_the_units_of_the_projects_they_are_responsible_for(layout, department_user):
    assert list(units_visible_to(department_user)) == [layout[1]]
    assert set(units_visible_to(department_user, departments=True)) == {layout[1], department_user.unit}


def test_auditors_see_no_units(layout, auditor):
    assert not units_visible_to(auditor).exists()


def test_the_units_page_the_cockpit_the_indicator_table_and_the_api_agree_for_a_department(
    client, layout, department_user
):
    client.force_login(department_user)
    expected = {layout[1].name}
    units_page = client.get(reverse("units:list"))
    assert {row.unit_name for row in units_page.context["rows"]} == expected
    assert client.get(reverse("cockpit:cockpit")).status_code == 200
    assert {unit.name for unit in scoped_units(department_user)} == expected
    table = client.get(reverse("indicators:table"))
    assert {row.unit.name for row in table.context["table"].rows} == expected
    api_units = client.get(
        "/api/units", HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user=department_user, name='t')[1]}"
    )
    assert {u["name"] for u in api_units.json()} == expected | {department_user.unit.name}
