from django import forms
from django.utils.translation import gettext_lazy as _

from ducha.core.forms import StyledFormMixin
from ducha.projects.models import Project
from ducha.units.models import Unit

from .choices import ProblemAction, ProblemStatus
from .models import ProblemCategory, SupervisionRound
from .services import attachment_validate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more photos/documents, each checked for size and type with a message naming the file."""

    widget = MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos and documents"))
        kwargs.setdefault("help_text", _("Photos (jpg, png), PDF, .docx or .xlsx."))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(AttachmentsField, self).clean(f, initial) for f in files]
        for f in cleaned:
            attachment_validate(f)
        return cleaned


class DepartmentChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Unknown department: choose one from the list.")}

    def label_from_instance(self, obj):
        return obj.label


class DepartmentsField(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": _("Unknown department “%(value)s”: choose from the list.")}

    def label_from_instance(self, obj):
        return obj.label


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SupervisionRound
        fields = [
            "level",
            "campaign",
            "year",
            "ordinal",
            "title",
            "date",
            "start_time",
            "leaders",
            "meeting_place",
            "notes",
        ]
        widgets = {
            "date": forms.DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"title": _("Left empty, it is composed from year, campaign and ordinal.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


class VisitForm(StyledFormMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.select_related("unit").order_by("unit__order", "name"),
        error_messages={"invalid_choice": _("Unknown project: choose one from the list.")},
    )
    arrival_time = forms.TimeField(
        label=_("Arrival time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = AttachmentsField()


class VisitUpdateForm(StyledFormMixin, forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1)
    arrival_time = forms.TimeField(
        label=_("Arrival time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = AttachmentsField()


class ProblemForm(StyledFormMixin, forms.Form):
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.select_related("unit").order_by("unit__order", "name"),
        error_messages={"invalid_choice": _("Unknown project: choose one from the list.")},
    )
    round = forms.ModelChoiceField(
        label=_("Raised at round"), queryset=SupervisionRound.objects.all(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProblemCategory.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Unknown category: choose one from the list.")},
    )
    description = forms.CharField(
        label=_("Problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_department = DepartmentChoiceField(label=_("Lead department"), queryset=Unit.objects.departments())
    co_departments = DepartmentsField(
        label=_("Co-departments"),
        queryset=Unit.objects.departments(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    responsible_leader = forms.CharField(label=_("Responsible leader"), max_length=60, required=False)
    raised_on = forms.DateField(label=_("Raised on"), widget=forms.DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput())
    files = AttachmentsField()

    def clean(self):
        data = super().clean()
        raised_on, deadline = data.get("raised_on"), data.get("deadline")
        if raised_on and deadline and deadline < raised_on:
            self.add_error(
                "deadline",
                _("The deadline %(deadline)s is before the raise date %(raised)s.")
                % {"deadline": deadline, "raised": raised_on},
            )
        return data


class TransitionForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(choices=ProblemAction.choices, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = AttachmentsField()


class ProblemFilterForm(StyledFormMixin, forms.Form):
    STATUS_CHOICES = [
        ("", _("All statuses")),
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        *ProblemStatus.choices,
    ]

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Unit.objects.departments(),
        required=False,
        empty_label=_("All departments"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.areas(), required=False, empty_label=_("All units")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProblemCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=SupervisionRound.objects.all(), required=False, empty_label=_("All rounds")
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
