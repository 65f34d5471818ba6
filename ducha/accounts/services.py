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


# What the office configures through the admin site: people, units, the industry taxonomy and the
# backward-scheduling templates. Business records are changed through ducha's own pages and services.
OFFICE_ADMIN_GROUP = "督查室管理员"
OFFICE_ADMIN_MODELS = [
    ("accounts", "user"),
    ("units", "unit"),
    ("projects", "industry"),
    ("projects", "milestonetemplate"),
    ("projects", "milestonetemplatestep"),
]


def office_admin_group():
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=OFFICE_ADMIN_GROUP)
    wanted = Permission.objects.none()
    for app_label, model in OFFICE_ADMIN_MODELS:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
    group.permissions.set(wanted)
    return group


def user_sync_admin_access(*, user) -> None:
    """Office admins may open the admin site for the configuration above; nobody else may (superusers aside)."""
    group = office_admin_group()
    is_office = user.role == "office" or user.is_superuser
    if user.is_staff != is_office:
        user.is_staff = is_office
        user.save(update_fields=["is_staff"])
    if is_office and not user.is_superuser:
        user.groups.add(group)
    else:
        user.groups.remove(group)
