from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.projects.models import ProgressReport

from .factories import make_plan, make_project, make_report

URL = "/projects/reports/batch/?year=2020&month=4"


def _post_data(lines):
    data = {"rows-TOTAL_FORMS": str(len(lines)), "rows-INITIAL_FORMS": str(len(lines))}
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"rows-{i}-{key}"] = value
    return data


def _projects(units, n=2):
    projects = []
    for i in range(n):
        p = make_project(units["park"], f"项目{i}")
        make_plan(p, amount=1200)
        make_report(p, 3, 300)
        projects.append(p)
    return projects


def test_park_user_files_the_month_for_all_projects_at_once(client_for, park_user, units):
    a, b = _projects(units)
    data = _post_data(
        [
            {
                "project": a.pk,
                "investment_month": "100",
                "investment_ytd": "",
                "stage": "started",
                "narrative": "主体施工",
            },
            {
                "project": b.pk,
                "investment_month": "",
                "investment_ytd": "",
                "stage": "started",
            },  # left empty: skipped
        ]
    )
    response = client_for(park_user).post(URL, data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=a, month=4)
    assert report.investment_ytd == Decimal(400)  # last month's 300 + this month's 100
    assert report.status == "submitted" and report.submitted_by == park_user
    assert not ProgressReport.objects.filter(project=b, month=4).exists()


def test_one_bad_line_stores_nothing_and_names_the_line(client_for, park_user, units):
    a, b = _projects(units)
    data = _post_data(
        [
            {"project": a.pk, "investment_month": "100", "investment_ytd": "400", "stage": "started"},
            {
                "project": b.pk,
                "investment_month": "0",
                "investment_ytd": "200",
                "stage": "started",
            },  # below March's 300
        ]
    )
    response = client_for(park_user).post(URL, data)
    assert response.status_code == 200
    assert not ProgressReport.objects.filter(month=4).exists()
    bad = [form for _p, form, _prev, _r in response.context["lines"] if form.errors]
    assert len(bad) == 1 and "investment_ytd" in bad[0].errors


def test_lines_of_another_units_projects_are_ignored(client_for, park_user, units):
    (mine,) = _projects(units, 1)
    other = make_project(units["other_park"], "别人的项目")
    make_plan(other)
    data = _post_data(
        [
            {"project": mine.pk, "investment_month": "10", "stage": "started"},
            {"project": other.pk, "investment_month": "10", "stage": "started"},
        ]
    )
    client_for(park_user).post(URL, data)
    assert not ProgressReport.objects.filter(project=other).exists()
    assert ProgressReport.objects.filter(project=mine, month=4).exists()


def test_batch_page_query_count_does_not_grow_with_projects(client_for, park_user, units):
    client = client_for(park_user)
    _projects(units, 2)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        p = make_project(units["park"], f"更多项目{i}")
        make_plan(p)
    assert count() == few


def test_leader_and_department_cannot_file(client_for, leader, department_user):
    assert client_for(leader).get(URL).status_code == 404
    assert client_for(department_user).get(URL).status_code == 404


def test_reviewed_reports_are_shown_read_only_and_do_not_block_the_others(client_for, park_user, units):
    a, b = _projects(units)
    make_report(a, 4, 400, month_amount=100, status="reviewed")
    client = client_for(park_user)
    page = client.get(URL)
    form_a = next(form for project, form, _prev, _r in page.context["lines"] if project == a)
    assert form_a.fields["investment_ytd"].disabled
    data = _post_data(
        [
            {"project": a.pk, "investment_month": "999", "investment_ytd": "1299", "stage": "started"},
            {"project": b.pk, "investment_month": "50", "investment_ytd": "", "stage": "started"},
        ]
    )
    assert client.post(URL, data).status_code == 302
    assert ProgressReport.objects.get(project=a, month=4).investment_ytd == 400  # untouched
    assert ProgressReport.objects.get(project=b, month=4).investment_ytd == 350
