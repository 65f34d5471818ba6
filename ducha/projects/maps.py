"""What every map of projects needs, whichever page draws it (the map, the project form, the cockpit, the round
planner): where its boundaries are, the lights' names and colours, the project link and the optional tiles."""

from django.conf import settings
from django.urls import reverse

from ducha.accounts.access import acting_region

from . import selectors


def map_context(user, *, lights: dict | None = None) -> dict:
    """What every map needs: where its boundaries are, the lights' names and colours (`lights` when the page
    has read them already), the project link and the optional tiles."""
    region = acting_region(user)
    return {
        "map_config": {
            "boundaries": reverse("regions:boundaries", args=[region.code]) if region else "",
            "lights": lights or selectors.light_labels(),
            "project": reverse("projects:detail", args=[0]),  # the card's link, with the point's id for 0
            "tiles": settings.DUCHA_MAP_TILE_URL,
            "attribution": settings.DUCHA_MAP_TILE_ATTRIBUTION,
        }
    }
