"""General grammar of indicators and outings learnt on the tenth development round, on sentences
written for these tests (not taken from the corpus)."""

from .grammar import events, indicators


def test_a_semicolon_ends_what_projects_will_yield_and_the_next_class_is_counted():
    text = (
        "截至目前,开发区共签约项目40个,已投入21亿元,项目全部投产后,预计年产值90亿元;"
        "新签约项目6个,计划投资8.5亿元。"
    )
    assert indicators(text) == [
        ("签约项目", None, 40, "个"),
        ("签约项目投入", None, 2100000000, "元"),
        ("新签约项目", None, 6, "个"),
        ("新签约项目计划投资", None, 850000000, "元"),
    ]


def test_a_running_tally_opening_the_paragraph_keeps_later_stage_counts_in_a_ceremony_report():
    text = (
        "3月2日,全区举行重点项目集中开工仪式。\n"
        "截至目前,产业园共落地项目30个,总投资60亿元。新开工项目8个,计划投资12亿元。"
    )
    assert ("新开工项目", None, 8, "个") in indicators(text)


def test_the_parts_of_a_class_by_size_in_brackets_have_names_of_their_own():
    text = "截至目前,全县新签约项目12个(亿元以上7个,5亿元以上2个),计划投资40亿元。"
    assert indicators(text) == [
        ("新签约项目", None, 12, "个"),
        ("新签约亿元以上项目", None, 7, "个"),
        ("新签约5亿元以上项目", None, 2, "个"),
        ("新签约项目计划投资", None, 4000000000, "元"),
    ]


def test_the_batch_taken_up_again_by_its_count_is_no_statistic():
    text = "6月3日,全县举行项目集中开工活动,共开工项目15个。这15个项目中有6个投资亿元以上,其中外资项目4个。"
    assert all(name != "外资项目" for name, *_ in indicators(text))


def test_a_verb_after_already_is_no_place_name_before_a_level_of_city():
    text = "截至5月10日,已争取市重点项目24个。"
    assert indicators(text) == [("争取市重点项目", None, 24, "个")]


def test_a_running_tally_by_stage_after_a_class_is_named_on_its_own():
    text = "今年全县谋划亿元以上项目50个,截至目前,已储备省重点项目20个,累计开工项目12个,总投资30亿元。"
    found = indicators(text)
    assert ("开工项目", None, 12, "个") in found
    assert ("开工项目总投资", None, 3000000000, "元") in found


def test_things_counted_then_the_stage_they_reached():
    text = "目前,全县共有230家企业复工复产,复工复产率达88%。"
    assert indicators(text) == [("复工复产企业", None, 230, "家"), ("复工复产率", None, 88, "%")]


def test_a_count_after_a_verb_of_its_own_is_no_count_of_a_stage():
    text = "园区标准厂房入驻38家企业陆续投产。"
    assert indicators(text) == []


def test_a_breakdown_of_the_batch_before_its_venue_at_a_project_site_is_no_statistic():
    text = (
        "分行业看:制造业项目20个,总投资80亿元。服务业项目8个,总投资12亿元。\n"
        "分县区看:东城区项目9个,总投资30亿元;西城区项目19个,总投资62亿元。\n"
        "全市分会场设在开发区年产5万吨新型建材项目现场,该项目总投资12亿元。"
    )
    assert indicators(text) == []
    assert events(text) == [("项目集中开工分会场", None, [], None)]


def test_a_breakdown_by_field_in_statistics_stays_the_area_s():
    text = "分行业看,制造业企业120家,服务业企业88家。"
    assert indicators(text) != []
