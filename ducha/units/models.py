from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    PARK = "park", _("Park")
    DEPARTMENT = "department", _("Department")


class PeerGroup(models.TextChoices):
    """Evaluations compare units only within a peer group."""

    TOWNS_STREETS = "towns_streets", _("Towns and streets")
    PARKS = "parks", _("Parks")
    DEPARTMENTS = "departments", _("Departments")


PEER_GROUP_OF_KIND = {
    UnitKind.TOWN: PeerGroup.TOWNS_STREETS,
    UnitKind.STREET: PeerGroup.TOWNS_STREETS,
    UnitKind.PARK: PeerGroup.PARKS,
    UnitKind.DEPARTMENT: PeerGroup.DEPARTMENTS,
}


class UnitQuerySet(models.QuerySet):
    def areas(self):
        """Towns, streets and parks (板块): the units that own projects and report indicators."""
        return self.exclude(kind=UnitKind.DEPARTMENT)

    def departments(self):
        return self.filter(kind=UnitKind.DEPARTMENT)


class Unit(models.Model):
    """A town 镇, street 街道, park 园区 (together: 板块) or a department 部门."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    peer_group = models.CharField(_("peer group"), max_length=20, choices=PeerGroup.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    webhook_url = models.URLField(
        _("group-robot webhook"),
        blank=True,
        help_text=_("WeCom or DingTalk group robot address for notices."),
    )
    email = models.EmailField(_("notice e-mail"), blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_department(self) -> bool:
        return self.kind == UnitKind.DEPARTMENT
