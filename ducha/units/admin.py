from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Unit


def _https_by_default(field: models.Field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class UnitAdminForm(forms.ModelForm):
    """The robot's signing secret is typed into a password box and never sent back to the browser:
    left empty it keeps the stored secret; "remove" clears it."""

    webhook_secret = forms.CharField(
        label=_("group-robot signing secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "The SEC… secret of a DingTalk robot with signing (加签); leave empty to keep the stored one."
        ),
    )
    webhook_secret_clear = forms.BooleanField(label=_("Remove the signing secret"), required=False)

    class Meta:
        model = Unit
        formfield_callback = _https_by_default
        fields = [
            "name",
            "short_name",
            "kind",
            "peer_group",
            "region",
            "order",
            "webhook_url",
            "webhook_secret",
            "email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # left empty: the unit keeps its region, or a new one takes the installation's home region
        self.fields["region"].required = False

    def clean_region(self):
        from ducha.regions.services import home_region

        return self.cleaned_data.get("region") or (
            self.instance.region if self.instance.pk else home_region()
        )

    def clean_webhook_secret(self) -> str:
        return self.cleaned_data["webhook_secret"] or self.instance.webhook_secret

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("webhook_secret_clear"):
            cleaned["webhook_secret"] = ""
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "short_name", "kind", "peer_group", "region", "order"]
    list_filter = ["kind", "peer_group", "region"]
    autocomplete_fields = ["region"]  # a province has thousands of divisions
    search_fields = ["name", "short_name"]
