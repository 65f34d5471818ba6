"""General grammar of indicators and outings learnt on the ninth development round, on sentences
written for these tests (not taken from the corpus)."""

from .grammar import indicators, result


def test_the_parts_by_stage_of_a_class_counted_by_stage_keep_their_own_names():
    text = "目前,全市已开复工亿元以上项目12个,其中,新开工项目7个,占比58%;复工项目5个,占比42%。"
    assert indicators(text) == [
        ("开复工亿元以上项目", None, 12, "个"),
        ("新开工项目", None, 7, "个"),
        ("复工项目", None, 5, "个"),
    ]


def test_up_to_the_end_of_a_month_of_this_year_is_a_period_from_january():
    text = "全县安排重点项目50个。截至今年7月底,已完成投资46.2亿元。"
    assert indicators(text) == [("重点项目", None, 50, "个"), ("重点项目完成投资", "1-7月", 4620000000, "元")]


def test_already_before_the_verb_of_a_level_is_not_part_of_the_name():
    text = "今年以来,全市新开工重点项目已有21个,总投资55亿元。"
    assert indicators(text) == [
        ("新开工重点项目", None, 21, "个"),
        ("新开工重点项目总投资", None, 5500000000, "元"),
    ]


def test_bare_projects_counted_then_the_stage_they_reached():
    text = "截至目前,全市新开工重点项目12个,总投资40亿元,并有2个项目竣工,总投资5.5亿元。"
    assert indicators(text) == [
        ("新开工重点项目", None, 12, "个"),
        ("新开工重点项目总投资", None, 4000000000, "元"),
        ("竣工项目", None, 2, "个"),
        ("竣工项目总投资", None, 550000000, "元"),
    ]


def test_projects_counted_with_their_total_that_started_in_an_earlier_month_are_no_batch():
    text = "5月9日,全县举行重点项目集中签约仪式。目前,总投资20亿元的8个项目已于3月份集中开工。"
    assert indicators(text) == [
        ("集中开工项目", None, 8, "个"),
        ("集中开工项目总投资", None, 2000000000, "元"),
    ]
    # the day's batch of a ceremony report stays the outing's
    assert indicators("4月1日,全市8个项目集中开工,总投资20亿元。") == []


def test_classes_counted_in_a_list_then_one_measure_of_each_in_order():
    text = "全市6个省重点项目、15个市重点项目和9个园区项目,年度投资完成率分别达到110%、96%和87%。"
    assert indicators(text) == [
        ("省重点项目", None, 6, "个"),
        ("市重点项目", None, 15, "个"),
        ("园区项目", None, 9, "个"),
        ("省重点项目年度投资完成率", None, 110, "%"),
        ("市重点项目年度投资完成率", None, 96, "%"),
        ("园区项目年度投资完成率", None, 87, "%"),
    ]
    assert [p["name"] for p in result(text)["projects"]] == []


def test_a_running_tally_of_projects_started_together_is_not_the_days_batch():
    text = (
        "6月8日,北川县举行重点项目集中开工仪式,本次集中开工项目8个。"
        "截至目前,全县3个省重点项目和20个集中开工项目,投资完成率分别为90%和85%。"
    )
    assert indicators(text) == [
        ("省重点项目", None, 3, "个"),
        ("集中开工项目", None, 20, "个"),
        ("省重点项目投资完成率", None, 90, "%"),
        ("集中开工项目投资完成率", None, 85, "%"),
    ]


def test_a_share_told_with_the_level_it_changed_from_takes_the_new_level():
    text = (
        "南湖产业园去年建成投产的光伏组件项目运行良好。"
        "全区高新技术企业产值占工业总产值的比重由2022年的21%提高到29.5%。"
    )
    assert indicators(text) == [("高新技术企业产值占工业总产值的比重", None, 29.5, "%")]
    assert result(text)["indicators"][0]["yoy_pct"] is None
    assert indicators("全县规上工业企业由去年的86家增加至102家。") == [("规上工业企业", None, 102, "家")]


def test_after_the_last_named_project_a_counted_class_starts_the_areas_figures():
    text = "算上此前开工的东岭智能装备项目,全区2023年第二季度开工重点项目7个,总投资达到31.2亿元。"
    assert indicators(text) == [
        ("开工重点项目", "4-6月", 7, "个"),
        ("开工重点项目总投资", "4-6月", 3120000000, "元"),
    ]
    assert [(p["name"], p["investment"]) for p in result(text)["projects"]] == [("东岭智能装备项目", None)]
