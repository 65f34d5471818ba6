import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ducha.lib.periods import Period
from ducha.projects.models import AnnualPlan, LightSettings
from ducha.supervision.forms import ProblemForm
from ducha.supervision.models import Problem, ProblemCategory, SupervisionSettings


@pytest.fixture
def coloured(make_problem, park_project, other_park_project):
    """One open problem of each colour, and one without, relative to today."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    # Red by the rules (the light is derived): any shortfall against 序时 is red here, and nothing is done
    # towards this year's plan.
    LightSettings.objects.create(yellow_points_behind=0, red_points_behind=0)
    AnnualPlan.objects.create(project=other_park_project, year=Period.current().year, planned_investment=1200)
    return {
        "overdue": make_problem(description="已逾期的问题", raised_on=today - 40 * day, deadline=today - day),
        "behind": make_problem(
            description="项目滞后的问题",
            project=other_park_project,
            raised_on=today,
            deadline=today + 30 * day,
        ),
        "near": make_problem(description="临近期限的问题", raised_on=today, deadline=today + 2 * day),
        "calm": make_problem(description="时间充裕的问题", raised_on=today, deadline=today + 30 * day),
    }


def test_problem_list_shows_each_problems_colour_with_the_districts_names(coloured, client_for, office):
    SupervisionSettings.objects.create(near_label="即将到期", near_colour="#ffcc00")
    body = client_for(office).get(reverse("supervision:problem_list")).content.decode()
    assert body.count("urgency-overdue") == 2  # the legend and the problem
    assert body.count("urgency-behind") == 2 and body.count("urgency-near") == 2
    assert "即将到期" in body and "#ffcc00" in body


@pytest.mark.parametrize(
    "value, shown",
    [("overdue", "已逾期的问题"), ("behind", "项目滞后的问题"), ("near", "临近期限的问题")],
)
def test_filter_by_urgency_lists_only_that_colour(value, shown, coloured, client_for, office):
    body = client_for(office).get(reverse("supervision:problem_list") + f"?urgency={value}").content.decode()
    listed = {p.description for p in Problem.objects.all() if p.description in body}
    assert listed == {shown}


def test_the_inbox_shows_the_colours_too(coloured, client_for, department_user):
    body = client_for(department_user).get(reverse("supervision:inbox")).content.decode()
    assert "urgency-overdue" in body and "urgency-behind" in body and "urgency-near" in body


def test_urgency_filter_runs_the_same_number_of_queries_for_1_and_30_problems(
    make_problem, client_for, office
):
    client = client_for(office)
    today = timezone.localdate()
    url = reverse("supervision:problem_list") + "?urgency=near"
    counts = []
    for n in (1, 29):
        for i in range(n):
            make_problem(description=f"问题{i}", raised_on=today, deadline=today + datetime.timedelta(days=1))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_office_changes_the_names_and_colours(client_for, office):
    client = client_for(office)
    data = {
        "office_name": "金坛区重点项目建设指挥部办公室",
        "near_days": 5,
        "near_label": "黄色督办",
        "near_colour": "#f9a825",
        "behind_label": "橙色督办",
        "behind_colour": "#ef6c00",
        "overdue_label": "红色督办",
        "overdue_colour": "#c62828",
        "reminder_prefix": "督提",
        "order_prefix": "督办",
        "letter_prefix": "督函",
    }
    assert client.post(reverse("supervision:settings"), data).status_code == 302
    conf = SupervisionSettings.objects.get()
    assert (conf.near_days, conf.overdue_label) == (5, "红色督办")
    response = client.post(
        reverse("supervision:settings"), data | {"near_colour": "yellow"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "#rrggbb" in response.content.decode()
    assert SupervisionSettings.objects.get().near_colour == "#f9a825"


def test_office_adds_renames_and_deactivates_a_category(make_problem, land, client_for, office):
    client = client_for(office)
    client.post(reverse("supervision:categories"), {"new-name": "电力", "new-order": ""})
    power = ProblemCategory.objects.get(name="电力")
    assert power.is_active
    client.post(
        reverse("supervision:category_edit", args=[power.pk]),
        {f"c{power.pk}-name": "电力增容", f"c{power.pk}-order": 3},
    )
    power.refresh_from_db()
    assert (power.name, power.order) == ("电力增容", 3)

    problem = make_problem(category=land)
    client.post(reverse("supervision:category_edit", args=[land.pk]), {"active": "0"})
    land.refresh_from_db()
    assert not land.is_active
    assert land not in ProblemForm().fields["category"].queryset
    assert "土地" in client.get(problem.get_absolute_url()).content.decode()  # old problems keep it
    assert "土地" in client.get(reverse("supervision:problem_list")).content.decode()

    client.post(reverse("supervision:category_edit", args=[land.pk]), {"active": "1"})
    land.refresh_from_db()
    assert land.is_active


def test_a_duplicate_category_name_is_refused_with_a_message(db, land, client_for, office):
    client = client_for(office)
    response = client.post(reverse("supervision:categories"), {"new-name": "土地"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "already a category" in response.content.decode()
    response = client.post(
        reverse("supervision:category_edit", args=[ProblemCategory.objects.get(name="资金").pk]),
        {f"c{ProblemCategory.objects.get(name='资金').pk}-name": "土地"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "already a category" in response.content.decode()
    assert ProblemCategory.objects.filter(name="资金").exists()


def test_only_the_office_keeps_categories_and_settings(db, land, client_for, department_user, leader):
    for user in (department_user, leader):
        client = client_for(user)
        assert client.get(reverse("supervision:categories")).status_code == 403
        assert (
            client.post(reverse("supervision:category_edit", args=[land.pk]), {"active": "0"}).status_code
            == 403
        )
        assert client.get(reverse("supervision:settings")).status_code == 403
    land.refresh_from_db()
    assert land.is_active


def test_categories_page_runs_a_constant_number_of_queries(client_for, office):
    client = client_for(office)
    counts = []
    for n in (1, 20):
        ProblemCategory.objects.bulk_create([ProblemCategory(name=f"类别{n}-{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("supervision:categories"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
