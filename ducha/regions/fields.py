from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .services import home_region_id

if TYPE_CHECKING:
    from .models import Region


def region_field(related_name: str = "+") -> models.ForeignKey[Region, Region]:
    """The region a row belongs to (a unit's division, or the office that made a round, scheme or bulletin):
    required, kept while anything points at it, the installation's home region by default."""
    return models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name=related_name,
        default=home_region_id,
    )
