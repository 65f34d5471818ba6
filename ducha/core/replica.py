"""A read replica: the read-only pages read from a PostgreSQL streaming standby (docs/replica.md).

With `DATABASE_REPLICA_URL` set, settings add the database alias "replica" and this router decides, query by
query, where a read goes. Every write goes to the primary ("default"). A read goes to the replica only when all
of these hold:

- the request is read-only: a GET or HEAD on one of DUCHA_REPLICA_PATHS (cockpit, ledger and its export, units,
  indicators, API), marked by `ReadOnlyRequestMiddleware` for the time of the view;
- the request has written no business data yet (it reads its own writes from the primary);
- no transaction is open on the primary (what a transaction reads, it reads where it writes);
- the model is not one of sessions, sign-in, lockout, two-factor, API tokens or the audit trail
  (PRIMARY_ONLY_APPS): these are written by reading requests too and must be read where they were just written;
- the browser sent no write in the last DUCHA_REPLICA_STICKY_SECONDS (a cookie), so that the page shown after a
  save shows the save even while the standby is a moment behind;
- the replica answers: when it cannot be reached, this process reads from the primary for REPLICA_RETRY_SECONDS
  and logs a warning, so that a standby going down does not take the read-only pages with it.

Without a replica the router answers nothing and Django uses "default" for everything, as before.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
READ_METHODS = frozenset({"GET", "HEAD"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Apps whose rows are read and written on the primary only: the session and who is signed in, lockouts, one-time
# codes, API tokens (their last use is written by every API read) and the audit trail (hash-chained on the primary).
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "contenttypes",
        "admin",
        "accounts",
        "axes",
        "otp_totp",
        "otp_static",
        "api",
        "auditlog",
        "core",
    }
)
# Set on the response to a write; while the browser sends it back, its pages read from the primary.
STICKY_COOKIE = "ducha_primary"
REPLICA_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)
_replica_down_until = 0.0


@dataclass
class _ReadOnlyRequest:
    wrote: bool = False


_current: ContextVar[_ReadOnlyRequest | None] = ContextVar("ducha_read_only_request", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def read_only() -> Iterator[None]:
    """Let the reads inside the block go to the replica (the middleware wraps read-only requests in it)."""
    token = _current.set(_ReadOnlyRequest())
    try:
        yield
    finally:
        _current.reset(token)


def _primary_only(model: type[Model]) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APPS


class ReplicaRouter:
    """Writes to the primary; reads of a read-only request to the replica (see the module's rules)."""

    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        if not replica_configured():
            return None
        request = _current.get()
        if (
            request is None
            or request.wrote
            or _primary_only(model)
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: object) -> str | None:
        if not replica_configured():
            return None
        request = _current.get()
        if request is not None and not _primary_only(model):
            request.wrote = True  # read your own writes: the rest of the request reads from the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        # Both hold the same rows: an object read from the replica may point to one from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        return False if db == REPLICA else None  # the standby replays the primary's schema


def replica_reachable() -> bool:
    """Whether the replica takes connections; after a failure, False for REPLICA_RETRY_SECONDS without trying."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as error:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "The read replica cannot be reached (%s); reading from the primary for %d s.",
            str(error).strip(),
            REPLICA_RETRY_SECONDS,
        )
        return False
    return True


def is_read_only_request(request: HttpRequest) -> bool:
    return (
        request.method in READ_METHODS
        and request.path_info.startswith(tuple(settings.DUCHA_REPLICA_PATHS))
        and STICKY_COOKIE not in request.COOKIES
    )


class ReadOnlyRequestMiddleware:
    """Marks GET and HEAD requests on DUCHA_REPLICA_PATHS read-only, so that their reads may use the replica;
    after any other request (a save, a sign-in) the browser reads from the primary for
    DUCHA_REPLICA_STICKY_SECONDS. Does nothing without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_configured():
            return self.get_response(request)
        if (
            is_read_only_request(request)
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block  # reads would stay on the primary anyway
            and replica_reachable()
        ):
            with read_only():
                return self.get_response(request)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and settings.DUCHA_REPLICA_STICKY_SECONDS > 0:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.DUCHA_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
