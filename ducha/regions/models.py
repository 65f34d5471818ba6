from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


# How many leading digits of a national code name a division at each level: 32 江苏省, 3204 常州市,
# 320413 金坛区, 320413100 金城镇. A division's subtree is every code that starts with its prefix.
PREFIX_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}


def division_prefix(code: str, level: str) -> str:
    """The digits of a national code that name the division at its level (320400, city → 3204)."""
    return code[: PREFIX_LENGTH[Level(level)]]


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and every division below it."""
        return self.filter(prefix__startswith=region.prefix)


class Region(models.Model):
    """An administrative division with its national code (GB/T 2260 and the statistical township codes)."""

    code = models.CharField(_("division code"), max_length=9, unique=True)
    prefix = models.CharField(max_length=9, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.prefix = division_prefix(self.code, self.level)
        super().save(*args, **kwargs)

    def contains(self, other: "Region | None") -> bool:
        return other is not None and other.prefix.startswith(self.prefix)

    @property
    def ancestor_prefixes(self) -> list[str]:
        """The prefixes of the divisions above this one, from the top down (320413 → 32, 3204)."""
        return [self.code[:n] for n in sorted(PREFIX_LENGTH.values()) if n < len(self.prefix)]

    def ancestors(self) -> list["Region"]:
        """From the top down, without the region itself."""
        return list(Region.objects.filter(prefix__in=self.ancestor_prefixes).order_by("code"))

    def path_name(self) -> str:
        """常州市金坛区: the names from the city down, as documents and pages write them."""
        names = [r.name for r in self.ancestors() if r.level != Level.PROVINCE] + [self.name]
        return "".join(names)
