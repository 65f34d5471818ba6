from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ducha.extraction import services
from ducha.extraction.choices import FactKind, FactStatus
from ducha.extraction.models import Evidence, ExtractedFact, ImportedDocument
from ducha.indicators.models import IndicatorValue
from ducha.projects.models import Capacity, Project

from .conftest import REPORT, fact_of

pytestmark = pytest.mark.django_db


def test_import_keeps_the_document_with_every_fact_pending_and_its_sentences(document):
    assert document.doc_date == date(2020, 4, 20)  # read from the masthead
    kinds = sorted(document.facts.values_list("kind", flat=True))
    assert kinds == ["event", "indicator", "person", "project", "project"]
    assert set(document.facts.values_list("status", flat=True)) == {FactStatus.PENDING}
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    assert "18GWh" in fact.evidence_text
    evidence = fact.evidence.get()
    assert REPORT[evidence.start : evidence.end].startswith("总投资80亿元的蜂巢能源动力电池项目")
    assert document.extraction["projects"][0]["name"] == "蜂巢能源动力电池项目"


def test_import_takes_the_first_line_as_title_when_none_is_given(office):
    document = services.document_import(text="\n\n  某某简报第3期  \n正文。", user=office)
    assert document.title == "某某简报第3期"
    assert document.facts.count() == 0


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_import_refuses_an_empty_text(office, text):
    with pytest.raises(ValidationError, match="no text"):
        services.document_import(text=text, user=office)
    assert not ImportedDocument.objects.exists()


def test_import_refuses_a_text_over_the_limit_and_stores_nothing(office, settings):
    settings.DUCHA_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        services.document_import(text="项目" * 200, user=office)  # 1,200 bytes in UTF-8
    assert not ImportedDocument.objects.exists()


def test_garbage_text_is_kept_with_no_facts(office):
    garbage = "ÿ\x7f#@!%%^&*()" * 500 + "🙂" * 100 + "1234567890" * 100
    document = services.document_import(text=garbage, user=office)
    assert document.facts.count() == 0


def test_creating_a_project_fills_the_ledger_in_wan_with_capacities_and_links_the_fact(
    document, office, units
):
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    project = services.project_fact_create(
        fact=fact,
        user=office,
        unit=units["park"],
        name="蜂巢能源动力电池项目",
        company="蜂巢能源科技有限公司",
        total_investment=Decimal("800000"),
        annual_revenue=Decimal("1000000"),
    )
    project.refresh_from_db()
    assert (project.unit, project.total_investment, project.annual_revenue) == (
        units["park"],
        Decimal("800000.00"),
        Decimal("1000000.00"),
    )
    assert project.company == "蜂巢能源科技有限公司"
    assert [str(c) for c in Capacity.objects.filter(project=project)] == [
        "18GWh动力电池"
    ]  # as Capacity writes itself: no spaces in Chinese text
    fact.refresh_from_db()
    assert (fact.status, fact.project, fact.reviewed_by) == (FactStatus.ACCEPTED, project, office)
    assert fact.payload["company"] == "蜂巢能源科技有限公司"
    assert fact.payload["investment"] == {"amount": 8000000000.0, "currency": "CNY"}


def test_creating_a_project_twice_in_a_unit_is_refused_and_the_fact_stays_pending(document, office, units):
    Project.objects.create(name="蜂巢能源动力电池项目", unit=units["park"], total_investment=1)
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    with pytest.raises(ValidationError):
        services.project_fact_create(
            fact=fact,
            user=office,
            unit=units["park"],
            name="蜂巢能源动力电池项目",
            total_investment=Decimal("800000"),
        )
    assert Project.objects.count() == 1
    fact.refresh_from_db()
    assert fact.status == FactStatus.PENDING


def test_a_project_cannot_be_created_in_a_department(document, office, units):
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    with pytest.raises(ValidationError, match="department"):
        services.project_fact_create(
            fact=fact, user=office, unit=units["department"], name="X项目", total_investment=None
        )
    assert not Project.objects.exists()


def test_linking_a_project_fact_leaves_the_ledger_figures_alone(document, office, units):
    project = Project.objects.create(
        name="蜂巢能源动力电池", unit=units["park"], total_investment=Decimal("1")
    )
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    services.project_fact_link(fact=fact, project=project, user=office)
    project.refresh_from_db()
    assert project.total_investment == Decimal("1.00")
    assert list(project.extracted_facts.all()) == [fact]


def test_rejecting_and_reopening_unlink_but_keep_the_project(document, office, units):
    project = Project.objects.create(
        name="蜂巢能源动力电池", unit=units["park"], total_investment=Decimal("1")
    )
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    services.project_fact_link(fact=fact, project=project, user=office)
    services.fact_reject(fact=fact, user=office)
    fact.refresh_from_db()
    assert (fact.status, fact.project) == (FactStatus.REJECTED, None)
    services.fact_reopen(fact=fact, user=office)
    assert ExtractedFact.objects.get(pk=fact.pk).status == FactStatus.PENDING
    assert Project.objects.filter(pk=project.pk).exists()


def test_an_accepted_indicator_is_stored_as_the_district_value_of_its_month(document, office, sales):
    fact = fact_of(document, FactKind.INDICATOR)
    services.indicator_fact_accept(
        fact=fact, user=office, name="工业开票销售收入", period="1-3月", value=Decimal("32171000000")
    )
    value = IndicatorValue.objects.get()
    assert (value.indicator, value.unit, value.year, value.month, value.value) == (
        sales,
        None,
        2020,
        3,
        Decimal("32171000000"),
    )
    fact.refresh_from_db()
    assert (fact.status, fact.indicator_value, fact.note) == (FactStatus.ACCEPTED, value, "")


@pytest.mark.parametrize(
    ("name", "period", "note"),
    [
        ("净增开票销售", "1-3月", "No indicator named"),
        ("工业开票销售收入", "近5年来", "does not fix a month"),
        ("工业开票销售收入", "", "does not fix a month"),
    ],
)
def test_an_indicator_that_cannot_be_placed_is_accepted_unlinked_with_a_reason(
    document, office, sales, name, period, note
):
    fact = fact_of(document, FactKind.INDICATOR)
    services.indicator_fact_accept(fact=fact, user=office, name=name, period=period, value=Decimal("5"))
    fact.refresh_from_db()
    assert fact.status == FactStatus.ACCEPTED
    assert fact.indicator_value is None
    assert note in fact.note
    assert not IndicatorValue.objects.exists()


def test_an_indicator_never_overwrites_a_different_stored_value(document, office, sales):
    IndicatorValue.objects.create(indicator=sales, unit=None, year=2020, month=3, value=Decimal("100"))
    fact = fact_of(document, FactKind.INDICATOR)
    services.indicator_fact_accept(
        fact=fact, user=office, name="工业开票销售收入", period="1-3月", value=Decimal("32171000000")
    )
    fact.refresh_from_db()
    assert fact.indicator_value is None and "not overwritten" in fact.note
    assert IndicatorValue.objects.get().value == Decimal("100")


def test_an_indicator_equal_to_the_stored_value_links_to_it(document, office, sales):
    stored = IndicatorValue.objects.create(
        indicator=sales, unit=None, year=2020, month=3, value=Decimal("32171000000")
    )
    fact = fact_of(document, FactKind.INDICATOR)
    services.indicator_fact_accept(
        fact=fact, user=office, name="工业开票销售收入", period="1-3月", value=Decimal("32171000000")
    )
    fact.refresh_from_db()
    assert fact.indicator_value == stored


def test_people_and_events_are_accepted_without_a_ledger_link(document, office):
    for kind in (FactKind.PERSON, FactKind.EVENT):
        fact = services.fact_accept(fact=fact_of(document, kind), user=office)
        assert fact.status == FactStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.fact_accept(fact=fact_of(document, FactKind.PROJECT), user=office)


def test_evidence_rows_point_into_the_document(document):
    for evidence in Evidence.objects.filter(document=document):
        assert 0 <= evidence.start <= evidence.end <= len(document.text)


def test_an_undated_report_asks_for_the_year_and_accepts_it_written_out(office, sales):
    undated = services.document_import(text=REPORT.split("\n", 1)[1], user=office)
    assert undated.doc_date is None
    fact = fact_of(undated, FactKind.INDICATOR)
    services.indicator_fact_accept(
        fact=fact, user=office, name="工业开票销售收入", period="1-3月", value=Decimal("1")
    )
    fact.refresh_from_db()
    assert "write it as 2020年1-3月" in fact.note and fact.indicator_value is None
    services.indicator_fact_accept(
        fact=fact, user=office, name="工业开票销售收入", period="2020年1-3月", value=Decimal("1")
    )
    fact.refresh_from_db()
    assert (fact.indicator_value.year, fact.indicator_value.month, fact.note) == (2020, 3, "")
