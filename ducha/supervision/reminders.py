"""`ducha remind`: daily notices of problems due soon or overdue and of missing monthly reports.

One digest per unit and kind goes to every channel the unit has: in-app, e-mail (the unit's address
and its staff's), and its WeCom/DingTalk group robot (through `webhooks.webhook_post`: allow-listed hosts
only, no redirects, DingTalk signing with the unit's secret). Every delivery is a ReminderLog row keyed by
(kind, unit, channel, target, day): a second run on the same day skips what was sent and retries
what failed; a failing channel is logged and never stops the others. The log keeps a short reason
(for a robot: the HTTP status and its errcode/errmsg), never an answer's body, and a robot's address
without its query (which holds the robot's key).
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.lib import clock
from ducha.projects.models import AnnualPlan, ProgressReport, Project
from ducha.units.models import Unit

from .choices import OPEN_STATUSES, Channel, DeliveryStatus, NoticeKind
from .models import Notice, Problem, ReminderLog
from .rules import WebhookKind, webhook_kind, webhook_payload
from .webhooks import log_target, short_reason, webhook_post

logger = logging.getLogger("ducha.supervision.remind")

FILED_STATUSES = ("submitted", "reviewed")


@dataclass
class Digest:
    kind: str
    unit: Unit
    title: str
    lines: list[str] = field(default_factory=list)
    link: str = ""

    @property
    def object_key(self) -> str:
        return f"unit:{self.unit.pk}"


@dataclass
class RunResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    digests: int = 0


def problem_digests(*, today: datetime.date, days: int) -> list[Digest]:
    """Per department (lead or co): its open problems due within `days`, and those overdue."""
    horizon = today + datetime.timedelta(days=days)
    problems = (
        Problem.objects.filter(status__in=OPEN_STATUSES, deadline__lte=horizon)
        .select_related("project", "lead_department", "category")
        .prefetch_related("co_departments")
        .order_by("deadline", "pk")
    )
    buckets: dict[tuple[str, int], list[Problem]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for p in problems:
        kind = NoticeKind.OVERDUE if p.deadline < today else NoticeKind.DUE_SOON
        for unit in [p.lead_department, *p.co_departments.all()]:
            units[unit.pk] = unit
            buckets[(kind, unit.pk)].append(p)
    digests = []
    for (kind, unit_id), items in sorted(
        buckets.items(), key=lambda kv: (kv[0][0], units[kv[0][1]].order, kv[0][1])
    ):
        unit = units[unit_id]
        if kind == NoticeKind.OVERDUE:
            title = _("%(unit)s: %(n)d problem(s) overdue") % {"unit": unit.label, "n": len(items)}
        else:
            title = _("%(unit)s: %(n)d problem(s) due within %(days)d days") % {
                "unit": unit.label,
                "n": len(items),
                "days": days,
            }
        lines = [
            _("%(project)s · %(category)s · deadline %(deadline)s: %(description)s")
            % {
                "project": p.project.name,
                "category": p.category.name,
                "deadline": p.deadline,
                "description": p.description[:50],
            }
            for p in items
        ]
        digests.append(
            Digest(kind=kind, unit=unit, title=title, lines=lines, link=reverse("supervision:inbox"))
        )
    return digests


def missing_report_digests(*, today: datetime.date) -> list[Digest]:
    """Units with projects planned this year that have no submitted report for this month."""
    filed = ProgressReport.objects.filter(
        project=OuterRef("pk"), year=today.year, month=today.month, status__in=FILED_STATUSES
    )
    planned = AnnualPlan.objects.filter(project=OuterRef("pk"), year=today.year)
    missing = (
        Project.objects.filter(Exists(planned))
        .exclude(Exists(filed))
        .select_related("unit")
        .order_by("unit__order", "unit_id", "name")
    )
    by_unit: dict[int, list[Project]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for project in missing:
        units[project.unit_id] = project.unit
        by_unit[project.unit_id].append(project)
    return [
        Digest(
            kind=NoticeKind.MISSING_REPORT,
            unit=units[unit_id],
            title=_("%(unit)s: %(n)d project(s) without the %(year)d-%(month)02d progress report")
            % {"unit": units[unit_id].label, "n": len(projects), "year": today.year, "month": today.month},
            lines=[p.name for p in projects],
            link=reverse("projects:report_list") if _has_url("projects:report_list") else "",
        )
        for unit_id, projects in by_unit.items()
    ]


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _deliver(
    *,
    digest: Digest,
    channel: str,
    target: str,
    day: datetime.date,
    send: Callable[[], None],
    result: RunResult,
) -> None:
    log, _created = ReminderLog.objects.get_or_create(
        kind=digest.kind,
        object_key=digest.object_key,
        channel=channel,
        target=target[:300],
        day=day,
        defaults={"status": DeliveryStatus.FAILED},
    )
    if log.status == DeliveryStatus.SENT:
        result.skipped += 1
        return
    try:
        with transaction.atomic():
            send()
    except Exception as exc:  # a channel failing must never stop the run
        logger.warning("reminder %s via %s to %s failed: %s", digest.kind, channel, target, exc)
        log.status, log.last_error = DeliveryStatus.FAILED, short_reason(exc)
        result.failed += 1
    else:
        log.status, log.last_error = DeliveryStatus.SENT, ""
        result.sent += 1
    log.attempts += 1
    log.save()


def _emails_of(unit: Unit) -> list[str]:
    addresses = [unit.email] if unit.email else []
    addresses += unit.users.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    return sorted(set(addresses))


def remind(
    *,
    today: datetime.date | None = None,
    days: int = 3,
    base_url: str = "",
    default_webhook_kind: WebhookKind = WebhookKind.WECOM,
    include_reports: bool = True,
) -> RunResult:
    today = today or clock.today()
    digests = problem_digests(today=today, days=days)
    if include_reports:
        digests += missing_report_digests(today=today)
    result = RunResult(digests=len(digests))
    for digest in digests:
        link = base_url.rstrip("/") + digest.link if digest.link else ""
        lines = [*digest.lines, link] if link else digest.lines
        text = "\n".join([digest.title, *digest.lines])

        def in_app(digest=digest, text=text):
            Notice.objects.create(recipient_unit=digest.unit, kind=digest.kind, text=text, link=digest.link)

        _deliver(
            digest=digest,
            channel=Channel.IN_APP,
            target=digest.object_key,
            day=today,
            send=in_app,
            result=result,
        )
        for address in _emails_of(digest.unit):

            def email(address=address, digest=digest, lines=lines):
                send_mail(digest.title, "\n".join(lines), None, [address], fail_silently=False)

            _deliver(
                digest=digest, channel=Channel.EMAIL, target=address, day=today, send=email, result=result
            )
        if digest.unit.webhook_url:
            url = digest.unit.webhook_url
            kind = webhook_kind(url, default=default_webhook_kind)
            payload = webhook_payload(kind, title=digest.title, lines=lines)
            channel = Channel.WECOM if kind == WebhookKind.WECOM else Channel.DINGTALK

            def robot(url=url, payload=payload, secret=digest.unit.webhook_secret):
                webhook_post(url, payload, secret=secret)

            _deliver(
                digest=digest, channel=channel, target=log_target(url), day=today, send=robot, result=result
            )
    return result
