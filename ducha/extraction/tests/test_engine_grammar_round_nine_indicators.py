"""General grammar of indicators and outings learnt on the ninth development round, on sentences
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


def test_the_parts_by_stage_of_a_class_counted_by_stage_keep_their_own_names():
    text = "目前,全市已开复工亿元以上项目12个,其中,新开工项目7个,占比58%;复工项目5个,占比42%。"
    assert indicators(text) == [
        ("开复工亿元以上项目", None, 12, "个"),
        ("新开工项目", None, 7, "个"),
        ("复工项目", None, 5, "个"),
    ]
