"""What the grammar tests compare: the facts of a made-up sentence, reduced to the fields a rule is about."""

from datetime import date

from ducha.extraction.engine import extract_document


def result(text: str, doc_date: date | None = None) -> dict:
    return extract_document(text, source="t", doc_date=doc_date)


def projects(text: str) -> list[tuple]:
    """(name, investment, expected yearly output) of each project."""
    return [
        (
            p["name"],
            p["investment"] and p["investment"]["amount"],
            p["annual_revenue"] and p["annual_revenue"]["amount"],
        )
        for p in result(text)["projects"]
    ]


def projects_and_capacities(text: str) -> list[tuple]:
    """(name, investment, expected yearly output, [(quantity, unit)…]) of each project."""
    return [
        (
            p["name"],
            p["investment"] and p["investment"]["amount"],
            p["annual_revenue"] and p["annual_revenue"]["amount"],
            [(c["quantity"], c["unit"]) for c in p["capacities"]],
        )
        for p in result(text)["projects"]
    ]


def capacities(text: str) -> list[tuple]:
    return [(c["quantity"], c["unit"]) for p in result(text)["projects"] for c in p["capacities"]]


def indicators(text: str) -> list[tuple]:
    return [(i["name"], i["period"], i["value"], i["unit"]) for i in result(text)["indicators"]]


def people(text: str) -> list[tuple]:
    return [(p["name"], p["titles"]) for p in result(text)["people"]]


def events(text: str, doc_date: date | None = None) -> list[tuple]:
    return [
        (e["kind"], e["date"], e["leaders"], e["project_count"]) for e in result(text, doc_date)["events"]
    ]
