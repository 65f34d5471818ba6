"""The business date: what "today" means for deadlines, lights and the current reporting month.

A demo or training installation whose data lie in the past sets DUCHA_TODAY; everything else uses the local date.
Timestamps (audit, sign-in) always use the real clock.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    pinned = getattr(settings, "DUCHA_TODAY", "")
    if pinned:
        return date.fromisoformat(pinned)
    return timezone.localdate()
