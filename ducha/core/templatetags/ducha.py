from decimal import Decimal

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from ducha.lib.money import format_wan, wan_to_yuan
from ducha.lib.quantities import WAN, format_amount, format_in_scale, format_money, unit_spelling

register = template.Library()

# Figures and dates are written the same way on every page, by these filters, which call the one vocabulary in
# ducha.lib.quantities (never floatformat, intcomma or a raw Decimal): "80亿元", "2,500万元", "20万套", "456家",
# no space between a figure and its unit or the Chinese around it.
DAY = "Y-m-d"
MOMENT = "Y-m-d H:i"


@register.filter
def wan(amount, currency="CNY"):
    """An amount kept in 万, shown as offices write it: 80亿元, 2,500万元, 7.2亿美元."""
    return format_wan(amount, currency or "CNY")


@register.filter
def wan_figure(amount, currency="CNY"):
    """An amount kept in 万 for a table column in 万元 (see `amounts_in_wan`): every row the same precision,
    61000 → "61,000", 317700 → "317,700". An amount in another currency keeps its unit: "7.2亿美元"."""
    if (currency or "CNY") != "CNY":
        return format_wan(amount, currency)
    return format_in_scale(wan_to_yuan(amount), WAN)


@register.simple_tag
def amounts_in_wan() -> str:
    """The note above a table whose money columns are written with `wan_figure`."""
    return _("Amounts in 万元.")


@register.filter
def money(amount, currency="CNY"):
    """An amount in yuan (or base units of its currency): 3217100000 → 32.17亿元."""
    return format_money(amount, currency or "CNY")


@register.filter
def amount(value, unit=""):
    """A figure with its unit: 200000 套 → 20万套, 456 家 → 456家, 12345 → 1.23万; None → —."""
    return format_amount(value, unit_spelling(unit) if unit else "")


@register.filter(expects_localtime=True)
def day(value):
    """A date (or the local date of a moment) as every page writes it: 2020-12-31; None → —."""
    return date_format(value, DAY) if value else "—"


@register.filter(expects_localtime=True)
def moment(value):
    """A moment in local time: 2020-12-31 08:30; None → —."""
    return date_format(value, MOMENT) if value else "—"


@register.filter
def pct(ratio, digits=1):
    """A ratio (0.667) as a percentage (66.7%); blank when there is nothing to measure."""
    if ratio is None or ratio == "":
        return "—"
    return f"{Decimal(str(ratio)) * 100:.{int(digits)}f}%"


@register.filter
def points(value):
    if value is None:
        return "—"
    return f"{value:+.1f}"


_REASONS = {
    "behind_schedule": lambda p: _("Behind on-schedule progress by %(points)s points") % p,
    "start_late": lambda p: _("Planned start missed by %(months)s months") % p,
    "not_in_statistics": lambda p: _("Started %(months)s months ago but not in the statistics") % p,
    "milestone_overdue": lambda p: _("Node %(name)s overdue (planned %(planned)s)") % p,
    # translated in the projects catalog, beside the rule (ducha/projects/rules.py node_slip_reasons)
    "milestone_late": lambda p: _("Node %(name)s reached %(days)s days late (planned %(planned)s)") % p,
    "report_missing": lambda p: _("No report for month %(month)s") % p,
}


@register.filter
def light_reason(reason: dict) -> str:
    describe = _REASONS.get(reason.get("rule"))
    return describe(reason.get("params", {})) if describe else reason.get("rule", "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def ratio(done, plan):
    """completed ÷ plan as a percentage, or — when there is no plan."""
    from ducha.lib.schedule import completion_ratio

    return pct(completion_ratio(done, plan))


@register.filter
def audit_changes(entry) -> list[tuple[str, str, str]]:
    """An audit entry's changes for people (ducha.core.audit.audit_change_rows); the view looks the related
    objects' names up first with audit_names_prefetch, in one query per model."""
    from ducha.core.audit import audit_change_rows

    return audit_change_rows(entry)


@register.filter
def audit_action(entry) -> str:
    """新建/修改/删除, or the event's name (ducha.core.audit.audit_event_label)."""
    from ducha.core.audit import audit_event_label

    return audit_event_label(entry)


@register.filter
def period_months(month) -> str:
    """ "1-11月", "1月": a cumulative period within its year, as a month list writes it."""
    from ducha.lib.periods import Period

    return Period(2000, int(month)).months


@register.simple_tag
def period_label(year: int, month: int) -> str:
    """ "2020年1-11月" for a year and a month, as every page writes a period."""
    from ducha.lib.periods import Period

    return Period(int(year), int(month)).label


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()
