"""Demo bulletins: the 1-3月 and 1-11月 2020 bulletins, published by the office from the demo ledger.

Idempotent: each demo period keeps exactly one issue, refreshed from the current figures.
"""

from django.conf import settings
from django.utils import timezone, translation

from ducha.accounts.models import User
from ducha.lib.periods import Period

from . import bulletin
from .models import Bulletin

DEMO_PERIODS = [Period(2020, 3), Period(2020, 11)]


def load(*, password: str, log) -> None:
    office = User.objects.filter(role="office").order_by("pk").first()
    for period in DEMO_PERIODS:
        with translation.override(settings.LANGUAGE_CODE):  # the district's document language
            content = bulletin.collect(period)
        Bulletin.objects.update_or_create(
            year=period.year,
            month=period.month,
            issue=1,
            defaults={
                "title": content["title"],
                "content": content,
                "generated_by": office,
                "generated_at": timezone.now(),
            },
        )
    log(f"bulletins: {len(DEMO_PERIODS)}")
