"""Writes of the cockpit app: publishing a bulletin freezes its figures."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.lib.periods import Period

from . import bulletin
from .models import Bulletin


def bulletin_publish(*, year: int, month: int, user) -> Bulletin:
    """Collect the period's figures and keep them as a new issue of its bulletin (earlier issues stay)."""
    if not user.is_office:
        raise ValidationError(_("Only the office publishes bulletins."))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(
            {"month": _("Choose a month between 1 and 12 of a year between 2000 and 2100.")}
        )
    period = Period(year, month)
    content = bulletin.collect(period)
    with transaction.atomic():
        latest = Bulletin.objects.filter(year=year, month=month).aggregate(n=Max("issue"))["n"]
        item = Bulletin(
            year=year,
            month=month,
            issue=(latest or 0) + 1,
            title=content["title"],
            generated_at=timezone.now(),
            generated_by=user,
            content=content,
        )
        item.full_clean()
        item.save()
    return item
