"""General grammar of indicators learnt on the twelfth development round, on sentences written for
these tests (not taken from the corpus)."""

from .grammar import indicators


def test_an_amount_in_words_before_projects_marks_off_a_class_by_size():
    text = "今年以来,新区共引进项目30个,超亿元项目4个,超千万元项目9个。"
    assert indicators(text) == [
        ("引进项目", None, 30, "个"),
        ("超亿元项目", None, 4, "个"),
        ("超千万元项目", None, 9, "个"),
    ]


def test_zai_before_a_stage_of_works_is_no_part_of_the_name_nor_of_the_next_part():
    text = "今年,全县实施项目40个。其中:在续建项目30个,总投资90亿元;新开工项目10个,总投资12亿元。"
    assert indicators(text) == [
        ("实施项目", None, 40, "个"),
        ("续建项目", None, 30, "个"),
        ("续建项目总投资", None, 9000000000, "元"),
        ("新开工项目", None, 10, "个"),
        ("新开工项目总投资", None, 1200000000, "元"),
    ]


def test_zai_before_an_investment_that_qualifies_a_firm_gives_no_statistic():
    text = "在总投资3亿元的某某纺织公司里,工人们正忙着调试新设备。"
    assert indicators(text) == []


def test_projects_counted_then_what_they_did_name_the_count():
    text = "去年,全镇18个项目完成年度目标任务,其中9个项目顺利投产或投运。"
    assert indicators(text) == [("完成年度目标任务项目", None, 18, "个"), ("投产或投运项目", None, 9, "个")]


def test_projects_counted_by_the_list_they_are_in_are_named_by_its_kind():
    text = "据悉,纳入该县《2024年某某县重点项目名单》管理的项目共56个,总投资310亿元。"
    assert indicators(text) == [
        ("重点项目", "2024年", 56, "个"),
        ("重点项目总投资", "2024年", 31000000000, "元"),
    ]


def test_classes_by_size_listed_with_pause_marks_are_each_counted():
    text = "今年以来,全市新签约项目40个,其中,千亿级项目1个、20亿元以上项目3个、5亿元以上项目11个。"
    assert indicators(text) == [
        ("新签约项目", None, 40, "个"),
        ("千亿级项目", None, 1, "个"),
        ("20亿元以上项目", None, 3, "个"),
        ("5亿元以上项目", None, 11, "个"),
    ]


def test_what_a_plant_will_reach_at_full_output_is_no_statistic():
    text = "园区二期明年投用,年内将达产2万吨,产品销往各地。"
    assert indicators(text) == []


def test_a_rate_of_completion_keeps_its_verb():
    text = "去年,全镇18个项目完成年度目标任务,完成率90%。"
    assert indicators(text) == [("完成年度目标任务项目", None, 18, "个"), ("完成率", None, 90, "%")]


def test_the_parts_of_a_batch_taken_up_again_with_zai_zhong_belong_to_the_ceremony():
    text = (
        "6月3日,某某县举行集中开工仪式,三季度共有6个产业项目集中开工,总投资9亿元。"
        "在三季度的开工6个产业项目中,分别为工业项目4个,农业项目2个。"
    )
    assert indicators(text) == []
