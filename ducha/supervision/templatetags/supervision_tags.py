from django import template

from ..selectors import project_supervision

register = template.Library()


@register.inclusion_tag("supervision/_project_rounds.html", takes_context=True)
def project_rounds_card(context, project):
    """The rounds that visited a project (a city's as well as the district's own), for its page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visits": []}
    return {"visits": project_supervision(user, project)}
