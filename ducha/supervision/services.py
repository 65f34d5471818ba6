"""Writes of the supervision app: keyword-only functions named <entity>_<action>.

Each runs in one transaction and validates before it stores, so bad input leaves nothing behind.
The acting user is handed to the audit trail, also when a command (not a request) calls us.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.access import acting_region, can_write_unit, departments_for
from ducha.core.audit import acting_as
from ducha.lib import clock
from ducha.projects.services import StaleEdit
from ducha.units.models import Unit, UnitKind

from .choices import OPEN_STATUSES, NoticeKind, OrderKind, ProblemAction, ProblemSource, ProblemStatus
from .models import (
    Attachment,
    Notice,
    Problem,
    ProblemCategory,
    ProblemStep,
    RoundVisit,
    SupervisionOrder,
    SupervisionRound,
    SupervisionSettings,
)
from .rules import (
    COMMENT_REQUIRED,
    default_deadline,
    next_order_seq,
    next_status,
    order_number,
    round_title,
)
from .selectors import notices_for, problem_actor, supervision_settings

__all__ = ["StaleEdit"]  # raised by problem_update and problem_transition on a lost update

ALLOWED_UPLOADS = {
    # extension → accepted leading bytes (photos from a phone, scans, Word and Excel files)
    "jpg": (b"\xff\xd8",),
    "jpeg": (b"\xff\xd8",),
    "png": (b"\x89PNG",),
    "gif": (b"GIF8",),
    "webp": (b"RIFF",),
    "pdf": (b"%PDF",),
    "docx": (b"PK",),
    "xlsx": (b"PK",),
}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def attachment_validate(upload: UploadedFile) -> None:
    """Refuse files over DUCHA_MAX_UPLOAD_BYTES and anything but images, PDF, .docx and .xlsx."""
    name = upload.name or ""
    limit = settings.DUCHA_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; attachments may be at most %(limit)s MB.")
            % {"name": name, "size": _mb(upload.size), "limit": _mb(limit)},
            code="too_large",
        )
    ext = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError(
            _(
                "“%(name)s” is not an accepted file type; attach photos (jpg, png), PDF, Word (.docx) or Excel (.xlsx)."
            )
            % {"name": name},
            code="file_type",
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ALLOWED_UPLOADS[ext]):
        raise ValidationError(
            _("“%(name)s” does not look like a .%(ext)s file.") % {"name": name, "ext": ext},
            code="file_content",
        )


def _attach(files: Sequence[UploadedFile], *, user, problem=None, visit=None, step=None) -> list[Attachment]:
    for upload in files:
        attachment_validate(upload)
    stored = []
    for upload in files:
        att = Attachment(
            file=upload,
            original_name=(upload.name or "")[:200],
            size=upload.size,
            problem=problem,
            visit=visit,
            step=step,
            uploaded_by=user,
        )
        att.full_clean(exclude=["file"])
        att.save()
        stored.append(att)
    return stored


# --- rounds ----------------------------------------------------------------------------------------


@transaction.atomic
def round_save(*, user, data: dict, instance: SupervisionRound | None = None) -> SupervisionRound:
    """Create or update a round; the title is composed from year, campaign and ordinal when left empty."""
    rnd = instance or SupervisionRound(created_by=user, region=acting_region(user))
    for field, value in data.items():
        setattr(rnd, field, value)
    if not rnd.title:
        rnd.title = round_title(year=rnd.year, campaign=rnd.campaign, ordinal=rnd.ordinal)
    rnd.full_clean()
    with acting_as(user):
        rnd.save()
    return rnd


@transaction.atomic
def visit_add(
    *, user, round: SupervisionRound, project, findings: str = "", arrival_time=None, files: Sequence = ()
) -> RoundVisit:
    last = round.visits.order_by("-order").values_list("order", flat=True).first() or 0
    visit = RoundVisit(
        round=round, project=project, order=last + 1, findings=findings, arrival_time=arrival_time
    )
    visit.full_clean()
    with acting_as(user):
        visit.save()
        _attach(files, user=user, visit=visit)
    return visit


@transaction.atomic
def round_from_route(*, user, data: dict, visits: Sequence[tuple]) -> SupervisionRound:
    """A new round whose itinerary is a planned route: `visits` are (project, arrival time) in route order.
    All or nothing: a project the round may not visit leaves no round behind."""
    rnd = round_save(user=user, data=data)
    for project, arrival in visits:
        visit_add(user=user, round=rnd, project=project, arrival_time=arrival)
    return rnd


@transaction.atomic
def visit_update(
    *, user, visit: RoundVisit, findings: str, arrival_time=None, order=None, files: Sequence = ()
) -> RoundVisit:
    visit.findings = findings
    visit.arrival_time = arrival_time
    if order is not None:
        visit.order = order
    visit.full_clean()
    with acting_as(user):
        visit.save()
        _attach(files, user=user, visit=visit)
    return visit


def _delete_files_after_commit(attachments) -> None:
    files = [(att.file.storage, att.file.name) for att in attachments if att.file]

    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def visit_delete(*, user, visit: RoundVisit) -> None:
    """Take a project off a round's itinerary — refused while problems raised there at the round hang off it."""
    if not user.is_office:
        raise ValidationError(_("Only the office deletes visits."))
    raised = Problem.objects.filter(round_id=visit.round_id, project_id=visit.project_id).count()
    if raised:
        raise ValidationError(
            _(
                "The visit to “%(project)s” cannot be deleted: %(n)d problem(s) were raised there at this round. "
                "Those problems stay on record."
            )
            % {"project": visit.project.name, "n": raised},
            code="has_problems",
        )
    attachments = list(visit.attachments.all())
    with acting_as(user):
        visit.delete()
    _delete_files_after_commit(attachments)


@transaction.atomic
def round_delete(*, user, round: SupervisionRound) -> None:
    """Delete a round with its itinerary and photos — refused while any problem names the round."""
    if not user.is_office:
        raise ValidationError(_("Only the office deletes rounds."))
    raised = round.problems.count()
    if raised:
        raise ValidationError(
            _(
                "“%(round)s” cannot be deleted: %(n)d problem(s) were raised at it. "
                "Problems stay on record, so the round does too."
            )
            % {"round": round.title, "n": raised},
            code="has_problems",
        )
    attachments = list(Attachment.objects.filter(visit__round=round))
    with acting_as(user):
        for visit in round.visits.all():  # one by one, so that the audit trail records each visit
            visit.delete()
        round.delete()
    _delete_files_after_commit(attachments)


# --- categories and settings -----------------------------------------------------------------------


def _category_name(name: str, *, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the category a name.")})
    clash = ProblemCategory.objects.filter(name=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already a category “%(name)s”.") % {"name": name}})
    return name


@transaction.atomic
def category_create(*, user, name: str, order: int | None = None) -> ProblemCategory:
    if not user.is_office:
        raise ValidationError(_("Only the office keeps the categories."))
    name = _category_name(name)
    if order is None:
        last = ProblemCategory.objects.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    category = ProblemCategory(name=name, order=order, is_active=True)
    category.full_clean()
    with acting_as(user):
        category.save()
    return category


@transaction.atomic
def category_rename(
    *, user, category: ProblemCategory, name: str, order: int | None = None
) -> ProblemCategory:
    """Rename (and reorder) a category; problems filed under it follow the new name."""
    if not user.is_office:
        raise ValidationError(_("Only the office keeps the categories."))
    category.name = _category_name(name, exclude_pk=category.pk)
    if order is not None:
        category.order = order
    category.full_clean()
    with acting_as(user):
        category.save()
    return category


@transaction.atomic
def category_set_active(*, user, category: ProblemCategory, active: bool) -> ProblemCategory:
    """A deactivated category stays on the problems filed under it but is no longer offered for new ones."""
    if not user.is_office:
        raise ValidationError(_("Only the office keeps the categories."))
    category.is_active = active
    with acting_as(user):
        category.save(update_fields=["is_active"])
    return category


@transaction.atomic
def supervision_settings_save(*, user, data: dict) -> SupervisionSettings:
    if not user.is_office:
        raise ValidationError(_("Only the office changes the settings."))
    current = SupervisionSettings.objects.select_for_update().first() or SupervisionSettings()
    for field, value in data.items():
        setattr(current, field, value)
    current.full_clean()
    with acting_as(user):
        current.save()
    return current


# --- problems --------------------------------------------------------------------------------------


def _check_departments(user, lead_department: Unit, co_departments: Sequence[Unit]) -> None:
    errors = {}
    addressable = set(departments_for(user).values_list("pk", flat=True))
    outside = [
        str(u) for u in [lead_department, *co_departments] if u is not None and u.pk not in addressable
    ]
    if outside:  # a district office addresses its own region's departments, not another district's
        errors["lead_department"] = _("Not in your region: %(names)s.") % {"names": "、".join(outside)}
    if lead_department is None or lead_department.kind not in (UnitKind.DEPARTMENT, UnitKind.COUNTY):
        errors["lead_department"] = _("“%(name)s” is not a department.") % {"name": lead_department}
    wrong = [str(u) for u in co_departments if u.kind not in (UnitKind.DEPARTMENT, UnitKind.COUNTY)]
    if wrong:
        errors["co_departments"] = _("Not departments: %(names)s.") % {"names": "、".join(wrong)}
    if errors:
        raise ValidationError(errors)


def problem_deadline_days() -> int:
    """DUCHA_PROBLEM_DEADLINE_DAYS: how many days after the raise date a problem is due by default (30)."""
    return settings.DUCHA_PROBLEM_DEADLINE_DAYS


def problem_default_deadline(raised_on: datetime.date) -> datetime.date:
    """The deadline a problem raised on `raised_on` gets when none is given (DUCHA_PROBLEM_DEADLINE_DAYS later)."""
    return default_deadline(raised_on, days=problem_deadline_days())


def _version_check(problem: Problem, expected_version: int | None) -> None:
    """`problem` was just read with select_for_update: refuse a change made from an older version."""
    if expected_version is not None and problem.version != expected_version:
        raise StaleEdit(problem)
    problem.version += 1


@transaction.atomic
def problem_raise(
    *,
    user,
    project,
    category: ProblemCategory,
    description: str,
    lead_department: Unit,
    deadline: datetime.date | None = None,
    co_departments: Sequence[Unit] = (),
    responsible_leader: str = "",
    round: SupervisionRound | None = None,
    report=None,
    raised_on: datetime.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> Problem:
    """Record a problem found at a round or in a progress report and put it in the departments' inboxes.

    Without a deadline it gets problem_default_deadline(raised_on): relative to the day it was raised.
    """
    if not user.is_office:
        raise ValidationError(_("Only the office raises problems."))
    if not can_write_unit(user, project.unit_id):
        raise ValidationError({"project": _("This project is not in your region.")})
    raised_on = raised_on or clock.today()
    deadline = deadline or problem_default_deadline(raised_on)
    if deadline < raised_on:
        raise ValidationError(
            {
                "deadline": _("The deadline %(deadline)s is before the raise date %(raised)s.")
                % {"deadline": deadline, "raised": raised_on}
            }
        )
    _check_departments(user, lead_department, co_departments)
    source = ProblemSource.ROUND if round else ProblemSource.REPORT if report else ProblemSource.OTHER
    problem = Problem(
        project=project,
        source=source,
        round=round,
        report=report,
        category=category,
        description=description.strip(),
        lead_department=lead_department,
        responsible_leader=responsible_leader,
        raised_on=raised_on,
        deadline=deadline,
        raised_by=user,
    )
    problem.full_clean()
    with acting_as(user):
        problem.save()
        problem.co_departments.set([u for u in co_departments if u.pk != lead_department.pk])
        step = ProblemStep.objects.create(
            problem=problem,
            action=ProblemAction.RAISE,
            from_status="",
            to_status=ProblemStatus.PENDING,
            user=user,
            unit=user.unit,
            comment="",
            at=timezone.now(),
        )
        _attach(files, user=user, problem=problem, step=step)
        link = problem.get_absolute_url()
        text = _("New problem for %(department)s: %(project)s — %(description)s (deadline %(deadline)s)") % {
            "department": lead_department.label,
            "project": project.name,
            "description": problem.description[:60],
            "deadline": deadline,
        }
        Notice.objects.bulk_create(
            [
                Notice(recipient_unit=u, kind=NoticeKind.NEW_PROBLEM, text=text, link=link)
                for u in [lead_department, *co_departments]
            ]
        )
    return problem


@transaction.atomic
def problem_update(
    *,
    user,
    problem: Problem,
    category: ProblemCategory,
    description: str,
    lead_department: Unit,
    deadline: datetime.date,
    co_departments: Sequence[Unit] = (),
    responsible_leader: str = "",
    expected_version: int | None = None,
) -> Problem:
    """The office corrects a problem: category, text, departments, leader, deadline.

    Raises StaleEdit (nothing saved) when the problem changed since `expected_version`, the version the form
    was opened at; a new lead or co-department finds it in its inbox.
    """
    if not user.is_office:
        raise ValidationError(_("Only the office edits problems."))
    problem = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
    _version_check(problem, expected_version)
    if deadline < problem.raised_on:
        raise ValidationError(
            {
                "deadline": _("The deadline %(deadline)s is before the raise date %(raised)s.")
                % {"deadline": deadline, "raised": problem.raised_on}
            }
        )
    _check_departments(user, lead_department, co_departments)
    before = {problem.lead_department_id, *problem.co_departments.values_list("pk", flat=True)}
    problem.category = category
    problem.description = description.strip()
    problem.lead_department = lead_department
    problem.responsible_leader = responsible_leader
    problem.deadline = deadline
    problem.full_clean()
    with acting_as(user):
        problem.save()
        problem.co_departments.set([u for u in co_departments if u.pk != lead_department.pk])
        text = _("New problem for %(department)s: %(project)s — %(description)s (deadline %(deadline)s)") % {
            "department": lead_department.label,
            "project": problem.project.name,
            "description": problem.description[:60],
            "deadline": deadline,
        }
        Notice.objects.bulk_create(
            [
                Notice(
                    recipient_unit=u, kind=NoticeKind.NEW_PROBLEM, text=text, link=problem.get_absolute_url()
                )
                for u in [lead_department, *co_departments]
                if u.pk not in before
            ]
        )
    return problem


@transaction.atomic
def problem_transition(
    *,
    problem: Problem,
    user,
    action: str,
    comment: str = "",
    files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Problem:
    """Move a problem one step (accept, answer, resolve, verify, reopen), recording who, when and why.

    Raises StaleEdit (nothing saved) when the problem changed since `expected_version`, the version the page
    was opened at — e.g. someone else resolved it meanwhile.
    """
    problem = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
    _version_check(problem, expected_version)
    actor = problem_actor(user, problem)
    new_status = next_status(action, problem.status, actor)
    if new_status is None:
        raise ValidationError(
            _("You cannot do “%(action)s” on a problem that is “%(status)s”.")
            % {"action": ProblemAction(action).label, "status": problem.get_status_display()}
        )
    comment = comment.strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ValidationError({"comment": _("Please write what was done (or why it is reopened).")})
    old_status = problem.status
    now = timezone.now()
    problem.status = new_status
    if action == ProblemAction.RESOLVE:
        problem.resolved_on = clock.today()  # the business date: a demo resolves in its own year
    elif action == ProblemAction.VERIFY:
        problem.verified_by, problem.verified_at = user, now
    elif action == ProblemAction.REOPEN:
        problem.resolved_on = None
        problem.verified_by, problem.verified_at = None, None
    problem.full_clean()
    with acting_as(user):
        problem.save()
        step = ProblemStep.objects.create(
            problem=problem,
            action=action,
            from_status=old_status,
            to_status=new_status,
            user=user,
            unit=user.unit,
            comment=comment,
            at=now,
        )
        _attach(files, user=user, problem=problem, step=step)
    return problem


@transaction.atomic
def order_issue(
    *,
    user,
    problem: Problem,
    kind: str,
    text: str,
    issued_on: datetime.date,
    due_on: datetime.date,
) -> SupervisionOrder:
    """Issue a numbered 提示单 / 督办单 / 督办函 on an open problem, note it in its history and tell the departments."""
    if not user.is_office:
        raise ValidationError(_("Only the office issues formal orders."))
    problem = (
        Problem.objects.select_for_update().select_related("project", "lead_department").get(pk=problem.pk)
    )
    if problem.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Problem %(pk)s is “%(status)s”; formal orders are issued only on open problems.")
            % {"pk": problem.pk, "status": problem.get_status_display()}
        )
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write what the order asks the department to do.")
    if kind not in OrderKind.values:
        errors["kind"] = _("Unknown kind of order “%(kind)s”.") % {"kind": kind}
    if issued_on and due_on and due_on < issued_on:
        errors["due_on"] = _("The reply date %(due)s is before the issue date %(issued)s.") % {
            "due": due_on,
            "issued": issued_on,
        }
    if errors:
        raise ValidationError(errors)
    conf = supervision_settings()
    year = issued_on.year
    used = SupervisionOrder.objects.filter(kind=kind, year=year).values_list("seq", flat=True)
    seq = next_order_seq(used)
    order = SupervisionOrder(
        problem=problem,
        kind=kind,
        year=year,
        seq=seq,
        number=order_number(prefix=conf.prefix_for(kind), year=year, seq=seq),
        text=text,
        issued_on=issued_on,
        due_on=due_on,
        issued_by=user,
        office_name=conf.office_name,
    )
    order.full_clean()
    try:
        with acting_as(user), transaction.atomic():
            order.save()
    except IntegrityError as exc:  # someone took the number a moment ago
        raise ValidationError(
            _("Number %(number)s was just taken; please issue the order again.") % {"number": order.number}
        ) from exc
    with acting_as(user):
        ProblemStep.objects.create(
            problem=problem,
            action=ProblemAction.ORDER,
            from_status=problem.status,
            to_status=problem.status,
            user=user,
            unit=user.unit,
            comment=f"{order.get_kind_display()} {order.number}: {text}",
            at=timezone.now(),
        )
        Notice.objects.bulk_create(
            [
                Notice(
                    recipient_unit=u,
                    kind=NoticeKind.ORDER,
                    text=_("%(kind)s %(number)s on %(project)s: reply by %(due)s")
                    % {
                        "kind": order.get_kind_display(),
                        "number": order.number,
                        "project": problem.project.name,
                        "due": due_on,
                    },
                    link=order.get_absolute_url(),
                )
                for u in [problem.lead_department, *problem.co_departments.all()]
            ]
        )
    return order


@transaction.atomic
def notice_mark_read(*, user, notice_ids: Sequence[int] | None = None) -> int:
    qs = notices_for(user).filter(read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
