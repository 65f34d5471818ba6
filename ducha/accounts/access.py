"""Who may see and change what. Views call these; they never filter by hand.

- office admins and superusers: everything;
- leaders: read everything, change nothing;
- unit staff: read and change their own unit's data;
- department staff: their own department's data;
- auditors: the audit trail only, no business data.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404


def project_scope(user, prefix: str = "") -> Q | None:
    """A filter limiting projects (or rows reached through `prefix`, e.g. "project__") to those `user` may read.

    None means no limit: office and leaders. Unit staff read their unit's projects, department staff the
    projects their department is responsible for; anyone else gets a filter that matches nothing.
    """
    if user.reads_everything:
        return None
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
    if user.is_unit_staff and user.unit_id:
        return [user.unit_id]
    if user.is_department_staff and user.unit_id:
        return None
    return []


def units_visible_to(user, *, departments: bool = False) -> QuerySet:
    """The one answer to "which units may this user see", for every page, selector, export and API list.

    Office and leaders: every town, street and park; unit staff: their own unit; department staff: the
    units where the department is responsible for a project (the projects it sees); auditors: none.
    With `departments`, the office and leaders also get the departments, and department staff their own.
    """
    from ducha.units.models import Unit

    areas = Unit.objects.areas()
    if user.reads_everything:
        return Unit.objects.all() if departments else areas
    if user.is_unit_staff and user.unit_id:
        return areas.filter(pk=user.unit_id)
    if user.is_department_staff and user.unit_id:
        responsible = areas.filter(projects__responsible_department_id=user.unit_id).values("pk")
        own = Q(pk=user.unit_id) if departments else Q(pk__in=[])
        return Unit.objects.filter(Q(pk__in=responsible) | own)
    return Unit.objects.none()


def can_write_unit(user, unit_id: int | None) -> bool:
    if user.is_office:
        return True
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
