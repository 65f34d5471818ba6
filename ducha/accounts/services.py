"""Two-factor sign-in (TOTP, as in any authenticator app) — optional per user, 等保2.0 level-3."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_pending(*, user) -> TOTPDevice:
    """The user's unconfirmed device, created on first use, whose secret the setup page shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="ducha", confirmed=False)


@transaction.atomic
def totp_confirm(*, user, token: str) -> TOTPDevice:
    device = totp_device_pending(user=user)
    if not device.verify_token(token.strip()):
        raise ValidationError({"token": _("The code is wrong or has expired; try the current one.")})
    device.confirmed = True
    device.save()
    return device


@transaction.atomic
def totp_disable(*, user, token: str) -> None:
    """Turning two-factor sign-in off needs a current code, so a stolen session alone cannot do it."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not any(d.verify_token(token.strip()) for d in devices):
        raise ValidationError({"token": _("The code is wrong or has expired; try the current one.")})
    TOTPDevice.objects.filter(user=user).delete()
