"""The audit trail (django-auditlog): who changed what, from where.

Web requests get their actor and client IP from auditlog's middleware. Token-authenticated API
requests name their user once the token is checked (`audit_actor_set`); services called outside a
request (commands, cron) run `with acting_as(user)`. Rows stored in bulk get their entries from
`audit_bulk_created`, the same entries the per-row signals would have written.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from auditlog.context import auditlog_value, set_actor
from auditlog.receivers import log_create
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def audit_register(*models, exclude: tuple[str, ...] = ()) -> None:
    """Record every change of these models' own columns (not their reverse relations) in the audit trail."""
    for model in models:
        fields = [f.name for f in model._meta.concrete_fields if f.name not in exclude]
        auditlog.register(model, include_fields=fields)


def _live_context() -> dict | None:
    """auditlog's context of the running request or `acting_as` block. auditlog never clears its context
    variable, so a finished request's context stays behind in the thread; it is live only while the signal
    receiver it connected is still connected."""
    from django.db.models.signals import pre_save

    context = auditlog_value.get(None)
    if not context:
        return None
    duid = context.get("signal_duid")
    live = any(key[0] == duid for key, *_rest in pre_save.receivers)
    return context if live else None


def audit_actor_set(user) -> None:
    """Name `user` as the actor of the rest of this request (the API knows its user only inside the view)."""
    context = _live_context()
    if context is not None:
        context["actor"] = user


@contextlib.contextmanager
def acting_as(user, *, remote_addr: str | None = None) -> Iterator[None]:
    """Record the writes inside the block as `user`'s, keeping the request's client IP when there is one.

    Outside a request (commands) there is no client address unless `remote_addr` gives one.
    """
    outer = auditlog_value.get(None)
    address = remote_addr or (_live_context() or {}).get("remote_addr")
    try:
        with set_actor(user, remote_addr=address):
            yield
    finally:
        if (
            outer is not None
        ):  # auditlog leaves its own context behind; later writes of the request keep theirs
            auditlog_value.set(outer)


def audit_bulk_created(objects: Iterable[models.Model]) -> None:
    """Write the create entries of rows stored with bulk_create (which sends no signals)."""
    for obj in objects:
        log_create(sender=type(obj), instance=obj, created=True)


# The id of the request being served, recorded on each audit entry (auditlog's correlation id, `cid`) so that
# all the entries one request wrote can be found together; also sent back in the X-Request-ID header.
_request_id: ContextVar[str | None] = ContextVar("ducha_request_id", default=None)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str | None:
    """auditlog's AUDITLOG_CID_GETTER: the current request's id (None outside a request: commands)."""
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id: the proxy's X-Request-ID when it sends a well-formed one, else a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = _request_id.set(incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = _request_id.get()
            return response
        finally:
            _request_id.reset(token)


# Every kind of security and access event the trail records, with its name for people.
AUDIT_EVENTS = {
    "sign_in": _("Signed in"),
    "superuser_sign_in": _("Superuser signed in"),
    "sign_in_failed": _("Sign-in failed"),
    "locked_out": _("Locked out"),
    "sign_out": _("Signed out"),
    "session_timeout": _("Session timed out"),
    "export": _("Exported"),
    "denied": _("Access denied"),
    "audit_read": _("Read the audit trail"),
    "audit_purge": _("Purged old audit entries"),
}


_DETAILS = {
    "path": _("page"),
    "query": _("conditions"),
    "filters": _("conditions"),
    "file": _("file"),
    "rows": _("rows"),
    "status": _("answer"),
    "username": _("user name typed"),
    "reason": _("reason"),
    "before": _("before"),
    "removed": _("entries removed"),
    "alert": _("alert"),
}


def audit_event_details(entry) -> list[tuple[str, str]]:
    """An event's recorded details (page, file, rows …) with their names for people."""
    data = entry.additional_data or {}
    return [
        (str(_DETAILS.get(k, k)), str(v)) for k, v in data.items() if k != "event" and v not in (None, "")
    ]


# auditlog's actions (LogEntry.Action), named as people say them.
AUDIT_ACTIONS = {
    0: pgettext_lazy("audit action", "Created"),
    1: pgettext_lazy("audit action", "Changed"),
    2: pgettext_lazy("audit action", "Deleted"),
    3: pgettext_lazy("audit action", "Accessed"),
}


def audit_event_label(entry) -> str:
    """What an entry of the trail records, for people: the event's name, or created/changed/deleted."""
    event = (entry.additional_data or {}).get("event") if entry.action == 3 else None  # 3: Action.ACCESS
    if event:
        return str(AUDIT_EVENTS.get(event, event))
    return str(AUDIT_ACTIONS.get(entry.action, entry.action))


def audit_names_prefetch(entries: Iterable) -> None:
    """Look up, one query per related model, the names of the objects the entries' foreign keys point to,
    so that a change reads "审核人: — → 张三" rather than "→ 1". Stores them on each entry for audit_change_rows."""
    entries = list(entries)
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        for name, change in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.many_to_one:
                values = change if isinstance(change, list | tuple) else [change]
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in values if v not in (None, "", "None")
                )
    names = {}
    for related, pks in wanted.items():
        for obj in related._default_manager.filter(pk__in=[pk for pk in pks if pk.isdigit()]):
            names[(related, str(obj.pk))] = str(obj)
    for entry in entries:
        entry.related_names = names


def _field(model, name):
    """The model's own field of that name; None for one since removed or for a reverse relation."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model
        return None
    return field if isinstance(field, models.Field) else None


def _readable(field, value, names: dict) -> str:
    if value in (None, "None", ""):
        return "—"
    if field is None:
        return str(value)
    if field.is_relation and field.many_to_one:
        return names.get((field.related_model, str(value)), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if str(value) in {"True", "true", "1"} else _("no"))
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(field, models.DecimalField) and "." in str(value):
        return str(value).rstrip("0").rstrip(".")
    return str(value)


def audit_change_rows(entry) -> list[tuple[str, str, str]]:
    """An entry's changes as (field, before, after) for people: verbose names, choice labels, object names
    (after audit_names_prefetch), 是/否, local time to the minute."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    names = getattr(entry, "related_names", {})
    rows = []
    for name, change in (entry.changes_dict or {}).items():
        if _is_reverse_relation(model, name):
            continue  # auditlog lists the other side of a relation ("problems": "supervision.Problem.None")
        old, new = (list(change) + [None, None])[:2] if isinstance(change, list | tuple) else (None, change)
        field = _field(model, name)
        label = str(getattr(field, "verbose_name", name)) if field is not None else name
        rows.append((label, _readable(field, old, names), _readable(field, new, names)))
    return rows


def _is_reverse_relation(model, name) -> bool:
    if model is None:
        return False
    try:
        return not isinstance(model._meta.get_field(name), models.Field)
    except FieldDoesNotExist:
        return False


def audit_event(event: str, *, user=None, request=None, **details) -> None:
    """A security or access event that changes no model (export, denial, sign-in, audit read, purge …),
    recorded in the trail against the audit trail itself, with the acting user and address of the context."""
    from auditlog.models import LogEntry

    from .models import AuditChain

    chain, _created = AuditChain.objects.get_or_create(pk=1)
    context = _live_context() or {}
    actor = user or context.get("actor")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    address = request.META.get("REMOTE_ADDR") if request is not None else context.get("remote_addr")
    LogEntry.objects.log_create(
        chain,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={"event": ["", event]},
        actor=actor,
        remote_addr=address,
        additional_data={"event": event, **details},
    )
