"""The chain map at scale: segment totals from aggregates, only the largest projects drawn, the rest linked."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.cockpit import selectors
from ducha.lib.periods import Period
from ducha.projects.selectors import ledger

from .conftest import MONTH, YEAR, make_project

PERIOD = Period(YEAR, MONTH)


def _chain_url(industries):
    return f"{reverse('cockpit:chain')}?industry={industries['car'].pk}&year={YEAR}&month={MONTH}"


def _fill_segment(units, industries, n, start=0):
    for i in range(start, start + n):
        make_project(
            f"负极材料项目{i:02d}",
            units["town"],
            industry=industries["material"],
            position="upstream",
            segment="负极材料",
            total=1000 * (i + 1),
            plan=1200,
            done=1100,
        )


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_chain_page_size_and_queries_do_not_grow_with_the_projects_of_a_segment(
    world, client_for, office, units, industries
):
    client = client_for(office)
    url = _chain_url(industries)
    _fill_segment(units, industries, 3)
    few, few_queries = _get(client, url)
    _fill_segment(units, industries, 37, start=3)
    many, many_queries = _get(client, url)
    assert many_queries == few_queries
    # The largest 5 projects replace the smaller ones and "N more" is added: a few hundred bytes, not 37 rows.
    assert len(many.content) - len(few.content) < 1500
    nodes = many.context["sankey"]["series"][0]["data"]
    # The 5 largest and one "more" node instead of 3 projects.
    assert len(nodes) == len(few.context["sankey"]["series"][0]["data"]) + 3


def test_a_segment_shows_its_totals_and_largest_projects_and_links_the_rest_to_the_ledger(
    world, client_for, office, units, industries
):
    _fill_segment(units, industries, 12)
    response = client_for(office).get(_chain_url(industries))
    chain = response.context["chain"]
    segment = next(s for s in chain.segments if s.name == "负极材料")
    assert segment.count == 12
    assert segment.investment == Decimal(sum(1000 * (i + 1) for i in range(12)))
    assert segment.plan == Decimal(1200 * 12)
    assert segment.completed == Decimal(1100 * 12)
    assert [p.name for p in segment.projects] == [f"负极材料项目{i:02d}" for i in (11, 10, 9, 8, 7)]
    assert segment.rest == 7
    html = response.content.decode()
    assert "另有7个项目" in html
    assert reverse("projects:detail", args=[segment.projects[0].pk]) in html
    # The link lists exactly the segment's projects on the ledger.
    link = segment.url.replace("&amp;", "&")
    assert link in html.replace("&amp;", "&")
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert params["chain_position"] == "upstream" and params["chain_segment"] == "负极材料"
    ledger_response = client_for(office).get(link)
    assert ledger_response.status_code == 200
    rows = ledger(office, ledger_response.context["form"].cleaned_data, PERIOD)
    assert rows.count() == 12
    # The sankey draws the 5 largest projects and one "more" node that opens the same list.
    nodes = response.context["sankey"]["series"][0]["data"]
    more = [n for n in nodes if n["name"].startswith("另有7个项目")]
    assert len(more) == 1 and more[0]["link"] == segment.url


def test_chain_totals_add_up_the_segments(world, office, units, industries):
    _fill_segment(units, industries, 8)
    chain = selectors.chain_map(office, industries["car"], PERIOD, top=2)
    upstream = next(g for g in chain.positions if g.position == "upstream")
    assert upstream.count == 2 + 8  # 正极材料, 电池隔膜 and 负极材料
    assert chain.count == 3 + 8
    assert all(len(s.projects) <= 2 for s in chain.segments)
    assert chain.leaves == 1 + 1 + 1 + 3  # three single-project segments; 负极材料's 2 largest and "6 more"


def _drawn(chain) -> list[tuple]:
    return [
        (s.position, s.name, s.count, s.investment, s.plan, s.completed, [p.pk for p in s.projects])
        for s in chain.segments
    ]


def test_the_units_stored_sums_draw_the_same_map_as_the_projects_own_rows(
    world, office, units, industries, monkeypatch
):
    _fill_segment(units, industries, 8)
    stored = selectors.chain_map(office, industries["car"], PERIOD, top=3)  # the units' chain sums
    monkeypatch.setattr(selectors, "whole_units_in_scope", lambda user: None)  # as for department staff
    grouped = selectors.chain_map(office, industries["car"], PERIOD, top=3)
    assert stored.count == 3 + 8
    assert _drawn(stored) == _drawn(grouped)


def test_a_unit_sees_only_its_own_projects_of_a_segment_it_shares(
    world, office, park_user, units, industries
):
    _fill_segment(units, industries, 8)  # the town's, all larger than the park's
    make_project(
        "园区负极材料项目",
        units["park"],
        industry=industries["material"],
        position="upstream",
        segment="负极材料",
        total=10,
        plan=10,
        done=1,
    )
    park = next(s for s in selectors.chain_map(park_user, industries["car"], PERIOD, top=3).segments
                if s.name == "负极材料")  # fmt: skip
    assert park.count == 1 and [p.name for p in park.projects] == ["园区负极材料项目"]
    district = next(
        s
        for s in selectors.chain_map(office, industries["car"], PERIOD, top=3).segments
        if s.name == "负极材料"
    )
    assert district.count == 9 and "园区负极材料项目" not in [p.name for p in district.projects]


def test_a_chain_of_many_segments_draws_fewer_projects_of_each_and_one_at_least(
    world, office, units, industries
):
    _fill_segment(units, industries, 8)
    full = selectors.chain_map(office, industries["car"], PERIOD, top=5)
    negative = next(s for s in full.segments if s.name == "负极材料")
    assert len(negative.projects) == 5 and negative.rest == 3
    # A budget of as many projects as segments: each segment draws its largest project and counts the rest.
    few = selectors.chain_map(office, industries["car"], PERIOD, top=5, drawn=len(full.segments))
    assert _drawn(few) != _drawn(full)
    assert [(s.name, s.count, s.investment) for s in few.segments] == [
        (s.name, s.count, s.investment) for s in full.segments
    ]
    assert all(len(s.projects) == 1 for s in few.segments)
    negative = next(s for s in few.segments if s.name == "负极材料")
    assert [p.name for p in negative.projects] == ["负极材料项目07"] and negative.rest == 7
    assert few.leaves == len(few.segments) + sum(1 for s in few.segments if s.rest)
