"""Sign-in events in the audit trail (connected in AccountsConfig.ready): success, failure, lock-out, sign-out.
A superuser is break-glass only, so its sign-in is also raised as an alert."""

from __future__ import annotations

import logging

from ducha.core.audit import audit_event

log = logging.getLogger("ducha.security")


def signed_in(sender, request, user, **kwargs) -> None:
    audit_event("sign_in", request=request, user=user)
    if user.is_superuser:
        address = request.META.get("REMOTE_ADDR") if request is not None else None
        log.warning("ALERT: superuser %s signed in from %s", user.get_username(), address or "?")
        audit_event("superuser_sign_in", request=request, user=user, alert=True)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_event("sign_in_failed", request=request, username=str(credentials.get("username", ""))[:150])


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    audit_event("locked_out", request=request, username=str(username or "")[:150])


def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_event("sign_out", request=request, user=user)
