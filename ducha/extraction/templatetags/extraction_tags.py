from django import template

from ..selectors import project_evidence

register = template.Library()


@register.inclusion_tag("extraction/_project_evidence_list.html", takes_context=True)
def project_evidence_card(context, project):
    """The source sentences behind a ledger project, for its page (one query; nothing when none)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "rows": project_evidence(project),
        "can_open": bool(user and user.is_authenticated and user.is_office),
    }
