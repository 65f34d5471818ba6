"""A month in the life (issue 12 §8): on 3 December 2020 the park files November, the office returns one report
and accepts the corrected month, the cockpit and a project's light follow, a supervision round raises a problem
that the department signs for and answers and the office closes, the 1-11月 evaluation is published and the
bulletin is generated and downloaded as Word — every step through the pages, in Chromium."""

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from ducha.core.templatetags.ducha import wan_figure
from ducha.evaluation.choices import FlagRuleKind, Method, Source
from ducha.evaluation.models import Evaluation, Scheme, SchemeItem
from ducha.lib.money import format_wan
from ducha.projects.choices import ReportStatus, Stage
from ducha.projects.models import AnnualPlan, ProgressReport, Project
from ducha.projects.services import projects_refresh_lights
from ducha.supervision.models import Problem, ProblemCategory

SHOTS = Path("/tmp/month")

# name, total investment, annual plan 2020, monthly figure January–October, November's figure (all in 万元)
PROJECTS = [
    ("飞荣达高性能导电导热材料项目", 200000, 10000, 800, 900),  # 80% in October, 89% in November: green
    ("盛利维尔高强度精密钢带项目", 120000, 6000, 300, 600),  # 50%, 60%: red
    ("德尔未来智能家居产业园项目", 80000, 5000, 350, 1200),  # 70% (yellow), 94% in November
]
NOVEMBER_WRONG_YTD = Decimal(
    3500
)  # the red project's first November filing: its year-to-date figure is short


SUBMITTED_3 = r"text=/已报送\s*3\s*个项目的月度进度/"  # the batch page's message, spaced or not
SUBMITTED_1 = r"text=/已报送\s*1\s*个项目的月度进度/"


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _start_of_the_month(office, park_user, units) -> list[Project]:
    """What the office and the park have on record when December begins: plans and January–October reviewed."""
    for order, name in enumerate(["土地", "用工"]):  # transactional tests flush the migration's categories
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})
    projects = []
    for name, total, plan, monthly, _november in PROJECTS:
        project = Project.objects.create(
            name=name, unit=units["park"], total_investment=total, stage=Stage.STARTED, in_statistics=True
        )
        AnnualPlan.objects.create(project=project, year=2020, planned_investment=plan)
        ProgressReport.objects.bulk_create(
            ProgressReport(
                project=project,
                year=2020,
                month=month,
                investment_month=monthly,
                investment_ytd=monthly * month,
                stage=Stage.STARTED,
                narrative=f"{month}月按计划推进",
                status=ReportStatus.REVIEWED,
                submitted_by=park_user,
                reviewed_by=office,
            )
            for month in range(1, 11)
        )
        projects.append(project)
    projects_refresh_lights(projects=projects)
    scheme = Scheme.objects.create(year=2020, name="2020年度重点工作绩效评价", flag_rule=FlagRuleKind.THIRDS)
    SchemeItem.objects.create(
        scheme=scheme,
        label="项目投资完成序时进度",
        source=Source.INVESTMENT_SCHEDULE,
        weight=Decimal(60),
        method=Method.RANK_POINTS,
        order=1,
    )
    SchemeItem.objects.create(
        scheme=scheme,
        label="矛盾问题销号率",
        source=Source.PROBLEM_CLOSURE,
        weight=Decimal(40),
        method=Method.RANK_POINTS,
        order=2,
    )
    return projects


def _sign_in_as(page, sign_in_browser, username: str) -> None:
    page.context.clear_cookies()
    sign_in_browser(page, username)


def _batch_line(page, project: Project):
    return page.locator(f"tr[data-project='{project.pk}']")


@pytest.mark.browser
def test_a_month_in_the_life_of_the_park_the_office_and_a_department(
    browser_page, sign_in_browser, settings, office, park_user, department_user, units
):
    settings.DUCHA_TODAY = "2020-12-03"  # November is being filed; October is still the current month
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    projects = _start_of_the_month(office, park_user, units)
    green, red, turning = projects
    november = {p.pk: row[4] for p, row in zip(projects, PROJECTS, strict=True)}
    october_ytd = {p.pk: row[3] * 10 for p, row in zip(projects, PROJECTS, strict=True)}

    # 1. The park files November for its three projects on the batch page.
    _sign_in_as(page, sign_in_browser, "jinkeyuan")
    page.goto(page.base_url + "/projects/reports/batch/?year=2020&month=11")
    page.wait_for_selector("text=报送已填写的全部项目")
    for project in projects:
        line = _batch_line(page, project)
        line.locator("input[name$='-investment_month']").fill(str(november[project.pk]))
        ytd = october_ytd[project.pk] + november[project.pk]
        line.locator("input[name$='-investment_ytd']").fill(
            str(NOVEMBER_WRONG_YTD if project == red else ytd)
        )
        line.locator("textarea[name$='-narrative']").fill("11月主体工程推进")
    page.click("button:has-text('报送已填写的全部项目')")
    page.wait_for_selector(SUBMITTED_3)
    for project in projects:
        assert project.name in page.locator("table").inner_text()
    _shot(page, "01-park-filed-november")

    # 2. The office opens the red project's report from the report list and returns it with a reason.
    reason = "本年累计完成投资与1-10月累计加本月数不符，请核实后重报"
    _sign_in_as(page, sign_in_browser, "office")
    page.goto(page.base_url + "/projects/reports/?year=2020&month=11")
    row = page.locator("tr", has_text=red.name)
    row.get_by_role("link", name="审核").click()
    page.wait_for_selector("text=审核月度进度")
    assert format_wan(NOVEMBER_WRONG_YTD) in page.inner_text("main")
    page.fill("#id_comment", reason)
    page.click("button[name=return]")
    page.wait_for_selector("text=审核结果已记录")
    _shot(page, "02-office-returned-one")

    # 3. The park sees the return in its notices and on the batch page, corrects the figure and refiles.
    _sign_in_as(page, sign_in_browser, "jinkeyuan")
    page.goto(page.base_url + "/supervision/notices/")
    notice = page.locator("li.list-group-item", has_text=red.name)
    assert reason in notice.inner_text()
    page.goto(page.base_url + "/projects/reports/batch/?year=2020&month=11")
    line = _batch_line(page, red)
    assert reason in line.locator(".report-returned").inner_text()
    correct_ytd = october_ytd[red.pk] + november[red.pk]
    line.locator("input[name$='-investment_ytd']").fill(str(correct_ytd))
    _shot(page, "03a-park-sees-the-return")
    page.click("button:has-text('报送已填写的全部项目')")
    page.wait_for_selector(SUBMITTED_1)  # only the corrected line is filed again; the others stand as filed
    assert (
        wan_figure(correct_ytd) in page.locator("tr", has_text=red.name).inner_text()
    )  # the list's 万元 column
    _shot(page, "03b-park-refiled")

    # 4. The office accepts the three reports.
    _sign_in_as(page, sign_in_browser, "office")
    for _project in projects:
        page.goto(page.base_url + "/projects/reports/?year=2020&month=11&status=submitted")
        page.locator("a.btn", has_text="审核").first.click()
        page.wait_for_selector("text=审核月度进度")
        page.click("button[name=approve]")
        page.wait_for_selector("text=审核结果已记录")
    page.goto(page.base_url + "/projects/reports/?year=2020&month=11&status=reviewed")
    table = page.locator("table").inner_text()
    assert all(p.name in table for p in projects)
    _shot(page, "04-office-accepted-all")
    page.goto(page.base_url + "/projects/reports/?year=2020&month=11&status=submitted")
    page.wait_for_selector("text=暂无填报记录")
    assert ProgressReport.objects.filter(year=2020, month=11, status=ReportStatus.REVIEWED).count() == 3

    # 5. The cockpit for 1-11月 shows the November year-to-date total; a project page shows its light.
    page.goto(page.base_url + "/cockpit/?year=2020&month=11")
    page.wait_for_selector("text=2020年1-11月")
    total = sum(october_ytd[p.pk] + november[p.pk] for p in projects)
    assert format_wan(total) in page.inner_text("[data-figure=plan]")
    _shot(page, "05a-cockpit-1-11")
    page.goto(page.base_url + red.get_absolute_url())
    assert "红灯" in page.inner_text(".ducha-card >> nth=0")
    page.goto(page.base_url + green.get_absolute_url())
    assert "绿灯" in page.inner_text(".ducha-card >> nth=0")
    _shot(page, "05b-project-light")

    # 6. A supervision round visits two of the projects and raises a problem for 住建局 at one of them.
    page.goto(page.base_url + "/supervision/rounds/new/")
    page.fill("#id_year", "2020")
    page.fill("#id_ordinal", "4")
    page.fill("#id_title", "2020年第四次集中现场督查")
    page.fill("#id_date", "2020-12-02")
    page.fill("#id_leaders", "狄志强、沈东")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=督查活动已保存")
    for project in (green, red):
        page.select_option("#id_project", value=str(project.pk))
        page.fill("#id_findings", f"{project.name}现场施工正常")
        page.click("form:has(#id_project) button.btn-primary")
        page.wait_for_selector("text=督查项目已添加")
    assert page.locator(".visit").count() == 2
    page.locator(".visit", has_text=red.name).locator("a.raise-problem").click()
    page.select_option("#id_category", label="用工")
    page.fill("#id_description", "二期厂房施工一线工人缺口约150人")
    page.select_option("#id_lead_department", label="住建局")
    page.click("button[name=save]")
    page.wait_for_selector("text=问题已交办至住建局")
    problem = Problem.objects.get()
    _shot(page, "06-round-problem-raised")

    # 7. The department signs for it, answers and marks it resolved.
    _sign_in_as(page, sign_in_browser, "zhujianju")
    page.goto(page.base_url + "/supervision/inbox/")
    page.click(f"a[href='{problem.get_absolute_url()}'] >> nth=0")
    page.click("button:has-text('签收')")
    page.wait_for_selector("#history >> text=签收")
    page.fill("#id_comment", "已协调人社局举办专场招聘会")
    page.click("button:has-text('回复办理情况')")
    page.wait_for_selector("#history >> text=已协调人社局举办专场招聘会")
    page.fill("#id_comment", "招聘到位120人，缺口已补足")
    page.click("button:has-text('标记为已办结')")
    page.wait_for_selector("#history >> text=招聘到位120人，缺口已补足")
    assert "已办结" in page.inner_text("#problem-status")
    _shot(page, "07-department-resolved")

    # 8. The office verifies and closes it.
    _sign_in_as(page, sign_in_browser, "office")
    page.goto(page.base_url + problem.get_absolute_url())
    page.fill("#id_comment", "经现场核实已解决")
    page.click("button:has-text('核实销号')")
    page.wait_for_selector("#history >> text=经现场核实已解决")
    assert "已销号" in page.inner_text("#problem-status")
    _shot(page, "08-office-closed")

    # 9. The office computes the 1-11月 evaluation and publishes it; the page shows places and flags.
    page.goto(page.base_url + "/evaluation/")
    page.select_option("#id_scheme", label="2020年度重点工作绩效评价")
    page.select_option("#id_month", value="11")
    page.click("button:has-text('计算草稿')")
    page.wait_for_selector("button:has-text('发布')")
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=已发布，结果已锁定")
    park_row = page.locator(f"tr[data-unit='{units['park'].pk}']")
    assert "金科园" in park_row.inner_text()
    assert any(flag in park_row.inner_text() for flag in ("红旗", "蓝旗", "黄旗"))
    assert "/" in park_row.locator("td").first.inner_text()
    _shot(page, "09-evaluation-published")
    assert Evaluation.objects.get(month=11).status == "published"

    # 10. The office generates the 1-11月 bulletin and downloads it as Word.
    page.goto(page.base_url + "/cockpit/bulletins/")
    page.fill("#id_year", "2020")
    page.select_option("#id_month", value="11")
    page.click("button:has-text('生成并发布通报')")
    page.wait_for_selector("text=通报已发布")
    body = page.inner_text("main")
    issue = page.inner_text(".bulletin-masthead .text-center")
    assert issue == "第1期"
    assert "2020年1-11月" in body and format_wan(total) in body
    lagging = page.locator("table", has_text="亮灯原因").inner_text()
    assert red.name in lagging and "3,600" in lagging
    _shot(page, "10-bulletin")
    with page.expect_download() as download_info:
        page.click("a:has-text('下载Word')")
    path = download_info.value.path()

    document = docx.Document(path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert issue in text and "2020年1-11月" in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert red.name in cells
