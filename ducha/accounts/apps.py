from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ducha.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from ducha.core.audit import audit_register

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
