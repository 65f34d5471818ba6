from decimal import Decimal
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.projects import services
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


def test_one_bad_line_is_refused_and_named_and_the_good_line_is_stored(client_for, park_user, units):
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
    assert ProgressReport.objects.get(project=a, month=4).investment_ytd == 400
    assert not ProgressReport.objects.filter(project=b, month=4).exists()
    bad = [form for _p, form, _prev, _r in response.context["lines"] if form and form.errors]
    assert len(bad) == 1 and "investment_ytd" in bad[0].errors
    shown = [str(m) for m in response.context["messages"]]
    assert any("1" in m and b.name in m for m in shown)  # the refused line is named
    assert any("1" in m for m in shown if b.name not in m)  # and one line was stored


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


def _batch_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_batch_page_query_count_does_not_grow_with_projects(client_for, park_user, units):
    client = client_for(park_user)
    _projects(units, 2)
    few = _batch_page_queries(client)
    for i in range(10):
        p = make_project(units["park"], f"更多项目{i}")
        make_plan(p)
    assert _batch_page_queries(client) == few


def test_leader_and_department_cannot_file(client_for, leader, department_user):
    assert client_for(leader).get(URL).status_code == 404
    assert client_for(department_user).get(URL).status_code == 404


class _Inputs(HTMLParser):
    """What a browser posts for a page's form: every named input that is not disabled."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select and ("selected" in a or self._select not in self.fields):
            self.fields[self._select] = a.get("value") or ""
        if "disabled" in a or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        if tag == "input" and a.get("type") not in ("submit", "button", "checkbox"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:  # a browser drops the newline that starts a textarea's text
            self.fields[self._textarea] = (self.fields[self._textarea] + data).lstrip("\n")


def _browser_post_data(page) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(page.content.decode())
    return {k: v for k, v in parser.fields.items() if k.startswith("rows-")}


def test_after_one_report_is_accepted_the_batch_still_stores_every_other_line(
    client_for, park_user, office, units
):
    """Issue 12 §1: once the office accepted one report of the month, the batch page stored nothing,
    said nothing and the accepted line vanished (its disabled inputs are not posted by a browser)."""
    a, b, c = _projects(units, 3)
    accepted = make_report(a, 4, 400, month_amount=100, status="submitted")
    services.progress_report_review(report=accepted, user=office, approve=True)
    client = client_for(park_user)
    page = client.get(URL)
    data = _browser_post_data(page)
    assert str(a.pk) not in data.values()  # the accepted line is not part of the posted form
    for key in list(data):
        if key.endswith("-investment_month"):
            data[key] = "50"
    response = client.post(URL, data, follow=True)
    assert ProgressReport.objects.get(project=b, month=4).investment_ytd == 350
    assert ProgressReport.objects.get(project=c, month=4).investment_ytd == 350
    assert ProgressReport.objects.get(project=a, month=4).investment_ytd == 400  # untouched
    assert any("2" in str(m) for m in response.context["messages"])  # says how many were stored
    # the accepted line stays on the page, read-only, with its figures
    again = client.get(URL)
    line_a = next(line for line in again.context["lines"] if line[0] == a)
    assert line_a[1] is None and line_a[3].status == "reviewed"
    assert a.name in again.content.decode()


def test_a_line_for_an_accepted_report_sent_from_an_old_page_is_named_and_not_stored(
    client_for, park_user, units
):
    a, b = _projects(units)
    make_report(a, 4, 400, month_amount=100, status="reviewed")
    data = _post_data(
        [
            {"project": a.pk, "investment_month": "999", "investment_ytd": "1299", "stage": "started"},
            {"project": b.pk, "investment_month": "50", "investment_ytd": "", "stage": "started"},
        ]
    )
    response = client_for(park_user).post(URL, data)
    assert response.status_code == 200
    assert ProgressReport.objects.get(project=a, month=4).investment_ytd == 400  # untouched
    assert ProgressReport.objects.get(project=b, month=4).investment_ytd == 350
    assert any(a.name in str(m) for m in response.context["messages"])


def test_a_line_with_a_typing_error_is_kept_and_named(client_for, park_user, units):
    a, b = _projects(units)
    data = _post_data(
        [
            {"project": a.pk, "investment_month": "一百", "stage": "started"},
            {"project": b.pk, "investment_month": "50", "stage": "started"},
        ]
    )
    response = client_for(park_user).post(URL, data)
    assert response.status_code == 200
    line_a = next(line for line in response.context["lines"] if line[0] == a)
    assert "investment_month" in line_a[1].errors
    assert any(a.name in str(m) for m in response.context["messages"])
    assert ProgressReport.objects.get(project=b, month=4).investment_ytd == 350
    assert 'value="一百"' in response.content.decode()  # what was typed is still there to correct


def test_a_page_without_its_management_form_stores_nothing_and_says_so(client_for, park_user, units):
    (a,) = _projects(units, 1)
    response = client_for(park_user).post(
        URL, {"rows-0-project": a.pk, "rows-0-investment_month": "5"}, follow=True
    )
    assert response.status_code == 200
    assert not ProgressReport.objects.filter(month=4).exists()
    assert list(response.context["messages"])


def test_batch_page_query_count_does_not_grow_with_accepted_and_returned_lines(
    client_for, park_user, office, units
):
    client = client_for(park_user)
    _projects(units, 2)
    few = _batch_page_queries(client)
    for i in range(6):
        p = make_project(units["park"], f"更多项目{i}")
        make_plan(p)
        make_report(
            p, 4, 100, month_amount=100, status="reviewed" if i % 2 else "returned", reviewed_by=office
        )
    assert _batch_page_queries(client) == few


def test_refiling_the_page_after_correcting_one_line_leaves_the_untouched_lines_alone(
    client_for, park_user, units
):
    """Only the corrected line is filed again: the others keep their version (no conflict for a reviewer
    who has them open) and get no new entry in the change log."""
    a, b = _projects(units)
    client = client_for(park_user)
    data = _browser_post_data(client.get(URL))
    for key in list(data):
        if key.endswith("-investment_month"):
            data[key] = "50"
    client.post(URL, data)
    first = {r.project_id: r.version for r in ProgressReport.objects.filter(month=4)}
    assert set(first) == {a.pk, b.pk}

    data = _browser_post_data(client.get(URL))
    line_of_a = next(k for k, v in data.items() if k.endswith("-project") and v == str(a.pk))
    data[line_of_a.replace("-project", "-investment_month")] = "60"
    data[line_of_a.replace("-project", "-investment_ytd")] = "360"
    response = client.post(URL, data, follow=True)
    now = {r.project_id: r.version for r in ProgressReport.objects.filter(month=4)}
    assert now[b.pk] == first[b.pk] and now[a.pk] == first[a.pk] + 1
    assert ProgressReport.objects.get(project=a, month=4).investment_ytd == 360
    assert any("1" in str(m) for m in response.context["messages"])
