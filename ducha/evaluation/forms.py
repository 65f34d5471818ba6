from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin

from .models import Scheme


class ComputeForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())
    month = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(m, _("January–%(month)s") % {"month": m}) for m in range(1, 13)],
    )
