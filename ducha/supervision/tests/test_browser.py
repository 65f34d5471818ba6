import pytest
from django.utils import timezone

from ducha.projects.models import Project
from ducha.supervision.models import Problem, ProblemCategory, RoundVisit, SupervisionRound


@pytest.mark.browser
def test_office_raises_a_problem_during_a_round_department_answers_office_closes(
    browser_page, sign_in_browser, office, department_user, units
):
    for order, name in enumerate(["土地", "用工"]):  # transactional tests flush the migration's categories
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})
    page = browser_page
    project = Project.objects.create(
        name="飞荣达高性能导电导热材料项目", unit=units["park"], total_investment=200000
    )
    rnd = SupervisionRound.objects.create(
        title="2020年“两个加快全面决战年”第一次集中现场督查",
        year=2020,
        date=timezone.localdate(),
        leaders="狄志强、沈东",
    )
    RoundVisit.objects.create(round=rnd, project=project, order=1)

    sign_in_browser(page, "office")
    page.goto(page.base_url + rnd.get_absolute_url())
    page.click("a.raise-problem")
    page.select_option("#id_category", label="用工")
    page.fill("#id_description", "投产前一线工人缺口约200人")
    page.select_option("#id_lead_department", label="住建局")
    page.click("button[name=save]")
    page.wait_for_selector("#history")
    problem = Problem.objects.get()
    assert problem.round == rnd and problem.status == "pending"

    page.context.clear_cookies()
    sign_in_browser(page, "zhujianju")
    page.goto(page.base_url + "/supervision/inbox/")
    page.click(f"a[href='/supervision/problems/{problem.pk}/'] >> nth=0")
    page.fill("#id_comment", "已联系人社局组织专场招聘会")
    page.click("button[value=resolve]")
    page.wait_for_selector("text=已联系人社局组织专场招聘会")
    problem.refresh_from_db()
    assert problem.status == "resolved"

    page.context.clear_cookies()
    sign_in_browser(page, "office")
    page.goto(page.base_url + problem.get_absolute_url())
    page.fill("#id_comment", "经核实已解决")
    page.click("button[value=verify]")
    page.wait_for_selector("text=经核实已解决")
    page.screenshot(path="/tmp/sup-problem-detail.png", full_page=True)
    problem.refresh_from_db()
    assert problem.status == "verified" and problem.verified_by == office
    assert list(problem.steps.values_list("action", flat=True)) == ["raise", "resolve", "verify"]
