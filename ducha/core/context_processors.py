from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The top bar: groups of (url name, label, who sees it). A group with one visible entry is a plain link,
# a group with several is a drop-down, so that the bar fits a 1280 px office screen.
NAV_GROUPS = [
    (_("Cockpit"), [("home", _("Cockpit"), "business")]),
    (
        pgettext_lazy("navigation", "Projects"),
        [
            ("projects:list", _("Project ledger"), "business"),
            ("projects:map", _("Project map"), "business"),
            ("projects:report_list", _("Monthly progress"), "business"),
            ("units:list", _("Units"), "business"),
            ("cockpit:chain", _("Industry chains"), "business"),
        ],
    ),
    (
        pgettext_lazy("navigation", "Supervision"),
        [
            ("supervision:round_list", _("Supervision rounds"), "business"),
            ("supervision:problem_list", _("Problems"), "business"),
        ],
    ),
    (
        pgettext_lazy("navigation", "Indicators and evaluation"),
        [
            ("indicators:table", _("Indicators"), "business"),
            ("evaluation:list", _("Evaluation"), "business"),
        ],
    ),
    (_("Bulletins"), [("cockpit:bulletin_list", _("Bulletins"), "business")]),
    (_("Report import"), [("extraction:list", _("Report import"), "office")]),
    (_("Audit trail"), [("accounts:audit", _("Audit trail"), "audit")]),
    (_("Settings"), [("admin:index", _("Users, units and templates"), "admin")]),
]


def _visible(user, audience: str) -> bool:
    if audience == "audit":
        return user.is_auditor
    if audience == "admin":
        return user.is_system_admin or user.is_security_admin or user.is_superuser
    if audience == "office":
        return user.is_office
    return user.is_business_user


def _is_active(request, url: str) -> bool:
    return request.path == url or (url != "/" and request.path.startswith(url))


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    groups = []
    for label, entries in NAV_GROUPS:
        items = []
        for url_name, item_label, audience in entries:
            if not _visible(user, audience):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # an app whose page is not there yet
                continue
            items.append({"url": url, "label": item_label, "active": _is_active(request, url)})
        if items:
            groups.append({"label": label, "items": items, "active": any(i["active"] for i in items)})
    return {"nav_items": groups}
