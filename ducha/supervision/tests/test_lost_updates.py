"""Two people act on one problem from pages opened at the same version: the second gets the conflict page (409)
and the first one's change stays."""

from django.test import Client
from django.urls import reverse

from ducha.accounts.models import Role, User
from ducha.supervision.models import Problem


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _edit_data(problem, **changes) -> dict:
    data = {
        "category": problem.category_id,
        "description": problem.description,
        "lead_department": problem.lead_department_id,
        "responsible_leader": problem.responsible_leader,
        "deadline": f"{problem.deadline:%Y-%m-%d}",
    }
    data.update(changes)
    return data


def test_the_second_of_two_office_editors_gets_the_conflict_page_and_the_first_value_stays(
    make_problem, office
):
    problem = make_problem()
    colleague = User.objects.create_user("office2", password="pw-for-tests-1", role=Role.OFFICE)
    first, second = _client(office), _client(colleague)
    url = reverse("supervision:problem_edit", args=[problem.pk])
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version

    response = first.post(url, _edit_data(problem, description="用地指标已报市局", version=version))
    assert response.status_code == 302
    response = second.post(url, _edit_data(problem, description="改由自然资源局牵头", version=version))

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and "用地指标已报市局" in page and "改由自然资源局牵头" in page
    problem.refresh_from_db()
    assert problem.description == "用地指标已报市局" and problem.version == version + 1
    # opened again, the form carries the new version and saves
    fresh = second.get(url).context["form"].initial["version"]
    assert (
        second.post(url, _edit_data(problem, description="改由自然资源局牵头", version=fresh)).status_code
        == 302
    )
    assert Problem.objects.get(pk=problem.pk).description == "改由自然资源局牵头"


def test_an_action_from_a_stale_page_gets_the_conflict_page_and_changes_nothing(
    make_problem, office, department_user
):
    problem = make_problem()
    department, office_client = _client(department_user), _client(office)
    detail = reverse("supervision:problem_detail", args=[problem.pk])
    url = reverse("supervision:problem_transition", args=[problem.pk])
    version = department.get(detail).context["form"].initial["version"]
    assert office_client.get(detail).context["form"].initial["version"] == version

    response = department.post(url, {"action": "resolve", "comment": "已完成用地报批", "version": version})
    assert response.status_code == 302
    # the office still sees the page as it was (待办) and answers it
    response = office_client.post(url, {"action": "answer", "comment": "请尽快落实指标", "version": version})

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and "已完成用地报批" in page and "请尽快落实指标" in page
    problem.refresh_from_db()
    assert problem.status == "resolved" and problem.version == version + 1
    assert list(problem.steps.values_list("action", flat=True)) == ["raise", "resolve"]


def test_a_step_without_a_version_is_not_checked(make_problem, department_user):
    """Callers that do not send a version (older API clients) keep working."""
    problem = make_problem()
    response = _client(department_user).post(
        reverse("supervision:problem_transition", args=[problem.pk]), {"action": "accept"}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "in_progress" and problem.version == 2


def test_only_the_office_edits_a_problem(make_problem, department_user):
    problem = make_problem()
    response = _client(department_user).get(reverse("supervision:problem_edit", args=[problem.pk]))
    assert response.status_code in (403, 404)
