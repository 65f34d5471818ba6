from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, OTPAuthenticationFormMixin, AuthenticationForm):
    """Password sign-in; a one-time code is asked for only from users who turned two-factor sign-in on."""

    otp_token = forms.CharField(
        label=_("One-time code"),
        required=False,
        help_text=_("Only if two-factor sign-in is on for your account."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        # ducha gives each user at most one authenticator, so there is nothing to choose.
        return (
            super()._chosen_device(user) or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        )


class OtpCodeForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
