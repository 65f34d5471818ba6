from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin

from .models import MAX_TOKEN_DAYS, ApiToken, default_token_days


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What will use it, e.g. the district data platform."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_TOKEN_DAYS)
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("The token may read but not submit reports or answers."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = default_token_days()
        self.fields["days"].help_text = gettext(
            "At most %(max)d days; issue a new token when it runs out."
        ) % {"max": MAX_TOKEN_DAYS}
