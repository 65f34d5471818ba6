from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin

from . import rules


class PeriodForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)


class MonthlyEntryForm(forms.Form):
    """One unit's figures for one month: a value per indicator, and a correction mark with its reason."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for indicator, current, previous in rows:
            self.fields[f"value_{indicator.pk}"] = forms.CharField(
                label=indicator.name,
                required=False,
                initial="" if current is None else f"{current.normalize():f}",
                help_text=_("Last month: %(previous)s. Type a number in %(unit)s, or with 亿/万.")
                % {
                    "previous": rules.format_measure(previous, indicator.measure),
                    "unit": indicator.get_measure_display(),
                },
            )
            if indicator.cumulative:
                self.fields[f"correction_{indicator.pk}"] = forms.BooleanField(
                    label=_("Correction"), required=False
                )
                self.fields[f"reason_{indicator.pk}"] = forms.CharField(
                    label=_("Reason for the correction"), required=False, max_length=200
                )
        # The fields were added after the mixin styled the (empty) form: style them now.
        for name, field in self.fields.items():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        for indicator, _current, _previous in self.rows:
            name = f"value_{indicator.pk}"
            try:
                cleaned[name] = rules.parse_amount(cleaned.get(name))
            except (ValueError, ArithmeticError):
                self.add_error(name, _("Type a number, e.g. 321.71亿 or 456."))
        return cleaned

    def entries(self):
        from .services import Entry

        result = []
        for indicator, _current, _previous in self.rows:
            value = self.cleaned_data.get(f"value_{indicator.pk}")
            if value is None:
                continue
            result.append(
                Entry(
                    indicator,
                    value,
                    is_correction=bool(self.cleaned_data.get(f"correction_{indicator.pk}")),
                    reason=self.cleaned_data.get(f"reason_{indicator.pk}", ""),
                )
            )
        return result

    def grouped(self):
        """(value field, correction field, reason field) per indicator, for the template."""
        for indicator, _current, _previous in self.rows:
            yield (
                indicator,
                self[f"value_{indicator.pk}"],
                self[f"correction_{indicator.pk}"] if indicator.cumulative else None,
                self[f"reason_{indicator.pk}"] if indicator.cumulative else None,
            )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx template."))
        return upload
