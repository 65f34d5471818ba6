from django import template

from ducha.api import selectors

register = template.Library()


@register.filter
def may_open_api_tokens(user) -> bool:
    """Whether the user menu links to the API tokens page (holders of tokens and the security administrator)."""
    return user.is_authenticated and (selectors.api_token_holder(user) or selectors.api_token_manager(user))
