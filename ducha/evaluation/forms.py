from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin
from ducha.indicators.models import Indicator

from .models import EVALUATED_GROUPS, Scheme, SchemeItem


class ComputeForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scheme"), queryset=Scheme.objects.all())
    month = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(m, _("January–%(month)s") % {"month": m}) for m in range(1, 13)],
    )

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schemes is not None:  # an office computes its own region's schemes only
            self.fields["scheme"].queryset = schemes


class SchemeCreateForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=100)


class SchemeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "flag_rule", "red_min", "blue_min"]


class SchemeItemForm(StyledFormMixin, forms.ModelForm):
    """One weighted item; the cap is typed in percent (120 for a ceiling of 1.2)."""

    cap_percent = forms.DecimalField(
        label=_("Cap (%)"), max_digits=7, decimal_places=2, initial=120, help_text=_("At least 100.")
    )

    class Meta:
        model = SchemeItem
        fields = ["order", "label", "source", "indicator", "weight", "method", "target"]
        widgets = {"order": forms.NumberInput(attrs={"style": "width:4.5rem"})}

    def __init__(self, *args, indicator_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.indicator_id if self.instance.pk else None
        self.fields["indicator"].queryset = Indicator.objects.filter(Q(active=True) | Q(pk=current))
        if indicator_choices is not None:
            # The formset loads the choices once for all its forms; validation still checks the queryset.
            self.fields["indicator"].choices = indicator_choices
        self.fields["weight"].widget.attrs["min"] = "0.01"
        if self.instance.pk:
            self.initial["cap_percent"] = f"{(self.instance.cap * 100).normalize():f}"
            if self.instance.target is not None:
                self.initial["target"] = f"{self.instance.target.normalize():f}"

    def clean_cap_percent(self):
        cap = self.cleaned_data["cap_percent"]
        if cap < 100:
            raise forms.ValidationError(_("The cap must be at least 100%."))
        return cap

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cap_percent") is not None:
            self.instance.cap = (cleaned["cap_percent"] / 100).quantize(Decimal("0.01"))
        return cleaned


class BaseItemFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["indicator_choices"] = self._indicator_choices()
        return kwargs

    def _indicator_choices(self) -> list[tuple]:
        if not hasattr(self, "_choices_cache"):
            used = [i for i in self.get_queryset().values_list("indicator_id", flat=True) if i]
            indicators = Indicator.objects.filter(Q(active=True) | Q(pk__in=used))
            self._choices_cache = [("", "---------")] + [(i.pk, str(i)) for i in indicators]
        return self._choices_cache

    def clean(self):
        super().clean()
        from .services import item_duplicates

        kept = [
            f.instance
            for f in self.forms
            if f.is_valid() and f.cleaned_data and not self._should_delete_form(f)
        ]
        if problems := item_duplicates(kept):
            raise forms.ValidationError(problems)

    def kept_items(self) -> list[SchemeItem]:
        return [f.instance for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]

    def deleted_items(self) -> list[SchemeItem]:
        return [f.instance for f in self.forms if f.instance.pk and self._should_delete_form(f)]


ItemFormSet = forms.inlineformset_factory(
    Scheme,
    SchemeItem,
    form=SchemeItemForm,
    formset=BaseItemFormSet,
    fields=SchemeItemForm.Meta.fields,
    extra=1,
    can_delete=True,
)


class PeerGroupForm(forms.Form):
    """The peer group of every area unit under one scheme."""

    def __init__(self, *args, units, groups: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"group_{unit.pk}"] = forms.ChoiceField(
                label=unit.name,
                choices=EVALUATED_GROUPS,
                initial=groups.get(unit.pk, unit.peer_group),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def groups(self) -> dict[int, str]:
        return {unit.pk: self.cleaned_data[f"group_{unit.pk}"] for unit in self.units}


class ManualScoreGridForm(forms.Form):
    """Manual scores (0–100) of one period: one field per manual item and area unit."""

    def __init__(self, *args, items, units, stored: dict[tuple[int, int], Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.units = items, units
        for unit in units:
            for item in items:
                value = stored.get((item.pk, unit.pk))
                self.fields[f"score_{item.pk}_{unit.pk}"] = forms.DecimalField(
                    label=f"{unit.label} · {item.label}",
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=5,
                    decimal_places=2,
                    initial=value,
                    widget=forms.NumberInput(
                        attrs={"class": "form-control form-control-sm num", "step": "any"}
                    ),
                )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def scores(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (item.pk, unit.pk): self.cleaned_data.get(f"score_{item.pk}_{unit.pk}")
            for unit in self.units
            for item in self.items
        }

    def rows(self):
        for unit in self.units:
            yield unit, [self[f"score_{item.pk}_{unit.pk}"] for item in self.items]
