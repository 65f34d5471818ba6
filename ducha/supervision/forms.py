from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.accounts.access import departments_for, units_visible_to
from ducha.core.forms import StyledFormMixin
from ducha.projects.models import Project
from ducha.units.models import Unit

from . import route
from .choices import OrderKind, ProblemAction, ProblemStatus
from .models import ProblemCategory, SupervisionRound, SupervisionSettings
from .rules import Urgency
from .services import attachment_validate, problem_deadline_days


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more photos/documents, each checked for size and type with a message naming the file."""

    widget = MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"})

    def __init__(self, *args, photos: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        if photos:
            # On a phone this opens the back camera straight away; on a desktop it is a file picker.
            kwargs.setdefault(
                "widget", MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"})
            )
            kwargs.setdefault("label", _("Photos"))
            kwargs.setdefault(
                "help_text", _("Take photos on site with the phone's camera, or choose images.")
            )
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
    files = AttachmentsField(photos=True)


class VisitUpdateForm(StyledFormMixin, forms.Form):
    order = forms.IntegerField(label=_("Order"), min_value=1)
    arrival_time = forms.TimeField(
        label=_("Arrival time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = AttachmentsField(photos=True)


class ProblemFieldsForm(StyledFormMixin, forms.Form):
    """What a problem says, as raised (ProblemForm) and as the office corrects it (ProblemEditForm)."""

    category = forms.ModelChoiceField(
        label=pgettext_lazy("problem", "Category"),
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # the departments and district offices of the user's region, not other regions'
            from ducha.projects.selectors import projects_for_user

            from .selectors import rounds_visible_to

            for name in ("lead_department", "co_departments"):
                self.fields[name].queryset = departments_for(user)
            if "project" in self.fields:
                projects = self.fields["project"].queryset.filter(pk__in=projects_for_user(user).values("pk"))
                self.fields["project"].queryset = projects
            if "round" in self.fields:
                self.fields["round"].queryset = rounds_visible_to(user)


class ProblemForm(ProblemFieldsForm):
    field_order = ["project", "round"]  # then the problem's own fields, as declared

    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.select_related("unit").order_by("unit__order", "name"),
        error_messages={"invalid_choice": _("Unknown project: choose one from the list.")},
    )
    round = forms.ModelChoiceField(
        label=_("Raised at round"), queryset=SupervisionRound.objects.all(), required=False
    )
    raised_on = forms.DateField(label=_("Raised on"), widget=forms.DateInput())
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput())
    files = AttachmentsField(photos=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].help_text = _("Left empty: %(days)s days after the day it was raised.") % {
            "days": problem_deadline_days()
        }

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


class ProblemEditForm(ProblemFieldsForm):
    """The office corrects a problem; `version` is the one the form was opened at (lost-update check)."""

    category = forms.ModelChoiceField(  # retired categories too: a problem keeps the one it was raised with
        label=pgettext_lazy("problem", "Category"),
        queryset=ProblemCategory.objects.all(),
        error_messages={"invalid_choice": _("Unknown category: choose one from the list.")},
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, problem) -> dict:
        return {
            "category": problem.category,
            "description": problem.description,
            "lead_department": problem.lead_department,
            "co_departments": list(problem.co_departments.all()),
            "responsible_leader": problem.responsible_leader,
            "deadline": problem.deadline,
            "version": problem.version,
        }


class TransitionForm(StyledFormMixin, forms.Form):
    action = forms.ChoiceField(choices=ProblemAction.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=pgettext_lazy("problem", "Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
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
        label=pgettext_lazy("problem", "Category"),
        queryset=ProblemCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=SupervisionRound.objects.all(), required=False, empty_label=_("All rounds")
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[("", _("Any urgency"))],  # the district's own names are filled in by the view
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, urgency_labels: dict[str, str] | None = None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            from .selectors import rounds_visible_to

            self.fields["department"].queryset = departments_for(user)  # type: ignore[attr-defined]
            self.fields["unit"].queryset = units_visible_to(user)  # type: ignore[attr-defined]
            self.fields["round"].queryset = rounds_visible_to(user)  # type: ignore[attr-defined]
        labels = urgency_labels or {u.value: u.name.title() for u in Urgency if u}
        self.fields["urgency"].choices = [("", _("Any urgency")), *labels.items()]


class OrderForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrderKind.choices, initial=OrderKind.ORDER)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput())
    due_on = forms.DateField(label=_("Reply due on"), widget=forms.DateInput())
    text = forms.CharField(
        label=_("Text of the order"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self):
        data = super().clean()
        issued_on, due_on = data.get("issued_on"), data.get("due_on")
        if issued_on and due_on and due_on < issued_on:
            self.add_error(
                "due_on",
                _("The reply date %(due)s is before the issue date %(issued)s.")
                % {"due": due_on, "issued": issued_on},
            )
        return data


class CategoryForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    order = forms.IntegerField(label=_("Order"), min_value=0, required=False)


class SupervisionSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SupervisionSettings
        fields = [
            "office_name",
            "near_days",
            "near_label",
            "near_colour",
            "behind_label",
            "behind_colour",
            "overdue_label",
            "overdue_colour",
            "reminder_prefix",
            "order_prefix",
            "letter_prefix",
        ]
        widgets = {
            "near_colour": forms.TextInput(attrs={"type": "color"}),
            "behind_colour": forms.TextInput(attrs={"type": "color"}),
            "overdue_colour": forms.TextInput(attrs={"type": "color"}),
        }


class RoutePlanForm(StyledFormMixin, forms.Form):
    """The projects picked for a round (on the map or from the lagging list) and how long each visit takes."""

    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"), queryset=Project.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    stay_minutes = forms.IntegerField(
        label=_("Minutes at each project"), min_value=0, max_value=240, initial=route.STAY_MINUTES
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects

    def clean_projects(self):
        picked = self.cleaned_data["projects"]
        if len(picked) > route.MAX_STOPS:
            raise forms.ValidationError(
                _("A round visits at most %(count)s projects.") % {"count": route.MAX_STOPS}
            )
        return picked
