"""Loading the national divisions, and the installation's home region."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .divisions import Division, divisions
from .models import Region, division_prefix


def regions_load(within: str, *, log: Callable[[str], None] | None = None) -> int:
    """Store the division `within` (a national code), its ancestors and every division below it.

    Idempotent: existing divisions keep their rows (units point at them) and only take a changed name.
    Returns how many divisions were created or renamed."""
    every = list(divisions())
    top = next((d for d in every if d.code == within), None)
    if top is None:
        raise ValidationError(_("No division has the code %(code)s.") % {"code": within})
    top_prefix = _prefix(top)
    chosen = [d for d in every if _prefix(d).startswith(top_prefix) or top_prefix.startswith(_prefix(d))]
    stored = {r.code: r for r in Region.objects.all()}
    changed = 0
    with transaction.atomic():
        for division in sorted(chosen, key=lambda d: (len(_prefix(d)), d.code)):  # parents first
            region = stored.get(division.code)
            if region is not None:
                if region.name != division.name:
                    region.name = division.name
                    region.save(update_fields=["name"])
                    changed += 1
                continue
            parent = stored.get(division.parent) if division.parent else None
            region = Region(code=division.code, name=division.name, level=division.level, parent=parent)
            region.save()
            stored[region.code] = region
            changed += 1
    if log:
        log(_("%(count)s divisions stored or renamed under %(code)s.") % {"count": changed, "code": within})
    return changed


def _prefix(division: Division) -> str:
    return division_prefix(division.code, division.level)


def county_units(region: Region) -> list:
    """The offices of the districts (counties) below a city or province as units of that city: the city evaluates
    and flags them, sets their targets and raises problems to them. One per child region that holds units;
    made once, kept afterwards."""
    from ducha.units.models import PEER_GROUP_OF_KIND, Unit, UnitKind

    result = []
    for order, child in enumerate(region.children.order_by("code"), start=1):
        if not Unit.objects.areas().within(child).exists():
            continue
        unit, _created = Unit.objects.get_or_create(
            region=child,
            kind=UnitKind.COUNTY,
            defaults={"name": child.name, "peer_group": PEER_GROUP_OF_KIND[UnitKind.COUNTY], "order": order},
        )
        result.append(unit)
    return result


def home_region() -> Region:
    """The division this installation serves (DUCHA_HOME_REGION, e.g. 320413 金坛区; 320400 for 常州市),
    loaded from the shipped divisions the first time it is asked for."""
    region = Region.objects.filter(code=settings.DUCHA_HOME_REGION).first()
    if region is None:
        regions_load(settings.DUCHA_HOME_REGION)
        region = Region.objects.get(code=settings.DUCHA_HOME_REGION)
    return region


def home_region_id() -> int:
    """A unit's default region: existing and new units without one belong to the home region."""
    return home_region().pk
