from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin
from ducha.lib import clock
from ducha.lib.periods import Period


class BulletinForm(StyledFormMixin, forms.Form):
    """A new bulletin: its period (January to `month` of `year`), its date of issue and its 版记 lines."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Period"), coerce=int)
    issued_on = forms.DateField(
        label=_("Date of issue"), widget=forms.DateInput, required=False, help_text=_("Default: today.")
    )
    recipients = forms.CharField(
        label=_("Main recipients"),
        max_length=500,
        required=False,
        help_text=_("Printed at the end of the document, with the offices that receive a copy."),
    )
    copies = forms.CharField(
        label=_("Copies to"),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (m, gettext("January to month %(m)d") % {"m": m}) for m in range(1, 13)
        ]

    @staticmethod
    def defaults() -> dict:
        """The current reporting month, issued today (the business date), to the configured recipients."""
        period = Period.current()
        return {
            "year": period.year,
            "month": period.month,
            "issued_on": clock.today(),
            "recipients": settings.DUCHA_BULLETIN_RECIPIENTS,
            "copies": settings.DUCHA_BULLETIN_COPIES,
        }
