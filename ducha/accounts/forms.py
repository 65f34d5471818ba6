from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

from ducha.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, OTPAuthenticationFormMixin, AuthenticationForm):
    """Password, then a one-time code from the authenticator (or a backup code) for users who have one.

    Sign-ins from one address are limited too (DUCHA_LOGIN_IP_FAILURE_LIMIT failures in the lock-out
    window), so that trying many user names from one place is stopped as well as guessing one password.
    """

    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        help_text=_(
            "Only if two-factor sign-in is on for your account: the code from the app, or a backup code."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean(self):
        if (
            self.request is not None
            and address_failures(self.request) >= settings.DUCHA_LOGIN_IP_FAILURE_LIMIT
        ):
            raise forms.ValidationError(
                _("Too many failed sign-ins from this address. Try again in %(minutes)d minutes.")
                % {"minutes": settings.DUCHA_LOCKOUT_MINUTES},
                code="address_locked",
            )
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        """Six digits come from the authenticator app; anything else is a backup code."""
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        token = (self.cleaned_data.get("otp_token") or "").strip()
        kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
        return kind.objects.devices_for_user(user, confirmed=True).first()


def address_failures(request) -> int:
    """Failed sign-ins from this client address within the lock-out window, whatever the user names."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(minutes=settings.DUCHA_LOCKOUT_MINUTES)
    attempts = AccessAttempt.objects.filter(
        ip_address=request.META.get("REMOTE_ADDR"), attempt_time__gte=since
    )
    return sum(attempts.values_list("failures_since_start", flat=True))


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class OtpCodeForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
