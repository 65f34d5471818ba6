from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ducha.accounts.access import departments_for, units_visible_to
from ducha.core.forms import StyledFormMixin
from ducha.lib import clock
from ducha.regions.models import Region
from ducha.units.models import Unit

from .choices import ChainPosition, ConstructionType, Level, Light, Stage
from .models import AnnualPlan, Capacity, Industry, LightSettings, Phase, ProgressReport, Project
from .rules import DATED_STAGES, stage_date_problems, stored_point

# The stage dates that the project form edits, with their form-field prefixes.
FORM_STAGES = list(DATED_STAGES)


class ProjectForm(StyledFormMixin, forms.ModelForm):
    """A project's facts, its key stage dates and this year's planned investment, validated together."""

    plan_year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    planned_investment = forms.DecimalField(
        label=_("Planned investment this year (10k)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "company",
            "unit",
            "responsible_leader",
            "responsible_department",
            "level",
            "category",
            "foreign_funded",
            "industry",
            "chain_position",
            "chain_segment",
            "construction_type",
            "total_investment",
            "currency",
            "annual_revenue",
            "annual_revenue_currency",
            "national_code",
            "in_statistics",
            "statistics_date",
            "target_date",
            "description",
            "address",
            "longitude",
            "latitude",
        ]
        widgets = {
            "statistics_date": forms.DateInput(),
            "target_date": forms.DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    coordinate_system = forms.ChoiceField(
        label=_("Coordinates from"),
        choices=[
            ("wgs84", _("GPS or Tianditu (WGS-84)")),
            ("gcj02", _("Amap or Tencent maps (GCJ-02)")),
        ],
        initial="wgs84",
        required=False,
    )
    LOCATION_FIELDS = ("address", "coordinate_system", "longitude", "latitude")

    def __init__(self, *args, user, plan_year: int, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for stage in FORM_STAGES:
            label = Stage(stage).label
            self.fields[f"{stage}_planned"] = forms.DateField(
                label=_("%(stage)s planned") % {"stage": label}, required=False, widget=forms.DateInput()
            )
            self.fields[f"{stage}_actual"] = forms.DateField(
                label=_("%(stage)s actual") % {"stage": label}, required=False, widget=forms.DateInput()
            )
        self.style_fields()  # style the date fields added above
        self.initial.setdefault("version", self.instance.version if self.instance.pk else None)
        self.fields["unit"].queryset = units_visible_to(user)
        self.fields["responsible_department"].queryset = departments_for(user)
        self.fields["industry"].queryset = Industry.objects.all()
        if not user.is_office:
            # Unit staff file projects for their own unit only.
            self.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
            self.fields["unit"].initial = user.unit_id
        self.fields["plan_year"].initial = plan_year
        if self.instance.pk:
            for sd in self.instance.stage_dates.all():
                if sd.stage in FORM_STAGES:
                    self.initial[f"{sd.stage}_planned"] = sd.planned_date
                    self.initial[f"{sd.stage}_actual"] = sd.actual_date
            plan = self.instance.annual_plans.filter(year=plan_year).first()
            if plan:
                self.initial["planned_investment"] = plan.planned_investment

    def clean(self):
        data = super().clean()
        self._clean_location(data)
        dates = {stage: (data.get(f"{stage}_planned"), data.get(f"{stage}_actual")) for stage in FORM_STAGES}
        for problem in stage_date_problems(
            dates,
            today=clock.today(),
            in_statistics=bool(data.get("in_statistics")),
            statistics_date=data.get("statistics_date"),
        ):
            if problem.field in self.fields:
                self.add_error(problem.field, problem.message)
        return data

    def _clean_location(self, data: dict) -> None:
        """Both coordinates or neither; coordinates read off a Chinese map service are stored as WGS-84."""
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            missing = "latitude" if lat is None else "longitude"
            if missing in self.fields and not self.has_error(missing):
                self.add_error(missing, _("Give both the longitude and the latitude, or neither."))
            return
        if lon is not None and lat is not None and data.get("coordinate_system") == "gcj02":
            data["longitude"], data["latitude"] = stored_point(float(lon), float(lat), "gcj02")

    def stage_dates(self) -> dict[str, tuple]:
        return {
            s: (self.cleaned_data.get(f"{s}_planned"), self.cleaned_data.get(f"{s}_actual"))
            for s in FORM_STAGES
        }


class CapacityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Capacity
        fields = ["quantity", "unit", "product"]


class PhaseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "investment", "capacity_note", "planned_start", "planned_completion"]
        widgets = {"planned_start": forms.DateInput(), "planned_completion": forms.DateInput()}

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_completion")
        if start and end and end < start:
            self.add_error("planned_completion", _("The completion date is before the start date."))
        return data


CapacityFormSet = inlineformset_factory(Project, Capacity, form=CapacityForm, extra=1, can_delete=True)
PhaseFormSet = inlineformset_factory(Project, Phase, form=PhaseForm, extra=1, can_delete=True)


class ProgressReportForm(StyledFormMixin, forms.ModelForm):
    # The version of the month's report when the form was opened (0: none yet); see progress_report_submit.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = ProgressReport
        fields = ["year", "month", "investment_month", "investment_ytd", "stage", "narrative", "problems"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def validate_unique(self):
        """Refiling a month replaces the earlier report (the service decides), so skip the unique check."""


class ReviewForm(StyledFormMixin, forms.Form):
    """The office's decision on a report, with the version it looked at and, for the conflict page, the
    figures it saw."""

    SEEN = ("investment_month", "investment_ytd", "stage", "narrative", "problems")

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, report: ProgressReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", report.version)
        for name in self.SEEN:
            self.fields[f"seen_{name}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, strip=False
            )
            self.initial.setdefault(f"seen_{name}", getattr(report, name))

    def seen(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"seen_{name}", "") for name in self.SEEN}


class LedgerFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.areas(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Industry.objects.all(), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—")] + Level.choices, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—")] + Stage.choices, required=False)
    light = forms.ChoiceField(label=_("Light"), choices=[("", "—")] + Light.choices, required=False)
    construction_type = forms.ChoiceField(
        label=_("New or continuing"), choices=[("", "—")] + ConstructionType.choices, required=False
    )
    chain_position = forms.ChoiceField(
        label=_("Chain position"), choices=[("", "—")] + ChainPosition.choices, required=False
    )
    chain_segment = forms.CharField(label=_("Chain segment"), max_length=60, required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("", _("Total investment, largest first")),
            ("name", _("Name")),
            ("unit", _("Unit")),
            ("ratio", _("Completion, lowest first")),
            ("light", _("Light, red first")),
            ("updated", _("Recently updated")),
        ],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["unit"].queryset = units_visible_to(user)
            # the regions of those units: a city's districts; a district's own users have nothing to choose
            regions = Region.objects.filter(pk__in=units_visible_to(user).values("region"))
            if len(regions) > 1:
                self.fields["region"].queryset = regions
            else:
                del self.fields["region"]


class AnnualPlanForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["year", "planned_investment", "planned_start"]
        widgets = {"planned_start": forms.DateInput()}


class LightSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = LightSettings
        fields = [
            "yellow_points_behind",
            "red_points_behind",
            "start_late_yellow_months",
            "start_late_red_months",
            "unstatisticised_yellow_months",
            "unstatisticised_red_months",
            "green_label",
            "yellow_label",
            "red_label",
            "green_colour",
            "yellow_colour",
            "red_colour",
        ]
        widgets = {
            name: forms.TextInput(attrs={"type": "color"})
            for name in ("green_colour", "yellow_colour", "red_colour")
        }


class BatchReportRowForm(StyledFormMixin, forms.Form):
    """One project's line in the month's batch entry; a line left empty is skipped."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    # The version of the project's report of the month when the page was opened (0: none yet).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    investment_month = forms.DecimalField(
        label=_("This month (10k)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    investment_ytd = forms.DecimalField(
        label=_("Year to date (10k)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Left empty, it is last month's figure plus this month's."),
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    narrative = forms.CharField(
        label=_("Progress narrative"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def is_filled(self) -> bool:
        data = self.cleaned_data
        return data.get("investment_month") is not None or data.get("investment_ytd") is not None


BatchReportFormSet = forms.formset_factory(BatchReportRowForm, extra=0)
