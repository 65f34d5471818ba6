from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin


class BulletinForm(StyledFormMixin, forms.Form):
    """The period of a new bulletin: January to `month` of `year`."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Period"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (m, gettext("January to month %(m)d") % {"m": m}) for m in range(1, 13)
        ]
