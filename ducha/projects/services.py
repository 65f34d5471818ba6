"""Writes to the project ledger: every change goes through one of these functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.lib import clock, schedule
from ducha.lib.periods import Period

from .choices import STAGE_ORDER, ReportStatus
from .models import AnnualPlan, Capacity, Milestone, MilestoneTemplate, ProgressReport, Project, StageDate
from .rollups import (  # noqa: F401  (project_lights_for_period is re-exported)
    deferred,
    figures_refresh,
    project_lights_for_period,
)
from .rules import reached_date_problem, stage_date_problems


def projects_refresh_lights(
    *, projects: Iterable[Project] | None = None, period: Period | None = None
) -> int:
    """After a write: store the figures and lights of `projects` (all by default) again, in the caller's
    transaction (rollups.figures_refresh); Project.light follows `period` (the current month by default)."""
    return figures_refresh(projects=projects, period=period)


def project_sync_stage(*, project: Project) -> None:
    """The project's stage is the furthest stage with an actual date (or a reviewed report's stage)."""
    reached = [sd.stage for sd in project.stage_dates.all() if sd.actual_date]
    candidates = reached + [project.stage]
    furthest = max(candidates, key=STAGE_ORDER.__getitem__)
    if furthest != project.stage:
        project.stage = furthest
        project.save(update_fields=["stage", "updated_at"])


class StaleEdit(Exception):
    """The object changed since the form was opened; nothing was saved. `current` is what is stored now."""

    def __init__(self, current):
        super().__init__(f"{current} changed since it was opened")
        self.current = current


def version_check(model, obj, expected_version: int | None) -> None:
    """Inside a transaction: lock the stored row and refuse a save made from an older version (lost update)."""
    if obj.pk is None or expected_version is None:
        return
    stored = model.objects.select_for_update().get(pk=obj.pk)
    if stored.version != expected_version:
        raise StaleEdit(stored)
    obj.version = stored.version + 1


def project_save(
    *,
    project: Project,
    expected_version: int | None = None,
    stage_dates: dict[str, tuple[date | None, date | None]] | None = None,
    plans: dict[int, Decimal] | None = None,
    capacities: Iterable[tuple[Decimal, str, str]] | None = None,
    refresh_lights: bool = True,
) -> Project:
    """Create or change a project with its stage dates, annual plans and capacities, all or nothing.

    The one write path of the ledger: the project form, the ledger import, accepting an extracted
    project and the API call it. Every row is saved on its own so that the audit trail names who
    changed what; `capacities` (quantity, unit, product) replace the stored ones when given.
    Raises ValidationError when the stage dates break the stage-date rule, and StaleEdit when the project
    changed since `expected_version` (the version the form was opened at).
    """
    if stage_dates:
        stored = (
            {sd.stage: (sd.planned_date, sd.actual_date) for sd in project.stage_dates.all()}
            if project.pk
            else {}
        )
        problems = stage_date_problems({**stored, **stage_dates}, today=clock.today(), check_statistics=False)
        if problems:
            raise ValidationError({p.field: p.message for p in problems})
    with transaction.atomic(), deferred():
        version_check(Project, project, expected_version)
        project.save()
        if stage_dates:
            stage_dates_save(project=project, dates=stage_dates)
        for year, amount in (plans or {}).items():
            plan = project.annual_plans.filter(year=year).first() or AnnualPlan(project=project, year=year)
            if plan.planned_investment != amount:
                plan.planned_investment = amount
                plan.full_clean()
                plan.save()
        if capacities is not None:
            for capacity in project.capacities.all():
                capacity.delete()  # one by one, for the audit trail
            for quantity, unit, product in capacities:
                capacity = Capacity(project=project, quantity=quantity, unit=unit, product=product)
                capacity.full_clean()
                capacity.save()
        project_sync_stage(project=project)
        if refresh_lights:
            projects_refresh_lights(projects=[project])
    return project


def stage_dates_save(*, project: Project, dates: dict[str, tuple[date | None, date | None]]) -> None:
    """Store planned/actual dates per stage; a stage with neither date is removed."""
    for stage, (planned, actual) in dates.items():
        if planned is None and actual is None:
            StageDate.objects.filter(project=project, stage=stage).delete()
            continue
        record = StageDate.objects.filter(project=project, stage=stage).first() or StageDate(
            project=project, stage=stage
        )
        if (record.planned_date, record.actual_date) != (planned, actual):
            record.planned_date, record.actual_date = planned, actual
            record.full_clean()
            record.save()


def milestone_reach(*, milestone: Milestone, reached: date) -> Milestone:
    """Record the day a node (节点) was reached; the project's light follows. Raises ValidationError."""
    if problem := reached_date_problem(reached, today=clock.today()):
        raise ValidationError({"actual_date": problem})
    milestone.actual_date = reached
    milestone.full_clean()
    with transaction.atomic(), deferred():
        milestone.save()
        projects_refresh_lights(projects=[milestone.project])
    return milestone


def milestones_lay_out(*, project: Project, template: MilestoneTemplate, target: date) -> list[Milestone]:
    """倒排工期: replace the project's planned nodes by the template laid backwards from `target`.

    Nodes already reached keep their actual dates.
    """
    steps = [(s.name, s.days_before_target) for s in template.steps.all()]
    reached = {m.name: m.actual_date for m in project.milestones.all() if m.actual_date}
    with transaction.atomic(), deferred():
        project.milestones.all().delete()
        nodes = [
            Milestone(
                project=project,
                name=n.name,
                order=n.order,
                planned_date=n.planned,
                actual_date=reached.get(n.name),
            )
            for n in schedule.backward_schedule(target, steps)
        ]
        for node in nodes:
            node.save()  # one by one, so that the audit trail records each node
        project.target_date = target
        # A new version: a form or API client that read the old target date must not write it back.
        project.version = Project.objects.select_for_update().get(pk=project.pk).version + 1
        project.save(update_fields=["target_date", "updated_at", "version"])
        projects_refresh_lights(projects=[project])
    return nodes


def previous_cumulative(*, project: Project, year: int, month: int) -> Decimal | None:
    """Last month's (or the latest earlier month's) cumulative figure in the same year."""
    earlier = (
        ProgressReport.objects.filter(project=project, year=year, month__lt=month)
        .order_by("-month")
        .values_list("investment_ytd", flat=True)
        .first()
    )
    return earlier


def progress_report_check(
    *, project: Project, year: int, month: int, investment_month: Decimal, investment_ytd: Decimal
) -> None:
    """The rules a monthly report must meet; raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    today = clock.today()
    if (year, month) > (today.year, today.month):
        errors["month"] = _("A report cannot be filed for a month in the future.")
    previous = previous_cumulative(project=project, year=year, month=month)
    if previous is not None and investment_ytd < previous:
        errors["investment_ytd"] = _(
            "The cumulative figure (%(ytd)s) is lower than last reported month's (%(previous)s)."
        ) % {"ytd": investment_ytd, "previous": previous}
    if investment_ytd < investment_month:
        errors["investment_ytd"] = _(
            "The cumulative figure for the year cannot be lower than this month's figure."
        )
    if errors:
        raise ValidationError(errors)


NO_REPORT_YET = 0  # the version a report form carries when it was opened before the month had a report


def progress_report_submit(
    *,
    project: Project,
    user,
    year: int,
    month: int,
    investment_month: Decimal,
    investment_ytd: Decimal,
    stage: str,
    narrative: str = "",
    problems: str = "",
    expected_version: int | None = None,
) -> ProgressReport:
    """Unit staff file (or refile) a month's progress. A reviewed report can't be changed any more.

    Submissions of one project are taken one at a time (the project row is locked), so that a month sent
    twice at once updates the one report instead of failing on the second insert. `expected_version` is
    the report's version when the form was opened (NO_REPORT_YET when there was none): a report changed
    since raises StaleEdit with the stored report and nothing is saved — unless the very same values are
    sent again (a double click), which changes nothing. Without it (the API), the month is simply refiled.
    """
    with transaction.atomic(), deferred():
        Project.objects.select_for_update().values_list("pk", flat=True).get(pk=project.pk)
        return _progress_report_store(
            project=project, user=user, year=year, month=month, investment_month=investment_month,
            investment_ytd=investment_ytd, stage=stage, narrative=narrative, problems=problems,
            expected_version=expected_version,
        )  # fmt: skip


REPORT_FIELDS = ("investment_month", "investment_ytd", "stage", "narrative", "problems")


def _progress_report_store(
    *,
    project,
    user,
    year,
    month,
    investment_month,
    investment_ytd,
    stage,
    narrative,
    problems,
    expected_version,
) -> ProgressReport:
    progress_report_check(
        project=project,
        year=year,
        month=month,
        investment_month=investment_month,
        investment_ytd=investment_ytd,
    )
    report = (
        ProgressReport.objects.select_for_update().filter(project=project, year=year, month=month).first()
    )
    if report and report.status == ReportStatus.REVIEWED:
        raise ValidationError(
            {"month": _("This month's report has been reviewed and can no longer be changed.")}
        )
    values = {
        "investment_month": investment_month,
        "investment_ytd": investment_ytd,
        "stage": stage,
        "narrative": narrative,
        "problems": problems,
    }
    if report and expected_version is not None and report.version != expected_version:
        unchanged = all(getattr(report, name) == value for name, value in values.items())
        if unchanged and report.status == ReportStatus.SUBMITTED:
            return report  # the same submission sent twice
        raise StaleEdit(report)
    if report:
        report.version += 1
    else:
        report = ProgressReport(project=project, year=year, month=month)
    for name, value in values.items():
        setattr(report, name, value)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = user
    report.submitted_at = timezone.now()
    # The month's uniqueness is the database's (IntegrityError below), not a form error.
    report.full_clean(exclude=["project"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Only when another writer inserted the month between our read and our insert (no row lock to
        # hold on a row that did not exist): refuse like any other concurrent change, never a server error.
        stored = ProgressReport.objects.filter(project=project, year=year, month=month).first()
        if stored is None:
            raise
        raise StaleEdit(stored) from None
    if STAGE_ORDER[stage] > STAGE_ORDER[project.stage]:
        project.stage = stage
        project.save(update_fields=["stage", "updated_at"])
    projects_refresh_lights(projects=[project])
    return report


def progress_report_review(
    *,
    report: ProgressReport,
    user,
    approve: bool,
    comment: str = "",
    expected_version: int | None = None,
    base_url: str = "",
) -> ProgressReport:
    """The office accepts a submitted report, or returns it to the unit with a comment.

    `expected_version` is the version the reviewer looked at: a report refiled (or reviewed by a colleague)
    since raises StaleEdit with the stored report and nothing is recorded. Returning a report notifies the
    unit (progress_report_returned_notify) once the review is stored.
    """
    with transaction.atomic(), deferred():
        stored = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if expected_version is not None and stored.version != expected_version:
            raise StaleEdit(stored)
        if stored.status != ReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be reviewed."))
        if not approve and not comment.strip():
            raise ValidationError({"comment": _("Say why the report is returned.")})
        stored.status = ReportStatus.REVIEWED if approve else ReportStatus.RETURNED
        stored.reviewed_by = user
        stored.reviewed_at = timezone.now()
        stored.review_comment = comment
        stored.version += 1
        stored.save()  # the stored row, so that nothing of an older copy is written back
        stored.project = report.project
        projects_refresh_lights(projects=[stored.project])
        if not approve:
            transaction.on_commit(lambda: progress_report_returned_notify(report=stored, base_url=base_url))
    report.refresh_from_db()
    return report


def progress_report_returned_notify(*, report: ProgressReport, base_url: str = "") -> None:
    """Tell the project's unit that its report came back: in-app, by e-mail and through its group robot,
    with the reason, who returned it and when (local time) and a link to correct it."""
    from django.urls import reverse

    from ducha.supervision.choices import NoticeKind
    from ducha.supervision.notify import unit_notify

    project = report.project
    title = _("%(unit)s: the %(year)d-%(month)02d progress report of %(project)s was returned") % {
        "unit": project.unit.label,
        "year": report.year,
        "month": report.month,
        "project": project.name,
    }
    lines = [
        _("Reason: %(reason)s") % {"reason": report.review_comment},
        _("Returned by %(name)s at %(time)s. Please correct it and submit it again.")
        % {
            "name": report.reviewed_by,
            "time": timezone.localtime(report.reviewed_at).strftime("%Y-%m-%d %H:%M"),
        },
    ]
    link = f"{reverse('projects:report_submit', args=[project.pk])}?year={report.year}&month={report.month}"
    unit_notify(
        unit=project.unit,
        kind=NoticeKind.MISSING_REPORT,  # the month's report is wanting again until it is refiled
        key=f"report-returned:{report.pk}:{report.version}",
        title=title,
        lines=lines,
        link=link,
        base_url=base_url,
    )


def project_delete(*, project: Project) -> None:
    """Delete a project with its own rows (phases, reports …); refuse while other records point at it."""
    try:
        with transaction.atomic(), deferred():
            project.delete()  # its stored figures go with it; its unit's sums follow (rollups' delete signal)
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise ValidationError(
            _("The project cannot be deleted while it has %(kinds)s on record.") % {"kinds": "、".join(kinds)}
        ) from exc


def previous_cumulatives(*, projects: list[Project], year: int, month: int) -> dict[int, Decimal]:
    """Each project's latest cumulative figure before `month` in `year`, from one query."""
    latest: dict[int, tuple[int, Decimal]] = {}
    for project_id, report_month, ytd in ProgressReport.objects.filter(
        project__in=projects, year=year, month__lt=month
    ).values_list("project_id", "month", "investment_ytd"):
        if project_id not in latest or report_month > latest[project_id][0]:
            latest[project_id] = (report_month, ytd)
    return {pk: ytd for pk, (_m, ytd) in latest.items()}


@dataclass
class BatchResult:
    """What a batch entry did: the reports stored, and per refused row {field: [messages]} (None: the row)."""

    saved: list[ProgressReport] = field(default_factory=list)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    stale: dict[int, ProgressReport] = field(default_factory=dict)


def progress_reports_submit_batch(*, user, year: int, month: int, rows: list[dict]) -> BatchResult:
    """File one month's progress for several projects at once: every valid row is stored, each on its own.

    Each row is {"project": Project, "investment_month", "investment_ytd", "stage", "narrative", "problems",
    "version"}; a missing cumulative figure is last month's plus this month's. A row that breaks a rule, whose
    report was reviewed or changed by someone else since the page was opened (`version`, see
    progress_report_submit) is refused with its reason and changes nothing; the other rows are stored.
    """
    previous = previous_cumulatives(projects=[r["project"] for r in rows], year=year, month=month)
    result = BatchResult()
    for index, row in enumerate(rows):
        project = row["project"]
        month_amount = row.get("investment_month")
        ytd = row.get("investment_ytd")
        if ytd is None:
            ytd = previous.get(project.pk, Decimal(0)) + (month_amount or Decimal(0))
        if month_amount is None:
            month_amount = max(Decimal(0), ytd - previous.get(project.pk, Decimal(0)))
        try:
            result.saved.append(
                progress_report_submit(
                    project=project,
                    user=user,
                    year=year,
                    month=month,
                    investment_month=month_amount,
                    investment_ytd=ytd,
                    stage=row["stage"],
                    narrative=row.get("narrative", ""),
                    problems=row.get("problems", ""),
                    expected_version=row.get("version"),
                )
            )
        except ValidationError as exc:
            result.errors[index] = exc.message_dict
        except StaleEdit as stale:
            result.stale[index] = stale.current
            result.errors[index] = {
                NON_FIELD_ERRORS: [
                    _(
                        "Changed by someone else after you opened this page (stored now: this month "
                        "%(month)s, year to date %(ytd)s, %(status)s); this line was not saved."
                    )
                    % {
                        "month": stale.current.investment_month,
                        "ytd": stale.current.investment_ytd,
                        "status": stale.current.get_status_display(),
                    }
                ]
            }
    return result
