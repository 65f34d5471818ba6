"""General grammar of indicators and outings learnt on the eleventh development round, on sentences
written for these tests (not taken from the corpus)."""

from datetime import date

from ducha.extraction.engine import extract_document


def result(text: str, doc_date: date | None = None) -> dict:
    return extract_document(text, source="t", doc_date=doc_date)


def indicators(text: str) -> list[tuple]:
    return [(i["name"], i["period"], i["value"], i["unit"]) for i in result(text)["indicators"]]


def events(text: str, doc_date: date | None = None) -> list[tuple]:
    return [
        (e["kind"], e["date"], e["leaders"], e["project_count"]) for e in result(text, doc_date)["events"]
    ]


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
