from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.cockpit.models import Bulletin

from .conftest import MONTH, YEAR, make_project

COCKPIT = f"/?year={YEAR}&month={MONTH}"


def test_home_shows_the_cockpit_to_business_users(world, client_for, leader):
    response = client_for(leader).get(COCKPIT)
    assert response.status_code == 200
    assert "cockpit/cockpit.html" in [t.name for t in response.templates]


def test_home_sends_auditors_to_the_audit_trail(client_for, auditor):
    response = client_for(auditor).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:audit")


def test_home_sends_anonymous_visitors_to_the_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_cockpit_links_each_figure_to_the_list_behind_it(world, client_for, office):
    html = client_for(office).get(COCKPIT).content.decode()
    for link in (
        f"/projects/?light=red&amp;year={YEAR}&amp;month={MONTH}",
        f"/projects/?stage=started&amp;year={YEAR}&amp;month={MONTH}",
        "/supervision/problems/?status=overdue",
    ):
        assert link in html


def test_cockpit_lists_red_projects_overdue_problems_and_flags(world, client_for, office):
    html = client_for(office).get(COCKPIT).content.decode()
    assert "贝特瑞正极材料项目" in html  # red
    assert "二期用地指标尚未落实" in html and "环评批复待办理" in html  # overdue
    assert 'data-flag="red"' in html and 'data-flag="yellow"' in html


def test_park_user_cockpit_shows_only_their_units_projects_and_problems(world, client_for, park_user):
    html = client_for(park_user).get(COCKPIT).content.decode()
    assert "贝特瑞正极材料项目" in html
    assert "环评批复待办理" not in html  # the other park's overdue problem
    assert 'data-figure="projects"' in html
    response = client_for(park_user).get(COCKPIT)
    assert response.context["f"].all.count == 2


def _cockpit_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COCKPIT).status_code == 200
    return len(queries)


def test_cockpit_query_count_does_not_grow_with_projects(world, client_for, office, units, industries):
    client = client_for(office)
    few = _cockpit_queries(client)
    for i in range(15):
        make_project(f"新增项目{i}", units["town"], industry=industries["battery"], light="red", months=3)
    assert _cockpit_queries(client) == few


def test_chain_page_lists_each_position_with_links_to_projects(world, client_for, office, industries):
    response = client_for(office).get(reverse("cockpit:chain"), {"industry": industries["car"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("projects:detail", args=[world["cell"].pk]) in html
    assert 'id="options-sankey"' in html


def test_chain_page_of_an_unknown_industry_is_not_found(world, client_for, office):
    assert client_for(office).get(reverse("cockpit:chain"), {"industry": "999"}).status_code == 404


def test_chain_page_query_count_does_not_grow_with_projects(world, client_for, office, units, industries):
    client = client_for(office)
    url = f"{reverse('cockpit:chain')}?industry={industries['car'].pk}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(10):
        make_project(
            f"链上项目{i}",
            units["town"],
            industry=industries["material"],
            position="upstream",
            segment="负极材料",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_office_publishes_a_bulletin_for_a_period(world, client_for, office):
    response = client_for(office).post(reverse("cockpit:bulletin_list"), {"year": YEAR, "month": MONTH})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    assert (bulletin.year, bulletin.month, bulletin.issue, bulletin.generated_by) == (YEAR, MONTH, 1, office)


def test_leader_cannot_publish_a_bulletin(world, client_for, leader):
    assert (
        client_for(leader).post(reverse("cockpit:bulletin_list"), {"year": YEAR, "month": MONTH}).status_code
        == 404
    )
    assert not Bulletin.objects.exists()


def test_a_bad_period_publishes_nothing(world, client_for, office):
    response = client_for(office).post(reverse("cockpit:bulletin_list"), {"year": YEAR, "month": 13})
    assert response.status_code == 200 and response.context["form"].errors["month"]
    assert not Bulletin.objects.exists()


def test_auditor_cannot_read_bulletins(world, client_for, office, auditor):
    from ducha.cockpit.services import bulletin_publish

    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    assert client_for(auditor).get(bulletin.get_absolute_url()).status_code == 403


def test_bulletin_list_query_count_does_not_grow_with_bulletins(world, client_for, office, leader):
    from ducha.cockpit.services import bulletin_publish

    bulletin_publish(year=YEAR, month=MONTH, user=office)
    client = client_for(leader)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("cockpit:bulletin_list"))
    for month in (3, 6, 9):
        bulletin_publish(year=YEAR, month=month, user=office)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cockpit:bulletin_list"))
    assert len(one) == len(many)


def test_the_unit_chart_draws_the_largest_plans_and_counts_the_rest(world, client_for, office, monkeypatch):
    from ducha.cockpit import views

    full = client_for(office).get(COCKPIT)
    plans = sorted(
        (bar["value"] for bar in full.context["charts"]["unit"]["series"][0]["data"]), reverse=True
    )
    assert len(plans) >= 3 and 'id="units-left-out"' not in full.content.decode()
    monkeypatch.setattr(views, "UNIT_BARS", 2)
    bounded = client_for(office).get(COCKPIT)
    bars = bounded.context["charts"]["unit"]["series"][0]["data"]
    assert [bar["value"] for bar in reversed(bars)] == plans[:2]  # drawn bottom up
    html = bounded.content.decode()
    assert 'id="units-left-out"' in html and f"另有{len(plans) - 2}个单位" in html
