from django.apps import AppConfig
from django.db.models.signals import post_migrate

from ducha.lib.admin_names import APP_NAMES


class AccountsConfig(AppConfig):
    name = "ducha.accounts"
    label = "accounts"
    verbose_name = APP_NAMES["accounts"]

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from ducha.core.audit import audit_register

        from . import events
        from .middleware import session_stamp

        user_logged_in.connect(events.signed_in, dispatch_uid="ducha_audit_sign_in")
        user_login_failed.connect(events.sign_in_failed, dispatch_uid="ducha_audit_sign_in_failed")
        user_logged_out.connect(events.signed_out, dispatch_uid="ducha_audit_sign_out")
        user_locked_out.connect(events.locked_out, dispatch_uid="ducha_audit_locked_out")
        user_logged_in.connect(session_stamp, dispatch_uid="ducha_session_stamp")
        post_migrate.connect(_refresh_admin_groups, sender=self, dispatch_uid="ducha_admin_groups")

        from .models import User

        # Role and unit changes matter to the audit; password hashes and login times do not belong in it.
        audit_register(User, exclude=("password", "last_login"))
        from django_otp.plugins.otp_totp.models import TOTPDevice

        audit_register(
            TOTPDevice,
            exclude=(
                "key",
                "last_t",
                "drift",
                "throttling_failure_timestamp",
                "throttling_failure_count",
                "last_used_at",
            ),
        )


def _refresh_admin_groups(**kwargs):
    """The administrators' groups carry exactly the permissions ADMIN_GROUPS lists, after every upgrade (a new
    model's view permission reaches existing administrators without a role change)."""
    from django.contrib.auth.models import Group

    from .services import ADMIN_GROUPS, admin_group

    for role, (name, _grants) in ADMIN_GROUPS.items():
        if Group.objects.filter(name=name).exists():
            admin_group(role)
