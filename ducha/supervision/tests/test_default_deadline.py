"""A problem's default deadline counts from the day it was raised, not from the day it is typed in."""

import datetime

from django.urls import reverse

from ducha.supervision.models import RoundVisit, SupervisionRound
from ducha.supervision.rules import default_deadline
from ducha.supervision.services import problem_default_deadline

VISIT = datetime.date(2021, 3, 18)


def test_default_deadline_is_days_after_the_raise_date():
    assert default_deadline(VISIT, days=30) == datetime.date(2021, 4, 17)
    assert default_deadline(datetime.date(2020, 12, 15), days=30) == datetime.date(2021, 1, 14)


def test_a_problem_raised_for_a_2021_visit_is_offered_the_deadline_30_days_after_the_visit(
    settings, client_for, office, park_project
):
    settings.DUCHA_TODAY = "2026-12-01"
    rnd = SupervisionRound.objects.create(title="第一次集中现场督查", year=2021, date=VISIT, leaders="沈东")
    RoundVisit.objects.create(round=rnd, project=park_project, order=1)
    url = reverse("supervision:problem_create") + f"?round={rnd.pk}&project={park_project.pk}"
    initial = client_for(office).get(url).context["form"].initial
    assert initial["raised_on"] == VISIT
    assert initial["deadline"] == datetime.date(2021, 4, 17)  # not 2026-12-31


def test_the_setting_changes_the_default_in_the_form_and_the_service(
    settings, client_for, office, make_problem
):
    settings.DUCHA_TODAY = "2026-12-01"
    settings.DUCHA_PROBLEM_DEADLINE_DAYS = 10
    form = client_for(office).get(reverse("supervision:problem_create")).context["form"]
    assert form.initial["deadline"] == datetime.date(2026, 12, 11)
    assert problem_default_deadline(VISIT) == datetime.date(2021, 3, 28)
    problem = make_problem(raised_on=VISIT, deadline=None)
    assert problem.deadline == datetime.date(2021, 3, 28)


def test_a_problem_posted_without_a_deadline_gets_the_default(
    settings, client_for, office, park_project, land, units
):
    settings.DUCHA_TODAY = "2026-12-01"
    response = client_for(office).post(
        reverse("supervision:problem_create"),
        {
            "project": park_project.pk,
            "category": land.pk,
            "description": "施工许可待办",
            "lead_department": units["department"].pk,
            "raised_on": "2021-03-18",
            "deadline": "",
        },
    )
    assert response.status_code == 302
    assert park_project.problems.get().deadline == datetime.date(2021, 4, 17)
