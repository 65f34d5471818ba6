from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Business roles, then the three separated administrators of 等保2.0 (三权分立)."""

    PENDING = "pending", _("No role yet")
    OFFICE = "office", _("Office admin")
    LEADER = "leader", _("Leader")
    UNIT = "unit", _("Unit staff")
    DEPARTMENT = "department", _("Department staff")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


BUSINESS_ROLES = (Role.OFFICE, Role.LEADER, Role.UNIT, Role.DEPARTMENT)
ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN)


class User(AbstractUser):
    """A person signing in. Unit and department staff belong to exactly one unit."""

    # A new account can do nothing until the security administrator gives it a role.
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PENDING)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Office admins and leaders cover a division and everything below it (a city office its counties);
    # empty: the whole installation. Unit and department staff are scoped by their unit instead.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_(
            "Office admins and leaders see this region and every region below it; empty: all regions."
        ),
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Set when an administrator creates the account or resets its password: the next sign-in must change it.
    password_must_change = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["unit", "department"]) | models.Q(unit__isnull=False),
                name="staff_user_has_unit",
                violation_error_message=_("Unit and department staff must belong to a unit."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    # The role checks that views and selectors ask. Superusers act as the office.
    @property
    def is_office(self) -> bool:
        return self.is_superuser or self.role == Role.OFFICE

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER and not self.is_superuser

    @property
    def is_unit_staff(self) -> bool:
        return self.role == Role.UNIT and not self.is_superuser

    @property
    def is_department_staff(self) -> bool:
        return self.role == Role.DEPARTMENT and not self.is_superuser

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR and not self.is_superuser

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSADMIN and not self.is_superuser

    @property
    def is_security_admin(self) -> bool:
        return self.role == Role.SECADMIN and not self.is_superuser

    @property
    def is_business_user(self) -> bool:
        """Works with business data: office, leaders, unit and department staff (and superusers, as the office)."""
        return self.is_superuser or self.role in BUSINESS_ROLES

    @property
    def reads_region(self) -> bool:
        """Office and leaders read every unit's business data in their region and below."""
        return self.is_office or self.is_leader

    @property
    def reads_everything(self) -> bool:
        """Office and leaders of the whole installation (no region) read every unit's business data."""
        return self.is_superuser or (self.reads_region and self.region_id is None)

    @property
    def scope_region(self):
        """The region whose subtree an office admin or leader covers; None for the whole installation and
        for everyone else (unit and department staff are scoped by their unit)."""
        return self.region if self.reads_region and not self.reads_everything else None
