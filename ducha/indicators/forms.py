from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin

from . import rules
from .models import AREA_KINDS, Indicator


class PeriodForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)


class MonthlyEntryForm(forms.Form):
    """One unit's figures for one month: a value per indicator, and a correction mark with its reason."""

    def __init__(self, *args, rows, versions: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        versions = versions or {}
        for indicator, current, previous in rows:
            # the version of the stored figure this form shows (0: none yet), checked when saving
            self.fields[f"version_{indicator.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=versions.get(indicator.pk, 0)
            )
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
                cleaned[name] = rules.parse_amount(cleaned.get(name), indicator.measure)
            except rules.WrongUnit as exc:
                self.add_error(name, str(exc))
            except ValueError:
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
                    expected_version=self.cleaned_data.get(f"version_{indicator.pk}"),
                )
            )
        return result

    def grouped(self):
        """(indicator, value field, hidden version field, correction field, reason field), for the template."""
        for indicator, _current, _previous in self.rows:
            yield (
                indicator,
                self[f"value_{indicator.pk}"],
                self[f"version_{indicator.pk}"],
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


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    """An indicator's definition, edited by the office."""

    reporting_kinds = forms.MultipleChoiceField(
        label=_("Reported by"),
        choices=[(str(kind), kind.label) for kind in AREA_KINDS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kinds of unit that report it."),
    )

    class Meta:
        model = Indicator
        fields = ["name", "code", "measure", "cumulative", "higher_is_better", "reporting_kinds", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checkboxes of a multiple choice are styled by the template, not as one form-control.
        self.fields["reporting_kinds"].widget.attrs["class"] = "form-check-input"


def target_field_name(unit_id: int | None, indicator_id: int) -> str:
    return f"target_{unit_id or 'district'}_{indicator_id}"


class TargetGridForm(forms.Form):
    """Annual targets of one year: one field per (unit or district, indicator the unit reports)."""

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.measures: dict[str, str] = {}
        for row in grid.rows:
            for cell in row.cells:
                if not cell.reported:
                    continue
                name = target_field_name(row.unit_id, cell.indicator.pk)
                self.measures[name] = cell.indicator.measure
                self.fields[name] = forms.CharField(
                    label=f"{row.label} · {cell.indicator.name}",
                    required=False,
                    initial="" if cell.target is None else f"{cell.target.normalize():f}",
                )
                self.fields[name].widget.attrs.update({"class": "form-control form-control-sm num"})

    def clean(self):
        cleaned = super().clean()
        for name in list(self.fields):
            try:
                value = rules.parse_amount(cleaned.get(name), self.measures[name])
            except rules.WrongUnit as exc:
                self.add_error(name, str(exc))
                continue
            except ValueError:
                self.add_error(name, _("Type a number, e.g. 321.71亿 or 456."))
                continue
            if value is not None and value < 0:
                self.add_error(name, _("A target cannot be negative."))
                continue
            cleaned[name] = value
        return cleaned

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def targets(self) -> dict[tuple[int | None, int], Decimal | None]:
        """{(unit id or None, indicator id): value or None (no target)} for every field of the grid."""
        return {
            (row.unit_id, cell.indicator.pk): self.cleaned_data.get(
                target_field_name(row.unit_id, cell.indicator.pk)
            )
            for row in self.grid.rows
            for cell in row.cells
            if cell.reported
        }

    def row_fields(self):
        """(row, [(cell, bound field or None)]) for the template."""
        for row in self.grid.rows:
            yield (
                row,
                [
                    (cell, self[target_field_name(row.unit_id, cell.indicator.pk)] if cell.reported else None)
                    for cell in row.cells
                ],
            )
