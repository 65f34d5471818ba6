"""General grammar of indicators and outings learnt on the eleventh development round, on sentences
written for these tests (not taken from the corpus)."""

from .grammar import indicators, result


def test_the_listed_projects_taken_up_again_with_above_are_the_batch_and_so_are_their_parts():
    text = (
        "5月6日,新区5个产业项目集中开工。开工的5个项目为甲项目、乙项目、丙项目、丁项目和戊项目。"
        "上述5个项目总投资30亿元,年度计划投资8亿元,分属两大板块。"
        "其中制造板块项目3个,总投资20亿元;服务板块项目2个,总投资10亿元。"
    )
    assert indicators(text) == []


def test_a_figure_of_the_headline_told_again_in_the_body_is_the_body_s():
    text = (
        "青河县45个续建产业项目加快推进\n"
        "6月2日,记者从县发改局获悉,今年全县计划实施项目80个,总投资120亿元。目前,45个续建项目稳步推进。"
    )
    assert indicators(text) == [
        ("计划实施项目", None, 80, "个"),
        ("计划实施项目总投资", None, 12000000000, "元"),
        ("续建项目", None, 45, "个"),
    ]


def test_a_plant_s_yearly_throughput_and_what_it_can_do_are_no_statistics():
    text = "这家企业年深加工大豆6万吨,年屠宰肉羊10万只,可带动农户800户,可解决就业120人。"
    assert indicators(text) == []


def test_the_buildings_of_a_work_counted_are_no_statistics():
    text = "一期建设用房约3万平方米,其中生产车间5个;另新建60个食用菌大棚。"
    assert indicators(text) == []


def test_projects_counted_then_how_many_reached_a_stage_after_a_pause_mark():
    text = "截至目前,开发区两大片区共引进项目85个、建成投产40个。"
    assert indicators(text) == [("引进项目", None, 85, "个"), ("建成投产项目", None, 40, "个")]


def test_a_count_in_the_programme_of_a_place_above_keeps_the_verb_and_the_place():
    text = "截至目前,全县纳入自治区重大项目库项目23个,列入某某市重点项目31个。"
    assert indicators(text) == [
        ("纳入自治区重大项目库项目", None, 23, "个"),
        ("列入某某市重点项目", None, 31, "个"),
    ]


def test_a_level_told_with_the_one_it_grew_from_keeps_the_new_level_and_its_year():
    text = "园区规上工业企业从20家增加到48家,园区工业总产值从50.5亿元增加到2022年96.3亿元。"
    assert indicators(text) == [
        ("园区规上工业企业", None, 48, "家"),
        ("园区工业总产值", "2022年", 9630000000, "元"),
    ]


def test_firms_counted_by_a_bare_stage_are_no_statistic():
    text = "新材料产业方面,已有12家企业投产,在建5家。"
    assert all(name != "在建" for name, *_ in indicators(text))


def test_the_measures_after_a_count_in_a_higher_programme_are_the_class_s():
    found = [
        (i["name"], i["value"])
        for i in result("今年南山县列入东州市重点项目共40项,总投资500亿元,年度计划投资80亿元。")["indicators"]
    ]
    assert found == [
        ("列入东州市重点项目", 40),
        ("重点项目总投资", 50000000000),
        ("重点项目年度计划投资", 8000000000),
    ]
