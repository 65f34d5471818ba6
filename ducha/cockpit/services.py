"""Writes of the cockpit app: publishing a bulletin freezes its figures, gives it the year's next issue number and
stores its .docx."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.access import acting_region
from ducha.lib import clock
from ducha.lib.periods import Period
from ducha.regions.services import home_region

from . import bulletin, document
from .models import Bulletin, BulletinDocument, BulletinIssueCounter


def bulletin_issuer(region) -> str:
    """The issuing office: the configured one for the installation's own region (DUCHA_BULLETIN_ISSUER), else
    that region's key project office (常州市重点项目推进办公室)."""
    if region == home_region():
        return settings.DUCHA_BULLETIN_ISSUER
    return _("%(region)s key project office") % {"region": region.name}


def default_recipients(region) -> str:
    if region == home_region():
        return settings.DUCHA_BULLETIN_RECIPIENTS
    names = "、".join(child.name for child in region.children.filter(units__isnull=False).distinct())
    return _("%(districts)s key project offices") % {"districts": names} if names else ""


def _default_copies(region) -> str:
    return settings.DUCHA_BULLETIN_COPIES if region == home_region() else ""


def bulletin_next_issue(year: int, region) -> int:
    """The next 期号 of `year` in `region`'s series, taken under a row lock so that two offices publishing at once
    get two numbers; a number once given is never given again."""
    BulletinIssueCounter.objects.get_or_create(year=year, region=region)
    counter = BulletinIssueCounter.objects.select_for_update().get(year=year, region=region)
    counter.last_issue += 1
    counter.save(update_fields=["last_issue"])
    return counter.last_issue


def bulletin_publish(
    *,
    year: int,
    month: int,
    user,
    issued_on: date | None = None,
    recipients: str | None = None,
    copies: str | None = None,
) -> Bulletin:
    """Collect the period's figures and keep them as the next issue (期号) of the year of issue.

    issued_on: the date of issue written on the document (default: the business date); it cannot be before the
    period has ended. recipients and copies: the 主送 and 抄送 lines (default: the settings).
    """
    if not user.is_office:
        raise ValidationError(_("Only the office publishes bulletins."))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(
            {"month": _("Choose a month between 1 and 12 of a year between 2000 and 2100.")}
        )
    period = Period(year, month)
    issued_on = issued_on or clock.today()
    if issued_on <= period.end:
        first_day = period.end + timedelta(days=1)
        raise ValidationError(
            {
                "issued_on": _("A bulletin on %(period)s can be issued from %(day)s on.")
                % {"period": period, "day": bulletin.chinese_date(first_day)}
            }
        )
    region = acting_region(user)
    content = bulletin.collect(period, None if user.reads_everything else region)
    with transaction.atomic():
        item = Bulletin(
            region=region,
            year=year,
            month=month,
            issue=bulletin_next_issue(issued_on.year, region),
            issue_year=issued_on.year,
            issued_on=issued_on,
            issuer=bulletin_issuer(region),
            masthead=settings.DUCHA_BULLETIN_MASTHEAD,
            recipients=(default_recipients(region) if recipients is None else recipients).strip(),
            copies=(_default_copies(region) if copies is None else copies).strip(),
            title=content["title"],
            generated_at=timezone.now(),
            generated_by=user,
            content=content,
        )
        item.full_clean()
        item.save()
        # The content is frozen now, so is the document: built once here, sent as stored on every download.
        BulletinDocument.objects.create(bulletin=item, docx=document.bulletin_docx_for(item))
    return item


def bulletin_document(item: Bulletin) -> bytes:
    """The .docx of a published bulletin: the stored one, or for a bulletin published before documents were
    stored, one built from its frozen content and stored for the next download."""
    stored = BulletinDocument.objects.filter(bulletin=item).values_list("docx", flat=True).first()
    if stored is not None:
        return bytes(stored)
    docx = document.bulletin_docx_for(item)
    BulletinDocument.objects.get_or_create(bulletin=item, defaults={"docx": docx})
    return docx
