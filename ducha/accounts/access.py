"""Who may see and change what. Views call these; they never filter by hand.

- office admins: everything in their region and every region below it (a city office its counties; no
  region: the whole installation); superusers: everything;
- leaders: read what the office of their region reads, change nothing;
- unit staff: read and change their own unit's data;
- department staff: their own department's data;
- auditors: the audit trail only, no business data.
"""

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Q, QuerySet
from django.db.models.fields.related_lookups import RelatedIn
from django.http import Http404

if TYPE_CHECKING:
    from ducha.units.models import UnitQuerySet


@ForeignKey.register_lookup
class InRegionUnits(RelatedIn):
    """`unit__in_region_units=<the region's units>`: an IN over a region's units, whose column SQLite is told
    not to search by its index (unary +). A region's units hold most of the projects SQLite holds (one district,
    or a city), but SQLite cannot know how many a subquery returns and searches every unit's projects by the
    unit index, then sorts them all: the ledger sorted by completion and the map points took 0.5–0.9 s at
    100,000 projects. Without the index it reads the sort's own index in order and checks each row's unit
    (8–70 ms). PostgreSQL estimates the subquery and needs no hint."""

    lookup_name = "in_region_units"

    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return f"+{sql}", params


def project_scope(user, prefix: str = "") -> Q | None:
    """A filter limiting projects (or rows reached through `prefix`, e.g. "project__") to those `user` may read.

    None means no limit: office and leaders. Unit staff read their unit's projects, department staff the
    projects their department is responsible for; anyone else gets a filter that matches nothing.
    """
    if user.reads_everything:
        return None
    if user.reads_region:
        return Q(**{f"{prefix}unit__in_region_units": units_of_region(user).values("pk")})
    if user.is_unit_staff and user.unit_id:
        return Q(**{f"{prefix}unit_id": user.unit_id})
    if user.is_department_staff and user.unit_id:
        return Q(**{f"{prefix}responsible_department_id": user.unit_id})
    return Q(pk__in=[])


def whole_units_in_scope(user) -> list[int] | None:
    """The units whose projects make up exactly what `user` reads (every unit for office and leaders, their
    own for unit staff), so that pages may read the units' stored sums; None when the scope is not whole
    units (department staff read the projects their department is responsible for)."""
    from ducha.units.models import Unit

    if user.reads_everything:
        return list(Unit.objects.values_list("pk", flat=True))
    if user.reads_region:
        return list(units_of_region(user).values_list("pk", flat=True))
    if user.is_unit_staff and user.unit_id:
        return [user.unit_id]
    if user.is_department_staff and user.unit_id:
        return None
    return []


def units_visible_to(user, *, departments: bool = False) -> "UnitQuerySet":
    """The one answer to "which units may this user see", for every page, selector, export and API list.

    Office and leaders: every town, street and park; unit staff: their own unit; department staff: the
    units where the department is responsible for a project (the projects it sees); auditors: none.
    With `departments`, the office and leaders also get the departments, and department staff their own.
    """
    from ducha.units.models import Unit

    areas = Unit.objects.areas()
    if user.reads_everything:
        return Unit.objects.all() if departments else areas
    if user.reads_region:
        return units_of_region(user) if departments else units_of_region(user).areas()
    if user.is_unit_staff and user.unit_id:
        return areas.filter(pk=user.unit_id)
    if user.is_department_staff and user.unit_id:
        responsible = areas.filter(projects__responsible_department_id=user.unit_id).values("pk")
        own = Q(pk=user.unit_id) if departments else Q(pk__in=[])
        return Unit.objects.filter(Q(pk__in=responsible) | own)
    return Unit.objects.none()


def units_of_region(user) -> "UnitQuerySet":
    """Every unit (areas and departments) of an office admin's or leader's region and the regions below it."""
    from ducha.units.models import Unit

    if user.reads_everything:
        return Unit.objects.all()
    if not user.reads_region:
        return Unit.objects.none()
    return Unit.objects.within(user.region)


def departments_for(user) -> QuerySet:
    """The departments (and the district offices below a city) that `user` may name on a problem or a project:
    those of their region and the regions below it; every one for the whole installation."""
    from ducha.units.models import Unit, UnitKind

    addressed = Unit.objects.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COUNTY])
    if user.reads_everything:
        return addressed
    if user.reads_region:
        return addressed.within(user.region)
    if user.unit_id:
        return addressed.filter(region=user.unit.region)
    return addressed.none()


def owner_region_scope(user, prefix: str = "region__") -> Q | None:
    """A filter on things a region owns (rounds, evaluation schemes, bulletins) for those `user` may read:
    those of the regions they cover and of the regions above them, whose rounds, evaluations and bulletins
    concern them. None means no limit."""
    if user.reads_everything:
        return None
    region = user.region if user.reads_region else (user.unit.region if user.unit_id else None)
    if region is None:
        return Q(pk__in=[])
    below = (
        Q(**{f"{prefix}prefix__startswith": region.prefix})
        if user.reads_region
        else Q(**{f"{prefix}pk": region.pk})
    )
    return below | Q(**{f"{prefix}prefix__in": region.ancestor_prefixes})


def acting_region(user):
    """The region a user acts for: an office admin's or leader's own (the home region when they have none),
    a unit's staff their unit's. Rounds, schemes and bulletins they create belong to it."""
    from ducha.regions.services import home_region

    if user.reads_region and user.region_id:
        return user.region
    if user.unit_id and not user.reads_region:
        return user.unit.region
    return home_region()


def owns_region_object(user, region_id: int | None) -> bool:
    """An office admin changes the rounds, schemes and bulletins of their own region (all, with no region)."""
    return user.is_office and (user.reads_everything or region_id == user.region_id)


def can_write_unit(user, unit_id: int | None) -> bool:
    if user.is_office:
        return user.reads_everything or (
            unit_id is not None and units_of_region(user).filter(pk=unit_id).exists()
        )
    return (
        (user.is_unit_staff or user.is_department_staff) and unit_id is not None and user.unit_id == unit_id
    )


def office_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_office:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def business_user_required(view):
    """Any signed-in user who works with business data (not the three administrators, not a user without a role)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_business_user:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def audit_reader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_auditor:  # 三权分立: only the audit administrator reads the trail
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def office_get_or_404(user, model_or_queryset, pk):
    """An object only the office may open (configuration: schemes, indicators, categories …).

    Everyone else, like a missing or malformed pk, gets 404.
    """
    if not user.is_office:
        raise Http404
    queryset = (
        model_or_queryset._default_manager.all() if isinstance(model_or_queryset, type) else model_or_queryset
    )
    obj = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise Http404
    return obj
