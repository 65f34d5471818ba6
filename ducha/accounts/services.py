"""Accounts: two-factor sign-in (TOTP with backup codes), passwords, and the administrators' access."""

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

BACKUP_CODES = 10
PENDING_KEY = "ducha_totp_pending_key"


def totp_pending_key(*, session) -> str:
    """The secret of the authenticator being set up, kept in the session until confirmed: a GET stores nothing."""
    if not session.get(PENDING_KEY):
        session[PENDING_KEY] = random_hex(20)
    return session[PENDING_KEY]


def totp_setup_device(*, user, key: str) -> TOTPDevice:
    """An unsaved device for the set-up page's QR code."""
    return TOTPDevice(user=user, name="ducha", key=key, confirmed=False)


def _code_matches(key: str, token: str) -> bool:
    token = token.strip()
    if not token.isdigit():
        return False
    check = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    check.time = timezone.now().timestamp()
    return check.verify(int(token), tolerance=1)


@transaction.atomic
def totp_confirm(*, request, token: str) -> list[str]:
    """Turn two-factor sign-in on with the code the app shows; returns the backup codes, shown once.

    The session counts as verified from now on, so a role that must use two factors can carry on.
    """
    user, key = request.user, request.session.get(PENDING_KEY)
    if not key or not _code_matches(key, token):
        raise ValidationError({"token": _("The code is wrong or has expired; try the current one.")})
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="ducha", key=key, confirmed=True)
    codes = backup_codes_renew(user=user)
    del request.session[PENDING_KEY]
    otp_login(request, device)
    return codes


def backup_codes_renew(*, user) -> list[str]:
    """Ten single-use codes for when the phone is not at hand; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    for code in codes:
        device.token_set.create(token=code)
    return codes


@transaction.atomic
def totp_disable(*, user, token: str) -> None:
    """Turning two-factor sign-in off needs a current code, so a stolen session alone cannot do it."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not any(d.verify_token(token.strip()) for d in devices):
        raise ValidationError({"token": _("The code is wrong or has expired; try the current one.")})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def password_set(*, user, password: str, by, request=None) -> None:
    """Set a password (validated by the caller's form). One's own change keeps this session and ends the others;
    a reset by an administrator ends all of the user's sessions and makes the next sign-in change it."""
    user.set_password(password)
    own = by.pk == user.pk
    user.password_must_change = not own
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_must_change", "password_changed_at"])
    if own and request is not None:
        update_session_auth_hash(request, user)


# 三权分立 (GB/T 22239-2019 8.1.4.2): what each administrator may do in the administration site. The system
# administrator keeps people, units and the shared configuration; the security administrator roles, groups and
# permissions; the audit administrator reads the audit trail on ducha's own pages and has no admin access.
# The office is a business role and works on ducha's own pages only.
ADMIN_GROUPS = {
    "sysadmin": (
        "系统管理员",
        [
            ("accounts", "user", ("add", "change", "view")),
            ("units", "unit", ("add", "change", "delete", "view")),
            ("regions", "region", ("view",)),  # a unit's region, chosen from the loaded national list
            ("projects", "industry", ("add", "change", "delete", "view")),
            ("projects", "milestonetemplate", ("add", "change", "delete", "view")),
            ("projects", "milestonetemplatestep", ("add", "change", "delete", "view")),
        ],
    ),
    "secadmin": (
        "安全管理员",
        [
            ("accounts", "user", ("change", "view")),
            ("auth", "group", ("add", "change", "delete", "view")),
            ("auth", "permission", ("view",)),
            ("regions", "region", ("view",)),  # the region an office admin or leader covers
        ],
    ),
}


def admin_group(role: str):
    from django.contrib.auth.models import Group, Permission

    name, grants = ADMIN_GROUPS[role]
    group, _created = Group.objects.get_or_create(name=name)
    wanted = Permission.objects.none()
    for app_label, model, actions in grants:
        wanted |= Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"{a}_{model}" for a in actions]
        )
    group.permissions.set(wanted)
    return group


def user_sync_admin_access(*, user) -> None:
    """The system and security administrators open the administration site with their group's permissions;
    nobody else does (a superuser is break-glass only)."""
    is_admin = user.role in ADMIN_GROUPS
    if user.is_staff != (is_admin or user.is_superuser):
        user.is_staff = is_admin or user.is_superuser
        user.save(update_fields=["is_staff"])
    for role in ADMIN_GROUPS:
        group = admin_group(role)
        if user.role == role and not user.is_superuser:
            user.groups.add(group)
        else:
            user.groups.remove(group)
