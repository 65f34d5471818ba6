"""Writes of the report import: store a document with its facts, then accept, edit or reject each fact."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.audit import audit_bulk_created
from ducha.indicators.choices import MEASURE_SUFFIX
from ducha.indicators.models import Indicator, IndicatorValue
from ducha.indicators.services import Entry, indicator_values_save
from ducha.lib.money import wan_to_yuan
from ducha.lib.quantities import Money
from ducha.projects.models import Project
from ducha.projects.services import project_save
from ducha.units.models import Unit

from . import review
from .choices import FactKind, FactStatus
from .engine import extract_document
from .engine.dates import document_date
from .models import Evidence, ExtractedFact, ImportedDocument

# A report yielding more facts than this is not a report a person can review; the rest are dropped.
MAX_FACTS = 2000
KINDS = [
    ("projects", FactKind.PROJECT),
    ("indicators", FactKind.INDICATOR),
    ("people", FactKind.PERSON),
    ("events", FactKind.EVENT),
]


def _evidence_list(fact: dict) -> list[dict]:
    evidence = fact.get("evidence") or []
    return [evidence] if isinstance(evidence, dict) else list(evidence)


def _primary(kind: str, fact: dict, evidence: list[dict]) -> dict:
    """The sentence that says most about the fact: for a project, the first naming it in full."""
    name = fact.get("name") or ""
    if kind == FactKind.PROJECT:
        for item in evidence:
            if name and name in item["text"]:
                return item
    return evidence[0] if evidence else {"text": "", "start": 0, "end": 0}


def default_title(text: str) -> str:
    for line in text.splitlines():
        if line := line.strip():
            return line[:100]
    return _("Untitled report")


@transaction.atomic
def document_import(
    *, text: str, user, title: str = "", source_name: str = "", doc_date=None
) -> ImportedDocument:
    """Extract a report and keep it with its facts, all pending review. Refuses, storing nothing,
    an empty text and one larger than settings.DUCHA_MAX_UPLOAD_BYTES."""
    limit = settings.DUCHA_MAX_UPLOAD_BYTES
    if len(text) > limit or len(text.encode("utf-8")) > limit:
        raise ValidationError(
            {
                "text": _("The text is larger than %(mb)s MB; split the report into smaller parts.")
                % {"mb": round(limit / 2**20, 1)}
            }
        )
    if not text.strip():
        raise ValidationError({"text": _("There is no text to import.")})
    doc_date = doc_date or document_date(text)
    result = extract_document(text, source=source_name or title or "paste", doc_date=doc_date)
    document = ImportedDocument(
        title=(title.strip() or default_title(text))[:200],
        source_name=source_name[:200],
        text=text,
        doc_date=doc_date,
        uploaded_by=user,
        extraction=result,
    )
    document.full_clean()
    document.save()
    facts: list[ExtractedFact] = []
    evidence_of: list[list[dict]] = []
    for key, kind in KINDS:
        for item in result.get(key, []):
            if len(facts) >= MAX_FACTS:
                break
            evidence = _evidence_list(item)
            primary = _primary(kind, item, evidence)
            payload = {k: v for k, v in item.items() if k != "evidence"}
            facts.append(
                ExtractedFact(
                    document=document,
                    kind=kind,
                    order=len(facts),
                    payload=payload,
                    evidence_text=primary["text"],
                    evidence_start=primary["start"],
                    evidence_end=primary["end"],
                )
            )
            evidence_of.append(evidence)
    audit_bulk_created(ExtractedFact.objects.bulk_create(facts, batch_size=500))
    evidence_rows = Evidence.objects.bulk_create(
        [
            Evidence(document=document, fact=fact, text=e["text"], start=e["start"], end=e["end"], order=i)
            for fact, evidence in zip(facts, evidence_of, strict=True)
            for i, e in enumerate(evidence)
        ],
        batch_size=500,
    )
    audit_bulk_created(evidence_rows)
    return document


def _reviewed(fact: ExtractedFact, user, status: str, note: str = "") -> None:
    fact.status = status
    fact.note = note[:300]
    fact.reviewed_by = user
    fact.reviewed_at = timezone.now()
    fact.full_clean()
    fact.save()


@transaction.atomic
def fact_reject(*, fact: ExtractedFact, user) -> ExtractedFact:
    """Set a fact aside. Ledger rows it was linked to stay as they are."""
    fact.project = None
    fact.indicator_value = None
    _reviewed(fact, user, FactStatus.REJECTED)
    return fact


@transaction.atomic
def fact_reopen(*, fact: ExtractedFact, user) -> ExtractedFact:
    """Put a reviewed fact back to pending (unlinking it; the ledger rows stay)."""
    fact.project = None
    fact.indicator_value = None
    _reviewed(fact, user, FactStatus.PENDING)
    return fact


@transaction.atomic
def fact_accept(*, fact: ExtractedFact, user) -> ExtractedFact:
    """Accept a person or an event: kept with the document, not linked to the ledger."""
    if fact.kind in (FactKind.PROJECT, FactKind.INDICATOR):
        raise ValidationError(_("Projects and indicators are accepted by linking or storing them."))
    _reviewed(fact, user, FactStatus.ACCEPTED)
    return fact


def _edit_project_payload(
    fact: ExtractedFact,
    *,
    name: str,
    company: str,
    total_investment: Decimal | None,
    currency: str,
    annual_revenue: Decimal | None,
    revenue_currency: str,
) -> None:
    """Write the reviewer's edits back into the fact (money in base units, as SCHEMA.md has it)."""

    def money(wan, cur):
        return None if wan is None else Money(wan_to_yuan(wan), cur).as_json()

    fact.payload = {
        **fact.payload,
        "name": name,
        "company": company or None,
        "investment": money(total_investment, currency),
        "annual_revenue": money(annual_revenue, revenue_currency),
    }


@transaction.atomic
def project_fact_link(*, fact: ExtractedFact, project: Project, user) -> ExtractedFact:
    """The fact is about a project already in the ledger: link it (the ledger's figures are not changed)."""
    if fact.kind != FactKind.PROJECT:
        raise ValidationError(_("Only a project fact can be linked to a project."))
    fact.project = project
    fact.indicator_value = None
    _reviewed(fact, user, FactStatus.ACCEPTED)
    return fact


@transaction.atomic
def project_fact_create(
    *,
    fact: ExtractedFact,
    user,
    unit: Unit,
    name: str,
    company: str = "",
    total_investment: Decimal | None,
    currency: str = "CNY",
    annual_revenue: Decimal | None = None,
    revenue_currency: str = "CNY",
) -> Project:
    """Create a ledger project from a fact (money in 万), with its capacities, and link the fact to it."""
    if fact.kind != FactKind.PROJECT:
        raise ValidationError(_("Only a project fact can create a project."))
    if unit.is_department:
        raise ValidationError({"unit": _("A project belongs to a town, street or park, not a department.")})
    _edit_project_payload(
        fact,
        name=name,
        company=company,
        total_investment=total_investment,
        currency=currency,
        annual_revenue=annual_revenue,
        revenue_currency=revenue_currency,
    )
    project = Project(
        name=name.strip(),
        company=company.strip(),
        unit=unit,
        total_investment=total_investment or 0,
        currency=currency,
        annual_revenue=annual_revenue,
        annual_revenue_currency=revenue_currency,
        description=_("Imported from “%(title)s”.") % {"title": fact.document.title},
    )
    project.full_clean()
    capacities = []
    for item in fact.payload.get("capacities") or []:
        try:
            quantity = Decimal(str(item["quantity"]))
        except (KeyError, InvalidOperation):
            continue
        capacities.append((quantity, (item.get("unit") or "")[:20], (item.get("product") or "")[:80]))
    project_save(project=project, capacities=capacities)
    fact.project = project
    _reviewed(fact, user, FactStatus.ACCEPTED)
    return project


def indicator_plan(
    *, name: str, period: str | None, unit: str | None, doc_date, indicators: list[Indicator]
) -> tuple[Indicator | None, tuple[int, int] | None, str]:
    """Which district value a fact would become: (indicator, (year, month), problem or "")."""
    known = review.best_name(name, [i.name for i in indicators])
    indicator = next((i for i in indicators if i.name == known), None)
    if indicator is None:
        return None, None, _("No indicator named “%(name)s” is defined; nothing is stored.") % {"name": name}
    when = review.resolve_period(period, doc_date)
    if when is None and doc_date is None and period:
        return (
            indicator,
            None,
            _(
                "The report has no date, so “%(period)s” has no year; write it as 2020年%(period)s to store it."
            )
            % {"period": period},
        )
    if when is None:
        return (
            indicator,
            None,
            _("The period “%(period)s” does not fix a month; nothing is stored.") % {"period": period or "—"},
        )
    expected = MEASURE_SUFFIX.get(indicator.measure)
    if unit and expected and unit != expected:
        return (
            indicator,
            when,
            _("The figure is in %(unit)s but %(indicator)s is kept in %(expected)s; nothing is stored.")
            % {"unit": unit, "indicator": indicator.name, "expected": expected},
        )
    return indicator, when, ""


@transaction.atomic
def indicator_fact_accept(
    *, fact: ExtractedFact, user, name: str, period: str | None, value: Decimal
) -> ExtractedFact:
    """Store an indicator fact as the district's value for its period, and link it.

    Unknown indicators, periods that do not fix a month, other units and a different value already
    stored leave the fact accepted but unlinked, with a note saying why: nothing is guessed or overwritten."""
    if fact.kind != FactKind.INDICATOR:
        raise ValidationError(_("Only an indicator fact can be stored as an indicator value."))
    fact.payload = {**fact.payload, "name": name, "period": period or None, "value": float(value)}
    indicator, when, problem = indicator_plan(
        name=name,
        period=period,
        unit=fact.payload.get("unit"),
        doc_date=fact.document.doc_date,
        indicators=list(Indicator.objects.active()),
    )
    fact.indicator_value = None
    if not problem:
        year, month = when
        existing = IndicatorValue.objects.filter(
            indicator=indicator, unit__isnull=True, year=year, month=month
        ).first()
        if existing is not None and existing.value != value:
            problem = _(
                "The district value of %(indicator)s for %(year)s-%(month)02d is already %(value)s; "
                "it was not overwritten."
            ) % {
                "indicator": indicator.name,
                "year": year,
                "month": month,
                "value": f"{existing.value.normalize():f}",
            }
        elif existing is None:
            try:
                indicator_values_save(
                    unit=None, year=year, month=month, entries=[Entry(indicator, value)], user=user
                )
            except ValidationError as error:
                problem = " ".join(error.messages)
            else:
                existing = IndicatorValue.objects.get(
                    indicator=indicator, unit__isnull=True, year=year, month=month
                )
        if not problem:
            fact.indicator_value = existing
    _reviewed(fact, user, FactStatus.ACCEPTED, problem)
    return fact
