"""Reads of the report import: the document list, the review page's rows, a project's evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from ducha.indicators.models import Indicator
from ducha.projects.models import Project
from ducha.projects.selectors import projects_for_user

from . import review
from .choices import FactKind, FactStatus
from .engine.extract import LOW_CONFIDENCE
from .models import Evidence, ExtractedFact, ImportedDocument
from .services import indicator_plan


def documents_for_user(user) -> QuerySet[ImportedDocument]:
    """The office's imported reports: those imported by an office of its region or of a region below it (a
    district's reports stay with its district and its city); an office of the whole installation reads all."""
    if not user.is_authenticated or not user.is_office:
        return ImportedDocument.objects.none()
    if user.reads_everything:
        return ImportedDocument.objects.all()
    return ImportedDocument.objects.filter(uploaded_by__region__prefix__startswith=user.region.prefix)


def document_get_for_user(user, pk: int) -> ImportedDocument:
    document = documents_for_user(user).select_related("uploaded_by").filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def fact_get_for_user(user, document: ImportedDocument, pk: int) -> ExtractedFact:
    """A fact of a document already loaded through document_get_for_user."""
    fact = ExtractedFact.objects.filter(document=document, pk=pk).first() if user.is_office else None
    if fact is None:
        raise Http404
    fact.document = document
    return fact


def document_list(user, q: str = "") -> QuerySet[ImportedDocument]:
    """Documents with their fact counts, searchable by title and text; the big columns are not loaded."""
    documents = documents_for_user(user)
    if q := q.strip():
        documents = documents.filter(
            Q(title__icontains=q) | Q(text__icontains=q) | Q(source_name__icontains=q)
        )
    return (
        documents.defer("text", "extraction")
        .select_related("uploaded_by")
        .annotate(
            fact_count=Count("facts"),
            pending_count=Count("facts", filter=Q(facts__status=FactStatus.PENDING)),
            accepted_count=Count("facts", filter=Q(facts__status=FactStatus.ACCEPTED)),
        )
        .order_by("-created", "-pk")
    )


@dataclass
class EvidenceRow:
    evidence: Evidence
    segments: list[review.Segment]


@dataclass
class FactRow:
    fact: ExtractedFact
    evidence: list[EvidenceRow]
    matches: list[review.Match] = field(default_factory=list)
    investment_wan: object = None
    revenue_wan: object = None
    indicator: Indicator | None = None
    period: tuple[int, int] | None = None
    problem: str = ""

    @property
    def confidence(self) -> float | None:
        """The engine's confidence in the fact (None for facts imported before it gave one)."""
        value = self.fact.payload.get("confidence")
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    @property
    def low_confidence(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


def review_rows(facts: list[ExtractedFact], doc_date, user=None) -> list[FactRow]:
    """What the review page shows for each fact (loaded by document_facts), in a fixed number of queries.

    With `user`, a project fact is matched against the projects that user reads only (not another district's)."""
    # Loaded whatever the kinds on the page, so that the page's queries never vary.
    projects = Project.objects.all() if user is None else projects_for_user(user)
    candidates = list(projects.values_list("pk", "name"))
    indicators = list(Indicator.objects.active())
    rows = []
    for fact in facts:
        terms = review.fact_terms(fact.kind, fact.payload)
        evidence = [EvidenceRow(e, review.highlight(e.text, terms)) for e in fact.evidence.all()]
        row = FactRow(fact, evidence)
        payload = fact.payload
        if fact.kind == FactKind.PROJECT:
            if fact.status == FactStatus.PENDING:
                row.matches = review.best_matches(payload.get("name") or "", candidates)
            row.investment_wan = review.to_wan((payload.get("investment") or {}).get("amount"))
            row.revenue_wan = review.to_wan((payload.get("annual_revenue") or {}).get("amount"))
        elif fact.kind == FactKind.INDICATOR and fact.status == FactStatus.PENDING:
            row.indicator, row.period, row.problem = indicator_plan(
                name=payload.get("name") or "",
                period=payload.get("period"),
                unit=payload.get("unit"),
                doc_date=doc_date,
                indicators=indicators,
            )
        rows.append(row)
    return rows


def document_facts(document: ImportedDocument, kind: str | None = None) -> QuerySet[ExtractedFact]:
    facts = document.facts.select_related("project__unit", "indicator_value__indicator").prefetch_related(
        "evidence"
    )
    # the least certain first, where the reviewer's look pays most; facts without a
    # confidence (imported before the engine gave one) last, in the report's order
    facts = facts.order_by(F("payload__confidence").asc(nulls_last=True), "order", "pk")
    return facts.filter(kind=kind) if kind else facts


def fact_counts(document: ImportedDocument) -> dict[str, int]:
    counts = dict(document.facts.values_list("kind").annotate(n=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in FactKind.values}


@dataclass
class ProjectEvidence:
    evidence: Evidence
    segments: list[review.Segment]


def project_evidence(project: Project, *, limit: int = 6) -> list[ProjectEvidence]:
    """The source sentences of the accepted facts linked to a project: one query, whatever their number."""
    rows = (
        Evidence.objects.filter(fact__project=project, fact__status=FactStatus.ACCEPTED)
        .select_related("document", "fact")
        .defer("document__text", "document__extraction")
        .order_by("-document__created", "fact_id", "order")[:limit]
    )
    return [
        ProjectEvidence(e, review.highlight(e.text, review.fact_terms(e.fact.kind, e.fact.payload)))
        for e in rows
    ]
