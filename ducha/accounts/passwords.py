"""Password rules of 等保2.0 level 3 (GB/T 22239-2019 8.1.4.1 身份鉴别: "口令具有复杂度要求并定期更换").

The composition rule (three of four character classes) and periodic change follow the Chinese standard that
a deployment is assessed against, although OWASP ASVS 5.0 advises against both; docs/security.md says why.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters (symbols, Chinese …) it uses."""
    used = sum(1 for _name, chars in CLASSES if any(c in chars for c in password))
    known = set().union(*(chars for _name, chars in CLASSES))
    return used + (1 if any(c not in known for c in password) else 0)


class CharacterClassesValidator:
    """At least `min_classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("Use at least %(count)d of: lower-case letters, capitals, digits, symbols.")
                % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("At least %(count)d of: lower-case letters, capitals, digits, symbols.") % {
            "count": self.min_classes
        }


class NoUsernameValidator:
    """The password must not contain the user name (in any case)."""

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(
                _("The password must not contain your user name."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("It must not contain your user name.")
