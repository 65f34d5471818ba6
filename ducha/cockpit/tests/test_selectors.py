from decimal import Decimal

import pytest

from ducha.cockpit import selectors
from ducha.evaluation.selectors import start_rates
from ducha.lib.money import to_cny
from ducha.lib.periods import Period
from ducha.projects.models import Industry
from ducha.projects.selectors import exchange_rates, ledger, projects_for_user, unit_completion_rows

from .conftest import MONTH, YEAR

PERIOD = Period(YEAR, MONTH)


def _ledger_sums(user, **filters):
    """The ledger's rows summed in yuan, other currencies at the configured rates."""
    rows = list(ledger(user, filters, PERIOD))
    rates = exchange_rates()
    return (
        len(rows),
        sum((to_cny(p.plan_year, p.currency, rates) for p in rows), Decimal(0)),
        sum((to_cny(p.completed_ytd, p.currency, rates) for p in rows), Decimal(0)),
    )


@pytest.mark.parametrize("filters", [{}, {"stage": "started"}, {"light": "red"}, {"light": "yellow"}])
def test_headline_figures_agree_with_the_ledger_for_the_same_filters(world, office, filters):
    f = selectors.figures(projects_for_user(office), PERIOD)
    if not filters:
        bucket = f.all
    elif "stage" in filters:
        bucket = f.by_stage[filters["stage"]]
    else:
        bucket = f.by_light[filters["light"]]
    assert (bucket.count, bucket.plan, bucket.completed) == _ledger_sums(office, **filters)


def test_unit_figures_agree_with_the_ledgers_unit_completion(world, office, units):
    f = selectors.figures(projects_for_user(office), PERIOD)
    areas = [units["park"], units["other_park"], units["town"]]
    for row in unit_completion_rows(areas, PERIOD):
        bucket = f.by_unit[row.unit_id]
        assert (bucket.count, bucket.plan, bucket.completed) == (
            row.project_count,
            row.completion.planned,
            row.completion.completed,
        )


def test_investment_totals_are_kept_per_currency(world, office):
    f = selectors.figures(projects_for_user(office), PERIOD)
    assert f.all.total == {"CNY": Decimal(800000 + 100000 + 100000), "USD": Decimal(161000)}
    assert f.all.total_other == {"USD": Decimal(161000)}


def test_start_rate_agrees_with_the_evaluations_start_rate_per_unit(world, park_user, outsider, units):
    by_unit = start_rates(year=YEAR, until=PERIOD.end)
    for user in (park_user, outsider):
        rate = selectors.start_rate(projects_for_user(user), PERIOD)
        assert rate.ratio * 100 == by_unit[user.unit_id]
    assert selectors.start_rate(projects_for_user(park_user), PERIOD) == selectors.StartRate(
        planned=1, started=0
    )


def test_completed_or_producing_counts_projects_at_completion_or_beyond(world, office):
    assert selectors.figures(projects_for_user(office), PERIOD).completed_or_producing == 2


def test_park_user_figures_cover_only_their_own_units_projects(world, park_user, units):
    f = selectors.figures(projects_for_user(park_user), PERIOD)
    assert f.all.count == 2
    assert set(f.by_unit) == {units["park"].pk}


def test_department_user_figures_cover_the_projects_their_department_answers_for(world, department_user):
    f = selectors.figures(projects_for_user(department_user), PERIOD)
    assert f.all.count == 1


def test_monthly_completion_ends_at_the_ledgers_completed_figure(world, office):
    months = selectors.monthly_completion(projects_for_user(office), PERIOD)
    f = selectors.figures(projects_for_user(office), PERIOD)
    assert months[MONTH - 1] == f.all.completed
    assert months[MONTH:] == [None] * (12 - MONTH)


def test_chain_map_groups_the_industrys_descendants_by_position_and_segment(world, office, industries):
    chain = selectors.chain_map(office, industries["car"])
    by_position = {
        g.position: {s.name: [p.name for p in s.projects] for s in g.segments} for g in chain.positions
    }
    assert by_position == {
        "upstream": {"正极材料": ["贝特瑞正极材料项目"], "电池隔膜": ["SK新能源汽车电池隔膜项目"]},
        "midstream": {"动力电池电芯": ["蜂巢能源动力电池项目"]},
        "downstream": {},
    }
    # The dollar project counts in yuan at the configured rate.
    assert chain.investment == Decimal(900000) + to_cny(Decimal(161000), "USD", exchange_rates())


def test_park_user_chain_map_shows_only_their_units_projects(world, park_user, industries):
    names = [
        p.name
        for g in selectors.chain_map(park_user, industries["car"]).positions
        for s in g.segments
        for p in s.projects
    ]
    assert "SK新能源汽车电池隔膜项目" not in names and len(names) == 2


def test_chain_heads_are_the_branches_of_an_umbrella_and_plain_roots():
    root = Industry(pk=1, name="三新一特")
    car = Industry(pk=2, name="新能源汽车", parent_id=1)
    battery = Industry(pk=3, name="动力电池", parent_id=2)
    pv = Industry(pk=4, name="光伏新能源", parent_id=1)
    livelihood = Industry(pk=5, name="民生事业")
    industries = [root, car, battery, pv, livelihood]
    assert [i.name for i in selectors.chain_heads(industries)] == ["新能源汽车", "光伏新能源", "民生事业"]
    heads = selectors.industry_heads(industries)
    assert {i: heads[i].name for i in (2, 3, 4, 5)} == {
        2: "新能源汽车",
        3: "新能源汽车",
        4: "光伏新能源",
        5: "民生事业",
    }


def test_chain_industries_offer_only_chains_with_positioned_projects(world):
    assert [i.name for i in selectors.chain_industries()] == ["新能源汽车"]


def test_chain_totals_include_foreign_currency_projects_in_yuan(world, office, industries, settings):
    from ducha.projects.models import Project

    settings.DUCHA_EXCHANGE_RATES = {"USD": Decimal(7)}
    chain = selectors.chain_map(office, industries["car"])
    projects = [p for g in chain.positions for s in g.segments for p in s.projects]
    expected = sum(
        (to_cny(p.total_investment, p.currency, settings.DUCHA_EXCHANGE_RATES) for p in projects), Decimal(0)
    )
    assert any(p.currency == "USD" for p in projects) or not Project.objects.filter(currency="USD").exists()
    assert chain.investment == expected
