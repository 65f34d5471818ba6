from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin
from ducha.lib.office_files import UnsafeOfficeFile, check_office_file
from ducha.projects.choices import Currency
from ducha.units.models import Unit

from .engine import ExtractionError, decode_bytes


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f}"


def docx_text(file) -> str:
    """The paragraphs of a Word document, one a line (tables' cells too)."""

    from docx import Document

    try:
        check_office_file(file)
    except UnsafeOfficeFile as exc:
        raise forms.ValidationError(_("The file is refused: %(reason)s.") % {"reason": exc}) from exc
    try:
        document = Document(file)
    except Exception as error:  # python-docx and lxml raise many kinds for a file that is not a document
        raise forms.ValidationError(_("The file is not a readable Word (.docx) document.")) from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


class ImportForm(StyledFormMixin, forms.Form):
    """Paste a report or upload it as .txt (UTF-8 or GB18030) or .docx."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty, the report's first line is used."),
    )
    doc_date = forms.DateField(
        label=_("Date of the report"),
        required=False,
        help_text=_("Resolves dates such as 昨天 or 12月18日; read from the text when empty."),
        widget=forms.DateInput,
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": _("Paste the report here…")}),
    )
    file = forms.FileField(
        label=_("…or a file"),
        required=False,
        help_text=_("A .txt file in UTF-8 or GB18030, or a Word .docx document."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"] or ""
        limit = settings.DUCHA_MAX_UPLOAD_BYTES
        if len(text) > limit or len(text.encode("utf-8")) > limit:
            raise forms.ValidationError(
                _("The text is %(size)s MB; at most %(limit)s MB can be imported at once. Split the report.")
                % {"size": _megabytes(len(text.encode("utf-8"))), "limit": _megabytes(limit)}
            )
        return text

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file:
            return None
        limit = settings.DUCHA_MAX_UPLOAD_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("%(name)s is %(size)s MB; at most %(limit)s MB can be imported at once.")
                % {"name": file.name, "size": _megabytes(file.size), "limit": _megabytes(limit)}
            )
        suffix = Path(file.name).suffix.lower()
        if suffix == ".docx":
            return file.name, docx_text(file)
        if suffix == ".txt":
            try:
                return file.name, decode_bytes(file.read())
            except ExtractionError as error:
                raise forms.ValidationError(
                    _("%(name)s cannot be read: %(error)s") % {"name": file.name, "error": error}
                ) from error
        raise forms.ValidationError(_("Only .txt and .docx files can be imported."))

    def clean(self):
        data = super().clean()
        text, file = data.get("text") or "", data.get("file")
        if "text" in self.errors or "file" in self.errors:
            return data
        if file and text.strip():
            raise forms.ValidationError(_("Paste a text or choose a file, not both."))
        if not file and not text.strip():
            raise forms.ValidationError(_("Paste the text of a report or choose a file."))
        data["source_name"], data["content"] = file if file else ("", text)
        if not data["content"].strip():
            self.add_error("file", _("The file holds no text."))
        return data


class ProjectFactForm(forms.Form):
    """A project fact as the reviewer corrected it; money in 万 of the currency."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    company = forms.CharField(label=_("Investor company"), max_length=200, required=False)
    total_investment = forms.DecimalField(
        label=_("Total investment (10k)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial=Currency.CNY)
    annual_revenue = forms.DecimalField(
        label=_("Annual revenue (10k)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    revenue_currency = forms.ChoiceField(
        label=_("Revenue currency"), choices=Currency.choices, initial=Currency.CNY
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.areas(), required=False)


class IndicatorFactForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=60)
    period = forms.CharField(label=_("Period"), max_length=20, required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
