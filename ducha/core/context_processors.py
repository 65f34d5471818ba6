from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, who sees it). Apps add their entries here as they arrive.
NAV_ITEMS = [
    ("home", _("Cockpit"), "business"),
    ("projects:list", _("Project ledger"), "business"),
    ("projects:report_list", _("Monthly progress"), "business"),
    ("units:list", _("Units"), "business"),
    ("supervision:round_list", _("Supervision rounds"), "business"),
    ("supervision:problem_list", _("Problems"), "business"),
    ("indicators:table", _("Indicators"), "business"),
    ("evaluation:list", _("Evaluation"), "business"),
    ("cockpit:chain", _("Industry chains"), "business"),
    ("cockpit:bulletin_list", _("Bulletins"), "business"),
    ("extraction:list", _("Report import"), "office"),
    ("accounts:audit", _("Audit trail"), "audit"),
]


def _visible(user, audience: str) -> bool:
    if audience == "audit":
        return user.is_auditor or user.is_office
    if audience == "office":
        return user.is_office
    return not user.is_auditor


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, audience in NAV_ITEMS:
        if not _visible(user, audience):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an app whose page is not there yet
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (url != "/" and request.path.startswith(url))})
    return {"nav_items": items}
