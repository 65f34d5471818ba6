from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ducha.lib.periods import Period
from ducha.projects.models import Project
from ducha.projects.rollups import figures_refresh

from .factories import make_plan, make_project, make_report


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_login_page_is_chinese_by_default(client, db):
    response = client.get("/accounts/login/")
    assert "登录" in response.content.decode()


def test_office_sees_every_project_and_park_user_only_its_own(client_for, office, park_user, units):
    make_project(units["park"], "金科园项目")
    make_project(units["other_park"], "华科园项目")
    body = client_for(office).get("/projects/").content.decode()
    assert "金科园项目" in body and "华科园项目" in body
    body = client_for(park_user).get("/projects/").content.decode()
    assert "金科园项目" in body and "华科园项目" not in body


def test_park_user_typing_another_units_project_url_gets_404(client_for, park_user, units):
    other = make_project(units["other_park"], "华科园项目")
    client = client_for(park_user)
    assert client.get(f"/projects/{other.pk}/").status_code == 404
    assert client.get(f"/projects/{other.pk}/edit/").status_code == 404
    assert client.post(f"/projects/{other.pk}/reports/new/", {}).status_code == 404


def test_leader_reads_but_cannot_edit(client_for, leader, units):
    project = make_project(units["park"])
    client = client_for(leader)
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 404


def test_auditor_sees_no_business_data(client_for, auditor, units):
    project = make_project(units["park"])
    client = client_for(auditor)
    assert client.get("/projects/").status_code == 403
    assert client.get(f"/projects/{project.pk}/").status_code == 403
    assert client.get("/accounts/audit/").status_code == 200


def test_department_user_sees_the_projects_it_is_responsible_for(client_for, department_user, units):
    mine = make_project(units["park"], "住建局负责项目", responsible_department=units["department"])
    make_project(units["park"], "别的项目", responsible_department=units["other_department"])
    body = client_for(department_user).get("/projects/").content.decode()
    assert mine.name in body and "别的项目" not in body


def test_ledger_filters_by_unit_keyword_and_light(client_for, office, units):
    lagging = make_project(units["park"], "蜂巢能源动力电池项目")
    make_plan(lagging, year=Period.current().year, amount=1200)  # nothing done this year: red
    make_project(units["other_park"], "信维通信项目")
    client = client_for(office)
    body = client.get("/projects/", {"unit": units["park"].pk}).content.decode()
    assert "蜂巢能源动力电池项目" in body and "信维通信项目" not in body
    body = client.get("/projects/", {"q": "蜂巢能源"}).content.decode()
    assert "蜂巢能源动力电池项目" in body and "信维通信项目" not in body
    body = client.get("/projects/", {"light": "green"}).content.decode()
    assert "蜂巢能源动力电池项目" not in body and "信维通信项目" in body


def _ledger_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/projects/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_ledger_runs_the_same_number_of_queries_for_10_and_1000_projects(client_for, office, units):
    client = client_for(office)
    for i in range(10):
        p = make_project(units["park"], f"项目{i}")
        make_plan(p)
        make_report(p, 3, 300)
    few = _ledger_queries(client)
    figures_refresh(
        projects=Project.objects.bulk_create(
            [Project(unit=units["town"], name=f"批量{i}", total_investment=Decimal(i)) for i in range(990)]
        )
    )
    assert _ledger_queries(client) == few
    assert _ledger_queries(client, page=3) == few


def test_project_page_runs_a_constant_number_of_queries(client_for, office, units):
    client = client_for(office)
    project = make_project(units["park"])
    make_plan(project)
    make_report(project, 1, 100)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/projects/{project.pk}/").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the per-process caches (content types), which earlier tests may or may not have filled
    few = count()
    for month in range(2, 12):
        make_report(project, month, 100 * month)
    assert count() == few


def test_export_gives_the_filtered_list_as_xlsx(client_for, office, units):
    make_project(units["park"], "金科园项目")
    make_project(units["other_park"], "华科园项目")
    response = client_for(office).get("/projects/export.xlsx", {"unit": units["park"].pk})
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["金科园项目"]


def _form_data(area, /, **overrides):
    data = {
        "name": "新项目",
        "unit": area.pk,
        "level": "district",
        "category": "industrial",
        "construction_type": "new",
        "total_investment": "50000",
        "currency": "CNY",
        "annual_revenue_currency": "CNY",
        "plan_year": "2020",
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
        "phases-TOTAL_FORMS": "0",
        "phases-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_office_creates_a_project_with_stage_dates_and_plan(client_for, office, units):
    response = client_for(office).post(
        "/projects/new/", _form_data(units["park"], started_planned="2020-03-01", planned_investment="12000")
    )
    assert response.status_code == 302
    project = Project.objects.get(name="新项目")
    assert project.annual_plans.get(year=2020).planned_investment == 12000
    assert project.stage_dates.get(stage="started").planned_date.isoformat() == "2020-03-01"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"total_investment": "-5"}, "total_investment", "0"),
        ({"started_actual": "2020-05-01", "completed_actual": "2020-04-01"}, "completed_actual", "开工"),
        ({"unit": "999999"}, "unit", "选择"),
        ({"national_code": "12345"}, "national_code", "24"),
    ],
)
def test_bad_project_input_is_refused_on_the_field_and_nothing_is_stored(
    client_for, office, units, overrides, field, message
):
    response = client_for(office).post("/projects/new/", _form_data(units["park"], **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert not Project.objects.filter(name="新项目").exists()


def test_cumulative_lower_than_last_month_is_refused(client_for, park_user, units):
    project = make_project(units["park"])
    make_plan(project)
    make_report(project, 3, 500)
    response = client_for(park_user).post(
        f"/projects/{project.pk}/reports/new/",
        {"year": 2020, "month": 4, "investment_month": "0", "investment_ytd": "400", "stage": "started"},
    )
    assert response.status_code == 200
    assert "investment_ytd" in response.context["form"].errors
    assert not project.reports.filter(month=4).exists()


def test_park_user_submits_and_office_reviews_a_monthly_report(client_for, park_user, office, units):
    project = make_project(units["park"])
    make_plan(project, amount=1200)
    client = client_for(park_user)
    response = client.post(
        f"/projects/{project.pk}/reports/new/",
        {
            "year": 2020,
            "month": 2,
            "investment_month": "200",
            "investment_ytd": "200",
            "stage": "started",
            "narrative": "主体施工",
        },
    )
    assert response.status_code == 302
    report = project.reports.get(month=2)
    assert report.status == "submitted" and report.submitted_by == park_user
    client = client_for(office)
    assert client.post(f"/projects/reports/{report.pk}/review/", {"approve": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "reviewed" and report.reviewed_by == office


def test_office_returning_a_report_must_say_why(client_for, office, units):
    project = make_project(units["park"])
    report = make_report(project, 2, 100, status="submitted")
    response = client_for(office).post(
        f"/projects/reports/{report.pk}/review/", {"return": "1", "comment": ""}
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "submitted"


def test_changes_are_in_the_audit_trail_and_on_the_project_page(client_for, office, auditor, units):
    client = client_for(office)
    client.post("/projects/new/", _form_data(units["park"]))
    project = Project.objects.get(name="新项目")
    client.post(f"/projects/{project.pk}/edit/", _form_data(units["park"], total_investment="60000"))
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert "60000" in body and "office" in body
    assert "新项目" in client_for(auditor).get("/accounts/audit/").content.decode()


def test_unit_page_shows_completion_against_schedule(client_for, office, units):
    project = make_project(units["park"])
    make_plan(project, amount=1200)
    make_report(project, 6, 600)
    body = client_for(office).get(f"/units/{units['park'].pk}/", {"year": 2020, "month": 6}).content.decode()
    assert "50.0%" in body


def test_office_changes_light_thresholds_and_lights_follow(client_for, office, park_user, units, settings):
    settings.DUCHA_TODAY = "2020-07-10"  # June is the current reporting month
    project = make_project(units["park"])
    make_plan(project, amount=1200)
    make_report(project, 6, 540, status="submitted")  # 45% against 50%: 5 points behind, green by default
    from ducha.projects.services import projects_refresh_lights

    projects_refresh_lights()
    project.refresh_from_db()
    assert project.light == "green"
    data = {
        "yellow_points_behind": "3",
        "red_points_behind": "4",
        "start_late_yellow_months": 1,
        "start_late_red_months": 3,
        "unstatisticised_yellow_months": 1,
        "unstatisticised_red_months": 2,
        "green_label": "绿",
        "yellow_label": "黄",
        "red_label": "红",
        "green_colour": "#00aa00",
        "yellow_colour": "#ffcc00",
        "red_colour": "#ff0000",
    }
    assert client_for(office).post("/projects/settings/lights/", data).status_code == 302
    project.refresh_from_db()
    assert project.light == "red"
    assert client_for(park_user).get("/projects/settings/lights/").status_code == 403


def test_red_threshold_below_yellow_is_refused(client_for, office):
    data = {
        "yellow_points_behind": "20",
        "red_points_behind": "10",
        "start_late_yellow_months": 1,
        "start_late_red_months": 3,
        "unstatisticised_yellow_months": 1,
        "unstatisticised_red_months": 2,
        "green_label": "绿",
        "yellow_label": "黄",
        "red_label": "红",
        "green_colour": "#00aa00",
        "yellow_colour": "#ffcc00",
        "red_colour": "#ff0000",
    }
    response = client_for(office).post("/projects/settings/lights/", data)
    assert response.status_code == 200
    assert "red_points_behind" in response.context["form"].errors


def test_repeated_failed_logins_lock_the_account(client, office):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "office", "password": "pw-for-tests-1"})
    assert response.status_code == 429


def test_office_deletes_a_project_and_the_deletion_is_audited(client_for, office, units):
    from auditlog.models import LogEntry

    project = make_project(units["park"], "录错的项目")
    make_report(project, 1, 10)
    response = client_for(office).post(f"/projects/{project.pk}/delete/")
    assert response.status_code == 302
    assert not Project.objects.filter(name="录错的项目").exists()
    assert LogEntry.objects.filter(object_repr="录错的项目", action=LogEntry.Action.DELETE).exists()


def test_park_user_cannot_delete_its_project(client_for, park_user, units):
    project = make_project(units["park"])
    assert client_for(park_user).post(f"/projects/{project.pk}/delete/").status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()


def test_park_user_filter_offers_only_its_own_unit(client_for, park_user, units):
    form = client_for(park_user).get("/projects/").context["form"]
    assert list(form.fields["unit"].queryset) == [units["park"]]


def test_unit_totals_convert_other_currencies_at_the_configured_rate(client_for, office, units, settings):
    settings.DUCHA_EXCHANGE_RATES = {"USD": Decimal(7)}
    dollars = make_project(units["park"], "外资项目", currency="USD")
    make_plan(dollars, amount=100)
    make_report(dollars, 6, 50)
    yuan = make_project(units["park"], "内资项目")
    make_plan(yuan, amount=300)
    make_report(yuan, 6, 150)
    from ducha.lib.periods import Period
    from ducha.projects.selectors import unit_completion_rows

    (row,) = unit_completion_rows([units["park"]], Period(2020, 6))
    assert (row.completion.planned, row.completion.completed) == (1000, 500)


def test_ledger_filters_several_stages_and_an_industry_with_its_sub_industries(client_for, office, units):
    from ducha.projects.models import Industry

    car = Industry.objects.create(name="新能源汽车")
    battery = Industry.objects.create(name="动力电池", parent=car)
    make_project(units["park"], "电池项目", industry=battery, stage="production")
    make_project(units["park"], "整车项目", industry=car, stage="completed")
    make_project(units["park"], "在建项目", stage="started")
    client = client_for(office)
    names = {p.name for p in client.get("/projects/", {"industry": car.pk}).context["page"]}
    assert names == {"电池项目", "整车项目"}
    names = {p.name for p in client.get("/projects/?stage=completed&stage=production").context["page"]}
    assert names == {"电池项目", "整车项目"}


def test_export_never_turns_typed_text_into_a_formula(client_for, office, units):
    make_project(units["park"], "公式项目", company='=HYPERLINK("http://evil.example","点击")')
    response = client_for(office).get("/projects/export.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


@pytest.mark.parametrize("bad", [{"year": "abc"}, {"month": "x"}])
def test_report_form_with_garbage_year_or_month_shows_errors_not_a_crash(client_for, park_user, units, bad):
    project = make_project(units["park"])
    data = {
        "year": 2020,
        "month": 4,
        "investment_month": "0",
        "investment_ytd": "0",
        "stage": "started",
        **bad,
    }
    response = client_for(park_user).post(f"/projects/{project.pk}/reports/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("template", ["", "abc"])
def test_laying_out_nodes_without_a_template_is_a_message_not_a_crash(client_for, office, units, template):
    project = make_project(units["park"])
    response = client_for(office).post(
        f"/projects/{project.pk}/milestones/", {"template": template, "target": "2021-06-30"}
    )
    assert response.status_code == 302
    assert not project.milestones.exists()


def test_anonymous_visitor_of_an_office_page_is_sent_to_login(client, db):
    response = client.get("/projects/settings/lights/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
