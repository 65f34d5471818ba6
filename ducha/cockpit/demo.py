"""Demo bulletins: the 1-3月 and 1-11月 2020 bulletins, published by Jintan's office (金坛区's series) from the demo
ledger.

Idempotent: each demo period keeps exactly one bulletin, refreshed from the current figures; it keeps the issue
number it got the first time (2020年第1期 and 第2期, issued a few days after each month's reporting deadline).
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ducha.accounts.models import User
from ducha.lib.periods import Period
from ducha.regions.demo import JINTAN, region

from . import bulletin
from .models import Bulletin
from .services import bulletin_next_issue

DEMO_PERIODS = {Period(2020, 3): date(2020, 4, 10), Period(2020, 11): date(2020, 12, 8)}


def load(*, password: str, log) -> None:
    office = User.objects.filter(username="office").first()  # Jintan's office
    jintan = region(JINTAN)
    for period, issued_on in DEMO_PERIODS.items():
        with translation.override(settings.LANGUAGE_CODE):  # the district's document language
            content = bulletin.collect(period, jintan)  # Jintan's units only, as its office publishes it
        fields = {
            "title": content["title"],
            "content": content,
            "generated_by": office,
            "generated_at": timezone.now(),
            "issued_on": issued_on,
            "issuer": settings.DUCHA_BULLETIN_ISSUER,
            "masthead": settings.DUCHA_BULLETIN_MASTHEAD,
            "recipients": settings.DUCHA_BULLETIN_RECIPIENTS,
            "copies": settings.DUCHA_BULLETIN_COPIES,
        }
        with transaction.atomic():
            item = (
                Bulletin.objects.filter(region=jintan, year=period.year, month=period.month)
                .order_by("pk")
                .first()
            )
            if item is None:
                item = Bulletin(region=jintan, year=period.year, month=period.month)
            if item.pk is None or item.issue_year != issued_on.year:
                item.issue, item.issue_year = bulletin_next_issue(issued_on.year, jintan), issued_on.year
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
    log(f"bulletins: {len(DEMO_PERIODS)}")
