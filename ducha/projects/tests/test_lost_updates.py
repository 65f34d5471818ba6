"""Two office users edit one project: the second save gets the conflict page and the first value stays."""

from django.test import Client

from ducha.accounts.models import Role, User
from ducha.projects.models import Project
from ducha.projects.tests.factories import make_project
from ducha.projects.tests.test_views import _form_data


def test_the_second_of_two_editors_gets_the_conflict_page_and_the_first_value_stays(office, units):
    project = make_project(units["park"], "新项目", total_investment=50000)
    colleague = User.objects.create_user("office2", password="pw-for-tests-1", role=Role.OFFICE)
    first, second = Client(), Client()
    first.force_login(office)
    second.force_login(colleague)
    url = f"/projects/{project.pk}/edit/"
    # both open the form at the same version
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version
    assert (
        first.post(url, _form_data(units["park"], total_investment="60000", version=version)).status_code
        == 302
    )
    response = second.post(url, _form_data(units["park"], total_investment="70000", version=version))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and "60000" in page and "70000" in page
    project.refresh_from_db()
    assert project.total_investment == 60000 and project.version == version + 1
    # opened again, the form carries the new version and saves
    fresh = second.get(url).context["form"].initial["version"]
    assert (
        second.post(url, _form_data(units["park"], total_investment="70000", version=fresh)).status_code
        == 302
    )
    assert Project.objects.get(pk=project.pk).total_investment == 70000
