"""What every signed-in request passes through: session time limits, a due password change, required 2FA.

- A session ends after DUCHA_SESSION_IDLE_MINUTES without a request and DUCHA_SESSION_MAX_HOURS after sign-in.
- A user whose password must change (first sign-in, reset by an administrator, older than
  DUCHA_PASSWORD_MAX_AGE_DAYS) can only change it.
- A user whose role is in DUCHA_REQUIRE_2FA and has no authenticator can only set one up.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.audit import audit_event

SESSION_STARTED = "ducha_session_started"
SESSION_SEEN = "ducha_session_seen"


def session_stamp(sender, request, user, **kwargs) -> None:
    """At sign-in (user_logged_in): the session's start and last request, so that the first page writes nothing."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = now


def session_expired(
    *, started: float, seen: float, now: float, idle_seconds: int, max_seconds: int
) -> str | None:
    """Why a session has ended ("idle" or "lifetime"), or None while it lives."""
    if now - seen > idle_seconds:
        return "idle"
    if now - started > max_seconds:
        return "lifetime"
    return None


def password_change_due(user, *, now, max_age_days: int) -> bool:
    if user.password_must_change:
        return True
    if max_age_days and user.password_changed_at:
        return now - user.password_changed_at > timedelta(days=max_age_days)
    return False


def two_factor_required(user) -> bool:
    return user.is_superuser or user.role in settings.DUCHA_REQUIRE_2FA


def _to_login(request, message: str, reason: str) -> HttpResponse:
    audit_event("session_timeout", request=request, user=request.user, reason=reason)
    logout(request)
    messages.info(request, message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(settings.LOGIN_URL)
        return response
    return redirect_to_login(request.get_full_path())


class AccountSecurityMiddleware:
    """After authentication and OTP: time limits, then the password change, then the 2FA set-up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        ended = session_expired(
            started=started,
            seen=session.get(SESSION_SEEN, now),
            now=now,
            idle_seconds=settings.DUCHA_SESSION_IDLE_MINUTES * 60,
            max_seconds=settings.DUCHA_SESSION_MAX_HOURS * 3600,
        )
        if ended:
            return _to_login(
                request,
                _("You were signed out after %(minutes)d idle minutes.")
                % {"minutes": settings.DUCHA_SESSION_IDLE_MINUTES}
                if ended == "idle"
                else _("Your session reached its %(hours)d-hour limit; please sign in again.")
                % {"hours": settings.DUCHA_SESSION_MAX_HOURS},
                ended,
            )
        # Written on every request: one small UPDATE, the same on every page, so that what a page costs does
        # not depend on how long ago the previous request was.
        session[SESSION_SEEN] = now
        path = request.path_info
        if self._always_allowed(path):
            return self.get_response(request)
        if password_change_due(user, now=timezone.now(), max_age_days=settings.DUCHA_PASSWORD_MAX_AGE_DAYS):
            if path != reverse("accounts:password_change"):
                messages.warning(request, _("Please choose a new password before you go on."))
                return redirect("accounts:password_change")
        elif two_factor_required(user) and not user.is_verified():
            if path != reverse("accounts:two_factor"):
                messages.warning(
                    request, _("Your role must sign in with a one-time code: set up your authenticator.")
                )
                return redirect("accounts:two_factor")
        return self.get_response(request)

    @staticmethod
    def _always_allowed(path: str) -> bool:
        return path.startswith(
            (f"/{settings.STATIC_URL.lstrip('/')}", "/i18n/", "/accounts/logout/", "/healthz")
        )
