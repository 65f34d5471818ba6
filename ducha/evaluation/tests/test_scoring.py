from decimal import Decimal as D

import pytest

from ducha.evaluation.scoring import (
    Flag,
    FlagRule,
    FlagRuleKind,
    ItemScore,
    ItemSpec,
    Method,
    UnitInput,
    evaluate,
    flag_for,
    rank_points,
    ratio_points,
    units_without_data,
    weighted_total,
)


@pytest.mark.parametrize(
    ("place", "size", "expected"),
    [(1, 5, D(100)), (5, 5, D(0)), (3, 5, D(50)), (1, 1, D(100)), (None, 5, None), (2, 3, D(50))],
)
def test_rank_points_go_linearly_from_100_to_0(place, size, expected):
    assert rank_points(place, size) == expected


@pytest.mark.parametrize(
    ("raw", "target", "cap", "expected"),
    [
        (D(50), D(100), D("1.2"), D(50)),
        (D(150), D(100), D("1.2"), D(120)),
        (D(-5), D(10), D("1.2"), D(0)),
        (None, D(10), D("1.2"), None),
        (D(5), None, D("1.2"), None),
        (D(5), D(0), D("1.2"), None),
    ],
)
def test_ratio_points_are_capped_and_never_negative(raw, target, cap, expected):
    assert ratio_points(raw, target, cap) == expected


def _score(weight, points):
    return ItemScore("k", "k", D(weight), "ratio", None, None if points is None else D(points))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([_score(60, 100), _score(40, 50)], D(80)),
        ([_score(60, 100), _score(40, None)], D(100)),  # the missing item's weight is shared
        ([_score(60, None)], D(0)),
        ([], D(0)),
    ],
)
def test_weighted_total_redistributes_missing_weight(scores, expected):
    assert weighted_total(scores) == expected


@pytest.mark.parametrize(
    ("size", "flags"),
    [
        (1, "R"),
        (2, "RB"),
        (3, "RBY"),
        (4, "RBBY"),
        (6, "RRBBYY"),
        (8, "RRRBBYYY"),
        (9, "RRRBBBYYY"),
    ],
)
def test_thirds_give_red_to_the_first_third_and_yellow_to_the_last(size, flags):
    letters = {Flag.RED: "R", Flag.BLUE: "B", Flag.YELLOW: "Y"}
    assert "".join(letters[flag_for(p, size, D(0), FlagRule())] for p in range(1, size + 1)) == flags


@pytest.mark.parametrize(
    ("total", "flag"), [(D(90), Flag.RED), (D(85), Flag.RED), (D(70), Flag.BLUE), (D(59.9), Flag.YELLOW)]
)
def test_threshold_flags(total, flag):
    rule = FlagRule(FlagRuleKind.THRESHOLDS, red_min=D(85), blue_min=D(60))
    assert flag_for(1, 3, total, rule) == flag


def test_evaluate_ranks_within_peer_groups_and_explains_each_item():
    items = [
        ItemSpec("growth", "开票增幅", D(60)),
        ItemSpec("closure", "问题销号率", D(40), Method.RATIO, target=D(100), cap=D(1)),
    ]
    units = [
        UnitInput(1, "towns", {"growth": D(10), "closure": D(100)}),
        UnitInput(2, "towns", {"growth": D(5), "closure": D(50)}),
        UnitInput(3, "towns", {"growth": D(-2), "closure": None}),
        UnitInput(4, "parks", {"growth": D(1), "closure": D(80)}),
    ]
    results = {r.unit_id: r for r in evaluate(items, units)}
    assert results[1].total == D(100) and results[1].place == 1 and results[1].flag == Flag.RED
    # 60 × 50 + 40 × 50 = 5000 → ÷ 100 = 50
    assert results[2].total == D(50) and results[2].flag == Flag.BLUE
    # closure missing: only growth counts (0 points)
    assert results[3].total == D(0) and results[3].flag == Flag.YELLOW
    assert results[3].items[1].points is None and results[3].weight_used == D(60)
    assert results[4].place == 1 and results[4].group_size == 1 and results[4].total == D(92)
    growth = results[2].items[0]
    assert (growth.place, growth.group_size, growth.points) == (2, 3, D(50))


def test_ties_share_the_place_and_the_flag():
    items = [ItemSpec("g", "g", D(1))]
    units = [UnitInput(i, "g", {"g": D(v)}) for i, v in enumerate([5, 5, 1, 0, 0, -1])]
    results = {r.unit_id: r for r in evaluate(items, units)}
    assert results[0].place == results[1].place == 1
    assert results[0].flag == results[1].flag == Flag.RED


def test_item_scores_round_trip_through_json():
    score = ItemScore("g", "增幅", D(30), "rank_points", D("6.89"), D(100), 1, 8, None, None)
    assert ItemScore.from_json(score.as_json()) == score


def test_a_unit_without_any_data_gets_no_place_and_no_flag():
    items = [ItemSpec("sales", "开票销售", D(1)), ItemSpec("invest", "工业投入", D(1))]
    units = [
        UnitInput(1, "towns", {"sales": D(5), "invest": D(2)}),
        UnitInput(2, "towns", {"sales": D(3), "invest": None}),
        UnitInput(3, "towns", {"sales": None, "invest": None}),
    ]
    results = evaluate(items, units)
    assert [r.unit_id for r in results] == [1, 2]
    assert [r.group_size for r in results] == [2, 2]
    assert units_without_data(items, units) == [3]
