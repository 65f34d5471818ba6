from decimal import Decimal as D

import pytest

from ducha.indicators import rules


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (D(50), D(200), D(25)),
        (D(0), D(10), D(0)),
        (D(5), D(0), None),
        (None, D(10), None),
        (D(5), None, None),
    ],
)
def test_completion_rate_is_value_over_target_in_percent(value, target, expected):
    assert rules.completion_rate(value, target) == expected


@pytest.mark.parametrize(
    ("completion", "month", "expected"),
    [(D(30), 3, D(5)), (D(25), 3, D(0)), (D("74.9"), 11, D("74.9") - D(1100) / D(12)), (None, 3, None)],
)
def test_schedule_gap_is_points_ahead_of_elapsed_months(completion, month, expected):
    assert rules.schedule_gap(completion, month) == expected


def test_seed_figures_give_the_published_growth_and_net_increase():
    this_year, last_year = D("32171000000"), D("30098231827")
    assert rules.format_percent(rules.yoy_growth(this_year, last_year), signed=True) == "+6.89%"
    assert rules.format_measure(rules.net_increase(this_year, last_year), "yuan") == "20.73亿元"


@pytest.mark.parametrize(
    ("value", "last", "expected"),
    [
        (D(110), D(100), D(10)),
        (D(90), D(100), D(-10)),
        (D(10), D(-10), D(200)),
        (D(1), D(0), None),
        (None, D(1), None),
    ],
)
def test_yoy_growth(value, last, expected):
    assert rules.yoy_growth(value, last) == expected


@pytest.mark.parametrize(
    ("values", "higher", "expected"),
    [
        ({"a": D(3), "b": D(5), "c": D(1)}, True, {"a": 2, "b": 1, "c": 3}),
        ({"a": D(3), "b": D(5), "c": D(1)}, False, {"a": 2, "b": 3, "c": 1}),
        ({"a": D(5), "b": D(5), "c": D(1)}, True, {"a": 1, "b": 1, "c": 3}),
        ({"a": None, "b": D(2)}, True, {"a": None, "b": 1}),
        ({}, True, {}),
    ],
)
def test_rank_shares_places_on_ties_and_skips_missing_values(values, higher, expected):
    assert rules.rank(values, higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("value", "measure", "expected"),
    [
        (D("32171000000"), "yuan", "321.71亿元"),
        (D("142520000000"), "yuan", "1425.2亿元"),
        (D("305000000"), "usd", "3.05亿美元"),
        (D("25000000"), "usd", "2,500万美元"),
        (D("456"), "enterprises", "456家"),
        (D("12.50"), "percent", "12.5%"),
        (D("800"), "yuan", "800元"),
        (None, "yuan", "—"),
    ],
)
def test_format_measure_uses_yi_and_wan(value, measure, expected):
    assert rules.format_measure(value, measure) == expected


def test_cumulative_drop_only_when_below_previous():
    assert rules.cumulative_drop(D(10), D(9))
    assert not rules.cumulative_drop(D(10), D(10))
    assert not rules.cumulative_drop(None, D(0))


def test_derive_leaves_schedule_out_for_point_values():
    derived = rules.derive(value=D(30), last_year=D(20), target=D(100), month=3, cumulative=False)
    assert derived.completion == D(30) and derived.gap is None and derived.growth == D(50)
    assert rules.derive(value=D(30), last_year=None, target=D(100), month=3, cumulative=True).ahead is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32171000000", D("32171000000")),
        ("321.71亿", D("32171000000")),
        ("2,500万", D("25000000")),
        (456, D(456)),
        (12.5, D("12.5")),
        ("12.5%", D("12.5")),
        ("", None),
        (None, None),
    ],
)
def test_parse_amount_reads_plain_numbers_and_yi_wan(text, expected):
    assert rules.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "12..5", "十二多", "1e5", True])
def test_parse_amount_refuses_text(text):
    with pytest.raises(ValueError):
        rules.parse_amount(text)
