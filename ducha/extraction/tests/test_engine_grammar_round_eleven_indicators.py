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
