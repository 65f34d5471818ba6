from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.regions.fields import region_field


class UnitKind(models.TextChoices):
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    PARK = "park", _("Park")
    DEPARTMENT = "department", _("Department")
    # A district's (county's) government as a unit of the city above it: the city evaluates and flags it,
    # sets its targets and raises problems to its office. Its region is the district itself.
    COUNTY = "county", _("District or county")


class PeerGroup(models.TextChoices):
    """Evaluations compare units only within a peer group."""

    TOWNS_STREETS = "towns_streets", _("Towns and streets")
    PARKS = "parks", _("Parks")
    DEPARTMENTS = "departments", _("Departments")
    COUNTIES = "counties", _("Districts and counties")


PEER_GROUP_OF_KIND = {
    UnitKind.TOWN: PeerGroup.TOWNS_STREETS,
    UnitKind.STREET: PeerGroup.TOWNS_STREETS,
    UnitKind.PARK: PeerGroup.PARKS,
    UnitKind.DEPARTMENT: PeerGroup.DEPARTMENTS,
    UnitKind.COUNTY: PeerGroup.COUNTIES,
}

AREA_KINDS = (UnitKind.TOWN, UnitKind.STREET, UnitKind.PARK)


class UnitQuerySet(models.QuerySet):
    def areas(self):
        """Towns, streets and parks (板块): the units that own projects and report indicators."""
        return self.filter(kind__in=AREA_KINDS)

    def departments(self):
        return self.filter(kind=UnitKind.DEPARTMENT)

    def counties(self):
        """The districts and counties as units of the city (or province) above them."""
        return self.filter(kind=UnitKind.COUNTY)

    def subjects_of(self, region) -> "UnitQuerySet":
        """The units a region's office evaluates and sets targets for: its own towns, streets and parks, and
        the offices of the districts (counties) directly below it."""
        return self.filter(
            models.Q(kind__in=AREA_KINDS, region=region)
            | models.Q(kind=UnitKind.COUNTY, region__parent=region)
        )

    def within(self, region) -> "UnitQuerySet":
        """The units of `region` and of every division below it."""
        return self.filter(region__prefix__startswith=region.prefix)


class Unit(models.Model):
    """A town 镇, street 街道, park 园区 (together: 板块) or a department 部门."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    peer_group = models.CharField(_("peer group"), max_length=20, choices=PeerGroup.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The division whose government the unit belongs to: a town or park of 金坛区 belongs to 金坛区, a city
    # department to 常州市. Projects, reports, indicators and problems belong to a region through their unit.
    region = region_field(related_name="units")
    webhook_url = models.URLField(
        _("group-robot webhook"),
        blank=True,
        help_text=_(
            "WeCom or DingTalk group robot address for notices; its host must be one of the allowed robot hosts."
        ),
    )
    webhook_secret = models.CharField(
        _("group-robot signing secret"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^SEC[0-9A-Za-z]+$", _("A DingTalk signing secret starts with SEC and has no spaces.")
            )
        ],
        help_text=_("The SEC… secret of a DingTalk robot with signing (加签) turned on; empty otherwise."),
    )
    email = models.EmailField(_("notice e-mail"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ducha.supervision.webhooks import allowed_hosts_setting, webhook_url_problem

        errors: dict[str, object] = {}
        if self.webhook_url:
            problem = webhook_url_problem(self.webhook_url, allowed_hosts_setting())
            if problem:
                errors["webhook_url"] = problem
        if self.webhook_secret and not self.webhook_url:
            errors["webhook_secret"] = _("A signing secret needs a group-robot webhook.")
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_department(self) -> bool:
        return self.kind == UnitKind.DEPARTMENT
