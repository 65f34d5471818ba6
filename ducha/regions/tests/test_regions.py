"""Regions: the shipped divisions load by code, and a city sees its districts side by side with the same
figures each district's own office sees."""

import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ducha.accounts.access import can_write_unit, units_of_region, units_visible_to
from ducha.cockpit.regions import breakdown_regions
from ducha.projects.models import ProgressReport, Project
from ducha.projects.selectors import projects_for_user
from ducha.regions.models import Level, Region
from ducha.regions.services import home_region, regions_load
from ducha.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2020, "month": 11}


def test_loading_a_city_stores_its_province_counties_and_townships_once():
    before = Region.objects.count()
    created = regions_load("320400")
    city = Region.objects.get(code="320400")
    assert (city.name, city.level, city.prefix) == ("常州市", Level.CITY, "3204")
    assert city.parent.code == "320000" and city.parent.name == "江苏省"
    counties = {r.code: r.name for r in city.children.all()}
    assert counties["320413"] == "金坛区" and counties["320412"] == "武进区" and len(counties) == 6
    jintan = Region.objects.get(code="320413")
    assert Region.objects.get(code="320413100").parent == jintan  # 金城镇
    assert Region.objects.count() - before == created
    assert Region.objects.within(city).count() == 1 + 6 + Region.objects.filter(level=Level.TOWNSHIP).count()
    assert regions_load("320400") == 0  # loading again changes nothing
    assert jintan.path_name() == "常州市金坛区"
    assert city.contains(jintan) and not jintan.contains(city)


def test_an_unknown_code_is_refused_and_the_command_names_it():
    with pytest.raises(ValidationError):
        regions_load("999999")
    out = StringIO()
    call_command("regions", "load", "--within", "320413", stdout=out)
    assert "320413" in out.getvalue()
    out = StringIO()
    call_command("regions", "list", "--within", "320413", stdout=out)
    assert "金城镇" in out.getvalue()


def test_units_default_to_the_home_region(settings):
    unit = Unit.objects.create(name="某镇", kind=UnitKind.TOWN)
    assert unit.region == home_region() and unit.region.code == settings.DUCHA_HOME_REGION


def test_a_district_office_reads_and_writes_its_own_district_only(city):
    regions, towns, users = city
    assert set(projects_for_user(users["city_office"]).values_list("unit__name", flat=True)) == {
        "金城镇",
        "儒林镇",
        "湖塘镇",
    }
    assert set(projects_for_user(users["wujin_leader"]).values_list("unit__name", flat=True)) == {"湖塘镇"}
    assert set(units_visible_to(users["jintan_office"])) == {towns["jintan"], towns["jintan2"]}
    assert can_write_unit(users["wujin_office"], towns["wujin"].pk)
    assert not can_write_unit(users["wujin_office"], towns["jintan"].pk)
    assert can_write_unit(users["city_office"], towns["jintan"].pk)


def test_a_region_scope_reads_the_same_projects_with_or_without_the_sqlite_index_hint(city):
    for user in city[2].values():
        scoped = projects_for_user(user)
        plain = Project.objects.filter(unit__in=units_of_region(user).values("pk"))
        assert set(scoped) == set(plain) and scoped.exists()
        reports = ProgressReport.objects.filter(
            project__unit__in_region_units=units_of_region(user).values("pk")
        )
        assert set(reports) == set(ProgressReport.objects.filter(project__in=plain))
        hinted = '+"projects_project"."unit_id" IN' in str(scoped.query)
        assert hinted == (connection.vendor == "sqlite")


def test_a_unit_group_in_one_district_has_no_breakdown_and_a_city_has_its_districts(city):
    regions, towns, users = city
    assert breakdown_regions([regions["320413"]]) == (regions["320413"], [])
    top, children = breakdown_regions([regions["320413"], regions["320412"]])
    assert top == regions["320400"] and set(children) == {regions["320413"], regions["320412"]}


def _headline(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("cockpit:cockpit"), {**PERIOD, **params})
    assert response.status_code == 200
    f = response.context["f"]
    return response, (f.all.count, f.all.plan, f.all.completed, f.by_light["red"].count)


def test_the_city_sees_its_districts_side_by_side_with_each_districts_own_figures(client, city):
    regions, towns, users = city
    response, city_total = _headline(client, users["city_office"])
    rows = {row.region.code: row for row, _ledger, _cockpit in response.context["region_rows"]}
    assert set(rows) == {"320413", "320412"}
    for code, office in (("320413", "jintan_office"), ("320412", "wujin_office")):
        row = rows[code]
        _own_page, own = _headline(client, users[office])
        assert (row.figures.count, row.figures.plan, row.figures.completed, row.red) == own
        assert _own_page.context["region_rows"] == []  # a district's own cockpit has no breakdown
    assert city_total[:3] == (
        sum(r.figures.count for r in rows.values()),
        sum(r.figures.plan for r in rows.values()),
        sum(r.figures.completed for r in rows.values()),
    )
    # the drill-down to one district gives that district's own headline
    _drilled, drilled = _headline(client, users["city_office"], region="320412")
    _own, wujin = _headline(client, users["wujin_office"])
    assert drilled == wujin


def test_a_project_is_two_clicks_from_the_city_cockpit(client, city):
    regions, towns, users = city
    client.force_login(users["city_office"])
    page = client.get(reverse("cockpit:cockpit"), PERIOD).content.decode()
    row = re.search(r'<tr data-region="320412">.*?</tr>', page, re.S).group(0)
    ledger_link = (
        re.search(r'href="([^"]+)" data-figure="region-projects"', row).group(1).replace("&amp;", "&")
    )
    ledger = client.get(ledger_link)  # first click: the district's ledger
    assert [p.name for p in ledger.context["page"]] == ["湖塘镇项目"]
    project = ledger.context["page"][0]
    assert f'href="{project.get_absolute_url()}"' in ledger.content.decode()
    assert client.get(project.get_absolute_url()).status_code == 200  # second click: the project


def test_a_district_cannot_drill_into_another_district(client, city):
    regions, towns, users = city
    client.force_login(users["jintan_office"])
    assert client.get(reverse("cockpit:cockpit"), {**PERIOD, "region": "320412"}).status_code == 404
    ledger = client.get(reverse("projects:list"), {**PERIOD, "region": "320412"})
    # a region outside the user's choices is not a filter they can set: their own projects, none of 武进区's
    assert ledger.status_code == 200
    assert {p.unit.region.code for p in ledger.context["page"]} == {"320413"}
