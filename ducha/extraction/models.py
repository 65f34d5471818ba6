from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .choices import FactKind, FactStatus


class ImportedDocument(models.Model):
    """A report the office imported (a news page, 通报, 汇报材料), kept with what was extracted from it."""

    title = models.CharField(_("title"), max_length=200)
    source_name = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("File name, or empty for pasted text.")
    )
    text = models.TextField(_("text"))
    doc_date = models.DateField(_("document date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created = models.DateTimeField(_("imported at"), auto_now_add=True)
    extraction = models.JSONField(
        _("extraction"), default=dict, help_text=_("The extractor's output, as SCHEMA.md defines it.")
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("imported document")
        verbose_name_plural = _("imported documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("extraction:detail", args=[self.pk])


class ExtractedFact(models.Model):
    """One project, indicator, person or event found in a document, and what a reviewer decided."""

    document = models.ForeignKey(
        ImportedDocument, on_delete=models.CASCADE, related_name="facts", verbose_name=_("document")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FactKind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    payload = models.JSONField(_("fact"), help_text=_("The fact as extracted, with the reviewer's edits."))
    evidence_text = models.TextField(_("source sentence"))
    evidence_start = models.PositiveIntegerField(_("start offset"))
    evidence_end = models.PositiveIntegerField(_("end offset"))
    status = models.CharField(
        _("status"), max_length=20, choices=FactStatus.choices, default=FactStatus.PENDING
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extracted_facts",
        verbose_name=_("ledger project"),
    )
    indicator_value = models.ForeignKey(
        "indicators.IndicatorValue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extracted_facts",
        verbose_name=_("indicator value"),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Why an accepted fact is not linked.")
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = _("extracted fact")
        verbose_name_plural = _("extracted facts")
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_end__gte=F("evidence_start")), name="fact_evidence_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(kind=FactKind.PROJECT, status=FactStatus.ACCEPTED),
                name="only_accepted_project_facts_link_projects",
            ),
            models.CheckConstraint(
                condition=Q(indicator_value__isnull=True)
                | Q(kind=FactKind.INDICATOR, status=FactStatus.ACCEPTED),
                name="only_accepted_indicator_facts_link_values",
            ),
        ]
        indexes = [models.Index(fields=["document", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}"

    @property
    def label(self) -> str:
        return str(self.payload.get("name") or self.payload.get("title") or self.payload.get("kind") or "")


class Evidence(models.Model):
    """A sentence of a document that states a fact: the link from a stored fact back to its source."""

    document = models.ForeignKey(
        ImportedDocument, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("document")
    )
    fact = models.ForeignKey(
        ExtractedFact, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("fact")
    )
    text = models.TextField(_("sentence"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["fact", "order"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="evidence_offsets_ordered")
        ]

    def __str__(self) -> str:
        return self.text[:60]
