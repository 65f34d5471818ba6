"""A long export or import that runs outside the request, in `ducha worker`, while the user watches its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobState


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=JobKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("asked by")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.TextField(_("message"), blank=True)
    # Relative to settings.DUCHA_PRIVATE_ROOT: no public URL; only the owner's download view sends it.
    result_path = models.CharField(_("result file"), max_length=300, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)  # host:pid of the worker that took it
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="jobs_queue_idx"),  # the worker's claim
            models.Index(fields=["user", "-created_at"], name="jobs_user_latest_idx"),  # "my jobs"
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
